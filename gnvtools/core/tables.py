"""Reading the CSV files that parameter files point to.

Analysts export these from Excel, so the reader accepts what Swedish Excel writes: semicolon
separators, decimal commas, spaces as thousands separators and Windows-1252 encoding, besides
plain UTF-8 with commas. Values are parsed into exact types here, once, and every problem is
reported with the file, the row (as Excel numbers it: the header is row 1) and the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from gnvtools.errors import InputError

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_NUMBER = re.compile(r"^[+-]?(\d+)([.,](\d+))?$")
_TRUE = {"ja", "j", "true", "sant", "x", "1"}
_FALSE = {"nej", "n", "false", "falskt", "0"}


@dataclass(frozen=True)
class Table:
    """A CSV file read into rows of text, with the path and header kept for messages."""

    path: Path
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]

    def require(self, *names: str) -> None:
        """Raise an ``InputError`` naming the file and the first missing column."""
        for name in names:
            if name not in self.columns:
                found = ", ".join(self.columns) or "inga"
                raise InputError(
                    f'kolumnen "{name}" saknas (kolumner i filen: {found})',
                    file=self.path,
                    row=1,
                    column=name,
                )

    def numbered(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Rows with their row number as a spreadsheet shows it (the header is row 1)."""
        for index, row in enumerate(self.rows):
            yield index + 2, row


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # What Excel on Swedish Windows writes for "CSV (semikolonavgränsad)".
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(
            "filen kunde inte läsas som UTF-8 eller Windows-1252; spara den som CSV (UTF-8)",
            file=path,
        ) from exc


def _delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_table(path: Path, *, display: str | None = None) -> Table:
    """Read a CSV file into a ``Table``; ``display`` is the name used in messages."""
    shown = Path(display) if display else path
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("filen finns inte", file=shown) from exc
    except OSError as exc:
        raise InputError(f"filen kunde inte läsas ({exc.strerror})", file=shown) from exc
    text = _decode(raw, shown)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InputError("filen är tom eller saknar rubrikrad", file=shown, row=1)
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(lines[0]))
    header = [cell.strip() for cell in next(reader)]
    seen: set[str] = set()
    for name in header:
        if not name:
            raise InputError("rubrikraden har en tom kolumnrubrik", file=shown, row=1)
        if name in seen:
            raise InputError(
                f'kolumnrubriken "{name}" förekommer två gånger', file=shown, row=1, column=name
            )
        seen.add(name)
    rows: list[dict[str, str]] = []
    for line_no, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise InputError(
                f"raden har {len(cells)} värden men rubrikraden {len(header)} kolumner",
                file=shown,
                row=line_no,
            )
        padded = [cell.strip() for cell in cells] + [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, padded, strict=True)))
    return Table(shown, tuple(header), tuple(rows))


def _clean_number(text: str) -> str:
    cleaned = _SPACES.sub("", text)
    return cleaned.removesuffix("kr").removesuffix("kronor")


def parse_amount(text: str, *, file: Path | str, row: int, column: str) -> int:
    """Parse whole kronor: ``41 991 440``, ``41991440`` or ``41 991 440,00`` give 41991440.

    Öre, negative amounts and text are rejected with a Swedish message.
    """
    cleaned = _clean_number(text)
    match = _NUMBER.match(cleaned)
    if not match:
        raise InputError(
            f'"{text}" är inget belopp; ange hela kronor, t.ex. 1 200 000',
            file=file,
            row=row,
            column=column,
        )
    decimals = match.group(3)
    if decimals and int(decimals) != 0:
        raise InputError(
            f'beloppet "{text}" har ören; ange hela kronor',
            file=file,
            row=row,
            column=column,
        )
    value = int(match.group(1))
    if cleaned.startswith("-") and value:
        raise InputError(
            f'beloppet "{text}" är negativt; ange noll eller mer',
            file=file,
            row=row,
            column=column,
        )
    return value


def parse_number(text: str, *, file: Path | str, row: int, column: str) -> Fraction:
    """Parse a non-negative exact number (decimal comma or point); ``ja``/``nej`` give 1/0."""
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return Fraction(1)
    if lowered in _FALSE:
        return Fraction(0)
    cleaned = _clean_number(text).rstrip("%")
    match = _NUMBER.match(cleaned)
    if not match:
        raise InputError(f'"{text}" är inget tal', file=file, row=row, column=column)
    value = Fraction(cleaned.replace(",", "."))
    if text.strip().endswith("%"):
        value /= 100
    if value < 0:
        raise InputError(
            f'talet "{text}" är negativt; ange noll eller mer', file=file, row=row, column=column
        )
    return value


def check_unique(table: Table, column: str, values: Sequence[tuple[int, str]]) -> None:
    """Raise on the first value that occurs twice, naming both rows."""
    first_row: dict[str, int] = {}
    for row, value in values:
        if value in first_row:
            raise InputError(
                f'"{value}" förekommer två gånger (även på rad {first_row[value]})',
                file=table.path,
                row=row,
                column=column,
            )
        first_row[value] = row
