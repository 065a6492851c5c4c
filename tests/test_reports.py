"""The rendered reports, checked as a person sees them: in headless Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gnvtools.core.formatting import plain

from .browser import chromium_page
from .conftest import PARAMS, ROOT, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kernel")]

# Every example file with every report it applies to, and figures each must show.
CASES = {
    ("allocation-memo", "stockholm/2023.yaml"): ["36 310 636 kr", "15 010 636 kr", "51 810 636 kr"],
    ("allocation-memo", "stockholm/2025.yaml"): [
        "41 991 440 kr",
        "35 264 481 kr",
        "6 726 959 kr",
        "10 700 000 kr",
    ],
    ("allocation-memo", "jamtland/2025.yaml"): ["41 086 320 kr", "86 320 kr", "1 413 680 kr"],
    ("year-end-followup", "stockholm/2023.yaml"): ["51 810 636 kr", "Förskola"],
    ("year-end-followup", "stockholm/2025.yaml"): [
        "28 714 265",
        "13 277 175",
        "83 350 kr",
        "68 %",
        "Skarpnäck och Skärholmen",
    ],
    ("multi-year", "stockholm/comparison-2023-2025.yaml"): [
        "2023",
        "2024",
        "2025",
        "uppgift saknas",
        "cirka 10,7 mnkr",
        "Skola och förskola",
    ],
}


# Every report's policy: no script, nothing fetched (styles inline, images as data: URIs).
CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def policy(source: str) -> str | None:
    """The Content-Security-Policy of a page's <head>, whatever the order of its attributes."""
    head = source.split("<style")[0]  # before anything the policy governs
    for tag in re.findall(r"<meta\b[^>]*>", head):
        if re.search(r'http-equiv="Content-Security-Policy"', tag, re.IGNORECASE):
            found = re.search(r'content="([^"]*)"', tag)
            return found.group(1) if found else None
    return None


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    from gnvtools.cli import main

    out = tmp_path_factory.mktemp("reports")
    files = {}
    for report, params in CASES:
        target = out / report / params.replace("/", "-")
        assert (
            main(
                ["render", report, str(PARAMS / params), "--to", "html,ipynb", "--out", str(target)]
            )
            == 0
        )
        files[(report, params)] = target / f"{report}.html"
    return files


@pytest.fixture(scope="module")
def browser():
    yield from chromium_page()


def _open(browser, path: Path):
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(path.as_uri(), wait_until="load")
    return page, problems


@pytest.mark.parametrize(("report", "params"), list(CASES), ids=lambda x: str(x))
def test_report_reads_right_in_chromium(rendered, browser, report: str, params: str) -> None:
    path = rendered[(report, params)]
    source = path.read_text(encoding="utf-8")
    assert source.startswith("<!DOCTYPE html>")
    assert '<html lang="sv">' in source
    assert not re.search(r"<(script|link)\b[^>]*\b(src|href)=\"https?:", source)
    assert policy(source) == CSP
    assert "<script" not in source
    page, problems = _open(browser, path)
    try:
        text = plain(page.inner_text("body"))
        images = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.complete, e.naturalWidth, e.alt])"
        )
        code_blocks = page.eval_on_selector_all(
            ".input_area, .jp-InputArea, .prompt", "e => e.length"
        )
    finally:
        page.close()
    assert problems == []
    assert "Traceback" not in text and "Error" not in text
    assert "import " not in text and "params_file" not in text
    assert code_blocks == 0
    assert images, "every report has at least one chart"
    for complete, width, alt in images:
        assert complete and width > 0 and alt
    for figure in CASES[(report, params)]:
        assert figure in text, figure
    assert "påhittade exempel" in text or (report == "allocation-memo" and "jamtland" in params)


@pytest.mark.parametrize(("report", "params"), list(CASES), ids=lambda x: str(x))
def test_every_table_fits_a_1280_px_screen(rendered, browser, report: str, params: str) -> None:
    """No table needs its scroll region at 1280 px (the region stays for narrower screens)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(rendered[(report, params)].as_uri(), wait_until="load")
        wide = page.eval_on_selector_all(
            ".table-wrap",
            "els => els.filter(e => e.scrollWidth > e.clientWidth)"
            ".map(e => [e.getAttribute('aria-label'), e.scrollWidth, e.clientWidth])",
        )
    finally:
        page.close()
    assert wide == []


def test_illustrative_data_is_marked_only_where_used(rendered) -> None:
    jamtland = plain(rendered[("allocation-memo", "jamtland/2025.yaml")].read_text("utf-8"))
    assert "Påhittade exempeldata" not in jamtland  # every figure comes from the region's memo
    assert "RS/0000/2025 (påhittat exempel)" in jamtland  # the one made-up item, marked there
    stockholm = plain(rendered[("allocation-memo", "stockholm/2025.yaml")].read_text("utf-8"))
    assert "påhittade exempel" in stockholm
    # The mark stands at the table that uses made-up data, not only in the banner.
    assert re.search(
        r'class="illustrative-mark"><strong>Påhittade exempeldata:</strong>[^<]*</p>'
        r'<div [^>]*class="table-wrap"[^>]*><table><caption>Statsbidrag 2025: Rekvisition',
        stockholm,
    )
    followup = plain(rendered[("year-end-followup", "stockholm/2025.yaml")].read_text("utf-8"))
    # The count is the source's own; only the names the made-up rows give are marked.
    assert "Två mottagare rekvirerade inga medel." in followup
    assert "Skarpnäck och Skärholmen (påhittat exempel; källan anger att två" in followup


def test_markup_in_data_shows_as_text(tmp_path: Path, browser, capsys) -> None:
    folder = tmp_path / "stockholm"
    shutil.copytree(PARAMS / "stockholm", folder)
    evil = "<script>alert(1)</script>"
    with (folder / "data/districts.csv").open("a", encoding="utf-8") as handle:
        handle.write(f'"{evil}",1000,100,10\n')
    code, _, err = run_cli(
        capsys, "render", "allocation-memo", str(folder / "2025.yaml"), "--out", str(tmp_path / "o")
    )
    assert code == 0, err
    html_path = tmp_path / "o/allocation-memo.html"
    source = html_path.read_text(encoding="utf-8")
    assert evil not in source
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    page, problems = _open(browser, html_path)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        text = page.inner_text("body")
        scripts = page.eval_on_selector_all("script", "e => e.length")
    finally:
        page.close()
    assert evil in text
    assert scripts == 0 and dialogs == [] and problems == []


def test_render_validates_before_starting_a_kernel(tmp_path: Path, capsys) -> None:
    code, _, err = run_cli(
        capsys,
        "render",
        "year-end-followup",
        str(PARAMS / "jamtland/2025.yaml"),
        "--out",
        str(tmp_path / "o"),
    )
    assert code == 2
    assert "ingen uppföljning" in err
    assert not (tmp_path / "o").exists()


def test_jupyterlab_opens_at_the_project_root(tmp_path: Path) -> None:
    import subprocess

    from gnvtools.cli import lab_command

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "lab:" in makefile and "gnv lab ." in makefile
    assert "make lab" in (ROOT / "README.md").read_text(encoding="utf-8")
    command = lab_command(tmp_path)
    assert command[-1] == f"--ServerApp.root_dir={tmp_path}"
    # The command JupyterLab is started with exists and accepts the option (without serving).
    help_text = subprocess.run(
        [*command[:3], "--help-all"], capture_output=True, text=True, timeout=120
    ).stdout
    assert "--ServerApp.root_dir" in help_text


@pytest.mark.slow
@pytest.mark.xdist_group("kernel")
def test_jupyterlab_kernels_get_the_commands_options(tmp_path: Path) -> None:
    """GNV_DATA_ROOTS is read by the command line only; ``gnv lab`` gives it to each kernel
    (through a startup file, after the user's own)."""
    from jupyter_client.manager import start_new_kernel

    from gnvtools.cli import lab_environment
    from gnvtools.settings import Settings

    own = tmp_path / "own.py"
    own.write_text("own_startup_ran = True\n", encoding="utf-8")
    settings = Settings.from_environment({"GNV_DATA_ROOTS": "/delad/data"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONSTARTUP", str(own))
        env = lab_environment(settings, tmp_path)
    manager, client = start_new_kernel(kernel_name="python3", env=env)
    try:
        said: list[str] = []
        client.execute_interactive(
            "from gnvtools.core.options import current\n"
            "print(current().data_roots, own_startup_ran)",
            output_hook=lambda m: said.append(m["content"].get("text", "")),
            timeout=60,
        )
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert "('/delad/data',) True" in "".join(said)


WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.parametrize(("report", "params"), list(CASES), ids=lambda x: str(x))
def test_axe_core_finds_no_wcag_violation(rendered, browser, report: str, params: str) -> None:
    """axe-core (bundled by axe-playwright-python) over WCAG 2.1 A and AA, in Chromium."""
    import axe_playwright_python

    axe = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    # The report's policy forbids every script, axe's too: the test page sets it aside.
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    try:
        page.goto(rendered[(report, params)].as_uri(), wait_until="load")
        page.add_script_tag(path=str(axe))
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        regions = page.eval_on_selector_all(
            ".table-wrap",
            "els => els.map(e => "
            "[e.tabIndex, e.getAttribute('role'), e.getAttribute('aria-label')])",
        )
        row_headers = page.eval_on_selector_all("tbody th[scope=row]", "e => e.length")
    finally:
        page.close()
    violations = [(v["id"], len(v["nodes"])) for v in result["violations"]]
    assert violations == []
    assert result["passes"], "axe ran its rules"
    assert all(index == 0 and role == "region" and label for index, role, label in regions)
    assert row_headers > 0


def test_chart_colours_have_3_to_1_contrast_against_white() -> None:
    from gnvtools.reports.charts import PALETTE

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in PALETTE:
        assert (1.05) / (luminance(colour) + 0.05) >= 3.0, colour


def test_long_labels_wrap_and_are_never_cut() -> None:
    from gnvtools.reports.followup_report import FollowupReport

    chart = FollowupReport.load(PARAMS / "stockholm/2025.yaml").area_chart()
    assert "…" not in chart.alt
    assert "Förebyggande och hälsofrämjande arbete i hälso- och sjukvården" in chart.alt
