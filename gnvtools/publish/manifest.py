"""The manifest beside each report: what went in, what came out, and every figure shown.

``gnv verify`` reads it to re-run the report and compare. The build cache reads its
``cache_key``: a hash of the code, the notebook, the inputs and the formats, so a report whose
code, parameters and data are unchanged is not rendered again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shlex
import stat
import zlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from gnvtools.publish.provenance import describe_inputs, project_root, sha256, versions

MANIFEST_VERSION = 1


def manifest_path(out_dir: Path, report: str) -> Path:
    return out_dir / f"{report}.manifest.json"


@cache
def code_hash() -> str:
    """A hash over gnvtools' own files (code, templates, regime data)."""
    digest = hashlib.sha256()
    root = Path(str(resources.files("gnvtools")))
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(report: str, notebook: Path, inputs: Iterable[Path], formats: Iterable[str]) -> str:
    payload = {
        "report": report,
        "code": code_hash(),
        "notebook": sha256(notebook),
        "inputs": [[str(p), sha256(p)] for p in dict.fromkeys(p.resolve() for p in inputs)],
        "formats": sorted(formats),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def portable(path: Path, start: Path) -> str:
    """``path`` relative to ``start`` with forward slashes (the same on every system)."""
    return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()


MAX_RECORDED = 2_000_000


def _content(path: Path) -> dict[str, str]:
    """An input's bytes, compressed, so that verify can say which cell changed."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if len(data) > MAX_RECORDED:
        return {}
    return {"content": base64.b64encode(zlib.compress(data, 9)).decode("ascii")}


def recorded_content(item: dict[str, Any]) -> bytes | None:
    """The bytes an input had at build time, when the manifest recorded them.

    Bounded: a recorded content larger than ``MAX_RECORDED`` unpacked (a decompression bomb in
    a manifest someone else wrote) counts as not recorded.
    """
    from gnvtools.publish.safezip import bounded_inflate

    content = item.get("content")
    if not isinstance(content, str) or len(content) > 2 * MAX_RECORDED:
        return None
    try:
        packed = base64.b64decode(content, validate=True)
    except ValueError:
        return None
    return bounded_inflate(packed, MAX_RECORDED)


def package_file(name: str) -> Path:
    return Path(str(resources.files("gnvtools").joinpath(name)))


def code_record(notebook_file: Path | None) -> dict[str, str]:
    """The rules and code a report was built with: version and hashes, so verify can tell."""
    from gnvtools import __version__

    record = {
        "gnvtools": __version__,
        "regimes": sha256(package_file("data/regimes.yaml")),
        "template": _tree_hash(package_file("templates/gnvmemo")),
        "code": code_hash(),
    }
    if notebook_file is not None and notebook_file.exists():
        record["notebook"] = sha256(notebook_file)
    return record


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def figure_tables(notebook: Any) -> list[dict[str, Any]]:
    """The tables a report showed, without the provenance ones (they name versions)."""
    from gnvtools.publish.excel import report_tables

    return [t for t in report_tables(notebook) if not t["key"].startswith("provenance-")]


def report_figures(notebook: Any) -> list[dict[str, Any]]:
    """The figure catalogue a report displayed (``gnvtools.core.figures``), or an empty list."""
    from gnvtools.reports.display import FIGURES_MIME

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if FIGURES_MIME in data:
                figures: list[dict[str, Any]] = data[FIGURES_MIME]["figures"]
                return figures
    return []


def build_manifest(
    *,
    report: str,
    title: str,
    params: Path,
    inputs: list[Path],
    outputs: dict[str, Path],
    notebook: Any,
    timings: dict[str, float],
    key: str,
    browser: str | None,
    commit: str | None,
    overrides: dict[str, Any] | None = None,
    out_dir: Path | None = None,
    formats: Sequence[str] = (),
    notebook_file: Path | None = None,
) -> dict[str, Any]:
    root = project_root(params)
    found = versions()
    if browser:
        found["browser"] = browser
    out_dir = out_dir or (next(iter(outputs.values())).parent if outputs else None)
    params_rel = describe_inputs([params], root)[0].path
    out_rel = portable(out_dir, root) if out_dir else "."
    extra = " ".join(f"-p {shlex.quote(f'{k}={v}')}" for k, v in (overrides or {}).items())
    return {
        "gnvtools_manifest": MANIFEST_VERSION,
        "report": report,
        "title": title,
        # Only relative paths: the project root as seen from this folder, inputs from the root.
        "project": portable(root, out_dir) if out_dir else ".",
        "command": (
            f"gnv render {report} {shlex.quote(params_rel)} "
            f"--to {','.join(formats) or 'html'} --out {shlex.quote(out_rel)} {extra}"
        ).strip(),
        "code": code_record(notebook_file),
        "params": describe_inputs([params], root)[0].__dict__,
        "parameters": {
            "params_file": describe_inputs([params], root)[0].path,
            **(overrides or {}),
        },
        "inputs": [
            {**f.__dict__, **_content(root / f.path)} for f in describe_inputs(inputs, root)
        ],
        "versions": found,
        "git_commit": commit,  # read once by the render, which gave it to the report too
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "outputs": [
            {"format": fmt, "path": path.name, "sha256": sha256(path), "size": path.stat().st_size}
            for fmt, path in outputs.items()
        ]
        if out_dir
        else [],
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "cache_key": key,
        "tables": figure_tables(notebook),
        "figures": portable_sources(report_figures(notebook), root),
    }


def portable_sources(figures: list[dict[str, Any]], root: Path) -> list[dict[str, Any]]:
    """The figures with each input cell's file relative to the project root, as ``inputs``
    records the files (the catalogue names them as the parameter file was given)."""
    out = []
    for figure in figures:
        sources = []
        for source in figure.get("sources") or []:
            written = source.get("file") if isinstance(source, dict) else None
            if isinstance(written, str) and written:
                path = Path(written) if Path(written).is_absolute() else Path.cwd() / written
                source = {**source, "file": portable(path, root)}
            sources.append(source)
        out.append({**figure, "sources": sources} if "sources" in figure else figure)
    return out


MAX_MANIFEST_BYTES = 100_000_000
MANIFEST_KEYS = ("report", "params", "inputs", "outputs", "tables")


def manifest_root(manifest: dict[str, Any], folder: Path) -> Path:
    """The project root a manifest's relative paths start from, never outside a project.

    Recorded as a path relative to the manifest's folder (``project``); older manifests hold an
    absolute ``root``. The project around the folder and around the working directory are tried
    after them. A candidate counts only when it is a gnvtools project (it has ``parameters/``
    or ``gnv.yaml``) and holds the parameter file as a regular file inside it, so a manifest
    someone else wrote (``"project": "/"``) cannot make gnvtools read the machine's files.
    """
    from gnvtools.errors import InputError

    params = manifest["params"]["path"]
    candidates: list[Path] = []
    if isinstance(manifest.get("project"), str) and manifest["project"]:
        candidates.append((folder / manifest["project"]).resolve())
    if isinstance(manifest.get("root"), str) and Path(manifest["root"]).is_absolute():
        candidates.append(Path(manifest["root"]))
    candidates += [project_root(folder), project_root(Path.cwd() / "x")]
    for candidate in candidates:
        if is_project(candidate) and regular_inside(candidate / params, candidate):
            return candidate
    raise InputError(
        f"parameterfilen {params} finns inte i något gnvtools-projekt (en mapp med "
        "parameters/ eller gnv.yaml) kring manifestet eller arbetsmappen"
    )


def is_project(folder: Path) -> bool:
    return (folder / "parameters").is_dir() or (folder / "gnv.yaml").is_file()


def regular_inside(path: Path, folder: Path) -> bool:
    """True when ``path`` is a regular file that lies in ``folder`` (links resolved)."""
    try:
        resolved = path.resolve()
        resolved.relative_to(folder.resolve())
        return stat.S_ISREG(os.stat(resolved).st_mode)
    except (ValueError, OSError, RuntimeError):
        return False


def read_manifest(path: Path) -> dict[str, Any]:
    """A manifest as written by a build; a damaged or incomplete one is an ``InputError``."""
    from gnvtools.errors import InputError

    try:
        details = os.stat(path)
        if not stat.S_ISREG(details.st_mode):
            raise InputError("manifestet är ingen vanlig fil och läses inte", file=path)
        if details.st_size > MAX_MANIFEST_BYTES:
            raise InputError("manifestet är för stort för att läsas", file=path)
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputError("manifestet är skadat (inte läsbar JSON)", file=path) from exc
    if not isinstance(data, dict):
        raise InputError("manifestet är skadat (inget JSON-objekt)", file=path)
    missing = [key for key in MANIFEST_KEYS if key not in data]
    if missing:
        raise InputError(f"manifestet är ofullständigt: {', '.join(missing)} saknas", file=path)
    params = data["params"]
    if not isinstance(params, dict) or not isinstance(params.get("path"), str):
        raise InputError("manifestet är ofullständigt: params.path saknas", file=path)
    for key in ("inputs", "outputs", "tables"):
        items = data[key]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise InputError(f"manifestet är skadat: {key} är ingen lista av objekt", file=path)
    for item in data["inputs"] + data["outputs"]:
        if not isinstance(item.get("path"), str) or not isinstance(item.get("sha256"), str):
            raise InputError("manifestet är skadat: en fil saknar path eller sha256", file=path)
        if Path(item["path"]).is_absolute() or ".." in Path(item["path"]).parts:
            raise InputError(f"manifestet pekar utanför sin mapp: {item['path'][:80]}", file=path)
        if "\x00" in item["path"] or "\\" in item["path"]:
            raise InputError("manifestet anger en otillåten sökväg", file=path)
    if data["report"] not in ("allocation-memo", "year-end-followup", "multi-year"):
        raise InputError("manifestet anger en okänd rapport", file=path)
    for key in ("project", "title"):
        if key in data and not isinstance(data[key], str):
            raise InputError(f"manifestet är skadat: {key} är ingen text", file=path)
    if "\x00" in str(data.get("project", "")) or "\x00" in params["path"]:
        raise InputError("manifestet anger en otillåten sökväg", file=path)
    _check_tables(data["tables"], path)
    figures = data.get("figures", [])
    if not isinstance(figures, list) or not all(
        isinstance(f, dict) and isinstance(f.get("name"), str) and "value" in f for f in figures
    ):
        raise InputError("manifestet är skadat: figures är ingen lista av siffror", file=path)
    return data


def _check_tables(tables: list[dict[str, Any]], path: Path) -> None:
    """Each recorded table has a key, its columns and rows of cells (lists of that width)."""
    from gnvtools.errors import InputError

    for table in tables:
        columns, rows = table.get("columns"), table.get("rows")
        footer, kinds = table.get("footer"), table.get("kinds")
        shaped = (
            isinstance(table.get("key"), str)
            and isinstance(columns, list)
            and isinstance(rows, list)
            and all(isinstance(r, list) and len(r) == len(columns) for r in rows)
            and (footer is None or (isinstance(footer, list) and len(footer) == len(columns)))
            and (kinds is None or (isinstance(kinds, list) and len(kinds) == len(columns)))
        )
        if not shaped:
            raise InputError(
                "manifestet är skadat: en tabell saknar nyckel, kolumner eller rader", file=path
            )
