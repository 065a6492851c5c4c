"""The multi-year comparison's inputs: the mapping file's models and each year as loaded.

Years with a parameter file are computed in full (allocation and, if it has one, follow-up);
other years carry only what the comparison file states. The mapping between the regimes'
areas, recipient groups and activity types is data, checked for completeness before anything
is computed. A year's figures are read from the comparison's catalogue by name, with whether
each rests on made-up data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from gnvtools.core.figure_sources import InputCell
from gnvtools.core.figures import Catalogue, Value
from gnvtools.core.followup import Followup, followup
from gnvtools.core.model import Allocation, Plan, allocate, build_plan, confine
from gnvtools.core.multiyear import YearSource
from gnvtools.core.multiyear_copy import prefix
from gnvtools.core.params import ComparisonParams, ComparisonYear, validate
from gnvtools.core.reconciliation import Finding, reconcile_allocation, sort_findings
from gnvtools.core.regimes import Regime, get_regime
from gnvtools.errors import InputError
from gnvtools.reports.display import MISSING


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RecipientGroupMap(_Strict):
    label: str
    groups: list[str] = []
    recipients: list[str] = []
    #: The first year from which the group's work lies outside what the grant may pay for
    #: (school and preschool from 2025): the summary and a chart follow its money over the years.
    outside_from: int | None = None


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
    #: The organisation's own words on why the groups with ``outside_from`` fall outside (its
    #: reading of the rules, with its source), after the summary's sentence on their money.
    outside_note: str = ""


OTHER_GROUP = "Övriga mottagare"


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

    def name(self, name: str) -> str:
        return prefix(self.spec.year) + name

    def figure(self, name: str) -> Value | None:
        """The year's figure ``ar_<year>_<name>``, or ``None`` when the year does not state it."""
        full = self.name(name)
        return self.figures.value(full) if full in self.figures else None

    def amount(self, name: str) -> int | None:
        value = self.figure(name)
        return value if isinstance(value, int) else None

    def text(self, name: str) -> str:
        """The figure as a report prints it (``cirka 51,8 mnkr``), or "uppgift saknas"."""
        full = self.name(name)
        return self.figures.text(full) if full in self.figures else MISSING

    def made_up(self, name: str) -> bool:
        """Whether the year's figure rests on made-up data."""
        full = self.name(name)
        return full in self.figures and self.figures[full].illustrative

    def precision(self, name: str) -> str:
        """``exakt``, ``cirka`` (the source rounds) or ``osäker`` (an uncertain reading)."""
        full = self.name(name)
        return self.figures[full].precision if full in self.figures else "exakt"

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
        """The year's use rests on made-up data (from its figure, not from a flag)."""
        return self.made_up("forbrukat")


def load_years(path: Path, params: ComparisonParams) -> list[Year]:
    """Each year of the comparison file, in order, computed from its own file when it has one."""
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
    return years


def load_mapping(path: Path, params: ComparisonParams) -> tuple[Mapping, Path]:
    mapping_path = confine(path, params.mapping, str(path.parent / params.mapping))
    if not mapping_path.exists():
        raise InputError("mappningsfilen finns inte", file=path.parent / params.mapping)
    return validate(Mapping, mapping_path), mapping_path


def check_mapping(mapping: Mapping, mapping_path: Path, years: list[Year]) -> None:
    """Every area of every year's regime is placed in exactly one common area."""
    for year in years:
        if not year.regime:
            continue
        placed: dict[int, str] = {}
        for area in mapping.areas:
            for number in area.regimes.get(year.regime.id, []):
                if number not in year.regime.areas:
                    raise InputError(
                        f"{year.regime.short} har inget insatsområde {number}",
                        file=mapping_path,
                        key=f"areas.{area.label}",
                    )
                if number in placed:
                    raise InputError(
                        f"insatsområde {number} i {year.regime.short} finns både under "
                        f'"{placed[number]}" och "{area.label}"',
                        file=mapping_path,
                        key="areas",
                    )
                placed[number] = area.label
        missing = [a for a in year.regime.areas if a not in placed]
        if missing:
            raise InputError(
                f"insatsområde {', '.join(map(str, missing))} i {year.regime.short} saknas "
                "i mappningen",
                file=mapping_path,
                key="areas",
            )


def year_source(
    mapping: Mapping,
    year: Year,
    group_of: Callable[[Year, str], str],
    comparison: tuple[Path, ComparisonParams] | None = None,
) -> YearSource:
    """The year with the mapping resolved to plain look-ups, for the catalogue in core.

    A year without a parameter file has only what the comparison file states; ``comparison``
    (its path and contents) says where: ``years[<i>].received`` in the file's own order."""
    if year.plan is None or year.regime is None:
        received_at = unused_at = None
        if comparison is not None:
            path, params = comparison
            i = next(n for n, spec in enumerate(params.years) if spec is year.spec)
            received_at = InputCell(str(path), key=f"years[{i}].received")
            unused_at = InputCell(str(path), key=f"years[{i}].unused_at_year_end")
        return YearSource(
            year.spec.year,
            received=year.spec.received,
            unused=year.spec.unused_at_year_end,
            received_at=received_at,
            unused_at=unused_at,
        )
    regime = year.regime.id
    activity_of: dict[str, str] = {}
    for group in mapping.activity_groups:
        for kind in group.types:
            activity_of.setdefault(kind, group.label)
    return YearSource(
        year.spec.year,
        allocation=year.allocation,
        result=year.result,
        unused=year.spec.unused_at_year_end,
        group_of={name: group_of(year, name) for name in year.plan.recipients},
        area_of={
            number: area.label for area in mapping.areas for number in area.regimes.get(regime, [])
        },
        activity_of=activity_of,
    )


def year_findings(years: list[Year]) -> list[Finding]:
    """Each year's errors and warnings, named by year; a year without a file says so."""
    findings: list[Finding] = []
    for year in years:
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
        found = reconcile_allocation(year.allocation) if year.allocation else []
        if year.result:
            found += year.result.findings
        for f in found:
            if f.level != "info":
                message = f"{year.spec.year}: {f.message}"
                findings.append(Finding(f.level, f.code, message, f.amount, f.illustrative))
    return sort_findings(findings)
