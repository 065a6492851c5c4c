"""The year-end follow-up's tables and charts, each chosen and ordered from named figures.

Made-up marks are per row where a table mixes real and made-up figures (the key figures), per
table where every row rests on made-up rows (per recipient, per activity), and absent where the
figures are the organisation's own (per area, when it reported them). A chart draws a made-up
series hatched, with a legend entry that says so.
"""

from __future__ import annotations

from gnvtools.core.figures import Catalogue, slug
from gnvtools.core.followup import Followup
from gnvtools.core.money import swedish_key
from gnvtools.core.regimes import join_words
from gnvtools.core.yearend_tables import NO_KIND
from gnvtools.reports import charts
from gnvtools.reports.display import Cell, Table, kinds
from gnvtools.reports.followup_phrases import (
    MADE_UP,
    detail_words,
    difference_open,
    made_up,
)
from gnvtools.reports.memo_sections import genitive_stem
from gnvtools.reports.table_cells import Named, NamedTable, fig

#: The key-figures table: each row's label and the figure it shows.
KEY_FIGURES = (
    ("Mottaget statsbidrag", "mottaget"),
    ("Fördelat till mottagare", "fordelat_statsbidrag"),
    ("Begärt av mottagarna", "begart"),
    ("Beviljat vid rekvisitionen", "rekvirerat"),
    ("Redovisad förbrukning (total)", "redovisat_forbrukat"),
    ("Förbrukat", "forbrukat"),
    ("Outnyttjat", "outnyttjat"),
    ("Använt utanför reglerna", "utanfor_reglerna"),
    ("Att betala tillbaka", "att_betala_tillbaka"),
    ("Förs över till nästa år", "fors_over"),
    ("Kvarvarande medel från tidigare år, följs upp för sig", "kvarvarande_totalt"),
)
#: Rows shown only when their figure exists (the others show "uppgift saknas").
OPTIONAL_ROWS = ("redovisat_forbrukat", "kvarvarande_totalt")
ROWS_NOTE = "raderna per mottagare och aktivitet är påhittade exempel; se Observera överst."


def key_figures(r: Followup, f: Catalogue) -> Table:
    rows: list[list[Cell | Named]] = []
    # Where the sources are silent on unused money, no repayment or carry-over is claimed.
    silent = r.regime.unused_must_be_repaid is None and not r.ineligible
    for label, name in KEY_FIGURES:
        if name not in f and name in OPTIONAL_ROWS:
            continue
        if silent and name in ("att_betala_tillbaka", "fors_over"):
            continue
        rows.append(
            [label + _precision(f, name) + (MADE_UP if made_up(f, name) else ""), fig(f, name)]
        )
    any_made_up = any(made_up(f, name) for _, name in KEY_FIGURES)
    return NamedTable.of(
        rows,
        title="Nyckeltal",
        columns=["Post", "Belopp"],
        kinds=["text", "kr"],
        notes=[f"Nyttjandegrad: {f.text('nyttjandegrad')} (förbrukat som andel av mottaget)."],
        illustrative="raderna märkta påhittat exempel bygger på påhittade rekvisitioner."
        if any_made_up
        else "",
    )


def _precision(f: Catalogue, name: str) -> str:
    """A row label's note when its figure is approximate or an uncertain reading."""
    precision = getattr(f[name], "precision", "exakt") if name in f else "exakt"
    return {"cirka": " (cirka)", "osäker": " (osäker avläsning)"}.get(precision, "")


def recipient_table(r: Followup) -> Table:
    """Each cell the catalogue's ``mottagare_<r>_…`` figure (``core.yearend_tables``)."""
    rows: list[list[Cell | Named]] = []
    for who in sorted(r.by_recipient.values(), key=lambda w: (w.group, swedish_key(w.name))):
        head = f"mottagare_{slug(who.name)}"
        share = who.used_share
        rows.append(
            [
                who.name,
                Named(who.allocated, f"{head}_tilldelat"),
                Named(
                    who.requisitioned, f"{head}_rekvirerat" if who.requisitioned is not None else ""
                ),
                Named(who.used, f"{head}_forbrukat"),
                Named(who.unused, f"{head}_outnyttjat"),
                Named(who.ineligible, f"{head}_utanfor_reglerna"),
                Named(share, f"{head}_andel_forbrukat" if share is not None else ""),
            ]
        )
    notes = []
    if r.requisitioned is not None and any(
        w.requisitioned is None for w in r.by_recipient.values()
    ):
        notes.append("Rekvirerat anges som uppgift saknas för mottagare utan rekvisition.")
    if r.not_requisitioned:
        notes.append(f"Rekvirerade inga medel: {join_words(r.not_requisitioned)}.")
    if r.reported_used is not None and r.reported_used != r.rows_used:
        notes.append(
            "Förbrukningen per mottagare är summan av förbrukningsraderna; skillnaden mot den "
            "redovisade totalen är inte fördelad på mottagare."
        )
    return NamedTable.of(
        rows,
        [
            "Summa",
            Named(r.allocated, "fordelat_statsbidrag"),
            Named(r.requisitioned, "rekvirerat" if r.requisitioned is not None else ""),
            Named(r.rows_used, "forbrukat_enligt_rader"),
            Named(r.rows_unused, "outnyttjat_enligt_rader"),
            Named(r.ineligible, "utanfor_reglerna"),
            Named(r.rows_share, "andel_forbrukat_enligt_rader" if r.rows_share is not None else ""),
        ],
        title="Per mottagare",
        columns=[
            "Mottagare",
            "Tilldelat",
            "Rekvirerat",
            "Förbrukat",
            "Outnyttjat",
            "Utanför reglerna",
            "Förbrukat av tilldelat",
        ],
        kinds=["text", "kr", "kr", "kr", "kr", "kr", "percent"],
        notes=notes,
        illustrative=ROWS_NOTE if r.illustrative or r.requisitions_illustrative else "",
    )


def area_table(r: Followup, f: Catalogue) -> Table:
    """Use per area; its sum says what it sums (the organisation's per-area figures, or the
    rows), and a reconciliation row leads from that sum to the year's use when they differ."""
    own = bool(r.reported_by_area)
    rows: list[list[Cell | Named]] = []
    for area in r.by_area:
        label = r.regime.area_label(area)
        if area in r.uncertain_areas:
            label += " (osäker avläsning)"
        if own and area not in r.reported_by_area and r.rows_by_area.get(area):
            label += " (inget redovisat belopp; se kontrollerna)"
        rows.append([label, fig(f, f"forbrukat_omrade_{area}"), fig(f, f"andel_omrade_{area}")])
    if r.unassigned and not own:
        rows.append(
            [
                "Utan angivet insatsområde",
                fig(f, "forbrukat_utan_omrade"),
                fig(f, "andel_utan_omrade"),
            ]
        )
    name = r.plan.params.organisation.name
    what = f"Summa enligt {genitive_stem(name)}s redovisning" if own else "Summa enligt raderna"
    summed: list[Cell | Named] = [
        what,
        fig(f, "forbrukat_per_omrade_summa"),
        fig(f, "andel_per_omrade_summa"),
    ]
    footer: list[Cell | Named] = summed
    if "forbrukat_utover_omradestabellen" in f:
        used = "Förbrukat (redovisad total)" if "redovisat_forbrukat" in f else "Förbrukat"
        rows.append(summed)
        rows.append(
            [
                "+ Inte fördelat på insatsområde",
                fig(f, "forbrukat_utover_omradestabellen"),
                fig(f, "andel_utover_omradestabellen"),
            ]
        )
        footer = [f"= {used}", fig(f, "forbrukat"), fig(f, "andel_forbrukat_summa")]
    notes = [f"Område {area}: {reading}." for area, reading in sorted(r.uncertain_areas.items())]
    if own:
        notes.append(f"Beloppen per område är {genitive_stem(name)}s egen redovisning.")
        if r.unassigned:
            notes.append(
                f"Förbrukningsrader utan insatsområde ({f.text('forbrukat_utan_omrade')}) ingår "
                "inte i beloppen per område."
            )
    area_made_up = any(made_up(f, f"forbrukat_omrade_{a}") for a in r.by_area)
    return NamedTable.of(
        rows,
        footer,
        title="Per insatsområde",
        columns=["Insatsområde", "Förbrukat", "Andel av förbrukat"],
        kinds=["text", "kr", "percent"],
        notes=notes,
        illustrative=ROWS_NOTE if area_made_up else "",
    )


def eligibility(r: Followup, kind: str) -> tuple[str, str]:
    """Whether a kind of activity is inside the rules, and the source that says so: only the
    organisation's own reading classifies a kind; without one it is not judged."""
    owner = genitive_stem(r.plan.params.organisation.name) + "s"
    if r.reading.classifies(kind):
        allowed = "nej" if kind in r.reading.ineligible else "ja"
        return allowed, f"{owner} egen tolkning ({r.reading.cited})"
    return "ej bedömt", f"ingen källa för {r.plan.params.organisation.name} anger det"


def activity_table(r: Followup) -> Table:
    totals: dict[str, int] = {}
    for line in r.spend:
        kind = line.activity_type or NO_KIND
        totals[kind] = totals.get(kind, 0) + line.amount
    rows: list[list[Cell | Named]] = []
    for kind, amount in sorted(totals.items(), key=lambda kv: -kv[1]):
        used = Named(amount, f"forbrukat_verksamhet_{slug(kind)}")
        if kind == NO_KIND:
            rows.append([kind, used, "okänt", ""])
            continue
        rows.append([kind, used, *eligibility(r, kind)])
    return NamedTable.of(
        rows,
        ["Summa", Named(r.rows_used, "forbrukat_enligt_rader"), "", ""],
        title="Per verksamhet",
        columns=["Verksamhet", "Förbrukat", "Inom reglerna", "Enligt"],
        kinds=["text", "kr", "text", "text"],
        illustrative=ROWS_NOTE if r.illustrative else "",
    )


def repayment_table(r: Followup, f: Catalogue) -> Table:
    """The repayment as a sum with its parts; a second column when the reported total and its
    details disagree (the alternative reading)."""
    alternative = difference_open(f)
    used = "Förbrukat (redovisad total)" if "redovisat_forbrukat" in f else "Förbrukat"

    def row(label: str, name: str, other: str | None = None) -> list[Cell | Named]:
        values: list[Cell | Named] = [label, fig(f, name)]
        if alternative:
            values.append(fig(f, other or name))
        return values

    detail = "forbrukat_inom_omraden" if r.reported_by_area else "forbrukat_enligt_rader"
    rows = [
        row("Mottaget statsbidrag", "mottaget"),
        row(f"− {used}", "forbrukat", detail),
        row("− Förs över till nästa år", "fors_over"),
        row("+ Använt utanför reglerna", "utanfor_reglerna"),
    ]
    columns = ["Post", "Belopp"]
    if alternative:
        columns = ["Post", "Om totalen räknas", f"Om bara {detail_words(r)} räknas"]
    footer: list[Cell | Named] = ["= Att betala tillbaka", fig(f, "att_betala_tillbaka")]
    if alternative:
        footer.append(fig(f, "att_betala_tillbaka_enligt_detaljerna"))
    return NamedTable.of(
        rows,
        footer,
        title="Återbetalning",
        columns=columns,
        kinds=kinds("text", "kr", len(columns) - 1),
        illustrative=ROWS_NOTE if made_up(f, "att_betala_tillbaka") else "",
    )


def area_chart(r: Followup, f: Catalogue) -> charts.Chart:
    labels = [r.regime.area_label(a) for a in r.by_area]
    values = list(r.by_area.values())
    if r.unassigned:
        labels.append("Utan insatsområde")
        values.append(r.unassigned)
    rows = any(made_up(f, f"forbrukat_omrade_{a}") for a in r.by_area)
    caption = "Förbrukade medel per insatsområde (miljoner kronor)."
    if r.uncertain_areas:
        areas = join_words([str(a) for a in sorted(r.uncertain_areas)])
        word = "område" if len(r.uncertain_areas) == 1 else "områdena"
        caption += f" Staplarna för {word} {areas} bygger på en osäker avläsning av källan."
    return charts.horizontal_bars(
        labels,
        {"Förbrukat": values},
        title=f"Förbrukning per insatsområde {r.plan.params.year}",
        caption=caption,
        made_up=["Förbrukat"] if rows else [],
    )


def recipient_chart(r: Followup) -> charts.Chart:
    figures = sorted(r.by_recipient.values(), key=lambda w: -w.allocated)[:25]
    made_up_series = (["Tilldelat"] if r.requisitions_illustrative else []) + (
        ["Förbrukat"] if r.illustrative else []
    )
    return charts.horizontal_bars(
        [w.name for w in figures],
        {"Tilldelat": [w.allocated for w in figures], "Förbrukat": [w.used for w in figures]},
        title=f"Tilldelat och förbrukat per mottagare {r.plan.params.year}",
        caption="Tilldelade och förbrukade medel per mottagare (miljoner kronor).",
        made_up=made_up_series,
    )
