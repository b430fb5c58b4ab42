"""Neo4j's own linter (tools/lint-cypher.mjs) fails on broken Cypher and passes good Cypher and the whole repo."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "cypher-lint"

if shutil.which("node") is None or not (ROOT / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
    pytest.fail("the Cypher linter is not installed: run `make test` (it runs `npm ci`)", pytrace=False)


def lint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", "tools/lint-cypher.mjs", *(str(f.relative_to(ROOT)) for f in files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("unclosed_pattern.cypher", ":4:1: error: Invalid input 'RETURN'"),
        ("deprecated_call.cypher", ":4:1: warning: CALL subquery without a variable scope clause is deprecated"),
        ("undeclared_parameter.cypher", ":3:26: error: Parameter $material is not defined."),
    ],
)
def test_broken_cypher_fails_the_linter(name: str, expected: str) -> None:
    result = lint(FIXTURES / "bad" / name)
    assert result.returncode == 1
    assert f"tests/fixtures/cypher-lint/bad/{name}{expected}" in result.stdout


def test_good_cypher_passes() -> None:
    result = lint(FIXTURES / "good" / "material_by_name.cypher")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "cypher-lint: 1 file(s), 0 problem(s)"


def test_every_cypher_file_of_the_repository_passes() -> None:
    result = subprocess.run(
        ["node", "tools/lint-cypher.mjs"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout
    broken_on_purpose = ("tests/fixtures/cypher-lint/bad/", "tests/fixtures/packs/bad/")
    checked = sorted(
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("*.cypher")
        if not {"node_modules", ".venv"} & set(p.parts) and not str(p.relative_to(ROOT)).startswith(broken_on_purpose)
    )
    assert result.stdout.strip().endswith(f"cypher-lint: {len(checked)} file(s), 0 problem(s)")
