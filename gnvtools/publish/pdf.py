"""PDF by printing the report's HTML in a Chromium-family browser through Playwright.

A4 with margins, a header with the title and a footer "Sida x (y)". The browser is found in this
order: an explicit setting (argument or $GNV_BROWSER), Playwright's own Chromium, then a system
Chromium, Chrome or Edge. One browser can be shared by a whole batch (``PdfPrinter``).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import os
import shutil
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from gnvtools.errors import BrowserNotFoundError, RenderError

PRINTS_PER_PAGE = 20  # then the page (and its renderer process) is replaced: memory stays flat

# Chromium's headless shell first: it prints the same PDF as the full browser (the same Blink
# and Skia; Playwright itself uses it for headless runs) for half the processor time, launch
# included (measured: 0,85 against 1,7 s to launch and close, 0,17 against 0,33 s a print).
HEADLESS_SHELLS = (
    "/usr/lib/chromium/chromium-headless-shell",  # Debian's chromium-headless-shell, unwrapped
    "chromium-headless-shell",
    "chrome-headless-shell",
)
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
    for name in HEADLESS_SHELLS + SYSTEM_BROWSERS:
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
        "chromium_headless_shell-*/chrome-headless-shell-*/chrome-headless-shell",
        "chromium_headless_shell-*/chrome-headless-shell-*/chrome-headless-shell.exe",
    )
    # sorted: "chromium_headless_shell-" after "chromium-", so the shell wins when both exist
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


def _warm_up_page() -> str:
    """A small page in the reports' own style sheet: headings, text, a table, a chart, printed
    once per page at launch (see ``PdfPrinter._run``)."""
    from importlib import resources

    css = resources.files("gnvtools").joinpath("templates/gnvmemo/memo.css").read_text("utf-8")
    svg = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxIiBoZWlnaHQ9IjEiLz4="
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>-</title>'
        f'<style>{css}</style></head><body><main class="memo"><h1>Å</h1><h2>Ä</h2><h3>Ö</h3>'
        "<p>å <b>ä</b> <i>ö</i></p><table><caption>é</caption><thead><tr><th>a</th>"
        '<th class="num">1</th></tr></thead><tbody><tr><td>b</td><td class="num">2</td></tr>'
        "</tbody></table>"
        f'<figure class="chart"><img alt="" src="data:image/svg+xml;base64,{svg}">'
        "<figcaption>c</figcaption></figure></main></body></html>"
    )


class PdfPrinter:
    """One browser for many PDFs: ``with PdfPrinter() as printer: printer.print(html, title)``.

    The browser lives in a thread of its own, driven by Playwright's asyncio API. It starts
    launching at ``__enter__`` and is ready by the time a report has been executed, so its
    start-up costs no wall time. It keeps ``pages`` pages open and prints as many documents at
    once: ``print`` may be called from several threads (the print service of a batch does).
    Opening a page costs as much as printing one, so pages are reused; ``set_content`` replaces
    the whole document each time.
    """

    def __init__(self, choice: BrowserChoice | None = None, pages: int = 1) -> None:
        self.choice = choice or find_browser()
        self.pages = max(1, pages)
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._done: asyncio.Event | None = None
        self._free: asyncio.Queue[tuple[Any, int]] | None = None
        self._browser: Any = None
        self._version = ""

    @property
    def version(self) -> str:
        """The browser's version, once it is up; its launch error if it could not start."""
        self._ready.wait()
        if self._error is not None:
            raise self._error
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
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._ready.wait(timeout=120)  # a browser still launching is closed once it is up
        loop, done = self._loop, self._done
        if loop is not None and done is not None and thread.is_alive():
            with contextlib.suppress(RuntimeError):  # the loop has already ended
                loop.call_soon_threadsafe(done.set)
        thread.join(timeout=60)

    def _serve(self) -> None:
        asyncio.run(self._run())

    async def _run(self) -> None:
        from playwright.async_api import async_playwright

        self._loop = asyncio.get_running_loop()
        self._done = asyncio.Event()
        args = list(ARGS)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")  # Chromium refuses to sandbox as root
        try:
            playwright = await async_playwright().start()
        except Exception as exc:
            self._error = RenderError(f"Playwright kunde inte startas: {exc}")
            self._ready.set()
            return
        try:
            browser = await playwright.chromium.launch(
                executable_path=self.choice.executable, args=args, headless=True
            )
        except Exception as exc:
            self._error = BrowserNotFoundError(
                f"webbläsaren kunde inte startas ({self.choice.executable}); "
                f"Playwright svarade: {str(exc).splitlines()[0]}"
            )
            await playwright.stop()
            self._ready.set()
            return
        try:
            self._version = browser.version
            try:
                pages = [await browser.new_page() for _ in range(self.pages)]
                # The first print on a page costs twice a later one (the renderer starts, fonts
                # load): pay it now, while the caller is still preparing its first report.
                warm_up = _warm_up_page()
                await asyncio.gather(*(_print_page(page, warm_up, "-") for page in pages))
            except Exception as exc:
                self._error = RenderError(
                    f"webbläsaren startade men kunde inte skriva ut; Playwright svarade: "
                    f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                )
                return
            self._browser = browser
            self._free = asyncio.Queue()
            for page in pages:
                self._free.put_nowait((page, 0))
            self._ready.set()
            await self._done.wait()
        finally:
            self._ready.set()
            await browser.close()
            await playwright.stop()

    async def _print(self, page_html: str, title: str) -> bytes:
        if self._free is None:
            raise RenderError("webbläsaren har inga sidor öppna")
        page, printed = await self._free.get()
        try:
            return await _print_page(page, page_html, title)
        finally:
            printed += 1
            if printed >= PRINTS_PER_PAGE and self._browser is not None:
                # A renderer keeps caches from every document it has shown (measured: 54 MB
                # growing to 340 MB over 120 prints); a new page starts a new one.
                try:
                    fresh = await self._browser.new_page()
                except Exception:  # keep the old page rather than lose one
                    fresh = None
                if fresh is not None:
                    with contextlib.suppress(Exception):
                        await page.close()
                    page, printed = fresh, 0
            self._free.put_nowait((page, printed))

    def print(self, page_html: str, title: str) -> bytes:
        if self._thread is None:
            raise RenderError("webbläsaren är inte startad")
        self._ready.wait()
        if self._error is not None:
            raise self._error
        if self._loop is None or self._free is None:
            raise RenderError("webbläsaren avslutades innan utskriften")
        return asyncio.run_coroutine_threadsafe(self._print(page_html, title), self._loop).result()


async def _print_page(page: Any, page_html: str, title: str) -> bytes:
    await page.set_content(page_html, wait_until="load")
    pdf: bytes = await page.pdf(
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
