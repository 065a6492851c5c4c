"""The friction a new user met (issue 21): each message says what to do, suggestions fold
Swedish letters, ATT GÖRA follows the value, and a region's project is a region's."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from gnvtools.core.folding import closest, figure_name, fold, placeholder_hint
from gnvtools.core.todo import open_todos

from .conftest import run_cli


def _check(capsys: pytest.CaptureFixture[str], params: Path) -> str:
    code, _, err = run_cli(capsys, "check", str(params))
    assert code == 2 and "Traceback" not in err
    return err


def test_a_title_row_read_as_headings_says_the_headings_must_be_the_first_row(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    folder = example_copy("stockholm")
    data = folder / "data/districts.csv"
    data.write_text("2025\n" + data.read_text(encoding="utf-8"), encoding="utf-8")
    err = _check(capsys, folder / "2025.yaml")
    assert "districts.csv, rad 2: raden har 4 värden men rubrikraden (rad 1) bara 1 kolumn" in err
    assert "kolumnrubrikerna står på rad 2, men i en CSV-fil måste de stå på första raden" in err


def test_a_title_row_in_excel_points_at_the_header_row_option(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    from openpyxl import Workbook

    folder = example_copy("stockholm")
    rows = list(csv.reader((folder / "data/districts.csv").open(encoding="utf-8")))
    wb = Workbook()
    wb.active.title = "Stadsdelar"
    wb.active.append([2025])
    for r, row in enumerate(rows):
        wb.active.append([int(v) if r and v.isdigit() else v for v in row])
    wb.save(folder / "data/districts.xlsx")
    params = folder / "2025.yaml"
    text = params.read_text(encoding="utf-8").replace("data/districts.csv", "data/districts.xlsx")
    params.write_text(text, encoding="utf-8")
    err = _check(capsys, params)
    assert "rubrikraden (rad 1) bara 1 kolumn; kolumnrubrikerna står på rad 2" in err
    assert "skriv districts.xlsx#Stadsdelar!A2 som filnamn i parameterfilen" in err


def test_a_comment_column_names_text_columns(
    capsys: pytest.CaptureFixture[str], example_copy: Callable[[str], Path]
) -> None:
    folder = example_copy("stockholm")
    data = folder / "data/districts.csv"
    lines = data.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",kommentar"] + [line + ",ny chef" for line in lines[1:]]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = _check(capsys, folder / "2025.yaml")
    assert 'kolumn "kommentar": "ny chef" är inget tal; är kolumnen "kommentar" text' in err
    assert "text_columns (text_columns: [kommentar])" in err


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("mottagare_hemsjukvården", "mottagare_hemsjukvarden"),
        ("Mottagare_Hemsjukvården", "mottagare_hemsjukvarden"),
        ("förbrukat_område_3", "forbrukat_omrade_3"),
        ("år", "ar"),
    ],
)
def test_a_figure_name_with_swedish_letters_folds_to_the_name_meant(typed: str, meant: str) -> None:
    assert figure_name(typed) == meant
    known = ["mottagare_hemsjukvarden", "mottagare_lss", "forbrukat_omrade_3", "ar", "mottaget"]
    assert closest(typed, known)[0] == meant


@pytest.mark.parametrize(
    ("inner", "hint"),
    [
        (" mottagare_hemsjukvården ", " (menar du {{ mottagare_hemsjukvarden }}?)"),
        (" Mottaget | mnkr ", " (menar du {{ mottaget | mnkr }}?)"),
        (" mottaget ", ""),
        (" ?? ", ""),
    ],
)
def test_a_malformed_placeholder_gets_the_folded_name(inner: str, hint: str) -> None:
    """For the text files' placeholder check (reports/texts.py): the name meant, folded."""
    assert placeholder_hint(inner) == hint


def test_folding_keeps_names_apart_that_differ_in_more_than_letters() -> None:
    assert fold("Umeå  Kommun") == "umea kommun"
    assert closest("Malmo", ["Malmö kommun", "Malmö", "Malå"])[0] == "Malmö"
    assert closest("xyz", ["Umeå"]) == []


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Umea", "Umeå kommun"),
        ("umea kommun", "Umeå kommun"),
        ("Region Jamtland Harjedalen", "Region Jämtland Härjedalen"),
        ("Malmo", "Malmö kommun"),
    ],
)
def test_init_suggests_the_name_with_swedish_letters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, typed: str, meant: str
) -> None:
    code, _, err = run_cli(capsys, "init", str(tmp_path / "p"), "--name", typed)
    assert code == 2 and f"(menar du {meant}?)" in err
    assert not (tmp_path / "p").exists()


def test_a_filled_in_value_loses_its_todo_even_when_the_comment_stays() -> None:
    text = (
        "decided_by: Kommunstyrelsen   # ATT GÖRA: den nämnd som beslutar\n"
        'prepared_by: ""                # ATT GÖRA: förvaltningen som bereder ärendet\n'
        "received:\n"
        "  total: 0                     # ATT GÖRA: beloppet, i hela kronor\n"
        "  other: 41086320              # ATT GÖRA: beloppet, i hela kronor\n"
        "    illustrative: true         # ATT GÖRA: ta bort när raderna är era egna\n"
        "    illustrative: false        # ATT GÖRA: ta bort när raderna är era egna\n"
        '        rule: "ATT GÖRA: beskriv modellen # i en mening."\n'
        '        rule: "Efter befolkning" # ATT GÖRA: beskriv modellen\n'
        '    - {title: "ATT GÖRA: den som skriver under (titel)", unit: ""}\n'
        "# ATT GÖRA: en rad som bara är en kommentar\n"
    )
    assert [line for line, _ in open_todos(text, yaml_file=True)] == [2, 4, 6, 8, 10, 11]
    assert open_todos(text, yaml_file=True)[0] == (2, "förvaltningen som bereder ärendet")
    prose = "## Ärendet\n\nATT GÖRA: vem som har berett ärendet.\nKlart.\n"
    assert open_todos(prose, yaml_file=False) == [(3, "vem som har berett ärendet.")]


def test_a_regions_project_is_a_regions(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "jh"
    code, out, err = run_cli(
        capsys, "init", str(folder), "--name", "Region Jämtland Härjedalen", "--year", "2026"
    )
    assert code == 0, err
    assert "Region Jämtland Härjedalen (region, SCB-kod 23)" in out
    sub = folder / "parameters/region-jamtland-harjedalen"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "regionens styrelse och nämnder" in readme and "förvaltning" not in readme.lower()
    recipients = (sub / "data/mottagare.csv").read_text(encoding="utf-8")
    assert recipients.splitlines()[0] == "name,description"
    assert "Regionstyrelsen" in recipients and "Förvaltning A" not in recipients
    params = (sub / "2026.yaml").read_text(encoding="utf-8")
    assert "type: region" in params and "decided_by: Regionstyrelsen" in params
    assert "population" not in params and "Förvaltningar" not in params
    code, _, err = run_cli(capsys, "check", str(sub / "2026.yaml"))
    assert code == 0, err
    # a municipality's project keeps its own headers
    code, _, err = run_cli(capsys, "init", str(tmp_path / "u"), "--name", "Umeå", "--year", "2026")
    assert code == 0, err
    municipal = tmp_path / "u/parameters/umea-kommun/data/mottagare.csv"
    assert municipal.read_text(encoding="utf-8").startswith("name,population,population_65plus")
    assert "förvaltning" in (tmp_path / "u/README.md").read_text(encoding="utf-8")


def test_check_drops_the_todo_of_a_filled_in_value(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "u"
    code, _, err = run_cli(capsys, "init", str(folder), "--name", "Umeå", "--year", "2027")
    assert code == 0, err
    params = folder / "parameters/umea-kommun/2027.yaml"
    text = params.read_text(encoding="utf-8")
    assert "  total: 0                      # ATT GÖRA" in text
    params.write_text(text.replace("  total: 0  ", "  total: 41000000  ", 1), encoding="utf-8")
    code, out, err = run_cli(capsys, "check", str(params))
    assert code == 0, err
    assert "beloppet i Socialstyrelsens fördelning" not in out  # the comment stays, filled in
    assert "förvaltningen som bereder ärendet" in out  # prepared_by is still ""


def test_a_figure_name_with_swedish_letters_gets_its_suggestion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "u"
    code, _, err = run_cli(capsys, "init", str(folder), "--name", "Umeå", "--year", "2027")
    assert code == 0, err
    texts = folder / "parameters/umea-kommun/texter/2027.md"
    with texts.open("a", encoding="utf-8") as file:
        file.write("\nMottagarna får {{ mottaget_år }}.\n")
    code, _, err = run_cli(capsys, "check", str(folder / "parameters/umea-kommun/2027.yaml"))
    assert code == 2 and "(menar du {{ mottaget_ar }}?)" in err
