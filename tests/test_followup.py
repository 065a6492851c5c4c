"""Year-end follow-up: the 2025 figures of the source, ineligible spend, bad spend files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from gnvtools.core.followup import followup_file

from .conftest import PARAMS, run_cli
from .test_bad_input import _edit


def test_stockholm_2025_followup_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "followup", str(PARAMS / "stockholm/2025.yaml"), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["received"] == 41_991_440
    assert data["used"] == 28_714_265
    assert data["unused"] == 13_277_175
    assert data["utilisation"] == pytest.approx(0.6838, abs=5e-5)
    assert data["by_area"] == {
        "1": 3_148_563,
        "2": 6_154_998,
        "3": 4_150_000,
        "4": 2_527_078,
        "5": 1_815_651,
        "6": 5_465_580,
        "7": 5_369_045,
        "8": 0,
    }
    assert sum(data["by_area"].values()) == 28_630_915
    assert data["used_in_rows"] == 28_630_915  # the rows are the source's per-area figures
    gaps = [f for f in data["findings"] if f["amount"] == 83_350]
    assert {f["code"] for f in gaps} == {"rows-vs-reported"}  # one difference, one finding
    assert gaps[0]["aliases"] == ["details-vs-reported"]  # its old name, for one release
    unused = [n for n, r in data["by_recipient"].items() if r["used"] == 0]
    assert sorted(unused) == ["Skarpnäck", "Skärholmen"]
    assert data["not_requisitioned"] == ["Skarpnäck", "Skärholmen"]
    assert data["repay"] == 13_277_175
    assert isinstance(data["allocated"], int)
    for figures in data["by_recipient"].values():
        assert isinstance(figures["allocated"], int) and isinstance(figures["used"], int)
    for finding in data["findings"]:
        assert set(finding) >= {"level", "code", "message", "amount"}


def test_followup_json_to_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "uppfoljning.json"
    code, out, _ = run_cli(
        capsys, "followup", str(PARAMS / "stockholm/2025.yaml"), "--json", str(target)
    )
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["used"] == 28_714_265


def test_stockholm_2023_followup_claims_no_rule_the_sources_lack() -> None:
    """No source says how unused 2023 money was treated: nothing is repaid or carried over."""
    result = followup_file(PARAMS / "stockholm/2023.yaml")
    assert result.regime.id == "skr-2023"
    assert result.regime.unused_must_be_repaid is None
    assert result.repay == 0
    assert result.carried_over == 0
    assert result.unused == result.received - result.used > 0
    kinds = {line.activity_type for line in result.spend}
    assert {"förskola", "skola", "socialtjänst"} <= kinds
    assert result.ineligible == 0


PRESCHOOL = "Bromma,3,50000,Språkutveckling i förskolan,förskola\n"


@pytest.mark.parametrize(("year", "ineligible"), [("2025", 50_000), ("2023", 0)])
def test_preschool_spend_is_ineligible_only_under_the_ordinance(
    year: str, ineligible: int, example_copy: Callable[[str], Path]
) -> None:
    folder = example_copy("stockholm")
    spend = folder / f"data/spend-{year}.csv"
    before = followup_file(folder / f"{year}.yaml")
    with spend.open("a", encoding="utf-8") as handle:
        handle.write(PRESCHOOL)
    after = followup_file(folder / f"{year}.yaml")
    assert after.ineligible == ineligible
    assert after.rows_used == before.rows_used + 50_000
    # a reported total stays the year's use; without one the rows are the use
    reported = before.reported_used is not None
    assert after.used == before.used + (0 if reported else 50_000)
    flagged = [f for f in after.findings if f.code == "ineligible-spend"]
    if ineligible:
        assert len(flagged) == 1 and flagged[0].level == "error"
        assert flagged[0].amount == 50_000
        assert "förskola" in flagged[0].message
        # spent outside the rules counts into repayment on top of the unused money
        assert after.repay == after.unused + 50_000
        assert after.repay == before.repay + 50_000
    else:
        assert flagged == []
        assert after.repay == 0


def test_area_8_is_ineligible_unless_it_applies(example_copy: Callable[[str], Path]) -> None:
    folder = example_copy("stockholm")
    with (folder / "data/spend-2025.csv").open("a", encoding="utf-8") as handle:
        handle.write("Farsta,8,10000,Glesbygdsprojekt,särskilt boende\n")
    result = followup_file(folder / "2025.yaml")
    assert result.ineligible == 10_000
    _edit(
        folder / "2025.yaml",
        "  reported_used: 28714265",
        "  reported_used: 28714265\n  area8_applies: true",
    )
    assert followup_file(folder / "2025.yaml").ineligible == 0


def test_check_exits_1_on_ineligible_spend(
    example_copy: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = example_copy("stockholm")
    with (folder / "data/spend-2025.csv").open("a", encoding="utf-8") as handle:
        handle.write(PRESCHOOL)
    code, out, _ = run_cli(capsys, "check", str(folder / "2025.yaml"))
    assert code == 1
    assert "[fel] Bromma: 50 000 kr" in out


SPEND_CASES = [
    (
        "unknown-area",
        "Bromma,1,",
        "Bromma,9,",
        ['kolumn "area"', 'okänt insatsområde "9"', "rad 2"],
    ),
    (
        "unknown-recipient",
        "Bromma,1,",
        "Brumma,1,",
        ['kolumn "recipient"', 'okänd mottagare "Brumma"', "rad 2"],
    ),
    ("negative-amount", "Bromma,1,", "Bromma,1,-", ['kolumn "amount"', "negativt", "rad 2"]),
    ("amount-with-ore", "Bromma,2,", 'Bromma,2,"1,50', ['kolumn "amount"', "ören", "rad 3"]),
    (
        "missing-column",
        "recipient,area,amount",
        "recipient,omrade,amount",
        ['rad 1, kolumn "area"', "saknas"],
    ),
    (
        "unknown-activity-type",
        "Bromma,1,",
        None,
        ['kolumn "activity_type"', 'okänd verksamhetstyp "bowling"', "rad 2"],
    ),
]


@pytest.mark.parametrize(
    ("case", "old", "new", "expected"), SPEND_CASES, ids=[c[0] for c in SPEND_CASES]
)
def test_bad_spend_file(
    case: str,
    old: str,
    new: str | None,
    expected: list[str],
    example_copy: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = example_copy("stockholm")
    spend = folder / "data/spend-2025.csv"
    if new is None:
        lines = spend.read_text(encoding="utf-8").splitlines()
        lines[1] = lines[1].rsplit(",", 1)[0] + ",bowling"
        spend.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif case == "amount-with-ore":
        lines = spend.read_text(encoding="utf-8").splitlines()
        cells = lines[2].split(",")
        lines[2] = ",".join([cells[0], cells[1], '"' + cells[2] + ',50"', *cells[3:]])
        spend.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        _edit(spend, old, new)
    target = folder / "out.json"
    code, out, err = run_cli(capsys, "followup", str(folder / "2025.yaml"), "--json", str(target))
    assert code == 2, (out, err)
    assert "data/spend-2025.csv" in err
    for part in expected:
        assert part in err, (part, err)
    assert "Traceback" not in err
    assert not target.exists()


def test_carry_over_is_followed_up_apart(example_copy: Callable[[str], Path]) -> None:
    folder = example_copy("stockholm")
    before = followup_file(folder / "2025.yaml")
    (carry,) = before.carry_over
    assert (carry.year, carry.amount, carry.allocated, carry.used) == (
        2024,
        10_700_000,
        10_700_000,
        None,
    )
    assert [f.code for f in before.findings if f.code.startswith("carry-over")] == [
        "carry-over-not-followed-up"
    ]
    spend = folder / "data/spend-2025.csv"
    lines = spend.read_text(encoding="utf-8").splitlines()
    lines[0] += ",fund"
    lines = [lines[0], *(line + "," for line in lines[1:])]
    lines.append(
        "Utbildningsförvaltningen,3,300000,Elevhälsans medicinska insatser,elevhälsa,"
        "kvarvarande 2024"
    )
    lines.append("Förskoleförvaltningen,3,120000,Hälsofrämjande arbete,förskola,2024")
    spend.write_text("\n".join(lines) + "\n", encoding="utf-8")
    after = followup_file(folder / "2025.yaml")
    (carry,) = after.carry_over
    assert carry.used == 420_000 and carry.unused == 10_280_000
    assert carry.by_recipient["Utbildningsförvaltningen"] == (350_000, 300_000)
    assert carry.by_recipient["Bromma"] == (800_000, 0)
    # the carry-over never changes the year's figures or its repayment
    assert (after.used, after.rows_used, after.repay, after.ineligible) == (
        before.used,
        before.rows_used,
        before.repay,
        before.ineligible,
    )


def test_unknown_fund_is_located(capsys: pytest.CaptureFixture[str], example_copy) -> None:
    folder = example_copy("stockholm")
    spend = folder / "data/spend-2025.csv"
    lines = spend.read_text(encoding="utf-8").splitlines()
    lines = [
        lines[0] + ",fund",
        *(line + "," for line in lines[1:]),
        "Bromma,1,10,x,särskilt boende,2019",
    ]
    spend.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "followup", str(folder / "2025.yaml"))
    assert code == 2
    assert f'spend-2025.csv, rad {len(lines)}, kolumn "fund": okända medel "2019"' in err


def test_not_requisitioned_counts_those_who_asked_for_nothing(example_copy) -> None:
    """A recipient that asked for nothing but got money from another step still counts."""
    folder = example_copy("stockholm")
    params = folder / "2025.yaml"
    text = params.read_text(encoding="utf-8")
    step = "      - name: Rekvisition stadsdelsförvaltningar\n"
    extra = (
        "      - name: Grundstöd Skarpnäck\n"
        "        kind: fixed\n"
        "        amounts: {Skarpnäck: 100000}\n"
    )
    params.write_text(text.replace(step, extra + step, 1), encoding="utf-8")
    result = followup_file(params)
    assert result.by_recipient["Skarpnäck"].allocated == 100_000
    assert result.not_requisitioned == ["Skarpnäck", "Skärholmen"]


@pytest.mark.parametrize("order", ["json-first", "json-last", "json-stdout"])
def test_followup_json_options_in_any_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, order: str
) -> None:
    params = str(PARAMS / "stockholm/2025.yaml")
    target = tmp_path / "f.json"
    args = {
        "json-first": ["followup", "--json", str(target), params],
        "json-last": ["followup", params, "--json", str(target)],
        "json-stdout": ["followup", "--json", params],
    }[order]
    code, out, err = run_cli(capsys, *args)
    assert code == 0, err
    text = out if order == "json-stdout" else target.read_text(encoding="utf-8")
    assert json.loads(text)["used"] == 28_714_265


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["frobnicate"], "ogiltigt val: 'frobnicate'"),
        (["check"], "följande argument saknas: PARAMS"),
        (["check", "a.yaml", "--frob"], "okända argument: --frob"),
        (["render", "nope", "a.yaml"], "ogiltigt val: 'nope'"),
    ],
)
def test_command_line_errors_are_swedish(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    from gnvtools.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(args)
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert expected in err and "användning: gnv" in err
    for english in ("usage:", "error:", "invalid choice", "required", "unrecognized"):
        assert english not in err


def test_a_closed_pipe_is_not_an_internal_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys; from gnvtools.cli import run; "
        f"sys.argv = ['gnv', 'figures', {str(PARAMS / 'national/2025-kommuner.yaml')!r}]; run()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like "| head -1"
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "internt fel" not in err and "Traceback" not in err


def _with_followup(params: Path, extra: str, rows: str = "") -> None:
    """Add keys under ``followup:`` and rows to the spend file of an example copy."""
    text = params.read_text(encoding="utf-8")
    params.write_text(
        text.replace("  spend: data/spend-2025.csv\n", "  spend: data/spend-2025.csv\n" + extra, 1),
        encoding="utf-8",
    )
    if rows:
        spend = params.parent / "data/spend-2025.csv"
        spend.write_text(spend.read_text(encoding="utf-8") + rows, encoding="utf-8")


def test_a_unit_without_requisition_step_has_no_requisitioned_limit(example_copy) -> None:
    """With a requisitions file, a unit outside every requisition step is not "0 kr
    requisitioned": it gets one finding (above its allocation), not a second one."""
    folder = example_copy("stockholm")
    (folder / "data/req.csv").write_text(
        "recipient,amount\nBromma,1000000\nFarsta,2150000\n", encoding="utf-8"
    )
    _with_followup(
        folder / "2025.yaml",
        "  requisitions: data/req.csv\n",
        "Äldreförvaltningen,6,50000,Samordning,övergripande\n",
    )
    result = followup_file(folder / "2025.yaml")
    assert result.by_recipient["Äldreförvaltningen"].requisitioned is None
    about = [f for f in result.findings if f.message.startswith("Äldreförvaltningen")]
    assert [f.code for f in about] == ["used-above-allocated"]
    assert not any("rekvirerade 0" in f.message for f in result.findings)
    # Bromma asked for less than it was allocated and used more than it asked: one finding,
    # against the lower limit.
    bromma = [f for f in result.findings if f.message.startswith("Bromma")]
    assert [f.code for f in bromma] == ["used-above-requisitioned"]


def test_one_finding_per_cause_for_a_recipient_that_did_not_requisition(example_copy) -> None:
    folder = example_copy("stockholm")
    _with_followup(folder / "2025.yaml", "", "Skarpnäck,2,40000,Bemanning,särskilt boende\n")
    result = followup_file(folder / "2025.yaml")
    about = [f for f in result.findings if f.message.startswith("Skarpnäck")]
    assert len(about) == 1 and about[0].code == "not-requisitioned"
    assert "men har förbrukat 40 000 kr" in about[0].message.replace("\xa0", " ")


def test_findings_on_made_up_rows_say_so_and_only_they() -> None:
    result = followup_file(PARAMS / "stockholm/2025.yaml")
    by_code = {f.code: f for f in result.findings}
    assert by_code["not-requisitioned"].illustrative
    assert by_code["not-requisitioned"].message.endswith("(Bygger på påhittade exempelrader.)")
    # The 83 350 kr is the city's own total against its own per-area figures: not made up,
    # but two of those figures are our reading of an illegible source, and it says so.
    gap = by_code["rows-vs-reported"]
    assert not gap.illustrative and gap.amount == 83_350
    assert "Förbrukningen per insatsområde summerar till 28 630 915 kr" in gap.message.replace(
        "\xa0", " "
    )
    assert "områdena 3 och 6 är svårlästa i underlaget, och skillnaden kan bero på hur de har" in (
        gap.message
    )
    assert "förslaget räknar den redovisade totalen som förbrukad" in gap.message
    assert "påhittade" not in by_code["carry-over-not-followed-up"].message
    assert "kolumnen" not in by_code["carry-over-not-followed-up"].message


def test_reported_use_per_area_is_checked_against_the_rows(example_copy) -> None:
    folder = example_copy("stockholm")
    _with_followup(folder / "2025.yaml", "", "Farsta,1,1000,Extra,särskilt boende\n")
    result = followup_file(folder / "2025.yaml")
    assert result.by_area[1] == 3_148_563  # the city's own figure, not the rows'
    assert result.rows_by_area[1] == 3_149_563
    (finding,) = [f for f in result.findings if f.code == "rows-vs-area"]
    assert finding.amount == -1000 and finding.illustrative
    assert result.repay_if_details == 13_360_525  # if only the per-area figures count


def test_reported_area_outside_the_regime_is_located(
    capsys: pytest.CaptureFixture[str], example_copy
) -> None:
    folder = example_copy("stockholm")
    params = folder / "2025.yaml"
    params.write_text(
        params.read_text(encoding="utf-8").replace("{area: 8, amount: 0}", "{area: 9, amount: 0}"),
        encoding="utf-8",
    )
    code, _, err = run_cli(capsys, "followup", str(params))
    assert code == 2
    assert "2025.yaml" in err and "okänt insatsområde 9" in err and "reported_by_area" in err


def test_findings_say_an_approximate_carry_over_as_the_source_does() -> None:
    result = followup_file(PARAMS / "stockholm/2025.yaml")
    (carry,) = [f for f in result.findings if f.code == "carry-over-not-followed-up"]
    assert "(cirka 10,7 mnkr)" in carry.message.replace("\xa0", " ")
    (repay,) = [f for f in result.findings if f.code == "repayment"]
    assert repay.message.replace("\xa0", " ") == (
        "Till Socialstyrelsen ska 13 277 175 kr betalas tillbaka (13 360 525 kr om i stället "
        "beloppen per insatsområde räknas som förbrukade)."
    )


def test_requisitioned_limit_counts_money_from_other_steps(example_copy) -> None:
    """Bromma gets 100 000 kr fixed besides its requisition step; the requisitions file says it
    requisitioned 1 000 000 kr: it may use 1 100 000 kr, and one finding says by how much it
    used more."""
    folder = example_copy("stockholm")
    params = folder / "2025.yaml"
    step = "      - name: Rekvisition stadsdelsförvaltningar\n"
    extra = "      - name: Grundstöd\n        kind: fixed\n        amounts: {Bromma: 100000}\n"
    params.write_text(
        params.read_text(encoding="utf-8").replace(step, extra + step, 1), encoding="utf-8"
    )
    (folder / "data/req.csv").write_text(
        "recipient,amount\nBromma,1000000\nFarsta,2150000\n", encoding="utf-8"
    )
    _with_followup(params, "  requisitions: data/req.csv\n")
    result = followup_file(params)
    bromma = result.by_recipient["Bromma"]
    assert (bromma.allocated, bromma.granted, bromma.limit) == (3_100_000, 3_000_000, 1_100_000)
    (finding,) = [f for f in result.findings if f.message.startswith("Bromma")]
    assert finding.code == "used-above-requisitioned"
    assert finding.amount == bromma.used - 1_100_000
    assert "rekvirerade 1 000 000 kr och 100 000 kr från andra steg" in finding.message.replace(
        "\xa0", " "
    )
    farsta = [f for f in result.findings if f.message.startswith("Farsta")]
    assert farsta == []  # requisitioned what it was granted, used less
