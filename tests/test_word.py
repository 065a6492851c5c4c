"""The Word file a registrar files: read back with python-docx and as XML, for every example."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from gnvtools.publish.word import document_to_docx, made_up_note
from gnvtools.reports.document import (
    Document,
    IllustrativeMark,
    ListBlock,
    Note,
    Paragraph,
    Signatures,
    TableBlock,
    TitleBlock,
    document_of,
)

PARAMS = Path(__file__).resolve().parents[1] / "parameters"
EXAMPLES = [
    ("allocation-memo", "jamtland/2025.yaml"),
    ("allocation-memo", "stockholm/2023.yaml"),
    ("allocation-memo", "stockholm/2025.yaml"),
    ("year-end-followup", "stockholm/2025.yaml"),
    ("multi-year", "stockholm/comparison-2023-2025.yaml"),
]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Any, bytes]]]:
    """Each example's document (from its notebook) and its Word file."""
    from gnvtools.cli import main

    out = tmp_path_factory.mktemp("word")
    found = {}
    for report, params in EXAMPLES:
        target = out / report / params.replace("/", "-")
        args = ["render", report, str(PARAMS / params), "--to", "docx,ipynb", "--out"]
        assert main([*args, str(target)]) == 0
        notebook = json.loads((target / f"{report}.ipynb").read_text(encoding="utf-8"))
        found[f"{report}:{params}"] = (
            document_of(notebook),
            (target / f"{report}.docx").read_bytes(),
        )
    yield found


def _open(data: bytes) -> Any:
    from docx import Document as OpenDocx

    return OpenDocx(io.BytesIO(data))


def _head(document: Document) -> TitleBlock:
    heads = document.of_kind(TitleBlock)
    assert len(heads) == 1
    return heads[0]


def _example(rendered: dict[str, tuple[Any, bytes]], name: str) -> tuple[Document, bytes]:
    document, data = rendered[name]
    return document, data


NAMES = [f"{report}:{params}" for report, params in EXAMPLES]


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_a4_with_25_mm_margins(rendered: dict[str, tuple[Any, bytes]], name: str) -> None:
    docx = _open(_example(rendered, name)[1])
    for section in docx.sections:  # in whole millimetres (Word stores twentieths of a point)
        size = (section.page_width, section.page_height)
        margins = (section.top_margin, section.bottom_margin)
        margins += (section.left_margin, section.right_margin)
        assert [round(length.mm) for length in size] == [210, 297]
        assert [round(length.mm, 1) for length in margins] == [25.0] * 4


def _numbered_lists(docx: Any) -> list[list[Any]]:
    """The numbered paragraphs grouped by numbering instance, in order of first use."""
    groups: dict[str, list[Any]] = {}
    for paragraph in docx.paragraphs:
        if paragraph.style.name != "List Number":
            continue
        num_id = paragraph._p.find(f"{W}pPr/{W}numPr/{W}numId")
        assert num_id is not None, paragraph.text  # numbered by Word, not in the text
        groups.setdefault(num_id.get(f"{W}val"), []).append(paragraph)
    return list(groups.values())


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_each_numbered_list_starts_at_1(rendered: dict[str, tuple[Any, bytes]], name: str) -> None:
    document, data = _example(rendered, name)
    docx = _open(data)
    ordered = [b for b in document.of_kind(ListBlock) if b.ordered]
    groups = _numbered_lists(docx)
    assert [len(g) for g in groups] == [len(b.items) for b in ordered]
    numbering = docx.part.numbering_part.element
    for group in groups:
        num_id = group[0]._p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
        num = numbering.num_having_numId(int(num_id))
        start = num.find(f"{W}lvlOverride/{W}startOverride")
        assert start is not None and start.get(f"{W}val") == "1"


def test_lists_one_after_another_each_count_from_1() -> None:
    document = Document(
        [
            TitleBlock("Titel", organisation="Umeå kommun"),
            ListBlock.of(["a", "b"], ordered=True),
            Paragraph.of("Mellan listorna."),
            ListBlock.of(["c", "d", "e"], ordered=True),
            ListBlock.of(["punkt"]),
        ]
    )
    docx = _open(document_to_docx(document, "Titel"))
    groups = _numbered_lists(docx)
    assert [[p.text for p in g] for g in groups] == [["a", "b"], ["c", "d", "e"]]
    assert [p.style.name for p in docx.paragraphs if p.text == "punkt"] == ["List Bullet"]


def test_the_provenance_annex_starts_a_page_of_its_own() -> None:
    from gnvtools.reports.common import ANNEX_TITLE
    from gnvtools.reports.document import Heading

    document = Document(
        [TitleBlock("Titel"), Heading(2, "Beslut"), Heading(2, ANNEX_TITLE), Paragraph.of("x")]
    )
    docx = _open(document_to_docx(document, "Titel"))
    breaks = {p.text: p.paragraph_format.page_break_before for p in docx.paragraphs}
    assert breaks[ANNEX_TITLE] is True
    assert not breaks["Beslut"]


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_header_and_footer(rendered: dict[str, tuple[Any, bytes]], name: str) -> None:
    document, data = _example(rendered, name)
    head = _head(document)
    docx = _open(data)
    header = "\n".join(p.text for p in docx.sections[0].header.paragraphs)
    assert head.organisation and head.organisation in header
    assert f"Dnr {head.dnr}" in header if head.dnr else "Dnr" not in header
    # The document's own date, or none: never the day the file was built.
    assert re.findall(r"\d{4}-\d{2}-\d{2}", header) == ([head.date] if head.date else [])
    footer = docx.sections[0].footer._element
    fields = [f.get(f"{W}instr").strip() for f in footer.iter(f"{W}fldSimple")]
    assert fields == ["PAGE", "NUMPAGES"]
    shown = "".join(t.text for t in footer.iter(f"{W}t"))
    assert shown == "Sida 1 (1)"  # the fields' placeholders until Word lays out the pages


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_properties_name_the_organisation_and_the_document_date(
    rendered: dict[str, tuple[Any, bytes]], name: str
) -> None:
    document, data = _example(rendered, name)
    head = _head(document)
    core = _open(data).core_properties
    assert core.author == core.last_modified_by == head.organisation
    assert core.title == head.title
    assert core.language == "sv-SE"
    if head.date:
        assert core.created == core.modified == datetime.fromisoformat(head.date + "T00:00+00:00")
    else:
        assert core.created is None and core.modified is None  # no 2013 default
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in ("docProps/core.xml", "docProps/app.xml"):
            assert b"python-docx" not in archive.read(part), part
        assert b"Macintosh" not in archive.read("docProps/app.xml")
        assert not [n for n in archive.namelist() if "thumbnail" in n]  # python-docx's page


def test_a_dated_document_is_dated_in_header_and_properties() -> None:
    document = Document([TitleBlock("T", organisation="Umeå kommun", date="2027-03-14", dnr="X 1")])
    docx = _open(document_to_docx(document, "T"))
    assert docx.core_properties.created == datetime(2027, 3, 14, tzinfo=UTC)
    header = "\n".join(p.text for p in docx.sections[0].header.paragraphs)
    assert header == "Umeå kommun\tDnr X 1\nT\t2027-03-14"


def test_a_made_up_dnr_and_date_are_marked_in_the_header() -> None:
    meta = (("Datum", "14 mars 2027 (påhittat exempel)"), ("Diarienummer", "X 1"))
    head = TitleBlock("T", meta, organisation="Umeå kommun", date="2027-03-14", dnr="X 1")
    header = _open(document_to_docx(Document([head]), "T")).sections[0].header
    assert "\n".join(p.text for p in header.paragraphs) == (
        "Umeå kommun\tDnr X 1\nT\t2027-03-14 (påhittat)"
    )
    meta = (("Diarienummer", "RS/0000/2025 (påhittat exempel)"),)
    head = TitleBlock("T", meta, organisation="Region", dnr="RS/0000/2025")
    header = _open(document_to_docx(Document([head]), "T")).sections[0].header
    assert header.paragraphs[0].text == "Region\tDnr RS/0000/2025 (påhittat)"


def _signature_cells(docx: Any) -> list[Any]:
    return [
        cell
        for table in docx.tables
        for row in table.rows
        for cell in row.cells
        if cell.paragraphs[0].style.name == "Underskrift"
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_signers_sign_on_a_line(rendered: dict[str, tuple[Any, bytes]], name: str) -> None:
    document, data = _example(rendered, name)
    docx = _open(data)
    people = [p for block in document.of_kind(Signatures) for p in block.people]
    cells = _signature_cells(docx)
    assert ["\n".join(p) for p in people] == [c.text for c in cells]
    if people:
        line = docx.styles["Underskrift"].element.find(f"{W}pPr/{W}pBdr/{W}top")
        assert line is not None and line.get(f"{W}val") == "single"


def test_signers_side_by_side_with_name_and_title_under_the_line() -> None:
    people = (("Anna Ek", "Regiondirektör"), ("Per Al", "Avdelningschef"))
    document = Document(
        [TitleBlock("T", organisation="Region X"), Signatures(people, "I tjänsten")]
    )
    docx = _open(document_to_docx(document, "T"))
    (table,) = docx.tables
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["Anna Ek\nRegiondirektör", "Per Al\nAvdelningschef"]
    ]
    assert [c.paragraphs[0].style.name for c in table.rows[0].cells] == ["Underskrift"] * 2


def _made_up_texts(document: Document) -> list[str]:
    texts = []
    for block in document.blocks:
        if isinstance(block, IllustrativeMark):
            texts.append(block.text)
        elif isinstance(block, TableBlock) and block.mark is not None:
            texts.append(block.mark.text)
        elif isinstance(block, Note) and made_up_note(block):
            texts.append(block.text)
    return [" ".join(t.split()) for t in texts]


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_made_up_data_in_a_style_of_its_own(
    rendered: dict[str, tuple[Any, bytes]], name: str
) -> None:
    document, data = _example(rendered, name)
    shown = [p.text for p in _open(data).paragraphs if p.style.name == "Påhittat exempel"]
    expected = _made_up_texts(document)
    assert expected  # every example has made-up data somewhere
    assert shown == expected


def test_the_made_up_style_only_where_made_up() -> None:
    document = Document(
        [
            TitleBlock("T", organisation="Umeå kommun"),
            Note("Beloppen är avrundade."),
            Note("Observera: delar av underlaget är påhittade exempel."),
            Paragraph.of("Vanlig text."),
            IllustrativeMark("Påhittade exempeldata", "platserna"),
        ]
    )
    docx = _open(document_to_docx(document, "T"))
    styled = [p.text for p in docx.paragraphs if p.style.name == "Påhittat exempel"]
    assert styled == [
        "Observera: delar av underlaget är påhittade exempel.",
        "Påhittade exempeldata: platserna",
    ]


# --- on the organisation's template -----------------------------------------------------------


def _template(folder: Path) -> Path:
    """A Letter-sized template with its own header, footer and a green Heading 1."""
    from docx import Document as NewDocx
    from docx.shared import Inches, RGBColor

    template = NewDocx()
    section = template.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.header.paragraphs[0].text = "Umeå kommun – mall"
    section.footer.paragraphs[0].text = "Skolgatan 31A, Umeå"
    template.styles["Heading 1"].font.color.rgb = RGBColor.from_string("1E7B34")
    path = folder / "mall.docx"
    template.save(str(path))
    return path


def _memo() -> Document:
    return Document(
        [
            TitleBlock("Titel", organisation="Umeå kommun", date="2027-02-01", dnr="KS 2027/1"),
            Paragraph.of("Text."),
        ]
    )


def test_the_template_keeps_its_page_colours_header_and_footer(tmp_path: Path) -> None:
    from docx.shared import Inches

    from gnvtools.publish.style import Style

    data = document_to_docx(_memo(), "Titel", Style(word_template=_template(tmp_path)))
    docx = _open(data)
    section = docx.sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))
    assert section.header.paragraphs[0].text == "Umeå kommun – mall"
    assert section.footer.paragraphs[0].text == "Skolgatan 31A, Umeå"
    assert str(docx.styles["Heading 1"].font.color.rgb) == "1E7B34"
    assert docx.core_properties.author == "Umeå kommun"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"python-docx" not in archive.read("docProps/core.xml")


def test_a_colour_named_in_gnv_yaml_wins_over_the_template(tmp_path: Path) -> None:
    from gnvtools.publish.style import Style

    style = Style(colour="#7a1f2b", word_template=_template(tmp_path))
    docx = _open(document_to_docx(_memo(), "Titel", style))
    assert str(docx.styles["Heading 1"].font.color.rgb) == "7A1F2B"


def test_a_template_without_header_gets_ours(tmp_path: Path) -> None:
    from docx import Document as NewDocx

    from gnvtools.publish.style import Style

    NewDocx().save(str(tmp_path / "tom.docx"))
    docx = _open(document_to_docx(_memo(), "Titel", Style(word_template=tmp_path / "tom.docx")))
    header = "\n".join(p.text for p in docx.sections[0].header.paragraphs)
    assert header == "Umeå kommun\tDnr KS 2027/1\nTitel\t2027-02-01"
    assert "PAGE" in "".join(
        f.get(f"{W}instr") for f in docx.sections[0].footer._element.iter(f"{W}fldSimple")
    )


def test_gnv_yaml_colour_null_is_accepted(tmp_path: Path) -> None:
    from gnvtools.project.config import load_project
    from gnvtools.publish.style import DEFAULT_COLOUR

    (tmp_path / "gnv.yaml").write_text("brand:\n  colour: null\n", encoding="utf-8")
    project = load_project(tmp_path / "gnv.yaml")
    assert project.config.brand.colour is None
    assert project.style().colour == DEFAULT_COLOUR  # the template's colours stand in Word


def test_a_template_without_numbered_lists_numbers_in_the_text(tmp_path: Path) -> None:
    from docx import Document as NewDocx

    from gnvtools.publish.style import Style

    template = NewDocx()
    ppr = template.styles["List Number"].element.pPr
    ppr.remove(ppr.numPr)
    template.save(str(tmp_path / "mall.docx"))
    document = Document(
        [
            TitleBlock("T", organisation="Umeå kommun"),
            ListBlock.of(["a", "b"], ordered=True),
            ListBlock.of(["c"], ordered=True),
        ]
    )
    docx = _open(document_to_docx(document, "T", Style(word_template=tmp_path / "mall.docx")))
    numbered = [p.text for p in docx.paragraphs if p.style.name == "List Number"]
    assert numbered == ["1. a", "2. b", "1. c"]


@pytest.mark.slow
def test_the_followup_is_titled_as_its_title_block_says(tmp_path: Path) -> None:
    """The renderers' title (HTML <title>, Word header and properties) is the report's own."""
    import html as html_lib

    from gnvtools.cli import main

    args = ["render", "year-end-followup", str(PARAMS / "stockholm/2023.yaml")]
    assert main([*args, "--to", "html,docx,ipynb", "--out", str(tmp_path)]) == 0
    notebook = json.loads((tmp_path / "year-end-followup.ipynb").read_text(encoding="utf-8"))
    title = _head(document_of(notebook)).title
    assert "stimulansmedlen" in title
    page = (tmp_path / "year-end-followup.html").read_text(encoding="utf-8")
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    assert found is not None and html_lib.unescape(found.group(1)).strip() == title
    docx = _open((tmp_path / "year-end-followup.docx").read_bytes())
    assert docx.core_properties.title == title
    header = [p.text for p in docx.sections[0].header.paragraphs]
    assert [line.split("\t")[0] for line in header][1] == title


def test_a_template_without_a_style_has_each_text_once(tmp_path: Path) -> None:
    """A style the template lacks: the text once, in the default style (bold for a heading)."""
    from docx import Document as NewDocx

    from gnvtools.publish.style import Style

    template = NewDocx()
    for name in ("Title", "Heading 1", "Caption", "List Bullet", "Table Grid"):
        element = template.styles[name].element
        element.getparent().remove(element)
    template.save(str(tmp_path / "mall.docx"))
    document = Document(
        [
            TitleBlock("Fördelning 2025", organisation="Umeå kommun"),
            ListBlock.of(["punkt"], ordered=False),
            TableBlock(
                "t",
                "Tabell ett",
                ("Mottagare", "Belopp"),
                ("text", "kr"),
                (("Vård", 1),),
                (("Vård", "1 kr"),),
            ),
        ]
    )
    docx = _open(document_to_docx(document, "T", Style(word_template=tmp_path / "mall.docx")))
    texts = [p.text for p in docx.paragraphs]
    for text in ("Fördelning 2025", "punkt", "Tabell ett"):
        assert texts.count(text) == 1, texts
    title = next(p for p in docx.paragraphs if p.text == "Fördelning 2025")
    assert title.runs[0].bold and title.style.name == "Normal"
    assert docx.tables[0].cell(1, 0).text == "Vård"
