"""The audit bundle and a verify that says what changed, in words an auditor uses."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from gnvtools.publish.verify import Check, compare_tables, verdict

from .conftest import PARAMS, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kernel")]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Jämtland's memo built in a project copy, bundled, and the zip moved far away."""
    from gnvtools.cli import main

    project = tmp_path_factory.mktemp("project")
    shutil.copytree(PARAMS / "jamtland", project / "parameters/jamtland")
    out = project / "outputs/jamtland/2025"
    params = project / "parameters/jamtland/2025.yaml"
    assert main(["render", "allocation-memo", str(params), "--to", "html", "--out", str(out)]) == 0
    zip_path = project / "jamtland-2025.zip"
    assert main(["bundle", str(out), "--out", str(zip_path)]) == 0
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    moved = elsewhere / "jamtland-2025.zip"
    shutil.move(str(zip_path), moved)
    shutil.rmtree(project)  # nothing of the original project is left
    return moved


def _rezip(source: Path, target: Path, edit: tuple[str, str, str]) -> Path:
    name, old, new = edit
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == name:
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new, 1).encode("utf-8")
            zout.writestr(item, data)
    return target


def test_the_bundle_holds_reports_inputs_rules_and_version(bundled: Path) -> None:
    names = zipfile.ZipFile(bundled).namelist()
    assert "regler/regimes.yaml" in names and "paket.json" in names and "LÄSMIG.txt" in names
    assert "underlag/parameters/jamtland/2025.yaml" in names
    assert "underlag/parameters/jamtland/data/boards.csv" in names
    assert "underlag/parameters/jamtland/texter/2025.md" in names
    assert any(n.endswith("allocation-memo.html") for n in names)
    manifest_name = next(n for n in names if n.endswith(".manifest.json"))
    manifest = json.loads(zipfile.ZipFile(bundled).read(manifest_name))
    text = json.dumps({k: v for k, v in manifest.items() if k not in ("tables", "figures")})
    assert "/tmp/" not in text and "root" not in manifest  # portable: relative paths only
    assert manifest["command"].startswith(
        "gnv render allocation-memo parameters/jamtland/2025.yaml --to html --out "
    )
    assert set(manifest["code"]) >= {"gnvtools", "regimes", "notebook", "template"}


def test_verify_the_bundle_in_an_empty_folder(
    bundled: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(bundled.parent)
    code, out, err = run_cli(capsys, "verify", bundled.name)
    assert code == 0, out + err
    assert out.strip() == "Alla siffror i en rapport återskapades."


def test_one_changed_number_is_named_first(
    bundled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = _rezip(
        bundled,
        tmp_path / "edited.zip",
        ("underlag/parameters/jamtland/2025.yaml", "total: 41086320", "total: 41186320"),
    )
    code, out, _ = run_cli(capsys, "verify", str(edited))
    assert code == 1
    lines = out.splitlines()
    assert lines[1] == "  Ändrat i underlaget sedan bygget:"
    assert re.fullmatch(
        r"    parameters/jamtland/2025\.yaml, received\.total \(rad \d+\): "
        r"41 086 320 → 41 186 320",
        lines[2],
    )
    assert "mottaget statsbidrag (mottaget): 41 086 320 kr i bygget, 41 186 320 kr nu" in out
    assert lines[-1].startswith("Verifieringen fann ") and lines[-1].endswith(" i rapporten.")
    code, out, _ = run_cli(capsys, "verify", str(edited), "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert data["reports"][0]["inputs"][0].startswith("parameters/jamtland/2025.yaml, received")


def test_a_changed_data_cell_names_row_and_column(
    bundled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = zipfile.ZipFile(bundled).read("underlag/parameters/jamtland/data/boards.csv")
    first_row = data.decode("utf-8").splitlines()[1]
    name = first_row.split(",")[0]
    edited = _rezip(
        bundled,
        tmp_path / "cell.zip",
        ("underlag/parameters/jamtland/data/boards.csv", first_row, first_row + " (ändrad)"),
    )
    code, out, _ = run_cli(capsys, "verify", str(edited))
    assert code == 1  # an edited input is never "verified", even where the figures agree
    assert f"parameters/jamtland/data/boards.csv, rad 2 ({name}), kolumn " in out
    assert "(ändrad)" in out


def test_a_changed_rule_is_reported(
    bundled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = _rezip(
        bundled,
        tmp_path / "rules.zip",
        ("regler/regimes.yaml", "den 17 april 2025", "den 18 april 2025"),
    )
    code, out, _ = run_cli(capsys, "verify", str(edited))
    assert code == 1
    assert "regeldatan i paketet (regler/regimes.yaml) har ändrats efter bygget" in out
    assert '"… den 18 april 2025' not in out and "18 april 2025" in out
    assert "sfs-2024-1253.rules." in out
    assert "Alla siffror i en rapport återskapades, men underlag eller regler har ändrats" in out


def test_a_resorted_table_is_no_difference() -> None:
    table = {
        "key": "t",
        "title": "t",
        "columns": ["Mottagare", "Belopp"],
        "kinds": ["text", "kr"],
        "rows": [["Bromma", 1_000], ["Farsta", 2_000]],
        "footer": ["Summa", 3_000],
    }
    resorted = {**table, "rows": [["Farsta", 2_000], ["Bromma", 1_000]]}
    assert compare_tables([table], [resorted]) == []
    changed = {**table, "rows": [["Farsta", 2_500], ["Bromma", 1_000]]}
    assert compare_tables([table], [changed]) == [
        'tabellen "t", raden "Farsta", kolumn "Belopp": 2 000 kr i bygget, 2 500 kr nu'
    ]


@pytest.mark.parametrize(
    ("differences", "reports", "expected"),
    [
        ([0], 1, "Alla siffror i en rapport återskapades."),
        ([0] * 6, 6, "Alla siffror i sex rapporter återskapades."),
        ([1], 1, "Verifieringen fann en avvikelse i rapporten."),
        ([3, 0], 2, "Verifieringen fann tre avvikelser i en rapport av 2."),
        ([2, 1, 0], 3, "Verifieringen fann tre avvikelser i två rapporter av 3."),
    ],
)
def test_verdict_agrees_in_number(differences: list[int], reports: int, expected: str) -> None:
    checks = []
    for n in differences:
        check = Check("m", "allocation-memo", "t")
        check.figures = ["x"] * n
        checks.append(check)
    assert verdict(checks) == expected


def test_a_change_hidden_by_rounding_is_shown_with_its_exact_values() -> None:
    from gnvtools.publish.verify import compare_figures, compare_tables

    table = {"key": "Andelar", "columns": ["Område", "Andel"], "kinds": ["text", "percent"]}
    before = [{**table, "rows": [["1", 0.08826]]}]
    after = [{**table, "rows": [["1", 0.08796]]}]
    (line,) = compare_tables(before, after)
    assert "8,8 % (exakt 0,08826) i bygget, 8,8 % (exakt 0,08796) nu" in line
    figure = {"name": "andel", "label": "andel", "kind": "andel", "text": "9 %"}
    (line,) = compare_figures([{**figure, "value": "47/500"}], [{**figure, "value": "46/500"}])
    assert "9 % (exakt 47/500) i bygget, 9 % (exakt 46/500) nu" in line
    # A change the rounded forms show needs nothing added.
    (line,) = compare_tables(before, [{**table, "rows": [["1", 0.5]]}])
    assert "exakt" not in line
