"""A plain `pip install .` into a fresh virtual environment gives a working `kg` that finds its bundled files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.browse_process import running_browse

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed_kg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("install")
    wheels = work / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(ROOT)],
        check=True,
        timeout=600,
        cwd=work,
    )
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    (wheel,) = wheels.glob("crm_kg-*.whl")
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=900
    )
    return venv / "bin" / "kg"


def run(kg: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KG_"))}
    env["KG_DATA_DIR"] = str(cwd / "kg-data")
    return subprocess.run([str(kg), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_kg_help_works_from_another_directory(installed_kg: Path, tmp_path: Path) -> None:
    result = run(installed_kg, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for command in ("db", "query", "info"):
        assert command in result.stdout


def test_status_json_works_from_another_directory(installed_kg: Path, tmp_path: Path) -> None:
    result = run(installed_kg, "db", "status", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert (status["backend"], status["running"], status["data_dir"]) == ("embedded", False, str(tmp_path / "kg-data"))


def test_the_wheel_carries_ontology_data_and_query_packs(installed_kg: Path, tmp_path: Path) -> None:
    result = run(installed_kg, "info", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    venv = installed_kg.parent.parent
    assert Path(info["bundled"]).is_relative_to(venv), "the installed kg must not read the source checkout"
    for name, folder in (("ontology", "ontology"), ("data", "data"), ("queries", "queries")):
        expected = files_under(ROOT / folder)
        shipped = files_under(Path(info[name]["path"]))
        assert shipped == expected, name
        assert info[name]["files"] == len(expected) > 0


def files_under(folder: Path) -> list[Path]:
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def test_the_installed_kg_starts_queries_and_stops_the_embedded_server(installed_kg: Path, tmp_path: Path) -> None:
    try:
        assert run(installed_kg, "db", "start", cwd=tmp_path).returncode == 0
        result = run(installed_kg, "query", "RETURN 'ok' AS status", "-f", "json", cwd=tmp_path)
        assert json.loads(result.stdout) == [{"status": "ok"}]
        # the bundled ontology and dataset load from the wheel (loaders' own Cypher files ship too)
        loaded = run(installed_kg, "load", cwd=tmp_path)
        assert loaded.returncode == 0, loaded.stderr
        count = run(
            installed_kg,
            "query",
            "MATCH (m:Material {name: 'gallium'}) RETURN count(m) AS n",
            "-f",
            "json",
            cwd=tmp_path,
        )
        assert json.loads(count.stdout) == [{"n": 1}]
        assert_browse_serves_the_packaged_page(installed_kg, tmp_path)
    finally:
        stopped = run(installed_kg, "db", "stop", cwd=tmp_path)
    assert stopped.stdout.strip() == "embedded server stopped"


def test_the_wheel_carries_the_built_browser_assets(installed_kg: Path) -> None:
    venv = installed_kg.parent.parent
    (shipped,) = venv.glob("lib/python*/site-packages/kg/browse_assets")
    built = ROOT / "kg" / "browse_assets"
    assert (built / "index.html").is_file(), "make assets builds them before the tests"
    assert files_under(shipped) == files_under(built)
    for name in files_under(built):
        assert (shipped / name).read_bytes() == (built / name).read_bytes(), name


def assert_browse_serves_the_packaged_page(kg: Path, cwd: Path) -> None:
    """`kg browse` of the installed wheel serves its own copy of the page: no Node, no source checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KG_"))}
    env["KG_DATA_DIR"] = str(cwd / "kg-data")
    with running_browse([str(kg), "browse", "--port", "0"], env, cwd=cwd, start_timeout=300) as (_, url):
        with urllib.request.urlopen(url, timeout=30) as response:
            page = response.read()
        assert page == (ROOT / "kg" / "browse_assets" / "index.html").read_bytes()
        with urllib.request.urlopen(url + "api/search?q=gallium", timeout=30) as response:
            names = [r["name"] for r in json.load(response)["results"]]
        assert "gallium" in names
