"""`kg shell`: an interactive Cypher prompt for analysts, as cypher-shell does it.

A statement may span several lines and ends with `;`. Commands start with a colon:

    :param name => value    set a parameter (value as JSON, else text); :params lists them
    :packs                  the query packs
    :run NAME               run a pack query with the parameters set (its examples for the rest)
    :schema                 labels, relationship types and property keys present
    :help, :quit

Read-only unless started with --write. The shell's logic is here and takes a connection and an output callback;
the CLI supplies the terminal (readline history).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.core.cypher_files import Query, own_cypher
from kg.core.errors import KgError, PackError, ReadOnlyViolation
from kg.cypher.packs import find_query
from kg.cypher.params import parse_value
from kg.cypher.results import QueryResult

HELP = __doc__.split("\n\n", 2)[1] if __doc__ else ""
_PARAM = re.compile(r"^:param\s+\$?([A-Za-z_]\w*)\s*=>\s*(.+)$")

if TYPE_CHECKING:
    from kg.server.connection import Connection


@dataclass
class Shell:
    connection: Connection
    queries: Mapping[str, Query]
    show: Callable[[QueryResult | str], None]  # draws a result table or prints a line
    write: bool = False
    parameters: dict[str, Any] = field(default_factory=dict)
    _pending: list[str] = field(default_factory=list)
    done: bool = False

    @property
    def prompt(self) -> str:
        return "...> " if self._pending else ("kg(write)> " if self.write else "kg> ")

    def feed(self, line: str) -> None:
        """One line typed at the prompt."""
        stripped = line.strip()
        if not self._pending and stripped.startswith(":"):
            self._command(stripped)
            return
        if not stripped and not self._pending:
            return
        self._pending.append(line)
        if stripped.endswith(";"):
            text = "\n".join(self._pending).strip().rstrip(";").strip()
            self._pending.clear()
            self._run(text, self.parameters)

    def _command(self, line: str) -> None:
        name, _, rest = line.partition(" ")
        rest = rest.strip()
        if name in (":quit", ":exit", ":q"):
            self.done = True
        elif name == ":help":
            self.show(HELP)
        elif name == ":param":
            match = _PARAM.match(line)
            if match is None:
                self.show("usage: :param name => value")
                return
            self.parameters[match[1]] = parse_value(match[2].strip())
            self.show(f"${match[1]} = {self.parameters[match[1]]!r}")
        elif name == ":params":
            self.show(QueryResult(("name", "value"), tuple((k, v) for k, v in sorted(self.parameters.items()))))
        elif name == ":packs":
            rows = tuple(
                (q.name, q.pack, q.description) for q in sorted(self.queries.values(), key=lambda q: (q.pack, q.name))
            )
            self.show(QueryResult(("name", "pack", "description"), rows))
        elif name == ":run":
            self._run_pack(rest)
        elif name == ":schema":
            self._run(own_cypher("kg", "schema_summary"), {})
        else:
            self.show(f"unknown command {name}; :help lists them")

    def _run_pack(self, name: str) -> None:
        try:
            query = find_query(self.queries, name)
        except PackError as error:
            self.show(str(error))
            return
        given = {p.name: self.parameters[p.name] for p in query.params if p.name in self.parameters}
        try:
            self._run(query.text, query.check_parameters(given))
        except KgError as error:
            self.show(f"error: {error}")

    def _run(self, text: str, parameters: Mapping[str, Any]) -> None:
        from kg.cypher.querying import run_query

        try:
            self.show(run_query(self.connection, text, parameters, write=self.write))
        except ReadOnlyViolation as error:
            self.show(f"error: {error} (start kg shell with --write to allow writes)")
        except KgError as error:
            self.show(f"error: {error}")
