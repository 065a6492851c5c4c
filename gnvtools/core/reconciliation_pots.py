"""Checks of each pot: a step that takes more than is left, a pot overdrawn or not placed in
full, its reserve, and what a requisition step's recipients did not requisition.
"""

from __future__ import annotations

from gnvtools.core.allocation import RESERVE, PotResult, StepResult
from gnvtools.core.figures import Precision, amount_text
from gnvtools.core.formatting import kr
from gnvtools.core.model import Allocation
from gnvtools.core.reconciliation_findings import Finding
from gnvtools.core.reconciliation_sources import source_precision


def check_pots(allocation: Allocation) -> list[Finding]:
    """Per pot: its steps against what is left, its balance, its reserve, its requisitions."""
    findings: list[Finding] = []
    for pot in allocation.pots:
        has = amount_text(pot.pot.amount, _pot_precision(allocation, pot.pot.name))
        findings += _pot_balance(pot, has)
        findings += _unclaimed(pot)
    return findings


def _mid(name: str) -> str:
    return name[:1].lower() + name[1:]  # a pot's name inside a sentence


def _pot_balance(pot: PotResult, has: str) -> list[Finding]:
    """Steps that take more than is left, else the pot overdrawn or not placed in full; then
    its reserve, or that it is placed in full. ``has``: the pot's amount as the source says it."""
    name = pot.pot.name
    mid = _mid(name)
    exceeding = [s for s in pot.steps if s.target > max(s.available, 0)]
    findings = [_step_exceeds(step, mid) for step in exceeding]
    if pot.unplaced < 0 and exceeding:
        pass  # the step that overdraws is named above; the same money is not reported twice
    elif pot.unplaced < 0:
        findings.append(
            Finding(
                "error",
                "pot-overdrawn",
                f"Stegen för {mid} fördelar {kr(pot.placed)}, {kr(-pot.unplaced)} mer "
                f"än de {has} som finns.",
                pot.unplaced,
            )
        )
    elif pot.unplaced > 0:
        findings.append(
            Finding(
                "warning",
                "pot-unplaced",
                f"Av {mid} ({has}) är {kr(pot.unplaced)} ännu inte fördelade.",
                pot.unplaced,
            )
        )
    reserve = sum(line.amount for line in pot.lines if line.recipient == RESERVE)
    if reserve:
        findings.append(
            Finding(
                "info",
                "pot-reserve",
                f"Av {mid} ({has}) går {kr(pot.placed - reserve)} till "
                f"mottagare och {kr(reserve)} hålls som ofördelad reserv.",
                reserve,
            )
        )
    elif pot.unplaced == 0:
        findings.append(
            Finding(
                "info",
                "pot-placed",
                f"{name} ({has}) fördelas i sin helhet.",
                0,
            )
        )
    return findings


def _step_exceeds(step: StepResult, mid: str) -> Finding:
    left = max(step.available, 0)
    return Finding(
        "error",
        "step-exceeds-pot",
        f"Steget {step.step} i {mid} ska fördela {kr(step.target)}, men bara "
        f"{kr(left)} återstår: {kr(step.target - left)} för mycket. Beloppet "
        "får inte vara större än det som finns kvar (skriv rest för resten).",
        step.target - left,
    )


def _unclaimed(pot: PotResult) -> list[Finding]:
    """Each requisition step that granted less than its ceiling: what was not requisitioned."""
    findings = []
    for step in pot.steps:
        if step.kind == "requisition" and step.placed < step.target:
            unclaimed = step.target - step.placed
            requested = sum(line.requested or 0 for line in step.lines)
            findings.append(
                Finding(
                    "info",
                    "requisition-unclaimed",
                    f"I steget {step.step} begärdes {kr(requested)} och beviljades "
                    f"{kr(step.placed)} av taken {kr(step.target)}; {kr(unclaimed)} "
                    "rekvirerades inte.",
                    unclaimed,
                )
            )
    return findings


def _pot_precision(allocation: Allocation, name: str) -> Precision:
    """A pot is as exact as its amount: its own (exact) or its source's whole amount."""
    plan = allocation.plan
    spec = next((p for p in plan.params.pots if p.name == name), None)
    if spec is None or spec.amount is not None:
        return "exakt"
    return source_precision(plan.params, plan.pot_sources[name])
