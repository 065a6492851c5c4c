"""What a report's workbook says about its cells besides their values — fonts, alignment,
comments — and cell places (``B12``), without importing openpyxl: writing a workbook then costs
no openpyxl import (about 0,13 s of processor time per process).

The names and meanings are openpyxl's (``Font(bold=True)``, ``Alignment(wrap_text=True)``,
``Comment(text, author)``), and each is written as openpyxl writes it, so the tests can give
the same sheets to openpyxl (``tests/excel_reference.py``) and compare what is read back. A
``Comment`` can also be set on an openpyxl cell (it has openpyxl's ``bind``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

_PLACE = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]+)$")


@dataclass(frozen=True)
class Font:
    """A cell's font: bold, italic, size in points, colour as ``RRGGBB`` (None: the default)."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None

    def xml(self) -> str:
        """``<font>`` as openpyxl writes it (its elements in openpyxl's order)."""
        parts = ['<b val="1"/>' if self.bold else "", '<i val="1"/>' if self.italic else ""]
        if self.color:
            parts.append(f'<color rgb="00{self.color}"/>')
        if self.size is not None:
            parts.append(f'<sz val="{number(self.size)}"/>')
        return f"<font>{''.join(parts)}</font>"


@dataclass(frozen=True)
class Alignment:
    """A cell's alignment: wrapped text and its vertical place (``top``, ``center``…)."""

    wrap_text: bool = False
    vertical: str | None = None

    def xml(self) -> str:
        """``<alignment>`` as openpyxl writes it; empty for the default alignment."""
        vertical = f' vertical="{self.vertical}"' if self.vertical else ""
        wrap = ' wrapText="1"' if self.wrap_text else ""
        return f"<alignment{vertical}{wrap}/>" if vertical or wrap else ""


class Comment:
    """A note on a cell: its text and author, and the size of the box Excel shows it in."""

    def __init__(self, text: str, author: str, width: int = 144, height: int = 79) -> None:
        self.text = text
        self.author = author
        self.width = width
        self.height = height
        self.parent: Any = None  # the openpyxl cell it was set on (openpyxl's ``bind``)

    def bind(self, cell: Any) -> None:
        self.parent = cell

    def unbind(self) -> None:
        self.parent = None


def number(value: float) -> str:
    """A number as openpyxl writes one (``safe_string``: 16 significant digits)."""
    if value != value or value in (float("inf"), float("-inf")):
        return ""  # not a number: openpyxl writes nothing
    return "%.16g" % value  # noqa: UP031 - the same digits as openpyxl


@cache
def column_letter(index: int) -> str:
    """``1`` → ``A``, ``28`` → ``AB``."""
    if not 1 <= index <= 18278:
        raise ValueError(f"Invalid column index {index}")
    letters = ""
    while index:
        index, left = divmod(index - 1, 26)
        letters = chr(65 + left) + letters
    return letters


def column_index(letters: str) -> int:
    """``A`` → ``1``, ``AB`` → ``28``."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def place(coordinate: str) -> tuple[int, int]:
    """``B12`` (or ``$B$12``) → ``(row 12, column 2)``."""
    found = _PLACE.match(coordinate)
    if found is None:
        raise ValueError(f"{coordinate} is not a cell's place")
    return int(found[2]), column_index(found[1])


def absolute(reference: str) -> str:
    """``A3:D5`` → ``$A$3:$D$5``."""
    return ":".join(
        f"${column_letter(column)}${row}" for row, column in map(place, reference.split(":"))
    )


def quoted(sheet: str) -> str:
    """A sheet's name as a formula or defined name refers to it: ``'Tal i rapporten'``."""
    return "'" + sheet.replace("'", "''") + "'"
