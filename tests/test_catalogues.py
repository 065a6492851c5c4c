"""A catalogue for every report: stages, derivations, the names texts accept, verify by name."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from gnvtools.core.figures import STAGES, Catalogue
from gnvtools.core.formatting import plain
from gnvtools.core.params import is_comparison, load_comparison, load_params
from gnvtools.errors import InputError
from gnvtools.reports.checks import figures_file
from gnvtools.reports.texts import check_text, read_texts

from .conftest import PARAMS, run_cli

YEAR_FILES = sorted(p for p in PARAMS.glob("*/*.yaml") if "mapping" not in p.name)


def _declared(path: Path) -> list[str]:
    """The reports a parameter file declares, and the default of ``gnv figures`` for it."""
    if is_comparison(path):
        return list(dict.fromkeys(["multi-year", *load_comparison(path).reports]))
    return list(dict.fromkeys(["allocation-memo", *load_params(path).reports]))


CASES = [(path, report) for path in YEAR_FILES for report in _declared(path)]
IDS = [f"{p.parent.name}/{p.name}:{r}" for p, r in CASES]


# --- the catalogue's own rules -------------------------------------------------------------


def test_stage_and_illustrative_are_derived() -> None:
    cat = Catalogue()
    cat.add("mottaget", 1_000, "kr", "mottaget", stage="underlag")
    cat.add("rader", 600, "kr", "raderna", stage="uppföljning", made_up=True)
    cat.add("forbrukat", 600, "kr", "förbrukat", derived_from=["rader"])
    cat.add("outnyttjat", 400, "kr", "outnyttjat", derived_from=["mottaget", "forbrukat"])
    assert cat["outnyttjat"].stage == "uppföljning"  # as late as its latest input
    assert cat["outnyttjat"].illustrative is True  # an input rests on made-up rows
    assert cat["mottaget"].illustrative is False
    assert list(cat.up_to("rekvisition")) == ["mottaget"]
    assert cat["outnyttjat"].as_json() == {
        "name": "outnyttjat",
        "value": 400,
        "text": "400\u00a0kr",
        "kind": "kr",
        "label": "outnyttjat",
        "illustrative": True,
        "stage": "uppföljning",
        "derived_from": ["mottaget", "forbrukat"],
        "precision": "exakt",
        "sources": [],
        "places": 0,
    }
    with pytest.raises(ValueError, match="not in the catalogue"):
        cat.add("x", 1, "kr", "x", derived_from=["finns_inte"])


@pytest.mark.parametrize(("path", "report"), CASES, ids=IDS)
def test_every_figure_knows_its_stage_and_inputs(path: Path, report: str) -> None:
    cat = figures_file(path, report)
    assert cat, "a report without figures"
    for figure in cat.values():
        assert figure.stage in STAGES
        for name in figure.derived_from:
            source = cat[name]  # every input is itself in the catalogue
            assert STAGES.index(source.stage) <= STAGES.index(figure.stage), figure.name
            assert figure.illustrative or not source.illustrative, figure.name
        if figure.kind == "kr":
            assert type(figure.value) is int, figure.name
        if figure.kind == "andel":
            assert isinstance(figure.value, Fraction), figure.name
    if report == "allocation-memo":
        late = [f.name for f in cat.values() if f.stage in ("rekvisition", "uppföljning")]
        assert late == [], "the memo is a decision document"


def test_stockholm_2025_by_hand() -> None:
    """The follow-up figures recomputed from the inputs as docs/parameters.md says."""
    cat = figures_file(PARAMS / "stockholm/2025.yaml", "year-end-followup")
    rows = (PARAMS / "stockholm/data/spend-2025.csv").read_text("utf-8").splitlines()[1:]
    amounts = [int(line.split(",")[2]) for line in rows if line.strip()]
    assert cat.value("forbrukat_enligt_rader") == sum(amounts) == 28_630_915
    assert cat.value("redovisat_forbrukat") == cat.value("forbrukat") == 28_714_265
    assert cat.value("outnyttjat") == 41_991_440 - 28_714_265
    assert cat.value("nyttjandegrad") == Fraction(28_714_265, 41_991_440)
    assert cat.value("att_betala_tillbaka") == 13_277_175
    assert cat["forbrukat"].derived_from == ("redovisat_forbrukat",)
    assert cat["forbrukat"].illustrative is False  # the reported total is the city's own
    assert cat["forbrukat_enligt_rader"].illustrative is True  # the rows are made up
    assert cat["mottaget"].stage == "underlag"
    assert cat["rekvirerat"].stage == "rekvisition"
    assert cat.value("fordelat_statsbidrag") == cat.value("medel_statsbidrag_2025_fordelat")
    assert cat.value("kvarvarande_totalt") == 10_700_000


def test_multi_year_names() -> None:
    cat = figures_file(PARAMS / "stockholm/comparison-2023-2025.yaml")
    assert cat.value("ar_2025_mottaget") == 41_991_440
    assert cat.value("ar_2025_forbrukat") == 28_714_265
    assert cat.value("ar_2024_outnyttjat") == 10_700_000
    assert "ar_2024_forbrukat" not in cat  # not stated: absent, never 0
    assert cat["ar_2025_outnyttjat"].derived_from == ("ar_2025_mottaget", "ar_2025_forbrukat")
    # The sum rows (ar_<year>_<kind>_summa) are the sums the tables show.
    groups = [n for n in cat if n.startswith("ar_2025_grupp_") and not n.endswith("kvarvarande")]
    groups.remove("ar_2025_grupp_summa")
    assert sum(cat.amount(n) for n in groups) == cat.value("ar_2025_fordelat_statsbidrag")
    assert cat.value("ar_2025_grupp_summa") == cat.value("ar_2025_fordelat_statsbidrag")
    areas = [n for n in cat if n.startswith("ar_2025_omrade_") and n != "ar_2025_omrade_summa"]
    assert sum(cat.amount(n) for n in areas) == cat.value("ar_2025_forbrukat")
    assert cat.value("ar_2025_omrade_summa") == cat.value("ar_2025_forbrukat")


# --- gnv figures lists exactly what the texts accept -------------------------------------------


def _report_catalogue(path: Path, report: str) -> list[str]:
    """The names the report itself displays (what its manifest records), recomputed."""
    from gnvtools.publish.manifest import report_figures
    from gnvtools.publish.recompute import recompute

    shown = recompute(report, path)

    class _Notebook:
        cells = shown.cells

    return [f["name"] for f in report_figures(_Notebook())]


@pytest.mark.parametrize(("path", "report"), CASES, ids=IDS)
def test_figures_lists_exactly_the_accepted_names(
    path: Path, report: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["figures", str(path), "--json", "--report", report]
    code, out, err = run_cli(capsys, *args)
    assert code == 0, err
    listed = [f["name"] for f in json.loads(out)]
    assert listed == _report_catalogue(path, report)  # the report shows what gnv figures lists
    catalogue = figures_file(path, report)
    every = set(catalogue)
    for other in [*_declared(path), "year-end-followup"]:
        if other != report and (other != "year-end-followup" or _has_followup(path)):
            every |= set(figures_file(path, other))
    text = tmp_path / "prov.md"
    text.write_text("## Ärendet\n\n" + "\n".join(f"{{{{ {n} }}}}" for n in listed) + "\n", "utf-8")
    check_text(read_texts(text, text.name, ["Ärendet"]), catalogue)  # all accepted
    for name in sorted(every - set(listed)):
        text.write_text(f"## Ärendet\n\n{{{{ {name} }}}}\n", "utf-8")
        with pytest.raises(InputError, match=name):
            check_text(read_texts(text, text.name, ["Ärendet"]), catalogue)


def _has_followup(path: Path) -> bool:
    return not is_comparison(path) and load_params(path).followup is not None


@pytest.mark.parametrize("org", ["stockholm", "jamtland"])
def test_gnv_check_accepts_every_listed_memo_name(
    org: str, example_copy: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = example_copy(org)
    params = folder / "2025.yaml"
    code, out, _ = run_cli(capsys, "figures", str(params), "--json")
    assert code == 0
    listed = [f["name"] for f in json.loads(out)]
    text = folder / "texter/2025.md"
    original = text.read_text("utf-8")
    text.write_text(original + "\n" + " ".join(f"{{{{ {n} }}}}" for n in listed) + "\n", "utf-8")
    code, _, err = run_cli(capsys, "check", str(params))
    assert code in (0, 1), err  # findings, but no refused placeholder
    if org == "stockholm":
        text.write_text(original + "\n{{ forbrukat }}\n", "utf-8")
        code, _, err = run_cli(capsys, "check", str(params))
        assert code == 2 and '"forbrukat"' in err  # a year-end figure: not in a decision


def test_a_report_that_does_not_fit_the_file_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(
        capsys, "figures", str(PARAMS / "stockholm/2025.yaml"), "--report", "multi-year"
    )
    assert code == 2 and "gäller inte en årsfil" in err
    code, _, err = run_cli(
        capsys, "figures", str(PARAMS / "jamtland/2025.yaml"), "--report", "year-end-followup"
    )
    assert code == 2 and "uppföljning" in err


# --- manifests and verify, by name ---------------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("kernel")
def test_verify_names_changed_followup_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gnvtools.cli import main

    project = tmp_path / "project"
    shutil.copytree(PARAMS / "stockholm", project / "parameters/stockholm")
    out = project / "outputs/stockholm"
    params = project / "parameters/stockholm/2025.yaml"
    for report, file in (
        ("year-end-followup", params),
        ("multi-year", project / "parameters/stockholm/comparison-2023-2025.yaml"),
    ):
        assert main(["render", report, str(file), "--to", "html", "--out", str(out / report)]) == 0
    manifest = json.loads((out / "multi-year/multi-year.manifest.json").read_text("utf-8"))
    names = {f["name"]: f for f in manifest["figures"]}
    assert names["ar_2025_forbrukat"]["value"] == 28_714_265
    assert names["ar_2025_forbrukat"]["stage"] == "uppföljning"
    followup = json.loads(
        (out / "year-end-followup/year-end-followup.manifest.json").read_text("utf-8")
    )
    assert {"forbrukat", "outnyttjat", "forbrukat_omrade_2"} <= {
        f["name"] for f in followup["figures"]
    }
    bundle = tmp_path / "stockholm.zip"
    assert main(["bundle", str(out / "year-end-followup"), "--out", str(bundle)]) == 0
    edited = tmp_path / "edited.zip"
    spend = "underlag/parameters/stockholm/data/spend-2025.csv"
    row = "Bromma,2,651096,"
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(edited, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == spend:
                text = data.decode("utf-8")
                assert row in text
                data = text.replace(row, "Bromma,2,661096,", 1).encode("utf-8")
            zout.writestr(item, data)
    code, text, _ = run_cli(capsys, "verify", str(edited))
    assert code == 1
    assert "(forbrukat_enligt_rader): 28 630 915 kr i bygget, 28 640 915 kr nu" in text
    assert "(forbrukat_omrade_2):" not in text  # the city's own per-area figure, not the rows
    assert "(mottagare_bromma_forbrukat):" in text
    assert "(forbrukat):" not in text  # the reported total, not the rows, is the year's use


def test_precision_is_derived_like_stage() -> None:
    """An approximate input ("cirka 10,7 mnkr") makes every figure computed from it approximate;
    an uncertain reading says so; an exact figure is printed to the krona."""
    cat = Catalogue()
    cat.add("kvar", 10_700_000, "kr", "kvar", stage="underlag", precision="cirka")
    cat.add("fast", 10_000_000, "kr", "fast")
    cat.add("rest", 700_000, "kr", "rest", derived_from=["kvar", "fast"])
    cat.add("last", 4_150_000, "kr", "läst", stage="uppföljning", precision="osäker")
    cat.add("diff", 83_350, "kr", "skillnad", derived_from=["last", "rest"])
    assert [cat[n].precision for n in ("kvar", "fast", "rest", "last", "diff")] == [
        "cirka",
        "exakt",
        "cirka",
        "osäker",
        "osäker",
    ]
    assert plain(cat.text("kvar")) == "cirka 10,7 mnkr"
    assert plain(cat.text("rest")) == "cirka 0,7 mnkr"
    assert plain(cat.text("fast")) == "10 000 000 kr"
    assert plain(cat.text("last")) == "4 150 000 kr (osäker avläsning)"
    assert plain(cat["kvar"].formatted("kr")) == "cirka 10,7 mnkr"  # never to the krona
    assert plain(cat["fast"].formatted("mnkr")) == "10 mnkr"
    assert cat["diff"].as_json()["precision"] == "osäker"


def test_a_count_a_zero_and_a_decided_amount_are_never_approximate() -> None:
    """Out of "cirka 10,3 mnkr" a count, 0 kr and what the decision sets for a recipient are
    exact; what is worked out from the approximate amount stays approximate."""
    cat = Catalogue()
    cat.add("pott", 10_300_000, "kr", "pott", precision="cirka")
    cat.add("antal", 11, "antal", "mottagare", derived_from=["pott"])
    cat.add("aterstar", 0, "kr", "återstår", derived_from=["pott"])
    cat.add("rad", 441_114, "kr", "till en utförare", derived_from=["pott"], decided=True)
    cat.add("rest", 180_000, "kr", "det som blir kvar", derived_from=["pott"])
    cat.add("last", 4_150_000, "kr", "läst", precision="osäker")
    cat.add("lasrad", 415_000, "kr", "rad ur läst", derived_from=["last"], decided=True)
    assert [cat[n].precision for n in ("antal", "aterstar", "rad", "rest", "lasrad")] == [
        "exakt",
        "exakt",
        "exakt",
        "cirka",
        "osäker",
    ]
    assert plain(cat.text("aterstar")) == "0 kr"
    assert plain(cat.text("rad")) == "441 114 kr"


@pytest.mark.parametrize(("path", "report"), CASES, ids=IDS)
def test_no_count_and_no_zero_is_approximate(path: Path, report: str) -> None:
    cat = figures_file(path, report)
    rough = [f.name for f in cat.values() if f.precision == "cirka"]
    assert [n for n in rough if cat[n].kind == "antal"] == []
    assert [n for n in rough if cat[n].value == 0] == []


def test_stockholm_2023_amounts_the_decision_sets_are_exact() -> None:
    """The pots of areas 2 and 3 are "cirka 10,3/5,2 mnkr"; the ceiling, the split by places and
    each recipient's amount are set by the decision and printed to the krona."""
    cat = figures_file(PARAMS / "stockholm/2023.yaml", "year-end-followup")
    goda = "medel_goda_forutsattningar_for_vardens_medarbetare"
    vidare = "medel_vidareutbildning_sjukskoterskor"
    exact = {
        f"{vidare}_steg_3_tak": "1 800 000 kr",
        f"{goda}_steg_1_mottagare_socialpsykiatriskt_boende_egen_regi": "441 114 kr",
        f"{goda}_steg_1_mottagare_lss_boende_privat_regi": "397 002 kr",
        "mottagare_socialpsykiatriskt_boende_egen_regi": "441 114 kr",
        "mottagare_aldreforvaltningen": "6 480 000 kr",
        "antal_mottagare": "25",
        f"{goda}_steg_1_antal_mottagare": "11",
    }
    assert {name: plain(cat.text(name)) for name in exact} == exact
    memo = figures_file(PARAMS / "stockholm/2023.yaml", "allocation-memo")
    assert plain(memo.text(f"mottagare_lss_boende_privat_regi_{goda[6:]}_vid_beslut")) == (
        "397 002 kr"
    )
    # What is worked out from an approximate pot stays approximate: its remainder, the year's.
    assert plain(cat.text(f"{vidare}_steg_4")) == "cirka 0,2 mnkr"
    assert plain(cat.text("outnyttjat")).startswith("cirka")


def test_the_checks_amounts_are_figures_named_in_the_table() -> None:
    """Each amount in a report's "Kontroller" table is its finding's figure
    ``kontroll_<code>_<k>``: the k-th finding of that code with an amount."""
    from gnvtools.reports.followup_report import FollowupReport
    from gnvtools.reports.table_cells import findings_table

    report = FollowupReport.load(PARAMS / "stockholm/2023.yaml")
    findings = report.result.findings
    table = findings_table(findings, report.figures)
    with_amount = [n for n, f in enumerate(findings, start=1) if f.amount is not None]
    assert with_amount
    per_code: dict[str, int] = {}
    for finding, row, names in zip(findings, table.rows, table.cells, strict=True):
        if finding.amount is None:
            assert row[2] is None and names[2] == ""
            continue
        per_code[finding.code] = per_code.get(finding.code, 0) + 1
        expected = f"kontroll_{finding.code.replace('-', '_')}_{per_code[finding.code]}"
        figure = report.figures[names[2]]
        assert names[2] == expected and figure.value == finding.amount == row[2]
        assert finding.code in figure.label
        assert figure.illustrative == finding.illustrative
    # Another list than the one the catalogue was built from is refused, not shown unnamed.
    last = findings[with_amount[-1] - 1]
    with pytest.raises(ValueError, match=r"kontroll_\w+ is not the amount of finding"):
        findings_table([last, *findings], report.figures)


def test_a_finding_of_another_kind_renames_no_other_check() -> None:
    """Two builds whose findings differ by one of another code name the rest alike, so that
    ``gnv verify`` compares each finding with itself."""
    from gnvtools.core.finding_figures import finding_names
    from gnvtools.core.reconciliation import Finding

    a = Finding("warning", "rows-vs-area", "a", 4)
    b = Finding("warning", "rows-vs-area", "b", 7)
    new = Finding("error", "sum-mismatch", "ny", 3)
    without = finding_names([a, Finding("info", "note", "text"), b])
    with_new = finding_names([new, a, b])
    assert without == ["kontroll_rows_vs_area_1", "", "kontroll_rows_vs_area_2"]
    assert with_new == ["kontroll_sum_mismatch_1", *[n for n in without if n]]


def test_a_year_without_a_file_names_the_comparison_file_as_its_source() -> None:
    from gnvtools.reports.comparison import Comparison

    path = PARAMS / "stockholm/comparison-2023-2025.yaml"
    comparison = Comparison.load(path)
    index = [y.year for y in load_comparison(path).years].index(2024)
    (cell,) = comparison.figures["ar_2024_outnyttjat"].sources
    assert cell.as_json()["key"] == f"years[{index}].unused_at_year_end"
    assert Path(cell.as_json()["file"]).name == path.name


def test_a_recipients_amount_at_the_decision_says_what_a_requisition_counts(
    example_copy: Callable[[str], Path],
) -> None:
    """At its ceilings while the requests come later; at its grants with ``stage: beslut``."""
    from gnvtools.reports.memo import AllocationMemo

    folder = example_copy("stockholm")
    params = folder / "2025.yaml"
    name = "mottagare_bromma_statsbidrag_2025_vid_beslut"
    assert AllocationMemo.load(params).figures[name].label.endswith("(rekvisition: taket)")
    text = params.read_text(encoding="utf-8")
    marker = "        requests: data/requests-2025.csv\n"
    params.write_text(text.replace(marker, marker + "        stage: beslut\n"), encoding="utf-8")
    label = AllocationMemo.load(params).figures[name].label
    assert label.endswith("(rekvisition: det beviljade beloppet)")
