"""A report's journal: the record ``atomic.FileSet.commit`` writes before it renames a set's
files into place, carried out (``_apply``) or, after a killed build, finished or rolled back
(``recover``).

A report is several files (HTML, PDF, Word, notebook, Excel, manifest) that must match each
other: the manifest records the others' hashes. ``FileSet`` writes every file to a temporary
sibling first (synced), then a small journal that lists them, then renames each into place
and removes the journal. A build killed at any moment therefore leaves either the old set
(no journal yet: the temporaries are deleted by ``recover``) or a journal with complete,
synced temporaries that ``recover`` renames into place. Stale outputs of the same report that
the new set does not contain are removed before the last file (the manifest) goes in, so the
files and the manifest always agree.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import stat
from pathlib import Path
from typing import Any

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
