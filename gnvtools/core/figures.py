"""The catalogue of named figures: every number a report states, with a stable name.

A figure has a name (lower-case ASCII, words joined by ``_``: ``mottaget``,
``delbelopp_befolkning``), an exact value (whole kronor as ``int``, a share as ``Fraction``, a
count, a year or a text) and its Swedish form (``41 991 440 kr``, ``68 %``). Sentences, the
organisation's own texts (``{{ mottaget }}``), the manifest and ``gnv verify`` take their numbers
from here, so a figure is computed once and named once.

Example: for Stockholm 2025 the catalogue holds ``mottaget`` = 41991440, shown as
``41 991 440 kr``, and ``delbelopp_befolkning`` = 35264481.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from gnvtools.core.formatting import kr, mnkr, number, percent, swedish_date, tkr

if TYPE_CHECKING:
    from gnvtools.core.followup import Followup
    from gnvtools.core.model import Allocation
    from gnvtools.core.reconciliation import Finding

FigureKind = Literal["kr", "andel", "antal", "år", "datum", "text"]
Value = int | Fraction | str | date

#: Ways a placeholder may show a kronor figure: ``{{ mottaget | mnkr }}`` → ``42,0 mnkr``.
FORMATS = {"kr": kr, "mnkr": mnkr, "tkr": tkr}


def slug(text: str) -> str:
    """A figure-name part from a Swedish label: ``"Statsbidrag 2025"`` → ``"statsbidrag_2025"``."""
    folded = unicodedata.normalize("NFKD", text.lower())
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", ascii_only).strip("_") or "x"


@dataclass(frozen=True)
class Figure:
    """One named figure. ``illustrative`` marks a figure computed from made-up example data."""

    name: str
    value: Value
    kind: FigureKind
    label: str
    illustrative: bool = False

    @property
    def text(self) -> str:
        """The figure in the Swedish form a report prints."""
        value = self.value
        if self.kind == "kr" and isinstance(value, int):
            return "\u2212" + kr(-value) if value < 0 else kr(value)
        if self.kind == "andel" and isinstance(value, Fraction):
            return percent(value)
        if self.kind == "antal" and isinstance(value, int):
            return number(value)
        if self.kind == "datum" and isinstance(value, date):
            return swedish_date(value)
        return str(value)

    def formatted(self, fmt: str | None) -> str:
        """The figure through a placeholder format (``kr``, ``mnkr``, ``tkr``), or as ``text``."""
        if fmt is None:
            return self.text
        if self.kind != "kr" or not isinstance(self.value, int):
            raise ValueError(f"formatet {fmt} gäller bara belopp i kronor")
        return FORMATS[fmt](self.value)

    def as_json(self) -> dict[str, Any]:
        value: Any = self.value
        if isinstance(value, Fraction):
            value = f"{value.numerator}/{value.denominator}"
        elif isinstance(value, date):
            value = value.isoformat()
        return {
            "name": self.name,
            "value": value,
            "text": self.text,
            "kind": self.kind,
            "label": self.label,
            "illustrative": self.illustrative,
        }


class Catalogue(Mapping[str, Figure]):
    """Figures by name, in the order they were added. A name can be added only once."""

    def __init__(self) -> None:
        self._figures: dict[str, Figure] = {}

    def add(
        self,
        name: str,
        value: Value,
        kind: FigureKind,
        label: str,
        *,
        illustrative: bool = False,
    ) -> Figure:
        if name in self._figures:
            # Two labels slugging to the same name: keep both, numbered (stable for a given file).
            n = 2
            while f"{name}_{n}" in self._figures:
                n += 1
            name = f"{name}_{n}"
        figure = Figure(name, value, kind, label, illustrative)
        self._figures[name] = figure
        return figure

    def __getitem__(self, name: str) -> Figure:
        return self._figures[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._figures)

    def __len__(self) -> int:
        return len(self._figures)

    def text(self, name: str) -> str:
        return self._figures[name].text

    def value(self, name: str) -> Value:
        return self._figures[name].value

    def as_json(self) -> list[dict[str, Any]]:
        return [f.as_json() for f in self._figures.values()]


def allocation_figures(allocation: Allocation, findings: list[Finding]) -> Catalogue:
    """The figures of a year's allocation: received, components, pots, steps, recipients."""
    from gnvtools.core.allocation import RESERVE

    plan = allocation.plan
    params = plan.params
    cat = Catalogue()
    cat.add("organisation", params.organisation.name, "text", "organisationens namn")
    cat.add("ar", str(params.year), "år", "bidragsåret")
    if params.decided_by:
        cat.add("beslutande", params.decided_by, "text", "beslutande organ")
    memo = params.memo
    if memo is not None and memo.date is not None:
        cat.add("datum", memo.date, "datum", "tjänsteutlåtandets datum")
    if memo is not None and memo.meeting_date is not None:
        cat.add("sammantradesdatum", memo.meeting_date, "datum", "beslutande organs sammanträde")
    if memo is not None and memo.case_number:
        cat.add("diarienummer", memo.case_number, "text", "diarienummer")
    cat.add("mottaget", params.received.total, "kr", "mottaget statsbidrag")
    for component in params.received.components:
        part = slug(component.name)
        cat.add(f"delbelopp_{part}", component.amount, "kr", f"delbeloppet {component.name}")
        if component.national_frame:
            cat.add(
                f"nationell_ram_{part}",
                component.national_frame,
                "kr",
                f"nationell ram för delbeloppet {component.name}",
            )
            cat.add(
                f"andel_av_ram_{part}",
                Fraction(component.amount, component.national_frame),
                "andel",
                f"delbeloppet {component.name} som andel av den nationella ramen",
            )
    for carry in params.carry_over:
        cat.add(f"kvarvarande_{carry.year}", carry.amount, "kr", f"kvarvarande medel {carry.year}")
    illustrative_groups = {g for g, t in plan.groups.items() if t.spec.illustrative}
    placed_total = 0
    reserve_total = 0
    unplaced_total = 0
    for pot_index, pot in enumerate(allocation.pots):
        part = slug(pot.pot.name)
        cat.add(f"medel_{part}", pot.pot.amount, "kr", f"{pot.pot.name}: belopp att fördela")
        reserve = sum(line.amount for line in pot.lines if line.recipient == RESERVE)
        placed = pot.placed - reserve
        placed_total += placed
        reserve_total += reserve
        unplaced_total += pot.unplaced
        cat.add(f"medel_{part}_fordelat", placed, "kr", f"{pot.pot.name}: fördelat till mottagare")
        cat.add(
            f"medel_{part}_ofordelat",
            pot.unplaced + reserve,
            "kr",
            f"{pot.pot.name}: inte fördelat (reserv och återstod)",
        )
        for step_index, step in enumerate(pot.steps, start=1):
            spec = params.pots[pot_index].steps[step_index - 1]
            made_up = _step_illustrative(spec, plan.recipients, illustrative_groups)
            name = f"medel_{part}_steg_{step_index}"
            cat.add(
                name,
                step.placed,
                "kr",
                f"{pot.pot.name}, steg {step_index} ({step.step})",
                illustrative=made_up,
            )
            if step.kind == "requisition":
                requested = sum(line.requested or 0 for line in step.lines)
                asked = sum(1 for line in step.lines if line.requested)
                cat.add(f"{name}_tak", step.target, "kr", "belopp som kunde rekvireras")
                cat.add(
                    f"{name}_begart",
                    requested,
                    "kr",
                    "begärt i rekvisitionerna",
                    illustrative=made_up,
                )
                cat.add(
                    f"{name}_ej_rekvirerat",
                    step.target - step.placed,
                    "kr",
                    "inte rekvirerat",
                    illustrative=made_up,
                )
                cat.add(
                    f"{name}_antal_rekvirerande",
                    asked,
                    "antal",
                    "mottagare som rekvirerade",
                    illustrative=made_up,
                )
                cat.add(f"{name}_antal_mottagare", len(step.lines), "antal", "möjliga mottagare")
    cat.add("fordelat", placed_total, "kr", "fördelat till mottagare, alla medel")
    cat.add("ofordelat", unplaced_total + reserve_total, "kr", "inte fördelat, alla medel")
    cat.add("medel_totalt", sum(p.pot.amount for p in allocation.pots), "kr", "alla medel")
    totals = allocation.by_recipient()
    totals.pop(RESERVE, None)
    cat.add("antal_mottagare", sum(1 for v in totals.values() if v), "antal", "mottagare med medel")
    for name, amount in totals.items():
        cat.add(f"mottagare_{slug(name)}", amount, "kr", f"fördelat till {name}")
    if params.budget:
        budget = sum(line.amount for line in params.budget)
        funds = params.received.total + sum(c.amount for c in params.carry_over)
        cat.add("budget", budget, "kr", "det budgeten räknade med")
        cat.add("budget_mot_mottaget", budget - funds, "kr", "budget minus mottagna medel")
    cat.add("antal_fel", sum(1 for f in findings if f.level == "error"), "antal", "fel")
    cat.add(
        "antal_varningar", sum(1 for f in findings if f.level == "warning"), "antal", "varningar"
    )
    return cat


def _step_illustrative(spec: Any, recipients: Mapping[str, Any], groups: set[str]) -> bool:
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


def followup_figures(result: Followup, cat: Catalogue | None = None) -> Catalogue:
    """The year-end figures, added to ``cat`` (a new catalogue when none is given)."""
    cat = cat if cat is not None else Catalogue()
    made_up = result.illustrative
    cat.add("forbrukat", result.used, "kr", "förbrukat under året")
    cat.add(
        "forbrukat_enligt_rader",
        result.rows_used,
        "kr",
        "summan av förbrukningsraderna",
        illustrative=made_up,
    )
    cat.add("outnyttjat", result.unused, "kr", "mottaget minus förbrukat")
    cat.add("nyttjandegrad", result.utilisation, "andel", "förbrukat som andel av mottaget")
    cat.add("utanfor_reglerna", result.ineligible, "kr", "använt utanför reglerna")
    cat.add("att_betala_tillbaka", result.repay, "kr", "att betala tillbaka")
    if result.requisitioned is not None:
        cat.add("rekvirerat", result.requisitioned, "kr", "beviljat vid rekvisitionen")
    if result.requested is not None:
        cat.add("begart", result.requested, "kr", "begärt i rekvisitionerna", illustrative=made_up)
    cat.add(
        "antal_ej_rekvirerat",
        len(result.not_requisitioned),
        "antal",
        "mottagare som inte rekvirerade",
        illustrative=made_up,
    )
    for area, amount in result.by_area.items():
        cat.add(f"forbrukat_omrade_{area}", amount, "kr", f"förbrukat inom insatsområde {area}")
    if result.unassigned:
        cat.add("forbrukat_utan_omrade", result.unassigned, "kr", "förbrukat utan insatsområde")
    for carry in result.carry_over:
        if carry.used is not None:
            cat.add(
                f"kvarvarande_{carry.year}_forbrukat",
                carry.used,
                "kr",
                f"förbrukat av kvarvarande medel från {carry.year}",
                illustrative=made_up,
            )
    return cat
