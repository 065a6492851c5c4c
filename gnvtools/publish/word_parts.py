"""The parts of a Word file a registrar looks at besides the text: page, header, footer,
properties, list numbering, the made-up-data style, the signature block.

Kept apart from ``word.py`` (which walks the document's blocks) so each stays readable. Every
function takes a python-docx ``Document``; none computes a figure.

On an organisation's template the template wins: its page setup, styles, colours, header and
footer are kept, and gnvtools writes its own header or footer only where the template has none.
Without a template the page is A4 with 25 mm margins all round (Word's own A4 setting for
Swedish, which Swedish municipalities' and regions' memo templates also use).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

PAGE_WIDTH_MM = 210  # A4
PAGE_HEIGHT_MM = 297
MARGIN_MM = 25  # top, bottom, left and right
HEADER_DISTANCE_MM = 12.5  # header and footer from the paper's edge
MADE_UP_STYLE = "Påhittat exempel"
MADE_UP_COLOUR = "7A5C00"  # the dark ochre the HTML and Excel marks use
SIGNATURE_STYLE = "Underskrift"
_APP_XML = "/docProps/app.xml"


def a4_page(docx: Any) -> None:
    """A4 portrait with 25 mm margins on every section (only when there is no template)."""
    from docx.shared import Mm

    for section in docx.sections:
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin = section.bottom_margin = Mm(MARGIN_MM)
        section.left_margin = section.right_margin = Mm(MARGIN_MM)
        section.header_distance = section.footer_distance = Mm(HEADER_DISTANCE_MM)


def _has_content(part: Any) -> bool:
    """A header or footer with text, a field or a picture of its own (not inherited)."""
    if part.is_linked_to_previous:
        return False
    element = part._element
    text = "".join(element.itertext()).strip()
    return bool(text) or any(
        child.tag.rsplit("}", 1)[-1] in ("drawing", "pict", "fldSimple", "instrText")
        for child in element.iter()
        if isinstance(child.tag, str)
    )


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A simple field (``PAGE``, ``NUMPAGES``) Word updates as it lays out the pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _right_tab(paragraph: Any, section: Any) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT

    width = section.page_width - section.left_margin - section.right_margin
    paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)


def header_and_footer(docx: Any, organisation: str, title: str, dnr: str, date: str) -> None:
    """Header: organisation and dnr on one line, title and the document's date on the next;
    footer: ``Sida x (y)``. A template's own header or footer is kept as it is."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for section in docx.sections:
        header = section.header
        if not _has_content(header):
            header.is_linked_to_previous = False
            first = header.paragraphs[0]
            first.clear()
            _right_tab(first, section)
            first.add_run(organisation).bold = True
            if dnr:
                first.add_run(f"\tDnr {dnr}")
            second = header.add_paragraph()
            _right_tab(second, section)
            second.add_run(title + (f"\t{date}" if date else ""))
        footer = section.footer
        if not _has_content(footer):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.clear()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run("Sida ")
            _field(paragraph, "PAGE", "1")
            paragraph.add_run(" (")
            _field(paragraph, "NUMPAGES", "1")
            paragraph.add_run(")")


def _document_time(date: str) -> datetime | None:
    try:
        return datetime.strptime(date, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def properties(docx: Any, *, title: str, organisation: str, date: str, own_app: bool) -> None:
    """Core properties from the document itself: the organisation as author and last editor,
    the title, and the document's own date as created and modified (none when it has no date,
    rather than python-docx's template date). ``own_app``: write app.xml as gnvtools' own
    (without a template; a template's app.xml, e.g. its company, is kept)."""
    from docx.oxml.ns import qn

    core = docx.core_properties
    core.title = title
    core.author = organisation
    core.last_modified_by = organisation
    core.subject = "Statsbidrag för god och nära vård"
    core.comments = ""
    core.keywords = ""
    core.category = ""
    core.revision = 1
    when = _document_time(date)
    element = core._element
    for name in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        for old in element.findall(qn(name)):
            element.remove(old)
    if when is not None:
        core.created = when
        core.modified = when
    if own_app:
        _write_app(docx, organisation)


def _write_app(docx: Any, organisation: str) -> None:
    """docProps/app.xml naming gnvtools as the application and the organisation as company
    (python-docx's own says "Microsoft Macintosh Word" and ``Normal.dotm``); python-docx's
    thumbnail of its own empty page is left out."""
    rels = docx.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            rels.pop(rid)
    for part in docx.part.package.iter_parts():
        if str(part.partname) == _APP_XML:
            part._blob = (
                "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                'extended-properties">'
                "<Application>gnvtools</Application>"
                f"<Company>{escape(organisation)}</Company>"
                "</Properties>"
            ).encode()


def paragraph_style(docx: Any, name: str) -> Any:
    """The template's style of that name, or ours: made-up data set apart (dark ochre, italic,
    a rule on the left), a signature line (a rule above)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    try:
        return docx.styles[name]
    except KeyError:
        pass
    style = docx.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = docx.styles["Normal"]
    if name == MADE_UP_STYLE:
        style.font.italic = True
        style.font.color.rgb = RGBColor.from_string(MADE_UP_COLOUR)
        style.paragraph_format.left_indent = Pt(6)
        _border(style.element.get_or_add_pPr(), "left", MADE_UP_COLOUR, 18)
    else:  # SIGNATURE_STYLE: the line to sign on, above the first line of name and title
        style.paragraph_format.space_before = Pt(36)
        style.paragraph_format.keep_with_next = True
        _border(style.element.get_or_add_pPr(), "top", "000000", 6)
    return style


def _border(ppr: Any, side: str, colour: str, size: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(size)), ("space", "4"), ("color", colour)):
        line.set(qn(f"w:{key}"), value)
    borders.append(line)


def restarting_list(docx: Any) -> int | None:
    """A new numbering instance of the ``List Number`` style's list that starts at 1, so each
    list counts from 1 (Word otherwise continues one list into the next); ``None`` when the
    template has no numbered list style, and the caller numbers in the text instead."""
    try:
        style = docx.styles["List Number"]
        numbering = docx.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None
    ppr = style.element.pPr
    num_pr = ppr.numPr if ppr is not None else None
    if num_pr is None or num_pr.numId is None:
        return None
    try:
        used = numbering.num_having_numId(num_pr.numId.val)
    except KeyError:
        return None
    num = numbering.add_num(used.abstractNumId.val)
    override = num.add_lvlOverride(ilvl=0)
    override.add_startOverride(1)
    return int(num.numId)


def number(paragraph: Any, num_id: int) -> None:
    """Put ``paragraph`` in the numbering instance ``num_id`` at the first level."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def heading_look(docx: Any, colour: str | None, font: str | None) -> None:
    """The brand's colour and font on the title and heading styles (and the font on the body)."""
    from docx.shared import RGBColor

    names = ["Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"]
    for name in [*names, "Normal"]:
        try:
            style = docx.styles[name]
        except KeyError:
            continue
        if colour and name != "Normal":
            style.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
        if font:
            style.font.name = font


def saved(docx: Any) -> bytes:
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()
