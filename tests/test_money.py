from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gnvtools.core.money import combine_keys, split, split_equally

names = st.text(alphabet="abcdefghåäö", min_size=1, max_size=6)
weights_st = st.dictionaries(
    names, st.integers(min_value=0, max_value=10**7), min_size=1, max_size=25
).filter(lambda w: sum(w.values()) > 0)
amounts = st.integers(min_value=0, max_value=10**11)


@pytest.mark.parametrize(
    ("amount", "weights", "expected"),
    [
        (100, {"a": 1, "b": 1, "c": 1}, {"a": 34, "b": 33, "c": 33}),
        (100, {"c": 1, "b": 1, "a": 1}, {"c": 33, "b": 33, "a": 34}),
        (10, {"a": 1, "b": 2}, {"a": 3, "b": 7}),
        (5, {"a": 1, "b": 1, "c": 0}, {"a": 3, "b": 2, "c": 0}),
        (0, {"a": 1, "b": 3}, {"a": 0, "b": 0}),
        # ties in remainder go to the larger weight first
        (1, {"small": Fraction(1, 4), "large": Fraction(3, 4)}, {"small": 0, "large": 1}),
        (2, {"a": 1, "b": 1, "c": 2}, {"a": 1, "b": 0, "c": 1}),
        (15_010_636, {"x": 1}, {"x": 15_010_636}),
    ],
)
def test_split_table(amount: int, weights: dict[str, int], expected: dict[str, int]) -> None:
    assert split(amount, weights) == expected


def test_split_equally_eleven_districts() -> None:
    parts = split_equally(6_000_000, [f"d{i:02}" for i in range(11)])
    assert sum(parts.values()) == 6_000_000
    assert sorted(set(parts.values())) == [545_454, 545_455]
    assert [parts[f"d{i:02}"] for i in range(6)] == [545_455] * 6


@pytest.mark.parametrize(
    ("amount", "weights", "message"),
    [
        (-1, {"a": 1}, "negative"),
        (10, {"a": 0}, "zero"),
        (10, {"a": -1, "b": 2}, "negative"),
        (10, {}, "nothing"),
    ],
)
def test_split_rejects(amount: int, weights: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        split(amount, weights)


def test_split_rejects_float_amount() -> None:
    with pytest.raises(TypeError):
        split(10.0, {"a": 1})  # type: ignore[arg-type]


def test_combine_keys_mixes_shares_not_raw_values() -> None:
    key = combine_keys(
        {"pop": {"a": Fraction(900), "b": Fraction(100)}, "old": {"a": Fraction(1), "b": 3}},
        {"pop": 1, "old": 1},
    )
    assert key == {"a": Fraction(9, 20) + Fraction(1, 8), "b": Fraction(1, 20) + Fraction(3, 8)}


@given(amounts, weights_st)
def test_split_sums_exactly_and_is_fair(amount: int, weights: dict[str, int]) -> None:
    parts = split(amount, weights)
    assert sum(parts.values()) == amount
    total = sum(weights.values())
    for name, part in parts.items():
        assert part >= 0
        assert isinstance(part, int)
        assert abs(part - Fraction(weights[name] * amount, total)) < 1


@given(amounts, weights_st, st.randoms(use_true_random=False))
def test_split_is_deterministic_and_order_independent(
    amount: int, weights: dict[str, int], rnd
) -> None:
    items = list(weights.items())
    rnd.shuffle(items)
    assert split(amount, dict(items)) == split(amount, weights)
    assert split(amount, weights) == split(amount, weights)


def test_ties_go_to_the_name_first_in_swedish_order() -> None:
    from gnvtools.core.money import swedish_sorted

    # Code-point order puts Ä (U+00C4) before Å (U+00C5); Swedish puts Å first, both after Z.
    assert swedish_sorted(["Örebro", "Ärla", "Åsa", "Zenit", "Ångermanland"]) == [
        "Zenit",
        "Ångermanland",
        "Åsa",
        "Ärla",
        "Örebro",
    ]
    assert split(1, {"Ärla": 1, "Åsa": 1}) == {"Ärla": 0, "Åsa": 1}
    assert split(2, {"Örebro": 1, "Ärla": 1, "Åsa": 1}) == {"Örebro": 0, "Ärla": 1, "Åsa": 1}
    assert split(1, {"Ö": 1, "Z": 1}) == {"Ö": 0, "Z": 1}
    # the example in docs/parameters.md
    assert split(100, {"Ärla": 1, "Åsa": 1, "Örebro": 1}) == {"Ärla": 33, "Åsa": 34, "Örebro": 33}
