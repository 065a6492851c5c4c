"""The Word writer's block renderers: each block of a report's document (title, headings,
paragraphs, lists, notes, made-up marks, tables, charts, signatures, the logo) as python-docx
elements, falling back to plain paragraphs where an organisation's template lacks a style.
``word.document_to_docx`` prepares the document and hands the blocks to ``BlockWriter``."""

from __future__ import annotations

import base64
import contextlib
import io
import re
from collections.abc import Iterable
from typing import Any

from gnvtools.publish.style import Style
from gnvtools.publish.word_parts import (
    MADE_UP_STYLE,
    SIGNATURE_STYLE,
    number,
    paragraph_style,
    restarting_list,
)
from gnvtools.reports.common import ANNEX_TITLE
from gnvtools.reports.document import (
    ILLUSTRATIVE,
    Block,
    ChartBlock,
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

LOGO_ALT = "Logotyp"
SIGNERS_A_ROW = 3

#: A style the document's template does not have (``BlockWriter._style_id``).
MISSING_STYLE = object()


def made_up_note(note: Note) -> bool:
    """A note about made-up data (``common.illustrative_notice``), set apart in its own style."""
    text = note.text.lower()
    return "påhittad" in text or "påhittat" in text or ILLUSTRATIVE.lower() in text


def _squash(text: str) -> str:
    """Whitespace as a browser shows it: runs of spaces and line breaks as one space."""
    return re.sub(r"[ \t\r\n]+", " ", text)


class BlockWriter:
    """Writes blocks into one python-docx document, in order."""

    def __init__(self, document: Any, style: Style) -> None:
        self.doc = document
        self.style = style
        self.figures = 0
        self._ids: dict[tuple[str, bool], Any] = {}

    # --- styles that an organisation's template may lack ------------------------------------

    def _style_id(self, name: str, table: bool = False) -> Any:
        """The id a paragraph (or table) of style ``name`` names, as python-docx's ``style``
        setter finds it (``None`` for the template's default style), or ``MISSING_STYLE``.
        Looked up once per document: python-docx scans every style for the default at each
        assignment, most of the time spent writing a report's Word file."""
        from docx.enum.style import WD_STYLE_TYPE

        if (name, table) not in self._ids:
            kind = WD_STYLE_TYPE.TABLE if table else WD_STYLE_TYPE.PARAGRAPH
            try:
                self._ids[name, table] = self.doc.styles.get_style_id(name, kind)
            except KeyError:
                self._ids[name, table] = MISSING_STYLE
        return self._ids[name, table]

    def _paragraph(self, text: str = "", style: str | None = None) -> Any:
        """A new paragraph in ``style``, or the template's default one when it lacks that."""
        found = MISSING_STYLE if style is None else self._style_id(style)
        paragraph = self.doc.add_paragraph(text)
        if found is not MISSING_STYLE:
            paragraph._p.style = found  # as python-docx's ``Paragraph.style`` sets it
        return paragraph

    def _heading(self, text: str, level: int) -> None:
        # The colour and font are the heading style's (``word_parts.heading_look``).
        if self._style_id(f"Heading {level}") is MISSING_STYLE:
            added = self.doc.add_paragraph()
            added.add_run(text).bold = True
        else:
            added = self._paragraph(text, f"Heading {level}")
        if text == ANNEX_TITLE:  # the provenance annex is an attachment: it starts a page
            added.paragraph_format.page_break_before = True

    def _title(self, text: str) -> None:
        if self._style_id("Title") is MISSING_STYLE:
            self._heading(text, 1)
        else:
            self._paragraph(text, "Title")

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
                cell.paragraphs[0]._p.style = self._style_id(SIGNATURE_STYLE)
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
        with contextlib.suppress(ValueError):
            grid = self._style_id("Table Grid", table=True)
            if grid is not MISSING_STYLE:
                table._tbl.tblStyle_val = grid  # as python-docx's ``Table.style`` sets it
        for part, cells in rows:
            row = table.add_row()
            if part == "head":  # repeat the header row on every page
                flag = OxmlElement("w:tblHeader")
                flag.set(qn("w:val"), "true")
                row._tr.get_or_add_trPr().append(flag)
            shown = row.cells  # python-docx works the row's cells out at each ``cells``
            for index, text in enumerate(cells):
                cell_paragraph = shown[index].paragraphs[0]
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
