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
that runs longer than its timeout is killed (this module: the parent's fork, pipe and timeout,
and the child's run of the cells; the child's shell is in ``warm_shell``, what it records in
``warm_record``). Where ``os.fork`` does not exist (Windows), the
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

import contextlib
import json
import os
import select
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any, NoReturn

from gnvtools.publish.warm_record import FLUSH_INTERVAL, _Recorder, _Stream
from gnvtools.publish.warm_shell import (
    INLINE_BACKEND,
    KERNEL_DATAFRAME_COLUMNS,
    _classes,
    _like_a_fresh_kernel,
    _shell,
)

__all__ = [  # this module's own names and those imported from here
    "DEFAULT_TIMEOUT",
    "FLUSH_INTERVAL",
    "INLINE_BACKEND",
    "KERNEL_DATAFRAME_COLUMNS",
    "STOP_SIGNALS",
    "prepare",
    "run_cells",
    "warm_available",
]

DEFAULT_TIMEOUT = 600.0
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

    if "matplotlib" in sys.modules:  # the reports draw without it; a notebook of one's own may
        from matplotlib import _api, rcsetup

        with _api.suppress_matplotlib_deprecation_warning():
            import matplotlib.style.core  # noqa: F401
        rcsetup.validate_backend(INLINE_BACKEND)  # reads matplotlib's backend entry points once

    # nbformat's validator, compiled once (papermill compiles it anyway when it reads a notebook)
    nbformat.v4.new_output("stream", text="")  # type: ignore[no-untyped-call]
    _classes()  # the recorded shell's classes, made once for every child forked from here


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

    def child(mask: Any) -> NoReturn:
        os.close(read_end)
        _child(sources, cell_ids, parent, write_end, mask)

    pid = fork_child(child)
    os.close(write_end)
    chunks = _read_child(pid, read_end, timeout, while_running)
    _, status = os.waitpid(pid, 0)
    return _results(chunks, status)


def fork_child(main: Callable[[Any], NoReturn]) -> int:
    """Fork; the child runs ``main(mask)`` and never returns into this process's code (any
    way out of it ends in ``os._exit``). No signal handler of this process may run in the
    child before it has its own: the stop signals are blocked across the fork, and ``main``
    gets the mask to restore once its handlers are set."""
    sys.stdout.flush()
    sys.stderr.flush()
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    pid = -1
    try:
        pid = os.fork()
        if pid == 0:
            try:
                main(mask)
            finally:
                os._exit(70)
    finally:
        if pid != 0:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    return pid


def _results(chunks: list[bytes], status: int) -> list[dict[str, Any]]:
    """The cells' results a child sent (``chunks``), or its crash or early exit as an error."""
    if not chunks:
        raise RuntimeError(f"rapportens process avslutades utan resultat (status {status})")
    result = json.loads(b"".join(chunks).decode("utf-8"))
    if "crash" in result:
        raise RuntimeError(f"rapportens process kraschade: {result['crash']}")
    if result["exit"]:
        raise RuntimeError(f"rapportens process avslutades: {result['exit']}")
    return list(result["cells"])


def _read_child(
    pid: int, read_end: int, timeout: float, while_running: Callable[[], None] | None
) -> list[bytes]:
    """What the child ``pid`` sends through ``read_end`` until it closes its end, within
    ``timeout``; a timeout or an interruption of this process kills the child first."""
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
    return chunks
