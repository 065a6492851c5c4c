"""The allocation memo (tjänsteutlåtande): every section as display objects with computed text.

``AllocationMemo.load(path)`` runs the allocation and the checks once; each method returns one
section for a notebook cell to show. Every figure in a sentence is computed here and tested.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from gnvtools import charts
from gnvtools.allocation import RESERVE, StepResult
from gnvtools.display import (
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
from gnvtools.formatting import kr, percent
from gnvtools.model import Allocation, allocate, build_plan
from gnvtools.params import Params, Selection
from gnvtools.reconciliation import Finding, reconcile_allocation
from gnvtools.regimes import Regime, get_regime
from gnvtools.report import appendix, illustrative_notice, title_block

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


def join_names(names: Sequence[str]) -> str:
    """``["a", "b", "c"]`` → ``"a, b och c"``."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " och " + names[-1]


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


@dataclass
class AllocationMemo:
    allocation: Allocation
    findings: list[Finding]
    regime: Regime
    path: Path

    @classmethod
    def load(cls, path: str | Path) -> AllocationMemo:
        path = Path(path)
        plan = build_plan(path)
        allocation = allocate(plan)
        regime = get_regime(plan.params.regime)
        return cls(allocation, reconcile_allocation(allocation), regime, path)

    @property
    def params(self) -> Params:
        return self.allocation.plan.params

    # --- sections ---------------------------------------------------------------------------

    def header(self) -> Html:
        p = self.params
        meta = [
            ("Organisation", p.organisation.name),
            ("År", str(p.year)),
            ("Regelverk", self.regime.short),
            ("Beslutande", p.decided_by),
            ("Beredd av", p.prepared_by),
        ]
        sources = [
            f"{g.spec.label}: {g.spec.source}".strip()
            for g in self.allocation.plan.groups.values()
            if g.spec.illustrative
        ]
        return concat([title_block(p.title, meta), illustrative_notice(sources)])

    def proposal_items(self) -> list[str]:
        p = self.params
        who = p.decided_by or p.organisation.name
        items = [
            f"{who} beslutar att fördela {p.year} års statsbidrag om {kr(p.received.total)} "
            "enligt förslaget i detta ärende."
        ]
        for carry in p.carry_over:
            items.append(
                f"{who} beslutar att fördela kvarvarande medel från {carry.year} om "
                f"{kr(carry.amount)} enligt förslaget i detta ärende."
            )
        return items

    def proposal(self) -> Html:
        return section("Förslag till beslut", bullets(self.proposal_items(), ordered=True))

    def summary_texts(self) -> list[str]:
        p = self.params
        texts = [f"{p.organisation.name} har för {p.year} tagit emot {kr(p.received.total)}."]
        if p.received.components:
            parts = join_names(
                [f"{kr(c.amount)} avser {c.name.lower()}" for c in p.received.components]
            )
            texts[0] = texts[0][:-1] + f", varav {parts}."
        for pot in self.allocation.pots:
            recipients = {line.recipient for line in pot.lines if line.amount}
            recipients.discard(RESERVE)
            texts.append(
                f"{pot.pot.name} ({kr(pot.pot.amount)}) fördelas i {len(pot.steps)} steg "
                f"till {len(recipients)} mottagare."
            )
        errors = sum(1 for f in self.findings if f.level == "error")
        warnings = sum(1 for f in self.findings if f.level == "warning")
        texts.append(
            f"Kontrollerna gav {errors} fel och {warnings} varningar; se avsnittet Kontroller."
        )
        return texts

    def summary(self) -> Html:
        return section("Sammanfattning", paragraphs(self.summary_texts()))

    def background(self) -> Html:
        r = self.regime
        text = (
            f"Statsbidraget {self.params.year} lämnas enligt {r.name}. Det administreras av "
            f"{r.administered_by}. {r.how_received}"
        )
        areas = [f"{r.areas[a]}" for a in sorted(r.areas)]
        return section(
            "Bakgrund",
            paragraph(text),
            paragraph(f"Medlen får användas inom {len(areas)} insatsområden:"),
            bullets(areas, ordered=True),
            paragraph(r.scope),
        )

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
                share = Fraction(c.amount, c.national_frame)
                texts.append(
                    f"Delbeloppet {c.name.lower()}, {kr(c.amount)}, är {percent(share, 2)} av den "
                    f"nationella ramen {kr(c.national_frame)}."
                )
        return texts

    def received(self) -> Html:
        p = self.params
        texts = [f"För {p.year} har {p.organisation.name} tagit emot {kr(p.received.total)}."]
        if p.received.stated_as:
            texts.append(f"Beslutsunderlaget anger beloppet som {p.received.stated_as}.")
        texts += self.frame_texts()
        return section("Mottagna medel", paragraphs(texts), self.received_table().block())

    def step_sentence(self, pot_index: int, step_index: int) -> str:
        result = self.allocation.pots[pot_index].steps[step_index]
        spec = self.params.pots[pot_index].steps[step_index]
        names = [line.recipient for line in result.lines]
        if spec.kind == "fixed":
            parts = [f"{line.recipient} {kr(line.amount)}" for line in result.lines]
            return f"Fasta belopp, sammanlagt {kr(result.placed)}: {join_names(parts)}."
        if spec.kind == "each":
            return (
                f"{kr(spec.amount)} till var och en av {len(names)} mottagare, sammanlagt "
                f"{kr(result.placed)}."
            )
        if spec.kind == "key":
            among = ""
            if isinstance(spec.recipients, Selection) and spec.recipients.where:
                among = f" bland de {len(names)} mottagare som uppfyller villkoren"
            weighted = ""
            if spec.weight_by:
                weights = ", ".join(f"{k} {v}" for k, v in spec.weight_by.weights.items())
                weighted = f", viktat efter {spec.weight_by.column} ({weights})"
            return f"{kr(result.target)} fördelas efter {describe_key(spec.key)}{weighted}{among}."
        if spec.kind == "requisition":
            asked = [line for line in result.lines if line.requested]
            over = [line for line in asked if (line.requested or 0) > (line.ceiling or 0)]
            text = (
                f"Taken, sammanlagt {kr(result.target)}, följer {describe_key(spec.key)}. "
                f"{len(asked)} av {len(names)} mottagare rekvirerade sammanlagt "
                f"{kr(result.placed)}; {kr(result.target - result.placed)} rekvirerades inte."
            )
            if over and spec.redistribute:
                text += (
                    f" {join_names([line.recipient for line in over])} begärde mer än sitt tak "
                    "och fick del av det som andra inte rekvirerade."
                )
            return text
        if spec.split == "reserve":
            return f"Återstoden, {kr(result.target)}, hålls som ofördelad reserv."
        if spec.split == "equal" and len(names) == 1:
            return f"Återstoden, {kr(result.target)}, går till {names[0]}."
        if spec.split == "equal":
            return f"Återstoden, {kr(result.target)}, delas lika mellan {join_names(names)}."
        return f"Återstoden, {kr(result.target)}, fördelas efter {describe_key(spec.key or {})}."

    def step_table(self, pot_index: int, step_index: int) -> Table:
        result: StepResult = self.allocation.pots[pot_index].steps[step_index]
        pot = self.allocation.pots[pot_index].pot.name
        requisition = result.kind == "requisition"
        columns = ["Mottagare", "Belopp"] + (["Tak", "Begärt"] if requisition else [])
        column_kinds: list[Kind] = ["text", "kr", "kr", "kr"] if requisition else ["text", "kr"]
        rows: list[list[Cell]] = []
        for line in result.lines:
            row: list[Cell] = [line.recipient, line.amount]
            if requisition:
                row += [line.ceiling, line.requested]
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
                rest_row += [sum(int(r[2] or 0) for r in rest), sum(int(r[3] or 0) for r in rest)]
            rows = [*shown, rest_row]
        footer: list[Cell] = ["Summa", result.placed]
        if requisition:
            footer += [
                sum(line.ceiling or 0 for line in result.lines),
                sum(line.requested or 0 for line in result.lines),
            ]
        return Table(
            title=f"{pot}: {result.step}",
            columns=columns,
            kinds=column_kinds,
            rows=rows,
            footer=footer,
            notes=notes,
        )

    def model(self) -> Html:
        parts: list[Html] = [
            paragraph(
                "Varje pott fördelas i steg som utförs i tur och ordning; varje steg tar av det "
                "som återstår i potten. Andelar räknas exakt och avrundas en gång per steg till "
                "hela kronor enligt största-restmetoden, så att varje steg summerar exakt."
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
                paragraph(f"Potten består av {origin} och fördelas i {len(pot.steps)} steg.")
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
        )

    def chart(self) -> charts.Chart:
        totals = self.allocation.by_recipient()
        totals.pop(RESERVE, None)
        ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:25]
        return charts.horizontal_bars(
            [name for name, _ in ranked],
            {"Fördelat": [amount for _, amount in ranked]},
            title=f"Fördelning per mottagare {self.params.year}",
            caption="Fördelade belopp per mottagare, alla potter sammanlagda (miljoner kronor).",
        )

    def recipients(self) -> Html:
        return section("Fördelning per mottagare", self.recipient_table().block())

    def carry_over(self) -> Html:
        p = self.params
        if not p.carry_over:
            return section(
                "Kvarvarande medel från tidigare år",
                paragraph("Det finns inga kvarvarande medel från tidigare år att fördela."),
            )
        texts = []
        for carry in p.carry_over:
            repay = (
                "Återbetalning krävs."
                if carry.repayment_required
                else "Ingen återbetalning har krävts, så medlen kan fördelas."
            )
            desc = " ".join(carry.description.split())
            texts.append(f"Från {carry.year} återstår {kr(carry.amount)}. {desc} {repay}".strip())
        return section("Kvarvarande medel från tidigare år", paragraphs(texts))

    def rules(self) -> Html:
        return section(
            "Redovisning och återbetalning",
            paragraph(f"Enligt {self.regime.short} gäller följande:"),
            bullets(self.regime.rules),
        )

    def checks(self) -> Html:
        errors = sum(1 for f in self.findings if f.level == "error")
        warnings = sum(1 for f in self.findings if f.level == "warning")
        return section(
            "Kontroller",
            paragraph(
                f"Kontrollerna gav {errors} fel och {warnings} varningar. Varje avvikelse visas "
                "med sitt belopp; ingen skillnad har rättats i tysthet."
            ),
            findings_table(self.findings).block(),
        )

    def appendix(self) -> Html:
        return appendix(self.path, self.allocation.plan.data_files, self.params.notes)
