"""Files from someone else, read safely: inside a given folder, regular files only, bounded.

A logo, a Word template, a manifest's inputs: each names a path that could point anywhere
(``../../etc/shadow``, an absolute path, a symlink out of the project, a FIFO or ``/dev/zero``
that never ends). These helpers resolve the path, confine it, refuse anything that is not a
regular file before reading a byte, and read at most a given number of bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from gnvtools.errors import InputError

# A FIFO opened for reading without a writer would block; O_NONBLOCK makes the open return.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def inside(path: Path, root: Path) -> Path | None:
    """``path`` with every symlink resolved, if it lies in ``root`` (itself resolved); else None.

    >>> inside(Path("/p/../etc/passwd"), Path("/p")) is None
    True
    """
    resolved = path.resolve()
    base = root.resolve()
    return resolved if resolved == base or resolved.is_relative_to(base) else None


def megabytes(limit: int) -> str:
    """A byte bound as a Swedish message shows it: ``2 MB``."""
    return f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit // 1000} kB"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "en mapp"
    if stat.S_ISFIFO(mode):
        return "en namngiven pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "en enhetsfil"
    if stat.S_ISSOCK(mode):
        return "en socket"
    return "ingen vanlig fil"


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ``InputError`` (file=path) for a
    missing file, a folder, a device, a FIFO or a socket, or a file over the bound.

    Checked before opening (opening a device can have effects) and again on the open file, so a
    path swapped in between is caught; at most ``limit + 1`` bytes are ever read.
    """
    try:
        before = os.stat(path)
    except FileNotFoundError:
        raise InputError("filen finns inte", file=path) from None
    except OSError as exc:
        raise InputError(f"filen kan inte läsas ({exc.strerror})", file=path) from None
    if not stat.S_ISREG(before.st_mode):
        raise InputError(f"är {_kind(before.st_mode)}, inte en vanlig fil", file=path)
    if before.st_size > limit:
        raise InputError(f"filen är större än {megabytes(limit)}", file=path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise InputError(f"filen kan inte läsas ({exc.strerror})", file=path) from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise InputError(f"är {_kind(opened.st_mode)}, inte en vanlig fil", file=path)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(f"filen kan inte läsas ({exc.strerror})", file=path) from None
    finally:
        os.close(fd)
    if size > limit:
        raise InputError(f"filen är större än {megabytes(limit)}", file=path)
    return b"".join(chunks)
