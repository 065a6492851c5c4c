"""The workbook's sheets of what the report stands on: each input as the tool read it, and the
catalogue of figures with where each comes from.

An input sheet holds the rows exactly as gnvtools read them (``core.tables``: the same loader the
model uses, never a second parser), each with its file and its row in that file (``Blad1!12`` for
an Excel sheet), so an auditor can go from any amount back to the cell it came from. Recipient
tables come with the plan (``Plan.groups``, read once when the plan was built); requests and
spend are read again by the same loader, from the files the report declares as its inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from gnvtools.core.model import Plan, build_plan, confine
from gnvtools.core.params import load_comparison, locate
from gnvtools.core.provenance import project_root
from gnvtools.core.tables import Table, read_table

#: The notebook file of each report (``render.REPORT_NOTEBOOKS`` holds the same names).
NOTEBOOK_REPORTS = {
    "allocation_memo.ipynb": "allocation-memo",
    "year_end_followup.ipynb": "year-end-followup",
    "multi_year_comparison.ipynb": "multi-year",
}


@dataclass(frozen=True)
class InputTable:
    """An input file (or sheet) as the report read it: its name as the parameter file gives it
    (``data/districts.csv``, ``data/x.xlsx#Blad2``) and its rows."""

    shown: str
    table: Table

    def rows(self) -> list[tuple[str, str, list[str]]]:
        """``(file, row, values)``: the row is ``12`` in a CSV file, ``Blad2!12`` in a sheet."""
        file = self.shown.split("#", 1)[0]
        out = []
        for number, row in self.table.numbered():
            place = f"{self.table.sheet}!{number}" if self.table.sheet else str(number)
            out.append((file, place, [row.get(column, "") for column in self.table.columns]))
        return out


def _plans(report: str, params: Path) -> list[Plan]:
    """The plans whose inputs the report read: the multi-year report's, one per year that has
    a parameter file, built as ``comparison_inputs.load_years`` builds them (only the plans:
    the years' allocations and figures are not needed to list the inputs)."""
    if report != "multi-year":
        return [build_plan(params)]
    path = locate(params)
    years = sorted(load_comparison(path).years, key=lambda y: y.year)
    return [
        build_plan(
            confine(path, y.file, str(path.parent / y.file)), shown=str(path.parent / y.file)
        )
        for y in years
        if y.file
    ]


def _read(plan: Plan, name: str) -> tuple[Path, InputTable]:
    resolved, shown = plan.file.data_path(name)
    return resolved, InputTable(shown, read_table(resolved, display=shown))


def _plan_tables(plan: Plan) -> list[tuple[Path, InputTable]]:
    """Every table the plan reads, in the order the parameter file names them."""
    found = []
    for spec in plan.params.recipients:
        resolved, shown = plan.file.data_path(spec.file)
        found.append((resolved, InputTable(shown, plan.groups[spec.group].table)))
    for pot in plan.params.pots:
        for step in pot.steps:
            requests = getattr(step, "requests", None)
            if isinstance(requests, str):
                found.append(_read(plan, requests))
    followup = plan.params.followup
    if followup is not None:
        found.append(_read(plan, followup.spend))
        if followup.requisitions:
            found.append(_read(plan, followup.requisitions))
    return found


def input_tables(
    report: str, params: Path, inputs: Sequence[Path] | None = None
) -> list[InputTable]:
    """The tables ``report`` reads from ``params`` and its data, once each, limited to the files
    the report declares as its inputs (``inputs``; by default as ``gnv render`` finds them): the
    memo, for one, reads no spend."""
    if inputs is None:
        from gnvtools.publish.render import validate_report

        inputs = validate_report(report, params)[1]
    declared = {path.resolve() for path in inputs}
    root = project_root(params)
    found: list[InputTable] = []
    seen: set[tuple[Path, str]] = set()
    for plan in _plans(report, params):
        for resolved, table in _plan_tables(plan):
            key = (resolved.resolve(), table.shown)
            if key[0] in declared and key not in seen:
                seen.add(key)
                # named as the manifest names inputs: relative to the project root
                found.append(InputTable(_portable(table.shown, root), table.table))
    return found


def _portable(shown: str, root: Path) -> str:
    path, _, sheet = shown.partition("#")
    try:
        relative = Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return shown
    return f"{relative}#{sheet}" if sheet else relative


def notebook_report(notebook: Any) -> tuple[str, Path] | None:
    """The report and parameter file an executed notebook ran with (papermill's record), when
    the file is found from the working folder (``gnv build`` and ``gnv render`` at the project
    root); ``None`` otherwise, and the workbook then has no input sheets."""
    record = notebook.get("metadata", {}).get("papermill", {})
    report = NOTEBOOK_REPORTS.get(Path(str(record.get("input_path", ""))).name)
    params = record.get("parameters", {}).get("params_file")
    if report is None or not params or not Path(str(params)).is_file():
        return None  # recorded relative to the project root: found when run from there
    return report, Path(str(params))


# --- the catalogue ----------------------------------------------------------------------------

FIGURE_COLUMNS = (
    "Namn",
    "Beskrivning",
    "Värde",
    "Text",
    "Enhet",
    "Skede",
    "Källa",
    "Exakthet",
    "Påhittade data",
)


def source_texts(figure: Mapping[str, Any]) -> list[str]:
    """The sources the catalogue gives a figure, each in its own words ("districts.csv, rad
    Bromma, kolumn population"; "regel …"), else by its parts."""
    return [
        str(s.get("text") or " ".join(str(v) for v in s.values() if v not in (None, "")))
        if isinstance(s, Mapping)
        else str(s)
        for s in figure.get("sources") or []
    ]


def figure_source(figure: Mapping[str, Any]) -> str:
    """Where a figure comes from: the sources the catalogue gives, then the figures it is
    computed from; empty when the catalogue says neither."""
    parts = source_texts(figure)
    derived = figure.get("derived_from") or []
    if derived:
        parts.append("beräknad ur " + ", ".join(derived))
    return "; ".join(parts)


def root_sources(name: str, figures: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The sources a figure stands on in the end: its own, or those of the figures it is
    computed from, followed back until figures with sources are reached (each source once)."""
    found: list[str] = []
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop(0)
        figure = figures.get(current)
        if current in seen or figure is None:
            continue
        seen.add(current)
        own = source_texts(figure)
        found += [text for text in own if text not in found]
        if not own:
            todo += [str(n) for n in figure.get("derived_from") or []]
    return found


def _value(figure: Mapping[str, Any]) -> Any:
    value = figure.get("value")
    if figure.get("kind") in ("kr", "antal") and isinstance(value, int):
        return value
    if figure.get("kind") == "andel" and isinstance(value, str):
        return float(Fraction(value))  # shown as a percentage; the exact value is in Text
    return None if value is None else str(value)


def figure_rows(figures: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    """A row per figure of the catalogue, with its source (``FIGURE_COLUMNS``)."""
    return [
        [
            f.get("name", ""),
            f.get("label", ""),
            _value(f),
            f.get("text", ""),
            f.get("kind", ""),
            f.get("stage", ""),
            figure_source(f),
            f.get("precision", "exakt"),
            "ja" if f.get("illustrative") else "nej",
        ]
        for f in figures
    ]
