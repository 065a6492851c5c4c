"""The page as printed and shown: numbers that never break, one text measure, no heading at a
page foot, the document's own date in the page header and the provenance annex on its own page
at the end (issue 20, items 7 and 11). Checked on every example, every page."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from gnvtools.core.formatting import NBSP, bind_numbers, kr, plain, swedish_date
from gnvtools.reports.common import ANNEX_TITLE, appendix, title_block
from gnvtools.reports.display import Table, bullets, heading, notice, paragraph
from gnvtools.reports.document import (
    ChartBlock,
    Heading,
    IllustrativeMark,
    ListBlock,
    Note,
    Paragraph,
    TableBlock,
    TitleBlock,
    document_of,
)

from .conftest import PARAMS

# A number broken by an ordinary space: between its digit groups, or before its unit.
BROKEN = re.compile(
    r"(?<![\d,.])\d{1,3}(?:[ \u202f\u00a0]\d{3})*(?: \d{3})(?![\d])"
    r"|\d (?:kr|kronor|mnkr|mkr|tkr|miljoner|miljarder|procent|%)(?!\w)"
)
FOOTER = re.compile(r"Sida \d+ \(\d+\)")


# --- numbers bound -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("av mottagna 41 086 320 kr fördelas", "av mottagna 41_086_320_kr fördelas"),
        ("cirka 10,7 mnkr", "cirka 10,7_mnkr"),
        ("6 394,5 mnkr", "6_394,5_mnkr"),
        ("68 %", "68_%"),
        ("12 kap. 1 §", "12 kap. 1_§"),
        # a year before an amount is not a digit group of it
        ("2023 6 000 000 kr", "2023 6_000_000_kr"),
        ("år 2025 100 000 kr", "år 2025 100_000_kr"),
        ("Sida 1 (5), steg 2 och 3", "Sida 1 (5), steg 2 och 3"),
        ("26 augusti 2025", "26 augusti 2025"),
        ("41\u202f086\u202f320 kr", "41_086_320_kr"),
    ],
)
def test_bind_numbers(text: str, bound: str) -> None:
    assert bind_numbers(text) == bound.replace("_", NBSP)
    assert bind_numbers(bind_numbers(text)) == bind_numbers(text)


def test_display_helpers_bind_numbers_in_markup_and_blocks() -> None:
    # "41 086 320 kr" was seen broken across lines in a decision item: joined by str.split,
    # which takes the no-break space for a space.
    item = " ".join(f"av mottagna {kr(41_086_320)} fördelas".split())
    shown = bullets([item], ordered=True, css="decisions")
    assert "41\u00a0086\u00a0320\u00a0kr" in shown.markup
    block = shown.blocks[0]
    assert isinstance(block, ListBlock) and not BROKEN.search(block.texts()[0])
    for part in (paragraph("fick 15,5 mkr"), heading("Steg 1: 800 000 kr"), notice("68 %")):
        assert not BROKEN.search(html.unescape(part.markup))
        assert not BROKEN.search(part.plain)
    table = Table(
        "T",
        ["Vad", "Belopp"],
        ["text", "kr"],
        [["fick 10 700 000 kr", 5]],
        caption="Cirka 10,7 mnkr",
        notes=["Visas inte som 0 kr."],
        illustrative="bygger på 2 000 000 kr",
    )
    table.notes.append("tillagd 1 000 kr")  # a note added after the table was made
    doc = table.document_block()
    texts = [doc.caption, doc.illustrative, *doc.notes, *doc.shown_rows[0]]
    assert [t for t in texts if BROKEN.search(t)] == []
    assert not BROKEN.search(html.unescape(table.to_html()))
    assert doc.title == "T"  # the title names the table's sheet: as given


# --- the document's date, the annex --------------------------------------------------------


def test_every_fragment_binds_its_numbers_authored_text_included() -> None:
    from gnvtools.reports.display import Html, concat
    from gnvtools.reports.texts import markdown_html

    authored = markdown_html(["Nämnden fick **15,5 mkr** och 800 000 kr.", "", "- 1 000 kr"])
    assert "15,5\u00a0mkr" in authored.markup and "800\u00a0000\u00a0kr" in authored.markup
    assert [type(b).__name__ for b in authored.blocks] == ["Paragraph", "ListBlock"]
    texts = [t for b in authored.blocks for t in _texts(b)]
    assert texts == ["Nämnden fick 15,5\u00a0mkr och 800\u00a0000\u00a0kr.", "1\u00a0000\u00a0kr"]
    # tags and attributes are left alone; only the text is bound
    shown = Html('<img alt="10 000 kr" width="10"><p data-x="1 000">2 000 kr</p>')
    assert (
        shown.markup == '<img alt="10 000 kr" width="10"><p data-x="1 000">2\u00a0000\u00a0kr</p>'
    )
    assert concat([shown]).plain == shown.plain
    assert not BROKEN.search(shown.plain)


def test_a_lead_in_is_marked_to_stay_with_what_follows() -> None:
    assert paragraph("Följande gäller:").markup == '<p class="lead-in">Följande gäller:</p>'
    assert paragraph("Följande gäller:").blocks == [Paragraph.of("Följande gäller:")]
    assert paragraph("Slut.").markup == "<p>Slut.</p>"
    assert paragraph("Regel:", "rule").markup == '<p class="rule">Regel:</p>'


def test_running_header_is_the_documents_own_date() -> None:
    from gnvtools.publish.pagesetup import running_header

    head = title_block(
        "Fördelning 2025",
        [("Datum", "12 augusti 2025"), ("Diarienummer", "ÄLD 2025/157 (påhittat exempel)")],
        organisation="Stockholms stad",
        date="2025-08-12",
        dnr="ÄLD 2025/157",
    )
    page = f"<html><body>{head.markup}<p>x</p></body></html>"
    assert running_header(page) == (
        "Stockholms stad · Fördelning 2025 · Dnr ÄLD 2025/157 (påhittat) · 12 augusti 2025"
    )
    block = head.blocks[0]
    assert isinstance(block, TitleBlock) and block.date == "2025-08-12"
    # No date of its own: none at all, never the day it is built.
    undated = title_block("Uppföljning 2025", [], organisation="Stockholms stad")
    header = running_header(undated.markup)
    assert header == "Stockholms stad · Uppföljning 2025"
    assert swedish_date(dt.date.today()) not in header
    assert running_header("<html><body><h1>Eget</h1></body></html>") == ""
    # Data in the head is escaped in the page and read back as text.
    odd = title_block('A "<b>" & B', [], organisation="Ö & co")
    assert running_header(odd.markup) == 'Ö & co · A "<b>" & B'


def test_html_to_pdf_takes_the_header_from_the_page() -> None:
    from gnvtools.publish.pdf import html_to_pdf

    class Printer:
        header = ""

        def print(self, page_html: str, header: str) -> bytes:
            Printer.header = header
            raise RuntimeError("stop")  # the header is what is checked

    head = title_block("Memo", [], organisation="Region X", date="2025-03-04")
    with pytest.raises(RuntimeError):
        html_to_pdf(head.markup, "Memo", browser=Printer(), running="Region X · Memo · idag")  # type: ignore[arg-type]
    assert Printer.header == "Region X · Memo · 4 mars 2025"


def test_the_annex_is_a_separate_attachment_with_the_build_date(tmp_path: Path) -> None:
    params = tmp_path / "2025.yaml"
    params.write_text("year: 2025\n", encoding="utf-8")
    annex = appendix(params, [])
    assert annex.markup.startswith('<section class="annex" aria-label="Bilaga"><h2 ')
    assert annex.markup.endswith("</section>")
    assert annex.blocks[0] == Heading(2, ANNEX_TITLE, "bilaga--underlag-och-spårbarhet")
    assert ANNEX_TITLE.startswith("Bilaga")
    versions = next(
        b for b in annex.blocks if isinstance(b, TableBlock) and b.key == "provenance-versions"
    )
    rows = dict(versions.shown_rows)  # type: ignore[arg-type]
    assert rows["byggdatum"] == dt.date.today().isoformat()
    assert "gnvtools" in rows and "git-commit" in rows


def test_print_css_starts_the_annex_on_a_page_and_keeps_one_measure() -> None:
    from importlib import resources

    css = resources.files("gnvtools").joinpath("templates/gnvmemo/memo.css").read_text("utf-8")
    printed = css.split("@media print", 1)[1]
    assert re.search(r"section\.annex \{[^}]*break-before: page", printed)
    # no narrower measure for prose than for tables
    assert not re.search(r"main\.memo (p|ul|ol|dl|aside)\b[^{]*\{[^}]*max-width", css)


# --- every example, built --------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every example report as HTML, notebook and (with a browser) PDF, from a copy of the
    parameters in which the Stockholm 2025 memo has a date of its own."""
    from gnvtools.errors import BrowserNotFoundError
    from gnvtools.publish.build import build
    from gnvtools.publish.pdf import find_browser

    root = tmp_path_factory.mktemp("layout")
    shutil.copytree(PARAMS, root / "parameters")
    memo = root / "parameters/stockholm/2025.yaml"
    text = memo.read_text(encoding="utf-8")
    section = re.search(r"^memo:\n((?:[ \t]+.*\n|[ \t]*\n)*)", text, re.M)
    assert section is not None
    if not re.search(r"^  date:", section.group(1), re.M):
        memo.write_text(text.replace("memo:\n", "memo:\n  date: 2025-08-12\n", 1), "utf-8")
    formats = ["html", "ipynb"]
    try:
        find_browser()
        formats.append("pdf")
    except BrowserNotFoundError:
        pass
    out = root / "outputs"
    results, _notes = build(root / "parameters", out, formats, workers=1, progress=False)
    assert [r.status for r in results] == ["klar"] * len(results), [r.message for r in results]
    assert len(results) >= 6
    return out


def _texts(block: object) -> Iterator[str]:
    """Every text a reader reads in a block (not the chart's alt text, which is not printed)."""
    match block:
        case Paragraph():
            yield block.text
        case ListBlock():
            yield from block.texts()
        case TableBlock():
            yield block.caption
            yield block.illustrative
            yield from block.notes
            for row in block.shown_rows:
                yield from row
            yield from block.shown_footer or ()
        case Note() | IllustrativeMark() | Heading():
            yield block.text
        case TitleBlock():
            yield from (value for _, value in block.meta)
        case ChartBlock():
            yield block.caption


EXAMPLES = [
    "jamtland/2025/allocation-memo",
    "stockholm/2023/allocation-memo",
    "stockholm/2023/year-end-followup",
    "stockholm/2025/allocation-memo",
    "stockholm/2025/year-end-followup",
    "stockholm/2023-2025/multi-year",
]


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_number_in_every_text_is_bound(built: Path, name: str) -> None:
    """Paragraphs, list items (decision items too), table cells, captions, notes, marks and
    headings: no digit group and no unit parted from its number by an ordinary space."""
    notebook = json.loads((built / f"{name}.ipynb").read_text(encoding="utf-8"))
    broken = [
        (type(block).__name__, text[max(0, found.start() - 30) : found.end() + 10])
        for block in document_of(notebook).blocks
        for text in _texts(block)
        for found in BROKEN.finditer(text or "")
    ]
    assert broken == []


def _pages(pdf: Path) -> list[tuple[str, list[str]]]:
    """Each page's running header (its lines joined) and the non-empty lines below it, in
    reading order (poppler's layout mode), the footer left out."""
    from gnvtools.publish.pagesetup import running_header

    header = plain(running_header(pdf.with_suffix(".html").read_text(encoding="utf-8")))
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in out.split("\f")[:-1] if out.endswith("\f") else out.split("\f"):
        lines = [plain(line).strip() for line in page.splitlines() if line.strip()]
        lines = [line for line in lines if not FOOTER.fullmatch(line)]
        top: list[str] = []
        while lines and header and lines[0] in header and " ".join([*top, lines[0]]) in header:
            top.append(lines.pop(0))
        pages.append((" ".join(top), lines))
    return pages


def _pdfs(built: Path) -> list[Path]:
    pdfs = sorted(built.rglob("*.pdf"))
    if not pdfs:
        pytest.skip("no Chromium-family browser here: no PDF was printed")
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed here; .ci/run installs it")
    return pdfs


def _headings(page_html: str) -> set[str]:
    found = re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", page_html, re.S)
    return {plain(html.unescape(re.sub(r"<[^>]+>", "", h))).strip() for h in found}


def test_no_page_ends_with_a_heading_or_a_mark(built: Path) -> None:
    """On every page of every PDF, the appendix included: the last line is no heading, no
    made-up-data mark and no lead-in ending in a colon, and a heading is not followed by a
    single line when its section goes on over the page."""
    problems = []
    for pdf in _pdfs(built):
        headings = _headings(pdf.with_suffix(".html").read_text(encoding="utf-8"))
        pages = _pages(pdf)
        for number, (_, body) in enumerate(pages, start=1):
            name = f"{pdf.relative_to(built)} sida {number}"
            if not body:
                problems.append(f"{name}: tom")
                continue
            if body[-1] in headings:
                problems.append(f"{name} slutar med rubriken {body[-1]!r}")
            if body[-1].endswith(":") and number < len(pages):
                problems.append(f"{name} slutar med en inledning till det som följer: {body[-1]!r}")
            if any(line.startswith("Påhittade exempeldata") for line in body[-2:]):
                problems.append(f"{name} slutar med märkningen {body[-2:]}")
            goes_on = (
                number < len(pages)
                and pages[number][1][:1] != []
                and (pages[number][1][0] not in headings)
            )
            if len(body) >= 2 and body[-2] in headings and goes_on:
                problems.append(f"{name}: rubriken {body[-2]!r} med en enda rad under")
    assert problems == []


def test_page_header_shows_the_documents_date_and_the_annex_ends_the_pdf(built: Path) -> None:
    from gnvtools.publish.pagesetup import running_header

    today = swedish_date(dt.date.today())
    for pdf in _pdfs(built):
        page_html = pdf.with_suffix(".html").read_text(encoding="utf-8")
        header = plain(running_header(page_html))
        assert header, pdf
        notebook = json.loads(pdf.with_suffix(".ipynb").read_text(encoding="utf-8"))
        title = document_of(notebook).of_kind(TitleBlock)[0]
        if title.date:
            assert swedish_date(dt.date.fromisoformat(title.date)) in header
        if title.date != dt.date.today().isoformat():
            assert today not in header, pdf
        pages = _pages(pdf)
        assert [top for top, _ in pages] == [header] * len(pages), pdf
        # The annex begins a page of its own, and nothing of the memo follows it.
        starts = [n for n, (_, lines) in enumerate(pages) if lines[:1] == [ANNEX_TITLE]]
        assert len(starts) == 1, pdf
        after = " ".join(line for _, lines in pages[starts[0] :] for line in lines)
        assert "byggdatum" in after
        before = " ".join(line for _, lines in pages[: starts[0]] for line in lines)
        for word in ("nbconvert", "papermill", "SHA-256", "byggdatum", "git-commit"):
            assert word not in before, (pdf, word)
    memo = (built / "stockholm/2025/allocation-memo.ipynb").read_text(encoding="utf-8")
    dated = document_of(json.loads(memo)).of_kind(TitleBlock)[0].date
    assert dated, "the Stockholm 2025 memo has a date of its own"
    header = running_header((built / "stockholm/2025/allocation-memo.html").read_text("utf-8"))
    assert swedish_date(dt.date.fromisoformat(dated)) in header


def test_prose_and_tables_share_one_measure(built: Path) -> None:
    from .browser import chromium_page

    page_file = built / "stockholm/2025/allocation-memo.html"
    for browser in chromium_page():
        for width in (1280, 900):
            page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
            try:
                page.goto(page_file.as_uri(), wait_until="load")
                widths = page.eval_on_selector_all(
                    "main.memo p:not(.illustrative-mark), main.memo ol, main.memo .table-wrap",
                    "els => els.map(e => Math.round(e.getBoundingClientRect().right))",
                )
            finally:
                page.close()
            assert len(set(widths)) == 1, (width, sorted(set(widths)))


def test_negative_numbers_take_the_minus_sign() -> None:
    from gnvtools.core.formatting import MINUS, mnkr, number, percent

    assert kr(-1_500_000) == f"{MINUS}1{NBSP}500{NBSP}000{NBSP}kr"
    assert number(-3) == f"{MINUS}3"
    assert percent(Fraction(-1, 2)) == f"{MINUS}50{NBSP}%"
    assert mnkr(-1_500_000) == f"{MINUS}1,5{NBSP}mnkr"
    assert "-" not in display_cell(-86_320)


def display_cell(value: int) -> str:
    from gnvtools.reports.display import format_cell

    return format_cell(value, "kr")


def test_the_pdf_records_the_documents_title_date_and_organisation(built: Path) -> None:
    import pikepdf

    pdf_file = built / "stockholm/2025/allocation-memo.pdf"
    if not pdf_file.exists():
        pytest.skip("no Chromium-family browser here: no PDF was printed")
    notebook = json.loads(pdf_file.with_suffix(".ipynb").read_text(encoding="utf-8"))
    title = document_of(notebook).of_kind(TitleBlock)[0]
    with pikepdf.open(pdf_file) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("dc:date") == [title.date]
        assert meta.get("dc:creator") == [title.organisation]
        assert str(pdf.docinfo.Title) == title.title
