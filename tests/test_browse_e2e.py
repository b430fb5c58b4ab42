"""`kg browse` end to end, as an analyst uses it: the real command on the bundled dataset, driven in headless Chromium.

Search "gallium", pick the suggestion, see its neighbourhood, click a neighbour to expand it, run the dependencies
report, reopen it from its link, export it as CSV, go back with the browser's back button. A first visit: the start
view's worked questions each run a report; a finding reads as a sentence; a material of an exposure report lists its
chains, a page at a time. The names and chains the page must show are read from the dataset's Turtle files
(data/*.ttl), not from the page. Screenshots go to test-output/browse/ (git-ignored).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import shutil
import sys
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.core.resources import bundled_data_files
from kg.render.report_values import human_text, is_percent_column
from kg.reports.catalogue import check_report_params, find_report
from tests.browse_process import CHROMIUM_ARGS, running_browse
from tests.rdf_data import turtle_store

pytestmark = [pytest.mark.graph, pytest.mark.slow]
NO_CHROMIUM = (
    "the end-to-end test of kg browse needs Chromium: install it (Debian/Ubuntu: sudo apt-get install chromium)"
)
if shutil.which("chromium") is None and os.environ.get("CI") != "true":
    # skip before the graph server starts; with CI=true the test runs and fails in `browser` instead
    pytestmark.append(pytest.mark.skip(reason=NO_CHROMIUM))

OUTPUT = Path(__file__).resolve().parents[1] / "test-output" / "browse"
TIMEOUT_MS = 60_000
CRM = "https://w3id.org/crm-kg/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


# ------------------------------------------------------------------------------------------ the data's answer


@dataclass(frozen=True)
class Dataset:
    """What the Turtle files say, to hold the page to."""

    names: dict[str, str]  # uri -> name (rdfs:label)
    used_in: dict[str, set[str]]  # uri -> what it goes into (crm:usedIn)
    world_shares: dict[str, list[tuple[float, str]]]  # material uri -> [(share of world output, country uri)]
    supply_facts: dict[str, int]  # material uri -> how many SupplyShare facts name it and a supplier
    store: ox.Store  # the Turtle files themselves, for the questions the fields above do not answer

    def uri_of(self, name: str, kind: str) -> str:
        """The one node of class crm:KIND labelled `name`."""
        query = f'SELECT ?x WHERE {{ ?x a <{CRM}{kind}> ; <{RDFS_LABEL}> ?l FILTER(str(?l) = "{name}") }}'
        found = [row[0].value for row in self.store.query(query)]
        assert len(found) == 1, found
        return found[0]

    def chains(self, source: str, target: str, max_hops: int) -> set[str]:
        """Every chain of at most `max_hops` usedIn steps from `source` to `target`, as the page writes one."""
        found: set[str] = set()

        def walk(path: list[str]) -> None:
            if path[-1] == target:
                found.add(" → ".join(self.names[u] for u in path))
                return
            if len(path) - 1 < max_hops:
                for step in sorted(self.used_in.get(path[-1], ())):
                    if step not in path:
                        walk([*path, step])

        walk([source])
        return found

    def unused_material(self) -> str:
        """The name of a material (not a group, not an intermediate) that goes into nothing."""
        query = (
            f"SELECT ?l WHERE {{ ?x a <{CRM}Material> ; <{RDFS_LABEL}> ?l "
            f"FILTER NOT EXISTS {{ ?x a <{CRM}MaterialGroup> }} FILTER NOT EXISTS {{ ?x a <{CRM}Intermediate> }} "
            f"FILTER NOT EXISTS {{ ?x <{CRM}usedIn> ?y }} }}"
        )
        names = sorted(str(row[0].value) for row in self.store.query(query))
        assert names, "the dataset has no material that goes into nothing"
        return names[0]

    def downstream(self, uri: str, max_hops: int) -> set[str]:
        """The names of everything within `max_hops` usedIn steps of `uri`."""
        seen: set[str] = set()
        frontier = {uri}
        for _ in range(max_hops):
            frontier = {b for a in frontier for b in self.used_in.get(a, set())} - seen - {uri}
            seen |= frontier
        return {self.names[u] for u in seen}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    store = turtle_store(*bundled_data_files())
    names = {row[0].value: row[1].value for row in store.query(f"SELECT ?x ?l WHERE {{ ?x <{RDFS_LABEL}> ?l }}")}
    used_in: dict[str, set[str]] = {}
    for row in store.query(f"SELECT ?a ?b WHERE {{ ?a <{CRM}usedIn> ?b }}"):
        used_in.setdefault(row[0].value, set()).add(row[1].value)
    shares: dict[str, list[tuple[float, str]]] = {}
    query = (
        f"SELECT ?m ?c ?v WHERE {{ ?s a <{CRM}SupplyShare> ; <{CRM}material> ?m ; <{CRM}supplier> ?c ; "
        f"<{CRM}share> ?v ; <{CRM}scope> <{CRM}World> }}"
    )
    for row in store.query(query):
        shares.setdefault(row[0].value, []).append((float(row[2].value), row[1].value))
    facts: dict[str, int] = {}
    for row in store.query(
        f"SELECT ?s ?m WHERE {{ ?s a <{CRM}SupplyShare> ; <{CRM}material> ?m ; <{CRM}supplier> ?c }}"
    ):
        facts[row[1].value] = facts.get(row[1].value, 0) + 1
    return Dataset(names, used_in, shares, facts, store)


# ------------------------------------------------------------------------------------------------ the browser


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(NO_CHROMIUM)
        pytest.skip(NO_CHROMIUM)
    return path


@pytest.fixture(scope="module")
def browse_url(bundled_env: dict[str, str]) -> Iterator[str]:
    """`kg browse --port 0` on the session's bundled dataset, found by the line it prints; stopped with SIGTERM."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KG_"))}
    env = {**inherited, **bundled_env}
    with running_browse([sys.executable, "-m", "kg.cli", "browse", "--port", "0"], env) as (_, url):
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=list(CHROMIUM_ARGS))
        try:
            yield launched
        finally:
            launched.close()


FAILED_LOAD = re.compile(r"^Failed to load resource: the server responded with a status of (\d{3})\b")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page of its own; the test fails on any script error, and on any console error but the failed loads of
    the statuses the test provokes on purpose (`expect_status(page, 403)`: Chromium logs every non-2xx fetch)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    opened.kg_expected_statuses = set()
    errors: list[str] = []

    def on_console(message: Any) -> None:
        if message.type != "error":
            return
        failed = FAILED_LOAD.match(message.text)
        if failed and int(failed[1]) in opened.kg_expected_statuses:
            return
        errors.append(f"console.error: {message.text}")

    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("console", on_console)

    def on_page(other: Any) -> None:
        other.on("console", on_console)
        other.on("pageerror", lambda error: errors.append(str(error)))

    context.on("page", on_page)
    yield opened
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def expect_status(page: Any, status: int) -> None:
    """The test is about to provoke an answer with this (4xx) status: its console line is expected."""
    assert 400 <= status < 500
    page.kg_expected_statuses.add(status)


def no_error_shown(page: Any) -> None:
    """A checkpoint of a normal step: the error banner is hidden."""
    banner = page.locator("#error")
    assert banner.is_hidden(), banner.inner_text()


def graph_names(page: Any) -> set[str]:
    return set(page.evaluate("() => window.kgGraph.nodes().map(n => n.data('name'))"))


def table_index(page: Any, title: str) -> int:
    """The index (among the result tables) of the table of the section whose title starts with `title`."""
    titles = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="result-table"]')]
            .map(t => t.closest('section').querySelector('h2').textContent)"""
    )
    found = [i for i, text in enumerate(titles) if text.startswith(title)]
    assert found, (title, titles)
    return found[0]


def label_px(page: Any) -> float:
    """The size on the screen of the graph's smallest node label: its font size (graph units) times the zoom."""
    sizes = "window.kgGraph.nodes().map(n => parseFloat(n.style('font-size')))"
    return float(page.evaluate(f"() => window.kgGraph.zoom() * Math.min(...{sizes})"))


def csv_tables(text: str) -> dict[str, list[dict[str, str]]]:
    """The tables of a view's CSV (each after a line with its title, a blank line between them), by title."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    tables: dict[str, list[dict[str, str]]] = {}
    block: list[list[str]] = []
    for row in [*rows, []]:
        if row:
            block.append(row)
            continue
        if len(block) >= 2:
            title, columns, *body = block
            tables[title[0]] = [dict(zip(columns, values, strict=True)) for values in body]
        block = []
    return tables


def table_column(page: Any, column: str, index: int = 0) -> list[str]:
    """The text of one column of the index-th result table."""
    return list(
        page.evaluate(
            """([column, index]) => {
                const table = document.querySelectorAll('[data-testid="result-table"]')[index];
                const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent);
                const at = heads.indexOf(column);
                if (at < 0) throw new Error('no column ' + column + ' in ' + heads);
                return [...table.querySelectorAll('tbody tr')].map(tr => tr.children[at].textContent);
            }""",
            [column, index],
        )
    )


def click_node(page: Any, uri: str) -> None:
    """A real mouse click where cytoscape draws the node."""
    box = page.get_by_test_id("graph").bounding_box()
    position = page.evaluate("(id) => window.kgGraph.getElementById(id).renderedPosition()", uri)
    assert 0 < position["x"] < box["width"] and 0 < position["y"] < box["height"], position
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])


def wait_for_result(page: Any) -> None:
    page.get_by_test_id("result-table").first.wait_for(state="visible")
    page.wait_for_function("() => !document.body.classList.contains('busy')")


# --------------------------------------------------------------------------------------------------- the test


def test_search_explore_expand_report_share_and_export(browse_url: str, page: Any, dataset: Dataset) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    gallium = dataset.uri_of("gallium", "Material")
    page.goto(browse_url)

    # Search: suggestions as you type; pick gallium's.
    page.get_by_test_id("search-input").press_sequentially("gallium", delay=40)
    suggestion = page.locator(f'[data-testid="search-suggestion"][data-id="{gallium}"]')
    suggestion.wait_for(state="visible")
    suggestion.click()

    # Explore: gallium's neighbourhood, with what it goes into and its largest world supplier.
    page.wait_for_function("() => typeof window.kgFirstGraphMs === 'number'")
    page.wait_for_function("() => window.kgGraph.nodes().length > 1 && !document.body.classList.contains('busy')")
    names = graph_names(page)
    goes_into = {dataset.names[u] for u in dataset.used_in[gallium]}
    top_supplier = dataset.names[max(dataset.world_shares[gallium])[1]]
    assert {"gallium", top_supplier} | goes_into <= names
    page.get_by_test_id("legend").wait_for(state="visible")
    assert "material" in page.get_by_test_id("legend").inner_text().lower()
    hash_state = urllib.parse.unquote(page.evaluate("() => location.hash"))
    assert hash_state.startswith("#/explore?") and f"focus={gallium}" in hash_state

    # The side panel: gallium's supply facts and their sources; a long table starts as the latest world figures
    # (the largest world share of the data is China's latest figure), the rest one click away.
    page.get_by_test_id("supply-table").wait_for(state="visible")
    supply = page.get_by_test_id("supply-table").inner_text()
    assert top_supplier in supply and "%" in supply
    assert page.get_by_test_id("side-panel").locator("a[href^='http']").count() > 0
    facts = dataset.supply_facts[gallium]
    supply_rows = page.get_by_test_id("supply-table").locator("tbody tr")
    assert facts > 12, "gallium's supply table is long enough to be summarised"
    assert 0 < supply_rows.count() < facts
    page.screenshot(path=str(OUTPUT / "1-explore-gallium.png"))
    assert set(page.get_by_test_id("supply-table").locator("tbody td:nth-child(3)").all_inner_texts()) == {"world"}
    page.get_by_test_id("supply-toggle").click()
    assert supply_rows.count() == facts
    no_error_shown(page)

    # Expand: click (with the mouse) a neighbour that itself goes into something; its neighbours join the graph.
    neighbour = next(u for u in sorted(dataset.used_in[gallium]) if dataset.used_in.get(u))
    before = page.evaluate("() => window.kgGraph.nodes().length")
    click_node(page, neighbour)
    page.get_by_test_id("side-panel").get_by_role("heading", name=dataset.names[neighbour]).wait_for()
    page.wait_for_function(
        "(id) => decodeURIComponent(location.hash).includes('open=' + id)", arg=neighbour, timeout=TIMEOUT_MS
    )
    page.wait_for_function("() => !document.body.classList.contains('busy')")
    assert page.evaluate("() => window.kgGraph.nodes().length") > before
    assert {dataset.names[u] for u in dataset.used_in[neighbour]} <= graph_names(page)
    no_error_shown(page)
    page.wait_for_function("() => !window.kgGraph.animated()")
    page.screenshot(path=str(OUTPUT / "2-explore-expanded.png"))
    explore_hash = page.evaluate("() => location.hash")

    # Reports: dependencies of gallium; the table lists what the data says is downstream.
    page.get_by_test_id("mode-reports").click()
    page.get_by_test_id("report-select").select_option("dependencies")
    form = page.get_by_test_id("report-form")
    form.locator("[data-param='material']").fill("gallium")
    # an optional parameter starts empty (the report's default), its example as the placeholder
    hops = form.locator("[data-param='max_hops']")
    default_hops = next(p for p in find_report("dependencies").params if p.name == "max_hops")
    assert hops.input_value() == "" and hops.get_attribute("placeholder") == str(default_hops.example)
    max_hops = int(default_hops.default)
    page.get_by_test_id("report-run").click()
    wait_for_result(page)
    expected = dataset.downstream(gallium, max_hops)
    assert expected, "the dataset has nothing downstream of gallium"
    downstream = table_index(page, "Downstream of gallium")
    listed = table_column(page, "name", downstream)
    assert set(listed) == expected
    assert len(listed) == len(expected)
    # the graph draws the report's paths (all of them, or those the report picks of a long list: as the server sent
    # them), the first one highlighted; a row's click highlights its own path
    drawn = graph_names(page)
    drawn_paths = page.evaluate(
        "() => window.kgApp.reports.paths.map(p => p.map(id => window.kgGraph.getElementById(id).data('name')))"
    )
    sent = page.request.post(
        browse_url + "api/reports/run", data={"name": "dependencies", "params": {"material": "gallium"}}
    )
    sent_graph = next(s["graph"] for s in sent.json()["sections"] if s["title"].startswith("Downstream of gallium"))
    assert len(drawn_paths) == len(sent_graph["paths"]) and drawn == {n["name"] for n in sent_graph["nodes"]}
    assert "gallium" in drawn and drawn <= {"gallium"} | expected
    assert drawn == {name for path in drawn_paths for name in path}
    # each node in the column the server's layering gives it (web/API.md, `layers`): every column wholly left of the
    # next, however it is folded
    xs = page.evaluate("() => Object.fromEntries(window.kgGraph.nodes().map(n => [n.id(), n.position('x')]))")
    columns = [[e for e in entries if isinstance(e, str)] for entries in sent.json()["layers"]]
    for left, right in itertools.pairwise([c for c in columns if c]):
        assert max(xs[i] for i in left) < min(xs[i] for i in right), (left, right)
    assert page.evaluate("() => window.kgGraph.nodes('.hl').length") >= 2
    no_error_shown(page)
    # the highlighted path is drawn with its labels readable: 10 px or more on the screen
    assert label_px(page) >= 10 - 1e-9
    rows = page.get_by_test_id("result-table").nth(downstream).locator("tbody tr")
    paths = table_column(page, "path", downstream)
    at = max(i for i, text in enumerate(paths) if text.split(" → ") in drawn_paths)  # the last row drawn
    last = rows.nth(at)
    last_path = paths[at].split(" → ")
    last.click()
    highlighted = page.evaluate("() => window.kgGraph.nodes('.hl').map(n => n.data('name'))")
    assert sorted(highlighted) == sorted(last_path)
    page.wait_for_function("() => !window.kgGraph.animated()")
    page.wait_for_timeout(300)  # the highlight's style transition
    page.screenshot(path=str(OUTPUT / "3-report-dependencies.png"))
    page.get_by_test_id("cypher-toggle").click()
    cypher = page.get_by_test_id("cypher-text").inner_text()
    assert "USED_IN" in cypher and ':param material => "gallium"' in cypher
    page.get_by_test_id("cypher-toggle").click()

    # The link reopens the same report in a new page.
    report_url = page.url
    assert "#/report/dependencies?" in report_url and "material=gallium" in report_url
    again = page.context.new_page()
    again.goto(report_url)
    wait_for_result(again)
    assert table_column(again, "name", table_index(again, "Downstream of gallium")) == listed
    no_error_shown(again)
    # Larger report graphs open readable too (node labels at 10 px or more on the screen), the highlighted path's
    # start in view: exposure of the wheel-speed sensor and ownership by China draw many nodes.
    for report in ("exposure?kind=Component&name=Wheel-speed%20sensor", "ownership?country=CN"):
        again.goto("about:blank")
        again.goto(browse_url + "#/report/" + report)
        wait_for_result(again)
        again.wait_for_function("() => window.kgGraph.nodes('.hl').length > 0")
        assert label_px(again) >= 10 - 1e-9, report
        start = again.evaluate(  # the leftmost node of the highlighted path: where it starts
            "() => window.kgGraph.nodes('.hl').map(n => n.renderedPosition()).sort((a, b) => a.x - b.x)[0]"
        )
        box = again.get_by_test_id("graph").bounding_box()
        assert 0 <= start["x"] <= box["width"] and 0 <= start["y"] <= box["height"], (report, start)
        no_error_shown(again)
    again.close()

    # Export: the view's tables as CSV (each after its title), quoted properly, with the same names; and one table
    # alone from its own button.
    with page.expect_download() as download_info:
        page.get_by_test_id("export-csv").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8's byte order mark: Excel then reads "→" as it is
    exported = csv_tables(raw.decode("utf-8-sig"))["Downstream of gallium"]
    assert [row["name"] for row in exported] == listed
    assert all(row["path"].startswith("gallium → ") for row in exported)
    with page.expect_download() as one_info:
        page.get_by_test_id("result-table").nth(downstream).locator("xpath=ancestor::section[1]").get_by_role(
            "button", name="CSV"
        ).click()
    alone = list(csv.DictReader(io.StringIO(Path(one_info.value.path()).read_bytes().decode("utf-8-sig"))))
    assert [row["name"] for row in alone] == listed
    with page.expect_download() as svg_info:
        page.get_by_test_id("export-svg").click()
    svg = Path(svg_info.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and ">gallium<" in svg

    # Cypher: a write is refused; the banner shows the whole message (it wraps, nothing cut) and has it as its title.
    page.get_by_test_id("mode-query").click()
    no_error_shown(page)
    page.locator("#query-text").fill("CREATE (n:BrowseE2E {name: 'x'}) RETURN n")
    expect_status(page, 403)
    page.locator("#query-run").click()
    error = page.get_by_test_id("error")
    error.wait_for(state="visible")
    refusal = "the query would write to the graph: CREATE at line 1, column 1"  # the clause, where it starts
    assert error.inner_text().strip() == refusal
    assert error.get_attribute("title") == refusal
    assert error.evaluate("e => e.scrollWidth <= e.clientWidth")
    page.screenshot(path=str(OUTPUT / "4-query-refused.png"))
    page.locator("#query-text").fill(
        "MATCH (m:Material {name: $name})-[:USED_IN]->(x) RETURN m.name AS material, x.name AS goes_into"
    )
    page.locator("#query-params").fill(json.dumps({"name": "gallium"}))
    page.locator("#query-run").click()
    wait_for_result(page)
    assert set(table_column(page, "goes_into")) == goes_into
    assert error.is_hidden()

    # A link to a query fills the editor and runs nothing until Run: another site must not run queries here.
    ran: list[str] = []
    linked = page.context.new_page()
    linked.on("request", lambda request: ran.append(request.url) if "/api/query" in request.url else None)
    cypher_text = "MATCH (m:Material {name: 'gallium'})-[:USED_IN]->(x) RETURN x.name AS goes_into"
    linked.goto(browse_url + "#/query?cypher=" + urllib.parse.quote(cypher_text, safe=""))
    linked.get_by_test_id("query-note").wait_for(state="visible")
    assert linked.locator("#query-text").input_value() == cypher_text
    linked.wait_for_function("() => !document.body.classList.contains('busy')")
    assert ran == [] and linked.get_by_test_id("result-table").count() == 0
    linked.locator("#query-run").click()
    wait_for_result(linked)
    assert len(ran) == 1 and set(table_column(linked, "goes_into")) == goes_into
    assert linked.get_by_test_id("query-note").is_hidden()
    no_error_shown(linked)
    linked.close()

    # The back button returns through the report to the expanded neighbourhood.
    for _ in range(5):
        if page.evaluate("() => location.hash") == explore_hash:
            break
        page.go_back()
    assert page.evaluate("() => location.hash") == explore_hash
    page.wait_for_function("() => document.body.dataset.mode === 'explore'")
    page.wait_for_function("() => !document.body.classList.contains('busy')")
    assert {dataset.names[u] for u in dataset.used_in[neighbour]} | goes_into <= graph_names(page)
    no_error_shown(page)

    # Search again, typing fast and pressing Enter before any suggestion: the new text's entity opens (not the
    # one picked before), and no suggestion list is left over the page once the search has answered.
    cobalt = dataset.uri_of("cobalt", "Material")
    search = page.get_by_test_id("search-input")
    search.click()
    search.press("Control+A")
    search.press_sequentially("cobalt", delay=10)
    search.press("Enter")
    page.wait_for_function(
        "(id) => decodeURIComponent(location.hash).includes('focus=' + id)", arg=cobalt, timeout=TIMEOUT_MS
    )
    page.wait_for_function("() => !document.body.classList.contains('busy')")
    assert "cobalt" in graph_names(page)
    page.wait_for_timeout(600)  # past the search's debounce and its answer
    assert page.locator("#suggestions").is_hidden()
    assert "focus=" + cobalt in urllib.parse.unquote(page.evaluate("() => location.hash"))
    no_error_shown(page)


# The start view's worked questions, in order (web/src/main.js, QUESTIONS).
QUESTIONS = (
    "What in a car depends on dysprosium?",
    "Who controls the gallium supply?",
    "What do China's April 2025 controls reach?",
    "What does a wheel-speed sensor depend on?",
)
NO_VALUE = re.compile(r"\b(null|undefined|NaN)\b")
CHAINS_MAX_HOPS = 8  # the chains report's default (kg.reports.catalogue)


def report_link(href: str) -> tuple[str, dict[str, str]]:
    """A `#/report/NAME?param=value&…` link's report and parameters."""
    path, _, query = href.removeprefix("#/report/").partition("?")
    return urllib.parse.unquote(path), dict(urllib.parse.parse_qsl(query, keep_blank_values=True))


def shown_text(page: Any) -> str:
    """Everything the page shows in text: the DOM's rendered text and the graph's labels (drawn on a canvas)."""
    labels = page.evaluate("() => window.kgGraph.nodes().map(n => n.data('boxLabel') || n.data('label') || '')")
    return str(page.locator("body").inner_text()) + "\n" + "\n".join(labels)


def graph_fits(page: Any) -> bool:
    """Every node of the graph is drawn inside the graph's box (the view is fitted, nothing cut)."""
    box = page.get_by_test_id("graph").bounding_box()
    return bool(
        page.evaluate(
            """([w, h]) => window.kgGraph.nodes().every(n => {
                const b = n.renderedBoundingBox({ includeLabels: true });
                return b.x1 >= 0 && b.y1 >= 0 && b.x2 <= w && b.y2 <= h;
            })""",
            [box["width"], box["height"]],
        )
    )


def chains_listed(page: Any) -> list[str]:
    return list(page.get_by_test_id("chains-table").locator("tbody tr td:first-child").all_inner_texts())


def test_start_questions_findings_and_a_materials_chains(browse_url: str, page: Any, dataset: Dataset) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.goto(browse_url)

    # The start view: worked questions, each a link to a canned report of the catalogue with parameters it takes.
    start = page.get_by_test_id("start")
    start.wait_for(state="visible")
    questions = page.get_by_test_id("start-question")
    questions.first.wait_for()
    assert questions.all_inner_texts() == list(QUESTIONS)
    links = [str(q.get_attribute("href")) for q in questions.all()]
    links += [str(a.get_attribute("href")) for a in page.get_by_test_id("start-also").all()]
    for href in links:
        name, params = report_link(href)
        check_report_params(find_report(name), params)  # raises for a parameter the report does not take
    assert page.get_by_test_id("graph").is_hidden()  # instead of an empty graph
    assert not NO_VALUE.search(shown_text(page))
    page.screenshot(path=str(OUTPUT / "5-start.png"))
    no_error_shown(page)

    # Each question runs its report: rows, nothing shown as "null" or "undefined"; back returns to the start.
    for i, question in enumerate(QUESTIONS):
        page.get_by_test_id("start-question").nth(i).click()
        wait_for_result(page)
        assert "#/report/" in page.url, question
        assert start.is_hidden()
        assert page.locator('[data-testid="result-table"] tbody tr').count() > 0, question
        assert not NO_VALUE.search(shown_text(page)), question
        no_error_shown(page)
        if i < len(QUESTIONS) - 1:
            page.go_back()
            start.wait_for(state="visible")

    # The last question: the exposure of the wheel-speed sensor, its path view fitted and readable.
    assert urllib.parse.unquote(page.url).endswith("#/report/exposure?kind=Component&name=Wheel-speed sensor")
    page.wait_for_function("() => !window.kgGraph.animated()")
    assert graph_fits(page)
    assert label_px(page) >= 10 - 1e-9
    # Shares read as percentages and other floats with at most four decimals, as in the terminal: every number cell
    # of the ranked materials is kg.render.report_values's text for the value the API sent.
    ranked = table_index(page, "Materials, ranked")
    answer = page.request.post(
        browse_url + "api/reports/run",
        data={"name": "exposure", "params": {"kind": "Component", "name": "Wheel-speed sensor"}},
    ).json()
    section = next(s for s in answer["sections"] if s["title"] == "Materials, ranked")
    percent_columns = [c for c in section["columns"] if is_percent_column(c)]
    assert {"top_share", "coverage", "import_reliance"} <= set(percent_columns)
    for column in section["columns"]:
        values = [row[section["columns"].index(column)] for row in section["rows"]]
        if not all(v is None or isinstance(v, (int, float)) for v in values):
            continue
        shown = table_column(page, column, ranked)
        assert shown == [human_text(v, column) for v in values], column
        if column in percent_columns:
            assert all(text == "" or text.endswith("%") for text in shown), column
        else:
            assert all(re.fullmatch(r"-?\d+(\.\d{1,4})?|", text) for text in shown), column
    page.screenshot(path=str(OUTPUT / "6-report-exposure.png"))

    # Click a material in the graph: its chains to the sensor, as the data has them, drawn and listed.
    dysprosium = dataset.uri_of("dysprosium", "Material")
    sensor = dataset.uri_of("Wheel-speed sensor", "Component")
    expected = dataset.chains(dysprosium, sensor, CHAINS_MAX_HOPS)
    assert expected, "the dataset has no chain from dysprosium to the wheel-speed sensor"
    exposure_nodes = page.evaluate("() => window.kgGraph.nodes().length")
    click_node(page, dysprosium)
    page.get_by_test_id("chains-table").wait_for(state="visible")
    page.wait_for_function("() => !document.body.classList.contains('busy')")
    assert sorted(chains_listed(page)) == sorted(expected)
    assert graph_names(page) == {name for chain in expected for name in chain.split(" → ")}
    assert "~chains=dysprosium" in urllib.parse.unquote(page.url)
    assert page.get_by_test_id("chains-next").count() == 0  # one page
    assert not NO_VALUE.search(shown_text(page))
    assert graph_fits(page) and label_px(page) >= 10 - 1e-9
    page.screenshot(path=str(OUTPUT / "7-exposure-chains.png"))
    no_error_shown(page)
    # back: the report's own graph again; its row lists the same chains
    page.go_back()
    page.wait_for_function("() => !document.querySelector('[data-testid=chains]')")
    assert page.evaluate("() => window.kgGraph.nodes().length") == exposure_nodes
    page.locator('tr[data-material="dysprosium"]').first.click()
    page.get_by_test_id("chains-table").wait_for(state="visible")
    page.wait_for_function("() => !document.body.classList.contains('busy')")
    assert sorted(chains_listed(page)) == sorted(expected)

    # More chains than a page: the automotive sector's from dysprosium, a page at a time, all of them in the end.
    sector = dataset.uri_of("Automotive", "Sector")
    expected = dataset.chains(dysprosium, sector, CHAINS_MAX_HOPS)
    page.goto("about:blank")
    page.goto(browse_url + "#/report/exposure?kind=Sector&name=Automotive")
    wait_for_result(page)
    page.wait_for_function("() => !window.kgGraph.animated()")
    assert graph_fits(page) and label_px(page) >= 10 - 1e-9  # the aggregated view of many materials, too
    page.locator('tr[data-material="dysprosium"]').first.click()
    page.get_by_test_id("chains-next").wait_for(state="visible")
    page.wait_for_function("() => !document.body.classList.contains('busy')")
    listed = chains_listed(page)
    assert 0 < len(listed) < len(expected)
    pages = 1
    while page.get_by_test_id("chains-next").is_enabled():
        page.get_by_test_id("chains-next").click()
        pages += 1
        page.wait_for_function("(n) => decodeURIComponent(location.hash).includes('~page=' + n)", arg=pages)
        page.wait_for_function("() => !document.body.classList.contains('busy')")
        listed += chains_listed(page)
    assert pages > 1 and len(listed) == len(expected) and set(listed) == expected
    assert not NO_VALUE.search(shown_text(page))
    # the link reopens the last page
    again = page.context.new_page()
    again.goto(page.url)
    again.get_by_test_id("chains-table").wait_for(state="visible")
    again.wait_for_function("() => !document.body.classList.contains('busy')")
    assert chains_listed(again) == chains_listed(page)
    again.close()
    page.get_by_test_id("chains-close").click()
    page.wait_for_function("() => !document.querySelector('[data-testid=chains]')")
    assert "~chains" not in urllib.parse.unquote(page.url)
    no_error_shown(page)

    # A finding is a sentence, not a one-cell table.
    unused = dataset.unused_material()
    page.goto("about:blank")
    page.goto(browse_url + "#/report/dependencies?material=" + urllib.parse.quote(unused))
    finding = page.get_by_test_id("finding")
    finding.wait_for(state="visible")
    page.wait_for_function("() => !document.body.classList.contains('busy')")
    assert finding.inner_text().startswith(f"No uses of {unused} ")
    assert page.locator("#results th", has_text="finding").count() == 0
    assert page.get_by_test_id("result-table").count() == 0
    assert not NO_VALUE.search(shown_text(page))
    no_error_shown(page)
