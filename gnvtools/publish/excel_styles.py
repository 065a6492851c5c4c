"""The workbook's cell formats: each distinct (font, alignment, number format) gets one ``xf``
of ``styles.xml``, numbered in the order cells are written, as openpyxl numbers them.

Fonts and alignments are ``excel_style``'s (a report's workbook has a handful); a cell's format
is looked up by the objects' identity first, so a font shared by many cells is compared by
value only once.
"""

from __future__ import annotations

from typing import Any

from gnvtools.publish.excel_rows import attribute

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: The workbook's default font (openpyxl's ``DEFAULT_FONT``): Calibri 11.
_DEFAULT_FONT = (
    '<font><name val="Calibri"/><family val="2"/><color theme="1"/><sz val="11"/>'
    '<scheme val="minor"/></font>'
)
_FIRST_CUSTOM = 164  # number formats below this are Excel's own
#: Excel's own number formats gnvtools may use, by their number (openpyxl's ``BUILTIN_FORMATS``):
#: any other is written as a format of the workbook's own, which Excel reads the same.
BUILTIN_FORMATS = {
    "General": 0,
    "0": 1,
    "0.00": 2,
    "#,##0": 3,
    "#,##0.00": 4,
    "0%": 9,
    "0.00%": 10,
    "0.00E+00": 11,
    "@": 49,
}


class Styles:
    """The formats met so far; ``index(cell)`` is the cell's ``s`` attribute (0: no format)."""

    def __init__(self) -> None:
        self._fonts: dict[Any, int] = {}
        self._alignments: dict[Any, int] = {}
        self._formats: dict[str, int] = {}
        self._xfs: dict[tuple[int, int, int], int] = {(0, 0, 0): 0}
        self._by_id: dict[tuple[int, int, str], int] = {}
        self._keep: list[Any] = []  # the objects whose ids ``_by_id`` holds

    def of(self, cell: Any) -> int:
        """The ``xf`` of ``cell`` (0: no format of its own)."""
        if cell.font is None and cell.alignment is None and cell.number_format == "General":
            return 0
        return self.index(cell.font, cell.alignment, cell.number_format)

    def index(self, font: Any, alignment: Any, number_format: str) -> int:
        """The ``xf`` of a cell with ``font``, ``alignment`` (None: default) and format."""
        key = (id(font), id(alignment), number_format)
        found = self._by_id.get(key)
        if found is None:
            xf = (self._font(font), self._alignment(alignment), self._format(number_format))
            found = self._xfs.setdefault(xf, len(self._xfs))
            self._by_id[key] = found
            self._keep += [font, alignment]
        return found

    def _font(self, font: Any) -> int:
        if font is None:
            return 0
        return self._fonts.setdefault(font, len(self._fonts) + 1)

    def _alignment(self, alignment: Any) -> int:
        if alignment is None or not alignment.xml():
            return 0
        return self._alignments.setdefault(alignment, len(self._alignments) + 1)

    def _format(self, number_format: str) -> int:
        builtin = BUILTIN_FORMATS.get(number_format)
        if builtin is not None:
            return int(builtin)
        return self._formats.setdefault(number_format, _FIRST_CUSTOM + len(self._formats))

    def xml(self) -> bytes:
        """``xl/styles.xml``, as openpyxl writes it for these formats."""
        parts = [f'<styleSheet xmlns="{MAIN}">']
        if self._formats:
            parts.append(f'<numFmts count="{len(self._formats)}">')
            parts += [
                f'<numFmt numFmtId="{number}" formatCode={attribute(code)}/>'
                for code, number in self._formats.items()
            ]
            parts.append("</numFmts>")
        parts.append(f'<fonts count="{len(self._fonts) + 1}">{_DEFAULT_FONT}')
        parts += [font.xml() for font in self._fonts]
        parts.append(
            '</fonts><fills count="2"><fill><patternFill/></fill><fill>'
            '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border>'
            "<left/><right/><top/><bottom/><diagonal/></border></borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{len(self._xfs)}">'
        )
        alignments = {number: alignment for alignment, number in self._alignments.items()}
        for font, aligned, number in self._xfs:
            head = f'<xf numFmtId="{number}" fontId="{font}" fillId="0" borderId="0"'
            tail = ' pivotButton="0" quotePrefix="0" xfId="0"'
            if aligned:
                element = alignments[aligned].xml()
                parts.append(f'{head} applyAlignment="1"{tail}>{element}</xf>')
            else:
                parts.append(f"{head}{tail}/>")
        parts.append(
            '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0" '
            'hidden="0"/></cellStyles><tableStyles count="0" '
            'defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
            "</styleSheet>"
        )
        return "".join(parts).encode("utf-8")
