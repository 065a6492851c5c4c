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

from gnvtools.allocation import RESERVE
from gnvtools.errors import InputError
from gnvtools.formatting import kr, percent
from gnvtools.model import Allocation, Plan, allocate, build_plan, load_requests
from gnvtools.params import FollowupSpec
from gnvtools.reconciliation import Finding, sort_findings
from gnvtools.regimes import Regime, get_regime
from gnvtools.tables import parse_amount, read_table


@dataclass(frozen=True)
class SpendLine:
    """One row of the spend file. ``area`` is ``None`` when the row names no area."""

    recipient: str
    area: int | None
    amount: int
    activity: str
    activity_type: str
    row: int


@dataclass(frozen=True)
class Ineligible:
    line: SpendLine
    reason: str


@dataclass
class RecipientFigures:
    name: str
    group: str
    allocated: int = 0
    requisitioned: int | None = None
    ceiling: int | None = None
    used: int = 0
    ineligible: int = 0

    @property
    def unused(self) -> int:
        return self.allocated - self.used


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
    used: int
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
    findings: list[Finding] = field(default_factory=list)

    @property
    def utilisation(self) -> Fraction:
        return Fraction(self.used, self.received) if self.received else Fraction(0)

    def as_json(self) -> dict[str, Any]:
        """The ``gnv followup --json`` object (a public contract: keys are only ever added)."""
        return {
            "organisation": self.plan.params.organisation.name,
            "year": self.plan.params.year,
            "regime": self.regime.id,
            "received": self.received,
            "carry_over_in": self.carry_over_in,
            "allocated": self.allocated,
            "requisitioned": self.requisitioned,
            "used": self.used,
            "reported_used": self.reported_used,
            "unused": self.unused,
            "utilisation": float(self.utilisation),
            "utilisation_exact": f"{self.utilisation.numerator}/{self.utilisation.denominator}",
            "ineligible": self.ineligible,
            "carried_over": self.carried_over,
            "repay": self.repay,
            "by_area": {str(area): amount for area, amount in self.by_area.items()},
            "without_area": self.unassigned,
            "by_recipient": {
                name: {
                    "allocated": r.allocated,
                    "requisitioned": r.requisitioned,
                    "used": r.used,
                    "unused": r.unused,
                    "ineligible": r.ineligible,
                }
                for name, r in self.by_recipient.items()
            },
            "not_requisitioned": self.not_requisitioned,
            "findings": [f.as_dict() for f in self.findings],
        }


def load_spend(plan: Plan, spec: FollowupSpec, regime: Regime) -> list[SpendLine]:
    """Read the spend file: columns recipient, area, amount; optional activity, activity_type."""
    resolved, shown = plan.file.data_path(spec.spend)
    table = read_table(resolved, display=shown)
    table.require("recipient", "area", "amount")
    known_types = {t.lower(): t for t in regime.activity_types}
    lines = []
    for row_no, row in table.numbered():
        who = row["recipient"]
        if who not in plan.recipients:
            raise InputError(f'okänd mottagare "{who}"', file=shown, row=row_no, column="recipient")
        area: int | None = None
        if row["area"]:
            try:
                area = int(row["area"])
            except ValueError:
                area = None
            if area not in regime.areas:
                numbers = ", ".join(str(a) for a in regime.areas)
                raise InputError(
                    f'okänt insatsområde "{row["area"]}"; {regime.short} har områdena {numbers}',
                    file=shown,
                    row=row_no,
                    column="area",
                )
        amount = parse_amount(row["amount"], file=shown, row=row_no, column="amount")
        kind = row.get("activity_type", "").strip()
        if kind and kind.lower() not in known_types:
            raise InputError(
                f'okänd verksamhetstyp "{kind}"; känns igen: {", ".join(regime.activity_types)}',
                file=shown,
                row=row_no,
                column="activity_type",
            )
        lines.append(
            SpendLine(
                who,
                area,
                amount,
                row.get("activity", ""),
                known_types.get(kind.lower(), ""),
                row_no,
            )
        )
    return lines


def _year_pots(allocation: Allocation) -> list[Any]:
    sources = allocation.plan.pot_sources
    return [p for p in allocation.pots if not sources[p.pot.name].startswith("carry-over")]


def _area8_applies(plan: Plan, spec: FollowupSpec) -> bool:
    if spec.area8_applies is not None:
        return spec.area8_applies
    return any(c.basis == "rural" for c in plan.params.received.components)


def _ineligibility(line: SpendLine, regime: Regime, area8: bool) -> str | None:
    if line.activity_type in regime.ineligible_activity_types:
        return f"verksamhetstypen {line.activity_type} ingår inte i {regime.short}"
    if line.area is not None and line.area in regime.restricted_areas and not area8:
        return f"insatsområde {line.area} gäller {regime.restricted_areas[line.area]}"
    return None


def followup(plan: Plan, allocation: Allocation | None = None) -> Followup:
    """The year-end figures; pass ``allocation`` when the caller has already run it."""
    params = plan.params
    spec = params.followup
    if spec is None:
        raise plan.file.error("parameterfilen har ingen uppföljning (nyckeln followup saknas)")
    regime = get_regime(params.regime, file=plan.file.shown, row=plan.file.line("regime"))
    allocation = allocation or allocate(plan)
    spend = load_spend(plan, spec, regime)
    area8 = _area8_applies(plan, spec)

    figures: dict[str, RecipientFigures] = {}

    def figure(name: str) -> RecipientFigures:
        if name not in figures:
            figures[name] = RecipientFigures(name, plan.recipients[name].group)
        return figures[name]

    requisition_steps = [s for pot in _year_pots(allocation) for s in pot.steps]
    requisition_steps = [s for s in requisition_steps if s.kind == "requisition"]
    for pot in _year_pots(allocation):
        for line in pot.lines:
            if line.recipient != RESERVE:
                figure(line.recipient).allocated += line.amount
    for step in requisition_steps:
        for line in step.lines:
            f = figure(line.recipient)
            f.requisitioned = (f.requisitioned or 0) + line.amount
            f.ceiling = (f.ceiling or 0) + (line.ceiling or 0)
    if spec.requisitions:
        requested = load_requests(plan.file, spec.requisitions, plan.recipients)
        for f in figures.values():
            f.requisitioned = 0
        for name, amount in requested.items():
            figure(name).requisitioned = amount

    ineligible: list[Ineligible] = []
    by_area = dict.fromkeys(regime.areas, 0)
    unassigned = 0
    for line in spend:
        f = figure(line.recipient)
        f.used += line.amount
        if line.area is None:
            unassigned += line.amount
        else:
            by_area[line.area] += line.amount
        reason = _ineligibility(line, regime, area8)
        if reason:
            ineligible.append(Ineligible(line, reason))
            f.ineligible += line.amount

    received = params.received.total
    used = sum(line.amount for line in spend)
    unused = received - used
    ineligible_total = sum(i.line.amount for i in ineligible)
    if regime.unused_must_be_repaid:
        carried = min(spec.carried_over, max(unused, 0))
        repay = max(unused, 0) - carried + ineligible_total
    elif regime.unused_must_be_repaid is None:  # the sources are silent: claim nothing
        carried = 0
        repay = ineligible_total
    else:
        carried = max(unused, 0)
        repay = ineligible_total
    has_requisition = bool(requisition_steps) or spec.requisitions is not None
    requisitioned = sum(f.requisitioned or 0 for f in figures.values()) if has_requisition else None
    # Only those whose money this year had to be requisitioned, and who asked for nothing.
    not_requisitioned = [
        f.name
        for f in figures.values()
        if has_requisition and f.requisitioned == 0 and f.allocated == 0
    ]
    result = Followup(
        plan=plan,
        regime=regime,
        received=received,
        carry_over_in=sum(c.amount for c in params.carry_over),
        allocated=sum(f.allocated for f in figures.values()),
        requisitioned=requisitioned,
        requisition_target=sum(s.target for s in requisition_steps) if requisition_steps else None,
        used=used,
        reported_used=spec.reported_used,
        unused=unused,
        ineligible=ineligible_total,
        carried_over=carried,
        repay=repay,
        by_area=by_area,
        unassigned=unassigned,
        by_recipient=figures,
        not_requisitioned=not_requisitioned,
        ineligible_lines=ineligible,
        spend=spend,
        illustrative=spec.illustrative,
    )
    result.findings = sort_findings(_checks(result))
    return result


def _checks(r: Followup) -> list[Finding]:
    findings: list[Finding] = []
    spec = r.plan.params.followup
    if r.used > r.received:
        findings.append(
            Finding(
                "error",
                "used-above-received",
                f"Förbrukat {kr(r.used)} är mer än mottagna {kr(r.received)}.",
                r.used - r.received,
            )
        )
    findings.append(
        Finding(
            "info",
            "utilisation",
            f"Av mottagna {kr(r.received)} förbrukades {kr(r.used)}, {percent(r.utilisation)}.",
            r.used,
        )
    )
    for name in r.not_requisitioned:
        ceiling = r.by_recipient[name].ceiling
        could = f" (taket var {kr(ceiling)})" if ceiling else ""
        findings.append(
            Finding(
                "warning",
                "not-requisitioned",
                f"{name} rekvirerade inga medel{could}.",
                ceiling or 0,
            )
        )
    separate_requisitions = spec is not None and bool(spec.requisitions)
    for f in r.by_recipient.values():
        if f.used > f.allocated:
            findings.append(
                Finding(
                    "warning",
                    "used-above-allocated",
                    f"{f.name} har förbrukat {kr(f.used)}, {kr(f.used - f.allocated)} mer än "
                    f"tilldelade {kr(f.allocated)}.",
                    f.used - f.allocated,
                )
            )
        if separate_requisitions and f.requisitioned is not None and f.used > f.requisitioned:
            findings.append(
                Finding(
                    "warning",
                    "used-above-requisitioned",
                    f"{f.name} har förbrukat {kr(f.used)}, {kr(f.used - f.requisitioned)} mer "
                    f"än rekvirerade {kr(f.requisitioned)}.",
                    f.used - f.requisitioned,
                )
            )
    spend_file = r.plan.file.data_path(spec.spend)[1] if spec else ""
    for item in r.ineligible_lines:
        line = item.line
        findings.append(
            Finding(
                "error",
                "ineligible-spend",
                f"{line.recipient}: {kr(line.amount)} ({line.activity or 'utan beskrivning'}) "
                f"får inte användas så: {item.reason}. Beloppet ska betalas tillbaka "
                f"({spend_file}, rad {line.row}).",
                line.amount,
            )
        )
    if r.unassigned:
        findings.append(
            Finding(
                "warning",
                "spend-without-area",
                f"Av förbrukningen saknar {kr(r.unassigned)} insatsområde.",
                r.unassigned,
            )
        )
    if r.reported_used is not None:
        area_sum = sum(r.by_area.values())
        gap = r.reported_used - area_sum
        if gap:
            findings.append(
                Finding(
                    "warning",
                    "areas-vs-reported",
                    f"Förbrukningen per insatsområde summerar till {kr(area_sum)}, {kr(abs(gap))} "
                    f"{'mindre' if gap > 0 else 'mer'} än den redovisade totalen "
                    f"{kr(r.reported_used)}.",
                    gap,
                )
            )
        detail_gap = r.reported_used - r.used
        if detail_gap:
            findings.append(
                Finding(
                    "error",
                    "details-vs-reported",
                    f"Förbrukningsraderna summerar till {kr(r.used)} men den redovisade totalen "
                    f"är {kr(r.reported_used)} (skillnad {kr(abs(detail_gap))}).",
                    detail_gap,
                )
            )
        else:
            findings.append(
                Finding(
                    "info",
                    "details-vs-reported",
                    f"Förbrukningsraderna summerar till den redovisade totalen {kr(r.used)}.",
                    0,
                )
            )
    if r.repay:
        findings.append(
            Finding(
                "warning",
                "repayment",
                f"Till {r.regime.administered_by} ska {kr(r.repay)} betalas tillbaka.",
                r.repay,
            )
        )
    if r.carried_over:
        findings.append(
            Finding(
                "info",
                "carried-over",
                f"Till nästa år förs {kr(r.carried_over)} över.",
                r.carried_over,
            )
        )
    return findings


def followup_file(path: Path | str) -> Followup:
    return followup(build_plan(path))
