"""Processes that end with the one that started them, even when it is killed with ``kill -9``.

A build forks workers, each worker forks a process per report, and a print service starts a
browser. None of them may outlive the build: a copy of a build that goes on writing files after
the user stopped it is worse than no build. ``die_with_parent`` is called first thing in every
such child:

- on Linux, ``prctl(PR_SET_PDEATHSIG)`` has the kernel signal the child the moment its parent
  ends (``SIGKILL`` by default; a process that must clean up first, such as the print service
  with its browser, asks for ``SIGTERM`` and handles it);
- elsewhere (macOS), a daemon thread polls the parent's pid twice a second and ends the child
  when it changes.

Both check once, right away, that the parent is still the one expected: a parent that died
between ``fork`` and the call would otherwise leave an orphan nobody signals.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.5


def _prctl_pdeathsig(sig: int) -> bool:
    """Ask the kernel for ``sig`` when the parent ends; False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _end(sig: int) -> None:
    """End this process now, as the signal would (no clean-up of the parent's state)."""
    if sig == signal.SIGKILL:
        os._exit(137)
    with contextlib.suppress(OSError):
        os.kill(os.getpid(), sig)
    time.sleep(2)  # the handler cleans up; if it returns or hangs, leave anyway
    os._exit(128 + int(sig))


def die_with_parent(parent: int | None = None, sig: int = signal.SIGKILL) -> None:
    """Make this (child) process end when ``parent`` (default: its current parent) ends."""
    expected = parent if parent is not None else os.getppid()
    if not _prctl_pdeathsig(sig):

        def watch() -> None:
            while os.getppid() == expected:
                time.sleep(POLL_SECONDS)
            _end(sig)

        threading.Thread(target=watch, name="gnv-parent-watch", daemon=True).start()
    if os.getppid() != expected:  # the parent died before the kernel was asked
        _end(sig)


__all__ = ["die_with_parent"]
