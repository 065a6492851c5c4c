"""The figures the follow-up's tables show beyond the key figures: each cell a named figure.

- per recipient ``mottagare_<r>_tilldelat``, ``…_rekvirerat``, ``…_forbrukat`` (in
  ``yearend``), ``…_outnyttjat``, ``…_utanfor_reglerna`` and ``…_andel_forbrukat`` (used as a
  share of allocated), with the sum row's ``outnyttjat_enligt_rader`` and
  ``andel_forbrukat_enligt_rader``;
- per area ``andel_omrade_<n>`` (of the year's use), ``andel_utan_omrade``, the sum row's
  ``forbrukat_per_omrade_summa`` and ``andel_per_omrade_summa``, and when the year's use differs
  from that sum the reconciliation row's ``forbrukat_utover_omradestabellen`` and
  ``andel_utover_omradestabellen`` and the used row's ``andel_forbrukat_summa`` (1);
- per kind of activity ``forbrukat_verksamhet_<kind>`` (``…_ej_angiven`` for rows without one);
- per spend row outside the rules ``utanfor_reglerna_rad_<row>`` (its row in the spend file);
- per recipient of money carried over from year Y ``kvarvarande_<Y>_mottagare_<r>_tilldelat``,
  ``…_forbrukat`` and ``…_outnyttjat`` (the last two only when that money is followed up).

Example (Stockholm 2025): ``mottagare_bromma_outnyttjat`` = allocated − used by Bromma.
"""

from __future__ import annotations

from fractions import Fraction

from gnvtools.core.figure_sources import ALL_ROWS
from gnvtools.core.figures import Catalogue, Figure, slug, unique_slugs
from gnvtools.core.followup import Followup
from gnvtools.core.followup_sources import spend_cell

NO_KIND = "ej angiven"


def spend_figure(
    cat: Catalogue, r: Followup, name: str, amount: int, label: str, rows: str = ALL_ROWS
) -> Figure:
    """A kronor figure the spend file's rows give (``rows``: all, a filter or row numbers):
    known at the follow-up, made up when the rows are."""
    return cat.add(
        name,
        amount,
        "kr",
        label,
        stage="uppföljning",
        made_up=r.illustrative,
        sources=[spend_cell(r, rows)],
    )


def recipient_figures(cat: Catalogue, r: Followup) -> None:
    """Each recipient's allocation, requisition, unused, ineligible and share used."""
    for who in r.by_recipient.values():
        head = f"mottagare_{slug(who.name)}"
        used = f"{head}_forbrukat"
        allocated = cat.add(
            f"{head}_tilldelat",
            who.allocated,
            "kr",
            f"tilldelat {who.name} av årets statsbidrag",
            stage="rekvisition" if who.requisitioned is not None else "beslut",
            made_up=r.requisitions_illustrative,
        ).name
        if who.requisitioned is not None:
            cat.add(
                f"{head}_rekvirerat",
                who.requisitioned,
                "kr",
                f"rekvirerat av {who.name}",
                stage="rekvisition",
                made_up=r.requisitions_illustrative,
            )
        cat.add(
            f"{head}_outnyttjat",
            who.unused,
            "kr",
            f"outnyttjat av {who.name}",
            derived_from=[allocated, used],
        )
        spend_figure(
            cat,
            r,
            f"{head}_utanfor_reglerna",
            who.ineligible,
            f"använt utanför reglerna av {who.name}",
            f"där recipient == {who.name}",
        )
        if who.used_share is not None:
            cat.add(
                f"{head}_andel_forbrukat",
                who.used_share,
                "andel",
                f"förbrukat av {who.name} som andel av tilldelat",
                derived_from=[used, allocated],
            )
    _rows_sum(cat, r)


def _rows_sum(cat: Catalogue, r: Followup) -> None:
    """The per-recipient table's sum row: allocated minus the rows' use, and its share."""
    cat.add(
        "outnyttjat_enligt_rader",
        r.rows_unused,
        "kr",
        "tilldelat mottagarna minus förbrukningsraderna",
        derived_from=["fordelat_statsbidrag", "forbrukat_enligt_rader"],
    )
    if r.rows_share is not None:
        cat.add(
            "andel_forbrukat_enligt_rader",
            r.rows_share,
            "andel",
            "förbrukningsraderna som andel av det mottagarna tilldelades",
            derived_from=["forbrukat_enligt_rader", "fordelat_statsbidrag"],
        )


def area_figures(cat: Catalogue, r: Followup) -> None:
    """The per-area table: each area's share of the year's use, the sum row (what it sums is in
    its label), and the reconciliation row to the year's use when they differ."""
    parts = [f"forbrukat_omrade_{area}" for area in r.by_area]
    if r.unassigned and not r.reported_by_area:
        parts.append("forbrukat_utan_omrade")
    label = (
        "förbrukat per insatsområde enligt organisationens redovisning, summa"
        if r.reported_by_area
        else "förbrukningsraderna per insatsområde och utan område, summa"
    )
    total = cat.add_sum("forbrukat_per_omrade_summa", parts, label)
    shares = []
    for part in parts:
        share = r.area_share(cat.amount(part))
        if share is None:
            continue
        name = part.replace("forbrukat_omrade_", "andel_omrade_").replace(
            "forbrukat_utan_omrade", "andel_utan_omrade"
        )
        cat.add(
            name,
            share,
            "andel",
            f"{cat[part].label} som andel av förbrukat",
            derived_from=[part, "forbrukat"],
        )
        shares.append(name)
    if not shares:
        return
    value = sum((r.area_share(cat.amount(p)) or Fraction(0) for p in parts), Fraction(0))
    cat.add("andel_per_omrade_summa", value, "andel", "andelarna sammanlagt", derived_from=shares)
    if r.used == r.area_total:
        return
    rest = cat.add(
        "forbrukat_utover_omradestabellen",
        r.used - r.area_total,
        "kr",
        "förbrukat utöver per-områdestabellens summa (inte fördelat på område)",
        derived_from=["forbrukat", total.name],
    ).name
    share = r.area_share(r.used - r.area_total) or Fraction(0)
    cat.add(
        "andel_utover_omradestabellen",
        share,
        "andel",
        "det som inte är fördelat på område, som andel av förbrukat",
        derived_from=[rest, "forbrukat"],
    )
    cat.add(
        "andel_forbrukat_summa",
        value + share,
        "andel",
        "per-områdestabellens andelar med det som inte är fördelat (hela förbrukningen)",
        derived_from=["andel_per_omrade_summa", "andel_utover_omradestabellen"],
    )


def activity_figures(cat: Catalogue, r: Followup) -> dict[str, str]:
    """The spend rows summed per kind of activity; returns the figure name of each kind."""
    totals: dict[str, int] = {}
    for line in r.spend:
        kind = line.activity_type or NO_KIND
        totals[kind] = totals.get(kind, 0) + line.amount
    names = {}
    for kind, amount in totals.items():
        names[kind] = spend_figure(
            cat,
            r,
            f"forbrukat_verksamhet_{slug(kind)}",
            amount,
            f"förbrukat inom verksamhetstypen {kind}",
            f"där activity_type == {kind}",
        ).name
    return names


def carry_over_figures(cat: Catalogue, r: Followup) -> None:
    """What each recipient got, used and left of money carried over from an earlier year."""
    for carry in r.carry_over:
        head = f"kvarvarande_{carry.year}_mottagare_"
        keys = unique_slugs(list(carry.by_recipient))
        for who, (allocated, used) in carry.by_recipient.items():
            name = head + keys[who]
            got = cat.add(
                f"{name}_tilldelat",
                allocated,
                "kr",
                f"tilldelat {who} av kvarvarande medel från {carry.year}",
                derived_from=[f"kvarvarande_{carry.year}_fordelat"],
            ).name
            if used is None:
                continue
            spent = spend_figure(
                cat,
                r,
                f"{name}_forbrukat",
                used,
                f"förbrukat av {who} av kvarvarande medel från {carry.year}",
                f"där recipient == {who} och fund == {carry.year}",
            ).name
            left = carry.unused_by(who)
            if left is not None:
                cat.add(
                    f"{name}_outnyttjat",
                    left,
                    "kr",
                    f"outnyttjat av {who} av kvarvarande medel från {carry.year}",
                    derived_from=[got, spent],
                )


def carried_over_figures(cat: Catalogue, result: Followup) -> None:
    """Money carried over from earlier years, followed up apart from the year's grant."""
    sources = result.plan.pot_sources
    for carry in result.carry_over:
        pots = [
            f"medel_{slug(pot.name)}_fordelat"
            for pot in result.plan.params.pots
            if sources[pot.name] == f"carry-over:{carry.year}"
        ]
        cat.add(
            f"kvarvarande_{carry.year}_fordelat",
            carry.allocated,
            "kr",
            f"fördelat av kvarvarande medel från {carry.year}",
            derived_from=[name for name in pots if name in cat],
        )
        if carry.used is None:
            continue
        used = spend_figure(
            cat,
            result,
            f"kvarvarande_{carry.year}_forbrukat",
            carry.used,
            f"förbrukat av kvarvarande medel från {carry.year}",
            f"där fund == kvarvarande {carry.year}",
        ).name
        if f"kvarvarande_{carry.year}" in cat and carry.unused is not None:
            cat.add(
                f"kvarvarande_{carry.year}_outnyttjat",
                carry.unused,
                "kr",
                f"outnyttjat av kvarvarande medel från {carry.year}",
                derived_from=[f"kvarvarande_{carry.year}", used],
            )


def ineligible_figures(cat: Catalogue, r: Followup) -> None:
    """Each spend row outside the rules, by its row number in the spend file, and the rows of
    kinds of activity no source for the organisation classifies (``forbrukat_ej_bedomt``)."""
    if r.unclassified:
        rows = ", ".join(str(line.row) for line in r.unclassified)
        spend_figure(
            cat,
            r,
            "forbrukat_ej_bedomt",
            sum(line.amount for line in r.unclassified),
            "förbrukat inom verksamhetstyper som ingen källa för organisationen delar in",
            rows,
        )
    for item in r.ineligible_lines:
        spend_figure(
            cat,
            r,
            f"utanfor_reglerna_rad_{item.line.row}",
            item.line.amount,
            f"använt utanför reglerna, rad {item.line.row} ({item.reason})",
            str(item.line.row),
        )
