"""A report table on its own sheet: the rows as numbers, a source column, the reconciliation
with the report's figures and a formula row that recomputes the totals.

- **Källa**: beside each row, where its figures come from (each figure's ``sources`` from the
  report's catalogue, or the figures it is computed from), so an auditor need not look each
  one up in "Tal i rapporten"; each figure's name stays as a note on its cell.
- **Reconciliation** (``excel_reconcile``): under the sum row, the figures outside the table and
  the total the report states. A sheet with amounts that cannot be reconciled says why.
- **Kontrollsumma (formel)**: Excel recomputes each amount column from its rows (a row saying
  "− Förbrukat" taken away, a subtotal row inside the table not counted twice). A column whose
  total the report gives as "uppgift saknas" gets a formula that says so while a row is empty,
  never a sum that reads as 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gnvtools.publish.excel_book import Cell as BookCell
from gnvtools.publish.excel_inputs import root_sources
from gnvtools.publish.excel_reconcile import Line, Reconciliation
from gnvtools.publish.excel_sheets import (
    BOLD,
    HEADING,
    INT_FORMAT,
    ITALIC,
    KR_FORMAT,
    MADE_UP,
    PERCENT_FORMAT,
    WRAPPED,
    YEAR_FORMAT,
    text_as_text,
)
from gnvtools.publish.excel_style import Comment
from gnvtools.publish.excel_style import column_letter as get_column_letter
from gnvtools.reports.display import MISSING
from gnvtools.reports.document import ILLUSTRATIVE

SUBTRACTED = "\u2212"  # a row whose label begins "− " is taken away in the table's total
SUBTOTAL = "Summa"  # a row inside the table summing the rows above it
SOURCE = "Källa"
CHECK = "Kontrollsumma (formel)"
_FORMATS = {"kr": KR_FORMAT, "percent": PERCENT_FORMAT, "int": INT_FORMAT, "year": YEAR_FORMAT}


def column_formula(letter: str, labels: Sequence[str], first: int, total: Any) -> str | None:
    """The formula recomputing a column's total from its rows ``first``… (labelled ``labels``):
    ``=SUM(B4:B14)``, ``=B4-B5-B6+B7`` for rows saying "− …", ``=SUM(B4:B11)+B13`` past a
    subtotal row. When the report's total is missing (``total`` None) it yields "uppgift
    saknas" while a row is empty; ``None`` when the report states no total and no row is empty
    (there is nothing to recompute)."""
    last = first + len(labels) - 1
    whole = f"{letter}{first}:{letter}{last}"
    if total is None:
        return f'=IF(COUNTBLANK({whole})>0,"{MISSING}",SUM({whole}))'
    signs = [
        "" if str(label).startswith(SUBTOTAL) else "-" if str(label).startswith(SUBTRACTED) else "+"
        for label in labels
    ]
    if set(signs) == {"+"}:
        return f"=SUM({whole})"
    terms: list[str] = []
    run: list[int] = []

    def close() -> None:
        if run:
            span = (
                f"{letter}{run[0]}" if len(run) == 1 else f"SUM({letter}{run[0]}:{letter}{run[-1]})"
            )
            terms.append("+" + span)
            run.clear()

    for row, sign in enumerate(signs, start=first):
        if sign == "+":
            run.append(row)
            continue
        close()
        if sign == "-":
            terms.append(f"-{letter}{row}")
    close()
    return "=" + "".join(terms).lstrip("+")


def column_value(labels: Sequence[str], values: Sequence[Any], total: Any) -> int | str | None:
    """What ``column_formula``'s formula gives for these rows, as Excel computes it (a blank
    cell counts as 0, a subtotal row not at all): stored beside the formula for programs that
    read a workbook without recalculating it. ``None`` when a row holds anything but a whole
    number or a blank (the result is then Excel's to work out)."""
    if any(value is not None and type(value) is not int for value in values):
        return None
    if total is None:
        return MISSING if any(value is None for value in values) else sum(values)
    result = 0
    for label, value in zip(labels, values, strict=True):
        if str(label).startswith(SUBTOTAL):
            continue
        result += (-1 if str(label).startswith(SUBTRACTED) else 1) * (value or 0)
    return result


def row_sources(names: Sequence[Any], figures: Mapping[str, Mapping[str, Any]]) -> str:
    """Where a row's figures come from in the end (``excel_inputs.root_sources``), each
    source once: the parameter file's line, the input's rows and columns, the rule."""
    found: list[str] = []
    for name in names:
        if name:
            found += [s for s in root_sources(str(name), figures) if s not in found]
    return "; ".join(found)


def _why_not(table: Mapping[str, Any], checks: Sequence[Reconciliation]) -> str:
    """Why a sheet's amounts are not brought to a total the report states ("" if they are)."""
    kinds = list(table["kinds"])
    if "kr" not in kinds[1:]:
        return ""
    footer = table.get("footer")
    if not footer:
        return (
            "Ingen avstämning mot en total: tabellen har ingen summarad; varje belopp är ett eget "
            "tal i rapporten, med sitt namn i cellens kommentar."
        )
    done = {check.column for check in checks}
    columns = list(table["columns"])
    missing = [
        columns[i]
        for i, kind in enumerate(kinds)
        if i and kind == "kr" and i not in done and footer[i] is None
    ]
    other = [
        columns[i]
        for i, kind in enumerate(kinds)
        if i and kind == "kr" and i not in done and footer[i] is not None
    ]
    reasons = []
    if missing:
        reasons.append(f"{', '.join(missing)}: summan saknas i rapporten ({MISSING})")
    if other:
        reasons.append(f"{', '.join(other)}: rapporten anger ingen total att stämma av mot")
    return f"Ingen avstämning för {'; '.join(reasons)}." if reasons else ""


def _write_reconciliation(
    ws: Any, table: Mapping[str, Any], checks: Sequence[Reconciliation], row: int, width: int
) -> int:
    """Under the sum row: the report's figures outside the table (``Utanför tabellen: …``) and
    the total the report states (``Enligt rapporten: …``), each value under its column and the
    figure's name in the source column; or why there is none. Returns the next free row."""
    lines: list[tuple[str, Line, int]] = []
    for check in checks:
        lines += [("Utanför tabellen", line, check.column) for line in check.outside]
    lines += [("Enligt rapporten", check.stated, check.column) for check in checks]
    for prefix, line, column in lines:
        ws.cell(row=row, column=1, value=f"{prefix}: {line.label}").font = ITALIC
        cell = ws.cell(row=row, column=column + 1, value=line.value)
        cell.number_format = KR_FORMAT
        ws.cell(row=row, column=width + 1, value=f"tal: {line.name}").font = ITALIC
        row += 1
    reason = _why_not(table, checks)
    if reason:
        ws.cell(row=row, column=1, value=reason).font = ITALIC
        row += 1
    return row


#: A cell that does not apply (the report shows "–"): empty in a number column, with a note.
NOT_APPLICABLE = "\u2013"


def _write_rows(
    ws: Any, table: Mapping[str, Any], figures: Mapping[str, Mapping[str, Any]]
) -> bool:
    """The rows and the sum row from row 4; returns whether a source column was written."""
    kinds, columns = table["kinds"], table["columns"]
    body = list(table["rows"])
    footer = table.get("footer")
    rows = [*body, footer] if footer else body
    # The figure each cell shows (the table's cells), as a note on the cell: "tal: mottaget".
    named = list(table.get("cells") or [])
    named += [table.get("footer_cells") or []] if footer else []
    sourced = False
    for r, row in enumerate(rows, start=4):
        names = named[r - 4] if r - 4 < len(named) else []
        for c, (value, kind) in enumerate(zip(row, kinds, strict=True), start=1):
            if value is None or (kind != "text" and value == NOT_APPLICABLE):
                cell = ws.cell(row=r, column=c, value=None)
                if kind != "text":  # missing stays empty: a number column holds numbers only
                    note = MISSING if value is None else "ej tillämpligt"
                    cell.comment = Comment(note, "gnvtools")
                continue
            if columns[c - 1] == "År" and isinstance(value, str) and value.isdigit():
                value, kind = int(value), "year"  # a year an auditor can sort and filter
            cell = ws.cell(row=r, column=c, value=value)
            cell.number_format = _FORMATS.get(kind, "General")
            if footer is not None and r == 3 + len(rows):
                cell.font = BOLD
            if c - 1 < len(names) and names[c - 1]:
                cell.comment = Comment(f"tal: {names[c - 1]}", "gnvtools")
        # Where the row's amounts come from (a share's sources are those of its amounts).
        amounts = [n for n, kind in zip(names, kinds, strict=False) if kind in ("kr", "int")]
        said = row_sources(amounts or names, figures)
        if said:
            ws.cell(row=r, column=len(columns) + 1, value=said)
            sourced = True
    return sourced


def write_table(
    ws: Any,
    table: Mapping[str, Any],
    checks: Sequence[Reconciliation] = (),
    figures: Sequence[Mapping[str, Any]] = (),
) -> None:
    """A report table (as ``excel.report_tables`` gives it) on sheet ``ws``."""
    ws["A1"] = table["title"]
    ws["A1"].font = HEADING
    if table.get("illustrative"):
        # The same mark the report shows at the table: made-up data must be seen where used.
        ws["A2"] = f"{ILLUSTRATIVE}: {table['illustrative']}"
        ws["A2"].font = MADE_UP
    kinds, columns = table["kinds"], table["columns"]
    by_name = {str(f.get("name")): f for f in figures}
    sourced = _write_rows(ws, table, by_name)
    width = len(columns) + (1 if sourced else 0)
    source = SOURCE if SOURCE not in columns else f"{SOURCE} till talen"
    for col, header in enumerate([*columns, source][:width], start=1):
        cell = ws.cell(row=3, column=col, value=header)
        cell.font = BOLD
        cell.alignment = WRAPPED
    text_as_text(ws)
    body = list(table["rows"])
    footer = table.get("footer")
    first, last = 4, 3 + len(body)
    if body:
        ws.auto_filter.ref = f"A3:{get_column_letter(width)}{last}"
    after = _write_reconciliation(
        ws, table, checks, 3 + len(body) + (2 if footer else 1), len(columns)
    )
    if footer and body:
        # A total an auditor can check: the same sum, recomputed by Excel from the rows.
        ws.cell(row=after, column=1, value=CHECK).font = ITALIC
        labels = [str(r[0]) for r in body]
        for c, kind in enumerate(kinds, start=1):
            if kind not in ("kr", "int") or c == 1:
                continue
            formula = column_formula(get_column_letter(c), labels, first, footer[c - 1])
            blank = any(r[c - 1] is None for r in body)
            if formula is None or (footer[c - 1] is None and not blank):
                continue
            cell = ws.cell(row=after, column=c, value=formula)
            cell.number_format = KR_FORMAT if kind == "kr" else INT_FORMAT
            cell.font = ITALIC
            if isinstance(cell, BookCell):  # openpyxl (the tests' reference) keeps no result
                written = [ws.cell(row=r, column=c).value for r in range(first, last + 1)]
                cell.cached = column_value(labels, written, footer[c - 1])
    for col, kind in enumerate(kinds, start=1):
        ws.column_dimensions[get_column_letter(col)].width = 44 if kind == "text" else 18
    if sourced:
        ws.column_dimensions[get_column_letter(len(columns) + 1)].width = 60
    ws.freeze_panes = "A4"
