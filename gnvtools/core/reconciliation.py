"""Checks that make every difference visible: findings with a level, a code and the amount.

A finding never corrects anything. It says, in Swedish, what does not add up and by how much;
the reports list them all and ``gnv check`` exits 1 when any is at error level. Checks that
pass are recorded as ``info`` findings, so a report can show what was verified.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from typing import Any, Literal

from gnvtools.core.allocation import RESERVE
from gnvtools.core.figures import Precision, amount_text
from gnvtools.core.formatting import capitalise, kr
from gnvtools.core.model import Allocation, at_ceilings, at_decision

Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info")
LEVEL_NAMES = {"error": "fel", "warning": "varning", "info": "upplysning"}
#: Earlier names of a code, still written beside it (``aliases`` in JSON) for one release so a
#: script that looks for the old name finds it (docs/findings.md).
CODE_ALIASES: dict[str, tuple[str, ...]] = {"rows-vs-reported": ("details-vs-reported",)}


@dataclass(frozen=True)
class Finding:
    """One check result. ``amount`` is the difference in whole kronor, when there is one."""

    level: Level
    code: str
    message: str
    amount: int | None = None
    #: The finding rests on made-up example data (its message says so too).
    illustrative: bool = False

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = asdict(self)
        if self.code in CODE_ALIASES:
            data["aliases"] = list(CODE_ALIASES[self.code])
        return data


def has_errors(findings: list[Finding]) -> bool:
    return any(f.level == "error" for f in findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; otherwise in the order the checks ran."""
    return sorted(findings, key=lambda f: LEVELS.index(f.level))


def check_components(allocation: Allocation) -> list[Finding]:
    received = allocation.plan.params.received
    if received.total == 0:
        return [
            Finding(
                "warning",
                "received-zero",
                "Mottaget belopp är 0 kr; ange received.total i parameterfilen.",
                0,
            )
        ]
    if not received.components:
        return []
    total = sum(c.amount for c in received.components)
    parts = " + ".join(amount_text(c.amount, _precision(c)) for c in received.components)
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
            f"Delbeloppen {parts} summerar till mottaget belopp "
            f"{amount_text(received.total, source_precision(allocation.plan.params, 'received'))}.",
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
    pots_of: dict[str, list[str]] = {}
    for pot in plan.pots:
        pots_of.setdefault(plan.pot_sources[pot.name], []).append(pot.name)
    for source, amount in available.items():
        if source == "received" and drawn_from_components and source not in used:
            continue
        if source.startswith("component:") and not drawn_from_components:
            continue
        in_pots = used.get(source, 0)
        label = _source_label(source)
        diff = in_pots - amount
        stated = amount_text(amount, source_precision(params, source))
        if diff > 0:
            findings.append(
                Finding(
                    "error",
                    "pots-exceed-source",
                    f"Fördelningen tar {kr(in_pots)} ur {label}, som bara är {kr(amount)}: "
                    f"{kr(diff)} för mycket.",
                    diff,
                )
            )
        elif diff < 0:
            findings.append(
                Finding(
                    "warning",
                    "source-not-in-pots",
                    f"Av {label} ({stated}) ingår {kr(-diff)} inte i fördelningen.",
                    -diff,
                )
            )
        elif len(pots_of.get(source, [])) > 1:
            # With one pot, that pot's own row says it (placed in full, or what is not yet).
            findings.append(
                Finding(
                    "info",
                    "pots-vs-source",
                    f"{capitalise(label)}, {stated}, ligger i sin helhet i potterna "
                    f"{_names(pots_of[source])}.",
                    0,
                )
            )
    return findings


def _names(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " och " + names[-1] if len(names) > 1 else "".join(names)


def source_precision(params: Any, source: str) -> Precision:
    """How exactly the parameter file states a source of money (``precision``, default
    ``exakt``): the carry-over "cirka 10,7 mnkr" is printed as the source says it."""
    if source.startswith("carry-over:"):
        year = source.partition(":")[2]
        found = [c for c in params.carry_over if str(c.year) == year]
        return _precision(found[0]) if found else "exakt"
    if source.startswith("component:"):
        name = source.partition(":")[2]
        found = [c for c in params.received.components if c.name == name]
        return _precision(found[0]) if found else "exakt"
    rough = [_precision(c) for c in params.received.components if _precision(c) != "exakt"]
    return rough[0] if rough else _precision(params.received)


def _precision(spec: Any) -> Precision:
    value: Precision = getattr(spec, "precision", "exakt") or "exakt"
    return value


def _pot_precision(allocation: Allocation, name: str) -> Precision:
    """A pot is as exact as its amount: its own (exact) or its source's whole amount."""
    plan = allocation.plan
    spec = next((p for p in plan.params.pots if p.name == name), None)
    if spec is None or spec.amount is not None:
        return "exakt"
    return source_precision(plan.params, plan.pot_sources[name])


def _source_label(source: str) -> str:
    if source == "received":
        return "mottaget statsbidrag"
    kind, _, name = source.partition(":")
    if kind == "carry-over":
        return f"kvarvarande medel från {name}"
    return f"delbeloppet {name[:1].lower() + name[1:]}"  # a component name, mid-sentence


def check_pots(allocation: Allocation) -> list[Finding]:
    findings: list[Finding] = []
    for pot in allocation.pots:
        name = pot.pot.name
        has = amount_text(pot.pot.amount, _pot_precision(allocation, name))
        mid = name[:1].lower() + name[1:]  # a pot's name inside a sentence
        exceeding = [s for s in pot.steps if s.target > max(s.available, 0)]
        for step in exceeding:
            left = max(step.available, 0)
            findings.append(
                Finding(
                    "error",
                    "step-exceeds-pot",
                    f"Steget {step.step} i {mid} ska fördela {kr(step.target)}, men bara "
                    f"{kr(left)} återstår: {kr(step.target - left)} för mycket. Beloppet "
                    "får inte vara större än det som finns kvar (skriv rest för resten).",
                    step.target - left,
                )
            )
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
