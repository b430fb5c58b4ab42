"""Graph configs and spreadsheet mappings built to hurt (issue 12, items 6 and 12): a YAML alias bomb, bytes that
are not UTF-8, nesting 100,000 deep, a value of the wrong shape. Each is one ConfigError naming the file (and the
line and column where there is one), at once, without a traceback or a memory blow-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.core.errors import ConfigError
from loaders.graph.config import load_graph_config
from loaders.table.spec import load_mapping

# Nine levels of nine aliases: 9^9 (387 million) strings once expanded, from about 400 bytes.
BOMB = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


@pytest.mark.parametrize("reader", [load_graph_config, load_mapping])
def test_a_yaml_alias_bomb_is_refused_at_the_first_alias(tmp_path: Path, reader: object) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        reader(path)  # type: ignore[operator]
    assert str(refused.value) == (
        f"{path}:2:8: not valid YAML: aliases (*name) are not allowed here: they can multiply a small file into "
        "gigabytes"
    )


def test_a_graph_config_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(b"handleVocabUris: \xff\xfe\n")
    with pytest.raises(ConfigError, match=r"config\.yaml: the graph config is not UTF-8 text$"):
        load_graph_config(path)


@pytest.mark.parametrize(("name", "text"), [("deep.json", "[" * 100_000 + "]" * 100_000),
                                            ("deep.yaml", "[" * 100_000 + "]" * 100_000)])
def test_nesting_100k_deep_is_one_line(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"{name}: not valid (JSON|YAML): nested too deeply$"):
        load_graph_config(path)


def test_mappings_that_are_not_a_list_are_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("handleVocabUris: MAP\nmappings: 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config\.yaml: mappings must be a list of \{iri: \.\.\., name: \.\.\.\} "
                                          r"entries$"):
        load_graph_config(path)
