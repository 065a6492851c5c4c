"""The year-end follow-up's tables and charts, each chosen and ordered from named figures.

Made-up marks are per row where a table mixes real and made-up figures (the key figures), per
table where every row rests on made-up rows (per recipient, per activity), and absent where the
figures are the organisation's own (per area, when it reported them). A chart draws a made-up
series striped, with a legend entry that says so.
"""

from __future__ import annotations

from fractions import Fraction

from gnvtools.core.figures import Catalogue, slug
from gnvtools.core.followup import Followup
from gnvtools.core.formatting import count
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
    proposed_reading,
    requisition_steps,
)
from gnvtools.reports.memo_sections import genitive_stem
from gnvtools.reports.table_cells import Named, NamedTable, fig

ROWS_NOTE = "raderna per mottagare och aktivitet är påhittade exempel; se Observera överst."
#: A cell that does not apply (no requisition step, nothing allocated): not a missing figure.
NOT_APPLICABLE = "\u2013"


def _not_applicable(value: int | Fraction | None, name: str) -> Cell | Named:
    """A figure's cell, or "–" where it does not apply (no requisition step, nothing
    allocated): not "uppgift saknas", which is a figure nobody stated."""
    return NOT_APPLICABLE if value is None else Named(value, name)


def recipient_table(r: Followup, f: Catalogue | None = None) -> Table:
    """Each cell the catalogue's ``mottagare_<r>_…`` figure (``core.yearend_tables``); each
    row resting on made-up data says so in its label."""
    rows: list[list[Cell | Named]] = []
    mark = MADE_UP if r.illustrative or r.requisitions_illustrative else ""
    for who in sorted(r.by_recipient.values(), key=lambda w: (w.group, swedish_key(w.name))):
        head = f"mottagare_{slug(who.name)}"
        rows.append(
            [
                who.name + mark,
                Named(who.allocated, f"{head}_tilldelat"),
                _not_applicable(who.requisitioned, f"{head}_rekvirerat"),
                Named(who.used, f"{head}_forbrukat"),
                Named(who.unused, f"{head}_outnyttjat"),
                Named(who.ineligible, f"{head}_utanfor_reglerna"),
                _not_applicable(who.used_share, f"{head}_andel_forbrukat"),
            ]
        )
    return _recipient_table(r, rows, recipient_notes(r, f), mark)


def recipient_notes(r: Followup, f: Catalogue | None) -> list[str]:
    """What a dash means, who did not requisition (their names marked when made up, beside
    the count the source states), and why the rows' use differs from the reported total."""
    notes = []
    figures = list(r.by_recipient.values())
    if r.requisitioned is not None and any(w.requisitioned is None for w in figures):
        notes.append(
            f"Rekvirerat {NOT_APPLICABLE}: mottagaren ingick inte i något rekvisitionssteg."
        )
    if any(w.used_share is None for w in figures):
        notes.append(f"Förbrukat av tilldelat {NOT_APPLICABLE}: mottagaren tilldelades inget.")
    if r.not_requisitioned:
        names = join_words(r.not_requisitioned)
        part = r.requisition_target is not None and r.requisition_target < r.received
        # Only part of the money could be requisitioned: say which (Stockholm 2023).
        which = f" i {join_words(requisition_steps(r))}" if part else ""
        if not r.requisitions_illustrative:
            notes.append(f"Rekvirerade inga medel{which}: {names}.")
        elif f is not None and not f["antal_ej_rekvirerat"].illustrative:
            stated = count(f.amount("antal_ej_rekvirerat"), "mottagare", "mottagare")
            notes.append(
                f"Rekvirerade inga medel{which}: {names} (påhittat exempel; källan anger att "
                f"{stated} inte rekvirerade, men inte vilka)."
            )
        else:
            notes.append(f"Rekvirerade inga medel{which}: {names}{MADE_UP}.")
    if r.reported_used is not None and r.reported_used != r.rows_used:
        notes.append(
            "Förbrukningen per mottagare är summan av förbrukningsraderna; skillnaden mot den "
            "redovisade totalen är inte fördelad på mottagare."
        )
    return notes


def _recipient_table(
    r: Followup, rows: list[list[Cell | Named]], notes: list[str], mark: str
) -> Table:
    return NamedTable.of(
        rows,
        [
            "Summa" + mark,
            Named(r.allocated, "fordelat_statsbidrag"),
            _not_applicable(r.requisitioned, "rekvirerat"),
            Named(r.rows_used, "forbrukat_enligt_rader"),
            Named(r.rows_unused, "outnyttjat_enligt_rader"),
            Named(r.ineligible, "utanfor_reglerna"),
            _not_applicable(r.rows_share, "andel_forbrukat_enligt_rader"),
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
            rows.append([r.regime.activity_label(kind), used, "okänt", ""])
            continue
        rows.append([r.regime.activity_label(kind), used, *eligibility(r, kind)])
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
        total, details = "Om totalen räknas", f"Om bara {detail_words(r)} räknas"
        if proposed_reading(r, f)[1] == "att_betala_tillbaka":
            total += " (förslaget)"
        else:
            details += " (förslaget)"
        columns = ["Post", total, details]
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
