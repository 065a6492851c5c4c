"""The multi-year comparison: its sentences, made-up marks per cell and chart column, figures
as exact as their sources, missing figures shown as missing, and the document's own date."""

from __future__ import annotations

from pathlib import Path

import pytest

from gnvtools.reports.comparison import Comparison

from .conftest import PARAMS, plain

COMPARISON = "comparison-2023-2025.yaml"


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return Comparison.load(PARAMS / "stockholm" / COMPARISON)


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
    carry = plain(comparison.carry_over().plain).splitlines()
    assert "2025 fördelades cirka 10,7 mnkr i kvarvarande medel från 2024." in carry
    assert (
        "Av 2025 års medel ska 13 277 175 kr betalas tillbaka om hela den redovisade "
        "förbrukningen räknas, eller 13 360 525 kr (osäker avläsning) om bara det som redovisats "
        "per insatsområde räknas som förbrukat." in carry
    )


def test_school_and_preschool_are_named_as_the_data_has_them(comparison: Comparison) -> None:
    """2023: 1 000 000 kr basic support + 5 000 000 kr for school, all to the school
    administration; preschool got nothing of the year's grant, only 350 000 kr carried over."""
    text = plain(comparison.school_text())
    assert text.startswith(
        "Av årets statsbidrag fick Utbildningsförvaltningen 6 000 000 kr 2023 och 0 kr 2025; av "
        "kvarvarande medel från tidigare år fick den 350 000 kr 2025. Förskoleförvaltningen fick "
        "varken 2023 eller 2025 något av årets statsbidrag; av kvarvarande medel från tidigare "
        "år fick den 350 000 kr 2025. För 2024 saknas uppgift om fördelningen."
    )
    assert "skola och förskola 6 000 000" not in text.lower()
    assert "stadens tolkning" in text  # the city's reading, said to be one
    groups = [row[0] for row in comparison.group_table().rows]
    assert "Utbildningsförvaltningen" in groups and "Förskoleförvaltningen" in groups
    chart = comparison.school_chart()
    assert "Förskoleförvaltningen" in chart.alt


def test_allocated_says_at_which_stage(comparison: Comparison) -> None:
    """'Fördelat' in the 2025 memo is the ceilings (41 991 440 kr); what districts were given
    after requisitioning is 29 350 000 kr: two columns, each named, with a note."""
    totals = comparison.totals_table()
    assert totals.columns == [
        "År",
        "Mottaget",
        "Fördelat i beslutet (tak medräknade)",
        "Tilldelat efter rekvisitionerna",
        "Förbrukat",
        "Outnyttjat vid årets slut",
    ]
    assert totals.rows[2][1:4] == [41_991_440, 41_991_440, 29_350_000]
    assert totals.rows[1][1:5] == [None, None, None, None] and totals.rows[1][5] == 10_700_000
    assert any(
        n.startswith("Fördelat i beslutet är det som beslutet fördelar") for n in totals.notes
    )
    assert "Fördelat" not in comparison.group_table().columns


def test_totals_fit_a_page_in_two_tables(comparison: Comparison) -> None:
    assert len(comparison.totals_table().columns) <= 6
    use = comparison.use_table()
    assert use.columns == ["År", "Regelverk", "Nyttjandegrad", "Kvarvarande medel från tidigare år"]
    assert "Regelverk" in plain(comparison.totals().plain)


def test_regime_labels_carry_no_year_of_their_own(comparison: Comparison) -> None:
    labels = [row[1] for row in comparison.use_table().rows]
    assert labels == ["SKR-överenskommelsen", "SKR-överenskommelsen", "SFS 2024:1253"]


def test_made_up_marks_follow_the_figures(comparison: Comparison) -> None:
    """A total of real amounts split over made-up rows is real as a total (2023: 51 810 636 kr,
    the memo's own; the nurse pot's 1,8 mnkr open for applications goes to Äldreförvaltningen
    where not applied for); the 2025 grants after made-up requisitions are made up."""
    figures = comparison.figures
    assert not figures["ar_2023_fordelat_statsbidrag"].illustrative
    assert not figures["ar_2023_beslut_statsbidrag_fordelat"].illustrative
    assert not figures["ar_2023_medel_vidareutbildning_sjukskoterskor_fordelat"].illustrative
    assert figures["ar_2023_medel_vidareutbildning_sjukskoterskor_steg_4"].illustrative
    assert figures["ar_2025_fordelat_statsbidrag"].illustrative
    assert not figures["ar_2025_beslut_statsbidrag_fordelat"].illustrative
    totals = comparison.totals_table()
    assert totals.illustrative == (
        "påhittade exempel är 2023: förbrukat och outnyttjat vid årets slut; 2025: tilldelat "
        "efter rekvisitionerna."
    )
    assert comparison.use_table().illustrative == "påhittade exempel är 2023: nyttjandegrad."
    assert "2023, mottaget: ungefärligt, cirka 51,8 mnkr." in [plain(n) for n in totals.notes]
    assert not any("kolumnen" in n for n in [totals.illustrative, *totals.notes])


def test_made_up_marks_per_year_and_cell(comparison: Comparison) -> None:
    area = comparison.area_table()
    assert area.illustrative == "beloppen för 2023 är påhittade exempel."  # 2025: the city's own
    groups = comparison.group_table()
    assert "2025: Stadsdelsförvaltningar" in groups.illustrative
    assert "2023: Stadsdelsförvaltningar" in groups.illustrative  # nurse requisitions
    # split by made-up places among providers only: the group's 10 300 000 kr is real
    assert "Utförare" not in groups.illustrative
    assert "kvarvarande" not in groups.illustrative  # 800 000 kr each: the memo's own figures
    assert "Utbildningsförvaltningen" not in groups.illustrative
    activities = comparison.activity_table()
    assert activities.illustrative == "beloppen för 2023 och 2025 är påhittade exempel."
    assert activities.columns[-1] == "2025, kvarvarande medel"
    school = next(row for row in activities.rows if row[0] == "Skola och förskola")
    assert school[-1] is None  # the 700 000 kr of carry-over is not followed up: missing, not 0
    assert activities.footer is not None and activities.footer[3] == 28_714_265


#: How the SVG writes the stripes over a made-up column (``reports.chart_svg``).
STRIPES = 'style="fill: none; stroke: #ffffff"'


def test_the_chart_stripes_made_up_columns_only(comparison: Comparison) -> None:
    chart = comparison.totals_chart()
    svg = chart.svg.decode("utf-8")
    # stripes drawn as white lines (a <pattern> fill would print as bitmap images)
    assert STRIPES in svg and "<pattern" not in svg and "Streckat: påhittat exempel" in svg
    assert "Förbrukat 47 092 000 kr (påhittat exempel)" in plain(chart.alt)
    assert "Förbrukat 28 714 265 kr," in plain(chart.alt)  # 2025's real use: no mark
    assert "Streckade staplar är påhittade exempel." in chart.caption
    school = comparison.school_chart()
    assert STRIPES not in school.svg.decode("utf-8")  # fixed amounts from the memos


def test_findings_keep_their_made_up_flag(comparison: Comparison) -> None:
    made_up = [f for f in comparison.findings if f.code == "not-requisitioned"]
    assert made_up and all(f.illustrative for f in made_up)
    assert not any(f.illustrative for f in comparison.findings if f.code == "frames-disagree")


def test_checks_say_where_they_come_from(comparison: Comparison) -> None:
    text = plain(comparison.checks().plain)
    assert "respektive års kontroller" not in text
    assert (
        "Kontrollerna nedan gäller hela året, med underlag som kom efter respektive beslut; "
        "varningarna om den nationella ramen 2025 jämför källor som anger olika belopp." in text
    )
    for how_the_tool_works in ("Jämförelsen räknar om", "hänvisar inte till sig självt"):
        assert how_the_tool_works not in text
    table = comparison.findings_table()
    # a notice with no amount is said below the table, not shown with "uppgift saknas"
    assert all(row[-1] is not None for row in table.rows)
    assert not any(str(row[1]).startswith("För 2024") for row in table.rows)
    (partial,) = [n for n in table.notes if n.startswith("För 2024")]
    assert "parameterfil" not in partial


def test_no_program_voice(comparison: Comparison) -> None:
    text = plain(
        "\n".join(
            block.plain
            for block in (
                comparison.summary(),
                comparison.areas(),
                comparison.carry_over(),
                comparison.checks(),
            )
        )
    )
    for phrase in ("parameterfil", "mappningsfil", "detaljerna räknas", "Mappning av"):
        assert phrase not in text


def test_the_document_has_its_own_date(comparison: Comparison) -> None:
    head = comparison.header()
    (block,) = [b for b in head.blocks if type(b).__name__ == "TitleBlock"]
    assert block.date == "2026-04-14" and block.dnr == "ÄLD 2026/000"
    shown = plain(head.plain)
    assert "Datum: 14 april 2026 (påhittat exempel)" in shown
    assert "Jämförelsens datum och diarienummer är påhittade exempel" in shown
    assert comparison.figures["datum"].illustrative
    assert comparison.figures["datum"].sources[0].key == "document.date"


def test_a_real_date_is_not_marked(example_copy, tmp_path: Path) -> None:
    folder = example_copy("stockholm")
    path = folder / COMPARISON
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  illustrative: [date, case_number]\n", ""), encoding="utf-8")
    other = Comparison.load(path)
    shown = plain(other.header().plain)
    assert (
        "Datum: 14 april 2026\n" in shown + "\n" and "påhittat exempel)" not in shown.split("\n")[2]
    )
    assert not other.figures["datum"].illustrative


def test_without_a_document_date_the_head_has_none(example_copy) -> None:
    folder = example_copy("stockholm")
    path = folder / COMPARISON
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("document:"))
    del lines[start : start + 4]
    path.write_text("".join(lines), encoding="utf-8")
    other = Comparison.load(path)
    assert "datum" not in other.figures and "Datum:" not in plain(other.header().plain)


def test_without_groups_left_outside_there_is_no_sentence_or_chart(example_copy) -> None:
    folder = example_copy("stockholm")
    mapping = folder / "comparison-mapping.yaml"
    text = mapping.read_text(encoding="utf-8").replace("    outside_from: 2025\n", "")
    mapping.write_text(text, encoding="utf-8")
    other = Comparison.load(folder / COMPARISON)
    assert other.school_text() == ""
    assert not other.school_chart().plain
    assert len(other.summary_texts()) == 4
