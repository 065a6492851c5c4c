"""``gnv check``: every check that applies to a parameter file, in one list of findings."""

from __future__ import annotations

from pathlib import Path

from gnvtools.followup import followup
from gnvtools.model import allocate, build_plan
from gnvtools.reconciliation import Finding, reconcile_allocation, sort_findings


def check_file(path: Path) -> list[Finding]:
    """Validate a year's parameter file and its data; run the allocation, follow-up and checks."""
    plan = build_plan(path)
    allocation = allocate(plan)
    findings = reconcile_allocation(allocation)
    if plan.params.followup is not None:
        findings += followup(plan, allocation).findings
    return sort_findings(findings)
