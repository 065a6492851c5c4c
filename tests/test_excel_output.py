"""The workbook an auditor works in, read back with openpyxl: totals reconciled to the report's
figures, whole sheet names, a sheet per input as read (file, row), a source for every figure."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from gnvtools.core.tables import read_table
from gnvtools.publish.excel_inputs import figure_rows
from gnvtools.publish.excel_names import SheetNames, clean
from gnvtools.reports.document import TableBlock, document_of

from .conftest import PARAMS

EXAMPLES = [
    ("allocation-memo", "jamtland/2025.yaml"),
    ("allocation-memo", "stockholm/2023.yaml"),
    ("allocation-memo", "stockholm/2025.yaml"),
    ("year-end-followup", "stockholm/2023.yaml"),
    ("year-end-followup", "stockholm/2025.yaml"),
    ("multi-year", "stockholm/comparison-2023-2025.yaml"),
]
NAMES = [f"{report}:{params}" for report, params in EXAMPLES]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Any, Any, Any]]]:
    """Each example's workbook, document and manifest."""
    from gnvtools.cli import main

    out = tmp_path_factory.mktemp("excel")
    found = {}
    for report, params in EXAMPLES:
        target = out / report / params.replace("/", "-")
        args = ["render", report, str(PARAMS / params), "--to", "xlsx,ipynb", "--out"]
        assert main([*args, str(target)]) == 0
        notebook = json.loads((target / f"{report}.ipynb").read_text(encoding="utf-8"))
        manifest = json.loads((target / f"{report}.manifest.json").read_text(encoding="utf-8"))
        book = load_workbook(target / f"{report}.xlsx")
        found[f"{report}:{params}"] = (book, document_of(notebook), manifest)
    yield found


def _contents(book: Any) -> dict[str, str]:
    """The first sheet's contents: sheet name → its full title."""
    rows = list(book["Om rapporten"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[:2] == ("Flik", "Innehåll"))
    contents = {}
    for row in rows[start + 1 :]:
        if not row[0]:
            break
        contents[row[0]] = row[1]
    return contents


def _reconciled(ws: Any, body: int) -> list[tuple[int, int, list[int], int]]:
    """Per reconciled column: (column, the table's sum, figures outside it, stated total);
    ``body`` is the number of rows above the sum row."""
    rows = list(ws.iter_rows(values_only=True))
    total = rows[3 + body]
    outside = [row for row in rows if str(row[0] or "").startswith("Utanför tabellen: ")]
    stated = [row for row in rows if str(row[0] or "").startswith("Enligt rapporten: ")]
    found = []
    for row in stated:
        column = next(i for i, v in enumerate(row) if i and isinstance(v, int))
        extra = [r[column] for r in outside if isinstance(r[column], int)]
        found.append((column, total[column], extra, row[column]))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_every_total_adds_up_to_the_stated_total(
    built: dict[str, tuple[Any, Any, Any]], name: str
) -> None:
    book, document, _ = built[name]
    contents = _contents(book)
    reconciled = 0
    for table in document.of_kind(TableBlock):
        if table.key.startswith("provenance-") or table.footer is None:
            continue
        sheet = next(n for n, title in contents.items() if title == table.title)
        ws = book[sheet]
        rows = list(ws.iter_rows(min_row=4, values_only=True))
        body = rows[: len(table.rows)]
        # the sum row adds up the rows above it (a row saying "− Förbrukat" taken away)
        signs = [-1 if str(r[0]).startswith("\u2212") else 1 for r in body]
        formula = [c for c in rows[-1] if isinstance(c, str) and c.startswith("=")]
        for index, kind in enumerate(table.kinds):
            if kind == "kr" and isinstance(table.footer[index], int):
                total = sum(s * (r[index] or 0) for s, r in zip(signs, body, strict=True))
                assert total == table.footer[index], (sheet, index)
        if -1 in signs:
            assert formula and "-" in formula[0] and "SUM" not in formula[0]
        for _column, total, outside, stated in _reconciled(ws, len(table.rows)):
            assert total + sum(outside) == stated, (sheet, total, outside, stated)
            reconciled += 1
    assert reconciled


@pytest.mark.slow
def test_jamtland_allocation_names_the_money_not_allocated(
    built: dict[str, tuple[Any, Any, Any]],
) -> None:
    book = built["allocation-memo:jamtland/2025.yaml"][0]
    ws = book["Fördelning per mottagare"]
    assert (2, 41_000_000, [86_320], 41_086_320) in _reconciled(ws, 2)
    labels = [row[0] for row in ws.iter_rows(values_only=True)]
    assert "Utanför tabellen: Inte fördelat, alla medel" in labels
    assert labels[-1] == "Kontrollsumma (formel)"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_sheet_names_are_whole_and_true(built: dict[str, tuple[Any, Any, Any]], name: str) -> None:
    book, document, _ = built[name]
    contents = _contents(book)
    assert list(contents) == book.sheetnames[1:]  # every sheet, with its full title
    assert len({n.lower() for n in book.sheetnames}) == len(book.sheetnames)
    for table in document.of_kind(TableBlock):
        if table.key.startswith("provenance-"):
            continue
        sheet = next(n for n, title in contents.items() if title == table.title)
        assert book[sheet]["A1"].value == table.title
        assert len(sheet) <= 31 and "…" not in sheet
        _, sep, step = table.title.partition(": ")
        if sheet == clean(table.title):
            continue
        # a model step: its place and the whole step name, or its place alone; else its number
        step_name = rf"\d+\.\d+ {re.escape(clean(step))}|Steg \d+\.\d+"
        assert (sep and re.fullmatch(step_name, sheet)) or re.fullmatch(r"Tabell \d+", sheet)


def test_long_titles_are_never_cut() -> None:
    figures = [
        {
            "name": "medel_a_steg_1",
            "label": "Statsbidrag 2025, steg 1 (Hälsocentraler, lokalt arbete)",
        },
        {"name": "medel_a_steg_2", "label": "Statsbidrag 2025, steg 2 (Ej rekvirerat)"},
        {"name": "medel_b_steg_1", "label": "Kvarvarande medel 2024, steg 1 (Ej rekvirerat)"},
    ]
    names = SheetNames(figures, reserved=["Om rapporten"])
    assert names.table("Statsbidrag 2025: Hälsocentraler, lokalt arbete") == "Steg 1.1"
    assert names.table("Statsbidrag 2025: Ej rekvirerat") == "1.2 Ej rekvirerat"
    assert names.table("Kvarvarande medel 2024: Ej rekvirerat") == "2.1 Ej rekvirerat"
    assert names.table("Fördelning per mottagare") == "Fördelning per mottagare"
    assert names.table("Fördelning per mottagare") == "Tabell 5"  # the same title twice
    assert names.table("En mycket lång rubrik som inte ryms på en flik") == "Tabell 6"
    assert names.numbered("Indata", 1, "districts.csv") == "Indata 1 districts.csv"
    assert names.numbered("Indata", 2, "ett-mycket-langt-filnamn-2025.csv") == "Indata 2"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_a_sheet_per_input_as_read(built: dict[str, tuple[Any, Any, Any]], name: str) -> None:
    book, _, manifest = built[name]
    root = PARAMS.parent
    tables = [i["path"] for i in manifest["inputs"] if str(i["path"]).endswith((".csv", ".xlsx"))]
    sheets = [book[n] for n in book.sheetnames if n.startswith("Indata ")]
    assert tables and sorted(str(ws["A1"].value) for ws in sheets) == sorted(
        f"Indata: {t}" for t in tables
    )
    for ws in sheets:
        shown = str(ws["A1"].value).removeprefix("Indata: ")
        header = [c.value for c in ws[3]]
        read = read_table(root / shown, display=shown)
        assert header == ["Fil", "Rad", *read.columns]
        rows = list(ws.iter_rows(min_row=4, values_only=True))
        assert [(r[0], r[1]) for r in rows] == [(shown, str(n)) for n, _ in read.numbered()]
        assert [list(r[2:]) for r in rows] == [
            [row[c] or None for c in read.columns] for _, row in read.numbered()
        ]


def test_an_excel_input_is_named_by_sheet_and_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from gnvtools.cli import main
    from gnvtools.publish.excel import workbook_bytes

    folder = tmp_path / "projekt/parameters/stockholm"  # a project: parameters/ at its root
    shutil.copytree(PARAMS / "stockholm", folder)
    rows = list(csv.reader((folder / "data/districts.csv").open(encoding="utf-8")))
    wb = Workbook()
    wb.active.title = "Försättsblad"
    ws = wb.create_sheet("Stadsdelar")
    ws.append(["Stadsdelar 2025"])  # a title row: the headings are in row 3
    ws.append([])
    for r, row in enumerate(rows):
        ws.append([int(v) if r and v.isdigit() else v for v in row])
    wb.save(folder / "data/districts.xlsx")
    params = folder / "2025.yaml"
    text = params.read_text(encoding="utf-8")
    params.write_text(
        text.replace("data/districts.csv", "data/districts.xlsx#Stadsdelar!A3"), encoding="utf-8"
    )
    out = tmp_path / "out"
    assert main(["render", "allocation-memo", str(params), "--to", "ipynb", "--out", str(out)]) == 0
    notebook = json.loads((out / "allocation-memo.ipynb").read_text(encoding="utf-8"))
    data = workbook_bytes(notebook, "Titel", report="allocation-memo", params=params)
    book = load_workbook(io.BytesIO(data))
    sheet = next(book[n] for n in book.sheetnames if n.startswith("Indata 1"))
    assert str(sheet["A1"].value).endswith("data/districts.xlsx#Stadsdelar!A3")
    first = [c.value for c in sheet[4]]
    assert first[1] == "Stadsdelar!4" and first[0].endswith("data/districts.xlsx")
    assert first[2] == rows[1][0]


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_every_figure_row_has_its_source(built: dict[str, tuple[Any, Any, Any]], name: str) -> None:
    book, _, manifest = built[name]
    ws = book["Tal i rapporten"]
    header = [c.value for c in ws[3]]
    assert {"Namn", "Skede", "Källa"} <= set(header)
    rows = {
        r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=4, values_only=True)
    }
    assert len(rows) == len(manifest["figures"])
    for figure in manifest["figures"]:
        row = rows[figure["name"]]
        assert row["Skede"] == figure["stage"]
        # Its sources in words ("districts.csv, rad Bromma, kolumn population"), then the
        # figures it is computed from.
        said = [s["text"] for s in figure.get("sources", [])]
        if figure["derived_from"]:
            said.append("beräknad ur " + ", ".join(figure["derived_from"]))
        assert (row["Källa"] or "") == "; ".join(said)


def test_a_figure_with_sources_shows_them() -> None:
    figure = {
        "name": "mottaget",
        "label": "mottaget statsbidrag",
        "value": 41_991_440,
        "kind": "kr",
        "stage": "underlag",
        "derived_from": [],
        "sources": ["parameters/stockholm/2025.yaml, received.total", "Kammarkollegiet 2025"],
    }
    (row,) = figure_rows([figure])
    assert row[2] == 41_991_440
    assert row[6] == "parameters/stockholm/2025.yaml, received.total; Kammarkollegiet 2025"
