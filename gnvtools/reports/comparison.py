"""The multi-year comparison: years side by side across the change of regime.

A figure nobody stated is ``None`` and is shown as "uppgift saknas", never as 0. Figures are
picked by name from the catalogue (``core.multiyear``) and printed in their own form (``cirka
51,8 mnkr`` where the source rounds); each row, cell, sentence and chart column that rests on
made-up data says so, and nothing else does. Inputs and loading are in ``comparison_inputs``,
the tables and charts in ``comparison_tables``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gnvtools.core.figures import Catalogue, slug
from gnvtools.core.finding_figures import finding_figures
from gnvtools.core.model import plan_files
from gnvtools.core.multiyear import NO_AREA, NO_TYPE, REPORTED_GAP, multi_year_figures
from gnvtools.core.params import ComparisonParams, load_comparison, locate
from gnvtools.core.reconciliation import Finding
from gnvtools.core.regimes import join_words
from gnvtools.reports import charts
from gnvtools.reports import comparison_tables as tables
from gnvtools.reports.common import appendix, illustrative_notice, title_block
from gnvtools.reports.comparison_inputs import (
    OTHER_GROUP,
    SCHOOL,
    Year,
    check_mapping,
    load_mapping,
    load_years,
    year_findings,
    year_source,
)
from gnvtools.reports.comparison_inputs import Mapping as Mapping  # the mapping file's model
from gnvtools.reports.display import (
    MISSING,
    Html,
    Table,
    concat,
    paragraph,
    paragraphs,
    section,
)
from gnvtools.reports.table_cells import findings_table

MADE_UP = "påhittat exempel"


@dataclass
class Comparison:
    params: ComparisonParams
    mapping: Mapping
    years: list[Year]
    path: Path
    mapping_path: Path
    findings: list[Finding] = field(default_factory=list)
    figures: Catalogue = field(default_factory=Catalogue)

    @classmethod
    def load(cls, path: str | Path) -> Comparison:
        path = locate(path)
        params = load_comparison(path)
        mapping, mapping_path = load_mapping(path, params)
        years = load_years(path, params)
        check_mapping(mapping, mapping_path, years)
        comparison = cls(params, mapping, years, path, mapping_path)
        comparison.figures = multi_year_figures(
            [year_source(mapping, y, comparison.group_of, (path, params)) for y in years],
            comparison.group_labels(),
            [a.label for a in mapping.areas],
            [g.label for g in mapping.activity_groups],
        )
        for year in years:
            year.figures = comparison.figures
        comparison.findings = year_findings(years)
        finding_figures(comparison.figures, comparison.findings, "uppföljning")
        return comparison

    # --- figures by group, area and activity ------------------------------------------------

    def group_of(self, year: Year, name: str) -> str:
        assert year.plan is not None
        recipient = year.plan.recipients.get(name)
        for group in self.mapping.recipient_groups:
            if name in group.recipients or (recipient and recipient.group in group.groups):
                return group.label
        return OTHER_GROUP

    def group_labels(self) -> list[str]:
        return [*(g.label for g in self.mapping.recipient_groups), OTHER_GROUP]

    def allocated_by_group(self, year: Year, carry_over: bool) -> dict[str, int] | None:
        """What each recipient group got of the year's grant (or of carried-over money)."""
        if year.allocation is None:
            return None
        tail = "_kvarvarande" if carry_over else ""
        return {
            label: year.amount(f"grupp_{slug(label)}{tail}") or 0 for label in self.group_labels()
        }

    def by_label(self, year: Year, kind: str, labels: list[str], tail: str = "") -> dict[str, int]:
        """The year's figures ``<kind>_<label><tail>`` that exist, by label."""
        found = {label: year.amount(f"{kind}_{slug(label)}{tail}") for label in labels}
        return {label: value for label, value in found.items() if value is not None}

    def area_labels(self) -> list[str]:
        return [a.label for a in self.mapping.areas] + [NO_AREA, REPORTED_GAP]

    def activity_labels(self) -> list[str]:
        return [g.label for g in self.mapping.activity_groups] + [NO_TYPE]

    def used_by_common_area(self, year: Year) -> dict[str, int] | None:
        if year.result is None:
            return None
        return self.by_label(year, "omrade", self.area_labels())

    def used_by_activity_group(self, year: Year) -> dict[str, int] | None:
        if year.result is None:
            return None
        return self.by_label(year, "verksamhet", [*self.activity_labels(), REPORTED_GAP])

    def core_labels(self) -> set[str]:
        return {a.label for a in self.mapping.areas} | {
            g.label for g in self.mapping.activity_groups
        }

    # --- sections ---------------------------------------------------------------------------

    def header(self) -> Html:
        p = self.params
        first, last = self.years[0].spec.year, self.years[-1].spec.year
        meta = [("Organisation", p.organisation.name), ("År", f"{first}–{last}")]
        sources: list[str] = []
        for year in self.years:
            if year.plan:
                for g in year.plan.groups.values():
                    if g.spec.illustrative and g.spec.source not in sources:
                        sources.append(g.spec.source)
                fu = year.plan.params.followup
                if fu and fu.illustrative:
                    sources.append(f"{year.spec.year}: {' '.join(fu.source.split())}")
        head = title_block(p.title, meta, organisation=p.organisation.name, stage="uppföljning")
        block = concat([head, illustrative_notice(sources)])
        block.figures = self.figures.as_json()
        return block

    def _year_text(self, year: Year) -> str:
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

    def summary_texts(self) -> list[str]:
        texts = [self._year_text(year) for year in self.years]
        made_up_years = [str(y.spec.year) for y in self.years if y.used_is_illustrative]
        real_years = [
            str(y.spec.year)
            for y in self.years
            if y.result is not None and not y.used_is_illustrative
        ]
        if made_up_years and real_years:
            texts.append(
                f"Förbrukningen {join_words(made_up_years)} är ett påhittat exempel och kan inte "
                f"jämföras med de redovisade siffrorna för {join_words(real_years)}."
            )
        texts.append(self.school_text())
        return texts

    def school_text(self) -> str:
        """What the change of regime did to school and preschool, in one sentence."""
        parts = []
        for year in self.years:
            grant = self.allocated_by_group(year, carry_over=False)
            if grant is None:
                parts.append(f"{MISSING} för {year.spec.year}")
                continue
            text = f"{year.text(f'grupp_{slug(SCHOOL)}')} {year.spec.year}"
            carry = self.allocated_by_group(year, carry_over=True)
            if carry and carry.get(SCHOOL):
                text += (
                    f" (och {year.text(f'grupp_{slug(SCHOOL)}_kvarvarande')} av kvarvarande "
                    "medel från tidigare år)"
                )
            parts.append(text)
        return (
            "Av årets statsbidrag fick skola och förskola "
            + join_words(parts)
            + ". Från 2025 ligger förskola och skola, utom elevhälsans medicinska del, utanför "
            "det som förordningen tillåter."
        )

    def summary(self) -> Html:
        return section("Sammanfattning", paragraphs(self.summary_texts()))

    def totals_table(self) -> Table:
        return tables.totals_table(self)

    def totals(self) -> Html:
        return section("Totalt per år och regelverk", self.totals_table().block())

    def totals_chart(self) -> charts.Chart:
        return tables.totals_chart(self)

    def group_table(self) -> Table:
        return tables.group_table(self)

    def groups(self) -> Html:
        return section(
            "Per mottagargrupp",
            paragraph(
                "Vad varje mottagargrupp fick, av årets statsbidrag och av kvarvarande medel "
                "från tidigare år."
            ),
            self.group_table().block(),
        )

    def school_chart(self) -> charts.Chart:
        return tables.school_chart(self)

    def area_table(self) -> Table:
        return tables.area_table(self)

    def areas(self) -> Html:
        return section(
            "Per område",
            paragraph(
                "Områdena i 2023 års överenskommelse och förordningens åtta insatsområden är inte "
                "desamma. De jämförs här på en gemensam indelning som anges i mappningsfilen."
            ),
            self.area_table().block(),
            tables.mapping_table(self).block(),
        )

    def activity_table(self) -> Table:
        return tables.activity_table(self)

    def activities(self) -> Html:
        return section("Per verksamhet", self.activity_table().block())

    def carry_over(self) -> Html:
        texts = []
        for year in self.years:
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
                    other = ""
                    if year.amount("att_betala_tillbaka_enligt_detaljerna") is not None:
                        other = (
                            f", eller {year.text('att_betala_tillbaka_enligt_detaljerna')} om "
                            "bara detaljerna räknas som förbrukade"
                        )
                    texts.append(
                        f"Av {year.spec.year} års medel ska {year.text('att_betala_tillbaka')} "
                        f"betalas tillbaka{other}{made_up}."
                    )
            elif year.spec.unused_at_year_end is not None:
                stated = year.spec.unused_stated_as or year.text("outnyttjat")
                texts.append(f"Vid utgången av {year.spec.year} återstod {stated}.")
        return section("Nyttjande och kvarvarande medel", paragraphs(texts))

    def checks(self) -> Html:
        return section(
            "Kontroller",
            paragraph(
                "Avvikelser från respektive års kontroller (fel och varningar) och uppgifter som "
                "saknas."
            ),
            findings_table(self.findings, self.figures).block(),
        )

    def appendix(self) -> Html:
        inputs: list[Path] = [self.mapping_path]
        for year in self.years:
            if year.plan:
                inputs += plan_files(year.plan)
        return appendix(self.path, inputs)
