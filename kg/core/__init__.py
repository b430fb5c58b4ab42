"""What every part of kg and loaders uses: errors, settings, the bundled files' places, the crash log."""
