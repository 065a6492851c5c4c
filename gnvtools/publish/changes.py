"""What changed in an input since the build, in the words an auditor uses.

A data file (CSV or xlsx) is compared row by row, matched by its name column (``name``, else
``recipient`` when unique, else the row number), cell by cell: ``data/districts.csv, rad 2
(Bromma), kolumn "population": 82 410 → 83 000``; an Excel file sheet by sheet, every line
naming its sheet (``data/d.xlsx, flik Stadsdelar, rad 2 (Bromma), …``). A YAML file is
compared key path by key path: ``2025.yaml, received.total (rad 16): 41 991 440 → 41 000 000``.
Numbers are shown in Swedish form; every change is one line, and so is a row or a list item
added or removed.

The data files are compared in ``changes_tables``, YAML files in ``changes_yaml``; this module
chooses by the file's kind and compares any other text line by line.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from gnvtools.core.tables import EXCEL_SUFFIXES
from gnvtools.publish.changes_tables import swedish, table_changes, table_diff, workbook_changes
from gnvtools.publish.changes_yaml import yaml_changes

MAX_TEXT_CHANGES = 20


def text_changes(path: str, old: bytes, new: bytes) -> list[str]:
    """Line-by-line changes of a text file (the memo's own Markdown text).

    Lines are matched as ``diff`` matches them, so one line added near the top is one change,
    not every line below it.
    """
    before = old.decode("utf-8", "replace").splitlines()
    after = new.decode("utf-8", "replace").splitlines()
    changes: list[str] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        for k in range(paired):
            changes.append(
                f'{path}, rad {j1 + k + 1}: "{before[i1 + k][:80]}" → "{after[j1 + k][:80]}"'
            )
        for k in range(i1 + paired, i2):
            changes.append(f'{path}, rad {k + 1}: raden har tagits bort ("{before[k][:80]}")')
        for k in range(j1 + paired, j2):
            changes.append(f'{path}, rad {k + 1}: raden har lagts till ("{after[k][:80]}")')
    if len(changes) > MAX_TEXT_CHANGES:
        changes = [*changes[:MAX_TEXT_CHANGES], f"{path}: fler rader har ändrats"]
    return changes or [f"{path}: filen har ändrats men inga rader skiljer sig (radslut)"]


def input_changes(
    path: str, old: bytes, new: bytes, *, sheets: Sequence[str] | None = None
) -> list[str]:
    """The changes in one input file, by its kind.

    For an Excel file, ``sheets`` are the sheets the reports read (what followed ``#`` in the
    parameter file, ``""`` for the first sheet); without them every changed sheet is compared.
    """
    lower = path.lower()
    if lower.endswith((".yaml", ".yml")):
        return yaml_changes(path, old, new)
    if lower.endswith(EXCEL_SUFFIXES):
        return workbook_changes(path, old, new, sheets)
    if lower.endswith((".csv", ".txt")):
        return table_changes(path, old, new)
    return text_changes(path, old, new)


__all__ = [
    "input_changes",
    "swedish",
    "table_changes",
    "table_diff",
    "text_changes",
    "workbook_changes",
    "yaml_changes",
]
