"""A workbook saved from memory (``excel_save.workbook_bytes``) holds what openpyxl's own save
writes."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font

from gnvtools.publish import excel_save
from gnvtools.publish.excel_save import workbook_bytes


def _workbook() -> Workbook:
    wb = Workbook()
    first = wb.active
    first.title = "Om rapporten"
    first["A1"] = "Fördelning 2025"
    first["A1"].font = Font(bold=True, size=14)
    for n in range(2, 5):
        sheet = wb.create_sheet(f"Tabell {n}")
        sheet.append(["Mottagare", "Belopp"])
        sheet.append(["Vård", 1200])
        sheet["B2"].number_format = '#,##0 "kr"'
        sheet["B2"].comment = Comment("tal: mottaget", "gnvtools")
        sheet["B3"] = "=SUM(B2:B2)"
        sheet.column_dimensions["A"].width = 44
        sheet.freeze_panes = "A2"
    return wb


def test_the_same_entries_as_openpyxls_save() -> None:
    ours = zipfile.ZipFile(io.BytesIO(workbook_bytes(_workbook())))
    buffer = io.BytesIO()
    _workbook().save(buffer)
    theirs = zipfile.ZipFile(buffer)
    assert ours.namelist() == theirs.namelist()
    for name in theirs.namelist():
        if name != "docProps/core.xml":  # the time it was saved
            assert ours.read(name) == theirs.read(name), name


def test_it_reads_back() -> None:
    wb = load_workbook(io.BytesIO(workbook_bytes(_workbook())))
    assert wb.sheetnames == ["Om rapporten", "Tabell 2", "Tabell 3", "Tabell 4"]
    sheet = wb["Tabell 3"]
    assert sheet["B2"].value == 1200 and sheet["B2"].comment.text == "tal: mottaget"
    assert sheet["B3"].value == "=SUM(B2:B2)" and sheet.freeze_panes == "A2"
    assert wb["Om rapporten"]["A1"].font.b


def _every_kind() -> Workbook:
    """Every kind of cell a report's workbook writes, and their awkward texts."""
    wb = Workbook()
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
    sheet["D5"].font = Font(italic=True)
    sheet["B2"].comment = Comment("tal: mottaget", "gnvtools")
    sheet["A9"] = "efter ett glapp"
    return wb


def _entries(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def _openpyxls(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    seen = {"rows at once": 0, "cell by cell": 0}
    made: Callable[..., tuple[bytes, list[object]]] = excel_save.sheet_data

    def counted(ws: object, rows: object) -> tuple[bytes, list[object]]:
        try:
            found = made(ws, rows)
        except excel_save.Unsupported:
            seen["cell by cell"] += 1
            raise
        seen["rows at once"] += 1
        return found

    monkeypatch.setattr(excel_save, "sheet_data", counted)
    return seen


def test_rows_at_once_are_the_bytes_openpyxl_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _counting(monkeypatch)
    assert _entries(workbook_bytes(_every_kind())) == _entries(_openpyxls(_every_kind()))
    assert seen == {"rows at once": 1, "cell by cell": 0}
    sheet = load_workbook(io.BytesIO(workbook_bytes(_every_kind()))).active
    assert sheet["A4"].value == "=HYPERLINK(x)" and sheet["A4"].data_type == "s"
    assert sheet["A3"].value.startswith("Äldre <65>") and sheet["C5"].comment.text


@pytest.mark.parametrize(
    "change",
    [
        lambda ws: ws.cell(row=6, column=1, value=datetime.date(2025, 3, 25)),
        lambda ws: setattr(ws.row_dimensions[2], "height", 30),
        lambda ws: setattr(ws["A2"], "hyperlink", "https://example.org"),
    ],
    ids=["a date", "a row's height", "a link"],
)
def test_what_it_does_not_know_is_written_by_openpyxl(
    monkeypatch: pytest.MonkeyPatch, change: Callable[[object], object]
) -> None:
    ours, theirs = _every_kind(), _every_kind()
    change(ours.active)
    change(theirs.active)
    seen = _counting(monkeypatch)
    assert _entries(workbook_bytes(ours)) == _entries(_openpyxls(theirs))
    assert seen == {"rows at once": 0, "cell by cell": 1}
