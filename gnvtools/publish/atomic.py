"""Atomic file writes: a file is either absent, the old version, or complete — never half.

Data goes to a temporary file in the same folder, is flushed to disk, then renamed over the
target with ``os.replace`` (atomic on POSIX and Windows). A failure or Ctrl-C removes the
temporary file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

_UMASK_LOCK = threading.Lock()


def _new_file_mode(path: Path) -> int:
    """The mode a plain ``open()`` would give: an existing file keeps its own, a new one gets
    0o666 less the user's umask (so colleagues can read a shared report folder)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        pass
    with _UMASK_LOCK:  # os.umask can only be read by setting it
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[str]]:
    """Open a temporary sibling of ``path`` for writing; rename it into place on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with contextlib.suppress(OSError):  # mkstemp makes 0600; Windows ignores most bits
        os.chmod(tmp, _new_file_mode(path))
    kwargs = {"encoding": encoding, "newline": ""} if "b" not in mode else {}
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:  # type: ignore[call-overload]
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(path: Path, text: str) -> None:
    with atomic_open(path, "w") as handle:
        handle.write(text)


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_open(path, "wb", encoding=None) as handle:
        handle.write(data)  # type: ignore[arg-type]
