"""A worksheet's XML and its comments (``comments.xml`` and the VML drawing Excel shows them
by), written as text in the shape openpyxl writes them.

Excel needs both comment parts: ``comments.xml`` holds the text and author, the legacy VML
drawing the (hidden) note box per cell; without the drawing Excel reports the file as damaged.
LibreOffice and openpyxl read the text from ``comments.xml``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gnvtools.publish.excel_rows import attribute, sheet_data, t_element, text
from gnvtools.publish.excel_style import column_index, column_letter, number, place

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _view(freeze: str | None) -> str:
    """``<sheetViews>``: a frozen pane above and left of ``freeze`` (as openpyxl sets it)."""
    if not freeze or freeze == "A1":
        selection = '<selection activeCell="A1" sqref="A1"/>'
        return f'<sheetViews><sheetView workbookViewId="0">{selection}</sheetView></sheetViews>'
    row, column = place(freeze)
    split = f' xSplit="{column - 1}"' if column > 1 else ""
    split += f' ySplit="{row - 1}"' if row > 1 else ""
    active = {
        (True, True): "bottomRight",
        (False, True): "bottomLeft",
        (True, False): "topRight",
    }[(column > 1, row > 1)]
    pane = f'<pane{split} topLeftCell="{freeze}" activePane="{active}" state="frozen"/>'
    selections = ""
    if column > 1 and row > 1:
        selections = '<selection pane="topRight"/><selection pane="bottomLeft"/>'
    selections += f'<selection pane="{active}" activeCell="A1" sqref="A1"/>'
    return f'<sheetViews><sheetView workbookViewId="0">{pane}{selections}</sheetView></sheetViews>'


def _columns(sheet: Any) -> str:
    widths = sorted(
        (column_index(letter), dimension.width)
        for letter, dimension in sheet.column_dimensions.items()
        if dimension.width is not None
    )
    if not widths:
        return ""
    cols = "".join(
        f'<col width="{number(width)}" customWidth="1" min="{n}" max="{n}"/>' for n, width in widths
    )
    return f"<cols>{cols}</cols>"


def worksheet(sheet: Any, style: Callable[[Any], int]) -> tuple[bytes, list[Any]]:
    """The sheet's XML and its cells with a comment (``comments`` writes those)."""
    data, used, noted = sheet_data(sheet, style)
    parts = [
        f'<worksheet xmlns="{MAIN}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>'
        f'<pageSetUpPr/></sheetPr><dimension ref="{used}"/>',
        _view(sheet.freeze_panes),
        '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>',
        _columns(sheet),
        data,
    ]
    if sheet.auto_filter.ref:
        parts.append(f"<autoFilter ref={attribute(sheet.auto_filter.ref)}/>")
    parts.append(
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
    )
    if noted:
        parts.append(f'<legacyDrawing xmlns:r="{RELATIONSHIPS}" r:id="anysvml"/>')
    parts.append("</worksheet>")
    return "".join(parts).encode("utf-8"), noted


def comments(noted: list[Any]) -> bytes:
    """``comments.xml`` for the cells with a comment: each author once, in order met."""
    authors: dict[str, int] = {}
    entries = []
    for cell in noted:
        number = authors.setdefault(cell.comment.author or "", len(authors))
        entries.append(
            f'<comment ref="{column_letter(cell.column)}{cell.row}" authorId="{number}" '
            f'shapeId="0"><text>{t_element(cell.comment.text)}</text></comment>'
        )
    names = "".join(f"<author>{text(name)}</author>" for name in authors)
    return (
        f'<comments xmlns="{MAIN}"><authors>{names}</authors>'
        f"<commentList>{''.join(entries)}</commentList></comments>"
    ).encode()


_VML_HEAD = (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit">'
    '<o:idmap v:ext="edit" data="1"/></o:shapelayout><v:shapetype id="_x0000_t202" '
    'coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke '
    'joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)
_VML_SHAPE = (
    '<v:shape type="#_x0000_t202" style="position:absolute; margin-left:59.25pt;'
    'margin-top:1.5pt;width:{width}px;height:{height}px;z-index:1;visibility:hidden" '
    'fillcolor="#ffffe1" o:insetmode="auto" id="_x0000_s{id:04d}"><v:fill color2="#ffffe1"/>'
    '<v:shadow color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox '
    'style="mso-direction-alt:auto"><div style="text-align:left"/></v:textbox><x:ClientData '
    'ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill>'
    "<x:Row>{row}</x:Row><x:Column>{column}</x:Column></x:ClientData></v:shape>"
)


def drawing(noted: list[Any]) -> bytes:
    """The VML drawing with a hidden note box per comment (openpyxl's ``ShapeWriter``)."""
    shapes = [
        _VML_SHAPE.format(
            id=number,
            width=cell.comment.width,
            height=cell.comment.height,
            row=cell.row - 1,
            column=cell.column - 1,
        )
        for number, cell in enumerate(noted, start=1026)
    ]
    return (_VML_HEAD + "".join(shapes) + "</xml>").encode("utf-8")
