import csv
import io

from kg.cypher.querying import describe_syntax_error
from kg.cypher.results import QueryResult
from kg.render.formats import to_csv, to_json, to_markdown


def test_neo4j_syntax_errors_keep_their_line_and_column() -> None:
    message = (
        "Invalid input 'RETURN': expected a graph pattern (line 1, column 10 (offset: 9))\n"
        '"MATCH (n RETURN n"\n          ^'
    )
    assert describe_syntax_error(message) == (
        "Cypher syntax error at line 1, column 10: Invalid input 'RETURN': expected a graph pattern"
    )


def test_arcadedb_syntax_errors_get_a_one_based_column() -> None:
    message = "Syntax error at line 2:4 - no viable alternative at input 'RETRN'"
    assert describe_syntax_error(message) == (
        "Cypher syntax error at line 2, column 5: no viable alternative at input 'RETRN'"
    )


def test_a_message_without_position_is_still_one_line() -> None:
    assert describe_syntax_error("Unexpected end\nof input") == "Cypher syntax error: Unexpected end"


RESULT = QueryResult(
    ("name", "share", "codes", "note"), (("gallium", 0.98, ["8112 92"], "a|b"), ("germanium", None, [], "line\nbreak"))
)


def test_csv_reads_back_with_structures_as_json() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(RESULT))))
    assert rows == [
        ["name", "share", "codes", "note"],
        ["gallium", "0.98", '["8112 92"]', "a|b"],
        ["germanium", "", "[]", "line\nbreak"],
    ]


def test_markdown_escapes_pipes_and_newlines() -> None:
    assert to_markdown(RESULT).splitlines() == [
        "| name | share | codes | note |",
        "| --- | --- | --- | --- |",
        '| gallium | 0.98 | ["8112 92"] | a\\|b |',
        "| germanium |  | [] | line<br>break |",
    ]


def test_json_is_an_array_of_row_objects() -> None:
    import json

    assert json.loads(to_json(RESULT)) == [
        {"name": "gallium", "share": 0.98, "codes": ["8112 92"], "note": "a|b"},
        {"name": "germanium", "share": None, "codes": [], "note": "line\nbreak"},
    ]


def test_csv_keeps_text_that_a_spreadsheet_would_run_as_a_formula_text() -> None:
    # issue 12: spreadsheet formula text loaded from a file came out of `kg query --format csv` unescaped; the
    # page's CSV export (web/src/format.js, csvSafe) already kept it text, with the same rule
    formulas = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(1,1)", "-2+3", "\tx", "\rx"]
    result = QueryResult(("text", "number"), (*((f, -3) for f in formulas), ("plain", 2.5)))
    rows = list(csv.reader(io.StringIO(to_csv(result), newline="")))
    assert rows[0] == ["text", "number"]
    assert [r[0] for r in rows[1:]] == [f"'{f}" for f in formulas] + ["plain"]
    assert {r[1] for r in rows[1:]} == {"-3", "2.5"}  # numbers stay numbers
