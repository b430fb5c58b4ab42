"""Cells and values: a cell's text, a value converted to its property's type, and the slugs, namespaces and
normal forms that names and uris are made of."""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import unicodedata
from typing import Any

from neo4j.time import Date

from loaders.table.spec import BY_NAME, BY_URI, NodeSpec, PropertySpec, ValueType


def cell_text(value: Any) -> str | None:
    """A cell as text, or None when it is empty. Numbers that are whole are written without ".0"."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return None
        return str(int(number)) if number.is_integer() else repr(number)
    if _is_missing(value):
        return None
    return str(value).strip() or None


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def convert(value: Any, spec: PropertySpec, decimal: str = ".") -> Any:
    """The property value of one cell; None for an empty cell. A cell that does not fit raises ValueError
    with a message that names the cell's value and what was expected."""
    text = cell_text(value)
    if text is None:
        return None
    kind = spec.type
    if kind is ValueType.STRING:
        return text
    if kind is ValueType.LIST:
        items = [text] if not isinstance(value, str) else [i.strip() for i in text.split(spec.separator)]
        return list(dict.fromkeys(i for i in items if i)) or None
    if kind is ValueType.BOOLEAN:
        if isinstance(value, bool):
            return value
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(f"{text!r} is not true or false (true/false, yes/no, y/n, 1/0)")
    if kind is ValueType.INTEGER:
        number = _integer(value, text)
        if not _INT64_MIN <= number <= _INT64_MAX:  # what both engines store; the driver cannot send more
            raise ValueError(f"{text} does not fit in a 64-bit integer: give the column type float or string")
        return number
    if kind is ValueType.FLOAT:
        return _float(value, text, decimal)
    return _date(value, text, spec.date_format)


def _integer(value: Any, text: str) -> int:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer():
            return int(number)
        raise ValueError(f"{text} is not a whole number")
    if "_" in text:  # int() and float() would take "1_000"
        raise ValueError(f"{text!r} is not a whole number")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None
    if number.is_integer():
        return int(number)
    raise ValueError(f"{text!r} is not a whole number")


def _float(value: Any, text: str, decimal: str) -> float:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
    else:
        candidate = text.replace(",", ".") if decimal == "," else text
        try:
            if "_" in candidate:
                raise ValueError(candidate)
            number = float(candidate)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{text!r} is not a finite number")
    return number


def _date(value: Any, text: str, date_format: str | None) -> Date:
    if isinstance(value, dt.datetime):
        return Date.from_native(value.date())
    if isinstance(value, dt.date):
        return Date.from_native(value)
    if date_format is not None:
        try:
            return Date.from_native(dt.datetime.strptime(text, date_format).date())
        except ValueError:
            raise ValueError(f"{text!r} is not a date in the format {date_format!r}") from None
    try:
        return Date.from_native(dt.date.fromisoformat(text))
    except ValueError:
        pass
    try:
        return Date.from_native(dt.datetime.fromisoformat(text).date())
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD, or set `format:` in the mapping)") from None


def _is_missing(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN, NaT, pd.NA
    except (TypeError, ValueError):
        return False


def slug(text: str) -> str:
    """A readable uri segment: accents folded, lower case, every run of other characters a single "-"."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "-", folded.lower()).strip("-")


def kebab_case(label: str) -> str:
    """`MagnetPlant` -> `magnet-plant`, `Component` -> `component`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", label).replace("_", "-").lower()


def node_namespace(node: NodeSpec, mapping_namespace: str) -> str:
    return node.namespace or f"{mapping_namespace}{kebab_case(node.labels[0])}/"


def normalise(value: str, by: str) -> str:
    """How a reference is compared: uris exactly, names and codes case-insensitively, names with spaces collapsed."""
    if by == BY_URI:
        return value.strip()
    if by == BY_NAME:
        return " ".join(value.split()).lower()
    return value.strip().lower()
