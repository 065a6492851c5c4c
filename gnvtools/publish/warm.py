"""Running a report warm: no kernel start, no repeated imports (see ``engine.WarmEngine``).

Starting a Jupyter kernel and importing pandas, matplotlib and gnvtools again costs more than
computing a report. ``WarmEngine`` (registered with papermill as ``gnvwarm`` through the
``papermill.engine`` entry point) forks the process it runs in, which has those modules
imported already, and runs the notebook's code cells in the child with IPython, as the kernel
does: an ``InteractiveShell`` of ipykernel's own class (so magics, ``display``, tracebacks and
the libraries that look for a kernel behave as in JupyterLab), whose display publisher, display
hook and streams record nbformat outputs instead of sending messages. Inline matplotlib is
set up the way ipykernel sets it up: a pyplot figure left open at the end of a cell becomes a
PNG. The child sends the outputs back through a pipe and ends with ``os._exit``, whatever
happens in it, so nothing a report does (a global, a patched module, ``sys.exit``, a crash)
reaches the parent or the next report; it also ends with its parent (``lifetime``). A report
that runs longer than its timeout is killed. Where ``os.fork`` does not exist (Windows), the
plain kernel is used.

What differs from a kernel, on purpose: no profile configuration or startup files are read (a
report does not depend on the analyst's own IPython settings), no history is written, and
output written to the process's file descriptors (a C library, ``os.system``) is recorded as
stream output rather than lost. Timings (``%time``, when a stream is flushed) differ as they
would between two kernel runs.

Notebooks still run through papermill (parameters injected, outputs recorded); JupyterLab and
plain papermill use the normal kernel. The engine the command line chose (``Running.engine``)
can make gnv use it too.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import os
import select
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any, NoReturn

DEFAULT_TIMEOUT = 600.0
FLUSH_INTERVAL = 0.2  # ipykernel's OutStream sends what was written at most this late
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
KERNEL_DATAFRAME_COLUMNS = 20  # pandas' display.max_columns when imported in a kernel
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT}


def warm_available() -> bool:
    return hasattr(os, "fork")  # whether to use it is the caller's choice (Running.engine)


def prepare() -> None:
    """Import, before forking, what the child needs to run cells (done once per process)."""
    import bdb  # noqa: F401

    import ipykernel.compiler
    import ipykernel.zmqshell  # noqa: F401
    import IPython.core.application
    import IPython.core.completer
    import IPython.core.completerlib
    import IPython.core.crashhandler
    import IPython.core.logger
    import IPython.core.oinspect  # noqa: F401
    import jupyter_client.session  # noqa: F401
    import nbformat.v4
    from matplotlib import _api, rcsetup

    with _api.suppress_matplotlib_deprecation_warning():
        import matplotlib.style.core  # noqa: F401
    rcsetup.validate_backend(INLINE_BACKEND)  # reads matplotlib's backend entry points once

    # nbformat's validator, compiled once (papermill compiles it anyway when it reads a notebook)
    nbformat.v4.new_output("stream", text="")  # type: ignore[no-untyped-call]


class _Recorder:
    """The outputs of a notebook run, kept as nbclient keeps them from the kernel's messages.

    Streams are buffered per name and sent, stdout first, before any other output, at the end
    of a cell, on ``flush()`` and when a buffer is older than ipykernel's flush interval, so a
    cell's prints become stream outputs as they do from ``ipykernel.iostream.OutStream``.
    Output written to file descriptors 1 and 2 is read from the files they point to.
    """

    def __init__(self, descriptors: dict[str, IO[bytes]]) -> None:
        from jupyter_client.session import json_packer, json_unpacker
        from nbformat.v4 import output_from_msg

        self._pack: Callable[[Any], bytes] = json_packer
        self._unpack: Callable[[bytes], Any] = json_unpacker
        self._output_from_msg: Callable[[dict[str, Any]], dict[str, Any]] = output_from_msg
        self.cells: list[list[dict[str, Any]]] = []
        self._buffers: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self._since: dict[str, float] = {}
        self._files = descriptors
        self._read = dict.fromkeys(descriptors, 0)
        self._decoders = {
            name: codecs.getincrementaldecoder("utf-8")("replace") for name in descriptors
        }
        self._display_ids: dict[str, dict[int, list[int]]] = {}
        self._clear_before_next = False

    def start_cell(self) -> None:
        self.cells.append([])

    def write(self, name: str, text: str) -> None:
        if not text:
            return
        now = time.monotonic()
        for other in sorted(self._since, key=self._since.__getitem__):
            if now - self._since[other] >= FLUSH_INTERVAL:
                self.flush(other)
        self._buffers[name].append(text)
        self._since.setdefault(name, now)

    def flush(self, name: str) -> None:
        descriptor = self._files.get(name)
        if descriptor is not None:  # what was written to the file descriptor meanwhile
            data = os.pread(descriptor.fileno(), 1 << 24, self._read[name])
            while data:
                self._read[name] += len(data)
                self._buffers[name].append(self._decoders[name].decode(data))
                data = os.pread(descriptor.fileno(), 1 << 24, self._read[name])
        self._since.pop(name, None)
        text = "".join(self._buffers[name])
        self._buffers[name].clear()
        if text:
            self.message("stream", {"name": name, "text": text})

    def flush_streams(self) -> None:
        self.flush("stdout")
        self.flush("stderr")

    def message(self, msg_type: str, content: dict[str, Any]) -> None:
        """Record one IOPub message as nbclient does (``NotebookClient.process_message``)."""
        if not self.cells:  # written while the shell started: a kernel's log, not a cell's
            return
        content = self._unpack(self._pack(content))  # as the kernel's session sends it
        outputs = self.cells[-1]
        if msg_type == "clear_output":
            if content.get("wait"):
                self._clear_before_next = True
            else:
                self._clear(outputs)
            return
        display_id = (content.get("transient") or {}).get("display_id")
        if display_id and msg_type in ("execute_result", "display_data", "update_display_data"):
            self._update_display(display_id, content)
        if msg_type == "update_display_data":
            return
        output = self._output_from_msg({"header": {"msg_type": msg_type}, "content": content})
        if self._clear_before_next:
            self._clear(outputs)
            self._clear_before_next = False
        if display_id:
            cell = self._display_ids.setdefault(display_id, {})
            cell.setdefault(len(self.cells) - 1, []).append(len(outputs))
        outputs.append(output)

    def _clear(self, outputs: list[dict[str, Any]]) -> None:
        outputs.clear()
        for cells in self._display_ids.values():
            cells.pop(len(self.cells) - 1, None)

    def _update_display(self, display_id: str, content: dict[str, Any]) -> None:
        if display_id not in self._display_ids:
            return
        shown = self._output_from_msg({"header": {"msg_type": "display_data"}, "content": content})
        for cell, indices in self._display_ids[display_id].items():
            for index in indices:
                self.cells[cell][index]["data"] = shown["data"]
                self.cells[cell][index]["metadata"] = shown["metadata"]


class _Stream(io.TextIOBase):
    """``sys.stdout``/``sys.stderr`` in the child: text goes to the recorder, as a stream."""

    def __init__(self, name: str, recorder: _Recorder, descriptor: int) -> None:
        self.name = name  # as ipykernel's OutStream
        self._recorder = recorder
        self._descriptor = descriptor

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "UTF-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._recorder.write(self.name, text)
        return len(text)

    def flush(self) -> None:
        self._recorder.flush(self.name)

    def fileno(self) -> int:
        return self._descriptor  # redirected to a file the recorder reads

    def isatty(self) -> bool:
        return False


def _shell(recorder: _Recorder) -> Any:
    """ipykernel's shell class with its messages recorded instead of sent."""
    from ipykernel.compiler import XCachingCompiler
    from ipykernel.zmqshell import ZMQInteractiveShell
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class Publisher(DisplayPublisher):  # ipykernel's ZMQDisplayPublisher, recorded
        def publish(  # type: ignore[override]
            self,
            data: dict[str, Any],
            metadata: dict[str, Any] | None = None,
            *,
            transient: dict[str, Any] | None = None,
            update: bool = False,
            **_: Any,
        ) -> None:
            recorder.flush_streams()
            metadata = {} if metadata is None else metadata
            self._validate_data(data, metadata)  # type: ignore[no-untyped-call]
            content = {"data": data, "metadata": metadata, "transient": transient or {}}
            recorder.message("update_display_data" if update else "display_data", content)

        def clear_output(self, wait: bool = False) -> None:
            recorder.flush_streams()
            recorder.message("clear_output", {"wait": wait})

    class Hook(DisplayHook):  # ipykernel's ZMQShellDisplayHook, recorded
        content: dict[str, Any] | None = None

        def start_displayhook(self) -> None:
            self.content = {"data": {}, "metadata": {}}

        def write_output_prompt(self) -> None:
            if self.content is not None:
                self.content["execution_count"] = self.prompt_count

        def write_format_data(
            self, format_dict: dict[str, Any], md_dict: dict[str, Any] | None = None
        ) -> None:
            if self.content is not None:
                self.content["data"] = format_dict
                self.content["metadata"] = md_dict

        def finish_displayhook(self) -> None:
            recorder.flush_streams()
            if self.content is not None and self.content["data"]:
                recorder.message("execute_result", self.content)
            self.content = None

    class Kernel:  # what the shell and its exit() look at; there is no event loop to stop
        eventloop = None

    class Shell(ZMQInteractiveShell):
        """Named as ipykernel's: pandas, tqdm and others tell a kernel by the shell's class."""

        displayhook_class = Hook  # type: ignore[assignment]
        display_pub_class = Publisher  # type: ignore[assignment]

        def enable_gui(self, gui: str | None = None) -> None:
            """As ipykernel's, on this shell's kernel (``%matplotlib inline`` asks for it)."""
            from ipykernel.eventloops import enable_gui
            from IPython.core.error import UsageError

            try:
                enable_gui(gui, kernel=self.kernel)  # type: ignore[no-untyped-call]
                self.active_eventloop = gui
            except ValueError as exc:
                raise UsageError(str(exc)) from exc

        def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
            recorder.flush_streams()
            content = {"traceback": stb, "ename": str(etype.__name__), "evalue": str(evalue)}
            recorder.message("error", content)
            self._last_traceback = stb

    config = Config()
    config.HistoryManager.enabled = False  # no history database, no saving thread
    InteractiveShell.clear_instance()  # a shell of the process forked (gnv run in IPython)
    Shell.__name__ = Shell.__qualname__ = "ZMQInteractiveShell"
    return Shell.instance(config=config, kernel=Kernel(), compiler_class=XCachingCompiler)


def _rc_file_defaults(matplotlib: Any) -> None:
    """``matplotlib.rc_file_defaults()``, setting only what differs: 70 ms less per report."""
    from matplotlib import _api

    params, original = matplotlib.rcParams, matplotlib.rcParamsOrig
    with _api.suppress_matplotlib_deprecation_warning():
        from matplotlib.style.core import STYLE_BLACKLIST  # where rc_file_defaults finds it

        for key in original:
            if key in STYLE_BLACKLIST:
                continue
            value = original._get(key)
            try:
                same = bool(params._get(key) == value)
            except (KeyError, ValueError, TypeError):
                same = False
            if not same:
                params[key] = value  # validated, as rc_file_defaults does


def _like_a_fresh_kernel(shell: Any) -> None:
    """Undo what the parent's imports set that a kernel's own imports would set otherwise.

    A kernel imports matplotlib with ``MPLBACKEND`` pointing at the inline backend, and pandas
    while ``get_ipython()`` is a kernel's shell; gnv imported both before forking, as a script.
    """
    import builtins
    import getpass

    from IPython.core.error import StdinNotImplementedError

    if not os.environ.get("MPLBACKEND"):  # as ipykernel's IPKernelApp.init_gui_pylab
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is not None:
        _rc_file_defaults(matplotlib)  # the style the parent's charts set, undone
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is None:  # the backend is loaded, with the shell's hooks, when first used
            matplotlib.rcParams["backend"] = os.environ["MPLBACKEND"]
        else:  # the caller had pyplot: set up now what loading the backend would have set up
            pyplot.close("all")
            if os.environ["MPLBACKEND"] == INLINE_BACKEND:
                shell.enable_matplotlib("inline")
            else:
                pyplot.switch_backend(os.environ["MPLBACKEND"])
    pandas = sys.modules.get("pandas")
    if pandas is not None and pandas.get_option("display.max_columns") == 0:
        pandas.set_option("display.max_columns", KERNEL_DATAFRAME_COLUMNS)
    if "" not in sys.path and not sys.flags.safe_path:  # as IPython's InteractiveShellApp
        sys.path.insert(0, "")

    def no_input(*_: Any, **__: Any) -> NoReturn:  # as a kernel run by papermill (no stdin)
        raise StdinNotImplementedError(
            "raw_input was called, but this frontend does not support input requests."
        )

    def no_getpass(*_: Any, **__: Any) -> NoReturn:
        raise StdinNotImplementedError(
            "getpass was called, but this frontend does not support input requests."
        )

    builtins.input = no_input
    getpass.getpass = no_getpass


def run_cells(
    sources: Sequence[str], cell_ids: Sequence[str | None] | None = None
) -> dict[str, Any]:
    """Run code cells in this process with IPython, as a kernel run by papermill does.

    Returns ``{"cells": [...], "exit": ...}``: per cell its ``execution_count``, nbformat
    ``outputs`` and whether it failed; running stops at the first failing cell, as papermill
    stops. ``exit`` names the cell that called ``exit()`` when cells followed it (a kernel
    ends there, and papermill reports a dead kernel). Replaces this process's standard
    streams, file descriptors 0-2 and its IPython shell: call it in a child that then exits.
    """
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    files: dict[str, IO[bytes]] = {  # the child's, until it exits
        "stdout": tempfile.TemporaryFile(),  # noqa: SIM115
        "stderr": tempfile.TemporaryFile(),  # noqa: SIM115
    }
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(files["stdout"].fileno(), 1)
    os.dup2(files["stderr"].fileno(), 2)
    recorder = _Recorder(files)
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 (the child's, until it exits)
    sys.stdout = _Stream("stdout", recorder, 1)
    sys.stderr = _Stream("stderr", recorder, 2)
    shell = _shell(recorder)
    _like_a_fresh_kernel(shell)  # after: the inline backend looks for the shell when loaded
    recorder.flush_streams()  # what starting the shell wrote belongs to no cell
    ids = list(cell_ids) if cell_ids is not None else [None] * len(sources)
    cells: list[dict[str, Any]] = []
    stopped: str | None = None
    for source, cell_id in zip(sources, ids, strict=True):
        recorder.start_cell()
        count = shell.execution_count
        result = shell.run_cell(source, store_history=True, silent=False, cell_id=cell_id)
        recorder.flush_streams()
        failed = not result.success
        cells.append({"execution_count": count, "outputs": recorder.cells[-1], "error": failed})
        if failed:
            break
        if shell.exit_now and len(cells) < len(sources):
            stopped = f"cell {count} avslutade kärnan med exit()"
            break
    return {"cells": cells, "exit": stopped}


def _child(
    sources: Sequence[str],
    cell_ids: Sequence[str | None] | None,
    parent: int,
    pipe: int,
    mask: Iterable[int],
) -> NoReturn:
    """The forked child: run the cells, send the result, and leave, whatever happens.

    Nothing here returns into the parent's code (which the child is a copy of): every path,
    ``SystemExit``, ``KeyboardInterrupt`` and a failing write included, ends in ``os._exit``.
    """
    code = 70
    try:
        from gnvtools.publish.lifetime import die_with_parent

        die_with_parent(parent)  # a killed worker or build takes its report with it
        with contextlib.suppress(ValueError, OSError):
            for sig in signal.valid_signals():  # no handler of the parent's runs in the child
                if callable(signal.getsignal(sig)):
                    signal.signal(sig, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a kernel: the parent stops it
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        try:
            payload = json.dumps(run_cells(sources, cell_ids)).encode("utf-8")
            code = 0
        except BaseException as exc:  # a failure of the runner itself, not of a cell
            payload = json.dumps({"crash": f"{type(exc).__name__}: {exc}"}).encode("utf-8")
            code = 1
        view = memoryview(payload)
        while view:
            view = view[os.write(pipe, view) :]
    finally:
        os._exit(code)


def _run_forked(
    sources: Sequence[str],
    timeout: float,
    cell_ids: Sequence[str | None] | None = None,
    while_running: Callable[[], None] | None = None,
) -> list[dict[str, Any]]:
    """Run ``sources`` in a forked child (see ``run_cells``); its cells' results.

    ``while_running``: work for this process while the child runs (``gnv render`` imports its
    exporters then, on the other core), done after the fork, so the child does not inherit
    it, and within the report's timeout."""
    prepare()
    parent = os.getpid()
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    # No signal handler of this process may run in the child before it has its own: blocked
    # across the fork, unblocked in the child once its handlers are set.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    pid = -1
    try:
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read_end)
                _child(sources, cell_ids, parent, write_end, mask)
            finally:
                os._exit(70)
    finally:
        if pid != 0:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            if while_running is not None:
                while_running()
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"rapporten tog mer än {timeout:.0f} sekunder och avbröts")
                ready, _, _ = select.select([pipe], [], [], min(left, 1.0))
                if ready:
                    chunk = pipe.read(1 << 20)
                    if not chunk:
                        break
                    chunks.append(chunk)
    except BaseException:  # a timeout, or this process interrupted: the child goes too
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    if not chunks:
        raise RuntimeError(f"rapportens process avslutades utan resultat (status {status})")
    result = json.loads(b"".join(chunks).decode("utf-8"))
    if "crash" in result:
        raise RuntimeError(f"rapportens process kraschade: {result['crash']}")
    if result["exit"]:
        raise RuntimeError(f"rapportens process avslutades: {result['exit']}")
    return list(result["cells"])
