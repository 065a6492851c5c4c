"""Atomic file writes: a file is either absent, the old version, or complete — never half.

Data goes to a temporary file in the same folder, is flushed to disk, then renamed over the
target with ``os.replace`` (atomic on POSIX and Windows). A failure or Ctrl-C removes the
temporary file.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import stat
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

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


# --- Sets of files: all replaced, or none -------------------------------------------------------
#
# A report is several files (HTML, PDF, Word, notebook, Excel, manifest) that must match each
# other: the manifest records the others' hashes. ``FileSet`` writes every file to a temporary
# sibling first (synced), then a small journal that lists them, then renames each into place
# and removes the journal. A build killed at any moment therefore leaves either the old set
# (no journal yet: the temporaries are deleted by ``recover``) or a journal with complete,
# synced temporaries that ``recover`` renames into place. Stale outputs of the same report that
# the new set does not contain are removed before the last file (the manifest) goes in, so the
# files and the manifest always agree.

JOURNAL_VERSION = 1
MAX_JOURNAL_BYTES = 64 * 1024


def journal_path(folder: Path, name: str) -> Path:
    """The journal of set ``name`` in ``folder`` (hidden, so that no glob of reports finds it)."""
    return folder / f".{name}.journal.json"


def _sha256(path: Path) -> str | None:
    """The hash of a regular file, or None (absent, not a regular file, unreadable)."""
    import hashlib

    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


def _fsync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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


def _apply(folder: Path, record: dict[str, Any], renamed: list[str] | None = None) -> None:
    """Carry out a journal: rename its files into place (the last one last), remove the stale
    ones, delete the journal. Renames already done (a resumed journal) are skipped; ``renamed``
    collects the files renamed by this call."""
    files: list[dict[str, str]] = record["files"]
    renamed = [] if renamed is None else renamed
    for index, entry in enumerate(files):
        if index == len(files) - 1:
            for stale in record["remove"]:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(folder / stale)
        tmp = folder / entry["tmp"]
        if os.path.lexists(tmp):
            os.replace(tmp, folder / entry["name"])
            renamed.append(entry["name"])
    _fsync_folder(folder)
    os.unlink(journal_path(folder, record["set"]))
    _fsync_folder(folder)


def _read_journal(path: Path, name: str) -> dict[str, Any] | None:
    """A journal as ``FileSet.commit`` wrote it, or None for anything else (a journal is read
    from an outputs folder that may have come from elsewhere: plain names of this set only)."""

    def own(entry: object, hidden: bool) -> bool:
        if not isinstance(entry, str) or Path(entry).name != entry or entry in (".", ".."):
            return False
        if hidden:
            return entry.startswith(f".{name}.") and entry.endswith(".tmp")
        return entry.startswith(f"{name}.") and "/" not in entry and "\\" not in entry

    try:
        if not stat.S_ISREG(path.lstat().st_mode) or path.lstat().st_size > MAX_JOURNAL_BYTES:
            return None
        record = json.loads(path.read_bytes()[:MAX_JOURNAL_BYTES].decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(record, dict) or record.get("set") != name:
        return None
    files, remove = record.get("files"), record.get("remove")
    if not isinstance(files, list) or not files or not isinstance(remove, list):
        return None
    for entry in files:
        if not isinstance(entry, dict) or not own(entry.get("tmp"), True):
            return None
        if not own(entry.get("name"), False) or not isinstance(entry.get("sha256"), str):
            return None
    if not all(own(r, False) for r in remove):
        return None
    return record


def recover(folder: Path, name: str) -> str | None:
    """Finish or roll back what a killed build left of set ``name`` in ``folder``.

    A journal whose files are all there (each as its complete temporary, or already renamed)
    is finished; any other journal is rolled back (its temporaries deleted, the files in place
    left as they are: a mixed set then fails the build cache's hash check and is rebuilt).
    Stale temporaries ``.<name>.*.tmp`` of killed writes are deleted. Call it only while holding
    the folder's lock. Returns "finished", "rolled back" or None (no journal).
    """
    if not folder.is_dir():
        return None
    outcome: str | None = None
    journal = journal_path(folder, name)
    if os.path.lexists(journal):
        record = _read_journal(journal, name)
        complete = record is not None and all(
            _sha256(folder / e["tmp"]) == e["sha256"]
            or (
                not os.path.lexists(folder / e["tmp"])
                and _sha256(folder / e["name"]) == e["sha256"]
            )
            for e in record["files"]
        )
        if record is not None and complete:
            _apply(folder, record)
            outcome = "finished"
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(journal)
            outcome = "rolled back"
    for stale in folder.glob(f".{glob.escape(name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if not stale.is_dir() or stale.is_symlink():
                os.unlink(stale)
    return outcome


# --- One writer per outputs folder --------------------------------------------------------------

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
