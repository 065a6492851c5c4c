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
    markup: list[str] = []
    plain: list[str] = []
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def flush_paragraph() -> None:
        if paragraph:
            text = " ".join(s.strip() for s in paragraph)
            markup.append(f"<p>{inline(text)}</p>")
            plain.append(plain_inline(text))
            blocks.append(Paragraph(inline_runs(text), AUTHORED))
            paragraph.clear()

    def flush_list() -> None:
        nonlocal list_tag
        if items:
            inner = "".join(f"<li>{inline(i)}</li>" for i in items)
            markup.append(f"<{list_tag}>{inner}</{list_tag}>")
            plain.extend(f"- {plain_inline(i)}" for i in items)
            runs = tuple(inline_runs(i) for i in items)
            blocks.append(ListBlock(runs, list_tag == "ol", AUTHORED))
            items.clear()
        list_tag = ""

    for line in lines:
        stripped = line.strip()
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if not stripped:
            flush_paragraph()
            flush_list()
        elif stripped.startswith("### "):
            flush_paragraph()
            flush_list()
            title = stripped.lstrip("#").strip()
            markup.append(f"<h3>{inline(title)}</h3>")
            plain.append(plain_inline(title))
            blocks.append(Heading(3, plain_inline(title)))
        elif bullet or numbered:
            flush_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag and list_tag != tag:
                flush_list()
            list_tag = tag
            items.append((bullet or numbered).group(1).strip())  # type: ignore[union-attr]
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + stripped  # a continued list item
        else:
            flush_list()
            paragraph.append(stripped)
    flush_paragraph()
    flush_list()
    return Html("".join(markup), "\n".join(plain), blocks=blocks)
