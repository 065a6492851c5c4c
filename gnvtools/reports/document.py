"""The report as one typed document: an ordered list of blocks that every format renders.

A report's sections (``display.Html``) carry their blocks beside their markup; both are built by
the same helper (``display.paragraph``, ``display.bullets``, ``Table.block``, ``common.title_block``
…), so they cannot disagree. A notebook output shows the blocks as JSON under
``application/vnd.gnvtools.document+json`` next to its ``text/html``; ``document_of`` reads them
back, in cell order, from an executed notebook (or from ``recompute.Recomputed``, which has the
same shape), and the renderers write from them: Word (``gnvtools.publish.word``) and the Excel
workbook, the manifest and verify (their tables, ``gnvtools.publish.excel.report_tables``).

The kinds of block are in ``gnvtools.reports.blocks``; this module is their public face too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gnvtools.reports.blocks import (
    DOCUMENT_MIME,
    ILLUSTRATIVE,
    Block,
    ChartBlock,
    Heading,
    IllustrativeMark,
    ListBlock,
    Note,
    Paragraph,
    Run,
    Runs,
    Signatures,
    TableBlock,
    TitleBlock,
    block_from_json,
    bundle,
    emphasised_runs,
    runs_text,
)

__all__ = [
    "DOCUMENT_MIME",
    "ILLUSTRATIVE",
    "Block",
    "ChartBlock",
    "Document",
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
    "document_of",
    "emphasised_runs",
    "runs_text",
]


@dataclass
class Document:
    """A whole report: every block of every displayed section, in order."""

    blocks: list[Block] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return bundle(self.blocks)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Document:
        return cls([block_from_json(b) for b in data.get("blocks", ())])

    def of_kind(self, kind: type[Any]) -> list[Any]:
        return [block for block in self.blocks if isinstance(block, kind)]


def _cells(notebook: Any) -> Sequence[Any]:
    if isinstance(notebook, Mapping):
        return list(notebook.get("cells", []))
    return list(notebook.cells)


def document_of(notebook: Any) -> Document:
    """The document an executed notebook shows (also ``recompute.Recomputed``).

    Cells tagged ``notebook-only`` are left out, as the HTML export leaves them out. What a
    project's own copy of a notebook adds beside gnvtools' outputs is kept too, as the HTML shows
    it: a Markdown cell as headings, paragraphs and lists (``_markdown_cell``), printed text and
    any other output by its plain text, a picture (``image/png``) as a picture.
    """
    blocks: list[Block] = []
    for cell in _cells(notebook):
        tags = cell.get("metadata", {}).get("tags", [])
        if "notebook-only" in tags:
            continue
        if cell.get("cell_type") == "markdown":
            blocks += _markdown_cell(_source(cell.get("source", "")))
        for output in cell.get("outputs", []):
            blocks += _output_blocks(output)
    return Document(blocks)


def _source(text: Any) -> str:
    return "".join(text) if isinstance(text, list) else str(text)


def _output_blocks(output: Mapping[str, Any]) -> list[Block]:
    if output.get("output_type") == "stream":
        return _lines(output.get("text", "")) if output.get("name") == "stdout" else []
    data = output.get("data", {})
    found = data.get(DOCUMENT_MIME)
    if found is not None:
        if isinstance(found, str):  # a client that stored the JSON as text
            found = json.loads(found)
        blocks = [block_from_json(block) for block in found.get("blocks", [])]
        if blocks or not _source(data.get("text/html", "")).strip():
            return blocks
        # Markup that a helper built without its blocks: its text, rather than nothing.
    if "image/png" in data:  # e.g. a figure a project's notebook draws itself
        return [ChartBlock("", "", "", _source(data["image/png"]).replace("\n", ""))]
    return _lines(data.get("text/plain", ""))


def _lines(text: Any) -> list[Block]:
    """Printed or plain text, a paragraph per line as its HTML ``<pre>`` shows it."""
    return [Paragraph.of(line) for line in _source(text).splitlines() if line.strip()]


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _markdown_cell(source: str) -> list[Block]:
    """A Markdown cell's headings (any level) and, between them, the authored-text subset."""
    from gnvtools.reports.texts import markdown_html  # texts builds on this module

    blocks: list[Block] = []
    chunk: list[str] = []
    for line in source.splitlines():
        found = None if line.startswith((" ", "\t")) else _MD_HEADING.match(line)
        if found is None:
            chunk.append(line)
            continue
        blocks += markdown_html(chunk).blocks
        chunk = []
        blocks.append(Heading(len(found.group(1)), found.group(2)))
    return blocks + markdown_html(chunk).blocks
