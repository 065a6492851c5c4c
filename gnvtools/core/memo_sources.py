"""The input cells and rules behind the allocation memo's figures (``memo_figures``).

A step that splits by a key reads the key's columns of its recipient group's data file, over
all rows or the step's ``where`` filter; a requisition step also reads the requests file's
``amount`` column and applies its rule (the step's ``rule_source``: ``source-id, section``). A
recipient's total reads its own row of those columns.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from gnvtools.core.figure_sources import (
    ALL_ROWS,
    FigureSource,
    InputCell,
    RuleSource,
    table_cell,
    where_text,
    yaml_cell,
)

if TYPE_CHECKING:
    from gnvtools.core.model import Plan


def _keyed(spec: Any) -> bool:
    return bool(
        spec.kind in ("key", "requisition") or (spec.kind == "remainder" and spec.split == "key")
    )


def _groups(plan: Plan, spec: Any) -> list[str]:
    selection = getattr(spec, "recipients", None)
    if selection is None:
        return []
    if isinstance(selection, list):
        found = [plan.recipients[n].group for n in selection if n in plan.recipients]
        return list(dict.fromkeys(found))
    return [selection.group]


def _key_columns(spec: Any) -> list[str]:
    columns = list((getattr(spec, "key", None) or {}).keys())
    weight_by = getattr(spec, "weight_by", None)
    if weight_by is not None:
        columns.append(weight_by.column)
    return columns


def _data_file(plan: Plan, group: str) -> tuple[str, str]:
    table = plan.groups[group].table
    return str(table.path), table.sheet or ""


def rule_of(spec: Any, rule_id: str) -> list[FigureSource]:
    """The rule a step applies when it names its source (``rule_source: id, section``)."""
    written = getattr(spec, "rule_source", "") or ""
    if not written:
        return []
    source, _, section = written.partition(",")
    return [RuleSource(rule_id, source.strip(), section.strip())]


def step_sources(plan: Plan, pot_index: int, step_index: int) -> list[FigureSource]:
    """What a step's total reads: its amount in the parameter file, the key columns summed over
    its rows, the requests file, and the rule it applies."""
    spec = plan.params.pots[pot_index].steps[step_index]
    loc = ("pots", pot_index, "steps", step_index)
    out: list[FigureSource] = []
    amount = getattr(spec, "amount", None)
    if spec.kind == "fixed":
        out += [yaml_cell(plan.file, *loc, "amounts", name) for name in spec.amounts]
    elif isinstance(amount, int):
        out.append(yaml_cell(plan.file, *loc, "amount"))
    if _keyed(spec):
        selection = getattr(spec, "recipients", None)
        rows = where_text(getattr(selection, "where", []) or [])
        if isinstance(selection, list):
            rows = ", ".join(selection)
        for group in _groups(plan, spec):
            path, sheet = _data_file(plan, group)
            out += [table_cell(path, sheet, rows, col) for col in _key_columns(spec)]
    if spec.kind == "requisition":
        out.append(requests_cell(plan, spec, ALL_ROWS))
    out += rule_of(spec, ".".join(str(p) for p in loc))
    return out


def requests_cell(plan: Plan, spec: Any, row: str) -> InputCell:
    shown = Path(plan.file.shown or plan.file.path).parent / spec.requests
    return table_cell(shown.as_posix(), None, row, "amount")


def recipient_sources(plan: Plan, who: str, steps: list[tuple[int, int]]) -> list[FigureSource]:
    """The cells a recipient's total reads: its row of each key column of the steps that gave
    it money by key, its row of a requests file, and the fixed amounts named for it."""
    out: list[FigureSource] = []
    recipient = plan.recipients.get(who)
    for pot_index, step_index in steps:
        spec = plan.params.pots[pot_index].steps[step_index]
        loc = ("pots", pot_index, "steps", step_index)
        if spec.kind == "fixed" and who in spec.amounts:
            out.append(yaml_cell(plan.file, *loc, "amounts", who))
        elif spec.kind == "each":
            out.append(yaml_cell(plan.file, *loc, "amount"))
        if _keyed(spec) and recipient is not None:
            path, sheet = _data_file(plan, recipient.group)
            out += [table_cell(path, sheet, who, col) for col in _key_columns(spec)]
        if spec.kind == "requisition":
            out.append(requests_cell(plan, spec, who))
    return list(dict.fromkeys(out))
