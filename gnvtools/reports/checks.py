"""``gnv check``: every check that applies to a parameter file, in one list of findings."""

from __future__ import annotations

from pathlib import Path

from gnvtools.core.figures import Catalogue, followup_figures
from gnvtools.core.followup import followup
from gnvtools.core.model import build_plan
from gnvtools.core.reconciliation import Finding, sort_findings
from gnvtools.reports.memo import AllocationMemo


def check_file(path: Path) -> list[Finding]:
    """Validate a year's parameter file and its data; run the allocation, follow-up and checks."""
    plan = build_plan(path)
    memo = AllocationMemo.from_plan(plan, path)  # also validates the text file's placeholders
    findings = list(memo.findings)
    if plan.params.followup is not None:
        findings += followup(plan, memo.allocation).findings
    return sort_findings(findings)


def figures_file(path: Path) -> Catalogue:
    """``gnv figures``: the catalogue a year's reports and texts can use."""
    plan = build_plan(path)
    memo = AllocationMemo.from_plan(plan, path)
    catalogue = memo.figures
    if plan.params.followup is not None:
        followup_figures(followup(plan, memo.allocation), catalogue)
    return catalogue
