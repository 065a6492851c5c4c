from __future__ import annotations

from fractions import Fraction
from pathlib import Path

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


def _reference_extra(
    unclaimed: Fraction, weights: dict[str, Fraction], caps: dict[str, Fraction]
) -> dict[str, Fraction]:
    """Water-filling by breakpoints (an independent method): extra = min(cap, level × weight).

    Sort by cap/weight; walk the breakpoints until the money at the next one would exceed what
    there is, then solve the level exactly for the rest.
    """
    active = sorted((n for n in weights if weights[n] > 0), key=lambda n: caps[n] / weights[n])
    target = min(unclaimed, sum((caps[n] for n in active), Fraction(0)))
    done = Fraction(0)
    full: set[str] = set()
    level = Fraction(0)
    for i, name in enumerate(active):
        rest_weight = sum((weights[n] for n in active[i:]), Fraction(0))
        at_break = done + caps[name] / weights[name] * rest_weight
        if at_break >= target:
            level = (target - done) / rest_weight
            break
        done += caps[name]
        full.add(name)
    return {n: caps[n] if n in full else min(caps[n], level * weights[n]) for n in active}


@given(
    st.integers(min_value=0, max_value=10**9),
    keys,
    st.dictionaries(st.sampled_from("ABCDEFGHIJKL"), st.integers(0, 10**9)),
)
def test_requisition_is_exact_water_filling_rounded_once(
    amount: int, raw_key: dict[str, int], raw_requests: dict[str, int]
) -> None:
    key = {k: Fraction(v) for k, v in raw_key.items()}
    requests = {k: v for k, v in raw_requests.items() if k in key}
    ceilings, granted = requisition(amount, key, requests)
    base = {n: min(requests.get(n, 0), ceilings[n]) for n in key}
    lacking = {
        n: Fraction(requests.get(n, 0) - base[n])
        for n in key
        if requests.get(n, 0) > base[n] and key[n] > 0
    }
    unclaimed = Fraction(amount - sum(base.values()))
    exact = _reference_extra(unclaimed, {n: key[n] for n in lacking}, lacking)
    total_extra = min(unclaimed, sum(lacking.values(), Fraction(0)))
    # sums exactly: what was granted first plus all the redistributable money, nothing more
    assert sum(granted.values()) == sum(base.values()) + total_extra
    assert sum(granted.values()) <= amount
    for name in key:
        target = base[name] + exact.get(name, Fraction(0))
        # rounded once: every recipient within one krona of the exact result
        assert abs(granted[name] - target) < 1
        assert granted[name] <= requests.get(name, 0)  # never above the request


def test_redistribution_rounds_once_not_per_round() -> None:
    """The exact extra shares are rounded together, once, with the Swedish tie-break.

    Ceilings of 1 000 kr over A, Ö and Å (equal keys): 334 + 333 + 333 (the odd krona to A,
    first in Swedish order). A asks for 1 kr, so 333 kr are unclaimed; Ö and Å ask for much more
    and share it 1 : 1, exactly 166,5 kr each. One rounding gives the odd krona to Å, which
    comes before Ö: 333 + 167 = 500 and 333 + 166 = 499.
    """
    key = {"A": Fraction(1), "Ö": Fraction(1), "Å": Fraction(1)}
    ceilings, got = requisition(1000, key, {"A": 1, "Ö": 5000, "Å": 5000})
    assert ceilings == {"A": 334, "Ö": 333, "Å": 333}
    assert got == {"A": 1, "Ö": 499, "Å": 500}


def test_the_worked_example_in_the_docs() -> None:
    """docs/parameters.md, "requisition": the table an auditor can redo in a spreadsheet."""
    key = {name: Fraction(1) for name in ("Bromma", "Farsta", "Årsta", "Älvsjö")}
    requests = {"Bromma": 0, "Farsta": 11_001, "Årsta": 30_000, "Älvsjö": 30_000}
    ceilings, granted = requisition(40_004, key, requests)
    assert set(ceilings.values()) == {10_001}
    assert granted == {"Bromma": 0, "Farsta": 11_001, "Årsta": 14_502, "Älvsjö": 14_501}
    docs = (Path(__file__).resolve().parent.parent / "docs/parameters.md").read_text("utf-8")
    assert (
        "| Årsta | 10 001 | 30 000 | 10 001 | 19 999 | 3 333,67 | 4 500,5 | 14 501,5 | 14 502 |"
        in docs
    )


def test_hand_written_inits_set_every_field_in_order() -> None:
    """``Line`` and ``Recipient`` write their fields directly (fast for 100 000 rows): each
    field, in the dataclass's order, still frozen, equal as before."""
    import dataclasses
    import inspect

    from gnvtools.core.allocation import Line
    from gnvtools.core.model_keys import Recipient

    cases: list[tuple[type, tuple[object, ...]]] = [
        (Line, ("P", "s", "Åsa", 5, 6, 7)),
        (Recipient, ("Åsa", "g", {"a": 1}, {"t": "x"}, 2)),
    ]
    for cls, args in cases:
        names = [f.name for f in dataclasses.fields(cls)]
        assert list(inspect.signature(cls.__init__).parameters)[1:] == names
        made = cls(*args)
        assert vars(made) == dict(zip(names, args, strict=True))
        assert made == cls(*args) and made == dataclasses.replace(made)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(made, names[0], "x")
    assert Line("P", "s", "Åsa", 5) == Line("P", "s", "Åsa", 5, None, None)
    assert hash(Line("P", "s", "Åsa", 5)) == hash(Line("P", "s", "Åsa", 5, None, None))
