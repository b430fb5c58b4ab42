"""What every `kg` command shares: the typer apps, the consoles, the graph options and the error report."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from kg.core import crash_log
from kg.core.config import Settings, load_settings
from kg.core.errors import KgError, QueryTimedOut
from kg.cypher.params import parse_parameters
from kg.cypher.results import QueryResult
from kg.render.formats import OutputFormat, render_text, to_table


class _Commands(TyperGroup):
    """The `kg` group. No command line holds a NUL byte, but a program calling kg can pass one, and typer's path
    options fail on it with a traceback (typer 0.28 stats every path): refused here, before any option is read."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        for argument in args:
            if "\x00" in argument:
                raise typer.BadParameter(f"an argument holds a NUL byte: {argument!r}")
        return super().parse_args(ctx, args)


app = typer.Typer(
    name="kg",
    cls=_Commands,
    help="crm-kg: a knowledge graph of critical-raw-materials value chains, over Bolt (Neo4j 5 or embedded).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Start, stop and inspect the graph database.", no_args_is_help=True)
app.add_typer(db_app, name="db")

# The driver logs Neo4j's notifications (advice such as "property liftedOn does not exist" while no control has
# been lifted) and its own retries at WARNING; with no handler, Python would print each on stderr in the middle
# of the output. kg says what went wrong itself, in one line.
logging.getLogger("neo4j").addHandler(logging.NullHandler())
logging.getLogger("neo4j").propagate = False

# emoji=False: rich would otherwise show "rdfs:label:" with a label emoji.
out = Console(soft_wrap=True, emoji=False)
err = Console(stderr=True, soft_wrap=True, emoji=False)

P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print a library error as one red line on stderr and exit with status 1. Anything unexpected (a bug) is one
    line too, naming what failed and where its full traceback was logged (kg.core.crash_log), never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except QueryTimedOut as error:
            hint = " (KG_QUERY_TIMEOUT sets the limit; kg query also takes --timeout)"
            err.print(f"[red]error:[/red] {escape(str(error))}{hint}", highlight=False)
            raise typer.Exit(1) from error
        except KgError as error:
            err.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)
            raise typer.Exit(1) from error
        except KeyboardInterrupt:
            # kg.cypher.querying has already ended the read under way on the server; a command that writes handles
            # Ctrl-C itself, to say what was and was not written
            err.print("[red]error:[/red] interrupted", highlight=False)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, typer.BadParameter, typer.exceptions.TyperException):
            raise  # typer's own: it prints them and sets the exit code
        except Exception as error:
            name = command.__name__.removesuffix("_command").removesuffix("_report").replace("_", " ")
            where = crash_log.record(error, f"kg {name}: {' '.join(sys.argv[1:])}")
            first = (str(error).splitlines() or [""])[0][:200]
            err.print(
                f"[red]error:[/red] kg failed unexpectedly in {escape(name)} ({type(error).__name__}: "
                f"{escape(first)}); the full traceback is in {where}",
                highlight=False,
            )
            raise typer.Exit(1) from error

    return wrapper


# Options shared by every command that talks to the graph. The password is never an option: it comes from
# NEO4J_PASSWORD (environment or .env) so that it stays out of shell history and process lists.
UriOption = Annotated[
    str | None,
    typer.Option("--uri", help="Bolt URI of a Neo4j server (default: NEO4J_URI; none: the embedded default)."),
]
UsernameOption = Annotated[
    str | None, typer.Option("--username", help="Neo4j user (default: NEO4J_USERNAME or neo4j).")
]
DatabaseOption = Annotated[str | None, typer.Option("--database", help="Database name (default: NEO4J_DATABASE).")]
DataDirOption = Annotated[
    Path | None, typer.Option("--data-dir", help="Embedded server's data directory (default: KG_DATA_DIR).")
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def write_text(text: str, output: Path | None) -> None:
    """Text to standard output, ending in a newline, or to a file written whole: a reader, or a failure half way,
    never leaves half a file."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(output)


def print_result(result: QueryResult, output: OutputFormat, title: str | None = None) -> None:
    """A query's rows on standard output: a table with its row count, or JSON, CSV or Markdown."""
    if output is OutputFormat.table:
        out.print(to_table(result, title=title))
        out.print(f"{len(result.rows)} row(s)", style="dim", highlight=False)
    else:
        write_text(render_text(result, output), None)


def settings_from(uri: str | None, username: str | None, database: str | None, data_dir_: Path | None) -> Settings:
    return load_settings(uri=uri, username=username, database=database, data_dir=data_dir_)


def parameters_from(param: list[str] | None) -> dict[str, Any]:
    """The --param name=value options as a mapping; a malformed one is a bad --param."""
    try:
        return parse_parameters(param or [])
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--param") from error


def expand_paths(paths: list[str]) -> list[Path]:
    """Files, folders (their RDF files, recursively) and glob patterns, in a stable order, without repeats: what
    `kg load` and `kg validate` read, so that both pick the same files from a folder."""
    from loaders.rdf.source import is_rdf_path  # with the RDF parser (pyoxigraph), which most commands never use

    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_rdf_path(p)))
        elif path.exists():
            found.append(path)
        else:
            matches = sorted(Path().glob(raw)) if not path.is_absolute() else sorted(Path("/").glob(raw.lstrip("/")))
            if not matches:
                missing = "matches no file" if any(char in raw for char in "*?[") else "does not exist"
                raise typer.BadParameter(f"{raw} {missing}", param_hint="PATHS")
            found.extend(p for p in matches if p.is_file())
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path, None)
    return list(unique)
