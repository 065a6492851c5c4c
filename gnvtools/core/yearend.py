"""The year-end follow-up's catalogue: the year's allocation figures, then the year-end ones.

Names, stages and how to recompute each figure by hand are in docs/parameters.md ("The year-end
follow-up"). Example (Stockholm 2025): ``forbrukat_enligt_rader`` = 28 630 915 (the spend rows),
``forbrukat`` = ``redovisat_forbrukat`` = 28 714 265 (the reported total), ``outnyttjat`` =
41 991 440 − 28 714 265 = 13 277 175.

The requisition figures are in ``yearend_requisitions``, the parts of the unused money in
``yearend_unused``, the figures the follow-up's tables show in ``yearend_tables``.
"""

from __future__ import annotations

from gnvtools.core.figure_sources import FigureSource, yaml_cell
from gnvtools.core.figures import Catalogue, slug
from gnvtools.core.followup import Followup
from gnvtools.core.followup_sources import (
    ineligible_rows,
    repayment_rule,
    scope_rule,
    spend_cell,
)
from gnvtools.core.memo_figures import allocation_figures
from gnvtools.core.model import Allocation
from gnvtools.core.yearend_requisitions import requisition_totals
from gnvtools.core.yearend_tables import (
    activity_figures,
    area_figures,
    carried_over_figures,
    carry_over_figures,
    ineligible_figures,
    recipient_figures,
    spend_figure,
)
from gnvtools.core.yearend_unused import above_ceiling_figures, unused_parts


def followup_figures(result: Followup, cat: Catalogue | None = None) -> Catalogue:
    """The year-end figures, added to ``cat``: the allocation's catalogue of the same year.

    Without ``cat`` a new catalogue holds only ``mottaget`` besides the year-end figures.
    """
    cat = cat if cat is not None else Catalogue()
    _allocation_totals(cat, result)
    requisition_totals(cat, result)
    _used_figures(cat, result)
    _unused_figures(cat, result)
    repayment = repayment_rule(result.regime, result.plan.params.organisation.type)
    _repayment_figures(cat, result, repayment)
    _spend_figures(cat, result)
    _details_reading(cat, result, repayment)
    carried_over_figures(cat, result)
    recipient_figures(cat, result)
    above_ceiling_figures(cat, result)
    area_figures(cat, result)
    activity_figures(cat, result)
    carry_over_figures(cat, result)
    ineligible_figures(cat, result)
    return cat


def _allocation_totals(cat: Catalogue, result: Followup) -> None:
    """``mottaget`` and ``fordelat_statsbidrag``, unless the allocation's catalogue has them."""
    if "mottaget" not in cat:
        total = [yaml_cell(result.plan.file, "received", "total")]
        cat.add(
            "mottaget",
            result.received,
            "kr",
            "mottaget statsbidrag",
            stage="underlag",
            sources=total,
        )
    if "fordelat_statsbidrag" not in cat:
        cat.add(
            "fordelat_statsbidrag",
            result.allocated,
            "kr",
            "fördelat till mottagare av årets statsbidrag",
        )


def _unused_figures(cat: Catalogue, result: Followup) -> None:
    """The unused money and its parts, the utilisation, what was used outside the rules and
    what is carried over."""
    cat.add(
        "outnyttjat",
        result.unused,
        "kr",
        "mottaget minus förbrukat",
        derived_from=["mottaget", "forbrukat"],
    )
    unused_parts(cat, result)
    cat.add(
        "nyttjandegrad",
        result.utilisation,
        "andel",
        "förbrukat som andel av mottaget",
        derived_from=["forbrukat", "mottaget"],
    )
    cat.add(
        "utanfor_reglerna",
        result.ineligible,
        "kr",
        "använt utanför reglerna",
        stage="uppföljning",
        sources=[spend_cell(result, ineligible_rows(result)), *scope_rule(result)],
    )
    cat.add(
        "fors_over",
        result.carried_over,
        "kr",
        "outnyttjat som förs över till nästa år",
        derived_from=["outnyttjat"],
        sources=[yaml_cell(result.plan.file, "followup", "carried_over")],
    )


def _repayment_figures(cat: Catalogue, result: Followup, repayment: list[FigureSource]) -> None:
    """What is paid back: the unused part (when the regime says unused money goes back) and
    in all; ``repayment`` is the regime's rule that says so."""
    if result.regime.unused_must_be_repaid:
        cat.add(
            "outnyttjat_att_betala",
            result.repay - result.ineligible,
            "kr",
            "outnyttjade medel som ska betalas tillbaka",
            derived_from=["outnyttjat", "fors_over"],
            sources=repayment,
        )
    cat.add(
        "att_betala_tillbaka",
        result.repay,
        "kr",
        "att betala tillbaka",
        derived_from=["outnyttjat", "fors_over", "utanfor_reglerna"],
        sources=repayment,
    )


def _details_reading(cat: Catalogue, result: Followup, repayment: list[FigureSource]) -> None:
    """When the reported total and its details differ: the difference, and what would be paid
    back if only the details counted as used."""
    if result.repay_if_details is None:
        return
    details = "forbrukat_inom_omraden" if result.reported_by_area else "forbrukat_enligt_rader"
    cat.add(
        "redovisat_utover_detaljerna",
        cat.amount("redovisat_forbrukat") - cat.amount(details),
        "kr",
        "redovisad förbrukning utöver detaljerna (per område eller rad)",
        derived_from=["redovisat_forbrukat", details],
    )
    cat.add(
        "att_betala_tillbaka_enligt_detaljerna",
        result.repay_if_details,
        "kr",
        "att betala tillbaka om summan av beloppen per insatsområde (eller av "
        "förbrukningsraderna) räknas som förbrukad i stället för den redovisade totalen",
        derived_from=["mottaget", details, "fors_over", "utanfor_reglerna"],
        sources=repayment,
    )


def _spend_figures(cat: Catalogue, result: Followup) -> None:
    """Use per area (the organisation's own figures, else the rows') and per recipient.

    A per-area figure the organisation reported is real even when the rows are made up; one we
    read from an illegible source is ``osäker``, and so is everything derived from it.
    """
    own = bool(result.reported_by_area)
    spec = result.plan.params.followup
    reported = list(spec.reported_by_area) if spec is not None else []
    for area, amount in result.by_area.items():
        at = next((i for i, r in enumerate(reported) if r.area == area), None)
        read = (
            yaml_cell(result.plan.file, "followup", "reported_by_area", at, "amount")
            if own and at is not None
            else spend_cell(result, f"där area == {area}")
        )
        cat.add(
            f"forbrukat_omrade_{area}",
            amount,
            "kr",
            f"förbrukat inom insatsområde {area}"
            + (" enligt organisationens redovisning" if own else ""),
            stage="uppföljning",
            made_up=result.illustrative and not own,
            precision="osäker" if area in result.uncertain_areas else "exakt",
            sources=[read],
        )
    areas = [f"forbrukat_omrade_{area}" for area in result.by_area]
    cat.add(
        "forbrukat_inom_omraden",
        sum(result.by_area.values()),
        "kr",
        "förbrukat inom något insatsområde",
        derived_from=areas,
    )
    if result.reported_used is not None:
        cat.add(
            "redovisat_utover_omraden",
            result.reported_used - sum(result.by_area.values()),
            "kr",
            "redovisad förbrukning utöver summan per insatsområde",
            derived_from=["redovisat_forbrukat", "forbrukat_inom_omraden"],
        )
    if result.unassigned:
        spend_figure(
            cat,
            result,
            "forbrukat_utan_omrade",
            result.unassigned,
            "förbrukat utan insatsområde",
            "där area är tom",
        )
    _recipient_use(cat, result)


def _recipient_use(cat: Catalogue, result: Followup) -> None:
    """Each recipient's use, from the spend rows that name it."""
    for who in result.by_recipient.values():
        spend_figure(
            cat,
            result,
            f"mottagare_{slug(who.name)}_forbrukat",
            who.used,
            f"förbrukat av {who.name}",
            f"där recipient == {who.name}",
        )


def _used_figures(cat: Catalogue, result: Followup) -> None:
    """What the spend rows sum to, the reported total if any, and ``forbrukat`` from them."""
    spend_figure(
        cat, result, "forbrukat_enligt_rader", result.rows_used, "summan av förbrukningsraderna"
    )
    source = "forbrukat_enligt_rader"
    if result.reported_used is not None:
        source = cat.add(
            "redovisat_forbrukat",
            result.reported_used,
            "kr",
            "redovisad förbrukning (total)",
            stage="uppföljning",
            sources=[yaml_cell(result.plan.file, "followup", "reported_used")],
        ).name
    # What the organisation reported is the year's use; without it, the rows' sum.
    cat.add("forbrukat", result.used, "kr", "förbrukat under året", derived_from=[source])


def year_end_figures(allocation: Allocation, result: Followup) -> Catalogue:
    """The follow-up report's catalogue: the year's allocation figures, then the year-end ones.

    ``antal_fel`` and ``antal_varningar`` count the follow-up's own findings (those its
    "Kontroller" shows), not the allocation's checks.
    """
    cat = allocation_figures(allocation, result.findings, checked_at="uppföljning")
    return followup_figures(result, cat)
