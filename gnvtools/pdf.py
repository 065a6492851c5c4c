"""PDF by printing the report's HTML in a Chromium-family browser through Playwright.

A4 with margins, a header with the title and a footer "Sida x (y)". The browser is found in this
order: an explicit setting (argument or $GNV_BROWSER), Playwright's own Chromium, then a system
Chromium, Chrome or Edge. One browser can be shared by a whole batch (``PdfPrinter``).
"""

from __future__ import annotations

import html
import os
import shutil
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
    executable: str | None  # None: Playwright's own browser


def find_browser(explicit: str | None = None) -> BrowserChoice:
    """Find a Chromium-family browser or raise ``BrowserNotFoundError`` (Swedish message)."""
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
        return BrowserChoice("playwright", None)
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


def _playwright_chromium() -> bool:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dependency
        return False
    try:
        with sync_playwright() as p:
            return Path(p.chromium.executable_path).exists()
    except Exception:
        return False


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
    """One browser for many PDFs: ``with PdfPrinter() as printer: printer.print(html, title)``."""

    def __init__(self, choice: BrowserChoice | None = None) -> None:
        self.choice = choice or find_browser()
        self._playwright: Any = None
        self._browser: Any = None
        self.version = ""

    def __enter__(self) -> PdfPrinter:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        args = list(ARGS)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")  # Chromium refuses to sandbox as root
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=self.choice.executable, args=args, headless=True
            )
        except Exception as exc:
            self._playwright.stop()
            raise BrowserNotFoundError(
                f"webbläsaren kunde inte startas ({self.choice.executable or 'Playwright'}): "
                f"{str(exc).splitlines()[0]}"
            ) from exc
        self.version = self._browser.version
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    def print(self, page_html: str, title: str) -> bytes:
        if self._browser is None:
            raise RenderError("webbläsaren är inte startad")
        page = self._browser.new_page()
        try:
            page.set_content(page_html, wait_until="load")
            pdf: bytes = page.pdf(
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template=_header(title),
                footer_template=FOOTER,
                margin=MARGIN,
            )
            return pdf
        finally:
            page.close()


def html_to_pdf(page_html: str, title: str, *, browser: PdfPrinter | None = None) -> bytes:
    """Print one HTML page to PDF, reusing ``browser`` when given."""
    if browser is not None:
        return browser.print(page_html, title)
    with PdfPrinter() as printer:
        return printer.print(page_html, title)
