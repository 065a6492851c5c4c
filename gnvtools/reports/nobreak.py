"""Numbers that never break across lines, in every fragment a report shows.

``display.Html`` passes its markup, plain text and blocks through here, so every number in a
report (figures formatted by ``core.formatting``, and numbers typed in an organisation's text file
or joined after ``str.split``) keeps its digit groups and its unit together with no-break spaces
(``core.formatting.bind_numbers``), in the HTML, the PDF and the Word file alike.
"""

from __future__ import annotations

import re
from dataclasses import replace

from gnvtools.core.formatting import bind_numbers
from gnvtools.reports.document import (
    Block,
    Heading,
    IllustrativeMark,
    ListBlock,
    Note,
    Paragraph,
    Run,
    Runs,
)

_TAG = re.compile(r"(<[^>]*>)")
_DIGIT_SPACE = re.compile(r"\d[ \u202f]")


def bind_markup(markup: str) -> str:
    """``markup`` with the numbers of its text bound; tags and attributes are left as they are."""
    if not _DIGIT_SPACE.search(markup):
        return markup
    parts = _TAG.split(markup)
    return "".join(part if index % 2 else bind_numbers(part) for index, part in enumerate(parts))


def _runs(runs: Runs) -> Runs:
    return tuple(Run(bind_numbers(run.text), run.bold, run.italic) for run in runs)


def bind_block(block: Block) -> Block:
    """A block with the numbers of its text bound (tables bind theirs when they are made)."""
    match block:
        case Paragraph():
            return replace(block, runs=_runs(block.runs))
        case ListBlock():
            return replace(block, items=tuple(_runs(item) for item in block.items))
        case Heading():
            return replace(block, text=bind_numbers(block.text))
        case Note():
            return replace(block, text=bind_numbers(block.text))
        case IllustrativeMark():
            return replace(block, note=bind_numbers(block.note))
    return block
