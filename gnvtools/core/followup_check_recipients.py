"""The follow-up's checks of one recipient: it requisitioned nothing, it requisitioned more
than its ceiling, or it used more than it requisitioned or was allocated.

A recipient is checked against the strictest limit that applies to it: what it requisitioned
(only if it had a requisition step or a row in the requisitions file) or what it was allocated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gnvtools.core.followup_made_up import with_made_up_note
from gnvtools.core.formatting import kr
from gnvtools.core.reconciliation import Finding
from gnvtools.core.regimes import join_words

if TYPE_CHECKING:
    from gnvtools.core.followup import Followup, RecipientFigures


def not_requisitioned(r: Followup, f: RecipientFigures) -> Finding:
    """One finding for a recipient that asked for nothing, whether or not it spent money."""
    could = f" (taket var {kr(f.ceiling)})" if f.ceiling else ""
    text = f"{f.name} rekvirerade inga medel{_which_money(r)}{could}"
    if f.used > f.allocated:  # spent beyond what it got from other steps: the same cause
        text += (
            f" men har förbrukat {kr(f.used)}, {kr(f.used - f.allocated)} mer än tilldelade "
            f"{kr(f.allocated)}"
        )
    message, made_up = with_made_up_note(r, text + ".", requisition=True)
    return Finding(
        "warning", "not-requisitioned", message, f.ceiling or 0, made_up or r.illustrative
    )


def _which_money(r: Followup) -> str:
    """Which money could be requisitioned, when only part of the year's was (Stockholm 2023:
    `` i steget ansökan om nya utbildningsplatser``); else nothing."""
    if r.requisition_target is None or r.requisition_target >= r.received:
        return ""
    sources = r.plan.pot_sources
    steps = [
        step.name.lower()
        for pot in r.plan.params.pots
        if not sources[pot.name].startswith("carry-over")
        for step in pot.steps
        if step.kind == "requisition"
    ]
    return f" i {'steget' if len(steps) == 1 else 'stegen'} {join_words(steps)}"


def above_ceiling(r: Followup, f: RecipientFigures) -> list[Finding]:
    """A requisitions-file amount above what the steps let the recipient have: an error."""
    if f.step_limit is None or f.requisitioned is None or f.requisitioned <= f.step_limit:
        return []
    limit = kr(f.step_limit)
    what = f"taket {limit}" if f.step_limit == (f.ceiling or 0) else f"de {limit} som steget gav"
    spec = r.plan.params.followup
    shown = r.plan.file.data_path(spec.requisitions)[1] if spec and spec.requisitions else ""
    text = (
        f"{f.name} rekvirerade {kr(f.requisitioned)} enligt {shown}, "
        f"{kr(f.requisitioned - f.step_limit)} mer än {what}."
    )
    message, made_up = with_made_up_note(r, text, requisition=True)
    return [
        Finding(
            "error",
            "requisitioned-above-ceiling",
            message,
            f.requisitioned - f.step_limit,
            made_up,
        )
    ]


def above_limit(r: Followup, f: RecipientFigures) -> list[Finding]:
    """At most one finding: above what it requisitioned when that is the lower limit (a
    requisitions file granted less than the steps), else above what it was allocated.

    The requisitioned limit is the allocation with the requisition steps' grant replaced by the
    requisitioned amount, so money from other steps counts; a recipient without a requisition
    has no requisitioned limit at all.
    """
    limit = f.limit
    if limit < f.allocated and f.used > limit:
        req = f.requisitioned or 0
        other = f.allocated - f.granted
        besides = f" och {kr(other)} från andra steg" if other else ""
        text = (
            f"{f.name} har förbrukat {kr(f.used)}, {kr(f.used - limit)} mer än rekvirerade "
            f"{kr(req)}{besides}."
        )
        message, made_up = with_made_up_note(r, text)
        return [
            Finding(
                "warning",
                "used-above-requisitioned",
                message,
                f.used - limit,
                made_up or r.requisitions_illustrative,
            )
        ]
    if f.used > f.allocated:
        text = (
            f"{f.name} har förbrukat {kr(f.used)}, {kr(f.used - f.allocated)} mer än "
            f"tilldelade {kr(f.allocated)}."
        )
        message, made_up = with_made_up_note(r, text)
        return [Finding("warning", "used-above-allocated", message, f.used - f.allocated, made_up)]
    return []
