from pathlib import Path

import pytest

from kg.core.config import URI_SCHEMES, default_data_dir, load_settings, redact_uri
from kg.core.errors import ConfigError


def test_no_uri_means_the_embedded_default_and_its_database() -> None:
    settings = load_settings({"KG_DATA_DIR": "/tmp/x"}, dotenv_path=None)
    assert settings.backend == "embedded"
    assert settings.database_name == "crm"
    assert settings.data_dir == Path("/tmp/x")


@pytest.mark.parametrize("scheme", URI_SCHEMES)
def test_every_bolt_scheme_is_accepted(scheme: str) -> None:
    settings = load_settings({"NEO4J_URI": f"{scheme}://db.example.org:7687"}, dotenv_path=None)
    assert settings.backend == "neo4j"
    assert settings.uri == f"{scheme}://db.example.org:7687"
    assert settings.database_name is None  # the server's default database


def test_an_unknown_scheme_is_refused_with_the_schemes_that_work() -> None:
    with pytest.raises(ConfigError, match=r"scheme 'http'; use one of bolt, bolt\+s"):
        load_settings({"NEO4J_URI": "http://localhost:7474"}, dotenv_path=None)


def test_a_password_inside_the_uri_is_refused_and_not_repeated() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"NEO4J_URI": "bolt://neo4j:s3cret@localhost:7687"}, dotenv_path=None)
    assert "NEO4J_PASSWORD" in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_options_win_over_environment_which_wins_over_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("NEO4J_URI=bolt://from-dotenv:7687\nNEO4J_USERNAME=dotenv-user\nNEO4J_PASSWORD=pw-dotenv\n")
    from_file = load_settings({}, dotenv_path=dotenv)
    assert (from_file.uri, from_file.username, from_file.password) == (
        "bolt://from-dotenv:7687",
        "dotenv-user",
        "pw-dotenv",
    )
    from_env = load_settings({"NEO4J_USERNAME": "env-user"}, dotenv_path=dotenv)
    assert from_env.username == "env-user"
    from_option = load_settings(
        {"NEO4J_USERNAME": "env-user"},
        dotenv_path=dotenv,
        username="option-user",
        uri="neo4j+s://aura.example:7687",
        database="crm",
    )
    assert (from_option.username, from_option.uri, from_option.database) == (
        "option-user",
        "neo4j+s://aura.example:7687",
        "crm",
    )


def test_the_password_never_shows_in_the_settings_repr() -> None:
    settings = load_settings({"NEO4J_URI": "bolt://h:7687", "NEO4J_PASSWORD": "hunter2-long"}, dotenv_path=None)
    assert "hunter2-long" not in repr(settings)


def test_data_dir_defaults_follow_kg_data_dir_then_xdg() -> None:
    assert default_data_dir({"KG_DATA_DIR": "/a", "XDG_DATA_HOME": "/b"}) == Path("/a")
    assert default_data_dir({"XDG_DATA_HOME": "/b"}) == Path("/b/crm-kg")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("KG_START_TIMEOUT", "soon", "KG_START_TIMEOUT='soon' is not a number"),
        ("KG_START_TIMEOUT", "-1", "KG_START_TIMEOUT='-1' must be greater than 0"),
        ("KG_BOLT_PORT", "70000", "KG_BOLT_PORT='70000' is not a TCP port"),
    ],
)
def test_malformed_settings_name_the_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings({name: value}, dotenv_path=None)


def test_redact_uri_drops_user_info() -> None:
    assert redact_uri("neo4j+s://user:pw@x.databases.neo4j.io") == "neo4j+s://x.databases.neo4j.io"
    assert redact_uri("bolt://localhost:7687") == "bolt://localhost:7687"
