"""upstream_chains and downstream_chains count chains without listing them: on a diamond lattice whose number of
chains is known in closed form (2^d through d levels of two parts each), and on the hand-drawn seed graph."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.cypher.packs import load_packs
from kg.server.connection import Connection

from .conftest import Backend, loaded_database

pytestmark = pytest.mark.graph

ROOT = Path(__file__).resolve().parents[1]
QUERIES = load_packs([ROOT / "queries"])
SEED = ROOT / "tests" / "fixtures" / "packs" / "seed-chains.ttl"
DEPTH = 10  # levels of the lattice: 2^10 chains of 11 steps, within the 12 the queries follow


def lattice(depth: int) -> str:
    """M goes into A0 and B0; A_i and B_i each take both of A_{i-1} and B_{i-1}; T takes A_{d-1} and B_{d-1}.
    So 2^d chains lead from M to T, each of d + 1 steps; the link M -> A0 is marked additive, so half of them
    (those through B0) have no additive link."""
    base = "https://w3id.org/crm-kg/id/lattice/"
    lines = [
        "@prefix crm: <https://w3id.org/crm-kg/ontology#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        f"<{base}M> a crm:Material ; rdfs:label \"lattice material\" ; crm:usedIn <{base}A0>, <{base}B0> .",
        f"<{base}T> a crm:Product ; rdfs:label \"lattice top\" .",
        f"<{base}k> a crm:Constituent ; crm:material <{base}M> ; crm:constituentOf <{base}A0> ; "
        "crm:constituentRole \"additive\" .",
    ]
    for level in range(depth):
        above = [f"<{base}A{level + 1}>", f"<{base}B{level + 1}>"] if level < depth - 1 else [f"<{base}T>"]
        for side in "AB":
            lines.append(
                f"<{base}{side}{level}> a crm:Component ; rdfs:label \"lattice {side}{level}\" ; "
                f"crm:usedIn {', '.join(above)} ."
            )
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def diamond(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connection]:
    path = tmp_path_factory.mktemp("lattice") / "lattice.ttl"
    path.write_text(lattice(DEPTH), encoding="utf-8")
    yield from loaded_database(backend, "lattice", [path])


@pytest.fixture(scope="module")
def seeded(backend: Backend) -> Iterator[Connection]:
    yield from loaded_database(backend, "chaincount", [SEED])


def rows(connection: Connection, name: str, /, **params: Any) -> list[dict[str, Any]]:
    query = QUERIES[name]
    with connection.driver.session(database=connection.database) as session:
        return [record.data() for record in session.run(query.text, query.check_parameters(params))]


def test_the_lattice_has_two_to_the_depth_chains_counted_exactly(diamond: Connection) -> None:
    [row] = rows(diamond, "upstream_chains", name="lattice top", max_hops=12)
    assert row["material"] == "lattice material"
    assert row["chains"] == 2**DEPTH and row["main_chains"] == 2 ** (DEPTH - 1)
    assert row["hops"] == DEPTH + 1 and len(row["path"]) == DEPTH + 2
    # the first chain by names goes through the A side all the way
    assert row["path"] == ["lattice material", *(f"lattice A{i}" for i in range(DEPTH)), "lattice top"]
    # too few steps allowed: no chain is that short
    assert rows(diamond, "upstream_chains", name="lattice top", max_hops=DEPTH) == []


def test_downstream_counts_the_same_chains(diamond: Connection) -> None:
    found = {r["name"]: r for r in rows(diamond, "downstream_chains", material="lattice material", max_hops=12)}
    assert found["lattice top"]["chains"] == 2**DEPTH and found["lattice top"]["main_chains"] == 2 ** (DEPTH - 1)
    # a component at level i is reached by 2^i chains (two ways into each level after the first)
    for level in range(DEPTH):
        assert found[f"lattice A{level}"]["chains"] == 2**level and found[f"lattice A{level}"]["hops"] == level + 1
    assert found["lattice A0"]["main_chains"] == 0 and found["lattice B0"]["main_chains"] == 1


def test_upstream_of_the_seeded_wheel_speed_sensor(seeded: Connection) -> None:
    # worked out from the drawing in seed-chains.ttl's header: dysprosium oxide goes into the magnet directly
    # and through the alloy, so it and dysprosium reach the sensor by two chains
    found = {r["material"]: (r["hops"], r["chains"], r["main_chains"]) for r in rows(seeded, "upstream_chains")}
    assert found == {
        "sintered NdFeB magnet": (1, 1, 1),
        "NdFeB alloy": (2, 1, 1),
        "dysprosium oxide": (2, 2, 2),
        "NdPr oxide": (3, 1, 1),
        "boron": (3, 1, 1),
        "dysprosium": (3, 2, 2),
        "neodymium": (4, 1, 1),
    }


def test_the_chains_themselves_come_a_page_at_a_time_and_add_up(diamond: Connection) -> None:
    pages = [
        rows(diamond, "chains_between", material="lattice material", name="lattice top", max_hops=12, skip=skip,
             limit=100)
        for skip in range(0, 2**DEPTH + 100, 100)
    ]
    assert [len(page) for page in pages] == [100] * 10 + [24, 0]
    chains = [tuple(row["chain"]) for page in pages for row in page]
    assert len(set(chains)) == 2**DEPTH  # every chain once: the pages neither overlap nor leave one out
    assert all(len(chain) == DEPTH + 2 and chain[0] == "lattice material" and chain[-1] == "lattice top"
               for chain in chains)
