"""The spend file of a year-end follow-up and what of it the rules allow.

``load_spend`` reads the rows (recipient, area, amount; optionally activity, activity_type and
fund); ``ineligibility`` says why a row falls outside the rules (the organisation's reading of
the kinds of activity, the regime's restricted areas), with its source, or ``None``;
``carry_over_followup`` follows up money carried over from earlier years from the rows that
name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gnvtools.core.allocation import RESERVE
from gnvtools.core.followup_readings import ActivityReading
from gnvtools.core.model import Allocation, Plan, unknown_recipient
from gnvtools.core.params import FollowupSpec
from gnvtools.core.regimes import Regime
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


@dataclass(frozen=True)
class Ineligible:
    line: SpendLine
    reason: str


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


def area8_applies(plan: Plan, spec: FollowupSpec) -> bool:
    if spec.area8_applies is not None:
        return spec.area8_applies
    return any(c.basis == "rural" for c in plan.params.received.components)


def genitive(name: str) -> str:
    """``Ankeby kommun`` → ``Ankeby kommuns``; a name ending in s takes no second s."""
    return name if name.endswith("s") else name + "s"


def ineligibility(
    line: SpendLine, regime: Regime, area8: bool, reading: ActivityReading, owner: str
) -> str | None:
    """Why a row is outside the rules, with the source that says so, or ``None``.

    A kind of activity is outside only when the organisation's own reading says so (``owner``
    is its name); a restricted area that does not apply is outside by the regime's rule.
    """
    if line.activity_type and line.activity_type in reading.ineligible:
        return (
            f"verksamhetstypen {line.activity_type} ligger utanför bidragets ram enligt "
            f"{genitive(owner)} egen tolkning ({reading.cited})"
        )
    if line.area is not None and line.area in regime.restricted_areas and not area8:
        who = regime.restricted_areas[line.area]
        return f"insatsområde {line.area} gäller {who} ({area_source(regime)})"
    return None


def area_source(regime: Regime) -> str:
    """Where the regime's rule on the areas is written: ``SFS 2024:1253, 2 §``."""
    for rule in regime.rules:
        if "insatsområde" in rule.text and rule.citations:
            c = rule.citations[0]
            return f"{c.source.short}, {c.place}"
    return regime.short


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

    def unused_by(self, name: str) -> int | None:
        """What a recipient left of what it got from this money (``None``: not followed up)."""
        allocated, used = self.by_recipient[name]
        return None if used is None else allocated - used


def carry_over_followup(allocation: Allocation, spend: list[SpendLine]) -> list[CarryOverFollowup]:
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
