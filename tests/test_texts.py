"""Sentences with figures in them, exactly as the reports print them (spaces made plain)."""

from __future__ import annotations

import pytest

from gnvtools.core.formatting import kr, mnkr, percent, plain, signed_kr
from gnvtools.reports.comparison import Comparison
from gnvtools.reports.followup_report import FollowupReport
from gnvtools.reports.memo import AllocationMemo, describe_key, join_names

from .conftest import PARAMS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (kr(41_991_440), "41 991 440 kr"),
        (kr(0), "0 kr"),
        (mnkr(41_991_440), "42,0 mnkr"),
        (mnkr(10_700_000), "10,7 mnkr"),
        (percent(__import__("fractions").Fraction(28_714_265, 41_991_440)), "68 %"),
        (signed_kr(-86_320), "\u221286 320 kr"),
        (signed_kr(1_413_680), "+1 413 680 kr"),
        (join_names(["a", "b", "c"]), "a, b och c"),
        (
            describe_key({"places": 1, "population": 1}),
            "antal platser i särskilda boendeformer och befolkning, lika viktade",
        ),
        (
            describe_key({"population": 2, "places": 1}),
            "befolkning (67 %) och antal platser i särskilda boendeformer (33 %)",
        ),
    ],
)
def test_formatting_and_wording(text: str, expected: str) -> None:
    assert plain(text) == expected


def test_memo_2025_sentences() -> None:
    memo = AllocationMemo.load(PARAMS / "stockholm/2025.yaml")
    assert [plain(t) for t in memo.proposal_items()] == [
        "Äldrenämnden delegerar till förvaltningschefen att fördela 2025 års statsbidrag för "
        "utveckling av en god och nära vård, 41 991 440 kr, enligt den modell som beskrivs i "
        "detta ärende.",
        "Äldrenämnden delegerar till förvaltningschefen att fördela de kvarvarande medlen från "
        "2024, 10 700 000 kr, så som föreslås i detta ärende.",
    ]
    summary = plain(memo.summary().plain).splitlines()
    assert summary[-3:] == [
        "Kontrollerna visar inga fel och två varningar:",
        "- Varning: Stockholms tjänsteutlåtande 2025 anger ramarna 2 626 000 000 kr + "
        "300 000 000 kr + 750 000 000 kr = 3 676 000 000 kr, men totalen 3 430 000 000 kr: en "
        "skillnad på 246 000 000 kr.",
        "- Varning: Källorna anger olika belopp för den nationella totalen: Socialstyrelsens "
        "anvisningar 2025 3 674 000 000 kr, Stockholms tjänsteutlåtande 2025 3 430 000 000 kr "
        "(skillnad 244 000 000 kr).",
    ]
    assert "Från 2024 finns 10 700 000 kr kvar som varken rekvirerats eller förbrukats." in (
        plain(memo.summary().plain)
    )
    assert [plain(t) for t in memo.frame_texts()] == [
        "Delbeloppet befolkning, 35 264 481 kr, är 9,40 % av den nationella ramen 375 000 000 kr.",
        "Delbeloppet individer med kommunal hälso- och sjukvård, 6 726 959 kr, är 1,79 % av den "
        "nationella ramen 375 000 000 kr.",
    ]
    assert plain(memo.step_sentence(0, 0)) == (
        "Taken, sammanlagt 41 991 440 kr, följer antal platser i särskilda boendeformer och "
        "befolkning, lika viktade. Av 11 möjliga mottagare rekvirerade 9; de begärde sammanlagt "
        "29 350 000 kr och beviljades 29 350 000 kr. Av taken rekvirerades 12 641 440 kr inte. "
        "Norra innerstaden begärde mer än sitt tak och fick del av det som andra inte "
        "rekvirerade, aldrig mer än det begärda."
    )
    assert plain(memo.step_sentence(1, 0)) == (
        "Var och en av elva mottagare får 800 000 kr, sammanlagt 8 800 000 kr."
    )
    assert plain(memo.step_sentence(1, 2)) == (
        "Återstoden, 700 000 kr, delas lika mellan Utbildningsförvaltningen och "
        "Förskoleförvaltningen."
    )


def test_memo_2023_and_jamtland_sentences() -> None:
    memo = AllocationMemo.load(PARAMS / "stockholm/2023.yaml")
    assert [plain(t) for t in memo.proposal_items()] == [
        "Äldrenämnden godkänner modellen för fördelning av 2023 års stimulansmedel för god och "
        "nära vård, sammanlagt 51 810 636 kr, så som den beskrivs i detta ärende.",
        "Äldrenämnden delegerar till förvaltningschefen att fördela stimulansmedlen efter den "
        "modellen.",
    ]
    assert [plain(t) for t in memo.summary_texts()] == [
        "Stockholms stad har för 2023 tagit emot 51 810 636 kr, varav 36 310 636 kr avser "
        "utveckling av den nära vården, 10 300 000 kr avser goda förutsättningar för vårdens "
        "medarbetare och 5 200 000 kr avser vidareutbildning sjuksköterskor.",
        "Utveckling av den nära vården (36 310 636 kr) fördelas i sex steg till 14 mottagare.",
        "Goda förutsättningar för vårdens medarbetare (10 300 000 kr) fördelas i ett steg till "
        "elva mottagare.",
        "Vidareutbildning sjuksköterskor (5 200 000 kr) fördelas i fyra steg till sex mottagare.",
    ]
    assert plain(memo.summary().plain).endswith("Kontrollerna visar inga fel och inga varningar.")
    assert plain(memo.step_sentence(0, 2)) == (
        "Beloppet 15 010 636 kr fördelas efter befolkning och antal invånare 65 år och äldre, "
        "lika viktade."
    )
    assert plain(memo.step_sentence(1, 0)) == (
        "Beloppet 10 300 000 kr fördelas efter antal platser i särskilda boendeformer bland de "
        "11 mottagare som uppfyller villkoren."
    )
    assert plain(memo.step_sentence(2, 3)) == "Återstoden, 180 000 kr, går till Äldreförvaltningen."
    region = AllocationMemo.load(PARAMS / "jamtland/2025.yaml")
    assert [plain(t) for t in region.proposal_items()] == [
        "Regionstyrelsen godkänner den övergripande hanteringen och fördelningen av 2025 års "
        "statsbidrag för utveckling av en god och nära vård enligt detta ärende: av mottagna "
        "41 086 320 kr fördelas 41 000 000 kr nu, och 86 320 kr är ännu inte fördelade.",
        "Regiondirektören ges i uppdrag att besluta om den närmare fördelningen av medlen mellan "
        "aktiviteterna.",
    ]
    assert plain(region.summary().plain).splitlines()[-3:] == [
        "Kontrollerna visar inga fel och två varningar:",
        "- Varning: Av Statsbidrag 2025 (41 086 320 kr) är 86 320 kr ännu inte fördelade.",
        "- Varning: Budgeten räknar med 42 500 000 kr, 1 413 680 kr mer än mottagna 41 086 320 kr.",
    ]


def test_national_example_sentences() -> None:
    memo = AllocationMemo.load(PARAMS / "national/2025-kommuner.yaml")
    assert [plain(t) for t in memo.proposal_items()] == [
        "Kommunernas del av statsbidraget 2025, 900 000 000 kr, fördelas på landets 290 kommuner "
        "med förordningens tre nycklar, så som visas steg för steg nedan."
    ]
    assert plain(memo.proposal().plain).splitlines()[0] == "Beräkningen i korthet"
    summary = plain(memo.summary().plain).splitlines()
    assert summary[1].startswith(
        "Exemplet räknar fram varje kommuns del av statsbidraget för 2025 med Socialstyrelsens "
        "metod. Av 900 000 000 kr fördelas 375 000 000 kr efter andel av befolkningen"
    )
    assert summary[-1] == "Kontrollerna visar inga fel och inga varningar."


def test_followup_sentences() -> None:
    report = FollowupReport.load(PARAMS / "stockholm/2025.yaml")
    assert [plain(t) for t in report.summary_texts()] == [
        "Stockholms stad tog emot 41 991 440 kr för 2025. Vid årets slut hade 28 714 265 kr "
        "förbrukats, vilket är 68 % av mottagna medel.",
        "Av de 41 991 440 kr som kunde rekvireras beviljades mottagarna sammanlagt 29 350 000 kr.",
        "Två mottagare rekvirerade inga medel: Skarpnäck och Skärholmen. Vilka det är bygger på "
        "påhittade exempelrader.",
        "Outnyttjat är 13 277 175 kr.",
        "Sammanlagt ska 13 277 175 kr betalas tillbaka till Socialstyrelsen.",
    ]
    summary = plain(report.summary().plain)
    assert "Kontrollerna visar inga fel och fyra varningar:" in summary.splitlines()
    for warning in (
        "- Varning: Skarpnäck rekvirerade inga medel (taket var 2 011 173 kr).",
        "- Varning: Förbrukningsraderna summerar till 28 630 915 kr, 83 350 kr mindre än den "
        "redovisade totalen 28 714 265 kr. Skillnaden är inte fördelad på mottagare eller "
        "insatsområden; den redovisade totalen räknas som förbrukad.",
        "- Varning: Kvarvarande medel från 2024 (10 700 000 kr) är inte uppföljda: ingen "
        "förbrukningsrad anger dem (kolumnen fund).",
    ):
        assert warning in summary.splitlines()
    assert plain(report.area_texts()[0]) == (
        "Förbrukningen per insatsområde summerar till 28 630 915 kr, medan den redovisade "
        "totalen är 28 714 265 kr. Skillnaden, 83 350 kr, redovisas som en avvikelse och är inte "
        "fördelad på något område."
    )
    old = FollowupReport.load(PARAMS / "stockholm/2023.yaml")
    assert plain(old.summary_texts()[-1]) == (
        "Något återbetalningskrav för outnyttjade medel räknas inte fram; se avsnittet "
        "Återbetalning."
    )
    assert plain(old.repayment().plain).splitlines()[1] == (
        "Källorna säger inget om hur medel som inte förbrukades under 2023 skulle hanteras. "
        "Rapporten räknar därför inte fram något belopp att betala tillbaka för outnyttjade medel."
    )


def test_comparison_sentences() -> None:
    comparison = Comparison.load(PARAMS / "stockholm/comparison-2023-2025.yaml")
    assert [plain(t) for t in comparison.summary_texts()[:4]] == [
        "2023 (SKR-överenskommelsen): mottaget 51 810 636 kr, förbrukat 47 092 000 kr (91 %, "
        "påhittat exempel).",
        "2024: mottaget belopp och förbrukning: uppgift saknas. Vid årets slut återstod cirka "
        "10,7 mnkr.",
        "2025 (SFS 2024:1253): mottaget 41 991 440 kr, förbrukat 28 714 265 kr (68 %).",
        "Förbrukningen 2023 är ett påhittat exempel och kan inte jämföras med de redovisade "
        "siffrorna för 2025.",
    ]
    assert plain(comparison.school_text()).startswith(
        "Skola och förskola fick av årets statsbidrag: 2023 6 000 000 kr, 2024 uppgift saknas "
        "och 2025 0 kr (och 700 000 kr av kvarvarande medel från tidigare år)."
    )
    totals = comparison.totals_table()
    assert totals.rows[1][2:6] == [None, None, None, 10_700_000]
    assert [row[-1] for row in totals.rows] == [
        "påhittat exempel",
        None,
        "organisationens redovisning",
    ]
    assert totals.illustrative  # the made-up 2023 figure is marked at the table
    activities = comparison.activity_table()
    assert activities.columns[-1] == "2025, kvarvarande medel"
    school = next(row for row in activities.rows if row[0] == "Skola och förskola")
    assert school[-1] is None  # the 700 000 kr of carry-over is not followed up: missing, not 0
    assert activities.footer is not None and activities.footer[3] == 28_714_265
