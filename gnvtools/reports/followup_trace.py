"""Sentences that trace the follow-up's money to the krona: the unused money as the sum of what
was never requisitioned and what the recipients left, the repayment the administration proposes
with the other reading of an undecided difference, and grants above a ceiling with the rule (or
the lack of a source) that moved the money.

Every amount is a figure of ``core.yearend`` (``core.yearend_unused``); a sentence that states a
made-up figure says so.
"""

from __future__ import annotations

from gnvtools.core.figures import Catalogue, slug
from gnvtools.core.followup import Followup
from gnvtools.core.rulebook import Readings, source_shorts
from gnvtools.reports.followup_phrases import (
    difference_open,
    marked,
    other_reading,
    proposed_reading,
    reading_words,
)


def counted_as_used(r: Followup, used: str, amount: str) -> str:
    """``den redovisade totalen, 28 714 265 kr, räknas som förbrukad`` / ``beloppen per
    insatsområde, 28 630 915 kr (osäker avläsning), räknas som förbrukade``."""
    words = reading_words(r, used)
    return f"{words}, {amount}, räknas som förbrukad" + ("" if used == "forbrukat" else "e")


def unused_parts_texts(r: Followup, f: Catalogue) -> list[str]:
    """Outnyttjat as its two parts, and how the per-recipient table's unused differs."""
    if "outnyttjat_ej_fordelat" not in f:
        return []
    never = f["outnyttjat_ej_fordelat"].label.startswith("inte rekvirerat")
    first = (
        f"Av det rekvirerades {f.text('outnyttjat_ej_fordelat')} aldrig, och "
        f"{f.text('outnyttjat_hos_mottagarna')} rekvirerades men förbrukades inte."
        if never
        else f"Av det fördelades {f.text('outnyttjat_ej_fordelat')} aldrig till mottagarna, "
        f"och {f.text('outnyttjat_hos_mottagarna')} fick mottagarna men förbrukade inte."
    )
    texts = [
        f"Outnyttjat är {f.text('outnyttjat')}, mottaget minus förbrukat.",
        marked(first, f, "outnyttjat_ej_fordelat", "outnyttjat_hos_mottagarna"),
    ]
    if "redovisat_utover_rader" in f:
        texts.append(
            marked(
                f"I tabellen per mottagare är det outnyttjade {f.text('outnyttjat_enligt_rader')}"
                ", eftersom den räknar på förbrukningsraderna: de "
                f"{f.text('redovisat_utover_rader')} av den redovisade totalen som inte är "
                "fördelade på mottagare räknas där som outnyttjade.",
                f,
                "outnyttjat_enligt_rader",
            )
        )
    return texts


def repayment_texts(r: Followup, f: Catalogue) -> list[str]:
    """The repayment section's sentences (the sum with its parts is the table beside them)."""
    if r.regime.unused_must_be_repaid is None:
        return [r.regime.silent_on_unused]
    texts = unused_parts_texts(r, f)
    if not r.regime.unused_must_be_repaid:
        texts.append(
            f"Outnyttjade medel behöver inte betalas tillbaka; till nästa år förs "
            f"{f.text('fors_over')} över."
        )
    if difference_open(f):
        texts += readings_texts(r, f)
    return [t.strip() for t in texts]


def readings_texts(r: Followup, f: Catalogue) -> list[str]:
    """The proposed reading of the difference between the reported total and its details, why
    it is uncertain, and what the other reading would pay back."""
    used, repay = proposed_reading(r, f)
    other_used, other_repay = other_reading(r, f)
    texts = [
        f"Förvaltningen föreslår att {counted_as_used(r, used, f.text(used))}. Då betalas "
        f"{f.text(repay)} tillbaka till {r.regime.administered_by}.",
        f"Den redovisade totalen och {reading_words(r, 'details')} skiljer sig åt med "
        f"{f.text('redovisat_utover_detaljerna')}.",
    ]
    if r.uncertain_areas:
        word = "området" if len(r.uncertain_areas) == 1 else "områdena"
        areas = " och ".join(str(a) for a in sorted(r.uncertain_areas))
        texts.append(
            f"Beloppen för {word} {areas} är svårlästa i underlaget, och skillnaden kan bero på "
            "hur de har lästs."
        )
    texts.append(
        f"Om i stället {counted_as_used(r, other_used, f.text(other_used))} blir "
        f"återbetalningen {f.text(other_repay)}; tabellen visar båda."
    )
    return texts


def ceiling_texts(r: Followup, f: Catalogue, readings: Readings) -> list[str]:
    """The grants above a ceiling, per requisition step, and once the rule that moved the
    money: what others left within their ceilings went to those who asked for more, by the
    allocation decision (``decision_words``), marked when the requests are made up."""
    by_step: dict[str, list[str]] = {}
    names: list[str] = []
    for item in r.above_ceiling:
        who = slug(item.recipient)
        over = f"mottagare_{who}_over_tak"
        granted = f"{item.step_name}_mottagare_{who}"
        ceiling = f"{item.step_name}_tak_mottagare_{who}"
        if over not in f or granted not in f or ceiling not in f:
            continue
        by_step.setdefault(item.step, []).append(
            f"{item.recipient} beviljades {f.text(granted)}, {f.text(over)} mer än sitt tak på "
            f"{f.text(ceiling)}"
        )
        names.append(over)
    if not by_step:
        return []
    texts = [
        marked(f"I steget {step.lower()}: {'; '.join(grants)}.", f, *names)
        for step, grants in by_step.items()
    ]
    texts.append(
        marked(
            "Det som andra mottagare lämnade inom sina tak fördelades om till dem som begärde "
            f"mer, enligt {decision_words(r, readings)}.",
            f,
            *names,
        )
    )
    return texts


def decision_words(r: Followup, readings: Readings) -> str:
    """The allocation decision that set the redistribution rule, cited by the memo's source
    (``fördelningsbeslutet (Stockholms tjänsteutlåtande 2025)``); a decision that is no known
    source says the rule has none."""
    memo = r.plan.params.memo
    if memo is None or not memo.source:
        return "fördelningsbeslutet, som inte anger någon källa för regeln"
    return f"fördelningsbeslutet ({source_shorts(readings).get(memo.source, memo.source)})"
