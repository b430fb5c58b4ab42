"""Values given as text or JSON by a person (a command-line option, a form's field, a query string), checked the
same way wherever they arrive: calendar dates and bounded whole numbers.

`as_date` and `as_whole_number` raise `ValueError` with what is wrong ("must be a date YYYY-MM-DD, not '1 June'"),
for the caller to say where; `parse_date` and `whole_number` say it in an `InvalidRequest` naming `where`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from kg.core.errors import InvalidRequest

# The bounds of every max_hops (a report's, a pack query's): beyond 12 steps the value chains of the bundled data
# and of a generated 100k-part bill of materials hold nothing more, and each step multiplies the work.
MAX_HOPS = (1, 12)

# Only the calendar date: Python 3.11's fromisoformat also takes 20250601 and 2025-W23-1, which packs comparing
# date strings would then get wrong. ASCII digits only (\d would take other scripts' digits too).
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE = re.compile(r"[+-]?[0-9]+")


def as_date(value: Any) -> dt.date:
    """A date given as YYYY-MM-DD (surrounding blanks aside)."""
    text = value.strip() if isinstance(value, str) else ""
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass  # 2025-02-30
    raise ValueError(f"must be a date YYYY-MM-DD, not {value!r}")


def as_whole_number(value: Any, lowest: int | None = None, highest: int | None = None) -> int:
    """A whole number within bounds (None: unbounded), given as a JSON number or as text. Text is plain digits: no
    `1_000`, no digits of other scripts."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _WHOLE.fullmatch(value.strip()) and len(value.strip()) <= 30:
        number = int(value.strip())
    bounds = f" from {lowest} to {highest}" if lowest is not None and highest is not None else ""
    if number is None:
        raise ValueError(f"must be a whole number{bounds}, not {value!r}")
    if (lowest is not None and number < lowest) or (highest is not None and number > highest):
        raise ValueError(f"must be from {lowest} to {highest}, not {number}")
    return number


def parse_date(where: str, value: Any) -> dt.date:
    try:
        return as_date(value)
    except ValueError as problem:
        raise InvalidRequest(f"{where} {problem}") from None


def whole_number(where: str, value: Any, lowest: int | None = None, highest: int | None = None) -> int:
    try:
        return as_whole_number(value, lowest, highest)
    except ValueError as problem:
        raise InvalidRequest(f"{where} {problem}") from None
