"""One typed settings object, built from an environment mapping (and a `.env` file) passed in.

The names are the ones the Neo4j tools already use: NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE.
With no NEO4J_URI the embedded default is used; its state lives in KG_DATA_DIR.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from dotenv import dotenv_values
from platformdirs import user_data_path

from kg.core.errors import ConfigError

URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
EMBEDDED_DATABASE = "crm"
DEFAULT_START_TIMEOUT = 90.0
DEFAULT_HEAP = "2g"
DEFAULT_MIN_FREE_MB = 200
DEFAULT_QUERY_TIMEOUT = 60.0  # seconds a read from the CLI or the page may run (the reports at 100k parts take < 10)
DEFAULT_STATEMENT_TIMEOUT = 300.0  # the embedded server's cap on any one statement, loads included (5 min)

Backend = Literal["neo4j", "embedded"]


@dataclass(frozen=True)
class Settings:
    uri: str | None
    username: str
    password: str | None = field(repr=False)
    database: str | None
    data_dir: Path
    start_timeout: float = DEFAULT_START_TIMEOUT
    heap: str = DEFAULT_HEAP
    bolt_port: int | None = None
    min_free_mb: int = DEFAULT_MIN_FREE_MB
    query_timeout: float | None = DEFAULT_QUERY_TIMEOUT  # None: reads have no time limit of ours
    statement_timeout: float | None = DEFAULT_STATEMENT_TIMEOUT  # None: the embedded server caps no statement

    @property
    def backend(self) -> Backend:
        return "neo4j" if self.uri else "embedded"

    @property
    def database_name(self) -> str | None:
        """The database to open: the configured one, else the embedded default's, else the server's default."""
        if self.database:
            return self.database
        return EMBEDDED_DATABASE if self.backend == "embedded" else None


def default_data_dir(env: Mapping[str, str]) -> Path:
    if env.get("KG_DATA_DIR"):
        return Path(env["KG_DATA_DIR"]).expanduser()
    if env.get("XDG_DATA_HOME"):
        return Path(env["XDG_DATA_HOME"]).expanduser() / "crm-kg"
    return user_data_path("crm-kg")


def read_environment(environ: Mapping[str, str], dotenv_path: Path | None) -> dict[str, str]:
    """The process environment over the `.env` file: a variable set in the shell wins, as with the Neo4j tools."""
    merged: dict[str, str] = {}
    if dotenv_path is not None and dotenv_path.is_file():
        merged.update({k: v for k, v in dotenv_values(dotenv_path).items() if v is not None})
    merged.update(environ)
    return merged


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    dotenv_path: Path | None = Path(".env"),
    uri: str | None = None,
    username: str | None = None,
    database: str | None = None,
    data_dir: Path | None = None,
) -> Settings:
    """Build and validate the settings; options given by the caller win over the environment."""
    env = read_environment(os.environ if environ is None else environ, dotenv_path)
    chosen_uri = uri or env.get("NEO4J_URI") or None
    if chosen_uri is not None:
        check_uri(chosen_uri)
    return Settings(
        uri=chosen_uri,
        username=username or env.get("NEO4J_USERNAME") or "neo4j",
        password=env.get("NEO4J_PASSWORD") or None,
        database=database or env.get("NEO4J_DATABASE") or None,
        data_dir=data_dir or default_data_dir(env),
        start_timeout=_positive_float(env, "KG_START_TIMEOUT", DEFAULT_START_TIMEOUT),
        heap=env.get("KG_SERVER_HEAP") or DEFAULT_HEAP,
        bolt_port=_optional_port(env, "KG_BOLT_PORT"),
        min_free_mb=int(_positive_float(env, "KG_MIN_FREE_MB", DEFAULT_MIN_FREE_MB)),
        query_timeout=_seconds_or_none(env, "KG_QUERY_TIMEOUT", DEFAULT_QUERY_TIMEOUT),
        statement_timeout=_seconds_or_none(env, "KG_STATEMENT_TIMEOUT", DEFAULT_STATEMENT_TIMEOUT),
    )


def check_uri(uri: str) -> None:
    parts = urlsplit(uri)
    if parts.scheme not in URI_SCHEMES:
        raise ConfigError(
            f"NEO4J_URI {redact_uri(uri)!r} has scheme {parts.scheme!r}; use one of {', '.join(URI_SCHEMES)}"
        )
    if parts.password is not None:
        raise ConfigError("NEO4J_URI must not contain a password; set NEO4J_PASSWORD instead")
    if not parts.hostname:
        raise ConfigError(f"NEO4J_URI {uri!r} names no host")


def redact_uri(uri: str) -> str:
    """The URI without any user-info, so that it is safe to print or log."""
    parts = urlsplit(uri)
    if "@" not in parts.netloc:
        return uri
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()


def _number(env: Mapping[str, str], name: str, what: str) -> float | None:
    """The variable as a number, None when unset or empty."""
    raw = env.get(name)
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not {what}") from None


def _positive_float(env: Mapping[str, str], name: str, default: float) -> float:
    value = _number(env, name, "a number")
    if value is None:
        return default
    if value <= 0:
        raise ConfigError(f"{name}={env[name]!r} must be greater than 0")
    return value


def _seconds_or_none(env: Mapping[str, str], name: str, default: float) -> float | None:
    """A time limit in seconds; 0 turns it off (None)."""
    value = _number(env, name, "a number of seconds")
    if value is None:
        return default
    if not value >= 0 or value == float("inf"):
        raise ConfigError(f"{name}={env[name]!r} must be a number of seconds, 0 for no limit")
    return value or None


def _optional_port(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name)
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"{name}={raw!r} is not a TCP port (1-65535)")
    return int(raw)
