"""A small client of Chromium's DevTools protocol over a pipe (``--remote-debugging-pipe``).

The browser reads NUL-terminated JSON messages on its file descriptor 3 and writes answers and
events on 4 (``cdp_launch`` starts it so). ``Browser.call`` sends a command and waits for its
answer, bounded, and events go to the handler of their session (``Target.attachToTarget`` with
``flatten``: the pages share the one pipe).

One thread reads the pipe. When the browser ends or closes it, every call still waiting fails
at once (``BrowserGone``), and every later one. The browser ends when its pipe closes, as the
kernel does when our process ends, ``kill -9`` included (forked children let go of it). The
errors are English, for ``pdf_pages`` to turn into a Swedish message (and for ``--debug``).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import select
import shutil
import signal
import subprocess
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

Handler = Callable[[str, dict[str, Any]], None]  # (method, params) of an event


_OPEN: weakref.WeakSet[Browser] = weakref.WeakSet()  # browsers whose pipe this process holds


def _forget_after_fork() -> None:
    """In a forked child: let go of every browser's pipe (no lock taken: another thread may
    have held it at the fork). A child that kept it would keep the browser alive after us."""
    for browser in list(_OPEN):
        browser.gone = True
        for fd in (browser._write_fd, browser._read_fd):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        browser._write_fd = browser._read_fd = -1
    _OPEN.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


class CdpError(Exception):
    """The browser answered a command with an error, or a page it concerned went away."""


class BrowserGone(CdpError):
    """The browser has ended or closed its pipe."""


class CallTimeout(CdpError):
    """No answer in time."""


class _Waiting:  # a call waiting for its answer
    __slots__ = ("answer", "done", "error", "session")

    def __init__(self, session: str) -> None:
        self.session = session
        self.done = threading.Event()
        self.answer: dict[str, Any] | None = None
        self.error: CdpError | None = None


class Browser:
    """A running browser and its pipe: ``call``, ``send``, handlers for sessions, ``close``."""

    def __init__(self, process: subprocess.Popen[bytes], write_fd: int, read_fd: int) -> None:
        self.process = process
        self.profile = ""  # the temporary profile folder, removed at ``close``
        self._write_fd = write_fd
        self._read_fd = read_fd
        os.set_blocking(write_fd, False)  # a browser that stops reading cannot hold us
        self._ids = itertools.count(1)
        self._lock = threading.Lock()  # the waiting calls and the handlers
        self._writing = threading.RLock()  # held to write, and to close the pipe
        self._waiting: dict[int, _Waiting] = {}
        self._handlers: dict[str, Handler] = {}
        self.gone = False
        _OPEN.add(self)
        self._reader = threading.Thread(target=self._read, name="gnv-cdp", daemon=True)
        self._reader.start()

    @property
    def alive(self) -> bool:
        return not self.gone

    def on(self, session: str, handler: Handler | None) -> None:
        """Send ``session``'s events ("" for the browser's own) to ``handler`` (None: nowhere).
        Handlers run on the reading thread: they must not wait for the browser."""
        with self._lock:
            if handler is None:
                self._handlers.pop(session, None)
            else:
                self._handlers[session] = handler

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> int:
        """Send a command without waiting for its answer (which is then ignored)."""
        number = next(self._ids)
        self._write(number, method, params, session, time.monotonic() + 5)
        return number

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str = "",
        *,
        timeout: float,
    ) -> dict[str, Any]:
        """Send a command and wait at most ``timeout`` seconds for its result."""
        deadline = time.monotonic() + max(timeout, 0.001)
        number = next(self._ids)
        waiting = _Waiting(session)
        with self._lock:
            if self.gone:
                raise BrowserGone("the browser has ended")
            self._waiting[number] = waiting
        try:
            self._write(number, method, params, session, deadline)
            if not waiting.done.wait(max(deadline - time.monotonic(), 0)):
                raise CallTimeout(f"{method}: no answer within {timeout:g} s")
        finally:
            with self._lock:
                self._waiting.pop(number, None)
        if waiting.error is not None:
            raise waiting.error
        answer = waiting.answer or {}
        if "error" in answer:
            raise CdpError(f"{method}: {answer['error'].get('message', answer['error'])}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    def fail_session(self, session: str, error: CdpError) -> None:
        """Every call waiting on ``session`` fails with ``error`` (its page crashed or closed)."""
        with self._lock:
            for waiting in self._waiting.values():
                if waiting.session == session and not waiting.done.is_set():
                    waiting.error = error
                    waiting.done.set()

    def _write(self, number: int, method: str, params: Any, session: str, deadline: float) -> None:
        message: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = memoryview(json.dumps(message).encode("utf-8") + b"\0")
        if not self._writing.acquire(timeout=max(deadline - time.monotonic(), 0)):
            raise CallTimeout(f"{method}: the pipe is busy")
        try:
            while data:
                if self.gone or self._write_fd < 0:
                    raise BrowserGone("the browser has ended")
                left = deadline - time.monotonic()
                if left <= 0:  # the message is cut: nothing more can be said on this pipe
                    self._end()
                    raise CallTimeout(f"{method}: the browser does not read its pipe")
                try:
                    _, ready, _ = select.select([], [self._write_fd], [], min(left, 0.5))
                    if ready:
                        data = data[os.write(self._write_fd, data) :]
                except BlockingIOError:
                    continue
                except (OSError, ValueError) as exc:
                    self._end()
                    raise BrowserGone(f"the pipe is closed ({exc})") from None
        finally:
            self._writing.release()

    def _read(self) -> None:
        parts: list[bytes] = []  # of a message not yet whole (a PDF's part spans many reads)
        try:
            while chunk := os.read(self._read_fd, 1 << 20):
                start = 0
                while (end := chunk.find(b"\0", start)) >= 0:
                    parts.append(chunk[start:end])
                    self._dispatch(json.loads(b"".join(parts)))
                    parts.clear()
                    start = end + 1
                if start < len(chunk):
                    parts.append(chunk[start:])
        except (OSError, ValueError):
            pass
        finally:
            self._end()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)  # reap it: no zombie stays behind

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "id" in message:
            with self._lock:
                waiting = self._waiting.get(message["id"])
            if waiting is not None and not waiting.done.is_set():
                waiting.answer = message
                waiting.done.set()
            return
        method, params = message.get("method", ""), message.get("params", {})
        session = message.get("sessionId", "")
        if method == "Target.detachedFromTarget":  # a page's session has ended
            self.fail_session(params.get("sessionId", ""), CdpError("the page has closed"))
            session = params.get("sessionId", "")
        with self._lock:
            handler = self._handlers.get(session)
        if handler is not None:
            handler(method, params)

    def _end(self) -> None:
        """The browser is gone: every waiting call fails now, later ones at once."""
        with self._lock:
            self.gone = True
            waiting, self._waiting = list(self._waiting.values()), {}
            handlers = list(self._handlers.values())
        for one in waiting:
            one.error = BrowserGone("the browser has ended")
            one.done.set()
        for handler in handlers:
            with contextlib.suppress(Exception):
                handler("gnv.browserGone", {})
        with self._writing:  # a writer sees ``gone`` within half a second and lets go
            if self._write_fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(self._write_fd)  # the browser ends when its pipe closes
                self._write_fd = -1

    def close(self, timeout: float) -> None:
        """End the browser now: its pipe closed and its process group killed (its renderers
        too; a graceful exit would only cost time: the profile is a temporary one, removed
        here), waiting at most ``timeout`` seconds for it to be reaped."""
        self._end()
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=timeout)
        self._reader.join(timeout=timeout)
        _OPEN.discard(self)
        if self._read_fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self._read_fd)
            self._read_fd = -1
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)
