"""Every figure records where it comes from, and the report tables are made of catalogue cells.

Sources: a figure read from the inputs names its cells (file, sheet, row key, column, or the
parameter file's key path with its line); a figure a rule produces names the rule and its
citation. Tables: for every example report, every number cell of every table names the catalogue
figure it shows, and that figure's value is the cell's value (recomputed in this process, as
``gnv verify`` does, without executing a notebook).
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from gnvtools.core.figure_sources import ALL_ROWS, InputCell, RuleSource, source_from_json
from gnvtools.core.figures import Catalogue, slug
from gnvtools.publish.manifest import report_figures
from gnvtools.publish.recompute import recompute
from gnvtools.reports.blocks import TableBlock
from gnvtools.reports.document import document_of

from .conftest import PARAMS

EXAMPLES = [
    ("allocation-memo", "stockholm/2023.yaml"),
    ("allocation-memo", "stockholm/2025.yaml"),
    ("allocation-memo", "jamtland/2025.yaml"),
    ("allocation-memo", "national/2025-kommuner.yaml"),
    ("year-end-followup", "stockholm/2023.yaml"),
    ("year-end-followup", "stockholm/2025.yaml"),
    ("multi-year", "stockholm/comparison-2023-2025.yaml"),
]

#: Tables whose number cells are not catalogue figures, and why. Keep it small.
NOT_FIGURES = {
    # The provenance annex: each input's size in bytes, a record of the files (checked by
    # gnv verify against their hashes), not a figure of the report.
    "provenance-inputs",
}


@cache
def _built(report: str, params: str) -> tuple[list[TableBlock], dict[str, dict[str, Any]]]:
    notebook = recompute(report, PARAMS / params)
    figures = {f["name"]: f for f in report_figures(notebook)}
    return document_of(notebook).of_kind(TableBlock), figures


def _equal(cell: Any, figure: dict[str, Any]) -> bool:
    value = figure["value"]
    if figure["kind"] == "andel":
        return abs(float(Fraction(value)) - float(cell)) < 1e-12
    return bool(value == cell)


#: A cell that does not apply (the follow-up's "–": no requisition step, nothing allocated):
#: no number, so no figure, like a missing one.
NOT_APPLICABLE = "\u2013"


def _problems(table: TableBlock, figures: dict[str, dict[str, Any]]) -> list[str]:
    problems = []
    rows = [(i, row, table.figure_at) for i, row in enumerate(table.rows)]
    for index, row, _ in rows:
        for column, (value, kind) in enumerate(zip(row, table.kinds, strict=True)):
            if kind == "text" or value is None or value == NOT_APPLICABLE:
                continue
            name = table.figure_at(index, column)
            if name not in figures or not _equal(value, figures[name]):
                problems.append(f"rad {index + 1}, {table.columns[column]}: {value} ({name!r})")
    if table.footer is not None:
        names = table.footer_cells or ()
        for column, (value, kind) in enumerate(zip(table.footer, table.kinds, strict=True)):
            if kind == "text" or value is None or value == NOT_APPLICABLE:
                continue
            name = names[column] if column < len(names) else ""
            if name not in figures or not _equal(value, figures[name]):
                problems.append(f"summa, {table.columns[column]}: {value} ({name!r})")
    return problems


@pytest.mark.parametrize(("report", "params"), EXAMPLES, ids=[f"{r}:{p}" for r, p in EXAMPLES])
def test_every_number_cell_is_a_catalogue_figure(report: str, params: str) -> None:
    tables, figures = _built(report, params)
    assert tables
    found = {}
    for table in tables:
        if table.key in NOT_FIGURES:
            continue
        problems = _problems(table, figures)
        if problems:
            found[table.key] = problems[:5]
    assert not found


def test_a_wrong_name_or_value_is_found() -> None:
    """The check itself fails on a cell naming no figure or a figure of another value."""
    figures = {"mottaget": {"name": "mottaget", "value": 100, "kind": "kr"}}
    table = TableBlock(
        "t", "t", ("Post", "Belopp"), ("text", "kr"), ((("a", 100)),), (("a", "100"),)
    )
    assert _problems(table, figures) == ["rad 1, Belopp: 100 ('')"]
    named = TableBlock(
        "t",
        "t",
        ("Post", "Belopp"),
        ("text", "kr"),
        (("a", 99),),
        (("a", "99"),),
        cells=(("", "mottaget"),),
    )
    assert _problems(named, figures) == ["rad 1, Belopp: 99 ('mottaget')"]


def test_a_table_without_cells_still_loads() -> None:
    """A document from before tables named their cells reads back with no names."""
    old = {
        "type": "table",
        "key": "k",
        "title": "T",
        "columns": ["Post", "Belopp"],
        "kinds": ["text", "kr"],
        "rows": [["a", 1]],
        "footer": None,
        "shown": {"rows": [["a", "1 kr"]], "footer": None},
    }
    block = TableBlock.from_json(old)
    assert block.cells == () and block.figure_at(0, 1) == ""
    named = TableBlock.from_json({**old, "cells": [["", "mottaget"]], "footer_cells": None})
    assert named.figure_at(0, 1) == "mottaget"
    assert TableBlock.from_json(named.as_json()) == named


# --- sources -----------------------------------------------------------------------------------


def _sources(report: str, params: str, name: str) -> list[dict[str, Any]]:
    _, figures = _built(report, params)
    return list(figures[name]["sources"])


def test_a_figure_of_the_parameter_file_names_its_key_and_line() -> None:
    found = _sources("allocation-memo", "stockholm/2025.yaml", "mottaget")
    assert len(found) == 1
    cell = source_from_json(found[0])
    assert isinstance(cell, InputCell)
    assert cell.key == "received.total"
    lines = (PARAMS / "stockholm/2025.yaml").read_text(encoding="utf-8").splitlines()
    assert cell.line is not None and lines[cell.line - 1].strip().startswith("total:")
    assert Path(cell.file).as_posix().endswith("stockholm/2025.yaml")
    assert "received.total" in found[0]["text"]


def test_a_component_names_its_place_in_the_list() -> None:
    found = _sources("allocation-memo", "stockholm/2025.yaml", "delbelopp_befolkning")
    assert [s["key"] for s in found] == ["received.components[0].amount"]


def test_a_keyed_amount_names_its_data_row_and_columns() -> None:
    """A recipient's total reads its own row of the key's columns (2023: places per provider)."""
    who = "Särskilt boende Bromma (egen regi)"
    found = _sources("allocation-memo", "stockholm/2023.yaml", "mottagare_" + slug(who))
    cells = [s for s in found if s["type"] == "cell" and s["file"].endswith(".csv")]
    assert [(Path(s["file"]).name, s["row"], s["column"]) for s in cells] == [
        ("providers-2023.csv", who, "places")
    ]
    assert cells[0]["text"] == f"providers-2023.csv, rad {who}, kolumn places"


def test_a_sum_over_a_column_names_the_column_and_all_rows() -> None:
    found = _sources("year-end-followup", "stockholm/2025.yaml", "forbrukat_enligt_rader")
    assert [(Path(s["file"]).name, s["row"], s["column"]) for s in found] == [
        ("spend-2025.csv", ALL_ROWS, "amount")
    ]


def test_the_repayment_names_its_rule_and_citation() -> None:
    found = _sources("year-end-followup", "stockholm/2025.yaml", "att_betala_tillbaka")
    rules = [source_from_json(s) for s in found]
    assert rules and all(isinstance(r, RuleSource) for r in rules)
    assert rules[0] == RuleSource(
        "sfs-2024-1253/money/2",
        "socialstyrelsen-2025",
        "Vad gäller för återrapportering och återbetalning av medel?",
    )


def test_an_illegible_reading_is_uncertain_and_so_is_what_rests_on_it() -> None:
    _, figures = _built("year-end-followup", "stockholm/2025.yaml")
    assert figures["forbrukat_omrade_3"]["precision"] == "osäker"
    assert figures["forbrukat_omrade_1"]["precision"] == "exakt"
    gap = figures["redovisat_utover_omraden"]
    assert gap["value"] == 83_350
    assert gap["text"] == "83\u00a0350\u00a0kr (osäker avläsning)"
    assert figures["forbrukat_omrade_3"]["sources"][0]["key"] == (
        "followup.reported_by_area[2].amount"
    )


def test_a_multi_year_figure_keeps_its_years_sources() -> None:
    _, figures = _built("multi-year", "stockholm/comparison-2023-2025.yaml")
    assert figures["ar_2025_mottaget"]["sources"][0]["key"] == "received.total"


def test_sources_are_kept_once_and_in_order() -> None:
    cat = Catalogue()
    a = InputCell("x.csv", row="Bromma", column="population")
    cat.add("f", 1, "kr", "f", sources=[a, a, RuleSource("r")])
    assert cat["f"].sources == (a, RuleSource("r"))
    assert a.text == "x.csv, rad Bromma, kolumn population"
    assert cat["f"].as_json()["sources"][1] == {
        "type": "rule",
        "rule": "r",
        "source": "",
        "section": "",
        "text": "regel r",
    }


# --- records: the manifest and verify name cells and sources ----------------------------------


def test_verify_names_the_input_cells_of_a_changed_figure() -> None:
    from gnvtools.publish.verify import compare_figures

    cell = InputCell("parameters/x/data/districts.csv", row="Bromma", column="population")
    cat = Catalogue()
    cat.add("befolkning_bromma", 100, "antal", "befolkning i Bromma", sources=[cell])
    cat.add("mottagare_bromma", 5, "kr", "Bromma", derived_from=["befolkning_bromma"])
    later = Catalogue()
    later.add("befolkning_bromma", 100, "antal", "befolkning i Bromma", sources=[cell])
    later.add("mottagare_bromma", 6, "kr", "Bromma", derived_from=["befolkning_bromma"])
    (line,) = compare_figures(cat.as_json(), later.as_json())
    assert line.endswith("; läser: districts.csv, rad Bromma, kolumn population")


def test_verify_names_the_figure_of_a_changed_cell() -> None:
    from gnvtools.publish.verify import compare_tables

    table = {
        "key": "t",
        "columns": ["Mottagare", "Belopp"],
        "kinds": ["text", "kr"],
        "rows": [["Bromma", 5]],
        "footer": ["Summa", 5],
        "cells": [["", "mottagare_bromma"]],
        "footer_cells": ["", "fordelat"],
    }
    changed = {**table, "rows": [["Bromma", 6]], "footer": ["Summa", 6]}
    lines = compare_tables([table], [changed])
    assert lines[0].startswith('tabellen "t", raden "Bromma", kolumn "Belopp" (siffran ')
    assert "(siffran mottagare_bromma)" in lines[0]
    assert "(siffran fordelat)" in lines[1]
    old = {k: v for k, v in table.items() if k not in ("cells", "footer_cells")}
    assert "siffran" not in compare_tables([old], [changed])[0]


def test_the_manifest_records_files_from_the_project_root(tmp_path: Path) -> None:
    from gnvtools.publish.manifest import portable_sources

    root = tmp_path / "projekt"
    cell = InputCell(str(root / "parameters/x/2025.yaml"), key="received.total", line=3)
    figures = [{"name": "mottaget", "sources": [cell.as_json(), RuleSource("r").as_json()]}]
    (recorded,) = portable_sources(figures, root)
    assert recorded["sources"][0]["file"] == "parameters/x/2025.yaml"
    assert recorded["sources"][1] == RuleSource("r").as_json()


def test_excel_notes_the_figure_of_each_cell() -> None:
    from openpyxl import Workbook

    from gnvtools.publish.excel import _write_table

    table = {
        "key": "t",
        "title": "T",
        "columns": ["Post", "Belopp"],
        "kinds": ["text", "kr"],
        "rows": [["Mottaget", 100], ["Övrigt", 5]],
        "footer": ["Summa", 105],
        "illustrative": "",
        "cells": [["", "mottaget"], ["", ""]],
        "footer_cells": ["", "summa"],
    }
    ws = Workbook().active
    _write_table(ws, table)
    assert ws["B4"].comment.text == "tal: mottaget"
    assert ws["B5"].comment is None
    assert ws["B6"].comment.text == "tal: summa"


def test_a_regime_silent_on_unused_money_names_no_repayment_rule() -> None:
    """The SKR agreement of 2023 says nothing about unused money: no rule is named for it."""
    found = _sources("year-end-followup", "stockholm/2023.yaml", "att_betala_tillbaka")
    assert [s for s in found if s["type"] == "rule"] == []


def test_rows_outside_the_rules_are_catalogue_cells(tmp_path: Path) -> None:
    """A spend row outside the rules (preschool under the ordinance) is a figure of its own,
    named by its row in the spend file, and the table's cells name it."""
    import shutil

    folder = tmp_path / "stockholm"
    shutil.copytree(PARAMS / "stockholm", folder)
    spend = folder / "data/spend-2025.csv"
    row = len(spend.read_text(encoding="utf-8").splitlines()) + 1
    with spend.open("a", encoding="utf-8") as handle:
        handle.write("Bromma,3,50000,Språkutveckling i förskolan,förskola\n")
    notebook = recompute("year-end-followup", folder / "2025.yaml")
    figures = {f["name"]: f for f in report_figures(notebook)}
    tables = {t.key: t for t in document_of(notebook).of_kind(TableBlock)}
    outside = tables["Användning utanför reglerna"]
    assert outside.figure_at(0, 4) == f"utanfor_reglerna_rad_{row}"
    assert figures[f"utanfor_reglerna_rad_{row}"]["value"] == 50_000
    assert figures[f"utanfor_reglerna_rad_{row}"]["sources"][0]["text"] == (
        f"spend-2025.csv, rad {row}, kolumn amount"
    )
    for key, table in tables.items():
        if key not in NOT_FIGURES:
            assert _problems(table, figures) == [], key


def test_a_requisition_steps_sheet_is_reconciled_with_its_ceilings() -> None:
    """Known at the decision by its ceilings only, the step has no figure of what it gives;
    its sum row still reconciles with the figure it names (``…_tak``, Enligt rapporten)."""
    from gnvtools.publish.excel_reconcile import reconcile

    step = "medel_statsbidrag_2025_steg_1"
    figures = [{"name": f"{step}_tak", "value": 300, "kind": "kr", "label": "tak"}]
    table = {
        "title": "Statsbidrag 2025: Rekvisition",
        "columns": ["Mottagare", "Tak"],
        "rows": [["A", 100], ["B", 200]],
        "footer": ["Summa", 300],
        "footer_cells": ["", f"{step}_tak"],
    }
    (found,) = reconcile(table, figures)
    assert (found.column, found.total, found.stated.value, found.stated.name) == (
        1,
        300,
        300,
        f"{step}_tak",
    )
