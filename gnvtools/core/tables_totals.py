"""Rows that are not data: total rows below the data, title rows above the headings.

gnv sums by itself, so a total row ("Summa", a formula summing the cells above, or numbers that
are the sums of the rows above) would count twice and is refused. A title above the table read
as headings is recognised, and the message says where the headings seem to be.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, localcontext
from itertools import accumulate, compress, islice
from operator import eq
from pathlib import Path

from gnvtools.core.tables_cells import KEY_COLUMNS, PREVIEW_ROWS, Table, header_advice
from gnvtools.core.tables_numbers import is_number, loose_number
from gnvtools.errors import InputError

# What people write in the first column of a total row. A row whose key cell reads like this is
# never a recipient: gnv sums by itself, and a "Summa" row would take its share twice.
TOTAL_WORDS = frozenset(
    {
        "summa",
        "summa totalt",
        "totalsumma",
        "totalt",
        "total",
        "delsumma",
        "delsummor",
        "s:a",
        "sum",
        "summering",
        "grand total",
        "subtotal",
        "totals",
    }
)
_TOTAL_PREFIXES = ("summa ", "totalt ", "total ", "delsumma ", "totalsumma ", "s:a ")
_SUM_FORMULA = re.compile(r"\b(?:SUM|SUMMA|SUBTOTAL|DELSUMMA|AGGREGATE|MÄNGD)\s*\(", re.IGNORECASE)
# What an Excel table's own total row holds: =SUBTOTAL(109,[Befolkning]), a column by name.
_TABLE_TOTAL = re.compile(r"\b(?:SUBTOTAL|AGGREGATE)\s*\(", re.IGNORECASE)
_RANGE = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)\s*:\s*\$?([A-Z]{1,3})\$?([0-9]+)")


def _width(cells: Sequence[str]) -> int:
    return sum(1 for cell in cells if cell.strip())


def guess_header_row(lines: Sequence[Sequence[str]]) -> int | None:
    """The row (1-based) that looks like a table's headings when row 1 looks like a title.

    Headings are a row of at least two texts (no numbers), as wide as any row near it; the rows
    above it hold no numbers and are narrower (a title, a date line, blank rows). ``None`` when
    row 1 itself is such a row, or no row is.
    """
    window = [list(line) for line in lines[:PREVIEW_ROWS]]
    if not window:
        return None
    widest = max(_width(line) for line in window)
    for index, line in enumerate(window):
        width = _width(line)
        texts = [cell for cell in line if cell.strip()]
        if width >= 2 and width == widest and not any(is_number(c) for c in texts):
            if index == 0:
                return None
            above = window[:index]
            if all(
                _width(a) < width and not any(is_number(c) for c in a if c.strip()) for a in above
            ):
                return index + 1
            return None
        if any(is_number(c) for c in texts):
            return None  # data before any heading row: not a title above a table
    return None


def too_wide(
    cells: int,
    columns: int,
    header_row: int,
    explicit: bool,
    shown: Path | str,
    sheet: str | None,
    lines: Sequence[Sequence[str]],
) -> str:
    """A row wider than the headings: most often a title above the table, read as headings.
    Says that the headings must be the first row, and where they seem to be if a row below
    looks like them."""
    said = f"raden har {cells} värden men rubrikraden (rad {header_row}) bara {columns}"
    said += " kolumn" if columns == 1 else " kolumner"
    if explicit:
        return f"{said}; ge varje kolumn en rubrik på rad {header_row}"
    for index in range(header_row, min(len(lines), PREVIEW_ROWS)):
        texts = [c for c in lines[index] if c.strip()]
        if len(texts) >= cells and not any(is_number(c) for c in texts):
            return f"{said}; {header_advice(shown, sheet, index + 1)}"
    return (
        f"{said}: kolumnrubrikerna måste stå på första raden, en rubrik per kolumn; ta bort "
        "en rubrik eller andra rader ovanför tabellen"
    )


_LABEL_STARTS = frozenset(word[0] for word in TOTAL_WORDS | set(_TOTAL_PREFIXES))


def is_total_label(text: str) -> bool:
    """``Summa``, ``Totalt:``, ``Summa stadsdelar``: a label of a total row, not a name."""
    if text[:1].casefold() not in _LABEL_STARTS:
        return False
    folded = " ".join(text.casefold().split()).rstrip(":.")
    return folded in TOTAL_WORDS or folded.startswith(_TOTAL_PREFIXES)


_TOTAL_ADVICE = "gnv summerar själv, så ta bort raden (summor kan stå på en annan flik)"


def refuse_totals(table: Table, formulas: dict[tuple[int, int], str], offset: int = 0) -> None:
    """Raise on a row that totals the rows above it: gnv sums by itself.

    A total row is recognised by its label (``Summa``, ``Totalt`` … in the first column or the
    name column), by a formula summing the cells above it in its column, or by its numbers:
    each numeric value above 1 is the sum of the same column in the rows above (at least two
    columns, or one when the row has no name). Shares and yes/no flags (values up to 1) may
    stand in a total row as averages or marks and are not compared.
    """
    if formulas or _label_rows(table) or _summing_rows(table):
        _refuse_row_by_row(table, formulas, offset)


def _label_rows(table: Table) -> bool:
    """Whether a label column has a cell that may read as a total row's label: the cells are
    looked at only when one starts with a letter a label can start with."""
    columns = table.columns
    for i, column in enumerate(columns):
        if i != 0 and column not in KEY_COLUMNS:
            continue
        cells = table.column(column)
        starts = {c for c in {cell[:1] for cell in cells} if c.casefold() in _LABEL_STARTS}
        if starts and any(is_total_label(cell) for cell in cells if cell[:1] in starts):
            return True
    return False


def _summing_rows(table: Table) -> bool:
    """Whether some column has a value above 1 that is the sum of at least two numbers above it
    (before the column's first text): a superset of the rows ``_refuse_row_by_row`` refuses by
    their numbers, found column by column. A column of plain whole numbers is compared at C
    speed against its running sums (``Table.integers``, parsed once)."""
    for column in table.columns:
        values = table.integers(column)
        if values is not None:
            sums = accumulate(values)
            later = islice(values, 2, None)
            equal = map(eq, islice(values, 2, None), islice(sums, 1, None))
            if any(value > 1 for value in compress(later, equal)):
                return True
        elif _sums_in_cells(table.column(column)):
            return True
    return False


def _sums_in_cells(cells: list[str]) -> bool:
    """``_summing_rows`` for a column not all plain whole numbers: each cell read by
    ``loose_number``, the column given up at its first text, as ``_refuse_row_by_row`` does."""
    total: int | Decimal = 0
    count = 0
    with localcontext(prec=80):  # as in _refuse_row_by_row
        for cell in cells:
            if not cell:
                continue
            value = loose_number(cell)
            if value is None:
                return False
            if value > 1 and count >= 2 and value == total:
                return True
            total += value
            count += 1
    return False


def _refuse_row_by_row(table: Table, formulas: dict[tuple[int, int], str], offset: int) -> None:
    """``refuse_totals`` row by row, raising at the first total row: run for a sheet with
    formulas, and for a table where a label or a column's numbers may make a total row."""
    columns = table.columns
    width = len(columns)
    labels = [i for i, c in enumerate(columns) if i == 0 or c in KEY_COLUMNS]
    key = next((i for i, c in enumerate(columns) if c in KEY_COLUMNS), 0)
    sums: list[int | Decimal] = [0] * width
    counts = [0] * width
    numeric = [True] * width
    # Sums of up to a million cells of up to 30 digits stay exact with 80 digits.
    with localcontext(prec=80):
        for row_no, row in table.numbered():
            cells = [row[c] for c in columns]
            for i in labels:
                if cells[i] and is_total_label(cells[i]):
                    raise InputError(
                        f'raden "{cells[i]}" är en summarad, inte en mottagare; {_TOTAL_ADVICE}',
                        file=table.path,
                        row=row_no,
                        column=columns[i],
                    )
            if formulas:
                _refuse_sum_formulas(table, formulas, offset, row_no)
            values: list[int | Decimal | None] = [None] * width
            matching: list[int] = []
            differing = False
            for i in range(width):
                if not numeric[i] or not cells[i]:
                    continue
                value = loose_number(cells[i])
                if value is None:
                    numeric[i] = False  # text: this column is not summed
                    continue
                values[i] = value
                if value > 1:
                    if counts[i] >= 2 and value == sums[i]:
                        matching.append(i)
                    else:
                        differing = True
            if matching and not differing and (len(matching) >= 2 or not cells[key]):
                shown = ", ".join(f'"{columns[i]}"' for i in matching)
                raise InputError(
                    f"raden ser ut att vara en summarad: värdena i {shown} är summan av raderna "
                    f"ovanför; {_TOTAL_ADVICE}",
                    file=table.path,
                    row=row_no,
                    column=columns[matching[0]],
                )
            for i, value in enumerate(values):
                if value is not None:
                    sums[i] += value
                    counts[i] += 1


def _refuse_sum_formulas(
    table: Table, formulas: dict[tuple[int, int], str], offset: int, row_no: int
) -> None:
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(table.columns):
        formula = formulas.get((row_no, offset + index + 1))
        if formula is None:
            continue
        letter = get_column_letter(offset + index + 1)
        if sums_above(formula, letter, row_no):
            raise InputError(
                f"raden summerar raderna ovanför (cell {letter}{row_no}: {formula[:60]}); "
                + _TOTAL_ADVICE,
                file=table.path,
                row=row_no,
                column=column,
            )


def sums_above(formula: str, letter: str, row: int) -> bool:
    """Whether ``formula`` in column ``letter``, row ``row`` sums cells above it in its column."""
    if not _SUM_FORMULA.search(formula):
        return False
    if _TABLE_TOTAL.search(formula):
        return True
    for first, top, last, bottom in _RANGE.findall(formula.upper()):
        if first == last == letter and int(top) < row and int(bottom) < row:
            return True
    return False
