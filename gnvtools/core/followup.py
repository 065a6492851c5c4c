"""Year-end follow-up: what was received, allocated, requisitioned and used, and what goes back.

``followup(plan)`` reads the spend (and, if given, requisition) files a year's parameter file
points to and returns every figure of the follow-up report with its findings. Only this year's
grant is followed up; pots that distribute money carried over from earlier years are shown apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from gnvtools.core.allocation import RESERVE
from gnvtools.core.followup_checks import followup_findings
from gnvtools.core.followup_json import followup_json
from gnvtools.core.followup_readings import NO_READING, ActivityReading, activity_reading
from gnvtools.core.followup_requisitions import AboveCeiling, above_ceilings, requisition_figures
from gnvtools.core.model import (
    Allocation,
    Plan,
    allocate,
    build_plan,
)
from gnvtools.core.params import FollowupSpec
from gnvtools.core.reconciliation import Finding, sort_findings
from gnvtools.core.regimes import Regime, get_regime
from gnvtools.core.spend import (
    CarryOverFollowup,
    Ineligible,
    SpendLine,
    area8_applies,
    carry_over_followup,
    ineligibility,
    load_spend,
)


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
class Followup:
    """All figures of a year-end follow-up; amounts in whole kronor."""

    plan: Plan
    regime: Regime
    received: int
    carry_over_in: int
    allocated: int
    requisitioned: int | None
    requisition_target: int | None
    requested: int | None
    used: int
    rows_used: int
    reported_used: int | None
    unused: int
    ineligible: int
    carried_over: int
    repay: int
    by_area: dict[int, int]
    unassigned: int
    by_recipient: dict[str, RecipientFigures]
    not_requisitioned: list[str]
    ineligible_lines: list[Ineligible]
    spend: list[SpendLine]
    illustrative: bool
    carry_over: list[CarryOverFollowup] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: The spend rows summed per area (``by_area`` is the organisation's own per-area use when
    #: it reported one, else these).
    rows_by_area: dict[int, int] = field(default_factory=dict)
    #: Use per area as the organisation reported it (empty when it reported none).
    reported_by_area: dict[int, int] = field(default_factory=dict)
    #: Areas whose reported use we read from an illegible source: what was printed.
    uncertain_areas: dict[int, str] = field(default_factory=dict)
    #: What would be paid back if only the details counted as used (the per-area use the
    #: organisation reported, else the rows): ``None`` when they agree with the reported total.
    repay_if_details: int | None = None
    #: Who requisitioned what rests on made-up rows.
    requisitions_illustrative: bool = False
    #: The organisation's reading of the kinds of activity (``NO_READING`` when it has none).
    reading: ActivityReading = NO_READING
    #: Rows of a kind of activity no source for the organisation classifies: not judged.
    unclassified: list[SpendLine] = field(default_factory=list)
    #: Whether the regime's restricted area 8 applies to the organisation.
    area8: bool = False
    #: Recipients a requisition step granted more than their ceiling (redistribution).
    above_ceiling: list[AboveCeiling] = field(default_factory=list)

    @property
    def rows_unused(self) -> int:
        """Allocated to recipients minus the rows' use: the per-recipient table's sum."""
        return self.allocated - self.rows_used

    @property
    def rows_share(self) -> Fraction | None:
        """The rows' use as a share of what the recipients were allocated."""
        return Fraction(self.rows_used, self.allocated) if self.allocated else None

    @property
    def area_total(self) -> int:
        """What the per-area table's areas sum to: the organisation's own per-area figures
        when it reported them (rows without an area are no part of those), else the rows, those
        without an area included (``forbrukat_per_omrade_summa``)."""
        if self.reported_by_area:
            return sum(self.by_area.values())
        return sum(self.by_area.values()) + self.unassigned

    @property
    def compared_areas(self) -> list[int]:
        """With ``reported_by_area``: every area with a reported figure or with rows."""
        rows = {area for area, amount in self.rows_by_area.items() if amount}
        return sorted(set(self.reported_by_area) | rows)

    def area_share(self, amount: int) -> Fraction | None:
        """A share in the per-area table: of the year's use, which the table reconciles to
        (the same as of ``area_total`` when nothing is left outside the areas)."""
        total = self.used
        return Fraction(amount, total) if total else None

    @property
    def utilisation(self) -> Fraction:
        """Nyttjandegrad: used (the reported total if any) as a share of received. The one
        definition every report and figure uses."""
        return utilisation(self.used, self.received)

    def as_json(self) -> dict[str, Any]:
        """The ``gnv followup --json`` object (a public contract: keys are only ever added)."""
        return followup_json(self)


def utilisation(used: int, received: int) -> Fraction:
    """Nyttjandegrad = förbrukat / mottaget: ``utilisation(28_714_265, 41_991_440)`` is about
    68 %. Nothing received gives 0."""
    return Fraction(used, received) if received else Fraction(0)


def _year_pots(allocation: Allocation) -> list[Any]:
    sources = allocation.plan.pot_sources
    return [p for p in allocation.pots if not sources[p.pot.name].startswith("carry-over")]


def _reported_by_area(plan: Plan, spec: FollowupSpec, regime: Regime) -> dict[int, int]:
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


def _repayment(regime: Regime, spec: FollowupSpec, unused: int, ineligible: int) -> tuple[int, int]:
    """(carried over, to pay back) for a year's unused money and its ineligible use."""
    if regime.unused_must_be_repaid:
        carried = min(spec.carried_over, max(unused, 0))
        return carried, max(unused, 0) - carried + ineligible
    if regime.unused_must_be_repaid is None:  # the sources are silent: claim nothing
        return 0, ineligible
    return max(unused, 0), ineligible


def followup(plan: Plan, allocation: Allocation | None = None) -> Followup:
    """The year-end figures; pass ``allocation`` when the caller has already run it."""
    params = plan.params
    spec = params.followup
    if spec is None:
        raise plan.file.error("parameterfilen har ingen uppföljning (nyckeln followup saknas)")
    regime = get_regime(params.regime, file=plan.file.shown, row=plan.file.line("regime"))
    allocation = allocation or allocate(plan)
    spend = load_spend(plan, spec, regime)
    reported_by_area = _reported_by_area(plan, spec, regime)
    area8 = area8_applies(plan, spec)
    reading = activity_reading(plan, regime)
    owner = params.organisation.name
    unclassified: list[SpendLine] = []
    figures: dict[str, RecipientFigures] = {}

    def figure(name: str) -> RecipientFigures:
        if name not in figures:
            figures[name] = RecipientFigures(name, plan.recipients[name].group)
        return figures[name]

    for pot in _year_pots(allocation):
        for line in pot.lines:
            if line.recipient != RESERVE:
                figure(line.recipient).allocated += line.amount
    steps = [s for pot in _year_pots(allocation) for s in pot.steps if s.kind == "requisition"]
    has_requisition, asked = requisition_figures(plan, steps, spec, figure)

    year_spend = [line for line in spend if line.fund is None]
    ineligible: list[Ineligible] = []
    rows_by_area = dict.fromkeys(regime.areas, 0)
    unassigned = 0
    for line in year_spend:
        f = figure(line.recipient)
        f.used += line.amount
        if line.area is None:
            unassigned += line.amount
        else:
            rows_by_area[line.area] += line.amount
        reason = ineligibility(line, regime, area8, reading, owner)
        if reason:
            ineligible.append(Ineligible(line, reason))
            f.ineligible += line.amount
        elif line.activity_type and not reading.classifies(line.activity_type):
            unclassified.append(line)  # not judged: the organisation must state its reading

    received = params.received.total
    rows_used = sum(line.amount for line in year_spend)
    # What the organisation reported to the payer is the year's use; the rows are its detail.
    used = spec.reported_used if spec.reported_used is not None else rows_used
    ineligible_total = sum(i.line.amount for i in ineligible)
    carried, repay = _repayment(regime, spec, received - used, ineligible_total)
    # The alternative reading of an undecided difference: only the details count as used.
    details = sum(reported_by_area.values()) if reported_by_area else rows_used
    repay_if_details = None
    if used != details:
        repay_if_details = _repayment(regime, spec, received - details, ineligible_total)[1]
    made_up_groups = {g for g, t in plan.groups.items() if t.spec.illustrative}
    result = Followup(
        plan=plan,
        regime=regime,
        received=received,
        carry_over_in=sum(c.amount for c in params.carry_over),
        allocated=sum(f.allocated for f in figures.values()),
        requisitioned=(
            sum(f.requisitioned or 0 for f in figures.values()) if has_requisition else None
        ),
        requisition_target=sum(s.target for s in steps) if steps else None,
        requested=sum(asked.values()) if has_requisition else None,
        used=used,
        rows_used=rows_used,
        reported_used=spec.reported_used,
        unused=received - used,
        ineligible=ineligible_total,
        carried_over=carried,
        repay=repay,
        by_area={a: reported_by_area.get(a, 0) for a in regime.areas}
        if reported_by_area
        else rows_by_area,
        unassigned=unassigned,
        by_recipient=figures,
        # Everyone a requisition step was open to who asked for nothing, whatever else they got.
        not_requisitioned=[name for name, amount in asked.items() if amount == 0],
        ineligible_lines=ineligible,
        spend=year_spend,
        reading=reading,
        unclassified=unclassified,
        area8=area8,
        above_ceiling=above_ceilings(_year_pots(allocation)),
        illustrative=spec.illustrative,
        carry_over=carry_over_followup(allocation, spend),
        rows_by_area=rows_by_area,
        reported_by_area=reported_by_area,
        uncertain_areas={i.area: i.reading for i in spec.reported_by_area if i.reading},
        repay_if_details=repay_if_details,
        requisitions_illustrative=any(
            plan.recipients[name].group in made_up_groups for name in asked
        ),
    )
    result.findings = sort_findings(followup_findings(result))
    return result


def followup_file(path: Path | str) -> Followup:
    return followup(build_plan(path))
