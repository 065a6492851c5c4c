"""The pages of ``pdf.PdfPrinter``'s browser, on its event loop: each opened in a context of its
own (JavaScript off, every request but ``data:`` and ``about:`` blocked), printed within a bound,
replaced after ``PRINTS_PER_PAGE`` prints or when it froze or crashed, and the browser started
again (at most ``RELAUNCHES`` times) when it ended mid-batch."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from typing import Any

from gnvtools.errors import BrowserFailedError
from gnvtools.publish.pagesetup import FOOTER, MARGIN, header_template
from gnvtools.publish.pdf_browser import ARGS, BrowserChoice
from gnvtools.publish.running import Running

PRINTS_PER_PAGE = 20  # then the page (and its renderer process) is replaced: memory stays flat
CLOSE_TIMEOUT = 10.0  # seconds to close a page, the browser or Playwright's driver
RELAUNCHES = 2  # a browser that ends mid-batch (killed, out of memory) is started again


class Pages:
    """What ``PdfPrinter`` does on its event loop: start the browser, print on a free page,
    replace pages and start an ended browser again, close it all (``PdfPrinter`` sets the
    attributes)."""

    choice: BrowserChoice
    running: Running
    launch_timeout: float
    print_timeout: float
    _free: asyncio.Queue[tuple[Any, int]] | None
    _playwright: Any
    _browser: Any
    _relaunch: asyncio.Lock
    _relaunched: int

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
