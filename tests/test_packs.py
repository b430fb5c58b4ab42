"""The query-pack header parser (pure: no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.core.cypher_files import own_cypher, parse_query, used_parameters
from kg.core.errors import PackError
from kg.cypher.packs import load_packs

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "packs"


def test_a_header_becomes_a_typed_query() -> None:
    query = parse_query(FIXTURES / "good" / "demo" / "material_uses.cypher", "demo")
    assert (query.name, query.pack, query.description) == (
        "material_uses",
        "demo",
        "What a material goes into directly.",
    )
    assert [(p.name, p.type, p.example, p.doc) for p in query.params] == [
        ("material", "string", "gallium", "a material's name"),
        ("limit", "integer", 10, ""),
    ]
    assert [(c.name, c.type) for c in query.returns] == [("name", "string"), ("uses", "list of string")]
    assert query.question == "What is this material used in?"
    assert query.text.startswith("MATCH (m:Material)")
    assert query.line == 7


def test_parameters_in_comments_and_strings_do_not_count() -> None:
    text = "MATCH (n {a: $x}) // $y\nRETURN '$z' AS s, \"$w\" AS t, $`v` AS v"
    assert used_parameters(text) == {"x", "v"}


def test_declared_and_used_parameters_must_match_both_ways(tmp_path: Path) -> None:
    with pytest.raises(PackError, match=r"undeclared.cypher: \$other is used but not declared"):
        parse_query(FIXTURES / "bad" / "undeclared.cypher", "bad")
    unused = tmp_path / "unused.cypher"
    unused.write_text("// name: unused\n// description: d\n// param: x (integer) = 1\nRETURN 1 AS one\n")
    with pytest.raises(PackError, match="parameter x is declared but not used"):
        parse_query(unused, "p")


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("// description: d\n", "has no '// name:' line"),
        ("// name: Bad-Name\n// description: d\n", "lower_snake_case"),
        ("// name: q\n// description: d\n// param: x (number) = 1\n", "parameter type 'number'"),
        ("// name: q\n// description: d\n// param: x (integer) = one\n", "is not JSON"),
        ('// name: q\n// description: d\n// param: x (integer) = "1"\n', "is not of type integer"),
    ],
)
def test_header_errors_name_the_file_and_line(tmp_path: Path, header: str, message: str) -> None:
    path = tmp_path / "q.cypher"
    path.write_text(header + "RETURN $x AS x\n" if "param" in header else header + "RETURN 1 AS x\n")
    with pytest.raises(PackError) as caught:
        parse_query(path, "p")
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_names_are_unique_across_packs(tmp_path: Path) -> None:
    for pack in ("a", "b"):
        (tmp_path / pack).mkdir()
        (tmp_path / pack / "q.cypher").write_text("// name: same\n// description: d\nRETURN 1 AS x\n")
    with pytest.raises(PackError, match="query name 'same' is already used by"):
        load_packs([tmp_path])


def test_run_parameters_default_to_examples_and_are_type_checked() -> None:
    query = parse_query(FIXTURES / "good" / "demo" / "material_uses.cypher", "demo")
    assert query.check_parameters({"material": "germanium"}) == {"material": "germanium", "limit": 10}
    with pytest.raises(PackError, match="has no parameter 'hops'"):
        query.check_parameters({"hops": 3})
    with pytest.raises(PackError, match="must be of type integer"):
        query.check_parameters({"limit": "ten"})


def test_the_bundled_packs_parse_with_unique_names_and_matching_parameters() -> None:
    from kg.core.resources import queries_dir

    queries = load_packs([queries_dir()])
    packs = {q.pack for q in queries.values()}
    expected = {
        "dependencies",
        "exposure",
        "concentration",
        "scenarios",
        "policy",
        "agreements",
        "companies",
        "provenance",
    }
    assert expected <= packs
    for query in queries.values():
        assert query.description and query.question and query.returns, query.path
        assert used_parameters(query.text) == {p.name for p in query.params}, query.path


@pytest.mark.parametrize("package", ["kg", "loaders"])
def test_every_own_cypher_file_is_read_as_a_query_file(package: str) -> None:
    # one reader for every .cypher file: the library's and loaders' own are held to the packs' header rules
    folder = Path(__file__).resolve().parent.parent / package / "cypher"
    paths = sorted(folder.glob("*.cypher"))
    assert len(paths) >= 15
    for path in paths:
        text = own_cypher(package, path.stem)
        assert text == parse_query(path, package).text and not text.startswith("// name:")
