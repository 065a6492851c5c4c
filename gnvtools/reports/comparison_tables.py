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
from gnvtools.reports.comparison_inputs import OTHER_GROUP, Year
from gnvtools.reports.display import Cell, Table, kinds
from gnvtools.reports.table_cells import Named, NamedTable

if TYPE_CHECKING:
    from gnvtools.reports.comparison import Comparison

#: The totals table's amounts: column, figure name. "Fördelat" says at which stage: what the
#: decision allocated (requisition ceilings counted in full) and what recipients were given once
#: the requisitions were in, two different amounts when not every ceiling was requisitioned.
AMOUNTS = (
    ("Mottaget", "mottaget"),
    ("Fördelat i beslutet (tak medräknade)", "beslut_statsbidrag_fordelat"),
    ("Tilldelat efter rekvisitionerna", "fordelat_statsbidrag"),
    ("Förbrukat", "forbrukat"),
    ("Outnyttjat vid årets slut", "outnyttjat"),
)
#: The second totals table: the year's regime, utilisation and money from earlier years.
USE = (
    ("Nyttjandegrad", "nyttjandegrad"),
    ("Kvarvarande medel från tidigare år", "kvarvarande_totalt"),
)
TOTALS = AMOUNTS + USE
STAGES_NOTE = (
    "Fördelat i beslutet är det som beslutet fördelar till mottagarna av årets statsbidrag, med "
    "taken för rekvisition räknade fullt ut. Tilldelat efter rekvisitionerna är det som "
    "mottagarna fick när rekvisitionerna var gjorda; det som inte rekvirerades ingår inte."
)


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


def _made_up_totals(years: list[Year], columns: tuple[tuple[str, str], ...]) -> str:
    """``"påhittade exempel är 2023: förbrukat och outnyttjat vid årets slut."``"""
    found = []
    for year in years:
        names = [label.lower() for label, name in columns if year.made_up(name)]
        if names:
            found.append(f"{year.spec.year}: {join_words(names)}")
    return f"påhittade exempel är {'; '.join(found)}." if found else ""


def totals_table(c: Comparison) -> Table:
    """The year's amounts, one row a year (regime and shares in ``use_table``)."""
    rows: list[list[Cell | Named]] = [
        [str(year.spec.year), *(_named(year, name) for _, name in AMOUNTS)] for year in c.years
    ]
    return NamedTable.of(
        rows,
        title="Totalt per år",
        columns=["År", *(column for column, _ in AMOUNTS)],
        kinds=["text", "kr", "kr", "kr", "kr", "kr"],
        notes=[STAGES_NOTE]
        + [" ".join(y.spec.note.split()) for y in c.years if y.spec.note]
        + precision_notes(c.years, list(AMOUNTS)),
        illustrative=_made_up_totals(c.years, AMOUNTS),
    )


def use_table(c: Comparison) -> Table:
    """Per year its regime, utilisation and the money carried over from earlier years."""
    rows: list[list[Cell | Named]] = [
        [str(year.spec.year), year.label, *(_named(year, name) for _, name in USE)]
        for year in c.years
    ]
    return NamedTable.of(
        rows,
        title="Regelverk och nyttjandegrad per år",
        columns=["År", "Regelverk", *(column for column, _ in USE)],
        kinds=["text", "text", "percent", "kr"],
        notes=[
            "Nyttjandegraden är förbrukat som andel av mottaget.",
            *precision_notes(c.years, list(USE)),
        ],
        illustrative=_made_up_totals(c.years, USE),
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
        notes=[
            "Beloppen är det som mottagarna tilldelades efter rekvisitionerna (se Totalt per år)."
        ],
        kinds=kinds("text", "kr", len(data)),
        illustrative=_made_up_cells(cells),
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
        title="Insatsområden i den gemensamma indelningen",
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
