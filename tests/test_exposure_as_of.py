"""The exposure model's dates, on a fixture built for them: an export control that takes effect, is suspended
and comes back raises the weight of the controlling country (t = 1.5) exactly while it is in force, and so moves
the controlled material above an otherwise identical one (queries/EXPOSURE.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.cli.commands import app
from kg.cypher.packs import load_packs
from kg.server.connection import Connection

from .backends import GraphDatabase
from .conftest import Backend, loaded_graph

pytestmark = pytest.mark.graph
ROOT = Path(__file__).resolve().parents[1]
QUERIES = load_packs([ROOT / "queries"])
runner = CliRunner()

# Two materials with the same figures (processing 2024: China 80%, Australia 20%) going into one part; only
# zetium's group is under China's control, in force from 2025-04-04, suspended 2025-11-10 to 2026-11-10 (its last
# day). WGI: China 6.0, Australia 2.0. So HHI_WGI,t = .8^2 x .6 x t + .2^2 x .2 = .384 t + .008.
FIXTURE = """
@prefix crm: <https://w3id.org/crm-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/crm-kg/id/asof/> .
crm:World a crm:ShareScope .
<https://w3id.org/crm-kg/id/stage/processing> a crm:Stage ; rdfs:label "processing" .
id:CN a crm:Country ; rdfs:label "China" ; crm:iso2 "CN" .
id:AU a crm:Country ; rdfs:label "Australia" ; crm:iso2 "AU" .
id:wgi-CN a crm:GovernanceScore ; crm:country id:CN ; crm:referenceYear 2023 ; crm:wgiScaled 6.0 .
id:wgi-AU a crm:GovernanceScore ; crm:country id:AU ; crm:referenceYear 2023 ; crm:wgiScaled 2.0 .
id:S a crm:Source ; dcterms:title "Test survey" .
id:G a crm:MaterialGroup ; rdfs:label "test group" .
id:Z a crm:Material ; rdfs:label "zetium" ; crm:memberOfGroup id:G ; crm:usedIn id:P .
id:A a crm:Material ; rdfs:label "alphium" ; crm:usedIn id:P .
id:P a crm:Component ; rdfs:label "test part" .
id:C a crm:ExportControl ; rdfs:label "test control" ; crm:issuedBy id:CN ; crm:coversMaterial id:G ;
    crm:legalReference "Test Announcement No. 1" ; crm:effectiveFrom "2025-04-04"^^xsd:date ;
    crm:suspendedFrom "2025-11-10"^^xsd:date ; crm:suspendedUntil "2026-11-10"^^xsd:date .
""" + "".join(
    f"""id:{m}-{c} a crm:SupplyShare ; crm:material id:{m} ; crm:stage <https://w3id.org/crm-kg/id/stage/processing> ;
    crm:scope crm:World ; crm:supplier id:{c} ; crm:share {share} ; crm:referenceYear 2024 ; crm:source id:S .
"""
    for m in ("Z", "A")
    for c, share in (("CN", 0.8), ("AU", 0.2))
)

# (date, in force)
DATES = [("2025-03-01", False), ("2025-06-01", True), ("2025-12-01", False), ("2026-11-10", False),
         ("2026-11-11", True)]


@pytest.fixture(scope="module")
def dated_graph(backend: Backend, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[tuple[GraphDatabase, Connection]]:
    path = tmp_path_factory.mktemp("asof") / "asof.ttl"
    path.write_text(FIXTURE, encoding="utf-8")
    yield from loaded_graph(backend, "asof", [path])


@pytest.fixture(scope="module")
def dated(dated_graph: tuple[GraphDatabase, Connection]) -> Connection:
    return dated_graph[1]


def rows(connection: Connection, name: str, /, **params: Any) -> list[dict[str, Any]]:
    query = QUERIES[name]
    with connection.driver.session(database=connection.database) as session:
        return [record.data() for record in session.run(query.text, query.check_parameters(params))]


@pytest.mark.parametrize(("as_of", "in_force"), DATES)
def test_the_trade_factor_applies_exactly_while_the_control_is_in_force(
    dated: Connection, as_of: str, in_force: bool
) -> None:
    found = {r["material"]: r for r in rows(dated, "material_concentration", materials=["zetium", "alphium"],
                                            as_of=as_of)}
    assert found["alphium"]["hhi_wgi_t"] == pytest.approx(0.392)
    assert found["zetium"]["hhi_wgi_t"] == pytest.approx(0.584 if in_force else 0.392)
    assert found["zetium"]["restricted_by"] == (["CN"] if in_force else [])
    profile = {r["material"]: r for r in rows(dated, "material_profile", materials=["zetium", "alphium"],
                                              as_of=as_of)}
    assert profile["zetium"]["controls_direct"] == (1 if in_force else 0)
    assert profile["zetium"]["controls"] == (
        ["test control [Test Announcement No. 1] (CN, in force since 2025-04-04)"] if in_force else []
    )
    assert profile["zetium"]["controls_via"] == (["test group"] if in_force else [])
    assert profile["alphium"]["controls"] == []


@pytest.mark.parametrize(("as_of", "in_force"), DATES)
def test_the_controlled_material_ranks_first_only_while_the_control_is_in_force(
    dated_graph: tuple[GraphDatabase, Connection], as_of: str, in_force: bool
) -> None:
    env = dict(dated_graph[0].env)
    result = runner.invoke(app, ["report", "exposure", "--component", "test part", "--as-of", as_of, "--format",
                                 "json"], env=env)
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.stdout)["Materials, ranked"]
    # out of force the two tie and the name decides: alphium first
    assert [r["material"] for r in ranked] == (["zetium", "alphium"] if in_force else ["alphium", "zetium"])
    zetium = next(r for r in ranked if r["material"] == "zetium")
    assert ("export control in force (CN)" in zetium["why"]) is in_force
