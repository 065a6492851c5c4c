"""What changed in an input since the build, in the words an auditor uses.

A data file (CSV or xlsx) is compared row by row, matched by its name column (``name``, else
``recipient`` when unique, else the row number), cell by cell: ``data/districts.csv, rad 2
(Bromma), kolumn "population": 82 410 → 83 000``. A YAML file is compared key path by key path:
``2025.yaml, received.total (rad 16): 41 991 440 → 41 000 000``. Numbers are shown in Swedish
form; every change is one line.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from gnvtools.core.formatting import number
from gnvtools.core.tables import EXCEL_SUFFIXES, read_excel, table_from_bytes
from gnvtools.core.yamlio import StrictLoader
from gnvtools.errors import GnvError

_INTEGER = re.compile(r"^-?\d{4,}$")


def swedish(value: object) -> str:
    """A value as a reader sees it: ``1336515`` → ``1 336 515``, text in quotes, missing as –."""
    if value is None or value == "":
        return "(tomt)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return number(value).replace("\u00a0", " ")
    text = str(value)
    if _INTEGER.match(text):
        return number(int(text)).replace("\u00a0", " ")
    return f'"{text}"'


def _rows(path: str, data: bytes) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    """A data file's header and rows, read exactly as ``gnvtools.core.tables`` reads them."""
    if path.lower().endswith(EXCEL_SUFFIXES):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / Path(path).name
            copy.write_bytes(data)
            table = read_excel(copy, path, None)
    else:
        table = table_from_bytes(data, path)
    return table.columns, list(table.rows)


def _key_column(
    columns: tuple[str, ...], old: list[dict[str, str]], new: list[dict[str, str]]
) -> str | None:
    for candidate in ("name", "recipient"):
        if candidate in columns:
            for rows in (old, new):
                values = [r[candidate] for r in rows]
                if len(values) != len(set(values)):
                    break
            else:
                return candidate
    return None


def table_changes(path: str, old: bytes, new: bytes) -> list[str]:
    """Row-by-row, cell-by-cell changes between two versions of a data file."""
    try:
        old_columns, old_rows = _rows(path, old)
        new_columns, new_rows = _rows(path, new)
    except GnvError as exc:
        return [f"{path}: filen har ändrats och kan inte längre läsas ({exc.message})"]
    changes = []
    for column in old_columns:
        if column not in new_columns:
            changes.append(f'{path}: kolumnen "{column}" har tagits bort')
    for column in new_columns:
        if column not in old_columns:
            changes.append(f'{path}: kolumnen "{column}" har lagts till')
    key = _key_column(new_columns, old_rows, new_rows)
    Side = tuple[int, dict[str, str]] | None
    pairs: list[tuple[str | None, Side, Side]]
    if key is not None:
        old_by = {r[key]: (i + 2, r) for i, r in enumerate(old_rows)}
        new_by = {r[key]: (i + 2, r) for i, r in enumerate(new_rows)}
        pairs = [(k, old_by.get(k), new_by.get(k)) for k in dict.fromkeys([*old_by, *new_by])]
    else:
        count = max(len(old_rows), len(new_rows))
        pairs = [
            (
                None,
                (i + 2, old_rows[i]) if i < len(old_rows) else None,
                (i + 2, new_rows[i]) if i < len(new_rows) else None,
            )
            for i in range(count)
        ]
    for name, before, after in pairs:
        label = f" ({name})" if name else ""
        if before is None and after is not None:
            changes.append(f"{path}, rad {after[0]}{label}: raden har lagts till")
            continue
        if after is None and before is not None:
            changes.append(f"{path}, rad {before[0]}{label}: raden har tagits bort")
            continue
        assert before is not None and after is not None
        row = after[0]
        for column in new_columns:
            if column in old_columns and before[1].get(column, "") != after[1].get(column, ""):
                changes.append(
                    f'{path}, rad {row}{label}, kolumn "{column}": '
                    f"{swedish(before[1].get(column))} → {swedish(after[1].get(column))}"
                )
    return changes or [
        f"{path}: filen har ändrats men inga värden skiljer sig (format eller ordning)"
    ]


def _load(text: str) -> tuple[Any, yaml.Node | None]:
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def _walk(old: Any, new: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in dict.fromkeys([*old, *new]):
            yield from _walk(old.get(key), new.get(key), (*path, str(key)))
    elif isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            yield from _walk(
                old[index] if index < len(old) else None,
                new[index] if index < len(new) else None,
                (*path, str(index)),
            )
    elif old != new:
        yield path, old, new


def _line(node: yaml.Node | None, path: tuple[str, ...]) -> int | None:
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if str(k.value) == part), None)
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
        else:
            return None
    return node.start_mark.line + 1 if node is not None else None


def yaml_changes(path: str, old: bytes, new: bytes) -> list[str]:
    """Key-path by key-path changes between two versions of a YAML file."""
    try:
        before, _ = _load(old.decode("utf-8-sig"))
        after, node = _load(new.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError, GnvError):
        return [f"{path}: filen har ändrats och kan inte längre läsas som YAML"]
    changes = []
    for key_path, was, now in _walk(before, after, ()):
        line = _line(node, key_path)
        where = f" (rad {line})" if line else ""
        dotted = ".".join(key_path)
        if isinstance(was, dict | list) or isinstance(now, dict | list):
            changes.append(f"{path}, {dotted}{where}: innehållet har ändrats")
        else:
            changes.append(f"{path}, {dotted}{where}: {swedish(was)} → {swedish(now)}")
    return changes or [
        f"{path}: filen har ändrats men inga värden skiljer sig (kommentarer eller format)"
    ]


def text_changes(path: str, old: bytes, new: bytes) -> list[str]:
    """Line-by-line changes of a text file (the memo's own Markdown text)."""
    before = old.decode("utf-8", "replace").splitlines()
    after = new.decode("utf-8", "replace").splitlines()
    changes = []
    for index in range(max(len(before), len(after))):
        was = before[index] if index < len(before) else ""
        now = after[index] if index < len(after) else ""
        if was != now:
            changes.append(f'{path}, rad {index + 1}: "{was[:80]}" → "{now[:80]}"')
        if len(changes) >= 20:
            changes.append(f"{path}: fler rader har ändrats")
            break
    return changes


def input_changes(path: str, old: bytes, new: bytes) -> list[str]:
    """The changes in one input file, by its kind."""
    lower = path.lower()
    if lower.endswith((".yaml", ".yml")):
        return yaml_changes(path, old, new)
    if lower.endswith((".csv", ".txt", *EXCEL_SUFFIXES)):
        return table_changes(path, old, new)
    return text_changes(path, old, new)
