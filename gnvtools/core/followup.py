"""Year-end follow-up: what was received, allocated, requisitioned and used, and what goes back.

``followup(plan)`` reads the spend (and, if given, requisition) files a year's parameter file
points to and returns every figure of the follow-up report with its findings. Only this year's
grant is followed up; pots that distribute money carried over from earlier years are shown apart.
The tallies per recipient and per area are in ``followup_tally``, the findings in
``followup_checks``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from gnvtools.core.followup_checks import followup_findings
from gnvtools.core.followup_json import followup_json
from gnvtools.core.followup_readings import NO_READING, ActivityReading, activity_reading
from gnvtools.core.followup_requisitions import AboveCeiling, above_ceilings
from gnvtools.core.followup_tally import (
    RecipientFigures,
    RecipientTally,
    SpendTally,
    repayments,
    reported_by_area,
    tally_recipients,
    tally_spend,
    year_pots,
)
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
    load_spend,
)

__all__ = [  # this module's own names and those imported from here
    "Followup",
    "RecipientFigures",
    "followup",
    "followup_file",
    "utilisation",
]


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


def followup(plan: Plan, allocation: Allocation | None = None) -> Followup:
    """The year-end figures; pass ``allocation`` when the caller has already run it."""
    spec = plan.params.followup
    if spec is None:
        raise plan.file.error("parameterfilen har ingen uppföljning (nyckeln followup saknas)")
    regime = get_regime(plan.params.regime, file=plan.file.shown, row=plan.file.line("regime"))
    allocation = allocation or allocate(plan)
    spend = load_spend(plan, spec, regime)
    by_area = reported_by_area(plan, spec, regime)
    area8 = area8_applies(plan, spec)
    reading = activity_reading(plan, regime)
    recipients = tally_recipients(plan, allocation, spec)
    rows = tally_spend(spend, regime, recipients, area8, reading)
    result = _result(plan, regime, spec, allocation, spend, by_area, recipients, rows)
    result.findings = sort_findings(followup_findings(result))
    return result


def _result(
    plan: Plan,
    regime: Regime,
    spec: FollowupSpec,
    allocation: Allocation,
    spend: list[SpendLine],
    reported: dict[int, int],
    recipients: RecipientTally,
    rows: SpendTally,
) -> Followup:
    """The follow-up's totals from the tallies: use, unused, carried over and paid back."""
    params = plan.params
    received = params.received.total
    figures, asked, steps = recipients.figures, recipients.asked, recipients.steps
    # What the organisation reported to the payer is the year's use; the rows are its detail.
    used = spec.reported_used if spec.reported_used is not None else rows.used
    details = sum(reported.values()) if reported else rows.used
    carried, repay, repay_if_details = repayments(
        regime, spec, received, used, details, rows.ineligible_total
    )
    made_up_groups = {g for g, t in plan.groups.items() if t.spec.illustrative}
    return Followup(
        plan=plan,
        regime=regime,
        received=received,
        carry_over_in=sum(c.amount for c in params.carry_over),
        allocated=sum(f.allocated for f in figures.values()),
        requisitioned=recipients.requisitioned,
        requisition_target=sum(s.target for s in steps) if steps else None,
        requested=recipients.requested,
        used=used,
        rows_used=rows.used,
        reported_used=spec.reported_used,
        unused=received - used,
        ineligible=rows.ineligible_total,
        carried_over=carried,
        repay=repay,
        by_area={a: reported.get(a, 0) for a in regime.areas} if reported else rows.rows_by_area,
        unassigned=rows.unassigned,
        by_recipient=figures,
        # Everyone a requisition step was open to who asked for nothing, whatever else they got.
        not_requisitioned=[name for name, amount in asked.items() if amount == 0],
        ineligible_lines=rows.ineligible,
        spend=rows.rows,
        reading=rows.reading,
        unclassified=rows.unclassified,
        area8=rows.area8,
        above_ceiling=above_ceilings(year_pots(allocation)),
        illustrative=spec.illustrative,
        carry_over=carry_over_followup(allocation, spend),
        rows_by_area=rows.rows_by_area,
        reported_by_area=reported,
        uncertain_areas={i.area: i.reading for i in spec.reported_by_area if i.reading},
        repay_if_details=repay_if_details,
        requisitions_illustrative=any(
            plan.recipients[name].group in made_up_groups for name in asked
        ),
    )


def followup_file(path: Path | str) -> Followup:
    return followup(build_plan(path))
