"""An Excel workbook with every table of a report, for auditors who check in Excel.

The tables are read from the executed notebook (the raw values each table carries), so the
workbook holds exactly the figures the report shows: kronor as integer numbers with a kronor
number format, shares as percent, missing figures as empty cells marked "uppgift saknas".
"""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from gnvtools.reports.display import ILLUSTRATIVE, MISSING, TABLE_MIME

KR_FORMAT = '#,##0 "kr"'
PERCENT_FORMAT = "0.0%"
INT_FORMAT = "#,##0"
_BAD = re.compile(r"[\[\]:*?/\\]")


def report_tables(notebook: Any) -> list[dict[str, Any]]:
    """Every table the executed notebook displayed, in order."""
    tables: list[dict[str, Any]] = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if TABLE_MIME in data:
                tables.extend(data[TABLE_MIME]["tables"])
    return tables


def _sheet_name(title: str, used: set[str]) -> str:
    base = _BAD.sub("-", title).strip() or "Tabell"
    name = base[:31]
    counter = 2
    while name.lower() in used:
        suffix = f" ({counter})"
        name = base[: 31 - len(suffix)] + suffix
        counter += 1
    used.add(name.lower())
    return name


def workbook_bytes(notebook: Any, title: str) -> bytes:
    wb = Workbook()
    about = wb.active
    about.title = "Om rapporten"
    about["A1"] = title
    about["A1"].font = Font(bold=True, size=14)
    about["A3"] = "Arbetsboken innehåller rapportens alla tabeller, en tabell per flik."
    about["A4"] = "Belopp är hela kronor; tomma celler markerade 'uppgift saknas' saknar uppgift."
    tables = report_tables(notebook)
    about["A6"] = "Flik"
    about["B6"] = "Tabell"
    about["A6"].font = about["B6"].font = Font(bold=True)
    used = {"om rapporten"}
    for index, table in enumerate(tables, start=7):
        name = _sheet_name(table["title"], used)
        about.cell(row=index, column=1, value=name)
        about.cell(
            row=index,
            column=2,
            value=table["title"]
            + (f" ({ILLUSTRATIVE.lower()})" if table.get("illustrative") else ""),
        )
        _write_table(wb.create_sheet(name), table)
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 70
    _all_text_as_text(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# Text beginning with these is a formula or command to a spreadsheet (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _all_text_as_text(wb: Any) -> None:
    """Every text cell is stored as text: a name like ``=HYPERLINK(…)`` never becomes a formula.

    openpyxl turns any string starting with ``=`` into a formula cell; resetting the type stores
    it as an inline string, and the text number format keeps Excel from re-reading it on edit.
    """
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if cell.value.startswith(FORMULA_START):
                        cell.number_format = "@"


def _write_table(ws: Any, table: dict[str, Any]) -> None:
    ws["A1"] = table["title"]
    ws["A1"].font = Font(bold=True, size=12)
    if table.get("illustrative"):
        # The same mark the report shows at the table: made-up data must be seen where used.
        ws["A2"] = f"{ILLUSTRATIVE}: {table['illustrative']}"
        ws["A2"].font = Font(bold=True, color="7A5C00")
    kinds = table["kinds"]
    for col, header in enumerate(table["columns"], start=1):
        cell = ws.cell(row=3, column=col, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    rows = list(table["rows"])
    if table.get("footer"):
        rows.append(table["footer"])
    for r, row in enumerate(rows, start=4):
        is_footer = table.get("footer") is not None and r == 3 + len(rows)
        for c, (value, kind) in enumerate(zip(row, kinds, strict=True), start=1):
            if value is None:
                cell = ws.cell(row=r, column=c, value=MISSING if kind != "text" else None)
                cell.font = Font(italic=True, color="666666", bold=is_footer)
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if kind == "kr":
                cell.number_format = KR_FORMAT
            elif kind == "percent":
                cell.number_format = PERCENT_FORMAT
            elif kind == "int":
                cell.number_format = INT_FORMAT
            if is_footer:
                cell.font = Font(bold=True)
    for col, kind in enumerate(kinds, start=1):
        width = 44 if kind == "text" else 18
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A4"
