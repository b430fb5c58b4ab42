"""`kg report` is made from the report catalogue: each report's options are its catalogue parameters, and a value
the page refuses the command line refuses too, naming the option. No database: every value here is refused before
a connection is made."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kg.cli.commands import app
from kg.cli.reports import flag
from kg.core.errors import ReportParamError
from kg.reports.catalogue import CATALOGUE, check_report_params, find_report

runner = CliRunner()


def option_names(report: str) -> set[str]:
    shown = runner.invoke(app, ["report", report, "--help"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0
    return {word.strip("│ ,") for word in shown.stdout.split() if word.startswith("--")}


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.name)
def test_each_catalogue_parameter_is_an_option(entry) -> None:
    options = option_names(entry.name)
    for param in entry.params:
        if param.kind_of:  # one option per kind, naming the thing: --product NAME, --component NAME, …
            assert {f"--{choice.lower()}" for choice in param.choices} <= options
            assert flag(next(p for p in entry.params if p.name == param.kind_of)) not in options
        elif not any(p.kind_of == param.name for p in entry.params):
            assert flag(param) in options


@pytest.mark.parametrize(
    ("report", "params", "args", "option"),
    [
        ("dependencies", {"material": "Ga", "max_hops": 13}, ["--material", "Ga", "--max-hops", "13"], "--max-hops"),
        ("dependencies", {"material": "Ga", "max_hops": 0}, ["--material", "Ga", "--max-hops", "0"], "--max-hops"),
        (
            "chains",
            {"material": "Dy", "kind": "Sector", "name": "x", "page": 1_000_001},
            ["--material", "Dy", "--sector", "x", "--page", "1000001"],
            "--page",
        ),
        ("concentration", {"stage": "mining"}, ["--stage", "mining"], "--stage"),
        ("scenario", {"material": "Dy", "as_of": "20250601"}, ["--material", "Dy", "--as-of", "20250601"], "--as-of"),
        (
            "exposure",
            {"kind": "Sector", "name": "x", "as_of": "2025-02-30"},
            ["--sector", "x", "--as-of", "2025-02-30"],
            "--as-of",
        ),
    ],
)
def test_a_value_the_page_refuses_the_command_line_refuses(
    report: str, params: dict, args: list[str], option: str
) -> None:
    with pytest.raises(ReportParamError):
        check_report_params(find_report(report), params)
    refused = runner.invoke(app, ["report", report, *args], env={"COLUMNS": "200"})
    assert refused.exit_code == 2
    assert f"Invalid value for '{option}'" in refused.output and "Traceback" not in refused.output


def test_a_target_is_one_of_its_kinds() -> None:
    for args in ([], ["--sector", "a", "--company", "b"]):
        refused = runner.invoke(app, ["report", "exposure", *args], env={"COLUMNS": "200"})
        assert refused.exit_code == 2
        assert "give exactly one of --product, --component, --sector, --company" in " ".join(refused.output.split())
