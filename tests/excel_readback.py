"""What openpyxl reads back from a workbook, as plain data to compare: sheets in order, every
cell's value, type and format, comments, links, column widths, frozen panes, merged ranges,
filters, validations, defined names and the document properties."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import load_workbook

#: The first sheet's "Skapad 2026-12-06 14:37 av gnvtools": the minute it was written.
_MADE = re.compile(r"^Skapad \d{4}-\d{2}-\d{2} \d{2}:\d{2} av gnvtools$")


def _colour(colour: Any) -> Any:
    return None if colour is None else (colour.type, colour.rgb, colour.theme, colour.tint)


def _cell(cell: Any) -> dict[str, Any]:
    value = cell.value
    if isinstance(value, str) and _MADE.match(value):
        value = "Skapad … av gnvtools"
    font, fill, align = cell.font, cell.fill, cell.alignment
    return {
        "value": value,
        "type": cell.data_type,
        "format": cell.number_format,
        "font": (font.b, font.i, font.u, font.sz, font.name, _colour(font.color)),
        "fill": (fill.fill_type, _colour(fill.fgColor), _colour(fill.bgColor)),
        "alignment": (align.horizontal, align.vertical, align.wrap_text, align.indent),
        "comment": (cell.comment.text, cell.comment.author) if cell.comment else None,
        "link": cell.hyperlink.target if cell.hyperlink else None,
        "protected": (cell.protection.locked, cell.protection.hidden),
    }


def _sheet(ws: Any) -> dict[str, Any]:
    return {
        "cells": {cell.coordinate: _cell(cell) for row in ws.iter_rows() for cell in row},
        "widths": {k: d.width for k, d in sorted(ws.column_dimensions.items()) if d.customWidth},
        "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
        "freeze": ws.freeze_panes,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "filter": ws.auto_filter.ref,
        "validations": [
            (v.type, v.formula1, str(v.sqref)) for v in ws.data_validations.dataValidation
        ],
        "names": sorted((n, d.value) for n, d in ws.defined_names.items()),
        "state": ws.sheet_state,
    }


def read_back(data: bytes) -> dict[str, Any]:
    """Everything openpyxl reads from the ``.xlsx`` bytes that an analyst or auditor sees
    (the time of saving left out)."""
    wb = load_workbook(io.BytesIO(data))
    props = wb.properties
    return {
        "sheets": wb.sheetnames,
        "active": wb.active.title,
        "names": sorted((n, d.value) for n, d in wb.defined_names.items()),
        "properties": (
            props.title,
            props.subject,
            props.creator,
            props.lastModifiedBy,
            props.language,
            props.created,
            props.keywords,
            props.description,
            props.category,
        ),
        "each": {ws.title: _sheet(ws) for ws in wb.worksheets},
    }


def differences(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    """Where two read-backs differ, named by sheet and cell (empty: the same)."""
    found = [
        f"{key}: {ours[key]!r} != {theirs[key]!r}"
        for key in ours
        if key != "each" and ours[key] != theirs[key]
    ]
    for title, sheet in theirs["each"].items():
        mine = ours["each"].get(title)
        if mine is None:
            found.append(f"{title}: missing")
            continue
        for key, value in sheet.items():
            if key == "cells":
                for place in sorted(set(value) | set(mine["cells"])):
                    if value.get(place) != mine["cells"].get(place):
                        found.append(
                            f"{title}!{place}: {mine['cells'].get(place)} != {value.get(place)}"
                        )
            elif mine[key] != value:
                found.append(f"{title} {key}: {mine[key]!r} != {value!r}")
    return found
