"""A report's figures and tables, recomputed in this process by the installed gnvtools.

``gnv verify`` must not run code that a manifest or a bundle supplies. It therefore does not
execute a notebook at all by default: it reads the *installed* report notebook as a list of
section calls (``memo.proposal()``, ``report.areas()``, …), calls those methods of the installed
report class on the recorded parameter file and keeps what each returns, exactly as the
notebook would have shown it. The result has the shape of an executed notebook (``cells`` with
``outputs``), so the figure catalogue and the tables are read from it by the same functions as
from a built report.

The installed notebook is parsed, never executed: a statement other than the import of the
report class, ``NAME = Class.load(params_file)`` and ``NAME.section(<literals>)`` is refused, so
a notebook changed into something else cannot slip through here.

``declared_parameters`` gives the parameters the installed notebook declares (name and type),
against which a manifest's recorded parameters are checked before anything runs.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from gnvtools.errors import RenderError

NOTEBOOKS = {
    "allocation-memo": "allocation_memo.ipynb",
    "year-end-followup": "year_end_followup.ipynb",
    "multi-year": "multi_year_comparison.ipynb",
}
CLASSES = {
    "allocation-memo": ("gnvtools.reports.memo", "AllocationMemo"),
    "year-end-followup": ("gnvtools.reports.followup_report", "FollowupReport"),
    "multi-year": ("gnvtools.reports.comparison", "Comparison"),
}
TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}


def installed_notebook(report: str) -> Path:
    """The report notebook shipped in the installed package (never a project's or a bundle's)."""
    return Path(str(resources.files("gnvtools").joinpath("notebooks", NOTEBOOKS[report])))


def _code_cells(path: Path) -> list[tuple[list[str], str]]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            cells.append((list(cell.get("metadata", {}).get("tags", [])), text))
    return cells


def declared_parameters(report: str) -> dict[str, type]:
    """Name → type of each parameter the installed notebook declares in its parameters cell."""
    found: dict[str, type] = {}
    for tags, source in _code_cells(installed_notebook(report)):
        if "parameters" not in tags:
            continue
        for statement in ast.parse(source).body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                annotation = ast.unparse(statement.annotation)
                found[statement.target.id] = TYPES.get(annotation, object)
            elif isinstance(statement, ast.Assign):
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        value = ast.literal_eval(statement.value)
                        found[target.id] = type(value)
    return found


@dataclass(frozen=True)
class _Call:
    method: str
    args: tuple[Any, ...]


def _plan(report: str) -> list[_Call]:
    """The section calls of the installed notebook, in order (parsed, not executed)."""
    module, cls = CLASSES[report]
    variable: str | None = None
    calls: list[_Call] = []
    for tags, source in _code_cells(installed_notebook(report)):
        if "parameters" in tags:
            continue
        for statement in ast.parse(source).body:
            if isinstance(statement, ast.ImportFrom) and statement.module == module:
                continue
            value = getattr(statement, "value", None)
            if (
                isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
                and isinstance(value, ast.Call)
                and ast.unparse(value.func) == f"{cls}.load"
                and [ast.unparse(a) for a in value.args] == ["params_file"]
            ):
                variable = statement.targets[0].id
                continue
            if (
                isinstance(statement, ast.Expr)
                and isinstance(value, ast.Call)
                and isinstance(value.func, ast.Attribute)
                and isinstance(value.func.value, ast.Name)
                and value.func.value.id == variable
                and not value.keywords
            ):
                try:
                    args = tuple(ast.literal_eval(a) for a in value.args)
                except ValueError:
                    args = None
                if args is not None:
                    calls.append(_Call(value.func.attr, args))
                    continue
            raise RenderError(
                "den installerade anteckningsboken har en cell som verify inte kan räkna om "
                f"utan att köra den ({ast.unparse(statement)[:60]}); använd gnv verify --full"
            )
    return calls


@dataclass
class Recomputed:
    """What the installed notebook would have displayed, in the shape of an executed one."""

    cells: list[dict[str, Any]]


def recompute(report: str, params: Path, parameters: dict[str, Any] | None = None) -> Recomputed:
    """The report's displayed outputs for ``params``, computed by the installed gnvtools.

    ``parameters``: the notebook parameters the report was built with (the manifest's), applied
    as ``gnv render`` applies them (``notebook_params.apply``: sections left out, no charts).
    """
    import importlib

    from gnvtools.publish.notebook_params import apply

    module, cls = CLASSES[report]
    calls = _plan(report)
    loader = getattr(importlib.import_module(module), cls)
    cells: list[dict[str, Any]] = []
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        document = loader.load(params)
        for call in calls:
            shown = getattr(document, call.method)(*call.args)
            bundle = getattr(shown, "_repr_mimebundle_", None)
            outputs = []
            if bundle is not None:
                data = json.loads(json.dumps(bundle(), default=str))  # as a notebook stores it
                outputs.append({"output_type": "execute_result", "data": data, "metadata": {}})
            shown_args = ", ".join(repr(a) for a in call.args)
            source = f"report.{call.method}({shown_args})"
            cells.append({"cell_type": "code", "source": source, "outputs": outputs})
    recomputed = Recomputed(cells)
    apply({"cells": recomputed.cells}, report, parameters or {})
    return recomputed


__all__ = ["declared_parameters", "installed_notebook", "recompute"]
