"""PDF by printing the report's HTML in a Chromium-family browser through Playwright.

A4 with margins, a header saying what the document is (organisation, title, dnr and its own
date, from the report's head: ``pagesetup.running_header``) and a footer "Sida x (y)". The
browser is found in this order: an explicit setting (``Running.browser``: gnv.yaml or the
environment, as the command line resolved it), Playwright's own Chromium, then a system
Chromium, Chrome or Edge (``pdf_browser``). One browser can be shared by a whole batch
(``PdfPrinter``: its thread and bounded waits here, its pages in ``pdf_pages``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from types import TracebackType
from typing import Any

from gnvtools.errors import BrowserFailedError, BrowserNotFoundError
from gnvtools.publish.pagesetup import page_about, running_header, warm_up_page
from gnvtools.publish.pdf_browser import (
    ARGS,
    HEADLESS_SHELLS,
    KNOWN_PATHS,
    LAUNCH_TIMEOUT,
    SYSTEM_BROWSERS,
    BrowserChoice,
    find_browser,
    launch_seconds,
)
from gnvtools.publish.pdf_pages import (
    CLOSE_TIMEOUT,
    PRINTS_PER_PAGE,
    RELAUNCHES,
    Pages,
    _debug,
    _new_page,
    _playwright_timeout,
    _print_page,
)
from gnvtools.publish.running import Running

__all__ = [  # this module's own names and those imported from here
    "ARGS",
    "CLOSE_TIMEOUT",
    "HEADLESS_SHELLS",
    "KNOWN_PATHS",
    "LAUNCH_TIMEOUT",
    "PRINTS_PER_PAGE",
    "PRINT_TIMEOUT",
    "RELAUNCHES",
    "SYSTEM_BROWSERS",
    "BrowserChoice",
    "PdfPrinter",
    "find_browser",
    "html_to_pdf",
    "launch_seconds",
]

PRINT_TIMEOUT = 60.0  # seconds to load and print one report (a long national memo: about 1 s)


class PdfPrinter(Pages):
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
