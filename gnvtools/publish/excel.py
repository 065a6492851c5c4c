"""An Excel workbook with every table of a report, for auditors who check in Excel.

The tables are read from the report's document (``reports.document``: the table blocks of the
executed notebook, with the raw values each table carries), so the workbook holds exactly the
figures the report shows: kronor as integer numbers with a kronor
number format, shares as percent, missing figures as empty cells marked "uppgift saknas".
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from gnvtools.reports.display import MISSING
from gnvtools.reports.document import ILLUSTRATIVE, TableBlock, document_of

KR_FORMAT = '#,##0 "kr"'
PERCENT_FORMAT = '0.0" "%'  # Swedish: 68,4 % (Excel shows the decimal comma by locale)
YEAR_FORMAT = "0"
INT_FORMAT = "#,##0"
_BAD = re.compile(r"[\[\]:*?/\\]")


#: A table's fields as the table MIME (``display.TABLE_MIME``) and the manifest hold them.
TABLE_FIELDS = ("key", "title", "columns", "kinds", "rows", "footer", "illustrative")


def report_tables(notebook: Any) -> list[dict[str, Any]]:
    """Every table the executed notebook displayed, in order (also ``recompute.Recomputed``)."""
    shown = [table.as_json() for table in document_of(notebook).of_kind(TableBlock)]
    return [{name: table[name] for name in TABLE_FIELDS} for table in shown]


def _fit_words(text: str, limit: int = 31) -> str:
    """As many whole words of ``text`` as fit in ``limit`` characters (never cut mid-word)."""
    words = text.split()
    kept = ""
    for word in words:
        candidate = f"{kept} {word}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    return (kept or words[0][:limit] if words else "").rstrip(" :-–,")  # no dangling dash


def sheet_name(title: str, used: set[str]) -> str:
    """A meaningful, unique sheet name within Excel's 31 characters, never cut mid-word.

    ``"Kvarvarande medel 2024: Projektledning"`` → ``"Projektledning"`` (the step), and
    ``"Statsbidrag 2025: Rekvisition stadsdelsförvaltningar"`` →
    ``"Statsbidrag 2025 – Rekvisition"``.
    """
    head, sep, step = title.partition(": ")  # "pot: step" titles of the model's tables
    head, step = (" ".join(_BAD.sub("-", part).split()) for part in (head, step))
    clean = (f"{head} – {step}" if sep else head) or "Tabell"
    candidates = [clean, step, _fit_words(clean), _fit_words(step)]
    for candidate in candidates:
        if candidate and len(candidate) <= 31 and candidate.lower() not in used:
            used.add(candidate.lower())
            return candidate
    base = _fit_words(clean, 27)
    number = 2
    while f"{base} {number}".lower() in used:
        number += 1
    name = f"{base} {number}"
    used.add(name.lower())
    return name


def _table(tables: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    return next((t for t in tables if t.get("key") == key), None)


def _write_about(
    ws: Any,
    title: str,
    tables: list[dict[str, Any]],
    names: list[str],
    provenance: list[dict[str, Any]],
) -> None:
    """The first sheet: what the workbook is, where it comes from, and what is made up."""
    bold = Font(bold=True)
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"Skapad {datetime.now(UTC).astimezone().strftime('%Y-%m-%d %H:%M')} av gnvtools"
    ws["A3"] = (
        "Arbetsboken innehåller rapportens alla tabeller, en per flik. Belopp är hela kronor "
        "som tal; en tom cell med en kommentar saknar uppgift. Raden Kontrollsumma under "
        "varje tabell räknar om summan med en formel."
    )
    row = 5
    made_up = [(n, t) for n, t in zip(names, tables, strict=True) if t.get("illustrative")]
    if made_up:
        ws.cell(row=row, column=1, value=ILLUSTRATIVE).font = Font(bold=True, color="7A5C00")
        row += 1
        for name, table in made_up:
            ws.cell(row=row, column=1, value=name)
            ws.cell(row=row, column=2, value=table["illustrative"])
            row += 1
        row += 1
    ws.cell(row=row, column=1, value="Flik").font = bold
    ws.cell(row=row, column=2, value="Tabell").font = bold
    for name, table in zip(names, tables, strict=True):
        row += 1
        ws.cell(row=row, column=1, value=name)
        ws.cell(row=row, column=2, value=table["title"])
    for key, label in (("provenance-inputs", "Underlag"), ("provenance-versions", "Versioner")):
        found = _table(provenance, key)
        if found is None:
            continue
        row += 2
        ws.cell(row=row, column=1, value=label).font = bold
        row += 1
        for col, header in enumerate(found["columns"], start=1):
            ws.cell(row=row, column=col, value=header).font = bold
        for values in found["rows"]:
            row += 1
            for col, value in enumerate(values, start=1):
                ws.cell(row=row, column=col, value=value)
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 16


def workbook_bytes(notebook: Any, title: str) -> bytes:
    wb = Workbook()
    wb.properties.title = title
    wb.properties.creator = "gnvtools"
    wb.properties.lastModifiedBy = "gnvtools"
    wb.properties.language = "sv-SE"
    wb.properties.subject = "Statsbidrag för god och nära vård"
    about = wb.active
    about.title = "Om rapporten"
    every = report_tables(notebook)
    tables = [t for t in every if not t["key"].startswith("provenance-")]
    used = {"om rapporten"}
    names = [sheet_name(t["title"], used) for t in tables]
    _write_about(about, title, tables, names, every)
    _text_as_text(about)
    for name, table in zip(names, tables, strict=True):
        _write_table(wb.create_sheet(name), table)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# Text beginning with these is a formula or command to a spreadsheet (OWASP: CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text_as_text(sheet: Any) -> None:
    """Every text cell written so far is stored as text: a name like ``=HYPERLINK(…)`` from the
    data never becomes a formula. (Runs before gnvtools adds its own check formulas.)

    openpyxl turns any string starting with ``=`` into a formula cell; resetting the type stores
    it as an inline string, and the text number format keeps Excel from re-reading it on edit.
    """
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
    columns = table["columns"]
    for col, header in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=col, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    body = list(table["rows"])
    footer = table.get("footer")
    rows = [*body, footer] if footer else body
    first, last = 4, 3 + len(body)
    for r, row in enumerate(rows, start=first):
        is_footer = footer is not None and r == 3 + len(rows)
        for c, (value, kind) in enumerate(zip(row, kinds, strict=True), start=1):
            if value is None:
                cell = ws.cell(row=r, column=c, value=None)
                if kind != "text":  # missing stays empty: a number column holds numbers only
                    cell.comment = Comment(MISSING, "gnvtools")
                continue
            if columns[c - 1] == "År" and isinstance(value, str) and value.isdigit():
                value = int(value)  # a year is a number an auditor can sort and filter
                kind = "year"
            cell = ws.cell(row=r, column=c, value=value)
            cell.number_format = {
                "kr": KR_FORMAT,
                "percent": PERCENT_FORMAT,
                "int": INT_FORMAT,
                "year": YEAR_FORMAT,
            }.get(kind, "General")
            if is_footer:
                cell.font = Font(bold=True)
    _text_as_text(ws)
    if body:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(columns))}{last}"
    if footer and body:
        # A total an auditor can check: the same sum, recomputed by Excel from the rows.
        check = 3 + len(rows) + 1
        ws.cell(row=check, column=1, value="Kontrollsumma (formel)").font = Font(italic=True)
        for c, kind in enumerate(kinds, start=1):
            if kind in ("kr", "int") and c > 1:
                letter = get_column_letter(c)
                cell = ws.cell(row=check, column=c, value=f"=SUM({letter}{first}:{letter}{last})")
                cell.number_format = KR_FORMAT if kind == "kr" else INT_FORMAT
                cell.font = Font(italic=True)
    for col, kind in enumerate(kinds, start=1):
        width = 44 if kind == "text" else 18
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A4"
