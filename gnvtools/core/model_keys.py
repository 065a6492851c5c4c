"""Recipients read from their table, and the keys built from their numbers (``core.model``).

The part of the model that is linear in the number of recipients (100 000 rows in
``benchmarks/bench_keys.py``): each number cell is parsed once (a column of plain whole numbers
at C speed, ``Table.integers``), each recipient made once, each key column read once, and the key
kept as integers over one denominator (``money.ExactKey``). Every error is the one the row-by-row
reading would raise first, with the same message.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import repeat
from typing import TYPE_CHECKING, Any, cast

from gnvtools.core import params as p
from gnvtools.core.folding import closest
from gnvtools.core.money import ExactKey, combine_keys, swedish_sorted
from gnvtools.core.tables import Table, parse_number
from gnvtools.errors import InputError

if TYPE_CHECKING:
    from gnvtools.core.model import ParamFile

Number = int | Fraction  # exact: a plain whole number stays an int


@dataclass(frozen=True)
class Recipient:
    """A recipient and its data: numbers are exact, ``None`` where the cell was empty."""

    name: str
    group: str
    numbers: Mapping[str, Number | None]
    texts: Mapping[str, str]
    row: int

    def __init__(
        self,
        name: str,
        group: str,
        numbers: Mapping[str, Number | None],
        texts: Mapping[str, str],
        row: int,
    ) -> None:
        # As allocation.Line: the instance's dict written directly, not field by field through
        # object.__setattr__ (100 000 recipients). Same fields, same order (tested).
        fields = self.__dict__
        fields["name"] = name
        fields["group"] = group
        fields["numbers"] = numbers
        fields["texts"] = texts
        fields["row"] = row


@dataclass(frozen=True)
class RecipientTable:
    """A group's table and its recipients; ``columns`` holds each number column's values in
    the recipients' order (what their ``numbers`` hold), for keys over the whole group."""

    spec: p.RecipientGroup
    table: Table
    recipients: tuple[Recipient, ...]
    columns: Mapping[str, Sequence[Number | None]] = field(default_factory=dict)


def row_numbers(table: Table) -> Sequence[int]:
    """The rows' numbers as a spreadsheet shows them (``Table.numbered``)."""
    return table.row_numbers or range(2, len(table.rows) + 2)


def read_recipients(table: Table, spec: p.RecipientGroup) -> RecipientTable:
    """The table's rows as recipients of ``spec.group``: text columns as text, the other
    columns' cells as exact numbers (``None`` when empty), each parsed once."""
    others = [c for c in table.columns if c != "name"]
    numeric = [c for c in others if c not in spec.text_columns]
    texts = [c for c in others if c in spec.text_columns]
    rows = row_numbers(table)
    parsed = _numbers(table, numeric, rows)
    number_rows: Iterable[tuple[Any, ...]] = zip(*parsed, strict=True) if parsed else repeat(())
    text_columns = [table.column(c) for c in texts]
    text_rows: Iterable[tuple[str, ...]] = (
        zip(*text_columns, strict=True) if text_columns else repeat(())
    )
    group = spec.group
    recipients = tuple(
        Recipient(
            name,
            group,
            dict(zip(numeric, nums, strict=True)),
            dict(zip(texts, cells, strict=True)) if texts else {},
            row,
        )
        # the rows of numbers or texts are endless (repeat) when a table has none
        for name, row, nums, cells in zip(
            table.column("name"), rows, number_rows, text_rows, strict=False
        )
    )
    return RecipientTable(spec, table, recipients, dict(zip(numeric, parsed, strict=True)))


def _numbers(table: Table, columns: list[str], rows: Sequence[int]) -> list[list[Number | None]]:
    """Each column's cells as exact numbers: a column of plain whole numbers at once, any other
    cell by cell (``parse_number``). Of the cells refused, the first in row order (then column
    order) is raised, as reading row by row would."""
    parsed: list[list[Number | None]] = []
    first: tuple[int, int, InputError] | None = None
    for j, column in enumerate(columns):
        whole = table.integers(column)
        if whole is not None:
            parsed.append(list(whole))
            continue
        values: list[Number | None] = []
        for i, (cell, row) in enumerate(zip(table.column(column), rows, strict=True)):
            if cell == "":
                values.append(None)
                continue
            try:
                values.append(parse_number(cell, file=table.path, row=row, column=column))
            except InputError as error:
                if first is None or (i, j) < first[:2]:
                    first = (i, j, error)
                break
        parsed.append(values)
    if first is not None:
        raise first[2]
    return parsed


def numeric_column(table: RecipientTable, column: str) -> bool:
    return column in table.table.columns and column not in table.spec.text_columns


def require_column(
    file: ParamFile, table: RecipientTable, column: str, loc: tuple[Any, ...]
) -> None:
    """Raise unless ``column`` is a numeric column of the group's table, naming the key that
    needs it and a close column name."""
    if numeric_column(table, column):
        return
    import difflib

    path = ".".join(str(x) for x in loc)
    line = file.line(*loc)
    where = f"rad {line} i {file.shown}" if line else file.shown
    numeric = [c for c in table.table.columns if c not in table.spec.text_columns]
    close = difflib.get_close_matches(column, numeric, n=1, cutoff=0.6)
    hint = f"; menar du {close[0]}?" if close and column not in table.table.columns else ""
    raise InputError(
        f'kolumnen "{column}" saknas eller är inte numerisk (behövs av nyckeln {path}, '
        f"{where}){hint}" + table.table._elsewhere(column),
        file=table.table.path,
        row=1,
        column=column,
    )


def build_key(
    file: ParamFile,
    groups: Mapping[str, RecipientTable],
    chosen: Sequence[Recipient],
    weights: p.ColumnWeights,
    weight_by: p.CategoryWeights | None,
    loc: tuple[Any, ...],
) -> ExactKey:
    """The key of a step over ``chosen``: their columns mixed by ``weights`` (``combine_keys``),
    each value times its category's weight when ``weight_by`` is given."""
    if weight_by is not None:
        check_categories(file, groups, chosen, weight_by, loc)
    columns = {
        column: _key_column(file, groups, chosen, column, weight_by, loc) for column in weights
    }
    mixed = combine_keys(columns, {c: Fraction(str(w)) for c, w in weights.items()})
    if sum(mixed.numerators.values()) == 0:  # every key value is numerator / denominator
        raise file.error("fördelningsnyckeln är noll för alla mottagare", *loc, "key")
    return mixed


def _key_column(
    file: ParamFile,
    groups: Mapping[str, RecipientTable],
    chosen: Sequence[Recipient],
    column: str,
    weight_by: p.CategoryWeights | None,
    loc: tuple[Any, ...],
) -> dict[str, Number]:
    """One column's values over ``chosen`` (times the category weights). The column of each
    group is checked at the group's first recipient; a missing value is refused at its row."""
    used = {r.group for r in chosen}
    if weight_by is None and all(numeric_column(groups[g], column) for g in used):
        whole = groups[next(iter(used))] if len(used) == 1 else None
        if (
            whole
            and len(chosen) == len(whole.recipients)
            and all(map(operator.is_, chosen, whole.recipients))
        ):  # the whole group, in its order: the column as parsed (what each recipient holds)
            found = dict(zip(whole.table.column("name"), whole.columns[column], strict=True))
        else:
            found = {r.name: r.numbers.get(column) for r in chosen}
        if None not in found.values():  # the usual case: nothing to refuse, nothing to weigh
            return cast(dict[str, Number], found)
    values: dict[str, Number] = {}
    checked: set[str] = set()
    weighed: dict[str, Fraction] = {}  # category → its weight
    for recipient in chosen:
        table = groups[recipient.group]
        if recipient.group not in checked:
            require_column(file, table, column, (*loc, "key", column))
        value = recipient.numbers.get(column)
        if value is None:
            raise InputError(
                "värde saknas men behövs för fördelningsnyckeln",
                file=table.table.path,
                row=recipient.row,
                column=column,
            )
        if weight_by is not None:
            if recipient.group not in checked:
                _require_categories(table, weight_by)
            category = recipient.texts.get(weight_by.column, "")
            if category not in weighed:
                weighed[category] = Fraction(str(weight_by.weights.get(category, 0)))
            value *= weighed[category]
        checked.add(recipient.group)
        values[recipient.name] = value
    return values


def _require_categories(table: RecipientTable, weight_by: p.CategoryWeights) -> None:
    if weight_by.column not in table.spec.text_columns:
        raise InputError(
            f'kolumnen "{weight_by.column}" saknas eller är inte angiven som textkolumn',
            file=table.table.path,
            row=1,
            column=weight_by.column,
        )


def check_categories(
    file: ParamFile,
    groups: Mapping[str, RecipientTable],
    chosen: Sequence[Recipient],
    weight_by: p.CategoryWeights,
    loc: tuple[Any, ...],
) -> None:
    """Every category ``weight_by.weights`` names must occur in its column: a typo
    (``tatort`` for ``tätort``) would give its rows weight 0 without a word."""
    column = weight_by.column
    used = {c.group for c in chosen}
    if any(column not in groups[g].spec.text_columns for g in used):
        return  # _require_categories names the column that is missing
    found = {r.texts.get(column, "") for g in used for r in groups[g].recipients}
    found.discard("")
    for category in weight_by.weights:
        if category in found:
            continue
        near = closest(category, found, n=1)
        hint = f' (menar du "{near[0]}"?)' if near else ""
        listed = ", ".join(f'"{c}"' for c in swedish_sorted(found))
        raise file.error(
            f'kategorin "{category}" finns inte i kolumnen "{column}"{hint}; där finns {listed}',
            *loc,
            "weight_by",
            "weights",
            category,
        )
