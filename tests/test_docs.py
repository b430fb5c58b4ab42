"""The README documents every command, its two make targets, and the environment variables kg reads."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from kg.cli.commands import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_paths(group: typer.Typer) -> list[str]:
    click_group = typer.main.get_command(group)
    paths: list[str] = []

    def walk(command: object, prefix: str) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            if getattr(sub, "commands", None):
                walk(sub, f"{prefix}{name} ")
            else:
                paths.append(f"kg {prefix}{name}")

    walk(click_group, "")
    return paths


def test_every_command_is_in_the_readme() -> None:
    paths = command_paths(app)
    assert "kg db start" in paths and "kg query" in paths
    missing = [p for p in paths if p not in README]
    assert missing == []


def test_the_two_commands_are_in_the_readme_and_the_makefile() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run", "test"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, re.MULTILINE)


def test_ci_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_environment_variable_read_by_kg_is_documented() -> None:
    sources = "".join(p.read_text() for p in (ROOT / "kg").rglob("*.py"))
    variables = set(re.findall(r"\"((?:NEO4J|KG)_[A-Z_]+)\"", sources))
    assert {"NEO4J_URI", "NEO4J_PASSWORD", "KG_DATA_DIR"} <= variables
    assert sorted(v for v in variables if v not in README) == []
