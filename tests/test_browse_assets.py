"""The graph browser's built front end (`make assets` → kg/browse_assets/): it is all there, it fetches nothing from
elsewhere (the page works offline), it says whose code it bundles, and the build refuses copyleft packages.
No browser and no database needed."""

from __future__ import annotations

import csv
import html.parser
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "kg" / "browse_assets"
BUILD = ROOT / "web" / "build.mjs"
BUILT = ("index.html", "app.js", "app.css", "LICENSES.txt")
# XML namespace names are identifiers, never fetched: the only absolute URLs the bundle may contain.
NAMESPACES = {"http://www.w3.org/2000/svg"}


@pytest.fixture(scope="module")
def assets() -> Path:
    missing = [name for name in BUILT if not (ASSETS / name).is_file()]
    assert not missing, f"{ASSETS} lacks {missing}: run `make assets`"
    return ASSETS


def node() -> str:
    path = shutil.which("node")
    if path is None:
        pytest.skip("needs Node (the build runs on it): install Node 20 or newer")
    return path


class _References(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "srcset", "poster", "data") and value is not None:
                self.references.append((tag, name, value))


def test_the_build_wrote_every_file_and_nothing_is_empty(assets: Path) -> None:
    for name in BUILT:
        assert (assets / name).stat().st_size > 0, name
    script = (assets / "app.js").read_text(encoding="utf-8")
    assert "cytoscape" in script.lower()
    unminified = (ROOT / "node_modules" / "cytoscape" / "dist" / "cytoscape.esm.mjs").stat().st_size
    assert len(script.encode()) < 0.6 * unminified, "app.js is minified"


def test_the_page_references_only_its_own_built_files(assets: Path) -> None:
    page = (assets / "index.html").read_text(encoding="utf-8")
    parser = _References()
    parser.feed(page)
    tags = {tag for tag, _, _ in parser.references}
    assert {"script", "link"} <= tags
    for tag, attribute, value in parser.references:
        if tag == "a" and value.startswith("#"):
            continue
        if value.startswith("data:"):
            continue
        assert "//" not in value and not value.startswith("/"), f"<{tag} {attribute}={value!r}> is not a local file"
        local = assets / value.removeprefix("assets/").split("?")[0]
        assert value.startswith("assets/") and local.is_file(), f"<{tag} {attribute}={value!r}>: no {local.name}"
    assert not re.search(r"https?://", page), "the page names an absolute URL"
    assert "<style" not in page and "@import" not in page


def test_styles_and_script_fetch_nothing_from_elsewhere(assets: Path) -> None:
    style = (assets / "app.css").read_text(encoding="utf-8")
    for target in re.findall(r"url\(\s*['\"]?([^'\")]*)", style):
        assert target.startswith("data:"), f"app.css fetches {target}"
    assert "@import" not in style and "@font-face" not in style, "the page uses the system's fonts only"
    for name in ("app.css", "app.js"):
        text = (assets / name).read_text(encoding="utf-8")
        urls = set(re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s\"'`)]*", text, flags=re.IGNORECASE))
        assert urls <= NAMESPACES, f"{name} names {sorted(urls - NAMESPACES)}"


def test_licences_name_every_bundled_package_with_its_own_licence_text(assets: Path) -> None:
    licences = (assets / "LICENSES.txt").read_text(encoding="utf-8")
    manifest = json.loads((ROOT / "node_modules" / "cytoscape" / "package.json").read_text(encoding="utf-8"))
    assert f"cytoscape@{manifest['version']} ({manifest['license']})" in licences
    own_text = (ROOT / "node_modules" / "cytoscape" / "LICENSE").read_text(encoding="utf-8").strip()
    assert own_text in licences
    assert "esbuild" not in licences, "esbuild runs at build time only; it is not in the bundle"


def make_package(folder: Path, name: str, licence: object) -> Path:
    folder.mkdir(parents=True)
    (folder / "package.json").write_text(json.dumps({"name": name, "version": "1.0.0", "license": licence}))
    (folder / "LICENSE").write_text(f"the licence of {name}\n")
    return folder


def run_build(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([node(), str(BUILD), *args], capture_output=True, text=True, timeout=60, cwd=ROOT)


@pytest.mark.parametrize("licence", ["GPL-3.0-only", "AGPL-3.0-or-later", "LGPL-2.1", "SSPL-1.0", "UNLICENSED"])
def test_the_build_refuses_a_package_that_is_not_permissively_licensed(tmp_path: Path, licence: str) -> None:
    package = make_package(tmp_path / "node_modules" / "copyleft-thing", "copyleft-thing", licence)
    result = run_build("--check-package", str(package))
    assert result.returncode == 1
    assert "copyleft-thing@1.0.0" in result.stderr and licence in result.stderr
    assert "not a permissive licence" in result.stderr


def test_the_licence_gate_is_the_one_the_build_writes_licences_txt_with(tmp_path: Path) -> None:
    good = make_package(tmp_path / "node_modules" / "fine", "fine", "MIT")
    bad = make_package(tmp_path / "node_modules" / "svg-export", "svg-export", "GPL-3.0")
    script = (
        f"import({json.dumps(BUILD.as_uri())}).then(m => {{"
        "  const dirs = JSON.parse(process.argv[1]);"
        "  try { process.stdout.write(m.licencesText(dirs)); }"
        "  catch (e) { process.stderr.write(e.message); process.exit(3); } })"
    )
    accepted = subprocess.run(
        [node(), "-e", script, json.dumps([str(good)])], capture_output=True, text=True, timeout=60
    )
    assert accepted.returncode == 0, accepted.stderr
    assert "fine@1.0.0 (MIT)" in accepted.stdout and "the licence of fine" in accepted.stdout
    refused = subprocess.run(
        [node(), "-e", script, json.dumps([str(good), str(bad)])], capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 3
    assert "svg-export@1.0.0" in refused.stderr and "GPL-3.0" in refused.stderr


@pytest.mark.parametrize(
    ("expression", "permissive"),
    [
        ("MIT", True),
        ("Apache-2.0", True),
        ("BSD-3-Clause", True),
        ("ISC", True),
        ("(MIT OR GPL-3.0-or-later)", True),
        ("MIT AND GPL-2.0-only", False),
        ("(MIT AND Zlib)", True),
        ("GPL-2.0-or-later", False),
        ("", False),
    ],
)
def test_spdx_expressions(expression: str, permissive: bool) -> None:
    result = run_build("--check-licence", expression)
    assert (result.returncode == 0) is permissive, (expression, result.stdout, result.stderr)


def run_module(module: str, body: str) -> object:
    """Evaluate `body` (an expression over `m`, the web/src module) in Node; its value as JSON."""
    url = (ROOT / "web" / "src" / module).as_uri()
    script = f"import({json.dumps(url)}).then(m => process.stdout.write(JSON.stringify({body})))"
    result = subprocess.run([node(), "-e", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_csv_export_quotes_what_rfc_4180_says_to_quote() -> None:
    rows = [["name", "note", "share"], ["a,b", 'say "hi"', 0.5], ["two\nlines", None, 1], [" padded", "plain", ""]]
    text = run_module("export.js", f"m.csvRows({json.dumps(rows)})")
    assert isinstance(text, str)
    assert text.splitlines()[1] == '"a,b","say ""hi""",0.5'
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed == [[("" if v is None else str(v)) for v in row] for row in rows]


def test_the_url_hash_round_trips_every_view() -> None:
    states = [
        {
            "mode": "explore",
            "focus": "https://example.org/id/a,b#c",
            "open": ["https://example.org/x?y=1&z=2", "urn:x:é"],
            "select": "https://example.org/id/s t",
        },
        {"mode": "reports", "kind": "report", "name": "scenario", "params": {"country": "CN", "as_of": "2025-06-01"}},
        {
            "mode": "reports",
            "kind": "report",
            "name": "exposure",
            "params": {"kind": "Sector", "name": "Automotive"},
            "expand": {"material": "gallium metal & co", "page": 2},
        },
        {
            "mode": "reports",
            "kind": "report",
            "name": "exposure",
            "params": {"kind": "Component", "name": "Wheel-speed sensor"},
            "expand": {"material": "dysprosium", "page": 1},
        },
        {"mode": "reports", "kind": "pack", "name": "supply_shares", "params": {"material": "a & b", "n": 3}},
        {"mode": "query", "cypher": "MATCH (n)\nWHERE n.name = 'x+y' RETURN n", "params": {"k": [1, 2]}},
    ]
    back = run_module("state.js", f"{json.dumps(states)}.map(s => m.parseHash(m.formatHash(s)))")
    assert back == states


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_kept_text() -> None:
    """OWASP's CSV injection list: text starting with =, +, -, @, a tab or a carriage return gets a leading '; numbers
    (negative ones too) and other text are left as they are."""
    values = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain", "a=b", -3, 0.5, None]
    cells = run_module("format.js", f"{json.dumps(values)}.map(v => m.cellText(v, 'name', true))")
    assert cells == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "plain",
        "a=b",
        "-3",
        "0.5",
        "",
    ]
    # a node or a list whose text starts so is defused too; the page's own table shows the text as it is
    node = {"labels": ["Material"], "properties": {"name": "=1+1"}}
    assert run_module("format.js", f"m.cellText({json.dumps(node)}, 'm', true)") == "'=1+1"
    assert run_module("format.js", "m.cellText(['-a', 'b'], 'names', true)") == "'-a; b"
    assert run_module("format.js", "m.cellText('=1+1', 'name')") == "=1+1"


def test_a_downloaded_csv_starts_with_a_utf8_byte_order_mark() -> None:
    text = run_module("export.js", 'm.csvFile([{title: "t", columns: ["path"], rows: [["a → b – c"]]}])')
    assert isinstance(text, str)
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    assert text[1:] == "path\r\na → b – c\r\n"


def test_a_link_cannot_reach_object_prototype_through_its_keys() -> None:
    hashes = [
        "#/report/dependencies?__proto__=x&constructor=y&prototype=z",
        "#/pack/q?__proto__=%7B%22polluted%22%3Atrue%7D&constructor=1",
        "#/query?constructor=1&cypher=RETURN%201",
        "#/explore?constructor=1&__proto__=2",
    ]
    script = (
        f"{json.dumps(hashes)}.map(h => {{ const s = m.parseHash(h);"
        " return {mode: s.mode, keys: s.params ? Object.keys(s.params).sort() : null,"
        " values: s.params ? Object.keys(s.params).sort().map(k => s.params[k]) : null,"
        " cypher: s.cypher ?? null, focus: s.focus ?? null, polluted: ({}).polluted ?? null}; })"
    )
    parsed = run_module("state.js", script)
    assert parsed == [
        {
            "mode": "reports",
            "keys": ["__proto__", "constructor", "prototype"],
            "values": ["x", "y", "z"],
            "cypher": None,
            "focus": None,
            "polluted": None,
        },
        {
            "mode": "reports",
            "keys": ["__proto__", "constructor"],
            "values": [{"polluted": True}, 1],
            "cypher": None,
            "focus": None,
            "polluted": None,
        },
        {"mode": "query", "keys": [], "values": [], "cypher": "RETURN 1", "focus": None, "polluted": None},
        {"mode": "explore", "keys": None, "values": None, "cypher": None, "focus": "", "polluted": None},
    ]


def test_copied_cypher_ends_each_query_on_a_line_of_its_own_after_its_params() -> None:
    """For `kg shell`: a :param line is a command only outside a statement, and a statement ends at a line ending in
    `;`, which a trailing // comment would swallow."""
    entries = [
        {"name": "one", "text": "MATCH (n) RETURN n // every node", "params": {"name": "gallium"}},
        {"name": "two", "text": "RETURN 1;\n", "params": {}},
    ]
    text = run_module("format.js", f"m.cypherText({json.dumps(entries)})")
    assert text == (
        ':param name => "gallium"\n// 1. one\nMATCH (n) RETURN n // every node\n;\n\n// 2. two\nRETURN 1\n;'
    )


def test_a_long_supply_table_is_summarised_by_the_latest_world_figures_of_each_stage() -> None:
    def fact(country: str, stage: str, scope: str, share: float, year: int) -> dict[str, object]:
        return {"material": "m", "country": country, "stage": stage, "scope": scope, "share": share, "year": year}

    supply = [
        fact("CN", "processing", "EU sourcing", 0.7, 2026),
        fact("CN", "processing", "world", 0.98, 2024),
        fact("RU", "processing", "world", 0.01, 2024),
        fact("CN", "processing", "world", 0.9, 2020),
        fact("CD", "extraction", "world", 0.7, 2025),
        fact("ID", "extraction", "world", 0.2, 2025),
        fact("CD", "extraction", "world", 0.6, 2020),
    ]
    summary = run_module("format.js", f"m.supplySummary({json.dumps(supply)})")
    # world scope only; per stage its latest year (extraction 2025, processing 2024); latest first, largest share first
    assert summary == [supply[4], supply[5], supply[1], supply[2]]


def test_svg_export_draws_cytoscapes_polygon_shapes_as_polygons() -> None:
    shapes = ["round-hexagon", "round-octagon", "round-diamond", "round-tag", "ellipse", "round-rectangle"]
    points = run_module("export.js", f"{json.dumps(shapes)}.map(s => m.polygonPoints(s))")
    assert isinstance(points, list)
    hexagon, octagon, diamond, tag, ellipse, rectangle = points
    assert ellipse is None and rectangle is None
    assert diamond == [0, 1, 1, 0, 0, -1, -1, 0] and len(tag) == 10
    # a regular n-gon stretched to the unit square: n corners, all on its edge, touching every side
    for corners, sides in ((hexagon, 6), (octagon, 8)):
        xs, ys = corners[0::2], corners[1::2]
        assert len(xs) == sides
        assert min(xs) == pytest.approx(-1) and max(xs) == pytest.approx(1)
        assert min(ys) == pytest.approx(-1) and max(ys) == pytest.approx(1)
    # a hexagon with a flat top (cytoscape starts an even polygon half a step past 90 degrees): two corners at y=-1
    assert sorted(round(y, 6) for y in hexagon[1::2]).count(-1) == 2


def test_an_error_names_the_closest_names_once() -> None:
    """The server's message may end with "; closest: a, b" already: the page does not add "(closest: a, b)" again."""
    url = (ROOT / "web" / "src" / "api.js").as_uri()
    script = f"""
      const answers = [
        {{error: "no Material named 'galium'; closest: gallium, germanium", closest: ["gallium", "germanium"]}},
        {{error: "no report named 'x'; the reports are a, b", closest: ["a"]}},
        {{error: "no pack query named 'q'", closest: ["supply_shares"]}},
      ];
      import({json.dumps(url)}).then(async (m) => {{
        const messages = [];
        for (const body of answers) {{
          globalThis.fetch = async () => new Response(JSON.stringify(body), {{status: 400}});
          try {{ await m.get("api/x"); messages.push(null); }} catch (e) {{ messages.push(e.message); }}
        }}
        process.stdout.write(JSON.stringify(messages));
      }});
    """
    result = subprocess.run([node(), "-e", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "no Material named 'galium'; closest: gallium, germanium",
        "no report named 'x'; the reports are a, b",
        "no pack query named 'q' (closest: supply_shares)",
    ]


def test_graph_node_data_takes_a_name_that_is_not_a_string_as_text() -> None:
    """The server sends names as strings; a number that slips through still sorts and labels as text."""
    data = run_module("graph.js", '[{id: "urn:a", name: 42}, {id: "urn:b", name: null}].map(n => m.nodeData(n))')
    assert [(d["name"], d["label"]) for d in data] == [("42", "42"), ("urn:b", "urn:b")]


def test_an_expanded_materials_chains_are_the_pages_not_the_reports_parameters() -> None:
    """`~chains` and `~page` in a report's link say which material's chains are shown: they are not sent to the
    report as parameters; a page that is not a whole number above 1 is the first."""
    parsed = run_module(
        "state.js",
        '["#/report/exposure?kind=Sector&name=x&~chains=gallium&~page=3",'
        ' "#/report/exposure?name=x&~chains=Ga&~page=z", "#/pack/q?~chains=x"].map(h => m.parseHash(h))',
    )
    assert parsed == [
        {
            "mode": "reports",
            "kind": "report",
            "name": "exposure",
            "params": {"kind": "Sector", "name": "x"},
            "expand": {"material": "gallium", "page": 3},
        },
        {
            "mode": "reports",
            "kind": "report",
            "name": "exposure",
            "params": {"name": "x"},
            "expand": {"material": "Ga", "page": 1},
        },
        {"mode": "reports", "kind": "pack", "name": "q", "params": {"~chains": "x"}},
    ]


@pytest.mark.parametrize(
    ("value", "column"),
    [
        (0.849, "top_share"),
        (0.9901, "share"),
        (1.0, "coverage"),
        (1.037, "coverage"),
        (0.98, "import_reliance"),
        (0.0004, "eu_share"),
        (0, "share"),
        (0.7325449999999999, "hhi"),
        (0.6082926884000001, "score"),
        (2.5, "hops_mean"),
        (-0.12345, "delta"),
        (12, "chains"),
        (2020, "year"),
        (None, "share"),
        (None, "hhi"),
    ],
)
def test_cells_read_as_the_terminal_reads_them(value: object, column: str) -> None:
    """Shares (share, *_share, coverage, import_reliance) as percentages, other floats with at most four decimals,
    nothing for a missing value: the page's table cell is kg.render.report_values's text, the terminal's."""
    from kg.render.report_values import human_text

    shown = run_module("format.js", f"m.cellText({json.dumps(value)}, {json.dumps(column)})")
    assert shown == human_text(value, column)
    # the CSV keeps the number itself
    raw = run_module("format.js", f"m.cellText({json.dumps(value)}, {json.dumps(column)}, true)")
    assert raw == "" if value is None else float(str(raw)) == value


def test_a_cell_never_reads_null_or_undefined() -> None:
    values = [
        None,
        [None, "a", None, "b"],
        {"stage": "processing", "share": None, "year": 2020},
        {"name": None, "title": None, "id": None, "note": "x"},
        [{"name": "gallium"}, None],
        {},
    ]
    texts = run_module("format.js", f"{json.dumps(values)}.map(v => m.cellText(v, 'x'))")
    assert texts == ["", "a; b", "stage: processing, year: 2020", "note: x", "gallium", ""]
    assert run_module("format.js", "[m.cellText(undefined, 'x'), m.nameOf(undefined), m.nameOf(null)]") == ["", "", ""]


def test_box_labels_break_between_words_and_after_hyphens_and_keep_long_words_whole() -> None:
    """A path view's box: lines no wider than asked where a break allows it (measured here in characters)."""
    cases = [
        ["Light-emitting diode (LED)", 10],
        ["praseodymium", 5],
        ["High-coercivity NdFeB magnet (Dy/Tb-doped) for traction motors of cars", 12],
        ["", 10],
    ]
    lines = run_module("graph.js", f"{json.dumps(cases)}.map(([t, w]) => m.wrapText(t, w, (x) => x.length, 4))")
    assert lines == [
        ["Light-", "emitting", "diode", "(LED)"],
        ["praseodymium"],
        ["High-", "coercivity", "NdFeB magnet", "(Dy/Tb-dope…"],
        [""],
    ]
