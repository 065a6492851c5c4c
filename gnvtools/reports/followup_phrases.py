"""The year-end follow-up's sentences, phrased from the catalogue's figures by name.

A sentence that states a made-up figure says so (``(påhittat exempel)`` before its full stop);
one that states a figure read with uncertainty names the reading. Nothing here computes money:
every amount is a figure of ``core.yearend``.
"""

from __future__ import annotations

from gnvtools.core.figures import Catalogue
from gnvtools.core.followup import Followup
from gnvtools.core.formatting import capitalise, count
from gnvtools.core.regimes import join_words
from gnvtools.core.spend import area_source

MADE_UP = " (påhittat exempel)"


def made_up(figures: Catalogue, *names: str) -> bool:
    """Whether any of the named figures rests on made-up data."""
    return any(figures[name].illustrative for name in names if name in figures)


def marked(text: str, figures: Catalogue, *names: str) -> str:
    """``text`` with the made-up mark before its full stop when any named figure is made up."""
    if not made_up(figures, *names):
        return text
    return text[:-1] + MADE_UP + "." if text.endswith(".") else text + MADE_UP


def deciding(r: Followup) -> str:
    """Who decides on the follow-up: its own key, the year's decision maker, the organisation."""
    spec = r.plan.params.followup
    p = r.plan.params
    return (spec.decided_by if spec else "") or p.decided_by or p.organisation.name


def preparing(r: Followup) -> str:
    spec = r.plan.params.followup
    return (spec.prepared_by if spec else "") or r.plan.params.prepared_by


def reading_clause(r: Followup) -> str:
    """``"Beloppen för områdena 3 och 6 är svårlästa i underlaget; tabellen anger hur de har
    lästs."``, or ``""``."""
    if not r.uncertain_areas:
        return ""
    areas = join_words([str(a) for a in sorted(r.uncertain_areas)])
    one = len(r.uncertain_areas) == 1
    what = "Beloppet för området" if one else "Beloppen för områdena"
    hard = "svårläst" if one else "svårlästa"
    it = "det" if one else "de"
    return f"{what} {areas} är {hard} i underlaget; tabellen anger hur {it} har lästs."


def difference_open(f: Catalogue) -> bool:
    """Whether the reported total and its details disagree (two readings of the repayment)."""
    return "att_betala_tillbaka_enligt_detaljerna" in f


def detail_words(r: Followup) -> str:
    return "beloppen per insatsområde" if r.reported_by_area else "förbrukningsraderna"


def details_used(r: Followup) -> str:
    """The figure the details sum to: the organisation's per-area use, else the rows'."""
    return "forbrukat_inom_omraden" if r.reported_by_area else "forbrukat_enligt_rader"


def proposed_reading(r: Followup, f: Catalogue) -> tuple[str, str]:
    """(used, repayment) figures of the reading the proposal recommends (``followup.
    recommended_reading``: the reported total by default, or the details)."""
    spec = r.plan.params.followup
    if difference_open(f) and spec is not None and spec.recommended_reading == "details":
        return details_used(r), "att_betala_tillbaka_enligt_detaljerna"
    return "forbrukat", "att_betala_tillbaka"


def other_reading(r: Followup, f: Catalogue) -> tuple[str, str]:
    """(used, repayment) figures of the reading the proposal does not take."""
    if proposed_reading(r, f)[1] == "att_betala_tillbaka":
        return details_used(r), "att_betala_tillbaka_enligt_detaljerna"
    return "forbrukat", "att_betala_tillbaka"


def reading_words(r: Followup, used: str) -> str:
    """What a reading counts as used: ``den redovisade totalen`` or ``beloppen per …``."""
    return "den redovisade totalen" if used == "forbrukat" else detail_words(r)


def grant_words(r: Followup) -> str:
    """``2025 års statsbidrag för utveckling av en god och nära vård`` as the regime says it
    (2023: ``2023 års stimulansmedel för god och nära vård``)."""
    return f"{r.plan.params.year} års {r.regime.money} {r.regime.purpose}"


def followup_title(r: Followup) -> str:
    """The follow-up's title in the regime's words: the title block's and the renderers'."""
    return f"Uppföljning av {r.regime.money_definite} {r.regime.purpose} {r.plan.params.year}"


def proposal_items(r: Followup, f: Catalogue) -> list[str]:
    """The default decision items: approve the follow-up; the repayment the administration
    recommends (where the reported total and its details disagree, the reading the parameter
    file recommends; the other reading is stated in the text, not put to the board)."""
    who = deciding(r)
    items = [f"{who} godkänner uppföljningen av {grant_words(r)}."]
    repayment: list[str] = []
    payer = r.regime.administered_by
    if difference_open(f):
        used, repay = proposed_reading(r, f)
        repayment.append(
            f"{who} konstaterar att {f.text(used)} har förbrukats enligt "
            f"{reading_words(r, used)} och noterar att {f.text(repay)} betalas tillbaka till "
            f"{payer}."
        )
    elif r.regime.unused_must_be_repaid is not None and f.amount("att_betala_tillbaka"):
        repayment.append(
            f"{who} godkänner att {f.text('att_betala_tillbaka')} betalas tillbaka till {payer}."
        )
    return items + [marked(item, f, "att_betala_tillbaka") for item in repayment]


def summary_texts(r: Followup, f: Catalogue) -> list[str]:
    """The generated summary: received, used and the utilisation, requisitions, repayment."""
    p = r.plan.params
    used = marked(
        f"Vid årets slut hade {f.text('forbrukat')} förbrukats, vilket ger en nyttjandegrad på "
        f"{f.text('nyttjandegrad')}.",
        f,
        "forbrukat",
        "nyttjandegrad",
    )
    texts = [f"{p.organisation.name} tog emot {f.text('mottaget')} för {p.year}. {used}"]
    texts += requisition_texts(r, f)
    texts += repayment_summary(r, f)
    if f.amount("fors_over"):
        texts.append(f"Till nästa år förs {f.text('fors_over')} över.")
    return texts


def requisition_steps(r: Followup) -> list[str]:
    """The year's requisition steps as a reader names them: ``Ansökan om nya
    utbildningsplatser (Vidareutbildning sjuksköterskor)``."""
    return [
        f"{step.name.lower()} inom {pot.name.lower()}"
        for pot in r.plan.params.pots
        if not r.plan.pot_sources[pot.name].startswith("carry-over")
        for step in pot.steps
        if step.kind == "requisition"
    ]


def requisition_texts(r: Followup, f: Catalogue) -> list[str]:
    """What could be requisitioned and was granted, and who did not requisition. When only
    part of the money was open to requisition, the sentences say which money."""
    if "rekvirerat" not in f or "rekvisition_tak" not in f or not f.amount("rekvisition_tak"):
        return []
    part = f.amount("rekvisition_tak") < f.amount("mottaget")
    which = f" ({join_words(requisition_steps(r))})" if part else ""
    texts = [
        marked(
            f"Av de {f.text('rekvisition_tak')} som kunde rekvireras{which} beviljades "
            f"mottagarna sammanlagt {f.text('rekvirerat')}.",
            f,
            "rekvirerat",
        )
    ]
    if "begart" in f and f.value("begart") != f.value("rekvirerat"):
        texts.append(marked(f"De begärde sammanlagt {f.text('begart')}.", f, "begart"))
    if r.not_requisitioned or f.amount("antal_ej_rekvirerat"):
        who = capitalise(count(f.amount("antal_ej_rekvirerat"), "mottagare", "mottagare"))
        text = (
            f"{who} som kunde rekvirera dessa medel gjorde det inte."
            if part
            else f"{who} rekvirerade inga medel."
        )
        texts.append(marked(text, f, "antal_ej_rekvirerat"))
    return texts


def repayment_summary(r: Followup, f: Catalogue) -> list[str]:
    payer = r.regime.administered_by
    if r.regime.unused_must_be_repaid is None:  # the section says why
        return [
            marked(f"Outnyttjat vid årets slut är {f.text('outnyttjat')}.", f, "outnyttjat")
            + " Inget belopp att betala tillbaka anges; se Återbetalning."
        ]
    texts = []
    if f.amount("utanfor_reglerna"):
        texts.append(
            f"Utanför reglerna har {f.text('utanfor_reglerna')} använts; det ska betalas tillbaka."
        )
    if difference_open(f):
        used, repay = proposed_reading(r, f)
        counted = "förbrukad" if used == "forbrukat" else "förbrukade"
        texts.append(
            f"Förvaltningen föreslår att {reading_words(r, used)} räknas som {counted} "
            f"och att {f.text(repay)} betalas tillbaka till {payer}; se Återbetalning."
        )
    elif f.amount("att_betala_tillbaka"):
        texts.append(
            f"Outnyttjat är {f.text('outnyttjat')}. Sammanlagt ska "
            f"{f.text('att_betala_tillbaka')} betalas tillbaka till {payer}."
        )
    else:
        texts.append(f"Outnyttjat är {f.text('outnyttjat')}. Inget ska betalas tillbaka.")
    return [t.strip() for t in texts]


def area_texts(r: Followup, f: Catalogue) -> list[str]:
    """The per-area sentences: the per-area table's sum against the year's use (as the table
    reconciles them), and the restricted area's rule with whether it applies here."""
    texts = []
    name = r.plan.params.organisation.name
    if "forbrukat_utover_omradestabellen" in f:
        if r.reported_by_area:
            whose = (
                f"Enligt {name}s egen redovisning summerar förbrukningen per insatsområde till "
                f"{f.text('forbrukat_per_omrade_summa')}"
            )
        else:
            whose = f"Förbrukningsraderna summerar till {f.text('forbrukat_per_omrade_summa')}"
            if "forbrukat_utan_omrade" in f:
                whose += f", varav {f.text('forbrukat_utan_omrade')} utan insatsområde"
        texts.append(
            marked(
                f"{whose}, medan den redovisade totalen är {f.text('forbrukat')}. Skillnaden, "
                f"{f.text('forbrukat_utover_omradestabellen')}, är inte fördelad på något område.",
                f,
                "forbrukat_per_omrade_summa",
            )
            + (" " + reading_clause(r) if r.uncertain_areas else "")
        )
    elif "forbrukat_utan_omrade" in f:
        texts.append(
            marked(
                f"Av förbrukningen saknar {f.text('forbrukat_utan_omrade')} insatsområde och "
                "redovisas för sig.",
                f,
                "forbrukat_utan_omrade",
            )
        )
    texts += restricted_area_texts(r)
    return texts


def restricted_area_texts(r: Followup) -> list[str]:
    """Each restricted area's rule with its source, and whether the organisation is among
    those it is for (area 8: named by the government; a rural part of the grant says so)."""
    name = r.plan.params.organisation.name
    spec = r.plan.params.followup
    rural = any(c.basis == "rural" for c in r.plan.params.received.components)
    because = (
        ", eftersom en del av bidraget är en landsbygdsdel"
        if rural and (spec is None or spec.area8_applies is None)
        else ""
    )
    texts = []
    for area, note in r.regime.restricted_areas.items():
        rule = f"Insatsområde {area} gäller {note} ({area_source(r.regime)})."
        if r.area8:
            texts.append(f"{rule} {name} hör dit{because}.")
        else:
            texts.append(
                f"{rule} {name} hör inte dit, så förbrukning inom området ligger utanför reglerna."
            )
    return texts
