"""A year's own figures, copied into the comparison's catalogue under ``ar_<year>_``, and the
comparison's own date and case number (``datum``, ``diarienummer``).

The year's catalogue is its follow-up's when it has one, else its allocation's; to it are added
the decision's totals (``beslut_*``, ``core.decision_totals``), so the comparison can say what
the decision allocated (requisition ceilings counted in full) apart from what recipients were
given once the requisitions were in (``fordelat_statsbidrag``).

Made-up marks follow each figure's derivation. One derivation is made finer here: a pot whose
requisition step is followed by a step that takes the rest (``remainder`` or ``amount: rest``)
and keeps nothing as a reserve places its whole amount whatever was requisitioned. Its total to
recipients is then derived from the pot's amount alone, so a total of real amounts split over
made-up rows is real as a total (Stockholm 2023: the nurse-training pot's 5 200 000 kr, of which
1 800 000 kr open for applications and the rest to Äldreförvaltningen). The per-recipient and
per-step figures stay as made up as they are.
"""

from __future__ import annotations

from gnvtools.core.allocation import RESERVE
from gnvtools.core.decision_totals import decision_totals
from gnvtools.core.figure_sources import InputCell
from gnvtools.core.figures import Catalogue, slug
from gnvtools.core.followup import Followup
from gnvtools.core.memo_figures import allocation_figures
from gnvtools.core.model import Allocation, at_decision
from gnvtools.core.params import ComparisonParams
from gnvtools.core.reconciliation import reconcile_allocation
from gnvtools.core.yearend import year_end_figures

#: Figures that are only sums of other figures: made up exactly when one of their parts is.
SUMS = ("fordelat", "fordelat_statsbidrag", "ofordelat", "medel_totalt")


def prefix(year: int) -> str:
    return f"ar_{year}_"


def year_catalogue(allocation: Allocation, result: Followup | None) -> Catalogue:
    """The year's own figures, with the decision's totals ``beslut_*``."""
    if result is not None:
        own = year_end_figures(allocation, result)
    else:
        own = allocation_figures(allocation, reconcile_allocation(allocation))
    if "beslut_fordelat" not in own:
        decision_totals(own, at_decision(allocation))
    return own


def settled_pots(allocation: Allocation) -> set[str]:
    """The pots (by figure-name part) that place their whole amount with recipients whatever
    the requisitions were: a step taking the rest follows every requisition step, and no line
    goes to a reserve."""
    settled = set()
    for spec, pot in zip(allocation.plan.params.pots, allocation.pots, strict=True):
        kinds = [step.kind for step in spec.steps]
        rest = [
            i
            for i, step in enumerate(spec.steps)
            if step.kind == "remainder" or getattr(step, "amount", None) == "rest"
        ]
        requisitions = [i for i, kind in enumerate(kinds) if kind == "requisition"]
        reserve = any(line.recipient == RESERVE for line in pot.lines)
        if not requisitions or not rest or reserve or pot.unplaced:
            continue
        if rest[-1] > requisitions[-1]:
            settled.add(slug(pot.pot.name))
    return settled


def copy_year(cat: Catalogue, own: Catalogue, year: int, allocation: Allocation | None) -> None:
    """Every figure of ``own`` into ``cat`` as ``ar_<year>_<name>``, marks re-derived (above)."""
    head = prefix(year)
    settled = (
        {f"medel_{part}_fordelat": part for part in settled_pots(allocation)} if allocation else {}
    )
    for figure in own.values():
        derived = list(figure.derived_from)
        made_up = figure.illustrative
        if figure.name in settled:
            derived, made_up = [f"medel_{settled[figure.name]}"], False
        elif figure.name in SUMS:
            made_up = False  # a sum's mark is its parts'
        cat.add(
            head + figure.name,
            figure.value,
            figure.kind,
            f"{year}: {figure.label}",
            stage=figure.stage,
            derived_from=[head + name for name in derived],
            made_up=made_up,
            precision=figure.precision,
            sources=figure.sources,
        )


def document_figures(cat: Catalogue, path: str, params: ComparisonParams) -> None:
    """The comparison's own date and case number (``document`` in its file), made up when the
    file says so: ``datum`` and ``diarienummer``, as the memo names its own."""
    doc = params.document
    if doc is None:
        return
    made_up = set(doc.illustrative)
    if doc.date is not None:
        cat.add(
            "datum",
            doc.date,
            "datum",
            "jämförelsens datum",
            stage="uppföljning",
            made_up="date" in made_up,
            sources=[InputCell(path, key="document.date")],
        )
    if doc.case_number:
        cat.add(
            "diarienummer",
            doc.case_number,
            "text",
            "jämförelsens diarienummer",
            stage="uppföljning",
            made_up="case_number" in made_up,
            sources=[InputCell(path, key="document.case_number")],
        )
