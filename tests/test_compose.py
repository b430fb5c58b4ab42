"""docker-compose.yml is the production path; no Docker engine runs here, so its content is checked instead."""

from pathlib import Path

import yaml

COMPOSE = Path(__file__).resolve().parent.parent / "docker-compose.yml"


def load() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(COMPOSE.read_text())


def test_neo4j_is_pinned_to_the_5_26_lts_community_line() -> None:
    assert load()["services"]["neo4j"]["image"] == "neo4j:5.26-community"


def test_auth_comes_from_the_environment_with_no_default_password() -> None:
    auth = load()["services"]["neo4j"]["environment"]["NEO4J_AUTH"]
    assert auth.startswith("neo4j/${NEO4J_PASSWORD:?")  # ":?" makes compose fail when the variable is unset
    assert ":-" not in auth


def test_bolt_and_browser_ports_and_a_named_data_volume() -> None:
    compose = load()
    service = compose["services"]["neo4j"]
    assert {p.split(":")[0].strip('"') for p in service["ports"]} == {"7474", "7687"}
    assert "neo4j-data:/data" in service["volumes"]
    assert "neo4j-data" in compose["volumes"]


def test_healthcheck_asks_cypher_shell_for_return_1() -> None:
    check = load()["services"]["neo4j"]["healthcheck"]
    command = " ".join(check["test"])
    assert "cypher-shell" in command and "'RETURN 1'" in command
    assert check["retries"] * int(check["interval"].rstrip("s")) >= 60  # `up --wait` waits long enough
