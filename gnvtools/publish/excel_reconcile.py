"""Reconciliation rows: each table's total brought to the total the report states.

A table's sum row adds up its own rows; an auditor also wants to see that it adds up to the
figure the report states for it. Jämtland's allocation per recipient sums to 41 000 000 kr, the
money to allocate is 41 086 320 kr: the row "inte fördelat, alla medel 86 320 kr" closes the gap.
Every amount in these rows is a figure of the report's catalogue (named beside it); nothing is
computed here, only which catalogue figures belong under which column is chosen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gnvtools.publish.excel_names import step_numbers

_LEFT_OVER = re.compile(r"^Kvarvarande medel från (\d{4})$")
_YEAR = re.compile(r"\d{4}")
#: Column → (the stated total: the first of these figures found; figures outside the table).
Rules = dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
_SPENT = (("redovisat_forbrukat", "forbrukat"), ("redovisat_utover_omraden",))
#: A model step's total as its table's sum row names it: the step (``medel_<pot>_steg_<n>``),
#: or a requisition step's ceilings and requests (``…_tak``, ``…_begart``).
_STEP_TOTAL = re.compile(r"^medel_[a-z0-9_]+_steg_\d+(?:_tak|_begart)?$")


@dataclass(frozen=True)
class Line:
    """A catalogue figure on a reconciliation row."""

    label: str
    value: int
    name: str


@dataclass(frozen=True)
class Reconciliation:
    """Under ``column``: the table's total, the figures outside the table, the stated total."""

    column: int
    total: int
    outside: tuple[Line, ...]
    stated: Line


def _step_rules(table: Mapping[str, Any]) -> Rules:
    """A model step's table: each column's total is the step's figure its sum row names (a
    requisition step known at the decision by its ceilings has no figure for what it gives,
    only ``…_tak``, so it is found by the sum row's names rather than by a label)."""
    names = table.get("footer_cells") or []
    columns = list(table["columns"])
    if not any(_STEP_TOTAL.match(str(name)) for name in names):
        return {}
    return {
        column: ((str(name),), ())
        for column, name in zip(columns, names, strict=False)
        if _STEP_TOTAL.match(str(name))
    }


def _named_totals(table: Mapping[str, Any]) -> Rules:
    """Any other amount column whose sum row shows a figure of the catalogue: that figure is
    the total the report states (the formula row checks the rows add up to it)."""
    names = table.get("footer_cells") or []
    kinds = table.get("kinds") or []
    return {
        column: ((str(name),), ())
        for column, kind, name in zip(table["columns"], kinds, names, strict=False)
        if kind == "kr" and name
    }


def _rules(title: str, columns: Sequence[str], figures: Sequence[Mapping[str, Any]]) -> Rules:
    """Column → (the stated total, first found; figures that are outside the table)."""
    by_label = {str(f.get("label")): str(f.get("name")) for f in figures}
    pot, _, step = title.partition(": ")
    # A step's table is titled "pot: step" (a step's label needs both; the others are skipped)
    number = step_numbers(figures).get((pot, step)) if pot and step else None
    if number is not None:
        return {"Belopp": ((by_label.get(f"{pot}, steg {number} ({step})", ""),), ())}
    if title == "Mottagna medel":
        return {"Belopp": (("mottaget",), ())}
    if title == "Fördelning per mottagare":
        rules: Rules
        rules = {"Totalt": (("medel_totalt",), ("ofordelat",))}
        for column in columns[1:]:
            stated = by_label.get(f"{column}: belopp att fördela")
            outside = by_label.get(f"{column}: inte fördelat (reserv och återstod)")
            if stated:
                rules[column] = ((stated,), (outside,) if outside else ())
        return rules
    if title == "Per mottagare":
        return {"Tilldelat": (("fordelat_statsbidrag",), ()), "Förbrukat": _SPENT}
    if title in ("Per insatsområde", "Per verksamhet"):
        return {"Förbrukat": _SPENT}
    found = _LEFT_OVER.match(title)
    if found:
        return {"Tilldelat": ((f"kvarvarande_{found[1]}_fordelat",), ())}
    return _years(title, columns)


def _years(title: str, columns: Sequence[str]) -> Rules:
    """The comparison's tables: a column per year, each year's figures named ``ar_ÅÅÅÅ_…``."""
    rules: Rules = {}
    for column in columns[1:]:
        year, _, part = column.partition(", ")
        if not _YEAR.fullmatch(year):
            continue
        if title == "Tilldelat per mottagargrupp":
            name = "kvarvarande_totalt" if part == "kvarvarande medel" else "fordelat_statsbidrag"
            rules[column] = ((f"ar_{year}_{name}",), ())
        elif title in ("Förbrukat per gemensamt område", "Förbrukat per verksamhet") and not part:
            rules[column] = ((f"ar_{year}_redovisat_forbrukat", f"ar_{year}_forbrukat"), ())
    return rules


def _line(figure: Mapping[str, Any]) -> Line | None:
    value = figure.get("value")
    if figure.get("kind") != "kr" or not isinstance(value, int):
        return None
    label = str(figure.get("label", ""))
    return Line(label[:1].upper() + label[1:], value, str(figure.get("name")))


def reconcile(table: Mapping[str, Any], figures: Sequence[Mapping[str, Any]]) -> list[Any]:
    """The reconciliations of a table (as ``excel.report_tables`` gives it) with the report's
    catalogue: one per column whose stated total the catalogue has. A figure outside the table
    is shown only when the table's total differs from the stated one."""
    footer = table.get("footer")
    if not footer:
        return []
    named = {str(f.get("name")): f for f in figures}
    columns = list(table["columns"])
    found: list[Reconciliation] = []
    rules = _step_rules(table) or _rules(table["title"], columns, figures)
    rules = {**_named_totals(table), **rules}
    for column, (stated_names, outside_names) in rules.items():
        if column not in columns:
            continue
        index = columns.index(column)
        total = footer[index]
        stated = next(
            (line for n in stated_names if n in named and (line := _line(named[n]))), None
        )
        if stated is None or not isinstance(total, int):
            continue
        outside: list[Line] = []
        if total != stated.value:
            for name in outside_names:
                line = _line(named[name]) if name in named else None
                if line is not None and line.value:
                    outside.append(line)
        found.append(Reconciliation(index, total, tuple(outside), stated))
    return found
