import pytest

from kg.params import parse_parameters


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
