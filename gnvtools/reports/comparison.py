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
from gnvtools.core.multiyear_copy import document_figures
from gnvtools.core.params import ComparisonParams, load_comparison, locate
from gnvtools.core.reconciliation import Finding
from gnvtools.core.regimes import join_words
from gnvtools.reports import charts, comparison_charts
from gnvtools.reports import comparison_tables as tables
from gnvtools.reports import comparison_texts as texts
from gnvtools.reports.common import appendix, illustrative_notice, title_block
from gnvtools.reports.comparison_inputs import (
    OTHER_GROUP,
    Year,
    check_mapping,
    load_mapping,
    load_years,
    year_findings,
    year_source,
)
from gnvtools.reports.comparison_inputs import Mapping as Mapping  # the mapping file's model
from gnvtools.reports.display import (
    Html,
    Table,
    concat,
    paragraph,
    paragraphs,
    section,
)
from gnvtools.reports.table_cells import NamedTable, findings_table

MADE_UP = "påhittat exempel"
#: The comparison file's ``document`` keys: the figure each is and its label in the head.
DOCUMENT_KEYS = {"date": ("datum", "Datum"), "case_number": ("diarienummer", "Diarienummer")}
#: The checks that compare sources of the national frame, one of them the year's own memo.
FRAME_CODES = ("frame-parts-vs-total", "frames-disagree")


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
        document_figures(comparison.figures, str(path), params)
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
        meta = [("Organisation", p.organisation.name), *self._document_meta()]
        meta.append(("År", f"{first}–{last}"))
        sources: list[str] = []
        for year in self.years:
            if year.plan:
                for g in year.plan.groups.values():
                    if g.spec.illustrative and g.spec.source not in sources:
                        sources.append(g.spec.source)
                fu = year.plan.params.followup
                if fu and fu.illustrative:
                    sources.append(f"{year.spec.year}: {' '.join(fu.source.split())}")
        doc = p.document
        if doc is not None and doc.illustrative:
            named = join_words([DOCUMENT_KEYS[key][1].lower() for key in doc.illustrative])
            sources.append(f"Jämförelsens {named} är påhittade exempel; källorna anger dem inte.")
        head = title_block(
            p.title,
            meta,
            organisation=p.organisation.name,
            date=doc.date.isoformat() if doc is not None and doc.date else "",
            stage="uppföljning",
            dnr=doc.case_number if doc is not None else "",
        )
        block = concat([head, illustrative_notice(sources)])
        block.figures = self.figures.as_json()
        return block

    def _document_meta(self) -> list[tuple[str, str]]:
        """The comparison's own date and case number as figures, each marked when made up."""
        doc = self.params.document
        made_up = set(doc.illustrative) if doc is not None else set()
        return [
            (label, self.figures.text(name) + (f" ({MADE_UP})" if key in made_up else ""))
            for key, (name, label) in DOCUMENT_KEYS.items()
            if name in self.figures
        ]

    def outside_groups(self) -> list[tuple[str, int]]:
        """The recipient groups whose work the grant no longer pays for from a year on."""
        return [
            (g.label, g.outside_from)
            for g in self.mapping.recipient_groups
            if g.outside_from is not None
        ]

    def summary_texts(self) -> list[str]:
        return texts.summary_texts(self)

    def school_text(self) -> str:
        return texts.school_text(self)

    def summary(self) -> Html:
        return section("Sammanfattning", paragraphs(self.summary_texts()))

    def totals_table(self) -> Table:
        return tables.totals_table(self)

    def use_table(self) -> Table:
        return tables.use_table(self)

    def totals(self) -> Html:
        return section(
            "Totalt per år och regelverk", self.totals_table().block(), self.use_table().block()
        )

    def totals_chart(self) -> charts.Chart:
        return comparison_charts.totals_chart(self)

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

    def school_chart(self) -> charts.Chart | Html:
        """The chart of the groups left outside from a year on; nothing when the mapping
        names none (``outside_from``)."""
        if not self.outside_groups():
            return Html("")
        return comparison_charts.school_chart(self)

    def area_table(self) -> Table:
        return tables.area_table(self)

    def areas(self) -> Html:
        return section(
            "Per område",
            paragraph(
                "Områdena i 2023 års överenskommelse och förordningens åtta insatsområden är inte "
                "desamma. De jämförs här på en gemensam indelning; den sista tabellen i "
                "avsnittet visar vilka insatsområden som förs till vilken del."
            ),
            self.area_table().block(),
            tables.mapping_table(self).block(),
        )

    def activity_table(self) -> Table:
        return tables.activity_table(self)

    def activities(self) -> Html:
        return section("Per verksamhet", self.activity_table().block())

    def carry_over(self) -> Html:
        return texts.carry_over(self)

    def checks(self) -> Html:
        return section(
            "Kontroller", paragraph(texts.checks_text(self)), self.findings_table().block()
        )

    def findings_table(self) -> NamedTable:
        """The checks with an amount. A notice without one (a year with only what the sources
        state) is said below the table, not shown with an amount that does not apply."""
        table = findings_table(self.findings, self.figures)
        kept = [i for i, row in enumerate(table.rows) if row[-1] is not None]
        dropped = [f for i, f in enumerate(self.findings) if i not in kept]
        table.notes = [*table.notes, *(texts.finding_note(self, f) for f in dropped)]
        table.rows = [table.rows[i] for i in kept]
        table.cells = [table.cells[i] for i in kept]
        return table

    def appendix(self) -> Html:
        inputs: list[Path] = [self.mapping_path]
        for year in self.years:
            if year.plan:
                inputs += plan_files(year.plan)
        return appendix(self.path, inputs)
