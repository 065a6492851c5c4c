"""The steps of building a plan from a checked parameter file: its recipient groups loaded,
every name, group, column, source and area it refers to checked, and each pot's steps made
into the engine's steps (``core.allocation``) with their keys (``model_keys``).
"""

from __future__ import annotations

import operator
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from gnvtools.core import allocation as engine
from gnvtools.core import params as p
from gnvtools.core.model_data import load_group, load_requests, unknown_recipient
from gnvtools.core.model_files import ParamFile
from gnvtools.core.model_keys import Recipient, RecipientTable, build_key, require_column
from gnvtools.core.money import ExactKey
from gnvtools.core.regimes import get_regime
from gnvtools.errors import InputError

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


class PlanBuilder:
    """A plan's parts as they are checked and made, one step at a time (``model.build_plan``)."""

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
            loaded = load_group(self.file, spec)
            self.data_files.append(self.file.data_path(spec.file)[0])
            self.groups[spec.group] = loaded
            names = loaded.table.column("name")  # unique within the group (load_group)
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

    def check_areas(self) -> None:
        """Each pot's area is one of the regime's (the regime itself must be known)."""
        file = self.file
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

    def check_budget(self) -> None:
        """Each budget line names a known recipient."""
        for index, line in enumerate(self.file.params.budget):
            self.check_name(line.recipient, "budget", index, "recipient")

    def pots(self) -> tuple[list[engine.Pot], dict[str, str]]:
        """The engine's pots, and the source of each by name; names unique in the file."""
        pots: list[engine.Pot] = []
        sources: dict[str, str] = {}
        for i, spec in enumerate(self.file.params.pots):
            if spec.name in sources:
                raise self.file.error(f'potten "{spec.name}" finns redan', "pots", i, "name")
            available = self.source_amount(spec, i)  # an unknown source is an error anyway
            amount = spec.amount if spec.amount is not None else available
            pots.append(engine.Pot(spec.name, amount, self.steps(spec, i)))
            sources[spec.name] = spec.source
        return pots, sources

    def steps(self, spec: p.PotSpec, index: int) -> list[engine.Step]:
        """A pot's steps made, their names unique within the pot."""
        steps = []
        names: set[str] = set()
        for j, step in enumerate(spec.steps):
            if step.name in names:
                raise self.file.error(
                    f'steget "{step.name}" finns redan i potten', "pots", index, "steps", j, "name"
                )
            names.add(step.name)
            steps.append(self.step(step, "pots", index, "steps", j))
        return steps
