"""Swedish letters folded for matching what a user typed against names we know.

A user types ``Umea`` for Umeå kommun, or ``{{ mottagare_hemsjukvården }}`` for the figure
``mottagare_hemsjukvarden`` (figure names are plain ASCII, ``core.figures.slug``). Folding
removes case and diacritics (å, ä → a; ö → o; é → e) so that such near misses are found, and
suggestions are then given in the known spelling.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection


def fold(text: str) -> str:
    """``"Umeå Kommun"`` → ``"umea kommun"``: case and diacritics removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


def figure_name(text: str) -> str:
    """What a mistyped figure name was meant to be: ``"Mottagare_hemsjukvården"`` →
    ``"mottagare_hemsjukvarden"`` (folded, anything else than a-z, 0-9 and _ as _)."""
    return re.sub(r"[^a-z0-9_]+", "_", fold(text)).strip("_")


def placeholder_hint(inner: str) -> str:
    """`` (menar du {{ mottagare_hemsjukvarden }}?)`` for a placeholder written with Swedish
    letters or capitals (``inner``: what stands between the braces), else an empty string."""
    name, bar, unit = inner.partition("|")
    meant = figure_name(name)
    if not meant or meant == name.strip():
        return ""
    shown = f"{meant} | {unit.strip()}" if bar else meant
    return f" (menar du {{{{ {shown} }}}}?)"


def closest(word: str, known: Collection[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The known names nearest ``word``, compared folded; an exact folded match comes first."""
    by_fold: dict[str, str] = {}
    for name in known:
        by_fold.setdefault(fold(name), name)
    wanted = fold(word)
    exact = [by_fold[wanted]] if wanted in by_fold else []
    near = difflib.get_close_matches(wanted, list(by_fold), n=n, cutoff=cutoff)
    return exact + [by_fold[f] for f in near if by_fold[f] not in exact][: n - len(exact)]


__all__ = ["closest", "figure_name", "fold", "placeholder_hint"]
