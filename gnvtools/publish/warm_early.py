"""A report's process forked early: it imports what its cells need while this process goes on.

``gnv render`` runs one report in a process that has imported only what checking the
parameters needed. Forking the report's process at the last moment (``warm._run_forked``)
would mean importing IPython, matplotlib and the report's module here first, one after the
other with papermill and the exporters, on one core. ``EarlyChild`` forks right after the
parameters are checked instead: the child imports what the report's cells use while this
process imports papermill and prepares the notebook, on the other core; papermill's engine
(``engine.WarmEngine``) then hands the cells to the waiting child (``take``) rather than
forking one. A build, whose workers have imported everything once, forks as before.

The child is the same kind of process as ``warm``'s: it ends with this one (``lifetime``),
runs the cells with ``warm.run_cells`` in the folder papermill ran it from, and leaves with
``os._exit``. A child that is never given cells (the report failed before it ran) is ended by
``close``.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn

from gnvtools.publish.warm import _child, _read_child, _results, fork_child

_PENDING: EarlyChild | None = None  # the child waiting for this process's next report


class EarlyChild:
    """A forked process that runs ``prepare`` (imports), then waits for the cells to run."""

    def __init__(self, prepare: Callable[[], None]) -> None:
        parent = os.getpid()
        cells_read, self._cells = os.pipe()
        self._results, results_write = os.pipe()

        def child(mask: Any) -> NoReturn:
            os.close(self._cells)
            os.close(self._results)
            _wait_for_cells(prepare, parent, cells_read, results_write, mask)

        self.pid = fork_child(child)
        os.close(cells_read)
        os.close(results_write)
        self._used = False

    def run(
        self,
        sources: Sequence[str],
        timeout: float,
        cell_ids: Sequence[str | None] | None = None,
        while_running: Callable[[], None] | None = None,
    ) -> list[dict[str, Any]]:
        """Run ``sources`` in the child, in this process's current folder (as ``_run_forked``)."""
        self._used = True
        request = {"sources": list(sources), "ids": cell_ids, "cwd": os.getcwd()}
        data = json.dumps(request).encode("utf-8")
        try:
            # Its length first: a process forked from this one meanwhile (a print service)
            # may hold the pipe's write end too, so the child cannot wait for its end.
            with os.fdopen(self._cells, "wb") as pipe:
                pipe.write(len(data).to_bytes(8, "big") + data)
        except BrokenPipeError:
            pass  # the child is gone: reading its results says so
        chunks = _read_child(self.pid, self._results, timeout, while_running)
        _, status = os.waitpid(self.pid, 0)
        return _results(chunks, status)

    def close(self) -> None:
        """End a child that was never given cells; nothing to do for one that ran them."""
        if self._used:
            return
        self._used = True
        for end in (self._cells, self._results):
            with contextlib.suppress(OSError):
                os.close(end)
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _wait_for_cells(
    prepare: Callable[[], None], parent: int, cells: int, results: int, mask: Any
) -> NoReturn:
    """The child: import, wait for the cells (none: leave), run them (``warm._child``)."""
    from gnvtools.publish.lifetime import die_with_parent

    die_with_parent(parent)
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a kernel: the parent stops it
    gc.disable()  # importing makes many objects and no garbage: no collection meanwhile
    with contextlib.suppress(BaseException):
        prepare()  # a failing import fails again, and is reported, in the cell that needs it
    gc.freeze()  # what was imported is kept for good: later collections need not walk it
    gc.enable()
    with os.fdopen(cells, "rb") as pipe:
        size = int.from_bytes(_read_exactly(pipe, 8), "big")
        request = json.loads(_read_exactly(pipe, size).decode("utf-8"))
    os.chdir(request["cwd"])
    _child(request["sources"], request["ids"], parent, results, mask)


def _read_exactly(pipe: Any, size: int) -> bytes:
    """``size`` bytes from ``pipe``; the child leaves when the pipe ends first (no cells)."""
    data = b""
    while len(data) < size:
        chunk = pipe.read(size - len(data))
        if not chunk:
            os._exit(0)
        data += chunk
    return data


@contextlib.contextmanager
def early_child(prepare: Callable[[], None]) -> Iterator[EarlyChild]:
    """Fork an ``EarlyChild`` for this process's next report (``take``); end it if unused."""
    global _PENDING
    child = EarlyChild(prepare)
    _PENDING = child
    try:
        yield child
    finally:
        _PENDING = None
        child.close()


def take() -> EarlyChild | None:
    """The early child waiting for a report's cells, once (the engine's next run forks)."""
    global _PENDING
    child, _PENDING = _PENDING, None
    return child


def pending() -> bool:
    """Whether a report's process is already importing (the engine need not import first)."""
    return _PENDING is not None
