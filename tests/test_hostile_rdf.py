"""Hostile RDF files (issue 12, items 6 and 12): refused in one line with a bounded cost, nothing written.

The attack test's cases: an RDF/XML "billion laughs" (988 bytes, 9.3 GB before anything refused it), and a Turtle
token over the parser's 16 MiB buffer, plain or gzipped (a MemoryError traceback).
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.commands import app
from kg.core.errors import DataFileError, RowTooLarge
from loaders.graph.writer import batches
from loaders.rdf.source import rdf_file
from loaders.rdf.xml_entities import EntityExpansionError, check_entity_expansion

runner = CliRunner()
RDF_HEAD = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'


def laughs(levels: int = 9) -> str:
    """The classic billion laughs: each level ten references to the one before; 3 × 10^levels characters."""
    declarations = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(declarations) + "\n]>\n" + RDF_HEAD
        + f'<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol{levels};</ex:p></rdf:Description>\n'
        + "</rdf:RDF>\n"
    )


def blocks_of(text: str, size: int) -> list[bytes]:
    data = text.encode()
    return [data[i : i + size] for i in range(0, len(data), size)]


# Pure logic ----------------------------------------------------------------------------------------------------


def test_a_billion_laughs_is_refused_before_any_expansion() -> None:
    with pytest.raises(EntityExpansionError, match=r"^entity &lol\d; would expand to more than 67,108,864 char"):
        check_entity_expansion(lambda: [laughs().encode()])


def test_many_references_to_a_modest_entity_are_counted_in_all() -> None:
    # each entity is small (30,000 characters) but 3,000 references add 90 million
    text = laughs(levels=4).replace("<ex:p>&lol4;</ex:p>", "<ex:p>" + "&lol4;" * 3000 + "</ex:p>")
    with pytest.raises(EntityExpansionError, match=r"^its entity references would expand it by more than"):
        check_entity_expansion(lambda: [text.encode()])
    check_entity_expansion(lambda: [text.encode()], limit=100_000_000)  # within a larger limit, it passes


def test_references_split_across_blocks_are_each_counted_once() -> None:
    text = laughs(levels=3).replace("<ex:p>&lol3;</ex:p>", "<ex:p>" + "&lol3;" * 100 + "</ex:p>")  # 300,000 added
    for size in (1, 7, 4096):
        check_entity_expansion(lambda size=size: blocks_of(text, size), limit=300_000)  # type: ignore[misc]
        with pytest.raises(EntityExpansionError):
            check_entity_expansion(lambda size=size: blocks_of(text, size), limit=299_999)  # type: ignore[misc]


def test_ordinary_entities_of_an_ontology_editor_pass() -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY xsd "http://www.w3.org/2001/XMLSchema#" >\n'
        ' <!ENTITY ex "http://example.org/" >\n]>\n' + RDF_HEAD
        + '<rdf:Description rdf:about="&ex;a"><ex:n rdf:datatype="&xsd;integer">4</ex:n></rdf:Description>\n'
        + "</rdf:RDF>\n"
    )
    check_entity_expansion(lambda: [text.encode()])


def test_entities_that_refer_to_themselves_or_outside_are_refused() -> None:
    looped = '<!DOCTYPE r [ <!ENTITY a "&b;"> <!ENTITY b "x&a;"> ]><r>&a;</r>'
    with pytest.raises(EntityExpansionError, match=r"refers to itself"):
        check_entity_expansion(lambda: [looped.encode()])
    external = '<!DOCTYPE r [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]><r>&x;</r>'
    with pytest.raises(EntityExpansionError, match=r"declares an entity that is external or longer than 1 MiB"):
        check_entity_expansion(lambda: [external.encode()])


def test_reading_a_laughs_file_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_text(laughs(), encoding="utf-8")
    with pytest.raises(DataFileError, match=rf"^{path}: entity &lol\d; would expand"):
        list(rdf_file(path).quads())


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_token_over_the_parsers_buffer_is_a_located_error(tmp_path: Path, gzipped: bool) -> None:
    text = '<http://example.org/a> <http://example.org/p> "' + "x" * (17 * 1024 * 1024) + '" .\n'
    path = tmp_path / ("big.ttl.gz" if gzipped else "big.ttl")
    if gzipped:
        path.write_bytes(gzip.compress(text.encode(), compresslevel=1))
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=rf"^{path}: a single literal, IRI or comment is longer than the 16 MiB"):
        list(rdf_file(path).quads())


def test_validating_a_laughs_file_is_quick_and_small(tmp_path: Path) -> None:
    # kg validate left it to expat's amplification limit: 110 s (attack test 3.3)
    path = tmp_path / "laughs.rdf"
    path.write_text(laughs(), encoding="utf-8")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "kg.cli", "validate", str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().startswith(f"error: {path}: entity &lol")
    assert time.monotonic() - started < 30


# `kg ARGS…` in this process, writing its peak resident memory (kB) to the file named first when it exits.
PEAK_OF_KG = """
import atexit, runpy, sys
out = sys.argv[1]
def write_peak():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(out, "w") as f:
        f.write(peak)
atexit.register(write_peak)
sys.argv = ["kg", *sys.argv[2:]]
runpy.run_module("kg.cli", run_name="__main__")
"""


# On each engine ------------------------------------------------------------------------------------------------


@pytest.mark.graph
def test_loading_a_laughs_file_is_refused_in_one_line_and_writes_nothing(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_text(laughs(), encoding="utf-8")
    # Its own process, and its peak measured after exec (VmHWM): ru_maxrss would count the pytest process it was
    # forked from, hundreds of MB late in a run.
    peak = tmp_path / "peak.txt"
    done = subprocess.run([sys.executable, "-c", PEAK_OF_KG, str(peak), "load", str(path)],
                          env={**os.environ, **cli_env}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith(f"error: {path}: entity &lol")
    assert int(peak.read_text(encoding="ascii")) < 500_000  # kB: not gigabytes (9.3 GB before the bound)
    counted = runner.invoke(app, ["query", "MATCH (n) RETURN count(n) AS n", "-f", "csv"], env=cli_env)
    assert counted.stdout.splitlines() == ["n", "0"]


def test_batches_end_before_a_bolt_message_would_pass_16_mib() -> None:
    # attack case 3.25: a message over 16 MiB made the server and the driver wait for each other for ever
    rows = [{"uri": f"urn:n{i}", "text": "é" * 1000} for i in range(30)]  # about 2 KB each in UTF-8
    cut = [len(batch) for batch in batches(rows, 20, max_bytes=10_000)]
    assert cut == [4] * 7 + [2] and sum(cut) == 30  # by bytes, not characters
    assert [len(batch) for batch in batches(rows, 20)] == [20, 10]  # by count when small
    with pytest.raises(RowTooLarge, match=r"^the node or relationship of <urn:n0> takes 2,0\d\d bytes, more than"):
        list(batches(rows, 20, max_bytes=1_000))


@pytest.mark.graph
def test_values_that_fill_more_than_one_bolt_message_load_without_hanging(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "three.ttl"
    value = "y" * (5 * 1024 * 1024)
    path.write_text("".join(f'<http://ex.org/n{i}> <http://ex.org/p> "{value}" .\n' for i in range(3)),
                    encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kg.cli", "load", str(path), "--no-validate"],
                          env={**os.environ, **cli_env}, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-500:]
    counted = runner.invoke(app, ["query", "MATCH (n:Resource) RETURN count(n) AS n, sum(size(n.ns0__p)) AS chars",
                                  "-f", "csv"], env=cli_env)
    assert counted.stdout.splitlines() == ["n,chars", f"3,{3 * len(value)}"]
