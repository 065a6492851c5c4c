"""The workbook's formats and its sheets besides the report's tables: the figures with their
sources and each input as read (the rows come from ``excel_inputs``).

Every text cell is stored as text (``text_as_text``), so a name from the data that starts like
a formula never becomes one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gnvtools.publish.excel_inputs import FIGURE_COLUMNS, InputTable, figure_rows
from gnvtools.publish.excel_style import Alignment, Font
from gnvtools.publish.excel_style import column_letter as get_column_letter

KR_FORMAT = '#,##0 "kr"'
PERCENT_FORMAT = '0.0" "%'  # Swedish: 68,4 % (Excel shows the decimal comma by locale)
YEAR_FORMAT = "0"
INT_FORMAT = "#,##0"

# The formats used, made once (a cell holds a shared one: openpyxl and ``excel_book`` alike).
BOLD = Font(bold=True)
ITALIC = Font(italic=True)
HEADING = Font(bold=True, size=12)  # a sheet's title in A1
TITLE = Font(bold=True, size=14)  # the workbook's title on the first sheet
MADE_UP = Font(bold=True, color="7A5C00")  # the mark of made-up data, as the report shows it
WRAPPED = Alignment(wrap_text=True, vertical="top")  # column headings

# Text beginning with these is a formula or command to a spreadsheet (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_as_text(sheet: Any) -> None:
    """Every text cell written so far is stored as text: a name like ``=HYPERLINK(…)`` from the
    data never becomes a formula. (Runs before gnvtools adds its own check formulas.)

    openpyxl turns any string starting with ``=`` into a formula cell; resetting the type stores
    it as an inline string, and the text number format keeps Excel from re-reading it on edit.
    """
    # The cells written (openpyxl's own map): ``iter_rows`` would make a cell for every empty
    # place in the sheet's range first, about as many as there are written ones.
    for cell in list(sheet._cells.values()):
        value = cell._value  # what ``value`` gives, on both kinds of cell, without a call
        if isinstance(value, str):
            cell.data_type = "s"
            if value.startswith(FORMULA_START):
                cell.number_format = "@"


def _put(ws: Any, row: int, values: Sequence[Any]) -> None:
    """``values`` from column A of ``row``, as ``ws.cell(row, column, value)`` would write each
    (``append`` makes the cells without looking each place up; it writes below the last row)."""
    if row != ws._current_row + 1:  # openpyxl's last row written, where ``append`` goes on
        raise ValueError(f"row {row} does not follow row {ws._current_row}")
    ws.append(list(values))


def head(ws: Any, title: str, note: str, columns: Sequence[str]) -> None:
    """Title in A1, a note in A2, the column headings in row 3 (as on every table sheet)."""
    ws["A1"] = title
    ws["A1"].font = HEADING
    if note:
        ws["A2"] = note
    for col, header in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=col, value=header)
        cell.font = BOLD
        cell.alignment = WRAPPED
    ws.freeze_panes = "A4"


def write_figures(ws: Any, figures: list[dict[str, Any]]) -> None:
    head(
        ws,
        "Rapportens tal",
        "Talkatalogen: varje tal rapporten bygger på, även de som bara står här, med skede "
        "och källa (indata när katalogen anger dem, annars talen det är beräknat ur). "
        "Rapporten kan visa ett tal exakt där katalogen har en avrundad text.",
        FIGURE_COLUMNS,
    )
    rows = figure_rows(figures)
    for r, (values, figure) in enumerate(zip(rows, figures, strict=True), start=4):
        _put(ws, r, values)
        value = values[2]
        if isinstance(value, int):
            number = KR_FORMAT if figure.get("kind") == "kr" else INT_FORMAT
            ws.cell(row=r, column=3).number_format = number
        elif isinstance(value, float):
            ws.cell(row=r, column=3).number_format = PERCENT_FORMAT
    text_as_text(ws)
    if rows:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(FIGURE_COLUMNS))}{3 + len(rows)}"
    for col, width in enumerate((34, 50, 18, 24, 8, 12, 50, 10, 14), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def write_input(ws: Any, found: InputTable) -> None:
    columns = ["Fil", "Rad", *found.table.columns]
    head(
        ws,
        f"Indata: {found.shown}",
        "Raderna så som gnvtools läste dem; Rad är raden i filen (flik!rad i Excel).",
        columns,
    )
    rows = found.rows()
    for r, (file, place, values) in enumerate(rows, start=4):
        _put(ws, r, [file, place, *values])
    text_as_text(ws)
    if rows:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(columns))}{3 + len(rows)}"
    for col in range(1, len(columns) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 30 if col == 1 else 16
