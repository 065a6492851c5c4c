"""The allocation memo's tables and chart, from the allocation as the decision knows it.

A requisition step shows each recipient's ceiling (``Tak``), never what was requisitioned. A row
that rests on made-up data (a key over made-up rows) carries the mark on the row itself; real
rows carry none.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from gnvtools.core.allocation import RESERVE, StepResult
from gnvtools.core.figures import slug, unique_slugs
from gnvtools.core.formatting import kr
from gnvtools.core.model import Allocation, at_ceilings
from gnvtools.core.params import FrameStatement, Params
from gnvtools.core.regimes import join_words
from gnvtools.core.table_figures import MAX_ROWS, decision_names, folded, ranking
from gnvtools.reports import charts
from gnvtools.reports.display import Cell, Table, kinds
from gnvtools.reports.table_cells import Named, NamedTable

BASIS_LABELS = {
    "population": "befolkning",
    "hsl-individuals": "individer med kommunal hälso- och sjukvård",
    "rural": "landsbygd",
    "area": "insatsområde",
    "other": "övrigt",
}
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
    """The components with their shares; each cell the catalogue's ``delbelopp_<name>`` and
    ``andel_av_mottaget_<name>`` (``core.table_figures``)."""
    total = params.received.total
    components = params.received.components
    rows: list[list[Cell | Named]] = [
        [
            c.name,
            BASIS_LABELS[c.basis],
            Named(c.amount, f"delbelopp_{slug(c.name)}"),
            Named(Fraction(c.amount, total), f"andel_av_mottaget_{slug(c.name)}"),
        ]
        for c in components
    ]
    # The basis column only when it says more than the component's name (2025: "Befolkning"
    # beside "befolkning" says nothing; 2023: each area is an "insatsområde", nothing either).
    bases = {BASIS_LABELS[c.basis] for c in components}
    said = len(bases) > 1 and any(BASIS_LABELS[c.basis] not in c.name.lower() for c in components)
    if not said:
        rows = [[row[0], *row[2:]] for row in rows]
    rough = [c.name.lower() for c in components if c.precision != "exakt"]
    notes = []
    if rough:
        notes.append(f"Källan anger {join_words(rough)} avrundat; summan är därför ungefärlig.")
    summed = sum(c.amount for c in components)
    shares = sum((Fraction(c.amount, total) for c in components), Fraction(0))
    return NamedTable.of(
        rows
        or [
            [
                "Statsbidrag",
                *([""] if said else []),
                Named(total, "mottaget"),
                Named(Fraction(1), "andel_av_mottaget_summa"),
            ]
        ],
        [
            "Summa",
            *([""] if said else []),
            Named(summed, "delbelopp_summa") if components else Named(total, "mottaget"),
            Named(shares if components else Fraction(1), "andel_av_mottaget_summa"),
        ],
        title="Mottagna medel",
        columns=["Delbelopp", *(["Grund"] if said else []), "Belopp", "Andel"],
        kinds=["text", *(["text"] if said else []), "kr", "percent"],
        notes=notes,
    )


def frames_table(statements: Sequence[FrameStatement]) -> Table | None:
    """The national frames as each (citable) source states them, side by side."""
    if not statements:
        return None
    rows: list[list[Cell | Named]] = []
    for s in statements:
        head = f"nationell_ram_{slug(s.source_id or s.source)}"
        parts = " + ".join(kr(part.amount) for part in s.parts) or None
        parts_sum = sum(part.amount for part in s.parts) if s.parts else None
        rows.append(
            [
                s.source,
                Named(s.total, f"{head}_total"),
                parts,
                Named(parts_sum, f"{head}_delramar" if s.parts else ""),
                Named(s.municipal, f"{head}_kommuner" if s.municipal is not None else ""),
            ]
        )
    return NamedTable.of(
        rows,
        title="Nationella ramar i källorna" if len(statements) > 1 else "Nationell ram",
        columns=["Källa", "Total", "Delramar", "Delramarnas summa", "Kommunernas ram"],
        kinds=["text", "kr", "text", "kr", "kr"],
        notes=(
            ["Där källorna inte stämmer överens visas skillnaden under Kontroller."]
            if len(statements) > 1
            else []
        ),
    )


def step_table(
    pot: str, result: StepResult, made_up: bool, ceilings: bool = True, number: int = 0
) -> Table:
    """One step's lines. A requisition step whose requests come after the decision shows its
    ceilings (what may be requisitioned); one whose requests are known at the decision
    (``stage: beslut``) shows ceiling, request and grant, and sums to the grants.

    ``number`` is the step's number in its pot (from 1): each cell then names its figure,
    ``medel_<pot>_steg_<n>_mottagare_<r>`` (``_tak_…``, ``_begart_…``; ``core.table_figures``).
    """
    requisition = result.kind == "requisition"
    granted = requisition and not ceilings
    mark = MADE_UP if made_up else ""
    step = f"medel_{slug(pot)}_steg_{number}" if number else ""
    if granted:
        columns = ["Mottagare", "Tak", "Begärt", "Beviljat"]
        parts = ["_tak", "_begart", ""]
    else:
        columns = ["Mottagare", "Tak" if requisition else "Belopp"]
        parts = ["_tak" if requisition else ""]
    values = {
        "_tak": {line.recipient: line.ceiling or 0 for line in result.lines},
        "_begart": {line.recipient: line.requested or 0 for line in result.lines},
        "": {line.recipient: line.amount for line in result.lines},
    }

    def named(part: str, tail: str, value: int) -> Named:
        return Named(value, f"{step}{part}{tail}" if step else "")

    shown, rest = folded(ranking(result))
    keys = unique_slugs([line.recipient for line in result.lines])
    rows: list[list[Cell | Named]] = [
        [who + mark, *(named(p, f"_mottagare_{keys[who]}", values[p][who]) for p in parts)]
        for who in shown
    ]
    notes = []
    if rest:
        notes.append(
            f"Tabellen visar de {len(shown)} största av {len(result.lines)} mottagare; övriga "
            f"{len(rest)} är sammanslagna. Alla rader finns i CSV-filen från gnv allocate."
        )
        merged = [named(p, "_ovriga", sum(values[p][who] for who in rest)) for p in parts]
        rows.append([f"Övriga {len(rest)} mottagare", *merged])
    footer = [named(p, "", sum(values[p].values())) for p in parts]
    return NamedTable.of(
        rows,
        ["Summa", *footer],
        title=f"{pot}: {result.step}",
        columns=columns,
        kinds=kinds("text", "kr", len(columns) - 1),
        notes=notes,
        illustrative=MADE_UP_NOTE if made_up else "",
    )


def recipient_table(decision: Allocation, made_up: set[str]) -> Table:
    """Per recipient and pot: fixed amounts and, for a requisition, the ceiling; each cell the
    catalogue's ``mottagare_<r>_<pot>_vid_beslut`` (``core.table_figures``)."""
    pots = [_pot_column(decision, i) for i in range(len(decision.pots))]
    parts = [slug(p.pot.name) for p in decision.pots]
    keys = decision_names(decision)
    matrix: dict[str, dict[str, int]] = {}
    for pot, part in zip(decision.pots, parts, strict=True):
        for line in pot.lines:
            if line.recipient != RESERVE or line.amount:
                row = matrix.setdefault(line.recipient, dict.fromkeys(parts, 0))
                row[part] += line.amount
    rows: list[list[Cell | Named]] = [
        [
            name + (MADE_UP if name in made_up else ""),
            *(Named(v, f"mottagare_{keys[name]}_{part}_vid_beslut") for part, v in values.items()),
            Named(sum(values.values()), f"mottagare_{keys[name]}_vid_beslut"),
        ]
        for name, values in matrix.items()
    ]
    rows.sort(key=lambda r: (str(r[0]).startswith(RESERVE), -_value(r[-1])))
    notes = []
    if len(rows) > MAX_ROWS:
        notes.append(f"Tabellen visar de {MAX_ROWS} största av {len(rows)} mottagare.")
        rows = rows[:MAX_ROWS]
    if any_ceilings(decision):
        notes.append(
            "För ett steg med rekvisition visas taket: det högsta belopp som kan rekvireras."
        )
    totals = [
        Named(p.placed, f"medel_{part}_vid_beslut")
        for p, part in zip(decision.pots, parts, strict=True)
    ]
    marked = made_up & set(matrix)
    return NamedTable.of(
        rows,
        ["Summa", *totals, Named(sum(p.placed for p in decision.pots), "medel_vid_beslut")],
        title="Fördelning per mottagare",
        # With ceilings in a column, a row's total is the most the recipient can get.
        columns=["Mottagare", *pots, "Högst totalt" if any_ceilings(decision) else "Totalt"],
        kinds=kinds("text", "kr", len(pots) + 1),
        notes=notes,
        illustrative=MADE_UP_ROWS_NOTE if marked else "",
    )


def _value(cell: Cell | Named) -> int:
    value = cell.value if isinstance(cell, Named) else cell
    return int(value) if isinstance(value, int) else 0


def _pot_column(decision: Allocation, index: int) -> str:
    """A pot's column: ``(tak)`` when one of its steps is known at the decision by ceilings."""
    pot = decision.pots[index]
    ceilings = any(at_ceilings(decision.plan, index, j) for j in range(len(pot.steps)))
    return f"{pot.pot.name} (tak)" if ceilings else pot.pot.name


def any_ceilings(decision: Allocation) -> bool:
    """Whether the decision knows any requisition step only by its ceilings."""
    return any(
        at_ceilings(decision.plan, i, j)
        for i, pot in enumerate(decision.pots)
        for j in range(len(pot.steps))
    )


def chart(decision: Allocation, year: int, made_up: set[str]) -> charts.Chart:
    totals = decision.by_recipient()
    totals.pop(RESERVE, None)
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:25]
    requisition = any_ceilings(decision)
    caption = "Belopp per mottagare, alla medel sammanlagda (miljoner kronor)"
    caption += "; för rekvisition visas taket." if requisition else "."
    if made_up & {name for name, _ in ranked}:
        caption += " Streckade staplar, märkta (påhittat), bygger på påhittade nyckeltal."
    return charts.horizontal_bars(
        [name + (MADE_UP if name in made_up else "") for name, _ in ranked],
        {"Högst" if requisition else "Fördelat": [amount for _, amount in ranked]},
        title=f"Fördelning per mottagare {year}",
        caption=caption,
        made_up_bars={j for j, (name, _) in enumerate(ranked) if name in made_up},
    )
