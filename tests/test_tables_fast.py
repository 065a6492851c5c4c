"""The fast paths for large tables give what the row-by-row reading gives, errors included.

A table's rows (``tables_lines._plain_rows``), its total-row check (``refuse_totals`` before
``_refuse_row_by_row``), its plain whole-number columns (``Table.integers``) and its recipients'
numbers (``model_keys.read_recipients``) each have a path for 100 000 rows; here each is
compared with the plain per-row version on random tables of hostile cells.
"""

from __future__ import annotations

import dataclasses
import gc
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gnvtools.core import params as p
from gnvtools.core import tables_lines
from gnvtools.core.bulk import collector_paused
from gnvtools.core.model_keys import read_recipients
from gnvtools.core.tables import Table
from gnvtools.core.tables_numbers import loose_number, parse_number, plain_integers
from gnvtools.core.tables_totals import _refuse_row_by_row, refuse_totals
from gnvtools.errors import InputError

HEADER = ["name", "population", "places"]
CELLS = [
    "",
    " ",
    "a",
    " a",
    "a ",
    "Enhet 1",
    "Summa",
    "Totalt:",
    "Södermalm",
    "A\u0308rla",  # not NFC
    "x\u200by",  # invisible
    "\t1",
    "1\x01",
    "12",
    "007",
    "1 200",
    "1,5",
    "0,5",
    "500,000",
    "3 kr",
    "50 %",
    "ja",
    "-4",
    "\u0661\u0662",  # Arabic-Indic digits: isdigit, not ASCII
    "9" * 31,
    "b" * 1001,
]
cells = st.sampled_from(CELLS)
rows = st.lists(st.lists(cells, min_size=0, max_size=5), min_size=0, max_size=12)


def outcome(call: Any, *args: Any) -> Any:
    """What a call returns, or the message of the ``InputError`` it raises."""
    try:
        return call(*args)
    except InputError as error:
        return ("error", str(error))


@given(rows, st.booleans())
def test_rows_fast_path_is_the_row_by_row_reading(body: list[list[str]], explicit: bool) -> None:
    where = tables_lines._Where("t.csv", None, 1, explicit, [HEADER, *body])
    fast = outcome(tables_lines._rows, body, HEADER, where)
    saved = tables_lines._plain_rows
    tables_lines._plain_rows = lambda *args: None  # type: ignore[assignment]
    try:
        slow = outcome(tables_lines._rows, body, HEADER, where)
    finally:
        tables_lines._plain_rows = saved
    assert fast == slow


def test_plain_rows_reads_a_plain_table_and_leaves_others() -> None:
    body = [["Enhet 1", "10", "2"], ["Enhet 2", "20", ""]]
    rows_, numbers = tables_lines._plain_rows(body, HEADER, 2) or ([], [])
    assert rows_ == [dict(zip(HEADER, line, strict=True)) for line in body]
    assert numbers == [2, 3]
    for odd in (
        ["Enhet 1 ", "1", "2"],
        ["Sö", "1", "2"],
        ["", "", ""],
        ["a", "1"],
        ["a\t", "1", "2"],
    ):
        assert tables_lines._plain_rows([body[0], odd], HEADER, 2) is None, odd


def _table(body: list[list[str]], columns: list[str]) -> Table:
    width = len(columns)
    fitted = [dict(zip(columns, (line + [""] * width)[:width], strict=True)) for line in body]
    return Table(Path("t.csv"), tuple(columns), tuple(fitted), tuple(range(2, len(body) + 2)))


numbers_ = st.one_of(
    st.integers(0, 3).map(str),
    st.integers(0, 10**6).map(str),
    st.sampled_from(["", "1,5", "0,5", "1 200", "x", "q", "2,0", "Summa", "007", "-1"]),
)


@st.composite
def totalled(draw: Any) -> tuple[list[str], list[list[str]]]:
    """Tables where some rows are the sums of the rows above them (in some columns)."""
    columns = draw(st.sampled_from([HEADER, ["population", "places"], ["kod", "name", "a"]]))
    body: list[list[str]] = []
    for _ in range(draw(st.integers(0, 8))):
        if body and draw(st.integers(0, 3)) == 0:
            line = []
            for index in range(len(columns)):
                values = [loose_number(r[index]) for r in body if r[index]]
                numeric = values and all(v is not None for v in values)
                line.append(str(sum(values)) if numeric else draw(st.sampled_from(CELLS[:9])))
            body.append(line)
        else:
            body.append([draw(numbers_) if i else draw(cells) for i in range(len(columns))])
    return columns, body


@given(totalled())
def test_total_rows_found_as_row_by_row(drawn: tuple[list[str], list[list[str]]]) -> None:
    columns, body = drawn
    fast = outcome(refuse_totals, _table(body, columns), {})
    slow = outcome(_refuse_row_by_row, _table(body, columns), {}, 0)
    assert fast == slow


@given(st.lists(st.sampled_from([*CELLS, "0", "1", "42", "3" * 30]), max_size=8))
def test_plain_integers_are_what_each_cell_parses_to(column: list[str]) -> None:
    found = plain_integers(column)
    plain = all(c.isdigit() and c.isascii() and len(c) <= 30 for c in column) and column
    assert (found is not None) == bool(plain)
    if found is not None:
        assert found == [parse_number(c, file="t", row=1, column="c") for c in column]
        assert found == [loose_number(c) for c in column]
        assert all(type(v) is int for v in found)


def reference_recipients(table: Table, spec: p.RecipientGroup) -> list[Any]:
    """The recipients read row by row, cell by cell, as before the column-wise reading."""
    found = []
    for row_no, row in table.numbered():
        numbers: dict[str, Fraction | None] = {}
        texts: dict[str, str] = {}
        for column in table.columns:
            if column == "name":
                continue
            cell = row[column]
            if column in spec.text_columns:
                texts[column] = cell
            elif cell == "":
                numbers[column] = None
            else:
                numbers[column] = parse_number(cell, file=table.path, row=row_no, column=column)
        found.append((row["name"], spec.group, numbers, texts, row_no))
    return found


@given(st.lists(st.lists(numbers_, min_size=3, max_size=3), min_size=1, max_size=8), st.booleans())
def test_recipients_read_as_row_by_row(body: list[list[str]], text: bool) -> None:
    columns = ["population", "name", "typ" if text else "places", "places2"]
    lines = [[a, f"R{i}", b, c] for i, (a, b, c) in enumerate(body)]
    table = _table(lines, columns)
    spec = p.RecipientGroup(group="g", label="G", file="t.csv", text_columns=["typ"])
    fast = outcome(read_recipients, table, spec)
    if not isinstance(fast, tuple) or fast[:1] != ("error",):
        fast = [(r.name, r.group, dict(r.numbers), dict(r.texts), r.row) for r in fast.recipients]
        assert all(
            type(v) is int or isinstance(v, Fraction) or v is None
            for r in fast
            for v in r[2].values()
        )
    assert fast == outcome(reference_recipients, table, spec)


def test_the_first_bad_cell_in_row_order_is_named() -> None:
    spec = p.RecipientGroup(group="g", label="G", file="t.csv")
    table = _table([["A", "1", "q"], ["B", "y", "2"]], ["name", "a", "b"])
    with pytest.raises(InputError, match='rad 2, kolumn "b": "q" är inget tal'):
        read_recipients(table, spec)
    table = _table([["A", "z", "q"]], ["name", "a", "b"])
    with pytest.raises(InputError, match='rad 2, kolumn "a": "z" är inget tal'):
        read_recipients(table, spec)


def test_collector_paused_and_on_again() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outermost block decides
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()


def test_a_key_over_the_whole_group_reads_its_parsed_columns() -> None:
    """Over a whole group, in order, a key column is the column as parsed; over any other list
    of recipients it is read recipient by recipient. Both give the same values."""
    from gnvtools.core.model_keys import _key_column

    spec = p.RecipientGroup(group="g", label="G", file="t.csv")
    body = [["A", "3", "1,5"], ["B", "0", "2"], ["C", "7", ""]]
    group = read_recipients(_table(body, ["name", "a", "b"]), spec)
    groups = {"g": group}
    whole = list(group.recipients)
    copied = [dataclasses.replace(r) for r in whole]  # equal, but not the group's own
    fast = _key_column(None, groups, whole, "a", None, ())  # type: ignore[arg-type]
    slow = _key_column(None, groups, copied, "a", None, ())  # type: ignore[arg-type]
    assert fast == slow == {"A": 3, "B": 0, "C": 7}
    assert list(fast) == ["A", "B", "C"]
    for chosen in (whole, copied):  # a missing value: refused at its row either way
        with pytest.raises(InputError, match='rad 4, kolumn "b": värde saknas'):
            _key_column(None, groups, chosen, "b", None, ())  # type: ignore[arg-type]


def test_a_recipient_in_two_groups_is_refused_at_its_second_row(tmp_path: Path) -> None:
    from gnvtools.core.model import build_plan

    (tmp_path / "a.csv").write_text("name,population\nAlby,10\nBerga,20\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("name,population\nCentrum,5\nBerga,7\n", encoding="utf-8")
    (tmp_path / "2025.yaml").write_text(
        """organisation: {name: Exempelkommun, type: kommun}
year: 2025
regime: sfs-2024-1253
title: Två grupper
received: {total: 1000}
recipients:
  - {group: a, label: A, file: a.csv}
  - {group: b, label: B, file: b.csv}
pots:
  - name: Statsbidrag
    steps:
      - {name: Nyckel, kind: key, amount: rest, recipients: {group: a}, key: {population: 1}}
""",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        build_plan(tmp_path / "2025.yaml")
    assert str(caught.value).endswith(
        'b.csv, rad 3, kolumn "name": mottagaren "Berga" finns redan i gruppen "a"'
    ), str(caught.value)
