"""Load benchmark (run by hand, not a test): parse speed, end-to-end load speed, peak memory, and the naive way.

    .venv/bin/python benchmarks/load_benchmark.py [--triples 1000000] [--own 50000,500000] [--naive-triples 20000]
        [--batch-size 20000] [--backend embedded|neo4j]

Generates a synthetic value-chain file in a generic vocabulary (N-Triples: materials, components, products,
companies, countries, with types, names, figures and "used in" / "made by" / "located in" links, mapped with the
n10s-style settings) and files in crm-kg's own vocabulary of about --own statements each (a bill of materials and
supplier graph linked to the bundled materials, countries and sectors: benchmarks/scale_benchmark.py's generator,
what users load), then, in one run:
1. parse only, with pyoxigraph (statements/s);
2. `kg`'s loader end to end into a fresh database (statements/s), with the loader's peak memory;
3. each own-vocabulary file end to end, into a fresh database and on top of the bundled dataset (the ontology and
   the bundled data loaded first, not timed);
4. the naive way, one auto-committed MERGE per statement, on the first --naive-triples statements;
5. on Neo4j (--backend neo4j), rdflib-neo4j on the same file (its documented batched usage);
and prints the figures and the ratios. Targets on a 2-core machine: parse >= 300k/s; end to end >= 20k/s and
>= 10x the naive way; loader peak memory < 1 GB for 1M statements; own vocabulary >= 20k/s, fresh and on top of
the bundled data, and >= 0.8x the generic file's rate.
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
from engines import BACKENDS, engine, vm_hwm_kb

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


def load_in_child(
    path: Path, env: dict[str, str], batch_size: int, *, on_bundled: bool = False
) -> tuple[int, float, int]:
    """Load with kg's loader in a child process, so that its peak memory is the loader's own. With `on_bundled`,
    the ontology and the bundled dataset are loaded first (not timed)."""
    code = f"""
import resource, sys, time
from pathlib import Path
from kg.core.config import load_settings
from kg.core.resources import bundled_data_files, ontology_file
from kg.server.connection import connect
from kg.cypher.schema import ensure_schema
from loaders.graph.config import readable_config
from loaders.rdf.load import LoadOptions, load_rdf_file
from loaders.rdf.source import rdf_file
settings = load_settings({env!r}, dotenv_path=None)
with connect(settings) as connection:
    ensure_schema(connection)
    if {on_bundled!r}:
        for first in [ontology_file(), *bundled_data_files()]:
            load_rdf_file(connection, rdf_file(first), LoadOptions(readable_config()))
    started = time.perf_counter()
    options = LoadOptions(readable_config(), batch_size={batch_size})
    report = load_rdf_file(connection, rdf_file(Path({str(path)!r})), options)
    seconds = time.perf_counter() - started
print(report.statements_loaded, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"kg's loader failed: {(result.stderr.strip().splitlines() or ['no output'])[-1]}")
    loaded, seconds, peak_kb = result.stdout.split()
    return int(loaded), float(seconds), int(peak_kb)


def naive(path: Path, env: dict[str, str], limit: int) -> tuple[int, float]:
    """One auto-committed MERGE per statement: what a loader without batching does."""
    from kg.core.config import load_settings
    from kg.cypher.schema import ensure_schema
    from kg.server.connection import connect

    settings = load_settings(env, dotenv_path=None)
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


def rdflib_neo4j(path: Path, env: dict[str, str]) -> tuple[int, float]:
    """rdflib-neo4j, the peer users would pick, as its documentation shows it: the uniqueness constraint it asks
    for, a Neo4jStore with batching on, graph.parse, graph.close(True). Statements counted as read from the file."""
    import neo4j
    from rdflib import Graph
    from rdflib_neo4j import HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig

    auth = (env["NEO4J_USERNAME"], env["NEO4J_PASSWORD"])
    with neo4j.GraphDatabase.driver(env["NEO4J_URI"], auth=auth) as driver, driver.session() as session:
        session.run("CREATE CONSTRAINT n10s_unique_uri IF NOT EXISTS "
                    "FOR (r:Resource) REQUIRE r.uri IS UNIQUE").consume()
    config = Neo4jStoreConfig(
        auth_data={"uri": env["NEO4J_URI"], "database": "neo4j", "user": auth[0], "pwd": auth[1]},
        custom_prefixes={"vc": NS},  # SHORTEN names only the namespaces it is given (kg's loader invents ns0)
        handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.SHORTEN,
        batching=True,
    )
    started = time.perf_counter()
    graph = Graph(store=Neo4jStore(config=config))
    graph.parse(str(path), format="nt")
    graph.close(True)
    seconds = time.perf_counter() - started
    statements = sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
    return statements, seconds


def own_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of whole numbers: {text!r}") from None
    return [size for size in sizes if size > 0]


def generate_own(work: Path, statements: int) -> tuple[Path, int]:
    """A bill of materials in crm-kg's own vocabulary of about `statements` statements (the scale benchmark's
    generator writes about 4.8 statements a part)."""
    from scale_benchmark import generate as generate_bom

    generated = generate_bom(work / f"own-{statements}.nt", max(100, round(statements / 4.8)))
    return generated.path, generated.statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--own", type=own_sizes, default=own_sizes("50000,500000"),
                        help="about how many statements each own-vocabulary file holds (comma-separated; 0: none)")
    parser.add_argument("--naive-triples", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=20_000)
    parser.add_argument("--backend", choices=BACKENDS, default="embedded",
                        help="the embedded server (default) or a throwaway Neo4j 5.26 (make neo4j-jars)")
    parser.add_argument("--heap", default=os.environ.get("KG_SERVER_HEAP", "2g"), help="the server's Java heap")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = Path(tmp)
        source = work / "value-chain.nt"
        written = generate(source, args.triples)
        size_mb = source.stat().st_size / 1e6
        print(f"synthetic file: {written:,} statements, {size_mb:.1f} MB ({source.name}); backend {args.backend}")

        parsed, parse_seconds = parse_only(source)
        parse_rate = parsed / parse_seconds
        print(f"parse only (pyoxigraph):    {parsed:,} statements in {parse_seconds:.2f} s = {parse_rate:,.0f}/s")

        server = engine(args.backend, work, args.heap)
        server.start()
        peer_rate = None
        own_rates: list[float] = []
        try:
            loaded, load_seconds, peak_kb = load_in_child(source, server.env("load"), args.batch_size)
            load_rate = loaded / load_seconds
            print(f"end to end (kg load):       {loaded:,} statements in {load_seconds:.2f} s = {load_rate:,.0f}/s")
            pid = server.pid()
            server_mb = (vm_hwm_kb(pid) if pid else 0) / 1024
            print(f"loader peak memory:         {peak_kb / 1024:,.0f} MB (server JVM peak RSS {server_mb:,.0f} MB)")
            for size in args.own:
                own_path, own_written = generate_own(work, size)
                for on_bundled in (False, True):
                    where = "on the bundled data" if on_bundled else "into a fresh database"
                    database = f"own-{size}-{'bundled' if on_bundled else 'fresh'}"
                    own_loaded, own_seconds, _ = load_in_child(
                        own_path, server.env(database), args.batch_size, on_bundled=on_bundled
                    )
                    own_rate = own_loaded / own_seconds
                    own_rates.append(own_rate)
                    print(
                        f"own vocabulary, {own_written:,} statements, {where}: {own_loaded:,} loaded in "
                        f"{own_seconds:.2f} s = {own_rate:,.0f}/s ({own_rate / load_rate:.2f}x generic)"
                    )
            naive_done, naive_seconds = naive(source, server.env("naive"), args.naive_triples)
            naive_rate = naive_done / naive_seconds
            print(
                f"naive (one MERGE each):     {naive_done:,} statements in {naive_seconds:.2f} s = {naive_rate:,.0f}/s"
            )
            if args.backend == "neo4j":
                try:
                    peer_done, peer_seconds = rdflib_neo4j(source, server.env("rdflib-neo4j"))
                except Exception as error:  # the peer's own failure is a finding, reported in one line
                    print(f"rdflib-neo4j (batched):     failed: {type(error).__name__}: {str(error).splitlines()[0]}")
                else:
                    peer_rate = peer_done / peer_seconds
                    print(f"rdflib-neo4j (batched):     {peer_done:,} statements in {peer_seconds:.2f} s = "
                          f"{peer_rate:,.0f}/s")
        finally:
            server.stop()
        peer = f"; load/rdflib-neo4j {load_rate / peer_rate:.1f}x" if peer_rate else ""
        print(
            f"ratios: parse/target {parse_rate / 300_000:.2f}x; load/target {load_rate / 20_000:.2f}x; "
            f"load/naive {load_rate / naive_rate:.1f}x (target 10x){peer}; "
            f"peak/1GB {peak_kb / 1024 / 1024:.2f}"
            + (f"; own vocabulary slowest/generic {min(own_rates) / load_rate:.2f}x (target 0.8x), "
               f"slowest/target {min(own_rates) / 20_000:.2f}x" if own_rates else "")
        )


if __name__ == "__main__":
    main()
