"""Word output: the report as a real .docx, on the organisation's own Word template if it has one.

Written from the report's document (``gnvtools.reports.document``: the blocks every notebook
output carries beside its HTML), never from HTML: headings as Word's heading styles (the
navigation pane works), tables as Word tables with right-aligned kronor and a header row
repeated on every page, charts as their PNG with alt text, the title and the language sv-SE in
the document's properties. Every cell's text is the one the HTML shows, taken from the block.
What a registrar needs besides (``word_parts``): A4 with Swedish margins, each numbered list
counting from 1, a header with organisation, title, dnr and the document's own date, a footer
"Sida x (y)", properties naming the organisation and dated by the document, signature lines,
and made-up data in a style of its own ("Påhittat exempel"). An organisation's template keeps
its page, styles, colours, header and footer; gnv.yaml's brand colour wins only when it names a
colour other than the default.

Why python-docx: measured against docxtpl (a Jinja layer over python-docx that needs a template
per report) and pandoc through pypandoc-binary (a 100 MB binary, and the table layout and alt
text are pandoc's, not ours), python-docx writes every element directly, keeps the organisation's
template (styles, header, footer, logo) and adds only a small pure-Python dependency.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import re
from collections.abc import Iterable
from typing import Any

from gnvtools.core.formatting import swedish_date
from gnvtools.publish.style import DEFAULT_COLOUR, Style
from gnvtools.publish.word_parts import (
    MADE_UP_STYLE,
    SIGNATURE_STYLE,
    a4_page,
    header_and_footer,
    heading_look,
    number,
    paragraph_style,
    properties,
    restarting_list,
    saved,
)
from gnvtools.reports.common import ANNEX_TITLE
from gnvtools.reports.document import (
    ILLUSTRATIVE,
    Block,
    ChartBlock,
    Document,
    Heading,
    IllustrativeMark,
    ListBlock,
    Note,
    Paragraph,
    Run,
    Signatures,
    TableBlock,
    TitleBlock,
)

LANGUAGE = "sv-SE"
LOGO_ALT = "Logotyp"
SIGNERS_A_ROW = 3


def made_up_note(note: Note) -> bool:
    """A note about made-up data (``common.illustrative_notice``), set apart in its own style."""
    text = note.text.lower()
    return "påhittad" in text or "påhittat" in text or ILLUSTRATIVE.lower() in text


def _marked(value: str, head: TitleBlock) -> str:
    """A dnr or date for the page header, marked "(påhittat)" when the head shows it as made
    up (its row reads "… (påhittat exempel)"), as the PDF's running header marks it."""
    if not value:
        return ""
    shown = [value]
    with contextlib.suppress(ValueError):
        shown.append(swedish_date(dt.date.fromisoformat(value)))
    made_up = any(row.startswith(tuple(shown)) and "påhittat" in row for _, row in head.meta)
    return f"{value} (påhittat)" if made_up else value


def _squash(text: str) -> str:
    """Whitespace as a browser shows it: runs of spaces and line breaks as one space."""
    return re.sub(r"[ \t\r\n]+", " ", text)


def _set_language(document: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.append(rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")
    document.core_properties.language = LANGUAGE


class _Writer:
    def __init__(self, document: Any, style: Style) -> None:
        self.doc = document
        self.style = style
        self.figures = 0

    # --- styles that an organisation's template may lack ------------------------------------

    def _paragraph(self, text: str = "", style: str | None = None) -> Any:
        try:
            return self.doc.add_paragraph(text, style=style)
        except KeyError:
            return self.doc.add_paragraph(text)

    def _heading(self, text: str, level: int) -> None:
        try:  # the colour and font are the heading style's (``word_parts.heading_look``)
            added = self.doc.add_heading(text, level=level)
        except KeyError:
            added = self.doc.add_paragraph()
            added.add_run(text).bold = True
        if text == ANNEX_TITLE:  # the provenance annex is an attachment: it starts a page
            added.paragraph_format.page_break_before = True

    def _title(self, text: str) -> None:
        try:
            self.doc.add_heading(text, level=0)
        except KeyError:
            self._heading(text, 1)

    def _runs(
        self, paragraph: Any, runs: Iterable[Run], bold: bool = False, italic: bool = False
    ) -> None:
        for run in runs:
            text = _squash(run.text)
            if text:
                added = paragraph.add_run(text)
                added.bold = bold or run.bold or None
                added.italic = italic or run.italic or None

    # --- blocks ------------------------------------------------------------------------------

    def write(self, block: Block) -> None:
        match block:
            case TitleBlock():
                self._title(_squash(block.title).strip())
                for key, value in block.meta:
                    paragraph = self._paragraph()
                    paragraph.add_run(_squash(key).strip() + ": ").bold = True
                    paragraph.add_run(_squash(value).strip())
            case Heading():
                text = _squash(block.text).strip()
                if block.level <= 1:
                    self._title(text)
                else:  # the HTML's h2 is the document's first level below the title
                    self._heading(text, block.level - 1)
            case Paragraph():
                self._runs(
                    self._paragraph(),
                    block.runs,
                    bold=block.role == "flag",
                    italic=block.role == "rule",
                )
            case ListBlock():
                self.list(block)
            case IllustrativeMark():
                self.mark(block)
            case Note():
                text = _squash(block.text).strip()
                if made_up_note(block):
                    self._paragraph(text, style=MADE_UP_STYLE)
                else:
                    self._paragraph().add_run(text).italic = True
            case TableBlock():
                self.table(block)
            case ChartBlock():
                self.chart(block)
            case Signatures():
                self.signatures(block)

    def list(self, block: ListBlock) -> None:
        """Bullets, or a numbered list counting from 1 (its own numbering instance)."""
        if not block.ordered:
            for item in block.items:
                self._runs(self._paragraph(style="List Bullet"), item)
            return
        num_id = restarting_list(self.doc)
        for index, item in enumerate(block.items, start=1):
            paragraph = self._paragraph(style="List Number")
            if num_id is None:  # a template without a numbered list style: the number as text
                paragraph.add_run(f"{index}. ")
            else:
                number(paragraph, num_id)
            self._runs(paragraph, item)

    def signatures(self, block: Signatures) -> None:
        """Each signer side by side (at most three a row): a line to sign on, then name and
        title under it."""
        if block.lead:
            self._paragraph(block.lead)
        people = [p for p in block.people if any(line.strip() for line in p)]
        if not people:
            return
        paragraph_style(self.doc, SIGNATURE_STYLE)
        columns = min(len(people), SIGNERS_A_ROW)
        table = self.doc.add_table(rows=0, cols=columns)
        for start in range(0, len(people), columns):
            cells = table.add_row().cells
            for cell, lines in zip(cells, people[start : start + columns], strict=False):
                shown = [_squash(line).strip() for line in lines if line.strip()]
                cell.paragraphs[0].style = self.doc.styles[SIGNATURE_STYLE]
                cell.paragraphs[0].add_run(shown[0])
                for line in shown[1:]:
                    cell.add_paragraph(line)

    def mark(self, mark: IllustrativeMark) -> None:
        paragraph = self._paragraph(style=MADE_UP_STYLE)
        paragraph.add_run(f"{mark.label}:").bold = True
        paragraph.add_run(_squash(f" {mark.note}"))

    def table(self, block: TableBlock) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if block.mark is not None:
            self.mark(block.mark)
        paragraph = self._paragraph(style="Caption")
        paragraph.add_run(_squash(block.caption or block.title).strip()).bold = True
        rows: list[tuple[str, tuple[str, ...]]] = [("head", block.columns)]
        rows += [("body", row) for row in block.shown_rows]
        if block.shown_footer is not None:
            rows.append(("foot", block.shown_footer))
        numeric = block.numeric
        table = self.doc.add_table(rows=0, cols=len(block.columns))
        with contextlib.suppress(KeyError, ValueError):
            table.style = "Table Grid"
        for part, cells in rows:
            row = table.add_row()
            if part == "head":  # repeat the header row on every page
                flag = OxmlElement("w:tblHeader")
                flag.set(qn("w:val"), "true")
                row._tr.get_or_add_trPr().append(flag)
            for index, text in enumerate(cells):
                cell_paragraph = row.cells[index].paragraphs[0]
                run = cell_paragraph.add_run(_squash(text).strip())
                run.bold = part in ("head", "foot") or None
                if numeric[index]:
                    cell_paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for note in block.notes:
            self._paragraph(_squash(note).strip())

    def chart(self, block: ChartBlock) -> None:
        caption = _squash(block.caption).strip()
        if not block.png:  # Word shows no SVG; never from gnv, kept visible rather than dropped
            self._paragraph(f"[Diagram: {block.alt}]")
        else:
            self.picture(base64.b64decode(block.png), block.alt or caption, caption, logo=False)
        if caption:
            self._paragraph(caption, style="Caption")

    def picture(self, data: bytes, alt: str, title: str, *, logo: bool) -> None:
        from docx.shared import Cm

        self.figures += 1
        shape = self.doc.add_picture(io.BytesIO(data), width=Cm(4) if logo else Cm(16))
        properties = shape._inline.docPr
        properties.set("descr", alt)
        properties.set("title", title or alt[:60])

    def logo(self) -> None:
        """The organisation's logo first, as the HTML has it; an SVG logo Word cannot show, so
        the template's own header stands instead."""
        if self.style.logo is None:
            return
        from gnvtools.publish.logo import read_logo

        logo = read_logo(self.style.logo, for_word=True)  # checked again, by content
        if logo.mime == "image/svg+xml":
            return
        self.picture(logo.data, LOGO_ALT, "", logo=True)


def document_to_docx(document: Document, title: str, style: Style | None = None) -> bytes:
    """The report's document as a Word document (bytes), on ``style``'s Word template if any.

    Charts need their PNG in the document (``chart_png`` in the report's ``core.options``,
    which ``gnv render`` gives it for ``docx``); a chart without one is named in the text
    instead.
    """
    from docx import Document as NewDocx

    style = style or Style()
    head = next(iter(document.of_kind(TitleBlock)), TitleBlock(title))
    template = style.word_template is not None
    if style.word_template:  # cleaned of external links, attached templates and macros
        from gnvtools.publish.docx_template import open_template

        docx = open_template(style.word_template)
    else:
        docx = NewDocx()
        a4_page(docx)
    _set_language(docx)
    # On a template its own colours stand unless gnv.yaml names a colour of its own.
    own_colour = not template or style.colour.lower() != DEFAULT_COLOUR
    heading_look(docx, style.colour if own_colour else None, style.font)
    paragraph_style(docx, MADE_UP_STYLE)
    header_and_footer(
        docx, head.organisation, title, _marked(head.dnr, head), _marked(head.date, head)
    )
    properties(
        docx, title=title, organisation=head.organisation, date=head.date, own_app=not template
    )
    writer = _Writer(docx, style)
    writer.logo()
    for block in document.blocks:
        writer.write(block)
    return saved(docx)
