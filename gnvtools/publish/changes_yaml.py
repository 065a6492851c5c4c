"""What changed in a YAML file since the build, key path by key path:
``2025.yaml, received.total (rad 16): 41 991 440 → 41 000 000``. The file is read by the same
strict rules as parameter files; a list item added or removed is one change of its own."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from gnvtools.core.yamlio import load_text
from gnvtools.errors import GnvError
from gnvtools.publish.changes_tables import swedish


def _load(text: str, path: str) -> tuple[Any, yaml.Node | None]:
    """A YAML text read as parameter files are read (``yamlio.load_text``: the same strict
    rules, libyaml where it reads the same); an unreadable text raises ``InputError``."""
    return load_text(text, Path(path))


def _identity(item: Any) -> str:
    return json.dumps(item, sort_keys=True, default=str, ensure_ascii=False)


def _walk(old: Any, new: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any, Any]]:
    """Differing values by key path; a list item added or removed is one change of its own."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in dict.fromkeys([*old, *new]):
            yield from _walk(old.get(key), new.get(key), (*path, str(key)))
    elif isinstance(old, list) and isinstance(new, list):
        matcher = difflib.SequenceMatcher(
            None, [_identity(i) for i in old], [_identity(i) for i in new], autojunk=False
        )
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            paired = min(i2 - i1, j2 - j1)
            for k in range(paired):
                yield from _walk(old[i1 + k], new[j1 + k], (*path, str(j1 + k)))
            for k in range(i1 + paired, i2):
                yield (*path, str(k)), old[k], _REMOVED
            for k in range(j1 + paired, j2):
                yield (*path, str(k)), _ADDED, new[k]
    elif old != new:
        yield path, old, new


class _Marker:
    pass


_ADDED = _Marker()  # the value was not there before (a list item added)
_REMOVED = _Marker()  # the value is not there now (a list item removed)


def _line(node: yaml.Node | None, path: tuple[str, ...]) -> int | None:
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if str(k.value) == part), None)
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
        else:
            return None
    return node.start_mark.line + 1 if node is not None else None


def _summary(value: Any) -> str:
    """A list item in a few words: its name, or its value."""
    if isinstance(value, dict):
        for key in ("name", "group", "recipient", "year", "title", "source"):
            if key in value and not isinstance(value[key], dict | list):
                return f" ({swedish(value[key])})"
        return ""
    if isinstance(value, list):
        return ""
    return f" ({swedish(value)})"


def yaml_changes(path: str, old: bytes, new: bytes) -> list[str]:
    """Key-path by key-path changes between two versions of a YAML file."""
    try:
        before, old_node = _load(old.decode("utf-8-sig"), path)
        after, node = _load(new.decode("utf-8-sig"), path)
    except (yaml.YAMLError, UnicodeDecodeError, GnvError):
        return [f"{path}: filen har ändrats och kan inte längre läsas som YAML"]
    changes = []
    for key_path, was, now in _walk(before, after, ()):
        line = _line(old_node if now is _REMOVED else node, key_path)
        where = f" (rad {line})" if line else ""
        dotted = ".".join(key_path)
        if now is _REMOVED:
            changes.append(f"{path}, {dotted}{where}: har tagits bort{_summary(was)}")
        elif was is _ADDED:
            changes.append(f"{path}, {dotted}{where}: har lagts till{_summary(now)}")
        elif isinstance(was, dict | list) or isinstance(now, dict | list):
            changes.append(f"{path}, {dotted}{where}: innehållet har ändrats")
        else:
            changes.append(f"{path}, {dotted}{where}: {swedish(was)} → {swedish(now)}")
    return changes or [
        f"{path}: filen har ändrats men inga värden skiljer sig (kommentarer eller format)"
    ]
