"""Sentences with figures in them, exactly as the reports print them (spaces made plain)."""

from __future__ import annotations

import pytest

from gnvtools.core.formatting import kr, mnkr, percent, plain, signed_kr
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
    """The 2025 memo is the decision of 26 August 2025: ceilings, never requisition outcomes;
    the carry-over as the source gives it (cirka 10,7 mnkr); no check list in the summary."""
    memo = AllocationMemo.load(PARAMS / "stockholm/2025.yaml")
    assert [plain(t) for t in memo.proposal_items()] == [
        "Äldrenämnden delegerar till förvaltningschefen att fördela 2025 års statsbidrag för "
        "utveckling av en god och nära vård, 41 991 440 kr, enligt den modell som beskrivs i "
        "detta ärende.",
        "Äldrenämnden delegerar till förvaltningschefen att fördela de kvarvarande medlen från "
        "2024, cirka 10,7 mnkr, så som föreslås i detta ärende.",
    ]
    summary = plain(memo.summary().plain)
    assert "Kontrollerna" not in summary and "Varning" not in summary
    assert "Från 2024 finns cirka 10,7 mnkr kvar som rekvirerades men inte förbrukades." in (
        summary
    )
    # Why the 2024 money may reach preschool: the ordinance's start, cited, and the memo's own
    # proposal (the memo is the city's decision and cites no decision of its own).
    assert "styrs inte av förordningen" not in summary
    assert "Förordningen (SFS 2024:1253) gäller statsbidraget från och med 2025." in summary
    assert "Förvaltningen föreslår därför att medlen från 2024" in summary
    assert [plain(t) for t in memo.frame_texts()] == [
        "Delbeloppet befolkning, 35 264 481 kr, är 9,40 % av den nationella ramen 375 000 000 kr.",
        "Delbeloppet individer med kommunal hälso- och sjukvård, 6 726 959 kr, är 1,79 % av den "
        "nationella ramen 375 000 000 kr.",
    ]
    assert plain(memo.step_sentence(0, 0)) == (
        "De elva stadsdelsförvaltningarna får rekvirera medel upp till var sitt tak. Taken är "
        "sammanlagt 41 991 440 kr och följer antal platser i särskilda boendeformer och "
        "befolkning, lika viktade. Det som någon inte rekvirerar inom sitt tak kan gå till den "
        "som har begärt mer än sitt tak, efter samma nyckel och aldrig mer än det begärda. Ingen "
        "av källorna anger den regeln; den är förvaltningens eget förslag."
    )
    assert plain(memo.step_sentence(0, 1)) == (
        "Det som inte rekvireras fördelas inte i detta beslut. Hur stort det blir visar sig när "
        "rekvisitionerna har kommit in."
    )
    assert plain(memo.step_sentence(1, 0)) == (
        "Var och en av de elva stadsdelsförvaltningarna får 800 000 kr, sammanlagt 8 800 000 kr."
    )
    # The source states 350 000 kr each: amounts set by the decision are exact.
    assert plain(memo.step_sentence(1, 2)) == (
        "Fasta belopp, sammanlagt 700 000 kr: Utbildningsförvaltningen 350 000 kr och "
        "Förskoleförvaltningen 350 000 kr."
    )
    assert plain(memo.economics().plain).splitlines()[1:] == [
        "Av årets medel, 41 991 440 kr, får mottagarna rekvirera upp till sina tak, "
        "sammanlagt 41 991 440 kr.",
        "De kvarvarande medlen från 2024, cirka 10,7 mnkr, fördelas i sin helhet till mottagarna "
        "enligt stegen ovan.",
        "Det som inte rekvireras inom taken fördelas inte i detta beslut.",
        "Av årets statsbidrag betalas det som inte har använts vid årets slut, eller som inte har "
        "använts för bidragets syfte, tillbaka till Socialstyrelsen. Ju mindre av taken som "
        "rekvireras och används, desto mer behöver betalas tillbaka.",
        "Hur mycket som rekvireras inom taken blir känt först när rekvisitionerna har kommit in; "
        "det redovisas i uppföljningen.",
    ]


def test_memo_2023_and_jamtland_sentences() -> None:
    memo = AllocationMemo.load(PARAMS / "stockholm/2023.yaml")
    assert [plain(t) for t in memo.proposal_items()] == [
        "Äldrenämnden godkänner modellen för fördelning av 2023 års stimulansmedel för god och "
        "nära vård, sammanlagt cirka 51,8 mnkr, så som den beskrivs i detta ärende.",
        "Äldrenämnden delegerar till förvaltningschefen att fördela stimulansmedlen efter den "
        "modellen.",
    ]
    assert [plain(t) for t in memo.summary_texts()] == [
        "Stockholms stad har för 2023 tagit emot cirka 51,8 mnkr, varav 36 310 636 kr avser "
        "utveckling av den nära vården, cirka 10,3 mnkr avser goda förutsättningar för vårdens "
        "medarbetare och cirka 5,2 mnkr avser vidareutbildning sjuksköterskor.",
        "Utveckling av den nära vården (36 310 636 kr) fördelas i sex steg till 14 mottagare.",
        "Goda förutsättningar för vårdens medarbetare (cirka 10,3 mnkr) fördelas i ett steg till "
        "elva mottagare.",
        # At the decision a requisition step reaches every recipient with a ceiling.
        "Vidareutbildning sjuksköterskor (cirka 5,2 mnkr) fördelas i fyra steg till 13 mottagare.",
    ]
    assert plain(memo.step_sentence(0, 2)) == (
        "Beloppet 15 010 636 kr fördelas efter befolkning och antal invånare 65 år och äldre, "
        "lika viktade."
    )
    # The step takes the rest of an approximate component: as approximate as it.
    assert plain(memo.step_sentence(1, 0)) == (
        "Beloppet cirka 10,3 mnkr fördelas efter antal platser i särskilda boendeformer bland de "
        "elva mottagare som uppfyller villkoren."
    )
    region = AllocationMemo.load(PARAMS / "jamtland/2025.yaml")
    assert [plain(t) for t in region.proposal_items()][:2] == [
        "Regionstyrelsen godkänner den övergripande hanteringen och fördelningen av 2025 års "
        "statsbidrag för utveckling av en god och nära vård enligt detta ärende: av mottagna "
        "41 086 320 kr fördelas 41 000 000 kr nu, och 86 320 kr är ännu inte fördelade.",
        "Regiondirektören ges i uppdrag att besluta om den närmare fördelningen av medlen mellan "
        "aktiviteterna.",
    ]
    summary = plain(region.summary().plain)
    for said in ("behåller 20 mnkr", "och 6 mnkr", "får 15 mnkr", "86 320 kr", "1 413 680 kr"):
        assert said in summary
    assert "Kontrollerna" not in summary and "Varning" not in summary
    economics = plain(region.economics().plain)
    assert (
        "Ännu inte fördelat är 86 320 kr. Hur de hanteras framgår av beslutspunkt 3. Det som "
        "inte har använts vid årets slut betalas tillbaka." in economics
    )
    # Decision item 3 settles both questions: no alternative the decision does not take.
    assert "eller genom ett beslut om budgeten" not in economics
    assert "Budgeten räknade med 42 500 000 kr, 1 413 680 kr mer än" in economics


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
    assert "Kontrollerna" not in " ".join(summary)


def test_a_count_is_its_figure_in_words_up_to_twelve() -> None:
    from gnvtools.core.figures import Catalogue
    from gnvtools.reports.memo_phrases import counted

    figures = Catalogue()
    figures.add("elva", 11, "antal", "mottagare")
    figures.add("tretton", 13, "antal", "mottagare")
    assert counted(figures, "elva", "mottagare", "mottagare") == "elva mottagare"
    assert counted(figures, "tretton", "mottagare", "mottagare") == "13 mottagare"
    assert figures.text("tretton") == "13"


def test_a_share_figure_prints_its_places() -> None:
    from fractions import Fraction

    from gnvtools.core.figures import Catalogue

    figures = Catalogue()
    share = figures.add("andel", Fraction(94, 1000), "andel", "andel av ramen", places=2)
    assert plain(share.text) == "9,40 %"
    assert share.as_json()["places"] == 2
    assert plain(figures.add("grov", Fraction(94, 1000), "andel", "andel").text) == "9 %"


def test_a_frame_share_sentence_states_its_figure() -> None:
    memo = AllocationMemo.load(PARAMS / "stockholm/2025.yaml")
    shares = [memo.figures[n] for n in memo.figures if n.startswith("andel_av_ram_")]
    assert shares and all(share.places == 2 for share in shares)
    texts = memo.frame_texts()
    assert all(any(share.text in text for text in texts) for share in shares)
