"""Text that would cost the server more to parse than any query is worth is refused before it is sent (issue 12,
case 4.8): the embedded server parses label alternatives in quadratic time, and a query still being parsed cannot
be ended by a time limit or by its client going away."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kg.cli.commands import app
from kg.core.errors import QueryFailed
from kg.cypher.query_bounds import MAX_ALTERNATIVES, MAX_QUERY_CHARACTERS, check_query_size
from kg.cypher.querying import run_query
from kg.server.connection import Connection
from tests.graph_snapshot import snapshot

runner = CliRunner()


def alternation(alternatives: int) -> str:
    """A label expression of `alternatives` names: `alternatives - 1` bars."""
    return "MATCH (n:" + "|".join(["A"] * alternatives) + ") RETURN count(n) AS c"


# -- the check itself ----------------------------------------------------------------------------------------------


def test_a_thousand_bars_are_accepted_and_one_more_is_refused_naming_where() -> None:
    check_query_size(alternation(MAX_ALTERNATIVES + 1))  # 1,000 bars
    text = alternation(MAX_ALTERNATIVES + 2)
    with pytest.raises(QueryFailed) as refused:
        check_query_size(text)
    last_bar = text.rindex("|")
    assert str(refused.value) == (
        "the query holds 1,001 label or type alternatives (| or &) and at most 1,000 are accepted "
        f"(number 1,001 is at line 1, column {last_bar + 1}); match a property against a list parameter instead"
    )


def test_relationship_types_and_label_conjunctions_count_too() -> None:
    types = "MATCH ()-[r:" + "|".join(["T"] * 600) + "]->(m:" + "&".join(["A"] * 600) + ") RETURN r"
    with pytest.raises(QueryFailed, match="1,198 label or type alternatives"):
        check_query_size(types)


def test_bars_in_strings_comments_and_names_are_not_counted() -> None:
    bars = "|" * 5_000
    check_query_size(f"RETURN '{bars}' AS s, \"{bars}\" AS t, 1 AS `{bars}` // {bars}\n/* {bars} */")


def test_a_text_over_the_length_bound_is_refused_naming_its_length() -> None:
    padding = "RETURN 1 AS x //"
    check_query_size(padding + "x" * (MAX_QUERY_CHARACTERS - len(padding)))
    with pytest.raises(QueryFailed) as refused:
        check_query_size(padding + "x" * (MAX_QUERY_CHARACTERS - len(padding) + 1))
    assert str(refused.value) == (
        "the query is 131,073 characters long; at most 131,072 are accepted (pass long lists of values as parameters)"
    )


# -- on both engines: refused before it reaches the server, in every mode and through every entry ---------------


@pytest.mark.graph
@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_the_reviews_alternation_is_refused_before_the_server_parses_it(connection: Connection, write: bool) -> None:
    run_query(connection, "CREATE (:A {name: 'a'})", write=True)
    before = snapshot(connection)
    with pytest.raises(QueryFailed, match="19,999 label or type alternatives"):
        run_query(connection, alternation(20_000), write=write)  # the review's 40 KB page request
    with pytest.raises(QueryFailed, match="characters long"):
        run_query(connection, "RETURN size([" + ",".join(["1"] * 100_000) + "]) AS n", write=write)
    assert snapshot(connection) == before
    assert run_query(connection, alternation(3)).rows == ((1,),)


@pytest.mark.graph
def test_kg_query_refuses_an_oversized_text_in_one_line(cli_env: dict[str, str]) -> None:
    for arguments in (["query", alternation(5_000)], ["query", "--write", alternation(5_000)]):
        result = runner.invoke(app, arguments, env=cli_env)
        assert result.exit_code == 1
        assert result.stderr.startswith("error: the query holds 4,999 label or type alternatives")
        assert result.stderr.count("\n") == 1 and result.stdout == ""
