"""Years and rules: a year no regime covers, a regime that does not cover its file's year and
a year of two digits are errors naming the file, the line and the years each regime covers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gnvtools.core.regimes import all_regimes, periods_text, regime_year_problem, year_problem

from .conftest import PARAMS, run_cli


def test_every_regime_states_its_years() -> None:
    regimes = all_regimes()
    assert regimes["skr-2023"].covers(2023) and not regimes["skr-2023"].covers(2025)
    assert regimes["sfs-2024-1253"].covers(2025) and regimes["sfs-2024-1253"].covers(2031)
    assert not regimes["sfs-2024-1253"].covers(2024)
    assert periods_text() == "skr-2023 (2023) och sfs-2024-1253 (från 2025)"


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (27, "året 27 ska skrivas med fyra siffror (t.ex. 2027)"),
        (2022, "inga regler gäller år 2022; regimerna gäller skr-2023 (2023) och "),
        (2024, "inga regler gäller år 2024"),
        (2023, None),
        (2025, None),
        (2030, None),
    ],
)
def test_a_year_must_have_four_digits_and_rules(year: int, expected: str | None) -> None:
    problem = year_problem(year)
    assert (problem is None) if expected is None else (problem or "").startswith(expected)


def test_a_regime_must_cover_the_year() -> None:
    assert regime_year_problem("sfs-2024-1253", 2025) is None
    assert regime_year_problem("sfs-2024-1253", 2023) == (
        "regimen sfs-2024-1253 gäller från 2025, inte år 2023 (för 2023 gäller skr-2023); "
        "regimerna gäller skr-2023 (2023) och sfs-2024-1253 (från 2025)"
    )


def _with(tmp_path: Path, example_copy, org: str, year: str, replace: dict[str, str]) -> Path:
    folder = example_copy(org)
    path = folder / f"{year}.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in replace.items():
        text, n = re.subn(old, new, text, count=1, flags=re.MULTILINE)
        assert n == 1, old
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("replace", "line", "message"),
    [
        ({r"^year: 2025$": "year: 2022"}, 7, "inga regler gäller år 2022"),
        ({r"^year: 2025$": "year: 25"}, 7, "året 25 ska skrivas med fyra siffror (t.ex. 2025)"),
        (
            {r"^regime: sfs-2024-1253$": "regime: skr-2023"},
            8,
            "regimen skr-2023 gäller 2023, inte år 2025 (för 2025 gäller sfs-2024-1253)",
        ),
    ],
)
def test_check_refuses_a_year_without_rules_with_a_located_message(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    example_copy,
    replace: dict[str, str],
    line: int,
    message: str,
) -> None:
    path = _with(tmp_path, example_copy, "jamtland", "2025", replace)
    code, out, err = run_cli(capsys, "check", str(path))
    assert code == 2 and out == ""
    assert f"{path}, rad {line}, nyckel" in err and message in err
    assert "Traceback" not in err
    if "fyra siffror" not in message:
        assert "skr-2023 (2023) och sfs-2024-1253 (från 2025)" in err


def test_the_year_2022_under_the_ordinance_is_refused(
    capsys: pytest.CaptureFixture[str], example_copy, tmp_path: Path
) -> None:
    """The issue's case: year 2022 with regime sfs-2024-1253."""
    path = _with(tmp_path, example_copy, "stockholm", "2025", {r"^year: 2025$": "year: 2022"})
    code, _, err = run_cli(capsys, "check", str(path))
    assert code == 2 and 'nyckel "year"' in err and "2022" in err


def test_a_comparison_year_of_two_digits_is_refused(
    capsys: pytest.CaptureFixture[str], example_copy, tmp_path: Path
) -> None:
    folder = example_copy("stockholm")
    path = folder / "comparison-2023-2025.yaml"
    text = path.read_text(encoding="utf-8")
    assert "- year: 2023" in text
    path.write_text(text.replace("- year: 2023", "- year: 23", 1), encoding="utf-8")
    code, _, err = run_cli(capsys, "figures", str(path))
    assert code == 2 and "året 23 ska skrivas med fyra siffror" in err and ", rad " in err


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("27", "--year 27: året 27 ska skrivas med fyra siffror (t.ex. 2027)"),
        ("2022", "--year 2022: inga regler gäller år 2022; regimerna gäller skr-2023 (2023)"),
    ],
)
def test_init_refuses_a_year_without_rules_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, year: str, message: str
) -> None:
    folder = tmp_path / "umea"
    code, _, err = run_cli(capsys, "init", str(folder), "--name", "Umeå", "--year", year)
    assert code == 2 and message in err
    assert not folder.exists()


def test_init_writes_the_regime_of_the_year(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for year, regime in (("2023", "skr-2023"), ("2026", "sfs-2024-1253")):
        folder = tmp_path / year
        code, _, err = run_cli(capsys, "init", str(folder), "--name", "Umeå", "--year", year)
        assert code == 0, err
        params = folder / f"parameters/umea-kommun/{year}.yaml"
        assert f"\nregime: {regime}\n" in params.read_text(encoding="utf-8")
        code, _, err = run_cli(capsys, "check", str(params))
        assert code == 0, err


def test_the_examples_years_have_rules() -> None:
    from gnvtools.core.params import is_comparison, load_params

    for path in sorted(PARAMS.glob("*/*.yaml")):
        if "mapping" in path.name or "regler" in path.name or is_comparison(path):
            continue
        params = load_params(path)
        assert all_regimes()[params.regime].covers(params.year), path
