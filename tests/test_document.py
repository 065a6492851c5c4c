"""The typed document: blocks built with the HTML, and the Word file written from them.

The end-to-end tests read an example's HTML (with the standard library's HTML parser: here, in a
test, to check the renderer that no longer parses anything) and its Word file back into one list
of blocks each, and compare the two.
"""

from __future__ import annotations

import ast
import base64
import io
import json
import re
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from gnvtools.reports import charts
from gnvtools.reports.common import signature_block, title_block
from gnvtools.reports.display import (
    Html,
    Table,
    bullets,
    concat,
    heading,
    illustrative_mark,
    notice,
    paragraph,
    section,
)
from gnvtools.reports.document import (
    DOCUMENT_MIME,
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
    block_from_json,
    document_of,
)
from gnvtools.reports.texts import inline, inline_runs, markdown_html, plain_inline

from .conftest import EXAMPLES, PARAMS, ROOT

WORD_MODULES = [
    ROOT / "gnvtools" / "publish" / f"{name}.py" for name in ("word", "word_blocks", "word_parts")
]


# --- reading HTML and Word back as comparable block lists -------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


class _HtmlBlocks(HTMLParser):
    """The blocks a reader sees in a report's <main>, in order, as plain tuples."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[Any, ...]] = []
        self.depth = 0  # inside <main>
        self.text: list[str] | None = None
        self.kind: tuple[Any, ...] = ()
        self.lists: list[bool] = []
        self.row: list[str] | None = None
        self.term = ""
        self.signature: list[str] | None = None

    def _start_text(self, *kind: Any) -> None:
        self.text, self.kind = [], kind

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "main":
            self.depth = 1
            return
        if not self.depth:
            return
        if tag in ("ul", "ol"):
            self.lists.append(tag == "ol")
        elif tag == "h1":
            self._start_text("title")
        elif tag in ("h2", "h3", "h4", "h5"):
            self._start_text("heading", int(tag[1]) - 1)
        elif tag == "li":
            self._start_text("li", self.lists[-1])
        elif tag in ("p", "aside", "dd", "figcaption"):
            if self.text is None:
                self._start_text({"figcaption": "caption"}.get(tag, "p"))
        elif tag == "dt":
            self._start_text("dt")
        elif tag == "caption":
            self._start_text("caption")
        elif tag == "tr":
            self.row = []
        elif tag in ("th", "td"):
            self._start_text("cell")
        elif tag == "img":
            self.blocks.append(("picture", found.get("alt", "")))
        elif tag == "div" and "signature" in found.get("class", "").split():
            self.signature = []
        elif tag == "span" and self.signature is not None:
            self._start_text("span")

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.depth = 0
            return
        if not self.depth:
            return
        if tag in ("ul", "ol"):
            self.lists.pop()
        elif tag == "tr" and self.row is not None:
            self.blocks.append(("row", tuple(self.row)))
            self.row = None
        elif tag == "div" and self.signature is not None and self.text is None:
            self.blocks.append(("p", "\n".join(self.signature)))
            self.signature = None
        elif self.text is not None and tag in (
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "li",
            "p",
            "aside",
            "dd",
            "dt",
            "figcaption",
            "caption",
            "th",
            "td",
            "span",
        ):
            text = _squash("".join(self.text))
            kind, self.text = self.kind, None
            if kind[0] == "cell" and self.row is not None:
                self.row.append(text)
            elif kind[0] == "span" and self.signature is not None:
                self.signature.append(text)
            elif kind[0] == "dt":
                self.term = text
            elif tag == "dd":
                self.blocks.append(("p", f"{self.term}: {text}"))
            else:
                self.blocks.append((*kind, text))

    def handle_data(self, data: str) -> None:
        if self.depth and self.text is not None:
            self.text.append(data)


def html_blocks(markup: str) -> list[tuple[Any, ...]]:
    reader = _HtmlBlocks()
    reader.feed(markup)
    reader.close()
    return reader.blocks


def word_blocks(data: bytes) -> list[tuple[Any, ...]]:
    """The same tuples from a .docx, read back with python-docx."""
    from docx import Document as OpenDocx
    from docx.oxml.ns import qn
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph as WordParagraph

    docx = OpenDocx(io.BytesIO(data))
    blocks: list[tuple[Any, ...]] = []
    for element in docx.element.body.iterchildren():
        if element.tag == qn("w:tbl"):
            table = WordTable(element, docx)
            signers = [c for r in table.rows for c in r.cells if c.paragraphs[0].text]
            if signers and signers[0].paragraphs[0].style.name == "Underskrift":
                # the signature block: a signer per cell, each under a line to sign on
                blocks += [("p", "\n".join(_squash(p.text) for p in c.paragraphs)) for c in signers]
                continue
            for row in table.rows:
                blocks.append(("row", tuple(_squash(cell.text) for cell in row.cells)))
            continue
        if element.tag != qn("w:p"):
            continue
        para = WordParagraph(element, docx)
        for picture in element.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        ):
            blocks.append(("picture", picture.get("descr")))
        style = para.style.name if para.style is not None else ""
        text = "\n".join(_squash(line) for line in para.text.split("\n"))
        if not text:
            continue
        if style == "Title":
            blocks.append(("title", text))
        elif style.startswith("Heading "):
            blocks.append(("heading", int(style.split()[1]), text))
        elif style in ("List Number", "List Bullet"):
            blocks.append(("li", style == "List Number", text))
        elif style == "Caption":
            blocks.append(("caption", text))
        else:
            blocks.append(("p", text))
    return blocks


NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?")


def numbers(texts: list[str]) -> set[str]:
    return {re.sub(r"[ \u00a0\u202f]", " ", n) for t in texts for n in NUMBER.findall(t)}


def _texts(blocks: list[tuple[Any, ...]]) -> list[str]:
    return [str(part) for block in blocks for part in block[1:] if not isinstance(part, bool)]


# --- the renderer has no HTML parser ----------------------------------------------------------


@pytest.mark.parametrize("module", WORD_MODULES, ids=lambda p: p.stem)
def test_word_writer_imports_no_html_parser(module: Path) -> None:
    source = module.read_text(encoding="utf-8")
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
            imported |= {f"{node.module}.{alias.name}" for alias in node.names}
    parsers = ("html", "lxml", "bs4", "html5lib", "xml.dom", "xml.sax")
    assert not [name for name in imported if name.split(".")[0] in parsers or "HTMLParser" in name]
    assert "HTMLParser" not in source and "html_to_docx" not in source


# --- blocks built with the markup ------------------------------------------------------------


def _table() -> Table:
    return Table(
        title="Fördelning",
        columns=["Mottagare", "Belopp", "Andel"],
        kinds=["text", "kr", "percent"],
        rows=[["Bromma", 3_800_000, Fraction(2, 3)], ["Farsta", None, Fraction(1, 3)]],
        footer=["Summa", 3_800_000, Fraction(1)],
        caption="Fördelning per mottagare",
        notes=["En anteckning."],
        illustrative="befolkningen är påhittad.",
    )


def test_each_helper_gives_its_block() -> None:
    shown = concat(
        [
            title_block("Titel", [("Organisation", "Kommunen"), ("Datum", "")]),
            notice("Observera: påhittat."),
            section("Rubrik", paragraph("Text.", "rule"), bullets(["a", "b"], ordered=True)),
            heading("Under", 3),
            illustrative_mark("steget"),
            _table().block(),
            signature_block([["Anna", "Chef"]], "I tjänsten"),
        ]
    )
    assert shown.blocks == [
        TitleBlock("Titel", (("Organisation", "Kommunen"),)),
        Note("Observera: påhittat."),
        Heading(2, "Rubrik", "rubrik"),
        Paragraph((Run("Text."),), "rule"),
        ListBlock(((Run("a"),), (Run("b"),)), ordered=True),
        Heading(3, "Under", "under"),
        IllustrativeMark("Påhittade exempeldata", "steget"),
        _table().document_block(),
        Signatures((("Anna", "Chef"),), "I tjänsten"),
    ]
    # ... and the same content, in the same order, as the markup.
    word = [
        ("title", "Titel"),
        ("p", "Organisation: Kommunen"),
        ("p", "Observera: påhittat."),
        ("heading", 1, "Rubrik"),
        ("p", "Text."),
        ("li", True, "a"),
        ("li", True, "b"),
        ("heading", 2, "Under"),
        ("p", "Påhittade exempeldata: steget"),
        ("p", "Påhittade exempeldata: befolkningen är påhittad."),
        ("caption", "Fördelning per mottagare"),
        ("row", ("Mottagare", "Belopp", "Andel")),
        ("row", ("Bromma", "3 800 000 kr", "66,7 %")),
        ("row", ("Farsta", "uppgift saknas", "33,3 %")),
        ("row", ("Summa", "3 800 000 kr", "100,0 %")),
        ("p", "En anteckning."),
        ("p", "I tjänsten"),
        ("p", "Anna\nChef"),
    ]
    assert [_plain(b) for b in html_blocks(f"<main>{shown.markup}</main>")] == word

    from gnvtools.publish.word import document_to_docx

    data = document_to_docx(Document(shown.blocks), "Titel")
    assert [_plain(b) for b in word_blocks(data)] == word


def _plain(block: tuple[Any, ...]) -> tuple[Any, ...]:
    def one(part: Any) -> Any:
        if isinstance(part, str):
            return part.replace("\u00a0", " ").replace("\u2212", "-")
        if isinstance(part, tuple):
            return tuple(one(p) for p in part)
        return part

    return tuple(one(p) for p in block)


def test_the_table_block_shows_each_cell_as_the_html_does() -> None:
    block = _table().document_block()
    assert block.shown_rows[0] == ("Bromma", "3\u00a0800\u00a0000\u00a0kr", "66,7\u00a0%")
    assert block.rows[1][1] is None and block.shown_rows[1][1] == "uppgift saknas"
    assert block.numeric == [False, True, True]
    assert block.mark == IllustrativeMark("Påhittade exempeldata", "befolkningen är påhittad.")
    table_json = _table().as_json()  # the table MIME's fields, unchanged, are all in the block
    assert {k: v for k, v in block.as_json().items() if k in table_json} == table_json


def test_every_block_survives_json() -> None:
    blocks = [
        *concat(
            [
                title_block("T", [("a", "b")]),
                notice("n"),
                section("S", paragraph("p", "flag")),
                illustrative_mark(""),
                _table().block(),
                signature_block([["x"]]),
            ]
        ).blocks,
        Paragraph((Run("a", bold=True), Run("b", italic=True)), figures=("mottaget",)),
        ChartBlock("alt", "caption", "c3Zn", "cG5n"),
    ]
    data = json.loads(json.dumps({"blocks": [b.as_json() for b in blocks]}))
    assert Document.from_json(data).blocks == blocks
    with pytest.raises(ValueError, match="unknown document block"):
        block_from_json({"type": "script"})


def test_sections_show_their_blocks_beside_the_html() -> None:
    shown = section("Rubrik", paragraph("Text."))._repr_mimebundle_()
    assert shown[DOCUMENT_MIME] == {
        "blocks": [
            {"type": "heading", "level": 2, "text": "Rubrik", "id": "rubrik"},
            {"type": "paragraph", "runs": [{"text": "Text."}]},
        ]
    }
    assert Html("")._repr_mimebundle_()[DOCUMENT_MIME] == {"blocks": []}


def test_a_chart_carries_its_svg_and_png() -> None:
    chart = charts.horizontal_bars(["A", "B"], {"Belopp": [1_000_000, 0]}, title="Titel")
    chart.png = charts_png()  # as when the report is also made as Word
    (data,) = chart._repr_mimebundle_()[DOCUMENT_MIME]["blocks"]
    block = block_from_json(data)
    assert isinstance(block, ChartBlock) and block.alt == chart.alt
    assert (block.caption, base64.b64decode(block.svg)) == (chart.caption, chart.svg)
    assert base64.b64decode(block.png) == chart.png
    chart.png = None
    assert chart.block().png == "" and "png" not in chart.block().as_json()


@pytest.mark.parametrize(
    "text",
    [
        "Ett **fet** och *kursiv* text",
        "**a *b* c**",
        "*a **b** c*",
        "x * y * z och 5*3*2",
        "a**b** <b>&amp;</b>",
        "**obalanserad *kursiv",
    ],
)
def test_authored_runs_match_the_authored_markup(text: str) -> None:
    """The runs carry the same bold and italic text as ``inline``'s <strong> and <em>."""

    class Styled(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.open: list[str] = []
            self.runs: list[Run] = []

        def handle_starttag(self, tag: str, _: Any) -> None:
            self.open.append(tag)

        def handle_endtag(self, tag: str) -> None:
            self.open.remove(tag)

        def handle_data(self, data: str) -> None:
            run = Run(data, "strong" in self.open, "em" in self.open)
            if self.runs and (self.runs[-1].bold, self.runs[-1].italic) == (run.bold, run.italic):
                run = Run(self.runs.pop().text + data, run.bold, run.italic)
            self.runs.append(run)

    styled = Styled()
    styled.feed(inline(text))
    assert inline_runs(text) == tuple(styled.runs)
    assert "".join(r.text for r in inline_runs(text)) == plain_inline(text)


def test_authored_markdown_becomes_paragraph_list_and_heading_blocks() -> None:
    shown = markdown_html(
        ["Ett **fett** ord", "fortsätter.", "", "1. ett", "2. två", "", "### Under"]
    )
    assert shown.blocks == [
        Paragraph((Run("Ett "), Run("fett", bold=True), Run(" ord fortsätter.")), "authored"),
        ListBlock(((Run("ett"),), (Run("två"),)), ordered=True, role="authored"),
        Heading(3, "Under"),
    ]


def test_the_document_of_a_notebook_skips_notebook_only_cells() -> None:
    def cell(text: str, tags: list[str] | None = None) -> dict[str, Any]:
        data = paragraph(text)._repr_mimebundle_()
        return {"metadata": {"tags": tags or []}, "outputs": [{"data": data}]}

    notebook = {"cells": [cell("ett"), cell("bara i notebooken", ["notebook-only"]), cell("två")]}
    assert [b.text for b in document_of(notebook).of_kind(Paragraph)] == ["ett", "två"]
    as_text = {"cells": [{"outputs": [{"data": {DOCUMENT_MIME: json.dumps({"blocks": []})}}]}]}
    assert document_of(as_text).blocks == []


# --- every example: the Word file has everything the HTML has ---------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("kernel")
@pytest.mark.parametrize(("report", "params"), EXAMPLES)
def test_the_word_file_has_every_block_of_the_html(
    rendered: dict[tuple[str, str], Path], report: str, params: str
) -> None:
    folder = rendered[(report, params)]
    html = (folder / f"{report}.html").read_text(encoding="utf-8")
    data = (folder / f"{report}.docx").read_bytes()
    from_html = html_blocks(html)
    from_word = word_blocks(data)
    assert from_word == from_html
    kinds = {block[0] for block in from_word}
    assert {"title", "heading", "p", "caption", "row", "picture"} <= kinds
    assert report == "multi-year" or "li" in kinds  # the multi-year report has no list
    # Every number the Word file prints is printed in the HTML.
    assert numbers(_texts(from_word)) <= numbers(_texts(from_html))
    # The charts are pictures (their PNG), never a placeholder.
    assert not any("[Diagram:" in text for text in _texts(from_word))


@pytest.mark.slow
@pytest.mark.xdist_group("kernel")
@pytest.mark.parametrize(("report", "params"), EXAMPLES)
def test_the_notebook_carries_the_document_word_is_written_from(
    rendered: dict[tuple[str, str], Path], report: str, params: str
) -> None:
    from gnvtools.publish.word import document_to_docx

    folder = rendered[(report, params)]
    notebook = json.loads((folder / f"{report}.ipynb").read_text(encoding="utf-8"))
    document = document_of(notebook)
    tables = document.of_kind(TableBlock)
    shown = [
        t["key"]
        for c in notebook["cells"]
        for o in c.get("outputs", [])
        for t in o.get("data", {}).get("application/vnd.gnvtools.table+json", {}).get("tables", [])
    ]
    assert [t.key for t in tables] == shown  # every table of the table MIME, in order
    # Excel, the manifest and verify read the tables from the document: the same as the MIME.
    from gnvtools.publish.excel import report_tables

    assert report_tables(notebook) == [
        t
        for c in notebook["cells"]
        for o in c.get("outputs", [])
        for t in o.get("data", {}).get("application/vnd.gnvtools.table+json", {}).get("tables", [])
    ]
    assert all(chart.png for chart in document.of_kind(ChartBlock))
    again = document_to_docx(document, "Titel")
    assert word_blocks(again) == word_blocks((folder / f"{report}.docx").read_bytes())


@pytest.mark.slow
@pytest.mark.xdist_group("kernel")
def test_a_recomputed_report_gives_the_same_document(
    rendered: dict[tuple[str, str], Path],
) -> None:
    from dataclasses import replace

    from gnvtools.publish.recompute import recompute

    report, params = "allocation-memo", "jamtland/2025.yaml"
    folder = rendered[(report, params)]
    notebook = json.loads((folder / f"{report}.ipynb").read_text(encoding="utf-8"))

    def without_png(document: Document) -> list[Any]:
        """The blocks, charts without their PNG (made for Word only) and without the tables
        naming versions and the commit (the manifest leaves them out too)."""
        return [
            replace(b, png="") if isinstance(b, ChartBlock) else b
            for b in document.blocks
            if not (isinstance(b, TableBlock) and b.key.startswith("provenance-"))
        ]

    executed = without_png(document_of(notebook))
    assert without_png(document_of(recompute(report, PARAMS / params))) == executed
    assert len(executed) > 50


def test_what_a_projects_own_notebook_adds_reaches_the_document() -> None:
    from gnvtools.publish.word import document_to_docx

    png = base64.b64encode(charts_png()).decode("ascii")
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "## Egen rubrik\n\nEgen *text*."},
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": ["rad ett\n", "rad två\n"]},
                    {"output_type": "stream", "name": "stderr", "text": "varning\n"},
                    {"output_type": "display_data", "data": {"image/png": png, "text/plain": "x"}},
                    {"output_type": "execute_result", "data": {"text/plain": "42"}},
                ],
            },
        ]
    }
    document = document_of(notebook)
    assert document.blocks[:5] == [
        Heading(2, "Egen rubrik"),
        Paragraph((Run("Egen "), Run("text", italic=True), Run(".")), "authored"),
        Paragraph.of("rad ett"),
        Paragraph.of("rad två"),
        ChartBlock("", "", "", png),
    ]
    assert document.blocks[5:] == [Paragraph.of("42")]
    read = word_blocks(document_to_docx(document, "Titel"))
    assert read == [
        ("heading", 1, "Egen rubrik"),
        ("p", "Egen text."),
        ("p", "rad ett"),
        ("p", "rad två"),
        ("picture", ""),
        ("p", "42"),
    ]


def charts_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "#0b4f8a").save(buffer, "PNG")
    return buffer.getvalue()


def test_markup_without_blocks_still_reaches_the_document_as_text() -> None:
    shown = Html("<p>Byggd <em>utan</em> block</p>", "Byggd utan block")._repr_mimebundle_()
    empty = Html("")._repr_mimebundle_()
    notebook = {"cells": [{"outputs": [{"data": shown}, {"data": empty}]}]}
    assert document_of(notebook).blocks == [Paragraph.of("Byggd utan block")]
