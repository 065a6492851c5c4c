"""PDF, Excel, manifest, batch build, cache and verify — run for real on the examples."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gnvtools.core.formatting import plain
from gnvtools.publish.build import build, discover

from .browser import require_browser
from .conftest import PARAMS, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kernel")]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project's parameters, so inputs can be edited safely (the notebooks are
    the package's own)."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(PARAMS, root / "parameters")
    return root


@pytest.fixture(scope="module")
def built(project: Path) -> Path:
    require_browser()
    out = project / "outputs"
    results, notes = build(
        project / "parameters", out, ["html", "pdf", "ipynb", "xlsx"], workers=2, progress=False
    )
    assert notes == []
    assert [r.status for r in results] == ["klar"] * len(results)
    return out


def test_discovery_reads_the_reports_key(tmp_path: Path) -> None:
    jobs = discover(PARAMS, tmp_path)
    got = sorted((j.report, j.label, j.out_dir.relative_to(tmp_path).as_posix()) for j in jobs)
    assert got == [
        ("allocation-memo", "jamtland/2025", "jamtland/2025"),
        ("allocation-memo", "stockholm/2023", "stockholm/2023"),
        ("allocation-memo", "stockholm/2025", "stockholm/2025"),
        ("multi-year", "stockholm/comparison-2023-2025", "stockholm/2023-2025"),
        ("year-end-followup", "stockholm/2023", "stockholm/2023"),
        ("year-end-followup", "stockholm/2025", "stockholm/2025"),
    ]


def test_every_report_has_all_formats_and_a_manifest(built: Path) -> None:
    folders = {
        "jamtland/2025": ["allocation-memo"],
        "stockholm/2023": ["allocation-memo", "year-end-followup"],
        "stockholm/2025": ["allocation-memo", "year-end-followup"],
        "stockholm/2023-2025": ["multi-year"],
    }
    for folder, reports in folders.items():
        names = sorted(p.name for p in (built / folder).iterdir())
        expected = sorted(
            f"{r}.{ext}"
            for r in reports
            for ext in ("html", "pdf", "ipynb", "xlsx", "manifest.json")
        )
        assert names == expected, folder
    manifest = json.loads((built / "stockholm/2025/allocation-memo.manifest.json").read_text())
    assert manifest["params"]["path"] == "parameters/stockholm/2025.yaml"
    assert {i["path"] for i in manifest["inputs"]} >= {
        "parameters/stockholm/2025.yaml",
        "parameters/stockholm/data/districts.csv",
    }
    # The requests come after the decision: no input of the decision memo.
    assert "parameters/stockholm/data/requests-2025.csv" not in {
        i["path"] for i in manifest["inputs"]
    }
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert {
        "python",
        "gnvtools",
        "papermill",
        "nbconvert",
        "pandas",
        "matplotlib",
        "browser",
    } <= set(manifest["versions"])
    assert {o["format"] for o in manifest["outputs"]} == {"html", "pdf", "ipynb", "xlsx"}
    assert manifest["timings"]["total"] > 0
    assert any(t["title"] == "Fördelning per mottagare" for t in manifest["tables"])


PDF_FIGURES = {
    "stockholm/2025/allocation-memo.pdf": [
        "41 991 440 kr",
        "Äldreförvaltningen",
        "Förskoleförvaltningen",
    ],
    "stockholm/2025/year-end-followup.pdf": ["28 714 265 kr", "13 277 175 kr", "Skärholmen"],
    "stockholm/2023-2025/multi-year.pdf": ["uppgift saknas", "2023", "2025", "förskola"],
    "jamtland/2025/allocation-memo.pdf": [
        "41 086 320 kr",
        "86 320 kr",
        "Hälso- och sjukvårdsnämnden",
    ],
    "stockholm/2023/allocation-memo.pdf": ["36 310 636 kr", "Särskilt boende"],
    "stockholm/2023/year-end-followup.pdf": ["51 810 636 kr", "Källorna säger inget"],
}


@pytest.mark.parametrize("name", list(PDF_FIGURES))
def test_pdf_is_a4_numbered_and_readable(built: Path, name: str, tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(built / name))
    pages = len(pdf)
    assert pages >= 2
    text = ""
    for index in range(pages):
        page = pdf[index]
        width, height = page.get_size()
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
        page_text = plain(page.get_textpage().get_text_range())
        assert f"Sida {index + 1} ({pages})" in page_text
        text += page_text
        if index == 0:  # rendered as a person would see it: not blank
            image = page.render(scale=1).to_pil().convert("L")
            assert image.getextrema()[0] < 100
    for figure in PDF_FIGURES[name]:
        assert figure in text, figure
    assert "Traceback" not in text


def _page_ends(pdf: Path) -> list[list[str]]:
    """The last two lines of text above the footer on each page but the last, in reading
    order (poppler's layout mode)."""
    import subprocess

    pages = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout,
        ).group(1)  # type: ignore[union-attr]
    )
    ends = []
    for page in range(1, pages):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
        ).stdout
        lines = [
            plain(line).strip()
            for line in text.splitlines()
            if line.strip() and not re.search(r"Sida \d+ \(\d+\)", line)
        ]
        ends.append(lines[-2:])
    return ends


@pytest.mark.parametrize("name", list(PDF_FIGURES))
def test_no_page_ends_with_a_heading_or_a_mark(built: Path, name: str) -> None:
    """A heading, or the made-up-data mark above a table, never stays behind at the foot of a
    page while what it introduces starts on the next one."""
    import html

    if not shutil.which("pdftotext"):
        if os.environ.get("CI"):
            pytest.fail("CI must have poppler-utils (pdftotext)")
        pytest.skip("poppler-utils (pdftotext) is not installed here; .ci/run installs it")
    page = (built / name).with_suffix(".html").read_text(encoding="utf-8")
    headings = {
        plain(html.unescape(re.sub(r"<[^>]+>", "", h))).strip()
        for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", page, re.S)
    }
    for number, end in enumerate(_page_ends(built / name), start=1):
        assert end and end[-1] not in headings, f"sidan {number} slutar med rubriken {end[-1]}"
        assert not any(line.startswith("Påhittade exempeldata") for line in end), (
            f"sidan {number} slutar med märkningen: {end}"
        )


def test_excel_has_every_table_with_numbers(built: Path) -> None:
    wb = load_workbook(built / "stockholm/2025/year-end-followup.xlsx")
    assert wb.sheetnames[0] == "Om rapporten"
    assert {"Nyckeltal", "Per mottagare", "Per insatsområde", "Kontroller"} <= set(wb.sheetnames)
    ws = wb["Nyckeltal"]
    values = {
        ws.cell(row=r, column=1).value: ws.cell(row=r, column=2) for r in range(4, ws.max_row + 1)
    }
    used = values["Förbrukat (redovisad total)"]
    assert used.value == 28_714_265 and isinstance(used.value, int)
    assert used.number_format == '#,##0 "kr"'
    assert values["= Outnyttjat (mottaget − förbrukat)"].value == 13_277_175
    assert ws.cell(row=3, column=1).value == "Post"
    areas = wb["Per insatsområde"]
    assert [areas.cell(row=r, column=2).value for r in range(4, 12)] == [
        3_148_563,
        6_154_998,
        4_150_000,
        2_527_078,
        1_815_651,
        5_465_580,
        5_369_045,
        0,
    ]
    comparison = load_workbook(built / "stockholm/2023-2025/multi-year.xlsx")["Totalt per år"]
    row_2024 = [comparison.cell(row=5, column=c).value for c in range(1, 9)]
    assert row_2024[0] == 2024 and row_2024[2] is None  # a year is a number; missing is empty
    assert row_2024[5] == 10_700_000
    # the made-up 2023 use is marked on the sheet, year by year, as at the table in the report
    assert str(comparison["A2"].value).startswith(
        "Påhittade exempeldata: påhittade exempel är 2023: förbrukat"
    )
    # the per-area spend is the city's own (issue 20): no mark there; the activities are made up
    assert areas["A2"].value is None
    activities = wb["Per verksamhet"]["A2"].value
    assert activities is not None and "påhittade" in str(activities)


def test_unchanged_rebuild_skips_and_verify_passes(built: Path, project: Path, capsys) -> None:
    results, _ = build(
        project / "parameters", built, ["html", "pdf", "ipynb", "xlsx"], progress=False
    )
    assert {r.status for r in results} == {"oförändrad"}
    code, out, _ = run_cli(capsys, "verify", str(built))
    assert code == 0, out
    assert "Alla siffror i sex rapporter återskapades." in out


def test_verify_fails_and_names_an_edited_input(built: Path, project: Path, capsys) -> None:
    target = built.parent / "verify-copy"
    shutil.copytree(built / "jamtland", target / "jamtland")
    boards = project / "parameters/jamtland/2025.yaml"
    original = boards.read_text(encoding="utf-8")
    try:
        boards.write_text(
            original.replace("{Regionstyrelsen: 6000000}", "{Regionstyrelsen: 6000001}"),
            encoding="utf-8",
        )
        code, out, _ = run_cli(capsys, "verify", str(target))
    finally:
        boards.write_text(original, encoding="utf-8")
    assert code == 1
    lines = out.splitlines()
    # What changed comes first: the file, the key path and line, the old and the new value.
    assert lines[1] == "  Ändrat i underlaget sedan bygget:"
    assert re.fullmatch(
        r"    parameters/jamtland/2025\.yaml, pots\.0\.steps\.1\.amounts\.Regionstyrelsen "
        r"\(rad \d+\): 6 000 000 → 6 000 001",
        lines[2],
    )
    # the table cell, by table, row and column, with the catalogue figure it shows
    assert any(
        line.strip().startswith(
            'tabellen "Fördelning per mottagare", raden "Regionstyrelsen", kolumn "Totalt" '
            "(siffran mottagare_regionstyrelsen_vid_beslut)"
        )
        and line.endswith("26 000 000 kr i bygget, 26 000 001 kr nu")
        for line in lines
    )
    assert "fordelat" in out and "41 000 000 kr i bygget, 41 000 001 kr nu" in out
    assert lines[-1] == "Verifieringen fann " + lines[-1].split("fann ", 1)[1]
    assert lines[-1].endswith(" i rapporten.")


def test_a_broken_file_fails_alone(project: Path, tmp_path: Path, capsys) -> None:
    params = tmp_path / "parameters"
    shutil.copytree(project / "parameters" / "jamtland", params / "jamtland")
    shutil.copytree(project / "parameters" / "jamtland", params / "trasig")
    broken = params / "trasig/2025.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("amount: 26000000", "amount: tjugosex"),
        encoding="utf-8",
    )
    out_dir = tmp_path / "outputs"
    code, out, err = run_cli(
        capsys,
        "build",
        "--params",
        str(params),
        "--out",
        str(out_dir),
        "--to",
        "html,xlsx",
        "--quiet",
    )
    assert code == 1
    assert "Traceback" not in out + err
    assert (out_dir / "jamtland/2025/allocation-memo.html").exists()
    assert "misslyckades" in out and "trasig/2025" in out
    assert "förväntade ett heltal" in out and "rad" in out
    assert not (out_dir / "trasig").exists()
    assert not list(out_dir.rglob("*.tmp"))
    assert "1 klara, 0 oförändrade, 1 misslyckade." in out


def test_missing_browser_still_gives_html(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("GNV_BROWSER", str(tmp_path / "ingen-chrome"))
    code, _, err = run_cli(
        capsys,
        "render",
        "allocation-memo",
        str(PARAMS / "jamtland/2025.yaml"),
        "--to",
        "html,pdf",
        "--out",
        str(tmp_path / "o"),
    )
    assert code == 1
    assert "ingen-chrome" in err and "finns inte" in err
    assert (tmp_path / "o/allocation-memo.html").exists()
    assert not (tmp_path / "o/allocation-memo.pdf").exists()


@pytest.mark.parametrize("name", list(PDF_FIGURES))
def test_pdf_is_accessible_and_identified_for_the_archive(built: Path, name: str) -> None:
    """Tagged with a language, an outline of the headings, the title as window title, alt text
    on every figure, every font embedded, an output intent and the PDF/A-2 identification."""
    import subprocess

    import pikepdf

    from gnvtools.publish.archive import STANDARD_TYPES, struct_elements

    path = built / name
    info = ""
    if shutil.which("pdfinfo"):  # poppler-utils where installed: its own reading of the same
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    if info:
        assert "Tagged:          yes" in info and "Encrypted:       no" in info
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "sv-SE"
        assert bool(root.MarkInfo.Marked)
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        title = str(pdf.docinfo.Title)
        assert title and str(pdf.open_metadata().get("dc:title")) == title
        with pdf.open_outline() as outline:
            top = list(outline.root)
            assert [str(item.title) for item in top] == [title]
            below = [str(item.title) for item in top[0].children]
        assert "Kontroller" in below and len(below) >= 5
        tags = {str(e.S) for e in struct_elements(root.StructTreeRoot)}
        assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD", "/Figure"} <= tags  # lists: where used
        # every type is PDF 1.7's, or mapped to one of its types (PDF/UA; Chromium writes Strong)
        roles = {str(k): str(v) for k, v in root.StructTreeRoot.get("/RoleMap", {}).items()}
        standard = {f"/{kind}" for kind in STANDARD_TYPES}
        assert all(tag in standard or roles.get(tag) in standard for tag in tags), (tags, roles)
        figures = [e for e in struct_elements(root.StructTreeRoot) if e.S == "/Figure"]
        assert figures and all(len(str(f.get("/Alt", ""))) > 10 for f in figures)
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descendants = font.get("/DescendantFonts")
                descriptor = (descendants[0] if descendants else font).get("/FontDescriptor")
                assert descriptor is not None and any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                ), "every font embedded"
        (intent,) = root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and len(intent.DestOutputProfile.read_bytes()) > 400
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B")
        assert "/JavaScript" not in root.get("/Names", {}) and "/OpenAction" not in root
        assert not pdf.is_encrypted


@pytest.mark.parametrize(
    "name",
    [
        "stockholm/2025/allocation-memo.xlsx",
        "stockholm/2025/year-end-followup.xlsx",
        "stockholm/2023-2025/multi-year.xlsx",
        "jamtland/2025/allocation-memo.xlsx",
    ],
)
def test_excel_is_a_workbook_an_auditor_can_work_in(built: Path, name: str) -> None:
    wb = load_workbook(built / name)
    jamtland = name.startswith("jamtland")
    organisation = "Region Jämtland Härjedalen" if jamtland else "Stockholms stad"
    assert wb.properties.creator == wb.properties.lastModifiedBy == organisation
    assert organisation in wb.properties.title
    assert wb.properties.language == "sv-SE"
    names = wb.sheetnames
    assert names[0] == "Om rapporten" and len(set(n.lower() for n in names)) == len(names)
    for sheet in names:
        assert len(sheet) <= 31 and sheet == sheet.strip() and not sheet.endswith(("-", "–"))
        assert not re.search(r"\(\d+\)$", sheet)
    about = [c for row in wb["Om rapporten"].iter_rows(values_only=True) for c in row if c]
    assert "Underlag" in about and "Versioner" in about
    assert any(isinstance(c, str) and re.fullmatch(r"[0-9a-f]{64}", c) for c in about)
    for sheet in names[1:]:
        ws = wb[sheet]
        if ws.max_row > 4:
            assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A3:")
        for row in ws.iter_rows(min_row=4):
            for cell in row:
                assert cell.value != "uppgift saknas"  # missing is an empty cell with a note
                if cell.number_format == '0.0" "%':
                    assert isinstance(cell.value, int | float)  # a share, stored as a number


def test_excel_years_are_numbers_and_sums_are_formulas(built: Path) -> None:
    wb = load_workbook(built / "stockholm/2023-2025/multi-year.xlsx")
    ws = wb["Totalt per år"]
    assert [ws.cell(row=r, column=1).value for r in (4, 5, 6)] == [2023, 2024, 2025]
    assert ws["C5"].value is None and ws["C5"].comment.text == "uppgift saknas"
    memo = load_workbook(built / "stockholm/2025/allocation-memo.xlsx")["Fördelning per mottagare"]
    last = [c.value for c in memo[memo.max_row]]
    assert last[0] == "Kontrollsumma (formel)" and str(last[1]).startswith("=SUM(B4:")
