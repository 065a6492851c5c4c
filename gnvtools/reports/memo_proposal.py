"""The memo's default proposal and the summary's sentence per pot, from what the decision does.

One decision item for the year's grant and one per carry-over (docs/parameters.md, ``memo``).
Each states the source's amount and, when not all of it goes to recipients now, how much does,
what is kept as a reserve and what is left for a later decision — all catalogue figures
(``core.decision_totals``), so the items add up to what was received and carried over. A
requisition step whose requests come after the decision counts with its ceilings: the item says
so ("högst … efter rekvisition") and where money that is not requisitioned goes.
"""

from __future__ import annotations

from typing import Literal

from gnvtools.core.allocation import RESERVE, PotResult
from gnvtools.core.decision_totals import source_key
from gnvtools.core.figures import Catalogue, slug
from gnvtools.core.model import Allocation, at_ceilings
from gnvtools.reports.memo_phrases import count_steps, counted

#: Where money not requisitioned within the ceilings goes: a reserve step after the
#: requisition keeps it, a remainder to recipients splits it, else it stays unplaced.
Unclaimed = Literal["reserve", "steps", "unplaced"] | None


def sources(decision: Allocation) -> list[tuple[str, str, Unclaimed]]:
    """Each source of money in order: its figure key, its words and where unclaimed money goes."""
    params = decision.plan.params
    out: list[tuple[str, str, Unclaimed]] = [
        ("statsbidrag", f"{params.year} års statsbidrag", unclaimed(decision, "statsbidrag"))
    ]
    for carry in params.carry_over:
        key = f"kvarvarande_{carry.year}"
        out.append((key, f"kvarvarande medel från {carry.year}", unclaimed(decision, key)))
    return out


def unclaimed(decision: Allocation, key: str) -> Unclaimed:
    """Where the source's money not requisitioned within ceilings goes (``None``: no ceilings)."""
    goes: Unclaimed = None
    for i, pot in enumerate(decision.pots):
        if source_key(decision.plan.pot_sources[pot.pot.name]) != key:
            continue
        for j in range(len(pot.steps)):
            if not at_ceilings(decision.plan, i, j):
                continue
            after = decision.plan.params.pots[i].steps[j + 1 :]
            if any(s.kind == "remainder" and s.split == "reserve" for s in after):
                goes = "reserve"
            elif any(s.kind == "remainder" for s in after):
                goes = goes or "steps"
            else:
                goes = goes or "unplaced"
    return goes


def decision_item(who: str, f: Catalogue, key: str, what: str, goes: Unclaimed) -> str:
    """One decision item for a source (``beslut_<key>_*`` figures)."""
    amount = f.text(key if key != "statsbidrag" else "mottaget")
    head = f"beslut_{key}"
    placed = f.amount(f"{head}_fordelat")
    reserve = f.amount(f"{head}_reserv")
    rest = f.amount(f"{head}_ofordelat")
    if not placed and not reserve:
        return f"{who} beslutar att {what} om {amount} fördelas i ett senare beslut."
    if not reserve and not rest and goes is None:
        return f"{who} beslutar att fördela {what} om {amount} enligt förslaget i ärendet."
    most = "högst " if goes is not None else ""
    text = (
        f"{who} beslutar att fördela {most}{f.text(head + '_fordelat')} av {what} om {amount} "
        "enligt förslaget i ärendet"
    )
    if goes is not None:
        text += f", varav {f.text(head + '_tak')} som tak för rekvisition"
    text += "."
    if reserve:
        least = "minst " if goes == "reserve" else ""
        text += f" Därtill hålls {least}{f.text(head + '_reserv')} som reserv"
        text += (
            ", och det som inte rekvireras inom taken läggs till reserven."
            if goes == "reserve"
            else "."
        )
    elif goes == "steps":
        text += " Det som inte rekvireras inom taken fördelas i modellens senare steg."
    elif goes == "unplaced":
        text += " Det som inte rekvireras inom taken fördelas i ett senare beslut."
    if rest:
        text += f" Återstående {f.text(head + '_ofordelat')} fördelas i ett senare beslut."
    return text


def pot_summary(pot: PotResult, f: Catalogue, ceilings: bool = False) -> str:
    """``Befolkningsdel (1 700 001 kr) fördelas i fyra steg till åtta mottagare`` and, when
    part of it does not go to recipients at the decision, how much (``ceilings``: a requisition
    step at its ceilings comes first, so the reserve is at least that)."""
    medel = f"medel_{slug(pot.pot.name)}"
    # The count is the catalogue's: in words up to twelve, from 13 on that figure's text.
    recipients = counted(f, f"{medel}_antal_mottagare_vid_beslut", "mottagare", "mottagare")
    text = (
        f"{pot.pot.name} ({f.text(medel)}) fördelas i {count_steps(len(pot.steps))} till "
        f"{recipients}"
    )
    kept = f"{medel}_kvar_vid_beslut"
    if kept not in f or not f.amount(kept):
        return text + "."
    reserve = sum(line.amount for line in pot.lines if line.recipient == RESERVE)
    if reserve == f.amount(kept):
        least = "minst " if ceilings else ""
        return text + f"; {least}{f.text(kept)} hålls som reserv."
    if not reserve:
        return text + f"; {f.text(kept)} fördelas inte i detta beslut."
    return text + f"; {f.text(kept)} hålls som reserv eller fördelas inte i detta beslut."


def overall(f: Catalogue, economics: bool = False) -> str | None:
    """All money at hand split as the decision does, when not all of it goes to recipients:
    ``Av sammanlagt 2 150 003 kr går högst 1 870 001 kr till mottagare, …`` (``economics``:
    ``Beslutet gäller 2 150 003 kr. Av det går …``)."""
    reserve = f.amount("beslut_reserv")
    rest = f.amount("beslut_ofordelat")
    if not reserve and not rest:
        return None
    ceilings = "beslut_tak" in f
    most, least = ("högst ", "minst ") if ceilings else ("", "")
    parts = [f"går {most}{f.text('beslut_fordelat')} till mottagare"]
    if ceilings:
        parts[0] += f" (varav {f.text('beslut_tak')} som tak för rekvisition)"
    if reserve:
        parts.append(f"{least}{f.text('beslut_reserv')} hålls som reserv")
    if rest:
        parts.append(f"{f.text('beslut_ofordelat')} fördelas inte i detta beslut")
    joined = ", ".join(parts[:-1]) + " och " + parts[-1] if len(parts) > 1 else parts[0]
    total = f.text("beslut_medel")
    lead = f"Beslutet gäller {total}. Av det" if economics else f"Av sammanlagt {total}"
    return f"{lead} {joined}."
