"""PDF by printing the report's HTML in a Chromium-family browser through Playwright.

A4 with margins, a header saying what the document is (organisation, title, dnr and its own
date, from the report's head: ``pagesetup.running_header``) and a footer "Sida x (y)". The
browser is found in this order: an explicit setting (``Running.browser``: gnv.yaml or the
environment, as the command line resolved it), Playwright's own Chromium, then a system
Chromium, Chrome or Edge. One browser can be shared by a whole batch (``PdfPrinter``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import shutil
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from gnvtools.errors import BrowserFailedError, BrowserNotFoundError
from gnvtools.publish.pagesetup import (
    FOOTER,
    MARGIN,
    header_template,
    page_about,
    running_header,
    warm_up_page,
)
from gnvtools.publish.running import Running

PRINTS_PER_PAGE = 20  # then the page (and its renderer process) is replaced: memory stays flat
LAUNCH_TIMEOUT = 30.0  # seconds to start the browser; browser_timeout in gnv.yaml changes it
PRINT_TIMEOUT = 60.0  # seconds to load and print one report (a long national memo: about 1 s)
CLOSE_TIMEOUT = 10.0  # seconds to close a page, the browser or Playwright's driver
RELAUNCHES = 2  # a browser that ends mid-batch (killed, out of memory) is started again

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
    # Nothing printed resolves a host name (DNS prefetch included); requests are blocked anyway.
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


@dataclass(frozen=True)
class BrowserChoice:
    how: str  # "inställning", "playwright" or "system"
    executable: str


def find_browser(running: Running | None = None) -> BrowserChoice:
    """Find a Chromium-family browser or raise ``BrowserNotFoundError`` (Swedish message)."""
    running = running or Running()
    import importlib.util

    if any(importlib.util.find_spec(m) is None for m in ("playwright", "pikepdf")):  # [pdf]
        raise BrowserNotFoundError(
            "PDF kräver Playwright och pikepdf, som inte är installerade: "
            "pip install 'gnvtools[pdf]'"
        )
    setting = running.browser
    if setting:
        path = shutil.which(setting) or setting
        if Path(path).exists():
            return BrowserChoice("inställning", path)
        raise BrowserNotFoundError(
            f'webbläsaren "{setting}" ({running.where}) finns inte; ange sökvägen till '
            "Chromium, Chrome eller Edge"
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
        f"Debians paket chromium eller ange sökvägen ({running.where}). HTML-rapporten skapas "
        "ändå."
    )


def launch_seconds(running: Running | None = None) -> float:
    """The launch timeout: ``running.browser_timeout`` (gnv.yaml or the environment), else 30 s."""
    running = running or Running()
    setting = running.browser_timeout
    if not setting:
        return LAUNCH_TIMEOUT
    try:
        seconds = float(setting)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 600:
        raise BrowserNotFoundError(
            f"väntetiden för webbläsaren ({running.timeout_where}) ska vara 1–600 sekunder "
            f'(fick "{setting}"); PDF skapas inte'
        )
    return seconds


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


class PdfPrinter:
    """One browser for many PDFs: ``with PdfPrinter() as printer: printer.print(html, title)``.

    The browser lives in a thread of its own, driven by Playwright's asyncio API. It starts
    launching at ``__enter__`` and is ready by the time a report has been executed, so its
    start-up costs no wall time. It keeps ``pages`` pages open and prints as many documents at
    once: ``print`` may be called from several threads (the print service of a batch does).
    Opening a page costs as much as printing one, so pages are reused; ``set_content`` replaces
    the whole document each time.

    Every wait is bounded: the launch by ``launch_timeout`` (``browser_timeout`` in gnv.yaml),
    each print by ``print_timeout``. A browser that does not start, a renderer that freezes or
    crashes and a browser that ends mid-batch each raise ``BrowserFailedError`` with a Swedish
    message: the caller loses that PDF and keeps the other formats. A frozen or crashed page is
    replaced, so the next print gets a fresh renderer. Pages print with JavaScript off and every
    request other than ``data:`` and ``about:`` blocked: a report cannot run code or reach the
    network while it is printed (its own Content-Security-Policy says the same).
    """

    def __init__(
        self,
        choice: BrowserChoice | None = None,
        pages: int = 1,
        *,
        launch_timeout: float | None = None,
        print_timeout: float = PRINT_TIMEOUT,
        running: Running | None = None,
    ) -> None:
        running = running or Running()
        self.choice = choice or find_browser(running)
        self.pages = max(1, pages)
        self.launch_timeout = (
            launch_timeout if launch_timeout is not None else launch_seconds(running)
        )
        self.running = running
        self.print_timeout = print_timeout
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._done: asyncio.Event | None = None
        self._free: asyncio.Queue[tuple[Any, int]] | None = None
        self._playwright: Any = None
        self._browser: Any = None
        self._relaunch = asyncio.Lock()
        self._relaunched = 0
        self._version = ""

    @property
    def version(self) -> str:
        """The browser's version, once it is up; its launch error if it could not start."""
        self._wait_ready()
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
        # A browser still launching is closed once it is up (or once its launch has timed out).
        self._ready.wait(timeout=self.launch_timeout + 2 * CLOSE_TIMEOUT)
        loop, done = self._loop, self._done
        if loop is not None and done is not None and thread.is_alive():
            with contextlib.suppress(RuntimeError):  # the loop has already ended
                loop.call_soon_threadsafe(done.set)
        thread.join(timeout=3 * CLOSE_TIMEOUT)

    def _wait_ready(self) -> None:
        """Wait for the launch, bounded; raise its error."""
        if not self._ready.wait(timeout=self.launch_timeout + 2 * CLOSE_TIMEOUT):
            raise BrowserFailedError(self._late())
        if self._error is not None:
            raise self._error

    def _late(self) -> str:
        return (
            f"webbläsaren startade inte inom {self.launch_timeout:g} s ({self.choice.executable}); "
            "PDF skapas inte. Ange en annan webbläsare (browser) eller en längre väntetid "
            "(browser_timeout) i gnv.yaml"
        )

    def _serve(self) -> None:
        try:
            asyncio.run(self._run())
        except BaseException as exc:  # never a thread traceback: the caller gets the error
            if self._error is None:
                _debug(exc, self.running.debug)
                self._error = BrowserFailedError("webbläsaren avslutades oväntat; PDF skapas inte")
        finally:
            self._loop = None
            self._ready.set()

    async def _run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._done = asyncio.Event()
        try:
            # Playwright bounds the launch itself (and then ends the browser it started); the
            # outer bound also covers its driver and the first pages.
            pages = await asyncio.wait_for(self._launch(), self.launch_timeout + CLOSE_TIMEOUT)
        except (TimeoutError, _playwright_timeout()) as exc:
            _debug(exc, self.running.debug)
            self._error = BrowserFailedError(self._late())
        except BrowserNotFoundError as exc:
            self._error = exc
        except Exception as exc:
            _debug(exc, self.running.debug)
            self._error = BrowserFailedError(
                f"webbläsaren startade men kunde inte skriva ut ({self.choice.executable}); "
                "PDF skapas inte"
            )
        if self._error is not None:
            self._ready.set()
            await self._close()
            return
        self._free = asyncio.Queue()
        for page in pages:
            self._free.put_nowait((page, 0))
        self._ready.set()
        try:
            await self._done.wait()
        finally:
            await self._close()

    async def _launch(self) -> list[Any]:
        from playwright.async_api import async_playwright

        try:
            self._playwright = await async_playwright().start()
        except Exception as exc:
            _debug(exc, self.running.debug)
            raise BrowserNotFoundError(
                "Playwright kunde inte startas; PDF skapas inte (pip install 'gnvtools[pdf]')"
            ) from None
        try:
            self._browser = await self._start_browser()
        except _playwright_timeout():
            raise
        except Exception as exc:
            _debug(exc, self.running.debug)
            raise BrowserNotFoundError(
                f"webbläsaren kunde inte startas ({self.choice.executable}); ange Chromium, "
                f"Chrome eller Edge ({self.running.where}). PDF skapas inte"
            ) from None
        self._version = self._browser.version
        pages = [await _new_page(self._browser) for _ in range(self.pages)]
        # The first print on a page costs twice a later one (the renderer starts, fonts load):
        # pay it now, while the caller is still preparing its first report.
        warm_up = warm_up_page()
        await asyncio.gather(*(_print_page(page, warm_up, "-") for page in pages))
        return pages

    async def _start_browser(self) -> Any:
        args = list(ARGS)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")  # Chromium refuses to sandbox as root
        return await self._playwright.chromium.launch(
            executable_path=self.choice.executable,
            args=args,
            headless=True,
            timeout=self.launch_timeout * 1000,
        )

    async def _close(self) -> None:
        """Close the browser and Playwright's driver, each in bounded time."""
        browser, self._browser = self._browser, None
        playwright, self._playwright = self._playwright, None
        if browser is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(browser.close(), CLOSE_TIMEOUT)
        if playwright is not None:
            with contextlib.suppress(Exception):  # stopping the driver also ends its browser
                await asyncio.wait_for(playwright.stop(), CLOSE_TIMEOUT)

    async def _print(self, page_html: str, title: str) -> bytes:
        if self._free is None:
            raise BrowserFailedError("webbläsaren har inga sidor öppna; PDF skapas inte")
        page, printed = await self._free.get()
        try:
            if not self._connected() or page.context.browser is not self._browser:
                page, printed = await self._live_page(), 0
            try:
                return await asyncio.wait_for(
                    _print_page(page, page_html, title), self.print_timeout
                )
            except TimeoutError:
                printed = PRINTS_PER_PAGE  # a frozen renderer: the page is replaced
                raise BrowserFailedError(
                    f"utskriften till PDF tog mer än {self.print_timeout:g} s och avbröts "
                    "(webbläsaren svarar inte); PDF skapas inte"
                ) from None
            except Exception as exc:
                _debug(exc, self.running.debug)
                printed = PRINTS_PER_PAGE  # a crashed renderer: the page is replaced
                raise BrowserFailedError(self._failure()) from None
        finally:
            printed += 1
            if printed >= PRINTS_PER_PAGE:
                # A renderer keeps caches from every document it has shown (measured: 54 MB
                # growing to 340 MB over 120 prints); a new page starts a new one.
                page, printed = await self._replace(page), 0
            self._free.put_nowait((page, printed))

    def _connected(self) -> bool:
        return self._browser is not None and bool(self._browser.is_connected())

    async def _live_page(self) -> Any:
        """A page of a running browser: one that has ended is started again (at most
        ``RELAUNCHES`` times a batch), so the reports after it still get their PDF."""
        async with self._relaunch:
            if not self._connected():
                if self._relaunched >= RELAUNCHES or self._playwright is None:
                    raise BrowserFailedError(
                        "webbläsaren avslutades under körningen; PDF skapas inte"
                    )
                self._relaunched += 1
                old, self._browser = self._browser, None
                if old is not None:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(old.close(), CLOSE_TIMEOUT)
                try:
                    self._browser = await asyncio.wait_for(
                        self._start_browser(), self.launch_timeout + CLOSE_TIMEOUT
                    )
                except Exception as exc:
                    _debug(exc, self.running.debug)
                    raise BrowserFailedError(
                        "webbläsaren avslutades under körningen och kunde inte startas igen; "
                        "PDF skapas inte"
                    ) from None
            try:
                return await asyncio.wait_for(_new_page(self._browser), CLOSE_TIMEOUT)
            except Exception as exc:
                _debug(exc, self.running.debug)
                raise BrowserFailedError(
                    "webbläsaren kunde inte öppna en sida; PDF skapas inte"
                ) from None

    def _failure(self) -> str:
        if not self._connected():
            return "webbläsaren avslutades under utskriften; PDF skapas inte"
        return "webbläsarens sida kraschade eller slutade svara under utskriften; PDF skapas inte"

    async def _replace(self, page: Any) -> Any:
        """A fresh page in place of ``page``; ``page`` itself when none can be opened."""
        if not self._connected():
            return page  # the next print starts the browser again
        try:
            fresh = await asyncio.wait_for(_new_page(self._browser), CLOSE_TIMEOUT)
        except Exception as exc:  # keep the old page rather than lose one
            _debug(exc, self.running.debug)
            return page
        with contextlib.suppress(Exception):
            await asyncio.wait_for(page.context.close(), CLOSE_TIMEOUT)
        return fresh

    def print(self, page_html: str, title: str) -> bytes:
        if self._thread is None:
            raise BrowserFailedError("webbläsaren är inte startad; PDF skapas inte")
        self._wait_ready()
        loop = self._loop
        if loop is None or self._free is None:
            raise BrowserFailedError("webbläsaren avslutades innan utskriften; PDF skapas inte")
        try:
            future = asyncio.run_coroutine_threadsafe(self._print(page_html, title), loop)
        except RuntimeError:  # the loop has ended
            raise BrowserFailedError(
                "webbläsaren avslutades innan utskriften; PDF skapas inte"
            ) from None
        try:
            # The loop bounds the print itself; this bounds the wait for a free page too.
            return future.result(timeout=self.print_timeout * 2 + 3 * CLOSE_TIMEOUT)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise BrowserFailedError(
                f"utskriften till PDF tog mer än {self.print_timeout:g} s och avbröts "
                "(webbläsaren svarar inte); PDF skapas inte"
            ) from None
        except concurrent.futures.CancelledError:
            raise BrowserFailedError(
                "webbläsaren avslutades under utskriften; PDF skapas inte"
            ) from None


def _playwright_timeout() -> type[Exception]:
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    return PlaywrightTimeout


def _debug(exc: BaseException, debug: bool) -> None:
    """Playwright's own (English) account, for a developer: on stderr with ``debug`` only,
    never in the user's message."""
    if debug:
        print(f"gnv (PDF): {type(exc).__name__}: {exc}", file=sys.stderr)


async def _only_local(route: Any) -> None:
    """Let ``data:`` and ``about:`` through; nothing a page asks for reaches the network."""
    if route.request.url.startswith(("data:", "about:")):
        await route.continue_()
    else:
        await route.abort("blockedbyclient")


async def _new_page(browser: Any) -> Any:
    """A page in a context of its own: JavaScript off, every other request blocked."""
    context = await browser.new_context(java_script_enabled=False)
    await context.route("**/*", _only_local)
    return await context.new_page()


async def _print_page(page: Any, page_html: str, title: str) -> bytes:
    await page.set_content(page_html, wait_until="load")
    pdf: bytes = await page.pdf(
        format="A4",
        print_background=True,
        display_header_footer=True,
        header_template=header_template(title),
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
    settings: Running | None = None,
) -> bytes:
    """Print one HTML page to an accessible, archival PDF, reusing ``browser`` when given.

    The page header is the document's own (``running_header``: organisation, title, dnr and the
    document's date); ``running`` only for a page without the report's head, then ``title``. The
    PDF's title, author and date are the head's too, where it gives them.
    ``settings``: the browser to start when no ``browser`` is given.
    """
    from gnvtools.publish.archive import make_archival

    header = running_header(page_html) or running or title
    if browser is not None:
        printed = browser.print(page_html, header)
    else:
        with PdfPrinter(running=settings) as printer:
            printed = printer.print(page_html, header)
    about = page_about(page_html)
    return make_archival(
        printed,
        title=about.get("title") or title,  # the document's own, as its first heading says
        author=author or about.get("organisation", ""),
        date=about.get("date", ""),
    )
