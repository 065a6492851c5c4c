"""The organisation's own text, the figure catalogue, decisions and rules with sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gnvtools.core.figures import Catalogue, slug
from gnvtools.core.formatting import count, plain
from gnvtools.core.regimes import all_regimes
from gnvtools.reports.memo import AUTHORED_SECTIONS, AllocationMemo
from gnvtools.reports.texts import markdown_blocks

from .conftest import PARAMS, run_cli


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_figures_json_lists_the_received_amount(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "figures", str(PARAMS / "stockholm/2025.yaml"), "--json")
    assert code == 0
    figures = {f["name"]: f for f in json.loads(out)}
    assert figures["mottaget"]["value"] == 41_991_440
    assert figures["mottaget"]["text"] == "41 991 440 kr"
    assert figures["delbelopp_befolkning"]["value"] == 35_264_481
    assert figures["kvarvarande_2024"]["value"] == 10_700_000
    assert all(set(f) >= {"name", "value", "text"} for f in figures.values())
    # The memo is a decision document: no requisition outcome, no year-end figure.
    assert figures["medel_statsbidrag_2025_steg_1_tak"]["value"] == 41_991_440
    assert "medel_statsbidrag_2025_steg_1" not in figures  # what was granted: not yet known
    assert "medel_statsbidrag_2025_steg_1_begart" not in figures
    assert "forbrukat" not in figures
    assert figures["kvarvarande_2024"]["text"] == "cirka 10,7 mnkr"
    assert figures["kvarvarande_2024"]["precision"] == "cirka"
    code, out, _ = run_cli(
        capsys,
        "figures",
        str(PARAMS / "stockholm/2025.yaml"),
        "--json",
        "--report",
        "year-end-followup",
    )
    assert code == 0
    figures = {f["name"]: f for f in json.loads(out)}
    assert figures["forbrukat"]["value"] == 28_714_265
    assert figures["nyttjandegrad"]["value"] == "5742853/8398288"  # exact, never a float
    assert figures["nyttjandegrad"]["text"] == "68 %"


def test_figures_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "figures", str(PARAMS / "jamtland/2025.yaml"))
    assert code == 0
    assert any(line.split()[:3] == ["ofordelat", "86", "320"] for line in out.splitlines())


def test_unknown_placeholder_is_located(capsys: pytest.CaptureFixture[str], example_copy) -> None:
    folder = example_copy("stockholm")
    text = folder / "texter/2025.md"
    _append(text, "\nHär står {{ finns_inte_alls }} i texten.\n")
    code, _, err = run_cli(capsys, "check", str(folder / "2025.yaml"))
    assert code == 2
    assert err.startswith("fel: ")
    assert f"texter/2025.md, rad {_lines(text)}:" in err
    assert '"finns_inte_alls"' in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("added", "expected"),
    [
        ("{{ mottaget ", "inte avslutad"),
        ("{{ Mottaget! }}", "felaktig platshållare"),
        ("{{ mottaget | euro }}", 'okänt format "euro"'),
        ("{{ ar | mnkr }}", "gäller bara belopp"),
        ("{% for x in y %}", "mallkod"),
        ("{{ motaget }}", "närmast: mottaget"),
    ],
)
def test_bad_placeholders(
    capsys: pytest.CaptureFixture[str], example_copy, added: str, expected: str
) -> None:
    folder = example_copy("stockholm")
    text = folder / "texter/2025.md"
    _append(text, f"\n{added}\n")
    code, _, err = run_cli(capsys, "check", str(folder / "2025.yaml"))
    assert code == 2, err
    assert f"rad {_lines(text)}" in err and expected in err


def test_unknown_heading_names_the_nearest(
    capsys: pytest.CaptureFixture[str], example_copy
) -> None:
    folder = example_copy("stockholm")
    _append(folder / "texter/2025.md", "\n## Jämställdhetsanalysen\n\nText.\n")
    code, _, err = run_cli(capsys, "check", str(folder / "2025.yaml"))
    assert code == 2
    assert 'okänd avsnittsrubrik "Jämställdhetsanalysen"' in err
    assert "närmast: Jämställdhetsanalys" in err


def test_placeholder_in_a_decision_is_checked_against_the_yaml_line(
    capsys: pytest.CaptureFixture[str], example_copy
) -> None:
    folder = example_copy("jamtland")
    params = folder / "2025.yaml"
    params.write_text(
        params.read_text(encoding="utf-8").replace("{{ fordelat }}", "{{ fördelat }}"),
        encoding="utf-8",
    )
    code, _, err = run_cli(capsys, "check", str(params))
    assert code == 2
    assert "2025.yaml, rad" in err and "felaktig platshållare" in err


def test_missing_text_file(capsys: pytest.CaptureFixture[str], example_copy) -> None:
    folder = example_copy("stockholm")
    (folder / "texter/2025.md").unlink()
    code, _, err = run_cli(capsys, "check", str(folder / "2025.yaml"))
    assert code == 2
    assert "texter/2025.md: textfilen finns inte" in err


def test_authored_text_is_escaped_and_only_the_subset_is_rendered() -> None:
    markup, text = markdown_blocks(
        [
            "Ett <script>alert(1)</script> och **fet** och *kursiv* text",
            "som fortsätter.",
            "",
            "- punkt ett",
            "- punkt två",
            "",
            "1. först",
            "",
            "### Underrubrik",
            "[länk](javascript:alert(1))",
        ]
    )
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert "<strong>fet</strong>" in markup and "<em>kursiv</em>" in markup
    assert "text som fortsätter." in markup
    assert "<ul><li>punkt ett</li><li>punkt två</li></ul>" in markup
    assert "<ol><li>först</li></ol>" in markup
    assert "<h3>Underrubrik</h3>" in markup
    assert "<a " not in markup
    assert "- punkt ett" in text


def test_authored_sections_are_in_the_memo() -> None:
    memo = AllocationMemo.load(PARAMS / "stockholm/2025.yaml")
    for title in (
        "Ärendets beredning",
        "Förvaltningens synpunkter och förslag",
        "Jämställdhetsanalys",
    ):
        block = memo.preparation() if title == "Ärendets beredning" else memo.authored(title)
        assert block.markup.startswith("<h2 ")
        assert plain(block.plain).splitlines()[0] == title
    assert "20 augusti 2025" in memo.preparation().plain
    closing = plain(memo.closing().plain)
    assert "Äldredirektör, Äldreförvaltningen" in closing
    assert "Bilagor" in closing
    header = plain(memo.header().plain)
    assert "Diarienummer: ÄLD 2025/157" in header
    assert "Sammanträde: 26 augusti 2025" in header


def test_a_memo_without_texts_or_decisions_still_works(example_copy) -> None:
    """Old parameter files stay valid: the generated sections and default proposal are used."""
    folder = example_copy("jamtland")
    params = folder / "2025.yaml"
    text = params.read_text(encoding="utf-8")
    start = text.index("texts:")
    end = text.index("received:")
    params.write_text(text[:start] + text[end:], encoding="utf-8")
    memo = AllocationMemo.load(params)
    assert memo.texts is None
    assert [plain(t) for t in memo.proposal_items()] == [
        "Regionstyrelsen beslutar att fördela 41 000 000 kr av 2025 års statsbidrag om "
        "41 086 320 kr enligt förslaget i ärendet. Återstående 86 320 kr fördelas i ett senare "
        "beslut."
    ]
    assert memo.proposal().plain.splitlines()[0] == "Förvaltningens förslag till beslut"
    assert memo.closing().plain == ""
    assert memo.authored("Jämställdhetsanalys").plain == ""


def test_region_memo_has_no_municipal_scope_and_no_codes() -> None:
    memo = AllocationMemo.load(PARAMS / "jamtland/2025.yaml")
    everything = " ".join(
        plain(part.plain)
        for part in (
            memo.header(),
            memo.proposal(),
            memo.summary(),
            memo.background(),
            memo.received(),
            memo.model(),
            memo.rules(),
            memo.checks(),
            memo.closing(),
        )
    )
    assert "särskilt boende" not in everything
    assert "VI2000" in everything  # the region's own rule
    for code in ("pot-unplaced", "budget-exceeds-received", "pott"):
        assert code not in everything
    assert "Regiondirektörens förslag" in everything
    assert "I tjänsten" in everything


def test_every_rule_has_a_source_and_a_kind_of_organisation() -> None:
    for regime in all_regimes().values():
        for rule in regime.rules:
            assert rule.citations, rule.text
            assert set(rule.applies_to) <= {"kommun", "region"} and rule.applies_to
            assert rule.topic in {"scope", "money"}
            assert "(Källa: " in rule.cited
    skr = all_regimes()["skr-2023"]
    assert (
        skr.unused_must_be_repaid is None
    )  # no source says: the reports say the sources are silent
    assert not any("rekvireras inte" in rule.text for rule in skr.rules)


def test_rule_sources_are_listed_in_the_appendix() -> None:
    memo = AllocationMemo.load(PARAMS / "stockholm/2025.yaml")
    appendix = plain(memo.appendix().plain)
    assert "Källor till reglerna" in appendix
    assert "Socialstyrelsens anvisningar 2025: Socialstyrelsen: Anvisningar" in appendix


def test_national_frames_disagreement_is_a_finding() -> None:
    memo = AllocationMemo.load(PARAMS / "stockholm/2025.yaml")
    amounts = {f.code: f.amount for f in memo.findings if f.level == "warning"}
    assert amounts["frames-disagree"] == 3_674_000_000 - 3_430_000_000
    assert amounts["frame-parts-vs-total"] == 3_676_000_000 - 3_430_000_000


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "inga varningar"), (1, "en varning"), (2, "två varningar"), (13, "13 varningar")],
)
def test_count_words(n: int, expected: str) -> None:
    assert count(n, "varning", "varningar") == expected


def test_catalogue_names_are_unique_and_ascii() -> None:
    cat = Catalogue()
    first = cat.add("x", 1, "kr", "a")
    second = cat.add("x", 2, "kr", "b")
    assert (first.name, second.name) == ("x", "x_2")
    assert slug("Hägersten-Älvsjö") == "hagersten_alvsjo"
    assert cat["x"].text == "1\u00a0kr"
    assert cat.add("neg", -86_320, "kr", "c").text == "\u221286\u00a0320\u00a0kr"


def test_sections_known_to_the_text_file() -> None:
    assert AUTHORED_SECTIONS[0] == "Sammanfattning"
    assert "Jämställdhetsanalys" in AUTHORED_SECTIONS


def test_a_made_up_figure_is_marked_where_a_text_uses_it_and_nowhere_else() -> None:
    from gnvtools.core.figures import Catalogue
    from gnvtools.reports.texts import substitute

    cat = Catalogue()
    cat.add("mottaget", 41_991_440, "kr", "mottaget", stage="underlag")
    cat.add("rader", 28_630_915, "kr", "rader", made_up=True)
    cat.add("skillnad", 83_350, "kr", "skillnad", derived_from=["rader"])
    assert plain(substitute("{{ mottaget }} och {{ rader }}.", cat)) == (
        "41 991 440 kr och 28 630 915 kr (påhittat exempel)."
    )
    assert plain(substitute("{{ skillnad | tkr }}", cat)).endswith("(påhittat exempel)")


def test_made_up_marks_sit_on_the_rows_that_rest_on_made_up_data() -> None:
    """Stockholm 2025: the districts' ceilings rest on made-up keys; the central
    administrations' amounts from the carry-over are the city's own and carry no mark."""
    memo = AllocationMemo.load(PARAMS / "stockholm/2025.yaml")
    rows = {str(row[0]): row for row in memo.recipient_table().rows}
    assert "Bromma (påhittat)" in rows and "Bromma" not in rows
    assert "Äldreförvaltningen" in rows and "Utbildningsförvaltningen" in rows
    assert not any("Äldreförvaltningen (" in name for name in rows)
    carry = memo_step_table(memo, 1, 1)
    assert carry.illustrative == "" and carry.rows == [["Äldreförvaltningen", 1_200_000]]
    region = AllocationMemo.load(PARAMS / "jamtland/2025.yaml")
    assert region.recipient_table().illustrative == ""  # every figure is the region's own


def memo_step_table(memo: AllocationMemo, pot: int, step: int):  # type: ignore[no-untyped-def]
    from gnvtools.core.memo_figures import step_rests_on_made_up
    from gnvtools.reports.memo_tables import step_table

    result = memo.at_decision.pots[pot].steps[step]
    made_up = step_rests_on_made_up(memo.allocation.plan, pot, step)
    return step_table(memo.at_decision.pots[pot].pot.name, result, made_up)
