"""The allocation memo's sentences, phrased from the model's own steps and recipients.

The memo is a decision document (stage ``beslut``): a requisition step is phrased as a ceiling
("får rekvirera upp till"), never as an outcome. Who may requisition, on which key and in which
shares comes from the step itself, so text and model cannot disagree. A rule that moves money
(unused ceilings passed on, a weighting, a remainder split) is stated with its source, or said
to be the organisation's own proposal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from gnvtools.core.allocation import StepResult
from gnvtools.core.figures import Catalogue
from gnvtools.core.formatting import count, kr, percent
from gnvtools.core.regimes import join_words

COLUMN_LABELS = {
    "population": "befolkning",
    "population_65plus": "antal invånare 65 år och äldre",
    "places": "antal platser i särskilda boendeformer",
    "hsl_individuals": "antal individer med kommunal hälso- och sjukvård",
    "municipality_type": "kommuntyp",
}

#: Said after a rule that moves money when no source states it.
OWN_PROPOSAL = "Ingen av källorna anger den regeln; den är förvaltningens eget förslag."


def join_names(names: Sequence[str]) -> str:
    """``["a", "b", "c"]`` → ``"a, b och c"``."""
    return join_words(list(names))


def describe_key(weights: Mapping[str, int | float]) -> str:
    """``{"population": 1, "places": 1}`` → ``"befolkning och antal platser …, lika viktade"``."""
    labels = [COLUMN_LABELS.get(c, c.replace("_", " ")) for c in weights]
    if len(labels) == 1:
        return labels[0]
    values = [Fraction(str(w)) for w in weights.values()]
    if len(set(values)) == 1:
        return join_names(labels) + ", lika viktade"
    total = sum(values)
    parts = [f"{label} ({percent(v / total)})" for label, v in zip(labels, values, strict=True)]
    return join_names(parts)


def count_steps(n: int) -> str:
    return count(n, "steg", "steg", neuter=True)


def count_recipients(n: int) -> str:
    return count(n, "mottagare", "mottagare")


def counted(figures: Catalogue, name: str, singular: str, plural: str) -> str:
    """A count figure with its noun: up to twelve in words from the figure's value (``åtta
    mottagare``), from 13 on the figure's own text (``13 mottagare``)."""
    n = figures.amount(name)
    if n <= 12:
        return count(n, singular, plural)
    return f"{figures.text(name)} {plural}"


def who(
    names: Sequence[str],
    group_label: str | None,
    figures: Catalogue | None = None,
    counted_by: str = "",
) -> str:
    """The recipients as the model names them: ``de elva stadsdelsförvaltningarna`` (the count
    read from ``counted_by``, the step's count figure, when given)."""
    if group_label and len(names) > 3:
        plural = definite_plural(group_label)
        if figures is not None and counted_by in figures:
            return "de " + counted(figures, counted_by, plural, plural)
        return "de " + count(len(names), plural, plural)
    return join_names(names)


def definite_plural(label: str) -> str:
    """``Stadsdelsförvaltningar`` → ``stadsdelsförvaltningarna`` (a group's label, lower case);
    a label that is not an indefinite plural in -ar, -er or -or is kept as it is."""
    word = label[:1].lower() + label[1:]
    return word + "na" if word.endswith(("ar", "er", "or")) else word


def requisition_sentence(ceilings: str, spec: Any, names: str, *, cited: str | None) -> list[str]:
    """A requisition step at the decision: who may requisition, up to which ceilings
    (``ceilings``: the step's ``_tak`` figure's text), on which key; and, if unused ceilings
    are passed on, that rule with its source or flagged."""
    texts = [
        f"{capital(names)} får rekvirera medel upp till var sitt tak. Taken är sammanlagt "
        f"{ceilings} och följer {describe_key(spec.key)}."
    ]
    if spec.redistribute:
        texts.append(
            "Det som någon inte rekvirerar inom sitt tak kan gå till den som har begärt mer än "
            "sitt tak, efter samma nyckel och aldrig mer än det begärda."
            + (f" (Källa: {cited}.)" if cited else " " + OWN_PROPOSAL)
        )
    return texts


def granted_sentence(figures: Any, step: str) -> str:
    """A requisition step whose requests were known at the decision (``stage: beslut``):
    what was requested and what is granted, from the step's figures."""
    asked = figures.text(step + "_begart")
    return (
        f"Rekvisitionerna var kända vid beslutet: sammanlagt begärdes {asked} och beviljas "
        f"{figures.text(step)}."
    )


#: Words that end the name of an organisational unit: a proper noun, capitalised anywhere.
UNIT_ENDINGS = ("förvaltningen", "nämnden", "styrelsen", "avdelningen", "kontoret", "hälsan")


def mid_sentence(name: str) -> str:
    """A name as written inside a sentence: a unit keeps its capital (``Äldreförvaltningen``),
    a title does not (``Regiondirektören`` → ``regiondirektören``)."""
    if name.lower().endswith(UNIT_ENDINGS) or " " in name.strip():
        return name
    return name[:1].lower() + name[1:]


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def key_sentence(figures: Catalogue, step: str, spec: Any, among: str | None) -> str:
    """A split by key: the step's amount and, for a filtered group, how many meet the
    conditions (``among``: the step's count figure)."""
    where = ""
    if among is not None:
        where = (
            f" bland de {counted(figures, among, 'mottagare', 'mottagare')} som uppfyller villkoren"
        )
    weighted = ""
    if spec.weight_by:
        weights = ", ".join(f"{k} {v}" for k, v in spec.weight_by.weights.items())
        column = spec.weight_by.column
        weighted = (
            f", viktat efter {COLUMN_LABELS.get(column, column.replace('_', ' '))} ({weights})"
        )
    shown = figures.text(step)
    return f"Beloppet {shown} fördelas efter {describe_key(spec.key)}{weighted}{where}."


def remainder_sentence(
    result: StepResult, spec: Any, names: Sequence[str], after: bool, amount: str = ""
) -> str:
    """A remainder (``amount`` its figure's text: ``cirka 0,7 mnkr`` when the pot is
    approximate); after a requisition its size is not known at the decision."""
    shown = amount or kr(result.target)
    if spec.split == "reserve":
        if after:
            return (
                "Det som inte rekvireras fördelas inte i detta beslut. Hur stort det blir visar "
                "sig när rekvisitionerna har kommit in."
            )
        return f"Återstoden, {shown}, hålls som ofördelad reserv."
    if after and not result.target:
        # Nothing is left at the decision (the ceilings count in full); what is not
        # requisitioned is what this step gives: no "0 kr" is stated.
        who = names[0] if len(names) == 1 else f"delas lika mellan {join_names(names)}"
        verb = "går till " if len(names) == 1 else ""
        return f"Det som inte rekvireras inom taken {verb}{who}."
    if spec.split == "equal" and len(names) == 1:
        return f"Återstoden, {shown}, går till {names[0]}."
    if spec.split == "equal":
        return f"Återstoden, {shown}, delas lika mellan {join_names(names)}."
    return f"Återstoden, {shown}, fördelas efter {describe_key(spec.key or {})}."
