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
    """``"Beloppen för områdena 3 och 6 är svårlästa i källan och tolkade av oss."``, or ``""``."""
    if not r.uncertain_areas:
        return ""
    areas = join_words([str(a) for a in sorted(r.uncertain_areas)])
    word = "området" if len(r.uncertain_areas) == 1 else "områdena"
    return f"Beloppen för {word} {areas} är svårlästa i källan och tolkade av oss."


def difference_open(f: Catalogue) -> bool:
    """Whether the reported total and its details disagree (a matter for decision)."""
    return "att_betala_tillbaka_enligt_detaljerna" in f


def detail_words(r: Followup) -> str:
    return "beloppen per insatsområde" if r.reported_by_area else "förbrukningsraderna"


def proposal_items(r: Followup, f: Catalogue) -> list[str]:
    """The default decision items: approve the follow-up; the repayment, with its alternative
    when the reported total and its details disagree."""
    who = deciding(r)
    year = r.plan.params.year
    items = [
        f"{who} godkänner uppföljningen av {year} års statsbidrag för utveckling av en god och "
        "nära vård."
    ]
    repayment: list[str] = []
    payer = r.regime.administered_by
    if difference_open(f):
        repayment.append(
            f"{who} beslutar hur skillnaden på {f.text('redovisat_utover_detaljerna')} mellan "
            f"den redovisade totalen och {detail_words(r)} ska redovisas: som förbrukad, och "
            f"då betalas {f.text('att_betala_tillbaka')} tillbaka till {payer}, eller som "
            f"outnyttjad, och då betalas {f.text('att_betala_tillbaka_enligt_detaljerna')} "
            "tillbaka."
        )
    elif r.regime.unused_must_be_repaid is not None and f.amount("att_betala_tillbaka"):
        repayment.append(
            f"{who} godkänner att {f.text('att_betala_tillbaka')} betalas tillbaka till {payer}."
        )
    return items + [marked(item, f, "att_betala_tillbaka") for item in repayment]


def summary_texts(r: Followup, f: Catalogue) -> list[str]:
    """The generated summary: received, used and the utilisation, requisitions, repayment."""
    p = r.plan.params
    texts = [
        f"{p.organisation.name} tog emot {f.text('mottaget')} för {p.year}. Vid årets slut hade "
        f"{f.text('forbrukat')} förbrukats, vilket ger en nyttjandegrad på "
        f"{f.text('nyttjandegrad')}."
    ]
    if "rekvirerat" in f and "rekvisition_tak" in f and f.amount("rekvisition_tak"):
        texts.append(
            marked(
                f"Av de {f.text('rekvisition_tak')} som kunde rekvireras beviljades mottagarna "
                f"sammanlagt {f.text('rekvirerat')}.",
                f,
                "rekvirerat",
            )
        )
        if "begart" in f and f.value("begart") != f.value("rekvirerat"):
            texts.append(marked(f"De begärde sammanlagt {f.text('begart')}.", f, "begart"))
    if r.not_requisitioned:
        who = count(f.amount("antal_ej_rekvirerat"), "mottagare", "mottagare")
        texts.append(
            marked(
                f"{capitalise(who)} rekvirerade inga medel.",
                f,
                "antal_ej_rekvirerat",
            )
        )
    texts += repayment_summary(r, f)
    if f.amount("fors_over"):
        texts.append(f"Till nästa år förs {f.text('fors_over')} över.")
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
        texts.append(
            f"Beroende på hur skillnaden mellan den redovisade totalen och {detail_words(r)} "
            f"redovisas ska {f.text('att_betala_tillbaka')} eller "
            f"{f.text('att_betala_tillbaka_enligt_detaljerna')} betalas tillbaka till {payer}."
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


def repayment_texts(r: Followup, f: Catalogue) -> list[str]:
    """The repayment section's sentences (the sum with its parts is the table beside them)."""
    if r.regime.unused_must_be_repaid is None:
        return [r.regime.silent_on_unused]
    if r.regime.unused_must_be_repaid:
        texts = []  # the rule itself is listed below the sum, with its source
    else:
        texts = [
            f"Outnyttjade medel behöver inte betalas tillbaka; till nästa år förs "
            f"{f.text('fors_over')} över."
        ]
    if difference_open(f):
        texts.append(
            f"Den redovisade totalen och {detail_words(r)} skiljer sig åt. Räknas skillnaden som "
            f"förbrukad blir återbetalningen {f.text('att_betala_tillbaka')}; räknas bara "
            f"{detail_words(r)} som förbrukade blir den "
            f"{f.text('att_betala_tillbaka_enligt_detaljerna')}. Hur skillnaden ska redovisas "
            "är en fråga för beslut."
        )
    return [t.strip() for t in texts]
