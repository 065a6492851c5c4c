"""Reading the CSV files and Excel sheets that parameter files point to.

Analysts export these from Excel, so the reader accepts what Swedish Excel writes: semicolon
separators, decimal commas, spaces as thousands separators and Windows-1252 encoding, besides
plain UTF-8 with commas. Values are parsed into exact types here, once, and every problem is
reported with the file, the row (as Excel numbers it: the header is row 1) and the column.

``read_table`` is the one way in; the work is done by the modules it names:

- ``tables_bounds``: bounded reading (a regular file, at most 50 MB; a workbook that does not
  unpack to too much);
- ``tables_csv``: CSV text in any encoding and separator Swedish Excel writes;
- ``tables_excel``: a sheet of an .xlsx workbook, its formulas checked;
- ``tables_lines``: rows of cells checked into a ``Table`` (``tables_cells``);
- ``tables_totals``: total rows refused, title rows above the headings recognised;
- ``tables_numbers``: exact kronor and numbers from cells.

Every name is importable from here, as before the split.
"""

from __future__ import annotations

from pathlib import Path

from gnvtools.core import reuse
from gnvtools.core.bulk import collector_paused
from gnvtools.core.tables_bounds import (
    MAX_EXCEL_ROWS,
    MAX_PACKING_RATIO,
    MAX_TABLE_BYTES,
    MAX_UNPACKED_BYTES,
    read_bytes_bounded,
)
from gnvtools.core.tables_cells import (
    KEY_COLUMNS,
    MAX_CELL_CHARS,
    PREVIEW_ROWS,
    Table,
    check_text,
    check_unique,
    describe_char,
    header_advice,
)
from gnvtools.core.tables_csv import table_from_bytes
from gnvtools.core.tables_excel import (
    EXCEL_SUFFIXES,
    Sheet,
    SheetChoice,
    read_excel,
    read_sheets,
    resolve_sheet,
    sheet_table,
    split_sheet,
)
from gnvtools.core.tables_lines import table_from_lines
from gnvtools.core.tables_numbers import MAX_AMOUNT, parse_amount, parse_number
from gnvtools.core.tables_totals import (
    TOTAL_WORDS,
    guess_header_row,
    is_total_label,
    refuse_totals,
)

__all__ = [
    "EXCEL_SUFFIXES",
    "KEY_COLUMNS",
    "MAX_AMOUNT",
    "MAX_CELL_CHARS",
    "MAX_EXCEL_ROWS",
    "MAX_PACKING_RATIO",
    "MAX_TABLE_BYTES",
    "MAX_UNPACKED_BYTES",
    "PREVIEW_ROWS",
    "TOTAL_WORDS",
    "Sheet",
    "SheetChoice",
    "Table",
    "check_text",
    "check_unique",
    "describe_char",
    "guess_header_row",
    "header_advice",
    "is_total_label",
    "parse_amount",
    "parse_number",
    "read_bytes_bounded",
    "read_excel",
    "read_sheets",
    "read_table",
    "refuse_totals",
    "resolve_sheet",
    "sheet_table",
    "split_sheet",
    "table_from_bytes",
    "table_from_lines",
]

_READ = reuse.cache(16)  # tables read by this process, reused while unchanged (core.reuse)


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
        with collector_paused():  # a bulk of rows
            kept = _read_table(path, display)  # looked up here, so a test can count the reads
        _READ.put(key, [(key[1], found)], kept)
        reuse.note([(key[1], found)])
    table: Table = kept
    return table


def _read_table(path: Path, display: str | None) -> Table:
    """The file read, not reused: an Excel sheet or CSV text, bounded first."""
    shown_name, sheet = split_sheet(display or str(path))
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return read_excel(path, shown_name, sheet)
    shown = Path(display) if display else path
    return table_from_bytes(read_bytes_bounded(path, shown), shown)
