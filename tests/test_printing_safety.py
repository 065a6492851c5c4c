"""Printing under faults and hostile pages: every browser failure ends in bounded time with one
Swedish line and costs only the PDF; a printed page runs no script and reaches no network; the
print service and Chromium end with the build, even on ``kill -9``."""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from gnvtools.errors import BrowserFailedError, BrowserNotFoundError
from gnvtools.publish.pdf import BrowserChoice, PdfPrinter
from gnvtools.publish.printserver import _descendants

from .browser import require_browser
from .conftest import PARAMS, ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kernel")]

PAGE = (
    '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>t</title></head>'
    "<body><h1>Rubrik</h1><p>Stycke.</p></body></html>"
)
ENGLISH = ("Call log", "Target", "Error", "waiting", "browser has been closed", "crash")


def _process(pid: int) -> tuple[str, int, str] | None:
    """(state, session id, command line) of a live process; None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    fields = stat[stat.rfind(b")") + 2 :].split()
    return fields[0].decode(), int(fields[3]), command


def _alive(pid: int) -> bool:
    found = _process(pid)
    return found is not None and found[0] != "Z"  # a zombie has ended, only not been reaped


def _browser_processes(kind: str) -> list[int]:
    """This test process's Chromium processes: ``renderer``, or ``browser`` (the main one)."""
    found = []
    for pid in _descendants(os.getpid()):
        process = _process(pid)
        if process is None or "--remote-debugging-pipe" not in process[2]:
            continue
        main = "--type=" not in process[2]
        if (kind == "browser" and main) or f"--type={kind}" in process[2]:
            found.append(pid)
    return found


def _one_swedish_line(message: str) -> None:
    assert "\n" not in message
    assert not any(word in message for word in ENGLISH), message


def _require_linux() -> None:
    if not Path("/proc/self/stat").exists():
        pytest.skip("reads processes from /proc (Linux)")


@pytest.fixture
def printer() -> Iterator[PdfPrinter]:
    executable = require_browser()
    assert executable is not None
    _require_linux()
    with PdfPrinter(BrowserChoice("inställning", executable), print_timeout=4) as printing:
        assert printing.version
        yield printing


# --- a browser that never starts -------------------------------------------------------------


@pytest.fixture
def sleeping_browser(tmp_path: Path) -> Path:
    """A program that starts and then never answers, as a hung browser does."""
    require_browser()
    fake = tmp_path / "hangande-webblasare"
    fake.write_text("#!/bin/sh\nsleep 300\n")
    fake.chmod(0o755)
    return fake


def _sleepers(fake: Path) -> list[int]:
    return [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and (process := _process(int(p.name))) and str(fake) in process[2]
    ]


def test_a_browser_that_never_starts_fails_within_its_timeout(sleeping_browser: Path) -> None:
    _require_linux()
    started = time.monotonic()
    with PdfPrinter(BrowserChoice("inställning", str(sleeping_browser)), launch_timeout=2) as p:
        with pytest.raises(BrowserFailedError, match="startade inte inom 2 s") as caught:
            p.print(PAGE, "t")
        with pytest.raises(BrowserFailedError):
            p.version  # noqa: B018
    assert time.monotonic() - started < 20
    _one_swedish_line(caught.value.message)
    time.sleep(0.5)
    assert [pid for pid in _sleepers(sleeping_browser) if _alive(pid)] == []


def test_the_launch_timeout_comes_from_gnv_yaml(
    sleeping_browser: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``browser_timeout`` in gnv.yaml reaches the print service; a build with a hung browser
    ends in bounded time, each report with its HTML and a Swedish line for its PDF."""
    from gnvtools.project.config import load_project
    from gnvtools.publish.build import build
    from gnvtools.settings import Settings

    for name in ("GNV_BROWSER", "GNV_BROWSER_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    shutil.copytree(PARAMS / "jamtland", tmp_path / "parameters/jamtland")
    config = tmp_path / "gnv.yaml"
    config.write_text(f"browser: {sleeping_browser}\nbrowser_timeout: 2\n", encoding="utf-8")
    project = load_project(config)
    assert "GNV_BROWSER_TIMEOUT" not in os.environ  # loading gnv.yaml writes no variable
    running = Settings.from_environment({}).with_project(project.config).running()
    assert (running.browser, running.browser_timeout) == (str(sleeping_browser), "2")
    started = time.monotonic()
    results, _ = build(
        tmp_path / "parameters",
        tmp_path / "out",
        ["html", "pdf"],
        workers=2,
        progress=False,
        running=running,
    )
    assert time.monotonic() - started < 120
    assert results and all(r.status == "misslyckades" for r in results)
    for r in results:
        assert "webbläsaren startade inte inom 2 s" in r.message
        _one_swedish_line(r.message)
        assert (r.job.out_dir / f"{r.job.report}.html").exists()
        assert not (r.job.out_dir / f"{r.job.report}.pdf").exists()


@pytest.mark.parametrize("value", ["0", "noll", "9999"])
def test_a_wrong_launch_timeout_is_a_swedish_message(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gnvtools.publish.pdf import launch_seconds
    from gnvtools.settings import Settings

    monkeypatch.setenv("GNV_BROWSER_TIMEOUT", value)
    running = Settings.from_environment().running()
    with pytest.raises(BrowserNotFoundError, match="ska vara 1–600 sekunder") as caught:
        launch_seconds(running)
    assert "GNV_BROWSER_TIMEOUT" in caught.value.message


# --- a renderer that freezes or crashes, a browser that ends ----------------------------------


def test_a_frozen_renderer_costs_one_pdf_in_bounded_time(printer: PdfPrinter) -> None:
    renderers = _browser_processes("renderer")
    assert renderers, "Chromium runs a renderer for the open page"
    for pid in renderers:
        os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        with pytest.raises(BrowserFailedError, match="tog mer än 4 s") as caught:
            printer.print(PAGE, "t")
        assert time.monotonic() - started < 30
        _one_swedish_line(caught.value.message)
        # The frozen page was replaced: the next report prints.
        assert printer.print(PAGE, "t").startswith(b"%PDF-")
    finally:
        for pid in renderers:
            with_suppressed_kill(pid, signal.SIGKILL)


def test_a_renderer_that_crashes_mid_print_costs_one_pdf(printer: PdfPrinter) -> None:
    """(A renderer that crashed between prints costs none: tests/test_cdp.)"""
    renderers = _browser_processes("renderer")
    assert renderers
    for pid in renderers:  # the print is under way when the renderer crashes
        os.kill(pid, signal.SIGSTOP)
    failed: list[BaseException] = []

    def printing() -> None:
        try:
            printer.print(PAGE, "t")
        except BaseException as exc:
            failed.append(exc)

    thread = threading.Thread(target=printing)
    thread.start()
    time.sleep(1)
    for pid in renderers:
        os.kill(pid, signal.SIGKILL)
    thread.join(timeout=30)
    assert len(failed) == 1 and isinstance(failed[0], BrowserFailedError)
    assert "kraschade" in failed[0].message
    _one_swedish_line(failed[0].message)
    assert printer.print(PAGE, "t").startswith(b"%PDF-")


def test_chromium_killed_mid_print_costs_that_pdf_and_is_started_again(
    printer: PdfPrinter,
) -> None:
    renderers = _browser_processes("renderer")
    for pid in renderers:  # the print is under way when the browser is killed
        os.kill(pid, signal.SIGSTOP)
    failed: list[BaseException] = []

    def printing() -> None:
        try:
            printer.print(PAGE, "t")
        except BaseException as exc:
            failed.append(exc)

    try:
        thread = threading.Thread(target=printing)
        thread.start()
        time.sleep(1)
        for pid in _browser_processes("browser"):
            os.kill(pid, signal.SIGKILL)
        thread.join(timeout=30)
    finally:
        for pid in renderers:
            with_suppressed_kill(pid, signal.SIGKILL)
    assert len(failed) == 1 and isinstance(failed[0], BrowserFailedError)
    assert "webbläsaren avslutades under utskriften" in str(failed[0])
    _one_swedish_line(failed[0].message)
    # The next report starts the browser again and gets its PDF.
    assert printer.print(PAGE, "t").startswith(b"%PDF-")
    assert len(_browser_processes("browser")) == 1


def test_a_failed_print_keeps_the_reports_html_word_and_excel(
    printer: PdfPrinter, tmp_path: Path
) -> None:
    """render writes every other format of a report whose PDF failed, and says why in one
    Swedish line (as for a browser that is missing)."""
    from gnvtools.publish.render import render

    renderers = _browser_processes("renderer")
    out = tmp_path / "out"
    for pid in renderers:
        os.kill(pid, signal.SIGSTOP)
    try:
        with pytest.raises(BrowserNotFoundError, match="tog mer än 4 s") as caught:
            render(
                "allocation-memo",
                PARAMS / "jamtland/2025.yaml",
                out,
                ["html", "pdf", "docx", "xlsx"],
                browser=printer,
            )
    finally:
        for pid in renderers:
            with_suppressed_kill(pid, signal.SIGKILL)
    _one_swedish_line(caught.value.message)
    for fmt in ("html", "docx", "xlsx"):
        assert (out / f"allocation-memo.{fmt}").exists(), fmt
    assert not (out / "allocation-memo.pdf").exists()


def with_suppressed_kill(pid: int, sig: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, sig)


# --- a hostile page ---------------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_hostile_page_prints_without_running_its_script_or_reaching_the_network(
    printer: PdfPrinter,
) -> None:
    import pypdfium2

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    # No Content-Security-Policy here: the printer's own defences are what is tested.
    hostile = (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>t</title>'
        f'<link rel="stylesheet" href="{base}/stil.css">'
        f'<meta http-equiv="refresh" content="0; url={base}/bort">'
        f'<link rel="prefetch" href="{base}/prefetch"><link rel="icon" href="{base}/ikon.png">'
        f"<style>@font-face {{ font-family: F; src: url({base}/font.woff) }}"
        " h1 { font-family: F }</style>"
        f"<style>@import url({base}/import.css); body {{ background: url({base}/bg.png) }}"
        "</style></head><body><h1 id='rubrik'>Oförändrad</h1>"
        "<script>document.getElementById('rubrik').textContent = 'SKRIPTET KÖRDES';"
        f"fetch('{base}/fetch'); new Image().src = '{base}/js.png';</script>"
        f'<img alt="bild" src="{base}/bild.png"><iframe src="{base}/ram.html"></iframe>'
        f'<object data="{base}/objekt"></object></body></html>'
    )
    try:
        _Recorder.hits.clear()
        printed = printer.print(hostile, "Titel")
    finally:
        server.shutdown()
        server.server_close()
    document = pypdfium2.PdfDocument(printed)
    text = document[0].get_textpage().get_text_range()
    assert "Oförändrad" in text and "SKRIPTET" not in text
    assert "Sida 1 (1)" in text  # the footer needs no script
    assert _Recorder.hits == []


# --- the print service ends with the build ----------------------------------------------------

PARENT = textwrap.dedent(
    """
    import os, sys, time
    from gnvtools.publish.printserver import PrintService

    service = PrintService(pages=1).__enter__()
    assert service.client().version  # the browser is up
    if os.fork() == 0:  # a worker: it holds copies of the service's pipes and outlives us
        time.sleep(120)
        os._exit(0)
    print("klar", flush=True)
    time.sleep(600)
    """
)


def _tree(root: int) -> set[int]:
    return set(_descendants(root))


def _survivors(started: set[int], sessions: set[int]) -> list[str]:
    """Processes among ``started``, or in one of ``sessions``, that still run."""
    left = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        process = _process(int(entry.name))
        if process is None or process[0] == "Z":
            continue
        if int(entry.name) in started or process[1] in sessions:
            left.append(f"{entry.name} {process[2][:100]}")
    return left


def test_the_print_service_and_its_browser_end_when_the_build_is_killed() -> None:
    """Even while a forked worker still holds the service's standard input open."""
    require_browser()
    _require_linux()
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        start_new_session=True,
    )
    worker: int | None = None
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline() == b"klar\n"
        started = _tree(parent.pid)
        commands = {pid: (_process(pid) or ("", 0, ""))[2] for pid in started}
        worker = next((pid for pid, command in commands.items() if " -c " in command), None)
        assert worker is not None
        assert any("chrom" in command for command in commands.values())
        sessions = {p[1] for pid in started if (p := _process(pid))} - {os.getsid(0)}
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        time.sleep(8)
        left = [s for s in _survivors(started, sessions) if not s.startswith(f"{worker} ")]
        assert left == []
    finally:
        if worker is not None:
            with_suppressed_kill(worker, signal.SIGKILL)
        with_suppressed_kill(parent.pid, signal.SIGKILL)


@pytest.mark.parametrize("workers", ["2", "1"])
def test_kill_9_of_a_build_leaves_nothing_running(workers: str, tmp_path: Path) -> None:
    """``gnv build --workers 2 --to html,pdf`` killed once Chromium prints: after 8 s no process
    it started (workers, print service, Chromium) is alive. With one worker the browser is the
    build's own (it ends when its DevTools pipe closes)."""
    require_browser()
    _require_linux()
    gnv = Path(sys.executable).parent / "gnv"
    if not gnv.exists():
        pytest.skip("the gnv command is not installed beside this Python")
    shutil.copytree(PARAMS, tmp_path / "parameters")
    build = subprocess.Popen(
        [str(gnv), "build", "--workers", workers, "--to", "html,pdf", "--force", "--out", "ut"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # as setsid: the test's own session is never in question
    )
    try:
        started: set[int] = set()
        deadline = time.monotonic() + 120
        printing = False
        while time.monotonic() < deadline and build.poll() is None and not printing:
            started |= _tree(build.pid)
            printing = any(
                "--type=renderer" in (_process(pid) or ("", 0, ""))[2] for pid in started
            )
            time.sleep(0.1)
        if not printing:
            pytest.fail("the build ended before Chromium printed; nothing to kill")
        time.sleep(1)  # mid-way: workers executing, the service printing
        started |= _tree(build.pid)
        sessions = {p[1] for pid in started if (p := _process(pid))} - {os.getsid(0)}
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        time.sleep(8)
        assert _survivors(started | {build.pid}, sessions) == []
    finally:
        with_suppressed_kill(build.pid, signal.SIGKILL)
