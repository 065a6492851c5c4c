"""The multi-year comparison's sentences: each year in a line, what the groups left outside
from a year on received, carried-over money and repayment, and where the checks come from.

Every amount is a catalogue figure's text (``Year.text``), so a sentence says "cirka 10,7 mnkr"
where the source does, and a made-up figure carries its mark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gnvtools.core.figures import slug
from gnvtools.core.reconciliation import Finding
from gnvtools.core.regimes import join_words
from gnvtools.reports.comparison_inputs import Year
from gnvtools.reports.display import Html, paragraphs, section

if TYPE_CHECKING:
    from gnvtools.reports.comparison import Comparison

MADE_UP = "påhittat exempel"
#: The checks that compare sources of the national frame, one of them the year's own memo.
FRAME_CODES = ("frame-parts-vs-total", "frames-disagree")


def year_text(c: Comparison, year: Year) -> str:
    if year.plan is None:
        text = f"För {year.spec.year} saknas uppgift om mottaget belopp och förbrukning."
        stated = year.spec.unused_stated_as or (
            year.text("outnyttjat") if year.unused is not None else None
        )
        return text + (f" Vid årets slut återstod {stated}." if stated else "")
    text = f"{year.spec.year} ({year.label}): mottaget {year.text('mottaget')}"
    if year.used is not None and year.utilisation is not None:
        made_up = f", {MADE_UP}" if year.used_is_illustrative else ""
        text += f", förbrukat {year.text('forbrukat')} ({year.text('nyttjandegrad')}{made_up})"
    return text + "."


def summary_texts(c: Comparison) -> list[str]:
    texts = [year_text(c, year) for year in c.years]
    made_up_years = [str(y.spec.year) for y in c.years if y.used_is_illustrative]
    real_years = [
        str(y.spec.year) for y in c.years if y.result is not None and not y.used_is_illustrative
    ]
    if made_up_years and real_years:
        texts.append(
            f"Förbrukningen {join_words(made_up_years)} är ett påhittat exempel och kan inte "
            f"jämföras med de redovisade siffrorna för {join_words(real_years)}."
        )
    school = school_text(c)
    return texts + ([school] if school else [])


def school_text(c: Comparison) -> str:
    """What the change of regime did to the groups it left outside, each by its name."""
    texts = []
    missing = [str(y.spec.year) for y in c.years if y.allocation is None]
    for label, _ in c.outside_groups():
        name = f"grupp_{slug(label)}"
        known = [year for year in c.years if year.allocation is not None]
        if not any(year.amount(name) for year in known):
            when = [str(year.spec.year) for year in known]
            if len(when) == 1:
                text = f"{label} fick inget av årets statsbidrag {when[0]}"
            else:
                years = f"varken {', '.join(when[:-1])} eller {when[-1]}"
                text = f"{label} fick {years} något av årets statsbidrag"
        else:
            got = [f"{year.text(name)} {year.spec.year}" for year in known]
            text = f"Av årets statsbidrag fick {label} {join_words(got)}"
        carried = [
            f"{year.text(name + '_kvarvarande')} {year.spec.year}"
            for year in known
            if year.amount(name + "_kvarvarande")
        ]
        if carried:
            text += f"; av kvarvarande medel från tidigare år fick den {join_words(carried)}"
        texts.append(text + ".")
    if not texts:
        return ""
    if missing:
        texts.append(f"För {join_words(missing)} saknas uppgift om fördelningen.")
    if c.mapping.outside_note:
        texts.append(" ".join(c.mapping.outside_note.split()))
    return " ".join(texts)


def carry_over(c: Comparison) -> Html:
    texts = []
    for year in c.years:
        if year.plan:
            for carry in year.plan.params.carry_over:
                texts.append(
                    f"{year.spec.year} fördelades {year.text(f'kvarvarande_{carry.year}')} "
                    f"i kvarvarande medel från {carry.year}."
                )
            if year.amount("fors_over"):
                texts.append(
                    f"Av {year.spec.year} års medel fördes {year.text('fors_over')} över "
                    "till året efter."
                )
            if year.amount("att_betala_tillbaka"):
                made_up = f" ({MADE_UP})" if year.made_up("att_betala_tillbaka") else ""
                texts.append(repayment_text(c, year, made_up))
        elif year.spec.unused_at_year_end is not None:
            stated = year.spec.unused_stated_as or year.text("outnyttjat")
            texts.append(f"Vid utgången av {year.spec.year} återstod {stated}.")
    return section("Nyttjande och kvarvarande medel", paragraphs(texts))


def repayment_text(c: Comparison, year: Year, made_up: str) -> str:
    """What the year pays back, and the other amount when the reported total and its
    details (per area, or the spend rows) differ."""
    repaid = year.text("att_betala_tillbaka")
    text = f"Av {year.spec.year} års medel ska {repaid} betalas tillbaka"
    if year.amount("att_betala_tillbaka_enligt_detaljerna") is None:
        return text + made_up + "."
    followup = year.plan.params.followup if year.plan else None
    details = (
        "det som redovisats per insatsområde"
        if followup is not None and followup.reported_by_area
        else "förbrukningsraderna"
    )
    return (
        f"{text} om hela den redovisade förbrukningen räknas, eller "
        f"{year.text('att_betala_tillbaka_enligt_detaljerna')} om bara {details} räknas som "
        f"förbrukat{made_up}."
    )


def checks_text(c: Comparison) -> str:
    """One sentence above the checks: they cover the whole year, and the frame warnings compare
    sources that state different amounts."""
    text = "Kontrollerna nedan gäller hela året, med underlag som kom efter respektive beslut"
    frames = sorted({f.message.split(":", 1)[0] for f in c.findings if f.code in FRAME_CODES})
    if frames:
        text += (
            f"; varningarna om den nationella ramen {join_words(frames)} jämför källor som "
            "anger olika belopp"
        )
    return text + "."


def finding_note(c: Comparison, finding: Finding) -> str:
    """A check without an amount, as the report says it below the checks (``gnv check`` gives
    the finding's own message, which names the files)."""
    if finding.code == "year-partial":
        partial = [str(y.spec.year) for y in c.years if y.plan is None]
        return (
            f"För {join_words(partial)} finns inget fullständigt underlag. Jämförelsen visar bara "
            "det som källorna anger; övriga uppgifter saknas."
        )
    return finding.message
