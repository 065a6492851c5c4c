"""``gnv verify DIR``: re-run the reports recorded in a folder's manifests and compare figures.

For each manifest: every input must still have its recorded SHA-256 (an edited input is named),
every output must be intact, and re-running the report from the recorded parameter file must
give the same tables and findings, cell by cell.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gnvtools.core.formatting import plain
from gnvtools.errors import GnvError, InputError
from gnvtools.publish.manifest import figure_tables, read_manifest, report_figures
from gnvtools.publish.provenance import project_root, sha256


def _root(manifest: dict[str, Any], folder: Path) -> Path:
    """Where the manifest's relative paths start: as recorded, else the project around DIR."""
    params = manifest["params"]["path"]
    recorded = Path(manifest.get("root", ""))
    if (recorded / params).exists():
        return recorded
    for candidate in (project_root(folder), Path.cwd()):
        if (candidate / params).exists():
            return candidate
    return recorded


def compare_tables(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    """Every difference between two lists of report tables, in Swedish."""
    problems: list[str] = []
    old_by_key = {t["key"]: t for t in old}
    new_by_key = {t["key"]: t for t in new}
    for key in old_by_key.keys() - new_by_key.keys():
        problems.append(f'tabellen "{key}" saknas vid omkörningen')
    for key in new_by_key.keys() - old_by_key.keys():
        problems.append(f'tabellen "{key}" finns bara vid omkörningen')
    for key, before in old_by_key.items():
        after = new_by_key.get(key)
        if after is None:
            continue
        if before["columns"] != after["columns"]:
            problems.append(f'tabellen "{key}": kolumnerna skiljer sig')
            continue
        rows_before = before["rows"] + ([before["footer"]] if before.get("footer") else [])
        rows_after = after["rows"] + ([after["footer"]] if after.get("footer") else [])
        if len(rows_before) != len(rows_after):
            problems.append(
                f'tabellen "{key}": {len(rows_before)} rader i bygget, {len(rows_after)} nu'
            )
            continue
        for r, (a, b) in enumerate(zip(rows_before, rows_after, strict=True), start=1):
            for column, x, y in zip(before["columns"], a, b, strict=True):
                if x != y:
                    problems.append(
                        f'tabellen "{key}", rad {r}, kolumn "{column}": {plain(str(x))} i '
                        f"bygget, {plain(str(y))} nu"
                    )
    return problems


def compare_figures(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    """Differences between two figure catalogues, by name, with the Swedish forms."""
    before = {f["name"]: f for f in old}
    after = {f["name"]: f for f in new}
    problems = [f'siffran "{name}" saknas vid omkörningen' for name in before.keys() - after.keys()]
    problems += [
        f'siffran "{name}" finns bara vid omkörningen' for name in after.keys() - before.keys()
    ]
    for name, figure in before.items():
        other = after.get(name)
        if other is not None and other["value"] != figure["value"]:
            problems.append(
                f'siffran "{name}" ({figure.get("label", "")}): {plain(str(figure["text"]))} i '
                f"bygget, {plain(str(other['text']))} nu"
            )
    return problems


def _changed(items: list[dict[str, Any]], base: Path, missing: str, edited: str) -> list[str]:
    """``"<path> <why>"`` for each recorded file that is gone or no longer has its SHA-256."""
    found = []
    for item in items:
        path = base / item["path"]
        if not path.exists():
            found.append(f"{item['path']} {missing}")
        elif sha256(path) != item["sha256"]:
            found.append(f"{item['path']} {edited}")
    return found


def verify_manifest(path: Path) -> list[str]:
    from gnvtools.publish.render import execute, validate_report

    manifest = read_manifest(path)
    folder = path.parent
    root = _root(manifest, folder)
    prefix = f"{path}:"
    problems: list[str] = []
    problems += [
        f"{prefix} indatafilen {p}"
        for p in _changed(manifest["inputs"], root, "finns inte längre", "har ändrats sedan bygget")
    ]
    problems += [
        f"{prefix} utdatafilen {p}"
        for p in _changed(manifest["outputs"], folder, "saknas", "har ändrats efter bygget")
    ]
    params = root / manifest["params"]["path"]
    try:
        validate_report(manifest["report"], params)
        recorded = manifest.get("parameters", {})
        overrides = {
            k: str(v) for k, v in recorded.items() if k != "params_file" and isinstance(v, str)
        }
        notebook = execute(manifest["report"], params, overrides)
    except GnvError as exc:
        return [*problems, f"{prefix} rapporten kunde inte köras om: {plain(str(exc))}"]
    problems += [
        f"{prefix} {p}"
        for p in compare_figures(manifest.get("figures", []), report_figures(notebook))
    ]
    problems += [
        f"{prefix} {p}" for p in compare_tables(manifest["tables"], figure_tables(notebook))
    ]
    return problems


def verify(directory: Path) -> tuple[list[str], int]:
    """Check every manifest under ``directory``; return the problems and how many were checked."""
    if not directory.is_dir():
        raise InputError("mappen finns inte", file=directory)
    manifests = sorted(directory.rglob("*.manifest.json"))
    if not manifests:
        raise InputError("inga manifest (*.manifest.json) i mappen", file=directory)
    problems: list[str] = []
    for path in manifests:
        problems += verify_manifest(path)
    return problems, len(manifests)
