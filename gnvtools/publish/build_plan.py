"""Planning a batch: the jobs the parameter files declare (``discover``), whether a report's
files are current (``is_current``: nothing it was built from has changed), and the summary
printed at the end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gnvtools.errors import GnvError, InputError

COST = {"multi-year": 3, "year-end-followup": 2, "allocation-memo": 1}


@dataclass(frozen=True)
class Job:
    report: str
    params: Path
    out_dir: Path
    label: str
    error: str | None = None  # the file could not even be read


@dataclass
class JobResult:
    job: Job
    status: str  # "klar", "oförändrad", "misslyckades"
    seconds: float = 0.0
    message: str = ""
    files: list[str] = field(default_factory=list)


def discover(params_root: Path, out_root: Path) -> list[Job]:
    """Jobs for every report the parameter files under ``params_root`` declare (as the last
    build recorded them when no parameter file has changed: ``plan_record``)."""
    return plan(params_root, out_root)[0]


def plan(params_root: Path, out_root: Path) -> tuple[list[Job], dict[str, Any] | None]:
    """The jobs, and the plan's record to write (``None``: nothing new to record)."""
    from gnvtools.publish.plan_record import recorded_jobs, stamp

    files = [
        path
        for path in sorted(params_root.rglob("*.yaml"))
        if "data" not in path.relative_to(params_root).parts
    ]
    try:
        expected = stamp(params_root, files)
    except OSError:  # a file that cannot be read: its own job says so
        return _read_jobs(files, params_root, out_root), None
    recorded = recorded_jobs(out_root, expected)
    if recorded is not None:
        return [
            Job(j["report"], params_root / j["params"], out_root / j["folder"], j["label"])
            for j in recorded
        ], None
    jobs = _read_jobs(files, params_root, out_root)
    if any(job.error for job in jobs):
        return jobs, None
    record = [
        {
            "report": job.report,
            "params": job.params.relative_to(params_root).as_posix(),
            "folder": job.out_dir.relative_to(out_root).as_posix(),
            "label": job.label,
        }
        for job in jobs
    ]
    return jobs, {**expected, "jobs": record}


def _read_jobs(files: Sequence[Path], params_root: Path, out_root: Path) -> list[Job]:
    """The jobs the parameter files declare, each file read with the bounded YAML loader."""
    from gnvtools.core.yamlio import read_yaml

    jobs: list[Job] = []
    for path in files:
        org = path.parent.relative_to(params_root)
        label = f"{org}/{path.stem}"
        try:
            # The bounded loader: a bomb or a broken file fails here, alone, in Swedish.
            raw, _ = read_yaml(path)
        except InputError as exc:
            jobs.append(Job("?", path, out_root / org / path.stem, label, str(exc)))
            continue
        if not isinstance(raw, dict) or not ("pots" in raw or "years" in raw):
            continue  # a mapping file or other helper, not a report definition
        comparison = "years" in raw and "pots" not in raw
        reports = raw.get("reports", ["multi-year"] if comparison else ["allocation-memo"])
        if not isinstance(reports, list):
            reports = [str(reports)]
        folder = _folder(raw, path, comparison)
        for report in reports:
            jobs.append(Job(str(report), path, out_root / org / folder, label))
    return jobs


def _folder(raw: dict[str, Any], path: Path, comparison: bool) -> str:
    if comparison:
        years: list[int] = [
            y["year"]
            for y in raw.get("years", [])
            if isinstance(y, dict) and isinstance(y.get("year"), int)
        ]
        if years:
            return f"{min(years)}-{max(years)}"
    year = raw.get("year")
    return str(year) if isinstance(year, int) else path.stem


def is_current(job: Job, formats: Sequence[str], notebooks: Path | None = None) -> bool:
    """True when nothing the report was built from has changed and its outputs are intact.

    Uses the inputs recorded in the manifest: the parameter file is one of them, so a parameter
    file that now points at other data has itself changed. Loads no model and starts nothing.
    """
    from gnvtools.publish.manifest import cache_key, manifest_path, manifest_root, read_manifest
    from gnvtools.publish.provenance import sha256
    from gnvtools.publish.render_inputs import REPORT_NOTEBOOKS, notebooks_dir

    path = manifest_path(job.out_dir, job.report)
    if not path.exists() or job.report not in REPORT_NOTEBOOKS:
        return False
    try:
        manifest = read_manifest(path)
        root = manifest_root(manifest, path.parent)
        inputs = [root / item["path"] for item in manifest["inputs"]]
        if (root / manifest["params"]["path"]).resolve() != job.params.resolve():
            return False
        notebook = notebooks_dir(job.params, notebooks) / REPORT_NOTEBOOKS[job.report]
        if manifest.get("cache_key") != cache_key(job.report, notebook, inputs, formats):
            return False
        return all(
            (job.out_dir / o["path"]).exists() and sha256(job.out_dir / o["path"]) == o["sha256"]
            for o in manifest["outputs"]
        )
    except (OSError, ValueError, KeyError, GnvError):
        return False


def summary(results: Sequence[JobResult]) -> str:
    """The table printed at the end of a build, in Swedish."""
    lines = [f"{'Rapport':<20} {'Parameterfil':<34} {'Status':<13} {'Tid':>6}  Meddelande"]
    for r in results:
        lines.append(
            f"{r.job.report:<20} {r.job.label:<34} {r.status:<13} {r.seconds:>5.1f}s  {r.message}"
        )
    done = sum(r.status == "klar" for r in results)
    same = sum(r.status == "oförändrad" for r in results)
    failed = sum(r.status == "misslyckades" for r in results)
    lines.append("")
    lines.append(f"{done} klara, {same} oförändrade, {failed} misslyckade.")
    return "\n".join(lines)
