from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gnvtools.core.allocation import (
    RESERVE,
    ByKey,
    Each,
    Fixed,
    Pot,
    Remainder,
    requisition,
    run_pot,
)

EQUAL = {"A": Fraction(1), "B": Fraction(1)}


@pytest.mark.parametrize(
    ("requests", "redistribute", "granted"),
    [
        ({"A": 200, "B": 900}, True, {"A": 200, "B": 800}),
        ({"A": 200, "B": 900}, False, {"A": 200, "B": 500}),
        ({"A": 200, "B": 300}, True, {"A": 200, "B": 300}),
        ({"A": 2000, "B": 2000}, True, {"A": 500, "B": 500}),
        ({}, True, {"A": 0, "B": 0}),
    ],
)
def test_requisition_table(
    requests: dict[str, int], redistribute: bool, granted: dict[str, int]
) -> None:
    ceilings, got = requisition(1000, EQUAL, requests, redistribute=redistribute)
    assert ceilings == {"A": 500, "B": 500}
    assert got == granted


def test_redistribution_follows_key_among_those_short() -> None:
    key = {"A": Fraction(1), "B": Fraction(1), "C": Fraction(2)}
    # ceilings 250/250/500; A asks nothing; B and C want more: A's 250 is split 1:2, capped.
    _, got = requisition(1000, key, {"B": 400, "C": 900})
    assert got == {"A": 0, "B": 333, "C": 667}
    _, got = requisition(1000, key, {"B": 260, "C": 900})
    assert got == {"A": 0, "B": 260, "C": 740}


def test_pot_runs_steps_in_order_with_rest_and_reserve() -> None:
    pot = Pot(
        "P",
        1_000_000,
        [
            Fixed("grund", {"X": 100_000}),
            Each("lika", ["A", "B"], 50_000),
            ByKey("nyckel", "rest", {"A": Fraction(1), "B": Fraction(2)}),
        ],
    )
    result = run_pot(pot)
    assert [s.placed for s in result.steps] == [100_000, 100_000, 800_000]
    assert result.unplaced == 0
    reserve = run_pot(Pot("R", 10, [Fixed("f", {"X": 4}), Remainder("r", "reserve")]))
    assert reserve.lines[-1].recipient == RESERVE
    assert reserve.lines[-1].amount == 6


def test_overdrawn_pot_is_reported_not_hidden() -> None:
    result = run_pot(Pot("P", 100, [Fixed("f", {"X": 150}), Remainder("r", "equal", EQUAL)]))
    assert result.unplaced == -50
    assert result.steps[1].placed == 0


keys = st.dictionaries(
    st.sampled_from("ABCDEFGHIJKL"), st.integers(min_value=0, max_value=10**6), min_size=1
).filter(lambda k: sum(k.values()) > 0)


@given(
    st.integers(min_value=0, max_value=10**10),
    keys,
    st.dictionaries(st.sampled_from("ABCDEFGHIJKL"), st.integers(0, 10**10)),
    st.booleans(),
)
def test_requisition_invariants(
    amount: int, raw_key: dict[str, int], raw_requests: dict[str, int], redistribute: bool
) -> None:
    key = {k: Fraction(v) for k, v in raw_key.items()}
    requests = {k: v for k, v in raw_requests.items() if k in key}
    ceilings, granted = requisition(amount, key, requests, redistribute=redistribute)
    assert sum(ceilings.values()) == amount
    assert sum(granted.values()) <= amount
    for name in key:
        assert 0 <= granted[name] <= requests.get(name, 0)
        assert granted[name] >= min(requests.get(name, 0), ceilings[name])
        if not redistribute:
            assert granted[name] <= ceilings[name]
    if redistribute and sum(granted.values()) < amount:
        # Money is left only when every recipient with a positive key got what it asked for.
        for name in key:
            if key[name] > 0:
                assert granted[name] == requests.get(name, 0)
    # order independence
    reordered = dict(reversed(list(key.items())))
    assert requisition(amount, reordered, requests, redistribute=redistribute)[1] == granted


@given(st.integers(0, 10**9), st.integers(0, 10**8), keys)
def test_pot_with_remainder_always_sums_exactly(amount: int, fixed: int, raw_key) -> None:
    key = {k: Fraction(v) for k, v in raw_key.items()}
    fixed = min(fixed, amount)
    result = run_pot(Pot("P", amount, [Fixed("f", {"X": fixed}), Remainder("r", "key", key)]))
    assert result.placed == amount
    assert all(line.amount >= 0 for line in result.lines)
