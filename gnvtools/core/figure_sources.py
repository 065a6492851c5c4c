"""Where a figure comes from: the input cells it reads, or the rule it applies.

A figure read from the inputs names its cells: the file (as the parameter file names it; the
manifest makes it relative to the project root), the sheet of a workbook, the row key (the
recipient, area or row a value is read from; ``alla rader`` or a ``where`` filter for a sum over
a column; the key path, e.g. ``received.components[0].amount``, for a value in the parameter
file, with its line) and the column. A figure a rule produces (what is paid back, a
redistribution of unused ceilings) names the rule and its citation: the source id and section
as ``data/regimes.yaml`` or the organisation's own rules file state them.

Example: Stockholm 2025's ``mottaget`` reads ``parameters/stockholm/2025.yaml``, key
``received.total``; ``delbelopp_befolkning`` reads ``received.components[0].amount``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

#: The row key of a sum over a whole column.
ALL_ROWS = "alla rader"


@dataclass(frozen=True)
class InputCell:
    """An input cell, a column summed over rows, or a value of the parameter file (``key``)."""

    file: str
    row: str = ""
    column: str = ""
    sheet: str = ""
    key: str = ""
    line: int | None = None

    @property
    def text(self) -> str:
        """``districts.csv, rad Bromma, kolumn population`` or ``2025.yaml, received.total
        (rad 9)``: short enough for a table column, precise enough to find the cell."""
        parts = [PurePath(self.file).name + (f" (blad {self.sheet})" if self.sheet else "")]
        if self.key:
            parts.append(self.key + (f" (rad {self.line})" if self.line else ""))
        if self.row == ALL_ROWS:
            parts.append(ALL_ROWS)
        elif self.row.startswith("där "):
            parts.append(f"rader {self.row}")
        elif self.row:
            parts.append(f"rad {self.row}")
        if self.column:
            parts.append(f"kolumn {self.column}")
        return ", ".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {
            "type": "cell",
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "key": self.key,
            "line": self.line,
            "text": self.text,
        }


@dataclass(frozen=True)
class RuleSource:
    """A rule a figure applies: its id and where it is written (source id and section)."""

    rule: str
    source: str = ""
    section: str = ""

    @property
    def text(self) -> str:
        where = ", ".join(p for p in (self.source, self.section) if p)
        return f"regel {self.rule}" + (f" ({where})" if where else "")

    def as_json(self) -> dict[str, Any]:
        return {
            "type": "rule",
            "rule": self.rule,
            "source": self.source,
            "section": self.section,
            "text": self.text,
        }


FigureSource = InputCell | RuleSource


def key_path(*loc: int | str) -> str:
    """``key_path("received", "components", 0, "amount")`` → ``received.components[0].amount``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out


def yaml_cell(file: Any, *loc: int | str) -> InputCell:
    """A value of the parameter file (a ``model.ParamFile``) at ``loc``, with its line."""
    return InputCell(file.shown or str(file.path), key=key_path(*loc), line=file.line(*loc))


def table_cell(path: Any, sheet: str | None, row: str, column: str) -> InputCell:
    """A cell (or, with ``row`` = ``alla rader`` or a filter, a column) of a data file."""
    text = str(path)
    base, _, fragment = text.partition("#")
    return InputCell(base, row=row, column=column, sheet=sheet or fragment.split("!")[0])


def where_text(where: Sequence[Any]) -> str:
    """A ``where`` filter as a row key: ``där population >= 10000``; none: ``alla rader``."""
    if not where:
        return ALL_ROWS
    return "där " + " och ".join(f"{c.column} {c.op} {c.value}" for c in where)


def source_from_json(data: Mapping[str, Any]) -> FigureSource:
    """A source as the catalogue JSON holds it (the manifest, a bundle)."""
    if data.get("type") == "rule":
        return RuleSource(
            str(data.get("rule", "")), str(data.get("source", "")), str(data.get("section", ""))
        )
    line = data.get("line")
    return InputCell(
        str(data.get("file", "")),
        row=str(data.get("row", "")),
        column=str(data.get("column", "")),
        sheet=str(data.get("sheet", "")),
        key=str(data.get("key", "")),
        line=line if isinstance(line, int) else None,
    )
