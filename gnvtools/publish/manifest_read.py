"""Reading a manifest someone may have written by hand: bounded, every field checked for its
shape (a damaged or incomplete manifest is an ``InputError`` in Swedish), and the project root
its relative paths start from, never outside a gnvtools project."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from gnvtools.publish.provenance import project_root

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
