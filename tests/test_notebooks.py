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
    imported, *assignments = ast.parse(tagged[0].source).body
    assert ast.unparse(imported) == "from gnvtools.project.notebooks import own_parameter_file"
    # typed, so papermill can list them and -p can convert and check them
    assert all(isinstance(a, ast.AnnAssign) for a in assignments)
    declared = {ast.unparse(a.target): ast.unparse(a.annotation) for a in assignments}  # type: ignore[union-attr]
    assert declared == {"params_file": "str", "visa_diagram": "bool", "utelamna": "str"}
    # the default is the project's own parameter file, found from where the notebook runs
    (default,) = [a.value for a in assignments if ast.unparse(a.target) == "params_file"]  # type: ignore[union-attr]
    assert isinstance(default, ast.Call) and ast.unparse(default.func) == "own_parameter_file"
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
    # the project's own file: the newest year file listing the report (Jämtland's and
    # Stockholm's are both 2025; Jämtland's comes first by name), the comparison file
    expected = {
        "allocation_memo": "41 086 320 kr",
        "year_end_followup": "41 991 440 kr",
        "multi_year_comparison": "41 991 440 kr",
    }[path.stem]
    assert expected.replace(" ", "\xa0") in html
