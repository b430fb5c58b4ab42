"""Where the bundled ontology, data and query packs are, in a wheel and in a source checkout alike."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # kg/


def bundled_root() -> Path:
    """The folder holding `ontology/`, `data/` and `queries/`.

    A wheel carries them inside the package (`kg/_bundled`, see pyproject.toml); a source checkout or an
    editable install has them at the top of the repository, beside `kg/`.
    """
    inside = _PACKAGE / "_bundled"
    return inside if inside.is_dir() else _PACKAGE.parent


def ontology_dir() -> Path:
    return bundled_root() / "ontology"


def data_dir() -> Path:
    return bundled_root() / "data"


def queries_dir() -> Path:
    return bundled_root() / "queries"


def bundled_data_files() -> list[Path]:
    """The curated dataset: the Turtle files at the top of `data/` (examples and tools below it are not data; the
    dataset is written in Turtle only, which a test holds it to)."""
    return sorted(data_dir().glob("*.ttl"))


def ontology_file() -> Path:
    return ontology_dir() / "crm.ttl"


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"
