"""The allocation memo agrees with its own figures, and with ``gnv check`` (issue 20).

Two small organisations built here, after an auditor's files: one whose requisitions are known
at the decision (``stage: beslut``) and one whose are not (the default), with a reserve, a
component that is not all in pots and a carry-over that is partly placed. Every table, the
per-recipient totals, the checks, the proposal, the summary and Ekonomiska konsekvenser must
state the same stage's amounts, and each amount must be a catalogue figure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gnvtools.core.figures import slug
from gnvtools.core.model import allocate, at_decision, build_plan
from gnvtools.errors import GnvError
from gnvtools.reports.checks import check_file
from gnvtools.reports.memo import AFTER_REQUISITIONS, AllocationMemo

from .conftest import PARAMS

UNITS = """name,population,typ
Aby,100,gles
Berga,300,tätort
Centrum,600,tätort
"""

KNOWN = """organisation: {name: Provby region, type: region}
year: 2025
regime: sfs-2024-1253
title: Fördelning 2025
decided_by: Regionstyrelsen
received: {total: 10000}
budget:
  - {recipient: Aby, amount: 4000}
recipients:
  - {group: units, label: Enheter, file: data/units.csv, text_columns: [typ]}
pots:
  - name: Del
    steps:
      - {name: Grund, kind: fixed, amounts: {Aby: 1000}}
      - name: Rekvisition
        kind: requisition
        stage: beslut
        amount: 6000
        recipients: {group: units}
        key: {population: 1}
        requests: data/requests.csv
        redistribute: false
      - name: Resten
        kind: remainder
        split: key
        recipients: {group: units}
        key: {population: 1}
"""

LATER = """organisation: {name: Provby kommun, type: kommun}
year: 2025
regime: sfs-2024-1253
title: Fördelning 2025
decided_by: Kommunstyrelsen
received:
  total: 10003
  components:
    - {name: Befolkning, basis: population, amount: 8001}
    - {name: Individer, basis: hsl-individuals, amount: 2002}
carry_over:
  - {year: 2024, amount: 1500}
budget:
  - {recipient: Centrum, amount: 5000}
recipients:
  - {group: units, label: Enheter, file: data/units.csv, text_columns: [typ]}
pots:
  - name: Befolkningsdel
    source: component:Befolkning
    steps:
      - {name: Grund, kind: fixed, amounts: {Aby: 1000}}
      - name: Viktat
        kind: key
        amount: 3001
        recipients: {group: units}
        key: {population: 1}
        weight_by: {column: typ, weights: {gles: 3, tätort: 1}}
      - name: Rekvisition
        kind: requisition
        amount: 3000
        recipients: {group: units}
        key: {population: 1}
        requests: data/requests.csv
      - {name: Reserv, kind: remainder, split: reserve}
  - name: Individdel
    source: component:Individer
    amount: 1500
    steps:
      - {name: Lika, kind: remainder, split: equal, recipients: [Aby, Berga]}
  - name: Kvarvarande 2024
    source: carry-over:2024
    steps:
      - {name: Fast, kind: fixed, amounts: {Berga: 1000}}
"""

REQUESTS = """recipient,amount
Aby,300
Berga,100
Centrum,3000
"""


def _project(tmp_path: Path, params: str) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "data/requests.csv").write_text(REQUESTS, encoding="utf-8")
    path = tmp_path / "2025.yaml"
    path.write_text(params, encoding="utf-8")
    return path


def _plain(text: str) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", text)


def _budget(findings: list) -> list[int | None]:
    return [f.amount for f in findings if f.code == "decided-vs-budget"]


# --- 1. stage: beslut: the grants everywhere ---------------------------------------------------


def test_requests_known_at_the_decision_are_shown_as_grants(tmp_path: Path) -> None:
    path = _project(tmp_path, KNOWN)
    memo = AllocationMemo.load(path)
    f = memo.figures
    full = allocate(build_plan(path))
    pot = memo.at_decision.pots[0]
    # The decision view is the allocation itself: nothing is replaced by ceilings.
    assert [s.placed for s in pot.steps] == [s.placed for s in full.pots[0].steps]
    requisition, rest = pot.steps[1], pot.steps[2]
    assert f.value("medel_del_steg_2") == requisition.placed == 300 + 100 + 3000
    assert f.value("medel_del_steg_3") == rest.placed == 10000 - 1000 - 3400
    # The requisition step's table shows the grants and sums to the step's figure.
    table = memo_step_table(memo, 0, 1)
    assert table.columns == ["Mottagare", "Tak", "Begärt", "Beviljat"]
    assert _value(table.footer[-1]) == f.value("medel_del_steg_2")
    # The remainder's table sums to its figure, which its sentence states.
    table = memo_step_table(memo, 0, 2)
    assert _value(table.footer[-1]) == f.value("medel_del_steg_3")
    assert f.text("medel_del_steg_3") in memo.step_sentence(0, 2)
    assert f.text("medel_del_steg_2_begart") in memo.step_sentence(0, 1)
    # Per recipient: the catalogue's totals, no ceiling column.
    recipients = memo.recipient_table()
    assert all("(tak)" not in c for c in recipients.columns)
    assert recipients.columns[-1] == "Totalt"
    for row in recipients.rows:
        name = str(row[0]).removesuffix(" (påhittat)")
        assert _value(row[-1]) == f.value(f"mottagare_{slug(name)}") == full.by_recipient()[name]
    # The checks: the memo and gnv check state the same difference against the budget.
    aby = full.by_recipient()["Aby"]
    assert _budget(memo.shown_findings) == _budget(check_file(path)) == [aby - 4000]


def memo_step_table(memo: AllocationMemo, pot: int, step: int):  # type: ignore[no-untyped-def]
    from gnvtools.core.model import at_ceilings
    from gnvtools.reports import memo_tables

    result = memo.at_decision.pots[pot].steps[step]
    ceilings = at_ceilings(memo.allocation.plan, pot, step)
    return memo_tables.step_table(memo.at_decision.pots[pot].pot.name, result, False, ceilings)


def _value(cell: object) -> int:
    value = getattr(cell, "value", cell)
    assert isinstance(value, int), cell
    return value


# --- 2. the default: ceilings, "upp till", one definition of decided --------------------------


def test_decided_against_budget_counts_the_ceiling_in_memo_and_check(tmp_path: Path) -> None:
    path = _project(tmp_path, LATER)
    memo = AllocationMemo.load(path)
    decision = at_decision(allocate(build_plan(path)))
    centrum = decision.by_recipient()["Centrum"]  # its key amount plus its ceiling
    assert centrum != allocate(build_plan(path)).by_recipient()["Centrum"]  # requisitions differ
    shown = [f for f in memo.shown_findings if f.code == "decided-vs-budget"]
    checked = [f for f in check_file(path) if f.code == "decided-vs-budget"]
    assert [f.amount for f in shown] == [f.amount for f in checked] == [centrum - 5000]
    assert "får upp till" in _plain(shown[0].message)
    assert shown[0].message == checked[0].message
    assert "vid beslutet" in _plain(memo.checks().plain)


def test_gnv_check_marks_what_holds_only_after_the_requisitions(tmp_path: Path) -> None:
    path = _project(tmp_path, LATER.replace("Centrum,3000", "Centrum,10"))
    path.parent.joinpath("data/requests.csv").write_text(
        REQUESTS.replace("Centrum,3000", "Centrum,10"), encoding="utf-8"
    )
    memo = AllocationMemo.load(path)
    later = [f for f in check_file(path) if f.message.startswith(AFTER_REQUISITIONS)]
    assert {f.code for f in later} >= {"requisition-unclaimed"}
    assert not [f for f in memo.shown_findings if f.message.startswith(AFTER_REQUISITIONS)]


def test_per_recipient_totals_are_catalogue_figures_at_the_decision(tmp_path: Path) -> None:
    memo = AllocationMemo.load(_project(tmp_path, LATER))
    f = memo.figures
    table = memo.recipient_table()
    assert any("(tak)" in c for c in table.columns) and table.columns[-1] == "Högst totalt"
    for row in table.rows:
        name = str(row[0]).removesuffix(" (påhittat)")
        if name == "Ofördelad reserv":
            continue
        assert _value(row[-1]) == f.value(f"mottagare_{slug(name)}_vid_beslut"), name


# --- 4. the proposal adds up -------------------------------------------------------------------


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d[\d\u00a0 ]*\d kr|\d kr", _plain(text).replace("\u00a0", " "))


def test_the_proposal_summary_and_economics_add_up_from_the_catalogue(tmp_path: Path) -> None:
    memo = AllocationMemo.load(_project(tmp_path, LATER))
    f = memo.figures
    for source, amount in (("statsbidrag", "mottaget"), ("kvarvarande_2024", "kvarvarande_2024")):
        parts = [f.amount(f"beslut_{source}_{p}") for p in ("fordelat", "reserv", "ofordelat")]
        assert sum(parts) == f.amount(amount)
    assert f.amount("beslut_statsbidrag_ofordelat") == 2002 - 1500  # in no pot
    assert f.amount("beslut_kvarvarande_2024_ofordelat") == 500
    assert f.amount("beslut_statsbidrag_tak") == 3000
    total = sum(f.amount(f"beslut_{p}") for p in ("fordelat", "reserv", "ofordelat"))
    assert total == f.amount("beslut_medel") == 10003 + 1500
    items = [_plain(i) for i in memo.proposal_items()]
    assert len(items) == 2  # the year's grant and the carry-over: not one item per pot
    grant, carry = items
    for name in ("mottaget", "beslut_statsbidrag_fordelat", "beslut_statsbidrag_reserv"):
        assert _plain(f.text(name)) in grant, name
    assert _plain(f.text("beslut_statsbidrag_ofordelat")) in grant
    assert "högst" in grant and "minst" in grant
    assert _plain(f.text("beslut_kvarvarande_2024_ofordelat")) in carry
    # Every amount printed in these texts is the text of a catalogue figure.
    figure_texts = {_plain(f.text(n)) for n in f if f[n].kind == "kr"}
    texts = [*items, _plain(memo.summary().plain), _plain(memo.economics().plain)]
    for text in texts:
        for number in _numbers(text):
            assert number in figure_texts, (number, text)
    economics = _plain(memo.economics().plain)
    for name in ("beslut_medel", "beslut_fordelat", "beslut_reserv", "beslut_ofordelat"):
        assert _plain(f.text(name)) in economics, name
    summary = _plain(memo.summary().plain)
    assert _plain(f.text("medel_kvarvarande_2024_kvar_vid_beslut")) in summary
    carried = _plain(memo.carry_over().plain)
    for name in ("beslut_kvarvarande_2024_fordelat", "beslut_kvarvarande_2024_ofordelat"):
        assert _plain(f.text(name)) in carried, name


def test_a_fully_placed_grant_is_one_plain_item(tmp_path: Path) -> None:
    memo = AllocationMemo.load(_project(tmp_path, KNOWN))
    assert [_plain(i) for i in memo.proposal_items()] == [
        "Regionstyrelsen beslutar att fördela 2025 års statsbidrag om 10 000 kr enligt "
        "förslaget i ärendet."
    ]


# --- 5. what would be ignored in silence is refused --------------------------------------------


def _line_of(text: str, what: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if what in line)


def test_a_reserve_with_recipients_is_refused_with_its_line(tmp_path: Path) -> None:
    text = LATER.replace(
        "{name: Reserv, kind: remainder, split: reserve}",
        "{name: Reserv, kind: remainder, split: reserve, recipients: [Aby]}",
    )
    with pytest.raises(GnvError) as caught:
        check_file(_project(tmp_path, text))
    message = str(caught.value)
    line = _line_of(text, "split: reserve")
    assert "split: reserve" in message and f"rad {line}," in message and "2025.yaml" in message


def test_a_mistyped_weight_category_is_refused_with_a_folded_suggestion(tmp_path: Path) -> None:
    text = LATER.replace("tätort: 1}", "tatort: 1}")
    with pytest.raises(GnvError) as caught:
        check_file(_project(tmp_path, text))
    message = str(caught.value)
    assert 'kategorin "tatort"' in message and 'menar du "tätort"?' in message
    assert f"rad {_line_of(text, 'tatort')}," in message


# --- the examples: Stockholm 2025 states no requisition outcome --------------------------------


def test_stockholm_2025_memo_states_ceilings_only() -> None:
    memo = AllocationMemo.load(PARAMS / "stockholm/2025.yaml")
    text = " ".join(
        _plain(part.plain)
        for part in (memo.proposal(), memo.summary(), memo.model(), memo.economics())
    )
    # no outcome of the 2025 requisitions (2024's money "rekvirerades" before: that is known)
    assert not re.search(r"\b(beviljas|begärdes|rekvirerade)\b", text), text
    assert any("(tak)" in c for c in memo.recipient_table().columns)
    assert [f for f in memo.shown_findings if f.code == "requisition-unclaimed"] == []
