"""A step's own figures in the allocation memo, and what a step's split rests on.

``step_counts``: a step's recipients and an equal amount to each; ``requisition_step_figures``:
a requisition step's ceiling, requests and what was not requisitioned. ``step_rests_on_made_up``
and ``data_stage`` say whether a step's split rests on made-up rows and when the data it splits
by is known; ``known_stage`` when a requisition step's requests are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from gnvtools.core.figure_sources import yaml_cell
from gnvtools.core.figures import Catalogue, Stage, later

if TYPE_CHECKING:
    from gnvtools.core.model import Plan


def known_stage(spec: Any) -> Stage:
    """When a requisition step's requests are known (the parameter file may say)."""
    stage: Stage = getattr(spec, "stage", "rekvisition")
    return stage


def step_counts(
    cat: Catalogue, plan: Plan, name: str, step: Any, spec: Any, at: tuple[int, int]
) -> None:
    """A step's recipients (``<step>_antal_mottagare``: "var och en av de elva", "bland de
    elva som uppfyller villkoren") and, for an equal amount to each, that amount
    (``<step>_per_mottagare``: 800 000 kr, read from the parameter file)."""
    from gnvtools.core.allocation import RESERVE

    given = [line for line in step.lines if line.recipient != RESERVE]
    cat.add(
        f"{name}_antal_mottagare", len(given), "antal", "mottagare i steget", derived_from=[name]
    )
    if spec.kind == "each":
        cat.add(
            f"{name}_per_mottagare",
            spec.amount,
            "kr",
            "belopp till var och en i steget",
            stage=cat[name].stage,
            sources=[yaml_cell(plan.file, "pots", at[0], "steps", at[1], "amount")],
        )


def requisition_step_figures(
    cat: Catalogue, name: str, step: Any, before: list[str], made_up: bool, known: Stage
) -> None:
    """A requisition step's ceiling, requests, what was not requisitioned and the counts."""
    requested = sum(line.requested or 0 for line in step.lines)
    asked = sum(1 for line in step.lines if line.requested)
    cat.add(f"{name}_tak", step.target, "kr", "belopp som kunde rekvireras", derived_from=before)
    cat.add(
        f"{name}_begart",
        requested,
        "kr",
        "begärt i rekvisitionerna",
        stage=known,
        made_up=made_up,
    )
    cat.add(
        f"{name}_ej_rekvirerat",
        step.target - step.placed,
        "kr",
        "inte rekvirerat",
        derived_from=[f"{name}_tak", name],
    )
    cat.add(
        f"{name}_antal_rekvirerande",
        asked,
        "antal",
        "mottagare som rekvirerade",
        stage=known,
        made_up=made_up,
    )
    cat.add(f"{name}_antal_mottagare", len(step.lines), "antal", "möjliga mottagare")


def step_rests_on_made_up(plan: Plan, pot_index: int, step_index: int) -> bool:
    """Whether a step's split rests on made-up rows (its keys or requests are made up).

    The step's total may still be real (a key step always places its whole amount); the
    amounts per recipient are not. The memo marks such a step's table.
    """
    spec = plan.params.pots[pot_index].steps[step_index]
    return step_illustrative(spec, plan.recipients, made_up_groups(plan))


def data_stage(plan: Plan, pot_index: int, step_index: int) -> Stage:
    """When the recipient data a key splits by becomes known (the group's ``stage``).

    Only a split by key reads the data; a fixed or equal amount to a name does not.
    """
    spec = plan.params.pots[pot_index].steps[step_index]
    keyed = spec.kind in ("key", "requisition") or (
        spec.kind == "remainder" and spec.split == "key"
    )
    selection = getattr(spec, "recipients", None)
    if not keyed or selection is None:
        return "beslut"
    names = selection if isinstance(selection, list) else []
    groups = {selection.group} if not names else {plan.recipients[n].group for n in names}
    stage: Stage = "beslut"
    for group in groups:
        table = plan.groups.get(group)
        if table is not None:
            stage = later(stage, table.spec.stage)
    return stage


def made_up_groups(plan: Plan) -> set[str]:
    return {g for g, t in plan.groups.items() if t.spec.illustrative}


def step_illustrative(spec: Any, recipients: Mapping[str, Any], groups: set[str]) -> bool:
    """A step rests on made-up data when it splits by a key or requests over made-up rows."""
    if spec.kind not in ("key", "requisition") and not (
        spec.kind == "remainder" and spec.split == "key"
    ):
        return False
    selection = spec.recipients
    if selection is None:
        return False
    if isinstance(selection, list):
        return any(recipients[n].group in groups for n in selection if n in recipients)
    return bool(selection.group in groups)
