"""Atomic file writes: a file is either absent, the old version, or complete — never half.

Data goes to a temporary file in the same folder, is flushed to disk, then renamed over the
target with ``os.replace`` (atomic on POSIX and Windows). A failure or Ctrl-C removes the
temporary file. A report's files are written as one set (``FileSet``: its journal and
``recover`` are in ``journal``); ``folder_lock`` (``folderlock``) keeps one writer per outputs
folder. Both are importable from here.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from gnvtools.publish.folderlock import LOCK_NAME, folder_lock
from gnvtools.publish.journal import (  # tests replace _apply here: FileSet.commit uses it
    JOURNAL_VERSION,
    MAX_JOURNAL_BYTES,
    _apply,
    _fsync_folder,
    journal_path,
    recover,
)

__all__ = [  # this module's own names and those imported from here
    "JOURNAL_VERSION",
    "LOCK_NAME",
    "MAX_JOURNAL_BYTES",
    "FileSet",
    "atomic_open",
    "disk_problem",
    "folder_lock",
    "journal_path",
    "recover",
    "write_bytes",
    "write_text",
]

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


# --- Sets of files: all replaced, or none (the journal: ``journal``) ---------------------------


class FileSet:
    """The files of one set (``name``: a report) in ``folder``, replaced all together or not at all.

    ``stage`` writes a file to a temporary sibling; ``commit`` puts every staged file in place,
    the last staged one last. Leaving the ``with`` block without a commit deletes the
    temporaries, so an error, Ctrl-C or a full disk leave the old set untouched.
    """

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.name = name
        self.staged: dict[str, Path] = {}  # final file name → its temporary sibling
        self.hashes: dict[str, str] = {}
        self.committed = False

    def __enter__(self) -> FileSet:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            self.discard()

    def stage(self, filename: str, data: bytes) -> Path:
        """Write ``data`` for ``folder/filename`` to a synced temporary sibling; return its path."""
        import hashlib

        if Path(filename).name != filename or not filename.startswith(f"{self.name}."):
            raise ValueError(f"{filename!r} is not a file of the set {self.name!r}")
        target = self.folder / filename
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{filename}.", suffix=".tmp", dir=self.folder)
        self.staged[filename] = Path(tmp)
        with contextlib.suppress(OSError):  # mkstemp makes 0600; Windows ignores most bits
            os.chmod(tmp, _new_file_mode(target))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        self.hashes[filename] = hashlib.sha256(data).hexdigest()
        return Path(tmp)

    def discard(self) -> None:
        """Delete every staged temporary (the set in place stays as it was)."""
        for tmp in self.staged.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self.staged.clear()

    def commit(self, remove: Sequence[str] = ()) -> None:
        """Put the staged files in place as one set; ``remove``: files of the old set that the
        new one does not have.

        Raises ``OSError`` (e.g. a full disk) with nothing changed when the journal cannot be
        written or the first rename fails; a failure after that leaves the journal, and the next
        ``recover`` completes the set.
        """
        journal = journal_path(self.folder, self.name)
        entries = [
            {"tmp": tmp.name, "name": name, "sha256": self.hashes[name]}
            for name, tmp in self.staged.items()
        ]
        record = {
            "gnv_journal": JOURNAL_VERSION,
            "set": self.name,
            "files": entries,
            "remove": [r for r in remove if r not in self.staged],
        }
        write_text(journal, json.dumps(record, ensure_ascii=False, indent=1) + "\n")
        _fsync_folder(self.folder)
        # From here the journal owns the temporaries: killed or interrupted, the next
        # ``recover`` completes the set.
        self.committed = True
        renamed: list[str] = []
        try:
            _apply(self.folder, record, renamed)
        except OSError:
            if not renamed:  # nothing was renamed (e.g. a read-only folder): as if never begun
                with contextlib.suppress(OSError):
                    os.unlink(journal)
                self.discard()
            raise
        self.staged.clear()


# --- What the operating system said, in Swedish -------------------------------------------------


def disk_problem(exc: OSError) -> str:
    """A full disk, a read-only folder or a missing permission as a Swedish phrase."""
    import errno

    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "disken är full (inget utrymme kvar)"
    if code == errno.EROFS:
        return "mappen ligger på ett skrivskyddat filsystem"
    if code in (errno.EACCES, errno.EPERM):
        return "behörighet saknas att skriva i mappen"
    if code == errno.ENAMETOOLONG:
        return "sökvägen är för lång"
    name = errno.errorcode.get(code, str(code)) if code is not None else type(exc).__name__
    return f"filen kunde inte skrivas (systemfel {name})"
