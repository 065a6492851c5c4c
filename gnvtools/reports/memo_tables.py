"""The allocation memo's tables and chart, from the allocation as the decision knows it.

A requisition step shows each recipient's ceiling (``Tak``), never what was requisitioned. A row
that rests on made-up data (a key over made-up rows) carries the mark on the row itself; real
rows carry none.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from gnvtools.core.allocation import RESERVE, StepResult
from gnvtools.core.formatting import kr
from gnvtools.core.model import Allocation
from gnvtools.core.params import FrameStatement, Params
from gnvtools.core.regimes import join_words
from gnvtools.reports import charts
from gnvtools.reports.display import Cell, Table, kinds

BASIS_LABELS = {
    "population": "befolkning",
    "hsl-individuals": "individer med kommunal hälso- och sjukvård",
    "rural": "landsbygd",
    "area": "insatsområde",
    "other": "övrigt",
}
MAX_ROWS = 40
#: Beside a recipient whose amount rests on made-up data.
MADE_UP = " (påhittat)"
MADE_UP_NOTE = (
    "rader märkta (påhittat) bygger på påhittade nyckeltal; övriga belopp är organisationens egna."
)
#: In the per-recipient table a marked row may also hold real fixed amounts.
MADE_UP_ROWS_NOTE = (
    "i rader märkta (påhittat) bygger tak och belopp fördelade efter nyckel på påhittade "
    "nyckeltal; fasta och lika belopp är organisationens egna."
)


def received_table(params: Params) -> Table:
    total = params.received.total
    rows: list[list[Cell]] = [
        [c.name, BASIS_LABELS[c.basis], c.amount, Fraction(c.amount, total)]
        for c in params.received.components
    ]
    rough = [c.name.lower() for c in params.received.components if c.precision != "exakt"]
    notes = []
    if rough:
        notes.append(f"Källan anger {join_words(rough)} avrundat; summan är därför ungefärlig.")
    return Table(
        title="Mottagna medel",
        columns=["Delbelopp", "Grund", "Belopp", "Andel"],
        kinds=["text", "text", "kr", "percent"],
        rows=rows or [["Statsbidrag", "", total, Fraction(1)]],
        footer=[
            "Summa",
            "",
            sum(c.amount for c in params.received.components) or total,
            Fraction(1),
        ],
        notes=notes,
    )


def frames_table(statements: Sequence[FrameStatement]) -> Table | None:
    """The national frames as each (citable) source states them, side by side."""
    if not statements:
        return None
    rows: list[list[Cell]] = []
    for s in statements:
        parts = " + ".join(kr(part.amount) for part in s.parts) or None
        parts_sum = sum(part.amount for part in s.parts) if s.parts else None
        rows.append([s.source, s.total, parts, parts_sum, s.municipal])
    return Table(
        title="Nationella ramar i källorna",
        columns=["Källa", "Total", "Delramar", "Delramarnas summa", "Kommunernas ram"],
        kinds=["text", "kr", "text", "kr", "kr"],
        rows=rows,
        notes=["Där källorna inte stämmer överens visas skillnaden under Kontroller."],
    )


def step_table(pot: str, result: StepResult, made_up: bool) -> Table:
    """One step's lines; a requisition step's ceilings (what may be requisitioned)."""
    requisition = result.kind == "requisition"
    column = "Tak" if requisition else "Belopp"
    mark = MADE_UP if made_up else ""
    rows: list[list[Cell]] = [
        [line.recipient + mark, line.ceiling if requisition else line.amount]
        for line in result.lines
    ]
    notes = []
    if len(rows) > MAX_ROWS:
        shown = sorted(rows, key=lambda r: -int(r[1] or 0))[:20]
        rest = [r for r in rows if r not in shown]
        notes.append(
            f"Tabellen visar de 20 största av {len(rows)} mottagare; övriga {len(rest)} är "
            "sammanslagna. Alla rader finns i CSV-filen från gnv allocate."
        )
        rows = [*shown, [f"Övriga {len(rest)} mottagare", sum(int(r[1] or 0) for r in rest)]]
    total = sum(line.ceiling or 0 for line in result.lines) if requisition else result.placed
    return Table(
        title=f"{pot}: {result.step}",
        columns=["Mottagare", column],
        kinds=["text", "kr"],
        rows=rows,
        footer=["Summa", total],
        notes=notes,
        illustrative=MADE_UP_NOTE if made_up else "",
    )


def recipient_table(decision: Allocation, made_up: set[str]) -> Table:
    """Per recipient and pot: fixed amounts and, for a requisition, the ceiling."""
    pots = [_pot_column(p.pot.name, p.steps) for p in decision.pots]
    matrix: dict[str, dict[str, int]] = {}
    for pot, column in zip(decision.pots, pots, strict=True):
        for line in pot.lines:
            if line.recipient != RESERVE or line.amount:
                row = matrix.setdefault(line.recipient, dict.fromkeys(pots, 0))
                row[column] += line.amount
    rows: list[list[Cell]] = [
        [name + (MADE_UP if name in made_up else ""), *values.values(), sum(values.values())]
        for name, values in matrix.items()
    ]
    rows.sort(key=lambda r: (str(r[0]).startswith(RESERVE), -int(r[-1] or 0)))
    notes = []
    if len(rows) > MAX_ROWS:
        notes.append(f"Tabellen visar de {MAX_ROWS} största av {len(rows)} mottagare.")
        rows = rows[:MAX_ROWS]
    if any(_pot_column(p.pot.name, p.steps) != p.pot.name for p in decision.pots):
        notes.append(
            "För ett steg med rekvisition visas taket: det högsta belopp som kan rekvireras."
        )
    totals = [p.placed for p in decision.pots]
    marked = made_up & set(matrix)
    return Table(
        title="Fördelning per mottagare",
        columns=["Mottagare", *pots, "Totalt"],
        kinds=kinds("text", "kr", len(pots) + 1),
        rows=rows,
        footer=["Summa", *totals, sum(totals)],
        notes=notes,
        illustrative=MADE_UP_ROWS_NOTE if marked else "",
    )


def _pot_column(name: str, steps: tuple[StepResult, ...]) -> str:
    return f"{name} (tak)" if any(s.kind == "requisition" for s in steps) else name


def chart(decision: Allocation, year: int, made_up: set[str]) -> charts.Chart:
    totals = decision.by_recipient()
    totals.pop(RESERVE, None)
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:25]
    requisition = any(s.kind == "requisition" for p in decision.pots for s in p.steps)
    caption = "Belopp per mottagare, alla medel sammanlagda (miljoner kronor)"
    caption += "; för rekvisition visas taket." if requisition else "."
    if made_up & {name for name, _ in ranked}:
        caption += " Staplar märkta (påhittat) bygger på påhittade nyckeltal."
    return charts.horizontal_bars(
        [name + (MADE_UP if name in made_up else "") for name, _ in ranked],
        {"Högst" if requisition else "Fördelat": [amount for _, amount in ranked]},
        title=f"Fördelning per mottagare {year}",
        caption=caption,
    )
