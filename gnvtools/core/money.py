"""Exact money primitives: whole kronor as ``int``, shares as ``Fraction``.

Rounding happens once per split, by the largest-remainder method:

1. every part gets the floor of its exact share;
2. the kronor left over (fewer than the number of parts) go one each to the parts with the
   largest fractional remainders;
3. ties between equal remainders go to the larger weight, then to the name that sorts first
   (plain Unicode order), so the result never depends on the order the parts were given in.

Example: 100 kr split equally over three districts gives 34 + 33 + 33, the extra krona going to
the name that sorts first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

Weight = int | Fraction


def exact_shares(weights: Mapping[str, Weight]) -> dict[str, Fraction]:
    """Normalise non-negative weights to exact shares that sum to 1.

    Raises ``ValueError`` for a negative weight or when every weight is zero.
    """
    total = Fraction(0)
    for name, weight in weights.items():
        if weight < 0:
            raise ValueError(f"negative weight for {name!r}")
        total += weight
    if total == 0:
        raise ValueError("all weights are zero")
    return {name: Fraction(weight) / total for name, weight in weights.items()}


def split(amount: int, weights: Mapping[str, Weight]) -> dict[str, int]:
    """Split ``amount`` kronor in proportion to ``weights``; the parts sum to ``amount`` exactly.

    Each part is within one krona of its exact share. The result keeps the input's key order.
    """
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError("amount must be whole kronor (int)")
    if amount < 0:
        raise ValueError("amount must not be negative")
    if not weights:
        if amount:
            raise ValueError("nothing to split the amount over")
        return {}
    shares = exact_shares(weights)
    exact = {name: share * amount for name, share in shares.items()}
    parts = {name: int(value) for name, value in exact.items()}  # floor: values are >= 0
    left = amount - sum(parts.values())
    order = sorted(
        exact,
        key=lambda name: (-(exact[name] - parts[name]), -Fraction(weights[name]), name),
    )
    for name in order[:left]:
        parts[name] += 1
    return parts


def split_equally(amount: int, names: Iterable[str]) -> dict[str, int]:
    """Split ``amount`` in equal parts over ``names`` (largest remainder, ties by name)."""
    return split(amount, dict.fromkeys(names, 1))


def combine_keys(
    columns: Mapping[str, Mapping[str, Fraction]], column_weights: Mapping[str, Weight]
) -> dict[str, Fraction]:
    """Blend several data columns into one key.

    Each column is first turned into shares of its own total, then the shares are mixed by the
    column weights. ``{"population": 1, "population_65plus": 1}`` therefore means half by share of
    population and half by share of elderly, whatever the scale of each column. A column whose
    total is zero contributes nothing.
    """
    names: list[str] = []
    for values in columns.values():
        for name in values:
            if name not in names:
                names.append(name)
    total_weight = sum((Fraction(w) for w in column_weights.values()), Fraction(0))
    if total_weight <= 0:
        raise ValueError("the column weights must be positive")
    key = dict.fromkeys(names, Fraction(0))
    for column, weight in column_weights.items():
        values = columns[column]
        column_total = sum(values.values(), Fraction(0))
        if column_total == 0:
            continue
        for name, value in values.items():
            key[name] += Fraction(weight) / total_weight * value / column_total
    return key
