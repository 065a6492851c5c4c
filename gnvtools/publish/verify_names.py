"""Names in ``gnv verify``'s difference lines: the figure a table cell shows, and the input
cells a changed figure reads (``tables[].cells`` and ``figures[].sources`` of the manifest).

Example: ``Bromma (mottagare_bromma): 4 805 780 kr i bygget, 4 900 000 kr nu; läser:
districts.csv, rad Bromma, kolumn population``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MAX_READS_SHOWN = 3


def reads(name: str, figures: dict[str, dict[str, Any]]) -> str:
    """The input cells a figure reads, itself or through the figures it is derived from:
    ``; läser: districts.csv, rad Bromma, kolumn population`` (empty when none are recorded)."""
    found: list[str] = []
    seen: set[str] = set()
    todo = [name]
    while todo and len(seen) < 1_000:
        current = todo.pop(0)
        if current in seen or current not in figures:
            continue
        seen.add(current)
        figure = figures[current]
        for source in figure.get("sources") or []:
            if isinstance(source, dict) and source.get("type") == "cell":
                found.append(str(source.get("text", "")))
        todo += [str(n) for n in figure.get("derived_from") or []]
    shown = list(dict.fromkeys(t for t in found if t))
    if not shown:
        return ""
    more = f" och {len(shown) - MAX_READS_SHOWN} till" if len(shown) > MAX_READS_SHOWN else ""
    return "; läser: " + "; ".join(shown[:MAX_READS_SHOWN]) + more


def named_cells(
    table: dict[str, Any], keyed: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, list[str]]:
    """The figure each cell shows (the manifest's ``cells``), by the row keys ``keyed`` gives;
    empty for a table recorded without them."""
    cells = table.get("cells")
    if not isinstance(cells, list) or len(cells) != len(table["rows"]):
        return {}
    names = [*cells, *([table.get("footer_cells") or []] if table.get("footer") else [])]
    keys = list(keyed(table))
    return {key: [str(n) for n in row] for key, row in zip(keys, names, strict=False)}
