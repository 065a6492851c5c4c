"""The checks' amounts as catalogue figures: ``kontroll_<code>_<k>``.

A report's "Kontroller" table shows each finding with its amount (a difference in whole kronor,
when there is one). Each such amount is a figure, named by the finding's code and its place
among the findings of that code with an amount, in the order the report shows them
(``kontroll_sum_mismatch_1`` for the first ``sum-mismatch``), so that a finding of another kind
coming or going renames none of them: the table's cells, Excel and ``gnv verify`` name it like
any other figure, and verify compares the same finding across two builds.

Example: a memo whose findings are ``rows-vs-area`` (4 kr), ``sum-mismatch`` (3 kr) and
``rows-vs-area`` (7 kr) has the figures ``kontroll_rows_vs_area_1`` = 4,
``kontroll_sum_mismatch_1`` = 3 and ``kontroll_rows_vs_area_2`` = 7, labelled
``kontroll rows-vs-area 1: belopp`` and so on.
"""

from __future__ import annotations

from collections.abc import Sequence

from gnvtools.core.figures import Catalogue, Stage
from gnvtools.core.reconciliation import Finding


def finding_names(findings: Sequence[Finding]) -> list[str]:
    """The figure of each finding, in the order shown; ``""`` for one without an amount."""
    seen: dict[str, int] = {}
    names: list[str] = []
    for finding in findings:
        if finding.amount is None:
            names.append("")
            continue
        seen[finding.code] = seen.get(finding.code, 0) + 1
        names.append(f"kontroll_{finding.code.replace('-', '_')}_{seen[finding.code]}")
    return names


def finding_figures(cat: Catalogue, findings: Sequence[Finding], stage: Stage) -> list[str]:
    """Add each finding's amount to ``cat``, in the order shown; per finding its figure's name,
    ``""`` for a finding without an amount. ``stage`` is when the checks are made (the memo's
    at the decision, the follow-up's at the year end); a finding on made-up data is
    illustrative."""
    names = finding_names(findings)
    for name, finding in zip(names, findings, strict=True):
        if name and finding.amount is not None:
            cat.add(
                name,
                finding.amount,
                "kr",
                f"kontroll {finding.code} {name.rsplit('_', 1)[1]}: belopp",
                stage=stage,
                made_up=finding.illustrative,
            )
    return names
