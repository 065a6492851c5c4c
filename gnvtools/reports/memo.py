"""The allocation memo (tjänsteutlåtande) as an ordered document of sections.

The memo is a decision document (stage ``beslut``, dated by ``memo.date`` or the meeting): it
states only what is known at the decision. Its catalogue holds no requisition outcome, its model
shows ceilings for a requisition step, its checks run on the allocation as the decision knows it
(``core.model.at_decision``), and it cites no source dated after itself nor itself.

Figures come from the catalogue (``gnvtools.core.figures``); a section is either generated (a
Swedish default built from the figures, phrased in ``memo_phrases``, tables in ``memo_tables``,
rules and consequences in ``memo_sections``, the decision items and summary in ``memo_summary``)
or authored by the organisation in its text file.
The order follows a real tjänsteutlåtande: proposal, summary, background, the case and its
preparation, the administration's view, the model step by step, left-over money, economic
consequences, reporting and repayment, the gender-equality analysis, checks, signatures,
distribution, attachments and provenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gnvtools.core.decision_totals import decision_totals
from gnvtools.core.figures import Catalogue
from gnvtools.core.finding_figures import finding_figures
from gnvtools.core.memo_figures import allocation_figures
from gnvtools.core.memo_inputs import decision_inputs
from gnvtools.core.model import Allocation, Plan, allocate, at_decision, build_plan
from gnvtools.core.params import Params, locate
from gnvtools.core.reconciliation import Finding, reconcile_allocation
from gnvtools.core.regimes import Regime, get_regime
from gnvtools.core.rulebook import NO_READINGS, KindRule, Readings, rules_for_document
from gnvtools.reports import (
    charts,
    memo_head,
    memo_model,
    memo_phrases,
    memo_sections,
    memo_summary,
    memo_tables,
)
from gnvtools.reports.common import appendix, findings_sentence
from gnvtools.reports.display import Html, Table, bullets, paragraph, paragraphs, section
from gnvtools.reports.memo_load import AFTER_REQUISITIONS as AFTER_REQUISITIONS
from gnvtools.reports.memo_load import AUTHORED_SECTIONS as AUTHORED_SECTIONS
from gnvtools.reports.memo_load import STAGE, by_stage, citable_frames, decision_plan
from gnvtools.reports.memo_load import document_date as document_date
from gnvtools.reports.memo_load import load_readings as load_readings
from gnvtools.reports.memo_load import load_texts as load_texts
from gnvtools.reports.memo_phrases import describe_key as describe_key
from gnvtools.reports.memo_phrases import join_names as join_names
from gnvtools.reports.table_cells import findings_table
from gnvtools.reports.texts import Texts, markdown_html, substitute


@dataclass
class AllocationMemo:
    allocation: Allocation
    findings: list[Finding]
    regime: Regime
    path: Path
    figures: Catalogue
    texts: Texts | None
    decision: Allocation | None = None
    decision_findings: list[Finding] | None = None
    readings: Readings = NO_READINGS

    @classmethod
    def load(cls, path: str | Path) -> AllocationMemo:
        path = locate(path)
        return cls.from_plan(build_plan(path), path)

    @classmethod
    def from_plan(cls, plan: Plan, path: Path) -> AllocationMemo:
        """Allocate, check and validate the texts of an already loaded plan.

        ``findings`` are every check (``gnv check`` shows them); the memo itself shows
        ``decision_findings``, the checks of what the decision knows.
        """
        allocation = allocate(plan)
        regime = get_regime(plan.params.regime)
        readings = load_readings(plan)
        decision = at_decision(Allocation(decision_plan(plan, readings), allocation.pots))
        known = reconcile_allocation(decision)
        findings = by_stage(known, reconcile_allocation(allocation))
        frames = citable_frames(plan, readings)
        figures = allocation_figures(allocation, known, stage=STAGE, frames=frames)
        decision_totals(figures, decision)
        finding_figures(figures, known, "beslut")  # the checks the memo shows
        texts = load_texts(plan, figures)
        return cls(allocation, findings, regime, path, figures, texts, decision, known, readings)

    @property
    def at_decision(self) -> Allocation:
        return self.decision if self.decision is not None else at_decision(self.allocation)

    @property
    def shown_findings(self) -> list[Finding]:
        return self.decision_findings if self.decision_findings is not None else self.findings

    @property
    def input_files(self) -> list[Path]:
        """Every file the memo reads: the parameter file, the data known at the decision (no
        requests of a later requisition), its rules and its text file."""
        plan = self.allocation.plan
        texts = [self.texts.path] if self.texts is not None else []
        rules = [plan.file.data_path(self.params.rules)[0]] if self.params.rules else []
        return [plan.file.path, *decision_inputs(plan), *rules, *texts]

    @property
    def params(self) -> Params:
        return self.allocation.plan.params

    @property
    def organisation_type(self) -> str:
        return self.params.organisation.type

    def rules_known(self, topic: str | None = None) -> list[KindRule]:
        """The rules this memo may state: none dated after it, never itself."""
        memo = self.params.memo
        return rules_for_document(
            self.regime,
            self.readings,
            self.organisation_type,
            date=document_date(self.params),
            itself=memo.source if memo is not None else "",
            topic=topic,
        )

    # --- authored text ---------------------------------------------------------------------

    def has_text(self, title: str) -> bool:
        return self.texts is not None and title in self.texts.sections

    def authored_body(self, title: str) -> Html:
        """The organisation's own text for a section, placeholders replaced, or nothing."""
        if self.texts is None or title not in self.texts.sections:
            return Html("")
        lines = [substitute(line, self.figures) for _, line in self.texts.sections[title].lines]
        body = markdown_html(lines)
        return Html(f'<div class="authored">{body.markup}</div>', body.plain, blocks=body.blocks)

    def authored(self, title: str) -> Html:
        """A section that only the organisation writes; empty when its text file has none."""
        if not self.has_text(title):
            return Html("")
        return section(title, self.authored_body(title))

    # --- sections ---------------------------------------------------------------------------

    def header(self) -> Html:
        return memo_head.header(self)

    def proposal_items(self) -> list[str]:
        """The decision items: the parameter file's own, else a default true to the model."""
        return memo_summary.proposal_items(self)

    def proposal(self) -> Html:
        memo = self.params.memo
        title = memo.proposal_heading if memo is not None else "Förvaltningens förslag till beslut"
        return section(title, bullets(self.proposal_items(), ordered=True, css="decisions"))

    def summary_texts(self) -> list[str]:
        """The generated summary (used when the text file has no Sammanfattning)."""
        return memo_summary.summary_texts(self)

    def open_questions(self) -> list[str]:
        """Differences in the material, as matters the reader should know before deciding."""
        return memo_summary.open_questions(self)

    def summary(self) -> Html:
        body = (
            self.authored_body("Sammanfattning")
            if self.has_text("Sammanfattning")
            else paragraphs(self.summary_texts())
        )
        return section("Sammanfattning", body)

    def background(self) -> Html:
        if self.has_text("Bakgrund"):
            return section("Bakgrund", self.authored_body("Bakgrund"))
        rules = self.rules_known("scope")
        return section("Bakgrund", *memo_sections.background(self.params, self.regime, rules))

    def frame_texts(self) -> list[str]:
        return memo_sections.frame_texts(self.params, self.figures)

    def received(self) -> Html:
        frames = self.at_decision.plan.params.national_frames
        return section("Mottagna medel", *memo_sections.received(self.params, self.figures, frames))

    def preparation(self) -> Html:
        """Ärendets beredning: the organisation's text, else who prepared the case."""
        if self.has_text("Ärendets beredning"):
            return self.authored("Ärendets beredning")
        if not self.params.prepared_by:
            return Html("")
        return section(
            "Ärendets beredning",
            paragraph(
                f"Ärendet har beretts av {memo_phrases.mid_sentence(self.params.prepared_by)}."
            ),
        )

    def step_sentence(self, pot_index: int, step_index: int) -> str:
        """A step as the decision knows it (a requisition step as ceilings)."""
        return " ".join(memo_model.step_texts(self, pot_index, step_index))

    def model(self) -> Html:
        return memo_model.model(self)

    def made_up_recipients(self) -> set[str]:
        return memo_model.made_up_recipients(self)

    def recipient_table(self) -> Table:
        return memo_tables.recipient_table(self.at_decision, self.made_up_recipients())

    def chart(self) -> charts.Chart:
        return memo_tables.chart(self.at_decision, self.params.year, self.made_up_recipients())

    def recipients(self) -> Html:
        return section("Fördelning per mottagare", self.recipient_table().block())

    def carry_over(self) -> Html:
        title = "Kvarvarande medel från tidigare år"
        if self.has_text(title):
            return self.authored(title)
        if not self.params.carry_over:
            return section(
                title, paragraph("Det finns inga kvarvarande medel från tidigare år att fördela.")
            )
        return section(title, paragraphs(memo_sections.carry_over_texts(self.params, self.figures)))

    def economics(self) -> Html:
        title = "Ekonomiska konsekvenser"
        if self.has_text(title):
            return self.authored(title)
        return section(title, memo_sections.economics(self.params, self.figures, self.regime))

    def rules(self) -> Html:
        title = "Redovisning och återbetalning"
        if self.has_text(title):
            return self.authored(title)
        rules = self.rules_known("money")
        parts: list[Html] = []
        if rules:
            parts.append(
                memo_sections.rules_by_kind(rules, self.regime, self.params.organisation.name)
            )
        if self.regime.silent_on_unused:
            parts.append(paragraph(self.regime.silent_on_unused))
        return section(title, *parts) if parts else Html("")

    def checks(self) -> Html:
        findings = self.shown_findings
        stage = ""
        if memo_tables.any_ceilings(self.at_decision):
            stage = (
                " Kontrollerna gäller fördelningen så som den är känd vid beslutet: ett steg med "
                "rekvisition räknas med sina tak, det mesta en mottagare kan få."
            )
        return section(
            "Kontroller",
            paragraph(findings_sentence(findings, listed=False) + stage),
            findings_table(findings, self.figures).block(),
        )

    def closing(self) -> Html:
        """Signatures, the distribution list (Utdrag till) and the attachments (Bilagor)."""
        return memo_head.closing(self)

    def appendix(self) -> Html:
        inputs = self.input_files[1:]
        used = self.rules_known()
        if self.has_text("Bakgrund"):
            used = [r for r in used if r.rule.topic != "scope"]
        if self.has_text("Redovisning och återbetalning"):
            used = [r for r in used if r.rule.topic != "money"]
        return appendix(self.path, inputs, self.params.notes, [r.rule for r in used])
