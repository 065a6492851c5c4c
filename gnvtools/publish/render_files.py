"""Writing a rendered report's files as one set (``atomic.FileSet``: all of them replaced, or
none), its manifest last; a failure says in Swedish what the disk said and whether the next
build finishes the set."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gnvtools.errors import RenderError
from gnvtools.publish.atomic import FileSet, disk_problem, journal_path
from gnvtools.publish.render_inputs import FORMATS


@dataclass
class Rendered:
    """What one render produced: files by format, the executed notebook and timings."""

    report: str
    params: Path
    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    notebook: Any = None
    title: str = ""


def write_files(
    result: Rendered,
    payload: dict[str, bytes],
    started: float,
    **record: Any,
) -> None:
    """Write ``payload`` (bytes by format) and the manifest into ``result.out_dir`` as one set;
    ``record``: the rest of ``manifest.build_manifest``'s arguments. Fills ``result.files``
    and ``result.timings``."""
    from gnvtools.publish.manifest import build_manifest, manifest_path, manifest_text

    report, out_dir, timings = result.report, result.out_dir, record.pop("timings")
    browser = record.pop("browser")
    try:
        with FileSet(out_dir, report) as files:
            staged: dict[str, Path] = {}
            hashes: dict[str, str] = {}  # by the staged file's name
            for fmt in FORMATS:
                if fmt in payload:
                    name = f"{report}.{fmt}"
                    staged[fmt] = files.stage(name, payload[fmt])
                    hashes[staged[fmt].name] = files.hashes[name]
                    result.files[fmt] = out_dir / name
            timings["total"] = time.perf_counter() - started
            result.timings = timings
            manifest = build_manifest(
                report=report,
                title=result.title,
                params=result.params,
                outputs=staged,  # hashed as staged; their names are set to the final ones below
                notebook=result.notebook,
                timings=timings,
                out_dir=out_dir,
                browser=browser.version if browser is not None and "pdf" in payload else None,
                hashes=hashes,
                **record,
            )
            final = {path.name: result.files[fmt].name for fmt, path in staged.items()}
            for item in manifest.get("outputs", []):
                item["path"] = final.get(item.get("path"), item.get("path"))
            text = manifest_text(manifest)
            files.stage(manifest_path(out_dir, report).name, text.encode("utf-8"))
            # Outputs of this report that this render does not produce would no longer match
            # the manifest: they go with the old set.
            files.commit(remove=[f"{report}.{fmt}" for fmt in FORMATS if fmt not in payload])
    except OSError as exc:
        left = os.path.lexists(journal_path(out_dir, report))
        raise RenderError(
            f"rapporten {report} kunde inte skrivas: {disk_problem(exc)}; "
            + (
                "skrivningen slutförs vid nästa gnv build eller gnv render"
                if left
                else "inga filer ändrades"
            ),
            file=out_dir,
        ) from exc
