"""A report as data: titled sections of rows, each with its text, an optional chart and dependency paths, and
the sources it cites. kg.render writes reports out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kg.cypher.plain import plain
from kg.cypher.results import QueryResult

CHAINS_PAGE = 50  # the chains a page of the chains report lists


@dataclass(frozen=True)
class SourceRef:
    """Where figures come from. `publisher` may be given as one string, a list or None; it is kept as a tuple."""

    title: str
    publisher: Sequence[str] = ()
    year: int | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        publisher = self.publisher
        publisher = (publisher,) if isinstance(publisher, str) else tuple(publisher or ())
        object.__setattr__(self, "publisher", publisher)

    def details(self) -> str:
        """The publisher(s) and year: "JRC, 2023"."""
        return ", ".join([*self.publisher, *([str(self.year)] if self.year is not None else [])])


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of one numeric column, each bar labelled by one or more columns.

    Bars are sorted by value (largest first) unless `sort` is False, and at most `limit` are drawn. `percent`:
    the values are fractions shown as percentages. `max_value` fixes the scale (e.g. 1.0 for shares); `marker`
    draws a dashed line at that value (e.g. the CRMA's 0.65), captioned `marker_label`.
    """

    value: str
    label: str | Sequence[str]
    title: str = ""
    percent: bool = False
    max_value: float | None = None
    marker: float | None = None
    marker_label: str = ""
    sort: bool = True
    limit: int = 30

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", (self.label,) if isinstance(self.label, str) else tuple(self.label))

    @property
    def label_columns(self) -> tuple[str, ...]:
        return tuple(self.label)


@dataclass(frozen=True)
class PathStep:
    """One node on a dependency path: its name and its (most specific) label, e.g. "Component"."""

    name: str
    label: str = ""


@dataclass(frozen=True)
class PathView:
    """Dependency paths to draw as one interactive graph: each path is its nodes in order."""

    paths: Sequence[Sequence[PathStep]]
    title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "paths", tuple(tuple(path) for path in self.paths))

    @classmethod
    def from_names(
        cls, paths: Iterable[Sequence[str]], labels: Mapping[str, str] | None = None, title: str = ""
    ) -> PathView:
        """Paths given as lists of names; `labels` gives the label of each name it knows."""
        known = labels or {}
        return cls(tuple(tuple(PathStep(name, known.get(name, "")) for name in path) for path in paths), title)


@dataclass(frozen=True)
class Section:
    """A titled table with a short explanatory text, optional charts and an optional path view. `brief` names
    the columns a terminal shows (all when empty); the other formats always carry every column."""

    title: str
    text: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    charts: Sequence[Chart] = ()
    paths: PathView | None = None
    brief: Sequence[str] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(tuple(row) for row in self.rows))
        object.__setattr__(self, "charts", tuple(self.charts))
        object.__setattr__(self, "brief", tuple(self.brief))
        unknown = [c for c in self.brief if c not in self.columns]
        if unknown:
            raise ValueError(f"section {self.title!r}: brief names column {unknown[0]!r}, which it does not have")
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(f"section {self.title!r}: row {number} has {len(row)} values for {len(self.columns)}")
        for chart in self.charts:
            missing = [c for c in (chart.value, *chart.label_columns) if c not in self.columns]
            if missing:
                raise ValueError(f"section {self.title!r}: a chart uses column {missing[0]!r}, which it does not have")

    @classmethod
    def from_result(
        cls,
        title: str,
        text: str,
        result: QueryResult,
        charts: Sequence[Chart] = (),
        paths: PathView | None = None,
        brief: Sequence[str] = (),
    ) -> Section:
        return cls(title, text, result.columns, result.rows, charts, paths, brief)

    def records(self) -> list[dict[str, Any]]:
        """The rows as JSON-ready objects, column → value."""
        return [dict(zip(self.columns, (plain(v) for v in row), strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Report:
    """A titled report: its sections, then the sources of its figures (duplicates dropped, order kept)."""

    title: str
    sections: Sequence[Section]
    sources: Sequence[SourceRef] = ()
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "sections", tuple(self.sections))
        object.__setattr__(self, "sources", tuple(dict.fromkeys(self.sources)))
        titles = [s.title for s in self.sections]
        duplicated = sorted({t for t in titles if titles.count(t) > 1})
        if duplicated:
            raise ValueError(f"report {self.title!r}: two sections are titled {duplicated[0]!r}")


def is_path_column(column: str) -> bool:
    return column in ("path", "chain") or column.endswith("_path")
