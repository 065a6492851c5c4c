"""Reading CSV files as Swedish Excel writes them.

Semicolon separators (or Excel's ``sep=`` first line), Windows-1252 or UTF-16 text, CR or CRLF
line endings, besides plain UTF-8 with commas; an encoding that is none of these is refused.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from gnvtools.core.tables_cells import Table
from gnvtools.core.tables_lines import table_from_lines
from gnvtools.errors import InputError

_SEPARATOR_LINE = re.compile(r"^sep=([;,\t|])$", re.IGNORECASE)
# Bytes 0x80–0x9F read as Windows-1252 give these; in a Swedish file they mean another
# encoding (Mac Roman's å, ä, ö are 0x8C, 0x8A, 0x9A: Œ, Š, š here).
_CP1252_UNLIKELY = set("‚ƒ„†‡ˆ‰Š‹ŒŽ›šœžŸ")


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode-text": UTF-16 with a byte-order mark, usually tab-separated.
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("filen är trasig UTF-16-text", file=path) from exc
    if raw.count(b"\x00") > len(raw) // 4:
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
        raise InputError("filen verkar vara binär, inte text; spara den som CSV (UTF-8)", file=path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # What Excel on Swedish Windows writes for "CSV (semikolonavgränsad)".
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(
            "filens teckenkodning känns inte igen (varken UTF-8, UTF-16 eller Windows-1252); "
            "spara den som CSV (UTF-8)",
            file=path,
        ) from exc
    odd = sorted({c for c in text if c in _CP1252_UNLIKELY})
    if odd:
        line = text[: text.index(odd[0])].count("\n") + 1
        raise InputError(
            "filens teckenkodning känns inte igen (tecknen "
            + ", ".join(odd)
            + " tyder på t.ex. Mac Roman); spara den som CSV (UTF-8)",
            file=path,
            row=line,
        )
    return text


def _delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def table_from_bytes(data: bytes, shown: Path | str) -> Table:
    """CSV bytes (any encoding and line ending ``read_table`` accepts) as a ``Table``."""
    text = _decode(data, Path(str(shown)))
    # CR-only (old Mac) and CRLF line endings become LF before the csv module sees them.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first, _, rest = text.partition("\n")
    header_row = 1
    separator = _SEPARATOR_LINE.match(first.strip())
    if separator:  # Excel's "sep=;" first line: the separator, then the headings in row 2
        header_row = 2
        first = rest.split("\n", 1)[0]
    if not first.strip():
        raise InputError("filen är tom eller saknar rubrikrad", file=shown, row=header_row)
    delimiter = separator.group(1) if separator else _delimiter(first)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        lines = list(reader)
    except csv.Error as exc:
        problem = "ett fält är för långt" if "field limit" in str(exc) else "raden kan inte tolkas"
        raise InputError(
            f"{problem} (kontrollera citattecknen)", file=shown, row=reader.line_num
        ) from exc
    return table_from_lines(lines, shown, header_row=header_row, explicit=header_row > 1)
