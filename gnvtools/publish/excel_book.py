"""A workbook held as plain cells, for the project's own writer (``excel_save``).

openpyxl's object model costs more than the report's workbook needs: each cell is an object
with descriptors, each font a validated object registered again per cell, each sheet a dozen
sub-objects; saving then walks all of it. ``Book`` and ``Sheet`` hold what a report's workbook
has (values, a font, an alignment and a number format per cell, comments, column widths, a
frozen pane, an auto-filter, the document properties) under the names openpyxl uses for them:
the sheet writers (``excel``, ``excel_table``, ``excel_sheets``) write to either (with
``excel_style``'s fonts and comments; ``tests/excel_reference.py`` turns them into openpyxl's),
and the tests write each example report both ways and compare what openpyxl reads back. No
openpyxl module is imported here.

A value is bound as openpyxl binds it (``openpyxl.cell.cell.Cell._bind_value``): the same
types, the same text checks, a text beginning with ``=`` a formula.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from gnvtools.publish.excel_style import column_letter, place

#: A text openpyxl stores whole: longer ones are cut to this length.
MAX_TEXT = 32767
#: Characters a worksheet cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``).
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
#: Texts that are Excel's error values (openpyxl's ``ERROR_CODES``).
ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")


def _now() -> datetime:
    return datetime.now(tz=UTC).replace(tzinfo=None)


class IllegalCharacterError(ValueError):
    """A text with a character a worksheet cannot hold (as openpyxl's error of that name)."""


def bind(value: Any) -> tuple[Any, str]:
    """``(value, data_type)`` as openpyxl stores ``value`` in a cell; raises as openpyxl does for
    a type a cell cannot hold (gnvtools writes numbers, text, true/false and empty cells)."""
    if value is None:
        return None, "n"
    kind = type(value)
    if kind is str:
        value = value[:MAX_TEXT]
        if ILLEGAL_CHARACTERS.search(value):
            raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
        if len(value) > 1 and value[0] == "=":
            return value, "f"
        return value, "e" if value in ERROR_CODES else "s"
    if kind is bool:
        return value, "b"
    if kind is int or kind is float:
        return value, "n"
    raise ValueError(f"Cannot convert {value!r} to Excel")


class Cell:
    """A cell: its value and data type (as openpyxl binds them) and its format. What a cell
    does not set is the class's default (most cells set only a value)."""

    _value: Any = None
    data_type = "n"
    font: Any = None  # an ``excel_style.Font``; None: the workbook's default
    alignment: Any = None  # an ``excel_style.Alignment``; None: the default
    number_format = "General"
    comment: Any = None  # an ``excel_style.Comment`` (its text and author are written)
    #: A formula's result as Excel computes it, stored beside the formula for programs that
    #: read a workbook without recalculating it (pandas, previewers); None: left to Excel.
    cached: int | str | None = None

    def __init__(self, row: int, column: int) -> None:
        self.row = row
        self.column = column

    @property
    def value(self) -> Any:
        return self._value

    @value.setter
    def value(self, value: Any) -> None:
        self._value, self.data_type = bind(value)

    @property
    def coordinate(self) -> str:
        return f"{column_letter(self.column)}{self.row}"


@dataclass
class Dimension:
    """A column's width (``None``: Excel's default)."""

    width: float | None = None


class _Columns(dict[str, Dimension]):
    """``sheet.column_dimensions["B"].width = 18``, as on an openpyxl sheet."""

    def __missing__(self, letter: str) -> Dimension:
        self[letter] = found = Dimension()
        return found


@dataclass
class Filter:
    """The sheet's auto-filter range (``"A3:D5"``), or none."""

    ref: str | None = None


class Sheet:
    """A worksheet: cells by place, column widths, frozen pane and auto-filter."""

    def __init__(self, title: str) -> None:
        self.title = title
        #: Every cell written, by ``(row, column)`` (openpyxl's map of the same name).
        self._cells: dict[tuple[int, int], Cell] = {}
        #: The last row written to (openpyxl's, where ``append`` goes on).
        self._current_row = 0
        self._last = (0, 0)  # the place of the last cell made: cells made in order need no sort
        self._in_order = True
        self.column_dimensions = _Columns()
        self.freeze_panes: str | None = None
        self.auto_filter = Filter()

    def cell(self, row: int, column: int, value: Any = None) -> Cell:
        """The cell at ``row``, ``column`` (made when first used); ``value`` set unless None."""
        found = self._cells.get((row, column))
        if found is None:
            found = self._cells[(row, column)] = Cell(row, column)
            if row > self._current_row:
                self._current_row = row
            if (row, column) < self._last:
                self._in_order = False
            self._last = max(self._last, (row, column))
        if value is not None:
            found.value = value
        return found

    def __getitem__(self, coordinate: str) -> Cell:
        return self.cell(*place(coordinate))

    def __setitem__(self, coordinate: str, value: Any) -> None:
        self[coordinate].value = value

    def append(self, values: list[Any]) -> None:
        """``values`` from column A of the row below the last one written."""
        row = self._current_row + 1
        cells = self._cells
        for column, value in enumerate(values, start=1):
            cell = cells[(row, column)] = Cell(row, column)
            kind = type(value)
            if kind is int or kind is float:  # a number: data type "n", the default
                cell._value = value
            elif value is not None:
                cell._value, cell.data_type = bind(value)
        self._current_row = row
        self._last = max(self._last, (row, len(values)))

    def in_order(self) -> list[tuple[tuple[int, int], Cell]]:
        """The cells by place, row by row and left to right."""
        cells = self._cells.items()
        return list(cells) if self._in_order else sorted(cells, key=lambda item: item[0])


@dataclass
class Properties:
    """The document's properties, by openpyxl's names (``DocumentProperties``); ``created`` and
    ``modified`` in UTC, as openpyxl takes them."""

    title: str | None = None
    subject: str | None = None
    creator: str = "openpyxl"
    lastModifiedBy: str | None = None
    language: str | None = None
    created: datetime = field(default_factory=_now)
    modified: datetime = field(default_factory=_now)


class Book:
    """A workbook: its sheets in order and its properties; starts with one sheet, as
    openpyxl's ``Workbook()`` does."""

    def __init__(self) -> None:
        self.properties = Properties()
        self.worksheets: list[Sheet] = [Sheet("Sheet")]

    @property
    def active(self) -> Sheet:
        return self.worksheets[0]

    @property
    def sheetnames(self) -> list[str]:
        return [sheet.title for sheet in self.worksheets]

    def create_sheet(self, title: str) -> Sheet:
        sheet = Sheet(title)
        self.worksheets.append(sheet)
        return sheet
