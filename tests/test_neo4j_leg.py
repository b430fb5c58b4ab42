"""The Neo4j leg on a machine without Java: skipped with one line saying what to install, or, with CI=true, failed
with that line. Run as a user would, in a pytest of its own whose PATH holds no `java`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ONE_TEST = "tests/test_schema.py::test_counts_by_label_and_type"
WHY = ("the Neo4j test server needs a JDK 17 or newer: install one "
       "(Debian/Ubuntu: sudo apt-get install openjdk-17-jdk-headless)")


def run_leg(tmp_path: Path, *, ci: bool) -> subprocess.CompletedProcess[str]:
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {"PATH": str(empty), "HOME": os.environ.get("HOME", str(tmp_path)), "LANG": "C.UTF-8"}
    if ci:
        env["CI"] = "true"
    command = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "--engine", "neo4j",
               f"--basetemp={tmp_path / 'base'}", ONE_TEST]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_without_java_the_neo4j_leg_is_skipped_with_what_to_install(tmp_path: Path) -> None:
    done = run_leg(tmp_path, ci=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"the Neo4j leg is skipped: {WHY}" in done.stdout
    assert "1 skipped" in done.stdout


@pytest.mark.slow
def test_without_java_the_neo4j_leg_fails_on_ci(tmp_path: Path) -> None:
    done = run_leg(tmp_path, ci=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"the Neo4j leg cannot run: {WHY}" in done.stdout
    assert "Traceback" not in done.stdout
