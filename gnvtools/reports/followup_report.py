"""The year-end follow-up report: sections as display objects with computed text."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from gnvtools.core.figures import Catalogue
from gnvtools.core.followup import Followup, followup
from gnvtools.core.formatting import capitalise, count, kr, percent
from gnvtools.core.model import Plan, allocate, build_plan
from gnvtools.core.money import swedish_key
from gnvtools.core.params import locate
from gnvtools.core.yearend import year_end_figures
from gnvtools.reports import charts
from gnvtools.reports.common import (
    appendix,
    findings_sentence,
    findings_summary,
    illustrative_notice,
    rule_list,
    title_block,
)
from gnvtools.reports.display import (
    Cell,
    Html,
    Table,
    concat,
    findings_table,
    paragraph,
    paragraphs,
    section,
)
from gnvtools.reports.memo import join_names


@dataclass
class FollowupReport:
    result: Followup
    path: Path
    figures: Catalogue

    @classmethod
    def load(cls, path: str | Path) -> FollowupReport:
        path = locate(path)
        return cls.from_plan(build_plan(path), path)

    @classmethod
    def from_plan(cls, plan: Plan, path: Path) -> FollowupReport:
        """Allocate once, follow up, and build the report's catalogue from both."""
        allocation = allocate(plan)
        result = followup(plan, allocation)
        return cls(result, path, year_end_figures(allocation, result))

    def _kr(self, name: str) -> int | None:
        """A kronor figure by name, or ``None`` (shown as "uppgift saknas") when there is none."""
        return self.figures.amount(name) if name in self.figures else None

    def header(self) -> Html:
        r = self.result
        p = r.plan.params
        meta = [
            ("Organisation", p.organisation.name),
            ("År", str(p.year)),
            ("Regelverk", r.regime.short),
            ("Beredd av", p.prepared_by),
        ]
        sources = [
            f"{g.spec.label}: {g.spec.source}"
            for g in r.plan.groups.values()
            if g.spec.illustrative
        ]
        if r.illustrative and p.followup is not None:
            sources.append(f"Förbrukning: {' '.join(p.followup.source.split())}")
        title = f"Uppföljning av statsbidraget för god och nära vård {p.year}"
        head = title_block(title, meta, organisation=p.organisation.name, stage="uppföljning")
        block = concat([head, illustrative_notice(sources)])
        block.figures = self.figures.as_json()
        return block

    def summary_texts(self) -> list[str]:
        r = self.result
        f = self.figures
        p = r.plan.params
        texts = [
            f"{p.organisation.name} tog emot {f.text('mottaget')} för {p.year}. Vid årets slut "
            f"hade {f.text('forbrukat')} förbrukats, vilket är {f.text('nyttjandegrad')} av "
            "mottagna medel."
        ]
        if "rekvirerat" in f and "rekvisition_tak" in f and f.amount("rekvisition_tak"):
            asked = (
                f" De begärde sammanlagt {f.text('begart')}."
                if "begart" in f and f.value("begart") != f.value("rekvirerat")
                else ""
            )
            texts.append(
                f"Av de {f.text('rekvisition_tak')} som kunde rekvireras beviljades mottagarna "
                f"sammanlagt {f.text('rekvirerat')}.{asked}"
            )
        if r.not_requisitioned:
            who = count(f.amount("antal_ej_rekvirerat"), "mottagare", "mottagare")
            texts.append(
                f"{capitalise(who)} rekvirerade inga medel: {join_names(r.not_requisitioned)}."
                + (" Vilka det är bygger på påhittade exempelrader." if r.illustrative else "")
            )
        texts.append(f"Outnyttjat är {f.text('outnyttjat')}.")
        if f.amount("utanfor_reglerna"):
            texts.append(
                f"Utanför reglerna har {f.text('utanfor_reglerna')} använts; beloppet ska betalas "
                "tillbaka."
            )
        if r.regime.unused_must_be_repaid is None:
            texts.append(
                "Något återbetalningskrav för outnyttjade medel räknas inte fram; se avsnittet "
                "Återbetalning."
            )
        elif f.amount("att_betala_tillbaka"):
            texts.append(
                f"Sammanlagt ska {f.text('att_betala_tillbaka')} betalas tillbaka till "
                f"{r.regime.administered_by}."
            )
        else:
            texts.append("Inget ska betalas tillbaka.")
        if f.amount("fors_over"):
            texts.append(f"Till nästa år förs {f.text('fors_over')} över.")
        return texts

    def summary(self) -> Html:
        parts = [paragraphs(self.summary_texts())]
        return section("Sammanfattning", *parts, findings_summary(self.result.findings))

    def _illustrative_note(self) -> str:
        """The short mark at each table resting on made-up rows (the notice above explains)."""
        return "raderna per mottagare och aktivitet är påhittade exempel; se Observera överst."

    #: The key-figures table: each row's label and the figure it shows.
    KEY_FIGURES = (
        ("Mottaget statsbidrag", "mottaget"),
        ("Fördelat till mottagare", "fordelat_statsbidrag"),
        ("Begärt av mottagarna", "begart"),
        ("Beviljat vid rekvisitionen", "rekvirerat"),
        ("Redovisad förbrukning (total)", "redovisat_forbrukat"),
        ("Förbrukat", "forbrukat"),
        ("Outnyttjat", "outnyttjat"),
        ("Använt utanför reglerna", "utanfor_reglerna"),
        ("Att betala tillbaka", "att_betala_tillbaka"),
        ("Förs över till nästa år", "fors_over"),
        ("Kvarvarande medel från tidigare år (fördelas separat)", "kvarvarande_totalt"),
    )
    #: Rows shown only when their figure exists (the others show "uppgift saknas").
    OPTIONAL_ROWS = ("redovisat_forbrukat", "kvarvarande_totalt")

    def key_figures(self) -> Table:
        f = self.figures
        rows: list[list[Cell]] = [
            [label, self._kr(name)]
            for label, name in self.KEY_FIGURES
            if name in f or name not in self.OPTIONAL_ROWS
        ]
        share = f.value("nyttjandegrad")
        assert isinstance(share, Fraction)
        return Table(
            title="Nyckeltal",
            columns=["Post", "Belopp"],
            kinds=["text", "kr"],
            rows=rows,
            notes=[f"Nyttjandegrad: {percent(share, 1)} av mottagna medel."],
        )

    def overview(self) -> Html:
        return section("Mottaget, fördelat och förbrukat", self.key_figures().block())

    def recipient_table(self) -> Table:
        r = self.result
        rows: list[list[Cell]] = []
        for f in sorted(r.by_recipient.values(), key=lambda f: (f.group, swedish_key(f.name))):
            share = Fraction(f.used, f.allocated) if f.allocated else None
            rows.append(
                [f.name, f.allocated, f.requisitioned, f.used, f.unused, f.ineligible, share]
            )
        requisitioned = r.requisitioned
        return Table(
            title="Per mottagare",
            columns=[
                "Mottagare",
                "Tilldelat",
                "Rekvirerat",
                "Förbrukat",
                "Outnyttjat",
                "Utanför reglerna",
                "Nyttjandegrad",
            ],
            kinds=["text", "kr", "kr", "kr", "kr", "kr", "percent"],
            rows=rows,
            footer=[
                "Summa",
                r.allocated,
                requisitioned,
                r.rows_used,
                r.allocated - r.rows_used,
                r.ineligible,
                Fraction(r.rows_used, r.allocated) if r.allocated else None,
            ],
            notes=self._recipient_notes(),
            illustrative=self._illustrative_note() if r.illustrative else "",
        )

    def _recipient_notes(self) -> list[str]:
        f = self.figures
        notes = []
        if "rekvirerat" not in f:
            notes.append("Rekvirerat anges som uppgift saknas där medlen inte rekvirerades.")
        reported = self._kr("redovisat_forbrukat")
        if reported is not None and reported != f.amount("forbrukat_enligt_rader"):
            notes.append(
                f"Förbrukningsraderna summerar till {f.text('forbrukat_enligt_rader')}; den "
                f"redovisade totalen är {f.text('redovisat_forbrukat')}. Skillnaden är inte "
                "fördelad på mottagare."
            )
        return notes

    def recipients(self) -> Html:
        r = self.result
        parts = [self.recipient_table().block()]
        if r.not_requisitioned:
            parts.insert(
                0,
                paragraph(
                    f"Följande mottagare rekvirerade inga medel: {join_names(r.not_requisitioned)}."
                    + (
                        " Uppgiften bygger på påhittade exempelrader, inte på verkliga"
                        " rekvisitioner."
                        if r.illustrative
                        else ""
                    )
                ),
            )
        return section("Per mottagare", *parts)

    def area_table(self) -> Table:
        r = self.result
        total = sum(r.by_area.values()) + r.unassigned
        rows: list[list[Cell]] = [
            [r.regime.area_label(a), amount, Fraction(amount, total) if total else None]
            for a, amount in r.by_area.items()
        ]
        if r.unassigned:
            rows.append(["Utan angivet insatsområde", r.unassigned, Fraction(r.unassigned, total)])
        return Table(
            title="Per insatsområde",
            columns=["Insatsområde", "Förbrukat", "Andel"],
            kinds=["text", "kr", "percent"],
            rows=rows,
            footer=["Summa", total, Fraction(1) if total else None],
            illustrative=self._illustrative_note() if r.illustrative else "",
        )

    def area_texts(self) -> list[str]:
        r = self.result
        f = self.figures
        texts = []
        gap = f.amount("redovisat_utover_omraden") if "redovisat_utover_omraden" in f else 0
        if gap:
            texts.append(
                f"Förbrukningen per insatsområde summerar till {f.text('forbrukat_inom_omraden')}, "
                f"medan den redovisade totalen är {f.text('redovisat_forbrukat')}. Skillnaden, "
                f"{kr(abs(gap))}, redovisas som en avvikelse och är inte fördelad på något område."
            )
        elif "forbrukat_utan_omrade" in f:
            texts.append(
                f"Av förbrukningen saknar {f.text('forbrukat_utan_omrade')} insatsområde och "
                "redovisas för sig."
            )
        for area, note in r.regime.restricted_areas.items():
            texts.append(f"Insatsområde {area} gäller {note}.")
        return texts

    def activity_table(self) -> Table:
        r = self.result
        totals: dict[str, int] = {}
        for line in r.spend:
            kind = line.activity_type or "ej angiven"
            totals[kind] = totals.get(kind, 0) + line.amount
        rows: list[list[Cell]] = []
        for kind, amount in sorted(totals.items(), key=lambda kv: -kv[1]):
            allowed = "nej" if kind in r.regime.ineligible_activity_types else "ja"
            if kind == "ej angiven":
                allowed = "okänt"
            rows.append([kind, amount, allowed])
        return Table(
            title="Per verksamhet",
            columns=["Verksamhet", "Förbrukat", f"Tillåten enligt {r.regime.short}"],
            kinds=["text", "kr", "text"],
            rows=rows,
            footer=["Summa", r.rows_used, ""],
            illustrative=self._illustrative_note() if r.illustrative else "",
        )

    def areas(self) -> Html:
        return section(
            "Per insatsområde och verksamhet",
            paragraphs(self.area_texts()),
            self.area_table().block(),
            self.activity_table().block(),
        )

    def area_chart(self) -> charts.Chart:
        r = self.result
        labels = [r.regime.area_label(a) for a in r.by_area]
        values = list(r.by_area.values())
        if r.unassigned:
            labels.append("Utan insatsområde")
            values.append(r.unassigned)
        return charts.horizontal_bars(
            labels,
            {"Förbrukat": values},
            title=f"Förbrukning per insatsområde {r.plan.params.year}",
            caption="Förbrukade medel per insatsområde (miljoner kronor).",
        )

    def recipient_chart(self) -> charts.Chart:
        r = self.result
        figures = sorted(r.by_recipient.values(), key=lambda f: -f.allocated)[:25]
        return charts.horizontal_bars(
            [f.name for f in figures],
            {"Tilldelat": [f.allocated for f in figures], "Förbrukat": [f.used for f in figures]},
            title=f"Tilldelat och förbrukat per mottagare {r.plan.params.year}",
            caption="Tilldelade och förbrukade medel per mottagare (miljoner kronor).",
        )

    def carry_over_table(self, index: int) -> Table:
        carry = self.result.carry_over[index]
        rows: list[list[Cell]] = [
            [name, allocated, used, None if used is None else allocated - used]
            for name, (allocated, used) in carry.by_recipient.items()
        ]
        return Table(
            title=f"Kvarvarande medel från {carry.year}",
            columns=["Mottagare", "Tilldelat", "Förbrukat", "Outnyttjat"],
            kinds=["text", "kr", "kr", "kr"],
            rows=rows,
            footer=["Summa", carry.allocated, carry.used, carry.unused],
            notes=[]
            if carry.used is not None
            else ["Förbrukningen är inte uppföljd: ingen förbrukningsrad anger dessa medel."],
        )

    def carry_over(self) -> Html:
        """Money left from earlier years, followed up apart from the year's grant."""
        r = self.result
        if not r.carry_over:
            return Html("")
        parts: list[Html] = []
        for index, carry in enumerate(r.carry_over):
            allocated = self.figures.text(f"kvarvarande_{carry.year}_fordelat")
            if carry.used is None:
                text = (
                    f"Av kvarvarande medel från {carry.year} fördelades {allocated}. "
                    "Hur de har använts är inte uppföljt i underlaget; förbrukningen visas därför "
                    "som uppgift saknas, inte som 0 kr."
                )
            else:
                text = (
                    f"Av kvarvarande medel från {carry.year} fördelades {allocated} och "
                    f"förbrukades {self.figures.text(f'kvarvarande_{carry.year}_forbrukat')}."
                )
            parts += [
                paragraph(
                    text + " De följs upp för sig och påverkar inte återbetalningen av årets "
                    "statsbidrag."
                ),
                self.carry_over_table(index).block(),
            ]
        return section("Kvarvarande medel från tidigare år", *parts)

    def ineligible_table(self) -> Table:
        rows: list[list[Cell]] = [
            [
                i.line.recipient,
                i.line.area,
                i.line.activity,
                i.line.activity_type,
                i.line.amount,
                i.reason,
            ]
            for i in self.result.ineligible_lines
        ]
        return Table(
            title="Användning utanför reglerna",
            columns=["Mottagare", "Område", "Aktivitet", "Verksamhet", "Belopp", "Skäl"],
            kinds=["text", "int", "text", "text", "kr", "text"],
            rows=rows,
            footer=["Summa", None, "", "", self.result.ineligible, ""] if rows else None,
        )

    def ineligible(self) -> Html:
        r = self.result
        if not r.ineligible_lines:
            return section(
                "Användning utanför reglerna",
                paragraph(
                    f"Ingen förbrukning ligger utanför insatsområdena eller de verksamheter som "
                    f"{r.regime.short} tillåter."
                ),
            )
        return section(
            "Användning utanför reglerna",
            paragraph(
                f"Utanför det som {r.regime.short} tillåter har "
                f"{self.figures.text('utanfor_reglerna')} använts. "
                "Beloppet räknas in i det som ska betalas tillbaka."
            ),
            self.ineligible_table().block(),
        )

    def repayment(self) -> Html:
        r = self.result
        f = self.figures
        texts = []
        if r.regime.unused_must_be_repaid:
            texts.append(
                f"Enligt {r.regime.short} ska medel som inte använts vid årets slut betalas "
                f"tillbaka: {f.text('outnyttjat_att_betala')}."
            )
        elif r.regime.unused_must_be_repaid is None:
            texts.append(r.regime.silent_on_unused)
        else:
            texts.append(
                f"Enligt {r.regime.short} behöver outnyttjade medel inte betalas tillbaka; "
                f"till nästa år förs {f.text('fors_over')} över."
            )
        if f.amount("utanfor_reglerna"):
            texts.append(
                f"Till det kommer {f.text('utanfor_reglerna')} som använts utanför reglerna."
            )
        texts.append(f"Att betala tillbaka: {f.text('att_betala_tillbaka')}.")
        rules = r.regime.rules_for(r.plan.params.organisation.type, "money")
        parts = [paragraphs(texts)]
        if rules:
            parts.append(rule_list(rules))
        return section("Återbetalning", *parts)

    def checks(self) -> Html:
        f = self.result.findings
        return section(
            "Kontroller",
            paragraph(findings_sentence(f, listed=False)),
            findings_table(f).block(),
        )

    def appendix(self) -> Html:
        from gnvtools.core.model import plan_files

        plan = self.result.plan
        rules = self.result.regime.rules_for(plan.params.organisation.type, "money")
        return appendix(self.path, plan_files(plan)[1:], plan.params.notes, rules)
