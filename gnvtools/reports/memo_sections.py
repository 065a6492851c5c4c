"""Sections of the allocation memo that state rules and consequences.

Rules are printed under a heading per kind of source (the ordinance, Socialstyrelsen's
instructions, the SKR agreement, the organisation's own decisions and readings), each with its
citation; the organisation's reading stated in this very document carries no citation but says
it is the administration's own assessment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gnvtools.core.figures import Catalogue, slug
from gnvtools.core.formatting import count
from gnvtools.core.params import FrameStatement, Params
from gnvtools.core.regimes import Regime
from gnvtools.core.rulebook import KindRule, SourceKind, by_kind
from gnvtools.reports import memo_tables
from gnvtools.reports.display import Html, bullets, concat, heading, paragraph, paragraphs
from gnvtools.reports.memo_proposal import overall

KIND_HEADINGS: dict[SourceKind, str] = {
    "sfs": "Enligt förordningen ({short})",
    "socialstyrelsen": "Enligt Socialstyrelsens anvisningar",
    "overenskommelse": "Enligt överenskommelsen mellan staten och SKR",
    "organisation": "{organisation}s egna beslut och tolkningar",
}
OWN = "(Förvaltningens egen uppgift i detta ärende.)"


def kind_heading(kind: SourceKind, regime: Regime, organisation: str) -> str:
    return KIND_HEADINGS[kind].format(short=regime.short, organisation=genitive_stem(organisation))


def genitive_stem(name: str) -> str:
    """``Stockholms stad`` → ``Stockholms stad`` (the heading adds ``s``); a name ending in s
    takes no second s: ``Region Jämtland Härjedalen`` → ``Region Jämtland Härjedalen``."""
    return name[:-1] if name.endswith("s") else name


def rules_by_kind(rules: Sequence[KindRule], regime: Regime, organisation: str) -> Html:
    """The rules under one heading per kind of source."""
    parts: list[Html] = []
    for kind, found in by_kind(rules):
        parts.append(heading(kind_heading(kind, regime, organisation), 3))
        # Each item is the rule's own wording from its file (regimes.yaml, the organisation's
        # rules file): its numbers are the rule's, not the catalogue's.
        items = (r.rule.text + " " + OWN if r.own else r.rule.cited for r in found)
        parts.append(bullets(items, role="rule"))
    return concat(parts)


def regime_name(regime: Regime) -> str:
    """The regime's name as it reads mid-sentence: ``förordning (2024:1253) om …``."""
    name = regime.name
    return name[:1].lower() + name[1:] if name[:1].isupper() and " " in name else name


def background(params: Params, regime: Regime, rules: Sequence[KindRule]) -> list[Html]:
    text = (
        f"Bidraget för {params.year} lämnas enligt {regime_name(regime)}. Det administreras "
        f"av {regime.administered_by}. {regime.how_received}"
    )
    areas = [regime.areas[a] for a in sorted(regime.areas)]
    how_many = count(len(areas), "insatsområde", "insatsområden", neuter=True)
    parts = [
        paragraph(text),
        paragraph(f"Medlen får användas inom {how_many}:"),
        bullets(areas, ordered=True),
    ]
    if rules:
        parts += [
            paragraph("Följande gäller för användningen, ordnat efter källa:"),
            rules_by_kind(rules, regime, params.organisation.name),
        ]
    return parts


def carry_over_texts(params: Params, figures: Catalogue) -> list[str]:
    texts = []
    for carry in params.carry_over:
        desc = " ".join(carry.description.split())
        repay = (
            "Återbetalning krävs."
            if carry.repayment_required
            else "Ingen återbetalning har krävts, så medlen kan fördelas."
        )
        if "återbetalning" in desc.lower():
            repay = ""  # the description already says it; a sentence is never repeated
        texts.append(
            " ".join(
                x
                for x in (
                    f"Från {carry.year} återstår {figures.text(f'kvarvarande_{carry.year}')}.",
                    desc,
                    repay,
                    _carry_placed(figures, carry.year),
                )
                if x
            )
        )
    return texts


def _carry_placed(figures: Catalogue, year: int) -> str:
    """What this decision does with a carry-over, when not all of it goes to recipients."""
    head = f"beslut_kvarvarande_{year}"
    if f"{head}_ofordelat" not in figures or not figures.amount(f"{head}_ofordelat"):
        return ""
    if not figures.amount(f"{head}_fordelat") and not figures.amount(f"{head}_reserv"):
        return "Medlen fördelas i ett senare beslut."
    return (
        f"Detta beslut fördelar {figures.text(head + '_fordelat')} av dem; "
        f"{figures.text(head + '_ofordelat')} fördelas i ett senare beslut."
    )


def decision_item(params: Params, figure: str) -> int:
    """The number of the first decision item that states ``figure`` (0: none). When the
    parameter file's decision items settle a question, the generated text follows them."""
    items = params.memo.decisions if params.memo is not None else []
    found = 0
    for number, item in enumerate(items, start=1):
        if re.search(r"\{\{\s*" + re.escape(figure) + r"\s*(\||\}\})", item):
            found = number  # the last one settles it (an earlier one may only state it)
    return found


def economics_texts(params: Params, figures: Catalogue, regime: Regime) -> list[str]:
    """Ekonomiska konsekvenser: what is placed now, what is left for a later decision, and how
    the decision stands against the budget."""
    f = figures
    repaid = (
        " Det som inte har använts vid årets slut betalas tillbaka."
        if regime.unused_must_be_repaid
        else ""
    )
    split = overall(f, economics=True) if "beslut_medel" in f else None
    everything_in_pots = "beslut_medel" not in f or f.amount("beslut_medel") == f.amount(
        "medel_totalt"
    )
    if split is not None and (not everything_in_pots or f.amount("beslut_reserv")):
        # Money outside the pots or kept as a reserve: the decision's whole split, adding up.
        texts = [split]
        if f.amount("beslut_ofordelat") > 0 and repaid:
            texts[0] += repaid
    elif "beslut_tak" in f:
        texts = ceiling_texts(params, f, regime)
    else:
        texts = [
            f"Beslutet fördelar {f.text('fordelat')} av {f.text('medel_totalt')}."
            if "fordelat" in f
            else f"Beslutet gäller {f.text('medel_totalt')}."
        ]
        if "ofordelat" in f and f.amount("ofordelat") > 0:
            settled = decision_item(params, "ofordelat")
            how = f" Hur de hanteras framgår av beslutspunkt {settled}." if settled else ""
            texts.append(f"Ännu inte fördelat är {f.text('ofordelat')}.{how}{repaid}")
    if "budget" in f:
        gap = f.amount("budget_mot_mottaget")
        if gap > 0:
            settled = decision_item(params, "budget_mot_mottaget")
            how = (
                f"Hur skillnaden hanteras framgår av beslutspunkt {settled}."
                if settled
                else "Den skillnaden behöver täckas inom nämndernas och styrelsens egna ramar "
                "eller genom ett beslut om budgeten."
            )
            texts.append(
                f"Budgeten räknade med {f.text('budget')}, {f.text('budget_mot_mottaget')} mer "
                f"än de medel som har tagits emot. {how}"
            )
        elif gap < 0:
            texts.append(
                f"Budgeten räknade med {f.text('budget')}, mindre än de medel som har tagits emot."
            )
    if "beslut_tak" in f or ("fordelat" not in f and "beslut_medel" not in f):
        texts.append(
            "Hur mycket som rekvireras inom taken blir känt först när rekvisitionerna har "
            "kommit in; det redovisas i uppföljningen."
        )
    return texts


def ceiling_texts(params: Params, f: Catalogue, regime: Regime) -> list[str]:
    """A decision with requisition ceilings: what the ceilings cover, what each carry-over
    gives, and what happens to money that is not requisitioned or not used."""
    texts = []
    if "beslut_statsbidrag_tak" in f:
        tak = f.text("beslut_statsbidrag_tak")
        if f.amount("beslut_statsbidrag_tak") == f.amount("beslut_statsbidrag_fordelat"):
            texts.append(
                f"Av årets medel, {f.text('mottaget')}, får mottagarna rekvirera upp till "
                f"sina tak, sammanlagt {tak}."
            )
        else:
            whole = f.amount("beslut_statsbidrag_fordelat") == f.amount("mottaget")
            placed = (
                f"alla årets medel, {f.text('mottaget')}"
                if whole
                else f"{f.text('beslut_statsbidrag_fordelat')} av årets medel, {f.text('mottaget')}"
            )
            texts.append(
                f"Beslutet fördelar {placed}; av det är {tak} tak som mottagarna får "
                "rekvirera upp till."
            )
    for carry in params.carry_over:
        head = f"beslut_kvarvarande_{carry.year}"
        if f"{head}_fordelat" not in f:
            continue
        left = f.amount(f"{head}_ofordelat") + f.amount(f"{head}_reserv")
        in_full = "i sin helhet " if not left else ""
        texts.append(
            f"De kvarvarande medlen från {carry.year}, {f.text(f'kvarvarande_{carry.year}')}, "
            f"fördelas {in_full}till mottagarna enligt stegen ovan."
        )
    reserve = any(
        s.kind == "remainder" and s.split == "reserve" for pot in params.pots for s in pot.steps
    )
    texts.append(
        "Det som inte rekvireras inom taken fördelas inte i detta beslut."
        if reserve
        else "Det som inte rekvireras inom taken fördelas enligt stegen ovan."
    )
    if regime.unused_must_be_repaid:
        texts.append(
            "Av årets statsbidrag betalas det som inte har använts vid årets slut, eller som "
            f"inte har använts för bidragets syfte, tillbaka till {regime.administered_by}. Ju "
            "mindre av taken som rekvireras och används, desto mer behöver betalas tillbaka."
        )
    return texts


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def economics(params: Params, figures: Catalogue, regime: Regime) -> Html:
    return paragraphs(economics_texts(params, figures, regime))


def frame_texts(params: Params, figures: Catalogue) -> list[str]:
    """Each component as a share of its national frame."""
    texts = []
    for c in params.received.components:
        if c.national_frame:
            name = slug(c.name)
            texts.append(
                f"Delbeloppet {c.name[:1].lower() + c.name[1:]}, "
                f"{figures.text('delbelopp_' + name)}, är "
                f"{figures.text('andel_av_ram_' + name)} av den nationella ramen "
                f"{figures.text('nationell_ram_' + name)}."
            )
    return texts


def received(params: Params, figures: Catalogue, frames: Sequence[FrameStatement]) -> list[Html]:
    """Mottagna medel: the amount, its components and the frames the memo may cite."""
    texts = [
        f"För {params.year} har {params.organisation.name} tagit emot {figures.text('mottaget')}."
    ]
    if params.received.stated_as and figures["mottaget"].precision == "exakt":
        texts.append(f"Beslutsunderlaget anger beloppet som {params.received.stated_as}.")
    texts += frame_texts(params, figures)
    parts = [paragraphs(texts), memo_tables.received_table(params).block()]
    table = memo_tables.frames_table(frames)
    if table is not None:
        parts.append(table.block())
    return parts
