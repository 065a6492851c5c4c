"""PDF by printing the report's HTML in a Chromium-family browser through Playwright.

A4 with margins, a header with the title and a footer "Sida x (y)". The browser is found in this
order: an explicit setting (argument or $GNV_BROWSER), Playwright's own Chromium, then a system
Chromium, Chrome or Edge. One browser can be shared by a whole batch (``PdfPrinter``).
"""

from __future__ import annotations

import html
import os
import queue
import shutil
import sys
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from gnvtools.errors import BrowserNotFoundError, RenderError

SYSTEM_BROWSERS = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
)
KNOWN_PATHS = (
    "/usr/bin/chromium",
    "/snap/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
)
# Quiet flags: the machines this runs on may have no network, and no display.
ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
MARGIN = {"top": "22mm", "bottom": "20mm", "left": "20mm", "right": "18mm"}


@dataclass(frozen=True)
class BrowserChoice:
    how: str  # "inställning", "playwright" or "system"
    executable: str


def find_browser(explicit: str | None = None) -> BrowserChoice:
    """Find a Chromium-family browser or raise ``BrowserNotFoundError`` (Swedish message)."""
    import importlib.util

    if any(importlib.util.find_spec(m) is None for m in ("playwright", "pikepdf")):  # [pdf]
        raise BrowserNotFoundError(
            "PDF kräver Playwright och pikepdf, som inte är installerade: "
            "pip install 'gnvtools[pdf]'"
        )
    setting = explicit or os.environ.get("GNV_BROWSER")
    if setting:
        path = shutil.which(setting) or setting
        if Path(path).exists():
            return BrowserChoice("inställning", path)
        raise BrowserNotFoundError(
            f'webbläsaren "{setting}" (GNV_BROWSER) finns inte; ange sökvägen till Chromium, '
            "Chrome eller Edge"
        )
    own = _playwright_chromium()
    if own:
        return BrowserChoice("playwright", own)
    for name in SYSTEM_BROWSERS:
        found = shutil.which(name)
        if found:
            return BrowserChoice("system", found)
    for path in KNOWN_PATHS:
        if Path(path).exists():
            return BrowserChoice("system", path)
    raise BrowserNotFoundError(
        "ingen webbläsare för PDF hittades (Chromium, Chrome eller Edge). Installera t.ex. "
        "Debians paket chromium eller ange sökvägen i GNV_BROWSER. HTML-rapporten skapas ändå."
    )


def _playwright_cache() -> Path | None:
    """Where ``playwright install`` puts browsers (its documented locations)."""
    setting = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if setting and setting != "0":
        return Path(setting)
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ms-playwright"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local) / "ms-playwright" if local else None
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ms-playwright"


def _playwright_chromium() -> str | None:
    """Playwright's own Chromium, found on disk without starting Playwright's driver."""
    cache = _playwright_cache()
    if cache is None or not cache.is_dir():
        return None
    patterns = (
        "chromium-*/chrome-*/chrome",
        "chromium-*/chrome-*/chrome.exe",
        "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
        "chromium_headless_shell-*/chrome-*/headless_shell",
    )
    found = sorted(p for pattern in patterns for p in cache.glob(pattern) if p.is_file())
    return str(found[-1]) if found else None


def _header(title: str) -> str:
    return (
        '<div style="font-family: DejaVu Sans, Arial, sans-serif; font-size: 8px; color: #555;'
        f' width: 100%; padding: 0 18mm 0 20mm;">{html.escape(title)}</div>'
    )


FOOTER = (
    '<div style="font-family: DejaVu Sans, Arial, sans-serif; font-size: 8px; color: #555;'
    ' width: 100%; padding: 0 18mm 0 20mm; text-align: right;">'
    'Sida <span class="pageNumber"></span> (<span class="totalPages"></span>)</div>'
)


class PdfPrinter:
    """One browser for many PDFs: ``with PdfPrinter() as printer: printer.print(html, title)``.

    The browser lives in a thread of its own (Playwright's sync API stays on the thread that
    started it). It starts launching at ``__enter__`` and is ready by the time a report has been
    executed, so its start-up costs no wall time; ``print`` hands the page to that thread.
    """

    def __init__(self, choice: BrowserChoice | None = None) -> None:
        self.choice = choice or find_browser()
        self._jobs: queue.Queue[tuple[str, str, Future[bytes]] | None] = queue.Queue()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._version = ""

    @property
    def version(self) -> str:
        self._ready.wait()
        return self._version

    def __enter__(self) -> PdfPrinter:
        self._thread = threading.Thread(target=self._serve, name="gnv-pdf", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(timeout=60)
        self._thread = None

    def _serve(self) -> None:
        from playwright.sync_api import sync_playwright

        args = list(ARGS)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")  # Chromium refuses to sandbox as root
        try:
            playwright = sync_playwright().start()
        except Exception as exc:
            self._error = RenderError(f"Playwright kunde inte startas: {exc}")
            self._ready.set()
            return
        try:
            browser = playwright.chromium.launch(
                executable_path=self.choice.executable, args=args, headless=True
            )
        except Exception as exc:
            self._error = BrowserNotFoundError(
                f"webbläsaren kunde inte startas ({self.choice.executable}): "
                f"{str(exc).splitlines()[0]}"
            )
            playwright.stop()
            self._ready.set()
            return
        self._version = browser.version
        # One page for every print: opening a page (a new browser context) costs as much as
        # printing one; set_content replaces the whole document each time.
        page = browser.new_page()
        self._ready.set()
        try:
            while (job := self._jobs.get()) is not None:
                page_html, title, result = job
                try:
                    result.set_result(_print_page(page, page_html, title))
                except Exception as exc:
                    result.set_exception(exc)
        finally:
            browser.close()
            playwright.stop()

    def print(self, page_html: str, title: str) -> bytes:
        if self._thread is None:
            raise RenderError("webbläsaren är inte startad")
        self._ready.wait()
        if self._error is not None:
            raise self._error
        result: Future[bytes] = Future()
        self._jobs.put((page_html, title, result))
        return result.result()


def _print_page(page: Any, page_html: str, title: str) -> bytes:
    page.set_content(page_html, wait_until="load")
    pdf: bytes = page.pdf(
        format="A4",
        print_background=True,
        display_header_footer=True,
        header_template=_header(title),
        footer_template=FOOTER,
        margin=MARGIN,
        tagged=True,  # structure tree: headings, lists, tables, figures with alt text
        outline=True,  # bookmarks from the headings
    )
    return pdf


def html_to_pdf(
    page_html: str,
    title: str,
    *,
    browser: PdfPrinter | None = None,
    running: str = "",
    author: str = "",
) -> bytes:
    """Print one HTML page to an accessible, archival PDF, reusing ``browser`` when given.

    ``running`` is the running header (organisation, title, date); the title is the document's.
    """
    from gnvtools.publish.archive import make_archival

    header = running or title
    if browser is not None:
        printed = browser.print(page_html, header)
    else:
        with PdfPrinter() as printer:
            printed = printer.print(page_html, header)
    return make_archival(printed, title=title, author=author)
