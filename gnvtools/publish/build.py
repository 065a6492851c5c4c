"""``gnv build``: render every report the parameter files declare.

Discovery: every YAML file under ``parameters/`` that is a year file (has ``pots``) or a
comparison file (has ``years``) is built; its ``reports`` key says which reports. Output goes to
``<out>/<organisation folder>/<year>/`` (``<first>-<last>`` for a comparison). Each report runs
on its own; a failure is recorded with its Swedish message and the others go on. A report whose
code, notebook, parameters, data and formats are unchanged since its manifest was written is
skipped unless ``force``. One browser prints every PDF: in the process itself with one worker,
in a print service shared by the worker processes with several (``printserver``).

A build holds the outputs folder's lock (a second build or render into it is refused) and
first finishes or rolls back what a killed build left there; each report's files are replaced
as one set (``atomic.FileSet``). Worker processes end with the build, even one killed with
``kill -9`` (``lifetime.die_with_parent``); a worker that is killed itself costs at most the
report it ran (see ``_run_pools``), and the summary still lists every report.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gnvtools.core import options
from gnvtools.core.yamlio import read_yaml
from gnvtools.errors import BrowserNotFoundError, GnvError, InputError
from gnvtools.publish.atomic import disk_problem, folder_lock, recover
from gnvtools.publish.running import Running
from gnvtools.publish.style import Style

if TYPE_CHECKING:
    from gnvtools.publish.printserver import PrintService

_printer: Any = None  # the browser, or in a worker process the print service's client
_started: Any = None  # in a worker process: where it says which report it starts
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
    """Jobs for every report the parameter files under ``params_root`` declare."""
    jobs: list[Job] = []
    for path in sorted(params_root.rglob("*.yaml")):
        if "data" in path.relative_to(params_root).parts:
            continue
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


def _start_printer(use_pdf: bool, running: Running) -> None:
    global _printer
    if use_pdf and _printer is None:
        from gnvtools.publish.pdf import PdfPrinter

        _printer = PdfPrinter(running=running).__enter__()


def _init_worker(
    address: Any,
    authkey: bytes | None,
    started: Any = None,
    given: options.Options | None = None,
    launch_timeout: float | None = None,
) -> None:
    """Runs once in each worker process: it ends with the build (even one killed with
    ``kill -9``), says which report it starts (``started``), runs with the build's options
    (``given``: a spawned worker does not inherit them) and prints its PDFs through the build's
    print service."""
    global _printer, _started
    from gnvtools.publish.lifetime import die_with_parent

    die_with_parent()
    _started = started
    if given is not None:
        options.set_options(given)
    if authkey is not None:
        from gnvtools.publish.printserver import RemotePrinter

        _printer = RemotePrinter(address, authkey, launch_timeout=launch_timeout)


def is_current(job: Job, formats: Sequence[str], notebooks: Path | None = None) -> bool:
    """True when nothing the report was built from has changed and its outputs are intact.

    Uses the inputs recorded in the manifest: the parameter file is one of them, so a parameter
    file that now points at other data has itself changed. Loads no model and starts nothing.
    """
    from gnvtools.publish.manifest import cache_key, manifest_path, manifest_root, read_manifest
    from gnvtools.publish.provenance import sha256
    from gnvtools.publish.render import REPORT_NOTEBOOKS, notebooks_dir

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


def run_job(
    job: Job,
    formats: Sequence[str],
    style: Style | None = None,
    running: Running | None = None,
) -> JobResult:
    """Render one report; never raises for a report's own failure."""
    from gnvtools.publish.render import render

    started = time.perf_counter()
    if job.error:
        return JobResult(job, "misslyckades", 0.0, job.error)
    owner = os.getpid()
    try:
        result = render(
            job.report,
            job.params,
            job.out_dir,
            formats,
            browser=_printer,
            style=style,
            lock=False,
            running=running,
        )
        files = [str(p) for p in result.files.values()]
        outcome = JobResult(job, "klar", time.perf_counter() - started, "", files)
    except GnvError as exc:
        message = str(exc).replace("\u00a0", " ")
        outcome = JobResult(job, "misslyckades", time.perf_counter() - started, message)
    except OSError as exc:  # e.g. a full disk while the notebook ran (its temporary folder)
        message = f"rapporten {job.report} kunde inte köras: {disk_problem(exc)}"
        outcome = JobResult(job, "misslyckades", time.perf_counter() - started, message)
    except Exception as exc:  # one broken report must not stop the batch
        message = f"internt fel ({type(exc).__name__}: {exc})"
        outcome = JobResult(job, "misslyckades", time.perf_counter() - started, message)
    if os.getpid() != owner:
        # A report's forked child that came back up this far (its parent gone): it must not
        # go on as a copy of the build, writing the next reports.
        os._exit(1)
    return outcome


def _run_tracked(
    index: int, job: Job, formats: Sequence[str], style: Style | None, running: Running
) -> JobResult:
    """``run_job`` in a worker process, saying first which job it starts: when a worker is
    killed, the build knows which reports were running and which never started."""
    if _started is not None:
        _started.put(index)
    return run_job(job, formats, style, running)


def build(
    params_root: Path,
    out_root: Path,
    formats: Sequence[str],
    *,
    workers: int = 1,
    force: bool = False,
    progress: bool = True,
    style: Style | None = None,
    running: Running | None = None,
) -> tuple[list[JobResult], list[str]]:
    """Build everything; return the results (in discovery order) and notes for the user.

    Holds the outputs folder's lock throughout (a second build into it is refused), and first
    finishes or rolls back what a killed build left there (``atomic.recover``).
    """
    from gnvtools.publish.render import check_out_dir

    check_out_dir(out_root)
    jobs = discover(params_root, out_root)
    with folder_lock(out_root):
        return _build_locked(
            jobs, list(formats), workers, force, progress, style, running or Running()
        )


def _recover(job: Job) -> str | None:
    """Finish or roll back a killed write of ``job``'s report; a Swedish message if impossible."""
    from gnvtools.publish.render import REPORT_NOTEBOOKS

    if job.error or job.report not in REPORT_NOTEBOOKS:  # a name from a file: only ours
        return None
    try:
        recover(job.out_dir, job.report)
    except OSError as exc:
        return (
            f"rapporten {job.report}: en avbruten skrivning kunde inte slutföras: "
            f"{disk_problem(exc)}"
        )
    return None


def _build_locked(
    jobs: list[Job],
    formats: list[str],
    workers: int,
    force: bool,
    progress: bool,
    style: Style | None,
    running: Running,
) -> tuple[list[JobResult], list[str]]:
    from tqdm import tqdm

    notes: list[str] = []
    results: dict[int, JobResult] = {}
    for index, job in enumerate(jobs):
        problem = _recover(job)
        if problem:
            results[index] = JobResult(job, "misslyckades", 0.0, problem)

    def unchanged(indexes: Sequence[int]) -> list[int]:
        """Record the reports that are current; return the others."""
        left = []
        for index in indexes:
            if index in results:
                continue
            checked = time.perf_counter()
            job = jobs[index]
            if not force and not job.error and is_current(job, formats, running.notebooks):
                results[index] = JobResult(job, "oförändrad", time.perf_counter() - checked)
            else:
                left.append(index)
        return left

    todo = unchanged(range(len(jobs)))
    if "pdf" in formats and todo:  # a browser is looked for only when there is work
        from gnvtools.publish.pdf import find_browser, launch_seconds

        try:
            # Found (and its launch timeout checked) once, here: the print service and the
            # workers are given both.
            running = replace(running, browser=find_browser(running).executable)
            running = replace(running, browser_timeout=str(launch_seconds(running)))
        except BrowserNotFoundError as exc:
            formats.remove("pdf")
            notes.append(f"PDF skapas inte: {exc.message}")
            todo = unchanged(todo)  # built before without PDF: still current
    use_pdf = "pdf" in formats
    # Longest first, so that two workers finish together: comparisons load several years.
    todo.sort(key=lambda i: COST.get(jobs[i].report, 0), reverse=True)
    service: PrintService | None = None
    bar = tqdm(total=len(todo), desc="Rapporter", unit="rapport", disable=not progress or not todo)
    try:
        if todo and workers <= 1:
            _start_printer(use_pdf and any(not jobs[i].error for i in todo), running)
            try:
                for index in todo:
                    results[index] = run_job(jobs[index], formats, style, running)
                    bar.update()
            finally:
                _close_printer()
        elif todo:
            if use_pdf and any(not jobs[i].error for i in todo):
                # First of all, so that the browser launches while the rest is imported.
                from gnvtools.publish.printserver import PrintService

                service = PrintService(
                    pages=min(workers, len(todo)),
                    executable=running.browser,
                    launch_timeout=launch_seconds(running),
                    debug=running.debug,
                ).__enter__()
            # Workers are forked: what the parent has imported (and the HTML exporter with its
            # templates compiled), they need not import or make again.
            import nbformat  # noqa: F401
            import papermill  # noqa: F401

            import gnvtools.publish.exporting
            import gnvtools.publish.render
            import gnvtools.publish.render_execute

            gnvtools.publish.exporting._import_exporters()
            from gnvtools.publish.warm import warm_available

            if running.engine != "kernel" and warm_available():
                # each report forks its worker: import what reports use once
                gnvtools.publish.render_execute._import_reports()
            _run_pools(jobs, todo, formats, style, running, workers, service, results, bar.update)
    finally:
        bar.close()
        if service is not None:  # after the pool: no worker still holds a connection
            service.__exit__(None, None, None)
    return [results[i] for i in range(len(jobs))], notes


KILLED = (
    "arbetsprocessen som körde rapporten avslutades oväntat (dödad, eller slut på minne), "
    "även vid ett nytt försök i en egen process; rapportens tidigare filer är orörda"
)
NOT_RUN = (
    "kördes inte: arbetsprocesserna avslutades oväntat innan rapporten startade; kör gnv build igen"
)


def _run_pools(
    jobs: list[Job],
    todo: list[int],
    formats: list[str],
    style: Style | None,
    running: Running,
    workers: int,
    service: PrintService | None,
    results: dict[int, JobResult],
    advance: Callable[[], Any],
) -> None:
    """Run ``todo`` in worker processes; a killed worker does not end the build.

    When a worker dies (killed, out of memory) the pool is broken and every report without a
    result is lost from it. The reports that had not started are innocent: they go on in a
    fresh pool. Those that were running (the one whose worker died, and any the pool took down
    with it) are each tried once more alone, in a pool of their own, after what they may have
    left half written is finished or rolled back; one that kills its worker again fails, with a
    Swedish message, and takes no other report with it. The summary lists every report.
    """
    queue = list(todo)
    while queue:
        done, started, waiting = _pool_round(jobs, queue, formats, style, running, workers, service)
        for index, result in done.items():
            results[index] = result
            advance()
        for index in started:
            problem = _recover(jobs[index])  # what the killed worker left half done
            again = (
                {}
                if problem
                else _pool_round(jobs, [index], formats, style, running, 1, service)[0]
            )
            problem = problem or _recover(jobs[index])
            failed = JobResult(jobs[index], "misslyckades", 0, problem or KILLED)
            results[index] = again.get(index) or failed
            advance()
        if not done and not started:  # broke before any report started: do not try forever
            for index in waiting:
                results[index] = JobResult(jobs[index], "misslyckades", 0, NOT_RUN)
                advance()
            break
        queue = waiting


def _pool_round(
    jobs: list[Job],
    indexes: list[int],
    formats: list[str],
    style: Style | None,
    running: Running,
    workers: int,
    service: PrintService | None,
) -> tuple[dict[int, JobResult], list[int], list[int]]:
    """One pool over ``indexes``: the results, and if the pool broke, the reports that were
    running and those that never started."""
    import multiprocessing

    started = multiprocessing.get_context().SimpleQueue()
    done: dict[int, JobResult] = {}
    broken = False
    with ProcessPoolExecutor(
        max_workers=min(workers, len(indexes)),
        initializer=_init_worker,
        initargs=(
            service.address if service else None,
            service.authkey if service else None,
            started,
            options.current(),
            service.launch_timeout if service else None,
        ),
    ) as pool:
        futures: dict[Future[JobResult], int] = {}
        try:
            for i in indexes:
                futures[pool.submit(_run_tracked, i, jobs[i], formats, style, running)] = i
        except BrokenProcessPool:  # broke already: the rest were never submitted
            broken = True
        try:
            for future in as_completed(futures):
                try:
                    done[futures[future]] = future.result()
                except BrokenProcessPool:
                    broken = True
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    if not broken:
        return done, [], []
    seen: set[int] = set()
    while not started.empty():
        seen.add(started.get())
    started.close()
    lost = [i for i in indexes if i in seen and i not in done]
    waiting = [i for i in indexes if i not in seen and i not in done]
    return done, lost, waiting


def _close_printer() -> None:
    global _printer
    if _printer is not None:
        _printer.__exit__(None, None, None)
        _printer = None


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
