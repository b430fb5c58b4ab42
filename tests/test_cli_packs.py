"""`kg packs list|show|run` with an analyst's own pack folder (--queries-dir and KG_QUERIES_DIR)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.commands import app
from kg.core.resources import queries_dir
from kg.cypher.packs import cypher_literal, load_packs, neo4j_browser_text
from kg.cypher.querying import run_query
from kg.server.connection import Connection

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "packs" / "good"
runner = CliRunner()
SEED = (
    "CREATE (:Resource:Material {uri: 'urn:t:ga', name: 'gallium', altLabels: ['Ga']})-[:USED_IN]->"
    "(:Resource:Intermediate:Material {uri: 'urn:t:gan', name: 'GaN wafer'})"
)


def flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def test_list_includes_an_analysts_own_pack() -> None:
    result = runner.invoke(app, ["packs", "list", "--queries-dir", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    assert "material_uses demo What a material goes into directly." in flat(result.stdout)


def test_show_prints_the_header_and_the_cypher() -> None:
    result = runner.invoke(app, ["packs", "show", "material_uses"], env={"KG_QUERIES_DIR": str(FIXTURES)})
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "param material (string), e.g. 'gallium' -- a material's name" in text
    assert "returns: name (string), uses (list of string)" in text
    assert "MATCH (m:Material)" in text


def test_an_unknown_query_names_the_closest() -> None:
    result = runner.invoke(app, ["packs", "show", "material_use", "--queries-dir", str(FIXTURES)])
    assert result.exit_code == 1
    # the bundled packs are searched too, so more names may follow; the closest comes first
    assert result.stderr.strip().startswith("error: no query named 'material_use'; closest: material_uses")


@pytest.mark.graph
def test_run_uses_examples_and_given_parameters(cli_env: dict[str, str]) -> None:
    assert runner.invoke(app, ["query", SEED, "--write"], env=cli_env).exit_code == 0
    base = ["packs", "run", "material_uses", "--queries-dir", str(FIXTURES), "-f", "json"]
    by_example = runner.invoke(app, base, env=cli_env)
    assert by_example.exit_code == 0, by_example.output
    assert json.loads(by_example.stdout) == [{"name": "gallium", "uses": ["GaN wafer"]}]
    limited = runner.invoke(app, [*base, "-p", "limit=0", "-p", "material=GALLIUM"], env=cli_env)
    assert json.loads(limited.stdout) == [{"name": "gallium", "uses": []}]
    wrong = runner.invoke(app, [*base, "-p", "limit=ten"], env=cli_env)
    assert wrong.exit_code == 1
    assert wrong.stderr.strip() == "error: parameter limit of query material_uses must be of type integer, not 'ten'"


def test_show_for_neo4j_browser_prints_param_lines_then_the_cypher() -> None:
    result = runner.invoke(
        app, ["packs", "show", "material_uses", "--neo4j-browser"], env={"KG_QUERIES_DIR": str(FIXTURES)}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # the examples of the fixture's header, in its order
    assert lines[:3] == [':param material => "gallium"', ":param limit => 10", ""]
    assert "MATCH (m:Material)" in result.stdout


@pytest.mark.graph
def test_every_bundled_querys_param_lines_are_cypher_giving_its_examples(connection: Connection) -> None:
    """Neo4j Browser evaluates the right of `:param name => …` as Cypher: ours must give back the examples."""
    for query in load_packs([queries_dir()]).values():
        lines = [line for line in neo4j_browser_text(query).splitlines() if line.startswith(":param ")]
        assert len(lines) == len(query.params), query.name
        for line, param in zip(lines, query.params, strict=True):
            name, expression = line.removeprefix(":param ").split(" => ", 1)
            assert name == param.name
            value = run_query(connection, f"RETURN {expression} AS value").rows[0][0]
            assert value == param.example and type(value) is type(param.example), (query.name, name)


def test_cypher_literals_quote_what_needs_quoting() -> None:
    value = {"a b": ["it's", 'say "x"', 1.5, None, True], "n": {"k": -2}}
    assert cypher_literal(value) == '{`a b`: ["it\'s", "say \\"x\\"", 1.5, null, true], n: {k: -2}}'


@pytest.mark.parametrize(
    ("query", "given", "problem"),
    [
        ("downstream_chains", "max_hops=1000", "parameter max_hops of query downstream_chains must be from 1 to 12"),
        ("downstream_chains", "max_hops=0", "parameter max_hops of query downstream_chains must be from 1 to 12"),
        ("material_concentration", "as_of=2025-6-1", "parameter as_of of query material_concentration must be a date"),
    ],
)
def test_run_refuses_what_the_page_refuses_before_connecting(query: str, given: str, problem: str) -> None:
    # the page refused max_hops=1000 while `kg packs run` ran it: the check is the pack's own now
    refused = runner.invoke(app, ["packs", "run", query, "-p", given], env={"KG_DATA_DIR": "/nonexistent/kg"})
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"error: {problem}")
