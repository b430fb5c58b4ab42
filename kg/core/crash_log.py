"""Where an unexpected failure's traceback goes, so that a user sees one line and a developer the whole story.

The log is `errors.log` in crm-kg's state directory ($XDG_STATE_HOME/crm-kg, else ~/.local/state/crm-kg; a
temporary directory when neither can be written), a 0700 directory with the file 0600, appended to and kept short:
past 1 MB it starts again.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import traceback
from collections.abc import Mapping
from pathlib import Path

MAX_BYTES = 1_000_000


def state_dir(env: Mapping[str, str]) -> Path:
    if env.get("XDG_STATE_HOME"):
        return Path(env["XDG_STATE_HOME"]).expanduser() / "crm-kg"
    return Path.home() / ".local" / "state" / "crm-kg"


def record(error: BaseException, context: str, env: Mapping[str, str] | None = None) -> Path:
    """Append `error`'s traceback, with what was being done, to the error log; return the log's path."""
    text = "".join(traceback.format_exception(error))
    entry = f"--- {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')} {context}\n{text}\n"
    fallback = Path(tempfile.gettempdir()) / f"crm-kg-{os.getuid()}"
    for folder in (state_dir(os.environ if env is None else env), fallback):
        path = folder / "errors.log"
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            mode = "w" if path.exists() and path.stat().st_size > MAX_BYTES else "a"
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC), 0o600)
            with os.fdopen(descriptor, mode, encoding="utf-8") as log:
                log.write(entry)
            return path
        except OSError:
            continue
    return Path("(nowhere: no writable state or temporary directory)")
