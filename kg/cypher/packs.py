"""Query packs: folders (packs) of `.cypher` files with a comment header (kg.core.cypher_files), loaded by name,
found with the closest names for a typo, and shown as Neo4j Browser takes them (`:param` lines, then the Cypher).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kg.core.cypher_files import Query, parse_query
from kg.core.errors import PackError
from kg.core.suggest import closest


def load_packs(folders: Sequence[Path]) -> dict[str, Query]:
    """Every query of every pack under the folders (a pack is a sub-folder), by name; names are unique."""
    queries: dict[str, Query] = {}
    for folder in folders:
        if not folder.is_dir():
            raise PackError(f"{folder}: no such query folder")
        for path in sorted(folder.rglob("*.cypher")):
            pack = path.parent.name if path.parent != folder else folder.name
            query = parse_query(path, pack)
            if query.name in queries:
                raise PackError(f"{path}: query name {query.name!r} is already used by {queries[query.name].path}")
            queries[query.name] = query
    return queries


def find_query(queries: Mapping[str, Query], name: str, *, otherwise: str = "") -> Query:
    """The query called `name`; else an error naming the closest ones (or saying `otherwise` when none is close)."""
    if name in queries:
        return queries[name]
    suggestions = closest(name, queries)
    hint = f"; closest: {', '.join(suggestions)}" if suggestions else otherwise
    raise PackError(f"no query named {name!r}{hint}")


def cypher_literal(value: Any) -> str:
    """A JSON-like value as a Cypher literal: maps with bare keys (quoted with backticks where needed)."""
    if isinstance(value, Mapping):
        items = ", ".join(f"{_cypher_key(str(k))}: {cypher_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if value is None:
        return "null"
    # JSON's escapes (\" \\ \n \t \uXXXX) are Cypher's too; booleans and numbers are written alike.
    return json.dumps(value, ensure_ascii=False)


def _cypher_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z_]\w*", key) else "`" + key.replace("`", "``") + "`"


def neo4j_browser_text(query: Query, given: Mapping[str, Any] | None = None) -> str:
    """The query as Neo4j Browser takes it: one `:param name => value` line per parameter (the examples, or the
    values given), then the Cypher. Browser evaluates the right of `=>` as Cypher on the server, so integers stay
    integers (its `:params {…}` map form would make them JavaScript numbers)."""
    values = query.check_parameters(given or {})
    lines = [f":param {_cypher_key(name)} => {cypher_literal(value)}" for name, value in values.items()]
    return "\n".join([*lines, "", f"// {query.name}: {query.description}", query.text, ""])
