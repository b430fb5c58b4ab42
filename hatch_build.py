"""Wheel build hook: the graph browser's front end (kg/browse_assets) must be built before it is packed.

A source checkout builds it with `make assets` (Node 20+ and npm). When it is missing, this hook builds it if Node
is there and otherwise stops with one line saying what to do, rather than shipping a wheel whose `kg browse`
cannot serve its page.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class BrowseAssetsHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        if (root / "kg" / "browse_assets" / "index.html").is_file():
            return
        if not (root / "web" / "build.mjs").is_file():
            raise RuntimeError("kg/browse_assets is missing and there is no web/ to build it from")
        if shutil.which("node") is None or shutil.which("npm") is None:
            raise RuntimeError(
                "the graph browser's front end (kg/browse_assets) is not built and Node is not installed: "
                "run `make assets` with Node 20+ first, or install a released wheel"
            )
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=root, check=True)
        subprocess.run(["node", "web/build.mjs"], cwd=root, check=True)
