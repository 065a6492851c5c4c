"""Sentences with figures in them, exactly as the reports print them (spaces made plain)."""

from __future__ import annotations

import pytest

from gnvtools.comparison import Comparison
from gnvtools.followup_report import FollowupReport
from gnvtools.formatting import kr, mnkr, percent, plain, signed_kr
from gnvtools.memo import AllocationMemo, describe_key, join_names

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
        "Äldrenämnden beslutar att fördela 2025 års statsbidrag om 41 991 440 kr enligt "
        "förslaget i detta ärende.",
        "Äldrenämnden beslutar att fördela kvarvarande medel från 2024 om 10 700 000 kr enligt "
        "förslaget i detta ärende.",
    ]
    assert [plain(t) for t in memo.frame_texts()] == [
        "Delbeloppet befolkning, 35 264 481 kr, är 9,40 % av den nationella ramen 375 000 000 kr.",
        "Delbeloppet individer med kommunal hälso- och sjukvård, 6 726 959 kr, är 1,79 % av den "
        "nationella ramen 375 000 000 kr.",
    ]
    assert plain(memo.step_sentence(0, 0)) == (
        "Taken, sammanlagt 41 991 440 kr, följer antal platser i särskilda boendeformer och "
        "befolkning, lika viktade. 9 av 11 mottagare rekvirerade sammanlagt 29 350 000 kr; "
        "12 641 440 kr rekvirerades inte. Norra innerstaden begärde mer än sitt tak och fick del "
        "av det som andra inte rekvirerade."
    )
    assert plain(memo.step_sentence(1, 0)) == (
        "800 000 kr till var och en av 11 mottagare, sammanlagt 8 800 000 kr."
    )
    assert plain(memo.step_sentence(1, 2)) == (
        "Återstoden, 700 000 kr, delas lika mellan Utbildningsförvaltningen och "
        "Förskoleförvaltningen."
    )


def test_memo_2023_and_jamtland_sentences() -> None:
    memo = AllocationMemo.load(PARAMS / "stockholm/2023.yaml")
    assert plain(memo.step_sentence(0, 2)) == (
        "15 010 636 kr fördelas efter befolkning och antal invånare 65 år och äldre, lika viktade."
    )
    assert plain(memo.step_sentence(1, 0)) == (
        "10 300 000 kr fördelas efter antal platser i särskilda boendeformer bland de 11 "
        "mottagare som uppfyller villkoren."
    )
    assert plain(memo.step_sentence(2, 3)) == "Återstoden, 180 000 kr, går till Äldreförvaltningen."
    region = AllocationMemo.load(PARAMS / "jamtland/2025.yaml")
    assert plain(region.summary_texts()[-1]) == (
        "Kontrollerna gav 0 fel och 2 varningar; se avsnittet Kontroller."
    )


def test_followup_sentences() -> None:
    report = FollowupReport.load(PARAMS / "stockholm/2025.yaml")
    assert [plain(t) for t in report.summary_texts()] == [
        "Stockholms stad tog emot 41 991 440 kr för 2025. Vid årets slut hade 28 714 265 kr "
        "förbrukats, vilket är 68 % av mottagna medel.",
        "Av de 41 991 440 kr som kunde rekvireras rekvirerade mottagarna sammanlagt 29 350 000 kr.",
        "2 mottagare rekvirerade inga medel: Skarpnäck och Skärholmen.",
        "Outnyttjat är 13 277 175 kr.",
        "Sammanlagt ska 13 277 175 kr betalas tillbaka till Socialstyrelsen.",
    ]
    assert plain(report.area_texts()[0]) == (
        "Förbrukningen per insatsområde summerar till 28 630 915 kr, medan den redovisade "
        "totalen är 28 714 265 kr. Skillnaden, 83 350 kr, redovisas som en avvikelse och är inte "
        "fördelad på något område."
    )


def test_comparison_sentences() -> None:
    comparison = Comparison.load(PARAMS / "stockholm/comparison-2023-2025.yaml")
    assert [plain(t) for t in comparison.summary_texts()[:3]] == [
        "2023 (SKR-överenskommelsen): mottaget 51 810 636 kr, förbrukat 47 092 000 kr (91 %).",
        "2024: mottaget belopp och förbrukning: uppgift saknas. Vid årets slut återstod cirka "
        "10,7 mnkr.",
        "2025 (SFS 2024:1253): mottaget 41 991 440 kr, förbrukat 28 714 265 kr (68 %).",
    ]
    assert plain(comparison.school_text()).startswith(
        "Skola och förskola fick av årets statsbidrag: 2023 6 000 000 kr, 2024 uppgift saknas "
        "och 2025 0 kr (och 700 000 kr av kvarvarande medel från tidigare år)."
    )
    totals = comparison.totals_table()
    assert totals.rows[1][2:6] == [None, None, None, 10_700_000]
