"""Tables made of catalogue cells: each cell that shows a figure names it.

``NamedTable`` is a ``display.Table`` that carries, beside its rows, the name of the catalogue
figure each cell shows (``""`` for a label), so the document, Excel and the manifest can say
which figure a cell is and ``gnv verify`` can name a changed cell by its figure. A builder adds
rows with ``add`` (a value and its figure's name per cell) and reads a figure's value from the
catalogue with ``fig``, so a cell's value is the figure's value by construction.

Example: ``t.add(["Bromma", fig(cat, "mottagare_bromma")])`` shows 3 800 000 and names
``mottagare_bromma``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from gnvtools.core.figures import Catalogue
from gnvtools.core.finding_figures import finding_names
from gnvtools.core.reconciliation import LEVEL_NAMES, Finding
from gnvtools.reports.blocks import TableBlock
from gnvtools.reports.display import Cell, Table


@dataclass(frozen=True)
class Named:
    """A cell's value and the figure it shows."""

    value: Cell
    name: str


def fig(cat: Catalogue, name: str) -> Named:
    """The figure ``name`` as a table cell (missing, ``None``, when the catalogue lacks it)."""
    if name not in cat:
        return Named(None, "")
    value: Any = cat.value(name)
    return Named(value, name)


def split(cells: Sequence[Cell | Named]) -> tuple[list[Cell], list[str]]:
    """A row of plain and named cells as its values and its figure names."""
    values: list[Cell] = []
    names: list[str] = []
    for cell in cells:
        if isinstance(cell, Named):
            values.append(cell.value)
            names.append(cell.name)
        else:
            values.append(cell)
            names.append("")
    return values, names


@dataclass
class NamedTable(Table):
    """A table whose cells name the figures they show (``cells``, ``footer_cells``)."""

    cells: list[list[str]] = field(default_factory=list)
    footer_cells: list[str] | None = None

    @classmethod
    def of(
        cls,
        rows: Sequence[Sequence[Cell | Named]],
        footer: Sequence[Cell | Named] | None = None,
        **table: Any,
    ) -> NamedTable:
        """A table from rows of plain and named cells (``Table``'s other fields as keywords)."""
        split_rows = [split(row) for row in rows]
        split_footer = split(footer) if footer is not None else None
        return cls(
            rows=[values for values, _ in split_rows],
            footer=split_footer[0] if split_footer else None,
            cells=[names for _, names in split_rows],
            footer_cells=split_footer[1] if split_footer else None,
            **table,
        )

    def as_json(self) -> dict[str, Any]:
        """The table MIME's form, with the cells' figure names as the document block has them."""
        data = super().as_json()
        if self.cells:
            data["cells"] = [list(row) for row in self.cells]
        if self.footer_cells is not None and self.footer:
            data["footer_cells"] = list(self.footer_cells)
        return data

    def document_block(self) -> TableBlock:
        block = super().document_block()
        footer = self.footer_cells if self.footer_cells is not None and self.footer else None
        return replace(
            block,
            cells=tuple(tuple(row) for row in self.cells),
            footer_cells=tuple(footer) if footer is not None else None,
        )


def findings_table(
    findings: Sequence[Finding], figures: Catalogue, key: str = "Kontroller"
) -> NamedTable:
    """The checks: level, message and amount, each amount the figure ``kontroll_<code>_<k>``
    that ``core.finding_figures`` added for the same list, in the same order."""
    rows: list[list[Cell | Named]] = []
    for n, (finding, name) in enumerate(zip(findings, finding_names(findings), strict=True), 1):
        amount: Cell | Named = None
        if name:
            if name not in figures or figures.value(name) != finding.amount:
                raise ValueError(f"{name} is not the amount of finding {n} ({finding.code})")
            amount = fig(figures, name)
        rows.append([LEVEL_NAMES[finding.level], finding.message, amount])
    return NamedTable.of(
        rows,
        title=key,
        columns=["Nivå", "Beskrivning", "Belopp"],
        kinds=["text", "text", "kr"],
        caption="Kontroller och avvikelser",
    )
