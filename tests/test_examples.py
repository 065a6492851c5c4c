"""Every figure the source documents state, reproduced from the shipped example parameters."""

from __future__ import annotations

import csv
import io
import json

import pytest

from gnvtools.core.allocation import RESERVE
from gnvtools.core.model import Allocation, allocate, build_plan
from gnvtools.core.reconciliation import has_errors, reconcile_allocation

from .conftest import PARAMS, run_cli

DISTRICTS = [
    "Bromma",
    "Enskede-Årsta-Vantör",
    "Farsta",
    "Hägersten-Älvsjö",
    "Hässelby-Vällingby",
    "Järva",
    "Kungsholmen",
    "Norra innerstaden",
    "Skarpnäck",
    "Skärholmen",
    "Södermalm",
]


def _run(path: str) -> Allocation:
    return allocate(build_plan(PARAMS / path))


def _step(allocation: Allocation, pot: str, step: str) -> dict[str, int]:
    for result in allocation.pots:
        if result.pot.name == pot:
            for s in result.steps:
                if s.step == step:
                    return {line.recipient: line.amount for line in s.lines}
    raise KeyError((pot, step))


def test_stockholm_2023_nara_vard_pot() -> None:
    a = _run("stockholm/2023.yaml")
    pot = "Utveckling av den nära vården"
    assert _step(a, pot, "Grundstöd fackförvaltningar") == {
        "Äldreförvaltningen": 3_200_000,
        "Utbildningsförvaltningen": 1_000_000,
    }
    assert _step(a, pot, "Grundstöd stadsdelsförvaltningar") == dict.fromkeys(DISTRICTS, 500_000)
    priority = _step(a, pot, "Prioriterade utvecklingsområden")
    other = _step(a, pot, "Övrigt pågående utvecklingsarbete")
    assert list(priority) == DISTRICTS and list(other) == DISTRICTS
    assert sum(priority.values()) == 15_010_636
    assert sum(other.values()) == 6_000_000
    assert sum(priority.values()) + sum(other.values()) == 21_010_636
    assert _step(a, pot, "LSS-hälsan") == {"Socialförvaltningen": 600_000}
    assert _step(a, pot, "Skola och elevhälsa") == {"Utbildningsförvaltningen": 5_000_000}
    result = next(p for p in a.pots if p.pot.name == pot)
    assert result.placed == 36_310_636 and result.unplaced == 0


def test_stockholm_2023_key_follows_population_and_elderly() -> None:
    a = _run("stockholm/2023.yaml")
    other = _step(a, "Utveckling av den nära vården", "Övrigt pågående utvecklingsarbete")
    # Norra innerstaden has the most people and the most elderly, Skärholmen the fewest.
    assert max(other, key=other.__getitem__) == "Norra innerstaden"
    assert min(other, key=other.__getitem__) == "Skärholmen"


def test_stockholm_2023_staff_and_nurse_areas() -> None:
    a = _run("stockholm/2023.yaml")
    staff = _step(a, "Goda förutsättningar för vårdens medarbetare", "Utförare efter antal platser")
    assert sum(staff.values()) == 10_300_000
    # providers below 80 % placed by the city, or that did not apply, get nothing
    assert "Särskilt boende Hägersten (privat regi)" not in staff
    assert "Särskilt boende Järva (egen regi)" not in staff
    assert "LSS-boende (privat regi)" in staff  # exactly 80 % qualifies
    pot = "Vidareutbildning sjuksköterskor"
    assert _step(a, pot, "Specialistsjuksköterskor inom äldreomsorgen") == {
        "Äldreförvaltningen": 3_100_000
    }
    assert _step(a, pot, "Distriktssköterskeutbildning LSS-hälsan") == {
        "Socialförvaltningen": 300_000
    }
    applications = _step(a, pot, "Ansökan om nya utbildningsplatser")
    rest = _step(a, pot, "Ledning och samordning")
    assert sum(applications.values()) <= 1_800_000
    assert sum(applications.values()) + rest["Äldreförvaltningen"] == 1_800_000
    assert sum(p.placed for p in a.pots) == 51_810_636


def test_stockholm_2025_grant_and_carry_over() -> None:
    a = _run("stockholm/2025.yaml")
    findings = reconcile_allocation(a)
    ok = next(f for f in findings if f.code == "components-vs-received")
    assert ok.level == "info" and ok.amount == 0
    assert "35 264 481 kr + 6 726 959 kr" in ok.message.replace("\xa0", " ")
    assert "41 991 440 kr" in ok.message.replace("\xa0", " ")
    left = "Kvarvarande medel 2024"
    assert _step(a, left, "Stadsdelsförvaltningar") == dict.fromkeys(DISTRICTS, 800_000)
    assert _step(a, left, "Projektledning") == {"Äldreförvaltningen": 1_200_000}
    assert _step(a, left, "Skola och förskola") == {
        "Utbildningsförvaltningen": 350_000,
        "Förskoleförvaltningen": 350_000,
    }
    grant = next(p for p in a.pots if p.pot.name == "Statsbidrag 2025")
    assert grant.pot.amount == 41_991_440 and grant.unplaced == 0
    requisition = grant.steps[0]
    assert requisition.kind == "requisition"
    ceilings = {line.recipient: line.ceiling for line in requisition.lines}
    assert sum(c or 0 for c in ceilings.values()) == 41_991_440
    for line in requisition.lines:
        assert line.amount <= (line.requested or 0)
    assert {line.recipient for line in requisition.lines if line.amount == 0} == {
        "Skarpnäck",
        "Skärholmen",
    }
    assert grant.steps[1].lines[0].recipient == RESERVE
    assert not has_errors(findings)


def test_jamtland_unplaced_and_budget_gap(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "check", str(PARAMS / "jamtland/2025.yaml"))
    assert code == 0
    assert "[varning] Av statsbidrag 2025 (41 086 320 kr) är 86 320 kr ännu inte fördelade." in out
    assert "pot-unplaced" not in out  # internal codes are for tools (--json), not for readers
    assert "1 413 680 kr mer än mottagna 41 086 320 kr" in out
    findings = reconcile_allocation(_run("jamtland/2025.yaml"))
    amounts = {f.code: f.amount for f in findings}
    assert amounts["pot-unplaced"] == 86_320
    assert amounts["budget-exceeds-received"] == 1_413_680


def test_national_formula_for_290_municipalities() -> None:
    a = _run("national/2025-kommuner.yaml")
    assert len(a.plan.recipients) == 290
    frames = {p.pot.name: (p.pot.amount, p.placed) for p in a.pots}
    assert frames == {
        "Befolkning": (375_000_000, 375_000_000),
        "Individer med kommunal hälso- och sjukvård": (375_000_000, 375_000_000),
        "Landsbygd": (150_000_000, 150_000_000),
    }
    rural = next(p for p in a.pots if p.pot.name == "Landsbygd")
    receiving = {line.recipient for line in rural.lines if line.amount > 0}
    types = {r.name: r.texts["municipality_type"] for r in a.plan.recipients.values()}
    assert {types[name] for name in receiving} == {
        "tätortsnära landsbygdskommun",
        "gles landsbygdskommun",
        "mycket gles landsbygdskommun",
    }
    assert len(receiving) == 70 + 45 + 15
    # Stockholm's published population over Sweden's gives its population part to within 0.1 %
    # of the 35 264 481 kr the city was granted (SCB's 1 November figures differ slightly).
    population = next(p for p in a.pots if p.pot.name == "Befolkning")
    stockholm = next(x.amount for x in population.lines if x.recipient == "Stockholms kommun")
    assert abs(stockholm - 35_264_481) < 35_264_481 // 1000


@pytest.mark.parametrize(
    "path",
    [
        "stockholm/2023.yaml",
        "stockholm/2025.yaml",
        "jamtland/2025.yaml",
        "national/2025-kommuner.yaml",
    ],
)
def test_allocate_cli_writes_contract_csv(path: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "allocate", str(PARAMS / path))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:4] == ["pot", "step", "recipient", "amount"]
    a = _run(path)
    assert sum(int(r["amount"]) for r in rows) == sum(p.placed for p in a.pots)
    assert all(r["amount"].isdigit() for r in rows)


@pytest.mark.parametrize(
    ("old", "new", "excess"),
    [
        # a key step asking for more than the 6 000 000 kr left after the earlier steps
        ("        amount: 6000000\n", "        amount: 7000000\n", 1_000_000),
        # a requisition whose ceilings would rest on money that does not exist
        ("        amount: 1800000\n", "        amount: 2000000\n", 200_000),
    ],
)
def test_step_amount_above_what_is_left_is_an_error(
    capsys: pytest.CaptureFixture[str], example_copy, old: str, new: str, excess: int
) -> None:
    folder = example_copy("stockholm")
    params = folder / "2023.yaml"
    text = params.read_text(encoding="utf-8")
    assert text.count(old) == 1
    params.write_text(text.replace(old, new), encoding="utf-8")
    code, out, _ = run_cli(capsys, "check", str(params), "--json")
    assert code == 1
    findings = json.loads(out)
    exceeding = [f for f in findings if f["code"] == "step-exceeds-pot"]
    assert [f["amount"] for f in exceeding] == [excess]
    assert exceeding[0]["level"] == "error"
    assert not any(f["code"] == "pot-overdrawn" for f in findings)  # not reported twice
