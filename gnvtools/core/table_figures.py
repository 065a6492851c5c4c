"""The figures the allocation memo's tables show beyond the totals: each cell a named figure.

- ``andel_av_mottaget_<component>``: a component's share of what was received, and
  ``delbelopp_summa``/``andel_av_mottaget_summa`` the table's sum row;
- ``nationell_ram_<source>_total``, ``…_delramar``, ``…_kommuner``: a frame statement's amounts;
- ``<step>_mottagare_<recipient>``: what a step gave a recipient, ``<step>_tak_mottagare_<r>``
  a requisition step's ceiling for it, and ``<step>_ovriga``/``<step>_tak_ovriga`` the rows a
  long table folds into one (all but the ``SHOWN`` largest);
- ``mottagare_<r>_<pot>_vid_beslut``: a recipient's amount from a pot as the decision knows it
  (a requisition step at its ceilings), ``mottagare_<r>_vid_beslut`` over all pots, and
  ``medel_<pot>_vid_beslut``/``medel_vid_beslut`` what each pot places at the decision.

Example (Stockholm 2025): ``medel_statsbidrag_2025_steg_1_tak_mottagare_bromma`` is Bromma's
ceiling; ``mottagare_bromma_vid_beslut`` adds the 800 000 kr of carried-over money to it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from gnvtools.core.figure_sources import yaml_cell
from gnvtools.core.figures import Catalogue, Stage, slug, unique_slugs

if TYPE_CHECKING:
    from gnvtools.core.allocation import StepResult
    from gnvtools.core.model import Allocation

#: A step table longer than this shows the ``SHOWN`` largest rows and folds the rest into one.
MAX_ROWS = 40
SHOWN = 20


def folded(values: Sequence[tuple[str, int]]) -> tuple[list[str], list[str]]:
    """The names a long table shows (the ``SHOWN`` largest) and those it folds into one row."""
    if len(values) <= MAX_ROWS:
        return [name for name, _ in values], []
    ranked = sorted(values, key=lambda kv: -kv[1])
    return [n for n, _ in ranked[:SHOWN]], [n for n, _ in ranked[SHOWN:]]


def received_shares(cat: Catalogue, components: Sequence[str]) -> None:
    """Each component's share of ``mottaget`` and the received table's sum row."""
    total = cat.amount("mottaget")
    shares = []
    for name in components:
        part = name.removeprefix("delbelopp_")
        share = Fraction(cat.amount(name), total) if total else Fraction(0)
        cat.add(
            f"andel_av_mottaget_{part}",
            share,
            "andel",
            f"{cat[name].label} som andel av mottaget",
            derived_from=[name, "mottaget"],
        )
        shares.append(f"andel_av_mottaget_{part}")
    if components:
        cat.add_sum("delbelopp_summa", list(components), "delbeloppen sammanlagt")
        value = sum((cat.value(n) for n in shares), Fraction(0))
        cat.add(
            "andel_av_mottaget_summa", value, "andel", "andelarna sammanlagt", derived_from=shares
        )
    else:
        one = Fraction(1) if total else Fraction(0)
        cat.add("andel_av_mottaget_summa", one, "andel", "hela mottaget", derived_from=["mottaget"])


def frame_figures(
    cat: Catalogue, allocation: Allocation, only: Collection[int] | None = None
) -> None:
    """A national frame statement's total, the sum of its parts and the municipalities' frame.

    ``only``: the statements a document may cite (by index); a memo never holds its own frames.
    """
    file = allocation.plan.file
    for index, s in enumerate(allocation.plan.params.national_frames):
        if only is not None and index not in only:
            continue
        head = f"nationell_ram_{slug(s.source_id or s.source)}"
        at = ("national_frames", index)
        if s.total is not None:
            cat.add(
                f"{head}_total",
                s.total,
                "kr",
                f"nationell ram enligt {s.source}",
                stage="underlag",
                sources=[yaml_cell(file, *at, "total")],
            )
        if s.parts:
            cat.add(
                f"{head}_delramar",
                sum(p.amount for p in s.parts),
                "kr",
                f"delramarna enligt {s.source} sammanlagt",
                stage="underlag",
                sources=[yaml_cell(file, *at, "parts", i, "amount") for i in range(len(s.parts))],
            )
        if s.municipal is not None:
            cat.add(
                f"{head}_kommuner",
                s.municipal,
                "kr",
                f"kommunernas ram enligt {s.source}",
                stage="underlag",
                sources=[yaml_cell(file, *at, "municipal")],
            )


def ranking(step: StepResult) -> list[tuple[str, int]]:
    """The value a step's table ranks its rows by: a requisition's ceiling, else the amount."""
    requisition = step.kind == "requisition"
    return [
        (line.recipient, (line.ceiling or 0) if requisition else line.amount) for line in step.lines
    ]


def step_line_figures(cat: Catalogue, step: StepResult, name: str, made_up: bool) -> None:
    """What a step gave each recipient (a requisition step also its ceilings and requests), and
    for a long table the rows it folds into one (``folded`` over ``ranking``).

    A line is as late as its step; a ceiling is known at the decision (``beslut``), a request
    when the step's requests are. Lines and ceilings are amounts the decision sets (``decided``).
    """
    known: Stage = cat[name].stage
    _, rest = folded(ranking(step))
    amounts = [(line.recipient, line.amount) for line in step.lines]
    how: tuple[list[str], Stage, bool] = ([name], known, made_up)
    _lines(cat, (name, ""), amounts, rest, how, f"{step.step}: till", decided=True)
    if step.kind != "requisition":
        return
    ceilings = [(line.recipient, line.ceiling or 0) for line in step.lines]
    tak = [f"{name}_tak"] if f"{name}_tak" in cat else []
    ceiling_how: tuple[list[str], Stage, bool] = (tak, "beslut", made_up)
    _lines(cat, (name, "_tak"), ceilings, rest, ceiling_how, f"{step.step}: tak för", decided=True)
    if f"{name}_begart" in cat:
        asked = cat[f"{name}_begart"]
        requests = [(line.recipient, line.requested or 0) for line in step.lines]
        asked_how: tuple[list[str], Stage, bool] = ([], asked.stage, asked.illustrative)
        _lines(cat, (name, "_begart"), requests, rest, asked_how, f"{step.step}: begärt av")


def _lines(
    cat: Catalogue,
    names: tuple[str, str],
    values: list[tuple[str, int]],
    rest: list[str],
    how: tuple[list[str], Stage, bool],
    label: str,
    *,
    decided: bool = False,
) -> None:
    step, what = names
    derived, stage, made_up = how
    parts = unique_slugs([who for who, _ in values])
    for who, amount in values:
        cat.add(
            f"{step}{what}_mottagare_{parts[who]}",
            amount,
            "kr",
            f"{label} {who}",
            stage=stage,
            derived_from=derived,
            made_up=made_up,
            decided=decided,
        )
    if rest:
        cat.add_sum(
            f"{step}{what}_ovriga",
            [f"{step}{what}_mottagare_{parts[who]}" for who in rest],
            f"{label} övriga {len(rest)} mottagare",
        )


def decision_figures(cat: Catalogue, decision: Allocation, made_up: Sequence[set[str]]) -> None:
    """Per recipient and pot, what the decision gives (a requisition step at its ceilings; 0 kr
    from a pot that gives it nothing), over all pots, and what each pot places.

    ``decision`` is ``model.at_decision`` of the allocation; ``made_up`` per pot the recipients
    whose amounts rest on made-up rows. All known at the decision (``beslut``); a recipient's
    amount is one the decision sets (``decided``). Names by ``decision_names``.
    """
    names = decision_names(decision)
    pot_names = []
    totals: dict[str, list[str]] = {who: [] for who in names}
    for index, pot in enumerate(decision.pots):
        part = slug(pot.pot.name)
        pot_amount = [f"medel_{part}"] if f"medel_{part}" in cat else []
        per = dict.fromkeys(names, 0)
        for line in pot.lines:
            per[line.recipient] += line.amount
        given = _recipient_steps(cat, decision, index, names)
        note = requisition_note(decision, index)
        asked = {
            line.recipient
            for step in pot.steps
            if step.kind == "requisition"
            for line in step.lines
        }
        in_pot = []
        for who, amount in per.items():
            name = cat.add(
                f"mottagare_{names[who]}_{part}_vid_beslut",
                amount,
                "kr",
                # "(rekvisition: taket)" only beside a recipient with a ceiling in the pot
                f"{who} av {pot.pot.name} vid beslutet{note if who in asked else ''}",
                derived_from=given.get(who) or pot_amount,
                made_up=who in made_up[index],
                decided=True,
            ).name
            totals[who].append(name)
            in_pot.append(name)
        placed = cat.add(
            f"medel_{part}_vid_beslut",
            pot.placed,
            "kr",
            f"{pot.pot.name}: fördelat vid beslutet, tak och reserv medräknade",
            derived_from=in_pot,
        )
        pot_names.append(placed.name)
    for who, parts in totals.items():
        cat.add_sum(f"mottagare_{names[who]}_vid_beslut", parts, f"{who} vid beslutet, alla medel")
    cat.add_sum("medel_vid_beslut", pot_names, "fördelat vid beslutet, alla medel")


def _recipient_steps(
    cat: Catalogue, decision: Allocation, index: int, names: dict[str, str]
) -> dict[str, list[str]]:
    """Per recipient, the figures of what each step of the pot gives it (its line, or its
    ceiling, ``…_steg_<n>_mottagare_<r>``/``…_steg_<n>_tak_mottagare_<r>``), so its amount at
    the decision traces to the parameter file's lines and the data it reads; where a step has
    no such figure, the step's own."""
    part = slug(decision.pots[index].pot.name)
    out: dict[str, list[str]] = {}
    for number, step in enumerate(decision.pots[index].steps, start=1):
        name = f"medel_{part}_steg_{number}"
        for line in step.lines:
            if not line.amount:
                continue
            who = names.get(line.recipient, slug(line.recipient))
            mine = [
                n for n in (f"{name}_mottagare_{who}", f"{name}_tak_mottagare_{who}") if n in cat
            ]
            step_own = [n for n in (name, f"{name}_tak") if n in cat][:1]
            out.setdefault(line.recipient, []).extend(mine[:1] or step_own)
    return out


def requisition_note(decision: Allocation, pot_index: int) -> str:
    """What a pot's amounts at the decision count for its requisition steps: the ceiling of a
    step whose requests come after the decision, the grant of one with ``stage: beslut``
    (``model.at_ceilings``); nothing for a pot without requisitions."""
    specs = [s for s in decision.plan.params.pots[pot_index].steps if s.kind == "requisition"]
    counted = dict.fromkeys(
        "taket" if s.stage not in ("underlag", "beslut") else "det beviljade beloppet"
        for s in specs
    )
    return f" (rekvisition: {' och '.join(counted)})" if counted else ""


def decision_names(decision: Allocation) -> dict[str, str]:
    """Each recipient of the decision's figure-name part (``unique_slugs``, in pot order)."""
    return unique_slugs([line.recipient for pot in decision.pots for line in pot.lines])
