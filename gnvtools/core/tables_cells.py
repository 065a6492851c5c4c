"""A table read from a CSV file or an Excel sheet, and the checks on its cells.

``Table`` holds rows of text with what messages need (the file, the sheet, the rows as a
spreadsheet numbers them, the first rows as they are); ``check_text`` is the one check every
cell passes (length, control characters, and invisible characters in names); every error names
the file, the row and the column.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from gnvtools.core.tables_numbers import plain_integers
from gnvtools.errors import InputError

MAX_CELL_CHARS = 1_000
PREVIEW_ROWS = 30  # the first rows of a file kept as they are, for messages
KEY_COLUMNS = ("name", "recipient")  # the columns that name a row: names are checked harder
_INVISIBLE = {"Cf", "Co", "Cs", "Cn"}


@dataclass(frozen=True)
class Table:
    """A CSV file or an Excel sheet read into rows of text, with what messages need.

    ``row_numbers`` are the rows as a spreadsheet numbers them (blank rows and title rows above
    the header are skipped but still counted); ``preview`` holds the first rows of the file as
    they are, so a missing column can be looked for above or below the header.
    """

    path: Path
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    row_numbers: tuple[int, ...] = ()
    header_row: int = 1
    sheet: str | None = None
    preview: tuple[tuple[str, ...], ...] = ()
    _integers: dict[str, list[int] | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def require(self, *names: str) -> None:
        """Raise an ``InputError`` naming the file and the first missing column."""
        for name in names:
            if name not in self.columns:
                found = ", ".join(self.columns) or "inga"
                raise InputError(
                    f'kolumnen "{name}" saknas (kolumner i filen: {found})' + self._elsewhere(name),
                    file=self.path,
                    row=self.header_row,
                    column=name,
                )

    def _elsewhere(self, name: str) -> str:
        """Where a missing column heading stands instead, and how to point gnv at that row."""
        for index, line in enumerate(self.preview):
            if index + 1 != self.header_row and name in (cell.strip() for cell in line):
                return "; " + header_advice(self.path, self.sheet, index + 1)
        return ""

    def column(self, name: str) -> list[str]:
        """The cells of one column, in row order."""
        return list(map(itemgetter(name), self.rows))

    def integers(self, name: str) -> list[int] | None:
        """A column's cells as whole numbers when every one is a plain digit string (``1200``),
        else ``None``; parsed once per table and kept (``plain_integers``)."""
        if name not in self._integers:
            self._integers[name] = plain_integers(self.column(name))
        return self._integers[name]

    def numbered(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Rows with their row number as a spreadsheet shows it (the header is row 1)."""
        if self.row_numbers:
            yield from zip(self.row_numbers, self.rows, strict=True)
            return
        for index, row in enumerate(self.rows):
            yield index + 2, row


def header_advice(path: Path | str, sheet: str | None, row: int) -> str:
    """How to say where the headings are: ``fil.xlsx#Blad1!A3`` for Excel; CSV has no way."""
    name = Path(str(path).split(", flik ")[0]).name
    if sheet is not None:
        return (
            f"kolumnrubrikerna står på rad {row}: skriv {name}#{sheet}!A{row} som filnamn i "
            "parameterfilen, eller ta bort raderna ovanför rubrikraden"
        )
    return (
        f"kolumnrubrikerna står på rad {row}, men i en CSV-fil måste de stå på första raden: "
        "ta bort raderna ovanför (eller läs Excel-filen direkt, med fil.xlsx#Flik!A"
        f"{row})"
    )


def describe_char(char: str) -> str:
    """``"\u200b"`` → ``"U+200B (ZERO WIDTH SPACE)"``: a character a message can show."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def check_text(text: str, *, file: Path | str, row: int, column: str, names: bool = False) -> str:
    """NFC-normalise a cell; reject control characters, and in names invisible ones."""
    if len(text) > MAX_CELL_CHARS:
        raise InputError(
            f"värdet är {len(text)} tecken långt; högst {MAX_CELL_CHARS} tillåts",
            file=file,
            row=row,
            column=column,
        )
    if text.isascii() and text.isprintable():  # nothing to normalise or to look for
        return text
    text = unicodedata.normalize("NFC", text)
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" and char not in "\t":
            raise InputError(
                f"texten innehåller ett styrtecken, {describe_char(char)}; ta bort det",
                file=file,
                row=row,
                column=column,
            )
        if names and (category in _INVISIBLE or char == "\t"):
            raise InputError(
                f"namnet innehåller ett osynligt tecken, {describe_char(char)}; ta bort det",
                file=file,
                row=row,
                column=column,
            )
    return text


def check_unique(table: Table, column: str, values: Sequence[tuple[int, str]]) -> None:
    """Raise on the first value that occurs twice, naming both rows."""
    first_row: dict[str, int] = {}
    for row, value in values:
        if value in first_row:
            raise InputError(
                f'"{value}" förekommer två gånger (även på rad {first_row[value]})',
                file=table.path,
                row=row,
                column=column,
            )
        first_row[value] = row
