"""The multi-year comparison: years side by side across the change of regime.

Years with a parameter file are computed in full (allocation and follow-up); other years carry
only what the comparison file states. A figure nobody stated is ``None`` and is shown as
"uppgift saknas", never as 0. The mapping between the regimes' areas, recipient groups and
activity types is data (a YAML file), checked for completeness before anything is computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from gnvtools.core.figures import Catalogue, Value, slug
from gnvtools.core.followup import Followup, followup
from gnvtools.core.formatting import kr, percent
from gnvtools.core.model import Allocation, Plan, allocate, build_plan, confine
from gnvtools.core.multiyear import (
    NO_AREA,
    NO_TYPE,
    REPORTED_GAP,
    YearSource,
    multi_year_figures,
    prefix,
)
from gnvtools.core.params import (
    ComparisonParams,
    ComparisonYear,
    load_comparison,
    locate,
    validate,
)
from gnvtools.core.reconciliation import Finding, reconcile_allocation, sort_findings
from gnvtools.core.regimes import Regime, get_regime
from gnvtools.errors import InputError
from gnvtools.reports import charts
from gnvtools.reports.common import appendix, illustrative_notice, title_block
from gnvtools.reports.display import (
    MISSING,
    Cell,
    Html,
    Table,
    concat,
    findings_table,
    kinds,
    paragraph,
    paragraphs,
    section,
)
from gnvtools.reports.memo import join_names


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RecipientGroupMap(_Strict):
    label: str
    groups: list[str] = []
    recipients: list[str] = []


class CommonArea(_Strict):
    label: str
    regimes: dict[str, list[int]]


class ActivityGroup(_Strict):
    label: str
    types: list[str]


class Mapping(_Strict):
    recipient_groups: list[RecipientGroupMap]
    areas: list[CommonArea]
    activity_groups: list[ActivityGroup]


OTHER_GROUP = "Övriga mottagare"
SCHOOL = "Skola och förskola"


@dataclass
class Year:
    spec: ComparisonYear
    plan: Plan | None = None
    allocation: Allocation | None = None
    result: Followup | None = None
    regime: Regime | None = None
    figures: Catalogue = field(default_factory=Catalogue)  # the comparison's whole catalogue

    @property
    def label(self) -> str:
        if self.regime:
            return self.regime.short
        return self.spec.regime_label or MISSING

    def figure(self, name: str) -> Value | None:
        """The year's figure ``ar_<year>_<name>``, or ``None`` when the year does not state it."""
        full = prefix(self.spec.year) + name
        return self.figures.value(full) if full in self.figures else None

    def amount(self, name: str) -> int | None:
        value = self.figure(name)
        return value if isinstance(value, int) else None

    @property
    def received(self) -> int | None:
        return self.amount("mottaget")

    @property
    def used(self) -> int | None:
        return self.amount("forbrukat")

    @property
    def unused(self) -> int | None:
        return self.amount("outnyttjat")

    @property
    def allocated(self) -> int | None:
        return self.amount("fordelat_statsbidrag")

    @property
    def carry_over_in(self) -> int | None:
        # A year file without carry-over entries says nothing about earlier years: unknown.
        return self.amount("kvarvarande_totalt")

    @property
    def utilisation(self) -> Fraction | None:
        value = self.figure("nyttjandegrad")
        return value if isinstance(value, Fraction) else None

    @property
    def used_is_illustrative(self) -> bool:
        """The year's use rests on made-up rows, with no total the organisation reported."""
        if self.result is None or self.plan is None or self.plan.params.followup is None:
            return False
        spec = self.plan.params.followup
        return spec.illustrative and spec.reported_used is None

    @property
    def basis(self) -> str | None:
        """Where the year's use comes from, as the totals table shows it."""
        if self.result is None:
            return None
        if self.used_is_illustrative:
            return "påhittat exempel"
        return "organisationens redovisning"


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
        mapping_path = confine(path, params.mapping, str(path.parent / params.mapping))
        if not mapping_path.exists():
            raise InputError("mappningsfilen finns inte", file=path.parent / params.mapping)
        mapping = validate(Mapping, mapping_path)
        years = []
        for spec in sorted(params.years, key=lambda y: y.year):
            year = Year(spec)
            if spec.file:
                year.plan = build_plan(
                    confine(path, spec.file, str(path.parent / spec.file)),
                    shown=str(path.parent / spec.file),
                )
                year.allocation = allocate(year.plan)
                year.regime = get_regime(year.plan.params.regime)
                if year.plan.params.followup is not None:
                    year.result = followup(year.plan, year.allocation)
            years.append(year)
        comparison = cls(params, mapping, years, path, mapping_path)
        comparison._check_mapping()
        comparison.figures = multi_year_figures(
            [comparison._source(year) for year in years],
            comparison.group_labels(),
            [a.label for a in mapping.areas],
            [g.label for g in mapping.activity_groups],
        )
        for year in years:
            year.figures = comparison.figures
        comparison.findings = comparison._checks()
        return comparison

    def _source(self, year: Year) -> YearSource:
        """The year with the mapping resolved to plain look-ups, for the catalogue in core."""
        if year.plan is None or year.regime is None:
            return YearSource(
                year.spec.year, received=year.spec.received, unused=year.spec.unused_at_year_end
            )
        regime = year.regime.id
        activity_of: dict[str, str] = {}
        for group in self.mapping.activity_groups:
            for kind in group.types:
                activity_of.setdefault(kind, group.label)
        return YearSource(
            year.spec.year,
            allocation=year.allocation,
            result=year.result,
            unused=year.spec.unused_at_year_end,
            group_of={name: self.group_of(year, name) for name in year.plan.recipients},
            area_of={
                number: area.label
                for area in self.mapping.areas
                for number in area.regimes.get(regime, [])
            },
            activity_of=activity_of,
        )

    def _check_mapping(self) -> None:
        for year in self.years:
            if not year.regime:
                continue
            placed: dict[int, str] = {}
            for area in self.mapping.areas:
                for number in area.regimes.get(year.regime.id, []):
                    if number not in year.regime.areas:
                        raise InputError(
                            f"{year.regime.short} har inget insatsområde {number}",
                            file=self.mapping_path,
                            key=f"areas.{area.label}",
                        )
                    if number in placed:
                        raise InputError(
                            f"insatsområde {number} i {year.regime.short} finns både under "
                            f'"{placed[number]}" och "{area.label}"',
                            file=self.mapping_path,
                            key="areas",
                        )
                    placed[number] = area.label
            missing = [a for a in year.regime.areas if a not in placed]
            if missing:
                raise InputError(
                    f"insatsområde {', '.join(map(str, missing))} i {year.regime.short} saknas "
                    "i mappningen",
                    file=self.mapping_path,
                    key="areas",
                )

    def _checks(self) -> list[Finding]:
        findings: list[Finding] = []
        for year in self.years:
            if year.plan is None:
                findings.append(
                    Finding(
                        "info",
                        "year-partial",
                        f"För {year.spec.year} finns ingen parameterfil; bara de uppgifter som "
                        "källorna anger visas, övrigt som uppgift saknas.",
                        None,
                    )
                )
                continue
            year_findings = reconcile_allocation(year.allocation) if year.allocation else []
            if year.result:
                year_findings += year.result.findings
            for f in year_findings:
                if f.level != "info":
                    findings.append(
                        Finding(f.level, f.code, f"{year.spec.year}: {f.message}", f.amount)
                    )
        return sort_findings(findings)

    # --- derived figures --------------------------------------------------------------------

    def group_of(self, year: Year, name: str) -> str:
        assert year.plan is not None
        recipient = year.plan.recipients.get(name)
        for group in self.mapping.recipient_groups:
            if name in group.recipients or (recipient and recipient.group in group.groups):
                return group.label
        return OTHER_GROUP

    def group_labels(self) -> list[str]:
        labels = [g.label for g in self.mapping.recipient_groups]
        return [*labels, OTHER_GROUP]

    def allocated_by_group(self, year: Year, carry_over: bool) -> dict[str, int] | None:
        """What each recipient group got of the year's grant (or of carried-over money)."""
        if year.allocation is None:
            return None
        tail = "_kvarvarande" if carry_over else ""
        return {
            label: year.amount(f"grupp_{slug(label)}{tail}") or 0 for label in self.group_labels()
        }

    def _by_label(self, year: Year, kind: str, labels: list[str], tail: str = "") -> dict[str, int]:
        """The year's figures ``<kind>_<label><tail>`` that exist, by label."""
        found = {label: year.amount(f"{kind}_{slug(label)}{tail}") for label in labels}
        return {label: value for label, value in found.items() if value is not None}

    def used_by_common_area(self, year: Year) -> dict[str, int] | None:
        if year.result is None:
            return None
        labels = [a.label for a in self.mapping.areas] + [NO_AREA, REPORTED_GAP]
        return self._by_label(year, "omrade", labels)

    def _activity_labels(self) -> list[str]:
        return [g.label for g in self.mapping.activity_groups] + [NO_TYPE]

    def used_by_activity_group(self, year: Year) -> dict[str, int] | None:
        if year.result is None:
            return None
        return self._by_label(year, "verksamhet", [*self._activity_labels(), REPORTED_GAP])

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
                    text = f"{year.spec.year}: {' '.join(fu.source.split())}"
                    sources.append(text)
        head = title_block(p.title, meta, organisation=p.organisation.name, stage="uppföljning")
        block = concat([head, illustrative_notice(sources)])
        block.figures = self.figures.as_json()
        return block

    def summary_texts(self) -> list[str]:
        texts = []
        for year in self.years:
            if year.plan is None:
                stated = year.spec.unused_stated_as or (
                    kr(year.spec.unused_at_year_end) if year.spec.unused_at_year_end else None
                )
                text = f"{year.spec.year}: mottaget belopp och förbrukning: {MISSING}."
                if stated:
                    text += f" Vid årets slut återstod {stated}."
                texts.append(text)
                continue
            text = f"{year.spec.year} ({year.label}): mottaget {kr(year.received or 0)}"
            if year.used is not None and year.utilisation is not None:
                made_up = ", påhittat exempel" if year.used_is_illustrative else ""
                text += f", förbrukat {kr(year.used)} ({percent(year.utilisation)}{made_up})"
            texts.append(text + ".")
        made_up_years = [str(y.spec.year) for y in self.years if y.used_is_illustrative]
        real_years = [
            str(y.spec.year)
            for y in self.years
            if y.result is not None and not y.used_is_illustrative
        ]
        if made_up_years and real_years:
            texts.append(
                f"Förbrukningen {join_names(made_up_years)} är ett påhittat exempel och kan inte "
                f"jämföras med de redovisade siffrorna för {join_names(real_years)}."
            )
        texts.append(self.school_text())
        return texts

    def school_text(self) -> str:
        """What the change of regime did to school and preschool, in one sentence."""
        parts = []
        for year in self.years:
            grant = self.allocated_by_group(year, carry_over=False)
            if grant is None:
                parts.append(f"{year.spec.year} {MISSING}")
                continue
            text = f"{year.spec.year} {kr(grant.get(SCHOOL, 0))}"
            carry = self.allocated_by_group(year, carry_over=True)
            if carry and carry.get(SCHOOL):
                text += f" (och {kr(carry[SCHOOL])} av kvarvarande medel från tidigare år)"
            parts.append(text)
        return (
            "Skola och förskola fick av årets statsbidrag: "
            + join_names(parts)
            + ". Från 2025 ligger förskola och skola, utom elevhälsans medicinska del, utanför "
            "det som förordningen tillåter."
        )

    def summary(self) -> Html:
        return section("Sammanfattning", paragraphs(self.summary_texts()))

    def totals_table(self) -> Table:
        rows: list[list[Cell]] = []
        for year in self.years:
            rows.append(
                [
                    str(year.spec.year),
                    year.label,
                    year.received,
                    year.allocated,
                    year.used,
                    year.unused,
                    year.utilisation,
                    year.carry_over_in,
                    year.basis,
                ]
            )
        return Table(
            title="Totalt per år",
            columns=[
                "År",
                "Regelverk",
                "Mottaget",
                "Fördelat",
                "Förbrukat",
                "Outnyttjat vid årets slut",
                "Nyttjandegrad",
                "Kvarvarande medel från tidigare år",
                "Förbrukning enligt",
            ],
            kinds=["text", "text", "kr", "kr", "kr", "kr", "percent", "kr", "text"],
            rows=rows,
            notes=[" ".join(y.spec.note.split()) for y in self.years if y.spec.note],
            illustrative=self._made_up_note(),
        )

    def _made_up_note(self) -> str:
        years = [str(y.spec.year) for y in self.years if y.used_is_illustrative]
        if not years:
            return ""
        return f"förbrukningen {join_names(years)} är påhittad (se kolumnen Förbrukning enligt)."

    def totals(self) -> Html:
        return section("Totalt per år och regelverk", self.totals_table().block())

    def totals_chart(self) -> charts.Chart:
        return charts.grouped_columns(
            [str(y.spec.year) for y in self.years],
            {
                "Mottaget": [y.received for y in self.years],
                "Förbrukat": [y.used for y in self.years],
                "Outnyttjat vid årets slut": [y.unused for y in self.years],
            },
            title="Mottaget, förbrukat och outnyttjat per år",
            caption="Mottagna, förbrukade och outnyttjade medel per år (miljoner kronor). "
            "Uppgifter som saknas är markerade."
            + (f" Påhittade exempeldata: {self._made_up_note()}" if self._made_up_note() else ""),
        )

    def group_table(self) -> Table:
        labels = self.group_labels()
        columns = ["Mottagargrupp"]
        data: list[dict[str, int] | None] = []
        for year in self.years:
            columns.append(f"{year.spec.year}")
            data.append(self.allocated_by_group(year, carry_over=False))
            carry = self.allocated_by_group(year, carry_over=True)
            if carry and any(carry.values()):
                columns.append(f"{year.spec.year}, kvarvarande medel")
                data.append(carry)
        rows: list[list[Cell]] = []
        for label in labels:
            values = [None if d is None else d.get(label, 0) for d in data]
            if label == OTHER_GROUP and not any(values):
                continue
            rows.append([label, *values])
        footer: list[Cell] = ["Summa", *[None if d is None else sum(d.values()) for d in data]]
        return Table(
            title="Tilldelat per mottagargrupp",
            columns=columns,
            kinds=kinds("text", "kr", len(data)),
            rows=rows,
            footer=footer,
        )

    def school_chart(self) -> charts.Chart:
        years = [str(y.spec.year) for y in self.years]
        grant = [self.allocated_by_group(y, False) for y in self.years]
        carry = [self.allocated_by_group(y, True) for y in self.years]
        return charts.grouped_columns(
            years,
            {
                "Skola och förskola, årets statsbidrag": [
                    None if g is None else g.get(SCHOOL, 0) for g in grant
                ],
                "Skola och förskola, kvarvarande medel": [
                    None if c is None else c.get(SCHOOL, 0) for c in carry
                ],
            },
            title="Skola och förskola före och efter 2025",
            caption="Medel till skola och förskola per år (miljoner kronor). Från 2025 ligger "
            "de utanför förordningen.",
        )

    def groups(self) -> Html:
        return section(
            "Per mottagargrupp",
            paragraph(
                "Tabellen visar vad varje mottagargrupp fick, av årets statsbidrag och av "
                "kvarvarande medel från tidigare år."
            ),
            self.group_table().block(),
        )

    def _per_year_table(
        self, title: str, first: str, per_year: list[dict[str, int] | None], labels: list[str]
    ) -> Table:
        rows: list[list[Cell]] = []
        for label in labels:
            values = [None if d is None else d.get(label, 0) for d in per_year]
            if all(v in (0, None) for v in values) and label not in self._core_labels():
                continue
            rows.append([label, *values])
        footer: list[Cell] = ["Summa", *[None if d is None else sum(d.values()) for d in per_year]]
        return Table(
            title=title,
            columns=[first, *[str(y.spec.year) for y in self.years]],
            kinds=kinds("text", "kr", len(self.years)),
            rows=rows,
            footer=footer,
        )

    def _core_labels(self) -> set[str]:
        return {a.label for a in self.mapping.areas} | {
            g.label for g in self.mapping.activity_groups
        }

    def area_table(self) -> Table:
        labels = [a.label for a in self.mapping.areas] + [NO_AREA, REPORTED_GAP]
        return self._per_year_table(
            "Förbrukat per gemensamt område",
            "Gemensamt område",
            [self.used_by_common_area(y) for y in self.years],
            labels,
        )

    def mapping_table(self) -> Table:
        rows: list[list[Cell]] = []
        for area in self.mapping.areas:
            for regime_id, numbers in area.regimes.items():
                regime = get_regime(regime_id)
                for number in numbers:
                    rows.append([area.label, regime.short, regime.area_label(number)])
        return Table(
            title="Mappning av insatsområden",
            columns=["Gemensamt område", "Regelverk", "Insatsområde"],
            kinds=["text", "text", "text"],
            rows=rows,
        )

    def areas(self) -> Html:
        return section(
            "Per område",
            paragraph(
                "Områdena i 2023 års överenskommelse och förordningens åtta insatsområden är inte "
                "desamma. De jämförs här på en gemensam indelning som anges i mappningsfilen."
            ),
            self.area_table().block(),
            self.mapping_table().block(),
        )

    def activity_table(self) -> Table:
        labels = [*self._activity_labels(), REPORTED_GAP]
        table = self._per_year_table(
            "Förbrukat per verksamhet",
            "Verksamhet",
            [self.used_by_activity_group(y) for y in self.years],
            labels,
        )
        # Money carried over from earlier years is followed up apart; where it is not, its use
        # is unknown and shown as missing, never as 0 kr.
        for year in self.years:
            if year.result is None or not year.result.carry_over:
                continue
            found = self._by_label(year, "verksamhet", self._activity_labels(), "_kvarvarande")
            by_label = found or None
            table.columns = [*table.columns, f"{year.spec.year}, kvarvarande medel"]
            table.kinds = [*table.kinds, "kr"]
            for row in table.rows:
                row.append(None if by_label is None else by_label.get(str(row[0]), 0))
            if table.footer is not None:
                table.footer = [*table.footer, None if by_label is None else sum(found.values())]
            if by_label is None:
                allocated = [
                    year.amount(f"kvarvarande_{c.year}_fordelat") or 0
                    for c in year.result.carry_over
                ]
                table.notes.append(
                    f"Kvarvarande medel som fördelades {year.spec.year} "
                    f"({kr(sum(allocated))}) är inte uppföljda; "
                    "deras förbrukning saknas och visas inte som 0 kr."
                )
        if any(y.used_is_illustrative for y in self.years):
            table.illustrative = self._made_up_note()
        return table

    def activities(self) -> Html:
        return section(
            "Per verksamhet",
            self.activity_table().block(),
        )

    def carry_over(self) -> Html:
        texts = []
        for year in self.years:
            if year.plan:
                for carry in year.plan.params.carry_over:
                    amount = year.amount(f"kvarvarande_{carry.year}") or 0
                    texts.append(
                        f"{year.spec.year} fördelades {kr(amount)} i kvarvarande medel från "
                        f"{carry.year}."
                    )
                carried = year.amount("fors_over")
                if carried:
                    texts.append(
                        f"Av {year.spec.year} års medel fördes {kr(carried)} över till året efter."
                    )
                repay = year.amount("att_betala_tillbaka")
                if repay:
                    texts.append(f"Av {year.spec.year} års medel ska {kr(repay)} betalas tillbaka.")
            elif year.spec.unused_at_year_end is not None:
                stated = year.spec.unused_stated_as or kr(year.spec.unused_at_year_end)
                texts.append(f"Vid utgången av {year.spec.year} återstod {stated}.")
        return section("Nyttjande och kvarvarande medel", paragraphs(texts))

    def checks(self) -> Html:
        return section(
            "Kontroller",
            paragraph(
                "Avvikelser från respektive års kontroller (fel och varningar) och uppgifter som "
                "saknas."
            ),
            findings_table(self.findings).block(),
        )

    def appendix(self) -> Html:
        from gnvtools.core.model import plan_files

        inputs: list[Path] = [self.mapping_path]
        for year in self.years:
            if year.plan:
                inputs += plan_files(year.plan)
        return appendix(self.path, inputs)
