"""The follow-up's checks: one finding per cause, and only where it is true.

A recipient is checked against the strictest limit that applies to it: what it requisitioned
(only if it had a requisition step or a row in the requisitions file) or what it was allocated.
A recipient that requisitioned nothing but spent money gets one finding that says both. A
finding that rests on made-up rows says so in its message and is flagged ``illustrative``
(``followup_made_up``). The checks of one recipient are in ``followup_check_recipients``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gnvtools.core.followup_check_recipients import above_ceiling, above_limit, not_requisitioned
from gnvtools.core.followup_made_up import MADE_UP, with_made_up_note
from gnvtools.core.formatting import kr, mnkr, percent
from gnvtools.core.reconciliation import Finding
from gnvtools.core.regimes import join_words

if TYPE_CHECKING:
    from gnvtools.core.followup import Followup

__all__ = ["MADE_UP", "followup_findings"]


def followup_findings(r: Followup) -> list[Finding]:
    """Every finding of a follow-up, in the order a reader meets the figures."""
    findings = _totals(r)
    for name in r.not_requisitioned:
        findings.append(not_requisitioned(r, r.by_recipient[name]))
    for f in r.by_recipient.values():
        findings += above_ceiling(r, f)
        if f.name not in r.not_requisitioned:
            findings += above_limit(r, f)
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
        message, made_up = with_made_up_note(r, text)
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
        message, made_up = with_made_up_note(r, text)
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
        message, made_up = with_made_up_note(
            r, f"Av förbrukningen saknar {kr(r.unassigned)} insatsområde."
        )
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
        message, made_up = with_made_up_note(r, text)
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
            message, made_up = with_made_up_note(r, text)
            findings.append(Finding("warning", "rows-vs-area", message, -rows, made_up))
        elif rows != reported:
            text = (
                f"Förbrukningsraderna för insatsområde {area} summerar till {kr(rows)}, men "
                f"{who} redovisar {kr(reported)} för området."
            )
            message, made_up = with_made_up_note(r, text)
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
            message, made_up = with_made_up_note(
                r,
                f"Av kvarvarande medel från {carry.year} ({amount}) förbrukades "
                f"{kr(carry.used)}; de följs upp för sig och påverkar inte årets återbetalning.",
            )
            findings.append(Finding("info", "carry-over-followed-up", message, carry.used, made_up))
    return findings
