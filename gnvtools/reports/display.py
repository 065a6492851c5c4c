"""What notebooks display: prose, sections, tables and findings, as escaped HTML and as blocks.

Every helper here builds a section's markup and its document blocks (``reports.document``) at
once, so the two cannot disagree; a displayed section carries both, the blocks under
``application/vnd.gnvtools.document+json``, which the Word export reads. Every table also carries
its raw values (integers for kronor) under the MIME type ``application/vnd.gnvtools.table+json``.
nbconvert ignores both types when it writes HTML, but the executed notebook keeps them, so the
Word and Excel exports and ``gnv verify`` read what a report showed without parsing HTML. Text
from data (recipient names, activity texts) is always escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from gnvtools.core.formatting import bind_numbers, kr, number, percent
from gnvtools.reports.document import (
    DOCUMENT_MIME,
    ILLUSTRATIVE,
    Block,
    Heading,
    IllustrativeMark,
    ListBlock,
    Note,
    Paragraph,
    TableBlock,
    bundle,
)
from gnvtools.reports.nobreak import bind_block, bind_markup

TABLE_MIME = "application/vnd.gnvtools.table+json"
FIGURES_MIME = "application/vnd.gnvtools.core.figures+json"
MISSING = "uppgift saknas"

Kind = Literal["text", "kr", "int", "percent"]
Cell = str | int | Fraction | None


WIDE_COLUMNS = 8


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


class Html:
    """An HTML fragment that Jupyter shows as such, with the tables and blocks it contains."""

    def __init__(
        self,
        markup: str,
        plain: str = "",
        tables: Sequence[Table] = (),
        figures: list[dict[str, Any]] | None = None,
        blocks: Sequence[Block] = (),
    ) -> None:
        # No number in a report breaks across lines (``nobreak``): bound here, once for all.
        self.markup = bind_markup(markup)
        self.plain = bind_numbers(plain or html.unescape(markup))
        self.tables = list(tables)
        self.figures = figures
        self.blocks = [bind_block(block) for block in blocks]

    def _repr_mimebundle_(self, **_: Any) -> dict[str, Any]:
        shown: dict[str, Any] = {"text/html": self.markup, "text/plain": self.plain}
        if self.tables:
            shown[TABLE_MIME] = {"tables": [t.as_json() for t in self.tables]}
        if self.figures is not None:
            shown[FIGURES_MIME] = {"figures": self.figures}
        shown[DOCUMENT_MIME] = bundle(self.blocks)
        return shown

    def __repr__(self) -> str:
        return self.plain

    def frames(self) -> list[Any]:
        """Every table in this section as a pandas DataFrame (see ``Table.to_frame``)."""
        return [table.to_frame() for table in self.tables]


def paragraph(text: str, css: str = "") -> Html:
    text = bind_numbers(text)
    # A lead-in ("Följande gäller:") is kept with what it introduces when printed.
    shown = css or ("lead-in" if text.rstrip().endswith(":") else "")
    cls = f' class="{esc(shown)}"' if shown else ""
    return Html(f"<p{cls}>{esc(text)}</p>", text, blocks=[Paragraph.of(text, css)])


def paragraphs(texts: Iterable[str]) -> Html:
    return concat(paragraph(t) for t in texts)


def bullets(items: Iterable[str], ordered: bool = False, css: str = "", role: str = "") -> Html:
    """A list; ``css`` a class for it (the memo's decision items are ``"decisions"``), which is
    also its block's role unless ``role`` says what its items are (``"rule"``: each a rule's own
    wording from a rules or parameter file)."""
    tag = "ol" if ordered else "ul"
    cls = f' class="{esc(css)}"' if css else ""
    items = [bind_numbers(item) for item in items]
    inner = "".join(f"<li>{esc(item)}</li>" for item in items)
    return Html(
        f"<{tag}{cls}>{inner}</{tag}>",
        "\n".join(f"- {i}" for i in items),
        blocks=[ListBlock.of(items, ordered, role or css)],
    )


def heading(text: str, level: int = 2) -> Html:
    text = bind_numbers(text)
    slug = "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")
    return Html(
        f'<h{level} id="{esc(slug)}">{esc(text)}</h{level}>',
        text,
        blocks=[Heading(level, text, slug)],
    )


def notice(text: str) -> Html:
    """A boxed note, e.g. that data are illustrative."""
    text = bind_numbers(text)
    return Html(f'<aside class="notice" role="note">{esc(text)}</aside>', text, blocks=[Note(text)])


def illustrative_mark(note: str) -> Html:
    """The visible mark on a table, chart or sentence that rests on made-up data."""
    note = bind_numbers(note)
    mark = IllustrativeMark(ILLUSTRATIVE, note)
    return Html(
        f'<p class="illustrative-mark"><strong>{esc(ILLUSTRATIVE)}:</strong> {esc(note)}</p>',
        mark.text,
        blocks=[mark],
    )


def concat(parts: Iterable[Html]) -> Html:
    parts = list(parts)
    figures = next((p.figures for p in parts if p.figures is not None), None)
    return Html(
        "".join(p.markup for p in parts),
        "\n".join(p.plain for p in parts if p.plain),
        [t for p in parts for t in p.tables],
        figures,
        [b for p in parts for b in p.blocks],
    )


def section(title: str, *parts: Html, level: int = 2) -> Html:
    return concat([heading(title, level), *parts])


def kinds(first: Kind, rest: Kind, count: int) -> list[Kind]:
    """Column kinds: one ``first`` column, then ``count`` columns of ``rest``."""
    return [first, *(rest for _ in range(count))]


def format_cell(value: Cell, kind: Kind) -> str:
    if value is None:
        return MISSING
    if kind == "kr" and isinstance(value, int):
        return kr(value)
    if kind == "int" and isinstance(value, int):
        return number(value)
    if kind == "percent" and isinstance(value, Fraction | int):
        return percent(Fraction(value), 1)
    return bind_numbers(str(value))


def _json_cell(value: Cell) -> Any:
    if isinstance(value, Fraction):
        return float(value)
    return value


@dataclass
class Table:
    """A report table: headers, column kinds and raw rows (kronor as ``int``)."""

    title: str
    columns: Sequence[str]
    kinds: Sequence[Kind]
    rows: list[list[Cell]]
    footer: list[Cell] | None = None
    caption: str = ""
    key: str = ""
    notes: list[str] = field(default_factory=list)
    illustrative: str = ""

    def __post_init__(self) -> None:
        if len(self.columns) != len(self.kinds):
            raise ValueError("one kind per column")
        if not self.key:
            self.key = self.title

    def to_html(self) -> str:
        # A row that has a name (a text first column) is headed by it: screen readers then
        # announce "Bromma, Belopp, 3 800 000 kr" instead of a bare number.
        named = bool(self.kinds) and self.kinds[0] == "text"

        def row_html(cells: Sequence[Cell], tag: str) -> str:
            out = []
            for index, (value, kind) in enumerate(zip(cells, self.kinds, strict=True)):
                cls = "num" if kind != "text" else "txt"
                if value is None:
                    cls += " missing"
                text = esc(format_cell(value, kind))
                if index == 0 and named:
                    out.append(f'<th scope="row" class="{cls}">{text}</th>')
                else:
                    out.append(f'<{tag} class="{cls}">{text}</{tag}>')
            return "<tr>" + "".join(out) + "</tr>"

        head = "".join(
            f'<th scope="col" class="{"num" if k != "text" else "txt"}">{esc(c)}</th>'
            for c, k in zip(self.columns, self.kinds, strict=True)
        )
        body = "".join(row_html(r, "td") for r in self.rows)
        foot = f"<tfoot>{row_html(self.footer, 'td')}</tfoot>" if self.footer else ""
        caption = f"<caption>{esc(self.shown_caption)}</caption>"
        notes = "".join(f'<p class="table-note">{esc(bind_numbers(n))}</p>' for n in self.notes)
        mark = illustrative_mark(self.illustrative).markup if self.illustrative else ""
        # Eight columns or more: tighter type and padding, so that it fits a screen's width.
        wide = ' class="wide"' if len(self.columns) >= WIDE_COLUMNS else ""
        return (
            # A wide table scrolls inside its own region, which the keyboard can reach.
            f'{mark}<div class="table-wrap" role="region" tabindex="0" '
            f'aria-label="{esc(self.shown_caption)}"><table{wide}>{caption}'
            f"<thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody>{foot}</table>{notes}</div>"
        )

    @property
    def shown_caption(self) -> str:
        """The caption as read (numbers bound); the title, which names the sheet, as given."""
        return bind_numbers(self.caption or self.title)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "columns": list(self.columns),
            "kinds": list(self.kinds),
            "rows": [[_json_cell(c) for c in row] for row in self.rows],
            "footer": [_json_cell(c) for c in self.footer] if self.footer else None,
            "illustrative": self.illustrative,
        }

    def to_frame(self) -> Any:
        """The table as a pandas DataFrame for exploring in a notebook.

        Kronor and counts are nullable integers (``Int64``; missing stays missing, never 0),
        shares stay exact ``Fraction`` objects, and the footer (the sum) is left out so the
        rows can be summed and compared with it: ``memo.recipient_table().to_frame()``.
        """
        import pandas as pd

        frame = pd.DataFrame(self.rows, columns=list(self.columns))
        for column, kind in zip(self.columns, self.kinds, strict=True):
            if kind in ("kr", "int"):
                frame[column] = frame[column].astype("Int64")
        frame.attrs["title"] = self.title
        frame.attrs["illustrative"] = self.illustrative
        return frame

    def document_block(self) -> TableBlock:
        """The table as a document block: raw values and each cell's text as the HTML shows it."""

        def shown(cells: Sequence[Cell]) -> tuple[str, ...]:
            return tuple(format_cell(v, k) for v, k in zip(cells, self.kinds, strict=True))

        data = self.as_json()
        return TableBlock(
            key=self.key,
            title=self.title,
            columns=tuple(self.columns),
            kinds=tuple(self.kinds),
            rows=tuple(tuple(row) for row in data["rows"]),
            shown_rows=tuple(shown(row) for row in self.rows),
            footer=tuple(data["footer"]) if self.footer else None,
            shown_footer=shown(self.footer) if self.footer else None,
            caption=self.shown_caption,
            notes=tuple(bind_numbers(note) for note in self.notes),
            illustrative=bind_numbers(self.illustrative),
        )

    def block(self) -> Html:
        """The table as an HTML block that keeps its raw values."""
        return Html(self.to_html(), self.title, [self], blocks=[self.document_block()])

    def _repr_mimebundle_(self, **_: Any) -> dict[str, Any]:
        return self.block()._repr_mimebundle_()
