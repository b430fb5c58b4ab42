"""`kg report` on the bundled dataset: what the headline reports say, the --as-of scenarios, unknown names, and
every format written to a file and read back."""

from __future__ import annotations

import html.parser
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.connection import Connection
from kg.embedded import EmbeddedServer

pytestmark = pytest.mark.graph
runner = CliRunner()


@pytest.fixture(scope="module")
def env(embedded: EmbeddedServer, bundled_dataset: Connection) -> dict[str, str]:
    """The environment that points `kg` at the session's shared copy of the bundled dataset."""
    assert bundled_dataset.database is not None
    return {"KG_DATA_DIR": str(embedded.data_dir), "NEO4J_DATABASE": bundled_dataset.database}


def report(env: dict[str, str], *args: str) -> Any:
    result = runner.invoke(app, ["report", *args, "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_gallium_reaches_semiconductors_and_cars(env: dict[str, str]) -> None:
    rows = report(env, "dependencies", "--material", "Ga", "--max-hops", "8")
    names = {r["name"] for r in rows}
    assert {"GaN power transistor", "GaN wafer"} <= names
    sectors = {r["name"] for r in rows if r["kind"] == "Sector"}
    assert "Automotive" in sectors
    assert any("semiconductor" in s.lower() or "digital" in s.lower() for s in sectors)
    for row in rows:
        assert row["path"][0] == "gallium" and row["path"][-1] == row["name"]
        assert row["hops"] == len(row["path"]) - 1


def test_neodymium_and_dysprosium_reach_sensors_motors_and_the_combustion_car(env: dict[str, str]) -> None:
    neodymium = {r["name"] for r in report(env, "dependencies", "--material", "neodymium", "--max-hops", "8")}
    assert any("sensor" in n.lower() for n in neodymium) and any("motor" in n.lower() for n in neodymium)
    dysprosium = {r["name"] for r in report(env, "dependencies", "--material", "dysprosium", "--max-hops", "8")}
    assert {"Wheel-speed sensor", "Combustion-engine passenger car"} <= dysprosium


def test_exposure_of_the_automotive_sector_is_sorted_worst_first(env: dict[str, str]) -> None:
    sections = report(env, "exposure", "--sector", "automotive")
    chains = sections["Chain-level exposure, worst first"]
    shares = [r["share"] for r in chains]
    known = [s for s in shares if s is not None]  # materials without a world figure come last
    assert shares == sorted(known, reverse=True) + [None] * (len(shares) - len(known))
    assert {"dysprosium", "gallium"} <= {r["material"] for r in chains if r["share"] is not None}
    assert all(r["source"] and r["year"] for r in chains if r["share"] is not None)


def test_exposure_summarises_each_material_once_worst_first(env: dict[str, str]) -> None:
    sections = report(env, "exposure", "--sector", "automotive")
    materials = sections["Materials, worst first"]
    names = [r["material"] for r in materials]
    assert len(names) == len(set(names))
    chains = sections["Chain-level exposure, worst first"]
    for row in materials:
        own = [c for c in chains if c["material"] == row["material"]]
        assert row["paths"] == len(own)
        assert row["share"] == own[0]["share"]  # the worst of its chains
    shown = runner.invoke(app, ["report", "exposure", "--sector", "automotive", "--max-rows", "3"], env=env)
    assert shown.exit_code == 0
    assert f"(the first 3 of {len(materials)} rows;" in " ".join(shown.stdout.split())


def test_scenario_changes_with_the_date_controls_took_effect(env: dict[str, str]) -> None:
    def controls(as_of: str) -> list[str]:
        sections = report(env, "scenario", "--country", "CN", "--material", "dysprosium", "--as-of", as_of)
        return [r["legal_reference"] for r in sections["Export controls in force"]]

    april_2025 = "MOFCOM & GAC Announcement No. 18 [2025]"
    assert april_2025 not in controls("2025-03-01")
    assert april_2025 in controls("2025-06-01")


def test_unknown_names_give_the_closest_ones(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["report", "dependencies", "--material", "galium"], env=env)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no Material named 'galium'; closest: gallium")


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "html"])
def test_every_format_is_written_and_reads_back(env: dict[str, str], tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"report.{fmt}"
    args = ["report", "concentration", "--material", "gallium", "--format", fmt, "-o", str(target)]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    if fmt == "json":
        sections = json.loads(text)
        assert sections["Concentration by material and stage"][0]["material"] == "gallium"
    elif fmt == "csv":
        frame = pd.read_csv(io.StringIO(text))
        assert "section" in frame.columns and "gallium" in set(frame["material"])
    elif fmt == "md":
        assert text.startswith("# Concentration of supply")
        assert "## Sources" in text
    else:
        tables = TableCounter()
        tables.feed(text)
        assert tables.tables >= 3 and tables.svgs >= 1
        assert "<script src" not in text and "stylesheet" not in text


class TableCounter(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables = 0
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tables += tag == "table"
        self.svgs += tag == "svg"


def test_the_scenario_lists_only_eu_companies(env: dict[str, str]) -> None:
    sections = report(env, "scenario", "--country", "CN", "--material", "gallium", "--as-of", "2025-06-01")
    companies = sections["EU companies exposed"]
    assert companies, "gallium reaches parts that EU companies make"
    members = runner.invoke(
        app,
        [
            "query",
            "MATCH (c:Country)-[:MEMBER_OF]->(g:CountryGroup) WHERE g.uri ENDS WITH '/EU' "
            "RETURN collect(c.name) AS names",
            "-f",
            "json",
        ],
        env=env,
    )
    eu = set(json.loads(members.stdout)[0]["names"])
    assert {r["hq_country"] for r in companies} <= eu
