"""The allocation engine: pots of money split by ordered steps, exactly to the krona.

Pure functions on plain values. A ``Pot`` holds an amount and its steps; ``run_pot`` carries
them out in order, each step taking from what is left of the pot. Nothing here reads files or
knows about the parameter format; ``gnvtools.core.model`` builds these objects from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from gnvtools.core.money import round_once, split, split_equally, water_fill

RESERVE = "Ofördelad reserv"
"""The recipient name under which a pot keeps an explicit, unallocated reserve."""

REST: Literal["rest"] = "rest"
"""An amount of ``"rest"`` means: whatever the earlier steps left of the pot."""

Amount = int | Literal["rest"]


@dataclass(frozen=True)
class Fixed:
    """Named amounts to named recipients: ``{"Äldreförvaltningen": 3_200_000}``."""

    name: str
    amounts: Mapping[str, int]
    rule: str = ""


@dataclass(frozen=True)
class Each:
    """The same amount to each recipient of a group: 11 districts × 500 000 kr = 5 500 000 kr."""

    name: str
    recipients: Sequence[str]
    amount_each: int
    rule: str = ""


@dataclass(frozen=True)
class ByKey:
    """``amount`` split over ``recipients`` in proportion to their exact key shares."""

    name: str
    amount: Amount
    key: Mapping[str, Fraction]
    rule: str = ""


@dataclass(frozen=True)
class Requisition:
    """Recipients request money; each gets at most its ceiling, a key share of ``amount``.

    With ``redistribute``, money left unclaimed goes to those who asked for more than their
    ceiling, by the same key among them, never above what they asked. What is still unclaimed
    stays in the pot for a later step (or shows up as unplaced money).
    """

    name: str
    amount: Amount
    key: Mapping[str, Fraction]
    requests: Mapping[str, int]
    redistribute: bool = True
    rule: str = ""


@dataclass(frozen=True)
class Remainder:
    """What is left of the pot: split equally, by key, or kept as an explicit reserve."""

    name: str
    mode: Literal["equal", "key", "reserve"]
    key: Mapping[str, Fraction] = field(default_factory=dict)
    rule: str = ""


Step = Fixed | Each | ByKey | Requisition | Remainder


@dataclass(frozen=True)
class Pot:
    """Money to split: this year's grant, a carry-over, or one part of a grant."""

    name: str
    amount: int
    steps: Sequence[Step]


@dataclass(frozen=True)
class Line:
    """One recipient's part from one step. ``ceiling`` and ``requested`` only for requisitions."""

    pot: str
    step: str
    recipient: str
    amount: int
    ceiling: int | None = None
    requested: int | None = None

    def __init__(
        self,
        pot: str,
        step: str,
        recipient: str,
        amount: int,
        ceiling: int | None = None,
        requested: int | None = None,
    ) -> None:
        # The dataclass's own __init__ for a frozen class sets each field through
        # object.__setattr__; writing the instance's dict is half the time for a split over
        # 100 000 recipients. Same fields, same order (tests/test_allocation.py checks).
        fields = self.__dict__
        fields["pot"] = pot
        fields["step"] = step
        fields["recipient"] = recipient
        fields["amount"] = amount
        fields["ceiling"] = ceiling
        fields["requested"] = requested


@dataclass(frozen=True)
class StepResult:
    """What a step did: its lines, the amount it meant to place and what it did place."""

    pot: str
    step: str
    kind: str
    rule: str
    target: int
    lines: tuple[Line, ...]
    available: int = 0  # what was left of the pot before the step

    @property
    def placed(self) -> int:
        return sum(line.amount for line in self.lines)


@dataclass(frozen=True)
class PotResult:
    """A pot after all its steps: ``unplaced`` is what no step placed (negative: overdrawn)."""

    pot: Pot
    steps: tuple[StepResult, ...]

    @property
    def placed(self) -> int:
        return sum(step.placed for step in self.steps)

    @property
    def unplaced(self) -> int:
        return self.pot.amount - self.placed

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for step in self.steps for line in step.lines)


def requisition(
    amount: int,
    key: Mapping[str, Fraction],
    requests: Mapping[str, int],
    *,
    redistribute: bool = True,
) -> tuple[dict[str, int], dict[str, int]]:
    """Grant requests against key-based ceilings; return ``(ceilings, granted)``.

    1. Ceilings: ``amount`` split by ``key`` (one largest-remainder rounding).
    2. Each recipient first gets min(request, ceiling).
    3. With ``redistribute``, the unclaimed rest goes to those who asked for more than their
       ceiling, in proportion to their own key values renormalised among them, never above what
       they asked. It is computed exactly (``water_fill``: whoever would reach its request gets
       exactly that and drops out, the rest is shared again among the others); the exact extra
       amounts are then rounded **once** by the largest remainder.
    4. What nobody asked for stays unclaimed: in the pot, for a later step.

    Example: 1 000 kr over A, B and C with keys 1 : 1 : 2 gives ceilings 250 + 250 + 500. A asks
    for 100, B for 400 and C for 900: first 100 + 250 + 500, leaving 150 unclaimed. B and C are
    short; shared 1 : 2 that is 50 and 100, within what they lack (150 and 400), so the result
    is 100 + 300 + 600.
    """
    ceilings = split(amount, key)
    granted = {name: min(requests.get(name, 0), ceilings[name]) for name in key}
    if not redistribute:
        return ceilings, granted
    lacking = {
        name: Fraction(requests.get(name, 0) - granted[name])
        for name in key
        if requests.get(name, 0) > granted[name] and key[name] > 0
    }
    if not lacking:
        return ceilings, granted
    unclaimed = Fraction(amount - sum(granted.values()))
    extra = water_fill(unclaimed, {name: key[name] for name in lacking}, lacking)
    rounded = round_once(extra, {name: key[name] for name in extra})
    return ceilings, {name: granted[name] + rounded.get(name, 0) for name in key}


def _resolve(amount: Amount, left: int) -> int:
    return max(left, 0) if amount == REST else amount


def run_step(pot: str, step: Step, left: int) -> StepResult:
    """Carry out one step given what is ``left`` of the pot before it."""
    lines: list[Line]
    match step:
        case Fixed():
            target = sum(step.amounts.values())
            lines = [Line(pot, step.name, name, value) for name, value in step.amounts.items()]
            kind = "fixed"
        case Each():
            target = step.amount_each * len(step.recipients)
            lines = [Line(pot, step.name, name, step.amount_each) for name in step.recipients]
            kind = "each"
        case ByKey():
            target = _resolve(step.amount, left)
            parts = split(target, step.key)
            lines = [Line(pot, step.name, name, value) for name, value in parts.items()]
            kind = "key"
        case Requisition():
            target = _resolve(step.amount, left)
            ceilings, granted = requisition(
                target, step.key, step.requests, redistribute=step.redistribute
            )
            lines = [
                Line(
                    pot, step.name, name, granted[name], ceilings[name], step.requests.get(name, 0)
                )
                for name in step.key
            ]
            kind = "requisition"
        case Remainder():
            target = max(left, 0)
            kind = f"remainder-{step.mode}"
            if step.mode == "reserve":
                lines = [Line(pot, step.name, RESERVE, target)]
            elif step.mode == "equal":
                parts = split_equally(target, step.key)
                lines = [Line(pot, step.name, name, value) for name, value in parts.items()]
            else:
                parts = split(target, step.key)
                lines = [Line(pot, step.name, name, value) for name, value in parts.items()]
    return StepResult(pot, step.name, kind, step.rule, target, tuple(lines), left)


def run_pot(pot: Pot) -> PotResult:
    """Carry out a pot's steps in order; what is left at the end is ``unplaced``."""
    left = pot.amount
    results: list[StepResult] = []
    for step in pot.steps:
        result = run_step(pot.name, step, left)
        results.append(result)
        left -= result.placed
    return PotResult(pot, tuple(results))
