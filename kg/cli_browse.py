"""`kg browse`: the graph browser, a local web page over the same connection as every other command."""

from __future__ import annotations

import signal
import sys
import webbrowser
from types import FrameType
from typing import Annotated

import typer

from kg.browse_server import BrowseServer, is_loopback
from kg.cli_common import (
    DatabaseOption,
    DataDirOption,
    UriOption,
    UsernameOption,
    app,
    err,
    reports_errors,
    settings_from,
)
from kg.cli_packs import QueriesDirOption, all_queries
from kg.connection import connect
from kg.errors import KgError

DEFAULT_PORT = 7480  # beside Neo4j Browser's 7474


class PortUnavailable(KgError):
    """The address or port to serve the page on cannot be used."""


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # `kill` and service managers send SIGTERM: leave as cleanly as after Ctrl+C (the driver is closed).
    raise KeyboardInterrupt


@app.command("browse")
@reports_errors
def browse(
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to serve the page on; 0 picks a free one.")
    ] = DEFAULT_PORT,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to bind (default: 127.0.0.1, this machine only). Another address lets others on the "
            "network read the graph through this page.",
        ),
    ] = "127.0.0.1",
    open_page: Annotated[bool, typer.Option("--open", help="Open the page in the default web browser.")] = False,
    queries_dir_: QueriesDirOption = None,
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Explore the graph in a web page: search, expand, supply facts and sources, reports and packs (read-only)."""
    settings = settings_from(uri, username, database, data_dir_)
    queries = all_queries(queries_dir_)
    if not is_loopback(host):
        err.print(
            f"[yellow]warning:[/yellow] serving on {host}: anyone who can reach it can read the graph (read-only)",
            highlight=False,
        )
    with connect(settings) as connection:
        try:
            server = BrowseServer(connection, queries, host=host, port=port)
        except OSError as error:
            raise PortUnavailable(
                f"cannot serve on {host}:{port} ({error.strerror or error}): choose another --port (0 picks a free one)"
            ) from error
        with server:
            # The one line a script (or the end-to-end test) reads to find the page.
            print(f"crm-kg browser: {server.url}", flush=True)
            err.print(f"reading {connection.uri} ({connection.backend}); Ctrl+C stops it", highlight=False)
            if open_page:
                webbrowser.open(server.url)
            previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                err.print("stopped", highlight=False)
            finally:
                signal.signal(signal.SIGTERM, previous)
                sys.stdout.flush()
