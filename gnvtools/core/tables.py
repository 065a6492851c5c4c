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
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from gnvtools.errors import InputError

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_NUMBER = re.compile(r"^[+-]?(\d+)([.,](\d+))?$")
# 500,000 or 1,234,567: a comma followed by exactly three digits reads as thousands to some
# and as decimals to others (Swedish Excel writes 1,5 for one and a half).
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")
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


MAX_TABLE_BYTES = 50_000_000
MAX_CELL_CHARS = 1_000
MAX_AMOUNT = 10**12 - 1  # 999 999 999 999 kr: more than any grant, small enough to format
# Bytes 0x80–0x9F read as Windows-1252 give these; in a Swedish file they mean another
# encoding (Mac Roman's å, ä, ö are 0x8C, 0x8A, 0x9A: Œ, Š, š here).
_CP1252_UNLIKELY = set("‚ƒ„†‡ˆ‰Š‹ŒŽ›šœžŸ")
_INVISIBLE = {"Cf", "Co", "Cs", "Cn"}


def describe_char(char: str) -> str:
    """``"\u200b"`` → ``"U+200B (ZERO WIDTH SPACE)"``: a character a message can show."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def check_text(text: str, *, file: Path | str, row: int, column: str, names: bool = False) -> str:
    """NFC-normalise a cell; reject control characters, and in names invisible ones."""
    if len(text) > MAX_CELL_CHARS:
        raise InputError(
            f"värdet är {len(text)} tecken långt; högst {MAX_CELL_CHARS} tillåts",
            file=file,
            row=row,
            column=column,
        )
    if text.isascii() and text.isprintable():  # nothing to normalise or to look for
        return text
    text = unicodedata.normalize("NFC", text)
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" and char not in "\t":
            raise InputError(
                f"texten innehåller ett styrtecken, {describe_char(char)}; ta bort det",
                file=file,
                row=row,
                column=column,
            )
        if names and (category in _INVISIBLE or char == "\t"):
            raise InputError(
                f"namnet innehåller ett osynligt tecken, {describe_char(char)}; ta bort det",
                file=file,
                row=row,
                column=column,
            )
    return text


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


EXCEL_SUFFIXES = (".xlsx", ".xlsm")
MAX_EXCEL_ROWS = 1_000_000


def split_sheet(name: str) -> tuple[str, str | None]:
    """``"data/mottagare.xlsx#Blad2"`` → ``("data/mottagare.xlsx", "Blad2")``; CSV as it is."""
    base, sep, sheet = name.partition("#")
    if sep and base.lower().endswith(EXCEL_SUFFIXES):
        return base, sheet or None
    return name, None


def _excel_text(value: object) -> str:
    """A cell's value as the text a CSV export would hold (numbers exact, no float noise)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)  # the shortest exact decimal of the double Excel stored
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value)


def read_excel(path: Path, shown: Path | str, sheet: str | None) -> Table:
    """The first (or the named) sheet of an .xlsx file as a ``Table``; the header is row 1."""
    from openpyxl import load_workbook

    read_bytes_bounded(path, shown)  # the same checks as for CSV: regular file, size
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for broken files
        raise InputError("Excel-filen kan inte läsas (är den en .xlsx-fil?)", file=shown) from exc
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            raise InputError(
                f'fliken "{sheet}" finns inte; flikar: {", ".join(workbook.sheetnames)}',
                file=shown,
            )
        where = f"{shown}, flik {worksheet.title}"
        lines: list[list[str]] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > MAX_EXCEL_ROWS:
                raise InputError(f"fliken har fler än {MAX_EXCEL_ROWS} rader", file=where)
            lines.append([_excel_text(v) for v in values])
    finally:
        workbook.close()
    return _table_from_rows(lines, where)


def read_table(path: Path, *, display: str | None = None) -> Table:
    """Read a CSV or Excel file into a ``Table``; ``display`` is the name used in messages.

    An Excel file is read from its first sheet, or from the sheet named after ``#`` in the
    file name (``data/mottagare.xlsx#Blad2``); messages then name the sheet too.
    """
    shown_name, sheet = split_sheet(display or str(path))
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return read_excel(path, shown_name, sheet)
    shown = Path(display) if display else path
    return table_from_bytes(read_bytes_bounded(path, shown), shown)


def table_from_bytes(data: bytes, shown: Path | str) -> Table:
    """CSV bytes (any encoding and line ending ``read_table`` accepts) as a ``Table``."""
    text = _decode(data, Path(str(shown)))
    # CR-only (old Mac) and CRLF line endings become LF before the csv module sees them.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise InputError("filen är tom eller saknar rubrikrad", file=shown, row=1)
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first))
    try:
        lines = list(reader)
    except csv.Error as exc:
        problem = "ett fält är för långt" if "field limit" in str(exc) else "raden kan inte tolkas"
        raise InputError(
            f"{problem} (kontrollera citattecknen)", file=shown, row=reader.line_num
        ) from exc
    return _table_from_rows(lines, shown)


def _table_from_rows(lines: list[list[str]], shown: Path | str) -> Table:
    """Rows of cells (the first is the header) checked and turned into a ``Table``."""
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise InputError("filen är tom eller saknar rubrikrad", file=shown, row=1)
    while lines[0] and not lines[0][-1].strip():  # Excel's empty trailing header cells
        lines[0] = lines[0][:-1]
    header = [
        check_text(cell.strip(), file=shown, row=1, column=cell.strip()[:40], names=True)
        for cell in lines[0]
    ]
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
    for line_no, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        while len(cells) > len(header) and not cells[-1].strip():
            cells = cells[:-1]
        if len(cells) > len(header):
            raise InputError(
                f"raden har {len(cells)} värden men rubrikraden {len(header)} kolumner",
                file=shown,
                row=line_no,
            )
        padded = [
            check_text(
                cell.strip(),
                file=shown,
                row=line_no,
                column=column,
                names=column in ("name", "recipient"),
            )
            for cell, column in zip(cells, header, strict=False)
        ] + [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, padded, strict=True)))
    return Table(Path(str(shown)), tuple(header), tuple(rows))


def _clean_number(text: str) -> str:
    cleaned = _SPACES.sub("", text)
    return cleaned.removesuffix("kr").removesuffix("kronor")


def parse_amount(text: str, *, file: Path | str, row: int, column: str) -> int:
    """Parse whole kronor: ``41 991 440``, ``41991440`` or ``41 991 440,00`` give 41991440.

    Öre, negative amounts and text are rejected with a Swedish message.
    """
    cleaned = _clean_number(text)
    if _THOUSANDS_COMMA.match(cleaned):
        raise InputError(
            f'"{text}" är tvetydigt: kommatecknet kan vara tusental eller decimaler; '
            "ange hela kronor utan kommatecken, t.ex. 500000",
            file=file,
            row=row,
            column=column,
        )
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
    digits = match.group(1)
    value = MAX_AMOUNT + 1 if len(digits) > len(str(MAX_AMOUNT)) else int(digits)
    if value > MAX_AMOUNT:
        raise InputError(
            f'beloppet "{text[:30]}" är för stort; högst 999 999 999 999 kr',
            file=file,
            row=row,
            column=column,
        )
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
    if text.isdigit() and text.isascii() and len(text) <= 30:
        return Fraction(int(text))  # the common case, fast for files of 100 000 rows
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return Fraction(1)
    if lowered in _FALSE:
        return Fraction(0)
    cleaned = _clean_number(text).rstrip("%")
    if _THOUSANDS_COMMA.match(cleaned) and not cleaned.startswith("0"):
        raise InputError(
            f'"{text}" är tvetydigt: kommatecknet kan vara tusental eller decimaler; skriv '
            "talet utan tusentalsavgränsare (1500) eller med decimalkomma (1,5)",
            file=file,
            row=row,
            column=column,
        )
    match = _NUMBER.match(cleaned)
    if not match or len(cleaned) > 30:
        raise InputError(f'"{text[:30]}" är inget tal', file=file, row=row, column=column)
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
