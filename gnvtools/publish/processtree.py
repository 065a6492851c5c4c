"""The processes below one: found from ``/proc`` (or ``ps``) and killed, stopped first so that
none escapes (the print service ends its browser and the browser's renderers with it)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess


def end_descendants(root: int | None = None) -> None:
    """Kill every process below ``root`` (default: this one), however deep and whatever its
    process group: stopped first, so none can start another or be reparented out of reach
    while the tree is read, then killed."""
    if not hasattr(signal, "SIGSTOP"):  # Windows: no print service there (cdp_launch)
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
