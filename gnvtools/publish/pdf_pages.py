"""The pages of ``pdf.PdfPrinter``'s browser: the browser started over its DevTools pipe
(``cdp``), a print on a free page within a bound, a page replaced after ``PRINTS_PER_PAGE``
prints or when it froze or crashed, and the browser started again (at most ``RELAUNCHES``
times) when it ended mid-batch. Each page is a ``pdf_page.Page``: a context of its own,
JavaScript off, every request but ``data:`` and ``about:`` blocked."""

from __future__ import annotations

import os
import queue
import sys
import threading
import time

from gnvtools.errors import BrowserFailedError, BrowserNotFoundError
from gnvtools.publish import cdp, cdp_launch
from gnvtools.publish.cdp import CallTimeout, CdpError
from gnvtools.publish.pdf_browser import ARGS, BrowserChoice
from gnvtools.publish.pdf_page import Page
from gnvtools.publish.running import Running

PRINTS_PER_PAGE = 20  # then the page (and its renderer process) is replaced: memory stays flat
CLOSE_TIMEOUT = 10.0  # seconds to open or close a page, or for the browser to end
RELAUNCHES = 2  # a browser that ends mid-batch (killed, out of memory) is started again


class Pages:
    """What ``PdfPrinter`` does with its browser: start it, print on a free page, replace pages
    and start an ended browser again, close it all (``PdfPrinter`` sets the attributes)."""

    choice: BrowserChoice
    running: Running
    launch_timeout: float
    print_timeout: float
    _free: queue.Queue[tuple[Page | None, int]]
    _browser: cdp.Browser | None
    _relaunch: threading.Lock
    _relaunched: int
    _version: str

    def _start_browser(self) -> cdp.Browser:
        """The browser, answering on its pipe; bounded by the launch timeout."""
        args = list(ARGS)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")  # Chromium refuses to sandbox as root
        try:
            browser = cdp_launch.launch(self.choice.executable, args, quiet=not self.running.debug)
        except NotImplementedError:
            raise BrowserNotFoundError(
                "PDF skrivs ut genom webbläsarens DevTools-rör, som gnv ännu inte kan använda "
                "på Windows; PDF skapas inte. HTML, Word och Excel skapas ändå"
            ) from None
        except OSError as exc:
            _debug(exc, self.running.debug)
            raise BrowserNotFoundError(self._cannot_start()) from None
        try:
            version = browser.call("Browser.getVersion", timeout=self.launch_timeout)
        except CallTimeout as exc:
            _debug(exc, self.running.debug)
            browser.close(0)
            raise BrowserFailedError(self._late()) from None
        except CdpError as exc:  # it ended at once: no browser, or not one we can drive
            _debug(exc, self.running.debug)
            browser.close(CLOSE_TIMEOUT)
            raise BrowserNotFoundError(self._cannot_start()) from None
        self._version = str(version.get("product", "")).rpartition("/")[2]
        return browser

    def _cannot_start(self) -> str:
        return (
            f"webbläsaren kunde inte startas ({self.choice.executable}); ange Chromium, "
            f"Chrome eller Edge ({self.running.where}). PDF skapas inte"
        )

    def _late(self) -> str:
        return (
            f"webbläsaren startade inte inom {self.launch_timeout:g} s ({self.choice.executable}); "
            "PDF skapas inte. Ange en annan webbläsare (browser) eller en längre väntetid "
            "(browser_timeout) i gnv.yaml"
        )

    def _too_slow(self) -> str:
        return (
            f"utskriften till PDF tog mer än {self.print_timeout:g} s och avbröts "
            "(webbläsaren svarar inte); PDF skapas inte"
        )

    def _close(self) -> None:
        """End the browser (its pipe closed, then killed if it lingers)."""
        browser, self._browser = self._browser, None
        if browser is not None:
            browser.close(CLOSE_TIMEOUT)

    def _print(self, page_html: str, title: str) -> bytes:
        try:  # all pages busy: wait for one, as long as two prints may take
            page, printed = self._free.get(timeout=2 * self.print_timeout + CLOSE_TIMEOUT)
        except queue.Empty:
            raise BrowserFailedError(self._too_slow()) from None
        try:
            if page is None or not page.usable(self._browser):
                page, printed = self._live_page(page), 0
            try:
                return page.print(page_html, title, time.monotonic() + self.print_timeout)
            except CallTimeout as exc:
                _debug(exc, self.running.debug)
                printed = PRINTS_PER_PAGE  # a frozen renderer: the page is replaced
                raise BrowserFailedError(self._too_slow()) from None
            except CdpError as exc:
                _debug(exc, self.running.debug)
                printed = PRINTS_PER_PAGE  # a crashed renderer: the page is replaced
                raise BrowserFailedError(self._failure(page)) from None
        finally:
            printed += 1
            if printed >= PRINTS_PER_PAGE:
                # A renderer keeps caches from every document it has shown (measured: 54 MB
                # growing to 340 MB over 120 prints); a new page starts a new one.
                page, printed = self._replace(page), 0
            self._free.put((page, printed))

    def _live_page(self, old: Page | None) -> Page:
        """A page of a running browser: one that has ended is started again (at most
        ``RELAUNCHES`` times a batch), so the reports after it still get their PDF."""
        with self._relaunch:
            browser = self._browser
            if browser is None or not browser.alive:
                if self._relaunched >= RELAUNCHES:
                    raise BrowserFailedError(
                        "webbläsaren avslutades under körningen; PDF skapas inte"
                    )
                self._relaunched += 1
                self._close()
                try:
                    browser = self._browser = self._start_browser()
                except (BrowserFailedError, BrowserNotFoundError) as exc:
                    _debug(exc, self.running.debug)
                    raise BrowserFailedError(
                        "webbläsaren avslutades under körningen och kunde inte startas igen; "
                        "PDF skapas inte"
                    ) from None
        try:
            fresh = Page(browser, CLOSE_TIMEOUT)
        except CdpError as exc:
            _debug(exc, self.running.debug)
            raise BrowserFailedError(
                "webbläsaren kunde inte öppna en sida; PDF skapas inte"
            ) from None
        if old is not None:
            old.close()
        return fresh

    def _failure(self, page: Page) -> str:
        if not page.browser.alive:
            return "webbläsaren avslutades under utskriften; PDF skapas inte"
        return "webbläsarens sida kraschade eller slutade svara under utskriften; PDF skapas inte"

    def _replace(self, page: Page | None) -> Page | None:
        """A fresh page in place of ``page``; ``page`` itself when none can be opened (the next
        print tries again, and starts an ended browser again)."""
        browser = self._browser
        if browser is None or not browser.alive:
            return page
        try:
            fresh = Page(browser, CLOSE_TIMEOUT)
        except CdpError as exc:  # keep the old page rather than lose one
            _debug(exc, self.running.debug)
            return page
        if page is not None:
            page.close()
        return fresh


def _debug(exc: BaseException, debug: bool) -> None:
    """The browser's own (English) account, for a developer: on stderr with ``debug`` only,
    never in the user's message."""
    if debug:
        print(f"gnv (PDF): {type(exc).__name__}: {exc}", file=sys.stderr)
