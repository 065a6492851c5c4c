"""Unpack a zip that someone else made (an audit bundle) as data: bounded and confined.

A bundle comes from a party the auditor need not trust, so nothing in it is taken on its word:

- every name must be a plain relative path (no ``..``, no absolute path, no drive, no
  backslash, no control character) and occur once; links and special files are refused;
- the number of entries, each entry's size, the total and the ratio of unpacked to stored size
  are bounded, and each entry is read with a bounded read, so a zip that lies about a size
  (or a decompression bomb) stops at the bound instead of filling memory or disk;
- a damaged zip (bad CRC, truncated data, unknown compression, encryption) is a Swedish
  ``InputError`` (exit 2), never a traceback.

Files are written below ``into`` only, readable by the user alone.
"""

from __future__ import annotations

import errno
import os
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from gnvtools.core.formatting import number
from gnvtools.errors import InputError

MAX_ZIP_BYTES = 500_000_000  # the zip file itself
MAX_ENTRIES = 5_000
MAX_ENTRY_BYTES = 100_000_000  # one unpacked entry
MAX_TOTAL_BYTES = 300_000_000  # all entries, unpacked
MAX_RATIO = 200  # unpacked ÷ stored, for entries larger than RATIO_FROM
RATIO_FROM = 1_000_000
CHUNK = 1 << 16


def _mb(size: int) -> str:
    return f"{number(size // 1_000_000)} MB".replace("\u00a0", " ")


def safe_name(name: str) -> PurePosixPath | None:
    """``name`` as a relative path inside the folder, or None when it is not one."""
    if not name or "\\" in name or any(ord(c) < 32 or ord(c) == 127 for c in name):
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith("/") or ":" in path.parts[0]:
        return None
    if any(part in ("..", ".", "") for part in name.rstrip("/").split("/")):
        return None
    return path


def _kind(info: zipfile.ZipInfo) -> int:
    """The file type an entry claims (0 when the zip records none)."""
    return stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0


def extract(bundle: Path, into: Path) -> list[Path]:
    """Unpack ``bundle`` into ``into`` within the bounds above; return the files written."""
    size = _checked_size(bundle)
    try:
        archive = zipfile.ZipFile(bundle)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise InputError(
            "filen är inget granskningspaket (ingen läsbar zip-fil)", file=bundle
        ) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise InputError(f"paketet har fler än {MAX_ENTRIES} filer", file=bundle)
        _check_entries(entries, size, bundle)
        return _unpack(archive, entries, into, bundle)


def _checked_size(bundle: Path) -> int:
    """The size of ``bundle``, a regular file within ``MAX_ZIP_BYTES``."""
    try:
        details = os.stat(bundle)
    except OSError as exc:
        raise InputError("paketet kan inte läsas", file=bundle) from exc
    if not stat.S_ISREG(details.st_mode):
        raise InputError("paketet är ingen vanlig fil", file=bundle)
    if details.st_size > MAX_ZIP_BYTES:
        raise InputError(f"paketet är större än {_mb(MAX_ZIP_BYTES)}", file=bundle)
    return details.st_size


def _check_entries(entries: list[zipfile.ZipInfo], size: int, bundle: Path) -> None:
    """Every entry before any is unpacked: a plain name, once; each file within its bounds
    (``_check_file``), all of them together within theirs (``size`` the zip's own)."""
    seen: set[str] = set()
    declared = 0
    for info in entries:
        name = safe_name(info.filename)
        if name is None:
            raise InputError(
                f"paketet innehåller en otillåten sökväg: {info.filename[:120]!r}", file=bundle
            )
        key = name.as_posix().casefold()
        if key in seen:
            raise InputError(f"paketet har filen {name} två gånger", file=bundle)
        seen.add(key)
        if info.is_dir():
            continue
        _check_file(info, name, bundle)
        declared += info.file_size
        if declared > RATIO_FROM and declared > MAX_RATIO * max(size, 1):
            raise InputError(
                f"paketets filer packas upp till mer än {MAX_RATIO} gånger paketets storlek; "
                "paketet avvisas",
                file=bundle,
            )
        if declared > MAX_TOTAL_BYTES:
            raise InputError(
                f"paketets filer är tillsammans större än {_mb(MAX_TOTAL_BYTES)}", file=bundle
            )


def _check_file(info: zipfile.ZipInfo, name: PurePosixPath, bundle: Path) -> None:
    """One file entry: a regular file, not encrypted, within its size and ratio bounds."""
    if _kind(info) not in (0, stat.S_IFREG):
        raise InputError(f"paketet innehåller en länk eller specialfil: {name}", file=bundle)
    if info.flag_bits & 0x1:
        raise InputError(f"paketet innehåller en krypterad fil: {name}", file=bundle)
    if info.file_size > MAX_ENTRY_BYTES:
        raise InputError(f"filen {name} i paketet är större än {_mb(MAX_ENTRY_BYTES)}", file=bundle)
    if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise InputError(
            f"filen {name} i paketet packas upp till mer än {MAX_RATIO} gånger sin "
            "lagrade storlek; paketet avvisas",
            file=bundle,
        )


def _unpack(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], into: Path, bundle: Path
) -> list[Path]:
    """Write each checked file entry below ``into``, each with a bounded copy."""
    written: list[Path] = []
    for info in entries:
        if info.is_dir():
            continue
        target = into.joinpath(*PurePosixPath(info.filename).parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _copy_bounded(archive, info, target, bundle)
        except OSError as exc:  # a name that is both a file and a folder, a full disk
            raise InputError(
                f"filen {info.filename} i paketet kan inte packas upp ({_os_reason(exc)})",
                file=bundle,
            ) from exc
        written.append(target)
    return written


def _copy_bounded(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, bundle: Path
) -> None:
    """Copy one entry, never more bytes than it declares (a lying size is an error)."""
    left = info.file_size
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as out, archive.open(info) as source:
            while True:
                chunk = source.read(min(CHUNK, left + 1))
                if not chunk:
                    break
                left -= len(chunk)
                if left < 0:
                    raise InputError(
                        f"filen {info.filename} i paketet är större än paketet anger; paketet "
                        "är skadat eller manipulerat",
                        file=bundle,
                    )
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise InputError(
            f"filen {info.filename} i paketet är skadad ({_reason(exc)}); paketet kan inte "
            "kontrolleras",
            file=bundle,
        ) from exc
    except NotImplementedError as exc:
        raise InputError(
            f"filen {info.filename} i paketet är packad på ett sätt som inte stöds", file=bundle
        ) from exc
    except RuntimeError as exc:  # encrypted without the flag, or similar
        raise InputError(f"filen {info.filename} i paketet kan inte läsas", file=bundle) from exc
    if left > 0:
        raise InputError(
            f"filen {info.filename} i paketet är kortare än paketet anger; paketet är skadat",
            file=bundle,
        )


def _os_reason(exc: OSError) -> str:
    """Why the file system refused, in Swedish."""
    reasons = {
        errno.EEXIST: "namnet används redan av en annan fil eller mapp i paketet",
        errno.ENOTDIR: "en del av sökvägen är en fil i paketet",
        errno.EISDIR: "namnet används redan av en mapp i paketet",
        errno.ENAMETOOLONG: "namnet är för långt",
        errno.ENOSPC: "disken är full",
        errno.EACCES: "behörighet saknas",
        errno.EROFS: "filsystemet är skrivskyddat",
    }
    return reasons.get(exc.errno or 0, "filsystemet vägrade")


def _reason(exc: BaseException) -> str:
    text = str(exc).lower()
    if "crc" in text:
        return "kontrollsumman stämmer inte"
    if "eof" in text or "truncat" in text or isinstance(exc, EOFError):
        return "den tar slut för tidigt"
    return "den kan inte packas upp"


def bounded_inflate(data: bytes, limit: int) -> bytes | None:
    """zlib-decompress ``data`` to at most ``limit`` bytes; None when damaged or larger."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        return None
    if len(out) > limit or inflater.unconsumed_tail or not inflater.eof:
        return None
    return out


__all__ = ["bounded_inflate", "extract", "safe_name"]
