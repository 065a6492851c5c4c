"""The checks' amounts as catalogue figures: ``kontroll_<n>``.

A report's "Kontroller" table shows each finding with its amount (a difference in whole kronor,
when there is one). Each such amount is a figure, named by the finding's place in the list the
report shows (``kontroll_1`` for the first), labelled with the finding's code, so the table's
cells, Excel and ``gnv verify`` name it like any other figure.

Example: a memo whose first finding is ``sum-mismatch`` with an amount of 3 kr has the figure
``kontroll_1`` = 3, label ``kontroll 1 (sum-mismatch): belopp``.
"""

from __future__ import annotations

from collections.abc import Sequence

from gnvtools.core.figures import Catalogue, Stage
from gnvtools.core.reconciliation import Finding


def finding_name(n: int) -> str:
    """The figure of the ``n``-th finding shown (counted from 1)."""
    return f"kontroll_{n}"


def finding_figures(cat: Catalogue, findings: Sequence[Finding], stage: Stage) -> list[str]:
    """Add each finding's amount to ``cat``, in the order shown; per finding its figure's name,
    ``""`` for a finding without an amount. ``stage`` is when the checks are made (the memo's
    at the decision, the follow-up's at the year end); a finding on made-up data is
    illustrative."""
    names: list[str] = []
    for n, finding in enumerate(findings, start=1):
        if finding.amount is None:
            names.append("")
            continue
        figure = cat.add(
            finding_name(n),
            finding.amount,
            "kr",
            f"kontroll {n} ({finding.code}): belopp",
            stage=stage,
            made_up=finding.illustrative,
        )
        names.append(figure.name)
    return names
