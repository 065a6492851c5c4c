"""The year-end follow-up as a document an administration signs, section by section.

The order follows a tjänsteutlåtande: the head (date, dnr, who decides and who prepared it),
the proposal for decision, the summary, the organisation's own background, the key figures and
its view of the utilisation, the detail per recipient, area and activity, money carried over,
use outside the rules, the repayment as a sum with its parts (and its alternative where a
difference is undecided), the checks, signatures and attachments, and the provenance annex.

Figures come from the catalogue (``core.yearend``), sentences from ``followup_phrases``, tables
and charts from ``followup_tables``; nothing here computes money. The organisation's own
sections come from the text file under ``followup.texts`` (read by ``followup_load``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gnvtools.core.figures import Catalogue
from gnvtools.core.finding_figures import finding_figures
from gnvtools.core.followup import Followup, followup
from gnvtools.core.formatting import swedish_date
from gnvtools.core.model import Plan, allocate, build_plan, plan_files
from gnvtools.core.params import MemoSpec, locate
from gnvtools.core.rulebook import (
    NO_READINGS,
    KindRule,
    Readings,
    rules_for_document,
)
from gnvtools.core.yearend import year_end_figures
from gnvtools.reports import charts
from gnvtools.reports import followup_phrases as phrases
from gnvtools.reports import followup_tables as tables
from gnvtools.reports import followup_trace as trace
from gnvtools.reports.common import (
    appendix,
    findings_sentence,
    illustrative_notice,
    signature_block,
    title_block,
)
from gnvtools.reports.display import (
    Html,
    Table,
    bullets,
    concat,
    paragraph,
    paragraphs,
    section,
)
from gnvtools.reports.followup_carry import carry_over_section, ineligible_section
from gnvtools.reports.followup_key_figures import key_figures
from gnvtools.reports.followup_load import AUTHORED_SECTIONS, load_followup_texts
from gnvtools.reports.memo_load import load_readings  # the same reading of the rules file
from gnvtools.reports.memo_sections import rules_by_kind
from gnvtools.reports.table_cells import findings_table
from gnvtools.reports.texts import Texts, markdown_html, substitute

__all__ = ["AUTHORED_SECTIONS", "MADE_UP", "FollowupReport", "load_followup_texts", "load_readings"]

MADE_UP = " (påhittat exempel)"


@dataclass
class FollowupReport:
    result: Followup
    path: Path
    figures: Catalogue
    texts: Texts | None = None
    readings: Readings = NO_READINGS

    @classmethod
    def load(cls, path: str | Path) -> FollowupReport:
        path = locate(path)
        return cls.from_plan(build_plan(path), path)

    @classmethod
    def from_plan(cls, plan: Plan, path: Path) -> FollowupReport:
        """Allocate once, follow up, and build the report's catalogue from both."""
        allocation = allocate(plan)
        result = followup(plan, allocation)
        figures = year_end_figures(allocation, result)
        finding_figures(figures, result.findings, "uppföljning")  # the checks it shows
        texts = load_followup_texts(plan, figures)
        return cls(result, path, figures, texts, load_readings(plan))

    @property
    def document(self) -> MemoSpec | None:
        spec = self.result.plan.params.followup
        return spec.document if spec is not None else None

    def _made_up(self, field: str) -> str:
        doc = self.document
        return MADE_UP if doc is not None and field in doc.illustrative else ""

    # --- the organisation's own text --------------------------------------------------------

    def has_text(self, title: str) -> bool:
        return self.texts is not None and title in self.texts.sections

    def authored_body(self, title: str) -> Html:
        if self.texts is None or title not in self.texts.sections:
            return Html("")
        lines = [substitute(line, self.figures) for _, line in self.texts.sections[title].lines]
        body = markdown_html(lines)
        return Html(f'<div class="authored">{body.markup}</div>', body.plain, blocks=body.blocks)

    def authored(self, title: str) -> Html:
        """A section only the organisation writes; empty when its text file has none."""
        return section(title, self.authored_body(title)) if self.has_text(title) else Html("")

    # --- sections ---------------------------------------------------------------------------

    def header(self) -> Html:
        r = self.result
        p = r.plan.params
        doc = self.document
        meta = [("Organisation", p.organisation.name)]
        if doc is not None and doc.date:
            meta.append(("Datum", swedish_date(doc.date) + self._made_up("date")))
        if doc is not None and doc.case_number:
            meta.append(("Diarienummer", doc.case_number + self._made_up("case_number")))
        meta += [
            ("Ärendet avgörs av", phrases.deciding(r)),
            ("Beredd av", phrases.preparing(r)),
            ("År", str(p.year)),
            ("Regelverk", r.regime.short),
        ]
        sources = [
            f"{g.spec.label}: {g.spec.source}"
            for g in r.plan.groups.values()
            if g.spec.illustrative
        ]
        if r.illustrative and p.followup is not None:
            sources.append(f"Förbrukning: {' '.join(p.followup.source.split())}")
        if doc is not None and doc.illustrative_note:
            sources.append(" ".join(doc.illustrative_note.split()))
        head = title_block(
            phrases.followup_title(r),
            meta,
            organisation=p.organisation.name,
            date=doc.date.isoformat() if doc is not None and doc.date else "",
            stage="uppföljning",
            dnr=doc.case_number if doc is not None else "",
        )
        # The proposal for decision follows the head directly, as in a tjänsteutlåtande.
        block = concat([head, illustrative_notice(sources), self.proposal()])
        block.figures = self.figures.as_json()
        return block

    def proposal_items(self) -> list[str]:
        doc = self.document
        if doc is not None and doc.decisions:
            items = (substitute(item, self.figures) for item in doc.decisions)
            return [re.sub(r"[ \t\r\n]+", " ", item).strip() for item in items]
        return phrases.proposal_items(self.result, self.figures)

    def proposal(self) -> Html:
        doc = self.document
        title = doc.proposal_heading if doc is not None else "Förvaltningens förslag till beslut"
        return section(title, bullets(self.proposal_items(), ordered=True, css="decisions"))

    def summary_texts(self) -> list[str]:
        return phrases.summary_texts(self.result, self.figures)

    def summary(self) -> Html:
        """The summary (the organisation's own, else generated), then its background."""
        if self.has_text("Sammanfattning"):
            body = self.authored_body("Sammanfattning")
        else:
            body = paragraphs(self.summary_texts())
        return concat([section("Sammanfattning", body), self.background()])

    def background(self) -> Html:
        """The organisation's own background and preparation sections (empty without them)."""
        return concat([self.authored("Bakgrund"), self.authored("Ärendets beredning")])

    def overview(self) -> Html:
        """The key figures, then the organisation's view of the utilisation."""
        table = section(
            "Mottaget, fördelat och förbrukat",
            key_figures(self.result, self.figures).block(),
        )
        return concat([table, self.views()])

    def views(self) -> Html:
        """The organisation's explanation of the utilisation and its other views."""
        return self.authored("Förvaltningens synpunkter")

    def recipient_table(self) -> Table:
        return tables.recipient_table(self.result, self.figures)

    def recipients(self) -> Html:
        """The per-recipient table, then each grant above its ceiling and why."""
        texts = trace.ceiling_texts(self.result, self.figures, self.readings)
        flags = [paragraph(t, "flag") for t in texts]
        return section("Per mottagare", self.recipient_table().block(), *flags)

    def recipient_chart(self) -> charts.Chart:
        return tables.recipient_chart(self.result)

    def area_texts(self) -> list[str]:
        return phrases.area_texts(self.result, self.figures)

    def rules_known(self, topic: str | None = None) -> list[KindRule]:
        """The rules this follow-up may state: the shared ones and the organisation's own,
        none dated after the document, never the document itself."""
        r = self.result
        doc = self.document
        return rules_for_document(
            r.regime,
            self.readings,
            r.plan.params.organisation.type,
            date=doc.date if doc is not None else None,
            itself=doc.source if doc is not None else "",
            topic=topic,
        )

    def areas(self) -> Html:
        r = self.result
        return section(
            "Per insatsområde och verksamhet",
            paragraphs(self.area_texts()),
            tables.area_table(r, self.figures).block(),
            tables.activity_table(r).block(),
        )

    def area_chart(self) -> charts.Chart:
        return tables.area_chart(self.result, self.figures)

    def carry_over(self) -> Html:
        """Money left from earlier years, followed up apart from the year's grant."""
        return carry_over_section(self.result, self.figures)

    def ineligible(self) -> Html:
        return ineligible_section(self.result, self.figures)

    def repayment(self) -> Html:
        r = self.result
        parts = [paragraphs(trace.repayment_texts(r, self.figures))]
        if r.regime.unused_must_be_repaid is not None or r.ineligible:
            parts.append(tables.repayment_table(r, self.figures).block())
        organisation = r.plan.params.organisation.name
        parts.append(rules_by_kind(self.rules_known("money"), r.regime, organisation))
        return section("Återbetalning", *parts)

    def checks(self) -> Html:
        """The checks, then the closing: gender-equality section, signatures, attachments."""
        f = self.result.findings
        checks = section(
            "Kontroller",
            paragraph(findings_sentence(f, listed=False)),
            findings_table(f, self.figures).block(),
        )
        return concat([checks, self.closing()])

    def closing(self) -> Html:
        """The organisation's gender-equality section, signatures and attachments."""
        parts = [self.authored("Jämställdhetsanalys")]
        doc = self.document
        if doc is not None and doc.signatures:
            mark = self._made_up("signatures")
            people = [[x for x in (s.name, s.title + mark, s.unit) if x] for s in doc.signatures]
            parts.append(signature_block(people, "I tjänsten" if doc.signed_in_service else ""))
        if doc is not None and doc.distribution:
            parts.append(section("Utdrag till", bullets(doc.distribution)))
        if doc is not None and doc.attachments:
            parts.append(section("Bilagor", bullets(doc.attachments, ordered=True)))
        return concat(parts)

    def appendix(self) -> Html:
        plan = self.result.plan
        inputs = plan_files(plan)[1:]  # the follow-up's text file among them
        rules = [known.rule for known in self.rules_known() if known.rule.citations]
        return appendix(self.path, inputs, plan.params.notes, rules)
