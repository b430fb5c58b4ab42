"""The errors of a spreadsheet load: one that cannot be read or does not fit its mapping, and bad rows, every
one of them collected before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.core.errors import KgError

SHOWN_PROBLEMS = 8  # bad rows named in an error message; the rest are counted


class TableError(KgError):
    """A spreadsheet that cannot be read, or that does not fit its mapping."""


class BadRowsError(TableError):
    """Rows that cannot be loaded; nothing from the spreadsheet was written. `problems` holds every one."""

    def __init__(self, where: str, problems: Sequence[RowProblem], shown: int = SHOWN_PROBLEMS) -> None:
        self.where = where
        self.problems = sorted(problems, key=lambda p: p.row)
        rows = len({p.row for p in self.problems})
        lines = [f"{where}: {_plural(rows, 'bad row')}, nothing loaded:"]
        lines += [f"  {p.location}: {p.message}" for p in self.problems[:shown]]
        if len(self.problems) > shown:
            lines.append(f"  … and {_plural(len(self.problems) - shown, 'more problem')}")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class RowProblem:
    row: int  # as a person sees it in a spreadsheet program (the header is row 1)
    message: str
    sheet: str | None = None  # for workbooks

    @property
    def location(self) -> str:
        return f"sheet {self.sheet}, row {self.row}" if self.sheet else f"row {self.row}"



def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
