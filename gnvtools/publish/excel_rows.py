"""A sheet's rows written as the bytes openpyxl writes for them, built as one string.

openpyxl writes each cell through lxml's incremental writer, an element (and two or three
nested ones for text) per cell: most of the time it takes to save a report's workbook.
``sheet_data`` makes the same ``<sheetData>`` text for the cells a report's workbook holds
(text, numbers, formulas, true/false, empty styled cells, comments); a sheet with anything else
(a date, rich text, an array formula, a hyperlink, a row with its own height …) is left to
openpyxl. ``tests/test_excel_save.py`` compares the two byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string


class Unsupported(Exception):
    """A cell or row this writer leaves to openpyxl."""


def _text(value: str) -> str:
    """Text content as lxml writes it (``&``, ``<``, ``>`` and carriage returns escaped)."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _cell(cell: Any) -> str:
    """One cell's ``<c>`` element as openpyxl's ``lxml_write_cell`` writes it."""
    kind = cell.data_type
    value = cell._value
    if cell.hyperlink or kind not in ("s", "n", "f", "b"):
        raise Unsupported
    head = f'<c r="{cell.coordinate}"'
    if cell.has_style:
        head += f' s="{cell.style_id}"'
    if kind == "s":
        head += ' t="inlineStr"'
    elif kind != "f":
        head += f' t="{kind}"'
    if value is None or value == "":
        return head + "></c>"
    if kind == "s":
        if not isinstance(value, str):
            raise Unsupported  # rich text
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f"{head}><is><t{space}>{_text(value)}</t></is></c>"
    if kind == "f":
        if not isinstance(value, str):
            raise Unsupported  # an array or data-table formula
        return f"{head}><f>{_text(value[1:])}</f><v></v></c>"
    return f"{head}><v>{_text(safe_string(value))}</v></c>"


def sheet_data(ws: Any, rows: Iterable[tuple[int, list[Any]]]) -> tuple[bytes, list[Any]]:
    """The ``<sheetData>`` element of ``rows`` (``WorksheetWriter.rows()``) and the comments met
    on the way, in order, as openpyxl's ``write_row`` collects them; raises ``Unsupported``."""
    parts = ["<sheetData>"]
    comments = []
    for number, cells in rows:
        if ws.row_dimensions.get(number, {}):  # a row with attributes of its own
            raise Unsupported
        parts.append(f'<row r="{number}">')
        for cell in cells:
            if cell._comment is not None:
                comments.append(CommentRecord.from_cell(cell))
            if cell._value is None and not cell.has_style and not cell._comment:
                continue
            parts.append(_cell(cell))
        parts.append("</row>")
    parts.append("</sheetData>")
    # lxml writes the worksheet in ASCII, anything else as a decimal character reference.
    return "".join(parts).encode("ascii", "xmlcharrefreplace"), comments
