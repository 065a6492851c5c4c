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
import zipfile
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from itertools import zip_longest
from pathlib import Path
from typing import Any, BinaryIO

from gnvtools.core import reuse
from gnvtools.errors import InputError, visible

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_NUMBER = re.compile(r"^[+-]?(\d+)([.,](\d+))?$")
# 500,000 or 1,234,567: a comma followed by exactly three digits reads as thousands to some
# and as decimals to others (Swedish Excel writes 1,5 for one and a half).
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")
_SEPARATOR_LINE = re.compile(r"^sep=([;,\t|])$", re.IGNORECASE)
_READ = reuse.cache(16)  # tables read by this process, reused while unchanged (core.reuse)
_TRUE = {"ja", "j", "true", "sant", "x", "1"}
_FALSE = {"nej", "n", "false", "falskt", "0"}


@dataclass(frozen=True)
class Table:
    """A CSV file or an Excel sheet read into rows of text, with what messages need.

    ``row_numbers`` are the rows as a spreadsheet numbers them (blank rows and title rows above
    the header are skipped but still counted); ``preview`` holds the first rows of the file as
    they are, so a missing column can be looked for above or below the header.
    """

    path: Path
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    row_numbers: tuple[int, ...] = ()
    header_row: int = 1
    sheet: str | None = None
    preview: tuple[tuple[str, ...], ...] = ()

    def require(self, *names: str) -> None:
        """Raise an ``InputError`` naming the file and the first missing column."""
        for name in names:
            if name not in self.columns:
                found = ", ".join(self.columns) or "inga"
                raise InputError(
                    f'kolumnen "{name}" saknas (kolumner i filen: {found})' + self._elsewhere(name),
                    file=self.path,
                    row=self.header_row,
                    column=name,
                )

    def _elsewhere(self, name: str) -> str:
        """Where a missing column heading stands instead, and how to point gnv at that row."""
        for index, line in enumerate(self.preview):
            if index + 1 != self.header_row and name in (cell.strip() for cell in line):
                return "; " + header_advice(self.path, self.sheet, index + 1)
        return ""

    def numbered(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Rows with their row number as a spreadsheet shows it (the header is row 1)."""
        if self.row_numbers:
            yield from zip(self.row_numbers, self.rows, strict=True)
            return
        for index, row in enumerate(self.rows):
            yield index + 2, row


def header_advice(path: Path | str, sheet: str | None, row: int) -> str:
    """How to say where the headings are: ``fil.xlsx#Blad1!A3`` for Excel; CSV has no way."""
    name = Path(str(path).split(", flik ")[0]).name
    if sheet is not None:
        return (
            f"kolumnrubrikerna står på rad {row}: skriv {name}#{sheet}!A{row} som filnamn i "
            "parameterfilen, eller ta bort raderna ovanför rubrikraden"
        )
    return (
        f"kolumnrubrikerna står på rad {row}, men i en CSV-fil måste de stå på första raden: "
        "ta bort raderna ovanför (eller läs Excel-filen direkt, med fil.xlsx#Flik!A"
        f"{row})"
    )


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
PREVIEW_ROWS = 30
# What people write in the first column of a total row. A row whose key cell reads like this is
# never a recipient: gnv sums by itself, and a "Summa" row would take its share twice.
TOTAL_WORDS = frozenset(
    {
        "summa",
        "summa totalt",
        "totalsumma",
        "totalt",
        "total",
        "delsumma",
        "delsummor",
        "s:a",
        "sum",
        "summering",
        "grand total",
        "subtotal",
        "totals",
    }
)
_TOTAL_PREFIXES = ("summa ", "totalt ", "total ", "delsumma ", "totalsumma ", "s:a ")
KEY_COLUMNS = ("name", "recipient")
_SUM_FORMULA = re.compile(r"\b(?:SUM|SUMMA|SUBTOTAL|DELSUMMA|AGGREGATE|MÄNGD)\s*\(", re.IGNORECASE)
# What an Excel table's own total row holds: =SUBTOTAL(109,[Befolkning]), a column by name.
_TABLE_TOTAL = re.compile(r"\b(?:SUBTOTAL|AGGREGATE)\s*\(", re.IGNORECASE)
_RANGE = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)\s*:\s*\$?([A-Z]{1,3})\$?([0-9]+)")
_EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!")
_START_CELL = re.compile(r"^([A-Za-z]{0,3})([1-9][0-9]{0,6})$")


def split_sheet(name: str) -> tuple[str, str | None]:
    """``"data/mottagare.xlsx#Blad2"`` → ``("data/mottagare.xlsx", "Blad2")``; CSV as it is.

    What follows ``#`` is the sheet, optionally with the cell where the table starts:
    ``Blad2!A3`` (see ``resolve_sheet``).
    """
    base, sep, sheet = name.partition("#")
    if sep and base.lower().endswith(EXCEL_SUFFIXES):
        return base, sheet or None
    return name, None


@dataclass(frozen=True)
class SheetChoice:
    """Which sheet of a workbook to read, and the cell its header row starts at (1-based)."""

    title: str
    header_row: int = 1
    first_column: int = 1
    explicit: bool = False  # the parameter file said where the headings are


def resolve_sheet(fragment: str | None, titles: Sequence[str], shown: Path | str) -> SheetChoice:
    """What ``#…`` after an Excel file name means, given the workbook's sheet names.

    ``None`` is the first sheet; ``Blad2`` a sheet by name (a name that exists always wins, so
    files valid before keep their meaning); ``Blad2!A3`` that sheet with its headings in row 3
    starting at column A; ``!A3`` the first sheet so.
    """
    if not titles:
        raise InputError("Excel-filen har inga flikar", file=shown)
    if not fragment:
        return SheetChoice(titles[0])
    if fragment in titles:
        return SheetChoice(fragment)
    sheet, bang, cell = fragment.rpartition("!")
    match = _START_CELL.match(cell) if bang else None
    if match is None or (sheet and sheet not in titles):
        wanted = sheet if match else fragment
        raise InputError(
            f'fliken "{wanted}" finns inte; flikar: {", ".join(titles)} (skriv fil.xlsx#Flik, '
            "eller fil.xlsx#Flik!A3 när kolumnrubrikerna står på rad 3)",
            file=shown,
        )
    from openpyxl.utils import column_index_from_string

    column = column_index_from_string(match.group(1).upper()) if match.group(1) else 1
    return SheetChoice(sheet or titles[0], int(match.group(2)), column, explicit=True)


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


def _formula_text(value: object) -> str | None:
    """A cell's formula (``=SUM(B2:B9)``) as openpyxl gives it without cached values."""
    text = getattr(value, "text", value)  # array formulas come as objects with .text
    if isinstance(text, str) and text.startswith("="):
        return text
    return None


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its cells as text (row 1 first) and its formulas by (row, column)."""

    title: str
    lines: list[list[str]]
    formulas: dict[tuple[int, int], str]


def _open_workbook(source: Path | BinaryIO, shown: Path | str, *, data_only: bool) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(source, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for broken files
        raise InputError("Excel-filen kan inte läsas (är den en .xlsx-fil?)", file=shown) from exc


MAX_UNPACKED_BYTES = 40_000_000
MAX_PACKING_RATIO = 200


def _check_unpacked_size(source: Path | BinaryIO, shown: Path | str) -> None:
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


def read_sheets(
    source: Path | bytes,
    shown: Path | str,
    pick: Callable[[list[str]], Collection[str]] | None = None,
) -> list[Sheet]:
    """The sheets of a workbook (all, or those ``pick`` chooses from the sheet names), read
    twice: stored values and formulas.

    Excel saves a formula's last result beside it; openpyxl gives one or the other, so the
    workbook is opened once for each and the two read in step.
    """

    def stream() -> Path | BinaryIO:
        return io.BytesIO(source) if isinstance(source, bytes) else source

    _check_unpacked_size(stream(), shown)
    values = _open_workbook(stream(), shown, data_only=True)
    formulas = _open_workbook(stream(), shown, data_only=False)
    sheets = []
    try:
        titles = list(values.sheetnames)
        wanted = set(pick(titles)) if pick is not None else set(titles)
        for title in titles:
            if title not in wanted:
                continue
            where = f"{shown}, flik {title}"
            lines: list[list[str]] = []
            found: dict[tuple[int, int], str] = {}
            rows = zip_longest(
                values[title].iter_rows(values_only=True),
                formulas[title].iter_rows(),
                fillvalue=(),
            )
            for number, (cached, written) in enumerate(rows, start=1):
                if number > MAX_EXCEL_ROWS:
                    raise InputError(f"fliken har fler än {MAX_EXCEL_ROWS} rader", file=where)
                for column, cell in enumerate(written, start=1):
                    # Only a formula cell: text that merely begins with "=" is text.
                    if getattr(cell, "data_type", None) == "f":
                        formula = _formula_text(cell.value)
                        if formula is not None:
                            found[(number, column)] = formula
                lines.append([_excel_text(v) for v in cached])
            sheets.append(Sheet(title, lines, found))
    except InputError:
        raise
    except Exception as exc:  # a sheet's XML can be broken where the workbook's is not
        raise InputError("Excel-filen kan inte läsas (är den en .xlsx-fil?)", file=shown) from exc
    finally:
        values.close()
        formulas.close()
    return sheets


def read_excel(path: Path | bytes, shown: Path | str, sheet: str | None) -> Table:
    """The first (or the named) sheet of an .xlsx file as a ``Table``.

    ``sheet`` is what followed ``#`` in the file name: a sheet, optionally with the cell its
    headings start at (``Blad2!A3``). Without that cell the headings must be in row 1.
    """
    if isinstance(path, Path):
        read_bytes_bounded(path, shown)  # the same checks as for CSV: regular file, size
    chosen: list[SheetChoice] = []

    def pick(titles: list[str]) -> list[str]:
        chosen.append(resolve_sheet(sheet, titles, shown))
        return [chosen[0].title]

    found = read_sheets(path, shown, pick)[0]
    return sheet_table(found, shown, chosen[0])


def sheet_table(sheet: Sheet, shown: Path | str, choice: SheetChoice) -> Table:
    """A read sheet as a ``Table``, its headings where ``choice`` says."""
    where = f"{shown}, flik {sheet.title}"
    _check_formulas(sheet, where, choice.header_row)
    return table_from_lines(
        sheet.lines,
        where,
        header_row=choice.header_row,
        first_column=choice.first_column,
        explicit=choice.explicit,
        sheet=sheet.title,
        formulas=sheet.formulas,
    )


def _check_formulas(sheet: Sheet, where: str, header_row: int) -> None:
    """Formulas Excel never computed (no stored value) or whose stored value is an error."""
    from openpyxl.utils import get_column_letter

    for (row, column), formula in sorted(sheet.formulas.items()):
        if row <= header_row:
            continue
        line = sheet.lines[row - 1] if row - 1 < len(sheet.lines) else []
        value = line[column - 1] if column - 1 < len(line) else ""
        cell = f"{get_column_letter(column)}{row}"
        heading = _heading(sheet.lines, header_row, column)
        if _sums_above(formula, get_column_letter(column), row):
            if value == "":  # no stored value: the row would read as blank, so say it here
                raise InputError(
                    f"cell {cell} summerar raderna ovanför ({formula[:60]}) men har inget "
                    "sparat värde; en summarad hör inte hemma i underlaget: ta bort raden",
                    file=where,
                    row=row,
                    column=heading,
                )
            continue  # a total row: refused with its own message once the table is read
        if value == "":
            raise InputError(
                f"cell {cell} har en formel ({formula[:60]}) men inget sparat värde; öppna "
                "filen i Excel och spara den (då sparas formlernas värden), eller skriv in "
                "värdena",
                file=where,
                row=row,
                column=heading,
            )
        if value in _EXCEL_ERRORS:
            raise InputError(
                f"cell {cell} visar Excel-felet {value} ({formula[:60]}); rätta formeln eller "
                "skriv in värdet",
                file=where,
                row=row,
                column=heading,
            )


def _heading(lines: list[list[str]], header_row: int, column: int) -> str | None:
    header = lines[header_row - 1] if header_row - 1 < len(lines) else []
    text = header[column - 1].strip() if column - 1 < len(header) else ""
    return text[:40] or None


def _sums_above(formula: str, letter: str, row: int) -> bool:
    """Whether ``formula`` in column ``letter``, row ``row`` sums cells above it in its column."""
    if not _SUM_FORMULA.search(formula):
        return False
    if _TABLE_TOTAL.search(formula):
        return True
    for first, top, last, bottom in _RANGE.findall(formula.upper()):
        if first == last == letter and int(top) < row and int(bottom) < row:
            return True
    return False


def read_table(path: Path, *, display: str | None = None) -> Table:
    """Read a CSV or Excel file into a ``Table``; ``display`` is the name used in messages.

    An Excel file is read from its first sheet, or from the sheet named after ``#`` in the
    file name (``data/mottagare.xlsx#Blad2``, or ``#Blad2!A3`` when the headings are in row 3);
    messages then name the sheet too. Read once per process while the file is unchanged
    (``core.reuse``); the table is shared, so callers do not change it.
    """
    key = ("table", str(Path(path).resolve()), display)
    kept = _READ.get(key)
    if kept is None:
        found = reuse.stamp(path)
        kept = _read_table(path, display)
        _READ.put(key, [(key[1], found)], kept)
        reuse.note([(key[1], found)])
    table: Table = kept
    return table


def _read_table(path: Path, display: str | None) -> Table:
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


def _width(cells: Sequence[str]) -> int:
    return sum(1 for cell in cells if cell.strip())


def _is_number(text: str) -> bool:
    return _loose_number(text) is not None


def guess_header_row(lines: Sequence[Sequence[str]]) -> int | None:
    """The row (1-based) that looks like a table's headings when row 1 looks like a title.

    Headings are a row of at least two texts (no numbers), as wide as any row near it; the rows
    above it hold no numbers and are narrower (a title, a date line, blank rows). ``None`` when
    row 1 itself is such a row, or no row is.
    """
    window = [list(line) for line in lines[:PREVIEW_ROWS]]
    if not window:
        return None
    widest = max(_width(line) for line in window)
    for index, line in enumerate(window):
        width = _width(line)
        texts = [cell for cell in line if cell.strip()]
        if width >= 2 and width == widest and not any(_is_number(c) for c in texts):
            if index == 0:
                return None
            above = window[:index]
            if all(
                _width(a) < width and not any(_is_number(c) for c in a if c.strip()) for a in above
            ):
                return index + 1
            return None
        if any(_is_number(c) for c in texts):
            return None  # data before any heading row: not a title above a table
    return None


def table_from_lines(
    lines: list[list[str]],
    shown: Path | str,
    *,
    header_row: int = 1,
    first_column: int = 1,
    explicit: bool = False,
    sheet: str | None = None,
    formulas: dict[tuple[int, int], str] | None = None,
) -> Table:
    """Rows of cells (row 1 first) checked and turned into a ``Table``.

    The headings are in ``header_row`` (row 1 unless the parameter file said otherwise); a
    first row that reads like a title above a table is refused with where the headings seem to
    be. Columns before ``first_column``, and leading columns empty in every row, are left out.
    Total rows ("Summa", or numbers that are the sums of the rows above) are refused.
    """
    if not explicit:
        guessed = guess_header_row(lines)
        if guessed is not None:
            title = next((c.strip() for c in lines[0] if c.strip()), "")
            raise InputError(
                f'"{visible(title[:60])}" ser ut som en rubrik ovanför tabellen, inte som '
                f"kolumnrubriker; {header_advice(shown, sheet, guessed)}",
                file=shown,
                row=1,
            )
    preview = tuple(tuple(line) for line in lines[:PREVIEW_ROWS])
    if header_row > len(lines) or not any(c.strip() for c in lines[header_row - 1]):
        raise InputError("filen är tom eller saknar rubrikrad", file=shown, row=header_row)
    body = [line[first_column - 1 :] for line in lines[header_row - 1 :]]
    skip = 0
    while body[0] and skip < len(body[0]) and not body[0][skip].strip():
        if any(line[skip : skip + 1] and line[skip].strip() for line in body):
            break
        skip += 1
    offset = first_column - 1 + skip  # cells before the table's first column
    body = [line[skip:] for line in body]
    while body[0] and not body[0][-1].strip():  # Excel's empty trailing header cells
        body[0] = body[0][:-1]
    header = [
        check_text(cell.strip(), file=shown, row=header_row, column=cell.strip()[:40], names=True)
        for cell in body[0]
    ]
    seen: set[str] = set()
    for name in header:
        if not name:
            raise InputError("rubrikraden har en tom kolumnrubrik", file=shown, row=header_row)
        if name in seen:
            raise InputError(
                f'kolumnrubriken "{name}" förekommer två gånger',
                file=shown,
                row=header_row,
                column=name,
            )
        seen.add(name)
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    for line_no, cells in enumerate(body[1:], start=header_row + 1):
        if not any(cell.strip() for cell in cells):
            continue
        while len(cells) > len(header) and not cells[-1].strip():
            cells = cells[:-1]
        if len(cells) > len(header):
            raise InputError(
                _too_wide(len(cells), len(header), header_row, explicit, shown, sheet, lines),
                file=shown,
                row=line_no,
            )
        padded = [""] * len(header)
        for index, cell in enumerate(cells):
            text = cell.strip()
            # check_text's own fast path, without a call per cell (100 000 rows, 3 columns)
            if len(text) > MAX_CELL_CHARS or not (text.isascii() and text.isprintable()):
                column = header[index]
                text = check_text(
                    text, file=shown, row=line_no, column=column, names=column in KEY_COLUMNS
                )
            padded[index] = text
        rows.append(dict(zip(header, padded, strict=True)))
        numbers.append(line_no)
    table = Table(
        Path(str(shown)),
        tuple(header),
        tuple(rows),
        tuple(numbers),
        header_row,
        sheet,
        preview,
    )
    refuse_totals(table, formulas or {}, offset)
    return table


def _too_wide(
    cells: int,
    columns: int,
    header_row: int,
    explicit: bool,
    shown: Path | str,
    sheet: str | None,
    lines: Sequence[Sequence[str]],
) -> str:
    """A row wider than the headings: most often a title above the table, read as headings.
    Says that the headings must be the first row, and where they seem to be if a row below
    looks like them."""
    said = f"raden har {cells} värden men rubrikraden (rad {header_row}) bara {columns}"
    said += " kolumn" if columns == 1 else " kolumner"
    if explicit:
        return f"{said}; ge varje kolumn en rubrik på rad {header_row}"
    for index in range(header_row, min(len(lines), PREVIEW_ROWS)):
        texts = [c for c in lines[index] if c.strip()]
        if len(texts) >= cells and not any(_is_number(c) for c in texts):
            return f"{said}; {header_advice(shown, sheet, index + 1)}"
    return (
        f"{said}: kolumnrubrikerna måste stå på första raden, en rubrik per kolumn; ta bort "
        "en rubrik eller andra rader ovanför tabellen"
    )


def _loose_number(text: str) -> int | Decimal | None:
    """A cell as a number if it plainly is one (``1 200``, ``0,5``, ``12 kr``), else ``None``."""
    if text.isdigit() and text.isascii() and len(text) <= 30:
        return int(text)  # the common case, fast for files of 100 000 rows
    cleaned = _clean_number(text)
    if not cleaned or len(cleaned) > 30 or _THOUSANDS_COMMA.match(cleaned):
        return None
    if not _NUMBER.match(cleaned):
        return None
    return Decimal(cleaned.replace(",", "."))  # exact: Decimal reads a decimal as written


_LABEL_STARTS = frozenset(word[0] for word in TOTAL_WORDS | set(_TOTAL_PREFIXES))


def is_total_label(text: str) -> bool:
    """``Summa``, ``Totalt:``, ``Summa stadsdelar``: a label of a total row, not a name."""
    if text[:1].casefold() not in _LABEL_STARTS:
        return False
    folded = " ".join(text.casefold().split()).rstrip(":.")
    return folded in TOTAL_WORDS or folded.startswith(_TOTAL_PREFIXES)


_TOTAL_ADVICE = "gnv summerar själv, så ta bort raden (summor kan stå på en annan flik)"


def refuse_totals(table: Table, formulas: dict[tuple[int, int], str], offset: int = 0) -> None:
    """Raise on a row that totals the rows above it: gnv sums by itself.

    A total row is recognised by its label (``Summa``, ``Totalt`` … in the first column or the
    name column), by a formula summing the cells above it in its column, or by its numbers:
    each numeric value above 1 is the sum of the same column in the rows above (at least two
    columns, or one when the row has no name). Shares and yes/no flags (values up to 1) may
    stand in a total row as averages or marks and are not compared.
    """
    columns = table.columns
    width = len(columns)
    labels = [i for i, c in enumerate(columns) if i == 0 or c in KEY_COLUMNS]
    key = next((i for i, c in enumerate(columns) if c in KEY_COLUMNS), 0)
    sums: list[int | Decimal] = [0] * width
    counts = [0] * width
    numeric = [True] * width
    # Sums of up to a million cells of up to 30 digits stay exact with 80 digits.
    with localcontext(prec=80):
        for row_no, row in table.numbered():
            cells = [row[c] for c in columns]
            for i in labels:
                if cells[i] and is_total_label(cells[i]):
                    raise InputError(
                        f'raden "{cells[i]}" är en summarad, inte en mottagare; {_TOTAL_ADVICE}',
                        file=table.path,
                        row=row_no,
                        column=columns[i],
                    )
            if formulas:
                _refuse_sum_formulas(table, formulas, offset, row_no)
            values: list[int | Decimal | None] = [None] * width
            matching: list[int] = []
            differing = False
            for i in range(width):
                if not numeric[i] or not cells[i]:
                    continue
                value = _loose_number(cells[i])
                if value is None:
                    numeric[i] = False  # text: this column is not summed
                    continue
                values[i] = value
                if value > 1:
                    if counts[i] >= 2 and value == sums[i]:
                        matching.append(i)
                    else:
                        differing = True
            if matching and not differing and (len(matching) >= 2 or not cells[key]):
                shown = ", ".join(f'"{columns[i]}"' for i in matching)
                raise InputError(
                    f"raden ser ut att vara en summarad: värdena i {shown} är summan av raderna "
                    f"ovanför; {_TOTAL_ADVICE}",
                    file=table.path,
                    row=row_no,
                    column=columns[matching[0]],
                )
            for i, value in enumerate(values):
                if value is not None:
                    sums[i] += value
                    counts[i] += 1


def _refuse_sum_formulas(
    table: Table, formulas: dict[tuple[int, int], str], offset: int, row_no: int
) -> None:
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(table.columns):
        formula = formulas.get((row_no, offset + index + 1))
        if formula is None:
            continue
        letter = get_column_letter(offset + index + 1)
        if _sums_above(formula, letter, row_no):
            raise InputError(
                f"raden summerar raderna ovanför (cell {letter}{row_no}: {formula[:60]}); "
                + _TOTAL_ADVICE,
                file=table.path,
                row=row_no,
                column=column,
            )


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
    if not match:
        hint = (
            f'; är kolumnen "{column}" text, ange den i parameterfilen under mottagargruppens '
            f"text_columns (text_columns: [{column}])"
            if any(c.isalpha() for c in text)
            else ""
        )
        raise InputError(f'"{text[:30]}" är inget tal{hint}', file=file, row=row, column=column)
    if len(cleaned) > 30:
        raise InputError(
            f'talet "{text[:30]}…" är för stort; högst 30 siffror',
            file=file,
            row=row,
            column=column,
        )
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
