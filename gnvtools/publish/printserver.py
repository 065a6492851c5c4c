"""One browser for a whole batch: a print service the build's worker processes share.

Starting Playwright's driver and a Chromium costs about half a second of processor time, and
with one browser in every worker process the browsers compete with the reports for the same
cores. ``gnv build`` with several workers therefore starts one print service, a process of its
own (``python -m gnvtools.publish.printserver``), before it imports anything else, so the
browser launches while the build gets ready. The service keeps one page per worker open and
prints on them at the same time; each worker connects to it with ``RemotePrinter``, which has
the same ``print`` and ``version`` as ``pdf.PdfPrinter``. Only the printing runs in the service:
the archival post-processing of each PDF (``archive.make_archival``) stays in the worker.

The connection is a local socket (a named pipe on Windows) from ``multiprocessing.connection``,
authenticated with a random key the service reads from its standard input. The service ends
when its standard input closes, so it never outlives the build, even one that is killed.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import threading
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from types import TracebackType
from typing import Any

from gnvtools.errors import BrowserNotFoundError, GnvError, RenderError


class PrintService:
    """The build's side: starts the service process and says how to reach it."""

    def __init__(self, pages: int, executable: str | None = None) -> None:
        self.pages = max(1, pages)
        self.executable = executable
        self.authkey = secrets.token_bytes(32)
        self.address: Any = None
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> PrintService:
        import gnvtools

        env = dict(os.environ)
        package_root = str(Path(gnvtools.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_root, env.get("PYTHONPATH", "")) if p
        )
        command = [sys.executable, "-m", "gnvtools.publish.printserver", str(self.pages)]
        if self.executable:
            command.append(self.executable)
        # Its failures come back as Swedish messages; its stderr only with GNV_DEBUG=1.
        quiet = None if os.environ.get("GNV_DEBUG") == "1" else subprocess.DEVNULL
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=quiet, env=env
        )
        stdin, stdout = self._process.stdin, self._process.stdout
        if stdin is None or stdout is None:  # never: both are pipes
            raise RenderError("utskriftstjänsten för PDF kunde inte startas")
        stdin.write(self.authkey.hex().encode("ascii") + b"\n")
        stdin.flush()
        line = stdout.readline()  # the service answers at once, before it launches the browser
        if not line:
            self.__exit__(None, None, None)
            raise RenderError("utskriftstjänsten för PDF kunde inte startas")
        answer = json.loads(line)
        self.address = tuple(answer) if isinstance(answer, list) else answer
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            if process.stdin is not None:
                process.stdin.close()  # the service closes its browser and ends
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def client(self) -> RemotePrinter:
        return RemotePrinter(self.address, self.authkey)


class RemotePrinter:
    """A worker's side: ``print`` and ``version`` as ``PdfPrinter`` has them, over the socket."""

    def __init__(self, address: Any, authkey: bytes) -> None:
        self.address = address
        self.authkey = authkey
        self._connection: Connection | None = None
        self._version: str | None = None

    def _ask(self, request: tuple[Any, ...]) -> Any:
        if self._connection is None:
            try:
                self._connection = Client(self.address, authkey=self.authkey)
            except OSError as exc:
                raise RenderError(f"utskriftstjänsten för PDF svarar inte: {exc}") from exc
        try:
            self._connection.send(request)
            status, value, kind = self._connection.recv()
        except (OSError, EOFError) as exc:
            self._connection = None
            raise RenderError("utskriftstjänsten för PDF avslutades under utskriften") from exc
        if status == "ok":
            return value
        if kind == "BrowserNotFoundError":
            raise BrowserNotFoundError(value)
        raise RenderError(value)

    def print(self, page_html: str, title: str) -> bytes:
        printed: bytes = self._ask(("print", page_html, title))
        return printed

    @property
    def version(self) -> str:
        if self._version is None:
            self._version = str(self._ask(("version",)))
        return self._version

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(OSError):
                self._connection.close()
            self._connection = None


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
            except Exception as exc:  # a browser failure: the report fails, the batch goes on
                reply = ("fel", f"utskriften misslyckades: {exc}", type(exc).__name__)
            try:
                connection.send(reply)
            except OSError:
                return


def main(argv: list[str]) -> None:
    """The service process: listen, answer at once where, launch the browser, serve, end."""
    from gnvtools.publish.pdf import BrowserChoice, PdfPrinter, find_browser

    authkey = bytes.fromhex(sys.stdin.readline().strip())
    pages = int(argv[0])
    listener = Listener(authkey=authkey)
    sys.stdout.write(json.dumps(listener.address) + "\n")
    sys.stdout.flush()
    try:
        choice = BrowserChoice("inställning", argv[1]) if len(argv) > 1 else find_browser()
        printer: Any = PdfPrinter(choice, pages=pages).__enter__()
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
    os._exit(0)


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
