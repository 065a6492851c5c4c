"""The ``ATT GÖRA`` markers gnv init leaves, and which of them are still open.

In a text file (the memo's own sections) a marker is open as long as it is there. In a
parameter file a marker usually stands in a comment beside the value to fill in
(``total: 0  # ATT GÖRA: beloppet …``); the analyst fills in the value and may well leave the
comment. Such a marker is open only while the value is still unfilled: empty, ``""``, ``0``,
``null`` or ``true`` (an ``illustrative: true`` to take away). A marker inside the value
itself (``rule: "ATT GÖRA: beskriv …"``) is open while it is there.
"""

from __future__ import annotations

from gnvtools.core.params import TODO

_UNFILLED = {"", '""', "''", "0", "null", "~", "true", "[]", "{}"}


def _comment_start(line: str) -> int:
    """Where a YAML comment begins on ``line`` (outside quotes), or -1."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return index
    return -1


def is_open(line: str, *, yaml_file: bool) -> bool:
    """Whether the marker on ``line`` still asks for something."""
    if TODO not in line:
        return False
    if not yaml_file:
        return True
    comment = _comment_start(line)
    if comment < 0 or line.index(TODO) < comment:
        return True  # the marker is in the value itself
    before = line[:comment].strip().removeprefix("- ")
    _, colon, value = before.partition(":")
    return not colon or value.strip() in _UNFILLED


def open_todos(text: str, *, yaml_file: bool) -> list[tuple[int, str]]:
    """``(line number, what is asked)`` for each open marker in a file's text."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if is_open(line, yaml_file=yaml_file):
            found.append((number, line.split(TODO, 1)[1].lstrip(": ").split('"')[0].strip()))
    return found


__all__ = ["is_open", "open_todos"]
