"""The follow-up's checks: one finding per cause, and only where it is true.

A recipient is checked against the strictest limit that applies to it: what it requisitioned
(only if it had a requisition step or a row in the requisitions file) or what it was allocated.
A recipient that requisitioned nothing but spent money gets one finding that says both. A
finding that rests on made-up rows says so in its message and is flagged ``illustrative``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gnvtools.core.formatting import kr, mnkr, percent
from gnvtools.core.reconciliation import Finding
from gnvtools.core.regimes import join_words

if TYPE_CHECKING:
    from gnvtools.core.followup import Followup, RecipientFigures

#: Appended to a finding's message when it rests on made-up rows.
MADE_UP = " (Bygger på påhittade exempelrader.)"


def followup_findings(r: Followup) -> list[Finding]:
    """Every finding of a follow-up, in the order a reader meets the figures."""
    findings = _totals(r)
    for name in r.not_requisitioned:
        findings.append(_not_requisitioned(r, r.by_recipient[name]))
    for f in r.by_recipient.values():
        findings += _above_ceiling(r, f)
        if f.name not in r.not_requisitioned:
            findings += _above_limit(r, f)
    findings += _ineligible(r)
    findings += _unclassified(r)
    findings += _details(r)
    findings += _carry_over(r)
    if r.repay:
        alternative = ""
        if r.repay_if_details is not None:
            details = "beloppen per insatsområde" if r.reported_by_area else "förbrukningsraderna"
            alternative = (
                f" ({kr(r.repay_if_details)} om i stället {details} räknas som förbrukade)"
            )
        findings.append(
            Finding(
                "info",
                "repayment",
                f"Till {r.regime.administered_by} ska {kr(r.repay)} betalas tillbaka{alternative}.",
                r.repay,
            )
        )
    if r.carried_over:
        findings.append(
            Finding(
                "info",
                "carried-over",
                f"Till nästa år förs {kr(r.carried_over)} över.",
                r.carried_over,
            )
        )
    return findings


def _totals(r: Followup) -> list[Finding]:
    findings = []
    if r.used > r.received:
        findings.append(
            Finding(
                "error",
                "used-above-received",
                f"Förbrukat {kr(r.used)} är mer än mottagna {kr(r.received)}.",
                r.used - r.received,
            )
        )
    # The year's use is made up when it is the made-up rows' sum (no reported total).
    text = f"Av mottagna {kr(r.received)} förbrukades {kr(r.used)}, {percent(r.utilisation)}."
    made_up = r.illustrative and r.reported_used is None
    findings.append(
        Finding("info", "utilisation", text + (MADE_UP if made_up else ""), r.used, made_up)
    )
    return findings


def _made_up(r: Followup, text: str, requisition: bool = False) -> tuple[str, bool]:
    made_up = r.requisitions_illustrative if requisition else r.illustrative
    return (text + MADE_UP if made_up else text), made_up


def _not_requisitioned(r: Followup, f: RecipientFigures) -> Finding:
    """One finding for a recipient that asked for nothing, whether or not it spent money."""
    could = f" (taket var {kr(f.ceiling)})" if f.ceiling else ""
    text = f"{f.name} rekvirerade inga medel{_which_money(r)}{could}"
    if f.used > f.allocated:  # spent beyond what it got from other steps: the same cause
        text += (
            f" men har förbrukat {kr(f.used)}, {kr(f.used - f.allocated)} mer än tilldelade "
            f"{kr(f.allocated)}"
        )
    message, made_up = _made_up(r, text + ".", requisition=True)
    return Finding(
        "warning", "not-requisitioned", message, f.ceiling or 0, made_up or r.illustrative
    )


def _which_money(r: Followup) -> str:
    """Which money could be requisitioned, when only part of the year's was (Stockholm 2023:
    `` i steget ansökan om nya utbildningsplatser``); else nothing."""
    if r.requisition_target is None or r.requisition_target >= r.received:
        return ""
    sources = r.plan.pot_sources
    steps = [
        step.name.lower()
        for pot in r.plan.params.pots
        if not sources[pot.name].startswith("carry-over")
        for step in pot.steps
        if step.kind == "requisition"
    ]
    return f" i {'steget' if len(steps) == 1 else 'stegen'} {join_words(steps)}"


def _above_ceiling(r: Followup, f: RecipientFigures) -> list[Finding]:
    """A requisitions-file amount above what the steps let the recipient have: an error."""
    if f.step_limit is None or f.requisitioned is None or f.requisitioned <= f.step_limit:
        return []
    limit = kr(f.step_limit)
    what = f"taket {limit}" if f.step_limit == (f.ceiling or 0) else f"de {limit} som steget gav"
    spec = r.plan.params.followup
    shown = r.plan.file.data_path(spec.requisitions)[1] if spec and spec.requisitions else ""
    text = (
        f"{f.name} rekvirerade {kr(f.requisitioned)} enligt {shown}, "
        f"{kr(f.requisitioned - f.step_limit)} mer än {what}."
    )
    message, made_up = _made_up(r, text, requisition=True)
    return [
        Finding(
            "error",
            "requisitioned-above-ceiling",
            message,
            f.requisitioned - f.step_limit,
            made_up,
        )
    ]


def _above_limit(r: Followup, f: RecipientFigures) -> list[Finding]:
    """At most one finding: above what it requisitioned when that is the lower limit (a
    requisitions file granted less than the steps), else above what it was allocated.

    The requisitioned limit is the allocation with the requisition steps' grant replaced by the
    requisitioned amount, so money from other steps counts; a recipient without a requisition
    has no requisitioned limit at all.
    """
    limit = f.limit
    if limit < f.allocated and f.used > limit:
        req = f.requisitioned or 0
        other = f.allocated - f.granted
        besides = f" och {kr(other)} från andra steg" if other else ""
        text = (
            f"{f.name} har förbrukat {kr(f.used)}, {kr(f.used - limit)} mer än rekvirerade "
            f"{kr(req)}{besides}."
        )
        message, made_up = _made_up(r, text)
        return [
            Finding(
                "warning",
                "used-above-requisitioned",
                message,
                f.used - limit,
                made_up or r.requisitions_illustrative,
            )
        ]
    if f.used > f.allocated:
        text = (
            f"{f.name} har förbrukat {kr(f.used)}, {kr(f.used - f.allocated)} mer än "
            f"tilldelade {kr(f.allocated)}."
        )
        message, made_up = _made_up(r, text)
        return [Finding("warning", "used-above-allocated", message, f.used - f.allocated, made_up)]
    return []


def _ineligible(r: Followup) -> list[Finding]:
    spec = r.plan.params.followup
    spend_file = r.plan.file.data_path(spec.spend)[1] if spec else ""
    findings = []
    for item in r.ineligible_lines:
        line = item.line
        text = (
            f"{line.recipient}: {kr(line.amount)} ({line.activity or 'utan beskrivning'}) "
            f"får inte användas så: {item.reason}. Beloppet ska betalas tillbaka "
            f"({spend_file}, rad {line.row})."
        )
        message, made_up = _made_up(r, text)
        findings.append(Finding("error", "ineligible-spend", message, line.amount, made_up))
    return findings


def _unclassified(r: Followup) -> list[Finding]:
    """One warning per kind of activity that no source for the organisation classifies."""
    spec = r.plan.params.followup
    spend_file = r.plan.file.data_path(spec.spend)[1] if spec else ""
    owner = r.plan.params.organisation.name
    kinds: dict[str, list[int]] = {}
    amounts: dict[str, int] = {}
    for line in r.unclassified:
        kinds.setdefault(line.activity_type, []).append(line.row)
        amounts[line.activity_type] = amounts.get(line.activity_type, 0) + line.amount
    findings = []
    for kind, rows in kinds.items():
        word = "rad" if len(rows) == 1 else "raderna"
        text = (
            f"Ingen källa för {owner} anger om verksamhetstypen {kind} ligger inom bidragets "
            f"ram ({spend_file}, {word} {join_words([str(n) for n in rows])}, "
            f"{kr(amounts[kind])}). {owner} behöver ange sin tolkning med källa i sin regelfil "
            "(activity_types); till dess räknas beloppet inte som använt utanför reglerna."
        )
        message, made_up = _made_up(r, text)
        findings.append(
            Finding("warning", "activity-type-unclassified", message, amounts[kind], made_up)
        )
    return findings


def _reading_note(r: Followup) -> str:
    """Which per-area figures we read from an illegible source, as a clause (or empty)."""
    if not r.uncertain_areas:
        return ""
    areas = join_words([str(a) for a in sorted(r.uncertain_areas)])
    word = "området" if len(r.uncertain_areas) == 1 else "områdena"
    return (
        f" Beloppen för {word} {areas} är svårlästa i underlaget, och skillnaden kan bero på "
        "hur de har lästs."
    )


def _details(r: Followup) -> list[Finding]:
    """Totals against their details: one finding for the difference between the reported
    total and its parts (per area when the organisation reported them, else the rows)."""
    findings = []
    if r.unassigned:
        message, made_up = _made_up(r, f"Av förbrukningen saknar {kr(r.unassigned)} insatsområde.")
        findings.append(Finding("warning", "spend-without-area", message, r.unassigned, made_up))
    if r.reported_by_area:
        findings += _rows_vs_areas(r)
    if r.reported_used is None:
        return findings
    parts = sum(r.by_area.values()) + (0 if r.reported_by_area else r.unassigned)
    what = "Förbrukningen per insatsområde" if r.reported_by_area else "Förbrukningsraderna"
    gap = r.reported_used - parts
    if not gap:
        message = f"{what} summerar till den redovisade totalen {kr(r.used)}."
        return [*findings, Finding("info", "rows-vs-reported", message, 0)]
    text = (
        f"{what} summerar till {kr(parts)}, {kr(abs(gap))} {'mindre' if gap > 0 else 'mer'} "
        f"än den redovisade totalen {kr(r.reported_used)}. Skillnaden är inte fördelad på "
        f"insatsområden; förslaget räknar {_proposed_words(r)} som förbrukad."
    )
    if r.reported_by_area:
        message, made_up = text + _reading_note(r), False
    else:
        message, made_up = _made_up(r, text)
    findings.append(Finding("warning", "rows-vs-reported", message, gap, made_up))
    return findings


def _proposed_words(r: Followup) -> str:
    """What the proposal counts as used (``followup.recommended_reading``)."""
    spec = r.plan.params.followup
    if spec is not None and spec.recommended_reading == "details":
        return "summan av " + ("beloppen per insatsområde" if r.reported_by_area else "raderna")
    return "den redovisade totalen"


def _rows_vs_areas(r: Followup) -> list[Finding]:
    """Each area with rows or a reported figure where the rows do not add up to the use the
    organisation reported there (an area with rows but no reported figure: reported 0 kr)."""
    findings = []
    who = r.plan.params.organisation.name
    for area in r.compared_areas:
        rows = r.rows_by_area.get(area, 0)
        reported = r.reported_by_area.get(area)
        if reported is None:  # rows in an area the organisation reported nothing for
            text = (
                f"Förbrukningsraderna för insatsområde {area} summerar till {kr(rows)}, men "
                f"{who} redovisar inget belopp för området."
            )
            message, made_up = _made_up(r, text)
            findings.append(Finding("warning", "rows-vs-area", message, -rows, made_up))
        elif rows != reported:
            text = (
                f"Förbrukningsraderna för insatsområde {area} summerar till {kr(rows)}, men "
                f"{who} redovisar {kr(reported)} för området."
            )
            message, made_up = _made_up(r, text)
            findings.append(Finding("warning", "rows-vs-area", message, reported - rows, made_up))
    return findings


def _carry_over(r: Followup) -> list[Finding]:
    findings = []
    stated = {c.year: c for c in r.plan.params.carry_over}
    for carry in r.carry_over:
        spec = stated.get(carry.year)
        # As the source gives it: "cirka 10,7 mnkr", never to the krona.
        amount = (
            f"cirka {mnkr(carry.amount)}"
            if spec is not None and spec.precision == "cirka"
            else kr(carry.amount)
        )
        if carry.used is None:
            findings.append(
                Finding(
                    "warning",
                    "carry-over-not-followed-up",
                    f"Kvarvarande medel från {carry.year} ({amount}) är inte uppföljda: "
                    "ingen förbrukningsrad anger att den avser dessa medel.",
                    None if spec is not None and spec.precision == "cirka" else carry.amount,
                )
            )
        else:
            message, made_up = _made_up(
                r,
                f"Av kvarvarande medel från {carry.year} ({amount}) förbrukades "
                f"{kr(carry.used)}; de följs upp för sig och påverkar inte årets återbetalning.",
            )
            findings.append(Finding("info", "carry-over-followed-up", message, carry.used, made_up))
    return findings
