"""The allocation memo's model section: each pot and step as the decision knows it.

A requisition step is phrased as ceilings ("får rekvirera upp till") with a table of ceilings;
a remainder after a requisition has no size yet. A step's table carries the made-up mark when its
split rests on made-up rows (``core.memo_figures.step_rests_on_made_up``), and only then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gnvtools.core.allocation import PotResult
from gnvtools.core.figures import slug as _slug
from gnvtools.core.figures import unique_slugs
from gnvtools.core.memo_figures import step_rests_on_made_up
from gnvtools.core.model import at_ceilings
from gnvtools.core.params import Selection
from gnvtools.core.rulebook import citable, source_shorts
from gnvtools.reports import memo_phrases, memo_tables
from gnvtools.reports.display import Html, heading, paragraph, paragraphs, section
from gnvtools.reports.memo_load import document_date
from gnvtools.reports.memo_phrases import join_names

if TYPE_CHECKING:
    from gnvtools.reports.memo import AllocationMemo


def step_texts(memo: AllocationMemo, pot_index: int, step_index: int) -> list[str]:
    """A step's sentences; every amount and count is a catalogue figure read by name."""
    pot = memo.at_decision.pots[pot_index]
    result = pot.steps[step_index]
    spec = memo.params.pots[pot_index].steps[step_index]
    names = [line.recipient for line in result.lines]
    cited = rule_source(memo, spec.rule_source)
    figures = memo.figures
    figure = f"medel_{_slug(pot.pot.name)}_steg_{step_index + 1}"
    if spec.kind == "fixed":
        slugs = unique_slugs(names)
        parts = [
            f"{who} {figures.text(f'{figure}_mottagare_{slugs[who]}')}"
            for who in names
            if f"{figure}_mottagare_{slugs[who]}" in figures
        ]
        return [f"Fasta belopp, sammanlagt {figures.text(figure)}: {join_names(parts)}."]
    if spec.kind == "each":
        group = group_label(memo, spec.recipients)
        each = memo_phrases.who(names, group, figures, f"{figure}_antal_mottagare")
        if each == join_names(names):
            each = memo_phrases.counted(
                figures, f"{figure}_antal_mottagare", "mottagare", "mottagare"
            )
        return [
            f"Var och en av {each} får {figures.text(f'{figure}_per_mottagare')}, "
            f"sammanlagt {figures.text(figure)}."
        ]
    if spec.kind == "key":
        among = None
        if isinstance(spec.recipients, Selection) and spec.recipients.where:
            among = f"{figure}_antal_mottagare"
        return [memo_phrases.key_sentence(figures, figure, spec, among)]
    plan = memo.allocation.plan
    if spec.kind == "requisition":
        group = group_label(memo, spec.recipients)
        who = memo_phrases.who(names, group, figures, f"{figure}_antal_mottagare")
        ceilings = figures.text(f"{figure}_tak")
        texts = memo_phrases.requisition_sentence(ceilings, spec, who, cited=cited)
        if not at_ceilings(plan, pot_index, step_index):
            texts.insert(1, memo_phrases.granted_sentence(memo.figures, figure))
        return texts
    after = any(at_ceilings(plan, pot_index, j) for j in range(step_index))
    amount = figures.text(figure) if figure in figures else ""
    return [memo_phrases.remainder_sentence(result, spec, names, after, amount)]


def group_label(memo: AllocationMemo, selection: object) -> str | None:
    if isinstance(selection, Selection):
        table = memo.allocation.plan.groups.get(selection.group)
        return table.spec.label if table is not None else None
    return None


def rule_source(memo: AllocationMemo, written: str) -> str | None:
    """``"socialstyrelsen-2025, Om inte alla medel rekvireras"`` → its citation, if the memo
    may cite it."""
    if not written:
        return None
    source_id, _, place = written.partition(",")
    spec = memo.params.memo
    itself = spec.source if spec is not None else ""
    if not citable(source_id.strip(), memo.readings, document_date(memo.params), itself):
        return None
    short = source_shorts(memo.readings).get(source_id.strip(), source_id.strip())
    return f"{short}, \u201d{place.strip()}\u201d" if place.strip() else short


def model(memo: AllocationMemo) -> Html:
    parts: list[Html] = [
        paragraph(
            "Medlen fördelas i steg, i tur och ordning; varje steg tar av det som återstår. "
            "Belopp som fördelas efter en nyckel avrundas till hela kronor så att varje steg "
            "summerar exakt till sitt belopp."
        )
    ]
    for i, pot in enumerate(memo.at_decision.pots):
        parts += pot_parts(memo, i, pot)
    return section("Fördelningsmodellen steg för steg", *parts)


def pot_parts(memo: AllocationMemo, i: int, pot: PotResult) -> list[Html]:
    source = memo.allocation.plan.pot_sources[pot.pot.name]
    origin = "årets statsbidrag"
    if source.startswith("carry-over:"):
        origin = f"kvarvarande medel från {source.split(':', 1)[1]}"
    elif source.startswith("component:"):
        origin = f"delbeloppet {source.split(':', 1)[1].lower()}"
    amount = memo.figures.text(f"medel_{_slug(pot.pot.name)}")
    parts = [
        heading(f"{pot.pot.name}: {amount}", 3),
        paragraph(
            f"Beloppet kommer från {origin} och fördelas i "
            f"{memo_phrases.count_steps(len(pot.steps))}." + earlier_regime(memo, source)
        ),
    ]
    for j, step in enumerate(pot.steps):
        spec = memo.params.pots[i].steps[j]
        parts.append(heading(f"Steg {j + 1}. {step.step}", 4))
        parts.append(paragraphs(step_texts(memo, i, j)))
        if spec.rule:
            parts.append(paragraph(" ".join(spec.rule.split()), "rule"))
        if step.lines and (step.placed or step.kind == "requisition"):
            made_up = step_rests_on_made_up(memo.allocation.plan, i, j)
            ceilings = at_ceilings(memo.allocation.plan, i, j)
            table = memo_tables.step_table(pot.pot.name, step, made_up, ceilings, j + 1)
            parts.append(table.block())
    left = f"medel_{_slug(pot.pot.name)}_aterstar_vid_beslut"
    if left in memo.figures and memo.figures.amount(left):
        parts.append(
            paragraph(
                f"Efter stegen återstår {memo.figures.text(left)} som inte är fördelade.",
                "flag",
            )
        )
    return parts


def earlier_regime(memo: AllocationMemo, source: str) -> str:
    """For money carried over from a year before the year's regime: it is not bound by that
    regime, so a step may give it to activities the regime leaves outside (Stockholm 2025:
    the 2024 money under the SKR agreement reaches preschool, which the ordinance does not)."""
    if not source.startswith("carry-over:"):
        return ""
    year = int(source.split(":", 1)[1])
    first = memo.regime.first_year
    if first is None or year >= first:
        return ""
    return (
        f" Medlen är från {year}, före {memo.regime.short}, som gäller från {first}; "
        "de omfattas inte av dess begränsningar och kan därför också gå till verksamhet "
        "utanför dem."
    )


def made_up_recipients(memo: AllocationMemo) -> set[str]:
    """Recipients whose amount rests on made-up data (a key or requisition over made-up
    rows); a fixed or equal amount to a real name is not made up."""
    out: set[str] = set()
    for i, pot in enumerate(memo.at_decision.pots):
        for j, step in enumerate(pot.steps):
            if step_rests_on_made_up(memo.allocation.plan, i, j):
                out.update(line.recipient for line in step.lines)
    return out
