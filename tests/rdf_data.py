"""The expected side of tests that hold an answer to the data files: Turtle read with pyoxigraph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox


def turtle_store(*paths: Path) -> ox.Store:
    """An in-memory store holding the triples of these Turtle files."""
    store = ox.Store()
    for path in paths:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store
