"""The multi-year report's catalogue: each year's figures under ``ar_<year>_``, and sums by group.

Naming scheme (stable, documented in docs/parameters.md):

- ``ar_<year>_<name>`` for every figure ``<name>`` of that year's own catalogue: the follow-up
  catalogue when the year file has ``followup``, else the allocation catalogue
  (``ar_2025_mottaget``, ``ar_2025_forbrukat``, ``ar_2025_att_betala_tillbaka``). A year without
  a file has only what the comparison file states: ``ar_2024_mottaget``, ``ar_2024_outnyttjat``.
- ``ar_<year>_grupp_<group>`` what a recipient group of the mapping got of the year's grant,
  ``ar_<year>_grupp_<group>_kvarvarande`` of money carried over from earlier years;
- ``ar_<year>_omrade_<common area>`` the year's use per common area of the mapping (plus
  ``…_omrade_utan_angivet_insatsomrade`` and ``…_omrade_redovisad_total_utover_raderna``);
- ``ar_<year>_verksamhet_<activity group>`` the year's use per activity group (``…_kvarvarande``
  for carried-over money whose use is followed up).

A figure a year does not state is absent, never 0: the report shows it as "uppgift saknas".
All sums are whole kronor; the report only picks figures by name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from gnvtools.core.allocation import RESERVE
from gnvtools.core.figure_sources import InputCell
from gnvtools.core.figures import Catalogue, slug
from gnvtools.core.followup import Followup
from gnvtools.core.followup_sources import spend_cell
from gnvtools.core.memo_figures import step_rests_on_made_up
from gnvtools.core.model import Allocation
from gnvtools.core.multiyear_copy import copy_year, prefix, year_catalogue
from gnvtools.core.spend import SpendLine

NO_AREA = "Utan angivet insatsområde"
REPORTED_GAP = "Redovisad total utöver raderna"
NO_TYPE = "Verksamhet ej angiven"


@dataclass(frozen=True)
class YearSource:
    """One year of the comparison, with the mapping resolved to plain look-ups.

    ``group_of`` maps a recipient to its group label, ``area_of`` an area number of the year's
    regime to its common area, ``activity_of`` an activity type to its activity group.
    ``received`` and ``unused`` are what the comparison file states for a year without a file.
    """

    year: int
    allocation: Allocation | None = None
    result: Followup | None = None
    received: int | None = None
    unused: int | None = None
    group_of: Mapping[str, str] = field(default_factory=dict)
    area_of: Mapping[int, str] = field(default_factory=dict)
    activity_of: Mapping[str, str] = field(default_factory=dict)
    #: Where the comparison file states ``received`` and ``unused`` (for a year without a file).
    received_at: InputCell | None = None
    unused_at: InputCell | None = None


def multi_year_figures(
    years: Sequence[YearSource],
    groups: Sequence[str],
    areas: Sequence[str],
    activities: Sequence[str],
) -> Catalogue:
    """Every year's figures under its prefix, then the sums the report's tables show.

    ``groups`` are the mapping's recipient groups, the last one the catch-all for recipients no
    group names; ``areas`` the common areas; ``activities`` the activity groups.
    """
    cat = Catalogue()
    for year in years:
        _year_figures(cat, year)
        if year.allocation is not None:
            _group_figures(cat, year, groups)
        if year.result is not None:
            _area_figures(cat, year, areas)
            _activity_figures(cat, year, activities)
    return cat


def _year_figures(cat: Catalogue, year: YearSource) -> None:
    head = prefix(year.year)
    if year.allocation is None:
        if year.received is not None:
            cat.add(
                head + "mottaget",
                year.received,
                "kr",
                f"{year.year}: mottaget",
                stage="underlag",
                sources=[year.received_at] if year.received_at else [],
            )
        if year.unused is not None:
            cat.add(
                head + "outnyttjat",
                year.unused,
                "kr",
                f"{year.year}: outnyttjat vid årets slut enligt källorna",
                stage="uppföljning",
                sources=[year.unused_at] if year.unused_at else [],
            )
        return
    copy_year(cat, year_catalogue(year.allocation, year.result), year.year, year.allocation)
    if year.result is None and year.unused is not None:
        cat.add(
            head + "outnyttjat",
            year.unused,
            "kr",
            f"{year.year}: outnyttjat vid årets slut enligt källorna",
            stage="uppföljning",
            sources=[year.unused_at] if year.unused_at else [],
        )


def _group_figures(cat: Catalogue, year: YearSource, groups: Sequence[str]) -> None:
    """Per recipient group, what it got of the year's grant and of carried-over money.

    Each sum is derived from the steps that paid it (``medel_<pot>_steg_<n>``), so it is made
    up when one of those steps' totals is, or when a step split money over made-up rows between
    this group and another; a split inside one group leaves the group's sum real (Stockholm
    2023: the providers' 10 300 000 kr, split by made-up places among providers only).
    """
    assert year.allocation is not None
    head = prefix(year.year)
    plan = year.allocation.plan
    for carry_over in (False, True):
        totals = dict.fromkeys(groups, 0)
        steps: dict[str, list[str]] = {g: [] for g in groups}
        made_up: dict[str, bool] = dict.fromkeys(groups, False)
        for pot_index, pot in enumerate(year.allocation.pots):
            if plan.pot_sources[pot.pot.name].startswith("carry-over") != carry_over:
                continue
            for step_index, step in enumerate(pot.steps):
                name = f"{head}medel_{slug(pot.pot.name)}_steg_{step_index + 1}"
                lines = [line for line in step.lines if line.recipient != RESERVE]
                # A split over made-up rows within one group leaves the group's sum real.
                shared = len({year.group_of.get(x.recipient, groups[-1]) for x in lines}) > 1
                split = shared and step_rests_on_made_up(plan, pot_index, step_index)
                total_made_up = name in cat and cat[name].illustrative
                for line in lines:
                    if not line.amount:
                        continue
                    group = year.group_of.get(line.recipient, groups[-1])
                    totals[group] += line.amount
                    steps[group].append(name)
                    made_up[group] |= split or total_made_up
        if carry_over and not any(totals.values()):
            continue
        tail = "_kvarvarande" if carry_over else ""
        what = "kvarvarande medel" if carry_over else "årets statsbidrag"
        for group, amount in totals.items():
            cat.add(
                f"{head}grupp_{slug(group)}{tail}",
                amount,
                "kr",
                f"{year.year}: {group}, tilldelat av {what}",
                derived_from=[n for n in dict.fromkeys(steps[group]) if n in cat],
                made_up=made_up[group],
            )
        column_sum(cat, head, "grupp", groups, tail)


def _area_figures(cat: Catalogue, year: YearSource, areas: Sequence[str]) -> None:
    assert year.result is not None
    head = prefix(year.year)
    result = year.result
    for label in areas:
        numbers = [n for n, common in year.area_of.items() if common == label]
        cat.add(
            f"{head}omrade_{slug(label)}",
            sum(result.by_area.get(n, 0) for n in numbers),
            "kr",
            f"{year.year}: förbrukat inom {label}",
            stage="uppföljning",
            derived_from=[f"{head}forbrukat_omrade_{n}" for n in numbers],
        )
    # Always stated, so the table's cell is a figure: 0 kr when every row names an area (as
    # the table showed it before, without a made-up mark).
    unassigned = f"{head}forbrukat_utan_omrade"
    cat.add(
        f"{head}omrade_{slug(NO_AREA)}",
        result.unassigned,
        "kr",
        f"{year.year}: förbrukat utan insatsområde",
        stage="uppföljning",
        derived_from=[unassigned] if unassigned in cat else [],
    )
    _reported_gap(cat, year, "omrade")
    column_sum(cat, head, "omrade", [*areas, NO_AREA, REPORTED_GAP])


def _reported_gap(cat: Catalogue, year: YearSource, kind: str) -> None:
    """What the reported total holds beyond the details, so each column sums to the year's use.

    The details of ``omrade`` are the use per area (the organisation's own when it reported
    them) plus the rows without an area; those of ``verksamhet`` are the spend rows.
    """
    result = year.result
    assert result is not None
    head = prefix(year.year)
    if kind == "omrade":
        details = sum(result.by_area.values()) + result.unassigned
        parts = [f"{head}forbrukat_inom_omraden"]
        if result.unassigned:
            parts.append(f"{head}forbrukat_utan_omrade")
    else:
        details, parts = result.rows_used, [f"{head}forbrukat_enligt_rader"]
    # Stated also when 0 kr: the tables show the row for every year.
    cat.add(
        f"{head}{kind}_{slug(REPORTED_GAP)}",
        result.used - details,
        "kr",
        f"{year.year}: redovisad förbrukning utöver raderna",
        derived_from=[f"{head}forbrukat", *parts],
    )


def column_sum(cat: Catalogue, head: str, kind: str, labels: Sequence[str], tail: str = "") -> None:
    """A table column's sum row: ``ar_<year>_<kind>_summa<tail>`` over the labels' figures."""
    names = [f"{head}{kind}_{slug(label)}{tail}" for label in dict.fromkeys(labels)]
    present = [name for name in names if name in cat]
    if present:
        cat.add_sum(
            f"{head}{kind}_summa{tail}",
            present,
            f"{head.removeprefix('ar_').rstrip('_')}: {kind}, summa",
        )


def by_activity(
    lines: Sequence[SpendLine], year: YearSource, activities: Sequence[str]
) -> dict[str, int]:
    """Spend rows summed by activity group; a row whose type no group lists is ``NO_TYPE``."""
    totals = dict.fromkeys([*activities, NO_TYPE], 0)
    for line in lines:
        totals[year.activity_of.get(line.activity_type, NO_TYPE)] += line.amount
    return totals


def _activity_rows(year: YearSource, label: str) -> str:
    """The spend rows an activity group sums, as a row key."""
    if label == NO_TYPE:
        return "där activity_type inte hör till någon grupp"
    kinds = sorted(k for k, group in year.activity_of.items() if group == label)
    return "där activity_type är " + ", ".join(kinds)


def _activity_figures(cat: Catalogue, year: YearSource, activities: Sequence[str]) -> None:
    assert year.result is not None
    head = prefix(year.year)
    result = year.result
    for label, amount in by_activity(result.spend, year, activities).items():
        cat.add(
            f"{head}verksamhet_{slug(label)}",
            amount,
            "kr",
            f"{year.year}: förbrukat inom {label}",
            stage="uppföljning",
            made_up=result.illustrative,
            sources=[spend_cell(result, _activity_rows(year, label))],
        )
    _reported_gap(cat, year, "verksamhet")
    column_sum(cat, head, "verksamhet", [*activities, NO_TYPE, REPORTED_GAP])
    carried = result.carry_over
    if carried and all(c.used is not None for c in carried):
        lines = [line for c in carried for line in c.lines]
        for label, amount in by_activity(lines, year, activities).items():
            cat.add(
                f"{head}verksamhet_{slug(label)}_kvarvarande",
                amount,
                "kr",
                f"{year.year}: förbrukat av kvarvarande medel inom {label}",
                stage="uppföljning",
                made_up=result.illustrative,
            )
        column_sum(cat, head, "verksamhet", [*activities, NO_TYPE], "_kvarvarande")
