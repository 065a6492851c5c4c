"""The follow-up's figures that trace the unused money to the krona, and the grants above a
ceiling that the requisition's redistribution gave.

The unused money (``outnyttjat`` = received − used) has two parts when not everything received
was allocated to recipients:

- ``outnyttjat_ej_fordelat`` = received − allocated: what was never requisitioned (or never
  allocated), derived from the requisition steps' ``<step>_ej_rekvirerat`` when that is where it
  lies;
- ``outnyttjat_hos_mottagarna`` = allocated − used: what the recipients got but did not use.

Example (Stockholm 2025): 41 991 440 − 29 350 000 = 12 641 440 kr not requisitioned;
29 350 000 − 28 714 265 = 635 735 kr unused by the recipients; 12 641 440 + 635 735 =
13 277 175 kr = ``outnyttjat``. The per-recipient table's unused (719 085 kr) is counted on the
spend rows: it includes the 83 350 kr of the reported total that no row places.

A grant above the ceiling (``mottagare_<r>_over_tak`` = granted − ceiling, per requisition
step): Norra innerstaden 6 500 000 − 6 178 073 = 321 927 kr.
"""

from __future__ import annotations

from gnvtools.core.figures import Catalogue, slug
from gnvtools.core.followup import Followup
from gnvtools.core.yearend_requisitions import year_requisition_steps


def not_requisitioned_steps(cat: Catalogue, result: Followup) -> list[str]:
    """The year's requisition steps' ``<step>_ej_rekvirerat`` figures in the catalogue."""
    names = [f"{step}_ej_rekvirerat" for step in year_requisition_steps(result)]
    return [name for name in names if name in cat]


def unused_parts(cat: Catalogue, result: Followup) -> None:
    """``outnyttjat`` as the sum of what was never allocated and what recipients left unused;
    nothing when everything received was allocated (the unused money is all the recipients')."""
    if result.reported_used is not None and result.reported_used != result.rows_used:
        cat.add(
            "redovisat_utover_rader",
            result.reported_used - result.rows_used,
            "kr",
            "redovisad förbrukning utöver förbrukningsraderna (inte fördelad på mottagare)",
            derived_from=["redovisat_forbrukat", "forbrukat_enligt_rader"],
        )
    not_allocated = result.received - result.allocated
    if not not_allocated:
        return
    steps = not_requisitioned_steps(cat, result)
    requisition = bool(steps) and sum(cat.amount(n) for n in steps) == not_allocated
    cat.add(
        "outnyttjat_ej_fordelat",
        not_allocated,
        "kr",
        "inte rekvirerat (mottaget minus rekvirerat)"
        if requisition
        else "inte fördelat till mottagarna (mottaget minus fördelat)",
        derived_from=["mottaget", "fordelat_statsbidrag", *(steps if requisition else [])],
    )
    cat.add(
        "outnyttjat_hos_mottagarna",
        result.allocated - result.used,
        "kr",
        "fördelat till mottagarna men inte förbrukat (fördelat minus förbrukat)",
        derived_from=["fordelat_statsbidrag", "forbrukat"],
    )


def above_ceiling_figures(cat: Catalogue, result: Followup) -> None:
    """Per grant above its ceiling, ``mottagare_<r>_over_tak``: granted minus ceiling, from
    the step's figures (``<step>_mottagare_<r>`` and ``<step>_tak_mottagare_<r>``)."""
    for item in result.above_ceiling:
        who = slug(item.recipient)
        granted = f"{item.step_name}_mottagare_{who}"
        ceiling = f"{item.step_name}_tak_mottagare_{who}"
        derived = [n for n in (granted, ceiling) if n in cat]
        cat.add(
            f"mottagare_{who}_over_tak",
            item.granted - item.ceiling,
            "kr",
            f"beviljat {item.recipient} utöver taket ({item.step})",
            stage="rekvisition",
            derived_from=derived,
            made_up=result.requisitions_illustrative,
        )
