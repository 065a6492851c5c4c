"""The multi-year comparison: its sentences, made-up marks per cell and chart column, figures
as exact as their sources, missing figures shown as missing."""

from __future__ import annotations

import pytest

from gnvtools.reports.comparison import Comparison

from .conftest import PARAMS, plain


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return Comparison.load(PARAMS / "stockholm/comparison-2023-2025.yaml")


def test_comparison_sentences(comparison: Comparison) -> None:
    assert [plain(t) for t in comparison.summary_texts()[:4]] == [
        "2023 (SKR-överenskommelsen): mottaget cirka 51,8 mnkr, förbrukat 47 092 000 kr (91 %, "
        "påhittat exempel).",
        "För 2024 saknas uppgift om mottaget belopp och förbrukning. Vid årets slut återstod "
        "cirka 10,7 mnkr.",
        "2025 (SFS 2024:1253): mottaget 41 991 440 kr, förbrukat 28 714 265 kr (68 %).",
        "Förbrukningen 2023 är ett påhittat exempel och kan inte jämföras med de redovisade "
        "siffrorna för 2025.",
    ]
    assert plain(comparison.school_text()).startswith(
        "Av årets statsbidrag fick skola och förskola 6 000 000 kr 2023, uppgift saknas för 2024 "
        "och 0 kr 2025 (och cirka 0,7 mnkr av kvarvarande medel från tidigare år)."
    )
    carry = plain(comparison.carry_over().plain).splitlines()
    assert "2025 fördelades cirka 10,7 mnkr i kvarvarande medel från 2024." in carry
    assert (
        "Av 2025 års medel ska 13 277 175 kr betalas tillbaka, eller 13 360 525 kr (osäker "
        "avläsning) om bara detaljerna räknas som förbrukade." in carry
    )


def test_totals_say_which_cells_are_made_up(comparison: Comparison) -> None:
    totals = comparison.totals_table()
    assert totals.rows[1][2:6] == [None, None, None, 10_700_000]
    assert totals.columns[-1] == "Påhittat exempel"
    assert [row[-1] for row in totals.rows] == [
        "fördelat, förbrukat, outnyttjat vid årets slut och nyttjandegrad",
        "inget",
        "fördelat",  # the districts' requisitions are made up, the city's totals are not
    ]
    assert totals.illustrative
    assert "2023, mottaget: ungefärligt, cirka 51,8 mnkr." in [plain(n) for n in totals.notes]
    assert not any("kolumnen" in n for n in [totals.illustrative, *totals.notes])


def test_made_up_marks_per_year_and_cell(comparison: Comparison) -> None:
    area = comparison.area_table()
    assert area.illustrative == "beloppen för 2023 är påhittade exempel."  # 2025: the city's own
    groups = comparison.group_table()
    assert "2025: Stadsdelsförvaltningar" in groups.illustrative
    assert "kvarvarande" not in groups.illustrative  # 800 000 kr each: the memo's own figures
    assert "Skola och förskola" not in groups.illustrative
    activities = comparison.activity_table()
    assert activities.illustrative == "beloppen för 2023 och 2025 är påhittade exempel."
    assert activities.columns[-1] == "2025, kvarvarande medel"
    school = next(row for row in activities.rows if row[0] == "Skola och förskola")
    assert school[-1] is None  # the 700 000 kr of carry-over is not followed up: missing, not 0
    assert activities.footer is not None and activities.footer[3] == 28_714_265


def test_the_chart_stripes_made_up_columns_only(comparison: Comparison) -> None:
    chart = comparison.totals_chart()
    svg = chart.svg.decode("utf-8")
    assert "<pattern" in svg and "Streckat: påhittat exempel" in svg
    assert "Förbrukat 47 092 000 kr (påhittat exempel)" in plain(chart.alt)
    assert "Förbrukat 28 714 265 kr," in plain(chart.alt)  # 2025's real use: no mark
    assert "Streckade staplar är påhittade exempel." in chart.caption
    school = comparison.school_chart()
    assert "<pattern" not in school.svg.decode("utf-8")  # fixed amounts from the memos


def test_findings_keep_their_made_up_flag(comparison: Comparison) -> None:
    made_up = [f for f in comparison.findings if f.code == "not-requisitioned"]
    assert made_up and all(f.illustrative for f in made_up)
    assert not any(f.illustrative for f in comparison.findings if f.code == "frames-disagree")
