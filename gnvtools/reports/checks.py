"""``gnv check``: every check that applies to a parameter file, in one list of findings."""

from __future__ import annotations

from pathlib import Path

from gnvtools.core.figures import Catalogue
from gnvtools.core.followup import followup
from gnvtools.core.model import build_plan
from gnvtools.core.params import is_comparison
from gnvtools.core.reconciliation import Finding, sort_findings
from gnvtools.core.todo import open_todos
from gnvtools.errors import InputError
from gnvtools.reports.comparison import Comparison
from gnvtools.reports.followup_report import FollowupReport
from gnvtools.reports.memo import AllocationMemo


def check_file(path: Path) -> list[Finding]:
    """Validate a year's parameter file and its data; run the allocation, follow-up and checks."""
    plan = build_plan(path)
    memo = AllocationMemo.from_plan(plan, path)  # also validates the text file's placeholders
    findings = list(memo.findings)
    if plan.params.followup is not None:
        findings += followup(plan, memo.allocation).findings
    files = [(plan.file.path, plan.file.shown)]
    if memo.texts is not None:
        files.append((memo.texts.path, memo.texts.shown))
    findings += still_to_do(files)
    return sort_findings(findings)


def still_to_do(files: list[tuple[Path, str]]) -> list[Finding]:
    """Every open ``ATT GÖRA`` marker (left by gnv init) as a warning naming its file and
    line; in a parameter file a marker beside a filled-in value is closed (``core.todo``)."""
    findings = []
    for path, shown in files:
        text = path.read_text(encoding="utf-8-sig")
        for number, what in open_todos(text, yaml_file=path.suffix in (".yaml", ".yml")):
            findings.append(
                Finding("warning", "todo", f"Att göra i {shown}, rad {number}: {what}", None)
            )
    return findings


#: The reports ``gnv figures --report`` knows, as ``gnv render`` names them.
REPORTS = ("allocation-memo", "year-end-followup", "multi-year")


def figures_file(path: Path, report: str | None = None) -> Catalogue:
    """``gnv figures``: exactly the names ``report``'s texts accept, with their figures.

    The default is the allocation memo for a year file and the multi-year report for a
    comparison file. The memo is a decision document: its catalogue holds no year-end figure
    (``forbrukat`` is listed only for ``year-end-followup``), and it is the very catalogue
    ``gnv check`` validates the memo's text file and decision items against.
    """
    comparison = is_comparison(path)
    report = report or ("multi-year" if comparison else "allocation-memo")
    if report not in REPORTS:
        raise InputError(f'okänd rapport "{report}"; välj {", ".join(REPORTS)}', file=path)
    if comparison != (report == "multi-year"):
        what = "en jämförelsefil" if comparison else "en årsfil"
        raise InputError(f"rapporten {report} gäller inte {what}", file=path)
    if report == "multi-year":
        return Comparison.load(path).figures
    plan = build_plan(path)
    if report == "year-end-followup":
        return FollowupReport.from_plan(plan, path).figures
    return AllocationMemo.from_plan(plan, path).figures
