"""The allocation memo (tjänsteutlåtande) as an ordered document of sections.

The memo is a decision document (stage ``beslut``, dated by ``memo.date`` or the meeting): it
states only what is known at the decision. Its catalogue holds no requisition outcome, its model
shows ceilings for a requisition step, its checks run on the allocation as the decision knows it
(``core.model.at_decision``), and it cites no source dated after itself nor itself.

Figures come from the catalogue (``gnvtools.core.figures``); a section is either generated (a
Swedish default built from the figures, phrased in ``memo_phrases``, tables in ``memo_tables``,
rules and consequences in ``memo_sections``) or authored by the organisation in its text file.
The order follows a real tjänsteutlåtande: proposal, summary, background, the case and its
preparation, the administration's view, the model step by step, left-over money, economic
consequences, reporting and repayment, the gender-equality analysis, checks, signatures,
distribution, attachments and provenance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from gnvtools.core.allocation import RESERVE, PotResult
from gnvtools.core.figures import Catalogue, Stage
from gnvtools.core.figures import slug as _slug
from gnvtools.core.formatting import count, kr, percent
from gnvtools.core.memo_figures import allocation_figures, step_rests_on_made_up
from gnvtools.core.model import Allocation, Plan, allocate, at_decision, build_plan
from gnvtools.core.params import Params, Selection, locate
from gnvtools.core.reconciliation import Finding, reconcile_allocation
from gnvtools.core.regimes import Regime, get_regime
from gnvtools.core.rulebook import (
    NO_READINGS,
    KindRule,
    Readings,
    citable,
    read_readings,
    rules_for_document,
)
from gnvtools.errors import InputError
from gnvtools.reports import charts, memo_phrases, memo_sections, memo_tables
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
    findings_table,
    heading,
    paragraph,
    paragraphs,
    section,
)
from gnvtools.reports.memo_phrases import describe_key as describe_key
from gnvtools.reports.memo_phrases import join_names as join_names
from gnvtools.reports.texts import (
    Texts,
    check_placeholders,
    check_text,
    markdown_html,
    placeholders,
    read_texts,
    substitute,
)

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
    """The organisation's own rules file (``rules:``), or none."""
    if not plan.params.rules:
        return NO_READINGS
    resolved, shown = plan.file.data_path(plan.params.rules)
    return read_readings(resolved, shown)


def document_date(params: Params) -> dt.date | None:
    memo = params.memo
    if memo is None:
        return None
    return memo.date or memo.meeting_date


def decision_plan(plan: Plan, readings: Readings) -> Plan:
    """The plan without the frame statements this document may not cite (itself, or later)."""
    params = plan.params
    itself = params.memo.source if params.memo is not None else ""
    when = document_date(params)
    kept = [
        s
        for s in params.national_frames
        if not s.source_id or citable(s.source_id, readings, when, itself)
    ]
    if len(kept) == len(params.national_frames):
        return plan
    own = params.model_copy(update={"national_frames": kept})
    return replace(plan, file=replace(plan.file, params=own))


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
        findings = reconcile_allocation(allocation)
        readings = load_readings(plan)
        decision = at_decision(Allocation(decision_plan(plan, readings), allocation.pots))
        known = reconcile_allocation(decision)
        figures = allocation_figures(allocation, known, stage=STAGE)
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
        """Every file the memo reads: the parameter file, its data and its text file."""
        plan = self.allocation.plan
        texts = [self.texts.path] if self.texts is not None else []
        rules = [plan.file.data_path(self.params.rules)[0]] if self.params.rules else []
        return [plan.file.path, *plan.data_files, *rules, *texts]

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
        p = self.params
        memo = p.memo
        made_up = set(memo.illustrative) if memo else set()
        mark = " (påhittat exempel)"
        meta = [("Organisation", p.organisation.name)]
        for name, label, key in (
            ("datum", "Datum", "date"),
            ("sammantradesdatum", "Sammanträde", "meeting_date"),
            ("diarienummer", "Diarienummer", "case_number"),
        ):
            if name in self.figures:
                meta.append((label, self.figures.text(name) + (mark if key in made_up else "")))
        meta += [
            ("Ärendet avgörs av", p.decided_by),
            ("Beredd av", p.prepared_by),
            ("Regelverk", self.regime.short),
        ]
        sources = [
            f"{g.spec.label}: {g.spec.source}".strip()
            for g in self.allocation.plan.groups.values()
            if g.spec.illustrative
        ]
        if memo is not None and memo.illustrative_note:
            sources.append(" ".join(memo.illustrative_note.split()))
        when = document_date(p)
        head = title_block(
            p.title,
            meta,
            organisation=p.organisation.name,
            date=when.isoformat() if when else "",
            stage=STAGE,
            dnr=memo.case_number if memo is not None else "",
        )
        block = concat([head, illustrative_notice(sources)])
        block.figures = self.figures.as_json()
        return block

    def proposal_items(self) -> list[str]:
        """The decision items: the parameter file's own, else a default true to the model."""
        memo = self.params.memo
        if memo is not None and memo.decisions:
            return [" ".join(substitute(item, self.figures).split()) for item in memo.decisions]
        p = self.params
        who = p.decided_by or p.organisation.name
        f = self.figures
        items = []
        for pot in self.at_decision.pots:
            source = self.allocation.plan.pot_sources[pot.pot.name]
            what = f"{p.year} års statsbidrag"
            if source.startswith("carry-over:"):
                what = f"kvarvarande medel från {source.split(':', 1)[1]}"
            name = f"medel_{_slug(pot.pot.name)}"
            placed = f"{name}_fordelat"
            partial = placed in f and pot.unplaced > 0
            if partial:
                rest = f.text(f"{name}_ofordelat")
                items.append(memo_phrases.decision(who, what, f.text(name), f.text(placed), rest))
            else:
                items.append(memo_phrases.decision(who, what, f.text(name)))
        return items

    def proposal(self) -> Html:
        memo = self.params.memo
        title = memo.proposal_heading if memo is not None else "Förvaltningens förslag till beslut"
        return section(title, bullets(self.proposal_items(), ordered=True, css="decisions"))

    def summary_texts(self) -> list[str]:
        """The generated summary (used when the text file has no Sammanfattning)."""
        p = self.params
        f = self.figures
        first = f"{p.organisation.name} har för {p.year} tagit emot {f.text('mottaget')}"
        if p.received.components:
            parts = join_names(
                [
                    f"{f.text('delbelopp_' + _slug(c.name))} avser {c.name.lower()}"
                    for c in p.received.components
                ]
            )
            first += f", varav {parts}"
        texts = [first + "."]
        for pot in self.at_decision.pots:
            recipients = {line.recipient for line in pot.lines if line.amount}
            recipients.discard(RESERVE)
            texts.append(
                f"{pot.pot.name} ({f.text('medel_' + _slug(pot.pot.name))}) fördelas i "
                f"{memo_phrases.count_steps(len(pot.steps))} till "
                f"{memo_phrases.count_recipients(len(recipients))}."
            )
        return texts + self.open_questions()

    def open_questions(self) -> list[str]:
        """Differences in the material, as matters the reader should know before deciding."""
        serious = [f for f in self.shown_findings if f.level in ("error", "warning")]
        if not serious:
            return []
        return [
            f"Underlaget innehåller {count(len(serious), 'avvikelse', 'avvikelser')},"
            " som redovisas med belopp under Kontroller."
        ]

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
        texts = []
        for c in self.params.received.components:
            if c.national_frame:
                name = _slug(c.name)
                texts.append(
                    f"Delbeloppet {c.name.lower()}, {self.figures.text('delbelopp_' + name)}, är "
                    f"{percent(Fraction(c.amount, c.national_frame), 2)} av den nationella ramen "
                    f"{self.figures.text('nationell_ram_' + name)}."
                )
        return texts

    def received(self) -> Html:
        p = self.params
        texts = [
            f"För {p.year} har {p.organisation.name} tagit emot {self.figures.text('mottaget')}."
        ]
        if p.received.stated_as:
            texts.append(f"Beslutsunderlaget anger beloppet som {p.received.stated_as}.")
        texts += self.frame_texts()
        parts = [paragraphs(texts), memo_tables.received_table(p).block()]
        frames = memo_tables.frames_table(self.at_decision.plan.params.national_frames)
        if frames is not None:
            parts.append(frames.block())
        return section("Mottagna medel", *parts)

    def preparation(self) -> Html:
        """Ärendets beredning: the organisation's text, else who prepared the case."""
        if self.has_text("Ärendets beredning"):
            return self.authored("Ärendets beredning")
        if not self.params.prepared_by:
            return Html("")
        return section(
            "Ärendets beredning",
            paragraph(f"Ärendet har beretts av {self.params.prepared_by}."),
        )

    def step_sentence(self, pot_index: int, step_index: int) -> str:
        """A step as the decision knows it (a requisition step as ceilings)."""
        return " ".join(self.step_texts(pot_index, step_index))

    def step_texts(self, pot_index: int, step_index: int) -> list[str]:
        pot = self.at_decision.pots[pot_index]
        result = pot.steps[step_index]
        spec = self.params.pots[pot_index].steps[step_index]
        names = [line.recipient for line in result.lines]
        cited = self.rule_source(spec.rule_source)
        if spec.kind == "fixed":
            parts = [f"{line.recipient} {kr(line.amount)}" for line in result.lines]
            return [f"Fasta belopp, sammanlagt {kr(result.placed)}: {join_names(parts)}."]
        if spec.kind == "each":
            return [
                f"Var och en av {memo_phrases.count_recipients(len(names))} får "
                f"{kr(spec.amount)}, sammanlagt {kr(result.placed)}."
            ]
        if spec.kind == "key":
            among = None
            if isinstance(spec.recipients, Selection) and spec.recipients.where:
                among = len(names)
            return [memo_phrases.key_sentence(result, spec, among)]
        if spec.kind == "requisition":
            group = self.group_label(spec.recipients)
            who = memo_phrases.who(names, group)
            return memo_phrases.requisition_sentence(result, spec, who, cited=cited)
        after = any(s.kind == "requisition" for s in pot.steps[:step_index])
        figure = f"medel_{_slug(pot.pot.name)}_steg_{step_index + 1}"
        amount = self.figures.text(figure) if figure in self.figures else ""
        return [memo_phrases.remainder_sentence(result, spec, names, after, amount)]

    def group_label(self, selection: object) -> str | None:
        if isinstance(selection, Selection):
            table = self.allocation.plan.groups.get(selection.group)
            return table.spec.label if table is not None else None
        return None

    def rule_source(self, written: str) -> str | None:
        """``"socialstyrelsen-2025, Om inte alla medel rekvireras"`` → its citation, if the memo
        may cite it."""
        if not written:
            return None
        source_id, _, place = written.partition(",")
        memo = self.params.memo
        itself = memo.source if memo is not None else ""
        if not citable(source_id.strip(), self.readings, document_date(self.params), itself):
            return None
        from gnvtools.core.rulebook import source_shorts

        short = source_shorts(self.readings).get(source_id.strip(), source_id.strip())
        return f"{short}, \u201d{place.strip()}\u201d" if place.strip() else short

    def model(self) -> Html:
        parts: list[Html] = [
            paragraph(
                "Medlen fördelas i steg som utförs i tur och ordning; varje steg tar av det som "
                "återstår. Andelar räknas exakt och avrundas en gång per steg till hela kronor "
                "enligt största-restmetoden, så att varje steg summerar exakt till sitt belopp."
            )
        ]
        for i, pot in enumerate(self.at_decision.pots):
            parts += self.pot_parts(i, pot)
        return section("Fördelningsmodellen steg för steg", *parts)

    def pot_parts(self, i: int, pot: PotResult) -> list[Html]:
        source = self.allocation.plan.pot_sources[pot.pot.name]
        origin = "årets statsbidrag"
        if source.startswith("carry-over:"):
            origin = f"kvarvarande medel från {source.split(':', 1)[1]}"
        elif source.startswith("component:"):
            origin = f"delbeloppet {source.split(':', 1)[1].lower()}"
        amount = self.figures.text(f"medel_{_slug(pot.pot.name)}")
        parts = [
            heading(f"{pot.pot.name}: {amount}", 3),
            paragraph(
                f"Beloppet kommer från {origin} och fördelas i "
                f"{memo_phrases.count_steps(len(pot.steps))}."
            ),
        ]
        for j, step in enumerate(pot.steps):
            spec = self.params.pots[i].steps[j]
            parts.append(heading(f"Steg {j + 1}. {step.step}", 4))
            parts.append(paragraphs(self.step_texts(i, j)))
            if spec.rule:
                parts.append(paragraph(" ".join(spec.rule.split()), "rule"))
            if step.lines and (step.placed or step.kind == "requisition"):
                made_up = step_rests_on_made_up(self.allocation.plan, i, j)
                parts.append(memo_tables.step_table(pot.pot.name, step, made_up).block())
        if pot.unplaced:
            parts.append(
                paragraph(
                    f"Efter stegen återstår {kr(pot.unplaced)} som inte är fördelade.",
                    "flag",
                )
            )
        return parts

    def made_up_recipients(self) -> set[str]:
        """Recipients whose amount rests on made-up data (a key or requisition over made-up
        rows); a fixed or equal amount to a real name is not made up."""
        out: set[str] = set()
        for i, pot in enumerate(self.at_decision.pots):
            for j, step in enumerate(pot.steps):
                if step_rests_on_made_up(self.allocation.plan, i, j):
                    out.update(line.recipient for line in step.lines)
        return out

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
        return section(title, memo_sections.economics(self.params, self.figures))

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
        return section(
            "Kontroller",
            paragraph(
                findings_sentence(findings, listed=False)
                + " Varje avvikelse visas med sitt belopp; ingen skillnad har rättats i tysthet."
            ),
            findings_table(findings).block(),
        )

    def closing(self) -> Html:
        """Signatures, the distribution list (Utdrag till) and the attachments (Bilagor)."""
        memo = self.params.memo
        if memo is None:
            return Html("")
        parts: list[Html] = []
        if memo.signatures:
            made_up = " (påhittat exempel)" if "signatures" in memo.illustrative else ""
            people = [
                [x for x in (s.name, s.title + made_up, s.unit) if x] for s in memo.signatures
            ]
            parts.append(signature_block(people, "I tjänsten" if memo.signed_in_service else ""))
        if memo.distribution:
            parts.append(section("Utdrag till", bullets(memo.distribution)))
        if memo.attachments:
            parts.append(section("Bilagor", bullets(memo.attachments, ordered=True)))
        return concat(parts)

    def appendix(self) -> Html:
        inputs = self.input_files[1:]
        used = self.rules_known()
        if self.has_text("Bakgrund"):
            used = [r for r in used if r.rule.topic != "scope"]
        if self.has_text("Redovisning och återbetalning"):
            used = [r for r in used if r.rule.topic != "money"]
        return appendix(self.path, inputs, self.params.notes, [r.rule for r in used])
