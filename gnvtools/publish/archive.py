"""The PDF for publishing and for the e-archive: accessible and identified as PDF/A-2.

Chromium prints the PDF tagged (headings, paragraphs, lists, tables with header cells, figures
with their alt text) with bookmarks from the headings. This pass, with pikepdf, adds what
Chromium leaves out:

- the document language (``/Lang sv-SE``) and the title shown as the window title
  (``/ViewerPreferences /DisplayDocTitle true``, title in the document info and XMP);
- an output intent with an embedded sRGB ICC profile (from Pillow), as PDF/A requires;
- XMP metadata identifying the file as PDF/A-2, conformance level B (``pdfaid:part`` 2,
  ``pdfaid:conformance`` B), with title, language, creator tool and dates in step with the
  document info.

What is checked (tests read every PDF back): tagged structure with a language, an outline,
alt text on every figure, every font embedded, the output intent and the XMP identification,
no encryption and no JavaScript. No PDF/A validator (veraPDF) runs here, so gnvtools does not
claim validated conformance: the identification says what the file is built to be.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import cache
from typing import Any

LANGUAGE = "sv-SE"


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile, made by Pillow's LittleCMS (no file to ship or download)."""
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    data: bytes = profile.tobytes()
    return data


def struct_elements(node: object) -> list[object]:
    """Every structure element under ``node`` (the StructTreeRoot), depth first."""
    import pikepdf

    found: list[object] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, pikepdf.Dictionary):
            if "/S" in current:
                found.append(current)
            kids = current.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(reversed(list(kids)))
            elif kids is not None:
                stack.append(kids)
    return found


# ISO 32000-1's standard structure types (14.8.4): what a reader of a PDF/A-2 (PDF 1.7) file
# knows. Chromium also writes some of PDF 2.0's (``<strong>`` as Strong); each of those gets
# the standard type it means in the structure tree's role map, as PDF/UA requires.
_STANDARD = """
Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5
H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link
Annot Ruby RB RT RP Warichu WT WP Figure Formula Form
"""
STANDARD_TYPES = frozenset(_STANDARD.split())
PDF2_TYPES = {  # PDF 2.0's types (ISO 32000-2, 14.8.4) as PDF 1.7 reads them
    "Strong": "Span",
    "Em": "Span",
    "Sub": "Span",
    "Title": "P",
    "Aside": "Sect",
    "FENote": "Note",
    "DocumentFragment": "Div",
}


def _tidy_structure(tree: Any) -> None:
    """Two repairs of Chromium's structure tree, in one walk over it (each visit of a pikepdf
    object costs; a report's tree has a thousand elements or more):

    - Chromium tags an HTML ``<figure>`` as a Figure around the image's own Figure; only the
      image carries the alt text. The wrapper becomes a grouping element (Div), so every Figure
      a reader meets has its alternative text, and none is announced twice.
    - Every structure type outside ISO 32000-1's gets its standard type in the role map
      (``RoleMap``); a type nobody maps reads as a plain span of text.
    """
    import pikepdf

    used: set[str] = set()
    wrappers: list[Any] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(tree, ())]
    while stack:
        current, around = stack.pop()  # ``around``: the Figures without alt text around it
        if not isinstance(current, pikepdf.Dictionary):
            continue
        kind = current.get("/S")
        if kind is not None:
            used.add(str(kind)[1:])
            if kind == "/Figure":
                if "/Alt" in current:
                    wrappers.extend(around)
                else:
                    around = (*around, current)
        kids = current.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend((kid, around) for kid in reversed(list(kids)))
        elif kids is not None:
            stack.append((kids, around))
    for wrapper in wrappers:
        wrapper.S = pikepdf.Name.Div
    roles = tree.get("/RoleMap")
    known = isinstance(roles, pikepdf.Dictionary)
    mapped = {str(key)[1:] for key in roles} if known else set()
    missing = sorted(used - STANDARD_TYPES - mapped)
    if missing and not known:
        roles = tree.RoleMap = pikepdf.Dictionary()
    for name in missing:
        roles[pikepdf.Name("/" + name)] = pikepdf.Name("/" + PDF2_TYPES.get(name, "Span"))


def make_archival(pdf_bytes: bytes, *, title: str, author: str = "", date: str = "") -> bytes:
    """Add language, window title, output intent, a role map for structure types beyond PDF
    1.7's and the PDF/A-2 identification to a tagged PDF.

    ``date``: the document's own date (ISO), as ``dc:date``; the file's creation dates stay the
    day it was made."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root
        root.Lang = pikepdf.String(LANGUAGE)
        if "/StructTreeRoot" in root:
            _tidy_structure(root.StructTreeRoot)
        with pdf.open_outline() as outline:
            # Chromium takes a bookmark's text from the laid-out heading and drops the space
            # where the title wraps; the top bookmark is the title, so give it the title.
            for item in outline.root:
                if "".join(str(item.title).split()) == "".join(title.split()):
                    item.title = title
        root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        if "/MarkInfo" not in root:
            root.MarkInfo = pikepdf.Dictionary(Marked=True)
        icc = pikepdf.Stream(pdf, srgb_profile())
        icc.N = 3
        root.OutputIntents = pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.OutputIntent,
                    S=pikepdf.Name.GTS_PDFA1,
                    OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
                    Info=pikepdf.String("sRGB IEC61966-2.1"),
                    DestOutputProfile=icc,
                )
            ]
        )
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
            meta["dc:language"] = [LANGUAGE]
            if author:
                meta["dc:creator"] = [author]
            if date:
                meta["dc:date"] = [date]
            meta["xmp:CreatorTool"] = "gnvtools"
            meta["pdf:Producer"] = "gnvtools (Chromium, pikepdf)"
            meta["xmp:CreateDate"] = now
            meta["xmp:ModifyDate"] = now
            meta["xmp:MetadataDate"] = now
            meta["pdfaid:part"] = "2"
            meta["pdfaid:conformance"] = "B"
        pdf.docinfo[pikepdf.Name.Title] = title
        pdf.docinfo[pikepdf.Name.Producer] = "gnvtools (Chromium, pikepdf)"
        pdf.docinfo[pikepdf.Name.Creator] = "gnvtools"
        if author:
            pdf.docinfo[pikepdf.Name.Author] = author
        out = io.BytesIO()
        pdf.save(out, fix_metadata_version=True)
        return out.getvalue()
