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
from gnvtools.core.formatting import kr, percent
from gnvtools.core.model import (
    Allocation,
    Plan,
    allocate,
    build_plan,
    load_requests,
    unknown_recipient,
)
from gnvtools.core.params import FollowupSpec
from gnvtools.core.reconciliation import Finding, sort_findings
from gnvtools.core.regimes import Regime, get_regime
from gnvtools.core.tables import parse_amount, read_table
from gnvtools.errors import InputError


@dataclass(frozen=True)
class SpendLine:
    """One row of the spend file. ``area`` is ``None`` when the row names no area.

    ``fund`` is the money the row used: ``None`` for this year's grant, else the year of the
    carry-over (column ``fund``: empty or the grant year for the grant, ``kvarvarande 2024`` or
    ``2024`` for money left from 2024).
    """

    recipient: str
    area: int | None
    amount: int
    activity: str
    activity_type: str
    row: int
    fund: int | None = None


@dataclass
class CarryOverFollowup:
    """Money left from an earlier year, followed up apart from the year's grant.

    ``used`` is ``None`` when no spend row names this money: it has not been followed up, which
    a report shows as missing, never as 0 kr.
    """

    year: int
    amount: int
    allocated: int
    used: int | None
    by_recipient: dict[str, tuple[int, int | None]]
    lines: list[SpendLine] = field(default_factory=list)

    @property
    def unused(self) -> int | None:
        return None if self.used is None else self.amount - self.used


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
            "requested": self.requested,
            "used": self.used,
            "used_in_rows": self.rows_used,
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
            "carry_over": [
                {
                    "year": c.year,
                    "amount": c.amount,
                    "allocated": c.allocated,
                    "used": c.used,
                    "unused": c.unused,
                }
                for c in self.carry_over
            ],
            "findings": [f.as_dict() for f in self.findings],
        }


def load_spend(plan: Plan, spec: FollowupSpec, regime: Regime) -> list[SpendLine]:
    """Read the spend file: columns recipient, area, amount; optional activity, activity_type."""
    resolved, shown = plan.file.data_path(spec.spend)
    table = read_table(resolved, display=shown)
    table.require("recipient", "area", "amount")
    known_types = {t.lower(): t for t in regime.activity_types}
    carry_years = {c.year for c in plan.params.carry_over}
    lines = []
    for row_no, row in table.numbered():
        who = row["recipient"]
        if who not in plan.recipients:
            raise InputError(
                unknown_recipient(who, plan.recipients),
                file=table.path,
                row=row_no,
                column="recipient",
            )
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
                    file=table.path,
                    row=row_no,
                    column="area",
                )
        amount = parse_amount(row["amount"], file=table.path, row=row_no, column="amount")
        kind = row.get("activity_type", "").strip()
        if kind and kind.lower() not in known_types:
            raise InputError(
                f'okänd verksamhetstyp "{kind}"; känns igen: {", ".join(regime.activity_types)}',
                file=table.path,
                row=row_no,
                column="activity_type",
            )
        fund = _fund(row.get("fund", ""), plan.params.year, carry_years, shown, row_no)
        lines.append(
            SpendLine(
                who,
                area,
                amount,
                row.get("activity", ""),
                known_types.get(kind.lower(), ""),
                row_no,
                fund,
            )
        )
    return lines


def _fund(text: str, year: int, carry_years: set[int], file: str, row: int) -> int | None:
    """``""`` or the grant year → ``None`` (the grant); ``kvarvarande 2024`` → ``2024``."""
    cleaned = text.strip().lower().removeprefix("kvarvarande").strip()
    if not cleaned or cleaned in ("statsbidrag", "årets statsbidrag", str(year)):
        return None
    if cleaned.isdigit() and int(cleaned) in carry_years:
        return int(cleaned)
    known = [f"kvarvarande {y}" for y in sorted(carry_years)]
    raise InputError(
        f'okända medel "{text}"; skriv tomt eller {year} för årets statsbidrag'
        + (f", eller {' / '.join(known)}" if known else "")
        + " (kvarvarande medel måste finnas under carry_over i parameterfilen)",
        file=file,
        row=row,
        column="fund",
    )


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
    asked: dict[str, int] = {}
    for step in requisition_steps:
        for line in step.lines:
            f = figure(line.recipient)
            f.requisitioned = (f.requisitioned or 0) + line.amount
            f.ceiling = (f.ceiling or 0) + (line.ceiling or 0)
            asked[line.recipient] = asked.get(line.recipient, 0) + (line.requested or 0)
    if spec.requisitions:
        requested = load_requests(plan.file, spec.requisitions, plan.recipients)
        for f in figures.values():
            f.requisitioned = 0
        for name, amount in requested.items():
            figure(name).requisitioned = amount
        asked = {name: requested.get(name, 0) for name in asked} | requested

    year_spend = [line for line in spend if line.fund is None]
    ineligible: list[Ineligible] = []
    by_area = dict.fromkeys(regime.areas, 0)
    unassigned = 0
    for line in year_spend:
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
    rows_used = sum(line.amount for line in year_spend)
    # What the organisation reported to the payer is the year's use; the rows are its detail.
    used = spec.reported_used if spec.reported_used is not None else rows_used
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
    # Everyone a requisition step was open to who asked for nothing, whatever else they got.
    not_requisitioned = [name for name, amount in asked.items() if amount == 0]
    result = Followup(
        plan=plan,
        regime=regime,
        received=received,
        carry_over_in=sum(c.amount for c in params.carry_over),
        allocated=sum(f.allocated for f in figures.values()),
        requisitioned=requisitioned,
        requisition_target=sum(s.target for s in requisition_steps) if requisition_steps else None,
        requested=sum(asked.values()) if has_requisition else None,
        used=used,
        rows_used=rows_used,
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
        spend=year_spend,
        illustrative=spec.illustrative,
        carry_over=_carry_over_followup(allocation, spend),
    )
    result.findings = sort_findings(_checks(result))
    return result


def _carry_over_followup(allocation: Allocation, spend: list[SpendLine]) -> list[CarryOverFollowup]:
    """Each carry-over: what was allocated from it and, if any row names it, what was used."""
    plan = allocation.plan
    out = []
    for carry in plan.params.carry_over:
        source = f"carry-over:{carry.year}"
        allocated: dict[str, int] = {}
        for pot in allocation.pots:
            if plan.pot_sources[pot.pot.name] != source:
                continue
            for line in pot.lines:
                if line.recipient != RESERVE:
                    allocated[line.recipient] = allocated.get(line.recipient, 0) + line.amount
        rows = [row for row in spend if row.fund == carry.year]
        used: dict[str, int] = {}
        for row in rows:
            used[row.recipient] = used.get(row.recipient, 0) + row.amount
        followed = bool(rows)
        names = list(dict.fromkeys([*allocated, *used]))
        out.append(
            CarryOverFollowup(
                year=carry.year,
                amount=carry.amount,
                allocated=sum(allocated.values()),
                used=sum(used.values()) if followed else None,
                by_recipient={
                    n: (allocated.get(n, 0), used.get(n, 0) if followed else None) for n in names
                },
                lines=rows,
            )
        )
    return out


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
        gap = r.reported_used - r.rows_used
        if gap:
            findings.append(
                Finding(
                    "warning",
                    "rows-vs-reported",
                    f"Förbrukningsraderna summerar till {kr(r.rows_used)}, {kr(abs(gap))} "
                    f"{'mindre' if gap > 0 else 'mer'} än den redovisade totalen "
                    f"{kr(r.reported_used)}. Skillnaden är inte fördelad på mottagare eller "
                    "insatsområden; den redovisade totalen räknas som förbrukad.",
                    gap,
                )
            )
        else:
            findings.append(
                Finding(
                    "info",
                    "rows-vs-reported",
                    f"Förbrukningsraderna summerar till den redovisade totalen {kr(r.used)}.",
                    0,
                )
            )
    for carry in r.carry_over:
        if carry.used is None:
            findings.append(
                Finding(
                    "warning",
                    "carry-over-not-followed-up",
                    f"Kvarvarande medel från {carry.year} ({kr(carry.amount)}) är inte uppföljda: "
                    "ingen förbrukningsrad anger dem (kolumnen fund).",
                    carry.amount,
                )
            )
        else:
            findings.append(
                Finding(
                    "info",
                    "carry-over-followed-up",
                    f"Av kvarvarande medel från {carry.year} ({kr(carry.amount)}) förbrukades "
                    f"{kr(carry.used)}; de följs upp för sig och påverkar inte årets "
                    "återbetalning.",
                    carry.used,
                )
            )
    if r.repay:
        findings.append(
            Finding(
                "info",
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
