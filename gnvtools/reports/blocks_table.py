"""The report table block (``TableBlock``) and the illustrative mark (``IllustrativeMark``) a
table or other part carries when it rests on made-up data, each with its JSON form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

ILLUSTRATIVE = "Påhittade exempeldata"


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
