"""A sheet's rows as ``<sheetData>`` text, in the shape openpyxl's ``lxml_write_cell`` writes
them: text as inline strings, numbers, true/false, formulas and error codes, a cell with only a
format or a comment kept as an empty element.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from gnvtools.publish.excel_style import column_letter, number

_SPECIAL = re.compile("[&<>\r]")


def text(value: str) -> str:
    """Element text, escaped as lxml escapes it."""
    if _SPECIAL.search(value) is None:
        return value
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def attribute(value: str) -> str:
    """An attribute's value with its quotes, escaped as lxml escapes it."""
    escaped = text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return f'"{escaped}"'


def t_element(value: str) -> str:
    """``<t>`` with ``value``, its spaces kept when it begins or ends with one (as openpyxl)."""
    if value and (value[0].isspace() or value[-1].isspace()):
        return f'<t xml:space="preserve">{text(value)}</t>'
    return f"<t>{text(value)}</t>"


def _formula(head: str, value: str, cached: int | str | None) -> str:
    """A formula cell: the formula and, when known, its result (``t="str"`` for a text)."""
    formula = f"<f>{text(value[1:])}</f>"
    if cached is None:
        return f"{head}>{formula}<v></v></c>"
    if isinstance(cached, str):
        return f'{head} t="str">{formula}<v>{text(cached)}</v></c>'
    return f"{head}>{formula}<v>{number(cached)}</v></c>"


def _cell(place: str, kind: str, value: Any, style: int, cached: int | str | None = None) -> str:
    """One cell's ``<c>`` element as openpyxl's ``lxml_write_cell`` writes it."""
    if kind == "s":  # most cells: text
        head = (
            f'<c r="{place}" s="{style}" t="inlineStr">'
            if style
            else f'<c r="{place}" t="inlineStr">'
        )
        return (
            f"{head}</c>"
            if value is None or value == ""
            else f"{head}<is>{t_element(value)}</is></c>"
        )
    head = f'<c r="{place}"'
    if style:
        head += f' s="{style}"'
    if kind != "f":
        head += f' t="{kind}"'
    if value is None or value == "":
        return head + "></c>"
    if kind == "f":
        return _formula(head, value, cached)
    if kind == "b":
        return f"{head}><v>{int(value)}</v></c>"
    shown = number(value) if kind == "n" else str(value)  # a number, or an error's text
    return f"{head}><v>{text(shown)}</v></c>"


def sheet_data(sheet: Any, style: Callable[[Any], int]) -> tuple[str, str, list[Any]]:
    """The sheet's ``<sheetData>``, its used range (``A1:D8``) and its cells with a comment,
    in row order; ``style(cell)`` numbers a cell's format (0: none)."""
    cells = sheet.in_order()
    parts = ["<sheetData>"]
    add = parts.append
    noted = []
    row = 0
    letters: dict[int, str] = {}
    for (at, column), cell in cells:
        if at != row:
            add(f'</row><row r="{at}">' if row else f'<row r="{at}">')
            row = at
        comment = cell.comment
        if comment is not None:
            noted.append(cell)
        shown = style(cell)
        value = cell._value
        if value is None and not shown and comment is None:
            continue
        letter = letters.get(column) or letters.setdefault(column, column_letter(column))
        add(_cell(f"{letter}{at}", cell.data_type, value, shown, cell.cached))
    add("</row></sheetData>" if row else "</sheetData>")
    if not cells:
        return "".join(parts), "A1:A1", noted
    columns = [c for _, c in sheet._cells]  # every cell made, written or not (as openpyxl)
    first, last = column_letter(min(columns)), column_letter(max(columns))
    return "".join(parts), f"{first}{cells[0][0][0]}:{last}{cells[-1][0][0]}", noted
