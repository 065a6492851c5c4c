"""From a parameter file to an allocation: load the data, resolve recipients, run the pots.

This is the edge between files and the pure engine in ``gnvtools.core.allocation``. Every reference
(recipient, group, column, data file) is checked here, and a bad one raises an error that names
the parameter file and its line, or the data file with its row and column.

Here are the plan and its allocation, built once per process; the work is done by the modules
this one names:

- ``model_files``: the parameter file with its lines (``ParamFile``), data files kept inside
  the allowed folders (``confine``);
- ``model_data``: a recipient group's table and a requisition step's requests;
- ``model_builder``: the plan's building steps: recipients, references checked, pots and steps;
- ``model_keys``: a group's recipients and the keys built from them (the work that grows with
  the rows).

Every name is importable from here, as before the split.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from gnvtools.core import allocation as engine
from gnvtools.core import options, reuse
from gnvtools.core import params as p
from gnvtools.core.bulk import collector_paused
from gnvtools.core.model_builder import PlanBuilder
from gnvtools.core.model_data import load_group, load_requests, unknown_recipient
from gnvtools.core.model_files import ParamFile, allowed_roots, confine, open_params
from gnvtools.core.model_keys import Recipient, RecipientTable

__all__ = [  # this module's own names and those imported from here
    "Allocation",
    "ParamFile",
    "Plan",
    "PlanBuilder",
    "Recipient",
    "RecipientTable",
    "allocate",
    "allowed_roots",
    "at_ceilings",
    "at_decision",
    "build_plan",
    "confine",
    "load_group",
    "load_requests",
    "open_params",
    "plan_files",
    "unknown_recipient",
]


@dataclass
class Plan:
    """Everything a year's allocation needs, loaded and checked."""

    file: ParamFile
    groups: dict[str, RecipientTable]
    recipients: dict[str, Recipient]
    pots: list[engine.Pot]
    pot_sources: dict[str, str]
    data_files: list[Path] = field(default_factory=list)

    @property
    def params(self) -> p.Params:
        return self.file.params


@dataclass
class Allocation:
    plan: Plan
    pots: list[engine.PotResult]

    @property
    def lines(self) -> list[engine.Line]:
        return [line for pot in self.pots for line in pot.lines]

    def by_recipient(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for line in self.lines:
            totals[line.recipient] = totals.get(line.recipient, 0) + line.amount
        return totals


_PLANS = reuse.cache(8)  # plans built by this process, reused while their files are unchanged
_ALLOCATIONS = reuse.cache(8)  # the allocation of each of those plans


def build_plan(path: Path | str, *, shown: str | None = None) -> Plan:
    """Load and check a year's parameter file and all data it points to.

    Built once per process while the parameter file and every data file it read are unchanged
    (``core.reuse``): a report's notebook forked from ``gnv render`` gets the plan that
    ``gnv render`` checked. The key holds the path as given with the working folder (a plan
    keeps its paths as given) and the data folders allowed (``options``)."""
    key = (
        "plan",
        str(Path(path).resolve()),
        str(path),
        shown,
        str(Path.cwd()),
        options.current().data_roots,
    )
    kept = _PLANS.get(key)
    if kept is not None:
        plan: Plan = kept
        return plan
    with reuse.recording() as files, collector_paused():  # a bulk of rows and recipients
        plan = _build_plan(path, shown)
    _PLANS.put(key, files, plan)
    return plan


def _build_plan(path: Path | str, shown: str | None) -> Plan:
    file = open_params(path, shown=shown)
    builder = PlanBuilder(file)
    builder.load_recipients()
    builder.check_areas()
    builder.check_budget()
    pots, sources = builder.pots()
    return Plan(file, builder.groups, builder.recipients, pots, sources, builder.data_files)


def plan_files(plan: Plan) -> list[Path]:
    """The files a year's plan reads: the parameter file, recipient data, requests, spend."""
    files = [plan.file.path, *plan.data_files]
    if plan.params.texts:
        files.append(plan.file.data_path(plan.params.texts)[0])
    if plan.params.rules:  # the organisation's own readings
        files.append(plan.file.data_path(plan.params.rules)[0])
    spec = plan.params.followup
    if spec is not None:
        files.append(plan.file.data_path(spec.spend)[0])
        if spec.requisitions:
            files.append(plan.file.data_path(spec.requisitions)[0])
        if spec.texts:
            files.append(plan.file.data_path(spec.texts)[0])
    return files


def allocate(plan: Plan) -> Allocation:
    """The plan's allocation: computed once per plan object (``build_plan`` reuses plans)."""
    key = ("allocation", id(plan))
    kept = _ALLOCATIONS.get(key)
    if kept is not None and kept.plan is plan:
        return kept  # type: ignore[no-any-return]
    with collector_paused():  # a bulk of lines
        result = Allocation(plan, [engine.run_pot(pot) for pot in plan.pots])
    _ALLOCATIONS.put(key, (), result)
    return result


def at_ceilings(plan: Plan, pot_index: int, step_index: int) -> bool:
    """Whether the decision knows a requisition step only by its ceilings: its requests come
    after the decision (``stage: rekvisition``, the default). With ``stage: beslut`` the
    requests were in when the decision was taken, and the decision states the grants."""
    spec = plan.params.pots[pot_index].steps[step_index]
    return spec.kind == "requisition" and spec.stage not in ("underlag", "beslut")


def at_decision(allocation: Allocation) -> Allocation:
    """The allocation as the decision knows it: a requisition step whose requests come after
    the decision at its ceilings; one with ``stage: beslut`` at its grants.

    At the decision nobody has requisitioned yet; what the model decides for a requisition step
    is each recipient's ceiling (``Tak``). This view grants every ceiling in full, so a later
    reserve step holds only what the ceilings leave (at least that much is kept: what is not
    requisitioned is added to it) and no outcome of the requisitions enters a decision document.
    Example: Stockholm 2025 gives the eleven districts ceilings summing to 41 991 440 kr.
    """
    pots = []
    for i, pot in enumerate(allocation.plan.pots):
        steps = [
            replace(step, requests=dict.fromkeys(step.key, pot.amount), redistribute=False)
            if isinstance(step, engine.Requisition) and at_ceilings(allocation.plan, i, j)
            else step
            for j, step in enumerate(pot.steps)
        ]
        with collector_paused():  # a bulk of lines
            pots.append(engine.run_pot(replace(pot, steps=steps)))
    return Allocation(allocation.plan, pots)
