"""The notebooks: thin, stored clean, and runnable top to bottom with their defaults."""

from __future__ import annotations

import ast

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "gnvtools/notebooks").glob("*.ipynb"))


def test_the_three_notebooks_exist() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "allocation_memo.ipynb",
        "multi_year_comparison.ipynb",
        "year_end_followup.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_clean(path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    (assignment,) = ast.parse(tagged[0].source).body
    assert isinstance(assignment, ast.AnnAssign)  # typed, so papermill can list it
    assert ast.unparse(assignment.target) == "params_file"
    assert ast.unparse(assignment.annotation) == "str"
    default = ast.literal_eval(assignment.value)  # type: ignore[arg-type]
    assert (ROOT / default).is_file()  # relative to the project root
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        tree = ast.parse(cell.source)
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]


@pytest.mark.slow
@pytest.mark.xdist_group("kernel")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_with_its_defaults(path) -> None:
    """As an analyst would in JupyterLab: no parameters injected, run from notebooks/."""
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    html = "".join(
        o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", [])
    )
    assert "41 991 440 kr".replace(" ", "\xa0") in html
