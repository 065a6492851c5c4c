"""Every example report's workbook, written by the project's own writer (``excel_book``,
``excel_save``), is the workbook openpyxl writes from the same sheets: what openpyxl reads back
is the same cell by cell (value, type, number format, font, fill, alignment, comment, link),
with the same sheets in order, column widths, frozen panes, filters, merged ranges, defined
names and document properties. The file is a sound package: every part well-formed, listed in
the content types, every relationship resolving. And each table sheet holds its table's cells
as the document has them."""

from __future__ import annotations

import io
import json
import posixpath
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from gnvtools.publish.excel import fill_workbook, report_tables
from gnvtools.publish.excel_table import NOT_APPLICABLE
from gnvtools.reports.document import document_of

from .conftest import EXAMPLES
from .excel_readback import differences, read_back
from .excel_reference import openpyxl_bytes

NAMES = [f"{report}:{params}" for report, params in EXAMPLES]
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _written(rendered: dict[tuple[str, str], Path], name: str) -> tuple[bytes, dict[str, Any]]:
    report, params = name.split(":")
    folder = rendered[(report, params)]
    notebook = json.loads((folder / f"{report}.ipynb").read_text(encoding="utf-8"))
    return (folder / f"{report}.xlsx").read_bytes(), notebook


@pytest.mark.parametrize("name", NAMES)
def test_the_workbook_openpyxl_would_write(
    rendered: dict[tuple[str, str], Path], name: str
) -> None:
    data, notebook = _written(rendered, name)
    ours = read_back(data)
    title = ours["each"]["Om rapporten"]["cells"]["A1"]["value"]  # as ``gnv render`` gave it
    # The same sheets, written and saved by openpyxl.
    theirs = read_back(openpyxl_bytes(lambda wb: fill_workbook(wb, notebook, title)))
    assert differences(ours, theirs) == []
    assert len(ours["sheets"]) > 3 and any(  # the comparison saw comments and formats
        cell["comment"] and cell["format"] != "General"
        for sheet in ours["each"].values()
        for cell in sheet["cells"].values()
    )


def _target(source: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    base = posixpath.dirname(posixpath.dirname(source)) if "_rels/" in source else ""
    return posixpath.normpath(posixpath.join(base, target))


@pytest.mark.parametrize("name", NAMES)
def test_a_sound_package(rendered: dict[tuple[str, str], Path], name: str) -> None:
    archive = zipfile.ZipFile(io.BytesIO(_written(rendered, name)[0]))
    parts = set(archive.namelist())
    trees = {part: ElementTree.fromstring(archive.read(part)) for part in parts}  # well-formed
    types = trees["[Content_Types].xml"]
    defaults = {d.get("Extension") for d in types.iter(f"{_TYPES}Default")}
    overrides = {o.get("PartName", "")[1:] for o in types.iter(f"{_TYPES}Override")}
    assert overrides <= parts
    for part in parts - {"[Content_Types].xml"}:
        assert part in overrides or part.rsplit(".", 1)[-1] in defaults, part
    assert {p for p in parts if p.startswith("xl/worksheets/sheet")} <= overrides
    for part in (p for p in parts if p.endswith(".rels")):
        source = part.replace("_rels/", "").removesuffix(".rels")
        for link in trees[part].iter(f"{_RELS}Relationship"):
            assert _target(part, link.get("Target", "")) in parts, (part, link.attrib)
        assert source in parts or part == "_rels/.rels"


def _expected(value: Any, kind: str, column: str) -> Any:
    """A table cell as its sheet holds it: empty where the report has no figure or "–" (and
    an empty text reads back as an empty cell)."""
    if value in (None, "") or (kind != "text" and value == NOT_APPLICABLE):
        return None
    if column == "År" and isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, float):  # a share: Excel keeps 16 digits, as openpyxl writes them
        return float(f"{value:.16g}")
    return value


@pytest.mark.parametrize("name", NAMES)
def test_each_table_sheet_holds_its_tables_cells(
    rendered: dict[tuple[str, str], Path], name: str
) -> None:
    data, notebook = _written(rendered, name)
    book = load_workbook(io.BytesIO(data))
    document = document_of(notebook)
    tables = [
        t for t in report_tables(notebook, document) if not t["key"].startswith("provenance-")
    ]
    for sheet, table in zip(book.worksheets[1:], tables, strict=False):
        assert sheet["A1"].value == table["title"]
        rows = [*table["rows"], *([table["footer"]] if table.get("footer") else [])]
        for r, row in enumerate(rows, start=4):
            for c, (value, kind) in enumerate(zip(row, table["kinds"], strict=True), start=1):
                cell = sheet.cell(row=r, column=c)
                expected = _expected(value, kind, table["columns"][c - 1])
                assert cell.value == expected, (sheet.title, cell.coordinate)
                if not isinstance(expected, float):  # Excel reads 1.0 back as 1
                    assert type(cell.value) is type(expected), (sheet.title, cell.coordinate)
                if kind == "kr" and expected is not None:
                    assert cell.number_format == '#,##0 "kr"', (sheet.title, cell.coordinate)


def _table_sheets(data: bytes, notebook: dict[str, Any]) -> list[tuple[Any, dict[str, Any]]]:
    book = load_workbook(io.BytesIO(data))
    tables = report_tables(notebook, document_of(notebook))
    shown = [t for t in tables if not t["key"].startswith("provenance-")]
    return list(zip(book.worksheets[1:], shown, strict=False))


@pytest.mark.parametrize("name", NAMES)
def test_each_table_sheet_is_formatted_as_the_report_reads(
    rendered: dict[tuple[str, str], Path], name: str
) -> None:
    """The formats the workbook has always had: a bold title, bold wrapped headings frozen
    above the rows, a bold sum row, the figure's name as a note on each cell that shows one,
    "uppgift saknas" on an empty number cell, text columns wider than number columns."""
    data, notebook = _written(rendered, name)
    for sheet, table in _table_sheets(data, notebook):
        where = sheet.title
        assert (sheet["A1"].font.b, sheet["A1"].font.sz) == (True, 12), where
        assert sheet.freeze_panes == "A4", where
        for c, (column, kind) in enumerate(zip(table["columns"], table["kinds"], strict=True), 1):
            head = sheet.cell(row=3, column=c)
            assert head.value == column and head.font.b, (where, head.coordinate)
            assert (head.alignment.wrap_text, head.alignment.vertical) == (True, "top"), where
            width = sheet.column_dimensions[head.column_letter].width
            assert width == (44 if kind == "text" else 18), (where, head.column_letter)
        rows = [*table["rows"], *([table["footer"]] if table.get("footer") else [])]
        names = [*(table.get("cells") or []), *([table.get("footer_cells") or []])]
        for r, row in enumerate(rows, start=4):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c)
                if table.get("footer") and r == 3 + len(rows) and value not in (None, ""):
                    assert cell.font.b, (where, cell.coordinate)
                shown = names[r - 4] if r - 4 < len(names) else []
                named = shown[c - 1] if c - 1 < len(shown) else ""
                note = cell.comment
                if named and value is not None:
                    assert (note.text, note.author) == (f"tal: {named}", "gnvtools"), where
                if value is None and table["kinds"][c - 1] != "text":
                    assert note.text == "uppgift saknas", (where, cell.coordinate)


@pytest.mark.parametrize("name", NAMES)
def test_the_first_sheet_and_the_properties(
    rendered: dict[tuple[str, str], Path], name: str
) -> None:
    book = load_workbook(io.BytesIO(_written(rendered, name)[0]))
    about = book.worksheets[0]
    assert about.title == "Om rapporten"
    assert (about["A1"].font.b, about["A1"].font.sz) == (True, 14)
    widths = {k: about.column_dimensions[k].width for k in "ABC"}
    assert widths == {"A": 44, "B": 70, "C": 16}
    assert book.properties.language == "sv-SE"
    assert book.properties.subject == "Statsbidrag för god och nära vård"
    assert book.properties.creator and book.properties.creator != "openpyxl"
    figures = book["Tal i rapporten"]
    assert figures.freeze_panes == "A4" and figures.auto_filter.ref.startswith("A3:I")
    assert [c.value for c in figures[3]][:3] == ["Namn", "Beskrivning", "Värde"]
