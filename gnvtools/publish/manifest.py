"""The manifest beside each report: what went in, what came out, and every figure shown.

``gnv verify`` reads it to re-run the report and compare. The build cache reads its
``cache_key``: a hash of the code, the notebook, the inputs and the formats, so a report whose
code, parameters and data are unchanged is not rendered again.

This module writes the manifest; ``manifest_read`` reads one back and checks its shape.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shlex
import zlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from gnvtools.publish.manifest_read import (
    MANIFEST_KEYS,
    MAX_MANIFEST_BYTES,
    is_project,
    manifest_root,
    read_manifest,
    regular_inside,
)
from gnvtools.publish.provenance import describe_inputs, project_root, sha256, versions

MANIFEST_VERSION = 1


def manifest_path(out_dir: Path, report: str) -> Path:
    return out_dir / f"{report}.manifest.json"


@cache
def code_hash() -> str:
    """A hash over gnvtools' own files (code, templates, regime data)."""
    digest = hashlib.sha256()
    root = str(resources.files("gnvtools"))
    files = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]  # not walked
        relative = Path(folder).relative_to(root)
        files += [(relative / name).as_posix() for name in names]
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(Path(root, name).read_bytes())
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
    hashes: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The manifest of a rendered report. ``hashes``: the outputs' SHA-256 by file name when
    the caller has them (``atomic.FileSet`` hashes what it stages); others are read and hashed."""
    root = project_root(params)
    found = versions()  # read once per process (core.provenance)
    if browser:
        found["browser"] = browser
    out_dir = out_dir or (next(iter(outputs.values())).parent if outputs else None)
    described = describe_inputs([params], root)[0]  # read and hashed once
    params_rel = described.path
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
        "params": dict(described.__dict__),
        "parameters": {"params_file": params_rel, **(overrides or {})},
        "inputs": [
            {**f.__dict__, **_content(root / f.path)} for f in describe_inputs(inputs, root)
        ],
        "versions": found,
        "git_commit": commit,  # read once by the render, which gave it to the report too
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "outputs": _outputs(outputs, hashes or {}) if out_dir else [],
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "cache_key": key,
        "tables": figure_tables(notebook),
        "figures": portable_sources(report_figures(notebook), root),
    }


def _outputs(outputs: dict[str, Path], hashes: dict[str, str]) -> list[dict[str, Any]]:
    """Each output file with its hash (taken from ``hashes`` by file name when there)."""
    return [
        {
            "format": fmt,
            "path": path.name,
            "sha256": hashes.get(path.name) or sha256(path),
            "size": path.stat().st_size,
        }
        for fmt, path in outputs.items()
    ]


def portable_sources(figures: list[dict[str, Any]], root: Path) -> list[dict[str, Any]]:
    """The figures with each input cell's file relative to the project root, as ``inputs``
    records the files (the catalogue names them as the parameter file was given). Each file
    is resolved once: a national memo's thousands of figures name a few files."""
    found: dict[str, str] = {}

    def relative(written: str) -> str:
        if written not in found:
            path = Path(written) if Path(written).is_absolute() else Path.cwd() / written
            found[written] = portable(path, root)
        return found[written]

    out = []
    for figure in figures:
        sources = []
        for source in figure.get("sources") or []:
            written = source.get("file") if isinstance(source, dict) else None
            if isinstance(written, str) and written:
                source = {**source, "file": relative(written)}
            sources.append(source)
        out.append({**figure, "sources": sources} if "sources" in figure else figure)
    return out


def manifest_text(manifest: dict[str, Any]) -> str:
    """The manifest as written: a field per line and each item of a list on a line of its own
    (the inputs, the tables, the figures: a national memo lists thousands). Every value is
    encoded by json's C encoder; ``indent`` would use its pure-Python one, about three times
    slower on a large catalogue."""
    lines = []
    for key, value in manifest.items():
        name = json.dumps(key, ensure_ascii=False)
        if isinstance(value, list) and value:
            items = ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in value)
            lines.append(f"  {name}: [\n{items}\n  ]")
        else:
            lines.append(f"  {name}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


__all__ = [
    "MANIFEST_KEYS",
    "MAX_MANIFEST_BYTES",
    "build_manifest",
    "cache_key",
    "code_record",
    "figure_tables",
    "is_project",
    "manifest_path",
    "manifest_root",
    "manifest_text",
    "portable",
    "portable_sources",
    "read_manifest",
    "recorded_content",
    "regular_inside",
    "report_figures",
]
