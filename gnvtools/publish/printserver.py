"""One browser for a whole batch: a print service the build's worker processes share.

A browser costs processor time to start and more to warm up (its first print costs twice a
later one), and with one browser in every worker process the browsers compete with the reports
for the same cores. ``gnv build`` with several workers therefore starts one print service, a
process of its own (``python -m gnvtools.publish.printserver``), before it imports anything
else, so the browser launches while the build gets ready. The service keeps one page per
worker open and prints on them at the same time; each worker connects to it with
``RemotePrinter``, which has the same ``print`` and ``version`` as ``pdf.PdfPrinter``. Only the
printing runs in the service: the archival post-processing of each PDF
(``archive.make_archival``) stays in the worker.

The connection is a local socket (a named pipe on Windows) from ``multiprocessing.connection``,
authenticated with a random key the service reads from its standard input.

The service never outlives the build. It ends when its standard input closes (the build's way
of saying it is done), and also when the build process ends in any other way, ``kill -9``
included: it asks for ``SIGTERM`` at its parent's death (``lifetime.die_with_parent``), since
the pipe alone is not enough (the build's forked workers hold copies of it). On ``SIGTERM``,
and again on its way out, it kills everything it started: Chromium (in a process group of its
own, ``cdp_launch.launch``) and Chromium's renderers. Chromium also ends by itself when its DevTools
pipe closes, as it does when the service ends in any way. The service
runs in a session of its own, so a Ctrl-C at the terminal reaches the build, which then ends
the service, rather than the service half-way through a print.

This module is the service process; the build's and the workers' side is ``printclient``, the
killing of what the service started ``processtree``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
from multiprocessing.connection import Connection, Listener
from typing import Any

from gnvtools.errors import BrowserFailedError, GnvError
from gnvtools.publish.printclient import (
    CLOSE_WAIT,
    OwnService,
    PrintService,
    RemotePrinter,
)
from gnvtools.publish.processtree import _descendants, end_descendants

__all__ = [  # this module's own names and those imported from here
    "CLOSE_WAIT",
    "OwnService",
    "PrintService",
    "RemotePrinter",
    "_descendants",
    "end_descendants",
    "main",
]


def _answer(printer: Any, connection: Connection) -> None:
    """Serve one worker until it disconnects."""
    with connection:
        while True:
            try:
                request = connection.recv()
            except (EOFError, OSError):
                return
            try:
                if request[0] == "version":
                    value: Any = printer.version
                else:
                    value = printer.print(request[1], request[2])
                reply: tuple[str, Any, str] = ("ok", value, "")
            except GnvError as exc:
                reply = ("fel", exc.message, type(exc).__name__)
            except Exception:  # never the browser's English: the PDF fails, the batch goes on
                reply = (
                    "fel",
                    "utskriften till PDF misslyckades; PDF skapas inte",
                    BrowserFailedError.__name__,
                )
            try:
                connection.send(reply)
            except OSError:
                return


def main(argv: list[str]) -> None:
    """The service process: listen, answer at once where, launch the browser, serve, end.

    ``argv``: pages, the parent's pid, launch and print timeouts (seconds), optionally the
    browser.
    """
    from gnvtools.publish.lifetime import die_with_parent
    from gnvtools.publish.pdf import PRINT_TIMEOUT, BrowserChoice, PdfPrinter, find_browser

    pages, parent = int(argv[0]), int(argv[1])
    launch_timeout = None if argv[2] == "-" else float(argv[2])
    print_timeout = PRINT_TIMEOUT if argv[3] == "-" else float(argv[3])
    signal.signal(signal.SIGTERM, _terminated)
    signal.signal(signal.SIGINT, _terminated)
    die_with_parent(parent, sig=signal.SIGTERM)  # before anything is started
    authkey = bytes.fromhex(sys.stdin.readline().strip())
    listener = Listener(authkey=authkey)
    sys.stdout.write(json.dumps(listener.address) + "\n")
    sys.stdout.flush()
    try:
        choice = BrowserChoice("inställning", argv[4]) if len(argv) > 4 else find_browser()
        printer: Any = PdfPrinter(
            choice, pages=pages, launch_timeout=launch_timeout, print_timeout=print_timeout
        ).__enter__()
    except GnvError as exc:
        printer = _Failed(exc)

    def accept() -> None:
        while True:
            try:
                connection = listener.accept()
            except (OSError, EOFError):
                continue  # a client that failed to authenticate; others may follow
            threading.Thread(target=_answer, args=(printer, connection), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    sys.stdin.read()  # until the build closes our standard input (or ends)
    if isinstance(printer, PdfPrinter):
        printer.__exit__(None, None, None)
    with contextlib.suppress(OSError):
        listener.close()
    sys.stdout.flush()
    end_descendants()  # whatever a close that timed out left behind
    os._exit(0)


def _terminated(signum: int, frame: Any) -> None:
    """The build has ended (or asks us to): end the browser now, then us."""
    end_descendants()
    os._exit(128 + signum)


class _Failed:
    """A printer that could not be made: every request gets the same Swedish message."""

    def __init__(self, error: GnvError) -> None:
        self._error = error

    @property
    def version(self) -> str:
        raise self._error

    def print(self, page_html: str, title: str) -> bytes:
        raise self._error


if __name__ == "__main__":
    main(sys.argv[1:])
