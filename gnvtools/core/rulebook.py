"""The rules a document may state: by kind of source, dated, and only the organisation's own.

Rules come from three kinds of source, never mixed under one heading: the ordinance (``sfs``),
Socialstyrelsen's instructions (``socialstyrelsen``) and the organisation's own decision or
reading (``organisation``); the SKR agreement of the earlier regime is its own kind
(``overenskommelse``). The shared rules and their sources are in ``data/regimes.yaml``; an
organisation's own readings live in a YAML file in its own folder, named by the parameter file's
``rules:`` key, so a new organisation inherits none.

A document has a date. It cites no source dated after itself and never itself (the parameter
file's ``memo.source`` names the source a memo *is*). A reading whose only sources are later or
the document itself is stated as the document's own position, without a citation.

Example: Stockholm's 2025 memo (26 August 2025) states the city's reading of the HSL scope as
its own; the 2025 follow-up (2026) and the city's reading both cite the memo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from gnvtools.core.regimes import SAFE_LOADER, Citation, Regime, Rule, Source
from gnvtools.core.yamlio import read_yaml
from gnvtools.errors import InputError

SourceKind = Literal["sfs", "socialstyrelsen", "overenskommelse", "organisation"]
KINDS: tuple[SourceKind, ...] = ("sfs", "socialstyrelsen", "overenskommelse", "organisation")
TOPICS = ("scope", "money")


@dataclass(frozen=True)
class SourceInfo:
    """A source's kind and date (``None``: undated, always citable)."""

    kind: SourceKind
    date: dt.date | None


@dataclass(frozen=True)
class KindRule:
    """A rule with the kind of source it rests on; ``own`` when the document itself is it."""

    rule: Rule
    kind: SourceKind
    own: bool = False


def _text(value: Any) -> str:
    return " ".join(str(value).split())


def _date(value: Any) -> dt.date | None:
    """A day, or a year (the source appeared that year: its earliest possible day counts)."""
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, int):
        return dt.date(value, 1, 1)
    return dt.date.fromisoformat(str(value))


@cache
def shared_sources() -> dict[str, tuple[Source, SourceInfo]]:
    """The sources of ``data/regimes.yaml`` with their kind and date."""
    text = resources.files("gnvtools").joinpath("data/regimes.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=SAFE_LOADER)["sources"]
    return {
        key: (
            Source(key, _text(spec["title"]), spec["short"]),
            SourceInfo(spec.get("kind", "sfs"), _date(spec.get("date"))),
        )
        for key, spec in raw.items()
    }


@dataclass(frozen=True)
class Readings:
    """An organisation's own sources and rules (its rules file), per regime."""

    sources: dict[str, tuple[Source, SourceInfo]]
    rules: tuple[tuple[str, Rule], ...]  # (regime id, rule)


NO_READINGS = Readings({}, ())


def read_readings(path: Path, shown: str) -> Readings:
    """Read an organisation's rules file; every problem names the file and the key."""
    raw, _ = read_yaml(path, what="regelfilen")
    if not isinstance(raw, dict) or set(raw) - {"sources", "rules", "activity_types"}:
        raise InputError(
            "regelfilen kan ha nycklarna sources, rules och activity_types", file=shown
        )
    sources = dict(shared_sources())
    own: dict[str, tuple[Source, SourceInfo]] = {}
    for key, spec in (raw.get("sources") or {}).items():
        try:
            own[key] = (
                Source(key, _text(spec["title"]), str(spec["short"])),
                SourceInfo("organisation", _date(spec.get("date"))),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                f"källan {key} behöver title, short och ett datum (ÅÅÅÅ-MM-DD)",
                file=shown,
                key=f"sources.{key}",
            ) from exc
    sources.update(own)
    rules = []
    for index, spec in enumerate(raw.get("rules") or []):
        where = f"rules[{index}]"
        try:
            citations = tuple(
                Citation(sources[c["source"]][0], str(c["section"])) for c in spec["sources"]
            )
            rule = Rule(_text(spec["text"]), tuple(spec["for"]), spec["topic"], citations)
            regime = str(spec["regime"])
        except (KeyError, TypeError) as exc:
            raise InputError(
                f"regeln saknar {exc.args[0]} eller nämner en okänd källa; varje regel behöver "
                "text, for, topic, regime och sources (källor ur sources)",
                file=shown,
                key=where,
            ) from exc
        if rule.topic not in TOPICS:
            raise InputError(f"topic ska vara {' eller '.join(TOPICS)}", file=shown, key=where)
        rules.append((regime, rule))
    return Readings(own, tuple(rules))


def _info(source_id: str, readings: Readings) -> SourceInfo:
    found = readings.sources.get(source_id) or shared_sources().get(source_id)
    return found[1] if found else SourceInfo("organisation", None)


def citable(source_id: str, readings: Readings, date: dt.date | None, itself: str) -> bool:
    """Whether a document of ``date`` (which is source ``itself``) may cite ``source_id``."""
    if source_id == itself:
        return False
    when = _info(source_id, readings).date
    return date is None or when is None or when <= date


def rules_for_document(
    regime: Regime,
    readings: Readings,
    organisation_type: str,
    *,
    date: dt.date | None,
    itself: str = "",
    topic: str | None = None,
) -> list[KindRule]:
    """The rules a document may state, each with its kind, citing only what it may cite."""
    own = [r for regime_id, r in readings.rules if regime_id == regime.id]
    candidates = [*regime.rules_for(organisation_type, topic), *_for(own, organisation_type, topic)]
    out: list[KindRule] = []
    for rule in candidates:
        kept = tuple(c for c in rule.citations if citable(c.source.id, readings, date, itself))
        first = _info(rule.citations[0].source.id, readings).kind if rule.citations else "sfs"
        if kept:
            kind = _info(kept[0].source.id, readings).kind
            out.append(KindRule(replace(rule, citations=kept), kind))
        elif first == "organisation" and any(c.source.id == itself for c in rule.citations):
            out.append(KindRule(replace(rule, citations=()), "organisation", own=True))
    return out


def _for(rules: Sequence[Rule], organisation_type: str, topic: str | None) -> list[Rule]:
    return [
        r
        for r in rules
        if (organisation_type == "nationell" or organisation_type in r.applies_to)
        and (topic is None or r.topic == topic)
    ]


def by_kind(rules: Sequence[KindRule]) -> list[tuple[SourceKind, list[KindRule]]]:
    """The rules grouped by kind of source, in the order of ``KINDS`` (empty kinds left out)."""
    groups = [(kind, [r for r in rules if r.kind == kind]) for kind in KINDS]
    return [(kind, found) for kind, found in groups if found]


def source_shorts(readings: Readings) -> dict[str, str]:
    """Every known source's id → short name (to match a stated frame to its source)."""
    out = {key: src.short for key, (src, _) in shared_sources().items()}
    out.update({key: src.short for key, (src, _) in readings.sources.items()})
    return out
