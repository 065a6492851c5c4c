"""Excel (and CSV) read as people fill them: title rows, total rows, formulas without values.

Every refusal: exit 2 from ``gnv check``, one Swedish line naming the file, the sheet, the row
and what to do; never a recipient named "Summa".
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from gnvtools.core.model import allocate, build_plan

from .conftest import PARAMS, run_cli

SHEET = "Stadsdelar"


def _rows(folder: Path) -> list[list[object]]:
    rows = list(csv.reader((folder / "data/districts.csv").open(encoding="utf-8")))
    return [[int(v) if r and v.isdigit() else v for v in row] for r, row in enumerate(rows)]


def _as_xlsx(
    folder: Path,
    rows: list[list[object]],
    *,
    above: list[list[object]] | None = None,
    below: list[list[object]] | None = None,
    reference: str | None = None,
    first_column: int = 1,
) -> Path:
    """The districts as a second sheet of a workbook (a cover sheet first), the YAML pointed at
    it with ``reference`` (default ``data/districts.xlsx#Stadsdelar``)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Försättsblad"
    wb.active["A1"] = "Underlag till fördelningen"
    ws = wb.create_sheet(SHEET)
    for line in [*(above or []), *rows, *(below or [])]:
        ws.append([None] * (first_column - 1) + list(line))
    path = folder / "data/districts.xlsx"
    wb.save(path)
    (folder / "data/districts.csv").unlink()
    target = reference or f"data/districts.xlsx#{SHEET}"
    for year in ("2023", "2025"):
        params = folder / f"{year}.yaml"
        text = params.read_text(encoding="utf-8").replace("data/districts.csv", target)
        params.write_text(text, encoding="utf-8")
    return path


def _cache(path: Path, values: dict[str, str]) -> None:
    """Give formula cells the value Excel stores beside a formula when it saves (openpyxl
    writes formulas without one)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = "xl/worksheets/sheet2.xml"
    xml = parts[name].decode("utf-8")
    for cell, value in values.items():
        kind = ' t="e"' if value.startswith("#") else ""  # an error value, as Excel marks it
        xml, count = re.subn(
            rf'<c r="{cell}"([^>]*)>(<f>[^<]*</f>)<v\s*/?>(</v>)?',
            rf'<c r="{cell}"\g<1>{kind}>\g<2><v>{value}</v>',
            xml,
        )
        assert count == 1, cell
    parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


def _check(capsys: pytest.CaptureFixture[str], params: Path) -> str:
    code, out, err = run_cli(capsys, "check", str(params))
    assert code == 2, out + err
    assert err.startswith("fel: ") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    return err


def _total(rows: list[list[object]]) -> list[int]:
    return [sum(int(str(r[i])) for r in rows[1:]) for i in range(1, len(rows[0]))]


# --- total rows ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "numbers"),
    [
        ("Summa", "sums"),
        ("Totalt:", "sums"),
        ("Summa totalt", "sums"),
        ("Total", "ones"),  # the label alone is enough
        ("Delsumma stadsdelar", "sums"),
        ("", "sums"),  # pasted values without a label: the numbers say it
        ("Stockholms stad", "sums"),  # a label that is no total word: every number is a sum
    ],
)
def test_a_total_row_in_excel_is_refused(
    capsys: pytest.CaptureFixture[str],
    example_copy: Callable[[str], Path],
    label: str,
    numbers: str,
) -> None:
    folder = example_copy("stockholm")
    rows = _rows(folder)
    values: list[object] = list(_total(rows)) if numbers == "sums" else [1] * (len(rows[0]) - 1)
    _as_xlsx(folder, rows, below=[[label or None, *values]])
    total_row = len(rows) + 1
    err = _check(capsys, folder / "2025.yaml")
    assert f"districts.xlsx, flik {SHEET}, rad {total_row}" in err, err
    assert "summarad" in err and "ta bort raden" in err, err


def test_a_formula_total_row_is_refused_with_the_formula(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    folder = example_copy("stockholm")
    rows = _rows(folder)
    last = len(rows)
    formulas = [f"=SUM({c}2:{c}{last})" for c in "BCD"]
    path = _as_xlsx(folder, rows, below=[["Stockholm", *formulas]])
    _cache(path, {f"{c}{last + 1}": str(v) for c, v in zip("BCD", _total(rows), strict=True)})
    err = _check(capsys, folder / "2025.yaml")
    assert f"flik {SHEET}, rad {last + 1}" in err
    assert f"cell B{last + 1}: =SUM(B2:B{last})" in err and "summerar raderna ovanför" in err


def test_an_excel_tables_own_total_row_is_refused(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    """Excel's "Total row" of a formatted table sums a column by name, not by a range."""
    folder = example_copy("stockholm")
    rows = _rows(folder)
    last = len(rows)
    path = _as_xlsx(
        folder, rows, below=[["Alla stadsdelar", "=SUBTOTAL(109,Tabell1[population])", 1, 1]]
    )
    _cache(path, {f"B{last + 1}": str(_total(rows)[0])})
    err = _check(capsys, folder / "2025.yaml")
    assert f"rad {last + 1}" in err and "SUBTOTAL(109,Tabell1[population])" in err, err


def test_a_formula_total_row_without_stored_values_is_still_a_total_row(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    folder = example_copy("stockholm")
    rows = _rows(folder)
    last = len(rows)
    _as_xlsx(folder, rows, below=[["Summa", *[f"=SUM({c}2:{c}{last})" for c in "BCD"]]])
    err = _check(capsys, folder / "2025.yaml")
    assert f"rad {last + 1}" in err and "summarad" in err


def test_a_total_row_in_csv_is_refused(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    folder = example_copy("stockholm")
    path = folder / "data/districts.csv"
    rows = _rows(folder)
    path.write_text(
        path.read_text(encoding="utf-8") + "Summa," + ",".join(map(str, _total(rows))) + "\n",
        encoding="utf-8",
    )
    err = _check(capsys, folder / "2025.yaml")
    assert f'districts.csv, rad {len(rows) + 1}, kolumn "name": raden "Summa" är en summarad' in err


def test_a_total_row_in_a_requests_file_is_refused(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    folder = example_copy("stockholm")
    path = folder / "data/requests-2025.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    total = sum(int(line.split(",")[1]) for line in lines[1:])
    path.write_text("\n".join([*lines, f",{total}"]) + "\n", encoding="utf-8")
    err = _check(capsys, folder / "2025.yaml")
    assert f"requests-2025.csv, rad {len(lines) + 1}" in err and "summarad" in err


def test_summa_never_becomes_a_recipient(example_copy: Callable[[str], Path]) -> None:
    """The reported case: before, "Summa" took half of a key step."""
    from gnvtools.errors import InputError

    folder = example_copy("stockholm")
    rows = _rows(folder)
    _as_xlsx(folder, rows, below=[["Summa", *_total(rows)]])
    with pytest.raises(InputError, match="summarad"):
        build_plan(folder / "2025.yaml")


def test_real_data_that_only_looks_like_a_sum_is_read(example_copy: Callable[[str], Path]) -> None:
    """One column equal to the sum above, or flags (0/1) that add up, are not a total row."""
    folder = example_copy("stockholm")
    before = allocate(build_plan(folder / "2023.yaml")).by_recipient()
    rows = _rows(folder)
    # Make the last district's places the sum of the places above; its population is not.
    places = rows[0].index("places")
    rows[-1][places] = sum(int(str(r[places])) for r in rows[1:-1])
    _as_xlsx(folder, rows)
    assert set(allocate(build_plan(folder / "2023.yaml")).by_recipient()) == set(before)


# --- formulas without stored values ----------------------------------------------------------


def test_a_formula_without_a_stored_value_names_the_cell(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    folder = example_copy("stockholm")
    rows = _rows(folder)
    rows[3][1] = "=C4*5"  # Farsta's population, computed, never saved by Excel
    _as_xlsx(folder, rows)
    err = _check(capsys, folder / "2025.yaml")
    assert f'flik {SHEET}, rad 4, kolumn "population": cell B4 har en formel (=C4*5)' in err
    assert "inget sparat värde" in err and "öppna filen i Excel och spara den" in err


def test_a_formula_with_a_stored_value_is_read_as_the_value(
    example_copy: Callable[[str], Path],
) -> None:
    folder = example_copy("stockholm")
    before = allocate(build_plan(folder / "2025.yaml")).lines
    rows = _rows(folder)
    population = rows[3][1]
    rows[3][1] = "=C4*5"
    path = _as_xlsx(folder, rows)
    _cache(path, {"B4": str(population)})
    assert allocate(build_plan(folder / "2025.yaml")).lines == before


def test_an_excel_error_value_is_named(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    folder = example_copy("stockholm")
    rows = _rows(folder)
    rows[3][1] = "=C4/0"
    path = _as_xlsx(folder, rows)
    text = zipfile.ZipFile(path).read("xl/worksheets/sheet2.xml").decode()
    assert '<c r="B4"><f>C4/0</f><v></v></c>' in text
    _cache(path, {"B4": "#DIV/0!"})
    err = _check(capsys, folder / "2025.yaml")
    assert "cell B4 visar Excel-felet #DIV/0!" in err


# --- title rows and where the headings are ---------------------------------------------------

TITLE: list[list[object]] = [
    ["Fördelning per stadsdel 2025"],
    [None],
    ["Källa: SCB", None, "2024-12-31"],
]


def test_title_rows_are_refused_with_how_to_say_where_the_headings_are(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    folder = example_copy("stockholm")
    _as_xlsx(folder, _rows(folder), above=TITLE)
    err = _check(capsys, folder / "2025.yaml")
    assert f"districts.xlsx, flik {SHEET}, rad 1:" in err
    assert '"Fördelning per stadsdel 2025" ser ut som en rubrik ovanför tabellen' in err
    assert f"skriv districts.xlsx#{SHEET}!A4 som filnamn i parameterfilen" in err


@pytest.mark.parametrize(
    ("reference", "first_column"),
    [
        (f"data/districts.xlsx#{SHEET}!A4", 1),
        (f"data/districts.xlsx#{SHEET}!4", 1),
        (f"data/districts.xlsx#{SHEET}!B4", 2),  # the table starts in column B
        (f"data/districts.xlsx#{SHEET}!A4", 2),  # an empty column A is left out
    ],
)
def test_the_header_row_option_reads_the_table_below_a_title(
    example_copy: Callable[[str], Path], reference: str, first_column: int
) -> None:
    before = allocate(build_plan(PARAMS / "stockholm/2025.yaml")).lines
    folder = example_copy("stockholm")
    _as_xlsx(folder, _rows(folder), above=TITLE, reference=reference, first_column=first_column)
    assert allocate(build_plan(folder / "2025.yaml")).lines == before


def test_rows_below_an_explicit_header_are_numbered_as_excel_numbers_them(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    folder = example_copy("stockholm")
    rows = _rows(folder)
    rows[3][1] = -5  # Farsta: row 4 of the table, row 7 of the sheet
    _as_xlsx(folder, rows, above=TITLE, reference=f"data/districts.xlsx#{SHEET}!A4")
    err = _check(capsys, folder / "2025.yaml")
    assert f'flik {SHEET}, rad 7, kolumn "population"' in err and "negativt" in err


def test_a_header_row_option_for_the_first_sheet(example_copy: Callable[[str], Path]) -> None:
    from openpyxl import Workbook

    before = allocate(build_plan(PARAMS / "stockholm/2025.yaml")).lines
    folder = example_copy("stockholm")
    wb = Workbook()
    for line in [*TITLE, *_rows(folder)]:
        wb.active.append(line)
    wb.save(folder / "data/districts.xlsx")
    params = folder / "2025.yaml"
    text = params.read_text(encoding="utf-8")
    params.write_text(text.replace("data/districts.csv", "data/districts.xlsx#!A4"), "utf-8")
    assert allocate(build_plan(params)).lines == before


def test_headings_found_in_another_row_are_pointed_at(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    """Swedish labels above the keys gnv reads: the missing column says where "name" is."""
    folder = example_copy("stockholm")
    labels: list[list[object]] = [["Stadsdel", "Befolkning", "Befolkning 65+", "Platser"]]
    _as_xlsx(folder, _rows(folder), above=labels)
    err = _check(capsys, folder / "2025.yaml")
    assert f'flik {SHEET}, rad 1, kolumn "name": kolumnen "name" saknas' in err
    assert f"skriv districts.xlsx#{SHEET}!A2 som filnamn" in err


def test_an_unknown_sheet_says_how_to_write_a_sheet(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    folder = example_copy("stockholm")
    _as_xlsx(folder, _rows(folder), reference="data/districts.xlsx#Blad9!A3")
    err = _check(capsys, folder / "2025.yaml")
    assert 'fliken "Blad9" finns inte; flikar: Försättsblad, Stadsdelar' in err


def test_a_sheet_whose_name_has_an_exclamation_mark_keeps_its_meaning(
    example_copy: Callable[[str], Path],
) -> None:
    from openpyxl import load_workbook

    before = allocate(build_plan(PARAMS / "stockholm/2025.yaml")).lines
    folder = example_copy("stockholm")
    path = _as_xlsx(folder, _rows(folder), reference="data/districts.xlsx#Data!A1")
    wb = load_workbook(path)
    wb[SHEET].title = "Data!A1"
    wb.save(path)
    assert allocate(build_plan(folder / "2025.yaml")).lines == before


def test_a_title_row_in_csv_is_refused(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    folder = example_copy("stockholm")
    path = folder / "data/districts.csv"
    path.write_text("Fördelning 2025,,,\n,,,\n" + path.read_text(encoding="utf-8"), "utf-8")
    err = _check(capsys, folder / "2025.yaml")
    assert "districts.csv, rad 1:" in err and "ser ut som en rubrik ovanför tabellen" in err
    assert "kolumnrubrikerna står på rad 3, men i en CSV-fil måste de stå på första raden" in err


def test_rows_after_a_blank_row_keep_their_numbers(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    folder = example_copy("stockholm")
    path = folder / "data/districts.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, ",,,")  # a blank row 3
    lines[4] = lines[4].replace(",", ",-", 1)  # the district now on row 5
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = _check(capsys, folder / "2025.yaml")
    assert 'districts.csv, rad 5, kolumn "population"' in err and "negativt" in err


# --- verify reads the sheet the report read ---------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("kernel")
def test_verify_names_an_edited_cell_in_a_named_sheet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The reported case: verify said "inga värden skiljer sig" while 35 figures differed."""
    import shutil

    from openpyxl import load_workbook

    project = tmp_path / "project"
    shutil.copytree(PARAMS / "stockholm", project / "parameters/stockholm")
    folder = project / "parameters/stockholm"
    path = _as_xlsx(folder, _rows(folder), above=TITLE, reference=f"data/districts.xlsx#{SHEET}!A4")
    out = project / "outputs/stockholm/2025"
    params = folder / "2025.yaml"
    code, _, err = run_cli(capsys, "render", "allocation-memo", str(params), "--out", str(out))
    assert code == 0, err
    wb = load_workbook(path)
    assert wb[SHEET]["A5"].value == "Bromma"
    wb[SHEET]["B5"] = 90000  # Bromma's population, on the sheet the report read
    wb.save(path)
    code, out_text, _ = run_cli(capsys, "verify", str(out))
    assert code == 1
    line = (
        f"parameters/stockholm/data/districts.xlsx, flik {SHEET}, rad 5 (Bromma), kolumn "
        '"population": 82 410 → 90 000'
    )
    assert line in out_text, out_text
    assert "inga värden skiljer sig" not in out_text


@pytest.mark.parametrize("label", ["Totalt", ""])
def test_a_total_row_in_a_spend_file_is_refused(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path], label: str
) -> None:
    """A pasted total under the spend rows would double what was used."""
    folder = example_copy("stockholm")
    path = folder / "data/spend-2025.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    total = sum(int(line.split(",")[2]) for line in lines[1:])
    path.write_text("\n".join([*lines, f"{label},,{total},,"]) + "\n", encoding="utf-8")
    err = _check(capsys, folder / "2025.yaml")
    assert f"spend-2025.csv, rad {len(lines) + 1}" in err and "summarad" in err, err


def test_an_excel_file_that_unpacks_to_too_much_is_refused(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    """A zip bomb dressed as .xlsx: refused from the sizes the archive states, before reading."""
    folder = example_copy("stockholm")
    path = _as_xlsx(folder, _rows(folder))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * 60_000_000)
    err = _check(capsys, folder / "2025.yaml")
    assert "districts.xlsx: Excel-filen packas upp till 60 MB" in err


def test_excels_sep_line_in_csv_is_read(example_copy: Callable[[str], Path]) -> None:
    """Excel's "sep=;" first line says the separator; the headings are then in row 2."""
    before = allocate(build_plan(PARAMS / "stockholm/2025.yaml")).lines
    folder = example_copy("stockholm")
    path = folder / "data/districts.csv"
    text = path.read_text(encoding="utf-8").replace(",", ";")
    path.write_text("sep=;\n" + text, encoding="utf-8")
    assert allocate(build_plan(folder / "2025.yaml")).lines == before


def test_text_that_begins_with_an_equals_sign_is_text(example_copy: Callable[[str], Path]) -> None:
    """A name typed as text "=SUM(B2:B3)" is a (strange) name, not a formula or a total row."""
    folder = example_copy("stockholm")
    rows = [*_rows(folder), ["=SUM(B2:B3)", 100, 10, 1]]
    path = _as_xlsx(folder, rows)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb[SHEET][f"A{len(rows)}"].data_type = "s"  # stored as text, as Excel does after a '
    wb.save(path)
    plan = build_plan(folder / "2023.yaml")
    assert "=SUM(B2:B3)" in plan.recipients


def test_a_nameless_sum_row_without_stored_values_is_refused(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    """openpyxl writes formulas without values: a sum row with no name would read as blank."""
    from openpyxl import load_workbook

    folder = example_copy("stockholm")
    path = _as_xlsx(folder, _rows(folder))
    book = load_workbook(path)
    sheet = book["Stadsdelar"]
    last = sheet.max_row
    sheet.cell(row=last + 1, column=2, value=f"=SUM(B2:B{last})")
    book.save(path)
    err = _check(capsys, folder / "2025.yaml")
    assert f"rad {last + 1}" in err and "summerar raderna ovanför" in err, err
