"""The year's requisitions file: who requisitioned what, checked against the requisition steps.

A row may name only a recipient of one of the year's requisition steps: a row for anyone else
names money no step lets that recipient requisition, and the file is refused with its row
(``InputError``). A row above what the steps let the recipient have (its ceiling, or what the
steps granted it when redistribution gave more) is a ``requisitioned-above-ceiling`` error
finding, see ``above_ceiling``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gnvtools.core.allocation import StepResult
from gnvtools.core.figures import slug
from gnvtools.core.model import Plan, unknown_recipient
from gnvtools.core.params import FollowupSpec
from gnvtools.core.regimes import join_words
from gnvtools.core.tables import check_unique, parse_amount, read_table
from gnvtools.errors import InputError


def load_requisitions(plan: Plan, name: str, steps: Sequence[StepResult]) -> dict[str, int]:
    """The file's ``recipient, amount`` rows; a recipient in no requisition step is refused."""
    resolved, shown = plan.file.data_path(name)
    table = read_table(resolved, display=shown)
    table.require("recipient", "amount")
    check_unique(table, "recipient", [(r, row["recipient"]) for r, row in table.numbered()])
    open_to = {line.recipient for step in steps for line in step.lines}
    out: dict[str, int] = {}
    for row_no, row in table.numbered():
        who = row["recipient"]
        problem = None
        if who not in plan.recipients:
            problem = unknown_recipient(who, plan.recipients)
        elif who not in open_to:
            problem = _outside(who, steps)
        if problem:
            raise InputError(problem, file=table.path, row=row_no, column="recipient")
        out[who] = parse_amount(row["amount"], file=table.path, row=row_no, column="amount")
    return out


def _outside(who: str, steps: Sequence[StepResult]) -> str:
    if not steps:
        return (
            f'"{who}" har en rad i rekvisitionsfilen, men årets potter har inget '
            "rekvisitionssteg; ta bort filen (followup.requisitions) eller raden"
        )
    names = join_words([f'"{s.step}"' for s in steps])
    word = "steget" if len(steps) == 1 else "stegen"
    return (
        f'"{who}" har en rad i rekvisitionsfilen men ingår inte i något rekvisitionssteg '
        f"({word} {names}); en mottagare utan rekvisitionssteg kan inte rekvirera"
    )


def step_limits(steps: Sequence[StepResult]) -> dict[str, int]:
    """What the steps let each recipient have: the larger of its ceiling and its grant."""
    limits: dict[str, int] = {}
    for step in steps:
        for line in step.lines:
            own = max(line.ceiling or 0, line.amount)
            limits[line.recipient] = limits.get(line.recipient, 0) + own
    return limits


def requisition_figures(
    plan: Plan, steps: Sequence[StepResult], spec: FollowupSpec, figure: Any
) -> tuple[bool, dict[str, int]]:
    """Fill each recipient's requisitioned amount and ceiling; return whether the year has a
    requisition at all and what each recipient asked for.

    Only a recipient of a requisition step has a requisitioned amount (a requisitions file
    may name no one else); the others (fixed amounts, shares by key) keep ``None``.
    """
    asked: dict[str, int] = {}
    for step in steps:
        for line in step.lines:
            f = figure(line.recipient)
            f.requisitioned = (f.requisitioned or 0) + line.amount
            f.granted += line.amount
            f.ceiling = (f.ceiling or 0) + (line.ceiling or 0)
            asked[line.recipient] = asked.get(line.recipient, 0) + (line.requested or 0)
    if spec.requisitions:
        requested = load_requisitions(plan, spec.requisitions, steps)
        for name, limit in step_limits(steps).items():
            figure(name).step_limit = limit
        for name in asked:  # the file replaces the steps' figures; absent from it: nothing
            figure(name).requisitioned = 0
        for name, amount in requested.items():
            figure(name).requisitioned = amount
        asked = {name: requested.get(name, 0) for name in asked} | requested
    return bool(steps) or spec.requisitions is not None, asked


@dataclass(frozen=True)
class AboveCeiling:
    """A recipient a requisition step granted more than its ceiling: money others left
    within their ceilings, passed on by the step's redistribution. ``step_name`` is the step's
    figure-name stem (``medel_statsbidrag_2025_steg_1``)."""

    pot: str
    step: str
    step_name: str
    recipient: str
    granted: int
    ceiling: int


def above_ceilings(pots: Sequence[Any]) -> list[AboveCeiling]:
    """Every requisition line of ``pots`` (the year's ``PotResult``s) granted above its
    ceiling: 6 500 000 kr to Norra innerstaden against a ceiling of 6 178 073 kr."""
    out = []
    for pot in pots:
        for index, step in enumerate(pot.steps, start=1):
            if step.kind != "requisition":
                continue
            stem = f"medel_{slug(pot.pot.name)}_steg_{index}"
            for line in step.lines:
                if line.ceiling is not None and line.amount > line.ceiling:
                    out.append(
                        AboveCeiling(
                            pot.pot.name, step.step, stem, line.recipient, line.amount, line.ceiling
                        )
                    )
    return out
