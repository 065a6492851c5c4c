"""Checks that make every difference visible: findings with a level, a code and the amount.

A finding never corrects anything. It says, in Swedish, what does not add up and by how much;
the reports list them all and ``gnv check`` exits 1 when any is at error level. Checks that
pass are recorded as ``info`` findings, so a report can show what was verified.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from gnvtools.allocation import RESERVE
from gnvtools.formatting import kr
from gnvtools.model import Allocation

Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info")
LEVEL_NAMES = {"error": "fel", "warning": "varning", "info": "info"}


@dataclass(frozen=True)
class Finding:
    """One check result. ``amount`` is the difference in whole kronor, when there is one."""

    level: Level
    code: str
    message: str
    amount: int | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.level == "error" for f in findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; otherwise in the order the checks ran."""
    return sorted(findings, key=lambda f: LEVELS.index(f.level))


def check_components(allocation: Allocation) -> list[Finding]:
    received = allocation.plan.params.received
    if not received.components:
        return []
    total = sum(c.amount for c in received.components)
    parts = " + ".join(kr(c.amount) for c in received.components)
    diff = total - received.total
    if diff:
        return [
            Finding(
                "error",
                "components-vs-received",
                f"Delbeloppen ({parts} = {kr(total)}) skiljer sig från mottaget belopp "
                f"{kr(received.total)} med {kr(abs(diff))}.",
                diff,
            )
        ]
    return [
        Finding(
            "info",
            "components-vs-received",
            f"Delbeloppen {parts} summerar till mottaget belopp {kr(received.total)}.",
            0,
        )
    ]


def check_sources(allocation: Allocation) -> list[Finding]:
    """Each source of money (the grant, a component, a carry-over) against the pots using it."""
    plan = allocation.plan
    params = plan.params
    used: dict[str, int] = {}
    for pot in plan.pots:
        source = plan.pot_sources[pot.name]
        used[source] = used.get(source, 0) + pot.amount
    findings: list[Finding] = []
    available = {"received": params.received.total}
    for component in params.received.components:
        available[f"component:{component.name}"] = component.amount
    for carry in params.carry_over:
        available[f"carry-over:{carry.year}"] = carry.amount
    drawn_from_components = any(s.startswith("component:") for s in used)
    for source, amount in available.items():
        if source == "received" and drawn_from_components and source not in used:
            continue
        if source.startswith("component:") and not drawn_from_components:
            continue
        in_pots = used.get(source, 0)
        label = _source_label(source)
        diff = in_pots - amount
        if diff > 0:
            findings.append(
                Finding(
                    "error",
                    "pots-exceed-source",
                    f"Potterna fördelar {kr(in_pots)} ur {label}, som bara är {kr(amount)}: "
                    f"{kr(diff)} för mycket.",
                    diff,
                )
            )
        elif diff < 0:
            findings.append(
                Finding(
                    "warning",
                    "source-not-in-pots",
                    f"{kr(-diff)} av {label} ({kr(amount)}) ingår inte i någon pott.",
                    -diff,
                )
            )
        else:
            findings.append(
                Finding(
                    "info",
                    "pots-vs-source",
                    f"Potterna fördelar hela {label}, {kr(amount)}.",
                    0,
                )
            )
    return findings


def _source_label(source: str) -> str:
    if source == "received":
        return "mottaget statsbidrag"
    kind, _, name = source.partition(":")
    if kind == "carry-over":
        return f"kvarvarande medel från {name}"
    return f"delbeloppet {name}"


def check_pots(allocation: Allocation) -> list[Finding]:
    findings: list[Finding] = []
    for pot in allocation.pots:
        name = pot.pot.name
        if pot.unplaced < 0:
            findings.append(
                Finding(
                    "error",
                    "pot-overdrawn",
                    f"Stegen i potten {name} fördelar {kr(pot.placed)}, {kr(-pot.unplaced)} mer "
                    f"än pottens {kr(pot.pot.amount)}.",
                    pot.unplaced,
                )
            )
        elif pot.unplaced > 0:
            findings.append(
                Finding(
                    "warning",
                    "pot-unplaced",
                    f"{kr(pot.unplaced)} av potten {name} ({kr(pot.pot.amount)}) är ännu inte "
                    "fördelade.",
                    pot.unplaced,
                )
            )
        else:
            findings.append(
                Finding(
                    "info",
                    "pot-placed",
                    f"Potten {name} är fördelad till sista kronan: {kr(pot.pot.amount)}.",
                    0,
                )
            )
        reserve = sum(line.amount for line in pot.lines if line.recipient == RESERVE)
        if reserve:
            findings.append(
                Finding(
                    "info",
                    "pot-reserve",
                    f"{kr(reserve)} av potten {name} hålls som ofördelad reserv.",
                    reserve,
                )
            )
        for step in pot.steps:
            if step.kind == "requisition" and step.placed < step.target:
                unclaimed = step.target - step.placed
                findings.append(
                    Finding(
                        "info",
                        "requisition-unclaimed",
                        f"I steget {step.step} rekvirerades {kr(step.placed)} av "
                        f"{kr(step.target)}; {kr(unclaimed)} rekvirerades inte.",
                        unclaimed,
                    )
                )
    return findings


def check_budget(allocation: Allocation) -> list[Finding]:
    params = allocation.plan.params
    if not params.budget:
        return []
    budget = sum(line.amount for line in params.budget)
    funds = params.received.total + sum(c.amount for c in params.carry_over)
    findings: list[Finding] = []
    gap = budget - funds
    if gap > 0:
        findings.append(
            Finding(
                "warning",
                "budget-exceeds-received",
                f"Budgeten räknar med {kr(budget)}, {kr(gap)} mer än mottagna {kr(funds)}.",
                gap,
            )
        )
    elif gap < 0:
        findings.append(
            Finding(
                "info",
                "budget-below-received",
                f"Budgeten räknar med {kr(budget)}, {kr(-gap)} mindre än mottagna {kr(funds)}.",
                gap,
            )
        )
    decided = allocation.by_recipient()
    budgeted: dict[str, int] = {}
    for line in params.budget:
        budgeted[line.recipient] = budgeted.get(line.recipient, 0) + line.amount
    for recipient, amount in budgeted.items():
        got = decided.get(recipient, 0)
        if got != amount:
            findings.append(
                Finding(
                    "info",
                    "decided-vs-budget",
                    f"{recipient} får {kr(got)} enligt förslaget mot {kr(amount)} i budgeten "
                    f"({kr(abs(got - amount))} {'mer' if got > amount else 'mindre'}).",
                    got - amount,
                )
            )
    return findings


def reconcile_allocation(allocation: Allocation) -> list[Finding]:
    """All checks of a year's allocation, errors first."""
    findings = (
        check_components(allocation)
        + check_sources(allocation)
        + check_pots(allocation)
        + check_budget(allocation)
    )
    return sort_findings(findings)
