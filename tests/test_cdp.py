"""The DevTools client the PDF is printed through (publish.cdp, pdf_page, pdf_pages): bounded
calls, a browser that ends, pages replaced, nothing loaded from outside, nothing left running."""

from __future__ import annotations

import contextlib
import http.server
import os
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
from gnvtools.publish import cdp, cdp_launch
from gnvtools.publish.pdf import BrowserChoice, PdfPrinter
from gnvtools.publish.pdf_page import inches, print_options
from gnvtools.publish.processtree import _descendants

from .browser import require_browser
from .conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kernel")]

PAGE = (
    '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>t</title></head>'
    "<body><h1>Rubrik</h1><p>Stycke.</p></body></html>"
)


def _text(pdf: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    return "".join(page.get_textpage().get_text_range() for page in document)


def _fake(tmp_path: Path, body: str) -> str:
    fake = tmp_path / "webblasare"
    fake.write_text(f"#!/bin/sh\n{body}\n")
    fake.chmod(0o755)
    return str(fake)


def _posix() -> None:
    if sys.platform == "win32":
        pytest.skip("the DevTools pipe needs POSIX descriptors")


@pytest.fixture
def printer() -> Iterator[PdfPrinter]:
    executable = require_browser()
    assert executable is not None
    with PdfPrinter(BrowserChoice("inställning", executable), print_timeout=20) as printing:
        assert printing.version
        yield printing


# --- the pipe ---------------------------------------------------------------------------------


def test_a_browser_that_ends_fails_the_waiting_call_at_once(tmp_path: Path) -> None:
    _posix()
    browser = cdp_launch.launch(_fake(tmp_path, "sleep 1"), [])
    started = time.monotonic()
    with pytest.raises(cdp.BrowserGone):
        browser.call("Browser.getVersion", timeout=60)
    assert time.monotonic() - started < 10
    with pytest.raises(cdp.BrowserGone):  # and every later one, at once
        browser.call("Browser.getVersion", timeout=60)
    browser.close(5)
    assert browser.process.poll() is not None
    assert not Path(browser.profile).exists()


def test_a_call_nobody_answers_is_bounded_and_close_ends_the_whole_group(tmp_path: Path) -> None:
    _posix()
    browser = cdp_launch.launch(_fake(tmp_path, "sleep 300 & sleep 300"), [])
    with pytest.raises(cdp.CallTimeout):
        browser.call("Browser.getVersion", timeout=0.5)
    group = browser.process.pid
    assert len(_group(group)) == 3  # the shell (the "browser") and its two sleeps
    browser.close(0)
    time.sleep(0.5)
    assert _group(group) == []


def test_a_profile_left_by_a_killed_process_is_removed_at_the_next_launch(
    tmp_path: Path,
) -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    stale = tmp_path / f"{cdp_launch.PROFILE_PREFIX}{ended.pid}-abc"
    live = tmp_path / f"{cdp_launch.PROFILE_PREFIX}{os.getpid()}-abc"
    other = tmp_path / "gnv-chromium-utan-pid"
    for folder in (stale, live, other):
        (folder / "Default").mkdir(parents=True)
    cdp_launch.remove_stale_profiles(str(tmp_path))
    assert not stale.exists() and live.exists() and other.exists()


def test_a_real_browser_answers_and_ends_when_its_pipe_closes() -> None:
    executable = require_browser()
    assert executable is not None
    browser = cdp_launch.launch(executable, ["--no-sandbox"] if os.geteuid() == 0 else [])
    version = browser.call("Browser.getVersion", timeout=30)
    assert "Chrome" in version["product"]
    with pytest.raises(cdp.CdpError, match=r"wasn't found|not found"):
        browser.call("Nothing.here", timeout=30)
    browser.close(10)
    assert browser.process.returncode is not None
    assert not browser.alive


def test_no_browser_on_windows_is_a_swedish_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    with (
        PdfPrinter(BrowserChoice("inställning", "chrome.exe")) as p,
        pytest.raises(BrowserNotFoundError, match="Windows"),
    ):
        p.print(PAGE, "t")


def test_the_page_is_playwrights_a4_with_the_reports_margins() -> None:
    options = print_options("Rubrik & <b>")
    assert (options["paperWidth"], options["paperHeight"]) == (8.27, 11.7)
    assert options["marginTop"] == pytest.approx(22 * 3.78 / 96)
    assert inches("1in") == 1 and inches("96px") == 1
    assert "Rubrik &amp; &lt;b&gt;" in options["headerTemplate"]
    assert options["generateTaggedPDF"] and options["generateDocumentOutline"]
    assert options["printBackground"] and options["transferMode"] == "ReturnAsStream"


# --- pages ------------------------------------------------------------------------------------


def test_a_print_that_runs_out_of_time_replaces_its_page(printer: PdfPrinter) -> None:
    ((page, _),) = list(printer._free.queue)
    printer.print_timeout = 0.001
    with pytest.raises(BrowserFailedError, match=r"tog mer än 0\.001 s"):
        printer.print(PAGE, "t")
    printer.print_timeout = 20
    ((fresh, _),) = list(printer._free.queue)
    assert fresh is not page and fresh is not None
    assert "Rubrik" in _text(printer.print(PAGE, "t"))


def test_a_killed_browser_is_started_again_for_the_next_print(printer: PdfPrinter) -> None:
    browser = printer._browser
    assert browser is not None
    os.kill(browser.process.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while browser.alive and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not browser.alive
    assert "Rubrik" in _text(printer.print(PAGE, "t"))  # no PDF lost: nothing was printing
    assert printer._browser is not browser and printer._relaunched == 1


def test_a_renderer_that_crashed_between_prints_costs_no_pdf(printer: PdfPrinter) -> None:
    ((page, _),) = list(printer._free.queue)
    assert page is not None
    renderers = _renderers()
    assert renderers
    for pid in renderers:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while not page.crashed and time.monotonic() < deadline:
        time.sleep(0.05)
    assert page.crashed
    assert "Rubrik" in _text(printer.print(PAGE, "t"))


def test_a_long_document_comes_back_whole(printer: PdfPrinter) -> None:
    """Far more than one read of the stream (``_CHUNK``): every byte, in order."""
    rows = "".join(f"<tr><td>Rad {n}</td><td>{n * 1000} kr</td></tr>" for n in range(6000))
    page = PAGE.replace("<p>Stycke.</p>", f"<table>{rows}</table><p>Slutet.</p>")
    printed = printer.print(page, "t")
    assert len(printed) > 2 * (1 << 20)
    assert printed.startswith(b"%PDF-") and printed.rstrip().endswith(b"%%EOF")
    assert "Slutet." in _text(printed)


# --- nothing from outside ---------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_http_and_file_urls_are_not_loaded_and_scripts_do_not_run(
    printer: PdfPrinter, tmp_path: Path
) -> None:
    secret = tmp_path / "hemligt.html"
    secret.write_text("<p>HEMLIG TEXT</p>", encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    page = (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>t</title>'
        f'<meta http-equiv="refresh" content="0; url={base}/bort"></head><body>'
        f'<h1 id="r">Kvar</h1><iframe src="{secret.as_uri()}"></iframe>'
        f'<iframe src="{base}/ram"></iframe><img alt="x" src="{base}/bild.png">'
        f'<img alt="y" src="{secret.as_uri()}"><object data="{secret.as_uri()}"></object>'
        "<script>document.getElementById('r').textContent = 'SKRIPT';</script>"
        "<noscript><p>Utan skript</p></noscript></body></html>"
    )
    try:
        _Recorder.hits.clear()
        text = _text(printer.print(page, "t"))
        text += _text(printer.print(PAGE, "t"))  # the refresh has not taken the page away
    finally:
        server.shutdown()
        server.server_close()
    assert "Kvar" in text and "Utan skript" in text
    assert "SKRIPT" not in text and "HEMLIG" not in text
    assert _Recorder.hits == []


def test_a_data_uri_image_is_drawn(printer: PdfPrinter) -> None:
    import base64

    import pypdfium2

    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
        '<rect width="200" height="100" fill="#c00000"/></svg>'
    )
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    page = PAGE.replace("<p>Stycke.</p>", f'<img alt="röd" src="{uri}">')
    document = pypdfium2.PdfDocument(printer.print(page, "t"))
    image = document[0].render(scale=1).to_pil().convert("RGB")
    reds = sum(1 for r, g, b in image.get_flattened_data() if r > 180 and g < 40 and b < 40)
    assert reds > 5000  # 200 × 100 CSS px at 72/96: about 11 000 pixels


# --- nothing left running ---------------------------------------------------------------------

HOLDER = textwrap.dedent(
    """
    import os, time
    from gnvtools.publish.pdf import PdfPrinter

    printer = PdfPrinter().__enter__()
    assert printer.version
    if os.fork() == 0:  # a forked child lets go of the browser's pipe
        time.sleep(120)
        os._exit(0)
    print("klar", flush=True)
    time.sleep(600)
    """
)


def test_kill_9_of_a_process_holding_a_printer_leaves_no_browser() -> None:
    require_browser()
    if not Path("/proc/self/stat").exists():
        pytest.skip("reads processes from /proc (Linux)")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        start_new_session=True,
    )
    child = None
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == b"klar\n"
        tree = _descendants(holder.pid)
        browsers = [pid for pid in tree if "--remote-debugging-pipe" in _command(pid)]
        child = next(pid for pid in tree if " -c " in _command(pid))
        assert browsers
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        deadline = time.monotonic() + 10
        while any(_running(pid) for pid in browsers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in browsers if _running(pid)] == []
    finally:
        for pid in (child, holder.pid):
            if pid is not None:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return False
    return stat[stat.rfind(b")") + 2 :].split()[0] != b"Z"


def _group(group: int) -> list[int]:
    """The live processes of process group ``group``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _running(int(entry.name)):
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_bytes()
                if int(stat[stat.rfind(b")") + 2 :].split()[2]) == group:
                    found.append(int(entry.name))
    return found


def _renderers() -> list[int]:
    return [
        pid
        for pid in _descendants(os.getpid())
        if "--type=renderer" in _command(pid) and "--remote-debugging-pipe" in _command(pid)
    ]
