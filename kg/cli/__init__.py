"""The `kg` command. It parses options, opens connections and turns library errors into one red line and exit 1.

The library (every other package of kg, and loaders) never imports it. Each module below adds its commands to the
one `app` of kg.cli.common when imported; `register_commands` imports them in the order `kg --help` lists them.
"""

from importlib import import_module

from kg.cli.common import app

COMMAND_MODULES = ("main", "browse", "load", "packs", "reports")


def register_commands() -> None:
    for name in COMMAND_MODULES:
        import_module(f"kg.cli.{name}")


register_commands()

__all__ = ["app"]
