"""Tallying a year-end follow-up: the year's money per recipient and per area.

What the allocation gave each recipient and what its requisition steps granted
(``tally_recipients``), what the spend rows say each used, per area, and which rows fall
outside the rules (``tally_spend``), the organisation's own use per area, and what is carried
over or paid back (``repayments``). ``followup.followup`` puts them together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from gnvtools.core.allocation import RESERVE, StepResult
from gnvtools.core.followup_readings import ActivityReading
from gnvtools.core.followup_requisitions import requisition_figures
from gnvtools.core.model import Allocation, Plan
from gnvtools.core.params import FollowupSpec
from gnvtools.core.regimes import Regime
from gnvtools.core.spend import Ineligible, SpendLine, ineligibility


@dataclass
class RecipientFigures:
    name: str
    group: str
    allocated: int = 0
    requisitioned: int | None = None
    ceiling: int | None = None
    used: int = 0
    ineligible: int = 0
    #: What the year's requisition steps granted (part of ``allocated``).
    granted: int = 0
    #: With a requisitions file: the most the steps let it requisition (ceiling or grant).
    step_limit: int | None = None

    @property
    def unused(self) -> int:
        return self.allocated - self.used

    @property
    def used_share(self) -> Fraction | None:
        """Used as a share of allocated (not the utilisation, which is of received)."""
        return Fraction(self.used, self.allocated) if self.allocated else None

    @property
    def limit(self) -> int:
        """What the recipient may use: its allocation, with the requisition steps' grant
        replaced by what it requisitioned (the same unless a requisitions file says otherwise)."""
        if self.requisitioned is None:
            return self.allocated
        return self.allocated - self.granted + self.requisitioned


@dataclass
class RecipientTally:
    """Each recipient's figures (in the order they are met), and the year's requisition steps:
    whether the year has a requisition and what each recipient asked for."""

    plan: Plan
    figures: dict[str, RecipientFigures] = field(default_factory=dict)
    steps: list[StepResult] = field(default_factory=list)
    has_requisition: bool = False
    asked: dict[str, int] = field(default_factory=dict)

    @property
    def requisitioned(self) -> int | None:
        """What the recipients requisitioned in all; ``None`` without a requisition."""
        if not self.has_requisition:
            return None
        return sum(f.requisitioned or 0 for f in self.figures.values())

    @property
    def requested(self) -> int | None:
        """What the recipients asked for in all; ``None`` without a requisition."""
        return sum(self.asked.values()) if self.has_requisition else None

    def figure(self, name: str) -> RecipientFigures:
        """The recipient's figures, started when it is first met."""
        if name not in self.figures:
            self.figures[name] = RecipientFigures(name, self.plan.recipients[name].group)
        return self.figures[name]


def tally_recipients(plan: Plan, allocation: Allocation, spec: FollowupSpec) -> RecipientTally:
    """What the year's pots gave each recipient (the reserve apart), and its requisitions."""
    tally = RecipientTally(plan)
    for pot in year_pots(allocation):
        for line in pot.lines:
            if line.recipient != RESERVE:
                tally.figure(line.recipient).allocated += line.amount
    tally.steps = [s for pot in year_pots(allocation) for s in pot.steps if s.kind == "requisition"]
    tally.has_requisition, tally.asked = requisition_figures(plan, tally.steps, spec, tally.figure)
    return tally


@dataclass
class SpendTally:
    """The year's spend rows (money carried over apart) summed per area, the rows outside the
    rules and those of a kind of activity no source classifies (not judged)."""

    rows: list[SpendLine]
    area8: bool
    reading: ActivityReading
    rows_by_area: dict[int, int]
    unassigned: int = 0
    ineligible: list[Ineligible] = field(default_factory=list)
    unclassified: list[SpendLine] = field(default_factory=list)

    @property
    def used(self) -> int:
        return sum(line.amount for line in self.rows)

    @property
    def ineligible_total(self) -> int:
        return sum(i.line.amount for i in self.ineligible)


def tally_spend(
    spend: list[SpendLine],
    regime: Regime,
    recipients: RecipientTally,
    area8: bool,
    reading: ActivityReading,
) -> SpendTally:
    """Add each of the year's rows to its recipient's use and its area, and judge it."""
    owner = recipients.plan.params.organisation.name
    rows = [line for line in spend if line.fund is None]
    tally = SpendTally(rows, area8, reading, dict.fromkeys(regime.areas, 0))
    for line in rows:
        f = recipients.figure(line.recipient)
        f.used += line.amount
        if line.area is None:
            tally.unassigned += line.amount
        else:
            tally.rows_by_area[line.area] += line.amount
        reason = ineligibility(line, regime, area8, reading, owner)
        if reason:
            tally.ineligible.append(Ineligible(line, reason))
            f.ineligible += line.amount
        elif line.activity_type and not reading.classifies(line.activity_type):
            tally.unclassified.append(line)  # not judged: the organisation must state its reading
    return tally


def year_pots(allocation: Allocation) -> list[Any]:
    """The pots of the year's grant (not those of money carried over)."""
    sources = allocation.plan.pot_sources
    return [p for p in allocation.pots if not sources[p.pot.name].startswith("carry-over")]


def reported_by_area(plan: Plan, spec: FollowupSpec, regime: Regime) -> dict[int, int]:
    """The organisation's own use per area, checked against the regime's areas."""
    out: dict[int, int] = {}
    for index, item in enumerate(spec.reported_by_area):
        where = ("followup", "reported_by_area", index, "area")
        if item.area not in regime.areas:
            numbers = ", ".join(str(a) for a in regime.areas)
            raise plan.file.error(
                f"okänt insatsområde {item.area}; {regime.short} har områdena {numbers}", *where
            )
        if item.area in out:
            raise plan.file.error(f"insatsområde {item.area} står två gånger", *where)
        out[item.area] = item.amount
    return out


def repayment(regime: Regime, spec: FollowupSpec, unused: int, ineligible: int) -> tuple[int, int]:
    """(carried over, to pay back) for a year's unused money and its ineligible use."""
    if regime.unused_must_be_repaid:
        carried = min(spec.carried_over, max(unused, 0))
        return carried, max(unused, 0) - carried + ineligible
    if regime.unused_must_be_repaid is None:  # the sources are silent: claim nothing
        return 0, ineligible
    return max(unused, 0), ineligible


def repayments(
    regime: Regime, spec: FollowupSpec, received: int, used: int, details: int, ineligible: int
) -> tuple[int, int, int | None]:
    """(carried over, to pay back, to pay back if only the ``details`` counted as used): the
    last ``None`` when the details agree with ``used``."""
    carried, repay = repayment(regime, spec, received - used, ineligible)
    # The alternative reading of an undecided difference: only the details count as used.
    if used == details:
        return carried, repay, None
    return carried, repay, repayment(regime, spec, received - details, ineligible)[1]
