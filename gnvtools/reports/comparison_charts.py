"""The multi-year comparison's charts: the totals per year and the money of the groups the
grant leaves outside from a year on. Each made-up column is striped and its legend says so;
a figure nobody stated is drawn as missing, never as 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gnvtools.core.figures import slug
from gnvtools.core.regimes import join_words
from gnvtools.reports import charts

if TYPE_CHECKING:
    from gnvtools.reports.comparison import Comparison


def totals_chart(c: Comparison) -> charts.Chart:
    series = {
        "Mottaget": "mottaget",
        "Förbrukat": "forbrukat",
        "Outnyttjat vid årets slut": "outnyttjat",
    }
    made_up = {label: [y.made_up(name) for y in c.years] for label, name in series.items()}
    caption = (
        "Mottagna, förbrukade och outnyttjade medel per år (miljoner kronor). Uppgifter som "
        "saknas är markerade."
    )
    if any(any(flags) for flags in made_up.values()):
        caption += " Streckade staplar är påhittade exempel."
    return charts.grouped_columns(
        [str(y.spec.year) for y in c.years],
        {label: [y.amount(name) for y in c.years] for label, name in series.items()},
        title="Mottaget, förbrukat och outnyttjat per år",
        caption=caption,
        made_up=made_up,
    )


def school_chart(c: Comparison) -> charts.Chart:
    """The money of the groups the grant leaves outside from a year on, per year."""
    years = [str(y.spec.year) for y in c.years]
    series: dict[str, Sequence[int | None]] = {}
    made_up: dict[str, list[bool]] = {}
    for label, _ in c.outside_groups():
        name = f"grupp_{slug(label)}"
        for tail, what in (("", "årets statsbidrag"), ("_kvarvarande", "kvarvarande medel")):
            key = f"{label}, {what}"
            series[key] = [
                None if y.allocation is None else (y.amount(name + tail) or 0) for y in c.years
            ]
            made_up[key] = [y.made_up(name + tail) for y in c.years]
    labels = join_words([label for label, _ in c.outside_groups()])
    return charts.grouped_columns(
        years,
        series,
        title=f"{labels} per år",
        caption=f"Medel till {labels} per år (miljoner kronor).",
        made_up=made_up,
    )
