"""Every report format written and read back (no database): JSON parsed, CSV through pandas, Markdown lines,
HTML through the standard library's parser, and the rich table drawn."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from neo4j.graph import Graph, Node
from neo4j.spatial import CartesianPoint
from neo4j.time import Date, Duration

from kg.cypher.plain import plain
from kg.render.report_html import to_html
from kg.render.report_svg import path_view_html
from kg.render.report_text import ReportFormat, render, to_csv, to_json, to_markdown
from kg.render.report_values import human_text
from kg.reports.model import Chart, PathStep, PathView, Report, Section, SourceRef

DEPENDENCIES = Section(
    title="Downstream of gallium",
    text="Everything gallium goes into, with one shortest path.",
    columns=["name", "kind", "hops", "path"],
    rows=[
        ["gallium metal", "Intermediate", 1, ["gallium", "gallium metal"]],
        ["GaN power transistor", "Component", 3, ["gallium", "gallium metal", "GaN wafer", "GaN power transistor"]],
        ["On-board charger <OBC>", "Component", 4, ["gallium", "gallium metal", "GaN wafer", "On-board charger <OBC>"]],
    ],
    paths=PathView.from_names(
        [
            ["gallium", "gallium metal"],
            ["gallium", "gallium metal", "GaN wafer", "GaN power transistor"],
            ["gallium", "gallium metal", "GaN wafer", "On-board charger <OBC>"],
        ],
        {"gallium": "Material", "gallium metal": "Intermediate", "GaN power transistor": "Component"},
        title="Paths from gallium",
    ),
)
SHARES = Section(
    title="Supply shares",
    text='Shares of world output; "top" countries & the rest.',
    columns=["material", "country", "share", "year", "breaches_65", "since", "note"],
    rows=[
        ["gallium", "China", 0.98, 2023, True, dt.date(2023, 8, 1), "a|b"],
        ["gallium", "Japan", 0.0123456, 2023, False, Date(2024, 1, 2), None],
        ["germanium", "China", 0.685, 2022, True, None, "line\nbreak <script>alert(1)</script>"],
    ],
    charts=[
        Chart("share", ("material", "country"), "Share of world output", percent=True, max_value=1.0, marker=0.65),
        Chart("year", "country"),
    ],
)
SOURCES = [
    SourceRef(
        "Critical raw materials study 2023", ["European Commission", "JRC"], 2023, "https://example.org/crm?a=1&b=2"
    ),
    SourceRef("USGS Mineral Commodity Summaries [gallium]", "USGS", 2024, "https://example.org/usgs"),
    SourceRef("A note without a link", None, None, None),
    SourceRef("Not a web link", (), 2020, "javascript:alert(1)"),
    SourceRef("USGS Mineral Commodity Summaries [gallium]", "USGS", 2024, "https://example.org/usgs"),  # twice
]
REPORT = Report("Gallium & friends <report>", [DEPENDENCIES, SHARES], SOURCES, description="Seeded example.")
ONE = Report("Supply shares only", [SHARES], SOURCES[:1])

SHARE_RECORDS = [
    {
        "material": "gallium",
        "country": "China",
        "share": 0.98,
        "year": 2023,
        "breaches_65": True,
        "since": "2023-08-01",
        "note": "a|b",
    },
    {
        "material": "gallium",
        "country": "Japan",
        "share": 0.0123456,
        "year": 2023,
        "breaches_65": False,
        "since": "2024-01-02",
        "note": None,
    },
    {
        "material": "germanium",
        "country": "China",
        "share": 0.685,
        "year": 2022,
        "breaches_65": True,
        "since": None,
        "note": "line\nbreak <script>alert(1)</script>",
    },
]


# JSON ----------------------------------------------------------------------------------------------------------


def test_json_of_one_section_is_an_array_of_row_objects() -> None:
    assert json.loads(to_json(ONE)) == SHARE_RECORDS


def test_json_of_several_sections_maps_each_title_to_its_rows() -> None:
    data = json.loads(render(REPORT, ReportFormat.json))
    assert list(data) == ["Downstream of gallium", "Supply shares"]
    assert data["Supply shares"] == SHARE_RECORDS
    assert data["Downstream of gallium"] == [
        {"name": "gallium metal", "kind": "Intermediate", "hops": 1, "path": ["gallium", "gallium metal"]},
        {
            "name": "GaN power transistor",
            "kind": "Component",
            "hops": 3,
            "path": ["gallium", "gallium metal", "GaN wafer", "GaN power transistor"],
        },
        {
            "name": "On-board charger <OBC>",
            "kind": "Component",
            "hops": 4,
            "path": ["gallium", "gallium metal", "GaN wafer", "On-board charger <OBC>"],
        },
    ]


# CSV -----------------------------------------------------------------------------------------------------------


def test_csv_of_one_section_reads_back_with_pandas() -> None:
    frame = pd.read_csv(io.StringIO(to_csv(ONE)), dtype=str, keep_default_na=False)
    expected = pd.DataFrame(
        [
            ["gallium", "China", "0.98", "2023", "true", "2023-08-01", "a|b"],
            ["gallium", "Japan", "0.0123456", "2023", "false", "2024-01-02", ""],
            ["germanium", "China", "0.685", "2022", "true", "", "line\nbreak <script>alert(1)</script>"],
        ],
        columns=["material", "country", "share", "year", "breaches_65", "since", "note"],
        dtype=str,
    )
    pd.testing.assert_frame_equal(frame, expected)
    typed = pd.read_csv(io.StringIO(to_csv(ONE)))
    assert typed["share"].tolist() == [0.98, 0.0123456, 0.685]
    assert typed["year"].tolist() == [2023, 2023, 2022]
    assert typed["breaches_65"].tolist() == [True, False, True]


def test_csv_of_several_sections_has_a_leading_section_column() -> None:
    frame = pd.read_csv(io.StringIO(render(REPORT, ReportFormat.csv)), dtype=str, keep_default_na=False)
    assert list(frame.columns) == [
        "section",
        *("name", "kind", "hops", "path"),
        *("material", "country", "share", "year", "breaches_65", "since", "note"),
    ]
    assert frame["section"].tolist() == ["Downstream of gallium"] * 3 + ["Supply shares"] * 3
    first = frame.iloc[0].to_dict()
    assert first == {
        "section": "Downstream of gallium",
        "name": "gallium metal",
        "kind": "Intermediate",
        "hops": "1",
        "path": '["gallium","gallium metal"]',
        **dict.fromkeys(("material", "country", "share", "year", "breaches_65", "since", "note"), ""),
    }
    shares = frame[frame["section"] == "Supply shares"]
    assert set(shares[["name", "kind", "hops", "path"]].to_numpy().ravel()) == {""}
    assert shares["share"].tolist() == ["0.98", "0.0123456", "0.685"]
    assert json.loads(frame.loc[2, "path"]) == ["gallium", "gallium metal", "GaN wafer", "On-board charger <OBC>"]


# Markdown ------------------------------------------------------------------------------------------------------


def test_markdown_has_headings_tables_and_sources() -> None:
    lines = to_markdown(REPORT).splitlines()
    assert lines[:4] == ["# Gallium & friends <report>", "", "Seeded example.", ""]
    start = lines.index("## Downstream of gallium")
    assert lines[start : start + 8] == [
        "## Downstream of gallium",
        "",
        "Everything gallium goes into, with one shortest path.",
        "",
        "| name | kind | hops | path |",
        "| --- | --- | --- | --- |",
        "| gallium metal | Intermediate | 1 | gallium → gallium metal |",
        "| GaN power transistor | Component | 3 | gallium → gallium metal → GaN wafer → GaN power transistor |",
    ]
    start = lines.index("## Supply shares")
    assert lines[start + 4 : start + 9] == [
        "| material | country | share | year | breaches_65 | since | note |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        "| gallium | China | 98% | 2023 | yes | 2023-08-01 | a\\|b |",  # a share reads as a percentage
        "| gallium | Japan | 1.2% | 2023 | no | 2024-01-02 |  |",
        "| germanium | China | 68.5% | 2022 | yes |  | line<br>break <script>alert(1)</script> |",
    ]
    start = lines.index("## Sources")
    assert lines[start + 2 :] == [
        "1. [Critical raw materials study 2023](<https://example.org/crm?a=1&b=2>), European Commission, JRC, 2023",
        "2. [USGS Mineral Commodity Summaries \\[gallium\\]](<https://example.org/usgs>), USGS, 2024",
        "3. A note without a link",
        "4. Not a web link, 2020 javascript:alert(1)",
    ]


def test_markdown_says_when_a_section_or_the_sources_are_empty() -> None:
    empty = Report("Nothing", [Section("Controls in force", "None on that date.", ["control"], [])])
    assert to_markdown(empty).splitlines() == [
        "# Nothing",
        "",
        "## Controls in force",
        "",
        "None on that date.",
        "",
        "| control |",
        "| --- |",
        "",
        "_No rows._",
        "",
        "## Sources",
        "",
        "_No sources._",
    ]


# HTML ----------------------------------------------------------------------------------------------------------


class Page(HTMLParser):
    """What the checks need from an HTML page: tables, SVGs, links, loaded resources, the sources list."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tables: list[dict[str, list[list[str]]]] = []
        self.cell: list[str] | None = None
        self.svgs: list[str] = []  # class of each <svg>, with the class of the figure around it
        self.figure = ""
        self.attributes: list[tuple[str, str, str]] = []  # (tag, attribute, value) for src/href/xlink:href/data
        self.links_in_sources: list[tuple[str, str]] = []  # (href, text)
        self.sources: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.loaders: list[str] = []  # <link>, <img>, <iframe>, <object>, <embed>, <source>, <image>
        self.in_sources = False
        self.text: list[str] = []
        self.path_nodes: list[str] = []
        self.path_items: list[str] = []
        self.data_paths: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.stack.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "data", "srcset", "poster", "action") and value is not None:
                self.attributes.append((tag, name, value))
            if name == "data-paths" and value is not None:
                self.data_paths.append(value)
        if tag in ("link", "img", "iframe", "object", "embed", "source", "image", "use", "audio", "video"):
            self.loaders.append(tag)
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "table":
            self.tables.append({"head": [], "body": []})
        if tag == "tr" and self.tables:
            part = "head" if "thead" in self.stack else "body"
            self.tables[-1][part].append([])
        if tag in ("td", "th"):
            self.cell = []
        if tag == "figure":
            self.figure = attributes.get("class") or ""
        if tag == "svg":
            self.svgs.append(f"{self.figure}/{attributes.get('class')}")
        if tag == "section" and attributes.get("id") == "sources":
            self.in_sources = True
        if tag == "li" and self.in_sources:
            self.sources.append("")
        if tag == "g" and attributes.get("class") == "node":
            self.path_nodes.append(attributes.get("data-paths") or "")
        if tag == "li" and attributes.get("data-paths") is not None:
            self.path_items.append(attributes["data-paths"] or "")
        if tag == "a" and self.in_sources:
            self.links_in_sources.append((attributes.get("href") or "", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.tables:
            part = "head" if "thead" in self.stack else "body"
            self.tables[-1][part][-1].append("".join(self.cell))
            self.cell = None
        if tag == "section":
            self.in_sources = False
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        if self.in_sources and self.sources and "li" in self.stack:
            self.sources[-1] += data
        if self.in_sources and self.links_in_sources and self.stack[-1:] == ["a"]:
            href, text = self.links_in_sources[-1]
            self.links_in_sources[-1] = (href, text + data)
        self.text.append(data)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def test_html_has_a_table_per_section_with_its_header_and_rows() -> None:
    page = parse(to_html(REPORT))
    assert [t["head"] for t in page.tables] == [
        [["name", "kind", "hops", "path"]],
        [["material", "country", "share", "year", "breaches_65", "since", "note"]],
    ]
    assert [len(t["body"]) for t in page.tables] == [3, 3]
    assert page.tables[0]["body"][2] == [
        "On-board charger <OBC>",
        "Component",
        "4",
        "gallium → gallium metal → GaN wafer → On-board charger <OBC>",
    ]
    assert page.tables[1]["body"][2] == [
        "germanium",
        "China",
        "68.5%",
        "2022",
        "yes",
        "",
        "line\nbreak <script>alert(1)</script>",
    ]


def test_html_draws_each_chart_and_the_path_view_as_inline_svg() -> None:
    page = parse(to_html(REPORT))
    assert page.svgs == ["pv/graph", "chart/bars", "chart/bars"]
    # one box per node on the paths, one list item per path; every highlight reference is a path's number
    assert len(page.path_nodes) == 5
    assert page.path_items == ["0", "1", "2"]
    assert {i for value in page.data_paths for i in value.split()} == {"0", "1", "2"}
    assert page.path_nodes[0] == "0 1 2"  # gallium lies on every path


def test_html_loads_nothing_from_anywhere() -> None:
    text = to_html(REPORT)
    page = parse(text)
    assert page.loaders == []
    assert len(page.scripts) == 1
    assert page.scripts[0] == {}  # inline: no src, no type
    assert "<script src" not in text.lower()
    external = [(tag, name, value) for tag, name, value in page.attributes if not value.startswith("#")]
    assert external == [
        ("a", "href", "https://example.org/crm?a=1&b=2"),
        ("a", "href", "https://example.org/usgs"),
    ]
    assert all(href in {s.url for s in SOURCES} for _, _, href in external)
    assert "@import" not in text and "url(" not in text


def test_html_lists_every_source_once() -> None:
    page = parse(to_html(REPORT))
    assert page.sources == [
        "Critical raw materials study 2023, European Commission, JRC, 2023",
        "USGS Mineral Commodity Summaries [gallium], USGS, 2024",
        "A note without a link",
        "Not a web link (javascript:alert(1)), 2020",
    ]
    assert page.links_in_sources == [
        ("https://example.org/crm?a=1&b=2", "Critical raw materials study 2023"),
        ("https://example.org/usgs", "USGS Mineral Commodity Summaries [gallium]"),
    ]


def test_html_escapes_every_text() -> None:
    text = to_html(REPORT)
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<title>Gallium &amp; friends &lt;report&gt;</title>" in text
    assert "On-board charger &lt;OBC&gt;" in text
    assert '"top" countries' not in text  # quotes are escaped too
    page = parse(text)
    assert "Gallium & friends <report>" in page.text


def test_html_without_paths_has_no_script() -> None:
    page = parse(to_html(ONE))
    assert page.scripts == []
    assert page.svgs == ["chart/bars", "chart/bars"]


def test_a_bar_chart_scales_to_its_maximum_and_keeps_the_largest_bars() -> None:
    rows = [[f"m{i}", i / 100] for i in range(40)]
    section = Section(
        "Many", "", ["material", "share"], rows, charts=[Chart("share", "material", limit=5, max_value=1)]
    )
    page = to_html(Report("r", [section]))
    text = page[page.index('<figure class="chart">') : page.index("</figure>")]
    assert "share by material (largest 5 of 40)" in text
    assert text.count('class="bar"') == 5
    assert 'width="167.7"' in text  # 0.39 of the 430-pixel scale: the largest bar, first
    assert text.index(">m39<") < text.index(">m35<")
    assert ">m34<" not in text
    assert len(parse(page).tables[0]["body"]) == 40  # the table keeps every row


# Table ---------------------------------------------------------------------------------------------------------


def test_the_table_format_shows_every_section_and_the_sources() -> None:
    text = render(REPORT, ReportFormat.table, width=200)
    for expected in (
        "Gallium & friends <report>",
        "Downstream of gallium",
        "gallium → gallium metal → GaN wafer → GaN power transistor",
        "Supply shares",
        "1.2%",  # a share reads as a percentage
        "Sources",
        "USGS Mineral Commodity Summaries [gallium]",
        "https://example.org/crm?a=1&b=2",
        "[gallium]",  # data is not rich markup
    ):
        assert expected in text
    assert text.count("USGS Mineral Commodity Summaries") == 1


# Values and checks ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "column", "text"),
    [
        (None, "x", ""),
        (True, "x", "yes"),
        (0.98, "x", "0.98"),
        (1 / 3, "x", "0.3333"),
        (0.00001234, "x", "1.234e-05"),
        (2.0, "x", "2"),
        (2023, "year", "2023"),
        (["a", "b"], "makes", "a, b"),
        (["a", "b"], "control_path", "a → b"),
        ({"k": 1}, "x", '{"k":1}'),
        (Date(2025, 4, 4), "x", "2025-04-04"),
    ],
)
def test_cells_people_read(value: object, column: str, text: str) -> None:
    assert human_text(value, column) == text


def test_a_path_views_long_step_runs_through_its_slot_between_the_boxes() -> None:
    # kg.render.layers: a in column 0, b and a → c's slot in column 1 (b first: the paths meet it first), c in
    # column 2. Column 1 is the tallest: b's row (32) and the slot's (12), from y = 8; a and c (one row each) are
    # centred on it, from y = 14, their middles at 26; the slot's middle is 42 (its row less the 8 under a box, halved)
    html = path_view_html(PathView.from_names([["a", "b", "c"], ["a", "c"]]), 1)
    edges = re.findall(r'<path class="edge" data-paths="([^"]*)" d="([^"]*)"/>', html)
    assert edges == [
        ("0", "M178.0 26.0 C195.5 26.0 195.5 20.0 213.0 20.0"),  # a → b's middle (8 + 24 / 2)
        ("0", "M383.0 20.0 C400.5 20.0 400.5 26.0 418.0 26.0"),  # b → c
        # a → c: curves to the slot at the left of column 1 (x 213), straight across it, curves on to c (x 418)
        ("1", "M178.0 26.0 C195.5 26.0 195.5 42.0 213.0 42.0 L383.0 42.0 C400.5 42.0 400.5 26.0 418.0 26.0"),
    ]
    assert 'viewBox="0 0 596 60"' in html  # 8 + 2 * 205 + 170 + 8 wide; 8 + 44 + 8 high


def test_inconsistent_reports_are_refused() -> None:
    with pytest.raises(ValueError, match="row 1 has 1 values for 2"):
        Section("s", "", ["a", "b"], [["x"]])
    with pytest.raises(ValueError, match="a chart uses column 'share'"):
        Section("s", "", ["a"], [], charts=[Chart("share", "a")])
    with pytest.raises(ValueError, match="two sections are titled 's'"):
        Report("r", [Section("s", "", ["a"], []), Section("s", "", ["a"], [])])


def test_sources_and_paths_accept_loose_input() -> None:
    assert SourceRef("t", "JRC").publisher == ("JRC",)
    assert SourceRef("t", None).details() == ""
    assert SourceRef("t", ["A", "B"], 2024).details() == "A, B, 2024"
    view = PathView.from_names([["a", "b"]], {"a": "Material"})
    assert view.paths == ((PathStep("a", "Material"), PathStep("b", "")),)


def test_plain_keeps_driver_values_whole_before_treating_them_as_maps_or_tuples() -> None:
    # A Node and a Relationship are Mappings, a Duration and a Point tuples: each must be taken as what it is first.
    graph = Graph()
    gallium = Node(graph, "4:x:1", 1, ["Resource", "Material"], {"name": "gallium", "since": Date(2020, 1, 2)})
    used_in = graph.relationship_type("USED_IN")(graph, "5:x:1", 1, {"share": 0.5})
    assert plain({"n": gallium, "r": [used_in]}) == {
        "n": {"labels": ["Material", "Resource"], "properties": {"name": "gallium", "since": "2020-01-02"}},
        "r": [{"type": "USED_IN", "properties": {"share": 0.5}}],
    }
    assert plain(Duration(days=1, hours=2)) == "P1DT2H"  # ISO 8601, as kg query writes it
    assert plain([CartesianPoint((2.5, 1.5))]) == [{"srid": 7203, "x": 2.5, "y": 1.5}]
    assert plain((dt.date(2025, 6, 1), {"k": Date(2025, 6, 1)})) == ["2025-06-01", {"k": "2025-06-01"}]


def test_html_path_views_shrink_to_the_page_width() -> None:
    # a graph wider than the page would run off its right edge: the SVG keeps its aspect ratio and never exceeds
    # the width of its column
    page = to_html(REPORT)
    assert ".pv svg.graph{max-width:100%;height:auto}\n" in page
    assert 'class="graph" viewBox="0 0 ' in page


def test_report_csv_keeps_formula_text_text_in_every_section() -> None:
    one = Section("s", "", ("name", "value"), [("=HYPERLINK(1)", -1), ("@x", 2)])
    two = Section("t", "", ("name",), [("+1",)])
    single = list(csv.reader(io.StringIO(to_csv(Report("r", [one], [])))))
    assert single[1:] == [["'=HYPERLINK(1)", "-1"], ["'@x", "2"]]
    several = list(csv.reader(io.StringIO(to_csv(Report("r", [one, two], [])))))
    assert several[1:] == [["s", "'=HYPERLINK(1)", "-1"], ["s", "'@x", "2"], ["t", "'+1", ""]]
