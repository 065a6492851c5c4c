"""The parameters a report notebook declares, and what they change in the report.

Each report notebook's ``parameters`` cell declares typed parameters besides ``params_file``:

- ``visa_diagram: bool = True``: whether the report has its charts;
- ``utelamna: str = ""``: sections left out, by their Swedish names, comma-separated
  (``"bilaga, regler"``); only sections that hold no finding, decision or figure table the
  rest of the report relies on can be left out (``OPTIONAL_SECTIONS``).

``gnv render -p NAME=VALUE`` accepts only the declared names (``convert``): the text becomes the
declared type (``ja``/``nej``, ``true``/``false``, ``1``/``0`` for a yes/no) and a section list
is checked against the report's sections; anything else is an ``InputError`` (exit 2) naming
the valid parameters and values. The typed values go to papermill and into the manifest.

``apply`` makes them change the report after it has been executed (or recomputed by
``gnv verify``, which re-uses the manifest's values): a left-out section's output and, without
charts, every output that holds only charts are removed from the notebook, so HTML, PDF, Word,
Excel and the manifest all lack them alike. The figure catalogue is kept wherever it was.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from typing import Any

from gnvtools.errors import InputError
from gnvtools.publish.recompute import declared_parameters
from gnvtools.reports.blocks import DOCUMENT_MIME
from gnvtools.reports.display import FIGURES_MIME

Value = str | int | float | bool

# Swedish section name → the report's section method, for the sections a report may leave out.
OPTIONAL_SECTIONS: dict[str, dict[str, str]] = {
    "allocation-memo": {
        "bakgrund": "background",
        "beredning": "preparation",
        "regler": "rules",
        "kvarvarande": "carry_over",
        "bilaga": "appendix",
    },
    "year-end-followup": {
        "kvarvarande": "carry_over",
        "bilaga": "appendix",
    },
    "multi-year": {
        "grupper": "groups",
        "verksamheter": "activities",
        "kvarvarande": "carry_over",
        "bilaga": "appendix",
    },
}
SECTIONS_PARAMETER = "utelamna"
CHARTS_PARAMETER = "visa_diagram"
_TRUE = ("true", "ja", "1", "yes")
_FALSE = ("false", "nej", "0", "no")
_TYPE_WORDS = {bool: "ja eller nej", int: "ett heltal", float: "ett tal", str: "text"}


def described(report: str) -> str:
    """The parameters ``report`` takes, as a user reads them in a message."""
    parts = []
    for name, kind in sorted(declared_parameters(report).items()):
        if name == "params_file":
            continue
        if name == SECTIONS_PARAMETER:
            parts.append(f"{name} (avsnitt: {', '.join(OPTIONAL_SECTIONS[report])})")
        else:
            parts.append(f"{name} ({_TYPE_WORDS.get(kind, 'ett värde')})")
    return "; ".join(parts) or "inga"


def sections(report: str, text: str) -> list[str]:
    """``"Bilaga, regler"`` → ``["bilaga", "regler"]``, each checked against the report's."""
    chosen: list[str] = []
    for part in text.split(","):
        word = part.strip().casefold()
        if not word or word in chosen:
            continue
        if word not in OPTIONAL_SECTIONS[report]:
            raise InputError(
                f'{report} har inget avsnitt "{part.strip()}" som kan utelämnas; '
                f"välj bland {', '.join(OPTIONAL_SECTIONS[report])}"
            )
        chosen.append(word)
    return chosen


def _typed(report: str, name: str, kind: type, text: str) -> Value:
    wrong = f'-p {name}="{text}": '
    if kind is bool:
        if text.strip().casefold() in _TRUE:
            return True
        if text.strip().casefold() in _FALSE:
            return False
        raise InputError(wrong + "ange ja eller nej (true eller false)")
    if kind is int:
        try:
            return int(text.strip())
        except ValueError:
            raise InputError(wrong + "ange ett heltal") from None
    if kind is float:
        try:
            return float(text.strip().replace(",", "."))
        except ValueError:
            raise InputError(wrong + "ange ett tal") from None
    if name == SECTIONS_PARAMETER:
        return ", ".join(sections(report, text))
    return text


def convert(report: str, pairs: Sequence[str]) -> dict[str, Value]:
    """``-p NAME=VALUE`` options as the notebook's typed parameters (checked, converted)."""
    declared = declared_parameters(report)
    values: dict[str, Value] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise InputError(f'"{pair}": skriv -p namn=värde; {report} tar {described(report)}')
        if name == "params_file":
            raise InputError("params_file anges som PARAMS, inte med -p")
        if name not in declared:
            raise InputError(f'okänd parameter "{name}" för {report}; giltiga: {described(report)}')
        values[name] = _typed(report, name, declared[name], text)
    return values


def _called_method(source: str) -> str | None:
    """``memo.appendix()`` → ``appendix``: the section a cell shows (its last statement)."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return None
    if body and isinstance(body[-1], ast.Expr) and isinstance(body[-1].value, ast.Call):
        func = body[-1].value.func
        if isinstance(func, ast.Attribute):
            return func.attr
    return None


def _only_charts(output: Mapping[str, Any]) -> bool:
    blocks = output.get("data", {}).get(DOCUMENT_MIME, {})
    kinds = [b.get("type") for b in blocks.get("blocks", [])] if isinstance(blocks, dict) else []
    return bool(kinds) and all(kind == "chart" for kind in kinds)


def _kept(output: dict[str, Any]) -> list[dict[str, Any]]:
    """What stays of a removed output: the figure catalogue, if it carried it."""
    data = output.get("data", {})
    if FIGURES_MIME not in data:
        return []
    kept = type(output)(output)  # a NotebookNode stays one
    kept["data"] = type(data)({"text/html": "", "text/plain": "", FIGURES_MIME: data[FIGURES_MIME]})
    return [kept]


def apply(notebook: Any, report: str, parameters: Mapping[str, Any]) -> None:
    """Leave out what ``parameters`` says to, in an executed (or recomputed) notebook."""
    left_out = {
        OPTIONAL_SECTIONS[report][word]
        for word in sections(report, str(parameters.get(SECTIONS_PARAMETER, "")))
    }
    charts = parameters.get(CHARTS_PARAMETER, True) is not False
    cells = notebook.get("cells", []) if isinstance(notebook, Mapping) else notebook.cells
    for cell in cells:
        if cell.get("cell_type", "code") != "code" or not cell.get("outputs"):
            continue
        source = cell.get("source", "")
        method = _called_method("".join(source) if isinstance(source, list) else str(source))
        drop_all = method in left_out
        outputs: list[dict[str, Any]] = []
        for output in cell["outputs"]:
            if drop_all or (not charts and _only_charts(output)):
                outputs += _kept(output)
            else:
                outputs.append(output)
        cell["outputs"] = outputs


__all__ = ["OPTIONAL_SECTIONS", "Value", "apply", "convert", "described", "sections"]
