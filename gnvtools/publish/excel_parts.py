"""The workbook's parts besides its sheets and styles: the document properties
(``docProps/core.xml``, ``docProps/app.xml``) and the theme (``xl/theme/theme1.xml``).

The theme is openpyxl's (the Office theme every openpyxl workbook carries), read from
openpyxl's source file rather than imported: importing openpyxl costs more processor time than
writing a report's whole workbook.
"""

from __future__ import annotations

import ast
import importlib.util
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from gnvtools.publish.excel_rows import text

_CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_TERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"

APP_XML = (
    f'<Properties xmlns="{_EXTENDED}"><Application>gnvtools</Application></Properties>'
).encode()


def _when(value: datetime) -> str:
    return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def core_xml(properties: Any) -> bytes:
    """``docProps/core.xml``: the properties set, in openpyxl's order (dates in UTC)."""
    parts = [
        f'<cp:coreProperties xmlns:cp="{_CORE}" xmlns:dc="{_DC}" xmlns:dcterms="{_TERMS}" '
        f'xmlns:xsi="{_XSI}">'
    ]
    for name in ("creator", "title", "subject", "language"):
        value = getattr(properties, name)
        if value is not None:
            parts.append(f"<dc:{name}>{text(str(value))}</dc:{name}>")
    for name in ("created", "modified"):
        value = getattr(properties, name)
        if value is not None:
            parts.append(
                f'<dcterms:{name} xsi:type="dcterms:W3CDTF">{_when(value)}</dcterms:{name}>'
            )
    if properties.lastModifiedBy is not None:
        parts.append(f"<cp:lastModifiedBy>{text(properties.lastModifiedBy)}</cp:lastModifiedBy>")
    parts.append("</cp:coreProperties>")
    return "".join(parts).encode()


@lru_cache(maxsize=1)
def theme_xml() -> str:
    """openpyxl's theme (``openpyxl.writer.theme.theme_xml``), read from its source file."""
    spec = importlib.util.find_spec("openpyxl")  # finds the package without importing it
    if spec is not None and spec.origin is not None:
        source = Path(spec.origin).parent / "writer" / "theme.py"
        for node in ast.parse(source.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == [
                "theme_xml"
            ]:
                return str(ast.literal_eval(node.value))
    from openpyxl.writer.theme import theme_xml as found  # the file changed: import it

    return str(found)
