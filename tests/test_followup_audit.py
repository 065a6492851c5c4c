"""What an independent audit of the year-end follow-up found, each as a class of problem:
requisitions outside the steps or above a ceiling, the per-area table's sum and comparisons,
kinds of activity no source classifies, and the follow-up's own counts of findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from gnvtools.core.followup import followup_file
from gnvtools.errors import InputError

from .conftest import run_cli

PARAMS = """\
organisation: {{name: Exempelby {kind}, type: {kind}}}
year: 2025
regime: sfs-2024-1253
title: Fördelning 2025
{rules}received:
  total: 3000
  components:
    - {{name: Befolkning, basis: population, amount: 3000}}
recipients:
  - {{group: units, label: Enheter, file: data/units.csv}}
  - {{group: central, label: Centralt, file: data/central.csv}}
pots:
  - name: Statsbidrag 2025
    steps:
      - name: Rekvisition
        kind: requisition
        amount: 2000
        recipients: {{group: units}}
        key: {{population: 1}}
        requests: data/requests.csv
      - {{name: Centralt, kind: fixed, amounts: {{Dal: 1000}}}}
followup:
  spend: data/spend.csv
{followup}"""

RULES = """\
sources:
  beslut:
    title: Exempelby, beslut om statsbidraget 2025
    short: Beslutet 2025
    date: 2025-03-01
activity_types:
  - regime: sfs-2024-1253
    eligible: [hemsjukvård]
    ineligible: [förskola]
    sources:
      - {source: beslut, section: Verksamheter}
"""


def project(
    tmp_path: Path,
    spend: str,
    *,
    followup: str = "",
    requisitions: str | None = None,
    rules: bool = False,
    kind: str = "kommun",
) -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "units.csv").write_text("name,population\nAby,100\nBerga,300\nCentrum,600\n", "utf-8")
    (data / "central.csv").write_text("name,population\nDal,0\n", "utf-8")
    (data / "requests.csv").write_text(
        "recipient,amount\nAby,200\nBerga,300\nCentrum,1200\n", "utf-8"
    )
    (data / "spend.csv").write_text("recipient,area,amount,activity_type\n" + spend, "utf-8")
    if requisitions is not None:
        (data / "req.csv").write_text("recipient,amount\n" + requisitions, "utf-8")
        followup += "  requisitions: data/req.csv\n"
    if rules:
        (data / "regler.yaml").write_text(RULES, "utf-8")
    params = tmp_path / "2025.yaml"
    params.write_text(
        PARAMS.format(
            kind=kind, followup=followup, rules="rules: data/regler.yaml\n" if rules else ""
        ),
        "utf-8",
    )
    return params


# --- 1. requisitions ---------------------------------------------------------------------------


def test_a_requisition_row_outside_every_step_is_refused_with_its_place(tmp_path: Path) -> None:
    params = project(
        tmp_path, "Aby,1,100,\n", requisitions="Aby,200\nBerga,300\nCentrum,1200\nDal,500\n"
    )
    with pytest.raises(InputError) as caught:
        followup_file(params)
    message = str(caught.value)
    assert "req.csv" in message and "rad 5" in message and '"recipient"' in message
    assert '"Dal"' in message and '"Rekvisition"' in message


def test_gnv_check_refuses_a_requisition_row_outside_the_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    params = project(tmp_path, "Aby,1,100,\n", requisitions="Aby,200\nDal,500\n")
    code, _, err = run_cli(capsys, "check", str(params))
    assert code == 2  # bad input, as an unknown name: one located line
    assert "rad 3" in err and "ingår inte i något rekvisitionssteg" in err
    assert "Traceback" not in err


def test_a_requisition_above_the_ceiling_is_an_error(tmp_path: Path) -> None:
    params = project(tmp_path, "Aby,1,100,\n", requisitions="Aby,200\nBerga,300\nCentrum,1500\n")
    result = followup_file(params)
    found = [f for f in result.findings if f.code == "requisitioned-above-ceiling"]
    assert [(f.level, f.amount) for f in found] == [("error", 300)]
    assert found[0].message.replace("\xa0", " ").startswith("Centrum rekvirerade 1 500 kr")
    assert result.requisitioned == 2000  # as the file states it, with the error beside it


def test_a_requisition_within_the_ceiling_is_no_finding(tmp_path: Path) -> None:
    params = project(tmp_path, "Aby,1,100,\n", requisitions="Aby,150\nBerga,600\nCentrum,1200\n")
    result = followup_file(params)
    assert not [f for f in result.findings if f.code == "requisitioned-above-ceiling"]


# --- 3. kinds of activity ----------------------------------------------------------------------


def test_a_kind_no_source_classifies_is_not_judged(tmp_path: Path) -> None:
    params = project(tmp_path, "Aby,1,100,skola\nBerga,2,50,skola\nCentrum,1,70,hemsjukvård\n")
    result = followup_file(params)
    assert result.ineligible == 0 and not result.ineligible_lines
    found = {f.message.split("verksamhetstypen ")[1].split(" ")[0]: f for f in result.findings
             if f.code == "activity-type-unclassified"}  # fmt: skip
    assert set(found) == {"skola", "hemsjukvård"}
    assert found["skola"].level == "warning" and found["skola"].amount == 150
    assert "raderna 2 och 3" in found["skola"].message
    assert result.repay == 3000 - 220  # unused only: nothing counted outside the rules


def test_the_organisations_reading_classifies_with_its_source(tmp_path: Path) -> None:
    params = project(tmp_path, "Aby,1,100,förskola\nBerga,2,50,hemsjukvård\n", rules=True)
    result = followup_file(params)
    assert result.ineligible == 100
    (item,) = result.ineligible_lines
    assert "Exempelby kommuns egen tolkning (Beslutet 2025, ”Verksamheter”)" in item.reason
    assert not [f for f in result.findings if f.code == "activity-type-unclassified"]


def test_a_restricted_area_names_its_source(tmp_path: Path) -> None:
    params = project(tmp_path, "Aby,8,100,\n", followup="  area8_applies: false\n")
    (item,) = followup_file(params).ineligible_lines
    assert item.reason.endswith("(SFS 2024:1253, 2 §)")


def test_a_reading_naming_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    params = project(tmp_path, "Aby,1,100,\n", rules=True)
    rules = tmp_path / "data/regler.yaml"
    rules.write_text(rules.read_text("utf-8").replace("[förskola]", "[dagis]"), "utf-8")
    with pytest.raises(InputError) as caught:
        followup_file(params)
    assert "dagis" in str(caught.value) and "activity_types[0]" in str(caught.value)


def test_the_shared_regime_classifies_no_kind() -> None:
    from gnvtools.core.regimes import all_regimes

    for regime in all_regimes().values():
        assert not hasattr(regime, "ineligible_activity_types")
        assert "förskola" in regime.activity_types  # the words only
