"""`kg load` of a spreadsheet, `kg unload` and the option checks, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.commands import app

pytestmark = pytest.mark.graph
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples"
runner = CliRunner()


def flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def count(env: dict[str, str], cypher: str) -> int:
    result = runner.invoke(app, ["query", cypher, "-f", "json"], env=env)
    assert result.exit_code == 0, result.output
    return int(json.loads(result.stdout)[0]["n"])


def test_the_example_bill_of_materials_loads_links_and_unloads(cli_env: dict[str, str]) -> None:
    assert runner.invoke(app, ["load"], env=cli_env).exit_code == 0
    before = count(cli_env, "MATCH (n) RETURN count(n) AS n")
    bom = ["load", str(EXAMPLES / "brake-steering-bom.csv"), "--mapping", str(EXAMPLES / "brake-steering-bom.yaml")]
    first = runner.invoke(app, bom, env=cli_env)
    assert first.exit_code == 0, first.output
    assert "21 rows into graph example:brake-steering-bom" in flat(first.stdout)
    # the wheel-speed sensor of the bill of materials reaches dysprosium through the dataset's own chain
    reaches = count(
        cli_env,
        "MATCH (m:Material {name: 'dysprosium'})-[:USED_IN*1..8]->(p) "
        "WHERE 'example:brake-steering-bom' IN p._graphs RETURN count(DISTINCT p) AS n",
    )
    assert reaches > 0
    second = runner.invoke(app, bom, env=cli_env)
    assert "created 0 nodes and 0 relationships, updated 0 nodes and 0 relationships" in flat(second.stdout)
    unloaded = runner.invoke(app, ["unload", "--graph", "example:brake-steering-bom"], env=cli_env)
    assert unloaded.exit_code == 0, unloaded.output
    assert count(cli_env, "MATCH (n) RETURN count(n) AS n") == before


def test_a_spreadsheet_needs_its_mapping(cli_env: dict[str, str]) -> None:
    result = runner.invoke(app, ["load", str(EXAMPLES / "brake-steering-bom.csv")], env=cli_env)
    assert result.exit_code == 2
    assert "is a spreadsheet: give its --mapping" in flat(result.stderr)


def test_a_mapping_goes_with_exactly_one_spreadsheet(cli_env: dict[str, str]) -> None:
    result = runner.invoke(
        app, ["load", str(ROOT / "data" / "stages.ttl"), "--mapping", str(EXAMPLES / "brake-steering-bom.yaml")],
        env=cli_env,
    )
    assert result.exit_code == 2
    assert "--mapping goes with exactly one CSV or XLSX file" in flat(result.stderr)


def test_unload_refuses_the_default_graph(cli_env: dict[str, str]) -> None:
    result = runner.invoke(app, ["unload", "--graph", ""], env=cli_env)
    assert result.exit_code == 2
    assert "the default graph cannot be unloaded" in flat(result.stderr)
