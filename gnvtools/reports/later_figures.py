"""Which figure names only a later report has: the year-end follow-up's own figures.

The memo is a decision document and its catalogue holds no year-end figure, so
``{{ forbrukat }}`` in the memo's text is an unknown name there. To tell the writer why (the
figure exists, but only in the follow-up, a later stage), the follow-up's names are listed from
its builder, ``core/yearend.py``: the first argument of every ``cat.add(...)`` there, a name
(``"forbrukat"``) or a pattern (``f"forbrukat_omrade_{area}"`` matches ``forbrukat_omrade_3``).
Listing the builder keeps this in step with it without a second list to maintain.
"""

from __future__ import annotations

import ast
import inspect
import re
from functools import cache

#: A part of a name filled in from data: an area number, a year, a recipient's folded name.
_FILLED = "[a-z0-9_]+"


@cache
def followup_names() -> tuple[re.Pattern[str], ...]:
    """Patterns of every name the follow-up's builder adds (empty if its source is absent)."""
    from gnvtools.core import yearend

    try:
        tree = ast.parse(inspect.getsource(yearend))
    except (OSError, TypeError):  # installed without sources: no hint, the check still holds
        return ()
    patterns: list[re.Pattern[str]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in ("add", "add_sum") or not node.args:
            continue
        pattern = _pattern(node.args[0])
        if pattern is not None:
            patterns.append(re.compile(pattern))
    return tuple(patterns)


def _pattern(arg: ast.expr) -> str | None:
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return re.escape(arg.value)
    if isinstance(arg, ast.JoinedStr):
        parts = []
        for value in arg.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(re.escape(value.value))
            else:
                parts.append(_FILLED)
        return "".join(parts)
    return None


def in_followup(name: str) -> bool:
    """``in_followup("forbrukat")`` → True; ``in_followup("mottaget_x")`` → False."""
    return any(p.fullmatch(name) for p in followup_names())
