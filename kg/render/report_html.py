"""A report as one self-contained HTML file: inline CSS, the tables, each chart and path view as inline SVG
(kg.render.report_svg), a few lines of inline JavaScript to highlight paths, and the sources as links. Nothing is
loaded from anywhere: no stylesheet, script, image or font reference."""

from __future__ import annotations

from collections.abc import Sequence

from kg.render.report_svg import bar_chart_svg, path_view_html
from kg.render.report_values import escape_html, human_rows, numeric_columns, web_url
from kg.reports.model import Report, Section, SourceRef

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2433}
main{max-width:1100px;margin:0 auto;padding:1.2rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:.3rem 0}h2{font-size:1.2rem;margin:2rem 0 .4rem;border-bottom:1px solid #dde3ea}
nav a{margin-right:1rem}.text,.lead{color:#3c4657;max-width:75ch}.empty{font-style:italic;color:#667}
.scroll{overflow-x:auto}table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem}
th,td{border:1px solid #dde3ea;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f4f8}td.num{text-align:right;font-variant-numeric:tabular-nums}td.long{min-width:24em}
tbody tr:nth-child(even){background:#fafbfc}figure{margin:1rem 0}figcaption{font-weight:600;margin:.2rem 0}
svg text{font:12px system-ui,sans-serif;fill:#1d2433}.bar{fill:#3b6ea8}.marker{stroke:#c0392b;stroke-dasharray:4 3}
.pv svg.graph{max-width:100%;height:auto}
.pv .edge{fill:none;stroke:#9aa5b1;stroke-width:1.4}.pv .node{cursor:pointer}.pv .node rect{stroke:#fff}
.pv .off{opacity:.15}.pv .edge.on{stroke:#c0392b;stroke-width:2.6}.pv .node.on rect{stroke:#c0392b;stroke-width:2}
.legend span{display:inline-block;margin-right:1rem;font-size:.85rem}
.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-1px;border-radius:2px}
ol.paths{max-height:14rem;overflow:auto;font-size:.85rem;border:1px solid #dde3ea;padding:.4rem 2.5rem}
ol.paths li{cursor:pointer}ol.paths li.on{background:#fdecea}ol.paths li.off{color:#8a94a3}
""".strip()


# Highlight the paths through what the pointer (or keyboard focus) is on; a click pins or unpins it.
_SCRIPT = """
document.querySelectorAll(".pv").forEach(function (view) {
  var parts = view.querySelectorAll("[data-paths]"), pinned = null;
  function ids(el) { return el.getAttribute("data-paths").split(" "); }
  function show(el) {
    var wanted = el ? ids(el) : null;
    parts.forEach(function (p) {
      var on = !!wanted && ids(p).some(function (i) { return wanted.indexOf(i) >= 0; });
      p.classList.toggle("on", on);
      p.classList.toggle("off", !!wanted && !on);
    });
  }
  function target(e) { return e.target.closest ? e.target.closest("[data-paths]") : null; }
  view.addEventListener("mouseover", function (e) { if (!pinned) show(target(e)); });
  view.addEventListener("focusin", function (e) { if (!pinned) show(target(e)); });
  view.addEventListener("mouseleave", function () { if (!pinned) show(null); });
  view.addEventListener("click", function (e) {
    var t = target(e);
    pinned = t && t !== pinned ? t : null;
    show(pinned || t);
  });
});
""".strip()


def to_html(report: Report) -> str:
    body = [f"<h1>{escape_html(report.title)}</h1>"]
    if report.description:
        body.append(f'<p class="lead">{escape_html(report.description)}</p>')
    links = [f'<a href="#section-{n}">{escape_html(s.title)}</a>' for n, s in enumerate(report.sections, 1)]
    body.append(f'<nav>{"".join(links)}<a href="#sources">Sources</a></nav>')
    for number, section in enumerate(report.sections, 1):
        body.append(_html_section(section, number))
    body.append(_html_sources(report.sources))
    script = f"<script>\n{_SCRIPT}\n</script>\n" if any(s.paths for s in report.sections) else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape_html(report.title)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + f"\n</main>\n{script}</body>\n</html>\n"
    )


def _html_section(section: Section, number: int) -> str:
    parts = [f'<section id="section-{number}">', f"<h2>{escape_html(section.title)}</h2>"]
    if section.text:
        parts.append(f'<p class="text">{escape_html(section.text)}</p>')
    parts.extend(bar_chart_svg(chart, section) for chart in section.charts)
    if section.paths is not None:
        parts.append(path_view_html(section.paths, number))
    parts.append(_html_table(section))
    if not section.rows:
        parts.append('<p class="empty">No rows.</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _html_table(section: Section) -> str:
    numeric = numeric_columns(section)
    head = "".join(f"<th>{escape_html(c)}</th>" for c in section.columns)
    rows = []
    for row in human_rows(section):
        cells = "".join(
            f'<td class="num">{escape_html(text)}</td>'
            if i in numeric
            # a long text in a narrow column would make its row many lines tall: it gets room, the table scrolls
            else f'<td class="long">{escape_html(text)}</td>' if len(text) > 60
            else f"<td>{escape_html(text)}</td>"
            for i, text in enumerate(row)
        )
        rows.append(f"<tr>{cells}</tr>")
    body = "\n".join(rows)
    return f'<div class="scroll"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table></div>'


def _html_sources(sources: Sequence[SourceRef]) -> str:
    items = []
    for source in sources:
        url = web_url(source.url)
        if url:
            head = f'<a href="{escape_html(url)}" rel="noreferrer">{escape_html(source.title)}</a>'
        else:
            head = escape_html(source.title) + (f" ({escape_html(source.url)})" if source.url else "")
        details = source.details()
        items.append(f"<li>{head}{', ' + escape_html(details) if details else ''}</li>")
    listing = f'<ol class="sources">\n{chr(10).join(items)}\n</ol>' if items else '<p class="empty">No sources.</p>'
    return f'<section id="sources">\n<h2>Sources</h2>\n{listing}\n</section>'


