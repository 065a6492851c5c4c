"""The multi-year comparison's tables and charts, chosen from the catalogue by name.

A table marks what rests on made-up data where it is: a column per row in the totals (which of
the row's amounts are made up), the years or cells in the others; a chart stripes each made-up
column and explains the stripes in its legend.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from gnvtools.core.figures import slug
from gnvtools.core.regimes import get_regime, join_words
from gnvtools.reports import charts
from gnvtools.reports.comparison_inputs import OTHER_GROUP, SCHOOL, Year
from gnvtools.reports.display import Cell, Table, kinds
from gnvtools.reports.table_cells import Named, NamedTable

if TYPE_CHECKING:
    from gnvtools.reports.comparison import Comparison

#: The totals table's amounts: column, figure name.
TOTALS = (
    ("Mottaget", "mottaget"),
    ("Fördelat", "fordelat_statsbidrag"),
    ("Förbrukat", "forbrukat"),
    ("Outnyttjat vid årets slut", "outnyttjat"),
    ("Nyttjandegrad", "nyttjandegrad"),
    ("Kvarvarande medel från tidigare år", "kvarvarande_totalt"),
)


def _made_up_in(year: Year) -> str:
    """Which of the year's totals are made up, in words (``"förbrukat och outnyttjat"``)."""
    found = [column.lower() for column, name in TOTALS if year.made_up(name)]
    return join_words(found) if found else "inget"


def precision_notes(years: list[Year], names: list[tuple[str, str]]) -> list[str]:
    """A note per amount that rests on a rounded source figure or on an uncertain reading:
    the cell shows whole kronor, the note how exactly the amount is known."""
    notes = []
    for year in years:
        for label, name in names:
            precision = year.precision(name)
            if precision == "cirka" and year.amount(name) is not None:
                notes.append(f"{year.spec.year}, {label.lower()}: ungefärligt, {year.text(name)}.")
            elif precision == "osäker":
                notes.append(
                    f"{year.spec.year}, {label.lower()}: bygger på en osäker avläsning av källan."
                )
    return notes


def _named(year: Year, name: str) -> Named:
    """The year's figure ``ar_<year>_<name>`` as a cell (missing when the year lacks it)."""
    value = year.figure(name)
    if isinstance(value, (int, Fraction)):
        return Named(value, year.name(name))
    return Named(None, "")


def totals_table(c: Comparison) -> Table:
    rows: list[list[Cell | Named]] = []
    for year in c.years:
        values = [_named(year, name) for _, name in TOTALS]
        rows.append([str(year.spec.year), year.label, *values, _made_up_in(year)])
    any_made_up = any(row[-1] != "inget" for row in rows)
    return NamedTable.of(
        rows,
        title="Totalt per år",
        columns=["År", "Regelverk", *(column for column, _ in TOTALS), "Påhittat exempel"],
        kinds=["text", "text", "kr", "kr", "kr", "kr", "percent", "kr", "text"],
        notes=[" ".join(y.spec.note.split()) for y in c.years if y.spec.note]
        + precision_notes(c.years, [(column, name) for column, name in TOTALS]),
        illustrative="varje rad anger vilka av dess belopp som är påhittade exempel."
        if any_made_up
        else "",
    )


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


def _made_up_cells(cells: list[tuple[str, str, bool]]) -> str:
    """``"2025: Stadsdelsförvaltningar"`` for each made-up (year, label) cell, as a mark."""
    found = [f"{year}: {label}" for year, label, made_up in cells if made_up]
    return f"påhittade exempel är {join_words(found)}." if found else ""


def group_table(c: Comparison) -> Table:
    labels = c.group_labels()
    columns = ["Mottagargrupp"]
    data: list[tuple[Year, bool, dict[str, int] | None]] = []
    for year in c.years:
        columns.append(f"{year.spec.year}")
        data.append((year, False, c.allocated_by_group(year, carry_over=False)))
        carry = c.allocated_by_group(year, carry_over=True)
        if carry and any(carry.values()):
            columns.append(f"{year.spec.year}, kvarvarande medel")
            data.append((year, True, carry))
    rows: list[list[Cell | Named]] = []
    cells: list[tuple[str, str, bool]] = []
    for label in labels:
        values = [None if d is None else d.get(label, 0) for _, _, d in data]
        if label == OTHER_GROUP and not any(values):
            continue
        tails = ["_kvarvarande" if carry else "" for _, carry, _ in data]
        rows.append(
            [
                label,
                *(
                    Named(v, year.name(f"grupp_{slug(label)}{tail}") if v is not None else "")
                    for v, (year, _, _), tail in zip(values, data, tails, strict=True)
                ),
            ]
        )
        for year, carry_over, d in data:
            name = f"grupp_{slug(label)}" + ("_kvarvarande" if carry_over else "")
            if d is not None:
                where = f"{year.spec.year}" + (", kvarvarande medel" if carry_over else "")
                cells.append((where, label, year.made_up(name)))
    footer: list[Cell | Named] = ["Summa"]
    for year, carry_over, found in data:
        name = year.name("grupp_summa" + ("_kvarvarande" if carry_over else ""))
        footer.append(Named(None, "") if found is None else Named(sum(found.values()), name))
    return NamedTable.of(
        rows,
        footer,
        title="Tilldelat per mottagargrupp",
        columns=columns,
        kinds=kinds("text", "kr", len(data)),
        illustrative=_made_up_cells(cells),
    )


def school_chart(c: Comparison) -> charts.Chart:
    years = [str(y.spec.year) for y in c.years]
    grant = [c.allocated_by_group(y, False) for y in c.years]
    carry = [c.allocated_by_group(y, True) for y in c.years]
    name = f"grupp_{slug(SCHOOL)}"
    return charts.grouped_columns(
        years,
        {
            "Skola och förskola, årets statsbidrag": [
                None if g is None else g.get(SCHOOL, 0) for g in grant
            ],
            "Skola och förskola, kvarvarande medel": [
                None if k is None else k.get(SCHOOL, 0) for k in carry
            ],
        },
        title="Skola och förskola före och efter 2025",
        caption="Medel till skola och förskola per år (miljoner kronor). Från 2025 ligger "
        "de utanför förordningen.",
        made_up={
            "Skola och förskola, årets statsbidrag": [y.made_up(name) for y in c.years],
            "Skola och förskola, kvarvarande medel": [
                y.made_up(name + "_kvarvarande") for y in c.years
            ],
        },
    )


def _per_year_table(
    c: Comparison,
    title: str,
    first: str,
    per_year: list[dict[str, int] | None],
    labels: list[str],
    kind: str,
) -> NamedTable:
    rows: list[list[Cell | Named]] = []
    for label in labels:
        values = [None if d is None else d.get(label, 0) for d in per_year]
        if all(v in (0, None) for v in values) and label not in c.core_labels():
            continue
        name = f"{kind}_{slug(label)}"
        rows.append(
            [
                label,
                *(
                    Named(v, y.name(name) if v is not None and y.figure(name) is not None else "")
                    for v, y in zip(values, c.years, strict=True)
                ),
            ]
        )
    footer: list[Cell | Named] = ["Summa"]
    for d, y in zip(per_year, c.years, strict=True):
        footer.append(
            Named(None, "") if d is None else Named(sum(d.values()), y.name(f"{kind}_summa"))
        )
    made_up_years = [
        str(y.spec.year)
        for y in c.years
        if any(y.made_up(f"{kind}_{slug(label)}") for label in labels)
    ]
    names = [(label, f"{kind}_{slug(label)}") for label in labels]
    return NamedTable.of(
        rows,
        footer,
        title=title,
        notes=precision_notes(c.years, names),
        columns=[first, *[str(y.spec.year) for y in c.years]],
        kinds=kinds("text", "kr", len(c.years)),
        illustrative=f"beloppen för {join_words(made_up_years)} är påhittade exempel."
        if made_up_years
        else "",
    )


def area_table(c: Comparison) -> Table:
    return _per_year_table(
        c,
        "Förbrukat per gemensamt område",
        "Gemensamt område",
        [c.used_by_common_area(y) for y in c.years],
        c.area_labels(),
        "omrade",
    )


def mapping_table(c: Comparison) -> Table:
    rows: list[list[Cell]] = []
    for area in c.mapping.areas:
        for regime_id, numbers in area.regimes.items():
            regime = get_regime(regime_id)
            for number in numbers:
                rows.append([area.label, regime.short, regime.area_label(number)])
    return Table(
        title="Mappning av insatsområden",
        columns=["Gemensamt område", "Regelverk", "Insatsområde"],
        kinds=["text", "text", "text"],
        rows=rows,
    )


def activity_table(c: Comparison) -> Table:
    from gnvtools.core.multiyear import REPORTED_GAP

    labels = [*c.activity_labels(), REPORTED_GAP]
    table = _per_year_table(
        c,
        "Förbrukat per verksamhet",
        "Verksamhet",
        [c.used_by_activity_group(y) for y in c.years],
        labels,
        "verksamhet",
    )
    # Money carried over from earlier years is followed up apart; where it is not, its use
    # is unknown and shown as missing, never as 0 kr.
    for year in c.years:
        if year.result is None or not year.result.carry_over:
            continue
        found = c.by_label(year, "verksamhet", c.activity_labels(), "_kvarvarande")
        by_label = found or None
        table.columns = [*table.columns, f"{year.spec.year}, kvarvarande medel"]
        table.kinds = [*table.kinds, "kr"]
        for row, names in zip(table.rows, table.cells, strict=True):
            value = None if by_label is None else by_label.get(str(row[0]), 0)
            row.append(value)
            name = year.name(f"verksamhet_{slug(str(row[0]))}_kvarvarande")
            names.append(name if value is not None and name in c.figures else "")
        if table.footer is not None:
            table.footer = [*table.footer, None if by_label is None else sum(found.values())]
            summa = year.name("verksamhet_summa_kvarvarande")
            table.footer_cells = [*(table.footer_cells or []), summa if by_label else ""]
        if by_label is None:
            allocated = [
                year.text(f"kvarvarande_{carry.year}_fordelat") for carry in year.result.carry_over
            ]
            table.notes.append(
                f"Kvarvarande medel som fördelades {year.spec.year} ({join_words(allocated)}) är "
                "inte uppföljda; deras förbrukning saknas och visas inte som 0 kr."
            )
    return table
