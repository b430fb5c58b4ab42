"""Query parameters given on the command line as `name=value`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_value(raw: str) -> Any:
    """JSON where the text is JSON (3, 0.65, true, null, ["a","b"], "quoted"), otherwise the text itself.

    So `-p material=gallium` gives the string "gallium" and `-p hops=4` the integer 4; quote a number to keep
    it a string: `-p code='"8505"'`.
    """
    try:
        value = json.loads(raw)
    except ValueError:
        return _sendable(raw)
    except RecursionError:
        raise ValueError("the value is nested too deeply to send") from None
    return _sendable(value)


_INT64 = range(-(2**63), 2**63)


def _sendable(value: Any) -> Any:
    """`value`, if Bolt can carry it: integers of 64 bits, text without lone surrogates (the driver would fail on
    either with a traceback)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, bool):
            continue
        if isinstance(item, int) and item not in _INT64:
            raise ValueError(f"{item} is beyond the 64-bit integers a graph database holds; quote it to send text")
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("the value holds a lone UTF-16 surrogate, which is not text") from None
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return value


def parse_parameters(pairs: Iterable[str]) -> dict[str, Any]:
    parameters: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip().lstrip("$")
        if not sep or not _NAME.match(name):
            raise ValueError(f"{pair!r} is not name=value (a name is letters, digits and _, not starting with a digit)")
        if name in parameters:
            raise ValueError(f"parameter {name!r} is given twice")
        try:
            parameters[name] = parse_value(raw)
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
    return parameters
