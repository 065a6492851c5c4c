"""``gnv check``: every check that applies to a parameter file, in one list of findings."""

from __future__ import annotations

from pathlib import Path

from gnvtools.core.figures import Catalogue, followup_figures
from gnvtools.core.followup import followup
from gnvtools.core.model import build_plan
from gnvtools.core.reconciliation import Finding, sort_findings
from gnvtools.project.init import TODO
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
    """Every ``ATT GÖRA`` marker (left by gnv init) as a warning naming its file and line."""
    findings = []
    for path, shown in files:
        for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            if TODO in line:
                text = line.split(TODO, 1)[1].lstrip(": ").split('"')[0].strip()
                findings.append(
                    Finding("warning", "todo", f"Att göra i {shown}, rad {number}: {text}", None)
                )
    return findings


def figures_file(path: Path) -> Catalogue:
    """``gnv figures``: the catalogue a year's reports and texts can use."""
    plan = build_plan(path)
    memo = AllocationMemo.from_plan(plan, path)
    catalogue = memo.figures
    if plan.params.followup is not None:
        followup_figures(followup(plan, memo.allocation), catalogue)
    return catalogue
