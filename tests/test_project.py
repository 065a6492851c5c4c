"""From a repository to a tool: gnv init, the project config, Excel in, Word out, the wheel."""

from __future__ import annotations

import csv
import json
import os
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
    total = frame.columns[-1]  # "Högst totalt": at the decision the districts have ceilings
    assert total == "Högst totalt" and str(frame[total].dtype) == "Int64"
    assert int(frame[total].sum()) == memo.recipient_table().footer[-1]
    model = memo.model()
    frames = model.frames()  # one per table the section shows (a step's table each)
    assert len(frames) == len(model.tables) >= 4
    assert [list(f.columns) for f in frames] == [list(t.columns) for t in model.tables]


def _ignored(root: Path) -> list[str]:
    """The files git ignores in ``root``, caches left aside."""
    listed = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--ignored", "--untracked-files=all"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    caches = ("__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis")
    return sorted(
        line for line in listed
        if line.startswith("!!") and not any(c in line for c in (*caches, ".venv/", "outputs/"))
    )  # fmt: skip


@pytest.mark.parametrize(
    "command",
    ["", "check", "figures", "schema", "allocate", "followup", "render", "build", "init",
     "notebooks", "lab", "verify", "bundle"],
)  # fmt: skip
def test_all_help_is_swedish(command: str) -> None:
    """argparse's own words too: usage, options, the help and version lines."""
    from gnvtools.cli import build_parser

    parser = build_parser()
    if command:
        sub = next(a for a in parser._actions if a.dest == "command")
        parser = sub.choices[command]  # type: ignore[index]
    text = parser.format_help()
    assert text.startswith("användning: gnv") and "flaggor:" in text
    assert "visa den här hjälpen och avsluta" in text
    for english in ("usage:", "options:", "show this help", "show program's", "positional"):
        assert english not in text, (command, english)
    if not command:
        assert "--version   visa programmets version och avsluta" in text


def test_gnv_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    from gnvtools import __version__
    from gnvtools.cli import main

    with pytest.raises(SystemExit) as ended:
        main(["--version"])
    assert ended.value.code == 0 and capsys.readouterr().out == f"gnvtools {__version__}\n"


@pytest.mark.slow
def test_the_readme_install_runs_as_written(tmp_path: Path) -> None:
    """The README's install lines, run by bash as they stand, in a copy of this checkout (its
    files as git sees them) and a fresh virtual environment under a fresh HOME."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Installing the tool in another project", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    assert "make wheel" in block and "pip install" in block and "gnv --version" in block
    files = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard", "-z"],
        capture_output=True, check=True,
    ).stdout.split(b"\0")  # fmt: skip
    checkout = tmp_path / "checkout"
    for name in filter(None, files):
        source = ROOT / name.decode()
        if source.is_file():
            (checkout / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            (checkout / name.decode()).write_bytes(source.read_bytes())
    python = Path(sys.base_prefix) / "bin" / "python3"
    env = {
        "HOME": str(tmp_path / "home"),
        "PATH": f"{python.parent}:/usr/bin:/bin",
        **{k: v for k, v in os.environ.items() if k.startswith("PIP_")},
    }
    ran = subprocess.run(
        ["bash", "-e", "-c", block], cwd=checkout, env=env, capture_output=True, text=True,
        timeout=1800,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert "gnvtools 0.1.0" in ran.stdout
    assert (checkout / "uppsala/outputs/uppsala-kommun/2027/allocation-memo.html").is_file()
    assert not (checkout / "build").exists() and not list(checkout.glob("*.egg-info"))


@pytest.mark.slow
def test_the_installed_wheel_works_outside_the_checkout(tmp_path: Path) -> None:
    """Build the wheel, unpack it, and run init, check and build from a folder elsewhere, with
    the package imported from the wheel (not from this checkout)."""
    wheels = tmp_path / "wheels"
    before = _ignored(ROOT)
    subprocess.run(
        ["make", "-C", str(ROOT), "wheel", f"DIST={wheels}", f"PYTHON={sys.executable}"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert _ignored(ROOT) == before  # no build/, no new egg-info: the checkout stays as it was
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


def test_init_puts_the_notebooks_into_the_project(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gnvtools.project import config, notebooks
    from gnvtools.project.notebooks import own_parameter_file
    from gnvtools.publish.recompute import NOTEBOOKS, installed_notebook

    assert notebooks.CONFIG_NAME == config.CONFIG_NAME

    folder = tmp_path / "umea"
    code, out, err = run_cli(capsys, "init", str(folder), "--name", "Umeå", "--year", "2027")
    assert code == 0, err
    for report, name in NOTEBOOKS.items():
        notebook = folder / "notebooks" / name
        assert notebook.is_file() and str(notebook) in out
        # the installed notebook byte for byte: verify sees no other code
        assert notebook.read_bytes() == installed_notebook(report).read_bytes()
    # whose default is the project's own parameter file, from the root or from notebooks/
    for where in (folder, folder / "notebooks"):
        monkeypatch.chdir(where)
        assert own_parameter_file("allocation-memo") == "parameters/umea-kommun/2027.yaml"
        assert own_parameter_file("year-end-followup") == "parameters/umea-kommun/2027.yaml"
    assert own_parameter_file("multi-year") == ""  # none: the notebook says to give one
    # a newer year is the new default
    code, _, err = run_cli(capsys, "init", str(tmp_path / "b"), "--name", "Umeå", "--year", "2028")
    assert code == 0, err
    newer = tmp_path / "b/parameters/umea-kommun/2028.yaml"
    (folder / "parameters/umea-kommun/2028.yaml").write_bytes(newer.read_bytes())
    (folder / "parameters/umea-kommun/texter/2028.md").write_text("", encoding="utf-8")
    assert own_parameter_file("allocation-memo") == "parameters/umea-kommun/2028.yaml"
    # a file that is not YAML stops no notebook; one with an error in its keys is still meant
    (folder / "parameters/umea-kommun/trasig.yaml").write_text("year: [", encoding="utf-8")
    assert own_parameter_file("allocation-memo") == "parameters/umea-kommun/2028.yaml"
    text = (folder / "parameters/umea-kommun/2028.yaml").read_text(encoding="utf-8")
    (folder / "parameters/umea-kommun/2029.yaml").write_text(
        text.replace("year: 2028", "year: 2029").replace("received:", "recieved:"),
        encoding="utf-8",
    )
    assert own_parameter_file("allocation-memo") == "parameters/umea-kommun/2029.yaml"
    # outside a project there is no default: the injected params_file (gnv render, papermill)
    # is used, and a notebook run as it is says that params_file must be given
    monkeypatch.chdir(tmp_path)
    assert own_parameter_file("allocation-memo") == ""
    from gnvtools.reports.memo import AllocationMemo

    with pytest.raises(InputError, match="params_file i parametercellen"):
        AllocationMemo.load(own_parameter_file("allocation-memo"))


def test_gnv_notebooks_never_overwrites_an_edit_unless_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "p"
    code, _, err = run_cli(capsys, "init", str(folder), "--name", "Umeå", "--year", "2027")
    assert code == 0, err
    notebook = folder / "notebooks/allocation_memo.ipynb"
    edited = notebook.read_text(encoding="utf-8").replace("memo.rules()", "memo.rules()  # mine")
    notebook.write_text(edited, encoding="utf-8")
    (folder / "notebooks/year_end_followup.ipynb").unlink()
    code, out, err = run_cli(capsys, "notebooks", str(folder))
    assert code == 0, err
    assert "allocation_memo.ipynb: skiljer sig från den installerade; skrivs inte över" in out
    assert "year_end_followup.ipynb: skriven" in out
    assert "multi_year_comparison.ipynb: oförändrad" in out
    assert notebook.read_text(encoding="utf-8") == edited
    code, out, err = run_cli(capsys, "notebooks", str(folder), "--force")
    assert code == 0 and "allocation_memo.ipynb: skriven" in out
    assert "# mine" not in notebook.read_text(encoding="utf-8")
    # the newest year file is the default; without one the command says what to do
    code, _, err = run_cli(capsys, "notebooks", str(tmp_path / "tom"))
    assert code == 2 and "projektmappen finns inte" in err
    (tmp_path / "tom/parameters").mkdir(parents=True)
    code, _, err = run_cli(capsys, "notebooks", str(tmp_path / "tom"))
    assert code == 2 and "ingen parameterfil" in err


@pytest.mark.slow
def test_a_projects_notebook_run_as_it_is_gives_the_rendered_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """papermill from the project root with no -p, and a kernel in notebooks/ as JupyterLab
    runs it, give the document gnv render gives."""
    from dataclasses import replace

    from gnvtools.reports.document import ChartBlock, TableBlock, document_of

    folder = tmp_path / "umea"
    code, _, err = run_cli(capsys, "init", str(folder), "--name", "Umeå", "--year", "2027")
    assert code == 0, err
    monkeypatch.chdir(folder)
    code, _, err = run_cli(
        capsys, "render", "allocation-memo", "parameters/umea-kommun/2027.yaml",
        "--to", "ipynb", "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert code == 0, err
    papermill = Path(sys.executable).parent / "papermill"
    ran = subprocess.run(
        [str(papermill), "notebooks/allocation_memo.ipynb", str(tmp_path / "pm.ipynb")],
        cwd=folder, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-2000:]

    def blocks(path: Path) -> list[object]:
        document = document_of(json.loads(path.read_text(encoding="utf-8")))
        return [
            replace(b, png="") if isinstance(b, ChartBlock) else b
            for b in document.blocks
            if not (isinstance(b, TableBlock) and b.key.startswith("provenance-"))
        ]

    rendered = blocks(tmp_path / "out/allocation-memo.ipynb")
    assert len(rendered) > 20 and "Umeå kommun" in str(rendered)
    assert blocks(tmp_path / "pm.ipynb") == rendered
    # as JupyterLab runs it: in notebooks/, nothing injected
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(folder / "notebooks/allocation_memo.ipynb", as_version=4)
    where = {"metadata": {"path": str(folder / "notebooks")}}
    NotebookClient(notebook, timeout=180, kernel_name="python3", resources=where).execute()
    nbformat.write(notebook, tmp_path / "lab.ipynb")
    assert blocks(tmp_path / "lab.ipynb") == rendered


@pytest.mark.slow
def test_gnv_lab_passes_options_and_opens_the_notebooks(tmp_path: Path) -> None:
    """`gnv lab DIR -- --no-browser --port N` starts JupyterLab with the project's notebooks
    reachable (as root too: gnv adds JupyterLab's --allow-root and says so); SIGTERM to gnv
    ends JupyterLab too."""
    import os
    import signal
    import socket
    import time
    import urllib.request

    from gnvtools.project.init import init_project

    folder = tmp_path / "lab"
    init_project(folder, "Umeå", 2027)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gnv = Path(sys.executable).parent / "gnv"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"), "HOME": str(tmp_path)}
    lab = subprocess.Popen(
        [str(gnv), "lab", str(folder), "--", "--no-browser", "--port", str(port),
         "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=gnvtest"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/api/contents/notebooks?token=gnvtest"
        listing = None
        deadline = time.monotonic() + 120
        while listing is None and time.monotonic() < deadline:
            assert lab.poll() is None, lab.stderr.read().decode() if lab.stderr else ""
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    listing = json.load(answer)
            except OSError:
                time.sleep(1)
        assert listing is not None, "JupyterLab did not answer"
        names = sorted(item["name"] for item in listing["content"])
        assert names == [
            "allocation_memo.ipynb", "multi_year_comparison.ipynb", "year_end_followup.ipynb"
        ]  # fmt: skip
        lab.send_signal(signal.SIGTERM)
        assert lab.wait(timeout=60) == 130
        with pytest.raises(OSError), urllib.request.urlopen(url, timeout=5):
            pass  # JupyterLab ended with gnv
    finally:
        if lab.poll() is None:
            os.killpg(lab.pid, signal.SIGKILL)
            lab.wait()


def test_init_names_the_schemas_for_an_editor(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The first line of the parameter file and of gnv.yaml names its schema (YAML language
    server); the schemas are in the project and the files init writes satisfy them."""
    import jsonschema
    import yaml

    from gnvtools.project.schema import dumps, load

    folder = tmp_path / "umea"
    code, _, err = run_cli(capsys, "init", str(folder), "--name", "Umeå", "--year", "2027")
    assert code == 0, err
    for written, name in (
        (folder / "parameters/umea-kommun/2027.yaml", "params"),
        (folder / "gnv.yaml", "gnv-yaml"),
    ):
        text = written.read_text(encoding="utf-8")
        first = text.splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        schema_path = (written.parent / first.split("$schema=", 1)[1]).resolve()
        assert schema_path == (folder / "schemas" / f"{name}.schema.json").resolve()
        assert schema_path.read_text(encoding="utf-8") == dumps(load(name))
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(text))
