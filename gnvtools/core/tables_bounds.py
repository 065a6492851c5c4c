"""Bounded reading: the limits on what a data file may hold, checked before it is parsed.

A data file is someone's export: it may be a folder, a device, unreadable, or far too large,
and an Excel file is a zip archive that may unpack to far more than its size. Each is refused
with a Swedish message naming the file, before any parser sees it.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import BinaryIO

from gnvtools.errors import InputError

MAX_TABLE_BYTES = 50_000_000
MAX_EXCEL_ROWS = 1_000_000
MAX_UNPACKED_BYTES = 40_000_000
MAX_PACKING_RATIO = 200


def read_bytes_bounded(path: Path, shown: Path | str, what: str = "filen") -> bytes:
    """A regular file's bytes, at most ``MAX_TABLE_BYTES``; Swedish errors for the rest."""
    try:
        if not path.exists():
            raise InputError(f"{what} finns inte", file=shown)
        if path.is_dir():
            raise InputError(f"{what} är en mapp, inte en fil", file=shown)
        if not path.is_file():
            raise InputError(f"{what} är ingen vanlig fil (t.ex. en enhet)", file=shown)
        with path.open("rb") as handle:
            raw = handle.read(MAX_TABLE_BYTES + 1)
    except PermissionError as exc:
        raise InputError(f"{what} kan inte läsas: behörighet saknas", file=shown) from exc
    except OSError as exc:
        raise InputError(f"{what} kunde inte läsas", file=shown) from exc
    if len(raw) > MAX_TABLE_BYTES:
        raise InputError(
            f"{what} är större än {MAX_TABLE_BYTES // 1_000_000} MB; det är för stort", file=shown
        )
    return raw


def check_unpacked_size(source: Path | BinaryIO, shown: Path | str) -> None:
    """Refuse a workbook that would unpack to more than 40 MB, or 200 times its size.

    An .xlsx file is a zip archive; Python's zip reader never unpacks a part beyond the size
    the archive states, so the stated sizes bound what openpyxl can be made to read.
    """
    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError("Excel-filen kan inte läsas (är den en .xlsx-fil?)", file=shown) from exc
    unpacked = sum(part.file_size for part in parts)
    packed = sum(part.compress_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_PACKING_RATIO * max(packed, 1_000):
        raise InputError(
            f"Excel-filen packas upp till {unpacked // 1_000_000} MB; det är för mycket för en "
            f"tabell (högst {MAX_UNPACKED_BYTES // 1_000_000} MB och {MAX_PACKING_RATIO} gånger "
            "filens storlek)",
            file=shown,
        )
