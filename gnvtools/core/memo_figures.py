"""The allocation memo's figures: received, components, pots, steps and recipients.

The catalogue type itself is ``gnvtools.core.figures``; the follow-up's figures are in
``gnvtools.core.yearend``, the multi-year report's in ``gnvtools.core.multiyear``. A step's
own figures and what its split rests on are in ``memo_steps``; the figures read straight from
the parameter file in ``memo_inputs``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from gnvtools.core.figure_sources import yaml_cell
from gnvtools.core.figures import Catalogue, Stage, later, slug
from gnvtools.core.memo_inputs import document_figures, received_figures
from gnvtools.core.memo_sources import recipient_sources, step_sources
from gnvtools.core.memo_steps import (
    data_stage,
    known_stage,
    made_up_groups,
    requisition_step_figures,
    step_counts,
    step_illustrative,
    step_rests_on_made_up,
)
from gnvtools.core.table_figures import (
    decision_figures,
    frame_figures,
    received_shares,
    step_line_figures,
)

if TYPE_CHECKING:
    from gnvtools.core.model import Allocation
    from gnvtools.core.reconciliation import Finding

__all__ = [  # this module's own names and those imported from here
    "allocation_figures",
    "at_decision",
    "step_rests_on_made_up",
]


def at_decision(allocation: Allocation) -> Allocation:
    from gnvtools.core.model import at_decision as decided

    return decided(allocation)


def allocation_figures(
    allocation: Allocation,
    findings: list[Finding],
    *,
    stage: Stage | None = None,
    frames: Collection[int] | None = None,
    checked_at: Stage | None = None,
) -> Catalogue:
    """The figures of a year's allocation: received, components, pots, steps, recipients.

    With ``stage`` (the memo: ``beslut``) the catalogue holds only what is known at that stage,
    and ``findings`` are that stage's checks: their counts belong to it. ``frames``: the
    national frame statements the document may cite (never its own, never a later one).
    ``checked_at``: when ``findings`` were made, when another document's checks are counted
    (the follow-up's at ``uppföljning``); their counts ``antal_fel``/``antal_varningar`` belong
    to that stage.
    """
    cat = Catalogue()
    document_figures(cat, allocation.plan.file)
    sources = received_figures(cat, allocation.plan.file)
    received_shares(cat, [n[0] for k, n in sources.items() if k.startswith("component:")])
    frame_figures(cat, allocation, frames)
    pots = [_pot_figures(cat, allocation, i, sources) for i in range(len(allocation.pots))]
    cat.add_sum("fordelat", [n["fordelat"] for n in pots], "fördelat till mottagare, alla medel")
    cat.add_sum("ofordelat", [n["ofordelat"] for n in pots], "inte fördelat, alla medel")
    cat.add_sum("medel_totalt", [n["medel"] for n in pots], "alla medel")
    pot_sources = allocation.plan.pot_sources
    grant = [
        names["fordelat"]
        for pot, names in zip(allocation.pots, pots, strict=True)
        if not pot_sources[pot.pot.name].startswith("carry-over")
    ]
    cat.add_sum("fordelat_statsbidrag", grant, "fördelat till mottagare av årets statsbidrag")
    if sources["carry-over"]:
        cat.add_sum(
            "kvarvarande_totalt", sources["carry-over"], "kvarvarande medel från tidigare år"
        )
    _recipient_figures(cat, allocation)
    _budget_figures(cat, allocation, sources["carry-over"])
    # The checks run over the whole allocation: they are as late as its latest figure.
    last: Stage = "beslut"
    for figure in cat.values():
        last = later(last, figure.stage)
    if stage is not None:
        cat = cat.up_to(stage)
        last = stage
        decision_figures(cat, at_decision(allocation), _made_up_recipients(allocation))
    if checked_at is not None:
        last = later(last, checked_at)
    _check_counts(cat, findings, last)
    return cat


def _budget_figures(cat: Catalogue, allocation: Allocation, carry_over: list[str]) -> None:
    """What the budget counted on, and that minus the money received and carried over."""
    params = allocation.plan.params
    if not params.budget:
        return
    budget = sum(line.amount for line in params.budget)
    funds = params.received.total + sum(c.amount for c in params.carry_over)
    lines = [
        yaml_cell(allocation.plan.file, "budget", i, "amount") for i in range(len(params.budget))
    ]
    cat.add("budget", budget, "kr", "det budgeten räknade med", stage="underlag", sources=lines)
    cat.add(
        "budget_mot_mottaget",
        budget - funds,
        "kr",
        "budget minus mottagna medel",
        derived_from=["budget", "mottaget", *carry_over],
    )


def _check_counts(cat: Catalogue, findings: list[Finding], last: Stage) -> None:
    """``antal_fel`` and ``antal_varningar``: the findings' errors and warnings, at ``last``."""
    errors = sum(1 for f in findings if f.level == "error")
    cat.add("antal_fel", errors, "antal", "fel", stage=last)
    warnings = sum(1 for f in findings if f.level == "warning")
    cat.add("antal_varningar", warnings, "antal", "varningar", stage=last)


def _pot_figures(
    cat: Catalogue, allocation: Allocation, index: int, sources: Mapping[str, list[str]]
) -> dict[str, str]:
    """A pot's amount, its steps and what it placed; returns the names of its main figures."""
    from gnvtools.core.allocation import RESERVE

    plan = allocation.plan
    pot = allocation.pots[index]
    spec = plan.params.pots[index]
    part = slug(pot.pot.name)
    # A pot without its own amount takes its source's whole amount: derived from that figure.
    source = [] if spec.amount is not None else sources.get(plan.pot_sources[pot.pot.name], [])
    medel = cat.add(
        f"medel_{part}",
        pot.pot.amount,
        "kr",
        f"{pot.pot.name}: belopp att fördela",
        derived_from=source,
        sources=[] if spec.amount is None else [yaml_cell(plan.file, "pots", index, "amount")],
    ).name
    steps: list[str] = []
    for step_index in range(len(pot.steps)):
        steps.append(_step_figures(cat, allocation, (index, step_index), [medel, *steps]))
    reserve = sum(line.amount for line in pot.lines if line.recipient == RESERVE)
    placed = cat.add(
        f"medel_{part}_fordelat",
        pot.placed - reserve,
        "kr",
        f"{pot.pot.name}: fördelat till mottagare",
        derived_from=steps,
    ).name
    unplaced = cat.add(
        f"medel_{part}_ofordelat",
        pot.unplaced + reserve,
        "kr",
        f"{pot.pot.name}: inte fördelat (reserv och återstod)",
        derived_from=[medel, placed],
    ).name
    return {"medel": medel, "fordelat": placed, "ofordelat": unplaced}


def _step_figures(
    cat: Catalogue, allocation: Allocation, at: tuple[int, int], earlier: list[str]
) -> str:
    """A step's figure (``medel_<pot>_steg_<n>``), its own figures and its lines; returns its
    name. ``at``: the pot's and the step's index; ``earlier``: the pot's amount and the
    figures of the steps before it."""
    plan = allocation.plan
    pot = allocation.pots[at[0]]
    step = pot.steps[at[1]]
    step_spec = plan.params.pots[at[0]].steps[at[1]]
    # A requisition's total depends on the requests; a key step always places its amount.
    made_up = step.kind == "requisition" and step_illustrative(
        step_spec, plan.recipients, made_up_groups(plan)
    )
    # "rest" and the remainder take what the earlier steps left: derived from them.
    takes_rest = step_spec.kind == "remainder" or getattr(step_spec, "amount", None) == "rest"
    before = earlier if takes_rest else []
    requisition = step.kind == "requisition"
    name = cat.add(
        f"medel_{slug(pot.pot.name)}_steg_{at[1] + 1}",
        step.placed,
        "kr",
        f"{pot.pot.name}, steg {at[1] + 1} ({step.step})",
        stage=known_stage(step_spec) if requisition else "beslut",
        derived_from=before,
        made_up=made_up,
        sources=step_sources(plan, *at),
    ).name
    if requisition:
        requisition_step_figures(cat, name, step, before, made_up, known_stage(step_spec))
    else:
        step_counts(cat, plan, name, step, step_spec, at)
    step_line_figures(cat, step, name, step_rests_on_made_up(plan, *at))
    return name


def _recipient_figures(cat: Catalogue, allocation: Allocation) -> None:
    """Each recipient's total over all pots; as late and as made up as the steps that gave it."""
    from gnvtools.core.allocation import RESERVE

    totals: dict[str, int] = {}
    gave: dict[str, list[tuple[int, int]]] = {}
    step_names: dict[str, list[str]] = {}
    stages: dict[str, Stage] = {}
    made_up: dict[str, bool] = {}
    for pot_index, pot in enumerate(allocation.pots):
        part = slug(pot.pot.name)
        for step_index, step in enumerate(pot.steps, start=1):
            step_figure = cat.get(f"medel_{part}_steg_{step_index}")
            split_made_up = step_rests_on_made_up(allocation.plan, pot_index, step_index - 1)
            for line in step.lines:
                if line.recipient == RESERVE:
                    continue
                who = line.recipient
                totals[who] = totals.get(who, 0) + line.amount
                gave.setdefault(who, []).append((pot_index, step_index - 1))
                made_up[who] = made_up.get(who, False) or split_made_up
                data = data_stage(allocation.plan, pot_index, step_index - 1)
                stages[who] = later(stages.get(who, "beslut"), data)
                if step_figure is not None:
                    step_names.setdefault(who, []).append(step_figure.name)
                    stages[who] = later(stages[who], step_figure.stage)
                    made_up[who] = made_up[who] or step_figure.illustrative
    names = []
    for who, amount in totals.items():
        names.append(
            cat.add(
                f"mottagare_{slug(who)}",
                amount,
                "kr",
                f"fördelat till {who}",
                stage=stages.get(who, "beslut"),
                made_up=made_up.get(who, False),
                derived_from=step_names.get(who, []),
                decided=True,
                sources=recipient_sources(allocation.plan, who, gave.get(who, [])),
            ).name
        )
    count = sum(1 for v in totals.values() if v)
    cat.add("antal_mottagare", count, "antal", "mottagare med medel", derived_from=names)


def _made_up_recipients(allocation: Allocation) -> list[set[str]]:
    """Per pot, the recipients a step gave money by splitting over made-up rows."""
    return [
        {
            line.recipient
            for s, step in enumerate(pot.steps)
            if step_rests_on_made_up(allocation.plan, p, s)
            for line in step.lines
        }
        for p, pot in enumerate(allocation.pots)
    ]
