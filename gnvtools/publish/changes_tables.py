"""What changed in a data file (CSV or xlsx) since the build, row by row and cell by cell.

Rows are matched by their name column (``name``, else ``recipient`` when unique, else the row
number): ``data/districts.csv, rad 2 (Bromma), kolumn "population": 82 410 → 83 000``; an
Excel file sheet by sheet, every line naming its sheet. ``swedish`` writes a value as a reader
sees it, for these lines and for the YAML ones (``changes_yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gnvtools.core.formatting import number
from gnvtools.core.tables import (
    SheetChoice,
    Table,
    guess_header_row,
    read_sheets,
    resolve_sheet,
    sheet_table,
    table_from_bytes,
)
from gnvtools.errors import GnvError

_INTEGER = re.compile(r"^-?\d{4,}$")


def swedish(value: object) -> str:
    """A value as a reader sees it: ``1336515`` → ``1 336 515``, text in quotes, missing as –."""
    if value is None or value == "":
        return "(tomt)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return number(value).replace("\u00a0", " ")
    text = str(value)
    if _INTEGER.match(text):
        return number(int(text)).replace("\u00a0", " ")
    return f'"{text}"'


def _key_column(table_old: Table, table_new: Table) -> str | None:
    """The column rows are matched by: ``name``, else ``recipient``, when unique in both."""
    for candidate in ("name", "recipient"):
        if candidate in table_old.columns and candidate in table_new.columns:
            for table in (table_old, table_new):
                values = [r[candidate] for r in table.rows]
                if len(values) != len(set(values)):
                    break
            else:
                return candidate
    return None


def table_diff(label: str, before: Table, after: Table) -> list[str]:
    """Row-by-row, cell-by-cell changes between two readings of one table."""
    changes = []
    for column in before.columns:
        if column not in after.columns:
            changes.append(f'{label}: kolumnen "{column}" har tagits bort')
    for column in after.columns:
        if column not in before.columns:
            changes.append(f'{label}: kolumnen "{column}" har lagts till')
    key = _key_column(before, after)
    pairs: list[tuple[str | None, Side, Side]]
    old_rows = list(before.numbered())
    new_rows = list(after.numbered())
    if key is not None:
        old_by = {r[key]: (n, r) for n, r in old_rows}
        new_by = {r[key]: (n, r) for n, r in new_rows}
        pairs = [(k, old_by.get(k), new_by.get(k)) for k in dict.fromkeys([*old_by, *new_by])]
        pairs = _renamed(pairs)
    else:
        count = max(len(old_rows), len(new_rows))
        pairs = [
            (
                None,
                old_rows[i] if i < len(old_rows) else None,
                new_rows[i] if i < len(new_rows) else None,
            )
            for i in range(count)
        ]
    for name, was, now in pairs:
        shown = f" ({name})" if name else ""
        if was is None and now is not None:
            changes.append(f"{label}, rad {now[0]}{shown}: raden har lagts till")
            continue
        if now is None and was is not None:
            changes.append(f"{label}, rad {was[0]}{shown}: raden har tagits bort")
            continue
        assert was is not None and now is not None
        for column in after.columns:
            if column in before.columns and was[1].get(column, "") != now[1].get(column, ""):
                changes.append(
                    f'{label}, rad {now[0]}{shown}, kolumn "{column}": '
                    f"{swedish(was[1].get(column))} → {swedish(now[1].get(column))}"
                )
    return changes


Side = tuple[int, dict[str, str]] | None


def _renamed(pairs: list[tuple[str | None, Side, Side]]) -> list[tuple[str | None, Side, Side]]:
    """A row gone and a row come on the same row number is one row whose name was changed."""
    gone = {was[0]: i for i, (_, was, now) in enumerate(pairs) if was and now is None}
    merged: dict[int, tuple[str | None, Side, Side]] = {}
    dropped: set[int] = set()
    for index, (_, was, now) in enumerate(pairs):
        if was is None and now is not None and now[0] in gone:
            first = gone.pop(now[0])
            merged[first] = (None, pairs[first][1], now)
            dropped.add(index)
    return [merged.get(i, pair) for i, pair in enumerate(pairs) if i not in dropped]


def table_changes(path: str, old: bytes, new: bytes) -> list[str]:
    """Row-by-row, cell-by-cell changes between two versions of a CSV file."""
    try:
        before = table_from_bytes(old, path)
        after = table_from_bytes(new, path)
    except GnvError as exc:
        return [f"{path}: filen har ändrats och kan inte längre läsas ({_problem(exc)})"]
    return table_diff(path, before, after) or [
        f"{path}: filen har ändrats men inga värden skiljer sig (format eller ordning)"
    ]


def _problem(exc: GnvError) -> str:
    """An error's message with its row and column, without the file the line already names."""
    where = exc.where()
    if exc.file and where.startswith(exc.file):
        where = where[len(exc.file) :].lstrip(", ")
    return f"{where}: {exc.message}" if where else exc.message


MAX_CELL_CHANGES = 40


def _cell_changes(label: str, before: list[list[str]], after: list[list[str]]) -> list[str]:
    """Cell-by-cell changes of a sheet that is not a table (or no longer reads as one)."""
    from openpyxl.utils import get_column_letter

    changes = []
    for row in range(max(len(before), len(after))):
        was = before[row] if row < len(before) else []
        now = after[row] if row < len(after) else []
        for column in range(max(len(was), len(now))):
            old = was[column] if column < len(was) else ""
            new = now[column] if column < len(now) else ""
            if old != new:
                cell = f"{get_column_letter(column + 1)}{row + 1}"
                changes.append(f"{label}, cell {cell}: {swedish(old)} → {swedish(new)}")
            if len(changes) >= MAX_CELL_CHANGES:
                return [*changes, f"{label}: fler celler har ändrats"]
    return changes


def workbook_changes(
    path: str, old: bytes, new: bytes, sheets: Sequence[str] | None = None
) -> list[str]:
    """Changes between two versions of an Excel file, sheet by sheet.

    ``sheets`` are the sheets the report read, as written after ``#`` in the parameter file
    (``Blad2``, ``Blad2!A3``; ``""`` for the first sheet); each is read exactly as the report
    read it. Without them every sheet that changed is compared, its headings found as
    ``guess_header_row`` finds them. A sheet that does not read as a table is compared cell by
    cell. Every line names the sheet.
    """
    try:
        before = {sheet.title: sheet for sheet in read_sheets(old, path)}
        after = {sheet.title: sheet for sheet in read_sheets(new, path)}
    except GnvError as exc:
        return [f"{path}: filen har ändrats och kan inte längre läsas ({exc.message})"]
    choices: dict[str, SheetChoice] = {}
    if sheets is not None:
        for fragment in sheets:
            try:
                choice = resolve_sheet(fragment or None, list(after), path)
            except GnvError as exc:
                return [f"{path}: {exc.message}"]
            choices[choice.title] = choice
    titles = list(choices) if sheets is not None else list(dict.fromkeys([*before, *after]))
    changes: list[str] = []
    for title in titles:
        label = f"{path}, flik {title}"
        if title not in after:
            changes.append(f"{label}: fliken har tagits bort")
            continue
        if title not in before:
            changes.append(f"{label}: fliken har lagts till")
            continue
        if before[title].lines == after[title].lines:
            continue
        choice = choices.get(title) or SheetChoice(
            title, guess_header_row(before[title].lines) or 1, explicit=True
        )
        try:
            table_old = sheet_table(before[title], path, choice)
            table_new = sheet_table(after[title], path, choice)
        except GnvError:
            changes += _cell_changes(label, before[title].lines, after[title].lines)
            continue
        changes += table_diff(label, table_old, table_new) or _cell_changes(
            label, before[title].lines, after[title].lines
        )
    return changes or [
        f"{path}: filen har ändrats men inga värden skiljer sig (format eller ordning)"
    ]
