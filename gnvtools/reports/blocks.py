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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

DOCUMENT_MIME = "application/vnd.gnvtools.document+json"
ILLUSTRATIVE = "Påhittade exempeldata"

_STRONG_OPEN, _STRONG_CLOSE, _EM_OPEN, _EM_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
_MARKERS = re.compile(f"([{_STRONG_OPEN}{_STRONG_CLOSE}{_EM_OPEN}{_EM_CLOSE}])")


@dataclass(frozen=True)
class Run:
    """A stretch of text in one weight and slant."""

    text: str
    bold: bool = False
    italic: bool = False

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text}
        if self.bold:
            out["bold"] = True
        if self.italic:
            out["italic"] = True
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Run:
        return cls(str(data["text"]), bool(data.get("bold")), bool(data.get("italic")))


Runs = tuple[Run, ...]


def runs_text(runs: Iterable[Run]) -> str:
    return "".join(run.text for run in runs)


def emphasised_runs(text: str, strong: re.Pattern[str], em: re.Pattern[str]) -> Runs:
    """Runs of ``text`` where the matches of ``strong`` and then ``em`` (group 1 the emphasised
    text, applied in that order as the HTML's ``<strong>`` and ``<em>`` are) are bold and italic.

    The authored text's Markdown (``texts.inline_runs``) gives the same matches to the HTML and to
    the document this way; adjacent runs of the same kind are joined.
    """
    text = _MARKERS.sub("", text)  # the markers are ours alone
    marked = em.sub(
        f"{_EM_OPEN}\\1{_EM_CLOSE}", strong.sub(f"{_STRONG_OPEN}\\1{_STRONG_CLOSE}", text)
    )
    bold = italic = False
    runs: list[Run] = []
    for part in _MARKERS.split(marked):
        if part in (_STRONG_OPEN, _STRONG_CLOSE):
            bold = part == _STRONG_OPEN
        elif part in (_EM_OPEN, _EM_CLOSE):
            italic = part == _EM_OPEN
        elif part:
            if runs and (runs[-1].bold, runs[-1].italic) == (bold, italic):
                runs[-1] = Run(runs[-1].text + part, bold, italic)
            else:
                runs.append(Run(part, bold, italic))
    return tuple(runs)


def _runs_json(runs: Runs) -> list[dict[str, Any]]:
    return [run.as_json() for run in runs]


def _runs_from(data: Any) -> Runs:
    return tuple(Run.from_json(run) for run in data)


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
        out: dict[str, Any] = {"type": self.kind, "runs": _runs_json(self.runs)}
        if self.role:
            out["role"] = self.role
        if self.figures:
            out["figures"] = list(self.figures)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Paragraph:
        figures = tuple(str(f) for f in data.get("figures", ()))
        return cls(_runs_from(data["runs"]), str(data.get("role", "")), figures)


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
            "items": [_runs_json(item) for item in self.items],
        }
        if self.role:
            out["role"] = self.role
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ListBlock:
        items = tuple(_runs_from(item) for item in data["items"])
        return cls(items, bool(data.get("ordered")), str(data.get("role", "")))


@dataclass(frozen=True)
class TableBlock:
    """A report table. ``rows``/``footer`` hold the raw values as the table MIME has them
    (kronor ``int``, shares as numbers); ``shown_rows``/``shown_footer`` the Swedish text of each
    cell exactly as the HTML shows it, so that no renderer formats a number again. ``cells`` and
    ``footer_cells`` name, for each cell that shows a catalogue figure, that figure (``""`` for a
    label or a cell that shows none); empty when the table names none (a document from before)."""

    kind: ClassVar[str] = "table"
    key: str
    title: str
    columns: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    shown_rows: tuple[tuple[str, ...], ...]
    footer: tuple[Any, ...] | None = None
    shown_footer: tuple[str, ...] | None = None
    caption: str = ""
    notes: tuple[str, ...] = ()
    illustrative: str = ""
    cells: tuple[tuple[str, ...], ...] = ()
    footer_cells: tuple[str, ...] | None = None

    @property
    def mark(self) -> IllustrativeMark | None:
        """The illustrative mark shown above the table, if it rests on made-up data."""
        return IllustrativeMark(ILLUSTRATIVE, self.illustrative) if self.illustrative else None

    @property
    def numeric(self) -> list[bool]:
        """Per column: a number (right-aligned) rather than text."""
        return [kind != "text" for kind in self.kinds]

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.kind,
            "key": self.key,
            "title": self.title,
            "caption": self.caption,
            "columns": list(self.columns),
            "kinds": list(self.kinds),
            "rows": [list(row) for row in self.rows],
            "footer": list(self.footer) if self.footer is not None else None,
            "shown": {
                "rows": [list(row) for row in self.shown_rows],
                "footer": list(self.shown_footer) if self.shown_footer is not None else None,
            },
            "notes": list(self.notes),
            "illustrative": self.illustrative,
        }
        if self.cells:
            out["cells"] = [list(row) for row in self.cells]
        if self.footer_cells is not None:
            out["footer_cells"] = list(self.footer_cells)
        return out

    def figure_at(self, row: int, column: int) -> str:
        """The figure a body cell shows, or ``""``."""
        if row < len(self.cells) and column < len(self.cells[row]):
            return self.cells[row][column]
        return ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TableBlock:
        shown = data.get("shown", {})
        footer_cells = data.get("footer_cells")
        footer = data.get("footer")
        shown_footer = shown.get("footer")
        return cls(
            key=str(data.get("key", "")),
            title=str(data["title"]),
            columns=tuple(str(c) for c in data["columns"]),
            kinds=tuple(str(k) for k in data["kinds"]),
            rows=tuple(tuple(row) for row in data["rows"]),
            shown_rows=tuple(tuple(str(c) for c in row) for row in shown["rows"]),
            footer=tuple(footer) if footer is not None else None,
            shown_footer=tuple(str(c) for c in shown_footer) if shown_footer is not None else None,
            caption=str(data.get("caption", "")),
            notes=tuple(str(n) for n in data.get("notes", ())),
            illustrative=str(data.get("illustrative", "")),
            cells=tuple(tuple(str(c) for c in row) for row in data.get("cells", ())),
            footer_cells=tuple(str(c) for c in footer_cells) if footer_cells is not None else None,
        )


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
class IllustrativeMark:
    """``Påhittade exempeldata: <note>`` on a part that rests on made-up data."""

    kind: ClassVar[str] = "illustrative"
    label: str
    note: str

    @property
    def text(self) -> str:
        return f"{self.label}: {self.note}" if self.note else self.label

    def as_json(self) -> dict[str, Any]:
        return {"type": self.kind, "label": self.label, "note": self.note}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> IllustrativeMark:
        return cls(str(data["label"]), str(data.get("note", "")))


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
