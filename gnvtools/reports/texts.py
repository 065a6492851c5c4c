"""The organisation's own text: a Markdown file whose level-2 headings are memo sections.

Text is data, never code. A placeholder ``{{ name }}`` (or ``{{ name | mnkr }}``) is replaced by a
figure from the catalogue in its Swedish form; nothing else is evaluated. Markup is escaped and
only a small, documented Markdown subset becomes HTML:

- ``## Rubrik`` starts a section (the heading must be one the memo knows);
- ``### Rubrik`` is a sub-heading inside a section;
- a blank line separates paragraphs; lines of a paragraph are joined;
- lines starting with ``- `` or ``* `` are a bullet list, ``1. `` a numbered list;
- ``**fet**`` and ``*kursiv*`` inside a line.

An HTML comment (``<!-- … -->``, also over several lines) is a note for whoever edits the file:
it is neither shown nor checked. Anything else (HTML, links, tables, code) is shown as the text
it is. ``check_text`` is what
``gnv check`` runs: every problem names the text file and its line. The Markdown subset is
turned into HTML and document blocks in ``texts_markdown``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from gnvtools.core.figures import FORMATS, Catalogue
from gnvtools.core.folding import placeholder_hint
from gnvtools.core.tables import read_bytes_bounded
from gnvtools.errors import InputError
from gnvtools.reports.later_figures import later_reason
from gnvtools.reports.texts_markdown import (
    AUTHORED,
    inline,
    inline_runs,
    markdown_blocks,
    markdown_html,
    plain_inline,
)

__all__ = [
    "AUTHORED",
    "MADE_UP_FIGURE",
    "MAX_TEXT_BYTES",
    "PLACEHOLDER",
    "AuthoredSection",
    "Placeholder",
    "Texts",
    "check_placeholders",
    "check_text",
    "inline",
    "inline_runs",
    "markdown_blocks",
    "markdown_html",
    "nearest",
    "placeholders",
    "plain_inline",
    "read_texts",
    "substitute",
]

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
_INNER = re.compile(r"^\s*([a-z0-9_]+)\s*(?:\|\s*([a-z]+)\s*)?$")
MAX_TEXT_BYTES = 1_000_000


@dataclass(frozen=True)
class Placeholder:
    name: str
    fmt: str | None
    line: int


@dataclass(frozen=True)
class AuthoredSection:
    """One level-2 section of the text file: its heading, body lines and where it starts."""

    title: str
    lines: tuple[tuple[int, str], ...]
    line: int


@dataclass(frozen=True)
class Texts:
    path: Path
    shown: str
    sections: Mapping[str, AuthoredSection]


def nearest(word: str, candidates: Collection[str], n: int = 3) -> str:
    """``' (närmast: a, b)'`` for the closest candidates, or an empty string."""
    close = difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.5)
    return f" (närmast: {', '.join(close)})" if close else ""


def placeholders(text: str, *, file: str, line: int) -> list[Placeholder]:
    """The placeholders in one line of text; a malformed one is an error naming the line."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        inner = _INNER.match(match.group(1))
        if inner is None:
            raise InputError(
                f"felaktig platshållare {match.group(0)!r}: skriv {{{{ namn }}}} med ett "
                "siffernamn (små bokstäver, siffror och _), eventuellt med | kr, | mnkr eller "
                "| tkr" + placeholder_hint(match.group(1)),
                file=file,
                row=line,
            )
        name, fmt = inner.group(1), inner.group(2)
        if fmt is not None and fmt not in FORMATS:
            raise InputError(
                f'okänt format "{fmt}" i {match.group(0)}; tillåtna: {", ".join(FORMATS)}',
                file=file,
                row=line,
            )
        found.append(Placeholder(name, fmt, line))
    rest = PLACEHOLDER.sub("", text)
    if "{{" in rest or "}}" in rest:
        raise InputError(
            "en platshållare är inte avslutad: {{ och }} ska stå på samma rad", file=file, row=line
        )
    if "{%" in rest or "%}" in rest:
        raise InputError(
            "mallkod ({% … %}) tillåts inte i texten; bara {{ namn }} ersätts", file=file, row=line
        )
    return found


def check_placeholders(
    items: list[Placeholder], catalogue: Catalogue, *, file: str, what: str = "siffra"
) -> None:
    """Each placeholder names a figure of ``catalogue``; a figure of a later stage in an earlier
    document (a year-end figure or a requisition outcome in the memo) is told as such."""
    for item in items:
        if item.name not in catalogue:
            unknown = f'okänd {what} "{item.name}" i {{{{ }}}}'
            reason = later_reason(item.name, catalogue)
            if reason is not None:
                unknown += f": {reason}"
            else:
                unknown += (
                    f"{nearest(item.name, catalogue)}; gnv figures PARAMS listar de namn som finns"
                )
            raise InputError(unknown, file=file, row=item.line)
        figure = catalogue[item.name]
        if item.fmt is not None and figure.kind != "kr":
            raise InputError(
                f'formatet "{item.fmt}" gäller bara belopp i kronor, inte "{item.name}"',
                file=file,
                row=item.line,
            )


#: After a figure that rests on made-up data, where the text uses it.
MADE_UP_FIGURE = " (påhittat exempel)"


def substitute(text: str, catalogue: Catalogue) -> str:
    """Replace every placeholder by its figure's Swedish form (placeholders already checked).

    A figure that rests on made-up data carries the mark where it is used, and only there:
    ``{{ forbrukat_enligt_rader }}`` → ``28 630 915 kr (påhittat exempel)``.
    """

    def one(match: re.Match[str]) -> str:
        inner = _INNER.match(match.group(1))
        if inner is None:  # pragma: no cover - check_text rejects these first
            return match.group(0)
        figure = catalogue[inner.group(1)]
        return figure.formatted(inner.group(2)) + (MADE_UP_FIGURE if figure.illustrative else "")

    return PLACEHOLDER.sub(one, text)


def read_texts(path: Path, shown: str, known: Collection[str]) -> Texts:
    """Split a text file into its level-2 sections; every heading must be one of ``known``."""
    raw = read_bytes_bounded(path, shown, "textfilen")  # a folder, device or pipe is refused
    if len(raw) > MAX_TEXT_BYTES:
        raise InputError(f"textfilen är större än {MAX_TEXT_BYTES // 1_000_000} MB", file=shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise InputError("textfilen är inte sparad som UTF-8", file=shown, row=bad_line) from exc
    sections: dict[str, AuthoredSection] = {}
    current: str | None = None
    start = 0
    body: list[tuple[int, str]] = []
    known_lower = {k.lower(): k for k in known}

    def close() -> None:
        if current is not None:
            sections[current] = AuthoredSection(current, tuple(body), start)

    in_comment = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        # HTML comments are notes for whoever edits the file: never shown, never checked.
        if in_comment or stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            continue
        if stripped.startswith("## ") and not stripped.startswith("### "):
            close()
            title = stripped[3:].strip()
            canonical = known_lower.get(title.lower())
            if canonical is None:
                raise InputError(
                    f'okänd avsnittsrubrik "{title}"{nearest(title, known)}; kända rubriker: '
                    + ", ".join(known),
                    file=shown,
                    row=number,
                )
            if canonical in sections:
                raise InputError(f'avsnittet "{canonical}" finns redan', file=shown, row=number)
            current, start, body = canonical, number, []
        elif current is None:
            if stripped and not stripped.startswith("# "):
                raise InputError(
                    "text före första avsnittsrubriken (## Rubrik) hör inte till något avsnitt",
                    file=shown,
                    row=number,
                )
        else:
            body.append((number, line))
    close()
    return Texts(path, shown, sections)


def check_text(texts: Texts, catalogue: Catalogue) -> None:
    """Every placeholder well-formed and naming a known figure; errors name file and line."""
    for section in texts.sections.values():
        for number, line in section.lines:
            check_placeholders(
                placeholders(line, file=texts.shown, line=number), catalogue, file=texts.shown
            )
