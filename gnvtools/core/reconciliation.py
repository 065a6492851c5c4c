"""Checks that make every difference visible: findings with a level, a code and the amount.

A finding never corrects anything. It says, in Swedish, what does not add up and by how much;
the reports list them all and ``gnv check`` exits 1 when any is at error level. Checks that
pass are recorded as ``info`` findings, so a report can show what was verified.

``reconcile_allocation`` runs them all. ``Finding`` and the levels are in
``reconciliation_findings``, the checks of the money coming in in ``reconciliation_sources``,
those of each pot in ``reconciliation_pots``; the budget and the national frames are checked
here. Every name is importable from here.
"""

from __future__ import annotations

import itertools

from gnvtools.core.formatting import kr
from gnvtools.core.model import Allocation, at_ceilings, at_decision
from gnvtools.core.reconciliation_findings import (
    CODE_ALIASES,
    LEVEL_NAMES,
    LEVELS,
    Finding,
    Level,
    has_errors,
    sort_findings,
)
from gnvtools.core.reconciliation_pots import check_pots
from gnvtools.core.reconciliation_sources import (
    check_components,
    check_sources,
    source_precision,
)

__all__ = [  # this module's own names and those imported from here
    "CODE_ALIASES",
    "LEVELS",
    "LEVEL_NAMES",
    "Finding",
    "Level",
    "check_budget",
    "check_components",
    "check_national_frames",
    "check_pots",
    "check_sources",
    "decided_by_recipient",
    "has_errors",
    "reconcile_allocation",
    "sort_findings",
    "source_precision",
]


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
    decided, capped = decided_by_recipient(allocation)
    budgeted: dict[str, int] = {}
    for line in params.budget:
        budgeted[line.recipient] = budgeted.get(line.recipient, 0) + line.amount
    for recipient, amount in budgeted.items():
        got = decided.get(recipient, 0)
        if got != amount:
            most = "upp till " if recipient in capped else ""
            ceiling = " (taket för rekvisition medräknat)" if recipient in capped else ""
            findings.append(
                Finding(
                    "info",
                    "decided-vs-budget",
                    f"{recipient} får {most}{kr(got)} enligt förslaget{ceiling} mot {kr(amount)} "
                    f"i budgeten ({kr(abs(got - amount))} {'mer' if got > amount else 'mindre'}).",
                    got - amount,
                )
            )
    return findings


def decided_by_recipient(allocation: Allocation) -> tuple[dict[str, int], set[str]]:
    """What the decision fixes per recipient, and who has a requisition ceiling in it.

    A requisition step whose requests come after the decision counts with its ceiling: the
    most the recipient can get. Whatever stage the allocation is at, "decided" is this one
    figure, so the memo and ``gnv check`` state the same amount (docs/parameters.md, "Budget").
    """
    decision = at_decision(allocation)
    capped = {
        line.recipient
        for i, pot in enumerate(decision.pots)
        for j, step in enumerate(pot.steps)
        if at_ceilings(allocation.plan, i, j)
        for line in step.lines
    }
    return decision.by_recipient(), capped


def check_national_frames(allocation: Allocation) -> list[Finding]:
    """The national frame as each source states it: parts against total, sources against each other.

    Example: Socialstyrelsen states 3 674 000 000 kr = 2 624 + 150 + 750 + 150 mnkr; Stockholm's
    2025 memo states 3 430 mnkr and frames of 2 626 + 300 + 750 mnkr (3 676 mnkr). Both
    differences are warnings with their amounts; neither figure is trusted over the other.
    """
    statements = allocation.plan.params.national_frames
    findings: list[Finding] = []
    for statement in statements:
        if statement.total is None or not statement.parts:
            continue
        parts_sum = sum(part.amount for part in statement.parts)
        diff = parts_sum - statement.total
        parts = " + ".join(kr(part.amount) for part in statement.parts)
        if diff:
            findings.append(
                Finding(
                    "warning",
                    "frame-parts-vs-total",
                    f"{statement.source} anger ramarna {parts} = {kr(parts_sum)}, men totalen "
                    f"{kr(statement.total)}: en skillnad på {kr(abs(diff))}.",
                    diff,
                )
            )
        else:
            findings.append(
                Finding(
                    "info",
                    "frame-parts-vs-total",
                    f"{statement.source}: ramarna {parts} summerar till totalen "
                    f"{kr(statement.total)}.",
                    0,
                )
            )
    for field_name, what in (("total", "den nationella totalen"), ("municipal", "kommunernas ram")):
        stated = [(s.source, getattr(s, field_name)) for s in statements]
        stated = [(source, amount) for source, amount in stated if amount is not None]
        for (first, a), (other, b) in itertools.pairwise(stated):
            if a != b:
                findings.append(
                    Finding(
                        "warning",
                        "frames-disagree",
                        f"Källorna anger olika belopp för {what}: {first} {kr(a)}, {other} "
                        f"{kr(b)} (skillnad {kr(abs(a - b))}).",
                        a - b,
                    )
                )
            else:
                findings.append(
                    Finding(
                        "info",
                        "frames-agree",
                        f"{first} och {other} anger samma belopp för {what}: {kr(a)}.",
                        0,
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
        + check_national_frames(allocation)
    )
    return sort_findings(findings)
