"""`kg browse` as a user runs it: a real process on each engine, found by the line it prints."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from tests.browse_process import running_browse

from .backends import GraphDatabase

pytestmark = pytest.mark.graph


def browse(env: dict[str, str], *args: str) -> AbstractContextManager[tuple[subprocess.Popen[str], str]]:
    """`kg browse ARGS` running; yields the process and the URL it printed; stops it with SIGTERM."""
    return running_browse([sys.executable, "-m", "kg.cli", "browse", *args], {**os.environ, **env})


def get_json(url: str) -> tuple[dict[str, object], str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read().decode()
    return json.loads(body), body


def test_kg_browse_serves_the_graph_it_connects_to_and_stops_cleanly(
    cli_env: dict[str, str], database: GraphDatabase
) -> None:
    with browse(cli_env, "--port", "0") as (process, url):
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        info, body = get_json(url + "api/info")
        assert info["backend"] == database.backend
        assert info["database"] == database.name
        assert database.password not in body
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        stderr = process.stderr.read() if process.stderr else ""
    assert "stopped" in stderr
    assert database.password not in stderr


def test_a_taken_port_is_one_line_naming_the_option(cli_env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "kg.cli", "browse", "--port", str(port)],
            env={**os.environ, **cli_env},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"127.0.0.1:{port}" in lines[0] and "--port" in lines[0]


def host_status(url: str, host: str) -> int:
    """The status of GET /api/info on `url` with this Host header (a rebound name, a team's name for the machine)."""
    port = url.rstrip("/").rsplit(":", 1)[1]
    request = urllib.request.Request(url + "api/info", headers={"Host": f"{host}:{port}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_open_hands_the_url_to_the_web_browser_and_another_host_is_warned_about(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    opened = tmp_path / "opened.txt"
    fake_browser = tmp_path / "fake-browser"
    fake_browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    fake_browser.chmod(0o755)
    env = {**cli_env, "BROWSER": str(fake_browser)}
    args = ("--port", "0", "--open", "--host", "0.0.0.0", "--allow-host", "team-laptop.example")
    with browse(env, *args, "--allow-host", "kg.lan.example") as (process, url):
        for _ in range(100):
            if opened.exists() and opened.read_text().strip():
                break
            threading.Event().wait(0.1)
        assert opened.read_text().strip() == url
        # Names given with --allow-host are answered; any other is refused, even on 0.0.0.0 (DNS rebinding).
        assert host_status(url, "team-laptop.example") == 200
        assert host_status(url, "kg.lan.example") == 200
        assert host_status(url, "attacker.example") == 403
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        stderr = process.stderr.read() if process.stderr else ""
    assert "warning: serving on 0.0.0.0" in stderr


def test_without_allow_host_a_foreign_host_is_refused_and_sigterm_at_once_stops_cleanly(
    cli_env: dict[str, str],
) -> None:
    with browse(cli_env, "--port", "0", "--host", "0.0.0.0") as (process, url):
        assert host_status(url, "team-laptop.example") == 403
        assert host_status(url, "localhost") == 200
    with browse(cli_env, "--port", "0") as (process, _):
        # SIGTERM the moment the URL line is read: the handler is in place before the line is printed.
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        stderr = process.stderr.read() if process.stderr else ""
    assert "stopped" in stderr and "Traceback" not in stderr


def test_an_allow_host_that_is_not_a_name_is_refused(cli_env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "browse", "--port", "0", "--allow-host", "http://team-laptop.example/"],
        env={**os.environ, **cli_env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    said = " ".join(result.stderr.replace("│", " ").split())  # typer's error box wraps the line
    assert "--allow-host" in said and "is not a host name: give the name alone" in said
