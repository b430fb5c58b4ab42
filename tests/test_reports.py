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

from kg.cli.commands import app

pytestmark = pytest.mark.graph
runner = CliRunner()


@pytest.fixture(scope="module")
def env(bundled_env: dict[str, str]) -> dict[str, str]:
    """The environment that points `kg` at the session's shared copy of the bundled dataset."""
    return bundled_env


def report(env: dict[str, str], *args: str) -> Any:
    result = runner.invoke(app, ["report", *args, "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_gallium_reaches_semiconductors_and_cars(env: dict[str, str]) -> None:
    sections = report(env, "dependencies", "--material", "Ga", "--max-hops", "8")
    rows = sections["Downstream of gallium"]
    names = {r["name"] for r in rows}
    assert {"GaN power transistor", "GaN wafer"} <= names
    sectors = {r["name"] for r in rows if r["kind"] == "Sector"}
    assert "Automotive" in sectors
    assert sectors == {r["sector"] for r in sections["Sectors reached"]}
    assert any("semiconductor" in s.lower() or "digital" in s.lower() for s in sectors)
    for row in rows:
        assert row["path"][0] == "gallium" and row["path"][-1] == row["name"]
        assert row["hops"] == len(row["path"]) - 1
        assert row["chains"] >= 1 and 0 <= row["main_chains"] <= row["chains"]
    kinds = {r["kind"]: r["nodes"] for r in sections["Summary"]}
    assert sum(kinds.values()) == len(rows)


def downstream_names(env: dict[str, str], material: str) -> set[str]:
    sections = report(env, "dependencies", "--material", material, "--max-hops", "8")
    return {r["name"] for r in next(rows for title, rows in sections.items() if title.startswith("Downstream of"))}


def test_neodymium_and_dysprosium_reach_sensors_motors_and_the_combustion_car(env: dict[str, str]) -> None:
    neodymium = downstream_names(env, "neodymium")
    assert any("sensor" in n.lower() for n in neodymium) and any("motor" in n.lower() for n in neodymium)
    assert {"Wheel-speed sensor", "Combustion-engine passenger car"} <= downstream_names(env, "dysprosium")


def test_a_group_stands_for_its_members(env: dict[str, str]) -> None:
    group = downstream_names(env, "rare earth elements")
    assert downstream_names(env, "dysprosium") | downstream_names(env, "neodymium") <= group


def test_exposure_ranks_by_score_and_explains_each_row(env: dict[str, str]) -> None:
    sections = report(env, "exposure", "--sector", "automotive", "--as-of", "2025-06-01")
    ranked = sections["Materials, ranked"]
    names = [r["material"] for r in ranked]
    assert len(names) == len(set(names)) and {"dysprosium", "gallium", "neodymium"} <= set(names)
    scores = [r["score"] for r in ranked]
    known = [s for s in scores if s is not None]  # materials without a world figure come last
    assert scores == sorted(known, reverse=True) + [None] * (len(scores) - len(known))
    assert [r["rank"] for r in ranked] == list(range(1, len(ranked) + 1))
    assert all(r["why"] for r in ranked)
    assert all(r["source"] and r["year"] <= 2025 for r in ranked if r["score"] is not None)
    summary = sections["Summary: the five worst"]
    assert [r["material"] for r in summary] == names[:5]
    chains = {r["material"]: r for r in sections["Shortest chains"]}
    assert set(chains) == set(names)
    assert all(r["path"][-1] == "Automotive" and r["hops"] == len(r["path"]) - 1 for r in chains.values())


def test_exposure_as_of_leaves_out_later_controls(env: dict[str, str]) -> None:
    def controlled(as_of: str) -> dict[str, int]:
        ranked = report(env, "exposure", "--component", "Wheel-speed sensor", "--as-of", as_of)["Materials, ranked"]
        return {r["material"]: r["controls_in_force"] for r in ranked}

    # China's licensing of seven medium and heavy rare earths took effect on 4 April 2025
    assert controlled("2025-03-01")["dysprosium"] < controlled("2025-06-01")["dysprosium"]


def test_the_terminal_shows_25_rows_unless_told(env: dict[str, str]) -> None:
    sections = report(env, "exposure", "--sector", "automotive")
    count = len(sections["Materials, ranked"])
    assert count > 25
    shown = runner.invoke(app, ["report", "exposure", "--sector", "automotive"], env=env)
    assert shown.exit_code == 0
    assert f"(the first 25 of {count} rows;" in " ".join(shown.stdout.split())
    every = runner.invoke(app, ["report", "exposure", "--sector", "automotive", "--max-rows", "0"], env=env)
    assert "(the first" not in every.stdout


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
        assert tables.tables >= 2 and tables.svgs >= 1
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


@pytest.mark.parametrize("material", ["antimony", "holmium", "tantalum"])
def test_scenarios_with_no_eu_company_downstream_say_so(env: dict[str, str], material: str) -> None:
    # the three the issue found crashing: no company of an EU member state makes anything they go into
    sections = report(env, "scenario", "--country", "CN", "--material", material, "--as-of", "2024-10-01")
    assert sections["EU companies exposed"] == [
        {"finding": f"No company headquartered in an EU member state is downstream of {material} in this graph."}
    ]


def test_the_scenario_of_a_group_reaches_the_companies_downstream_of_its_members(env: dict[str, str]) -> None:
    sections = report(env, "scenario", "--country", "CN", "--material", "rare earth elements", "--as-of",
                      "2024-10-01")
    exposed = sections["EU companies exposed"]
    assert exposed and all(row["company"] and row["hops"] >= 1 and row["chains"] >= 1 for row in exposed)


def test_a_material_without_uses_is_a_finding_not_an_empty_table(env: dict[str, str]) -> None:
    # tantalum is a critical material whose uses the bundled dataset does not model yet
    assert report(env, "dependencies", "--material", "tantalum") == [
        {"finding": "No uses of tantalum are modelled in this graph: nothing goes into anything from it within 6 "
                    "USED_IN steps (nor from any member, if it is a group)."}
    ]
    shown = runner.invoke(app, ["report", "dependencies", "--material", "tantalum", "--format", "md"], env=env)
    assert shown.exit_code == 0 and "No uses of tantalum are modelled" in shown.stdout
    assert "No rows." not in shown.stdout


def test_bad_stage_and_date_options_are_one_line_errors(env: dict[str, str]) -> None:
    stage = runner.invoke(app, ["report", "concentration", "--stage", "foo"], env=env)
    stage_error = " ".join(stage.output.split())
    assert stage.exit_code == 2 and "Invalid value for '--stage': must be one of extraction, processing" in stage_error
    date = runner.invoke(app, ["report", "exposure", "--sector", "automotive", "--as-of", "20250601"], env=env)
    assert date.exit_code == 2 and "must be a date YYYY-MM-DD" in date.output
    assert "Traceback" not in stage.output + date.output


def test_concentration_gives_the_hhi_only_where_the_figures_cover_enough(env: dict[str, str]) -> None:
    rows = report(env, "concentration", "--material", "cobalt", "--as-of", "2025-06-01")
    by_stage = {r["stage"]: r for r in rows["Concentration by material and stage"]}
    processing = by_stage["processing"]  # China's 80% alone: the rest of world output is not in the graph
    assert processing["countries"] == 1 and processing["coverage"] == pytest.approx(0.8)
    assert processing["hhi"] is None
    assert processing["hhi_min"] == pytest.approx(0.64) and processing["hhi_max"] == pytest.approx(0.68)
    assert all(r["year"] <= 2025 for r in rows["Concentration by material and stage"])


def test_concentration_of_a_group_covers_its_members(env: dict[str, str]) -> None:
    rows = report(env, "concentration", "--material", "heavy rare earths")["Concentration by material and stage"]
    assert {"dysprosium", "terbium"} <= {r["material"] for r in rows}


def test_the_chains_report_pages_through_the_chains_it_counts(env: dict[str, str]) -> None:
    counted = report(env, "exposure", "--sector", "automotive")["Materials, ranked"]
    cerium = next(r for r in counted if r["material"] == "cerium")
    assert cerium["chains"] > 50  # more than one page
    first = runner.invoke(app, ["report", "chains", "--material", "cerium", "--sector", "automotive", "--format",
                                "json"], env=env)
    second = runner.invoke(app, ["report", "chains", "--material", "cerium", "--sector", "automotive", "--page",
                                 "2", "--format", "json"], env=env)
    chains = [tuple(r["chain"]) for r in json.loads(first.stdout) + json.loads(second.stdout)]
    assert len(chains) == len(set(chains)) == cerium["chains"]
    assert all(c[0] == "cerium" and c[-1] == "Automotive" for c in chains)
    past = runner.invoke(app, ["report", "chains", "--material", "cerium", "--sector", "automotive", "--page", "9"],
                         env=env)
    assert past.exit_code == 1
    assert past.stderr.strip() == (f"error: there are {cerium['chains']} chains, 2 page(s) of 50; page 9 is past "
                                   "the end")
    none = report(env, "chains", "--material", "tantalum", "--sector", "automotive")
    assert none == [{"finding": "Automotive does not depend on tantalum within 8 USED_IN steps in this graph."}]


def test_the_scenario_country_defaults_to_china_as_on_the_page(env: dict[str, str]) -> None:
    # the catalogue gives country the default CN; the command line used to require it
    args = ("scenario", "--material", "dysprosium", "--as-of", "2025-06-01")
    assert report(env, *args) == report(env, *args, "--country", "CN")


def test_every_report_takes_max_rows(env: dict[str, str]) -> None:
    rows = report(env, "ownership", "--country", "CN")  # one section: its rows
    assert len(rows) > 1
    shown = runner.invoke(app, ["report", "ownership", "--country", "CN", "--max-rows", "1"], env=env)
    assert shown.exit_code == 0, shown.output
    assert f"(the first 1 of {len(rows)} rows;" in " ".join(shown.stdout.split())
