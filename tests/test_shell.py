"""`kg shell` on the real server: multi-line statements, :param, :packs, :run, :schema, read-only by default."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.commands import app
from kg.cli.shell import Shell
from kg.cypher.packs import load_packs
from kg.cypher.results import QueryResult
from kg.server.connection import Connection

pytestmark = pytest.mark.graph
PACKS = Path(__file__).resolve().parent / "fixtures" / "packs" / "good"
SEED = (
    "CREATE (:Resource:Material {uri: 'urn:t:ga', name: 'gallium'})-[:USED_IN]->"
    "(:Resource:Material:Intermediate {uri: 'urn:t:gan', name: 'GaN wafer'});"
)


def shell_on(connection: Connection, *, write: bool = False) -> tuple[Shell, list[QueryResult | str]]:
    shown: list[QueryResult | str] = []
    return Shell(connection, load_packs([PACKS]), shown.append, write=write), shown


def test_a_statement_may_span_lines_and_use_parameters(connection: Connection) -> None:
    writer, shown = shell_on(connection, write=True)
    writer.feed(SEED)
    reader, shown = shell_on(connection)
    for line in [':param name => "GaN wafer"', "MATCH (m:Material)", "WHERE m.name = $name", "RETURN m.name AS n;"]:
        assert reader.prompt in ("kg> ", "...> ")
        reader.feed(line)
    assert shown[0] == "$name = 'GaN wafer'"
    assert shown[1] == QueryResult(("n",), (("GaN wafer",),))


def test_run_a_pack_query_with_the_parameters_set(connection: Connection) -> None:
    writer, _ = shell_on(connection, write=True)
    writer.feed(SEED)
    shell, shown = shell_on(connection)
    shell.feed(":param limit => 5")
    shell.feed(":run material_uses")
    assert shown[-1] == QueryResult(("name", "uses"), (("gallium", ["GaN wafer"]),))
    shell.feed(":run material_use")
    assert shown[-1] == "no query named 'material_use'; closest: material_uses"


def test_read_only_unless_write(connection: Connection) -> None:
    shell, shown = shell_on(connection)
    shell.feed("CREATE (:Foo);")
    assert shown[-1] == (
        "error: the query would write to the graph: CREATE at line 1, column 1 "
        "(start kg shell with --write to allow writes)"
    )


def test_schema_lists_labels_and_types(connection: Connection) -> None:
    writer, _ = shell_on(connection, write=True)
    writer.feed(SEED)
    shell, shown = shell_on(connection)
    shell.feed(":schema")
    result = shown[-1]
    assert isinstance(result, QueryResult)
    assert ("label", "Material", 2) in result.rows
    assert ("relationship type", "USED_IN", 1) in result.rows
    assert ("property key", "uri", 2) in result.rows


def test_the_cli_reads_statements_from_standard_input(cli_env: dict[str, str]) -> None:
    runner = CliRunner()
    script = "RETURN 1 + 1 AS two;\n:quit\nRETURN 3 AS never;\n"
    result = runner.invoke(app, ["shell", "--queries-dir", str(PACKS)], env=cli_env, input=script)
    assert result.exit_code == 0, result.output
    assert "two" in result.stdout and "1 row(s)" in result.stdout
    assert "never" not in result.stdout
