"""`kg validate` as a user runs it: the bundled data conforms; a broken file gives one line per violation and exit 1."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from kg.cli.commands import app

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "validation"
runner = CliRunner()


def test_the_bundled_ontology_and_dataset_conform() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("file(s) conform to the crm-kg shapes")


def test_each_broken_fact_is_reported_with_focus_node_and_property(tmp_path: Path) -> None:
    for name in ("share-out-of-range.ttl", "share-without-source.ttl", "date-with-slashes.ttl"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert any(line.startswith("focus id:share/") and ": crm:share: " in line and '"1.4"' in line for line in lines)
    assert any(": crm:source: " in line for line in lines)
    assert any(": crm:announcedOn: " in line or "xsd:date" in line for line in lines)
    assert "violation(s) in 3 file(s)" in result.stderr


def test_an_unparsable_file_is_one_line_with_its_line_number() -> None:
    result = runner.invoke(app, ["validate", str(FIXTURES / "unparsable.ttl")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {FIXTURES / 'unparsable.ttl'}:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.ttl")])
    assert result.exit_code == 2
    flat = " ".join(result.stderr.replace("│", " ").split())  # typer draws usage errors in a wrapped box
    assert "does not exist" in flat
    assert "nope.ttl" in flat.replace(" ", "")


def undeclared(subject: str) -> str:
    """A statement about `subject` with a crm: property the ontology does not declare: one violation, focus on it."""
    return f"<{subject}> <https://w3id.org/crm-kg/ontology#notAProperty> \"x\" .\n"


def test_a_folder_gives_validate_the_files_load_reads(tmp_path: Path) -> None:
    # issue 13: `kg validate DIR` knew 8 extensions, `kg load DIR` 10 and gzip, so they picked different files.
    import gzip

    (tmp_path / "a.ttl").write_text(undeclared("urn:a"), encoding="utf-8")
    (tmp_path / "b.turtle").write_text(undeclared("urn:b"), encoding="utf-8")
    (tmp_path / "c.json").write_text(
        '{"@id": "urn:c", "https://w3id.org/crm-kg/ontology#notAProperty": "x"}', encoding="utf-8"
    )
    with gzip.open(tmp_path / "d.nt.gz", "wt", encoding="utf-8") as packed:
        packed.write(undeclared("urn:d"))
    (tmp_path / "notes.txt").write_text("not RDF", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert [line.split(":")[0] + ":" + line.split(":")[1] for line in result.stdout.strip().splitlines()] == [
        "focus urn:a", "focus urn:b", "focus urn:c", "focus urn:d"
    ]
    assert "in 4 file(s)" in result.stderr


def test_blank_nodes_of_two_files_stay_two_nodes(tmp_path: Path) -> None:
    for name in ("one.nt", "two.nt"):
        (tmp_path / name).write_text(
            "_:b0 <https://w3id.org/crm-kg/ontology#notAProperty> \"x\" .\n", encoding="utf-8"
        )
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert len(result.stdout.strip().splitlines()) == 2, result.stdout


def test_the_bundled_dataset_is_turtle_only() -> None:
    # kg.core.resources.bundled_data_files reads data/*.ttl: a file of another syntax there would be left out silently.
    data = Path(__file__).resolve().parent.parent / "data"
    others = [p.name for p in data.iterdir() if p.is_file() and p.suffix != ".ttl" and p.name != "README.md"]
    assert others == []
