"""The print service's clients: ``PrintService`` starts the service process
(``python -m gnvtools.publish.printserver``) for a build and ends it, ``OwnService`` is one
``gnv render``'s own, and ``RemotePrinter`` is a worker's connection to it, with the same
``print`` and ``version`` as ``pdf.PdfPrinter``."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
from multiprocessing.connection import Client, Connection
from pathlib import Path
from types import TracebackType
from typing import Any

from gnvtools.errors import BrowserFailedError, BrowserNotFoundError, GnvError, RenderError
from gnvtools.publish.running import Running

_ERRORS: dict[str, type[GnvError]] = {
    cls.__name__: cls for cls in (BrowserFailedError, BrowserNotFoundError, RenderError)
}
CLOSE_WAIT = 40  # seconds for the service to close its browser once the build is done


class PrintService:
    """The build's side: starts the service process and says how to reach it.

    Enter it in the thread that lives as long as the build (its main thread): on Linux the
    parent-death signal follows the thread that started the service, not the whole process.
    """

    def __init__(
        self,
        pages: int,
        executable: str | None = None,
        *,
        launch_timeout: float | None = None,
        print_timeout: float | None = None,
        debug: bool = False,
    ) -> None:
        self.pages = max(1, pages)
        self.executable = executable  # None: the service looks for one itself
        self.launch_timeout = launch_timeout  # None: 30 s
        self.print_timeout = print_timeout  # None: pdf.PRINT_TIMEOUT
        self.debug = debug
        self.authkey = secrets.token_bytes(32)
        self.address: Any = None
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> PrintService:
        self.start()
        self.connect()
        return self

    def start(self) -> None:
        """Start the service process and hand it its key; ``connect`` reads where it listens
        (``gnv render`` starts it first of all and connects only when it prints)."""
        import gnvtools

        env = dict(os.environ)
        package_root = str(Path(gnvtools.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_root, env.get("PYTHONPATH", "")) if p
        )
        command = [
            sys.executable,
            "-m",
            "gnvtools.publish.printserver",
            str(self.pages),
            str(os.getpid()),  # the parent it must not outlive
            "-" if self.launch_timeout is None else repr(self.launch_timeout),
            "-" if self.print_timeout is None else repr(self.print_timeout),
        ]
        if self.executable:
            command.append(self.executable)
        # Its failures come back as Swedish messages; its stderr only with ``debug``.
        quiet = None if self.debug else subprocess.DEVNULL
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=quiet,
            env=env,
            start_new_session=True,
        )
        stdin, stdout = self._process.stdin, self._process.stdout
        if stdin is None or stdout is None:  # never: both are pipes
            raise RenderError("utskriftstjänsten för PDF kunde inte startas")
        stdin.write(self.authkey.hex().encode("ascii") + b"\n")
        stdin.flush()

    def connect(self) -> None:
        """Where the service listens (it answers at once, before it launches the browser)."""
        if self.address is not None:
            return
        stdout = self._process.stdout if self._process is not None else None
        line = stdout.readline() if stdout is not None else b""
        if not line:
            self.__exit__(None, None, None)
            raise RenderError("utskriftstjänsten för PDF kunde inte startas")
        answer = json.loads(line)
        self.address = tuple(answer) if isinstance(answer, list) else answer

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
            process.wait(timeout=CLOSE_WAIT)
        except subprocess.TimeoutExpired:
            # It kills what it started on SIGTERM; SIGKILL to its group only as a last resort.
            with contextlib.suppress(OSError):
                process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(OSError, AttributeError):  # no process groups: Windows
                    os.killpg(process.pid, signal.SIGKILL)
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def client(self) -> RemotePrinter:
        self.connect()
        return RemotePrinter(self.address, self.authkey, launch_timeout=self.launch_timeout)


class OwnService:
    """The printer of one ``gnv render``: a print service of its own, started before anything
    else is imported, so the browser launches and warms up on the other core while the report
    runs here, and no thread of this process speaks to it. It has ``print`` and ``version``;
    the first one connects. The browser is found here, as ``PdfPrinter`` finds it, so a missing
    one is the same message."""

    def __init__(self, running: Running) -> None:
        from gnvtools.publish.pdf import find_browser, launch_seconds

        choice = find_browser(running)  # BrowserNotFoundError: no PDF, the rest is written
        self.service = PrintService(
            1, choice.executable, launch_timeout=launch_seconds(running), debug=running.debug
        )
        self.service.start()
        self._client: RemotePrinter | None = None

    def _printer(self) -> RemotePrinter:
        if self._client is None:
            try:
                self._client = self.service.client()
            except RenderError as exc:  # only the PDF is lost
                raise BrowserFailedError(f"{exc.message}; PDF skapas inte") from exc
        return self._client

    def print(self, page_html: str, title: str) -> bytes:
        return self._printer().print(page_html, title)

    @property
    def version(self) -> str:
        return self._printer().version

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        self.service.__exit__(None, None, None)


class RemotePrinter:
    """A worker's side: ``print`` and ``version`` as ``PdfPrinter`` has them, over the socket.

    A service that is gone or does not answer in time is a ``BrowserFailedError``: the report
    loses its PDF and keeps its other formats.
    """

    def __init__(
        self,
        address: Any,
        authkey: bytes,
        timeout: float | None = None,
        *,
        launch_timeout: float | None = None,
    ) -> None:
        from gnvtools.publish.pdf import CLOSE_TIMEOUT, LAUNCH_TIMEOUT, PRINT_TIMEOUT

        self.address = address
        self.authkey = authkey
        launch = launch_timeout if launch_timeout is not None else LAUNCH_TIMEOUT
        # The first answer may wait for the launch; the service bounds each print itself.
        self.timeout = timeout or launch + 2 * PRINT_TIMEOUT + 4 * CLOSE_TIMEOUT
        self._connection: Connection | None = None
        self._version: str | None = None

    def _ask(self, request: tuple[Any, ...]) -> Any:
        if self._connection is None:
            try:
                self._connection = Client(self.address, authkey=self.authkey)
            except (OSError, EOFError) as exc:
                raise BrowserFailedError(
                    "utskriftstjänsten för PDF svarar inte; PDF skapas inte"
                ) from exc
        connection = self._connection
        try:
            connection.send(request)
            if not connection.poll(self.timeout):
                raise TimeoutError
            status, value, kind = connection.recv()
        except TimeoutError as exc:
            self.close()  # a late answer must not be taken for the next request's
            raise BrowserFailedError(
                f"utskriftstjänsten för PDF svarade inte inom {self.timeout:g} s; PDF skapas inte"
            ) from exc
        except (OSError, EOFError, ValueError) as exc:
            self.close()
            raise BrowserFailedError(
                "utskriftstjänsten för PDF avslutades under utskriften; PDF skapas inte"
            ) from exc
        if status == "ok":
            return value
        raise _ERRORS.get(kind, RenderError)(value)

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
