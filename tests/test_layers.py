"""The layering of paths (kg.render.layers), without a database: expected columns worked out by hand from the rules
in the module's docstring."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from kg.render.layers import Entry, Layering, Slot, layering


def crossings(columns: Sequence[Sequence[Entry]], steps: Sequence[tuple[Entry, Entry]]) -> int:
    """How many pairs of steps between neighbouring columns cross, with the entries in the order given."""
    where = {entry: (c, r) for c, column in enumerate(columns) for r, entry in enumerate(column)}
    count = 0
    for (a, b), (x, y) in itertools.combinations(steps, 2):
        if where[a][0] != where[x][0]:
            continue
        if (where[a][1] - where[x][1]) * (where[b][1] - where[y][1]) < 0:
            count += 1
    return count


def nodes_of(found: Layering) -> dict[str, int]:
    return {entry: c for entry, c in found.column_of().items() if isinstance(entry, str)}


def test_a_node_sits_one_column_right_of_its_furthest_predecessor() -> None:
    found = layering([["a", "b", "c", "d"], ["x", "c"]])
    # c follows b (column 1), so it is in column 2 although x, its other predecessor, is in column 0
    assert nodes_of(found) == {"a": 0, "b": 1, "c": 2, "d": 3, "x": 0}


def test_a_step_over_several_columns_has_a_slot_in_each_column_between() -> None:
    found = layering([["a", "b", "c", "d"], ["a", "d"]])
    assert found.slots() == {("a", "d"): [Slot("a", "d", 1), Slot("a", "d", 2)]}
    assert set(found.columns[1]) == {"b", Slot("a", "d", 1)}
    assert set(found.columns[2]) == {"c", Slot("a", "d", 2)}
    assert found.columns[0] == ("a",) and found.columns[3] == ("d",)
    assert layering([["a", "b"]]).slots() == {}  # a step to the next column needs none


def test_a_cycle_is_cut_at_the_step_that_closes_it() -> None:
    # p → q → r, then r → p would close the cycle: left out of the layering, and given no slots
    found = layering([["p", "q", "r", "p"]])
    assert nodes_of(found) == {"p": 0, "q": 1, "r": 2}
    assert found.slots() == {}
    # across paths: a → b first, b → a closes the cycle
    assert nodes_of(layering([["a", "b"], ["b", "a"]])) == {"a": 0, "b": 1}


def test_the_cut_step_is_found_from_the_node_the_paths_meet_first() -> None:
    # depth first from x: x → b → c → a, and a → b goes back to b, still on the way: a → b is cut, not c → a
    found = layering([["x", "b"], ["a", "b", "c", "a"]])
    assert nodes_of(found) == {"x": 0, "b": 1, "c": 2, "a": 3}


def test_a_repeated_node_in_a_row_is_no_step() -> None:
    assert nodes_of(layering([["a", "a", "b"]])) == {"a": 0, "b": 1}


def test_ties_keep_the_paths_order_not_the_names_order() -> None:
    found = layering([["r", "zinc"], ["r", "antimony"], ["r", "gallium"]])
    assert found.columns == (("r",), ("zinc", "antimony", "gallium"))
    again = layering([["r", "gallium"], ["r", "zinc"], ["r", "antimony"]])
    assert again.columns == (("r",), ("gallium", "zinc", "antimony"))


def test_barycentre_sweeps_remove_a_crossing_the_paths_order_would_draw() -> None:
    paths = [["x", "p"], ["y", "q"], ["z", "x"]]
    steps = [("x", "p"), ("y", "q"), ("z", "x")]
    # z → x puts x in column 1, beside q; as the paths first meet them: column 0 y, z and column 1 x, q, so that
    # y → q (top to bottom) and z → x (bottom to top) cross
    assert crossings([["y", "z"], ["x", "q"], ["p"]], steps) == 1
    # sweeping right, x moves to z's place (3/4), q to y's (1/4); sweeping left, q has no successor and keeps 1/4,
    # x follows p, alone in its column and so in the middle (1/2): q stays above x
    found = layering(paths)
    assert found.columns == (("y", "z"), ("q", "x"), ("p",))
    assert crossings(found.columns, steps) == 0


def test_a_slot_is_ordered_like_a_node() -> None:
    # a → c passes column 1 through a slot, which the paths meet last (after y); sweeping right, it moves to a's
    # place (1/4, tied with b, which the paths meet first), above y (x's place, 3/4): a → slot no longer crosses x → y
    found = layering([["a", "b", "c"], ["x", "y"], ["a", "c"]])
    assert found.columns == (("a", "x"), ("b", Slot("a", "c", 1), "y"), ("c",))


def test_json_names_each_slots_step() -> None:
    found = layering([["a", "b", "c"], ["a", "c"]])
    assert found.as_json() == [["a"], ["b", {"source": "a", "target": "c"}], ["c"]]
    assert layering([]).as_json() == []
