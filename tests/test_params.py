import re

import pytest

from kg.cypher.params import parse_parameters


def test_values_are_json_where_they_parse_and_text_otherwise() -> None:
    parsed = parse_parameters(
        [
            "material=gallium",
            "hops=4",
            "share=0.65",
            "strict=true",
            'names=["Ga","Ge"]',
            'code="8505"',
            "date=2025-04-04",
            "empty=",
        ]
    )
    assert parsed == {
        "material": "gallium",
        "hops": 4,
        "share": 0.65,
        "strict": True,
        "names": ["Ga", "Ge"],
        "code": "8505",
        "date": "2025-04-04",
        "empty": "",
    }


def test_a_value_may_contain_equals_signs() -> None:
    assert parse_parameters(["q=a=b"]) == {"q": "a=b"}


@pytest.mark.parametrize("pair", ["material", "=x", "1st=x", "my-name=x"])
def test_malformed_pairs_are_refused(pair: str) -> None:
    with pytest.raises(ValueError, match="is not name=value"):
        parse_parameters([pair])


def test_a_parameter_given_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="given twice"):
        parse_parameters(["a=1", "a=2"])


@pytest.mark.parametrize(
    ("pair", "why"),
    [
        ("n=99999999999999999999999", "n: 99999999999999999999999 is beyond the 64-bit integers"),
        ("n=[1, -9223372036854775809]", "n: -9223372036854775809 is beyond the 64-bit integers"),
        ('s="\\ud800"', "s: the value holds a lone UTF-16 surrogate"),
        ("d=" + "[" * 100_000 + "]" * 100_000, "d: the value is nested too deeply to send"),
    ],
)
def test_values_the_driver_cannot_send_are_refused_by_name(pair: str, why: str) -> None:
    # issue 12, item 14: `kg query -p x=99999999999999999999999` ended in "kg failed unexpectedly (OverflowError)"
    with pytest.raises(ValueError, match=f"^{re.escape(why)}"):
        parse_parameters([pair])
    assert parse_parameters(["n=9223372036854775807", "m=-9223372036854775808"]) == {
        "n": 2**63 - 1, "m": -(2**63)}
