"""One page of the browser that prints PDFs, spoken to over the DevTools protocol (``cdp``).

Each page is a tab in a browser context of its own (its own renderer process, no cookies or
caches shared), with JavaScript off, and every request other than ``data:`` and ``about:``
failed before it leaves the browser (``Fetch``): a report cannot run code or reach the network
while it is printed. ``file:`` URLs never reach ``Fetch``; Chromium itself refuses them to a page
that is not a file (the hostile-page tests in ``tests/test_printing_safety`` check both).

A print replaces the page's document (``Page.setDocumentContent``), waits for its load event
(images and charts as ``data:`` URLs are drawn by then) and prints it in one stream
(``Page.printToPDF`` read back with ``IO.read``): A4 as Playwright had it (8,27 × 11,7 in),
``pagesetup``'s margins, header and footer, backgrounds, a structure tree and bookmarks.
"""

from __future__ import annotations

import base64
import queue
import time
from typing import Any

from gnvtools.publish.cdp import Browser, BrowserGone, CallTimeout, CdpError
from gnvtools.publish.pagesetup import FOOTER, MARGIN, header_template

A4 = (8.27, 11.7)  # inches, as Playwright's "A4"
_UNITS = {"px": 1.0, "in": 96.0, "cm": 37.8, "mm": 3.78}  # CSS pixels, as Playwright counts
_LOCAL = ("data:", "about:")
_ENDS = ("Inspector.targetCrashed", "Target.detachedFromTarget", "gnv.browserGone")
_CHUNK = 1 << 20  # bytes of PDF a read asks for


class PageCrashed(CdpError):
    """The page's renderer crashed or the page was closed under us."""


def inches(length: str) -> float:
    """A CSS length ("22mm", "1in", "40px") in inches, as Playwright converts it."""
    for unit, pixels in _UNITS.items():
        if length.endswith(unit):
            return float(length[: -len(unit)]) * pixels / 96
    return float(length) / 96  # a bare number: pixels


def print_options(title: str) -> dict[str, Any]:
    """``Page.printToPDF``'s parameters for a report whose running header is ``title``."""
    width, height = A4
    return {
        "paperWidth": width,
        "paperHeight": height,
        "marginTop": inches(MARGIN["top"]),
        "marginBottom": inches(MARGIN["bottom"]),
        "marginLeft": inches(MARGIN["left"]),
        "marginRight": inches(MARGIN["right"]),
        "printBackground": True,
        "displayHeaderFooter": True,
        "headerTemplate": header_template(title),
        "footerTemplate": FOOTER,
        "preferCSSPageSize": False,
        "generateTaggedPDF": True,  # structure tree: headings, lists, tables, figures' alt text
        "generateDocumentOutline": True,  # bookmarks from the headings
        "transferMode": "ReturnAsStream",  # a long national memo need not fit one message
    }


class Page:
    """A tab of ``browser`` in a context of its own; ``print`` it, then ``close`` it."""

    def __init__(self, browser: Browser, timeout: float) -> None:
        self.browser = browser
        self.crashed = False
        self.session = ""
        self._events: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
        deadline = time.monotonic() + timeout
        self.context = self._call("Target.createBrowserContext", {}, deadline, "")[
            "browserContextId"
        ]
        try:
            target = self._call(
                "Target.createTarget",
                {"url": "about:blank", "browserContextId": self.context},
                deadline,
                "",
            )["targetId"]
            attached = self._call(
                "Target.attachToTarget", {"targetId": target, "flatten": True}, deadline, ""
            )
            self.session = attached["sessionId"]
            browser.on(self.session, self._event)
            self._call("Emulation.setScriptExecutionDisabled", {"value": True}, deadline)
            self._call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, deadline)
            self._call("Page.enable", {}, deadline)
            tree = self._call("Page.getFrameTree", {}, deadline)
            self.frame = tree["frameTree"]["frame"]["id"]
        except CdpError:
            self.close()
            raise

    def usable(self, browser: Browser | None) -> bool:
        """Whether this page can print for ``browser`` (the printer's current one)."""
        return self.browser is browser and self.browser.alive and not self.crashed

    def print(self, page_html: str, title: str, deadline: float) -> bytes:
        """``page_html`` as a PDF, all of it by ``deadline`` (``time.monotonic``)."""
        self._load(page_html, deadline)
        stream = self._call("Page.printToPDF", print_options(title), deadline)["stream"]
        chunks: list[bytes] = []
        try:
            while True:
                read = self._call("IO.read", {"handle": stream, "size": _CHUNK}, deadline)
                data = read.get("data", "")
                chunks.append(
                    base64.b64decode(data) if read.get("base64Encoded") else data.encode()
                )
                if read.get("eof"):
                    break
        finally:
            if self.browser.alive:
                self.browser.send("IO.close", {"handle": stream}, self.session)
        return b"".join(chunks)

    def _load(self, page_html: str, deadline: float) -> None:
        """Replace the document and wait for its load event."""
        while not self._events.empty():  # what earlier documents left
            self._events.get_nowait()
        if self.crashed or not self.browser.alive:
            raise PageCrashed("the page has crashed")
        self._call("Page.setDocumentContent", {"frameId": self.frame, "html": page_html}, deadline)
        opened = False
        while True:
            try:
                method, params = self._events.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                raise CallTimeout("the page did not load in time") from None
            if method == "Page.documentOpened" and params.get("frame", {}).get("id") == self.frame:
                opened = True
            elif method == "Page.loadEventFired" and opened:
                return
            elif method == "gnv.browserGone":
                raise BrowserGone("the browser has ended")
            elif method in _ENDS:
                raise PageCrashed("the page has crashed")

    def close(self) -> None:
        """Close the page's context (and with it the page), without waiting for it: a frozen
        renderer must not hold the next print."""
        if self.session:
            self.browser.on(self.session, None)
        if self.browser.alive:
            self.browser.send("Target.disposeBrowserContext", {"browserContextId": self.context})

    def _call(
        self, method: str, params: dict[str, Any], deadline: float, session: str | None = None
    ) -> dict[str, Any]:
        left = deadline - time.monotonic()
        if left <= 0:
            raise CallTimeout(f"{method}: out of time")
        return self.browser.call(
            method, params, self.session if session is None else session, timeout=left
        )

    def _event(self, method: str, params: dict[str, Any]) -> None:
        """On the pipe's reading thread: answer requests at once, queue the rest."""
        if method == "Fetch.requestPaused":
            self._answer(params)
            return
        if method in _ENDS:
            self.crashed = True
            if method != "gnv.browserGone":
                self.browser.fail_session(self.session, PageCrashed("the page has crashed"))
        if method in _ENDS or method in ("Page.documentOpened", "Page.loadEventFired"):
            self._events.put((method, params))

    def _answer(self, params: dict[str, Any]) -> None:
        """Let ``data:`` and ``about:`` through; fail everything else. A navigation (a meta
        refresh, a link's target) is aborted, so the document being printed stays; any other
        request is "blocked by client", as the browser reports an extension's block."""
        request = params.get("requestId", "")
        url = str(params.get("request", {}).get("url", ""))
        try:
            if url.startswith(_LOCAL):
                self.browser.send("Fetch.continueRequest", {"requestId": request}, self.session)
                return
            reason = "Aborted" if params.get("resourceType") == "Document" else "BlockedByClient"
            self.browser.send(
                "Fetch.failRequest", {"requestId": request, "errorReason": reason}, self.session
            )
        except CdpError:
            pass  # the browser has gone: nothing is loaded anyway
