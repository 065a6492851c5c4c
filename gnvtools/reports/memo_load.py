"""Loading what the allocation memo reads: its texts, its organisation's rules, its date.

``load_texts`` is what ``gnv check`` and every render run before anything else; the catalogue
it checks against is the memo's own (stage ``beslut``), so a requisition outcome in a text file
is an unknown name. ``decision_plan`` leaves out the frame statements the memo may not cite (its
own, or a later source's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from gnvtools.core.figures import Catalogue, Stage
from gnvtools.core.model import Plan
from gnvtools.core.params import Params
from gnvtools.core.reconciliation import Finding, sort_findings
from gnvtools.core.rulebook import NO_READINGS, Readings, citable, read_readings
from gnvtools.errors import InputError
from gnvtools.reports.texts import Texts, check_placeholders, check_text, placeholders, read_texts

#: The sections an organisation may write in its text file, in the order the memo shows them.
AUTHORED_SECTIONS = (
    "Sammanfattning",
    "Bakgrund",
    "Ärendet",
    "Ärendets beredning",
    "Förvaltningens synpunkter och förslag",
    "Kvarvarande medel från tidigare år",
    "Ekonomiska konsekvenser",
    "Redovisning och återbetalning",
    "Jämställdhetsanalys",
)
#: The memo is the decision document.
STAGE: Stage = "beslut"


def load_texts(plan: Plan, catalogue: Catalogue) -> Texts | None:
    """Read and check the organisation's text file and the decision items' placeholders.

    This is what ``gnv check`` and every render run before anything else: an unknown figure, a
    malformed placeholder or an unknown heading is an error naming the file and its line. The
    catalogue is the memo's own (stage ``beslut``): a requisition outcome is an unknown name.
    """
    params = plan.params
    memo = params.memo
    if memo is not None:
        for index, item in enumerate(memo.decisions):
            line = plan.file.line("memo", "decisions", index) or 0
            found = placeholders(item, file=plan.file.shown, line=line)
            check_placeholders(found, catalogue, file=plan.file.shown)
    if not params.texts:
        return None
    resolved, shown = plan.file.data_path(params.texts)
    if not resolved.suffix.lower() == ".md":
        raise InputError(
            "textfilen ska vara en Markdown-fil (.md)",
            file=plan.file.shown,
            row=plan.file.line("texts"),
            key="texts",
        )
    texts = read_texts(resolved, shown, AUTHORED_SECTIONS)
    check_text(texts, catalogue)
    return texts


def load_readings(plan: Plan) -> Readings:
    """The organisation's own rules file (``rules:``), or none: another organisation's
    readings never reach its documents (the memo's and the follow-up's)."""
    if not plan.params.rules:
        return NO_READINGS
    resolved, shown = plan.file.data_path(plan.params.rules)
    return read_readings(resolved, shown)


def document_date(params: Params) -> dt.date | None:
    memo = params.memo
    if memo is None:
        return None
    return memo.date or memo.meeting_date


def citable_frames(plan: Plan, readings: Readings) -> list[int]:
    """The frame statements this document may cite (by index): not its own, not a later one."""
    params = plan.params
    itself = params.memo.source if params.memo is not None else ""
    when = document_date(params)
    return [
        index
        for index, s in enumerate(params.national_frames)
        if not s.source_id or citable(s.source_id, readings, when, itself)
    ]


def decision_plan(plan: Plan, readings: Readings) -> Plan:
    """The plan without the frame statements this document may not cite (itself, or later)."""
    params = plan.params
    kept = [params.national_frames[i] for i in citable_frames(plan, readings)]
    if len(kept) == len(params.national_frames):
        return plan
    own = params.model_copy(update={"national_frames": kept})
    return replace(plan, file=replace(plan.file, params=own))


#: Before a finding that holds only once the requisitions are in (``gnv check`` lists it
#: beside the decision's own checks; the memo, a decision document, does not).
AFTER_REQUISITIONS = "Efter rekvisitionerna: "


def by_stage(decision: list[Finding], full: list[Finding]) -> list[Finding]:
    """Every check with its stage: the decision's findings as they are, then each finding of
    the full allocation that the decision does not have, marked as known after the
    requisitions. Without a requisition step at its ceilings the two lists are the same."""
    later = [replace(f, message=AFTER_REQUISITIONS + f.message) for f in full if f not in decision]
    return sort_findings([*decision, *later])
