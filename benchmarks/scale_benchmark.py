"""Scale benchmark (run by hand, not a test): every canned report and every pack query on the bundled dataset
alone and with a generated bill of materials and supplier graph of 1k, 10k and 100k parts on top.

    .venv/bin/python benchmarks/scale_benchmark.py [--sizes 1000,10000,100000] [--repeat 5] [--timeout 120]
    .venv/bin/python benchmarks/scale_benchmark.py --generate-only --out build/scale   # just write the files

The generated graph (N-Triples, in crm-kg's own vocabulary, deterministic for a given --seed) has:
- components in --levels levels (default 5): each leaf (level 1) takes 2-3 bundled materials and intermediates
  (gallium, dysprosium, the NdFeB magnet, ...; `crm:usedIn` from the bundled IRIs) and now and then a bundled
  component (a microcontroller, a GaN power transistor, ...); each component of a higher level takes 2-3 parts
  (--fan-in) of the level below, so the number of distinct chains grows exponentially with depth; a few leaves
  also go into the bundled wheel-speed sensor;
- products, each made of top-level components, each going into one or two sectors: bundled ones (automotive
  above all) and a few generated ones;
- companies (`crm:makes` one to three of the parts), headquartered in bundled countries (China for about a
  third), in control chains (`crm:controlledBy` a parent company, up to five companies deep; some roots are
  controlled by their country, as state-owned groups are in the bundled data).
Components, products and companies together make up the "parts" of a size. The few bundled countries, sectors
and the wheel-speed sensor that the file points to are restated with their type, name (and ISO code), copied from
the bundled data, so that the file passes `kg validate FILE` on its own; loading it on top of the bundled data
changes nothing there.

Per size, in a fresh server of its own (--backend: the embedded server, or a throwaway Neo4j 5.26, see
benchmarks/engines.py; a temporary directory; the server's Java heap is KG_SERVER_HEAP or --heap): the ontology and
the bundled dataset are loaded, then the generated file (SHACL gate and load timed separately: the gate is what `kg
load` runs first, with the bundled dataset as context). Then every report of kg.reports.catalogue (with each
parameter's example) and every query of the bundled packs (with its examples) runs in this process, through the
library: one warm-up run, then up to --repeat timed runs; the median is shown. A run that takes longer than
--timeout seconds is abandoned (TIMEOUT) and the server is restarted (Neo4j: its transactions terminated), so that
the runaway query does not slow down the rest; a run that fails is shown as FAILED with the first line of its error.
Repeats stop early once an item has used --timeout seconds in all (the median is then of fewer runs and marked "~").
An item that timed out at one size is not run at the larger ones ("skip").

The table: one row per report ("R") and pack query ("Q"), plus two extra report rows ("R+") that reach the
generated graph where the catalogue's examples do not; median ms per size, the ratio of the largest size to the
bundled data alone, and flags where the issue's targets are missed: "answers" (an error or a timeout at the
largest size), "4x" (the largest size takes more than 4 times the bundled time), "200ms" (more than 200 ms on
the bundled data alone). The targets are the reports'; pack queries are flagged against the same thresholds for
information. Above the table: what each generated file holds (nodes, edges, statements, chain counts); below
it, per size: the server's peak memory (VmHWM of the server process, the largest over its restarts), the load
rates and the SHACL gate's time, the machine's load average (other work on the machine skews the figures).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from engines import BACKENDS, EmbeddedEngine, Neo4jEngine, engine, vm_hwm_kb

ID = "https://w3id.org/crm-kg/id/"
CRM = "https://w3id.org/crm-kg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

# Bundled materials and intermediates (data/materials.ttl) that leaves take, with weights: the catalogue's examples
# (gallium, dysprosium) and the magnet chain come up most.
MATERIAL_INPUTS: tuple[tuple[str, int], ...] = (
    ("gallium", 6),
    ("dysprosium", 6),
    ("ndfeb-magnet", 6),
    ("neodymium", 3),
    ("terbium", 2),
    ("gallium-metal", 2),
    ("gan-wafer", 2),
    ("gaas-wafer", 2),
    ("germanium", 2),
    ("lithium", 2),
    ("cobalt", 2),
    ("nickel", 2),
    ("graphite", 2),
    ("copper", 2),
    ("tungsten", 1),
    ("tantalum", 1),
    ("platinum", 1),
    ("palladium", 1),
    ("magnesium", 1),
    ("high-purity-silicon", 1),
    ("samarium-cobalt-magnet", 1),
    ("nmc-cathode-material", 1),
)
# Bundled components (data/value-chains.ttl) that some leaves take as an input ...
COMPONENT_INPUTS = (
    "microcontroller",
    "gan-power-transistor",
    "ndfeb-sensor-magnet",
    "power-semiconductor",
    "li-ion-cell",
)
COMPONENT_INPUT_RATE = 0.05
# ... and the bundled component that some leaves go into (so that the catalogue's exposure example grows too).
# None of COMPONENT_INPUTS may be downstream of it (checked), or the graph would have a cycle.
COMPONENT_TARGET = "wheel-speed-sensor"
COMPONENT_TARGET_RATE = 0.01
SECTORS: tuple[tuple[str, int], ...] = (
    ("automotive", 8),
    ("digital", 3),
    ("wind-power", 2),
    ("energy-storage", 2),
    ("defence", 1),
    ("telecommunications", 1),
    ("aerospace-space", 1),
)
GENERATED_SECTORS = 4
COUNTRIES: tuple[tuple[str, int], ...] = (
    ("CN", 30),
    ("DE", 10),
    ("US", 10),
    ("JP", 8),
    ("KR", 6),
    ("FR", 5),
    ("TW", 5),
    ("IT", 4),
    ("NL", 3),
    ("SE", 3),
    ("GB", 3),
    ("IN", 3),
    ("CA", 2),
    ("AU", 2),
    ("BE", 2),
    ("PL", 2),
    ("CZ", 1),
    ("ES", 1),
)
# Extra report rows ("R+"): a catalogue report with some of its examples replaced.
EXTRA_REPORTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("exposure", {"kind": "Sector", "name": "automotive"}),
    ("dependencies", {"material": "dysprosium", "max_hops": 8}),
)
COMPANY_SHARE = 0.20  # of the parts: companies; products; the rest components
PRODUCT_SHARE = 0.05
CONTROLLED_RATE = 0.6  # a company with a parent company (when the parent's chain is not already at the limit)
PARENT_WINDOW = 50  # a parent is one of the 50 companies before it
MAX_CONTROL_DEPTH = 4  # parent links above a company: chains of at most five companies
STATE_CONTROLLED_RATE = 0.15  # a root company controlled by its country


@dataclass
class Generated:
    path: Path
    parts: int
    statements: int = 0
    nodes: dict[str, int] = field(default_factory=dict)
    edges: dict[str, int] = field(default_factory=dict)
    chains: dict[str, int] = field(default_factory=dict)

    def describe(self) -> list[str]:
        nodes = ", ".join(f"{k} {v:,}" for k, v in self.nodes.items())
        edges = ", ".join(f"{k} {v:,}" for k, v in self.edges.items())
        chains = ", ".join(f"{k} {v:,}" for k, v in self.chains.items())
        size_mb = self.path.stat().st_size / 1e6 if self.path.exists() else 0.0
        return [
            f"{self.parts:,} parts: {self.statements:,} statements, {size_mb:.1f} MB ({self.path.name})",
            f"  nodes: {nodes}",
            f"  edges: {edges}",
            f"  chains: {chains}",
        ]


def _bundled_facts(
    files: Sequence[Path],
) -> tuple[set[str], dict[str, ox.Literal], dict[str, str], dict[str, set[str]]]:
    """From the bundled data: the typed subjects, their English (or first) labels, countries' ISO codes, and the
    crm:usedIn edges (to check that the generated links make no cycle)."""
    typed: set[str] = set()
    labels: dict[str, ox.Literal] = {}
    iso2: dict[str, str] = {}
    used_in: dict[str, set[str]] = {}
    for path in files:
        for quad in ox.parse(path=str(path)):
            subject, predicate, obj = quad.subject.value, quad.predicate.value, quad.object
            if predicate == RDF_TYPE:
                typed.add(subject)
            elif predicate == RDFS_LABEL and isinstance(obj, ox.Literal):
                if subject not in labels or obj.language == "en":
                    labels[subject] = obj
            elif predicate == CRM + "iso2" and isinstance(obj, ox.Literal):
                iso2[subject] = obj.value
            elif predicate == CRM + "usedIn" and isinstance(obj, ox.NamedNode):
                used_in.setdefault(subject, set()).add(obj.value)
    return typed, labels, iso2, used_in


def _downstream(used_in: Mapping[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in used_in.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _weighted(pairs: Sequence[tuple[str, int]]) -> list[str]:
    return [name for name, weight in pairs for _ in range(weight)]


def _inputs(rng: random.Random, index: int, lower: int, fan_in: tuple[int, int], perm: Sequence[int]) -> list[int]:
    """The parts of the level below that part `index` takes: two that cover the level below in turn (every part is
    used when the levels are of equal size), then random ones up to the part's fan-in."""
    chosen = {perm[(2 * index) % lower], perm[(2 * index + 1) % lower]}
    wanted = min(rng.randint(*fan_in), lower)
    while len(chosen) < wanted:
        chosen.add(rng.randrange(lower))
    return sorted(chosen)


def generate(path: Path, parts: int, *, levels: int = 5, fan_in: tuple[int, int] = (2, 3), seed: int = 7) -> Generated:
    """Write the bill of materials and supplier graph of `parts` parts to `path` (N-Triples)."""
    from kg.core.resources import bundled_data_files

    rng = random.Random(f"{seed}:{parts}:{levels}:{fan_in}")
    typed, labels, iso2, used_in = _bundled_facts(bundled_data_files())
    material = {m: f"{ID}material/{m}" for m, _ in MATERIAL_INPUTS}
    component = {c: f"{ID}component/{c}" for c in (*COMPONENT_INPUTS, COMPONENT_TARGET)}
    sector = {s: f"{ID}sector/{s}" for s, _ in SECTORS}
    country = {c: f"{ID}country/{c}" for c, _ in COUNTRIES}
    for iri in (*material.values(), *component.values(), *sector.values(), *country.values()):
        if iri not in typed or iri not in labels:
            raise SystemExit(f"the bundled dataset has no {iri} (with a type and a label): update scale_benchmark.py")
    below_target = _downstream(used_in, component[COMPONENT_TARGET])
    if below_target & set(component.values()):
        raise SystemExit(f"a bundled input component is downstream of {COMPONENT_TARGET}: that would make a cycle")

    companies = max(2, round(parts * COMPANY_SHARE))
    products = max(2, round(parts * PRODUCT_SHARE))
    components = parts - companies - products
    if components < 2 * levels:
        raise SystemExit(f"{parts} parts are too few for {levels} levels")
    per_level = [components // levels] * levels
    per_level[0] += components - sum(per_level)  # the remainder goes to the leaves

    result = Generated(path, parts)
    nodes = result.nodes
    edges = result.edges

    def comp_iri(level: int, i: int) -> str:
        return f"<{ID}component/scale-l{level}-{i}>"

    material_pool = _weighted(MATERIAL_INPUTS)
    sector_pool = _weighted(SECTORS)
    country_pool = _weighted(COUNTRIES)
    used = "<" + CRM + "usedIn>"
    a = "<" + RDF_TYPE + ">"
    label = "<" + RDFS_LABEL + ">"
    lines = 0

    with open(path, "w", encoding="utf-8") as out:

        def emit(s: str, p: str, o: str) -> None:
            nonlocal lines
            out.write(f"{s} {p} {o} .\n")
            lines += 1

        out.write(
            f"# crm-kg scale benchmark: a generated bill of materials and supplier graph of {parts} parts\n"
            f"# (benchmarks/scale_benchmark.py, seed {seed}, {levels} levels, fan-in {fan_in[0]}-{fan_in[1]}).\n"
            "# Synthetic: no figure or link here is a fact. The bundled countries, sectors and component it points\n"
            "# to are restated with their type and name as in data/, so that the file validates on its own.\n"
        )
        # The bundled nodes pointed to, restated (their shapes need the type, a label and, for a country, iso2).
        for key, iri in sorted(country.items()):
            emit(f"<{iri}>", a, f"<{CRM}Country>")
            emit(f"<{iri}>", label, str(labels[iri]))
            emit(f"<{iri}>", f"<{CRM}iso2>", str(ox.Literal(iso2.get(iri, key))))
        for iri in sorted(sector.values()):
            emit(f"<{iri}>", a, f"<{CRM}Sector>")
            emit(f"<{iri}>", label, str(labels[iri]))
        emit(f"<{component[COMPONENT_TARGET]}>", a, f"<{CRM}Component>")
        emit(f"<{component[COMPONENT_TARGET]}>", label, str(labels[component[COMPONENT_TARGET]]))
        nodes["restated bundled"] = len(country) + len(sector) + 1

        # Components, level by level; paths[level][i]: distinct chains from a bundled input to that component,
        # gallium[level][i]: those that start with gallium's own edge.
        paths: list[list[int]] = []
        gallium: list[list[int]] = []
        edges["usedIn material->leaf"] = 0
        edges["usedIn component->leaf"] = 0
        edges[f"usedIn leaf->{COMPONENT_TARGET}"] = 0
        edges["usedIn component->component"] = 0
        target_chains = 0
        for level in range(1, levels + 1):
            count = per_level[level - 1]
            level_paths, level_gallium = [], []
            perm = list(range(per_level[level - 2])) if level > 1 else []
            rng.shuffle(perm)
            for i in range(count):
                iri = comp_iri(level, i)
                emit(iri, a, f"<{CRM}Component>")
                emit(iri, label, f'"Scale component L{level}-{i}"@en')
                if level == 1:
                    wanted = rng.randint(*fan_in)
                    picked: set[str] = set()
                    while len(picked) < wanted:
                        picked.add(material[rng.choice(material_pool)])
                    taken = sorted(picked)
                    if rng.random() < COMPONENT_INPUT_RATE:
                        taken.append(component[rng.choice(COMPONENT_INPUTS)])
                        edges["usedIn component->leaf"] += 1
                    for source in taken:
                        emit(f"<{source}>", used, iri)
                    edges["usedIn material->leaf"] += sum(1 for s in taken if "/material/" in s)
                    level_paths.append(len(taken))
                    level_gallium.append(int(material["gallium"] in taken))
                    if rng.random() < COMPONENT_TARGET_RATE or i == 0:
                        emit(iri, used, f"<{component[COMPONENT_TARGET]}>")
                        edges[f"usedIn leaf->{COMPONENT_TARGET}"] += 1
                        target_chains += len(taken)
                else:
                    below = per_level[level - 2]
                    chosen = _inputs(rng, i, below, fan_in, perm)
                    for j in chosen:
                        emit(comp_iri(level - 1, j), used, iri)
                    edges["usedIn component->component"] += len(chosen)
                    level_paths.append(sum(paths[-1][j] for j in chosen))
                    level_gallium.append(sum(gallium[-1][j] for j in chosen))
            paths.append(level_paths)
            gallium.append(level_gallium)
            nodes[f"components L{level}"] = count

        # Products: every top-level component goes into one (in turn), each product takes at least two.
        top = per_level[-1]
        product_inputs: list[set[int]] = [set() for _ in range(products)]
        for i in range(top):
            product_inputs[i % products].add(i)
        for taken_top in product_inputs:
            while len(taken_top) < min(2, top):
                taken_top.add(rng.randrange(top))
        generated_sectors = [f"<{ID}sector/scale-{k}>" for k in range(1, GENERATED_SECTORS + 1)]
        for k, iri in enumerate(generated_sectors, start=1):
            emit(iri, a, f"<{CRM}Sector>")
            emit(iri, label, f'"Scale sector {k}"@en')
        nodes["generated sectors"] = GENERATED_SECTORS
        edges["usedIn component->product"] = 0
        edges["usedIn product->sector"] = 0
        product_paths = product_gallium = to_sectors = gallium_to_sectors = 0
        for p, taken_top in enumerate(product_inputs):
            iri = f"<{ID}product/scale-{p}>"
            emit(iri, a, f"<{CRM}Product>")
            emit(iri, label, f'"Scale product {p}"@en')
            for j in sorted(taken_top):
                emit(comp_iri(levels, j), used, iri)
            edges["usedIn component->product"] += len(taken_top)
            chains = sum(paths[-1][j] for j in taken_top)
            from_gallium = sum(gallium[-1][j] for j in taken_top)
            product_paths += chains
            product_gallium += from_gallium
            into = {f"<{sector[rng.choice(sector_pool)]}>" if rng.random() < 0.7 else rng.choice(generated_sectors)}
            if rng.random() < 0.3:
                into.add(rng.choice(generated_sectors))
            for target in sorted(into):
                emit(iri, used, target)
            edges["usedIn product->sector"] += len(into)
            to_sectors += chains * len(into)
            gallium_to_sectors += from_gallium * len(into)
        nodes["products"] = products

        # Companies: what they make, where they are, who controls them.
        makeable = [comp_iri(level, i) for level in range(1, levels + 1) for i in range(per_level[level - 1])]
        made_products = [f"<{ID}product/scale-{p}>" for p in range(products)]
        depth: list[int] = []
        hq: list[str] = []
        edges["makes"] = edges["headquarteredIn"] = 0
        edges["controlledBy company"] = edges["controlledBy country"] = 0
        for c in range(companies):
            iri = f"<{ID}company/scale-{c}>"
            emit(iri, a, f"<{CRM}Company>")
            emit(iri, label, f'"Scale company {c}"@en')
            parent = None
            if c > 0 and rng.random() < CONTROLLED_RATE:
                candidate = rng.randrange(max(0, c - PARENT_WINDOW), c)
                if depth[candidate] < MAX_CONTROL_DEPTH:
                    parent = candidate
            home = hq[parent] if parent is not None and rng.random() < 0.7 else rng.choice(country_pool)
            hq.append(home)
            depth.append(0 if parent is None else depth[parent] + 1)
            emit(iri, f"<{CRM}headquarteredIn>", f"<{country[home]}>")
            edges["headquarteredIn"] += 1
            if parent is not None:
                emit(iri, f"<{CRM}controlledBy>", f"<{ID}company/scale-{parent}>")
                edges["controlledBy company"] += 1
            elif rng.random() < STATE_CONTROLLED_RATE:
                emit(iri, f"<{CRM}controlledBy>", f"<{country[home]}>")
                edges["controlledBy country"] += 1
            made = {rng.choice(made_products) if rng.random() < 0.2 else rng.choice(makeable)}
            while len(made) < rng.randint(1, 3):
                made.add(rng.choice(makeable))
            for thing in sorted(made):
                emit(iri, f"<{CRM}makes>", thing)
            edges["makes"] += len(made)
        nodes["companies"] = companies

    result.statements = lines
    chains_out = result.chains
    for level in range(1, levels + 1):
        chains_out[f"input->L{level}"] = sum(paths[level - 1])
    chains_out["input->product"] = product_paths
    chains_out["input->sector"] = to_sectors
    chains_out["gallium->product (direct edges)"] = product_gallium
    chains_out["gallium->sector (direct edges)"] = gallium_to_sectors
    chains_out[f"input->{COMPONENT_TARGET}"] = target_chains
    chains_out["longest control chain (companies)"] = max(depth) + 1
    return result


# --- running -----------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    status: str  # "ok", "FAILED", "TIMEOUT", "skip"
    times: list[float] = field(default_factory=list)
    error: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None


@dataclass(frozen=True)
class Item:
    label: str
    is_report: bool
    run: Callable[[Any, Any], object]  # (Connection, ReportContext) -> anything


def items() -> list[Item]:
    """Every report of the catalogue and every pack query, with their example parameters; and two extra reports."""
    from kg.core.resources import queries_dir
    from kg.cypher.querying import run_query
    from kg.reports.catalogue import CATALOGUE, CatalogueReport, check_report_params

    found: list[Item] = []

    def report_item(entry: CatalogueReport, given: Mapping[str, Any], extra: bool = False) -> Item:
        values = check_report_params(entry, given)
        shown = " ".join(str(v) for v in given.values() if v not in (None, ""))

        def run(_connection: Any, context: Any) -> object:
            ran: list[Any] = []  # the report records each query before it runs it: the last one is the failing one
            try:
                return entry.build(dataclasses.replace(context, record=ran), values)
            except Exception as error:
                if ran:
                    raise RuntimeError(f"in query {ran[-1].name}: {first_line(error)}") from error
                raise

        return Item(f"{'R+' if extra else 'R '} {entry.name} {shown}".rstrip(), True, run)

    for entry in CATALOGUE:
        found.append(report_item(entry, {p.name: p.example for p in entry.params}))
    # Reports that reach the generated graph where the catalogue's examples do not (or only a little): the
    # examples with these values instead (skipped if the catalogue no longer has the report or parameter).
    for name, overrides in EXTRA_REPORTS:
        extra = next((e for e in CATALOGUE if e.name == name), None)
        if extra is None or not set(overrides) <= {p.name for p in extra.params}:
            progress(f"extra report {name} {overrides} skipped: the catalogue has no such report or parameter")
            continue
        found.append(report_item(extra, {**{p.name: p.example for p in extra.params}, **overrides}, extra=True))

    from kg.core.cypher_files import Query
    from kg.cypher.packs import load_packs

    def query_item(query: Query) -> Item:
        values = query.check_parameters({})
        shown = " ".join(str(v) for v in values.values() if v not in (None, ""))
        return Item(
            f"Q  {query.name} {shown}".rstrip(), False, lambda connection, _c: run_query(connection, query.text, values)
        )

    for query in sorted(load_packs([queries_dir()]).values(), key=lambda q: (q.pack, q.name)):
        found.append(query_item(query))
    return found


def first_line(error: BaseException) -> str:
    text = getattr(error, "message", None) or str(error) or type(error).__name__
    lines = [line for line in str(text).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def timed(function: Callable[[], object], timeout: float) -> tuple[float | None, BaseException | None]:
    """Run `function` in a thread of its own: (seconds, None), (None, error), or (None, None) on a timeout (the
    thread is abandoned; the caller restarts the server, which ends it)."""
    box: dict[str, Any] = {}

    def target() -> None:
        started = time.perf_counter()
        try:
            function()
            box["seconds"] = time.perf_counter() - started
        except BaseException as error:  # reported, not raised: the run goes on
            box["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        _abandoned.append(thread)
        return None, None
    return box.get("seconds"), box.get("error")


_abandoned: list[threading.Thread] = []


class Server:
    """The engine of one size (a fresh server) with a connection that survives a recovery after a runaway query."""

    def __init__(self, engine: EmbeddedEngine | Neo4jEngine) -> None:
        from kg.core.config import load_settings

        self.engine = engine
        engine.start()
        self.settings = load_settings(engine.env("crm"), dotenv_path=None)
        self.peak_kb = 0
        self.restarts = 0
        self._stack = contextlib.ExitStack()
        self.connection: Any = None
        self.context: Any = None

    def open(self) -> None:
        from kg.core.resources import queries_dir
        from kg.cypher.packs import load_packs
        from kg.reports.builders import ReportContext
        from kg.server.connection import connect

        self.connection = self._stack.enter_context(connect(self.settings))
        self.context = ReportContext(self.connection, load_packs([queries_dir()]))

    def sample_memory(self) -> None:
        pid = self.engine.pid()
        if pid is not None:
            self.peak_kb = max(self.peak_kb, vm_hwm_kb(pid))

    def answers(self) -> bool:
        from kg.core.cypher_files import own_cypher
        from kg.cypher.querying import run_query

        seconds, _error = timed(lambda: run_query(self.connection, own_cypher("kg", "ping")), 30)
        return seconds is not None

    def restart(self) -> None:
        """After a runaway query: the embedded server is restarted, Neo4j's transactions are terminated."""
        self.sample_memory()
        self.engine.recover()
        with contextlib.suppress(Exception):  # the old driver's connections may have died with the server
            self._stack.close()
        for thread in _abandoned:
            thread.join(30)
        _abandoned.clear()
        self._stack = contextlib.ExitStack()
        self.restarts += 1
        self.open()

    def stop(self) -> None:
        self.sample_memory()
        with contextlib.suppress(Exception):
            self._stack.close()
        self.engine.stop()


def measure(server: Server, item: Item, repeat: int, timeout: float) -> Outcome:
    """Warm up once, then up to `repeat` timed runs while the item's total stays under `timeout`. A warm-up slower
    than a second counts as a run (compiling the query is then a small part of it)."""
    spent = 0.0
    times: list[float] = []
    for attempt in range(repeat + 1):
        seconds, error = timed(lambda: item.run(server.connection, server.context), timeout)
        if seconds is None and error is None:
            server.restart()
            return Outcome("TIMEOUT", error=f"no answer within {timeout:g} s")
        if error is not None:
            if not server.answers():
                server.restart()
            return Outcome("FAILED", error=first_line(error))
        assert seconds is not None
        spent += seconds
        if attempt > 0 or seconds > 1.0:
            times.append(seconds * 1000)
        if len(times) >= repeat or spent >= timeout:
            break
    return Outcome("ok", times)


@dataclass
class SizeResult:
    size: int
    generated: Generated | None = None
    bundled_statements: int = 0
    bundled_seconds: float = 0.0
    gate_seconds: float | None = None
    gate_error: str = ""
    load_statements: int = 0
    load_seconds: float = 0.0
    totals: tuple[int, int] = (0, 0)
    peak_kb: int = 0
    restarts: int = 0
    load_average: float = 0.0  # the machine's largest 1-minute load average seen while this size ran
    timeout: float = 0.0
    outcomes: dict[str, Outcome] = field(default_factory=dict)


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run_size(
    size: int,
    generated: Generated | None,
    catalogue: Sequence[Item],
    args: argparse.Namespace,
    skip: set[str],
    work: Path,
) -> SizeResult:
    from kg.core.cypher_files import own_cypher
    from kg.core.resources import bundled_data_files, ontology_file
    from kg.cypher.querying import run_query
    from kg.cypher.schema import ensure_schema
    from loaders.graph.config import readable_config
    from loaders.rdf.load import LoadOptions
    from loaders.rdf.pipeline import load_rdf_files, refusals
    from loaders.rdf.source import rdf_file

    result = SizeResult(size, generated, timeout=args.timeout)
    server_dir = work / f"server-{size}"
    server = Server(engine(args.backend, server_dir, args.heap, args.start_timeout))
    try:
        server.open()
        ensure_schema(server.connection)
        options = LoadOptions(readable_config())
        bundled = [rdf_file(p) for p in [ontology_file(), *bundled_data_files()]]
        started = time.perf_counter()
        outcomes = load_rdf_files(server.connection, bundled, options, validate_first=False)
        result.bundled_seconds = time.perf_counter() - started
        failed = [o.error for o in outcomes if not o.loaded]
        if failed:
            raise SystemExit(f"the bundled dataset did not load: {failed[0]}")
        result.bundled_statements = sum(o.report.statements_loaded for o in outcomes if o.report)
        progress(f"[{size:>6}] bundled: {result.bundled_statements:,} statements in {result.bundled_seconds:.1f} s")
        if generated is not None:
            source = rdf_file(generated.path)
            if args.validate:
                started = time.perf_counter()
                refused = refusals([source])
                result.gate_seconds = time.perf_counter() - started
                result.gate_error = refused.get(generated.path, "")
                progress(
                    f"[{size:>6}] SHACL gate: {result.gate_seconds:.1f} s, "
                    + (result.gate_error or "the file conforms")
                )
            started = time.perf_counter()
            outcomes = load_rdf_files(server.connection, [source], options, validate_first=False)
            result.load_seconds = time.perf_counter() - started
            if not outcomes[0].loaded or outcomes[0].report is None:
                raise SystemExit(f"the generated file did not load: {outcomes[0].error}")
            result.load_statements = outcomes[0].report.statements_loaded
            rate = result.load_statements / result.load_seconds
            progress(
                f"[{size:>6}] generated: {result.load_statements:,} statements in {result.load_seconds:.1f} s"
                f" = {rate:,.0f}/s"
            )
        totals = run_query(server.connection, own_cypher("kg", "count_totals")).rows[0]
        result.totals = (int(totals[0]), int(totals[1]))
        server.sample_memory()
        for item in catalogue:
            if item.label in skip:
                result.outcomes[item.label] = Outcome("skip")
                continue
            outcome = measure(server, item, args.repeat, args.timeout)
            result.outcomes[item.label] = outcome
            result.load_average = max(result.load_average, os.getloadavg()[0])
            if outcome.status == "TIMEOUT":
                skip.add(item.label)
            server.sample_memory()
            shown = f"{outcome.median:,.1f} ms ({len(outcome.times)} runs)" if outcome.times else ""
            progress(f"[{size:>6}] {item.label:<58} {outcome.status} {shown}{outcome.error}")
    finally:
        server.stop()
        result.peak_kb = server.peak_kb
        result.restarts = server.restarts
        shutil.rmtree(server_dir, ignore_errors=True)
    return result


# --- the table ---------------------------------------------------------------------------------------------


def size_name(size: int) -> str:
    if size == 0:
        return "bundled"
    if size % 1000 == 0:
        return f"{size // 1000}k"
    return str(size)


def cell(outcome: Outcome | None, repeat: int) -> str:
    if outcome is None:
        return "-"
    if outcome.status != "ok":
        return outcome.status
    median = outcome.median
    if median is None:
        return "?"
    mark = "~" if len(outcome.times) < repeat else ""
    return f"{mark}{median:,.1f}"


def ends(results: Sequence[SizeResult]) -> tuple[SizeResult | None, SizeResult | None]:
    """The bundled-only run (size 0) and the largest generated size, where they were run."""
    baseline = results[0] if results and results[0].size == 0 else None
    largest = results[-1] if results and results[-1].size > 0 else None
    return baseline, largest


def ratio(label: str, results: Sequence[SizeResult]) -> float | None:
    baseline, largest = ends(results)
    base = baseline.outcomes.get(label) if baseline else None
    last = largest.outcomes.get(label) if largest else None
    if base and last and base.median and last.median is not None and last.status == "ok":
        return last.median / base.median
    return None


def flags(label: str, results: Sequence[SizeResult]) -> str:
    baseline, largest = ends(results)
    found = []
    last = largest.outcomes.get(label) if largest else None
    if largest is not None and (last is None or last.status != "ok"):
        found.append("answers")
    times = ratio(label, results)
    base = baseline.outcomes.get(label) if baseline else None
    # No answer within the timeout (or none tried, after a timeout at a smaller size) is more than 4x too, unless
    # the bundled time was a quarter of the timeout already.
    timeout_ms = 1000 * largest.timeout if largest else 0.0
    slower = last is not None and last.status in ("TIMEOUT", "skip")
    if (times is not None and times > 4) or (
        slower and base is not None and base.median is not None and 4 * base.median < timeout_ms
    ):
        found.append("4x")
    if baseline is not None and (base is None or base.median is None or base.median > 200):
        found.append("200ms")
    return " ".join(found)


def table(results: Sequence[SizeResult], catalogue: Sequence[Item], repeat: int) -> list[str]:
    width = max(34, *(len(item.label) for item in catalogue))
    sizes = [size_name(r.size) for r in results]
    baseline, largest = ends(results)
    ratio_head = f"{size_name(largest.size)}/bundled" if baseline and largest else ""
    head = f"{'median ms':<{width}} " + " ".join(f"{s:>10}" for s in sizes)
    head += f" {ratio_head:>16}  flags"
    lines = [head, "-" * len(head)]
    for item in catalogue:
        cells = [cell(r.outcomes.get(item.label), repeat) for r in results]
        times = ratio(item.label, results)
        shown = f"{times:,.1f}x" if times is not None else ""
        lines.append(
            f"{item.label:<{width}} "
            + " ".join(f"{c:>10}" for c in cells)
            + f" {shown:>16}  {flags(item.label, results)}"
        )
    lines.append("-" * len(head))
    lines.append(f"{'server peak RSS (VmHWM) MB':<{width}} " + " ".join(f"{r.peak_kb / 1024:>10,.0f}" for r in results))
    lines.append(f"{'server restarts (after a timeout)':<{width}} " + " ".join(f"{r.restarts:>10}" for r in results))
    lines.append(
        f"{'load bundled, statements/s':<{width}} "
        + " ".join(f"{r.bundled_statements / r.bundled_seconds:>10,.0f}" for r in results)
    )
    lines.append(
        f"{'load generated, statements/s':<{width}} "
        + " ".join(
            f"{(r.load_statements / r.load_seconds if r.load_seconds else 0):>10,.0f}" if r.size else f"{'':>10}"
            for r in results
        )
    )
    lines.append(
        f"{'load generated, s':<{width}} "
        + " ".join(f"{r.load_seconds:>10,.1f}" if r.size else f"{'':>10}" for r in results)
    )
    lines.append(
        f"{'SHACL gate on generated, s':<{width}} "
        + " ".join(f"{r.gate_seconds:>10,.1f}" if r.gate_seconds is not None else f"{'':>10}" for r in results)
    )
    lines.append(
        f"{'machine load average (1 min, max)':<{width}} " + " ".join(f"{r.load_average:>10.1f}" for r in results)
    )
    lines.append(f"{'graph nodes':<{width}} " + " ".join(f"{r.totals[0]:>10,}" for r in results))
    lines.append(f"{'graph relationships':<{width}} " + " ".join(f"{r.totals[1]:>10,}" for r in results))
    return lines


def targets_summary(results: Sequence[SizeResult], catalogue: Sequence[Item]) -> list[str]:
    reports = [item for item in catalogue if item.is_report]
    baseline, largest = ends(results)
    at = size_name(largest.size) if largest else "-"
    names = {
        "answers": (f"every report answers at {at}", largest is not None),
        "4x": (f"each report at {at} <= 4x its bundled time", largest is not None and baseline is not None),
        "200ms": ("each report's median < 200 ms on the bundled data", baseline is not None),
    }
    lines = [f"the issue's targets, for the reports (R and R+); largest generated size run: {at}"]
    for target, (name, applies) in names.items():
        if not applies:
            lines.append(f"  {name}: not measured")
            continue
        labels = [i.label.split(maxsplit=1)[1] for i in reports if target in flags(i.label, results).split()]
        verdict = "met" if not labels else f"MISSED by {len(labels)} of {len(reports)}: " + "; ".join(labels)
        lines.append(f"  {name}: {verdict}")
    return lines


def write_json(path: Path, args: argparse.Namespace, results: Sequence[SizeResult]) -> None:
    """The figures as JSON, to compare runs (before and after a change) without reading tables."""
    settings = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    sizes = []
    for r in results:
        entry = {k: v for k, v in dataclasses.asdict(r).items() if k not in ("generated", "outcomes")}
        if r.generated is not None:
            entry["generated"] = {
                "statements": r.generated.statements,
                "nodes": r.generated.nodes,
                "edges": r.generated.edges,
                "chains": r.generated.chains,
            }
        entry["outcomes"] = {
            label: {"status": o.status, "median_ms": o.median, "times_ms": o.times, "error": o.error}
            for label, o in r.outcomes.items()
        }
        sizes.append(entry)
    path.write_text(json.dumps({"settings": settings, "sizes": sizes}, indent=1), encoding="utf-8")


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "").strip()) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes takes whole numbers separated by commas, not {text!r}") from None
    if any(s < 100 for s in sizes):
        raise argparse.ArgumentTypeError("each size is at least 100 parts")
    return sizes


def parse_fan_in(text: str) -> tuple[int, int]:
    low, _, high = text.partition(",")
    try:
        pair = (int(low), int(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--fan-in is MIN,MAX, not {text!r}") from None
    if pair[0] < 2 or pair[1] < pair[0]:
        raise argparse.ArgumentTypeError("--fan-in needs 2 <= MIN <= MAX: every component takes two parts or more")
    return pair


@contextlib.contextmanager
def workspace(out: Path | None) -> Iterator[Path]:
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        yield out
        return
    with tempfile.TemporaryDirectory(prefix="kg-scale-bench-") as tmp:
        yield Path(tmp)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=parse_sizes("1000,10000,100000"),
        help="parts per generated graph, comma-separated (default 1000,10000,100000)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per item (default 5); the median is shown")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run, and per item (default 120)")
    parser.add_argument("--levels", type=int, default=5, help="component levels (default 5)")
    parser.add_argument("--fan-in", type=parse_fan_in, default=(2, 3), help="parts per component, MIN,MAX (2,3)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--backend", choices=BACKENDS, default="embedded",
        help="the embedded server (default) or a throwaway Neo4j 5.26 (make neo4j-jars; benchmarks/engines.py)",
    )
    parser.add_argument(
        "--heap",
        default=os.environ.get("KG_SERVER_HEAP") or "2g",
        help="the server's Java heap (default: KG_SERVER_HEAP, else 2g)",
    )
    parser.add_argument("--start-timeout", type=float, default=180.0, help="seconds for the server to start")
    parser.add_argument(
        "--no-validate",
        dest="validate",
        action="store_false",
        help="skip the SHACL gate on the generated files (slow on large files)",
    )
    parser.add_argument(
        "--no-baseline",
        dest="baseline",
        action="store_false",
        help="do not run the bundled data alone (size 0); ratios and flags then need it",
    )
    parser.add_argument("--out", type=Path, help="write the generated files here and keep them (default: a temp dir)")
    parser.add_argument("--generate-only", action="store_true", help="write the files, print their figures, stop")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.timeout <= 0:
        parser.error("--repeat and --timeout must be positive")

    with workspace(args.out) as work:
        generated: dict[int, Generated] = {}
        for size in args.sizes:
            started = time.perf_counter()
            path = work / f"scale-bom-{size}.nt"
            generated[size] = generate(path, size, levels=args.levels, fan_in=args.fan_in, seed=args.seed)
            progress(f"generated {size:,} parts in {time.perf_counter() - started:.1f} s")
        print("generated graphs (chains: distinct crm:usedIn paths from a bundled input into the generated parts):")
        for size in args.sizes:
            print("\n".join(generated[size].describe()))
        if args.generate_only:
            return

        catalogue = items()
        results: list[SizeResult] = []
        skip: set[str] = set()
        sizes = ([0] if args.baseline else []) + list(args.sizes)
        progress(f"{len(catalogue)} items (reports and pack queries) per size; sizes {sizes}; heap {args.heap}; "
                 f"backend {args.backend}")
        for size in sizes:
            results.append(run_size(size, generated.get(size), catalogue, args, skip, work))
        print()
        from kg.core.resources import bundled_root

        print(f"kg, its data and packs from {bundled_root()}; {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
        print(
            f"scale benchmark on {args.backend}: median ms of {args.repeat} runs after a warm-up (~: fewer runs, the "
            f"item's {args.timeout:g} s budget ran out), per-run timeout {args.timeout:g} s, server heap {args.heap}, "
            f"{args.levels} levels, fan-in {args.fan_in[0]}-{args.fan_in[1]}, seed {args.seed}"
        )
        print("\n".join(table(results, catalogue, args.repeat)))
        print()
        print("\n".join(targets_summary(results, catalogue)))
        errors = [
            (size_name(r.size), label, o)
            for r in results
            for label, o in r.outcomes.items()
            if o.status in ("FAILED", "TIMEOUT")
        ]
        if errors:
            print()
            print("errors (first line):")
            for name, label, outcome in errors:
                print(f"  [{name}] {label}: {outcome.status}: {outcome.error}")
        print()
        print(
            "flags: answers = FAILED/TIMEOUT/skip at the largest size; 4x = largest > 4x bundled (a TIMEOUT or skip "
            "counts); 200ms = over 200 ms (or no answer) on the bundled data; skip = timed out at a smaller size, "
            "not run"
        )
        if args.json:
            write_json(args.json, args, results)
            print(f"figures written to {args.json}")
        for r in results:
            if r.gate_error:
                print(f"SHACL gate refused the {size_name(r.size)} file: {r.gate_error}")


if __name__ == "__main__":
    main()
