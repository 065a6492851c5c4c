"""The keys docs/parameters.md lists exist in the parameter file's models (the reverse of
``test_every_key_of_the_parameter_files_is_documented`` in test_docs_examples.py).

The top-level table names each top-level key and, in its meaning, the keys under it (and the
values some of them take). A key the docs list that the models refuse — as `repayment_source`
once was — fails here, so a reader never writes a key the tool turns away.
"""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from gnvtools.core.params import Params

from .conftest import ROOT

DOC = ROOT / "docs" / "parameters.md"
KEY = re.compile(r"`([a-z_][a-z0-9_]*)`")


def top_level_rows() -> dict[str, str]:
    """``{key: meaning}`` of the table under "## Top level"."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("\n## Top level\n", 1)[1].split("\n#", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("key", "---"):
            continue
        for key in KEY.findall(cells[0]):
            rows[key] = cells[2]
    return rows


def allowed_below(annotation: Any, seen: set[Any] | None = None) -> set[str]:
    """Every key and literal value reachable from a model field's annotation."""
    seen = set() if seen is None else seen
    found: set[str] = set()
    origin = get_origin(annotation)
    if origin is Literal:
        return {str(v) for v in get_args(annotation)}
    if origin in (Annotated, Union, types.UnionType, list, dict, tuple):
        for arg in get_args(annotation):
            found |= allowed_below(arg, seen)
        return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return found
        seen.add(annotation)
        for name, field in annotation.model_fields.items():
            found.add(name)
            found |= allowed_below(field.annotation, seen)
    return found


def test_the_top_level_table_lists_exactly_the_top_level_keys() -> None:
    rows = top_level_rows()
    assert set(rows) == set(Params.model_fields), set(rows) ^ set(Params.model_fields)


def test_every_key_the_top_level_table_names_under_a_key_exists() -> None:
    wrong = []
    for key, meaning in top_level_rows().items():
        allowed = allowed_below(Params.model_fields[key].annotation)
        wrong += [f"{key}.{word}" for word in KEY.findall(meaning) if word not in allowed]
    assert not wrong, wrong


def test_a_removed_key_in_the_table_would_be_found() -> None:
    """The check itself: the old carry-over row, with `repayment_source`, is caught."""
    allowed = allowed_below(Params.model_fields["carry_over"].annotation)
    old = "`year`, `amount`, `repayment_required`, optional `repayment_source`"
    assert [w for w in KEY.findall(old) if w not in allowed] == ["repayment_source"]
