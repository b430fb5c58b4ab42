"""Time to the first drawn graph in `kg browse`, and the size of the shipped front-end assets. Run by hand:

    .venv/bin/python benchmarks/browse_benchmark.py [--runs 15]

It starts an embedded server in a temporary data directory, loads the ontology and the bundled dataset, starts
`kg browse --port 0`, and opens `#/explore?focus=<gallium>` in headless Chromium (Debian's `chromium`), each run
in a fresh browser context (an empty cache: the page, its script and its first queries, as a new visitor gets
them). The time is the page's own `window.kgFirstGraphMs`: milliseconds from navigation start until the first
graph is laid out and rendered. Shared machines are noisy: compare medians of one run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from kg.core.config import load_settings
from kg.core.resources import bundled_data_files, ontology_file
from kg.cypher.schema import ensure_schema
from kg.server.connection import connect
from kg.server.embedded import EmbeddedServer
from loaders.graph.config import readable_config
from loaders.rdf.load import LoadOptions
from loaders.rdf.pipeline import load_rdf_files
from loaders.rdf.source import rdf_file
from tests.browse_process import CHROMIUM_ARGS, running_browse

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "kg" / "browse_assets"
DATABASE = "browsebench"
HEAP = "1g"


def asset_sizes() -> None:
    if not (ASSETS / "index.html").is_file():
        sys.exit(f"no built assets in {ASSETS}: run `make assets`")
    print(f"\nshipped front-end assets ({ASSETS.relative_to(ROOT)}/):")
    print(f"  {'file':<14}{'bytes':>10}{'gzip -9':>10}")
    total = total_gz = 0
    for path in sorted(p for p in ASSETS.iterdir() if p.is_file() and not p.name.startswith(".")):
        data = path.read_bytes()
        size, size_gz = len(data), len(gzip.compress(data, compresslevel=9))
        total, total_gz = total + size, total_gz + size_gz
        print(f"  {path.name:<14}{size:>10,}{size_gz:>10,}")
    print(f"  {'total':<14}{total:>10,}{total_gz:>10,}")


def load_dataset(server: EmbeddedServer) -> None:
    server.ensure_database(DATABASE)
    settings = load_settings({"KG_DATA_DIR": str(server.data_dir), "NEO4J_DATABASE": DATABASE}, dotenv_path=None)
    started = time.perf_counter()
    with connect(settings) as connection:
        ensure_schema(connection)
        files = [rdf_file(p) for p in [ontology_file(), *bundled_data_files()]]
        outcomes = load_rdf_files(connection, files, LoadOptions(readable_config()), validate_first=False)
    failed = [o.error for o in outcomes if not o.loaded]
    if failed:
        sys.exit(f"the bundled dataset did not load: {failed}")
    print(f"loaded the bundled dataset in {time.perf_counter() - started:.1f} s")


def browse_env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "KG_DATA_DIR": str(data_dir), "NEO4J_DATABASE": DATABASE, "KG_SERVER_HEAP": HEAP}
    for name in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD"):
        env.pop(name, None)
    return env


def gallium_uri(url: str) -> str:
    with urllib.request.urlopen(url + "api/search?q=gallium&limit=5", timeout=30) as response:
        results = json.load(response)["results"]
    return next(r["id"] for r in results if r["name"] == "gallium")


def measure(url: str, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        sys.exit("needs Chromium: sudo apt-get install chromium")
    page_url = f"{url}#/explore?focus={urllib.parse.quote(gallium_uri(url), safe='')}"
    times: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=list(CHROMIUM_ARGS))
        try:
            for run in range(runs + 1):
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                page = context.new_page()
                page.goto(page_url)
                page.wait_for_function("() => typeof window.kgFirstGraphMs === 'number'", timeout=60_000)
                value = float(page.evaluate("() => window.kgFirstGraphMs"))
                nodes = page.evaluate("() => window.kgGraph.nodes().length")
                context.close()
                if run == 0:
                    print(f"warm-up run (not counted): {value:.0f} ms, {nodes} nodes")
                    continue  # the first visit also warms the server's query plans
                times.append(value)
        finally:
            browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="measured page loads (default 15)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crm-kg-browse-bench-") as folder:
        server = EmbeddedServer(Path(folder) / "data", heap=HEAP, start_timeout=180)
        server.start()
        try:
            load_dataset(server)
            command = [sys.executable, "-m", "kg.cli", "browse", "--port", "0"]
            env = browse_env(server.data_dir)
            # in the temporary folder: no .env of the checkout
            with running_browse(command, env, cwd=folder, stderr=subprocess.DEVNULL) as (_, url):
                times = measure(url, args.runs)
        finally:
            server.stop()
    print(
        f"\ntime to first graph (navigation start → laid out and rendered), #/explore?focus=gallium, {len(times)} runs:"
        f"\n  median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms"
    )
    asset_sizes()


if __name__ == "__main__":
    main()
