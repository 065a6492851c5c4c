"""An Excel workbook with every table of a report, for auditors who check in Excel.

The tables are read from the report's document (``reports.document``: the table blocks of the
executed notebook, with the raw values each table carries), so the workbook holds exactly the
figures the report shows: kronor as integer numbers with a kronor number format, shares as
percent, missing figures as empty cells marked "uppgift saknas". Besides them: a first sheet
with the contents (every sheet with its full title) and the provenance; under each table the
rows that reconcile its total with the report's figures (``excel_reconcile``); the figures
with their stage and source and each input as read, with file and row (``excel_sheets``,
``excel_inputs``). Sheet names are whole and true (``excel_names``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from gnvtools.publish.excel_inputs import input_tables, notebook_report
from gnvtools.publish.excel_names import SheetNames
from gnvtools.publish.excel_reconcile import Line, Reconciliation, reconcile
from gnvtools.publish.excel_sheets import (
    INT_FORMAT,
    KR_FORMAT,
    PERCENT_FORMAT,
    YEAR_FORMAT,
    text_as_text,
    write_figures,
    write_input,
)
from gnvtools.reports.display import FIGURES_MIME, MISSING
from gnvtools.reports.document import ILLUSTRATIVE, TableBlock, document_of

ABOUT = "Om rapporten"
SUBTRACTED = "\u2212"  # a row whose label begins "− " is taken away in the table's total
FIGURES = "Tal i rapporten"


#: A table's fields as the table MIME (``display.TABLE_MIME``) and the manifest hold them.
TABLE_FIELDS = ("key", "title", "columns", "kinds", "rows", "footer", "illustrative")


def report_tables(notebook: Any) -> list[dict[str, Any]]:
    """Every table the executed notebook displayed, in order (also ``recompute.Recomputed``)."""
    shown = [table.as_json() for table in document_of(notebook).of_kind(TableBlock)]
    # Which figure each cell shows, when the table names them (manifest ``tables[].cells``).
    named = ("cells", "footer_cells")
    return [
        {name: table[name] for name in (*TABLE_FIELDS, *named) if name in table} for table in shown
    ]


def _table(tables: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    return next((t for t in tables if t.get("key") == key), None)


def _write_about(
    ws: Any,
    title: str,
    tables: list[dict[str, Any]],
    contents: list[tuple[str, str]],
    provenance: list[dict[str, Any]],
) -> None:
    """The first sheet: what the workbook is, where it comes from, and what is made up."""
    bold = Font(bold=True)
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"Skapad {datetime.now(UTC).astimezone().strftime('%Y-%m-%d %H:%M')} av gnvtools"
    ws["A3"] = (
        "Arbetsboken innehåller rapportens alla tabeller, en per flik, rapportens tal med "
        "källa och varje indatafil så som gnvtools läste den, med fil och rad. Belopp är hela "
        "kronor som tal; en tom cell med en kommentar saknar uppgift. Under en tabell stämmer "
        "raderna Enligt rapporten av summan mot rapportens tal, och raden Kontrollsumma "
        "räknar om summan med en formel."
    )
    row = 5
    names = [name for name, _ in contents[: len(tables)]]
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
    ws.cell(row=row, column=2, value="Innehåll").font = bold
    for name, full in contents:
        row += 1
        ws.cell(row=row, column=1, value=name)
        ws.cell(row=row, column=2, value=full)
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


def workbook_bytes(
    notebook: Any,
    title: str,
    *,
    report: str | None = None,
    params: Path | None = None,
    inputs: Sequence[Path] | None = None,
) -> bytes:
    """The report's workbook: contents and provenance, a sheet per table (with reconciliation
    rows), the figures with their sources, and a sheet per input as read.

    ``report`` and ``params`` default to what the executed notebook records (papermill's
    parameters, resolved from the working folder, as ``gnv render`` runs); ``inputs`` to the
    files the report declares (``render.validate_report``).
    """
    wb = Workbook()
    wb.properties.title = title
    wb.properties.creator = "gnvtools"
    wb.properties.lastModifiedBy = "gnvtools"
    wb.properties.language = "sv-SE"
    wb.properties.subject = "Statsbidrag för god och nära vård"
    about = wb.active
    about.title = ABOUT
    every = report_tables(notebook)
    figures = _figures(notebook)
    tables = [t for t in every if not t["key"].startswith("provenance-")]
    names = SheetNames(figures, reserved=[ABOUT])
    figures_sheet = names.fixed(FIGURES) if figures else ""
    contents = [(names.table(t["title"]), str(t["title"])) for t in tables]
    if report is None or params is None:
        recorded = notebook_report(notebook)
        report, params = recorded if recorded else (None, None)
    read = input_tables(report, params, inputs) if report and params else []
    for name, table in zip([n for n, _ in contents], tables, strict=True):
        _write_table(wb.create_sheet(name), table, reconcile(table, figures))
    if figures:
        contents.append((figures_sheet, "Rapportens tal med enhet, skede och källa"))
        write_figures(wb.create_sheet(figures_sheet), figures)
    for number, found in enumerate(read, start=1):
        name = names.numbered("Indata", number, Path(found.shown.split("#")[0]).name)
        contents.append((name, f"Indata så som gnvtools läste den: {found.shown}"))
        write_input(wb.create_sheet(name), found)
    _write_about(about, title, tables, contents, every)
    text_as_text(about)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _figures(notebook: Any) -> list[dict[str, Any]]:
    """The catalogue the notebook displayed (as ``manifest.report_figures``), or none."""
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            found = output.get("data", {}).get(FIGURES_MIME)
            if found is not None:
                return list(found["figures"])
    return []


def _write_reconciliation(ws: Any, checks: Sequence[Reconciliation], row: int, width: int) -> int:
    """Under the sum row: the report's figures outside the table (``Utanför tabellen: …``) and
    the total the report states (``Enligt rapporten: …``), each value under its column and the
    figure's name in the column after the table. Returns the next free row."""
    lines: list[tuple[str, Line, int]] = []
    for check in checks:
        lines += [("Utanför tabellen", line, check.column) for line in check.outside]
    lines += [("Enligt rapporten", check.stated, check.column) for check in checks]
    for prefix, line, column in lines:
        ws.cell(row=row, column=1, value=f"{prefix}: {line.label}").font = Font(italic=True)
        cell = ws.cell(row=row, column=column + 1, value=line.value)
        cell.number_format = KR_FORMAT
        ws.cell(row=row, column=width + 1, value=f"tal: {line.name}").font = Font(italic=True)
        row += 1
    return row


def _write_table(ws: Any, table: dict[str, Any], checks: Sequence[Reconciliation] = ()) -> None:
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
    # The figure each cell shows (the table's cells), as a note on the cell: "tal: mottaget".
    named = list(table.get("cells") or [])
    named += [table.get("footer_cells") or []] if footer else []
    for r, row in enumerate(rows, start=first):
        is_footer = footer is not None and r == 3 + len(rows)
        figures = named[r - first] if r - first < len(named) else []
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
            if c - 1 < len(figures) and figures[c - 1]:
                cell.comment = Comment(f"tal: {figures[c - 1]}", "gnvtools")
    text_as_text(ws)
    if body:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(columns))}{last}"
    after = _write_reconciliation(ws, checks, 3 + len(rows) + 1, len(columns))
    if footer and body:
        # A total an auditor can check: the same sum, recomputed by Excel from the rows.
        check = after
        ws.cell(row=check, column=1, value="Kontrollsumma (formel)").font = Font(italic=True)
        signs = [SUBTRACTED if str(r[0]).startswith(SUBTRACTED) else "+" for r in body]
        for c, kind in enumerate(kinds, start=1):
            if kind in ("kr", "int") and c > 1:
                letter = get_column_letter(c)
                formula = f"=SUM({letter}{first}:{letter}{last})"
                if SUBTRACTED in signs:  # a table whose rows say "− Förbrukat": as they say
                    terms = [
                        f"{'-' if sign == SUBTRACTED else '+'}{letter}{first + i}"
                        for i, sign in enumerate(signs)
                    ]
                    formula = "=" + "".join(terms).lstrip("+")
                cell = ws.cell(row=check, column=c, value=formula)
                cell.number_format = KR_FORMAT if kind == "kr" else INT_FORMAT
                cell.font = Font(italic=True)
    for col, kind in enumerate(kinds, start=1):
        width = 44 if kind == "text" else 18
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A4"
