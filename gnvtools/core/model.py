"""From a parameter file to an allocation: load the data, resolve recipients, run the pots.

This is the edge between files and the pure engine in ``gnvtools.core.allocation``. Every reference
(recipient, group, column, data file) is checked here, and a bad one raises an error that names
the parameter file and its line, or the data file with its row and column. Reading a group's
recipients and building a step's key, the work that grows with the rows, is in
``gnvtools.core.model_keys``.
"""

from __future__ import annotations

import difflib
import operator
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from gnvtools.core import allocation as engine
from gnvtools.core import options, reuse
from gnvtools.core import params as p
from gnvtools.core.bulk import collector_paused
from gnvtools.core.model_keys import (
    Recipient,
    RecipientTable,
    build_key,
    read_recipients,
    require_column,
    row_numbers,
)
from gnvtools.core.money import ExactKey, swedish_sorted
from gnvtools.core.regimes import get_regime
from gnvtools.core.tables import check_unique, parse_amount, read_table, split_sheet
from gnvtools.errors import InputError, ModelError

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


@dataclass
class ParamFile:
    """A validated parameter file with what is needed to point at its lines."""

    path: Path
    params: p.Params
    node: yaml.Node | None
    shown: str = ""

    def line(self, *loc: int | str) -> int | None:
        where = p._node_at(self.node, loc)
        return where.start_mark.line + 1 if where is not None else None

    def error(self, message: str, *loc: int | str) -> ModelError:
        return ModelError(
            message + p.named_path(self.node, loc),
            file=self.shown or self.path,
            row=self.line(*loc) if loc else None,
            key=".".join(str(x) for x in loc) or None,
        )

    def data_path(self, name: str) -> tuple[Path, str]:
        """A data file named in the YAML, relative to the YAML file's folder and inside it.

        Raises for an absolute path, a ``..`` that leads out, or a symlink pointing outside the
        parameter file's folder (see ``confine``), and for a file that does not exist: that
        message names the key and line of the YAML that refers to it.
        """
        shown = str(Path(self.shown or self.path).parent / name)
        file_name, _ = split_sheet(name)  # "data/x.xlsx#Blad2": the sheet is not in the path
        resolved = confine(self.path, file_name, shown)
        if not resolved.exists() and not resolved.is_symlink():
            loc = self.reference(name)
            where = ""
            what = "textfilen" if loc and loc[-1] == "texts" else "filen"
            if loc:
                dotted = ".".join(str(x) for x in loc)
                where = (
                    f" (nämns i {self.shown or self.path}, rad {self.line(*loc)}, "
                    f'nyckel "{dotted}")'
                )
            raise InputError(f"{what} finns inte{where}", file=str(Path(shown)))
        return resolved, shown

    def reference(self, value: str) -> tuple[int | str, ...] | None:
        """The key path of the first place the YAML holds ``value`` (a file name)."""

        def walk(node: yaml.Node | None, path: tuple[int | str, ...]) -> Any:
            if isinstance(node, yaml.ScalarNode):
                return path if node.value == value else None
            if isinstance(node, yaml.MappingNode):
                items = [(k.value, v) for k, v in node.value]
            elif isinstance(node, yaml.SequenceNode):
                items = list(enumerate(node.value))
            else:
                return None
            for part, child in items:
                found = walk(child, (*path, part))
                if found is not None:
                    return found
            return None

        found: tuple[int | str, ...] | None = walk(self.node, ())
        return found


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


def allowed_roots(params_file: Path) -> list[Path]:
    """Where data may be read from: the parameter file's folder, plus the caller's
    ``data_roots`` (``core.options``; the command line takes them from the environment)."""
    roots = [params_file.resolve().parent]
    roots += [Path(p).resolve() for p in options.current().data_roots if p.strip()]
    return roots


def _data_roots_hint() -> str:
    where = options.current().data_roots_where
    return f" eller ange mappen bland datamapparna ({where})" if where else ""


def confine(params_file: Path, name: str, shown: str) -> Path:
    """Resolve ``name`` (as written in ``params_file``) and keep it inside the allowed folders.

    A parameter file may come from someone else: it must not make gnv read ``/etc/passwd`` or
    a file beside the project. The folder of the parameter file is allowed; the caller's
    ``data_roots`` widen it (see ``allowed_roots``).
    """
    written = Path(name)
    if written.is_absolute() or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise InputError(
            "sökvägen är absolut; ange den relativt till parameterfilens mapp", file=shown
        )
    resolved = (params_file.parent / written).resolve()
    roots = allowed_roots(params_file)
    if not any(resolved.is_relative_to(root) for root in roots):
        raise InputError(
            "filen ligger utanför parameterfilens mapp (via .. eller en symbolisk länk); "
            "flytta den dit" + _data_roots_hint(),
            file=shown,
        )
    return resolved


def open_params(path: Path | str, *, shown: str | None = None) -> ParamFile:
    path = Path(path)
    params, node = p.validate_with_node(p.Params, path)
    return ParamFile(path, params, node, shown or str(path))


def _load_group(file: ParamFile, spec: p.RecipientGroup) -> RecipientTable:
    resolved, shown = file.data_path(spec.file)
    table = read_table(resolved, display=shown)
    table.require("name")
    if not table.rows:
        raise InputError(
            "filen har bara en rubrikrad; lägg till en rad per mottagare",
            file=table.path,
            row=table.header_row + 1,
        )
    names = table.column("name")
    rows = row_numbers(table)
    if not all(names):
        raise InputError("namnet saknas", file=table.path, row=rows[names.index("")], column="name")
    if len(set(names)) < len(names):
        check_unique(table, "name", list(zip(rows, names, strict=True)))
    return read_recipients(table, spec)


def unknown_recipient(name: str, known: Iterable[str]) -> str:
    """``okänd mottagare "Bromm" (menar du "Bromma"?)``, or a few known names."""
    names = list(known)
    by_fold = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(name.casefold(), list(by_fold), n=2, cutoff=0.6)
    if close:
        options = " eller ".join(f'"{by_fold[c]}"' for c in close)
        return f'okänd mottagare "{name}" (menar du {options}?)'
    sample = ", ".join(swedish_sorted(names)[:6])
    return f'okänd mottagare "{name}" (finns t.ex.: {sample} …)'


def load_requests(
    file: ParamFile,
    name: str,
    known: Mapping[str, Recipient],
    step: tuple[str, Collection[str]] | None = None,
) -> dict[str, int]:
    """A requests file: columns ``recipient`` and ``amount`` (whole kronor).

    With ``step`` (its name and recipients), a request from anyone outside the step is an error
    naming its row.
    """
    resolved, shown = file.data_path(name)
    table = read_table(resolved, display=shown)
    table.require("recipient", "amount")
    check_unique(table, "recipient", [(r, row["recipient"]) for r, row in table.numbered()])
    requests: dict[str, int] = {}
    for row_no, row in table.numbered():
        who = row["recipient"]
        if who not in known:
            raise InputError(
                unknown_recipient(who, known), file=table.path, row=row_no, column="recipient"
            )
        if step is not None and who not in step[1]:
            raise InputError(
                f'"{who}" begär medel men ingår inte bland mottagarna i steget "{step[0]}"',
                file=table.path,
                row=row_no,
                column="recipient",
            )
        requests[who] = parse_amount(row["amount"], file=table.path, row=row_no, column="amount")
    return requests


class _Builder:
    def __init__(self, file: ParamFile) -> None:
        self.file = file
        self.groups: dict[str, RecipientTable] = {}
        self.recipients: dict[str, Recipient] = {}
        self.data_files: list[Path] = []

    def load_recipients(self) -> None:
        for index, spec in enumerate(self.file.params.recipients):
            if spec.group in self.groups:
                raise self.file.error(
                    f'gruppen "{spec.group}" finns redan', "recipients", index, "group"
                )
            loaded = _load_group(self.file, spec)
            self.data_files.append(self.file.data_path(spec.file)[0])
            self.groups[spec.group] = loaded
            names = loaded.table.column("name")  # unique within the group (_load_group)
            if self.recipients.keys().isdisjoint(names):  # the usual case: nobody twice
                self.recipients.update(zip(names, loaded.recipients, strict=True))
                continue
            for recipient in loaded.recipients:
                if recipient.name in self.recipients:
                    other = self.recipients[recipient.name]
                    raise InputError(
                        f'mottagaren "{recipient.name}" finns redan i gruppen "{other.group}"',
                        file=loaded.table.path,
                        row=recipient.row,
                        column="name",
                    )
                self.recipients[recipient.name] = recipient

    def check_name(self, name: str, *loc: int | str) -> str:
        normalised = unicodedata.normalize("NFC", name)
        if normalised not in self.recipients:
            raise self.file.error(unknown_recipient(name, self.recipients), *loc)
        return normalised

    def select(self, selection: p.Recipients, *loc: int | str) -> list[Recipient]:
        if isinstance(selection, list):
            return [
                self.recipients[self.check_name(name, *loc, i)] for i, name in enumerate(selection)
            ]
        if selection.group not in self.groups:
            raise self.file.error(
                f'okänd mottagargrupp "{selection.group}"; finns: {", ".join(self.groups)}',
                *loc,
                "group",
            )
        table = self.groups[selection.group]
        if not selection.where:
            return list(table.recipients)  # a group has at least one recipient
        chosen = []
        for recipient in table.recipients:
            if all(
                self._meets(recipient, c, table, (*loc, "where", i, "column"))
                for i, c in enumerate(selection.where)
            ):
                chosen.append(recipient)
        if not chosen:
            raise self.file.error("villkoren utesluter alla mottagare i gruppen", *loc, "where")
        return chosen

    def _meets(
        self, recipient: Recipient, cond: p.Condition, table: RecipientTable, loc: tuple[Any, ...]
    ) -> bool:
        self._require_column(table, cond.column, loc)
        value = recipient.numbers.get(cond.column)
        if value is None:
            raise InputError(
                "värde saknas men behövs för ett villkor",
                file=table.table.path,
                row=recipient.row,
                column=cond.column,
            )
        return _OPS[cond.op](value, Fraction(str(cond.value)))

    def _require_column(self, table: RecipientTable, column: str, loc: tuple[Any, ...]) -> None:
        require_column(self.file, table, column, loc)

    def key(
        self,
        chosen: Sequence[Recipient],
        weights: p.ColumnWeights,
        weight_by: p.CategoryWeights | None,
        *loc: int | str,
    ) -> ExactKey:
        return build_key(self.file, self.groups, chosen, weights, weight_by, loc)

    def source_amount(self, pot: p.PotSpec, index: int) -> int:
        params = self.file.params
        source = pot.source
        if source == "received":
            return params.received.total
        kind, _, name = source.partition(":")
        if kind == "carry-over":
            for carry in params.carry_over:
                if str(carry.year) == name.strip():
                    return carry.amount
        elif kind == "component":
            for component in params.received.components:
                if component.name == name.strip():
                    return component.amount
        raise self.file.error(
            f'okänd källa "{source}"; ange received, carry-over:ÅR eller component:NAMN',
            "pots",
            index,
            "source",
        )

    def step(self, spec: Any, *loc: int | str) -> engine.Step:
        key: Mapping[str, Fraction]
        match spec:
            case p.FixedStep():
                amounts = {
                    self.check_name(name, *loc, "amounts", name): value
                    for name, value in spec.amounts.items()
                }
                return engine.Fixed(spec.name, amounts, spec.rule)
            case p.EachStep():
                chosen = self.select(spec.recipients, *loc, "recipients")
                return engine.Each(spec.name, [r.name for r in chosen], spec.amount, spec.rule)
            case p.KeyStep():
                chosen = self.select(spec.recipients, *loc, "recipients")
                key = self.key(chosen, spec.key, spec.weight_by, *loc)
                return engine.ByKey(spec.name, spec.amount, key, spec.rule)
            case p.RequisitionStep():
                chosen = self.select(spec.recipients, *loc, "recipients")
                key = self.key(chosen, spec.key, None, *loc)
                requests = load_requests(
                    self.file, spec.requests, self.recipients, (spec.name, key)
                )
                self.data_files.append(self.file.data_path(spec.requests)[0])
                return engine.Requisition(
                    spec.name, spec.amount, key, requests, spec.redistribute, spec.rule
                )
            case p.RemainderStep():
                if spec.split == "reserve":
                    return engine.Remainder(spec.name, "reserve", {}, spec.rule)
                assert spec.recipients is not None  # guaranteed by the model validator
                chosen = self.select(spec.recipients, *loc, "recipients")
                if spec.split == "equal":
                    key = {r.name: Fraction(1) for r in chosen}
                else:
                    key = self.key(chosen, spec.key or {}, None, *loc)
                return engine.Remainder(spec.name, spec.split, key, spec.rule)
        raise TypeError(spec)  # pragma: no cover - the discriminated union is exhaustive


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
    builder = _Builder(file)
    builder.load_recipients()
    params = file.params
    regime = get_regime(params.regime, file=file.shown, row=file.line("regime"))
    for index, spec in enumerate(params.pots):
        if spec.area is not None and spec.area not in regime.areas:
            raise file.error(
                f"okänt insatsområde {spec.area}; {regime.short} har områdena "
                + ", ".join(str(a) for a in regime.areas),
                "pots",
                index,
                "area",
            )
    for index, line in enumerate(params.budget):
        builder.check_name(line.recipient, "budget", index, "recipient")
    pots: list[engine.Pot] = []
    sources: dict[str, str] = {}
    for i, spec in enumerate(params.pots):
        if spec.name in sources:
            raise file.error(f'potten "{spec.name}" finns redan', "pots", i, "name")
        available = builder.source_amount(spec, i)  # an unknown source is an error anyway
        amount = spec.amount if spec.amount is not None else available
        steps = []
        names: set[str] = set()
        for j, step in enumerate(spec.steps):
            if step.name in names:
                raise file.error(
                    f'steget "{step.name}" finns redan i potten', "pots", i, "steps", j, "name"
                )
            names.add(step.name)
            steps.append(builder.step(step, "pots", i, "steps", j))
        pots.append(engine.Pot(spec.name, amount, steps))
        sources[spec.name] = spec.source
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
