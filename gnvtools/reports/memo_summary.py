"""The allocation memo's generated opening: its decision items (unless the parameter file
gives its own), the summary (unless the text file has one) and the open questions, each built
from the figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gnvtools.core.figures import slug as _slug
from gnvtools.core.formatting import count
from gnvtools.core.model import at_ceilings
from gnvtools.reports import memo_proposal
from gnvtools.reports.memo_phrases import join_names
from gnvtools.reports.texts import substitute

if TYPE_CHECKING:
    from gnvtools.reports.memo import AllocationMemo


def proposal_items(memo: AllocationMemo) -> list[str]:
    """The decision items: the parameter file's own, else a default true to the model."""
    spec = memo.params.memo
    if spec is not None and spec.decisions:
        return [" ".join(substitute(item, memo.figures).split()) for item in spec.decisions]
    p = memo.params
    who = p.decided_by or p.organisation.name
    return [
        memo_proposal.decision_item(who, memo.figures, key, what, goes)
        for key, what, goes in memo_proposal.sources(memo.at_decision)
    ]


def summary_texts(memo: AllocationMemo) -> list[str]:
    """The generated summary (used when the text file has no Sammanfattning)."""
    p = memo.params
    f = memo.figures
    first = f"{p.organisation.name} har för {p.year} tagit emot {f.text('mottaget')}"
    if p.received.components:
        parts = join_names(
            [
                f"{f.text('delbelopp_' + _slug(c.name))} avser {c.name.lower()}"
                for c in p.received.components
            ]
        )
        first += f", varav {parts}"
    texts = [first + "."]
    for i, pot in enumerate(memo.at_decision.pots):
        plan = memo.allocation.plan
        ceilings = any(at_ceilings(plan, i, j) for j in range(len(pot.steps)))
        texts.append(memo_proposal.pot_summary(pot, f, ceilings))
    split = memo_proposal.overall(f)
    return texts + ([split] if split else []) + memo.open_questions()


def open_questions(memo: AllocationMemo) -> list[str]:
    """Differences in the material, as matters the reader should know before deciding."""
    serious = [f for f in memo.shown_findings if f.level in ("error", "warning")]
    if not serious:
        return []
    return [
        f"Underlaget innehåller {count(len(serious), 'avvikelse', 'avvikelser')},"
        " som redovisas med belopp under Kontroller."
    ]
