"""Loads that run at the same time: a load that finds another got in first is run again, whole.

Each load is one transaction. Two loads of files that share nodes, names or namespace prefixes can each create
what the other creates; the uniqueness constraints let one commit and refuse the other, which is then run again
from the graph as it is now (it finds the other's nodes and names, and merges into them).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Literal, TypeVar

import neo4j

from kg.core.errors import ConcurrentLoadConflict

T = TypeVar("T")

RACE_ATTEMPTS = 6
MAYBE_RACE_ATTEMPTS = 3  # a failure that may or may not be a race is tried at most this often


def retrying_races(backend: str, attempt: Callable[[], T]) -> T:
    """`attempt()`, run again (after a short random pause) while it fails because a concurrent load got in first."""
    for number in range(1, RACE_ATTEMPTS + 1):
        try:
            return attempt()
        except (ConcurrentLoadConflict, neo4j.exceptions.Neo4jError) as error:
            race = lost_a_race(error, backend)
            if number == RACE_ATTEMPTS or race is None or (race == "maybe" and number >= MAYBE_RACE_ATTEMPTS):
                raise
            time.sleep(random.uniform(0.05, 0.25) * number)  # let the other load finish its commit
    raise AssertionError("unreachable: the last attempt returns or raises")


def lost_a_race(error: Exception, backend: str) -> Literal["race", "maybe"] | None:
    """"race" when a load that ran at the same time got in first: ours saved second, or created a node it created
    too (the uniqueness constraints refuse it; Neo4j says ConstraintValidationFailed, the embedded server "Duplicated
    key"). "maybe" for the embedded server's generic "Error executing Cypher command" (under more than one code),
    which is how it also reports a statement that met another transaction's uncommitted nodes or a label type that
    another load created a moment before (seen in tests/test_concurrent_loads.py, about one run in five), though a
    statement it cannot run at all says the same. None for anything else."""
    if isinstance(error, ConcurrentLoadConflict):
        return "race"
    code = getattr(error, "code", "") or ""
    if code.endswith("ConstraintValidationFailed") or "Duplicated key" in str(error):
        return "race"
    message = getattr(error, "message", "") or ""
    if backend == "embedded" and message.startswith("Error executing Cypher command"):
        return "maybe"
    return None
