"""The report notebooks in a project (``gnv init``, ``gnv notebooks [DIR]``).

An analyst works in the project's own ``notebooks/``: copies of the three report notebooks of the
installed package. A notebook's ``params_file`` defaults to ``own_parameter_file(report)``, the
project's own newest parameter file for that report, so that run as they are (in JupyterLab, or
``papermill notebooks/x.ipynb out.ipynb`` from the project root) they give the report
``gnv render`` gives, and the copies stay byte for byte the installed notebooks (``gnv verify``
sees no other code). ``gnv render`` and ``gnv build`` use these copies
(``publish.render.notebooks_dir``). A copy that differs (edited by the analyst, or from an
older gnvtools) is never overwritten unless asked (``force``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gnvtools.errors import InputError

# Every report notebook imports this module in its parameters cell and runs
# ``own_parameter_file`` before papermill's value replaces it: the module imports little
# (``publish`` only where notebooks are written) and reads the files with libyaml.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CONFIG_NAME = "gnv.yaml"  # as project.config names it (not imported: it loads publish.style)


@dataclass(frozen=True)
class Written:
    path: Path
    status: str  # "skriven", "oförändrad", or why it was left as it is


def project_root(start: Path) -> Path:
    """The project ``start`` is in: itself or the nearest folder above with ``parameters/``
    or ``gnv.yaml`` (a notebook runs in ``notebooks/``, JupyterLab may start anywhere inside)."""
    for folder in (start, *start.parents):
        if (folder / "parameters").is_dir() or (folder / CONFIG_NAME).is_file():
            return folder
    raise InputError(
        "mappen ligger inte i något gnvtools-projekt (ingen parameters/ eller gnv.yaml "
        "här eller ovanför); skapa ett med gnv init, eller ange params_file",
        file=start,
    )


def _years(data: dict[str, Any]) -> list[int]:
    """The years a file states, read from its YAML alone (no validation: a file with an error
    is still the one meant, and rendering it names the error)."""
    if "pots" in data:
        return [data["year"]] if isinstance(data.get("year"), int) else []
    listed = data.get("years")
    entries = listed if isinstance(listed, list) else []
    return [e["year"] for e in entries if isinstance(e, dict) and isinstance(e.get("year"), int)]


def _newest(root: Path, report: str) -> Path | None:
    """The newest parameter file in ``root/parameters/<organisation>/`` that ``report`` reads:
    for ``multi-year`` a comparison file (``years:``); else a year file (``pots:``), one
    listing ``report`` under ``reports`` before one that does not yet. Of files for the same
    year, the first by name. A file that is not YAML at all is passed over: every report
    notebook runs this, and one broken file must not stop the others."""
    found: list[tuple[bool, int, str, Path]] = []
    for path in sorted((root / "parameters").glob("*/*.yaml")):
        data = _read(path)
        if not isinstance(data, dict) or not _years(data):
            continue
        comparison = "years" in data and "pots" not in data
        if comparison != (report == "multi-year"):
            continue
        reports = data.get("reports", ["allocation-memo"])
        unlisted = not comparison and not (isinstance(reports, list) and report in reports)
        found.append((unlisted, -max(_years(data)), path.as_posix(), path))
    return min(found)[3] if found else None


def _read(path: Path) -> Any:
    """A parameter file's data: as ``yamlio`` reads it (a build's report processes find it
    read already), or, for a file that reader refuses, as plain YAML (a file with an error is
    still the one meant); ``None`` for a file that is not YAML at all."""
    from gnvtools.core.yamlio import read_yaml

    try:
        return read_yaml(path)[0]
    except InputError:
        pass
    try:
        return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def own_parameter_file(report: str, start: Path | None = None) -> str:
    """The parameter file a report notebook reads when run as it is (its ``params_file``
    default): the project's newest file for ``report`` (``_newest``), relative to the project
    root, as ``gnv render`` gives it. ``start``: the folder the notebook runs in.

    Outside a project, or in one without such a file, it is ``""``: papermill and ``gnv render``
    then set ``params_file`` in the cell after, and a notebook run as it is says that
    ``params_file`` must be given when the report loads it."""
    try:
        root = project_root((start or Path.cwd()).resolve())
    except InputError:
        return ""
    path = _newest(root, report)
    return "" if path is None else path.relative_to(root).as_posix()


def notebook_text(report: str) -> str:
    """The installed notebook of ``report``, as it is: its ``params_file`` defaults to the
    project's own parameter file (``own_parameter_file``), so a copy is the installed one."""
    from gnvtools.publish.recompute import installed_notebook

    return installed_notebook(report).read_text(encoding="utf-8")


def put_notebooks(root: Path, *, force: bool = False) -> list[Written]:
    """Write the three notebooks into ``root/notebooks``; an edited copy stays unless ``force``."""
    from gnvtools.publish.atomic import write_text
    from gnvtools.publish.recompute import NOTEBOOKS

    if not root.is_dir():
        raise InputError("projektmappen finns inte", file=root)
    if _newest(root, "allocation-memo") is None and _newest(root, "year-end-followup") is None:
        raise InputError(
            "projektet har ingen parameterfil i parameters/<organisation>/; skapa projektet "
            "med gnv init",
            file=root / "parameters",
        )
    written = []
    for report, name in NOTEBOOKS.items():
        path = root / "notebooks" / name
        text = notebook_text(report)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            written.append(Written(path, "oförändrad"))
            continue
        if path.exists() and not force:
            written.append(
                Written(path, "skiljer sig från den installerade; skrivs inte över (--force)")
            )
            continue
        write_text(path, text)
        written.append(Written(path, "skriven"))
    return written


__all__ = [
    "CONFIG_NAME",
    "Written",
    "notebook_text",
    "own_parameter_file",
    "project_root",
    "put_notebooks",
]
