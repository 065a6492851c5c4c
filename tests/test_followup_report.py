"""The year-end follow-up as a document to sign: head, proposal, own sections, repayment with
its alternative, made-up marks per figure, sources of the eligibility column, its sentences."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from gnvtools.reports.document import TitleBlock
from gnvtools.reports.followup_report import FollowupReport

from .conftest import PARAMS, plain


@pytest.fixture(scope="module")
def report() -> FollowupReport:
    return FollowupReport.load(PARAMS / "stockholm/2025.yaml")


def _document_text(report: FollowupReport) -> str:
    sections = [
        report.header(),
        report.summary(),
        report.overview(),
        report.recipients(),
        report.areas(),
        report.carry_over(),
        report.ineligible(),
        report.repayment(),
        report.checks(),
    ]
    return plain("\n".join(s.plain for s in sections))


def test_head_has_the_documents_own_date_dnr_and_who_decides(report: FollowupReport) -> None:
    head = report.header()
    (block,) = [b for b in head.blocks if isinstance(b, TitleBlock)]
    assert block.date == "2026-03-17" and block.dnr == "ÄLD 2026/000"
    assert block.stage == "uppföljning"
    lines = plain(head.plain).splitlines()
    assert "Datum: 17 mars 2026 (påhittat exempel)" in lines
    assert "Diarienummer: ÄLD 2026/000 (påhittat exempel)" in lines
    assert "Ärendet avgörs av: Äldrenämnden" in lines
    assert "Beredd av: Äldreförvaltningen" in lines


def test_proposal_recommends_one_reading_and_the_text_states_the_other(
    report: FollowupReport,
) -> None:
    assert [plain(item) for item in report.proposal_items()] == [
        "Äldrenämnden godkänner uppföljningen av 2025 års statsbidrag för utveckling av en god "
        "och nära vård.",
        "Äldrenämnden konstaterar att 28 714 265 kr har förbrukats enligt den redovisade totalen "
        "och noterar att 13 277 175 kr betalas tillbaka till Socialstyrelsen.",
    ]
    assert "Förvaltningens förslag till beslut" in plain(report.header().plain)
    repayment = plain(report.repayment().plain)
    assert (
        "Om i stället beloppen per insatsområde, 28 630 915 kr (osäker avläsning), räknas som "
        "förbrukade blir återbetalningen 13 360 525 kr (osäker avläsning)" in repayment
    )
    assert "Beloppen för områdena 3 och 6 är svårlästa i underlaget" in repayment
    assert "fråga för beslut" not in _document_text(report)


def test_the_parameter_file_may_recommend_the_other_reading(example_copy) -> None:
    folder: Path = example_copy("stockholm")
    params = folder / "2025.yaml"
    text = params.read_text(encoding="utf-8")
    params.write_text(
        text.replace("recommended_reading: total", "recommended_reading: details", 1),
        encoding="utf-8",
    )
    other = FollowupReport.load(params)
    assert plain(other.proposal_items()[1]) == (
        "Äldrenämnden konstaterar att 28 630 915 kr (osäker avläsning) har förbrukats enligt "
        "beloppen per insatsområde och noterar att 13 360 525 kr (osäker avläsning) betalas "
        "tillbaka till Socialstyrelsen."
    )
    assert (
        "Om i stället den redovisade totalen, 28 714 265 kr, räknas som förbrukad blir "
        "återbetalningen 13 277 175 kr" in plain(other.repayment().plain)
    )
    (key,) = other.overview().tables
    assert ["Att betala tillbaka enligt förslaget (osäker avläsning)", 13_360_525] in key.rows
    (table,) = other.repayment().tables
    assert table.columns[2].endswith("(förslaget)")


def test_summary_sentences_mark_made_up_figures_and_only_them(report: FollowupReport) -> None:
    assert [plain(t) for t in report.summary_texts()] == [
        "Stockholms stad tog emot 41 991 440 kr för 2025. Vid årets slut hade 28 714 265 kr "
        "förbrukats, vilket ger en nyttjandegrad på 68 %.",
        "Av de 41 991 440 kr som kunde rekvireras beviljades mottagarna sammanlagt 29 350 000 kr "
        "(påhittat exempel).",
        # The count is the source's own (stated in the parameter file); only the names are made up.
        "Två mottagare rekvirerade inga medel.",
        "Förvaltningen föreslår att den redovisade totalen räknas som förbrukad och att "
        "13 277 175 kr betalas tillbaka till Socialstyrelsen; se Återbetalning.",
    ]
    # A political summary states the matter; the warnings are listed under Kontroller.
    assert "Varning:" not in plain(report.summary().plain)


def test_a_stated_count_is_real_and_the_names_beside_it_are_marked(
    report: FollowupReport,
) -> None:
    count = report.figures["antal_ej_rekvirerat"]
    assert count.value == 2 and not count.illustrative
    assert count.sources[0].as_json()["key"] == "followup.stated.not_requisitioned"
    table = report.recipient_table()
    assert (
        "Rekvirerade inga medel: Skarpnäck och Skärholmen (påhittat exempel; källan anger att "
        "två mottagare inte rekvirerade, men inte vilka)." in table.notes
    )
    assert all(str(row[0]).endswith("(påhittat exempel)") for row in table.rows)


def test_without_a_stated_count_the_count_of_made_up_rows_is_marked(example_copy) -> None:
    folder: Path = example_copy("stockholm")
    params = folder / "2025.yaml"
    text = params.read_text(encoding="utf-8")
    start = text.index("  stated:\n")
    end = text.index("  # The proposal counts")
    params.write_text(text[:start] + text[end:], encoding="utf-8")
    bare = FollowupReport.load(params)
    assert bare.figures["antal_ej_rekvirerat"].illustrative
    assert "Två mottagare rekvirerade inga medel (påhittat exempel)." in [
        plain(t) for t in bare.summary_texts()
    ]


def test_the_unused_money_is_traced_to_the_krona(report: FollowupReport) -> None:
    f = report.figures
    assert f.amount("outnyttjat_ej_fordelat") == 41_991_440 - 29_350_000 == 12_641_440
    assert f.amount("outnyttjat_hos_mottagarna") == 29_350_000 - 28_714_265 == 635_735
    assert f.amount("outnyttjat_ej_fordelat") + f.amount("outnyttjat_hos_mottagarna") == (
        f.amount("outnyttjat")
    )
    assert "medel_statsbidrag_2025_steg_1_ej_rekvirerat" in f["outnyttjat_ej_fordelat"].derived_from
    # The per-recipient table's unused (on the rows) differs by what no row places.
    assert f.amount("outnyttjat_enligt_rader") - f.amount("outnyttjat_hos_mottagarna") == (
        f.amount("redovisat_utover_rader")
    )
    (key,) = report.overview().tables
    assert [row[0] for row in key.rows][3:6] == [
        "Inte rekvirerat (mottaget − rekvirerat) (påhittat exempel)",
        "Rekvirerat men inte förbrukat (rekvirerat − förbrukat) (påhittat exempel)",
        "= Outnyttjat (mottaget − förbrukat)",
    ]
    text = plain(report.repayment().plain)
    assert (
        "Av det rekvirerades 12 641 440 kr aldrig, och 635 735 kr rekvirerades men förbrukades "
        "inte (påhittat exempel)." in text
    )
    assert (
        "I tabellen per mottagare är det outnyttjade 719 085 kr, eftersom den räknar på "
        "förbrukningsraderna: de 83 350 kr av den redovisade totalen" in text
    )


def test_key_figures_say_each_amount_once(report: FollowupReport) -> None:
    (key,) = report.overview().tables
    values = [row[1] for row in key.rows if row[1]]
    labels = [row[0] for row in key.rows]
    assert values.count(29_350_000) == 1 and values.count(28_714_265) == 1
    assert "Rekvirerat och beviljat (påhittat exempel)" in labels
    assert "Förbrukat (redovisad total)" in labels


def test_a_grant_above_its_ceiling_is_explained_and_flagged(report: FollowupReport) -> None:
    f = report.figures
    assert f.amount("mottagare_norra_innerstaden_over_tak") == 6_500_000 - 6_178_073
    section = report.recipients()
    flags = [b for b in section.blocks if getattr(b, "role", "") == "flag"]
    assert [plain(b.text) for b in flags] == [
        "I steget rekvisition stadsdelsförvaltningar: Norra innerstaden beviljades 6 500 000 kr, "
        "321 927 kr mer än sitt tak på 6 178 073 kr (påhittat exempel).",
        "Det som andra mottagare lämnade inom sina tak fördelades om till dem som begärde mer, "
        "enligt fördelningsbeslutet (Stockholms tjänsteutlåtande 2025) (påhittat exempel).",
    ]


def test_a_decision_that_is_no_source_says_the_rule_has_none(example_copy) -> None:
    folder = example_copy("stockholm")
    path = folder / "2025.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  source: stockholm-memo-2025\n" in text
    path.write_text(text.replace("  source: stockholm-memo-2025\n", ""), encoding="utf-8")
    report = FollowupReport.load(path)
    flags = [plain(b.text) for b in report.recipients().blocks if getattr(b, "role", "") == "flag"]
    assert flags[-1] == (
        "Det som andra mottagare lämnade inom sina tak fördelades om till dem som begärde mer, "
        "enligt fördelningsbeslutet, som inte anger någon källa för regeln (påhittat exempel)."
    )


def test_an_approximate_carry_over_is_said_as_the_source_says_it(report: FollowupReport) -> None:
    text = plain(report.carry_over().plain)
    assert "Av kvarvarande medel från 2024 fördelades cirka 10,7 mnkr." in text
    assert "10 700 000 kr." not in text and "fördelades 10 700 000" not in text
    (table,) = report.checks().tables
    (row,) = [row for row in table.rows if "är inte uppföljda" in str(row[1])]
    assert "(cirka 10,7 mnkr)" in plain(str(row[1])) and row[2] is None  # never to the krona


def test_not_applicable_is_a_dash_and_kinds_have_display_labels() -> None:
    old = FollowupReport.load(PARAMS / "stockholm/2023.yaml")
    table = old.recipient_table()
    social = next(row for row in table.rows if str(row[0]).startswith("Socialförvaltningen"))
    assert social[2] == "–"
    assert "Rekvirerat –: mottagaren ingick inte i något rekvisitionssteg." in table.notes
    _, activity = old.areas().tables
    kinds = [row[0] for row in activity.rows]
    assert "LSS-hälsan" in kinds and "Övergripande insatser" in kinds
    assert not any(kind[:1].islower() for kind in kinds)
    new = FollowupReport.load(PARAMS / "stockholm/2025.yaml").recipient_table()
    skarpnack = next(row for row in new.rows if str(row[0]).startswith("Skarpnäck"))
    assert skarpnack[6] == "–" and "uppgift saknas" not in plain(str(new.notes))


def test_2023_is_phrased_from_its_regime_and_says_which_money() -> None:
    old = FollowupReport.load(PARAMS / "stockholm/2023.yaml")
    head = plain(old.header().plain)
    assert head.splitlines()[0] == "Uppföljning av stimulansmedlen för god och nära vård 2023"
    assert plain(old.proposal_items()[0]) == (
        "Äldrenämnden godkänner uppföljningen av 2023 års stimulansmedel för god och nära vård."
    )
    assert "statsbidrag" not in head
    summary = [plain(t) for t in old.summary_texts()]
    assert summary[1] == (
        "Av de 1 800 000 kr som kunde rekvireras (ansökan om nya utbildningsplatser inom "
        "vidareutbildning sjuksköterskor) beviljades mottagarna sammanlagt 1 620 000 kr "
        "(påhittat exempel)."
    )
    assert summary[2] == (
        "Sju mottagare som kunde rekvirera dessa medel gjorde det inte (påhittat exempel)."
    )
    assert any(
        note.startswith(
            "Rekvirerade inga medel i ansökan om nya utbildningsplatser inom vidareutbildning "
            "sjuksköterskor: Bromma, "
        )
        for note in old.recipient_table().notes
    )


def test_2023_made_up_spend_is_marked_in_the_summary_and_the_checks() -> None:
    old = FollowupReport.load(PARAMS / "stockholm/2023.yaml")
    assert plain(old.summary_texts()[0]) == (
        "Stockholms stad tog emot cirka 51,8 mnkr för 2023. Vid årets slut hade 47 092 000 kr "
        "förbrukats, vilket ger en nyttjandegrad på 91 % (påhittat exempel)."
    )
    (utilisation,) = [f for f in old.result.findings if f.code == "utilisation"]
    assert utilisation.illustrative
    assert utilisation.message.endswith("(Bygger på påhittade exempelrader.)")
    (first, *_) = [f for f in old.result.findings if f.code == "not-requisitioned"]
    assert "i steget ansökan om nya utbildningsplatser (taket var" in first.message


def test_the_counts_of_the_checks_belong_to_the_follow_up(report: FollowupReport) -> None:
    assert report.figures["antal_fel"].stage == "uppföljning"
    assert report.figures["antal_varningar"].stage == "uppföljning"


def test_the_organisations_own_sections(report: FollowupReport) -> None:
    summary = plain(report.summary().plain)
    assert summary.splitlines()[0] == "Sammanfattning"
    assert "Bakgrund" in summary.splitlines()
    views = plain(report.overview().plain)
    assert "Förvaltningens synpunkter" in views.splitlines()
    assert "Staden har förbrukat 28 714 265 kr, eller 68 % av 41 991 440 kr." in views
    closing = plain(report.checks().plain)
    assert "Äldredirektör (påhittat exempel), Äldreförvaltningen" in closing.splitlines()
    assert report.texts is not None
    inputs = report.appendix().tables[0].rows
    assert any(str(row[0]).endswith("texter/2025-uppfoljning.md") for row in inputs)


def test_repayment_is_a_sum_with_its_parts_and_its_alternative(report: FollowupReport) -> None:
    (table,) = report.repayment().tables
    assert table.columns == [
        "Post",
        "Om totalen räknas (förslaget)",
        "Om bara beloppen per insatsområde räknas",
    ]
    assert table.rows == [
        ["Mottaget statsbidrag", 41_991_440, 41_991_440],
        ["− Förbrukat (redovisad total)", 28_714_265, 28_630_915],
        ["− Förs över till nästa år", 0, 0],
        ["+ Använt utanför reglerna", 0, 0],
    ]
    assert table.footer == ["= Att betala tillbaka", 13_277_175, 13_360_525]
    for column in (1, 2):  # each column adds up
        received, used, carried, ineligible = (row[column] for row in table.rows)
        assert table.footer[column] == received - used - carried + ineligible
    assert not table.illustrative  # the city's own figures


def test_made_up_marks_per_row_and_table(report: FollowupReport) -> None:
    (key,) = report.overview().tables
    labels = [row[0] for row in key.rows]
    assert "Rekvirerat och beviljat (påhittat exempel)" in labels
    # real: no mark
    assert "Förbrukat (redovisad total)" in labels
    assert "= Outnyttjat (mottaget − förbrukat)" in labels
    assert "Kvarvarande medel från tidigare år, följs upp för sig (cirka)" in labels
    area, activity = report.areas().tables
    assert not area.illustrative  # the per-area figures are the city's own
    assert area.rows[2][0].endswith("(osäker avläsning)")
    assert "Område 3: tryckt ”4 1500 000” i källan, läst som 4 150 000 kr." in area.notes
    assert activity.illustrative  # built from the made-up rows
    assert report.recipient_table().illustrative


def test_charts_mark_made_up_series_in_the_image(report: FollowupReport) -> None:
    made_up = report.recipient_chart()
    real = report.area_chart()
    stripes = b'style="fill: none; stroke: #ffffff"'  # white lines (reports.chart_svg)
    assert stripes in made_up.svg and b"<pattern" not in made_up.svg
    assert "påhittat exempel" in made_up.alt.lower()
    assert "(påhittat exempel)" in made_up.svg.decode("utf-8")  # the legend entry
    assert stripes not in real.svg and "påhittat" not in real.alt
    assert base64.b64decode(made_up.block().svg) == made_up.svg


def test_eligibility_column_names_its_source(report: FollowupReport) -> None:
    _, activity = report.areas().tables
    assert activity.columns == ["Verksamhet", "Förbrukat", "Inom reglerna", "Enligt"]
    assert not any("Tillåten enligt" in c for c in activity.columns)
    for row in activity.rows:  # the city's own reading lists the activities, not the law
        assert row[3] == (
            "Stockholms stads egen tolkning (Stockholms tjänsteutlåtande 2025, ”Sammanfattning”)"
        )
    repayment = plain(report.repayment().plain).splitlines()
    assert "Enligt Socialstyrelsens anvisningar" in repayment


def test_another_organisation_inherits_no_reading(example_copy) -> None:
    """Without the city's rules file no source classifies a kind of activity: none is judged,
    and the column says so (the shared rules classify none)."""
    folder: Path = example_copy("stockholm")
    params = folder / "2025.yaml"
    params.write_text(
        params.read_text(encoding="utf-8").replace("rules: data/regler.yaml\n", "", 1),
        encoding="utf-8",
    )
    _, activity = FollowupReport.load(params).areas().tables
    assert {row[2] for row in activity.rows} == {"ej bedömt"}
    assert {row[3] for row in activity.rows} == {"ingen källa för Stockholms stad anger det"}


def test_one_definition_of_utilisation(report: FollowupReport) -> None:
    """Nyttjandegrad is used / received everywhere; the per-recipient share has its own name."""
    text = _document_text(report)
    assert "nyttjandegrad på 68 %" in text
    (key,) = report.overview().tables
    assert [plain(n) for n in key.notes] == [
        "Nyttjandegrad: 68 % (förbrukat som andel av mottaget)."
    ]
    assert "Nyttjandegrad" not in report.recipient_table().columns


@pytest.mark.parametrize("params", ["stockholm/2025.yaml", "stockholm/2023.yaml"])
def test_language(params: str) -> None:
    text = _document_text(FollowupReport.load(PARAMS / params))
    for wrong in (
        "kolumnen",
        "Rapporten räknar",
        "Kommunen eller regionen",
        "Tillåten enligt",
        "Varning:",
        "tolkade av oss",
        "om bara detaljerna",
        "uppgift saknas för mottagare",
        "fråga för beslut",
    ):
        assert wrong not in text, wrong
    lines = [line for line in text.splitlines() if line.strip()]
    sentences = [s for line in lines for s in line.split(". ") if len(s) > 40]
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert not repeated


def test_2023_claims_no_repayment_the_sources_lack() -> None:
    old = FollowupReport.load(PARAMS / "stockholm/2023.yaml")
    assert plain(old.summary_texts()[-1]) == (
        "Outnyttjat vid årets slut är cirka 4,7 mnkr (påhittat exempel). Inget belopp att "
        "betala tillbaka anges; se Återbetalning."
    )
    assert plain(old.repayment().plain).splitlines()[1] == (
        "Källorna säger inget om hur medel som inte förbrukades under 2023 skulle hanteras, så "
        "här anges inget belopp att betala tillbaka för outnyttjade medel."
    )
    assert not old.repayment().tables  # no sum to show when nothing is claimed
    (key,) = old.overview().tables
    assert not any(str(row[0]).startswith("Att betala tillbaka") for row in key.rows)


def test_a_followup_without_document_keys_proposes_from_its_figures(example_copy) -> None:
    folder: Path = example_copy("stockholm")
    params = folder / "2025.yaml"
    text = params.read_text(encoding="utf-8")
    start = text.index("  decided_by: Äldrenämnden\n  prepared_by")
    end = text.index("\nreports:")
    params.write_text(text[:start] + text[end:], encoding="utf-8")
    bare = FollowupReport.load(params)
    assert bare.texts is None
    head = plain(bare.header().plain)
    assert "Datum" not in head and "Diarienummer" not in head
    assert "Ärendet avgörs av: Äldrenämnden" in head.splitlines()  # the year's own key
    assert plain(bare.proposal_items()[0]).startswith("Äldrenämnden godkänner uppföljningen")
    assert plain(bare.checks().plain).splitlines()[-1] != "Äldredirektör"


def test_a_new_municipalitys_followup_names_no_other_organisation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gnvtools.cli import main

    assert main(["init", "--name", "Umeå kommun", "--year", "2025", str(tmp_path / "umea")]) == 0
    capsys.readouterr()
    folder = tmp_path / "umea/parameters/umea-kommun"
    params = folder / "2025.yaml"
    text = params.read_text(encoding="utf-8").replace("total: 0 ", "total: 1000000 ", 1)
    text = text.replace(
        "reports: [allocation-memo]",
        "followup:\n  spend: data/forbrukning.csv\n  reported_used: 400000\n"
        "reports: [allocation-memo, year-end-followup]",
    )
    params.write_text(text, encoding="utf-8")
    spend = folder / "data/forbrukning.csv"
    names = (folder / "data/mottagare.csv").read_text(encoding="utf-8").splitlines()[1:]
    first = names[0].split(",")[0]
    spend.write_text(
        spend.read_text(encoding="utf-8") + f"{first},2,400000,Bemanning,särskilt boende,\n",
        encoding="utf-8",
    )
    report = FollowupReport.load(params)
    text = _document_text(report) + plain(report.appendix().plain)
    for other in ("Stockholm", "Jämtland", "Äldrenämnden", "ÄLD "):
        assert other not in text, other
    _, activity = report.areas().tables
    assert activity.rows[0][2:] == ["ej bedömt", "ingen källa för Umeå kommun anger det"]
    assert plain(report.proposal_items()[0]).startswith("Kommunstyrelsen godkänner uppföljningen")
