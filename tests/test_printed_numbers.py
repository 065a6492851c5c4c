"""Every number a report prints comes from its catalogue (issue 19).

For each example report, rendered as HTML, Word, Excel and the executed notebook:

1. every number in the document's own sentences, lists, notes, captions and headings is the
   Swedish text of a catalogue figure (in one of the forms a placeholder may ask for) or a cell
   of one of the document's named tables — so no number is worked out in report code beside the
   catalogue;
2. every number the HTML and the Word file print is a number of the document (the renderers add
   none), and every number cell of the Excel file is a value of a figure, a table cell or a row of
   an input as read.

Not figures, and so left out: citations of laws and ordinances (``(2024:1253)``, ``2 §``,
``12 kap.``), dates and years, case numbers, ordinals that name a step, an area or an
attachment, a source's printed text quoted ``”…”``, the words of the organisation and of the rules
as their files give them (``OWN_WORDS``), and the provenance annex (hashes, sizes and versions
of the inputs and the software, checked by ``gnv verify``).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from gnvtools.core.figures import FORMATS
from gnvtools.reports.document import (
    ChartBlock,
    Document,
    Heading,
    IllustrativeMark,
    ListBlock,
    Note,
    Paragraph,
    Signatures,
    TableBlock,
    TitleBlock,
    document_of,
)

from .conftest import EXAMPLES

FIGURES_MIME = "application/vnd.gnvtools.core.figures+json"
#: Roles of blocks in the organisation's or a source's own words, from its files: its text file
#: and Markdown (``authored``), a step's or a rule's wording from the parameter or rules file
#: (``rule``). Their numbers are theirs; the placeholders in them are figures.
OWN_WORDS = ("authored", "rule")
SPACE = "[\u00a0\u202f ]"
NUMBER = re.compile(rf"[−-]?\d+(?:{SPACE}\d{{3}})*(?:,\d+)?")
MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
#: Spans that hold numbers but are not figures: citations, dates, years, ordinals.
NOT_FIGURES = re.compile(
    "|".join(
        [
            r"\S*\d+/\d+\S*",  # a case number: ÄLD 2026/000, RS/0000/2025
            r"\(?\d{4}:\d+\)?",  # SFS 2024:1253, (2017:30)
            rf"\d+{SPACE}?(?:kap\.|§)",  # 12 kap., 2 §
            rf"\d{{1,2}}{SPACE}(?:{MONTHS})(?:{SPACE}\d{{4}})?",  # 26 augusti 2025
            r"\d{4}-\d{2}-\d{2}",
            rf"(?:19|20)\d{{2}}(?:[–-](?:19|20)\d{{2}})?(?!{SPACE}?(?:kr|mnkr|mkr|tkr|%))",
            rf"(?i:steg|område|insatsområde|insatsområdena|bilaga|delbelopp|punkt|sida){SPACE}\d+",
            r"(?m:^\d+\.\s)",  # an area's number before its name
            rf"\d+{SPACE}år och äldre",  # an age group, a column's label
            r"”[^”]*”",  # a quotation of a source as printed (an illegible figure)
            r"VI2000",
        ]
    )
)


def numbers(text: str) -> set[str]:
    """The numbers in ``text`` outside citations, dates and ordinals, spaces and signs folded."""
    text = NOT_FIGURES.sub(" ", text)
    return {re.sub(SPACE, "", m).replace("−", "-").lstrip("-") for m in NUMBER.findall(text)}


def _figures(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            found = output.get("data", {}).get(FIGURES_MIME)
            if found is not None:
                return list(found if isinstance(found, list) else found.get("figures", []))
    raise AssertionError("the notebook carries no catalogue")


def _figure_texts(figure: dict[str, Any]) -> Iterator[str]:
    yield str(figure["text"])
    value = figure["value"]
    if figure["kind"] == "kr" and isinstance(value, int):
        for shown in FORMATS.values():
            yield shown(value)


def _table_cells(document: Document) -> Iterator[str]:
    for table in document.of_kind(TableBlock):
        for row in (*table.shown_rows, *((table.shown_footer,) if table.shown_footer else ())):
            yield from row


def _block_texts(block: Any) -> list[str]:
    if isinstance(block, Paragraph):
        return ["".join(run.text for run in block.runs)]
    if isinstance(block, ListBlock):
        return ["".join(run.text for run in item) for item in block.items]
    if isinstance(block, Note | Heading):
        return [block.text]
    if isinstance(block, TableBlock):
        return [block.title, block.caption, *block.notes]
    if isinstance(block, ChartBlock):
        return [block.alt, block.caption]
    if isinstance(block, IllustrativeMark):
        return [block.label, block.note]
    if isinstance(block, TitleBlock):
        return [block.title, *(value for _, value in block.meta)]
    if isinstance(block, Signatures):
        return [block.lead, *(line for person in block.people for line in person)]
    return []


def _in_annex(document: Document) -> Iterator[tuple[bool, Any]]:
    """Each block with whether it lies in the provenance annex (a heading "Bilaga …" on)."""
    annex = False
    for block in document.blocks:
        if isinstance(block, Heading) and block.level <= 2:
            annex = block.text.startswith("Bilaga") and "underlag" in block.text
        yield annex, block


def _unexplained(document: Document, figures: list[dict[str, Any]]) -> dict[str, str]:
    allowed = set().union(
        *(numbers(t) for f in figures for t in _figure_texts(f)),
        *(numbers(cell) for cell in _table_cells(document)),
    )
    found: dict[str, str] = {}
    for annex, block in _in_annex(document):
        if annex or (isinstance(block, Paragraph | ListBlock) and block.role in OWN_WORDS):
            continue
        for text in _block_texts(block):
            for number in numbers(text) - allowed:
                found.setdefault(number, text[:200])
    return found


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "svg"):
            self.hidden += 1
        if tag in ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "dd", "dt", "div", "br"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _html_numbers(markup: str) -> set[str]:
    reader = _Visible()
    reader.feed(markup)
    return set().union(*(numbers(line) for line in "".join(reader.parts).splitlines()))


def _word_numbers(data: bytes) -> set[str]:
    from docx import Document as Docx

    word = Docx(io.BytesIO(data))
    texts = [p.text for p in word.paragraphs]
    texts += [c.text for t in word.tables for r in t.rows for c in r.cells]
    for section in word.sections:
        texts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return set().union(*(numbers(t) for t in texts))


def _document_numbers(document: Document) -> set[str]:
    texts = [t for block in document.blocks for t in _block_texts(block)]
    return set().union(*(numbers(t) for t in [*texts, *_table_cells(document)]))


def _values(items: Iterable[Any]) -> set[Any]:
    out: set[Any] = set()
    for item in items:
        if isinstance(item, bool) or item is None:
            continue
        if isinstance(item, int):
            out.add(item)
        elif isinstance(item, float):
            out.add(round(item, 9))
        elif isinstance(item, str) and re.fullmatch(r"-?\d+(?:/\d+)?", item):
            value = Fraction(item)
            out.add(int(value) if value.denominator == 1 else round(float(value), 9))
    return out


def _load(folder: Path, report: str) -> tuple[Document, list[dict[str, Any]]]:
    notebook = json.loads((folder / f"{report}.ipynb").read_text(encoding="utf-8"))
    return document_of(notebook), _figures(notebook)


@pytest.mark.slow
@pytest.mark.xdist_group("kernel")
@pytest.mark.parametrize(("report", "params"), EXAMPLES)
def test_every_number_in_the_text_is_a_figure_or_a_table_cell(
    rendered: dict[tuple[str, str], Path], report: str, params: str
) -> None:
    document, figures = _load(rendered[(report, params)], report)
    unexplained = _unexplained(document, figures)
    assert not unexplained, "\n".join(f"{n}: {text}" for n, text in unexplained.items())


@pytest.mark.slow
@pytest.mark.xdist_group("kernel")
@pytest.mark.parametrize(("report", "params"), EXAMPLES)
def test_html_word_and_excel_print_only_the_documents_numbers(
    rendered: dict[tuple[str, str], Path], report: str, params: str
) -> None:
    folder = rendered[(report, params)]
    document, figures = _load(folder, report)
    own = _document_numbers(document)
    html = (folder / f"{report}.html").read_text(encoding="utf-8")
    assert _html_numbers(html) - own == set()
    assert _word_numbers((folder / f"{report}.docx").read_bytes()) - own == set()

    from openpyxl import load_workbook

    values = _values(f["value"] for f in figures)
    for table in document.of_kind(TableBlock):
        for row in (*table.rows, *((table.footer,) if table.footer else ())):
            values |= _values(row)
    book = load_workbook(folder / f"{report}.xlsx", read_only=True)
    stray = []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        header = [str(c or "") for c in rows[0]] if rows else []
        as_read = "Rad" in header or "Rad i filen" in header  # an input as read: its own values
        for row in rows:
            for cell in row:
                if as_read or isinstance(cell, bool) or not isinstance(cell, int | float):
                    continue
                if round(float(cell), 9) not in values and float(cell) not in values:
                    stray.append(f"{sheet.title}: {cell}")
    assert not stray, stray[:20]


def test_a_number_worked_out_beside_the_catalogue_is_caught() -> None:
    """The check itself: a sentence with a sum the catalogue does not hold fails it."""
    figures = [{"name": "mottaget", "value": 1000, "kind": "kr", "text": "1\u00a0000\u00a0kr"}]
    good = Document([Paragraph.of("Mottaget: 1\u00a0000\u00a0kr enligt SFS 2024:1253, 2 §.")])
    assert _unexplained(good, figures) == {}
    bad = Document([Paragraph.of("Mottaget och fördelat: 2\u00a0000\u00a0kr den 3 maj 2025.")])
    assert _unexplained(bad, figures) == {
        "2000": "Mottaget och fördelat: 2\u00a0000\u00a0kr den 3 maj 2025."
    }
