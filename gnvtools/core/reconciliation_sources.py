"""Checks of the money coming in: the components against the received total, and each source
(the grant, a component, a carry-over) against the pots that use it.

``source_precision`` says how exactly the parameter file states a source, so a finding prints
"cirka 10,7 mnkr" where the source says so.
"""

from __future__ import annotations

from typing import Any

from gnvtools.core.figures import Precision, amount_text
from gnvtools.core.formatting import capitalise, kr
from gnvtools.core.memo_inputs import precision_of
from gnvtools.core.model import Allocation
from gnvtools.core.reconciliation_findings import Finding


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
    parts = " + ".join(amount_text(c.amount, precision_of(c)) for c in received.components)
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
        return precision_of(found[0]) if found else "exakt"
    if source.startswith("component:"):
        name = source.partition(":")[2]
        found = [c for c in params.received.components if c.name == name]
        return precision_of(found[0]) if found else "exakt"
    rough = [precision_of(c) for c in params.received.components if precision_of(c) != "exakt"]
    return rough[0] if rough else precision_of(params.received)


def _source_label(source: str) -> str:
    if source == "received":
        return "mottaget statsbidrag"
    kind, _, name = source.partition(":")
    if kind == "carry-over":
        return f"kvarvarande medel från {name}"
    return f"delbeloppet {name[:1].lower() + name[1:]}"  # a component name, mid-sentence
