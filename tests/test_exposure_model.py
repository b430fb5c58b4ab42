"""The exposure model's ranking rule (kg.reports.exposure, docs/EXPOSURE.md), without a database: each case is built by
hand so that only the property under test differs between the materials compared."""

from __future__ import annotations

import datetime as dt

from kg.reports.exposure import ADDITIVE_WEIGHT, MaterialExposure, StageFigures, rank

AS_OF = dt.date(2025, 6, 1)


def figures(stage: str, share: float, wgi_t: float, year: int = 2025, coverage: float = 1.0,
            restricted: tuple[str, ...] = ()) -> StageFigures:
    hhi_min = share * share
    return StageFigures(stage, year, "a source", coverage, "China", share, hhi_min if coverage >= 0.9 else None,
                        hhi_min, hhi_min + (1 - coverage) ** 2, wgi_t, restricted)


def material(name: str, *stages: StageFigures, chains: int = 1, main: int = 1, controls_direct: int = 0,
             controls: tuple[str, ...] = ()) -> MaterialExposure:
    return MaterialExposure(name, chains=chains, main_chains=main, stages=stages, controls=controls,
                            controls_direct=controls_direct)


def test_a_dopant_never_outranks_a_main_constituent_with_the_same_concentration() -> None:
    dopant = material("aaa dopant", figures("processing", 0.9, 0.6), chains=3, main=0)
    main = material("zzz main", figures("processing", 0.9, 0.6), chains=1, main=1)
    assert dopant.role == "additive" and main.role == "main"
    assert [m.material for m in rank([dopant, main])] == ["zzz main", "aaa dopant"]
    assert dopant.score == 0.6 * ADDITIVE_WEIGHT and main.score == 0.6


def test_a_material_under_a_control_in_force_ranks_above_one_that_is_not() -> None:
    # same shares, same governance: the control raises the controlling country's weight (t = 1.5)
    free = material("aaa free", figures("processing", 0.9, 0.81 * 0.6))
    controlled = material("zzz controlled", figures("processing", 0.9, 0.81 * 0.6 * 1.5, restricted=("CN",)),
                          controls_direct=1, controls=("a control",))
    assert [m.material for m in rank([free, controlled])] == ["zzz controlled", "aaa free"]
    # and where the control's country has no share listed, the tie is broken by the control itself
    listed = material("aaa listed", figures("processing", 0.9, 0.5))
    covered = material("zzz covered", figures("processing", 0.9, 0.5), controls_direct=1, controls=("x",))
    assert [m.material for m in rank([listed, covered])] == ["zzz covered", "aaa listed"]


def test_the_bottleneck_is_the_worst_stage_and_materials_without_figures_come_last() -> None:
    both = material("both", figures("extraction", 0.6, 0.2), figures("processing", 0.9, 0.5))
    assert both.bottleneck is not None and both.bottleneck.stage == "processing" and both.score == 0.5
    none = material("aaa none")
    assert none.score is None
    assert [m.material for m in rank([none, both])] == ["both", "aaa none"]
    assert "no world-share figures up to 2025" in none.reasons(AS_OF)


def test_reasons_say_what_drives_the_rank() -> None:
    old = material("old", figures("processing", 1.0, 0.8, year=2019, coverage=0.5, restricted=("CN",)),
                   chains=2, main=0)
    why = old.reasons(AS_OF)
    assert "processing: China 100% (2019, 6 years old)" in why
    assert "figures cover 50% of world output" in why
    assert "export control in force (CN)" in why
    assert "enters only as an additive" in why
    fresh = material("fresh", figures("extraction", 0.7, 0.3, year=2024))
    assert "years old" not in fresh.reasons(AS_OF) and "additive" not in fresh.reasons(AS_OF)


def test_each_control_is_listed_once_with_what_it_reaches_and_through_what() -> None:
    from kg.reports.builders import reached_by_control

    reached = reached_by_control([
        ("gallium", ["Ga/Ge licensing", "US ban"], ["gallium, gallium metal", "gallium"]),
        ("germanium", ["Ga/Ge licensing"], ["germanium"]),
    ])
    assert reached == {
        "Ga/Ge licensing": ["gallium (via gallium, gallium metal)", "germanium"],
        "US ban": ["gallium"],
    }
