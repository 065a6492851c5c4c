"""The report notebooks in a project (``gnv init``, ``gnv notebooks [DIR]``).

An analyst works in the project's own ``notebooks/``: the three report notebooks of the installed
package, each with its ``params_file`` defaulting to the project's own parameter file, so that
run as they are (in JupyterLab, or ``papermill notebooks/x.ipynb out.ipynb`` from the project
root) they give the report ``gnv render`` gives. ``gnv render`` and ``gnv build`` use these
copies (``publish.render.notebooks_dir``). A copy the analyst has edited is never overwritten
unless asked (``force``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from gnvtools.core.params import is_comparison, load_params
from gnvtools.errors import GnvError, InputError
from gnvtools.publish.atomic import write_text
from gnvtools.publish.recompute import NOTEBOOKS, installed_notebook

_DEFAULT = re.compile(r'^(params_file\s*:\s*str\s*=\s*)"[^"\n]*"', re.MULTILINE)


@dataclass(frozen=True)
class Written:
    path: Path
    status: str  # "skriven", "oförändrad", "ändrad av dig; skrivs inte över (--force)"


def _year_files(root: Path) -> list[tuple[int, Path]]:
    found = []
    for path in sorted((root / "parameters").glob("*/*.yaml")):
        try:
            if not is_comparison(path):
                found.append((load_params(path).year, path))
        except GnvError:
            continue  # a file still being written: another one is the default
    return found


def default_params(root: Path) -> dict[str, str]:
    """The parameter file each report notebook defaults to, relative to ``root``: the newest
    year file for the memo and the follow-up, a comparison file (if any) for the multi-year
    report, else ``parameters/<organisation>/jamforelse.yaml`` beside the year file."""
    years = _year_files(root)
    if not years:
        raise InputError(
            "projektet har ingen parameterfil i parameters/<organisation>/; skapa projektet "
            "med gnv init",
            file=root / "parameters",
        )
    newest = max(years, key=lambda found: (found[0], str(found[1])))[1]
    comparisons = [
        p for p in sorted(newest.parent.glob("*.yaml")) if p != newest and _is_comparison(p)
    ]
    comparison = comparisons[0] if comparisons else newest.parent / "jamforelse.yaml"
    year_file = newest.relative_to(root).as_posix()
    return {
        "allocation-memo": year_file,
        "year-end-followup": year_file,
        "multi-year": comparison.relative_to(root).as_posix(),
    }


def _is_comparison(path: Path) -> bool:
    try:
        return is_comparison(path)
    except GnvError:
        return False


def notebook_text(report: str, params_file: str) -> str:
    """The installed notebook of ``report`` with ``params_file`` as its default."""
    notebook = json.loads(installed_notebook(report).read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = "".join(cell["source"])
        source = _DEFAULT.sub(lambda m: m.group(1) + json.dumps(params_file), source)
        lines = source.split("\n")
        cell["source"] = [line + "\n" for line in lines[:-1]] + [lines[-1]]
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


def put_notebooks(root: Path, *, force: bool = False) -> list[Written]:
    """Write the three notebooks into ``root/notebooks``; an edited copy stays unless ``force``."""
    if not root.is_dir():
        raise InputError("projektmappen finns inte", file=root)
    defaults = default_params(root)
    written = []
    for report, name in NOTEBOOKS.items():
        path = root / "notebooks" / name
        text = notebook_text(report, defaults[report])
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            written.append(Written(path, "oförändrad"))
            continue
        if path.exists() and not force:
            written.append(Written(path, "ändrad av dig; skrivs inte över (--force)"))
            continue
        write_text(path, text)
        written.append(Written(path, "skriven"))
    return written


__all__ = ["NOTEBOOKS", "Written", "default_params", "notebook_text", "put_notebooks"]
