"""The driver without pandas and numpy, for the `kg` command.

When the driver is imported it also imports pandas and numpy if they are installed (neo4j._optional_deps), so that
their values can be sent as query parameters: half a second of every command that connects, which `kg` never needs —
its parameters are plain values (JSON from the command line, text and numbers from the loaders). This hook lets
the driver's optional-dependency module run as if neither were installed, unless something in the process
imported them first (a notebook, the test suite); pandas and numpy still import normally afterwards (a spreadsheet
load). Only the command installs it: a program using the library keeps the driver as it comes.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

OPTIONAL_DEPENDENCIES = "neo4j._optional_deps"
_LEFT_OUT = ("numpy", "pandas", "pyarrow")


class _WithoutDataFrames(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != OPTIONAL_DEPENDENCIES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _Loader(spec.loader)
        return spec


class _Loader(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        left_out = [name for name in _LEFT_OUT if name not in sys.modules]
        for name in left_out:
            sys.modules[name] = None  # type: ignore[assignment]  # `import name` raises ImportError
        try:
            self.loader.exec_module(module)
        finally:
            for name in left_out:
                del sys.modules[name]


def leave_out_dataframes() -> None:
    """Install the hook (once), before the driver is imported."""
    if not any(isinstance(finder, _WithoutDataFrames) for finder in sys.meta_path):
        sys.meta_path.insert(0, _WithoutDataFrames())
