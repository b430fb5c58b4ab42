"""One way to suggest what a mistyped name meant, for every "did you mean" of kg and the loaders (issue 13: seven
calls with three cutoffs, some folding case and some not)."""

from __future__ import annotations

from kg.core.suggest import CUTOFF, closest


def test_the_same_but_for_case_and_spaces_comes_first() -> None:
    assert closest("Wheel-Speed  sensor", ["wheel-speed sensors", "Wheel-speed sensor"]) == [
        "Wheel-speed sensor", "wheel-speed sensors"
    ]


def test_close_spellings_best_first_and_at_most_count() -> None:
    known = ["graphite", "germanium", "gallium", "gold", "Ga"]
    assert closest("galium", known) == ["gallium", "germanium"]  # likeness 0.92, 0.67; graphite 0.43, Ga 0.5
    assert closest("galium", known, count=1) == ["gallium"]


def test_an_abbreviation_finds_what_it_abbreviates() -> None:
    assert closest("qty", ["part", "quantity", "price"]) == ["quantity"]  # likeness 0.55: under the cutoff
    assert closest("qyt", ["quantity"]) == []  # the letters in order
    assert closest("uty", ["quantity"]) == []  # from the first


def test_nothing_below_the_cutoff() -> None:
    # "dependencies" and "concentration" share a few letters: a suggestion nobody would take
    assert closest("dependency", ["concentration", "scenario"]) == []
    assert 0.5 < CUTOFF < 0.8


def test_the_known_names_keep_their_spelling() -> None:
    assert closest("MATERIAL_PROFILE", ["material_profile", "material_concentration"]) == ["material_profile"]
