"""The RDF loader on each engine: idempotency, atomicity, named graphs, dry runs, SHACL gate."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import neo4j.exceptions
import pytest
from typer.testing import CliRunner

from kg.cli.commands import app
from kg.core.errors import ConcurrentLoadConflict, ConfigError
from kg.core.resources import bundled_data_files, ontology_file
from kg.cypher.querying import run_query
from kg.cypher.schema import ensure_schema
from kg.server.connection import Connection
from loaders.graph import cypher_text
from loaders.graph.config import n10s_config, readable_config
from loaders.graph.races import lost_a_race
from loaders.graph.unload import unload_graph
from loaders.rdf.load import LoadOptions
from loaders.rdf.pipeline import load_rdf_files
from loaders.rdf.source import rdf_file

from .graph_snapshot import snapshot

pytestmark = pytest.mark.graph
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "loading"
runner = CliRunner()


def load(connection: Connection, *paths: Path, batch_size: int = 20_000, graph: str = "", validate: bool = False):  # type: ignore[no-untyped-def]
    options = LoadOptions(readable_config(), batch_size=batch_size, graph=graph)
    return load_rdf_files(connection, [rdf_file(p) for p in paths], options, validate_first=validate)


def test_loading_the_bundled_dataset_twice_changes_nothing(connection: Connection) -> None:
    files = [ontology_file(), *bundled_data_files()]
    first = load(connection, *files)
    assert all(o.loaded for o in first), [o.error for o in first]
    before = snapshot(connection)
    second = load(connection, *files)
    assert all(o.loaded for o in second)
    assert sum(o.report.counts.nodes_created + o.report.counts.nodes_updated for o in second if o.report) == 0
    assert sum(o.report.counts.relationships_created for o in second if o.report) == 0
    assert snapshot(connection) == before


def test_small_batches_give_the_same_graph_as_one_batch(connection: Connection) -> None:
    load(connection, FIXTURES / "sixty-parts.ttl", batch_size=7)
    small = snapshot(connection, resources_only=True)
    with connection.driver.session(database=connection.database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    load(connection, FIXTURES / "sixty-parts.ttl")
    assert snapshot(connection, resources_only=True) == small
    nodes, relationships = small
    # ex: is not crm-kg's namespace, so its names are shortened as n10s does (ns0__Component)
    assert len([u for u, (labels, _) in nodes.items() if "ns0__Component" in labels]) == 60
    assert len(relationships) == 60


def test_a_syntax_error_near_the_end_writes_nothing_from_the_file(connection: Connection) -> None:
    load(connection, FIXTURES / "two-graphs.trig")
    before = snapshot(connection)
    (outcome,) = load(connection, FIXTURES / "broken-near-end.ttl", batch_size=5)
    assert not outcome.loaded
    assert outcome.error is not None
    assert outcome.error.startswith(f"{FIXTURES / 'broken-near-end.ttl'}:62:")
    assert snapshot(connection) == before


def test_a_database_failure_mid_file_rolls_the_whole_file_back(
    connection: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(connection, FIXTURES / "two-graphs.trig")
    before = snapshot(connection)
    calls = {"n": 0}
    real = cypher_text.relationships_of_default_graph
    real_with_nodes = cypher_text.create_nodes_with_relationships
    broken = "UNWIND $rows AS row RETURN row.nonsense("

    # The third batch of relationships (created alone, or with their start nodes) reaches the server as a
    # statement it rejects, after two were written.
    def failing_on_the_third_batch(relationship_type: str, **how: Any) -> str:
        calls["n"] += 1
        return broken if calls["n"] == 3 else real(relationship_type, **how)

    def failing_with_nodes_on_the_third_batch(
        labels: Iterable[str], relationship_types: Sequence[str], **how: Any
    ) -> str:
        calls["n"] += 1
        return broken if calls["n"] == 3 else real_with_nodes(labels, relationship_types, **how)

    monkeypatch.setattr(cypher_text, "relationships_of_default_graph", failing_on_the_third_batch)
    monkeypatch.setattr(cypher_text, "create_nodes_with_relationships", failing_with_nodes_on_the_third_batch)
    (outcome,) = load(connection, FIXTURES / "sixty-parts.ttl", batch_size=10)
    assert calls["n"] >= 3
    assert not outcome.loaded
    assert "the database refused the load" in (outcome.error or "")
    assert snapshot(connection) == before


def test_unloading_a_named_graph_leaves_what_the_other_graph_alone_would_give(
    connection: Connection,
) -> None:
    (outcome,) = load(connection, FIXTURES / "two-graphs.trig")
    assert outcome.loaded
    report = unload_graph(connection, "http://example.org/graphs/usgs")
    after_unload = snapshot(connection, resources_only=True)
    assert report.nodes_deleted == 0  # gallium and China are also in the suppliers graph
    assert report.relationships_deleted == 1  # gallium PRODUCED_IN China was the usgs graph's alone
    with connection.driver.session(database=connection.database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    load(connection, FIXTURES / "suppliers-only.trig")
    assert after_unload == snapshot(connection, resources_only=True)


def test_a_label_one_graph_asserts_is_not_inferred_by_another_and_survives_its_unload(
    connection: Connection, tmp_path: Path
) -> None:
    # issue 13: file A says gallium is a Material; file B, loaded as graph B, that it is an Intermediate (a subclass
    # of Material). The RDF loader marked Material inferred (by B), so unloading B removed it, though A asserts it.
    crm = "https://w3id.org/crm-kg/ontology#"
    node = "<https://w3id.org/crm-kg/id/material/x>"
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    a.write_text(f"{node} a <{crm}Material> .\n", encoding="utf-8")
    b.write_text(f"{node} a <{crm}Intermediate> .\n", encoding="utf-8")
    ensure_schema(connection)
    assert all(o.loaded for o in load(connection, a))
    assert all(o.loaded for o in load(connection, b, graph="urn:graph:B"))
    [(labels, inferred)] = run_query(
        connection, "MATCH (n {uri: 'https://w3id.org/crm-kg/id/material/x'}) RETURN labels(n), n._inferredLabels"
    ).rows
    assert sorted(labels) == ["Intermediate", "Material", "Resource"]
    assert not inferred  # Material was asserted by A before B implied it
    unload_graph(connection, "urn:graph:B")
    [(labels,)] = run_query(connection, "MATCH (n {uri: 'https://w3id.org/crm-kg/id/material/x'}) "
                            "RETURN labels(n)").rows
    assert sorted(labels) == ["Material", "Resource"]


def test_graph_option_names_the_graph_of_a_triple_file_and_unload_removes_it(connection: Connection) -> None:
    load(connection, FIXTURES / "two-graphs.trig")
    before = snapshot(connection, resources_only=True)
    (outcome,) = load(connection, FIXTURES / "sixty-parts.ttl", graph="urn:graph:parts")
    assert outcome.loaded
    with connection.driver.session(database=connection.database) as session:
        graphs = session.run("MATCH (n:ns0__Component) RETURN DISTINCT n._graphs AS g").data()
    assert graphs == [{"g": ["urn:graph:parts"]}]
    report = unload_graph(connection, "urn:graph:parts")
    assert report.nodes_deleted == 67  # 60 parts and the 7 products they are used in
    assert snapshot(connection, resources_only=True) == before


def test_dry_run_writes_nothing_and_counts_what_it_would(cli_env: dict[str, str]) -> None:
    result = runner.invoke(app, ["load", str(FIXTURES / "sixty-parts.ttl"), "--dry-run"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "1 of 1 file(s) checked: 180 statements, 67 nodes created" in " ".join(result.stdout.split())
    count = runner.invoke(app, ["query", "MATCH (n) RETURN count(n) AS n", "-f", "json"], env=cli_env)
    assert json.loads(count.stdout) == [{"n": 0}]


def test_a_bad_file_among_good_ones_is_named_and_the_good_ones_load(cli_env: dict[str, str], tmp_path: Path) -> None:
    for name in ("sixty-parts.ttl", "broken-near-end.ttl"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    result = runner.invoke(app, ["load", str(tmp_path)], env=cli_env)
    assert result.exit_code == 1
    flat = " ".join(result.stdout.split())
    assert "1 of 2 file(s) loaded" in flat
    assert f"error: {tmp_path / 'broken-near-end.ttl'}:62:" in result.stderr
    count = runner.invoke(app, ["query", "MATCH (n:ns0__Component) RETURN count(n) AS n", "-f", "json"], env=cli_env)
    assert json.loads(count.stdout) == [{"n": 60}]


def test_data_in_our_namespace_that_breaks_the_shapes_is_not_loaded(cli_env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad-share.ttl"
    bad.write_text(
        "@prefix crm: <https://w3id.org/crm-kg/ontology#> .\n"
        "@prefix id: <https://w3id.org/crm-kg/id/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<https://w3id.org/crm-kg/id/share/test-bad> a crm:SupplyShare ;\n"
        "    crm:material <https://w3id.org/crm-kg/id/material/gallium> ;\n"
        "    crm:supplier <https://w3id.org/crm-kg/id/country/CN> ;\n"
        "    crm:stage <https://w3id.org/crm-kg/id/stage/processing> ;\n"
        "    crm:scope crm:World ;\n"
        '    crm:share "1.4"^^xsd:decimal ;\n'
        '    crm:referenceYear "2024"^^xsd:integer ;\n'
        "    crm:source <https://w3id.org/crm-kg/id/source/USGS_MCS2026_GA> .\n"
    )
    result = runner.invoke(app, ["load", str(bad)], env=cli_env)
    assert result.exit_code == 1
    assert f"error: {bad}: 1 SHACL violation(s), first: focus id:share/test-bad: crm:share:" in " ".join(
        result.stderr.split()
    )
    count = runner.invoke(app, ["query", "MATCH (n) RETURN count(n) AS n", "-f", "json"], env=cli_env)
    assert json.loads(count.stdout) == [{"n": 0}]
    loaded = runner.invoke(app, ["load", str(bad), "--no-validate"], env=cli_env)
    assert loaded.exit_code == 0


@pytest.mark.only_on("embedded", reason="one name as label and type: the embedded server cannot hold it "
                     "(tests/test_engine_differences.py)")
def test_a_name_both_label_and_relationship_type_is_refused_on_the_embedded_server(
    connection: Connection, tmp_path: Path
) -> None:
    clash = tmp_path / "clash.ttl"
    clash.write_text("@prefix : <http://example.org/base#> .\n:a :b :c .\n:x a :b .\n")
    (outcome,) = load(connection, clash)
    assert not outcome.loaded
    assert outcome.error == (
        f"{clash}: 'ns0__b' would be both a label and a relationship type, which the embedded server cannot hold "
        "(it keeps both as one set of types); give one of them another name (handleVocabUris MAP with mappings "
        "in a graph config), or load this data into Neo4j"
    )
    assert snapshot(connection) == ({}, [])


# -- names that data may not write (issue 12, item 2) ----------------------------------------------------------------

HIJACK = """\
<https://w3id.org/crm-kg/id/material/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .
<https://w3id.org/crm-kg/id/material/x> <http://attacker.example/v#uri> "urn:hijacked:x" .
<https://w3id.org/crm-kg/id/material/x> <http://attacker.example/v#_graphs> "evil" .
<https://w3id.org/crm-kg/id/material/x> <http://attacker.example/v#@rid> "#1:1" .
"""


def test_data_cannot_write_the_key_or_the_bookkeeping_under_ignore(connection: Connection, tmp_path: Path) -> None:
    path = tmp_path / "hijack.nt"
    path.write_text(HIJACK, encoding="utf-8")
    ensure_schema(connection)
    options = LoadOptions(n10s_config({"handleVocabUris": "IGNORE"}))
    (outcome,) = load_rdf_files(connection, [rdf_file(path)], options, validate_first=False)
    assert outcome.loaded, outcome.error
    with connection.driver.session(database=connection.database) as session:
        found = session.run("MATCH (n:Resource) RETURN n.uri AS uri, properties(n) AS props").data()
    assert [f["uri"] for f in found] == ["https://w3id.org/crm-kg/id/material/x"]  # the node keeps its key
    props = found[0]["props"]
    # each reserved name is written as SHORTEN would write it: with its namespace's prefix; nothing is lost
    assert (props["ns0__uri"], props["ns0___graphs"], props["ns0__@rid"]) == ("urn:hijacked:x", "evil", "#1:1")
    assert "_graphs" not in props
    (again,) = load_rdf_files(connection, [rdf_file(path)], options, validate_first=False)
    assert again.loaded, again.error
    assert unload_graph(connection, "urn:graph:other").nodes_deleted == 0  # the bookkeeping still reads


def test_a_mapping_to_a_reserved_name_is_refused() -> None:
    for name in ("uri", "_graphs", "@rid"):
        with pytest.raises(ConfigError, match=rf"^graph config: mappings: {re.escape(name)!s} \(for "
                           r"http://attacker\.example/v#p\) is a name crm-kg keeps for itself \(uri, and names "
                           r"starting with _ or @\); choose another"):
            n10s_config({"handleVocabUris": "MAP", "mappings": [{"iri": "http://attacker.example/v#p", "name": name}]})


def test_a_load_retries_what_may_be_a_race_with_another_load_and_nothing_else() -> None:
    # issue 12: two loads of one file at once; the embedded server reports a statement that met the other load's
    # uncommitted nodes with its generic error, so that is retried (a few times), a constraint refusal more often,
    # and anything else not at all
    def error(code: str, message: str) -> neo4j.exceptions.Neo4jError:
        return neo4j.exceptions.Neo4jError._hydrate_neo4j(code=code, message=message)

    generic = error("Neo.DatabaseError.General.UnknownError", "Error executing Cypher command: MERGE (n:X)")
    duplicated = error("Neo.DatabaseError.General.UnknownError", "Duplicated key [x] found on index 'kg_term'")
    constraint = error("Neo.ClientError.Schema.ConstraintValidationFailed", "Node(1) already exists")
    type_race = error("Neo.ClientError.Statement.SemanticError", "Error executing Cypher command: UNWIND $rows AS row")
    syntax = error("Neo.ClientError.Statement.SyntaxError", "Invalid input 'X'")
    assert lost_a_race(ConcurrentLoadConflict("prefix ns0 taken"), "neo4j") == "race"
    assert [lost_a_race(e, "embedded") for e in (generic, duplicated, constraint, type_race, syntax)] == [
        "maybe", "race", "race", "maybe", None]
    assert lost_a_race(generic, "neo4j") is None  # Neo4j names its conflicts; a generic error there is not one


def test_a_name_too_long_to_store_is_named_with_its_statement_and_nothing_is_written(
    connection: Connection, tmp_path: Path
) -> None:
    # issue 12, item 13: a 100,000-character local name ended in "Transaction error on commit"
    path = tmp_path / "long.nt"
    local = "p" * 100_000
    path.write_text('<http://ex.org/a> <http://ex.org/v#short> "kept?" .\n'
                    f'<http://ex.org/a> <http://ex.org/v#{local}> "x" .\n')
    ensure_schema(connection)
    (outcome,) = load_rdf_files(connection, [rdf_file(path)], LoadOptions(readable_config()), validate_first=False)
    assert not outcome.loaded
    assert outcome.error is not None and outcome.error.startswith(
        f"{path}: statement 2 (<http://ex.org/a> <http://ex.org/v#{local[:60]}"
    )
    assert "cannot be stored: it is 100,005 characters long, more than the 16,384 crm-kg allows" in outcome.error
    assert len(outcome.error) < 600 and "\n" not in outcome.error
    assert snapshot(connection) == ({}, [])


def test_an_iri_without_a_local_name_under_ignore_is_one_line(connection: Connection, tmp_path: Path) -> None:
    # issue 12: a class or predicate IRI ending in / under IGNORE ended in "kg failed unexpectedly (ValueError)"
    path = tmp_path / "slash.nt"
    path.write_text('<http://ex.org/a> <http://ex.org/p/> "x" .\n'
                    "<http://ex.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/C/> .\n")
    ensure_schema(connection)
    options = LoadOptions(n10s_config({"handleVocabUris": "IGNORE"}))
    (outcome,) = load_rdf_files(connection, [rdf_file(path)], options, validate_first=False)
    assert not outcome.loaded
    assert outcome.error == (f"{path}: http://ex.org/C/ has no local name to name a label after (handleVocabUris "
                             "IGNORE): use SHORTEN, or MAP it to a name")
    assert snapshot(connection) == ({}, [])
