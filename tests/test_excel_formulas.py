"""A formula's result is stored beside it: a program that reads the workbook without
recalculating it (pandas, openpyxl's ``data_only``, a previewer) sees the checksum Excel shows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from gnvtools.publish.excel_table import column_formula, column_value
from gnvtools.reports.display import MISSING

from .conftest import EXAMPLES

_RANGE = r"([A-Z]+)(\d+):[A-Z]+(\d+)"  # one column: the same letter twice
_IF = re.compile(rf'^IF\(COUNTBLANK\({_RANGE}\)>0,"([^"]*)",SUM\({_RANGE}\)\)$')
_TERM = re.compile(rf"([+-]?)(?:SUM\({_RANGE}\)|([A-Z]+)(\d+))")


def _evaluate(formula: str, values: Any) -> int | str:
    """The few formulas the workbook holds, worked out as Excel works them out."""

    def cell(letter: str, row: int) -> Any:
        return values.cell(row=row, column=column_index_from_string(letter)).value

    def column(letter: str, first: str, last: str) -> list[Any]:
        return [cell(letter, row) for row in range(int(first), int(last) + 1)]

    body = formula[1:]
    choice = _IF.match(body)
    if choice:
        letter, first, last, missing = choice.group(1, 2, 3, 4)
        cells = column(letter, first, last)
        return missing if any(v is None for v in cells) else sum(cells)
    total, at = 0, 0
    for term in _TERM.finditer(body):
        assert term.start() == at, formula  # nothing but terms
        at = term.end()
        sign, letter, first, last, one, row = term.groups()
        if letter:
            amount = sum(v or 0 for v in column(letter, first, last))
        else:
            amount = cell(one, int(row)) or 0
        total += -amount if sign == "-" else amount
    assert at == len(body), formula
    return total


@pytest.mark.parametrize(("report", "params"), EXAMPLES)
def test_each_formula_comes_with_its_result(
    rendered: dict[tuple[str, str], Path], report: str, params: str
) -> None:
    path = rendered[(report, params)] / f"{report}.xlsx"
    formulas, values = load_workbook(path), load_workbook(path, data_only=True)
    seen = 0
    for sheet in formulas.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                stored = values[sheet.title][cell.coordinate].value
                assert stored is not None, (sheet.title, cell.coordinate, cell.value)
                assert stored == _evaluate(str(cell.value), values[sheet.title])
                seen += 1
    assert seen, "the example's tables have checksums"


def test_the_result_follows_the_formulas_rules() -> None:
    labels = ["Tilldelat", "− Förbrukat", "Summa hittills", "Återfört"]
    assert column_formula("B", labels, 4, 100) == "=B4-B5+B7"
    assert column_value(labels, [500, 200, 300, 7], 100) == 307  # the subtotal not counted
    assert column_value(labels, [500, None, 300, 7], 100) == 507  # a blank counts as 0
    assert column_value(["a", "b"], [1, None], None) == MISSING  # as the IF(COUNTBLANK…) says
    assert column_value(["a", "b"], [1, 2], None) == 3
    assert column_value(["a", "b"], [1, "text"], 5) is None  # Excel's to work out
    assert column_value(["a", "b"], [1, 2.5], 5) is None
