"""The allocation memo's head and foot: title block with the document's own date, stage and
dnr, the made-up notice, and the signatures, distribution list and attachments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gnvtools.reports.common import illustrative_notice, signature_block, title_block
from gnvtools.reports.display import Html, bullets, concat, section
from gnvtools.reports.memo_load import STAGE, document_date

if TYPE_CHECKING:
    from gnvtools.reports.memo import AllocationMemo


def header(memo: AllocationMemo) -> Html:
    p = memo.params
    spec = p.memo
    made_up = set(spec.illustrative) if spec else set()
    mark = " (påhittat exempel)"
    meta = [("Organisation", p.organisation.name)]
    for name, label, key in (
        ("datum", "Datum", "date"),
        ("sammantradesdatum", "Sammanträde", "meeting_date"),
        ("diarienummer", "Diarienummer", "case_number"),
    ):
        if name in memo.figures:
            meta.append((label, memo.figures.text(name) + (mark if key in made_up else "")))
    meta += [
        ("Ärendet avgörs av", p.decided_by),
        ("Beredd av", p.prepared_by),
        ("Regelverk", memo.regime.short),
    ]
    sources = [
        f"{g.spec.label}: {g.spec.source}".strip()
        for g in memo.allocation.plan.groups.values()
        if g.spec.illustrative
    ]
    if spec is not None and spec.illustrative_note:
        sources.append(" ".join(spec.illustrative_note.split()))
    when = document_date(p)
    head = title_block(
        p.title,
        meta,
        organisation=p.organisation.name,
        date=when.isoformat() if when else "",
        stage=STAGE,
        dnr=spec.case_number if spec is not None else "",
    )
    block = concat([head, illustrative_notice(sources)])
    block.figures = memo.figures.as_json()
    return block


def closing(memo: AllocationMemo) -> Html:
    """Signatures, the distribution list (Utdrag till) and the attachments (Bilagor)."""
    spec = memo.params.memo
    if spec is None:
        return Html("")
    parts: list[Html] = []
    if spec.signatures:
        made_up = " (påhittat exempel)" if "signatures" in spec.illustrative else ""
        people = [[x for x in (s.name, s.title + made_up, s.unit) if x] for s in spec.signatures]
        parts.append(signature_block(people, "I tjänsten" if spec.signed_in_service else ""))
    if spec.distribution:
        parts.append(section("Utdrag till", bullets(spec.distribution)))
    if spec.attachments:
        parts.append(section("Bilagor", bullets(spec.attachments, ordered=True)))
    return concat(parts)
