"""Sheet names for the Excel workbook: true to what the sheet holds, never cut, unique.

Excel allows 31 characters in a sheet name. A title that fits is the name. A longer one is
never cut (a cut name promises more, or something else, than the sheet holds) and never
replaced by a bare number ("Tabell 4", "Steg 1.3"): it is shortened word by word with the
usual Swedish abbreviations (``förvaltningar`` → ``förv.``, ``utbildning`` → ``utb.``,
``inklusive`` → ``inkl.``), then, if still too long, by abbreviating its longest words before a
vowel (``lokalt`` → ``lok.``), so every word of the name stands for a word of the title. A model
step's table is named by its place in the model (pot and step, numbered as the catalogue numbers
them) and its step: ``1.2 Grundstöd stadsdelsförv.``. The contents on the first sheet gives
every sheet's full title, and each sheet's cell A1 repeats it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

LIMIT = 31
_BAD = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name
_STEP_LABEL = re.compile(r"^(?P<pot>.+), steg (?P<n>\d+) \((?P<step>.+)\)$")
_VOWELS = "aeiouyåäöéAEIOUYÅÄÖÉ"

#: Common Swedish abbreviations, tried in this order while a name is too long (a part of a
#: word: ``stadsdelsförvaltningar`` → ``stadsdelsförv.``, ``utvecklingsområden`` → ``utv.områden``).
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"förvaltning(?:ar(?:na)?|en)?", "förv."),
    (r"utvecklings|utveckling(?:en|ar)?", "utv."),
    (r"utbildnings|utbildning(?:en|ar)?", "utb."),
    (r"sjuksköterskor(?:na)?|sjuksköterske|sjuksköterska", "sjuksk."),
    (r"sköterskor(?:na)?|sköterske|sköterska", "sk."),
    (r"inklusive", "inkl."),
    (r"antal", "ant."),
    (r"specialist", "spec."),
    (r"kommunerna|kommuner", "komm."),
    (r"omsorgen", "oms."),
    (r"(?<!\w)med(?!\w)", "m."),
    (r"(?<!\w)till(?!\w)", "t."),
    (r"(?<!\w)och(?!\w)", "o."),
)


def clean(text: str) -> str:
    """``text`` without the characters Excel refuses, its white space single."""
    return " ".join(_BAD.sub("-", text.replace(": ", " – ")).split()).strip("'")


def _cased(found: str, short: str) -> str:
    return short[:1].upper() + short[1:] if found[:1].isupper() else short


def _shorter_word(word: str, least: int) -> str | None:
    """``word`` (letters, perhaps already ending in ".") one syllable shorter: cut before its
    last vowel that leaves at least ``least`` letters, and marked with "." (``lokalt`` →
    ``lok.``); ``None`` when that is not shorter."""
    letters = word.rstrip(".")
    for end in range(len(letters) - 2, least - 1, -1):
        if letters[end - 1] not in _VOWELS and letters[end] in _VOWELS:
            short = letters[:end] + "."
            if len(short) < len(word):
                return short
    return None


def _cut_once(text: str, least: int) -> str | None:
    """``text`` with one word a syllable shorter: a whole word before an abbreviated one, the
    longest first; ``None`` when no word can be."""
    cuts = [
        ((len(word.rstrip(".")), not word.endswith(".")), word, short)
        for word in re.findall(r"[^\W\d_]+\.?", text)
        if (short := _shorter_word(word, least))
    ]
    if not cuts:
        return None
    _, word, short = max(cuts, key=lambda cut: cut[0])
    return re.sub(rf"(?<!\w){re.escape(word)}(?![\w.])", short, text, count=1)


def _abbreviate(text: str, pattern: str, short: str) -> str:
    """Every match of ``pattern`` in ``text`` as ``short``, capitalised as the match was."""

    def replace(match: re.Match[str]) -> str:
        return _cased(match[0], short)

    return re.sub(pattern, replace, text, flags=re.IGNORECASE).replace("..", ".")


def shorten(text: str, limit: int = LIMIT, *, initials: bool = False) -> str | None:
    """``text`` within ``limit`` characters by abbreviating words (never by dropping one), or
    ``None`` when even that does not fit; words cut to their initials only if ``initials``."""
    for pattern, short in ABBREVIATIONS:
        if len(text) <= limit:
            return text
        text = _abbreviate(text, pattern, short)
    for least in (3, 1) if initials else (3,):
        while len(text) > limit and (shorter := _cut_once(text, least)) is not None:
            text = shorter
    return text if len(text) <= limit else None


def step_numbers(figures: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], int]:
    """Each model step's number within its pot, as the catalogue numbers it:
    ``"Statsbidrag 2025, steg 2 (Ej rekvirerat)"`` → ``{("Statsbidrag 2025", "Ej rekvirerat"): 2}``.
    A requisition step known by its ceilings (``…_steg_3_tak``) is numbered by its name."""
    found = {}
    for figure in figures:
        match = _STEP_LABEL.match(str(figure.get("label", "")))
        if match and str(figure.get("name", "")).rsplit("_", 1)[-1].isdigit():
            found[(match["pot"], match["step"])] = int(match["n"])
    return found


_STEP_ROW = re.compile(r"^medel_(?P<pot>[a-z0-9_]+)_steg_(?P<n>\d+)(?:_tak|_begart)?_mottagare_")


def table_steps(
    tables: Sequence[Mapping[str, Any]], figures: Sequence[Mapping[str, Any]]
) -> dict[tuple[str, str], int]:
    """``step_numbers``, and a step whose table names its rows' figures ``medel_<pot>_steg_<n>…``
    (a requisition step at its ceilings has no figure labelled by the step)."""
    found = step_numbers(figures)
    for table in tables:
        pot, sep, step = str(table.get("title", "")).partition(": ")
        if not sep or (pot, step) in found:
            continue
        matches = [_STEP_ROW.match(str(n)) for row in table.get("cells") or [] for n in row if n]
        match = next((m for m in matches if m), None)
        if match:
            found[(pot, step)] = int(match["n"])
    return found


class SheetNames:
    """Hands out sheet names, each unique (case-insensitively, as Excel compares them)."""

    def __init__(
        self,
        figures: Sequence[Mapping[str, Any]] = (),
        reserved: Sequence[str] = (),
        tables: Sequence[Mapping[str, Any]] = (),
    ):
        self.used = {name.lower() for name in reserved}
        self.steps = table_steps(tables, figures)
        # The pots in the model's order: as the report's tables come, else as the catalogue.
        shown = [str(t.get("title", "")).partition(": ") for t in tables]
        self.pots = list(
            dict.fromkeys(
                [pot for pot, _, step in shown if (pot, step) in self.steps]
                + [pot for pot, _ in self.steps]
            )
        )

    def _take(self, *candidates: str | None) -> str:
        shown = [c for c in candidates if c]
        for candidate in shown:
            if len(candidate) <= LIMIT and candidate.lower() not in self.used:
                self.used.add(candidate.lower())
                return candidate
        # The same title twice: the second is told apart by its order, after its words.
        base = shown[-1] if shown else "Flik"
        number = 2
        while True:
            tail = f", nr {number}"
            short = shorten(base, LIMIT - len(tail), initials=True)
            name = f"{short or 'Flik'}{tail}"
            if name.lower() not in self.used:
                self.used.add(name.lower())
                return name
            number += 1

    def table(self, title: str) -> str:
        """A report table's sheet (its full title goes in the contents and in cell A1)."""
        whole = clean(title)
        pot, sep, step = title.partition(": ")
        number = self.steps.get((pot, step)) if sep else None
        if number is None:  # no model step: the title, shortened if it must be
            return self._take(whole, shorten(whole), shorten(whole, initials=True))
        place = f"{self.pots.index(pot) + 1}.{number}"
        named = f"{place} {clean(step)}"
        return self._take(
            named, shorten(named), shorten(clean(step)), shorten(named, initials=True)
        )

    def fixed(self, name: str) -> str:
        """A sheet of gnvtools' own with a fixed short name."""
        return self._take(name)

    def numbered(self, prefix: str, number: int, detail: str) -> str:
        """``Indata 2 districts.csv``; a long file name abbreviated, never cut or dropped."""
        whole = f"{prefix} {number} {clean(detail)}"
        return self._take(
            whole,
            shorten(whole),
            shorten(f"{prefix} {clean(detail)}"),
            shorten(whole, initials=True),
        )
