"""The reference writer: the same sheets written through openpyxl's own ``Workbook`` and saved by
openpyxl, to compare with what gnvtools' writer (``excel_book``, ``excel_save``) makes.

The sheet writers set ``excel_style``'s fonts, alignments and comments; openpyxl's cells take
them as they are (a font is kept in the workbook's list of fonts, a comment is bound to its
cell). Before saving, each is replaced by openpyxl's own object with the same settings.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font

from gnvtools.publish import excel_style


def as_openpyxl(wb: Workbook) -> None:
    """Replace ``excel_style``'s objects in ``wb`` by openpyxl's equivalents."""
    for index, font in enumerate(wb._fonts):
        if isinstance(font, excel_style.Font):
            settings = {"b": font.bold or None, "i": font.italic or None, "sz": font.size}
            wb._fonts[index] = Font(**settings, color=font.color)
    for index, alignment in enumerate(wb._alignments):
        if isinstance(alignment, excel_style.Alignment):
            aligned = Alignment(wrap_text=alignment.wrap_text or None, vertical=alignment.vertical)
            wb._alignments[index] = aligned
    for ws in wb.worksheets:
        for cell in ws._cells.values():
            note = cell._comment
            if isinstance(note, excel_style.Comment):
                cell.comment = None
                cell.comment = Comment(note.text, note.author, note.height, note.width)


def openpyxl_bytes(fill: Callable[[Any], object]) -> bytes:
    """``fill`` run on a new openpyxl ``Workbook``, saved by openpyxl."""
    wb = Workbook()
    fill(wb)
    as_openpyxl(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
