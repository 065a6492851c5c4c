"""The allocation memo (tjänsteutlåtande) as an ordered document of sections.

Figures come from the catalogue (``gnvtools.core.figures``); a section is either generated here (a
Swedish default built from the figures) or authored by the organisation in its text file
(``texts:`` in the parameter file, see ``gnvtools.reports.texts``). The order follows a real
tjänsteutlåtande: proposal, summary, background, the case and its preparation, the
administration's view, the model step by step, left-over money, reporting and repayment, the
gender-equality analysis, checks, signatures, distribution, attachments and provenance.

``AllocationMemo.load(path)`` runs the allocation, the checks and the text validation once; each
method returns one section for a notebook cell to show. Nothing here computes money.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from gnvtools.core.allocation import RESERVE, StepResult
from gnvtools.core.figures import Catalogue
from gnvtools.core.figures import slug as _slug
from gnvtools.core.formatting import count, kr, percent
from gnvtools.core.memo_figures import allocation_figures, step_rests_on_made_up
from gnvtools.core.model import Allocation, Plan, allocate, build_plan
from gnvtools.core.params import Params, Selection, locate
from gnvtools.core.reconciliation import Finding, reconcile_allocation
from gnvtools.core.regimes import Regime, get_regime, join_words
from gnvtools.errors import InputError
from gnvtools.reports import charts
from gnvtools.reports.common import (
    appendix,
    findings_sentence,
    findings_summary,
    illustrative_notice,
    rule_list,
    signature_block,
    title_block,
)
from gnvtools.reports.display import (
    Cell,
    Html,
    Kind,
    Table,
    bullets,
    concat,
    findings_table,
    heading,
    kinds,
    paragraph,
    paragraphs,
    section,
)
from gnvtools.reports.texts import (
    Texts,
    check_placeholders,
    check_text,
    markdown_html,
    placeholders,
    read_texts,
    substitute,
)

COLUMN_LABELS = {
    "population": "befolkning",
    "population_65plus": "antal invånare 65 år och äldre",
    "places": "antal platser i särskilda boendeformer",
    "hsl_individuals": "antal individer med kommunal hälso- och sjukvård",
}
BASIS_LABELS = {
    "population": "befolkning",
    "hsl-individuals": "individer med kommunal hälso- och sjukvård",
    "rural": "landsbygd",
    "area": "insatsområde",
    "other": "övrigt",
}
MAX_ROWS = 40

#: The sections an organisation may write in its text file, in the order the memo shows them.
AUTHORED_SECTIONS = (
    "Sammanfattning",
    "Bakgrund",
    "Ärendet",
    "Ärendets beredning",
    "Förvaltningens synpunkter och förslag",
    "Kvarvarande medel från tidigare år",
    "Redovisning och återbetalning",
    "Jämställdhetsanalys",
)


def join_names(names: Sequence[str]) -> str:
    """``["a", "b", "c"]`` → ``"a, b och c"``."""
    return join_words(list(names))


def describe_key(weights: Mapping[str, int | float]) -> str:
    """``{"population": 1, "places": 1}`` → ``"befolkning och antal platser …, lika viktade"``."""
    labels = [COLUMN_LABELS.get(c, c) for c in weights]
    if len(labels) == 1:
        return labels[0]
    values = [Fraction(str(w)) for w in weights.values()]
    if len(set(values)) == 1:
        return join_names(labels) + ", lika viktade"
    total = sum(values)
    parts = [f"{label} ({percent(v / total)})" for label, v in zip(labels, values, strict=True)]
    return join_names(parts)


def load_texts(plan: Plan, catalogue: Catalogue) -> Texts | None:
    """Read and check the organisation's text file and the decision items' placeholders.

    This is what ``gnv check`` and every render run before anything else: an unknown figure, a
    malformed placeholder or an unknown heading is an error naming the file and its line.
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


@dataclass
class AllocationMemo:
    allocation: Allocation
    findings: list[Finding]
    regime: Regime
    path: Path
    figures: Catalogue
    texts: Texts | None

    @classmethod
    def load(cls, path: str | Path) -> AllocationMemo:
        path = locate(path)
        return cls.from_plan(build_plan(path), path)

    @classmethod
    def from_plan(cls, plan: Plan, path: Path) -> AllocationMemo:
        """Allocate, check and validate the texts of an already loaded plan."""
        allocation = allocate(plan)
        regime = get_regime(plan.params.regime)
        findings = reconcile_allocation(allocation)
        figures = allocation_figures(allocation, findings)
        return cls(allocation, findings, regime, path, figures, load_texts(plan, figures))

    @property
    def input_files(self) -> list[Path]:
        """Every file the memo reads: the parameter file, its data and its text file."""
        plan = self.allocation.plan
        texts = [self.texts.path] if self.texts is not None else []
        return [plan.file.path, *plan.data_files, *texts]

    @property
    def params(self) -> Params:
        return self.allocation.plan.params

    @property
    def organisation_type(self) -> str:
        return self.params.organisation.type

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
        if "datum" in self.figures:
            meta.append(("Datum", self.figures.text("datum") + (mark if "date" in made_up else "")))
        if "sammantradesdatum" in self.figures:
            meta.append(
                (
                    "Sammanträde",
                    self.figures.text("sammantradesdatum")
                    + (mark if "meeting_date" in made_up else ""),
                )
            )
        if "diarienummer" in self.figures:
            meta.append(
                (
                    "Diarienummer",
                    self.figures.text("diarienummer") + (mark if "case_number" in made_up else ""),
                )
            )
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
        head = title_block(
            p.title,
            meta,
            organisation=p.organisation.name,
            date=memo.date.isoformat() if memo is not None and memo.date else "",
            stage="beslut",
            dnr=memo.case_number if memo is not None else "",
        )
        block = concat([head, illustrative_notice(sources)])
        block.figures = self.figures.as_json()
        return block

    def _placed_by_source(self) -> dict[str, tuple[int, int]]:
        """Per source of money (``received`` or ``carry-over:YEAR``): (amount, placed)."""
        sources = self.allocation.plan.pot_sources
        out: dict[str, tuple[int, int]] = {}
        for pot in self.allocation.pots:
            source = sources[pot.pot.name]
            key = source if source.startswith("carry-over:") else "received"
            reserve = sum(line.amount for line in pot.lines if line.recipient == RESERVE)
            amount, placed = out.get(key, (0, 0))
            out[key] = (amount + pot.pot.amount, placed + pot.placed - reserve)
        return out

    def proposal_items(self) -> list[str]:
        """The decision items: the parameter file's own, else a default true to the allocation."""
        memo = self.params.memo
        if memo is not None and memo.decisions:
            return [" ".join(substitute(item, self.figures).split()) for item in memo.decisions]
        p = self.params
        who = p.decided_by or p.organisation.name
        placed = self._placed_by_source()
        amount, given = placed.get("received", (p.received.total, p.received.total))
        items = [self._decision(who, f"{p.year} års statsbidrag", amount, given)]
        for carry in p.carry_over:
            amount, given = placed.get(f"carry-over:{carry.year}", (carry.amount, carry.amount))
            items.append(self._decision(who, f"kvarvarande medel från {carry.year}", amount, given))
        return items

    @staticmethod
    def _decision(who: str, what: str, amount: int, placed: int) -> str:
        if placed >= amount:
            return (
                f"{who} beslutar att fördela {what} om {kr(amount)} enligt förslaget i detta "
                "ärende."
            )
        return (
            f"{who} beslutar att fördela {kr(placed)} av {what} om {kr(amount)} enligt förslaget "
            f"i detta ärende. Återstående {kr(amount - placed)} fördelas inte i detta beslut."
        )

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
        for pot in self.allocation.pots:
            recipients = {line.recipient for line in pot.lines if line.amount}
            recipients.discard(RESERVE)
            steps = len(pot.steps)
            texts.append(
                f"{pot.pot.name} ({kr(pot.pot.amount)}) fördelas i "
                f"{_count_steps(steps)} till {_count_recipients(len(recipients))}."
            )
        return texts

    def summary(self) -> Html:
        body = (
            self.authored_body("Sammanfattning")
            if self.has_text("Sammanfattning")
            else paragraphs(self.summary_texts())
        )
        return section("Sammanfattning", body, findings_summary(self.findings))

    def background(self) -> Html:
        if self.has_text("Bakgrund"):
            return section("Bakgrund", self.authored_body("Bakgrund"))
        r = self.regime
        text = (
            f"Statsbidraget {self.params.year} lämnas enligt {r.name}. Det administreras av "
            f"{r.administered_by}. {r.how_received}"
        )
        areas = [f"{r.areas[a]}" for a in sorted(r.areas)]
        parts = [
            paragraph(text),
            paragraph(f"Medlen får användas inom {len(areas)} insatsområden:"),
            bullets(areas, ordered=True),
        ]
        rules = r.rules_for(self.organisation_type, "scope")
        if rules:
            parts += [paragraph("Följande gäller för användningen:"), rule_list(rules)]
        return section("Bakgrund", *parts)

    def received_table(self) -> Table:
        p = self.params
        rows: list[list[Cell]] = [
            [c.name, BASIS_LABELS[c.basis], c.amount, Fraction(c.amount, p.received.total)]
            for c in p.received.components
        ]
        return Table(
            title="Mottagna medel",
            columns=["Delbelopp", "Grund", "Belopp", "Andel"],
            kinds=["text", "text", "kr", "percent"],
            rows=rows or [["Statsbidrag", "", p.received.total, Fraction(1)]],
            footer=[
                "Summa",
                "",
                sum(c.amount for c in p.received.components) or p.received.total,
                Fraction(1),
            ],
        )

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

    def frames_table(self) -> Table | None:
        """The national frames as each source states them, side by side."""
        statements = self.params.national_frames
        if not statements:
            return None
        rows: list[list[Cell]] = []
        for s in statements:
            parts = " + ".join(kr(part.amount) for part in s.parts) or None
            parts_sum = sum(part.amount for part in s.parts) if s.parts else None
            rows.append([s.source, s.total, parts, parts_sum, s.municipal])
        return Table(
            title="Nationella ramar i källorna",
            columns=["Källa", "Total", "Delramar", "Delramarnas summa", "Kommunernas ram"],
            kinds=["text", "kr", "text", "kr", "kr"],
            rows=rows,
            notes=["Där källorna inte stämmer överens visas skillnaden under Kontroller."],
        )

    def received(self) -> Html:
        p = self.params
        texts = [
            f"För {p.year} har {p.organisation.name} tagit emot {self.figures.text('mottaget')}."
        ]
        if p.received.stated_as:
            texts.append(f"Beslutsunderlaget anger beloppet som {p.received.stated_as}.")
        texts += self.frame_texts()
        parts = [paragraphs(texts), self.received_table().block()]
        frames = self.frames_table()
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
        result = self.allocation.pots[pot_index].steps[step_index]
        spec = self.params.pots[pot_index].steps[step_index]
        names = [line.recipient for line in result.lines]
        if spec.kind == "fixed":
            parts = [f"{line.recipient} {kr(line.amount)}" for line in result.lines]
            return f"Fasta belopp, sammanlagt {kr(result.placed)}: {join_names(parts)}."
        if spec.kind == "each":
            return (
                f"Var och en av {_count_recipients(len(names))} får {kr(spec.amount)}, "
                f"sammanlagt {kr(result.placed)}."
            )
        if spec.kind == "key":
            among = ""
            if isinstance(spec.recipients, Selection) and spec.recipients.where:
                among = f" bland de {len(names)} mottagare som uppfyller villkoren"
            weighted = ""
            if spec.weight_by:
                weights = ", ".join(f"{k} {v}" for k, v in spec.weight_by.weights.items())
                weighted = f", viktat efter {spec.weight_by.column} ({weights})"
            return (
                f"Beloppet {kr(result.target)} fördelas efter {describe_key(spec.key)}"
                f"{weighted}{among}."
            )
        if spec.kind == "requisition":
            return self._requisition_sentence(result, spec.key, spec.redistribute)
        if spec.split == "reserve":
            return f"Återstoden, {kr(result.target)}, hålls som ofördelad reserv."
        if spec.split == "equal" and len(names) == 1:
            return f"Återstoden, {kr(result.target)}, går till {names[0]}."
        if spec.split == "equal":
            return f"Återstoden, {kr(result.target)}, delas lika mellan {join_names(names)}."
        return f"Återstoden, {kr(result.target)}, fördelas efter {describe_key(spec.key or {})}."

    @staticmethod
    def _requisition_sentence(
        result: StepResult, key: Mapping[str, int | float], redistribute: bool
    ) -> str:
        asked = [line for line in result.lines if line.requested]
        over = [line for line in asked if (line.requested or 0) > (line.ceiling or 0)]
        requested = sum(line.requested or 0 for line in result.lines)
        text = (
            f"Taken, sammanlagt {kr(result.target)}, följer {describe_key(key)}. "
            f"Av {len(result.lines)} möjliga mottagare rekvirerade {len(asked)}; de begärde "
            f"sammanlagt {kr(requested)} och beviljades {kr(result.placed)}. "
            f"Av taken rekvirerades {kr(result.target - result.placed)} inte."
        )
        if over and redistribute:
            text += (
                f" {join_names([line.recipient for line in over])} begärde mer än sitt tak "
                "och fick del av det som andra inte rekvirerade, aldrig mer än det begärda."
            )
        return text

    def step_illustrative(self, pot_index: int, step_index: int) -> str:
        """The mark's note when a step rests on made-up data, else an empty string."""
        if not step_rests_on_made_up(self.allocation.plan, pot_index, step_index):
            return ""
        return "nyckeltalen och rekvisitionerna i steget är påhittade exempel."

    def step_table(self, pot_index: int, step_index: int) -> Table:
        result: StepResult = self.allocation.pots[pot_index].steps[step_index]
        pot = self.allocation.pots[pot_index].pot.name
        requisition = result.kind == "requisition"
        columns = ["Mottagare", "Belopp"] + (
            ["Tak", "Begärt", "Ej beviljat"] if requisition else []
        )
        column_kinds: list[Kind] = (
            ["text", "kr", "kr", "kr", "kr"] if requisition else ["text", "kr"]
        )
        rows: list[list[Cell]] = []
        for line in result.lines:
            row: list[Cell] = [line.recipient, line.amount]
            if requisition:
                row += [line.ceiling, line.requested, max((line.requested or 0) - line.amount, 0)]
            rows.append(row)
        notes = []
        if len(rows) > MAX_ROWS:
            shown = sorted(rows, key=lambda r: -int(r[1] or 0))[:20]
            rest = [r for r in rows if r not in shown]
            notes.append(
                f"Tabellen visar de 20 största av {len(rows)} mottagare; övriga "
                f"{len(rest)} är sammanslagna. Alla rader finns i CSV-filen från gnv allocate."
            )
            rest_row: list[Cell] = [
                f"Övriga {len(rest)} mottagare",
                sum(int(r[1] or 0) for r in rest),
            ]
            if requisition:
                rest_row += [sum(int(r[i] or 0) for r in rest) for i in (2, 3, 4)]
            rows = [*shown, rest_row]
        footer: list[Cell] = ["Summa", result.placed]
        if requisition:
            footer += [
                sum(line.ceiling or 0 for line in result.lines),
                sum(line.requested or 0 for line in result.lines),
                sum(max((line.requested or 0) - line.amount, 0) for line in result.lines),
            ]
        return Table(
            title=f"{pot}: {result.step}",
            columns=columns,
            kinds=column_kinds,
            rows=rows,
            footer=footer,
            notes=notes,
            illustrative=self.step_illustrative(pot_index, step_index),
        )

    def model(self) -> Html:
        parts: list[Html] = [
            paragraph(
                "Medlen fördelas i steg som utförs i tur och ordning; varje steg tar av det som "
                "återstår. Andelar räknas exakt och avrundas en gång per steg till hela kronor "
                "enligt största-restmetoden, så att varje steg summerar exakt till sitt belopp."
            )
        ]
        for i, pot in enumerate(self.allocation.pots):
            source = self.allocation.plan.pot_sources[pot.pot.name]
            origin = "årets statsbidrag"
            if source.startswith("carry-over:"):
                origin = f"kvarvarande medel från {source.split(':', 1)[1]}"
            elif source.startswith("component:"):
                origin = f"delbeloppet {source.split(':', 1)[1].lower()}"
            parts.append(heading(f"{pot.pot.name}: {kr(pot.pot.amount)}", 3))
            parts.append(
                paragraph(
                    f"Beloppet kommer från {origin} och fördelas i {_count_steps(len(pot.steps))}."
                )
            )
            for j, step in enumerate(pot.steps):
                spec = self.params.pots[i].steps[j]
                parts.append(heading(f"Steg {j + 1}. {step.step}", 4))
                parts.append(paragraph(self.step_sentence(i, j)))
                if spec.rule:
                    parts.append(paragraph(" ".join(spec.rule.split()), "rule"))
                parts.append(self.step_table(i, j).block())
            if pot.unplaced:
                parts.append(
                    paragraph(
                        f"Efter stegen återstår {kr(pot.unplaced)} som inte är fördelade.", "flag"
                    )
                )
        return section("Fördelningsmodellen steg för steg", *parts)

    def recipient_table(self) -> Table:
        pots = [p.pot.name for p in self.allocation.pots]
        matrix: dict[str, dict[str, int]] = {}
        for pot in self.allocation.pots:
            for line in pot.lines:
                matrix.setdefault(line.recipient, dict.fromkeys(pots, 0))[pot.pot.name] += (
                    line.amount
                )
        rows: list[list[Cell]] = [
            [name, *values.values(), sum(values.values())] for name, values in matrix.items()
        ]
        rows.sort(key=lambda r: (r[0] == RESERVE, -int(r[-1] or 0)))
        notes = []
        if len(rows) > MAX_ROWS:
            notes.append(f"Tabellen visar de {MAX_ROWS} största av {len(rows)} mottagare.")
            rows = rows[:MAX_ROWS]
        totals = [p.placed for p in self.allocation.pots]
        return Table(
            title="Fördelning per mottagare",
            columns=["Mottagare", *pots, "Totalt"],
            kinds=kinds("text", "kr", len(pots) + 1),
            rows=rows,
            footer=["Summa", *totals, sum(totals)],
            notes=notes,
            illustrative=self._any_illustrative(),
        )

    def _any_illustrative(self) -> str:
        if any(f.illustrative for f in self.figures.values()):
            return "en del av beloppen bygger på påhittade nyckeltal eller rekvisitioner."
        return ""

    def chart(self) -> charts.Chart:
        totals = self.allocation.by_recipient()
        totals.pop(RESERVE, None)
        ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:25]
        caption = "Fördelade belopp per mottagare, alla medel sammanlagda (miljoner kronor)."
        if self._any_illustrative():
            caption += " Påhittade exempeldata: en del av beloppen bygger på påhittade uppgifter."
        return charts.horizontal_bars(
            [name for name, _ in ranked],
            {"Fördelat": [amount for _, amount in ranked]},
            title=f"Fördelning per mottagare {self.params.year}",
            caption=caption,
        )

    def recipients(self) -> Html:
        return section("Fördelning per mottagare", self.recipient_table().block())

    def carry_over(self) -> Html:
        title = "Kvarvarande medel från tidigare år"
        if self.has_text(title):
            return self.authored(title)
        p = self.params
        if not p.carry_over:
            return section(
                title, paragraph("Det finns inga kvarvarande medel från tidigare år att fördela.")
            )
        texts = []
        for carry in p.carry_over:
            repay = (
                "Återbetalning krävs."
                if carry.repayment_required
                else "Ingen återbetalning har krävts, så medlen kan fördelas."
            )
            desc = " ".join(carry.description.split())
            texts.append(
                f"Från {carry.year} återstår {self.figures.text(f'kvarvarande_{carry.year}')}. "
                f"{desc} {repay}".strip()
            )
        return section(title, paragraphs(texts))

    def rules(self) -> Html:
        title = "Redovisning och återbetalning"
        if self.has_text(title):
            return self.authored(title)
        rules = self.regime.rules_for(self.organisation_type, "money")
        parts: list[Html] = []
        if rules:
            parts += [paragraph(f"Enligt {self.regime.short} gäller följande:"), rule_list(rules)]
        if self.regime.silent_on_unused:
            parts.append(paragraph(self.regime.silent_on_unused))
        return section(title, *parts) if parts else Html("")

    def checks(self) -> Html:
        return section(
            "Kontroller",
            paragraph(
                findings_sentence(self.findings, listed=False)
                + " Varje avvikelse visas med sitt belopp; ingen skillnad har rättats i tysthet."
            ),
            findings_table(self.findings).block(),
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
        plan = self.allocation.plan
        inputs = list(plan.data_files)
        if self.texts is not None:
            inputs.append(self.texts.path)
        used_rules = self.regime.rules_for(self.organisation_type)
        if self.has_text("Bakgrund"):
            used_rules = [r for r in used_rules if r.topic != "scope"]
        if self.has_text("Redovisning och återbetalning"):
            used_rules = [r for r in used_rules if r.topic != "money"]
        return appendix(self.path, inputs, self.params.notes, used_rules)


def _count_steps(n: int) -> str:
    return count(n, "steg", "steg", neuter=True)


def _count_recipients(n: int) -> str:
    return count(n, "mottagare", "mottagare")
