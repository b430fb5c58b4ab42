"""`kg browse` as a process: started, found by the URL line it prints first, stopped with SIGTERM. Shared by the
tests that run the real command and by benchmarks/browse_benchmark.py; plain Python (no pytest)."""

from __future__ import annotations

import signal
import subprocess
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

URL_LINE = "crm-kg browser: "
# headless Chromium on a shared machine: no sandbox (containers), no GPU, nothing fetched but the page under test
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@contextmanager
def running_browse(
    command: Sequence[str],
    env: Mapping[str, str],
    *,
    cwd: Path | str | None = None,
    stderr: int | IO[str] = subprocess.PIPE,
    start_timeout: float = 120,
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`command` (a `kg browse …` with its whole environment `env`) running; yields the process and the URL of the
    line it prints first. On leaving, a process still running gets SIGTERM (then SIGKILL after 30 s)."""
    with subprocess.Popen(
        list(command), env=dict(env), cwd=cwd, stdout=subprocess.PIPE, stderr=stderr, text=True
    ) as process:
        lines: list[str] = []
        reader = threading.Thread(
            target=lambda: lines.append(process.stdout.readline() if process.stdout else ""), daemon=True
        )
        reader.start()
        reader.join(timeout=start_timeout)
        try:
            assert lines and lines[0].startswith(URL_LINE), (lines, process.poll())
            yield process, lines[0].removeprefix(URL_LINE).strip()
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
