"""A sheet's rows as ``<sheetData>`` text, in the shape openpyxl's ``lxml_write_cell`` writes
them: text as inline strings, numbers, true/false, formulas and error codes, a cell with only a
format or a comment kept as an empty element.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter


def text(value: str) -> str:
    """Element text, escaped as lxml escapes it."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def attribute(value: str) -> str:
    """An attribute's value with its quotes, escaped as lxml escapes it."""
    escaped = text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return f'"{escaped}"'


def t_element(value: str) -> str:
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f"<t{space}>{text(value)}</t>"


def _cell(cell: Any, style: int) -> str:
    """One cell's ``<c>`` element as openpyxl's ``lxml_write_cell`` writes it."""
    kind = cell.data_type
    value = cell._value
    head = f'<c r="{get_column_letter(cell.column)}{cell.row}"'
    if style:
        head += f' s="{style}"'
    if kind == "s":
        head += ' t="inlineStr"'
    elif kind != "f":
        head += f' t="{kind}"'
    if value is None or value == "":
        return head + "></c>"
    if kind == "s":
        return f"{head}><is>{t_element(value)}</is></c>"
    if kind == "f":
        return f"{head}><f>{text(value[1:])}</f><v></v></c>"
    return f"{head}><v>{text(safe_string(value))}</v></c>"


def sheet_data(sheet: Any, style: Callable[[Any], int]) -> tuple[str, str, list[Any]]:
    """The sheet's ``<sheetData>``, its used range (``A1:D8``) and its cells with a comment,
    in row order; ``style(cell)`` numbers a cell's format (0: none)."""
    cells = sheet.in_order()
    parts = ["<sheetData>"]
    noted = []
    row = 0
    for (number, _), cell in cells:
        if number != row:
            parts.append(f'</row><row r="{number}">' if row else f'<row r="{number}">')
            row = number
        if cell.comment is not None:
            noted.append(cell)
        shown = style(cell)
        if cell._value is None and not shown and cell.comment is None:
            continue
        parts.append(_cell(cell, shown))
    parts.append("</row></sheetData>" if row else "</sheetData>")
    if not cells:
        return "".join(parts), "A1:A1", noted
    rows = [r for r, _ in sheet._cells]
    columns = [c for _, c in sheet._cells]
    first, last = get_column_letter(min(columns)), get_column_letter(max(columns))
    return "".join(parts), f"{first}{min(rows)}:{last}{max(rows)}", noted
