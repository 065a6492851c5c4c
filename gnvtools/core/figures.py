"""The catalogue of named figures: every number a report states, with a stable name.

A figure has a name (lower-case ASCII, words joined by ``_``: ``mottaget``,
``delbelopp_befolkning``), an exact value (whole kronor as ``int``, a share as ``Fraction``, a
count, a year or a text) and its Swedish form (``41 991 440 kr``, ``68 %``). Sentences, the
organisation's own texts (``{{ mottaget }}``), the manifest and ``gnv verify`` take their numbers
from here, so a figure is computed once and named once.

Example: for Stockholm 2025 the catalogue holds ``mottaget`` = 41991440, shown as
``41 991 440 kr``, and ``delbelopp_befolkning`` = 35264481.

Each figure also knows its **stage** (when it becomes known: ``underlag`` what the sources state
before the decision, ``beslut`` the allocation decision, ``rekvisition`` requisition outcomes,
``uppföljning`` year-end figures), the figures it is **derived from**, and whether it is
**illustrative**. Stage and illustrative are derived, never only typed: a figure is at least as
late as the latest figure it is derived from, and illustrative exactly when it reads made-up data
itself or is derived from an illustrative figure. ``outnyttjat`` (received − used) is derived
from ``mottaget`` (underlag) and ``forbrukat`` (uppföljning), so it is an ``uppföljning`` figure.

This module holds the catalogue itself; the allocation memo's figures are in
``gnvtools.core.memo_figures``, the follow-up's in ``gnvtools.core.yearend``, the multi-year
report's in ``gnvtools.core.multiyear``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any, Literal

from gnvtools.core.figure_sources import FigureSource
from gnvtools.core.formatting import kr, mnkr, number, percent, swedish_date, tkr

#: The unit of a figure: whole kronor, an exact share, a count, a year, a date or a text.
FigureKind = Literal["kr", "andel", "antal", "år", "datum", "text"]
Value = int | Fraction | str | date

#: When a figure becomes known, in order. A document states nothing from a later stage than its
#: own: the allocation memo accepts figures up to ``rekvisition``, the follow-up all of them.
Stage = Literal["underlag", "beslut", "rekvisition", "uppföljning"]
STAGES: tuple[Stage, ...] = ("underlag", "beslut", "rekvisition", "uppföljning")

#: How exactly a figure is known, in order: as the source gives it to the krona, approximately
#: ("cirka 10,7 mnkr" in the source), or read with uncertainty from an illegible source. A figure
#: is as imprecise as its least precise input.
Precision = Literal["exakt", "cirka", "osäker"]
PRECISIONS: tuple[Precision, ...] = ("exakt", "cirka", "osäker")

#: Ways a placeholder may show a kronor figure: ``{{ mottaget | mnkr }}`` → ``42,0 mnkr`` (an
#: exact whole million without decimals: ``20 mnkr``).
FORMATS = {"kr": kr, "mnkr": mnkr, "tkr": tkr}


def slug(text: str) -> str:
    """A figure-name part from a Swedish label: ``"Statsbidrag 2025"`` → ``"statsbidrag_2025"``."""
    folded = unicodedata.normalize("NFKD", text.lower())
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", ascii_only).strip("_") or "x"


def unique_slugs(names: Sequence[str]) -> dict[str, str]:
    """Each name's figure-name part, numbered where two slug alike, in the order given:
    ``["Håbo kommun", "Habo kommun"]`` → ``habo_kommun``, ``habo_kommun_2``."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in dict.fromkeys(names):
        base = part = slug(name)
        n = 2
        while part in taken:
            part = f"{base}_{n}"
            n += 1
        taken.add(part)
        out[name] = part
    return out


@dataclass(frozen=True)
class Figure:
    """One named figure. ``illustrative`` marks a figure that rests on made-up example data.

    ``kind`` is the figure's unit; ``stage`` when it becomes known; ``derived_from`` the names
    of the figures it is computed from (empty when it is read from the inputs directly);
    ``sources`` the input cells it reads and the rules it applies
    (``gnvtools.core.figure_sources``); ``places`` the decimals a share is printed with
    (``9 %`` at 0, ``9,40 %`` at 2), so a sentence that states a share more finely states this
    figure's text, not a number of its own.
    """

    name: str
    value: Value
    kind: FigureKind
    label: str
    illustrative: bool = False
    stage: Stage = "beslut"
    derived_from: tuple[str, ...] = ()
    precision: Precision = "exakt"
    sources: tuple[FigureSource, ...] = ()
    places: int = 0

    @property
    def text(self) -> str:
        """The figure in the Swedish form a report prints.

        An approximate amount is said as the source says it (``cirka 10,7 mnkr``), never to
        the krona; an uncertain reading says so (``4 150 000 kr (osäker avläsning)``).
        """
        value = self.value
        if self.kind == "kr" and isinstance(value, int):
            return amount_text(value, self.precision)
        if self.kind == "andel" and isinstance(value, Fraction):
            return percent(value, self.places)
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
        if self.precision == "cirka":
            return "cirka " + mnkr(self.value)
        shown = FORMATS[fmt](self.value)
        if fmt == "mnkr" and self.value % 1_000_000 == 0:
            shown = mnkr(self.value, 0)  # an exact whole million: "20 mnkr", not "20,0 mnkr"
        return shown + (" (osäker avläsning)" if self.precision == "osäker" else "")

    def as_json(self) -> dict[str, Any]:
        """The manifest's form (a public contract: keys are only ever added)."""
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
            "stage": self.stage,
            "derived_from": list(self.derived_from),
            "precision": self.precision,
            "sources": [source.as_json() for source in self.sources],
            "places": self.places,
        }


def amount_text(value: int, precision: Precision = "exakt") -> str:
    """An amount as a report prints it at its precision: ``amount_text(10_700_000, "cirka")``
    → ``cirka 10,7 mnkr``; exact amounts to the krona (``41 991 440 kr``)."""
    if precision == "cirka":
        return "cirka " + mnkr(value)
    shown = "\u2212" + kr(-value) if value < 0 else kr(value)
    return shown + (" (osäker avläsning)" if precision == "osäker" else "")


def least_precise(a: Precision, b: Precision) -> Precision:
    """``least_precise("exakt", "cirka")`` → ``"cirka"``: a sum is as rough as its roughest part."""
    return a if PRECISIONS.index(a) >= PRECISIONS.index(b) else b


def later(a: Stage, b: Stage) -> Stage:
    """The later of two stages: ``later("underlag", "uppföljning")`` → ``"uppföljning"``."""
    return a if STAGES.index(a) >= STAGES.index(b) else b


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
        stage: Stage = "beslut",
        derived_from: Sequence[str] = (),
        made_up: bool = False,
        precision: Precision = "exakt",
        sources: Sequence[FigureSource] = (),
        places: int = 0,
        precision_from: Sequence[str] | None = None,
        decided: bool = False,
    ) -> Figure:
        """Add a figure; its stage and illustrative flag are derived from ``derived_from``.

        ``stage`` is when the figure itself becomes known, ``made_up`` whether it reads made-up
        input rows directly. The figure is as late as its latest input and illustrative when any
        input is, and as imprecise as its least precise input (``precision`` is how the figure
        itself is read). ``sources`` are the input cells it reads and the rules it applies;
        ``places`` the decimals a share (``andel``) is printed with.
        Every name in ``derived_from`` must already be in the catalogue.

        ``precision_from`` (default: all of ``derived_from``) names the inputs whose precision
        the figure takes: an amount the decision sets is exact even when it is split out of an
        approximate pot (800 000 kr to each district out of "cirka 10,7 mnkr"), while what is
        worked out arithmetically from the approximate amount (the pot's remainder) is not.
        ``decided``: the decision sets this amount for a recipient (a step's line, a ceiling, a
        recipient's sum of them): it is exact even where the pot it comes out of is approximate
        (441 114 kr by a key out of "cirka 10,3 mnkr"); an uncertain reading stays uncertain.
        A count (``antal``) and a zero are never approximate: "cirka 11 mottagare" and
        "cirka 0,0 mnkr" say nothing true.
        """
        inputs = [self._input(name, other) for other in derived_from]
        rough = inputs if precision_from is None else [self._figures[n] for n in precision_from]
        for figure in inputs:
            stage = later(stage, figure.stage)
        for figure in rough:
            precision = least_precise(precision, figure.precision)
        if precision == "cirka" and (decided or kind == "antal" or value == 0):
            precision = "exakt"  # a count, and nothing at all, is never "about"
        illustrative = made_up or any(figure.illustrative for figure in inputs)
        name = self._free(name)
        self._figures[name] = Figure(
            name,
            value,
            kind,
            label,
            illustrative,
            stage,
            tuple(dict.fromkeys(derived_from)),
            precision,
            tuple(dict.fromkeys(sources)),
            places,
        )
        return self._figures[name]

    def _input(self, name: str, other: str) -> Figure:
        if other not in self._figures:
            raise ValueError(f"{name} is derived from {other}, which is not in the catalogue")
        return self._figures[other]

    def _free(self, name: str) -> str:
        """``name``, numbered when two labels slug to it (stable for a given file)."""
        if name not in self._figures:
            return name
        n = 2
        while f"{name}_{n}" in self._figures:
            n += 1
        return f"{name}_{n}"

    def add_sum(self, name: str, parts: Sequence[str], label: str) -> Figure:
        """A kronor figure that is the sum of ``parts`` (figures already in the catalogue)."""
        total = sum(self.amount(part) for part in parts)
        return self.add(name, total, "kr", label, derived_from=parts)

    def up_to(self, stage: Stage) -> Catalogue:
        """The figures known at ``stage`` (a document of that stage states no later figure)."""
        out = Catalogue()
        last = STAGES.index(stage)
        out._figures = {n: f for n, f in self._figures.items() if STAGES.index(f.stage) <= last}
        return out

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

    def amount(self, name: str) -> int:
        """A kronor figure's value (or a count's); anything else is a programming error."""
        value = self._figures[name].value
        if not isinstance(value, int):
            raise TypeError(f"{name} is not an amount")
        return value

    def as_json(self) -> list[dict[str, Any]]:
        return [f.as_json() for f in self._figures.values()]
