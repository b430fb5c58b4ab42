"""Load benchmark (run by hand, not a test): parse speed, end-to-end load speed, peak memory, and the naive way.

    .venv/bin/python benchmarks/load_benchmark.py [--triples 1000000] [--naive-triples 20000] [--batch-size 20000]

Generates a synthetic value-chain file (N-Triples: materials, components, products, companies, countries, with
types, names, figures and "used in" / "made by" / "located in" links), then, in one run:
1. parse only, with pyoxigraph (statements/s);
2. `kg`'s loader end to end into a fresh embedded server (statements/s), with the loader's peak memory;
3. the naive way, one auto-committed MERGE per statement, on the first --naive-triples statements;
and prints the figures and the ratios. Targets on a 2-core machine: parse >= 300k/s; end to end >= 20k/s and
>= 10x the naive way; loader peak memory < 1 GB for 1M statements.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

NS = "http://example.org/vc/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
KINDS = ("Material", "Intermediate", "Component", "Product", "Company", "Country")


def generate(path: Path, triples: int, seed: int = 7) -> int:
    """Write about `triples` statements; return how many were written."""
    rng = random.Random(seed)
    entities = max(10, triples // 7)  # each entity gets about seven statements
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for i in range(entities):
            kind = KINDS[i % len(KINDS)]
            s = f"<{NS}{kind.lower()}/{i}>"
            lines = [
                f"{s} <{RDF_TYPE}> <{NS}{kind}> .",
                f'{s} <{RDFS_LABEL}> "{kind} {i}" .',
                f'{s} <{NS}share> "{rng.random():.4f}"^^<{XSD}decimal> .',
                f'{s} <{NS}year> "{2015 + i % 11}"^^<{XSD}integer> .',
                f'{s} <{NS}since> "20{10 + i % 15}-0{1 + i % 9}-1{i % 9}"^^<{XSD}date> .',
                f"{s} <{NS}usedIn> <{NS}{KINDS[(i + 1) % len(KINDS)].lower()}/{rng.randrange(entities)}> .",
                f"{s} <{NS}suppliedBy> <{NS}company/{rng.randrange(entities)}> .",
            ]
            out.write("\n".join(lines) + "\n")
            written += len(lines)
            if written >= triples:
                break
    return written


def parse_only(path: Path) -> tuple[int, float]:
    started = time.perf_counter()
    count = sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
    return count, time.perf_counter() - started


def load_in_child(path: Path, data_dir: Path, batch_size: int) -> tuple[int, float, int]:
    """Load with kg's loader in a child process, so that its peak memory is the loader's own."""
    code = f"""
import resource, sys, time
from pathlib import Path
from kg.config import load_settings
from kg.connection import connect
from kg.schema import ensure_schema
from loaders.graph_config import readable_config
from loaders.rdf_load import LoadOptions, load_rdf_file
from loaders.rdf_source import rdf_file
settings = load_settings({{"KG_DATA_DIR": {str(data_dir)!r}}}, dotenv_path=None)
with connect(settings) as connection:
    ensure_schema(connection)
    started = time.perf_counter()
    options = LoadOptions(readable_config(), batch_size={batch_size})
    report = load_rdf_file(connection, rdf_file(Path({str(path)!r})), options)
    seconds = time.perf_counter() - started
print(report.statements_loaded, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded, seconds, peak_kb = result.stdout.split()
    return int(loaded), float(seconds), int(peak_kb)


def naive(path: Path, data_dir: Path, limit: int) -> tuple[int, float]:
    """One auto-committed MERGE per statement: what a loader without batching does."""
    from kg.config import load_settings
    from kg.connection import connect
    from kg.schema import ensure_schema

    settings = load_settings({"KG_DATA_DIR": str(data_dir), "NEO4J_DATABASE": "naive"}, dotenv_path=None)
    node_merge = "MERGE (s:Resource {uri: $s}) SET s[$p] = $v"
    rel_merge = "MERGE (s:Resource {uri: $s}) MERGE (o:Resource {uri: $o}) MERGE (s)-[:REL {p: $p}]->(o)"
    with connect(settings) as connection, connection.driver.session(database=connection.database) as session:
        ensure_schema(connection)
        started = time.perf_counter()
        done = 0
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
            if done >= limit:
                break
            s, p, o = quad.subject.value, quad.predicate.value, quad.object
            if isinstance(o, ox.Literal):
                session.run(node_merge, s=s, p=p, v=o.value).consume()
            else:
                session.run(rel_merge, s=s, p=p, o=o.value).consume()
            done += 1
        return done, time.perf_counter() - started


def server_rss_kb(data_dir: Path) -> int:
    from kg.embedded import read_state

    state = read_state(data_dir)
    if state is None:
        return 0
    for line in Path(f"/proc/{state.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--naive-triples", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=20_000)
    args = parser.parse_args()
    from kg.embedded import EmbeddedServer

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = Path(tmp)
        source = work / "value-chain.nt"
        written = generate(source, args.triples)
        size_mb = source.stat().st_size / 1e6
        print(f"synthetic file: {written:,} statements, {size_mb:.1f} MB ({source.name})")

        parsed, parse_seconds = parse_only(source)
        parse_rate = parsed / parse_seconds
        print(f"parse only (pyoxigraph):    {parsed:,} statements in {parse_seconds:.2f} s = {parse_rate:,.0f}/s")

        data_dir = work / "kg-data"
        server = EmbeddedServer(data_dir, heap=os.environ.get("KG_SERVER_HEAP", "2g"))
        server.start()
        try:
            loaded, load_seconds, peak_kb = load_in_child(source, data_dir, args.batch_size)
            load_rate = loaded / load_seconds
            print(f"end to end (kg load):       {loaded:,} statements in {load_seconds:.2f} s = {load_rate:,.0f}/s")
            server_mb = server_rss_kb(data_dir) / 1024
            print(f"loader peak memory:         {peak_kb / 1024:,.0f} MB (server JVM peak RSS {server_mb:,.0f} MB)")
            naive_done, naive_seconds = naive(source, data_dir, args.naive_triples)
            naive_rate = naive_done / naive_seconds
            print(
                f"naive (one MERGE each):     {naive_done:,} statements in {naive_seconds:.2f} s = {naive_rate:,.0f}/s"
            )
        finally:
            server.stop()
        print(
            f"ratios: parse/target {parse_rate / 300_000:.2f}x; load/target {load_rate / 20_000:.2f}x; "
            f"load/naive {load_rate / naive_rate:.1f}x (target 10x); "
            f"peak/1GB {peak_kb / 1024 / 1024:.2f}"
        )


if __name__ == "__main__":
    main()
