"""What an independent audit of the year-end follow-up found, each as a class of problem:
requisitions outside the steps or above a ceiling, the per-area table's sum and comparisons,
kinds of activity no source classifies, and the follow-up's own counts of findings."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from gnvtools.core.followup import followup_file
from gnvtools.errors import InputError

from .conftest import plain, run_cli

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
    data.mkdir(parents=True, exist_ok=True)
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


def test_the_report_says_unjudged_spend_is_not_outside_the_rules(tmp_path: Path) -> None:
    from gnvtools.reports.followup_report import FollowupReport

    params = project(tmp_path, "Aby,1,100,skola\nBerga,1,50,\n")
    report = FollowupReport.load(params)
    assert report.figures.amount("forbrukat_ej_bedomt") == 100
    text = plain(report.ineligible().plain).replace("\xa0", " ")
    assert "Av förbrukningen gäller 100 kr verksamhetstyper som ingen källa" in text
    (_, activity) = report.areas().tables
    skola = next(row for row in activity.rows if row[0] == "Skola")  # its display label
    assert skola[2:] == ["ej bedömt", "ingen källa för Exempelby kommun anger det"]


# --- 2. the per-area table ---------------------------------------------------------------------

AREAS = "  reported_used: 1000\n  reported_by_area:\n    - {area: 1, amount: 600}\n"


def test_an_area_with_rows_but_no_reported_figure_is_compared(tmp_path: Path) -> None:
    params = project(tmp_path, "Aby,1,500,\nBerga,2,300,\nBerga,,100,\n", followup=AREAS)
    result = followup_file(params)
    found = [f.amount for f in result.findings if f.code == "rows-vs-area"]
    assert found == [100, -300]
    assert result.compared_areas == [1, 2]


def test_the_area_tables_sum_is_true_and_reconciles_to_the_use(tmp_path: Path) -> None:
    from gnvtools.reports.followup_report import FollowupReport

    params = project(tmp_path, "Aby,1,500,\nBerga,2,300,\nBerga,,100,\n", followup=AREAS)
    report = FollowupReport.load(params)
    table = report.areas().tables[0]
    labels = [row[0] for row in table.rows]
    assert "Utan angivet insatsområde" not in labels  # not part of the reported figures
    assert any("inget redovisat belopp" in label for label in labels)
    summed = next(row for row in table.rows if str(row[0]).startswith("Summa enligt"))
    assert summed[1] == 600 == sum(report.result.by_area.values())
    assert table.rows[-1] == ["+ Inte fördelat på insatsområde", 400, Fraction(2, 5)]
    assert table.footer == ["= Förbrukat (redovisad total)", 1000, 1]


def test_the_rows_tables_sum_includes_rows_without_an_area(tmp_path: Path) -> None:
    from gnvtools.reports.followup_report import FollowupReport

    params = project(tmp_path, "Aby,1,500,\nBerga,,100,\n", followup="  reported_used: 650\n")
    report = FollowupReport.load(params)
    table = report.areas().tables[0]
    assert report.figures.amount("forbrukat_per_omrade_summa") == 600
    assert report.figures.amount("forbrukat_utover_omradestabellen") == 50
    assert table.footer is not None and table.footer[1] == 650


# --- 4. smaller ---------------------------------------------------------------------------------


def test_area_8_sentence_says_whether_it_applies(tmp_path: Path) -> None:
    from gnvtools.reports.followup_report import FollowupReport

    applies = project(tmp_path / "a", "Aby,8,100,\n", followup="  area8_applies: true\n")
    text = " ".join(FollowupReport.load(applies).area_texts())
    assert "Exempelby kommun hör dit." in text and "hör inte dit" not in text
    not_here = project(tmp_path / "b", "Aby,8,100,\n", followup="  area8_applies: false\n")
    text = " ".join(FollowupReport.load(not_here).area_texts())
    assert "hör inte dit" in text and "(SFS 2024:1253, 2 §)" in text


def test_the_followups_counts_are_its_own_findings(tmp_path: Path) -> None:
    from gnvtools.reports.followup_report import FollowupReport

    params = project(
        tmp_path, "Aby,8,100,\nBerga,1,50,skola\n", followup="  area8_applies: false\n"
    )
    report = FollowupReport.load(params)
    findings = report.result.findings
    assert report.figures.amount("antal_fel") == sum(f.level == "error" for f in findings) == 1
    warnings = sum(f.level == "warning" for f in findings)
    assert report.figures.amount("antal_varningar") == warnings >= 1
