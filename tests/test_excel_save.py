"""A workbook written by the project's own writer (``excel_book`` + ``excel_save``) reads back in
openpyxl as the same workbook written through openpyxl."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import cell as openpyxl_cell
from openpyxl.utils.exceptions import IllegalCharacterError as OpenpyxlIllegal

from gnvtools.publish.excel_book import ERROR_CODES, ILLEGAL_CHARACTERS, Book
from gnvtools.publish.excel_book import IllegalCharacterError as Illegal
from gnvtools.publish.excel_save import workbook_bytes
from gnvtools.publish.excel_style import Alignment, Comment, Font

from .excel_readback import differences, read_back
from .excel_reference import openpyxl_bytes


def _both(fill: Callable[[Any], None]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``fill`` run on our workbook and on openpyxl's, each saved and read back (made at the
    same time: by default it is the second each was made)."""

    def filled(wb: Any) -> None:
        fill(wb)
        wb.properties.created = datetime.datetime(2025, 3, 25, 12, 0)

    ours = Book()
    filled(ours)
    return read_back(workbook_bytes(ours)), read_back(openpyxl_bytes(filled))


def _tables(wb: Any) -> None:
    first = wb.active
    first.title = "Om rapporten"
    first["A1"] = "Fördelning 2025"
    first["A1"].font = Font(bold=True, size=14)
    wb.properties.title = "Fördelning – Region Test"
    wb.properties.creator = "Region Test"
    for n in range(2, 5):
        sheet = wb.create_sheet(f"Tabell {n}'s")
        sheet.append(["Mottagare", "Belopp"])
        sheet.append(["Vård", 1200])
        sheet["B2"].number_format = '#,##0 "kr"'
        sheet["B2"].comment = Comment("tal: mottaget", "gnvtools")
        sheet["B3"] = "=SUM(B2:B2)"
        sheet.column_dimensions["A"].width = 44
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = "A1:B2"


def _every_kind(wb: Any) -> None:
    """Every kind of cell a report's workbook writes, and their awkward texts."""
    sheet = wb.active
    sheet.append(["Mottagare", "Belopp", "Andel", "Kontroll"])
    sheet["A1"].font = Font(bold=True)
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append([" Vård & omsorg ", 1200, 0.684, True])
    sheet.append(['Äldre <65> "citat"\r\nrad\tflik – \u00a0å', -5, 1 / 3, False])
    sheet.append(["=HYPERLINK(x)", 12345678901234567890, 1e-7, None])
    sheet["A4"].data_type = "s"  # a text that looks like a formula, stored as text
    sheet["A4"].number_format = "@"
    sheet["B5"] = '=IF(COUNTBLANK(B2:B4)>0,"uppgift saknas",SUM(B2:B4))'
    sheet["C5"] = None
    sheet["C5"].comment = Comment("uppgift saknas", "gnvtools")
    sheet["C5"].number_format = '#,##0 "kr"'
    sheet["D5"] = ""
    sheet["D5"].font = Font(italic=True, color="7A5C00")
    sheet["B2"].comment = Comment(" tal: mottaget & <x> ", "någon annan")
    sheet["A9"] = "efter ett glapp"
    sheet["B9"] = "#N/A"
    sheet.cell(row=7, column=3, value=2025).number_format = "0"
    sheet.column_dimensions["C"].width = 18.5


def test_the_same_workbook_as_openpyxl_writes() -> None:
    ours, theirs = _both(_tables)
    assert differences(ours, theirs) == []
    assert ours["each"]["Tabell 3's"]["cells"]["B2"]["comment"] == ("tal: mottaget", "gnvtools")


def test_every_kind_of_cell_reads_back_as_openpyxl_writes_it() -> None:
    ours, theirs = _both(_every_kind)
    assert differences(ours, theirs) == []
    cells = ours["each"]["Sheet"]["cells"]
    assert cells["A4"]["value"] == "=HYPERLINK(x)" and cells["A4"]["type"] == "s"
    assert cells["B5"]["type"] == "f" and cells["B9"]["type"] == "e"
    assert cells["A2"]["value"] == " Vård & omsorg " and cells["D2"]["value"] is True
    assert cells["B2"]["value"] == 1200 and isinstance(cells["B2"]["value"], int)


def test_a_difference_is_seen() -> None:
    """The comparison the example test relies on tells a changed format, comment or width."""

    def changed(wb: Any) -> None:
        _every_kind(wb)
        if isinstance(wb, Book):
            wb.active["C5"].comment = Comment("annat", "gnvtools")
            wb.active["A1"].font = Font(bold=False)
            wb.active.column_dimensions["C"].width = 20

    found = differences(*_both(changed))
    assert len(found) == 3, found


@pytest.mark.parametrize("place", ["A4", "B1", "C3", "A1"])
def test_frozen_panes_as_openpyxl_sets_them(place: str) -> None:
    def fill(wb: Any) -> None:
        wb.active["A1"] = "x"
        wb.active.freeze_panes = place

    ours, theirs = _both(fill)
    assert differences(ours, theirs) == []


def test_cells_written_out_of_order_are_saved_in_order() -> None:
    def fill(wb: Any) -> None:
        sheet = wb.active
        sheet.cell(row=4, column=2, value=1)
        sheet.cell(row=1, column=1, value="a")
        sheet.cell(row=4, column=1, value="b")
        sheet.cell(row=3, column=5, value=2)

    ours, theirs = _both(fill)
    assert differences(ours, theirs) == []
    sheet = load_workbook(io.BytesIO(workbook_bytes(_filled(fill)))).active
    assert [[c.value for c in row] for row in sheet.iter_rows(max_col=2)][3] == ["b", 1]


def _filled(fill: Callable[[Any], None]) -> Book:
    book = Book()
    fill(book)
    return book


@pytest.mark.parametrize(
    ("value", "error"),
    [("med \x07 klocka", (Illegal, OpenpyxlIllegal)), (object(), (ValueError, ValueError))],
)
def test_what_a_cell_cannot_hold_is_refused_as_openpyxl_refuses_it(
    value: object, error: tuple[type[Exception], type[Exception]]
) -> None:
    with pytest.raises(error[0]):
        Book().active["A1"] = value
    with pytest.raises(error[1]):
        Workbook().active["A1"] = value
    with pytest.raises(ValueError):  # openpyxl reads bytes as text; gnvtools writes none
        Book().active["A1"] = b"x"


def test_openpyxls_rules_for_text() -> None:
    """The characters refused and the error values are openpyxl's (copied, not imported)."""
    assert ILLEGAL_CHARACTERS.pattern == openpyxl_cell.ILLEGAL_CHARACTERS_RE.pattern
    assert ERROR_CODES == openpyxl_cell.ERROR_CODES


def test_writing_a_workbook_imports_no_openpyxl() -> None:
    """Importing openpyxl costs more than writing a report's workbook: the writer needs none."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from gnvtools.publish.excel import workbook_bytes\n"
        "from gnvtools.publish.excel_book import Book\n"
        "from gnvtools.publish.excel_save import workbook_bytes as save\n"
        "save(Book())\n"
        "print(sorted(m for m in sys.modules if m.startswith('openpyxl')))\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "[]"
