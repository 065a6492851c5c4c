"""Comparing what a build recorded with what verify recomputed: figures by name, tables by row
key (not position), each difference in Swedish number format, with the exact values added when
rounding makes the two forms look the same."""

from __future__ import annotations

from typing import Any

from gnvtools.core.formatting import plain
from gnvtools.errors import visible
from gnvtools.publish.verify_names import named_cells, reads
from gnvtools.reports.display import format_cell


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return "uppgift saknas"
    if kind == "percent" and isinstance(value, int | float):
        from fractions import Fraction

        return plain(format_cell(Fraction(value).limit_denominator(10**9), "percent"))
    if kind in ("kr", "int") and isinstance(value, int):
        return plain(format_cell(value, kind))  # type: ignore[arg-type]
    return str(value)


def _exact(value: Any) -> str:
    """A recorded value written out in full, for when its rounded form hides a change."""
    if isinstance(value, float):
        return f"{value:.10g}".replace(".", ",")
    return visible(str(value)[:60])


def _distinct(shown_a: str, shown_b: str, a: Any, b: Any) -> tuple[str, str]:
    """The two forms to print for a changed value: the shown forms, with the exact values added
    when rounding makes them look the same (``8,8 %`` before and after)."""
    if shown_a != shown_b:
        return shown_a, shown_b
    return f"{shown_a} (exakt {_exact(a)})", f"{shown_b} (exakt {_exact(b)})"


def _keyed(table: dict[str, Any]) -> dict[str, list[Any]]:
    """Rows by their key: the first text column whose values are unique (a recipient, an area,
    a finding's text), so a re-sorted table compares equal; else by position."""
    rows = table["rows"] + ([table["footer"]] if table.get("footer") else [])
    kinds = table.get("kinds") or []
    for column, kind in enumerate(kinds):
        if kind != "text":
            continue
        keys = [str(r[column]) for r in rows]
        if len(keys) == len(set(keys)):
            return dict(zip(keys, rows, strict=True))
    return {f"rad {i + 1}": r for i, r in enumerate(rows)}


def compare_tables(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    """Differences between two lists of report tables, by table and by row key."""
    problems: list[str] = []
    old_by_key = {t["key"]: t for t in old}
    new_by_key = {t["key"]: t for t in new}
    for key in old_by_key.keys() - new_by_key.keys():
        problems.append(f'tabellen "{key}" saknas vid omkörningen')
    for key in new_by_key.keys() - old_by_key.keys():
        problems.append(f'tabellen "{key}" finns bara vid omkörningen')
    for key, before in old_by_key.items():
        after = new_by_key.get(key)
        if after is None:
            continue
        if before["columns"] != after["columns"]:
            problems.append(f'tabellen "{key}": kolumnerna skiljer sig')
            continue
        kinds = before.get("kinds") or ["text"] * len(before["columns"])
        rows_before, rows_after = _keyed(before), _keyed(after)
        named = named_cells(before, _keyed)
        for row_key in dict.fromkeys([*rows_before, *rows_after]):
            a, b = rows_before.get(row_key), rows_after.get(row_key)
            if a is None:
                problems.append(f'tabellen "{key}": raden "{row_key}" finns bara vid omkörningen')
            elif b is None:
                problems.append(f'tabellen "{key}": raden "{row_key}" saknas vid omkörningen')
            else:
                names = named.get(row_key, [])
                for index, (column, kind, x, y) in enumerate(
                    zip(before["columns"], kinds, a, b, strict=True)
                ):
                    if x != y:
                        shown_x, shown_y = _distinct(_cell(x, kind), _cell(y, kind), x, y)
                        figure = names[index] if index < len(names) else ""
                        problems.append(
                            f'tabellen "{key}", raden "{row_key}", kolumn "{column}"'
                            + (f" (siffran {figure})" if figure else "")
                            + f": {shown_x} i bygget, {shown_y} nu"
                        )
    return problems


def compare_figures(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    """Differences between two figure catalogues, by name, in their Swedish forms."""
    before = {f["name"]: f for f in old}
    after = {f["name"]: f for f in new}
    problems = [f'siffran "{n}" saknas vid omkörningen' for n in before.keys() - after.keys()]
    problems += [f'siffran "{n}" finns bara vid omkörningen' for n in after.keys() - before.keys()]
    for name, figure in before.items():
        other = after.get(name)
        if other is not None and other["value"] != figure["value"]:
            texts = plain(str(figure["text"])), plain(str(other["text"]))
            was, now = _distinct(*texts, figure["value"], other["value"])
            line = f"{figure.get('label') or name} ({name}): {was} i bygget, {now} nu"
            problems.append(line + reads(name, before))
    return problems
