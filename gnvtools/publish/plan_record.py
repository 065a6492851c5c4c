"""The record of a build's plan, ``.gnv-plan.json`` in the outputs folder beside ``.gnv.lock``:
which parameter files the last build read (their bytes' SHA-256) and which reports they
declared, so that the next build finds the same reports without parsing the YAML again when
no parameter file has changed (an unchanged rebuild then imports no YAML parser at all).

The record is only a shortcut. It is used when gnvtools' own files, the parameters folder and
every parameter file (names and bytes) are exactly as recorded; anything else, a damaged or
foreign record included, means the files are read as if there were none. What it names stays
inside the parameters folder and the outputs folder. It is written by a build holding the
folder's lock, in one rename, and never when a parameter file could not be read.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PLAN_NAME = ".gnv-plan.json"
PLAN_VERSION = 1
MAX_PLAN_BYTES = 1_000_000


def stamp(params_root: Path, files: Sequence[Path]) -> dict[str, Any]:
    """What the plan depends on: gnvtools' code, the folder and each file's bytes."""
    from gnvtools.core.provenance import sha256
    from gnvtools.publish.manifest import code_hash

    return {
        "version": PLAN_VERSION,
        "code": code_hash(),
        "params_root": str(params_root.resolve()),
        "files": [[p.relative_to(params_root).as_posix(), sha256(p)] for p in files],
    }


def _inside(name: object) -> bool:
    """A relative path with no way out of the folder it is relative to."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return False
    path = Path(name)
    return not path.is_absolute() and ".." not in path.parts


def recorded_jobs(out_root: Path, expected: dict[str, Any]) -> list[dict[str, str]] | None:
    """The jobs recorded for exactly ``expected``; ``None`` when there is no such record."""
    path = out_root / PLAN_NAME
    try:
        if path.is_symlink() or os.stat(path).st_size > MAX_PLAN_BYTES:
            return None
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or {k: data.get(k) for k in expected} != expected:
        return None
    jobs = data.get("jobs")
    if not isinstance(jobs, list):
        return None
    files = {name for name, _ in expected["files"]}
    keys = ("report", "params", "folder", "label")
    for job in jobs:
        if not (isinstance(job, dict) and all(isinstance(job.get(k), str) for k in keys)):
            return None
        if job["params"] not in files or not _inside(job["folder"]):
            return None
    return jobs


def write_record(out_root: Path, record: dict[str, Any]) -> None:
    """Record the plan (call it holding the outputs folder's lock); a folder that cannot be
    written to costs only the shortcut."""
    from gnvtools.publish.atomic import write_bytes

    data = json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")
    with contextlib.suppress(OSError):
        write_bytes(out_root / PLAN_NAME, data)
