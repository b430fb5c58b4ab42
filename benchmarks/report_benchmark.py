"""Report benchmark (run by hand, not a test): every canned report on the bundled dataset, median over repeated
runs, in one process (start-up excluded). Target: under 200 ms each.

    .venv/bin/python benchmarks/report_benchmark.py [--runs 15] [--backend embedded|neo4j]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from engines import BACKENDS, engine

from kg.core.config import load_settings
from kg.core.resources import bundled_data_files, ontology_file, queries_dir
from kg.cypher.names import resolve
from kg.cypher.packs import load_packs
from kg.cypher.schema import ensure_schema
from kg.render.report_text import ReportFormat, render
from kg.reports import builders as reports
from kg.reports.model import Report
from kg.server.connection import connect
from loaders.graph.config import readable_config
from loaders.rdf.load import LoadOptions
from loaders.rdf.pipeline import load_rdf_files
from loaders.rdf.source import rdf_file

REPORTS: dict[str, Callable[[reports.ReportContext], Report]] = {
    "dependencies --material gallium": lambda c: reports.dependencies(c, "gallium", 6),
    "dependencies --material dysprosium": lambda c: reports.dependencies(c, "dysprosium", 8),
    "exposure --component wheel-speed sensor": lambda c: reports.exposure(
        c, resolve(c.connection, "Component", "wheel-speed sensor")
    ),
    "exposure --sector automotive": lambda c: reports.exposure(c, resolve(c.connection, "Sector", "automotive")),
    "concentration": lambda c: reports.concentration(c),
    "concentration --material gallium": lambda c: reports.concentration(c, "", "gallium"),
    "scenario --country CN --material dysprosium --as-of 2025-06-01": lambda c: reports.scenario(
        c, "CN", "dysprosium", dt.date(2025, 6, 1)
    ),
    "agreements": lambda c: reports.agreements(c),
    "ownership --country CN": lambda c: reports.ownership(c, "CN"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--backend", choices=BACKENDS, default="embedded",
                        help="the embedded server (default) or a throwaway Neo4j 5.26 (make neo4j-jars)")
    parser.add_argument("--heap", default=os.environ.get("KG_SERVER_HEAP", "2g"), help="the server's Java heap")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-report-bench-") as tmp:
        server = engine(args.backend, Path(tmp), args.heap)
        server.start()
        try:
            settings = load_settings(server.env("crm"), dotenv_path=None)
            print(f"backend {args.backend}")
            with connect(settings) as connection:
                ensure_schema(connection)
                files = [ontology_file(), *bundled_data_files()]
                load_rdf_files(connection, [rdf_file(p) for p in files], LoadOptions(readable_config()))
                context = reports.ReportContext(connection, load_packs([queries_dir()]))
                print(f"{'report':<66} {'median ms':>10} {'min':>7} {'max':>7}  (+ HTML render ms)")
                for name, build in REPORTS.items():
                    build(context)  # warm-up: the server compiles and caches the queries
                    times, renders = [], []
                    for _ in range(args.runs):
                        started = time.perf_counter()
                        report = build(context)
                        times.append((time.perf_counter() - started) * 1000)
                        started = time.perf_counter()
                        render(report, ReportFormat.html)
                        renders.append((time.perf_counter() - started) * 1000)
                    print(f"{name:<66} {statistics.median(times):>10.1f} {min(times):>7.1f} {max(times):>7.1f}"
                          f"  (+{statistics.median(renders):.1f})")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
