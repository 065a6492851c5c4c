"""From a repository to a tool: gnv init, the project config, Excel in, Word out, the wheel."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from gnvtools.core.model import allocate, build_plan
from gnvtools.errors import InputError
from gnvtools.project.init import lookup

from .conftest import PARAMS, ROOT, run_cli


@pytest.mark.parametrize(
    ("query", "name", "kind", "code"),
    [
        ("Uppsala kommun", "Uppsala kommun", "kommun", "0380"),
        ("uppsala", "Uppsala kommun", "kommun", "0380"),
        ("0380", "Uppsala kommun", "kommun", "0380"),
        ("Region Uppsala", "Region Uppsala", "region", "03"),
        ("03", "Region Uppsala", "region", "03"),
        ("Stockholms stad", None, None, None),
    ],
)
def test_lookup_in_the_reference_tables(
    query: str, name: str | None, kind: str | None, code: str | None
) -> None:
    if name is None:
        with pytest.raises(InputError, match="finns inte bland Sveriges kommuner"):
            lookup(query)
        return
    org = lookup(query)
    assert (org.name, org.type, org.code) == (name, kind, code)


def test_unknown_name_suggests_the_nearest() -> None:
    with pytest.raises(InputError, match="menar du Uppsala kommun"):
        lookup("Upsala kommun")


def test_init_gives_a_project_that_checks_with_findings_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "uppsala"
    code, out, err = run_cli(
        capsys, "init", str(folder), "--name", "Uppsala kommun", "--year", "2027"
    )
    assert code == 0, err
    assert "Uppsala kommun (kommun, SCB-kod 0380)" in out
    params = folder / "parameters/uppsala-kommun/2027.yaml"
    for path in (folder / "gnv.yaml", folder / "README.md", params, folder / ".gitignore"):
        assert path.is_file() and str(path) in out
    code, out, err = run_cli(capsys, "check", str(params), "--json")
    assert code == 0, err  # warnings about what is left to fill in, never a format error
    findings = json.loads(out)
    todo = [f for f in findings if f["code"] == "todo"]
    assert len(todo) >= 5 and all(f["level"] == "warning" for f in todo)
    assert any(f["code"] == "received-zero" for f in findings)
    # init never overwrites
    code, _, err = run_cli(
        capsys, "init", str(folder), "--name", "Uppsala kommun", "--year", "2027"
    )
    assert code == 2 and "skriver inte över" in err


def test_config_file_errors_are_located(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "gnv.yaml").write_text("brand:\n  colour: blå\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(capsys, "build", "--quiet")
    assert code == 2
    assert 'gnv.yaml, rad 2, nyckel "brand.colour"' in err and "#rrggbb" in err


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("workers: 0\n", 'rad 1, nyckel "workers"', "1–64"),
        ("workers: true\n", 'rad 1, nyckel "workers"', 'heltal (fick "true")'),
        ("workers: '2'\n", 'rad 1, nyckel "workers"', "heltal"),
        ("formats: [html, png]\n", 'rad 1, nyckel "formats"', 'fick "png"'),
        ("formats: html\n", 'rad 1, nyckel "formats"', "en lista"),
        ("parameters: p\nokänd: 1\n", 'rad 2, nyckel "okänd"', 'okänd nyckel "okänd"'),
        ("brand: [1]\n", 'rad 1, nyckel "brand"', "mappning"),
        ("brand:\n  font: 'a<b'\n", 'rad 2, nyckel "brand.font"', "typsnittsnamn"),
        ("brand:\n  logga: x.png\n", 'rad 2, nyckel "brand.logga"', "okänd nyckel"),
        ("output: 3\n", 'rad 1, nyckel "output"', "förväntade text"),
    ],
)
def test_every_config_key_is_checked(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    where: str,
    message: str,
) -> None:
    (tmp_path / "gnv.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(capsys, "build", "--quiet")
    assert code == 2
    assert f"gnv.yaml, {where}" in err and message in err and "Traceback" not in err


def test_a_config_file_sets_the_defaults(tmp_path: Path) -> None:
    from gnvtools.project.config import find_project

    (tmp_path / "gnv.yaml").write_text(
        "formats: [html, docx]\nworkers: 3\nbrand: {colour: '#112233', font: Arial}\n",
        encoding="utf-8",
    )
    project = find_project(tmp_path)
    assert project.config.formats == ("html", "docx") and project.config.workers == 3
    assert project.config.output == "outputs"  # not in the file: the default
    style = project.style()
    assert (style.colour, style.font) == ("#112233", "Arial")


def _districts_as_xlsx(folder: Path, sheet: str | None = None) -> None:
    from openpyxl import Workbook

    rows = list(csv.reader((folder / "data/districts.csv").open(encoding="utf-8")))
    wb = Workbook()
    ws = wb.active
    if sheet:
        ws.title = "Försättsblad"
        ws = wb.create_sheet(sheet)
    for r, row in enumerate(rows):
        ws.append([int(v) if r and v.isdigit() else v for v in row])
    wb.save(folder / "data/districts.xlsx")
    (folder / "data/districts.csv").unlink()
    target = f"data/districts.xlsx#{sheet}" if sheet else "data/districts.xlsx"
    for year in ("2023", "2025"):
        params = folder / f"{year}.yaml"
        text = params.read_text(encoding="utf-8").replace("data/districts.csv", target)
        params.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("sheet", [None, "Stadsdelar"])
def test_excel_recipients_allocate_identically(
    example_copy: Callable[[str], Path], sheet: str | None
) -> None:
    before = allocate(build_plan(PARAMS / "stockholm/2025.yaml")).lines
    folder = example_copy("stockholm")
    _districts_as_xlsx(folder, sheet)
    assert allocate(build_plan(folder / "2025.yaml")).lines == before


def test_excel_errors_name_file_sheet_row_and_column(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    from openpyxl import load_workbook

    folder = example_copy("stockholm")
    _districts_as_xlsx(folder, "Stadsdelar")
    wb = load_workbook(folder / "data/districts.xlsx")
    wb["Stadsdelar"]["B4"] = -5
    wb.save(folder / "data/districts.xlsx")
    code, _, err = run_cli(capsys, "check", str(folder / "2025.yaml"))
    assert code == 2
    assert 'districts.xlsx, flik Stadsdelar, rad 4, kolumn "population"' in err
    assert "negativt" in err


def test_word_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    code, _, err = run_cli(
        capsys,
        "render",
        "allocation-memo",
        str(PARAMS / "stockholm/2025.yaml"),
        "--to",
        "docx",
        "--out",
        str(tmp_path),
    )
    assert code == 0, err
    document = Document(str(tmp_path / "allocation-memo.docx"))
    assert document.core_properties.title.startswith("Fördelning av statsbidrag")
    assert document.core_properties.language == "sv-SE"
    lang = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert lang.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == "sv-SE"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[:3] == ["Förvaltningens förslag till beslut", "Sammanfattning", "Bakgrund"]
    assert "Jämställdhetsanalys" in headings
    assert len(document.tables) >= 8
    header_row = document.tables[0].rows[0]._tr
    assert header_row.trPr is not None and header_row.trPr.find(qn("w:tblHeader")) is not None
    amounts = [
        c.paragraphs[0]
        for t in document.tables
        for r in t.rows
        for c in r.cells
        if re.fullmatch(r"[\u2212\d\u00a0]+\u00a0kr", c.text)
    ]
    assert amounts and all(p.alignment == 2 for p in amounts)  # right-aligned kronor
    # The memo's one chart, as the PNG its notebook output carries beside the HTML's SVG.
    pictures = document.inline_shapes
    assert len(pictures) == 1 and all(s._inline.docPr.get("descr") for s in pictures)
    images = [p for p in document.part.package.parts if p.partname.startswith("/word/media/")]
    assert [i.content_type for i in images] == ["image/png"]
    assert images[0].blob.startswith(b"\x89PNG")
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "41\u00a0991\u00a0440\u00a0kr" in text
    assert "[Diagram:" not in text  # no chart left without its picture


def test_word_output_on_the_organisations_template(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docx import Document

    template = Document()
    template.sections[0].header.paragraphs[0].text = "Äldreförvaltningen – mall"
    template.add_paragraph("Den här texten i mallen ska inte följa med.")
    template.save(str(tmp_path / "mall.docx"))
    (tmp_path / "gnv.yaml").write_text(
        "word_template: mall.docx\nbrand: {colour: '#7a1f2b'}\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    code, _, err = run_cli(
        capsys,
        "render",
        "allocation-memo",
        str(PARAMS / "jamtland/2025.yaml"),
        "--to",
        "docx",
        "--out",
        str(out),
    )
    assert code == 0, err
    document = Document(str(out / "allocation-memo.docx"))
    assert document.sections[0].header.paragraphs[0].text == "Äldreförvaltningen – mall"
    texts = [p.text for p in document.paragraphs]
    assert "Den här texten i mallen ska inte följa med." not in texts
    heading = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    assert str(heading.style.font.color.rgb) == "7A1F2B"  # gnv.yaml names its own colour


def test_tables_are_dataframes_for_exploring() -> None:
    from gnvtools.reports.memo import AllocationMemo

    memo = AllocationMemo.load(PARAMS / "stockholm/2025.yaml")
    frame = memo.recipient_table().to_frame()
    assert str(frame["Totalt"].dtype) == "Int64"
    assert int(frame["Totalt"].sum()) == memo.recipient_table().footer[-1]
    assert len(memo.model().frames()) == 5


@pytest.mark.slow
def test_the_installed_wheel_works_outside_the_checkout(tmp_path: Path) -> None:
    """Build the wheel, unpack it, and run init, check and build from a folder elsewhere, with
    the package imported from the wheel (not from this checkout)."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("gnvtools-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "elsewhere"
    work.mkdir()

    def gnv(*args: str, cwd: Path = work) -> subprocess.CompletedProcess[str]:
        code = (
            f"import sys; sys.path.insert(0, {str(site)!r}); import gnvtools; "
            f"assert gnvtools.__file__.startswith({str(site)!r}), gnvtools.__file__; "
            f"sys.argv = ['gnv', *{list(args)!r}]; from gnvtools.cli import run; run()"
        )
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(site)}
        return subprocess.run(
            [sys.executable, "-c", code],
            cwd=cwd,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    made = gnv("init", "uppsala", "--name", "Uppsala kommun", "--year", "2027")
    assert made.returncode == 0, made.stderr
    checked = gnv("check", "parameters/uppsala-kommun/2027.yaml", cwd=work / "uppsala")
    assert checked.returncode == 0, checked.stderr
    built = gnv("build", "--to", "html,docx,xlsx", "--quiet", cwd=work / "uppsala")
    assert built.returncode == 0, built.stdout + built.stderr
    html = work / "uppsala/outputs/uppsala-kommun/2027/allocation-memo.html"
    assert html.is_file() and "Uppsala kommun" in html.read_text(encoding="utf-8")
    assert (work / "uppsala/outputs/uppsala-kommun/2027/allocation-memo.docx").is_file()
    data = [n for n in zipfile.ZipFile(wheel).namelist() if "nbconvert/templates/gnvmemo" in n]
    assert len(data) == 3  # the template is registered for plain nbconvert
