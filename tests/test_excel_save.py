"""A workbook saved from memory (``excel_save.workbook_bytes``) holds what openpyxl's own save
writes."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

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
