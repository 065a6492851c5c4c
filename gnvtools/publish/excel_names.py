"""Sheet names for the Excel workbook: true to what the sheet holds, whole, unique.

Excel allows 31 characters in a sheet name. A title that fits is the name; a longer one is
never cut (a cut name promises more, or something else, than the sheet holds). A model step's
table is named by its place in the model (pot and step, numbered as the catalogue numbers them)
and its step when that fits (``2.1 Projektledning``), else by its place alone (``Steg 1.3``);
any other title too long becomes ``Tabell 4``. The contents
on the first sheet gives every sheet's full title, and each sheet's cell A1 repeats it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

LIMIT = 31
_BAD = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name
_STEP_LABEL = re.compile(r"^(?P<pot>.+), steg (?P<n>\d+) \((?P<step>.+)\)$")


def clean(text: str) -> str:
    """``text`` without the characters Excel refuses, its white space single."""
    return " ".join(_BAD.sub("-", text.replace(": ", " – ")).split()).strip("'")


def step_numbers(figures: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], int]:
    """Each model step's number within its pot, as the catalogue numbers it:
    ``"Statsbidrag 2025, steg 2 (Ej rekvirerat)"`` → ``{("Statsbidrag 2025", "Ej rekvirerat"): 2}``.
    """
    found = {}
    for figure in figures:
        match = _STEP_LABEL.match(str(figure.get("label", "")))
        if match and str(figure.get("name", "")).rsplit("_", 1)[-1].isdigit():
            found[(match["pot"], match["step"])] = int(match["n"])
    return found


class SheetNames:
    """Hands out sheet names, each unique (case-insensitively, as Excel compares them)."""

    def __init__(self, figures: Sequence[Mapping[str, Any]] = (), reserved: Sequence[str] = ()):
        self.used = {name.lower() for name in reserved}
        self.steps = step_numbers(figures)
        self.pots = list(dict.fromkeys(pot for pot, _ in self.steps))  # in the model's order
        self.tables = 0

    def _take(self, *candidates: str) -> str:
        for candidate in candidates:
            if candidate and len(candidate) <= LIMIT and candidate.lower() not in self.used:
                self.used.add(candidate.lower())
                return candidate
        number = len(self.used) + 1
        while f"Flik {number}".lower() in self.used:
            number += 1
        self.used.add(f"flik {number}")
        return f"Flik {number}"

    def table(self, title: str) -> str:
        """A report table's sheet (its full title goes in the contents and in cell A1)."""
        self.tables += 1
        whole = clean(title)
        pot, sep, step = title.partition(": ")
        number = self.steps.get((pot, step)) if sep else None
        if number is None:  # no model step: the title, or its place among the tables
            return self._take(whole, f"Tabell {self.tables}")
        place = f"{self.pots.index(pot) + 1}.{number}"
        return self._take(f"{place} {clean(step)}", f"Steg {place}")

    def fixed(self, name: str) -> str:
        """A sheet of gnvtools' own with a fixed short name."""
        return self._take(name)

    def numbered(self, prefix: str, number: int, detail: str) -> str:
        """``Indata 2 districts.csv``, or ``Indata 2`` when the detail does not fit."""
        return self._take(f"{prefix} {number} {clean(detail)}", f"{prefix} {number}")
