"""queries/README.md: every label and relationship type it names exists in the loaded dataset, and its worked
examples run and answer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.server.connection import Connection

pytestmark = pytest.mark.graph
README = (Path(__file__).resolve().parent.parent / "queries" / "README.md").read_text(encoding="utf-8")
CYPHER_BLOCKS = re.findall(r"```cypher\n(.*?)```", README, re.S)
EXAMPLES = [block for block in CYPHER_BLOCKS if not block.lstrip().startswith("//")]


@pytest.fixture(scope="module")
def dataset(bundled_dataset: Connection) -> Connection:
    return bundled_dataset


def names_in_readme(pattern: str) -> set[str]:
    return set(re.findall(pattern, README))


def test_every_label_and_relationship_type_named_exists(dataset: Connection) -> None:
    labels = names_in_readme(r"\(\w*:([A-Z]\w+)")  # (:Material), (m:Material
    types = names_in_readme(r"\[\w*:([A-Z_]+)")  # [:USED_IN], [r:USED_IN
    assert {"Material", "SupplyShare", "ExportControl"} <= labels and {"USED_IN", "SUPPLIER"} <= types
    with dataset.driver.session(database=dataset.database) as session:
        present_labels = {r["label"] for r in session.run("CALL db.labels() YIELD label RETURN label")}
        present_types = {r["type"] for r in session.run("MATCH ()-[r]->() RETURN DISTINCT type(r) AS type")}
    assert sorted(labels - present_labels) == []
    assert sorted(types - present_types) == []


@pytest.mark.parametrize("example", EXAMPLES, ids=["dysprosium-products", "gallium-processing", "controls-on-date"])
def test_each_worked_example_answers(dataset: Connection, example: str) -> None:
    with dataset.driver.session(database=dataset.database) as session:
        rows = session.run(example).data()
    assert rows, "a worked example must answer on the bundled dataset"
    if "dysprosium" in example and "Product" in example:
        assert any(r["product"] == "Combustion-engine passenger car" for r in rows)
    if "gallium" in example:
        assert rows[0]["country"] == "China"
    if "ExportControl" in example:
        assert [r["reference"] for r in rows] == ["MOFCOM & GAC Announcement No. 18 [2025]"]
