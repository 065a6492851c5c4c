"""Rows of cells (a CSV file's or an Excel sheet's) checked and turned into a ``Table``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gnvtools.core.tables_cells import (
    KEY_COLUMNS,
    MAX_CELL_CHARS,
    PREVIEW_ROWS,
    Table,
    check_text,
    header_advice,
)
from gnvtools.core.tables_totals import guess_header_row, refuse_totals, too_wide
from gnvtools.errors import InputError, visible


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
        _refuse_title(lines, shown, sheet)
    preview = tuple(tuple(line) for line in lines[:PREVIEW_ROWS])
    if header_row > len(lines) or not any(c.strip() for c in lines[header_row - 1]):
        raise InputError("filen är tom eller saknar rubrikrad", file=shown, row=header_row)
    body, skip = _trimmed([line[first_column - 1 :] for line in lines[header_row - 1 :]])
    offset = first_column - 1 + skip  # cells before the table's first column
    header = _header(body[0], shown, header_row)
    where = _Where(shown, sheet, header_row, explicit, lines)
    rows, numbers = _rows(body[1:], header, where)
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


@dataclass(frozen=True)
class _Where:
    """Where the rows come from, as a message about a row too wide needs it."""

    shown: Path | str
    sheet: str | None
    header_row: int
    explicit: bool
    lines: list[list[str]]


def _refuse_title(lines: list[list[str]], shown: Path | str, sheet: str | None) -> None:
    """Refuse a first row that reads like a title above the table, saying where the headings
    seem to be."""
    guessed = guess_header_row(lines)
    if guessed is not None:
        title = next((c.strip() for c in lines[0] if c.strip()), "")
        raise InputError(
            f'"{visible(title[:60])}" ser ut som en rubrik ovanför tabellen, inte som '
            f"kolumnrubriker; {header_advice(shown, sheet, guessed)}",
            file=shown,
            row=1,
        )


def _trimmed(body: list[list[str]]) -> tuple[list[list[str]], int]:
    """The rows (headings first) without leading columns empty in every row, and without
    Excel's empty trailing header cells; with the number of leading columns left out."""
    skip = 0
    while body[0] and skip < len(body[0]) and not body[0][skip].strip():
        if any(line[skip : skip + 1] and line[skip].strip() for line in body):
            break
        skip += 1
    body = [line[skip:] for line in body]
    while body[0] and not body[0][-1].strip():  # Excel's empty trailing header cells
        body[0] = body[0][:-1]
    return body, skip


def _header(cells: list[str], shown: Path | str, header_row: int) -> list[str]:
    """The column headings, checked: none empty, none twice, no invisible characters."""
    header = [
        check_text(cell.strip(), file=shown, row=header_row, column=cell.strip()[:40], names=True)
        for cell in cells
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
    return header


def _rows(
    body: list[list[str]], header: list[str], where: _Where
) -> tuple[list[dict[str, str]], list[int]]:
    """The data rows by heading, blank rows skipped, with their row numbers; every cell checked."""
    shown = where.shown
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    for line_no, cells in enumerate(body, start=where.header_row + 1):
        if not any(cell.strip() for cell in cells):
            continue
        while len(cells) > len(header) and not cells[-1].strip():
            cells = cells[:-1]
        if len(cells) > len(header):
            raise InputError(
                too_wide(
                    len(cells),
                    len(header),
                    where.header_row,
                    where.explicit,
                    shown,
                    where.sheet,
                    where.lines,
                ),
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
    return rows, numbers
