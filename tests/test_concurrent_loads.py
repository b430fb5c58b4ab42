"""Loads at the same time, and a load interrupted, as real `kg load` processes on each engine (issue 12: "Concurrent
loads corrupt the graph silently"; "Concurrent loads of the same file fail with 'Duplicated key' instead of
retrying").

Each load reads the namespace prefixes already assigned when it starts and assigns the next free ones; two loads
that start together must still end with one prefix per namespace and one namespace per prefix.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.cypher.querying import run_query
from kg.server.connection import Connection

from .conftest import write_long_file

pytestmark = [pytest.mark.graph, pytest.mark.slow]

THINGS = 1500  # about 4,500 statements a file: long enough for loads started together to overlap


def write_file(path: Path, namespace: str) -> Path:
    lines = []
    for i in range(THINGS):
        thing = f"<{namespace}thing/{i}>"
        lines.append(f"{thing} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{namespace}Thing> .")
        lines.append(f'{thing} <{namespace}label> "thing {i}" .')
        lines.append(f"{thing} <{namespace}next> <{namespace}thing/{(i + 1) % THINGS}> .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_sheet(folder: Path, rows: int) -> tuple[Path, Path]:
    """A CSV of `rows` parts and its mapping."""
    sheet = folder / "parts.csv"
    sheet.write_text("part,name\n" + "".join(f"P-{i},part {i}\n" for i in range(rows)), encoding="utf-8")
    mapping = folder / "parts.yaml"
    mapping.write_text("nodes:\n  part:\n    label: Component\n    key: part\n    properties: {name: name}\n",
                       encoding="utf-8")
    return sheet, mapping


def load_at_once(files: list[Path], cli_env: dict[str, str], *options: str) -> list[tuple[int, str]]:
    env = {**os.environ, **cli_env}
    processes = [
        subprocess.Popen([sys.executable, "-m", "kg.cli", "load", str(f), *(options or ("--no-validate",))], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for f in files
    ]
    done = []
    for process in processes:
        _, err = process.communicate(timeout=600)
        done.append((process.returncode, err.strip().splitlines()[-1] if err.strip() else ""))
    return done


def rows(connection: Connection, text: str) -> list[tuple[object, ...]]:
    return list(run_query(connection, text).rows)


def test_loads_of_four_namespaces_at_once_give_each_its_own_prefix(
    cli_env: dict[str, str], connection: Connection, tmp_path: Path
) -> None:
    namespaces = [f"http://example.org/concurrent{i}/" for i in range(4)]
    files = [write_file(tmp_path / f"small{i}.nt", ns) for i, ns in enumerate(namespaces)]
    outcomes = load_at_once(files, cli_env)
    assert [code for code, _ in outcomes] == [0, 0, 0, 0], outcomes
    prefixes = dict(rows(connection, "MATCH (p:_KgPrefix) RETURN p.namespace AS ns, p.prefix AS prefix"))
    assert sorted(prefixes) == sorted(namespaces)
    assert len(set(prefixes.values())) == 4
    for ns in namespaces:
        label = f"{prefixes[ns]}__Thing"
        [(count, linked)] = rows(connection, f"MATCH (t:`{label}`) OPTIONAL MATCH (t)-[r]->() "
                                             "RETURN count(DISTINCT t), count(r)")
        assert (count, linked) == (THINGS, THINGS), ns
        [(wrong,)] = rows(connection, f"MATCH (t:`{label}`) WHERE NOT t.uri STARTS WITH '{ns}' RETURN count(t)")
        assert wrong == 0, ns
    before = rows(connection, "MATCH ()-[r]->() RETURN count(r)")
    assert [code for code, _ in load_at_once(files[:1], cli_env)] == [0]
    assert rows(connection, "MATCH ()-[r]->() RETURN count(r)") == before  # reloading one file changes nothing


def test_two_loads_of_the_same_file_at_once_both_succeed_without_duplicates(
    cli_env: dict[str, str], connection: Connection, tmp_path: Path
) -> None:
    path = write_file(tmp_path / "same.nt", "http://example.org/same/")
    outcomes = load_at_once([path, path], cli_env)
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    [(nodes, distinct)] = rows(connection, "MATCH (n:Resource) RETURN count(n), count(DISTINCT n.uri)")
    assert nodes == distinct == THINGS
    [(links,)] = rows(connection, "MATCH (:Resource)-[r]->(:Resource) RETURN count(r)")
    assert links == THINGS


def interrupt_load(cli_env: dict[str, str], *arguments: str) -> tuple[int, list[str]]:
    """`kg load ARGUMENTS` sent SIGINT once it has run 5 s: its exit status and its stderr lines."""
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "load", *arguments], env={**os.environ, **cli_env},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(5.0)
    assert process.poll() is None, "the load ended before it was interrupted"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    return process.returncode, err.strip().splitlines()


def test_an_interrupted_load_says_so_and_leaves_nothing_of_its_file(
    cli_env: dict[str, str], connection: Connection, tmp_path: Path
) -> None:
    # issue 12: SIGINT during `kg load` exited 130 and printed nothing
    big = write_long_file(tmp_path / "big.nt")
    code, err = interrupt_load(cli_env, str(big), "--no-validate")
    assert code == 130, err
    assert err == [f"error: interrupted: nothing of {big} was written"]
    assert rows(connection, "MATCH (n) RETURN count(n)") == [(0,)]


def test_two_spreadsheet_loads_of_the_same_file_at_once_both_succeed_without_duplicates(
    cli_env: dict[str, str], connection: Connection, tmp_path: Path
) -> None:
    # issue 12: the spreadsheet loader had no retry when a load running at the same time got in first
    sheet, mapping = write_sheet(tmp_path, THINGS)
    outcomes = load_at_once([sheet, sheet], cli_env, "--mapping", str(mapping))
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    [(nodes, distinct)] = rows(connection, "MATCH (n:Component) RETURN count(n), count(DISTINCT n.uri)")
    assert nodes == distinct == THINGS


def test_an_interrupted_spreadsheet_load_says_so_and_leaves_nothing_of_its_file(
    cli_env: dict[str, str], connection: Connection, tmp_path: Path
) -> None:
    sheet, mapping = write_sheet(tmp_path, 300_000)
    code, err = interrupt_load(cli_env, str(sheet), "--mapping", str(mapping))
    assert code == 130
    assert err == [f"error: interrupted: nothing of {sheet} was written"]
    assert rows(connection, "MATCH (n) RETURN count(n)") == [(0,)]
