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

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gnvtools.publish.excel_book import Book
from gnvtools.publish.excel_inputs import input_tables, notebook_report
from gnvtools.publish.excel_names import SheetNames
from gnvtools.publish.excel_reconcile import reconcile
from gnvtools.publish.excel_save import workbook_bytes as saved_bytes
from gnvtools.publish.excel_sheets import (
    BOLD,
    MADE_UP,
    TITLE,
    text_as_text,
    write_figures,
    write_input,
)
from gnvtools.publish.excel_table import write_table
from gnvtools.reports.display import FIGURES_MIME
from gnvtools.reports.document import (
    ILLUSTRATIVE,
    Document,
    TableBlock,
    TitleBlock,
    document_of,
)

#: The table writer under its former name here (``tests/test_sources.py`` imports it).
_write_table = write_table

ABOUT = "Om rapporten"
FIGURES = "Tal i rapporten"


#: A table's fields as the table MIME (``display.TABLE_MIME``) and the manifest hold them.
TABLE_FIELDS = ("key", "title", "columns", "kinds", "rows", "footer", "illustrative")


def report_tables(notebook: Any, document: Document | None = None) -> list[dict[str, Any]]:
    """Every table the executed notebook displayed, in order (also ``recompute.Recomputed``);
    ``document``: the notebook's document when the caller has read it already."""
    document = document if document is not None else document_of(notebook)
    shown = [table.as_json() for table in document.of_kind(TableBlock)]
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
    ws["A1"] = title
    ws["A1"].font = TITLE
    ws["A2"] = f"Skapad {datetime.now(UTC).astimezone().strftime('%Y-%m-%d %H:%M')} av gnvtools"
    ws["A3"] = (
        "Arbetsboken innehåller rapportens alla tabeller, en per flik, rapportens tal med "
        "källa och varje indatafil så som gnvtools läste den, med fil och rad. Belopp är hela "
        "kronor som tal; en tom cell med en kommentar saknar uppgift. Kolumnen Källa anger "
        "varifrån en rads belopp kommer. Under en tabell stämmer raderna Enligt rapporten av "
        "summan mot rapportens tal (eller en rad säger varför det inte går), och raden "
        "Kontrollsumma räknar om summan med en formel. Långa fliknamn är förkortade; hela "
        "rubriken står nedan och i flikens första cell."
    )
    row = 5
    names = [name for name, _ in contents[: len(tables)]]
    made_up = [(n, t) for n, t in zip(names, tables, strict=True) if t.get("illustrative")]
    if made_up:
        ws.cell(row=row, column=1, value=ILLUSTRATIVE).font = MADE_UP
        row += 1
        for name, table in made_up:
            ws.cell(row=row, column=1, value=name)
            ws.cell(row=row, column=2, value=table["illustrative"])
            row += 1
        row += 1
    ws.cell(row=row, column=1, value="Flik").font = BOLD
    ws.cell(row=row, column=2, value="Innehåll").font = BOLD
    for name, full in contents:
        row += 1
        ws.cell(row=row, column=1, value=name)
        ws.cell(row=row, column=2, value=full)
    for key, label in (("provenance-inputs", "Underlag"), ("provenance-versions", "Versioner")):
        found = _table(provenance, key)
        if found is None:
            continue
        row += 2
        ws.cell(row=row, column=1, value=label).font = BOLD
        row += 1
        for col, header in enumerate(found["columns"], start=1):
            ws.cell(row=row, column=col, value=header).font = BOLD
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
    document: Document | None = None,
) -> bytes:
    """The report's workbook: contents and provenance, a sheet per table (with reconciliation
    rows), the figures with their sources, and a sheet per input as read.

    ``report`` and ``params`` default to what the executed notebook records (papermill's
    parameters, resolved from the working folder, as ``gnv render`` runs); ``inputs`` to the
    files the report declares (``render.validate_report``); ``document`` to what the notebook
    shows (``reports.document.document_of``), when the caller has read it for Word too.
    """
    book = Book()
    fill_workbook(
        book, notebook, title, report=report, params=params, inputs=inputs, document=document
    )
    return saved_bytes(book)


def fill_workbook(
    wb: Any,
    notebook: Any,
    title: str,
    *,
    report: str | None = None,
    params: Path | None = None,
    inputs: Sequence[Path] | None = None,
    document: Document | None = None,
) -> None:
    """Write the report's sheets into ``wb``, a new workbook: an ``excel_book.Book`` (what
    ``workbook_bytes`` saves) or openpyxl's ``Workbook`` (the tests' reference)."""
    document = document if document is not None else document_of(notebook)
    _properties(wb, document, title)
    about = wb.active
    about.title = ABOUT
    every = report_tables(notebook, document)
    figures = _figures(notebook)
    tables = [t for t in every if not t["key"].startswith("provenance-")]
    names = SheetNames(figures, reserved=[ABOUT], tables=tables)
    figures_sheet = names.fixed(FIGURES) if figures else ""
    contents = [(names.table(t["title"]), str(t["title"])) for t in tables]
    if report is None or params is None:
        recorded = notebook_report(notebook)
        report, params = recorded if recorded else (None, None)
    read = input_tables(report, params, inputs) if report and params else []
    for name, table in zip([n for n, _ in contents], tables, strict=True):
        write_table(wb.create_sheet(name), table, reconcile(table, figures), figures)
    if figures:
        contents.append((figures_sheet, "Tal i rapporten, med enhet, skede och källa"))
        write_figures(wb.create_sheet(figures_sheet), figures)
    for number, found in enumerate(read, start=1):
        name = names.numbered("Indata", number, Path(found.shown.split("#")[0]).name)
        contents.append((name, f"Indata så som gnvtools läste den: {found.shown}"))
        write_input(wb.create_sheet(name), found)
    _write_about(about, title, tables, contents, every)
    text_as_text(about)


def _properties(wb: Any, document: Document, title: str) -> None:
    """Properties from the document itself (its ``TitleBlock``): the organisation as creator
    and last editor, the title with organisation and year (two organisations' workbooks of a
    year are told apart), and the document's own date as created and modified."""
    head = next(iter(document.of_kind(TitleBlock)), TitleBlock(title))
    shown = head.title or title
    year = head.date[:4] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", head.date) else ""
    parts = [shown, head.organisation, "" if re.search(r"\b\d{4}\b", shown) else year]
    wb.properties.title = " – ".join(p for p in parts if p)
    wb.properties.creator = head.organisation or "gnvtools"
    wb.properties.lastModifiedBy = head.organisation or "gnvtools"
    wb.properties.language = "sv-SE"
    wb.properties.subject = "Statsbidrag för god och nära vård"
    if year:
        when = datetime.strptime(head.date, "%Y-%m-%d")
        wb.properties.created = when
        wb.properties.modified = when


def _figures(notebook: Any) -> list[dict[str, Any]]:
    """The catalogue the notebook displayed (as ``manifest.report_figures``), or none."""
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            found = output.get("data", {}).get(FIGURES_MIME)
            if found is not None:
                return list(found["figures"])
    return []
