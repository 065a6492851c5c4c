"""The organisation's Word template, opened safely and cleaned before any report is built on it.

A template is a zip of XML parts from someone else. Passed on as it is, it would carry into
every produced ``.docx`` whatever it holds: a remote ``attachedTemplate`` (Word fetches it when
the document opens: remote-template injection), images and links in headers that load from the
network, and macros (``vbaProject.bin``). So the template is

- read as a regular file of at most 10 MB, its zip bounded (entries, total size, ratio per
  entry; a zip whose entries lie about their size is refused, never inflated without limit);
- cleaned: every relationship with ``TargetMode="External"``, every ``attachedTemplate``, the
  macro parts (VBA project and data, ActiveX controls, macro key bindings) and their content
  types are removed, with the elements that referred to them (the picture of an external image,
  the attached template in the settings); field codes that pull content in from outside
  (``INCLUDEPICTURE``, ``INCLUDETEXT``, ``LINK``, ``DDE``) are dropped; a macro-enabled or
  template main part becomes a plain document;
- and what was removed is said in Swedish (``describe``) so the user is told once.

Reading the zip is ``docx_zip``'s job, cleaning it ``docx_clean``'s; this module reads the file
and opens the cleaned template for ``word``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from gnvtools.errors import InputError, visible
from gnvtools.publish.confine import read_regular
from gnvtools.publish.docx_clean import CleanTemplate, sanitise

MAX_TEMPLATE_BYTES = 10_000_000
SUFFIXES = (".docx", ".dotx")


def describe(removed: tuple[str, ...], template: str) -> str:
    """One Swedish line saying what was removed from the template, e.g.
    ``Word-mallen mall.docx: togs bort: bifogad mall (attachedTemplate) http://…; …``."""
    return (
        f"Word-mallen {visible(template)}: följande togs bort och följer inte med till "
        f"Word-dokumenten: {'; '.join(removed)}. Spara mallen utan dem för att slippa meddelandet."
    )


def read_template(path: Path, *, rebuild: bool = True) -> CleanTemplate:
    """The template file (a regular .docx or .dotx of at most 10 MB) read and cleaned."""
    if path.suffix.lower() not in SUFFIXES:
        what = "med makron" if path.suffix.lower() in (".docm", ".dotm") else "i fel format"
        raise InputError(
            f"Word-mallen är {what} ({path.suffix or 'utan filändelse'}); "
            "spara den i Word som Word-mall (.dotx) eller Word-dokument (.docx)",
            file=path,
        )
    return sanitise(read_regular(path, MAX_TEMPLATE_BYTES), path, rebuild=rebuild)


def open_template(path: Path) -> Any:
    """The cleaned template as a python-docx document whose body is emptied (styles, header,
    footer, logo and page setup kept)."""
    from docx import Document

    clean = read_template(path)
    try:
        document = Document(io.BytesIO(clean.data))
    except Exception as exc:  # python-docx raises several kinds for a file that is not Word
        raise InputError("Word-mallen kan inte läsas som ett Word-dokument", file=path) from exc
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return document


__all__ = [
    "MAX_TEMPLATE_BYTES",
    "SUFFIXES",
    "CleanTemplate",
    "describe",
    "open_template",
    "read_template",
    "sanitise",
]
