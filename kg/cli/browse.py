"""`kg browse`: the graph browser, a local web page over the same connection as every other command."""

from __future__ import annotations

import contextlib
import ipaddress
import signal
import sys
import webbrowser
from types import FrameType
from typing import Annotated

import typer

from kg.cli.common import (
    DatabaseOption,
    DataDirOption,
    UriOption,
    UsernameOption,
    app,
    err,
    reports_errors,
    settings_from,
)
from kg.cli.packs import QueriesDirOption, all_queries
from kg.core.errors import PortUnavailable

DEFAULT_PORT = 7480  # beside Neo4j Browser's 7474


def _host_name(name: str) -> str:
    """An --allow-host value: a host name or address, without scheme, port or path (the port is the server's)."""
    text = name.strip()
    bare = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    if not bare or any(c in bare for c in "/@?# ") or (":" in bare and not _is_ipv6(bare)):
        raise typer.BadParameter(
            f"{name!r} is not a host name: give the name alone, e.g. team-laptop.example", param_hint="--allow-host"
        )
    return bare


def _is_ipv6(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == 6
    except ValueError:
        return False


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
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            metavar="NAME",
            help="Another name the page may be reached by (the machine's name on the network, say), besides "
            "localhost, 127.0.0.1, [::1] and --host; repeatable. Requests naming any other Host are refused.",
        ),
    ] = None,
    open_page: Annotated[bool, typer.Option("--open", help="Open the page in the default web browser.")] = False,
    queries_dir_: QueriesDirOption = None,
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Explore the graph in a web page: search, expand, supply facts and sources, reports and packs (read-only)."""
    from kg.browse.server import BrowseServer, is_loopback
    from kg.server.connection import connect

    names = [_host_name(name) for name in allow_host or ()]
    settings = settings_from(uri, username, database, data_dir_)
    queries = all_queries(queries_dir_)
    if not is_loopback(host):
        err.print(
            f"[yellow]warning:[/yellow] serving on {host}: anyone who can reach it can read the graph (read-only)",
            highlight=False,
        )
    with contextlib.ExitStack() as connections:
        connection = connections.enter_context(connect(settings))
        try:
            # After the embedded server restarts (another command started it again, on a new port) the next request
            # opens a new connection, as any other command would.
            server = BrowseServer(connection, queries, host=host, port=port, allowed_hosts=names,
                                  reconnect=lambda: connections.enter_context(connect(settings)))
        except OSError as error:
            raise PortUnavailable(
                f"cannot serve on {host}:{port} ({error.strerror or error}): choose another --port (0 picks a free one)"
            ) from error
        # Before the URL line: whoever reads that line (a script, the end-to-end test) may send SIGTERM at once.
        previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
        try:
            with server:
                err.print(f"reading {connection.uri} ({connection.backend}); Ctrl+C stops it", highlight=False)
                # The one line a script (or the end-to-end test) reads to find the page; it may send SIGTERM the
                # moment it reads it, so nothing is printed through rich after it (an interrupted rich print
                # leaves its console buffering, and "stopped" would never appear).
                print(f"crm-kg browser: {server.url}", flush=True)
                if open_page:
                    webbrowser.open(server.url)
                server.serve_forever()
        except KeyboardInterrupt:
            sys.stderr.write("stopped\n")
        finally:
            signal.signal(signal.SIGTERM, previous)
            sys.stdout.flush()
