"""Values from the driver (and the reports' own Python values) as plain JSON-ready data, the one rule for every
output: a node is {"labels", "properties"}, a relationship {"type", "properties"}, a path {"nodes",
"relationships"}; temporal values become ISO 8601 strings and points {"srid", "x", "y"[, "z"]}; floats JSON cannot
hold (NaN, infinities) become text, bytes hex."""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Mapping
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neo4j.graph import Node, Relationship


def plain(value: Any) -> Any:
    """A JSON-ready copy of a value. Driver types come first: a Node or Relationship is also a Mapping (it would lose
    its labels or type) and a Duration or Point is also a tuple (it would become a bare list of numbers)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return str(value) if isinstance(value, float) and not math.isfinite(value) else value  # JSON has no NaN
    # a value can be one of the driver's only once the driver is imported
    driver = _driver_types() if "neo4j" in sys.modules else _NO_DRIVER
    if isinstance(value, driver.Node):
        return {"labels": sorted(value.labels), "properties": _plain_map(value)}
    if isinstance(value, driver.Relationship):
        return {"type": value.type, "properties": _plain_map(value)}
    if isinstance(value, driver.Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, driver.temporal):
        return value.iso_format()
    if isinstance(value, driver.Point):
        point = {"srid": value.srid, "x": value[0], "y": value[1]}
        if len(value) > 2:
            point["z"] = value[2]
        return point
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


class _NoType:
    """Of which nothing is an instance."""


_NO_DRIVER = SimpleNamespace(Node=_NoType, Relationship=_NoType, Path=_NoType, Point=_NoType, temporal=_NoType)


@cache
def _driver_types() -> Any:
    """The driver's value types, imported when a value that could be one is first met: the driver takes a third of
    a second to import, which a command that prints its help or version should not pay."""
    from neo4j.graph import Node, Path, Relationship
    from neo4j.spatial import Point
    from neo4j.time import Date, DateTime, Duration, Time

    return SimpleNamespace(
        Node=Node, Relationship=Relationship, Path=Path, Point=Point, temporal=(Date, DateTime, Time, Duration)
    )


def _plain_map(entity: Node | Relationship) -> dict[str, Any]:
    return {key: plain(entity[key]) for key in sorted(entity.keys())}
