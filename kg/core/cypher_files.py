"""Cypher files with a comment header: the one reader of every `.cypher` file crm-kg has, the analysts' packs
(kg.cypher.packs) and the library's and loaders' own queries (`own_cypher`). A file parses into a typed, frozen
`Query` that remembers its file and line.

    // name: dependencies_of_material
    // description: Everything downstream of a material, with the path that links them.
    // param: material (string) = "gallium" -- a material's name or alternative label
    // param: max_hops (integer) = 6
    // returns: name (string), labels (list), hops (integer)
    // question: Which intermediates, components, products and sectors depend on this material?
    MATCH ...

Example values are JSON. Declared parameters must be exactly the `$parameters` the text uses (comments and
strings aside), both ways.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from kg.core.errors import PackError
from kg.core.values import MAX_HOPS, as_date, as_whole_number

PARAM_TYPES = ("string", "integer", "float", "boolean", "date", "list", "map")


_HEADER = re.compile(r"^\s*//\s*(name|description|param|returns|question)\s*:\s*(.*)$")


_PARAM = re.compile(
    r"^\$?(?P<name>[A-Za-z_]\w*)\s*\((?P<type>[a-z ]+?)\)\s*=\s*(?P<example>.+?)(?:\s+--\s*(?P<doc>.*))?$"
)


_COLUMN = re.compile(r"^(?P<name>[A-Za-z_]\w*)(?:\s*\((?P<type>[^)]*)\))?$")


_USED = re.compile(r"\$(`[^`]+`|[A-Za-z_]\w*)")


_STRINGS_AND_COMMENTS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*|/\*.*?\*/", re.S)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    example: Any
    doc: str = ""


@dataclass(frozen=True)
class Column:
    name: str
    type: str


@dataclass(frozen=True)
class Query:
    name: str
    pack: str
    description: str
    params: tuple[Param, ...]
    returns: tuple[Column, ...]
    question: str
    text: str
    path: Path
    line: int  # where the Cypher starts, after the header

    def example_parameters(self) -> dict[str, Any]:
        return {p.name: p.example for p in self.params}

    def check_parameters(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The parameters to run with: each declared one given (or its example), none unknown, types right."""
        unknown = sorted(set(given) - {p.name for p in self.params})
        if unknown:
            raise PackError(f"query {self.name} has no parameter {unknown[0]!r}; it takes {self._signature()}")
        values: dict[str, Any] = {}
        for param in self.params:
            value = given.get(param.name, param.example)
            where = f"parameter {param.name} of query {self.name}"
            if not _fits(value, param.type):
                raise PackError(f"{where} must be of type {param.type}, not {value!r}")
            try:
                _check_value(param, value)
            except ValueError as problem:
                raise PackError(f"{where} {problem}") from None
            values[param.name] = value
        return values

    def _signature(self) -> str:
        return ", ".join(f"{p.name} ({p.type})" for p in self.params) or "no parameters"


def used_parameters(text: str) -> set[str]:
    """The `$names` of a Cypher text, outside comments and string literals."""
    stripped = _STRINGS_AND_COMMENTS.sub(" ", text)
    return {m.strip("`") for m in _USED.findall(stripped)}


def parse_query(path: Path, pack: str) -> Query:
    lines = path.read_text(encoding="utf-8").splitlines()
    fields: dict[str, list[tuple[int, str]]] = {}
    body_start = 0
    for number, line in enumerate(lines, start=1):
        match = _HEADER.match(line)
        if match:
            fields.setdefault(match[1], []).append((number, match[2].strip()))
            body_start = number
            continue
        if line.strip().startswith("//") or not line.strip():
            if body_start == number - 1:
                body_start = number
            continue
        break
    text = "\n".join(lines[body_start:]).strip()

    def one(key: str) -> str:
        found = fields.get(key)
        if not found:
            raise PackError(f"{path}:1: the header has no '// {key}:' line")
        if len(found) > 1:
            raise PackError(f"{path}:{found[1][0]}: '// {key}:' is given twice")
        return found[0][1]

    name = one("name")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise PackError(f"{path}:{fields['name'][0][0]}: a query name is lower_snake_case, not {name!r}")
    params = tuple(_param(path, number, raw) for number, raw in fields.get("param", []))
    declared = {p.name for p in params}
    if len(declared) != len(params):
        raise PackError(f"{path}: a parameter is declared twice")
    used = used_parameters(text)
    if used - declared:
        raise PackError(f"{path}: ${sorted(used - declared)[0]} is used but not declared in the header")
    if declared - used:
        raise PackError(f"{path}: parameter {sorted(declared - used)[0]} is declared but not used")
    returns = tuple(_columns(path, fields["returns"][0]) if "returns" in fields else ())
    if not text:
        raise PackError(f"{path}: the file has a header but no query")
    return Query(
        name=name,
        pack=pack,
        description=one("description"),
        params=params,
        returns=returns,
        question=fields["question"][0][1] if "question" in fields else "",
        text=text,
        path=path,
        line=body_start + 1,
    )


def _param(path: Path, number: int, raw: str) -> Param:
    match = _PARAM.match(raw)
    if match is None:
        raise PackError(f'{path}:{number}: a parameter is "name (type) = example -- what it is", not {raw!r}')
    kind = match["type"].strip()
    if kind not in PARAM_TYPES and not kind.startswith("list of "):
        raise PackError(f"{path}:{number}: parameter type {kind!r} is not one of {', '.join(PARAM_TYPES)}")
    try:
        example = json.loads(match["example"])
    except ValueError:
        raise PackError(f"{path}:{number}: the example of {match['name']} is not JSON: {match['example']}") from None
    if not _fits(example, kind):
        raise PackError(f"{path}:{number}: the example of {match['name']} is not of type {kind}")
    return Param(match["name"], kind, example, (match["doc"] or "").strip())


def _columns(path: Path, field: tuple[int, str]) -> list[Column]:
    number, raw = field
    columns = []
    for part in _split_top_level(raw):
        match = _COLUMN.match(part.strip())
        if match is None:
            raise PackError(f"{path}:{number}: a returned column is 'name (type)', not {part.strip()!r}")
        columns.append(Column(match["name"], (match["type"] or "any").strip()))
    return columns


def _split_top_level(raw: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in raw:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current] if current.strip() else parts


def _check_value(param: Param, value: Any) -> None:
    """What a type leaves open, checked so that a bad value is named, not a database error or a runaway query: a
    date (text to the packs, compared as text) is YYYY-MM-DD or empty; max_hops is bounded as in every report."""
    if param.type == "date" and value != "":
        as_date(value)
    if param.name == "max_hops" and param.type == "integer":
        as_whole_number(value, *MAX_HOPS)


def _fits(value: Any, kind: str) -> bool:
    if kind == "string" or kind == "date":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "map":
        return isinstance(value, dict)
    if kind == "list" or kind.startswith("list of "):
        return isinstance(value, list)
    return True


@cache
def own_cypher(package: str, name: str) -> str:
    """The Cypher of one of a package's own query files (`<package>/cypher/NAME.cypher`: kg's and the loaders'),
    read and checked as every query file is: a header whose parameters match the text."""
    path = Path(str(files(package).joinpath("cypher", f"{name}.cypher")))
    return parse_query(path, package).text

