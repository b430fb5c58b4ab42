"""The chain-counting packs are what tools/chain_queries.py writes: their twelve steps are written once."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_committed_chain_queries_are_what_the_tool_writes() -> None:
    spec = importlib.util.spec_from_file_location("chain_queries", ROOT / "tools" / "chain_queries.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert len(tool.FILES) == 3
    for path, text in tool.FILES.items():
        assert path.read_text(encoding="utf-8") == text(), f"{path.name} is stale: run tools/chain_queries.py"
