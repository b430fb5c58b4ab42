"""`kg query` on each engine, through the CLI as a user runs it."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.cli.commands import app

from .backends import GraphDatabase

pytestmark = pytest.mark.graph
runner = CliRunner()

SEED = (
    "CREATE (ga:Resource:Material {uri: 'urn:t:ga', name: 'gallium', altLabels: ['Ga'], critical: true,"
    " since: date('2023-08-01')})"
    "-[:USED_IN {share: 0.5}]->(:Resource:Intermediate {uri: 'urn:t:gan', name: 'GaN wafer'})"
)


def kg(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_a_write_is_refused_without_write(cli_env: dict[str, str]) -> None:
    code, _, err = kg(cli_env, "query", "CREATE (:Material {name: 'x'})")
    assert code == 1
    assert err.strip() == (
        "error: the query would write to the graph: CREATE at line 1, column 1 "
        "(run it again with --write to allow writes)"
    )
    code, out, _ = kg(cli_env, "query", "MATCH (n) RETURN count(n) AS n", "--format", "json")
    assert code == 0
    assert json.loads(out) == [{"n": 0}]


def test_a_write_in_transactions_is_refused_in_one_line_and_changes_nothing(cli_env: dict[str, str]) -> None:
    # CALL { … } IN TRANSACTIONS commits on its own on the embedded server: only the text check stops it.
    code, out, err = kg(cli_env, "query", "CALL () { CREATE (:X) } IN TRANSACTIONS")
    assert code == 1
    assert out == ""
    assert err == (
        "error: the query would write to the graph: CREATE at line 1, column 11 "
        "(run it again with --write to allow writes)\n"
    )
    code, out, _ = kg(cli_env, "query", "MATCH (n) RETURN count(n) AS n", "--format", "json")
    assert (code, json.loads(out)) == (0, [{"n": 0}])
    code, out, _ = kg(cli_env, "query", "CALL db.labels() YIELD label RETURN label", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_write_flag_allows_writes(cli_env: dict[str, str]) -> None:
    code, _, err = kg(cli_env, "query", SEED, "--write")
    assert code == 0, err
    code, out, _ = kg(cli_env, "query", "MATCH (n) RETURN count(n) AS n", "-f", "json")
    assert json.loads(out) == [{"n": 2}]


def test_json_renders_nodes_relationships_paths_and_dates(cli_env: dict[str, str]) -> None:
    assert kg(cli_env, "query", SEED, "--write")[0] == 0
    code, out, err = kg(
        cli_env,
        "query",
        "MATCH p = (m:Material {name: $name})-[r:USED_IN]->(i) RETURN m, r, p, m.since AS since, $hops AS hops",
        "-p",
        "name=gallium",
        "-p",
        "hops=3",
        "--format",
        "json",
    )
    assert code == 0, err
    gallium = {
        "labels": ["Material", "Resource"],
        "properties": {
            "altLabels": ["Ga"],
            "critical": True,
            "name": "gallium",
            "since": "2023-08-01",
            "uri": "urn:t:ga",
        },
    }
    wafer = {"labels": ["Intermediate", "Resource"], "properties": {"name": "GaN wafer", "uri": "urn:t:gan"}}
    used_in = {"type": "USED_IN", "properties": {"share": 0.5}}
    assert json.loads(out) == [
        {
            "m": gallium,
            "r": used_in,
            "p": {"nodes": [gallium, wafer], "relationships": [used_in]},
            "since": "2023-08-01",
            "hops": 3,
        }
    ]


def test_csv_and_markdown_output(cli_env: dict[str, str]) -> None:
    assert kg(cli_env, "query", SEED, "--write")[0] == 0
    text = "MATCH (m:Material) RETURN m.name AS name, m.altLabels AS alt"
    assert kg(cli_env, "query", text, "-f", "csv")[1] == 'name,alt\ngallium,"[""Ga""]"\n'
    assert kg(cli_env, "query", text, "-f", "md")[1] == '| name | alt |\n| --- | --- |\n| gallium | ["Ga"] |\n'


def test_table_output_shows_rows_and_count(cli_env: dict[str, str]) -> None:
    assert kg(cli_env, "query", SEED, "--write")[0] == 0
    code, out, _ = kg(cli_env, "query", "MATCH (m:Material) RETURN m.name AS name")
    assert code == 0
    assert "gallium" in out
    assert "1 row(s)" in out


# Each server words the error its own way (README, "Where the embedded default differs from Neo4j"); kg gives it
# one line, with the line and column counted from 1 on both.
SYNTAX_ERRORS = {
    "embedded": "Unexpected input 'RETRN'",
    "neo4j": "Invalid input 'RETRN': expected a graph pattern, 'FOREACH', ',', 'ORDER BY', 'CALL', 'CREATE', "
    "'LOAD CSV', 'DELETE', 'DETACH', 'FINISH', 'INSERT', 'LIMIT', 'MATCH', 'MERGE', 'NODETACH', 'OFFSET', "
    "'OPTIONAL', 'REMOVE', 'RETURN', 'SET', 'SKIP', 'UNION', 'UNWIND', 'USE', 'USING', 'WHERE', 'WITH' or <EOF>",
}


def test_syntax_errors_are_one_line_with_line_and_column(cli_env: dict[str, str], database: GraphDatabase) -> None:
    code, out, err = kg(cli_env, "query", "MATCH (n)\nRETRN n")
    assert code == 1
    assert out == ""
    assert err.strip() == f"error: Cypher syntax error at line 2, column 1: {SYNTAX_ERRORS[database.backend]}"


def test_a_malformed_parameter_is_a_usage_error(cli_env: dict[str, str]) -> None:
    code, _, err = kg(cli_env, "query", "RETURN $x AS x", "-p", "x")
    assert code == 2
    assert "Invalid value for --param" in err


def test_query_from_standard_input(cli_env: dict[str, str]) -> None:
    result = runner.invoke(app, ["query", "-", "-f", "json"], env=cli_env, input="RETURN 40 + 2 AS answer")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [{"answer": 42}]


def every_help_text() -> list[tuple[str, str]]:
    """(command and option, help) for every command and parameter of `kg`."""
    import typer.main

    found: list[tuple[str, str]] = []

    def walk(command: Any, path: str) -> None:
        found.append((path, command.help or ""))
        for parameter in command.params:
            found.append((f"{path} {parameter.name}", getattr(parameter, "help", None) or ""))
        for name, sub in (getattr(command, "commands", None) or {}).items():
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "kg")
    return found


def test_no_help_text_holds_brackets_that_rich_would_take_for_markup() -> None:
    # `kg query --help` printed "(0: no limit) ." : its "[default: KG_QUERY_TIMEOUT, else 60]" was read as markup.
    helps = every_help_text()
    assert len(helps) > 50
    assert [(where, text) for where, text in helps if re.search(r"(?<!\\)\[[A-Za-z/]", text)] == []
