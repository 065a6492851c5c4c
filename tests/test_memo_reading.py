"""What a reader of the example memos struck out, as classes of problems.

- A decision memo reads no input of a later stage: the requests of a requisition step are known
  only after the decision, so they are not among its inputs (manifest, annex, Excel input
  sheets), and changing them changes nothing the memo states.
- A document's catalogue holds no figure whose source is the document itself or a later one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gnvtools.core.figure_sources import RuleSource
from gnvtools.core.memo_inputs import decision_inputs
from gnvtools.core.model import build_plan
from gnvtools.core.params import is_comparison
from gnvtools.core.rulebook import citable, shared_sources
from gnvtools.publish.recompute import recompute
from gnvtools.reports.document import document_of
from gnvtools.reports.memo import AllocationMemo, document_date

from .conftest import PARAMS

MEMO_FILES = sorted(
    p for p in PARAMS.glob("*/*.yaml") if "mapping" not in p.name and not is_comparison(p)
)
IDS = [f"{p.parent.name}/{p.stem}" for p in MEMO_FILES]


def _later_requests(path: Path) -> list[Path]:
    plan = build_plan(path)
    return [
        plan.file.data_path(step.requests)[0]
        for pot in plan.params.pots
        for step in pot.steps
        if step.kind == "requisition" and step.stage == "rekvisition"
    ]


@pytest.mark.parametrize("path", MEMO_FILES, ids=IDS)
def test_a_memo_reads_no_input_of_a_later_stage(path: Path) -> None:
    memo = AllocationMemo.load(path)
    for later in _later_requests(path):
        assert later not in memo.input_files
    assert set(decision_inputs(memo.allocation.plan)) <= set(memo.input_files)


def test_stockholm_2025_and_2023_leave_their_requests_out() -> None:
    names_2025 = {p.name for p in AllocationMemo.load(PARAMS / "stockholm/2025.yaml").input_files}
    assert "requests-2025.csv" not in names_2025
    assert {"districts.csv", "central.csv"} <= names_2025
    # 2023: 1,8 mnkr were "open for application" (seeds/002) — applications came after the
    # decision, so the memo states the ceilings and reads no application.
    names_2023 = {p.name for p in AllocationMemo.load(PARAMS / "stockholm/2023.yaml").input_files}
    assert "nurse-applications-2023.csv" not in names_2023


def test_a_step_declared_known_at_the_decision_keeps_its_requests(example_copy) -> None:
    folder = example_copy("stockholm")
    params = folder / "2025.yaml"
    text = params.read_text(encoding="utf-8")
    marker = "        requests: data/requests-2025.csv\n"
    params.write_text(text.replace(marker, marker + "        stage: beslut\n"), encoding="utf-8")
    names = {p.name for p in AllocationMemo.load(params).input_files}
    assert "requests-2025.csv" in names


def _memo_state(params: Path) -> tuple[dict[str, tuple[str, str]], str]:
    memo = AllocationMemo.load(params)
    catalogue = {k: (str(f.value), f.text) for k, f in memo.figures.items()}
    cells = recompute("allocation-memo", params).cells
    blocks = [b.as_json() for b in document_of({"cells": cells}).blocks]
    return catalogue, json.dumps(blocks, ensure_ascii=False, default=str)


def test_changing_the_requests_changes_nothing_the_memo_states(example_copy) -> None:
    folder = example_copy("stockholm")
    params = folder / "2025.yaml"
    before = _memo_state(params)
    requests = folder / "data" / "requests-2025.csv"
    rows = requests.read_text(encoding="utf-8").splitlines()
    changed = [rows[0], *(row.rsplit(",", 1)[0] + ",1000" for row in rows[1:])]
    requests.write_text("\n".join(changed) + "\n", encoding="utf-8")
    assert (
        AllocationMemo.load(params).allocation.lines
        != AllocationMemo.load(PARAMS / "stockholm/2025.yaml").allocation.lines
    )  # the change reached the full allocation …
    assert _memo_state(params) == before  # … and nothing the decision states


@pytest.mark.parametrize("path", MEMO_FILES, ids=IDS)
def test_no_catalogue_figure_comes_from_the_document_itself_or_later(path: Path) -> None:
    memo = AllocationMemo.load(path)
    itself = memo.params.memo.source if memo.params.memo is not None else ""
    when = document_date(memo.params)
    every = {**shared_sources(), **memo.readings.sources}
    barred = [src.short for key, (src, _info) in every.items() if key == itself]
    barred += [
        s.source
        for s in memo.params.national_frames
        if s.source_id and not citable(s.source_id, memo.readings, when, itself)
    ]
    for figure in memo.figures.values():
        for source in figure.sources:
            if isinstance(source, RuleSource) and source.source:
                key = source.source.split(",")[0].strip()
                assert key in every and citable(key, memo.readings, when, itself), figure.name
        for short in barred:
            assert short not in figure.label, (figure.name, short)
            assert short not in figure.text, (figure.name, short)


def test_the_stockholm_2025_catalogue_holds_no_frame_of_its_own() -> None:
    names = set(AllocationMemo.load(PARAMS / "stockholm/2025.yaml").figures)
    assert not [n for n in names if n.startswith("nationell_ram_stockholm_memo_2025")]
    assert "nationell_ram_socialstyrelsens_anvisningar_2025_total" in names


def test_a_fixed_amount_out_of_an_approximate_pot_is_exact() -> None:
    """Out of "cirka 10,7 mnkr" the decision sets 800 000 kr per district and 350 000 kr to
    each of two administrations: exact. Only what is worked out from the approximate amount
    (the pot's remainder, a total over it) is approximate."""
    figures = AllocationMemo.load(PARAMS / "stockholm/2025.yaml").figures
    assert figures.text("kvarvarande_2024").replace("\u00a0", " ") == "cirka 10,7 mnkr"
    exact = [
        "mottagare_bromma_kvarvarande_medel_2024_vid_beslut",
        "mottagare_forskoleforvaltningen_kvarvarande_medel_2024_vid_beslut",
        "mottagare_utbildningsforvaltningen_vid_beslut",
        "medel_kvarvarande_medel_2024_steg_3_mottagare_forskoleforvaltningen",
        "beslut_kvarvarande_2024_fordelat",
    ]
    for name in exact:
        assert figures[name].precision == "exakt", name
        assert "cirka" not in figures.text(name), name
    # Nothing is left of the pot: 0 kr is never "about" (an approximate remainder: test_catalogues).
    assert figures.text("medel_kvarvarande_medel_2024_kvar_vid_beslut") == "0\u00a0kr"
    assert figures.text("medel_totalt").replace("\u00a0", " ") == "cirka 52,7 mnkr"


@pytest.mark.parametrize("path", MEMO_FILES, ids=IDS)
def test_a_check_states_an_approximate_amount_as_the_source_does(path: Path) -> None:
    memo = AllocationMemo.load(path)
    rough = [f for f in memo.figures.values() if f.precision == "cirka" and f.kind == "kr"]
    for finding in memo.shown_findings:
        for figure in rough:
            if figure.name.startswith(("kvarvarande_", "delbelopp_", "mottaget")):
                plain = f"{figure.value:,}".replace(",", "\u00a0")
                assert plain not in finding.message.replace(" ", "\u00a0"), finding.message


def test_one_source_in_one_pot_is_checked_once() -> None:
    """ "Mottaget statsbidrag … ingår i sin helhet" beside "Statsbidrag 2025 … fördelas i sin
    helhet" says one thing twice; with unplaced money it would also be untrue."""
    for name in ("stockholm/2025.yaml", "jamtland/2025.yaml"):
        memo = AllocationMemo.load(PARAMS / name)
        codes = [f.code for f in memo.shown_findings]
        assert "pots-vs-source" not in codes
        assert not [f for f in memo.shown_findings if "ingår i sin helhet" in f.message]
    jamtland = AllocationMemo.load(PARAMS / "jamtland/2025.yaml")
    assert "pot-unplaced" in {f.code for f in jamtland.shown_findings}


def test_carry_over_from_before_the_regime_says_it_is_not_bound_by_it() -> None:
    """Stockholm 2025 says preschool is outside the ordinance, yet gives 2024 money to
    Förskoleförvaltningen: the memo says, at that pot, that the 2024 money predates it."""
    from gnvtools.reports.memo_model import earlier_regime

    memo = AllocationMemo.load(PARAMS / "stockholm/2025.yaml")
    said = earlier_regime(memo, "carry-over:2024")
    assert "före SFS 2024:1253" in said and "från 2025" in said
    assert earlier_regime(memo, "received") == ""
    assert earlier_regime(AllocationMemo.load(PARAMS / "stockholm/2023.yaml"), "received") == ""


def test_economics_follows_a_decision_item_that_settles_the_budget_gap() -> None:
    from gnvtools.reports.memo_sections import decision_item, economics_texts

    memo = AllocationMemo.load(PARAMS / "jamtland/2025.yaml")
    number = decision_item(memo.params, "budget_mot_mottaget")
    assert number == 3
    text = " ".join(economics_texts(memo.params, memo.figures, memo.regime))
    assert f"beslutspunkt {number}" in text
    assert "eller genom ett beslut om budgeten" not in text


def test_step_sentences_read_amounts_and_counts_by_name() -> None:
    """ "Var och en av elva mottagare får 800 000 kr": the count and the amount are figures
    (``…_antal_mottagare``, ``…_per_mottagare``), the step's total its step figure."""
    from gnvtools.reports.memo_model import step_texts

    memo = AllocationMemo.load(PARAMS / "stockholm/2025.yaml")
    figures = memo.figures
    step = "medel_kvarvarande_medel_2024_steg_1"
    assert figures.amount(f"{step}_antal_mottagare") == 11
    assert figures.amount(f"{step}_per_mottagare") == 800_000
    assert figures[f"{step}_per_mottagare"].sources  # read from the parameter file
    text = step_texts(memo, 1, 0)[0]
    assert figures.text(f"{step}_per_mottagare") in text and figures.text(step) in text
    memo_2023 = AllocationMemo.load(PARAMS / "stockholm/2023.yaml")
    among = "medel_goda_forutsattningar_for_vardens_medarbetare_steg_1_antal_mottagare"
    assert among in memo_2023.figures
    last = step_texts(memo_2023, 2, 3)[0]
    assert "0 kr" not in last.replace("\u00a0", " ") and "Äldreförvaltningen" in last


def test_the_2023_applications_come_after_the_decision_and_ceilings_are_marked() -> None:
    """seeds/002: 1,8 mnkr are "öppna för ansökan" — the applications follow the decision. The
    ceilings split by the districts' made-up places are marked made up; the step's total (a
    fixed 1,8 mnkr from the source) is not."""
    from gnvtools.core.memo_figures import step_rests_on_made_up

    memo = AllocationMemo.load(PARAMS / "stockholm/2023.yaml")
    pot = [p.name for p in memo.params.pots].index("Vidareutbildning sjuksköterskor")
    steps = memo.params.pots[pot].steps
    index = [s.name for s in steps].index("Ansökan om nya utbildningsplatser")
    assert steps[index].stage == "rekvisition"
    assert step_rests_on_made_up(memo.allocation.plan, pot, index)
    step = f"medel_vidareutbildning_sjukskoterskor_steg_{index + 1}"
    assert not memo.figures[f"{step}_tak"].illustrative
    assert memo.figures[f"{step}_tak_mottagare_bromma"].illustrative


@pytest.mark.parametrize("path", MEMO_FILES, ids=IDS)
def test_a_recipient_is_written_as_its_name_everywhere(path: Path) -> None:
    """One rule for units: a recipient's name (Äldreförvaltningen, Regionstyrelsen) is a proper
    noun and keeps its capital in every sentence, as in the tables."""
    import re

    from .test_language import prose_of

    memo = AllocationMemo.load(path)
    names = [n for n in memo.allocation.plan.recipients if n[:1].isupper()]
    lower = [n[:1].lower() + n[1:] for n in names]
    found = [
        (title, word)
        for title, text in prose_of(path, "allocation-memo")
        for word in lower
        if re.search(rf"(?<![\w-]){re.escape(word)}", text)
    ]
    assert found == []


def test_one_frame_source_is_not_called_sources() -> None:
    from gnvtools.reports import memo_tables

    memo = AllocationMemo.load(PARAMS / "stockholm/2025.yaml")
    frames = memo.at_decision.plan.params.national_frames
    assert len(frames) == 1  # its own statement is not cited
    table = memo_tables.frames_table(frames)
    assert table is not None
    assert table.title == "Nationell ram" and table.notes == []
    received = memo_tables.received_table(memo.params)
    assert "Grund" not in received.columns  # "Befolkning" beside "befolkning" says nothing


@pytest.mark.parametrize("path", MEMO_FILES, ids=IDS)
def test_document_figures_are_made_up_exactly_when_the_file_says_so(path: Path) -> None:
    """The memo's date, meeting date and case number are illustrative exactly when their key is
    in ``memo.illustrative`` (Jämtland 2025's RS/0000/2025 is; Stockholm 2025's own is not)."""
    memo = AllocationMemo.load(path)
    spec = memo.allocation.plan.params.memo
    keys = {"datum": "date", "sammantradesdatum": "meeting_date", "diarienummer": "case_number"}
    present = [name for name in keys if name in memo.figures]
    for name in present:
        wanted = spec is not None and keys[name] in spec.illustrative
        assert memo.figures[name].illustrative == wanted, name


def test_made_up_case_numbers_are_marked_in_the_figures() -> None:
    for name in ("jamtland/2025.yaml", "stockholm/2023.yaml"):
        memo = AllocationMemo.load(PARAMS / name)
        assert memo.figures["diarienummer"].illustrative, name
        assert memo.figures["datum"].illustrative, name


@pytest.mark.parametrize("path", MEMO_FILES, ids=IDS)
def test_each_rule_rests_on_one_kind_of_source(path: Path) -> None:
    """A rule is printed under the heading of its kind of source (the ordinance,
    Socialstyrelsen, the organisation): a rule under the ordinance cites only the ordinance."""
    from gnvtools.core.regimes import all_regimes

    memo = AllocationMemo.load(path)
    info = {**shared_sources(), **memo.readings.sources}
    rules = [
        *(r for regime in all_regimes().values() for r in regime.rules),
        *(r for _, r in memo.readings.rules),
    ]
    for rule in rules:
        kinds = {info[c.source.id][1].kind for c in rule.citations}
        assert len(kinds) <= 1, rule.text
