"""Word output: the report as a real .docx, on the organisation's own Word template if it has one.

The executed notebook's HTML (which gnvtools writes itself: headings, paragraphs, lists, tables,
figures, the title block) is walked once and rebuilt with python-docx: headings as Word's
heading styles (the navigation pane works), tables as Word tables with right-aligned kronor and
a header row repeated on every page, charts as pictures with alt text, the title and the
language sv-SE in the document's properties. The same figures as the HTML, by construction.

Why python-docx: measured against docxtpl (a Jinja layer over python-docx that needs a template
per report) and pandoc through pypandoc-binary (a 100 MB binary, and the table layout and alt
text are pandoc's, not ours), python-docx writes every element directly, keeps the organisation's
template (styles, header, footer, logo) and adds only a small pure-Python dependency.
"""

from __future__ import annotations

import base64
import contextlib
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from gnvtools.publish.style import Style

LANGUAGE = "sv-SE"
_VOID = {"img", "br", "meta", "link", "hr", "input"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    found.append(child)
                found += child.find_all(tag)
        return found


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(markup: str) -> Node:
    tree = _Tree()
    tree.feed(markup)
    tree.close()
    return tree.root


def _squash(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


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
    def __init__(self, document: Any, style: Style, pictures: dict[str, bytes]) -> None:
        self.doc = document
        self.style = style
        self.pictures = pictures
        self.figures = 0

    # --- styles that an organisation's template may lack ------------------------------------

    def _paragraph(self, text: str = "", style: str | None = None) -> Any:
        try:
            return self.doc.add_paragraph(text, style=style)
        except KeyError:
            return self.doc.add_paragraph(text)

    def heading(self, text: str, level: int) -> None:
        try:
            paragraph = self.doc.add_heading(text, level=level)
        except KeyError:
            paragraph = self.doc.add_paragraph()
            paragraph.add_run(text).bold = True
        if self.style.colour:
            from docx.shared import RGBColor

            for run in paragraph.runs:
                run.font.color.rgb = RGBColor.from_string(self.style.colour.lstrip("#").upper())

    # --- inline ------------------------------------------------------------------------------

    def runs(self, paragraph: Any, node: Node, bold: bool = False, italic: bool = False) -> None:
        for child in node.children:
            if isinstance(child, str):
                text = re.sub(r"[ \t\r\n]+", " ", child)
                if text:
                    run = paragraph.add_run(text)
                    run.bold = bold or None
                    run.italic = italic or None
            elif child.tag in ("strong", "b"):
                self.runs(paragraph, child, True, italic)
            elif child.tag in ("em", "i"):
                self.runs(paragraph, child, bold, True)
            elif child.tag == "br":
                paragraph.add_run().add_break()
            else:
                self.runs(paragraph, child, bold, italic)

    # --- blocks ------------------------------------------------------------------------------

    def block(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    self._paragraph(_squash(child))
                continue
            self.element(child)

    def element(self, node: Node) -> None:
        tag = node.tag
        if tag in ("style", "script", "title", "head"):
            return
        if tag == "h1":
            try:
                self.doc.add_heading(_squash(node.text()), level=0)
            except KeyError:
                self.heading(_squash(node.text()), 1)
        elif tag in ("h2", "h3", "h4", "h5"):
            self.heading(_squash(node.text()), int(tag[1]) - 1)
        elif tag == "p":
            paragraph = self._paragraph()
            self.runs(paragraph, node, bold="flag" in node.classes, italic="rule" in node.classes)
            if "illustrative-mark" in node.classes or "flag" in node.classes:
                for run in paragraph.runs:
                    run.bold = True
        elif tag in ("ul", "ol"):
            list_style = "List Number" if tag == "ol" else "List Bullet"
            for item in node.children:
                if isinstance(item, Node) and item.tag == "li":
                    paragraph = self._paragraph(style=list_style)
                    self.runs(paragraph, item)
        elif tag == "dl":
            terms = [c for c in node.children if isinstance(c, Node) and c.tag in ("dt", "dd")]
            for term, value in zip(terms[::2], terms[1::2], strict=False):
                paragraph = self._paragraph()
                paragraph.add_run(_squash(term.text()) + ": ").bold = True
                paragraph.add_run(_squash(value.text()))
        elif tag == "aside":
            paragraph = self._paragraph()
            paragraph.add_run(_squash(node.text())).italic = True
        elif tag == "table":
            self.table(node)
        elif tag == "figure":
            self.figure(node)
        elif tag == "img":
            self.picture(node, "")
        elif tag == "section" and "signatures" in node.classes:
            for signature in node.find_all("div"):
                paragraph = self._paragraph()
                lines = [_squash(span.text()) for span in signature.find_all("span")]
                for index, line in enumerate(lines):
                    run = paragraph.add_run(line)
                    if index < len(lines) - 1:
                        run.add_break()
        else:
            self.block(node)

    def table(self, node: Node) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        caption = node.find_all("caption")
        if caption:
            paragraph = self._paragraph(style="Caption")
            paragraph.add_run(_squash(caption[0].text())).bold = True
        rows: list[tuple[str, list[Node]]] = []
        for part in ("thead", "tbody", "tfoot"):
            for section in node.find_all(part):
                for row in section.find_all("tr"):
                    cells = [
                        c for c in row.children if isinstance(c, Node) and c.tag in ("th", "td")
                    ]
                    rows.append((part, cells))
        if not rows:
            return
        width = max(len(cells) for _, cells in rows)
        table = self.doc.add_table(rows=0, cols=width)
        with contextlib.suppress(KeyError, ValueError):
            table.style = "Table Grid"
        for part, cells in rows:
            row = table.add_row()
            if part == "thead":  # repeat the header row on every page
                flag = OxmlElement("w:tblHeader")
                flag.set(qn("w:val"), "true")
                row._tr.get_or_add_trPr().append(flag)
            for index, cell in enumerate(cells):
                paragraph = row.cells[index].paragraphs[0]
                run = paragraph.add_run(_squash(cell.text()))
                run.bold = part in ("thead", "tfoot") or None
                if "num" in cell.classes:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for note in node.find_all("p"):
            self._paragraph(_squash(note.text()))

    def figure(self, node: Node) -> None:
        captions = node.find_all("figcaption")
        caption = _squash(captions[0].text()) if captions else ""
        for image in node.find_all("img"):
            self.picture(image, caption)
        if caption:
            self._paragraph(caption, style="Caption")

    def picture(self, node: Node, caption: str) -> None:
        from docx.shared import Cm

        source = node.attrs.get("src", "")
        if not source.startswith("data:image/") or ";base64," not in source:
            return
        data = base64.b64decode(source.split(";base64,", 1)[1])
        alt = node.attrs.get("alt", "") or caption
        if source.startswith("data:image/svg+xml"):
            # Word shows no SVG: the chart's PNG from the notebook output, by the SVG's hash.
            from gnvtools.reports.charts import svg_key

            png = self.pictures.get(svg_key(data))
            if png is None and "brand-logo" in node.classes:
                return  # an SVG logo has no PNG: Word shows the template's own header instead
            if png is None:  # never from gnv; kept visible rather than dropped
                self._paragraph(f"[Diagram: {alt}]")
                return
            data = png
        self.figures += 1
        width = Cm(4) if "brand-logo" in node.classes else Cm(16)
        shape = self.doc.add_picture(io.BytesIO(data), width=width)
        properties = shape._inline.docPr
        properties.set("descr", alt)
        properties.set("title", caption or alt[:60])


def chart_pictures(notebook: Any) -> dict[str, bytes]:
    """The charts' PNGs in an executed notebook, by the hash of the SVG the HTML shows."""
    from gnvtools.reports.charts import svg_key

    found: dict[str, bytes] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            match = _SVG_URI.search(str(data.get("text/html", "")))
            if "image/png" in data and match:
                found[svg_key(base64.b64decode(match.group(1)))] = base64.b64decode(
                    data["image/png"]
                )
    return found


_SVG_URI = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def html_to_docx(
    html_text: str,
    title: str,
    style: Style | None = None,
    pictures: dict[str, bytes] | None = None,
) -> bytes:
    """The report's HTML as a Word document (bytes).

    ``pictures``: PNG bytes for the SVG charts, by ``charts.svg_key`` of the SVG (see
    ``chart_pictures``); Word cannot show SVG.
    """
    from docx import Document

    style = style or Style()
    if style.word_template:  # cleaned of external links, attached templates and macros
        from gnvtools.publish.docx_template import open_template

        document = open_template(style.word_template)
    else:
        document = Document()
    _set_language(document)
    document.core_properties.title = title
    document.core_properties.author = "gnvtools"
    document.core_properties.subject = "Statsbidrag för god och nära vård"
    writer = _Writer(document, style, pictures or {})
    tree = parse(html_text)
    main = next(iter(tree.find_all("main")), tree)
    writer.block(main)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
