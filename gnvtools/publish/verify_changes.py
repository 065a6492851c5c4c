"""What changed since a build, read from a folder or an unpacked bundle without running any of
it: the inputs (by file, row and column), the rules and the code (a supplied notebook is shown
as a diff, never run), the recorded parameters against the installed notebook's, and the
outputs. Only regular files inside the project (or the bundle) are read."""

from __future__ import annotations

import difflib
import json
import keyword
import os
import stat
from pathlib import Path
from typing import Any

from gnvtools.errors import InputError, visible
from gnvtools.publish.changes import input_changes
from gnvtools.publish.manifest import (
    code_record,
    manifest_root,
    package_file,
    recorded_content,
    regular_inside,
)
from gnvtools.publish.provenance import sha256
from gnvtools.publish.recompute import NOTEBOOKS, declared_parameters, installed_notebook

RULES_IN_BUNDLE = "regler/regimes.yaml"
MAX_INPUT_BYTES = 200_000_000
MAX_DIFF_BYTES = 10_000_000  # a larger changed input is named, not compared cell by cell
MAX_CHANGES_SHOWN = 50  # per input
MAX_INPUTS = 1_000  # per manifest
NOTEBOOK_DIFF_LINES = 30


def _regular(path: Path, limit: int) -> str | None:
    """Why ``path`` cannot be read as an input (not there, not a regular file, too large)."""
    try:
        details = os.stat(path)
    except OSError:
        return "filen finns inte längre"
    if not stat.S_ISREG(details.st_mode):
        return "är ingen vanlig fil och läses inte"
    if details.st_size > limit:
        return "är för stor för att jämföras"
    return None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def confined_root(manifest: dict[str, Any], folder: Path, bundle: Path | None) -> Path:
    """The project root the manifest's paths start from, never outside what was handed over:
    in a bundle, the folder its ``project`` names, which must lie in the bundle; in a folder,
    a gnvtools project around it (``manifest_root``)."""
    if bundle is None:
        return manifest_root(manifest, folder)
    params = manifest["params"]["path"]
    project = manifest.get("project")
    if not isinstance(project, str) or not project:
        raise InputError("manifestet anger inte var underlaget ligger i paketet")
    root = (folder / project).resolve()
    if not _inside(root, bundle) or not regular_inside(root / params, root):
        raise InputError("manifestet pekar ut underlag utanför paketet; det läses inte")
    return root


def _notebook_diff(name: str, theirs: bytes, ours: Path) -> list[str]:
    """A readable diff of the code cells of a supplied notebook against the installed one."""

    def code(data: bytes) -> list[str]:
        try:
            notebook = json.loads(data.decode("utf-8"))
            lines = []
            for cell in notebook.get("cells", []):
                if isinstance(cell, dict) and cell.get("cell_type") == "code":
                    source = cell.get("source", "")
                    text = "".join(source) if isinstance(source, list) else str(source)
                    lines += [*text.splitlines(), "# ---"]
            return lines
        except (ValueError, UnicodeDecodeError, AttributeError, RecursionError):
            return ["(anteckningsboken kan inte läsas som JSON)"]

    diff = [
        line
        for line in difflib.unified_diff(
            code(ours.read_bytes()), code(theirs), "installerad", name, lineterm="", n=1
        )
        if not line.startswith(("---", "+++"))
    ]
    if len(diff) > NOTEBOOK_DIFF_LINES:
        diff = [*diff[:NOTEBOOK_DIFF_LINES], f"… och {len(diff) - NOTEBOOK_DIFF_LINES} rader till"]
    return [f"  {visible(line[:160])}" for line in diff]


def _supplied_notebooks(root: Path) -> list[str]:
    """Notebooks a project or bundle brings along: compared with the installed ones, never run."""
    found: list[str] = []
    folder = root / "notebooks"
    if not folder.is_dir():
        return found
    installed = {name: report for report, name in NOTEBOOKS.items()}
    for path in sorted(folder.glob("*.ipynb")):
        if path.name not in installed or _regular(path, 20_000_000) is not None:
            continue
        ours = installed_notebook(installed[path.name])
        if sha256(path) == sha256(ours):
            continue
        found.append(
            f"anteckningsboken notebooks/{path.name} skiljer sig från den installerade; den "
            "körs inte (verify använder bara den installerade gnvtools):"
        )
        found += _notebook_diff(f"notebooks/{path.name}", path.read_bytes(), ours)
    return found


def changed_rules(manifest: dict[str, Any], report: str, bundle: Path | None) -> list[str]:
    recorded = manifest.get("code") or {}
    if not isinstance(recorded, dict) or not recorded:
        return ["manifestet anger inte vilka regler och vilken kod rapporten byggdes med"]
    now = code_record(installed_notebook(report))
    found = []
    if bundle is not None:
        rules = bundle / RULES_IN_BUNDLE
        if _regular(rules, 20_000_000) is None and sha256(rules) != recorded.get("regimes"):
            found.append(
                f"regeldatan i paketet ({RULES_IN_BUNDLE}) har ändrats efter bygget; den "
                "installerade versionen används vid omräkningen"
            )
            installed = package_file("data/regimes.yaml")
            found += [
                f"  {line}"
                for line in input_changes(
                    RULES_IN_BUNDLE, installed.read_bytes(), rules.read_bytes()
                )
            ]
    labels = {
        "gnvtools": "gnvtools-versionen",
        "regimes": "regeldatan (regimes.yaml)",
        "template": "HTML-mallen",
    }
    for key, label in labels.items():
        if key in recorded and key in now and recorded[key] != now[key]:
            shown = (
                f" ({visible(str(recorded[key])[:40])} i bygget, {now[key]} nu)"
                if key == "gnvtools"
                else ""
            )
            found.append(f"{label} skiljer sig från bygget{shown}")
    return found


def unrun_code(manifest: dict[str, Any], report: str, root: Path) -> list[str]:
    """Code that the report was built with and that verify will not run: each is a difference."""
    recorded = manifest.get("code") or {}
    found = []
    ours = sha256(installed_notebook(report))
    if isinstance(recorded, dict) and "notebook" in recorded and recorded["notebook"] != ours:
        found.append(
            "rapporten byggdes med en annan anteckningsbok än den installerade; dess siffror "
            "räknas om med den installerade"
        )
    return found + _supplied_notebooks(root)


def checked_parameters(manifest: dict[str, Any], report: str) -> list[str]:
    """The recorded notebook parameters against the installed notebook's declarations: a name
    that is not declared, or a value of another type, is refused before anything runs."""
    recorded = manifest.get("parameters", {})
    if not isinstance(recorded, dict):
        return ["manifestets parametrar är ingen tabell av namn och värden; inget körs"]
    declared = declared_parameters(report)
    problems = []
    for name, value in recorded.items():
        shown = visible(str(name)[:60])
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            problems.append(f'parameternamnet "{shown}" är inget giltigt namn; inget körs')
        elif name not in declared:
            problems.append(
                f'parametern "{shown}" finns inte i den installerade anteckningsboken '
                f"(den tar {', '.join(sorted(declared)) or 'inga parametrar'}); inget körs"
            )
        elif declared[name] is not object and type(value) is not declared[name]:
            problems.append(f'parametern "{shown}" har fel typ i manifestet; inget körs')
    if recorded.get("params_file", manifest["params"]["path"]) != manifest["params"]["path"]:
        problems.append("manifestets params_file och params.path anger olika filer; inget körs")
    return problems


def changed_inputs(manifest: dict[str, Any], root: Path) -> list[str]:
    found: list[str] = []
    paths = [item["path"] for item in manifest["inputs"]]
    if len(paths) > MAX_INPUTS:
        raise InputError(f"manifestet anger fler än {MAX_INPUTS} underlag; det kontrolleras inte")
    if len(set(paths)) != len(paths):
        raise InputError("manifestet anger samma underlag flera gånger; det kontrolleras inte")
    for item in manifest["inputs"]:
        file = root / item["path"]
        if not _inside(file, root):
            found.append(f"{item['path']}: pekar utanför projektet och läses inte")
            continue
        problem = _regular(file, MAX_INPUT_BYTES)
        if problem is not None:
            found.append(f"{item['path']}: {problem}")
        elif sha256(file) != item["sha256"]:
            old = recorded_content(item)
            if old is None or _regular(file, MAX_DIFF_BYTES) is not None:
                found.append(f"{item['path']}: filen har ändrats sedan bygget")
            else:
                changes = input_changes(item["path"], old, file.read_bytes())
                if len(changes) > MAX_CHANGES_SHOWN:
                    more = len(changes) - MAX_CHANGES_SHOWN
                    changes = [*changes[:MAX_CHANGES_SHOWN], f"{item['path']}: … och {more} till"]
                found += changes
    return found


def changed_outputs(manifest: dict[str, Any], folder: Path) -> list[str]:
    found: list[str] = []
    for item in manifest["outputs"]:
        file = folder / item["path"]
        if not _inside(file, folder):
            found.append(f"utdatafilen {item['path']} pekar utanför sin mapp och läses inte")
        elif _regular(file, 10 * MAX_INPUT_BYTES) is not None:
            found.append(f"utdatafilen {item['path']} saknas")
        elif sha256(file) != item["sha256"]:
            found.append(f"utdatafilen {item['path']} har ändrats efter bygget")
    return found
