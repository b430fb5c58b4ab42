"""The `kg` command. It parses options, opens connections and turns library errors into one red line and exit 1.

The library (every other package of kg, and loaders) never imports it. The commands are registered in
kg.cli.commands; `main` is the entry point, which answers `kg --version` before importing the CLI framework (typer
and rich take a quarter of a second to import on a small machine; tests/test_startup.py).
"""

import sys

from kg import __version__


def version_line() -> str:
    return f"crm-kg {__version__}"


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(version_line())
        return
    from kg.cli.commands import app

    app(prog_name="kg")
