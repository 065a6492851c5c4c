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
authenticated with a random key the service reads from its standard input.

The service never outlives the build. It ends when its standard input closes (the build's way
of saying it is done), and also when the build process ends in any other way, ``kill -9``
included: it asks for ``SIGTERM`` at its parent's death (``lifetime.die_with_parent``), since
the pipe alone is not enough (the build's forked workers hold copies of it). On ``SIGTERM``,
and again on its way out, it kills everything it started: Playwright's node driver, Chromium
(which Playwright puts in a process group of its own) and Chromium's renderers. The service
runs in a session of its own, so a Ctrl-C at the terminal reaches the build, which then ends
the service, rather than the service half-way through a print.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from types import TracebackType
from typing import Any

from gnvtools.errors import BrowserFailedError, BrowserNotFoundError, GnvError, RenderError
from gnvtools.publish.running import Running


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
    else is imported, so the browser and Playwright's driver launch on the other core instead
    of taking turns with the report in this process (as ``pdf.PdfPrinter``'s thread would). It
    has ``print`` and ``version``; the first one connects. The browser is found here, as
    ``PdfPrinter`` finds it, so a missing one is the same message."""

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
            except Exception:  # never Playwright's English: the PDF fails, the batch goes on
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
    """The build has ended (or asks us to): end the browser and its driver now, then us."""
    end_descendants()
    os._exit(128 + signum)


def end_descendants(root: int | None = None) -> None:
    """Kill every process below ``root`` (default: this one), however deep and whatever its
    process group: stopped first, so none can start another or be reparented out of reach
    while the tree is read, then killed."""
    if not hasattr(signal, "SIGSTOP"):  # Windows: Playwright ends its browser with its driver
        return
    root = os.getpid() if root is None else root
    stopped: set[int] = set()
    for _ in range(10):  # a few rounds: a process may have forked before it was stopped
        new = [pid for pid in _descendants(root) if pid not in stopped]
        if not new:
            break
        for pid in new:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGSTOP)
        stopped.update(new)
    for pid in stopped:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _descendants(root: int) -> list[int]:
    """The pids below ``root``, from ``/proc`` on Linux, else from ``ps``."""
    children: dict[int, list[int]] = {}
    for pid, ppid in _parents():
        children.setdefault(ppid, []).append(pid)
    found: list[int] = []
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found and child != root:
                found.append(child)
                todo.append(child)
    return found


def _parents() -> list[tuple[int, int]]:
    """(pid, parent pid) of every process this user can see."""
    pairs: list[tuple[int, int]] = []
    if os.path.isdir("/proc/self"):
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat", "rb") as stat:
                    text = stat.read()
            except OSError:  # it has ended meanwhile
                continue
            fields = text[text.rfind(b")") + 2 :].split()  # after the command name
            if len(fields) > 1:
                pairs.append((int(name), int(fields[1])))
        return pairs
    try:
        listing = subprocess.run(
            ["ps", "-A", "-o", "pid=,ppid="], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return pairs
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
            pairs.append((int(parts[0]), int(parts[1])))
    return pairs


_ERRORS: dict[str, type[GnvError]] = {
    cls.__name__: cls for cls in (BrowserFailedError, BrowserNotFoundError, RenderError)
}
CLOSE_WAIT = 40  # seconds for the service to close its browser once the build is done


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
