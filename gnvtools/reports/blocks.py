"""The kinds of block a report's document is made of, each with its JSON form.

The blocks (see ``gnvtools.reports.document`` for the whole document and how it is read):

- ``Heading``: a section or sub-section title (level 2–5 as in HTML; the title itself is in
  ``TitleBlock``);
- ``Paragraph``: runs of text (bold, italic), a role (``"rule"`` for a rule's own wording,
  ``"flag"`` for a difference the reader must see) and the figure names it states, when known;
- ``ListBlock``: an ordered or unordered list, each item runs of text;
- ``TableBlock``: a report table: raw values (kronor as ``int``) as in the table MIME, and the
  Swedish text of every cell as the HTML shows it;
- ``ChartBlock``: alt text, caption, the SVG (HTML, PDF) and, when made, the PNG (Word);
- ``Note``: a boxed notice, e.g. that data are made up;
- ``IllustrativeMark``: the mark on a part that rests on made-up data;
- ``TitleBlock``: the report's title and its meta lines (organisation, date, …);
- ``Signatures``: the memo's signature block.

A block's text is made of runs (``blocks_runs``); the table and the illustrative mark are in
``blocks_table``. Their names are importable from here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from gnvtools.reports.blocks_runs import (
    Run,
    Runs,
    emphasised_runs,
    runs_from,
    runs_json,
    runs_text,
)
from gnvtools.reports.blocks_table import ILLUSTRATIVE, IllustrativeMark, TableBlock

__all__ = [
    "DOCUMENT_MIME",
    "ILLUSTRATIVE",
    "Block",
    "ChartBlock",
    "Heading",
    "IllustrativeMark",
    "ListBlock",
    "Note",
    "Paragraph",
    "Run",
    "Runs",
    "Signatures",
    "TableBlock",
    "TitleBlock",
    "block_from_json",
    "bundle",
    "emphasised_runs",
    "runs_text",
]

DOCUMENT_MIME = "application/vnd.gnvtools.document+json"


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"
    level: int
    text: str
    id: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"type": self.kind, "level": self.level, "text": self.text, "id": self.id}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Heading:
        return cls(int(data["level"]), str(data["text"]), str(data.get("id", "")))


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    runs: Runs
    role: str = ""
    figures: tuple[str, ...] = ()

    @classmethod
    def of(cls, text: str, role: str = "", figures: Sequence[str] = ()) -> Paragraph:
        return cls((Run(text),), role, tuple(figures))

    @property
    def text(self) -> str:
        return runs_text(self.runs)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.kind, "runs": runs_json(self.runs)}
        if self.role:
            out["role"] = self.role
        if self.figures:
            out["figures"] = list(self.figures)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Paragraph:
        figures = tuple(str(f) for f in data.get("figures", ()))
        return cls(runs_from(data["runs"]), str(data.get("role", "")), figures)


@dataclass(frozen=True)
class ListBlock:
    kind: ClassVar[str] = "list"
    items: tuple[Runs, ...]
    ordered: bool = False
    role: str = ""

    @classmethod
    def of(cls, items: Iterable[str], ordered: bool = False, role: str = "") -> ListBlock:
        return cls(tuple((Run(item),) for item in items), ordered, role)

    def texts(self) -> list[str]:
        return [runs_text(item) for item in self.items]

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.kind,
            "ordered": self.ordered,
            "items": [runs_json(item) for item in self.items],
        }
        if self.role:
            out["role"] = self.role
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ListBlock:
        items = tuple(runs_from(item) for item in data["items"])
        return cls(items, bool(data.get("ordered")), str(data.get("role", "")))


@dataclass(frozen=True)
class ChartBlock:
    """A chart: ``svg`` and ``png`` are base64 text; ``png`` is empty unless it was made (and
    ``svg`` empty for a picture a project's own notebook drew, which has only its PNG)."""

    kind: ClassVar[str] = "chart"
    alt: str
    caption: str
    svg: str
    png: str = ""

    def as_json(self) -> dict[str, Any]:
        out = {"type": self.kind, "alt": self.alt, "caption": self.caption, "svg": self.svg}
        if self.png:
            out["png"] = self.png
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ChartBlock:
        return cls(
            str(data["alt"]), str(data["caption"]), str(data["svg"]), str(data.get("png", ""))
        )


@dataclass(frozen=True)
class Note:
    kind: ClassVar[str] = "note"
    text: str

    def as_json(self) -> dict[str, Any]:
        return {"type": self.kind, "text": self.text}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Note:
        return cls(str(data["text"]))


@dataclass(frozen=True)
class TitleBlock:
    """The document's head: its title, the rows shown under it, and what the document *is*.

    ``organisation``, ``date`` (ISO ``ÅÅÅÅ-MM-DD``, the document's own date, never the build
    date), ``stage`` (``beslut``, ``rekvisition``, ``uppföljning``) and ``dnr`` are read by the
    renderers for page headers, Word's header and document properties; empty when unknown.
    """

    kind: ClassVar[str] = "title"
    title: str
    meta: tuple[tuple[str, str], ...] = ()
    organisation: str = ""
    date: str = ""
    stage: str = ""
    dnr: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "title": self.title,
            "meta": [list(m) for m in self.meta],
            "organisation": self.organisation,
            "date": self.date,
            "stage": self.stage,
            "dnr": self.dnr,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TitleBlock:
        meta = tuple((str(k), str(v)) for k, v in data.get("meta", ()))
        return cls(
            str(data["title"]),
            meta,
            organisation=str(data.get("organisation", "")),
            date=str(data.get("date", "")),
            stage=str(data.get("stage", "")),
            dnr=str(data.get("dnr", "")),
        )


@dataclass(frozen=True)
class Signatures:
    """The signature block: an optional lead (``"I tjänsten"``) and each signer's lines."""

    kind: ClassVar[str] = "signatures"
    people: tuple[tuple[str, ...], ...]
    lead: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"type": self.kind, "lead": self.lead, "people": [list(p) for p in self.people]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Signatures:
        people = tuple(tuple(str(line) for line in person) for person in data["people"])
        return cls(people, str(data.get("lead", "")))


Block = (
    Heading
    | Paragraph
    | ListBlock
    | TableBlock
    | ChartBlock
    | Note
    | IllustrativeMark
    | TitleBlock
    | Signatures
)
_KINDS: dict[str, Any] = {
    cls.kind: cls
    for cls in (
        Heading,
        Paragraph,
        ListBlock,
        TableBlock,
        ChartBlock,
        Note,
        IllustrativeMark,
        TitleBlock,
        Signatures,
    )
}


def block_from_json(data: Mapping[str, Any]) -> Block:
    kind = data.get("type")
    if kind not in _KINDS:
        raise ValueError(f"unknown document block type {kind!r}")
    block: Block = _KINDS[kind].from_json(data)
    return block


def bundle(blocks: Iterable[Block]) -> dict[str, Any]:
    """The JSON a notebook output carries under ``DOCUMENT_MIME``."""
    return {"blocks": [block.as_json() for block in blocks]}
