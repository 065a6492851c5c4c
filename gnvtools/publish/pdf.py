"""PDF by printing the report's HTML in a Chromium-family browser, spoken to directly over its
DevTools pipe (``cdp``; no Playwright, no Node).

A4 with margins, a header saying what the document is (organisation, title, dnr and its own
date, from the report's head: ``pagesetup.running_header``) and a footer "Sida x (y)". The
browser is found in this order: an explicit setting (``Running.browser``: gnv.yaml or the
environment, as the command line resolved it), a Chromium that ``playwright install`` put on
disk, then a system Chromium headless shell, Chromium, Chrome or Edge (``pdf_browser``). One
browser can be shared by a whole batch (``PdfPrinter``: its launch and bounded waits here, its
pages in ``pdf_pages`` and ``pdf_page``).
"""

from __future__ import annotations

import queue
import threading
from types import TracebackType

from gnvtools.errors import BrowserFailedError, GnvError
from gnvtools.publish import cdp
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
from gnvtools.publish.pdf_page import Page
from gnvtools.publish.pdf_pages import (
    CLOSE_TIMEOUT,
    PRINTS_PER_PAGE,
    RELAUNCHES,
    Pages,
    _debug,
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

    The browser starts launching in a thread at ``__enter__`` and is ready by the time a report
    has been executed, so its start-up costs no wall time. It keeps ``pages`` pages open and
    prints as many documents at once: ``print`` may be called from several threads (the print
    service of a batch does), each print running in its caller's thread. Opening a page costs
    as much as printing one, so pages are reused; each print replaces the whole document.

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
        self._error: GnvError | None = None
        self._thread: threading.Thread | None = None
        self._free = queue.Queue()
        self._browser = None
        self._relaunch = threading.Lock()
        self._relaunched = 0
        self._version = ""

    @property
    def version(self) -> str:
        """The browser's version, once it is up; its launch error if it could not start."""
        self._wait_ready()
        return self._version

    def __enter__(self) -> PdfPrinter:
        self._thread = threading.Thread(target=self._launch, name="gnv-pdf", daemon=True)
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
        self._close()

    def _wait_ready(self) -> None:
        """Wait for the launch, bounded; raise its error."""
        if not self._ready.wait(timeout=self.launch_timeout + 2 * CLOSE_TIMEOUT):
            raise BrowserFailedError(self._late())
        if self._error is not None:
            raise self._error

    def _launch(self) -> None:
        """In the launching thread: the browser, its pages, each warmed up by a first print."""
        try:
            self._browser = self._start_browser()
            pages = [Page(self._browser, CLOSE_TIMEOUT) for _ in range(self.pages)]
            # The first print on a page costs twice a later one (the renderer starts, fonts
            # load): pay it now, while the caller is still preparing its first report.
            warm_up = warm_up_page()
            warming = [
                threading.Thread(target=_warm, args=(page, warm_up), daemon=True) for page in pages
            ]
            for thread in warming:
                thread.start()
            for thread in warming:
                thread.join()
            for page in pages:
                self._free.put((page, 1))
        except GnvError as exc:
            self._error = exc
        except Exception as exc:  # never a thread traceback: the caller gets the error
            _debug(exc, self.running.debug)
            self._error = BrowserFailedError(
                f"webbläsaren startade men kunde inte skriva ut ({self.choice.executable}); "
                "PDF skapas inte"
            )
        finally:
            if self._error is not None:
                self._close()
            self._ready.set()

    def print(self, page_html: str, title: str) -> bytes:
        if self._thread is None:
            raise BrowserFailedError("webbläsaren är inte startad; PDF skapas inte")
        self._wait_ready()
        return self._print(page_html, title)


def _warm(page: Page, warm_up: str) -> None:
    """One print of the warm-up page, bounded; a page that fails it is replaced at its turn."""
    import time

    try:
        page.print(warm_up, "-", time.monotonic() + CLOSE_TIMEOUT)
    except cdp.CdpError:
        page.crashed = True


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
