"""Every `kg` command, registered on the one `app` of kg.cli.common: each module below adds its commands when
imported, and `register_commands` imports them in the order `kg --help` lists them.

A command imports the library modules that connect, load or validate in its own body, not at the top of its
module: the driver (with the pandas and numpy it imports), the validator and rdflib take more than half a second to
import, which `kg --help`, `kg --version` and every other command would otherwise pay (tests/test_startup.py).
"""

from importlib import import_module

from kg.cli.common import app
from kg.cli.driver_import import leave_out_dataframes

COMMAND_MODULES = ("main", "browse", "load", "packs", "reports")


def register_commands() -> None:
    for name in COMMAND_MODULES:
        import_module(f"kg.cli.{name}")


leave_out_dataframes()
register_commands()

__all__ = ["app"]
