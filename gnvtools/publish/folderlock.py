"""One writer per outputs folder: ``folder_lock``, the operating system's lock of the folder's
``.gnv.lock`` (and, shared, of the folders around it), released however its holder ends."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = ".gnv.lock"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the lock of an outputs folder for the ``with`` block, or raise ``RenderError``.

    A second ``gnv build`` or ``gnv render`` into the same folder is refused at once (it would
    mix its files with ours), and so is one into a folder inside it (``outputs/kommun/2025``
    while a build writes to ``outputs``): the lock files of the folders around are held shared
    (the holder of one of those may not take it exclusively meanwhile). The lock is the
    operating system's (``flock``), so it is released when its holder ends however it ends: a
    killed build leaves no stale lock, only the ``.gnv.lock`` file. Processes forked by the
    holder share it until they end. On Windows ``msvcrt`` locks the folder's own file only.
    """
    from gnvtools.errors import RenderError
    from gnvtools.publish.atomic import disk_problem

    with contextlib.ExitStack() as held:
        busy: tuple[Path, int] | None = None
        for parent in folder.resolve().parents:  # first, so that a refusal creates nothing
            try:
                outer = os.open(parent / LOCK_NAME, os.O_RDONLY)
            except OSError:
                continue  # no build ever wrote there (or it cannot be read): nothing to wait for
            held.callback(os.close, outer)
            if not _try_lock(outer, exclusive=False):
                busy = (parent, outer)
                break
        if busy is None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError as exc:
                raise RenderError(
                    f"utmappen kan inte låsas för skrivning: {disk_problem(exc)}", file=folder
                ) from exc
            held.callback(os.close, fd)  # closing releases the lock
            if not _try_lock(fd, exclusive=True):
                busy = (folder, fd)
        if busy is not None:
            holder = _holder(busy[1])
            raise RenderError(
                "en annan gnv build eller gnv render skriver redan i "
                + ("utmappen" if busy[0] == folder else "en mapp som utmappen ligger i")
                + (f" (process {holder})" if holder else "")
                + "; vänta tills den är klar och försök igen",
                file=busy[0],
            )
        with contextlib.suppress(OSError, AttributeError):  # who holds it (for the message)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)


def _try_lock(fd: int, *, exclusive: bool) -> bool:
    """Take the lock of ``fd`` without waiting; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: only the folder's own lock, exclusive
        if not exclusive:
            return True
        try:
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except ImportError:
            return True  # no locking on this system: go ahead
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:  # a file system without locks (some network mounts): go ahead
        return True
    return True


def _holder(fd: int) -> str:
    with contextlib.suppress(OSError, AttributeError):
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        if text.isdigit():
            return text
    return ""
