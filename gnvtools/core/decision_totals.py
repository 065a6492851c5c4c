"""What the decision does with each source of money: to recipients, kept as reserve, not placed.

The memo's proposal, summary and Ekonomiska konsekvenser state these, so their amounts add up to
what was received (and carried over) and every one is a catalogue figure. Per source (``<src>``
is ``statsbidrag`` for the year's grant, ``kvarvarande_<year>`` for a carry-over), all at the
decision (``beslut``) and computed on ``model.at_decision``:

- ``beslut_<src>_fordelat``: what the pots of that source give recipients; a requisition step
  whose requests come after the decision counts with its ceilings (the most it can give);
- ``beslut_<src>_tak``: of that, the ceilings of such steps (only when there are any);
- ``beslut_<src>_reserv``: what a reserve step keeps (at least that: what is not requisitioned
  within the ceilings is added to it when the reserve step follows the requisition);
- ``beslut_<src>_ofordelat``: the rest of the source — money in no pot and what no step placed;
- ``medel_<pot>_kvar_vid_beslut``: per pot, what does not go to recipients at the decision (its
  reserve and what no step placed), and ``medel_<pot>_antal_mottagare_vid_beslut`` how many
  recipients it gives money (the summary's count);

and the same over all sources as ``beslut_fordelat``, ``beslut_tak``, ``beslut_reserv``,
``beslut_ofordelat`` with ``beslut_medel`` = ``mottaget`` + every ``kvarvarande_<year>``.

Example (Ankeby 2025, docs/parameters.md): of 2 000 003 kr received, 1 750 001 kr go to
recipients (600 000 kr of it as ceilings), 200 000 kr are kept as a reserve and 50 002 kr are in
no pot: 1 750 001 + 200 000 + 50 002 = 2 000 003.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gnvtools.core.allocation import RESERVE
from gnvtools.core.figures import Catalogue, slug

if TYPE_CHECKING:
    from gnvtools.core.model import Allocation

PARTS = ("fordelat", "tak", "reserv", "ofordelat")


@dataclass
class SourceTotals:
    """One source of money at the decision: its figure and what its pots do with it."""

    key: str  # statsbidrag, kvarvarande_2024
    figures: list[str]  # the figures of the source's amount (mottaget or kvarvarande_<year>)
    pots: list[str] = field(default_factory=list)  # medel_<pot> of the source's pots
    fordelat: int = 0
    tak: int = 0
    reserv: int = 0
    ceilings: list[str] = field(default_factory=list)  # <step>_tak of steps at their ceilings


def source_key(pot_source: str) -> str:
    """``received`` and ``component:X`` → ``statsbidrag``; ``carry-over:2024`` →
    ``kvarvarande_2024``."""
    if pot_source.startswith("carry-over:"):
        return f"kvarvarande_{pot_source.split(':', 1)[1].strip()}"
    return "statsbidrag"


def decision_totals(cat: Catalogue, decision: Allocation) -> dict[str, SourceTotals]:
    """Add the ``beslut_*`` figures of ``decision`` (``model.at_decision``) to ``cat``."""
    from gnvtools.core.model import at_ceilings

    params = decision.plan.params
    totals = {"statsbidrag": SourceTotals("statsbidrag", ["mottaget"])}
    for carry in params.carry_over:
        key = f"kvarvarande_{carry.year}"
        totals[key] = SourceTotals(key, [key])
    for i, pot in enumerate(decision.pots):
        source = totals[source_key(decision.plan.pot_sources[pot.pot.name])]
        medel = f"medel_{slug(pot.pot.name)}"
        source.pots.append(medel)
        to_recipients = 0
        for j, step in enumerate(pot.steps):
            ceilings = at_ceilings(decision.plan, i, j)
            if ceilings and f"{medel}_steg_{j + 1}_tak" in cat:
                source.ceilings.append(f"{medel}_steg_{j + 1}_tak")
            for line in step.lines:
                if line.recipient == RESERVE:
                    source.reserv += line.amount
                else:
                    to_recipients += line.amount
                    source.tak += line.amount if ceilings else 0
        source.fordelat += to_recipients
        names = {line.recipient for line in pot.lines if line.amount} - {RESERVE}
        cat.add(
            f"{medel}_antal_mottagare_vid_beslut",
            len(names),
            "antal",
            f"{pot.pot.name}: mottagare med medel vid beslutet",
            derived_from=[medel],
        )
        cat.add(
            f"{medel}_aterstar_vid_beslut",
            pot.unplaced,
            "kr",
            f"{pot.pot.name}: återstår efter stegen, vid beslutet",
            derived_from=[medel],
        )
        cat.add(
            f"{medel}_kvar_vid_beslut",
            pot.pot.amount - to_recipients,
            "kr",
            f"{pot.pot.name}: reserv och det som inte fördelas, vid beslutet",
            derived_from=[medel],
        )
    for source in totals.values():
        _add_source(cat, source)
    _add_all(cat, list(totals.values()))
    return totals


def _add_source(cat: Catalogue, s: SourceTotals) -> None:
    what = "årets statsbidrag" if s.key == "statsbidrag" else s.key.replace("_", " ")
    inputs = [*s.figures, *s.pots]
    amount = sum(cat.amount(name) for name in s.figures)
    values = {
        "fordelat": (s.fordelat, f"{what}: till mottagare vid beslutet (tak medräknade)"),
        "tak": (s.tak, f"{what}: tak för rekvisition efter beslutet"),
        "reserv": (s.reserv, f"{what}: reserv vid beslutet"),
        "ofordelat": (
            amount - s.fordelat - s.reserv,
            f"{what}: inte fördelat i beslutet (utanför potterna eller kvar efter stegen)",
        ),
    }
    for part, (value, label) in values.items():
        if part == "tak" and not value:
            continue
        # What the pots place rests on the pots only; the rest also on the source's amount.
        derived = inputs if part == "ofordelat" else s.pots
        # What the decision gives recipients is as exact as the steps that give it (a fixed
        # amount out of "cirka 10,7 mnkr" is exact); reserve and remainder are as the pot.
        placed = [f"{pot}_vid_beslut" for pot in s.pots if f"{pot}_vid_beslut" in cat]
        rough = placed if part == "fordelat" and len(placed) == len(s.pots) else None
        if part == "tak" and s.ceilings:
            rough = s.ceilings
        cat.add(
            f"beslut_{s.key}_{part}",
            value,
            "kr",
            label,
            derived_from=derived,
            precision_from=rough,
        )


LABELS = {
    "fordelat": "alla medel: till mottagare vid beslutet (tak medräknade)",
    "tak": "alla medel: tak för rekvisition efter beslutet",
    "reserv": "alla medel: reserv vid beslutet",
    "ofordelat": "alla medel: inte fördelat i beslutet",
}


def _add_all(cat: Catalogue, sources: list[SourceTotals]) -> None:
    cat.add_sum("beslut_medel", [n for s in sources for n in s.figures], "alla medel att fördela")
    for part in PARTS:
        names = [f"beslut_{s.key}_{part}" for s in sources if f"beslut_{s.key}_{part}" in cat]
        if part == "tak" and not names:
            continue
        cat.add_sum(f"beslut_{part}", names, LABELS[part])
