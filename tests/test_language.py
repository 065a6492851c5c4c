"""Swedish as an administration writes it, checked over every section of every report.

Each example report is recomputed in-process (the installed notebook's section calls, no kernel)
and read back as its document. The prose of every section (paragraphs, list items, notes) is
checked for what a reader of the real memos would strike out: a common noun capitalised in the
middle of a sentence ("enligt Förordning (2024:1253)"), a small count as digits in prose ("inom
8 insatsområden"), words for another kind of organisation ("Kommunen eller regionen" in a
city's memo), column names in prose ("(kolumnen fund)", ``population_65plus``) and a sentence
said twice in one section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from gnvtools.core.params import is_comparison, load_comparison, load_params
from gnvtools.publish.recompute import recompute
from gnvtools.reports.blocks import Heading, ListBlock, Note, Paragraph
from gnvtools.reports.document import Document, document_of

from .conftest import PARAMS

YEAR_FILES = sorted(p for p in PARAMS.glob("*/*.yaml") if "mapping" not in p.name)


def _reports(path: Path) -> list[str]:
    if is_comparison(path):
        return list(dict.fromkeys(["multi-year", *load_comparison(path).reports]))
    return list(dict.fromkeys(["allocation-memo", *load_params(path).reports]))


CASES = [(path, report) for path in YEAR_FILES for report in _reports(path)]
IDS = [f"{p.parent.name}/{p.stem}:{r}" for p, r in CASES]

_DOCUMENTS: dict[tuple[Path, str], Document] = {}


def report_document(path: Path, report: str) -> Document:
    """The report's document as the installed notebook shows it (computed once per test run)."""
    if (path, report) not in _DOCUMENTS:
        _DOCUMENTS[path, report] = document_of({"cells": recompute(report, path).cells})
    return _DOCUMENTS[path, report]


def sections(document: Document) -> Iterator[tuple[str, list[str]]]:
    """(heading, prose) per level-2 section; the provenance annex is left out (file names)."""
    title, prose = "", []
    for block in document.blocks:
        if isinstance(block, Heading) and block.level <= 2:
            if prose:
                yield title, prose
            title, prose = block.text, []
        elif isinstance(block, Paragraph | Note):
            prose.append(block.text)
        elif isinstance(block, ListBlock):
            prose.extend(block.texts())
    if prose:
        yield title, prose


def prose_of(path: Path, report: str) -> list[tuple[str, str]]:
    out = []
    for title, texts in sections(report_document(path, report)):
        if title.startswith("Bilaga: underlag"):
            continue
        out += [(title, " ".join(t.split())) for t in texts]
    return out


# --- the checks, each a pure function of one text (tested below on known bad sentences) -----

#: Common nouns that a sentence never capitalises in its middle.
COMMON_NOUNS = (
    "Förordning",
    "Förordningen",
    "Överenskommelse",
    "Överenskommelsen",
    "Kommunen",
    "Regionen",
    "Staden",
    "Insatsområde",
    "Insatsområden",
    "Insatsområdet",
    "Statsbidraget",
    "Stimulansmedel",
    "Stimulansmedlen",
)
_MID_CAPITAL = re.compile(r"(?<=[a-zåäö,]) (" + "|".join(COMMON_NOUNS) + r")\b")
_SMALL_COUNT = re.compile(
    r"\b(?:inom|i|av|till|för|med|på|mellan|de|alla|hos)\s([2-9]|1[0-2])\s"
    r"(insatsområden|områden|mottagare|steg|förvaltningar|stadsdelsförvaltningar|nämnder|"
    r"varningar|avvikelser|utförare|kommuner|regioner)\b"
)
_COLUMN_WORDS = re.compile(r"\(kolumnen\s|\bkolumnen\s+[a-z_]+\b|\b[a-z]+_[a-z0-9_]+\b")
_BOTH_KINDS = re.compile(r"\b[Kk]ommunen eller regionen\b|\b[Rr]egionen eller kommunen\b")


def capital_mid_sentence(text: str) -> list[str]:
    return [m.group(1) for m in _MID_CAPITAL.finditer(text)]


def small_count_in_digits(text: str) -> list[str]:
    return [m.group(0) for m in _SMALL_COUNT.finditer(text)]


def column_names(text: str) -> list[str]:
    return [m.group(0) for m in _COLUMN_WORDS.finditer(text)]


def wrong_kind(text: str, organisation_type: str) -> list[str]:
    found = [m.group(0) for m in _BOTH_KINDS.finditer(text)]
    if organisation_type == "kommun":
        found += re.findall(r"\b[Rr]egionen (?:rekvirerar|får|ska)\b", text)
    if organisation_type == "region":
        found += re.findall(r"\b[Kk]ommunen (?:rekvirerar|får|ska)\b", text)
    return found


_PROGRAM_VOICE = re.compile(
    r"största-rest|i tysthet|\b(?:Upplysning|Varning|Fel): |\bÅterstoden, 0 kr\b|"
    r"\b(?:ska fördela|får|går till|fördelas)\b[^.]*?\b0 kr\b"
    r"|\b(?:tolkade )?av oss\b|\bom bara detaljerna\b"
)
_MKR = re.compile(r"\bmkr\b")
#: An administration's own unit (Äldreförvaltningen) is a proper noun: lower case mid-sentence
#: beside a capitalised one elsewhere reads as two rules.
_LOWER_UNIT = re.compile(r"(?<![\w-])(?!stadsdels)[a-zåäö]+förvaltningen(?:s)?\b")


def program_voice(text: str) -> list[str]:
    """What a program says and an administration does not: the rounding method, "rättats i
    tysthet", level labels as prose ("Varning: …"), a step of 0 kr, its authors as "oss"
    ("tolkade av oss"), "om bara detaljerna räknas"."""
    return [m.group(0) for m in _PROGRAM_VOICE.finditer(text)]


def mixed_units(text: str) -> list[str]:
    """Millions are "mnkr" throughout (the reports' own unit), never "mkr"."""
    return [m.group(0) for m in _MKR.finditer(text)]


def lower_case_unit(text: str) -> list[str]:
    return [m.group(0) for m in _LOWER_UNIT.finditer(text)]


def repeated_sentences(texts: list[str]) -> list[str]:
    seen: set[str] = set()
    twice = []
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            key = sentence.strip()
            if key.startswith("("):
                continue  # a citation "(Källa: …)" may follow several rules from one source
            if len(key) > 25 and key in seen:
                twice.append(key)
            seen.add(key)
    return twice


@pytest.mark.parametrize(
    ("check", "bad", "good"),
    [
        (
            capital_mid_sentence,
            "Bidraget lämnas enligt Förordning (2024:1253).",
            "Förordningen gäller.",
        ),
        (
            small_count_in_digits,
            "Medlen får användas inom 8 insatsområden.",
            "inom åtta insatsområden",
        ),
        (small_count_in_digits, "fördelas till 11 mottagare", "fördelas till 290 kommuner"),
        (column_names, "Beloppet saknas (kolumnen fund).", "Beloppet saknas i filen."),
        (column_names, "efter population_65plus", "efter antal invånare 65 år och äldre"),
        (
            program_voice,
            "Andelar avrundas enligt största-restmetoden.",
            "Andelar avrundas till hela kronor.",
        ),
        (program_voice, "ingen skillnad har rättats i tysthet", "varje skillnad visas"),
        (program_voice, "Återstoden, 0 kr, går till Äldreförvaltningen.", "Resten går dit."),
        (program_voice, "Varning: 86 320 kr är inte fördelade.", "86 320 kr är inte fördelade."),
        (
            program_voice,
            "Beloppen är svårlästa i källan och tolkade av oss.",
            "Beloppen är svårlästa i underlaget; tabellen anger hur de har lästs.",
        ),
        (
            program_voice,
            "13 360 525 kr om bara detaljerna räknas som förbrukade",
            "13 360 525 kr om i stället beloppen per insatsområde räknas som förbrukade",
        ),
        (mixed_units, "26 mkr till Regionstyrelsen", "26 mnkr till Regionstyrelsen"),
        (
            lower_case_unit,
            "delas mellan utbildningsförvaltningen och förskoleförvaltningen",
            "delas mellan Utbildningsförvaltningen och varje stadsdelsförvaltning",
        ),
    ],
)
def test_each_check_finds_what_it_should(check, bad: str, good: str) -> None:  # type: ignore[no-untyped-def]
    assert check(bad), bad
    assert not check(good), good


def test_wrong_kind_and_repeats_are_found() -> None:
    assert wrong_kind("Kommunen eller regionen rekvirerar sitt belopp.", "kommun")
    assert wrong_kind("Regionen rekvirerar sitt belopp.", "kommun")
    assert not wrong_kind("Varje kommun och region rekvirerar sitt belopp.", "kommun")
    said = "SKR har inte krävt återbetalning av medlen."
    assert repeated_sentences([said, "Annat. " + said])
    assert not repeated_sentences([said, "Ingen återbetalning."])


# --- over every section of every example report ----------------------------------------------


@pytest.mark.parametrize(("path", "report"), CASES, ids=IDS)
def test_every_section_reads_as_swedish_prose(path: Path, report: str) -> None:
    kind = (
        load_comparison(path).organisation.type
        if is_comparison(path)
        else load_params(path).organisation.type
    )
    problems: list[str] = []
    by_section: dict[str, list[str]] = {}
    for title, text in prose_of(path, report):
        by_section.setdefault(title, []).append(text)
        for check in (
            capital_mid_sentence,
            small_count_in_digits,
            column_names,
            program_voice,
            mixed_units,
        ):
            problems += [f"{title}: {check.__name__}: {hit} i {text!r}" for hit in check(text)]
        problems += [f"{title}: fel sorts organisation: {hit}" for hit in wrong_kind(text, kind)]
        if report == "allocation-memo":  # the follow-up's own text file: see the report
            problems += [f"{title}: liten bokstav: {hit}" for hit in lower_case_unit(text)]
    for title, texts in by_section.items():
        problems += [f"{title}: upprepad mening: {s}" for s in repeated_sentences(texts)]
    assert problems == []
