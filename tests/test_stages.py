"""A document states only what is known at its stage and cites no later source, nor itself.

The allocation memo is the decision (stage ``beslut``): a requisition step is a ceiling, never an
outcome; no reserve is said to be paid back; its catalogue holds nothing from ``rekvisition``
or ``uppföljning``; its rules cite only sources dated on or before the memo and never the memo
itself. An organisation's own readings live in its own folder: a new organisation's memo names
no other organisation.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gnvtools.core.figures import STAGES, Catalogue
from gnvtools.core.params import is_comparison
from gnvtools.core.regimes import get_regime
from gnvtools.core.rulebook import (
    NO_READINGS,
    Readings,
    citable,
    read_readings,
    rules_for_document,
    shared_sources,
)
from gnvtools.errors import InputError
from gnvtools.reports.blocks import ListBlock, Note, Paragraph, TableBlock
from gnvtools.reports.memo import AllocationMemo, document_date

from .conftest import PARAMS, run_cli
from .test_language import report_document

MEMO_FILES = sorted(
    p for p in PARAMS.glob("*/*.yaml") if "mapping" not in p.name and not is_comparison(p)
)
IDS = [f"{p.parent.name}/{p.stem}" for p in MEMO_FILES]


def document_text(path: Path, report: str = "allocation-memo") -> str:
    """Every word the report shows: prose, lists, notes and table cells."""
    parts: list[str] = []
    for block in report_document(path, report).blocks:
        if isinstance(block, Paragraph | Note):
            parts.append(block.text)
        elif isinstance(block, ListBlock):
            parts += block.texts()
        elif isinstance(block, TableBlock):
            parts.append(str(block.as_json()))
    return " ".join(" ".join(parts).replace("\u00a0", " ").replace("\u202f", " ").split())


def test_the_stockholm_2025_memo_states_no_outcome_and_no_later_source() -> None:
    text = document_text(PARAMS / "stockholm/2025.yaml")
    for outcome in (
        "rekvirerade 9",
        "29 350 000",  # granted to the districts: known in the autumn
        "12 641 440",  # what was not requisitioned
        "Ofördelad reserv",
        "återbetalas",
        "beviljades",
        "Begärt",
    ):
        assert outcome not in text, outcome
    assert "Stockholms uppföljning 2025" not in text  # written in 2026
    assert "Stockholms tjänsteutlåtande 2025" not in text  # the memo itself
    assert "upp till var sitt tak" in text
    assert "cirka 10,7 mnkr" in text


@pytest.mark.parametrize("path", MEMO_FILES, ids=IDS)
def test_no_memo_cites_itself_or_a_later_source(path: Path) -> None:
    memo = AllocationMemo.load(path)
    itself = memo.params.memo.source if memo.params.memo is not None else ""
    when = document_date(memo.params)
    cited = {c.source.id for r in memo.rules_known() for c in r.rule.citations}
    assert itself not in cited
    for source in cited:
        assert citable(source, memo.readings, when, itself), source
    shorts = {
        src.short
        for key, (src, info) in {**shared_sources(), **memo.readings.sources}.items()
        if key == itself or (when is not None and info.date is not None and info.date > when)
    }
    text = document_text(path)
    assert [short for short in shorts if short in text] == []


@pytest.mark.parametrize("path", MEMO_FILES, ids=IDS)
def test_the_memo_catalogue_holds_only_what_the_decision_knows(path: Path) -> None:
    memo = AllocationMemo.load(path)
    last = STAGES.index("beslut")
    assert [f.name for f in memo.figures.values() if STAGES.index(f.stage) > last] == []
    codes = {f.code for f in memo.shown_findings}
    assert "requisition-unclaimed" not in codes and "pot-reserve" not in codes


def test_a_requisition_step_may_be_declared_known_at_the_decision(example_copy) -> None:
    """The stage of requests is a parameter (default ``rekvisition``): old files stay valid."""
    folder = example_copy("stockholm")
    params = folder / "2025.yaml"
    text = params.read_text(encoding="utf-8")
    marker = "        requests: data/requests-2025.csv\n"
    params.write_text(text.replace(marker, marker + "        stage: beslut\n"), encoding="utf-8")
    figures = AllocationMemo.load(params).figures
    assert figures["medel_statsbidrag_2025_steg_1_begart"].value == 29_350_000
    assert figures["medel_statsbidrag_2025_steg_1_begart"].stage == "beslut"


def test_dates_decide_what_may_be_cited(tmp_path: Path) -> None:
    rules = tmp_path / "regler.yaml"
    rules.write_text(
        "sources:\n"
        "  own-memo: {title: Eget ärende, short: Eget ärende 2025, date: 2025-08-26}\n"
        "  own-later: {title: Egen uppföljning, short: Egen uppföljning 2025, date: 2026}\n"
        "rules:\n"
        "  - regime: sfs-2024-1253\n"
        "    text: Vår egen läsning.\n"
        "    for: [kommun]\n"
        "    topic: scope\n"
        "    sources: [{source: own-memo, section: Sammanfattning},"
        " {source: own-later, section: Inledning}]\n",
        encoding="utf-8",
    )
    readings = read_readings(rules, "regler.yaml")
    assert citable("own-memo", readings, dt.date(2025, 9, 1), "")
    assert not citable("own-memo", readings, dt.date(2025, 9, 1), "own-memo")  # itself
    assert not citable("own-later", readings, dt.date(2025, 9, 1), "")  # dated after
    assert citable("sfs-2024-1253", readings, dt.date(2025, 1, 1), "")
    regime = get_regime("sfs-2024-1253")
    at_memo = rules_for_document(
        regime, readings, "kommun", date=dt.date(2025, 8, 26), itself="own-memo", topic="scope"
    )
    own = [r for r in at_memo if r.kind == "organisation"]
    assert len(own) == 1 and own[0].own and own[0].rule.citations == ()
    later = rules_for_document(
        regime, readings, "kommun", date=dt.date(2026, 3, 1), itself="", topic="scope"
    )
    own = [r for r in later if r.kind == "organisation"]
    assert [c.source.id for c in own[0].rule.citations] == ["own-memo", "own-later"]
    region = rules_for_document(regime, readings, "region", date=None)
    assert [r for r in region if r.kind == "organisation"] == []


def test_a_broken_rules_file_is_named(tmp_path: Path) -> None:
    rules = tmp_path / "regler.yaml"
    rules.write_text("rules:\n  - text: x\n    regime: sfs-2024-1253\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"regler\.yaml.*regeln saknar"):
        read_readings(rules, "regler.yaml")


def test_shared_rules_name_no_organisation() -> None:
    """data/regimes.yaml holds rules for everyone: no organisation's reading or source."""
    for regime_id in ("skr-2023", "sfs-2024-1253"):
        regime = get_regime(regime_id)
        for rule in regime.rules:
            assert "Stockholm" not in rule.text and "Jämtland" not in rule.text
        assert "Stockholm" not in regime.how_received + regime.administered_by
    assert not [k for k in shared_sources() if k.startswith(("stockholm", "jamtland"))]
    assert rules_for_document(
        get_regime("sfs-2024-1253"), NO_READINGS, "kommun", date=None
    ) == rules_for_document(get_regime("sfs-2024-1253"), Readings({}, ()), "kommun", date=None)


def test_a_new_municipality_inherits_no_other_organisation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "umea"
    code, _, _ = run_cli(capsys, "init", str(project), "--name", "Umeå kommun", "--year", "2025")
    assert code == 0
    params = next((project / "parameters").glob("*/2025.yaml"))
    text = document_text(params)
    for other in ("Stockholm", "Jämtland", "Storsthlm", "staden", "Staden", "ÄLD 2025"):
        assert other not in text, other
    assert "Umeå kommun" in text
    catalogue: Catalogue = AllocationMemo.load(params).figures
    assert catalogue.text("organisation") == "Umeå kommun"


def test_a_group_known_later_makes_its_keyed_amounts_later(example_copy) -> None:
    """Recipient data declared known at the requisition (``stage: rekvisition``): the amounts a
    key splits by it leave the memo; the totals stay."""
    before = AllocationMemo.load(PARAMS / "national/2025-kommuner.yaml").figures
    assert "mottagare_upplands_vasby_kommun" in before
    folder = example_copy("national")
    params = folder / "2025-kommuner.yaml"
    text = params.read_text(encoding="utf-8")
    marker = "    file: data/municipalities.csv\n"
    assert marker in text
    params.write_text(text.replace(marker, marker + "    stage: rekvisition\n", 1), "utf-8")
    figures = AllocationMemo.load(params).figures
    assert "mottagare_upplands_vasby_kommun" not in figures
    assert figures.value("mottaget") == before.value("mottaget")


def test_a_rule_that_moves_money_is_cited_or_called_the_organisations_own(example_copy) -> None:
    folder = example_copy("stockholm")
    params = folder / "2025.yaml"
    memo = AllocationMemo.load(params)
    assert memo.step_sentence(0, 0).endswith(
        "Ingen av källorna anger den regeln; den är förvaltningens eget förslag."
    )
    text = params.read_text(encoding="utf-8")
    marker = "        requests: data/requests-2025.csv\n"
    cited = marker + '        rule_source: "socialstyrelsen-2025, Om inte alla medel rekvireras"\n'
    params.write_text(text.replace(marker, cited), encoding="utf-8")
    sentence = AllocationMemo.load(params).step_sentence(0, 0).replace("\u00a0", " ")
    assert sentence.endswith(
        "(Källa: Socialstyrelsens anvisningar 2025, \u201dOm inte alla medel rekvireras\u201d.)"
    )
    # The memo itself is no source for its own rule.
    itself = marker + '        rule_source: "stockholm-memo-2025, Förslag"\n'
    params.write_text(text.replace(marker, itself), encoding="utf-8")
    assert "eget förslag" in AllocationMemo.load(params).step_sentence(0, 0)
