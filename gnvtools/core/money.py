"""Exact money primitives: whole kronor as ``int``, shares as ``Fraction``.

Rounding happens once per split, by the largest-remainder method:

1. every part gets the floor of its exact share;
2. the kronor left over (fewer than the number of parts) go one each to the parts with the
   largest fractional remainders;
3. ties between equal remainders go to the larger weight, then to the name that comes first in
   Swedish alphabetical order (ICU's Swedish collation: … x, y, z, å, ä, ö), so the result never
   depends on the order the parts were given in.

Example: 100 kr split equally over three districts gives 34 + 33 + 33, the extra krona going to
the name that comes first (of Ärla, Åsa and Örebro, Åsa).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from functools import cache
from typing import Any

Weight = int | Fraction


@cache
def _collator() -> Any:
    import icu  # PyICU, from the pyicu-wheels package (ICU bundled)

    return icu.Collator.createInstance(icu.Locale("sv_SE"))


def swedish_key(name: str) -> tuple[bytes, str]:
    """A sort key in Swedish alphabetical order (ICU, locale sv_SE); code points break ties.

    ``sorted(["Ö", "Å", "Z", "Ä"], key=swedish_key)`` → ``["Z", "Å", "Ä", "Ö"]``.
    """
    return bytes(_collator().getSortKey(name)), name


def swedish_sorted(items: Iterable[Any], key: Callable[[Any], str] | None = None) -> list[Any]:
    """Items in Swedish alphabetical order of ``key(item)`` (the item itself by default)."""
    get = key or (lambda item: item)
    return sorted(items, key=lambda item: swedish_key(get(item)))


def as_integers(values: Mapping[str, Weight]) -> tuple[dict[str, int], int]:
    """Exact values as integer numerators over one common denominator (same ratios, no floats).

    ``{"a": Fraction(1, 2), "b": 1}`` → ``({"a": 1, "b": 2}, 2)``. Integer arithmetic keeps large
    splits (100 000 recipients) fast without giving up exactness.
    """
    pairs: dict[str, tuple[int, int]] = {}
    for name, value in values.items():
        if type(value) is int:
            pairs[name] = (value, 1)
        else:
            exact = value if isinstance(value, Fraction) else Fraction(value)
            pairs[name] = (exact.numerator, exact.denominator)
    common = math.lcm(*{den for _, den in pairs.values()}) if pairs else 1
    if common == 1:
        return {name: num for name, (num, _) in pairs.items()}, 1
    return {name: num * (common // den) for name, (num, den) in pairs.items()}, common


def _largest_remainder(
    numerators: Mapping[str, int], denominator: int, weights: Mapping[str, int]
) -> dict[str, int]:
    """Round ``numerators / denominator`` (summing to whole kronor) once, by largest remainder."""
    total, rest = divmod(sum(numerators.values()), denominator)
    if rest:
        raise ValueError("the exact parts must sum to whole kronor")
    parts = {name: value // denominator for name, value in numerators.items()}  # floor: >= 0
    left = total - sum(parts.values())
    if left == 0:
        return parts
    order = sorted(
        numerators,
        key=lambda n: (-(numerators[n] % denominator), -weights[n], swedish_key(n)),
    )
    for name in order[:left]:
        parts[name] += 1
    return parts


def round_once(exact: Mapping[str, Fraction], weights: Mapping[str, Weight]) -> dict[str, int]:
    """Round exact non-negative parts whose sum is a whole number, by the largest remainder.

    Every part gets its floor; the kronor left over go one each to the largest fractional
    remainders, ties to the larger weight, then to the name first in Swedish order. Each part
    ends within one krona of its exact value and the parts sum to the exact total.
    """
    numerators, denominator = as_integers(exact)
    int_weights, _ = as_integers({n: weights[n] for n in exact})
    return _largest_remainder(numerators, denominator, int_weights)


def water_fill(
    amount: Fraction, weights: Mapping[str, Fraction], caps: Mapping[str, Fraction]
) -> dict[str, Fraction]:
    """Share ``amount`` by ``weights``, nobody above its cap, exactly (no rounding).

    Those whose proportional share would reach their cap get the cap and drop out; what is left
    is shared again among the others. The result sums to min(amount, sum of the caps).
    """
    result = dict.fromkeys(weights, Fraction(0))
    active = {name: caps[name] for name in weights if weights[name] > 0 and caps[name] > 0}
    left = amount
    while active and left > 0:
        total = sum((weights[name] for name in active), Fraction(0))
        full = [name for name, cap in active.items() if left * weights[name] / total >= cap]
        if not full:
            for name in active:
                result[name] += left * weights[name] / total
            left = Fraction(0)
            break
        for name in full:
            result[name] += active.pop(name)
            left -= result[name]
    return result


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
    ints, _ = as_integers(weights)  # amount × w / W on integers: exact, and fast
    if any(w < 0 for w in ints.values()):
        raise ValueError("negative weight")
    total = sum(ints.values())
    if total == 0:
        raise ValueError("all weights are zero")
    return _largest_remainder({n: amount * w for n, w in ints.items()}, total, ints)


def split_equally(amount: int, names: Iterable[str]) -> dict[str, int]:
    """Split ``amount`` in equal parts over ``names`` (largest remainder, ties in Swedish order)."""
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
    names: dict[str, None] = {}  # ordered and O(1) membership: linear for 100 000 rows
    for values in columns.values():
        names.update(dict.fromkeys(values))
    total_weight = sum((Fraction(w) for w in column_weights.values()), Fraction(0))
    if total_weight <= 0:
        raise ValueError("the column weights must be positive")
    # key[name] = Σ factor[column] × value, with factor = weight / total weight / column total.
    # On integers over one common denominator the work stays linear and cheap for 100 000 rows.
    numerators = dict.fromkeys(names, 0)
    factors: dict[str, Fraction] = {}
    scaled_columns: dict[str, tuple[dict[str, int], int]] = {}
    for column, weight in column_weights.items():
        ints, denominator = as_integers(columns[column])
        column_total = Fraction(sum(ints.values()), denominator)
        if column_total == 0:
            continue
        factors[column] = Fraction(weight) / total_weight / column_total / denominator
        scaled_columns[column] = (ints, denominator)
    if not factors:
        return {name: Fraction(0) for name in names}
    common = math.lcm(*(f.denominator for f in factors.values()))
    for column, factor in factors.items():
        multiplier = factor.numerator * (common // factor.denominator)
        for name, value in scaled_columns[column][0].items():
            numerators[name] += multiplier * value
    return {name: Fraction(value, common) for name, value in numerators.items()}
