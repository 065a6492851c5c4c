"""Which figure names only a later stage has: the year-end follow-up's own figures, and a
requisition step's outcome.

The memo is a decision document and its catalogue holds no year-end figure, so
``{{ forbrukat }}`` in the memo's text is an unknown name there. To tell the writer why (the
figure exists, but only in the follow-up, a later stage), the follow-up's names are listed from
its builders, ``core/yearend.py`` and the ``yearend_*`` modules it calls: the name argument of
every ``cat.add(...)`` (and ``spend_figure(...)``) there, a name (``"forbrukat"``) or a pattern
(``f"forbrukat_omrade_{area}"`` matches ``forbrukat_omrade_3``). Listing the builders keeps
this in step with them without a second list to maintain.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Collection
from functools import cache

#: A part of a name filled in from data: an area number, a year, a recipient's folded name.
_FILLED = "[a-z0-9_]+"


#: The calls that add a figure, and which positional argument is its name: the catalogue's
#: own (``cat.add(name, …)``) and the builders' helper for a figure the spend rows give
#: (``spend_figure(cat, r, name, …)``).
_ADDERS = {"add": 0, "add_sum": 0, "spend_figure": 2}


@cache
def followup_names() -> tuple[re.Pattern[str], ...]:
    """Patterns of every name the follow-up's builder adds: every ``yearend*`` module of
    ``core`` (empty if their sources are absent)."""
    import importlib
    import pkgutil

    import gnvtools.core as core

    try:
        trees = [
            ast.parse(inspect.getsource(importlib.import_module(f"gnvtools.core.{m.name}")))
            for m in pkgutil.iter_modules(core.__path__)
            if m.name.startswith("yearend")
        ]
    except (OSError, TypeError):  # installed without sources: no hint, the check still holds
        return ()
    # Names a builder makes from another name rather than writes out (``yearend_tables``:
    # each area's share, from its ``forbrukat_omrade_<n>``).
    patterns = [re.compile(f"andel_omrade_{_FILLED}"), re.compile("andel_utan_omrade")]
    for node in (node for tree in trees for node in ast.walk(tree)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        index = _ADDERS.get(called)
        if index is None or len(node.args) <= index:
            continue
        pattern = _pattern(node.args[index])
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


#: A requisition step's figures that need its requests (``medel_<pot>_steg_<n>`` + suffix).
_REQUEST_SUFFIXES = ("_begart", "_ej_rekvirerat", "_antal_rekvirerande", "")


def later_reason(name: str, known: Collection[str]) -> str | None:
    """Why ``name``, missing from a document's catalogue ``known``, is there only later.

    - a year-end figure (``forbrukat``) in a document without the year-end figures: it exists
      in the year-end follow-up;
    - a requisition step's outcome (``medel_<pot>_steg_<n>``, ``_begart``, ``_ej_rekvirerat``,
      ``_antal_rekvirerande``, a recipient's ``_mottagare_<name>``) where the step's ceilings
      (``_tak``) are known: the requests come after the decision.

    ``None`` when neither is the reason (a misspelt name).
    """
    if "forbrukat" not in known and in_followup(name):
        return (
            "den finns först i årsuppföljningen, ett senare skede än det här dokumentet "
            "(tjänsteutlåtandet visar bara det som är känt vid beslutet); "
            "gnv figures PARAMS --report year-end-followup listar den"
        )
    whole = name.partition("_mottagare_")[0]  # a recipient's share of the outcome too
    for suffix in _REQUEST_SUFFIXES:
        step = whole.removesuffix(suffix) if suffix else whole
        if (step != whole or not suffix) and f"{step}_tak" in known:
            return (
                "rekvisitionssteget fördelar efter beslutet, så utfallet är känt först när "
                f"rekvisitionerna har kommit in; vid beslutet finns taket {step}_tak (eller "
                "ange stage: beslut på steget om ansökningarna fanns vid beslutet)"
            )
    return None
