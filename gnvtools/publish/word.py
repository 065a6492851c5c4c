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

The blocks are written by ``word_blocks.BlockWriter``; this module prepares the document (the
template, language, styles, header, footer and properties) and hands the blocks over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from gnvtools.core.formatting import swedish_date
from gnvtools.publish.style import DEFAULT_COLOUR, Style
from gnvtools.publish.word_blocks import BlockWriter, made_up_note
from gnvtools.publish.word_parts import (
    MADE_UP_STYLE,
    a4_page,
    header_and_footer,
    heading_look,
    paragraph_style,
    properties,
    saved,
)
from gnvtools.reports.document import Document, TitleBlock

LANGUAGE = "sv-SE"


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
    writer = BlockWriter(docx, style)
    writer.logo()
    for block in document.blocks:
        writer.write(block)
    return saved(docx)


__all__ = ["LANGUAGE", "document_to_docx", "made_up_note"]
