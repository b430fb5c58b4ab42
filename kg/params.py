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
        return json.loads(raw)
    except ValueError:
        return raw


def parse_parameters(pairs: Iterable[str]) -> dict[str, Any]:
    parameters: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip().lstrip("$")
        if not sep or not _NAME.match(name):
            raise ValueError(f"{pair!r} is not name=value (a name is letters, digits and _, not starting with a digit)")
        if name in parameters:
            raise ValueError(f"parameter {name!r} is given twice")
        parameters[name] = parse_value(raw)
    return parameters
