"""The Markdown subset of the organisation's own text (see ``texts``) as HTML, plain text and
document blocks: paragraphs, bullet and numbered lists, ``###`` sub-headings, and ``**fet**``
and ``*kursiv*`` inside a line; everything else is escaped and shown as the text it is.
"""

from __future__ import annotations

import html
import re

from gnvtools.reports.display import Html
from gnvtools.reports.document import Block, Heading, ListBlock, Paragraph, Runs, emphasised_runs

#: The role of a block written by the organisation (its text file, a notebook's Markdown): its
#: words are its own; only its placeholders are figures.
AUTHORED = "authored"

_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EM = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def inline(text: str) -> str:
    """Escape, then turn ``**x**`` and ``*x*`` into strong and em."""
    out = html.escape(text, quote=True)
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    return _EM.sub(r"<em>\1</em>", out)


def plain_inline(text: str) -> str:
    return _EM.sub(r"\1", _STRONG.sub(r"\1", text))


def inline_runs(text: str) -> Runs:
    """The document's runs for ``text``: the same matches as ``inline``, as bold/italic runs."""
    return emphasised_runs(text, _STRONG, _EM)


def markdown_blocks(lines: list[str]) -> tuple[str, str]:
    """The subset as HTML and as plain text (for the notebook's text/plain and for tests)."""
    shown = markdown_html(lines)
    return shown.markup, shown.plain


def markdown_html(lines: list[str]) -> Html:
    """The subset as HTML, plain text and document blocks (paragraph, list, sub-heading)."""
    out = _Written()
    for line in lines:
        out.line(line)
    out.flush_paragraph()
    out.flush_list()
    return Html("".join(out.markup), "\n".join(out.plain), blocks=out.blocks)


class _Written:
    """What ``markdown_html`` has written so far (markup, plain text, blocks), and the
    paragraph or list it is gathering."""

    def __init__(self) -> None:
        self.markup: list[str] = []
        self.plain: list[str] = []
        self.blocks: list[Block] = []
        self.paragraph: list[str] = []
        self.items: list[str] = []
        self.list_tag = ""

    def line(self, line: str) -> None:
        """One line of the text: it ends, continues or starts a paragraph, list or heading."""
        stripped = line.strip()
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if not stripped:
            self.flush_paragraph()
            self.flush_list()
        elif stripped.startswith("### "):
            self.flush_paragraph()
            self.flush_list()
            self.heading(stripped.lstrip("#").strip())
        elif bullet or numbered:
            self.flush_paragraph()
            tag = "ul" if bullet else "ol"
            if self.list_tag and self.list_tag != tag:
                self.flush_list()
            self.list_tag = tag
            self.items.append((bullet or numbered).group(1).strip())  # type: ignore[union-attr]
        elif self.items and line.startswith((" ", "\t")):
            self.items[-1] += " " + stripped  # a continued list item
        else:
            self.flush_list()
            self.paragraph.append(stripped)

    def heading(self, title: str) -> None:
        self.markup.append(f"<h3>{inline(title)}</h3>")
        self.plain.append(plain_inline(title))
        self.blocks.append(Heading(3, plain_inline(title)))

    def flush_paragraph(self) -> None:
        if self.paragraph:
            text = " ".join(s.strip() for s in self.paragraph)
            self.markup.append(f"<p>{inline(text)}</p>")
            self.plain.append(plain_inline(text))
            self.blocks.append(Paragraph(inline_runs(text), AUTHORED))
            self.paragraph.clear()

    def flush_list(self) -> None:
        if self.items:
            tag = self.list_tag
            inner = "".join(f"<li>{inline(i)}</li>" for i in self.items)
            self.markup.append(f"<{tag}>{inner}</{tag}>")
            self.plain.extend(f"- {plain_inline(i)}" for i in self.items)
            runs = tuple(inline_runs(i) for i in self.items)
            self.blocks.append(ListBlock(runs, tag == "ol", AUTHORED))
            self.items.clear()
        self.list_tag = ""
