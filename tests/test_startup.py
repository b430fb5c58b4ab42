"""Start-up: `kg` imports only what a command uses. The SHACL validator (pyshacl-turbo, rdflib: a fifth of a second) is
imported by `kg validate`, a validating `kg load` and `kg export` only; the driver (which imports pandas and numpy
itself: a third of a second) by the commands that connect; pandas by a spreadsheet load. `kg --help` and
`kg --version` import none of them."""

from __future__ import annotations

import json
import re
import subprocess
import sys


def imported_by(statement: str, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` a fresh interpreter has imported after running `statement`."""
    listed = f"print(json.dumps([m for m in {list(modules)!r} if m in sys.modules]))"
    code = f"import json\nimport sys\n{statement}\n{listed}"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


HEAVY = ("pyshacl", "pyshacl_turbo", "rdflib", "pandas", "numpy", "neo4j")
# what a few commands use: pydantic (typer 0.29 imports it to convert options), the RDF parser, the report renderers
# and rich's progress bars (kg load)
LATE = ("pydantic", "pyoxigraph", "kg.render.report_text", "kg.render.report_html", "rich.progress")


def test_importing_the_cli_imports_neither_the_validator_nor_the_driver_nor_pandas() -> None:
    assert imported_by("import kg.cli.commands", HEAVY) == []


def test_the_version_is_printed_before_the_cli_framework_is_imported() -> None:
    run = "from kg.cli import main\nsys.argv = ['kg', '--version']\nmain()"
    assert imported_by(run, ("typer", "rich", "kg.cli.commands", *HEAVY)) == []
    entry = subprocess.run([sys.executable, "-m", "kg.cli", "--version"], capture_output=True, text=True, timeout=60)
    # the option as typer parses it (here beside a command) prints the same line
    framework = subprocess.run([sys.executable, "-m", "kg.cli", "--version", "info"], capture_output=True, text=True,
                               timeout=60)
    assert (entry.returncode, framework.returncode) == (0, 0)
    assert entry.stdout == framework.stdout and re.fullmatch(r"crm-kg \d+\.\d+\.\d+\S*\n", entry.stdout)


def test_the_version_and_the_help_import_none_of_them() -> None:
    for argv in (["kg", "--version"], ["kg", "--help"], ["kg", "report", "exposure", "--help"]):
        run = f"from kg.cli.commands import app\nsys.argv = {argv!r}\ntry:\n    app()\nexcept SystemExit:\n    pass"
        assert imported_by(run, (*HEAVY, *LATE)) == [], argv


def test_the_heavy_modules_are_there_when_a_command_needs_them() -> None:
    # the checks above would pass with broken modules too: what the commands import late must still import
    late = (
        "import kg.cli.commands\nfrom loaders.rdf.validation import validate\n"
        "from kg.server.connection import connect"
    )
    assert imported_by(late, HEAVY) == ["pyshacl_turbo", "rdflib", "neo4j"]  # the driver without pandas and numpy


def test_the_command_imports_the_driver_without_pandas_and_numpy_which_still_import_after() -> None:
    # the driver imports pandas and numpy for values kg never sends (kg.cli.driver_import): half a second
    driver = "import kg.cli.commands\nimport neo4j._optional_deps as deps\nassert deps.pd is None and deps.np is None"
    assert imported_by(driver, ("pandas", "numpy", "neo4j")) == ["neo4j"]
    afterwards = driver + "\nimport pandas\nassert pandas.DataFrame({'a': [1]}).shape == (1, 1)"
    assert imported_by(afterwards, ("pandas", "numpy")) == ["pandas", "numpy"]


def test_a_process_that_imported_pandas_first_keeps_the_driver_as_it_comes() -> None:
    first = "import pandas\nimport kg.cli.commands\nimport neo4j._optional_deps as deps\nassert deps.pd is pandas"
    assert imported_by(first, ("pandas", "neo4j")) == ["pandas", "neo4j"]
