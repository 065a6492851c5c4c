"""Reading a table from an Excel workbook (.xlsx, .xlsm) with openpyxl.

A file name may say which sheet and where its headings start (``fil.xlsx#Blad2!A3``). The
workbook is read twice, stored values and formulas, so a formula Excel never computed, an
Excel error, or a row summing the rows above is refused with the cell it is in.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import Any, BinaryIO

from gnvtools.core.tables_bounds import MAX_EXCEL_ROWS, check_unpacked_size, read_bytes_bounded
from gnvtools.core.tables_cells import Table
from gnvtools.core.tables_lines import table_from_lines
from gnvtools.core.tables_totals import sums_above
from gnvtools.errors import InputError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!")
_START_CELL = re.compile(r"^([A-Za-z]{0,3})([1-9][0-9]{0,6})$")


def split_sheet(name: str) -> tuple[str, str | None]:
    """``"data/mottagare.xlsx#Blad2"`` → ``("data/mottagare.xlsx", "Blad2")``; CSV as it is.

    What follows ``#`` is the sheet, optionally with the cell where the table starts:
    ``Blad2!A3`` (see ``resolve_sheet``).
    """
    base, sep, sheet = name.partition("#")
    if sep and base.lower().endswith(EXCEL_SUFFIXES):
        return base, sheet or None
    return name, None


@dataclass(frozen=True)
class SheetChoice:
    """Which sheet of a workbook to read, and the cell its header row starts at (1-based)."""

    title: str
    header_row: int = 1
    first_column: int = 1
    explicit: bool = False  # the parameter file said where the headings are


def resolve_sheet(fragment: str | None, titles: Sequence[str], shown: Path | str) -> SheetChoice:
    """What ``#…`` after an Excel file name means, given the workbook's sheet names.

    ``None`` is the first sheet; ``Blad2`` a sheet by name (a name that exists always wins, so
    files valid before keep their meaning); ``Blad2!A3`` that sheet with its headings in row 3
    starting at column A; ``!A3`` the first sheet so.
    """
    if not titles:
        raise InputError("Excel-filen har inga flikar", file=shown)
    if not fragment:
        return SheetChoice(titles[0])
    if fragment in titles:
        return SheetChoice(fragment)
    sheet, bang, cell = fragment.rpartition("!")
    match = _START_CELL.match(cell) if bang else None
    if match is None or (sheet and sheet not in titles):
        wanted = sheet if match else fragment
        raise InputError(
            f'fliken "{wanted}" finns inte; flikar: {", ".join(titles)} (skriv fil.xlsx#Flik, '
            "eller fil.xlsx#Flik!A3 när kolumnrubrikerna står på rad 3)",
            file=shown,
        )
    from openpyxl.utils import column_index_from_string

    column = column_index_from_string(match.group(1).upper()) if match.group(1) else 1
    return SheetChoice(sheet or titles[0], int(match.group(2)), column, explicit=True)


def _excel_text(value: object) -> str:
    """A cell's value as the text a CSV export would hold (numbers exact, no float noise)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)  # the shortest exact decimal of the double Excel stored
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value)


def _formula_text(value: object) -> str | None:
    """A cell's formula (``=SUM(B2:B9)``) as openpyxl gives it without cached values."""
    text = getattr(value, "text", value)  # array formulas come as objects with .text
    if isinstance(text, str) and text.startswith("="):
        return text
    return None


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its cells as text (row 1 first) and its formulas by (row, column)."""

    title: str
    lines: list[list[str]]
    formulas: dict[tuple[int, int], str]


def _open_workbook(source: Path | BinaryIO, shown: Path | str, *, data_only: bool) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(source, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for broken files
        raise InputError("Excel-filen kan inte läsas (är den en .xlsx-fil?)", file=shown) from exc


def read_sheets(
    source: Path | bytes,
    shown: Path | str,
    pick: Callable[[list[str]], Collection[str]] | None = None,
) -> list[Sheet]:
    """The sheets of a workbook (all, or those ``pick`` chooses from the sheet names), read
    twice: stored values and formulas.

    Excel saves a formula's last result beside it; openpyxl gives one or the other, so the
    workbook is opened once for each and the two read in step.
    """

    def stream() -> Path | BinaryIO:
        return io.BytesIO(source) if isinstance(source, bytes) else source

    check_unpacked_size(stream(), shown)
    values = _open_workbook(stream(), shown, data_only=True)
    formulas = _open_workbook(stream(), shown, data_only=False)
    sheets = []
    try:
        titles = list(values.sheetnames)
        wanted = set(pick(titles)) if pick is not None else set(titles)
        for title in titles:
            if title not in wanted:
                continue
            where = f"{shown}, flik {title}"
            lines: list[list[str]] = []
            found: dict[tuple[int, int], str] = {}
            rows = zip_longest(
                values[title].iter_rows(values_only=True),
                formulas[title].iter_rows(),
                fillvalue=(),
            )
            for number, (cached, written) in enumerate(rows, start=1):
                if number > MAX_EXCEL_ROWS:
                    raise InputError(f"fliken har fler än {MAX_EXCEL_ROWS} rader", file=where)
                for column, cell in enumerate(written, start=1):
                    # Only a formula cell: text that merely begins with "=" is text.
                    if getattr(cell, "data_type", None) == "f":
                        formula = _formula_text(cell.value)
                        if formula is not None:
                            found[(number, column)] = formula
                lines.append([_excel_text(v) for v in cached])
            sheets.append(Sheet(title, lines, found))
    except InputError:
        raise
    except Exception as exc:  # a sheet's XML can be broken where the workbook's is not
        raise InputError("Excel-filen kan inte läsas (är den en .xlsx-fil?)", file=shown) from exc
    finally:
        values.close()
        formulas.close()
    return sheets


def read_excel(path: Path | bytes, shown: Path | str, sheet: str | None) -> Table:
    """The first (or the named) sheet of an .xlsx file as a ``Table``.

    ``sheet`` is what followed ``#`` in the file name: a sheet, optionally with the cell its
    headings start at (``Blad2!A3``). Without that cell the headings must be in row 1.
    """
    if isinstance(path, Path):
        read_bytes_bounded(path, shown)  # the same checks as for CSV: regular file, size
    chosen: list[SheetChoice] = []

    def pick(titles: list[str]) -> list[str]:
        chosen.append(resolve_sheet(sheet, titles, shown))
        return [chosen[0].title]

    found = read_sheets(path, shown, pick)[0]
    return sheet_table(found, shown, chosen[0])


def sheet_table(sheet: Sheet, shown: Path | str, choice: SheetChoice) -> Table:
    """A read sheet as a ``Table``, its headings where ``choice`` says."""
    where = f"{shown}, flik {sheet.title}"
    _check_formulas(sheet, where, choice.header_row)
    return table_from_lines(
        sheet.lines,
        where,
        header_row=choice.header_row,
        first_column=choice.first_column,
        explicit=choice.explicit,
        sheet=sheet.title,
        formulas=sheet.formulas,
    )


def _check_formulas(sheet: Sheet, where: str, header_row: int) -> None:
    """Formulas Excel never computed (no stored value) or whose stored value is an error."""
    from openpyxl.utils import get_column_letter

    for (row, column), formula in sorted(sheet.formulas.items()):
        if row <= header_row:
            continue
        line = sheet.lines[row - 1] if row - 1 < len(sheet.lines) else []
        value = line[column - 1] if column - 1 < len(line) else ""
        cell = f"{get_column_letter(column)}{row}"
        heading = _heading(sheet.lines, header_row, column)
        if sums_above(formula, get_column_letter(column), row):
            if value == "":  # no stored value: the row would read as blank, so say it here
                raise InputError(
                    f"cell {cell} summerar raderna ovanför ({formula[:60]}) men har inget "
                    "sparat värde; en summarad hör inte hemma i underlaget: ta bort raden",
                    file=where,
                    row=row,
                    column=heading,
                )
            continue  # a total row: refused with its own message once the table is read
        if value == "":
            raise InputError(
                f"cell {cell} har en formel ({formula[:60]}) men inget sparat värde; öppna "
                "filen i Excel och spara den (då sparas formlernas värden), eller skriv in "
                "värdena",
                file=where,
                row=row,
                column=heading,
            )
        if value in _EXCEL_ERRORS:
            raise InputError(
                f"cell {cell} visar Excel-felet {value} ({formula[:60]}); rätta formeln eller "
                "skriv in värdet",
                file=where,
                row=row,
                column=heading,
            )


def _heading(lines: list[list[str]], header_row: int, column: int) -> str | None:
    header = lines[header_row - 1] if header_row - 1 < len(lines) else []
    text = header[column - 1].strip() if column - 1 < len(header) else ""
    return text[:40] or None
