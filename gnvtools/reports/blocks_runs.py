"""Text runs: stretches of a block's text in one weight and slant, and their JSON form.

``Run`` is one stretch; ``emphasised_runs`` cuts authored text into runs by its bold and italic
matches; ``runs_json`` and ``runs_from`` write and read a sequence of runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

_STRONG_OPEN, _STRONG_CLOSE, _EM_OPEN, _EM_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
_MARKERS = re.compile(f"([{_STRONG_OPEN}{_STRONG_CLOSE}{_EM_OPEN}{_EM_CLOSE}])")


@dataclass(frozen=True)
class Run:
    """A stretch of text in one weight and slant."""

    text: str
    bold: bool = False
    italic: bool = False

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text}
        if self.bold:
            out["bold"] = True
        if self.italic:
            out["italic"] = True
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Run:
        return cls(str(data["text"]), bool(data.get("bold")), bool(data.get("italic")))


Runs = tuple[Run, ...]


def runs_text(runs: Iterable[Run]) -> str:
    return "".join(run.text for run in runs)


def emphasised_runs(text: str, strong: re.Pattern[str], em: re.Pattern[str]) -> Runs:
    """Runs of ``text`` where the matches of ``strong`` and then ``em`` (group 1 the emphasised
    text, applied in that order as the HTML's ``<strong>`` and ``<em>`` are) are bold and italic.

    The authored text's Markdown (``texts_markdown.inline_runs``) gives the same matches to the
    HTML and to the document this way; adjacent runs of the same kind are joined.
    """
    text = _MARKERS.sub("", text)  # the markers are ours alone
    marked = em.sub(
        f"{_EM_OPEN}\\1{_EM_CLOSE}", strong.sub(f"{_STRONG_OPEN}\\1{_STRONG_CLOSE}", text)
    )
    bold = italic = False
    runs: list[Run] = []
    for part in _MARKERS.split(marked):
        if part in (_STRONG_OPEN, _STRONG_CLOSE):
            bold = part == _STRONG_OPEN
        elif part in (_EM_OPEN, _EM_CLOSE):
            italic = part == _EM_OPEN
        elif part:
            if runs and (runs[-1].bold, runs[-1].italic) == (bold, italic):
                runs[-1] = Run(runs[-1].text + part, bold, italic)
            else:
                runs.append(Run(part, bold, italic))
    return tuple(runs)


def runs_json(runs: Runs) -> list[dict[str, Any]]:
    return [run.as_json() for run in runs]


def runs_from(data: Any) -> Runs:
    return tuple(Run.from_json(run) for run in data)
