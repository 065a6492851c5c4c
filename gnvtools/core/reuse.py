"""Read once: what this process has already read, reused while its files are unchanged.

``gnv render`` checks a report's parameters before the notebook runs, and the notebook then
loads them again, in a child forked from the same process (``publish.warm``) that inherits
this process's memory. Each loader here keeps what it read (the parsed YAML, a table, a built
plan, an allocation) with a **stamp** of every file it read: size, modification time (ns),
change time, inode and device, taken *before* the file was read. A later load of the same file
returns the kept value only when every stamp still matches the file on disk; anything else (a
file edited, replaced, removed, or changed while it was being read) reads it afresh. A kernel
started by JupyterLab or plain papermill has an empty cache and simply reads.

Loaders nest (a plan reads its YAML and its tables): ``recording`` collects the stamps of every
file read, or reused, inside it, so the plan's entry depends on exactly the files it rests on.
The caches are bounded (oldest out first), so a long batch does not keep every report.
Values are shared, not copied: callers treat what they get as read-only.
"""

from __future__ import annotations

import contextlib
import os
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Iterator
from pathlib import Path
from typing import Any

Stamp = tuple[int, int, int, int, int]
Files = tuple[tuple[str, Stamp | None], ...]

_recordings: list[list[tuple[str, Stamp | None]]] = []


def stamp(path: Path | str) -> Stamp | None:
    """The file's size, mtime (ns), ctime (ns), inode and device; ``None`` when it cannot be
    read (then nothing that depends on it is ever reused)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def note(files: Iterable[tuple[str, Stamp | None]]) -> None:
    """Tell every open ``recording`` that these files were read (or reused)."""
    files = tuple(files)
    for recorded in _recordings:
        recorded.extend(files)


@contextlib.contextmanager
def recording() -> Iterator[list[tuple[str, Stamp | None]]]:
    """The files read inside the block, with their stamps from before each read."""
    recorded: list[tuple[str, Stamp | None]] = []
    _recordings.append(recorded)
    try:
        yield recorded
    finally:  # by identity: two recordings may hold equal lists
        for index in range(len(_recordings) - 1, -1, -1):
            if _recordings[index] is recorded:
                del _recordings[index]
                break


def unchanged(files: Files) -> bool:
    return all(found is not None and stamp(path) == found for path, found in files)


class Cache:
    """A bounded map from a key to a value and the stamped files it was read from."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[Files, Any]] = OrderedDict()

    def get(self, key: Hashable) -> Any | None:
        """The kept value, when every file it was read from is unchanged; else ``None``."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        files, value = entry
        if not unchanged(files):
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        note(files)
        return value

    def put(self, key: Hashable, files: Iterable[tuple[str, Stamp | None]], value: Any) -> None:
        kept = tuple(dict.fromkeys(files))
        if any(found is None for _, found in kept):
            return
        self._entries[key] = (kept, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


#: Every cache of this module, for ``forget`` (tests, and a caller that wants a cold read).
_caches: list[Cache] = []


def cache(size: int) -> Cache:
    made = Cache(size)
    _caches.append(made)
    return made


def forget() -> None:
    """Empty every cache of this process."""
    for each in _caches:
        each.clear()
