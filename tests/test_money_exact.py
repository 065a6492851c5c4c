"""The integer rounding in ``core.money`` is the Fraction rounding, exactly.

``split``, ``round_once`` and ``combine_keys`` work on integers over one denominator (and
``ExactKey`` keeps a key that way) so that 100 000 recipients make no ``Fraction`` each. Here
each is compared with the straightforward version on Fractions that docs/parameters.md
describes: floors, then one krona each to the largest fractional remainders, ties to the larger
weight, then to the name first in Swedish order (ICU sort keys).
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gnvtools.core import money
from gnvtools.core.money import ExactKey, as_integers, combine_keys, round_once, split, swedish_key

# Few letters, spaces and hyphens: names that differ only where Swedish order is subtle.
names = st.text(alphabet="abzåäöÅÄÖ -", min_size=1, max_size=4)
small = st.integers(min_value=0, max_value=4)  # many equal weights: ties across the cut
huge = st.integers(min_value=0, max_value=10**40)
whole = st.one_of(small, st.integers(min_value=0, max_value=10**7), huge)
fractions = st.builds(Fraction, whole, st.integers(min_value=1, max_value=10**12))
weights = st.dictionaries(names, st.one_of(whole, fractions), min_size=1, max_size=30).filter(
    lambda w: sum(w.values()) > 0
)
amounts = st.one_of(st.integers(0, 10), st.integers(0, 10**12), st.integers(0, 10**30))


def reference_round(exact: dict[str, Fraction], weights: dict[str, Fraction]) -> dict[str, int]:
    """Largest remainder on Fractions, the order sorted in full, as the docs say it."""
    parts = {name: math.floor(value) for name, value in exact.items()}
    left = sum(exact.values()) - sum(parts.values())
    assert left.denominator == 1
    order = sorted(
        exact,
        key=lambda n: (-(exact[n] - parts[n]), -weights[n], swedish_key(n)),
    )
    for name in order[: int(left)]:
        parts[name] += 1
    return parts


def reference_split(amount: int, weights: dict[str, Fraction | int]) -> dict[str, int]:
    total = sum(Fraction(w) for w in weights.values())
    exact = {name: amount * Fraction(w) / total for name, w in weights.items()}
    return reference_round(exact, {name: Fraction(w) for name, w in weights.items()})


@given(amounts, weights)
def test_split_is_the_fraction_rounding(
    amount: int, given_weights: dict[str, int | Fraction]
) -> None:
    assert split(amount, given_weights) == reference_split(amount, given_weights)


@given(amounts, st.dictionaries(names, small, min_size=1, max_size=40))
def test_split_with_many_ties_is_the_fraction_rounding(amount: int, tied: dict[str, int]) -> None:
    if sum(tied.values()) == 0:
        return
    assert split(amount, tied) == reference_split(amount, tied)


@given(amounts, weights, st.integers(min_value=1, max_value=10**6))
def test_an_exact_key_splits_as_its_fractions(
    amount: int, given_weights: dict[str, int | Fraction], scale: int
) -> None:
    """An ``ExactKey`` over any common denominator (not the least) splits like its values."""
    ints, denominator = as_integers(given_weights)
    key = ExactKey({n: v * scale for n, v in ints.items()}, denominator * scale)
    assert dict(key.items()) == {n: Fraction(w) for n, w in given_weights.items()}
    assert split(amount, key) == reference_split(amount, given_weights)


@given(
    st.dictionaries(names, st.one_of(fractions, small), min_size=1, max_size=30),
    st.dictionaries(names, st.one_of(whole, fractions), min_size=30, max_size=40),
)
def test_round_once_is_the_fraction_rounding(
    raw: dict[str, Fraction | int], given_weights: dict[str, int | Fraction]
) -> None:
    exact = {n: Fraction(v) for n, v in raw.items()}
    short = 1 - (sum(exact.values()) % 1)  # make the parts sum to whole kronor
    first = next(iter(exact))
    exact[first] += short % 1
    pool = list(given_weights.values())
    weights_of = {n: Fraction(pool[i % len(pool)]) for i, n in enumerate(exact)}
    assert round_once(exact, weights_of) == reference_round(exact, weights_of)


@given(
    st.lists(st.tuples(names, small, whole), min_size=1, max_size=30, unique_by=lambda t: t[0]),
    st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(1, 5), min_size=1),
)
def test_combine_keys_is_the_fraction_mix(
    rows: list[tuple[str, int, int]], column_weights: dict[str, int]
) -> None:
    columns = {
        "a": {n: Fraction(x) for n, x, _ in rows},
        "b": {n: Fraction(y, 7) for n, _, y in rows},
        "c": {n: y for n, _, y in rows[::2]},  # not every name: the others add 0
    }
    used = {c: columns[c] for c in column_weights}
    key = combine_keys(used, column_weights)
    total_weight = sum(column_weights.values())
    expected = dict.fromkeys(dict.fromkeys(n for c in used.values() for n in c), Fraction(0))
    for column, weight in column_weights.items():
        column_total = sum(Fraction(v) for v in used[column].values())
        if column_total:
            for name, value in used[column].items():
                expected[name] += Fraction(weight, total_weight) * value / column_total
    assert isinstance(key, ExactKey)
    assert list(key) == list(expected)
    assert dict(key.items()) == expected
    assert key == expected


def test_exact_key_reads_as_a_mapping_of_fractions() -> None:
    key = ExactKey({"Åsa": 3, "Ärla": 0, "Ö": 6}, 8)
    assert key["Åsa"] == Fraction(3, 8) and isinstance(key["Ö"], Fraction)
    assert list(key) == ["Åsa", "Ärla", "Ö"] and len(key) == 3 and "Ärla" in key
    assert key == {"Åsa": Fraction(3, 8), "Ärla": 0, "Ö": Fraction(3, 4)}
    assert dict.fromkeys(key, 1) == {"Åsa": 1, "Ärla": 1, "Ö": 1}
    assert as_integers(key) == ({"Åsa": 3, "Ärla": 0, "Ö": 6}, 8)
    with pytest.raises(KeyError):
        key["Z"]
    with pytest.raises(ValueError, match="positive"):
        ExactKey({"a": 1}, 0)


def test_sort_keys_only_for_names_tied_across_the_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """Swedish sort keys are made only for the names whose rank decides the last krona."""
    asked: list[str] = []

    def counting(name: str) -> tuple[bytes, str]:
        asked.append(name)
        return swedish_key(name)

    monkeypatch.setattr(money, "swedish_key", counting)
    # 3 kr over weights 1, 1, 1, 1, 2, 2: the 2s get 1 each (remainder 0), the 1s share the
    # third krona by name: only they are asked for.
    weights_of = {"d": 1, "c": 1, "b": 1, "a": 1, "y": 2, "x": 2}
    assert split(3, weights_of) == {"d": 0, "c": 0, "b": 0, "a": 1, "y": 1, "x": 1}
    assert sorted(asked) == ["a", "b", "c", "d"]
    asked.clear()
    split(10**9 + 7, {f"n{i}": i + 1 for i in range(1000)})  # distinct remainders
    assert asked == []


def test_a_larger_remainder_wins_over_any_weight() -> None:
    """2 kr over b : a : c = 1 : 3 : 1 is 2/5 + 6/5 + 2/5: floors 0 + 1 + 0 and 1 kr left. The
    remainders are 2/5, 1/5, 2/5: b and c tie (same weight), b first in Swedish order; a, with
    the largest weight but the smaller remainder, gets nothing more."""
    assert split(2, {"b": 1, "a": 3, "c": 1}) == {"b": 1, "a": 1, "c": 0}
    assert split(2, {"b": 1, "a": 3, "c": 1}) == reference_split(2, {"b": 1, "a": 3, "c": 1})
