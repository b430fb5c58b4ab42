"""Every error crm-kg raises on purpose, in one module: the shared kinds first, then those of each part, under its
heading. The CLI turns each into one line on stderr, the graph browser into an HTTP status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class KgError(Exception):
    """Base class of every error the kg library raises on purpose."""


class DataFileError(KgError):
    """An RDF file that cannot be read or parsed.

    ``line`` is 1-based, or None when the parser gives no position (e.g. a JSON-LD context error).
    """

    def __init__(self, path: Path, line: int | None, message: str, column: int | None = None) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        where = f"{path}:{line}" if line is not None else f"{path}"
        if line is not None and column is not None:
            where = f"{where}:{column}"
        super().__init__(f"{where}: {message}")


class ConcurrentLoadConflict(KgError):
    """Another load, running at the same time, saved a namespace prefix or a name for something else first: the
    file is loaded again from what is saved now (loaders/rdf/load.py)."""


class ConfigError(KgError):
    """A setting (environment, .env or option) is missing or malformed."""


class ConnectionFailed(KgError):
    """The graph database could not be reached."""


def first_line(message: str) -> str:
    """The first line of a database's message: the rest is a server-side stack or detail no one reads."""
    return message.strip().splitlines()[0] if message.strip() else message


def server_stopped(uri: str, during: str) -> str:
    """What to say when the server stops answering in the middle of something (the driver's ServiceUnavailable or
    SessionExpired): one line, with how to find out more and how to go on."""
    return (f"the graph server at {uri} stopped answering during {during}; `kg db status` says whether it runs and "
            "where its log is (`kg db start` starts the embedded one again)")


class AuthenticationFailed(KgError):
    """The graph database refused the credentials."""


class ServerError(KgError):
    """The embedded server could not be started, stopped or found."""


class ReadOnlyViolation(KgError):
    """A query run read-only tried to write; it was rolled back."""


class QueryFailed(KgError):
    """The database rejected a query (syntax, semantics or runtime)."""


class QueryTimedOut(QueryFailed):
    """A read ran longer than its time limit and was ended on the server (kg.server.read_limits)."""


class QueryTextRefused(QueryFailed):
    """The query's text was refused before it was sent: a string or comment never closed, or text too long or too
    costly for the server to parse (kg.cypher.query_bounds)."""


class QueryCancelled(QueryFailed):
    """A read whose caller stopped waiting (Ctrl-C, a page whose client went away) was ended on the server."""


class InvalidRequest(KgError):
    """Input to the graph browser's API that cannot be used: a missing, unknown or ill-typed parameter, bad JSON."""


class NotFound(KgError):
    """Something the graph browser was asked for that does not exist: a pack query, a report or a node.

    `closest` lists the names most like the one asked for, for the page to offer instead.
    """

    def __init__(self, message: str, closest: tuple[str, ...] = ()) -> None:
        self.closest = closest
        super().__init__(message)


# The embedded server ----------------------------------------------------------------------------------------------


class PortTaken(ServerError):
    """The Bolt port is used by another program."""


# The graph browser ------------------------------------------------------------------------------------------------


class PortUnavailable(KgError):
    """The address or port to serve the page on cannot be used."""


# Cypher files and packs -------------------------------------------------------------------------------------------


class PackError(KgError):
    """A query file whose header or parameters are wrong; names the file and line."""


# Names ------------------------------------------------------------------------------------------------------------


class NameNotResolved(KgError):
    """A name that does not lead to exactly one node."""


class UnknownLabel(NameNotResolved):
    """A label that names are not resolved in."""


class UnknownName(NameNotResolved):
    """No node of that label has that name or alternative label."""

    def __init__(self, label: str, name: str, closest: Sequence[str]) -> None:
        self.label = label
        self.name = name
        self.closest = tuple(closest)
        hint = f"; closest: {', '.join(self.closest)}" if self.closest else f"; no {label} has a similar name"
        super().__init__(f"no {label} named {name!r}{hint}")


class _Candidate(Protocol):
    """A node a name may mean (kg.cypher.names.ResolvedName)."""

    @property
    def name(self) -> str: ...

    @property
    def uri(self) -> str: ...


class AmbiguousName(NameNotResolved):
    """Several different nodes of that label answer to the name, none of them by its own name alone."""

    def __init__(self, label: str, name: str, candidates: Sequence[_Candidate]) -> None:
        self.label = label
        self.name = name
        self.candidates = tuple(candidates)
        names = [c.name.lower() for c in self.candidates]
        shown = [f"{c.name} <{c.uri}>" if names.count(c.name.lower()) > 1 else c.name for c in self.candidates]
        super().__init__(
            f"{name!r} could mean {len(shown)} {label} nodes: {', '.join(shown)}; give one of these names instead"
        )


# Reports ----------------------------------------------------------------------------------------------------------


class ReportError(KgError):
    """A report that cannot be made as asked."""


class ReportParamError(InvalidRequest):
    """A report parameter that is missing, unknown or of the wrong type; the message names it. `param` is its name
    and `problem` what is wrong with the value (for a caller that names the parameter its own way), or None."""

    def __init__(self, message: str, param: str | None = None, problem: str | None = None) -> None:
        super().__init__(message)
        self.param = param
        self.problem = problem


# Loading: names ---------------------------------------------------------------------------------------------------


class UndefinedPrefix(KgError):
    """SHORTEN_STRICT met a namespace that has no prefix."""


class UnstorableName(KgError):
    """A name the graph database cannot hold (the mapper says which statement asked for it)."""


# Loading: writing -------------------------------------------------------------------------------------------------


class TypeNameClash(KgError):
    """A name would be both a label and a relationship type, which the embedded default cannot hold."""


class MissingRelationships(KgError):
    """A statement made fewer relationships than it was sent: an end node it expected to exist did not (a loader
    bug; the transaction is rolled back rather than lose relationships silently)."""


class RowTooLarge(KgError):
    """One node's or relationship's values are more than one statement may carry."""


# Loading: spreadsheets --------------------------------------------------------------------------------------------


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
