"""Rows of cells (a CSV file's or an Excel sheet's) checked and turned into a ``Table``."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat
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
    body = lines[header_row - 1 :]
    if first_column > 1:
        body = [line[first_column - 1 :] for line in body]
    body, skip = _trimmed(body)
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
    if skip:
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
    """The data rows by heading, blank rows skipped, with their row numbers; every cell checked.

    One pass, little work per row: a row's cells are stripped and joined once, and when the
    joined text is short, ASCII and printable, so is every cell (``check_text`` would return each
    unchanged); only other rows are checked cell by cell."""
    plain = _plain_rows(body, header, where.header_row + 1)
    if plain is not None:
        return plain
    width = len(header)
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    for line_no, cells in enumerate(body, start=where.header_row + 1):
        texts = list(map(str.strip, cells))
        joined = "".join(texts)
        if not joined:
            continue  # a blank row
        if len(texts) != width:
            texts = _fitted(texts, width, where, line_no)
        if len(joined) > MAX_CELL_CHARS or not (joined.isascii() and joined.isprintable()):
            texts = _checked(texts, header, where.shown, line_no)
        rows.append(dict(zip(header, texts, strict=True)))
        numbers.append(line_no)
    return rows, numbers


def _plain_rows(
    body: list[list[str]], header: list[str], first: int
) -> tuple[list[dict[str, str]], list[int]] | None:
    """``_rows`` at C speed for the usual table, else ``None``: every row as wide as the
    headings and not blank, every cell short, ASCII and printable (so ``check_text`` keeps it
    as it is) without a space at either end (so stripping keeps it as it is too)."""
    width = len(header)
    if not body or min(map(len, body)) != width or max(map(len, body)) != width:
        return None
    joined = list(map("".join, body))  # a row's cells; empty only for a blank row
    if not all(joined) or max(map(len, joined)) > MAX_CELL_CHARS:
        return None
    text = "".join(joined)
    if not (text.isascii() and text.isprintable()):
        return None  # so no cell holds "\0", which marks where each cell starts and ends below
    marked = "\0" + "\0".join(map("\0".join, body)) + "\0"
    if " \0" in marked or "\0 " in marked:
        return None
    rows = list(map(dict, map(zip, repeat(header), body)))
    return rows, list(range(first, first + len(body)))


def _fitted(texts: list[str], width: int, where: _Where, line_no: int) -> list[str]:
    """A row's cells as wide as the headings: empty cells at the end dropped, missing ones
    empty; a row still wider is refused."""
    while len(texts) > width and not texts[-1]:
        texts = texts[:-1]
    if len(texts) > width:
        raise InputError(
            too_wide(
                len(texts),
                width,
                where.header_row,
                where.explicit,
                where.shown,
                where.sheet,
                where.lines,
            ),
            file=where.shown,
            row=line_no,
        )
    return texts + [""] * (width - len(texts))


def _checked(texts: list[str], header: list[str], shown: Path | str, line_no: int) -> list[str]:
    """Every cell of a row through ``check_text`` (the first bad cell is refused)."""
    checked = []
    for index, text in enumerate(texts):
        if len(text) > MAX_CELL_CHARS or not (text.isascii() and text.isprintable()):
            column = header[index]
            text = check_text(
                text, file=shown, row=line_no, column=column, names=column in KEY_COLUMNS
            )
        checked.append(text)
    return checked
