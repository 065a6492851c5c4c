"""Saving a workbook to bytes with each sheet's XML kept in memory.

openpyxl's ``Workbook.save`` writes every sheet to a temporary file of its own, copies that file
into the archive and deletes it: three file-system round trips per sheet, and a report's
workbook has 10-20 sheets. ``workbook_bytes`` gives the same archive entries (the same XML, in
the same order, with the same "modified" time openpyxl stamps) from memory.
"""

from __future__ import annotations

import datetime
import io
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from gnvtools.publish.excel_rows import Unsupported, sheet_data


class _RowsAtOnce(WorksheetWriter):  # type: ignore[misc]
    """openpyxl's sheet writer, its rows written as one piece (``excel_rows.sheet_data``)
    when the sheet holds only what that knows; otherwise cell by cell, as openpyxl does."""

    def write_rows(self) -> None:
        try:
            data, comments = sheet_data(self.ws, self.rows())
        except Unsupported:
            super().write_rows()
            return
        self.ws._comments.extend(comments)
        xf = self.xf.send(True)
        xf.flush()  # what lxml holds goes out first: the rows come after it in the buffer
        self.out.write(data)
        self.xf.send(None)


class _InMemoryWriter(ExcelWriter):  # type: ignore[misc]
    """openpyxl's writer, each sheet's XML written to a buffer instead of a temporary file."""

    def write_worksheet(self, ws: Any) -> None:
        # As ExcelWriter.write_worksheet for a workbook that is not write-only.
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _RowsAtOnce(ws, out=io.BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.read())
        self.manifest.append(ws)


def workbook_bytes(wb: Any) -> bytes:
    """The ``.xlsx`` file of ``wb``, as ``wb.save`` would write it."""
    buffer = io.BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        # As openpyxl.writer.excel.save_workbook does.
        now = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
        wb.properties.modified = now
        _InMemoryWriter(wb, archive).write_data()
    return buffer.getvalue()
