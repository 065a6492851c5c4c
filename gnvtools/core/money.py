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
from collections.abc import Callable, Iterable, Iterator, Mapping
from fractions import Fraction
from functools import cache
from itertools import compress, repeat
from operator import add, eq, floordiv, gt, mod, mul, sub
from typing import Any, cast

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


class ExactKey(Mapping[str, Fraction]):
    """Exact key values held as integer numerators over one common denominator.

    Reads as a mapping of names to ``Fraction`` (``key["a"] == Fraction(3, 8)``), but keeps the
    integers, so a key over 100 000 recipients makes no ``Fraction`` per name: ``as_integers``
    and ``split`` take the numerators as they are.
    """

    __slots__ = ("denominator", "numerators")

    def __init__(self, numerators: dict[str, int], denominator: int) -> None:
        if denominator <= 0:
            raise ValueError("the denominator must be positive")
        self.numerators = numerators
        self.denominator = denominator

    def __getitem__(self, name: str) -> Fraction:
        return Fraction(self.numerators[name], self.denominator)

    def __contains__(self, name: object) -> bool:
        return name in self.numerators

    def __iter__(self) -> Iterator[str]:
        return iter(self.numerators)

    def __len__(self) -> int:
        return len(self.numerators)

    def __repr__(self) -> str:
        return f"ExactKey({dict(self.items())!r})"


def as_integers(values: Mapping[str, Weight]) -> tuple[dict[str, int], int]:
    """Exact values as integer numerators over one common denominator (same ratios, no floats).

    ``{"a": Fraction(1, 2), "b": 1}`` → ``({"a": 1, "b": 2}, 2)``. Integer arithmetic keeps large
    splits (100 000 recipients) fast without giving up exactness. The denominator is the least
    one, except for an ``ExactKey``, whose own numerators and denominator are returned (a common
    multiple: the same ratios, which is all a split or a key depends on).
    """
    if isinstance(values, ExactKey):
        return dict(values.numerators), values.denominator
    if set(map(type, values.values())) <= {int}:  # whole numbers only: nothing to scale
        return dict(cast(Mapping[str, int], values)), 1
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
    """Round ``numerators / denominator`` (summing to whole kronor) once, by largest remainder.

    The kronor left after the floors go one each to the names first in the order (remainder
    descending, weight descending, Swedish name order). Remainder and weight are ranked as one
    integer, ``remainder × span + (weight − lowest weight)`` with ``span`` above every weight
    difference, which orders exactly as the pair does. With ``cut`` the rank of the last krona
    (the ``left``-th largest rank), the first ``left`` names in that order are those ranked above
    ``cut`` and, of those ranked at ``cut``, the first in Swedish order: sort keys are made for
    those names only, once each, and only when some of them are left out.
    """
    names = list(numerators)
    values = list(numerators.values())
    total, rest = divmod(sum(values), denominator)
    if rest:
        raise ValueError("the exact parts must sum to whole kronor")
    floors = list(map(floordiv, values, repeat(denominator)))  # each part's floor: >= 0
    parts = dict(zip(names, floors, strict=True))
    left = total - sum(floors)
    if left == 0:
        return parts
    shifted = list(map(weights.__getitem__, names))
    lowest = min(shifted)
    span = max(shifted) - lowest + 1
    remainders = map(mod, values, repeat(denominator))
    shifted = list(map(sub, shifted, repeat(lowest)))
    ranks = list(map(add, map(mul, remainders, repeat(span)), shifted))
    cut = sorted(ranks, reverse=True)[left - 1]
    chosen = list(compress(names, map(gt, ranks, repeat(cut))))
    tied = list(compress(names, map(eq, ranks, repeat(cut))))
    if len(chosen) + len(tied) > left:  # the cut falls among equal ranks: Swedish order decides
        tied = sorted(tied, key=swedish_key)[: left - len(chosen)]
    for name in chosen + tied:
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
    # On integers: with weights w_i over one denominator and W = Σ w_i, part i's exact share is
    # amount × w_i / W, its floor amount × w_i // W and its fractional remainder
    # (amount × w_i mod W) / W, so comparing the integers amount × w_i mod W compares the
    # remainders exactly, and no Fraction is made (tests/test_money_exact.py checks this
    # against the same rounding done with Fraction).
    ints, _ = as_integers(weights)
    if min(ints.values()) < 0:
        raise ValueError("negative weight")
    total = sum(ints.values())
    if total == 0:
        raise ValueError("all weights are zero")
    shares = dict(zip(ints, map(mul, repeat(amount), ints.values()), strict=True))
    return _largest_remainder(shares, total, ints)


def split_equally(amount: int, names: Iterable[str]) -> dict[str, int]:
    """Split ``amount`` in equal parts over ``names`` (largest remainder, ties in Swedish order)."""
    return split(amount, dict.fromkeys(names, 1))


def combine_keys(
    columns: Mapping[str, Mapping[str, Weight]], column_weights: Mapping[str, Weight]
) -> ExactKey:
    """Blend several data columns into one key.

    Each column is first turned into shares of its own total, then the shares are mixed by the
    column weights. ``{"population": 1, "population_65plus": 1}`` therefore means half by share of
    population and half by share of elderly, whatever the scale of each column. A column whose
    total is zero contributes nothing. The key reads as exact ``Fraction`` values; it holds them
    as integers over one denominator (``ExactKey``).
    """
    names: dict[str, None] = {}  # ordered and O(1) membership: linear for 100 000 rows
    for values in columns.values():
        names.update(dict.fromkeys(values))
    total_weight = sum((Fraction(w) for w in column_weights.values()), Fraction(0))
    if total_weight <= 0:
        raise ValueError("the column weights must be positive")
    # key[name] = Σ factor[column] × value, with factor = weight / total weight / column total.
    # On integers over one common denominator the work stays linear and cheap for 100 000 rows.
    factors: dict[str, Fraction] = {}
    scaled_columns: dict[str, dict[str, int]] = {}
    for column, weight in column_weights.items():
        ints, denominator = as_integers(columns[column])
        column_total = Fraction(sum(ints.values()), denominator)
        if column_total == 0:
            continue
        factors[column] = Fraction(weight) / total_weight / column_total / denominator
        scaled_columns[column] = ints
    if not factors:
        return ExactKey(dict.fromkeys(names, 0), 1)
    common = math.lcm(*(f.denominator for f in factors.values()))
    order = list(names)
    summed = [0] * len(order)
    for column, factor in factors.items():
        multiplier = factor.numerator * (common // factor.denominator)
        ints = scaled_columns[column]
        # a column holds every name in the same order (the usual case), or misses some: 0
        aligned = ints.values() if list(ints) == order else [ints.get(n, 0) for n in order]
        summed = list(map(add, summed, map(mul, repeat(multiplier), aligned)))
    return ExactKey(dict(zip(order, summed, strict=True)), common)
