"""The regimes of the grant (SKR agreement, SFS 2024:1253), read from ``data/regimes.yaml``.

Rules are data: which areas of use exist, which are restricted, which kinds of activity a spend
file may name, and whether unused money must be paid back. Which kinds of activity are inside
the grant's purpose is an organisation's own reading (its rules file), never a shared rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from gnvtools.errors import InputError

# yaml.safe_load's loader (YAML 1.1, as the package's own files have always been read), with
# libyaml's parser when PyYAML is built with it: some ten times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Source:
    """A document a rule comes from: its full title and the short name a report cites."""

    id: str
    title: str
    short: str


@dataclass(frozen=True)
class Citation:
    source: Source
    section: str

    @property
    def place(self) -> str:
        """The section as cited: ``”Primärvård”``, or a paragraph as it is (``2 §``)."""
        if self.section.endswith("§"):
            return self.section
        return f"\u201d{self.section}\u201d"


@dataclass(frozen=True)
class Rule:
    """One rule statement, for whom it holds (kommun, region) and where it is written."""

    text: str
    applies_to: tuple[str, ...]
    topic: str
    citations: tuple[Citation, ...]

    @property
    def cited(self) -> str:
        """The rule with its sources: ``… (Källa: Socialstyrelsens anvisningar 2025, …).``"""
        by_source: dict[str, list[str]] = {}
        for citation in self.citations:
            by_source.setdefault(citation.source.short, []).append(citation.place)
        where = "; ".join(f"{short}, {join_words(places)}" for short, places in by_source.items())
        return f"{self.text} (Källa: {where}.)"


@dataclass(frozen=True)
class Regime:
    id: str
    name: str
    short: str
    legal_basis: str
    administered_by: str
    how_received: str
    areas: dict[int, str]
    restricted_areas: dict[int, str]
    #: The kinds of activity a spend file may name: words only, no shared source classifies
    #: them (an organisation's reading does, see ``core/followup_readings.py``).
    activity_types: tuple[str, ...]
    unused_must_be_repaid: bool | None
    silent_on_unused: str
    rules: tuple[Rule, ...]
    first_year: int | None = None
    last_year: int | None = None  # None: still in force
    #: What the money is called under the regime (``statsbidrag``, ``stimulansmedel``), its
    #: definite form (``statsbidraget``, ``stimulansmedlen``) and its purpose as the regime
    #: words it (``för utveckling av en god och nära vård``).
    money: str = "statsbidrag"
    money_definite: str = "statsbidraget"
    purpose: str = "för god och nära vård"
    #: How a table names a kind of activity where capitalising the word is not enough
    #: (``lss-hälsan`` → ``LSS-hälsan``, ``övergripande`` → ``Övergripande insatser``).
    activity_labels: dict[str, str] = field(default_factory=dict)

    @property
    def period(self) -> str:
        """The years it covers, as a reader writes them: ``2023``, ``2021–2024``, ``från 2025``."""
        if self.first_year is None:
            return "inga angivna år"
        if self.last_year == self.first_year:
            return str(self.first_year)
        if self.last_year is None:
            return f"från {self.first_year}"
        return f"{self.first_year}\u2013{self.last_year}"

    def covers(self, year: int) -> bool:
        return (
            self.first_year is not None
            and self.first_year <= year
            and (self.last_year is None or year <= self.last_year)
        )

    def activity_label(self, kind: str) -> str:
        """A kind of activity as a table shows it: ``särskilt boende`` → ``Särskilt boende``."""
        return self.activity_labels.get(kind) or kind[:1].upper() + kind[1:]

    def area_label(self, area: int) -> str:
        return f"{area}. {self.areas[area]}"

    def rules_for(self, organisation_type: str, topic: str | None = None) -> list[Rule]:
        """The rules that hold for a ``kommun`` or ``region`` (all of them for ``nationell``)."""
        return [
            rule
            for rule in self.rules
            if (organisation_type == "nationell" or organisation_type in rule.applies_to)
            and (topic is None or rule.topic == topic)
        ]


def join_words(words: list[str]) -> str:
    """``["a", "b", "c"]`` → ``"a, b och c"``."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " och " + words[-1]


def _text(value: str) -> str:
    return " ".join(value.split())


def _period(regime_id: str, spec: dict[str, object]) -> dict[str, int | None]:
    """The years a regime covers, from its ``years: {first: …, last: …}`` in regimes.yaml."""
    years = spec.get("years")
    if not isinstance(years, dict) or not isinstance(years.get("first"), int):
        raise ValueError(f"regimes.yaml: {regime_id} saknar years.first")  # a packaging error
    last = years.get("last")
    return {"first_year": years["first"], "last_year": last if isinstance(last, int) else None}


@cache
def all_regimes() -> dict[str, Regime]:
    text = resources.files("gnvtools").joinpath("data/regimes.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=SAFE_LOADER)
    sources = {
        key: Source(key, _text(spec["title"]), spec["short"])
        for key, spec in raw.pop("sources").items()
    }
    regimes = {}
    for regime_id, spec in raw.items():
        rules = tuple(
            Rule(
                text=_text(rule["text"]),
                applies_to=tuple(rule["for"]),
                topic=rule["topic"],
                citations=tuple(
                    Citation(sources[c["source"]], c["section"]) for c in rule["sources"]
                ),
            )
            for rule in spec["rules"]
        )
        regimes[regime_id] = Regime(
            id=regime_id,
            name=_text(spec["name"]),
            short=spec["short"],
            legal_basis=spec["legal_basis"],
            administered_by=spec["administered_by"],
            how_received=_text(spec["how_received"]),
            areas={int(k): v for k, v in spec["areas"].items()},
            restricted_areas={int(k): v for k, v in spec["restricted_areas"].items()},
            activity_types=tuple(spec["activity_types"]),
            unused_must_be_repaid=spec["unused_must_be_repaid"],
            silent_on_unused=_text(spec.get("silent_on_unused", "")),
            money=spec.get("money", "statsbidrag"),
            money_definite=spec.get("money_definite", "statsbidraget"),
            purpose=_text(spec.get("purpose", "för god och nära vård")),
            activity_labels=dict(spec.get("activity_labels", {})),
            rules=rules,
            **_period(regime_id, spec),
        )
    return regimes


def get_regime(regime_id: str, *, file: str | None = None, row: int | None = None) -> Regime:
    regimes = all_regimes()
    if regime_id not in regimes:
        raise InputError(
            f'okänd regim "{regime_id}"; känns igen: {", ".join(regimes)}',
            file=file,
            row=row,
            key="regime",
        )
    return regimes[regime_id]


def periods_text() -> str:
    """Every regime and its years: ``skr-2023 (2023) och sfs-2024-1253 (från 2025)``."""
    return join_words([f"{r.id} ({r.period})" for r in all_regimes().values()])


def digits_problem(year: int) -> str | None:
    """A year written with two digits (``27``) is refused: it would name a file ``27.yaml``."""
    if 1000 <= year <= 9999:
        return None
    example = 2000 + year if 0 <= year < 100 else 2027
    return f"året {year} ska skrivas med fyra siffror (t.ex. {example})"


def year_problem(year: int) -> str | None:
    """Why ``year`` is no grant year (not four digits, or outside every regime), or None."""
    if digits_problem(year):
        return digits_problem(year)
    if not any(regime.covers(year) for regime in all_regimes().values()):
        return f"inga regler gäller år {year}; regimerna gäller {periods_text()}"
    return None


def regime_year_problem(regime_id: str, year: int) -> str | None:
    """Why ``regime_id`` cannot govern ``year`` (a known regime whose years do not include it)."""
    regime = all_regimes().get(regime_id)
    if regime is None or regime.covers(year):
        return None
    fitting = [r.id for r in all_regimes().values() if r.covers(year)]
    hint = f" (för {year} gäller {join_words(fitting)})" if fitting else ""
    return (
        f"regimen {regime_id} gäller {regime.period}, inte år {year}{hint}; "
        f"regimerna gäller {periods_text()}"
    )
