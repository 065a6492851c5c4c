"""Every message a user reads is Swedish and precise: no English text from pydantic, YAML or
argparse leaks through, a where value is told the type it really needs, a year-end figure in
the memo's text is told to exist only in the follow-up, and ``gnv check`` checks a comparison
file as one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import PARAMS, run_cli

BASE = """\
organisation: {name: Exempelby kommun, type: kommun}
year: 2025
regime: sfs-2024-1253
title: Fördelning 2025
received: {total: 2000}
texts: texter/2025.md
recipients:
  - {group: providers, label: Utförare, file: data/providers.csv, illustrative: true}
pots:
  - name: Statsbidrag 2025
    steps:
      - name: Utförare som ansökt
        kind: each
        amount: 1000
        recipients:
          group: providers
          where:
            - {column: applied, op: "==", value: 1}
            - {column: placed_by_city, op: ">=", value: 0.8}
"""
TEXT = "## Sammanfattning\n\nStaden fick {{ mottaget }}.\n"

#: English words of pydantic's, YAML's and argparse's own messages.
ENGLISH = re.compile(
    r" or |expected|Input should|field required|value is not|not a valid|invalid|"
    r"\berror\b|\busage\b|while parsing|could not",
    re.I,
)


def _folder(tmp_path: Path, params: str = BASE, text: str = TEXT) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "texter").mkdir()
    (tmp_path / "data/providers.csv").write_text(
        "name,applied,placed_by_city\nAlfa,1,0.9\nBeta,ja,80 %\n", encoding="utf-8"
    )
    (tmp_path / "texter/2025.md").write_text(text, encoding="utf-8")
    path = tmp_path / "2025.yaml"
    path.write_text(params, encoding="utf-8")
    return path


def _refused(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    code, out, err = run_cli(capsys, "check", str(path))
    assert code == 2, (out, err)
    assert "Traceback" not in err
    return err


def test_the_base_file_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "check", str(_folder(tmp_path)))
    assert code == 0, err


def test_a_where_operator_lists_the_allowed_ones_in_swedish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(capsys, _folder(tmp_path, BASE.replace('op: "=="', 'op: "="')))
    assert "rad 18" in err and "pots.0.steps.0.recipients.where.0.op" in err
    assert "tillåtna: '>=', '>', '<=', '<', '==' eller '!='" in err
    assert '(fick "=")' in err and " or " not in err


def test_a_where_value_ja_is_told_a_number_is_expected_and_to_write_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(capsys, _folder(tmp_path, BASE.replace("value: 1}", "value: ja}")))
    assert "where.0.value" in err and "rad 18" in err
    assert "förväntade ett tal (ett heltal eller ett decimaltal som 0.8)" in err
    assert "1 för ja" in err
    assert "heltal (fick" not in err and "true eller false" not in err


def test_a_where_value_with_a_decimal_comma_is_told_to_write_a_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(capsys, _folder(tmp_path, BASE.replace("value: 0.8}", 'value: "0,8"}')))
    assert "where.1.value" in err and "förväntade ett tal" in err
    assert "decimaltecknet som punkt" in err and "hela kronor" not in err


def test_a_decimal_comma_inside_braces_is_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``{…, value: 0,8}``: the comma ends the value, and 8 becomes a key of its own."""
    err = _refused(capsys, _folder(tmp_path, BASE.replace("value: 0.8}", "value: 0,8}")))
    assert "rad 19" in err and "where.1" in err
    assert "nyckeln 8 är ett tal" in err and "skriv decimaltal med punkt (0.8)" in err


def test_yes_where_true_or_false_is_expected_still_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(
        capsys, _folder(tmp_path, BASE.replace("illustrative: true", "illustrative: ja"))
    )
    assert "förväntade true eller false" in err and "skriv true eller false" in err


def test_yes_as_an_amount_gets_no_true_or_false_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(capsys, _folder(tmp_path, BASE.replace("total: 2000", "total: ja")))
    assert 'received.total": förväntade ett heltal (fick "ja")' in err
    assert "true eller false" not in err


def test_a_step_amount_that_is_neither_kronor_nor_rest_says_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    step = "      - {name: Nyckel, kind: key, amount: alla, recipients: {group: providers}, "
    params = BASE.split("      - name: Utförare")[0] + step + "key: {applied: 1}}\n"
    err = _refused(capsys, _folder(tmp_path, params))
    assert 'rad 12, nyckel "pots.0.steps.0.amount": ' in err  # no pydantic member in the path
    assert "förväntade ett heltal (hela kronor) eller 'rest' (fick \"alla\")" in err


def test_a_year_end_figure_in_the_memo_text_is_told_to_exist_only_in_the_followup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = TEXT + "\nFörbrukat per område: {{ forbrukat_omrade_1 }}.\n"
    err = _refused(capsys, _folder(tmp_path, text=text))
    assert 'texter/2025.md, rad 5: okänd siffra "forbrukat_omrade_1"' in err
    assert "finns först i årsuppföljningen" in err
    assert "--report year-end-followup" in err
    assert "siffran" not in err


def test_a_misspelt_figure_gets_the_nearest_names_not_the_followup_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(capsys, _folder(tmp_path, text=TEXT.replace("mottaget", "mottagt")))
    assert 'okänd siffra "mottagt"' in err and "närmast: mottaget" in err
    assert "årsuppföljningen" not in err


def test_the_followup_names_are_listed_from_its_builder() -> None:
    from gnvtools.reports.later_figures import in_followup

    assert in_followup("forbrukat") and in_followup("att_betala_tillbaka")
    assert in_followup("forbrukat_omrade_8") and in_followup("mottagare_aby_forbrukat")
    assert in_followup("kvarvarande_2024_outnyttjat")
    assert not in_followup("medel_statsbidrag_2025_steg_1") and not in_followup("forbrukad")


BAD = [
    ("where-op", 'op: "=="', 'op: "=~"'),
    ("where-value", "value: 1}", 'value: "ett"}'),
    ("kind", "kind: each", "kind: lika"),
    ("kind-missing", "kind: each\n", "\n"),
    ("type", "type: kommun", "type: stad"),
    ("regime", "regime: sfs-2024-1253", "regime: sfs-2024"),
    ("bool", "illustrative: true", "illustrative: kanske"),
    ("list", "received: {total: 2000}", "received: {total: 2000}\nbudget: 5"),
    ("mapping", "received: {total: 2000}", "received: 2000"),
    ("missing", "title: Fördelning 2025\n", ""),
    ("extra", "year: 2025", "year: 2025\nyaer: 2025"),
    ("yaml", "amount: 1000", "amount: [1000"),
    ("tag", "amount: 1000", "amount: !!float 1000"),
    ("date", "title: Fördelning 2025", "title: Fördelning 2025\nmemo: {date: 2025-13-40}"),
]


@pytest.mark.parametrize(("name", "old", "new"), BAD, ids=[b[0] for b in BAD])
def test_no_english_reaches_a_message(
    name: str, old: str, new: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert old in BASE
    err = _refused(capsys, _folder(tmp_path, BASE.replace(old, new, 1)))
    assert err.startswith("fel: ") and "2025.yaml" in err
    assert not ENGLISH.search(err.removeprefix("fel: ")), err


@pytest.mark.parametrize(
    "args",
    [["check"], ["figures", "x.yaml", "--report", "foo"], ["nosuch"], ["check", "--json"]],
)
def test_no_english_in_the_command_lines_own_messages(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        run_cli(capsys, *args)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "användning: gnv" in err and "fel:" in err
    assert not ENGLISH.search(err.replace("[-h]", "")), err


def test_check_on_a_comparison_file_checks_it_and_its_years(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_cli(capsys, "check", str(PARAMS / "stockholm/comparison-2023-2025.yaml"))
    assert code == 0, err
    assert "years" not in err and "okänd nyckel" not in err
    assert "För 2024 finns ingen parameterfil" in out  # the comparison's own finding
    assert "2025: " in out  # each year file's findings, named by year


def test_check_on_a_comparison_file_names_a_broken_year_file(
    example_copy, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = example_copy("stockholm")
    path = folder / "2023.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2023", "yeer: 2023"), "utf-8")
    code, _out, err = run_cli(capsys, "check", str(folder / "comparison-2023-2025.yaml"))
    assert code == 2
    assert "2023.yaml" in err and 'okänd nyckel "yeer" (menar du year?)' in err


DATA = [
    ("garbage-xlsx", "providers.xlsx", b"not a zip at all"),
    ("empty-csv", "providers.csv", b""),
    ("control-csv", "providers.csv", b"\x00name,applied,placed_by_city\n"),
    ("quote-csv", "providers.csv", b'name,applied,placed_by_city\n"Alfa,1,0.9\n'),
    ("utf16-no-bom", "providers.csv", "name,applied\nÅsa,1\n".encode("utf-16-le")),
]


@pytest.mark.parametrize(("name", "file", "content"), DATA, ids=[d[0] for d in DATA])
def test_no_english_reaches_a_message_about_a_data_file(
    name: str, file: str, content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _folder(tmp_path, BASE.replace("providers.csv", file))
    (tmp_path / "data" / file).write_bytes(content)
    err = _refused(capsys, path)
    assert f"data/{file}" in err
    assert not ENGLISH.search(err.split(f"data/{file}", 1)[1]), err


REQUISITION = """\
organisation: {name: Exempelby kommun, type: kommun}
year: 2025
regime: sfs-2024-1253
title: Fördelning 2025
received: {total: 1000}
texts: texter/2025.md
recipients:
  - {group: providers, label: Utförare, file: data/providers.csv}
pots:
  - name: Statsbidrag 2025
    steps:
      - name: Rekvisition
        kind: requisition
        amount: rest
        recipients: {group: providers}
        key: {applied: 1}
        requests: data/requests.csv
"""


@pytest.mark.parametrize(
    "name", ["medel_statsbidrag_2025_steg_1_begart", "medel_statsbidrag_2025_steg_1"]
)
def test_a_requisition_outcome_in_the_memo_text_is_told_it_comes_after_the_decision(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _folder(tmp_path, REQUISITION, TEXT + f"\nBegärt: {{{{ {name} }}}}.\n")
    (tmp_path / "data/requests.csv").write_text("recipient,amount\nAlfa,100\n", encoding="utf-8")
    err = _refused(capsys, path)
    assert f'texter/2025.md, rad 5: okänd siffra "{name}"' in err
    assert "efter beslutet" in err and "medel_statsbidrag_2025_steg_1_tak" in err
    assert "stage: beslut" in err and "årsuppföljningen" not in err
    (tmp_path / "ok").mkdir()
    ok = _folder(tmp_path / "ok", REQUISITION, TEXT + "\n{{ medel_statsbidrag_2025_steg_1_tak }}\n")
    (tmp_path / "ok/data/requests.csv").write_text("recipient,amount\nAlfa,100\n", "utf-8")
    assert run_cli(capsys, "check", str(ok))[0] == 0


def test_check_on_a_mapping_file_names_the_comparison_file_to_check(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _out, err = run_cli(capsys, "check", str(PARAMS / "stockholm/comparison-mapping.yaml"))
    assert code == 2
    assert "comparison-mapping.yaml: filen är en jämförelses mappningsfil" in err
    assert f"gnv check {PARAMS / 'stockholm/comparison-2023-2025.yaml'}" in err
    assert "okänd nyckel" not in err


def test_check_json_on_a_comparison_file_follows_the_check_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    import jsonschema

    from gnvtools.project.schema import load

    code, out, _err = run_cli(
        capsys, "check", "--json", str(PARAMS / "stockholm/comparison-2023-2025.yaml")
    )
    assert code == 0
    found = json.loads(out)
    jsonschema.Draft202012Validator(load("check")).validate(found)
    assert {f["code"] for f in found} >= {"year-partial"}


def test_every_year_end_figure_of_a_real_followup_is_known_as_one() -> None:
    """The hint follows the builders, whatever helper adds a figure: every figure of the
    Stockholm 2023 follow-up known only at the year end is listed as a follow-up figure, and a
    recipient's share of a requisition's outcome is told to come after the decision."""
    from gnvtools.reports.followup_report import FollowupReport
    from gnvtools.reports.later_figures import in_followup, later_reason
    from gnvtools.reports.memo import AllocationMemo

    params = PARAMS / "stockholm" / "2023.yaml"
    figures = FollowupReport.load(params).figures
    memo = set(AllocationMemo.load(params).figures)
    year_end = [
        n
        for n in figures
        if figures[n].stage == "uppföljning" and n not in memo and not n.startswith("kontroll_")
    ]  # a check's amount (``kontroll_…``) is named by what the data gives, in either document
    assert year_end and [name for name in year_end if not in_followup(name)] == []
    share = "medel_vidareutbildning_sjukskoterskor_steg_3_mottagare_bromma"
    assert share in figures and share not in memo
    assert "efter beslutet" in (later_reason(share, memo) or "")
