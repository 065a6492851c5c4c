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

This module runs a build; planning it (the jobs, which are current, the summary) is in
``build_plan``, running the reports and the worker processes in ``build_workers``.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from gnvtools.errors import BrowserNotFoundError
from gnvtools.publish.atomic import folder_lock
from gnvtools.publish.build_plan import COST, Job, JobResult, discover, is_current, plan, summary
from gnvtools.publish.build_workers import (
    KILLED,
    NOT_RUN,
    _close_printer,
    _recover,
    _run_pools,
    _start_printer,
    run_job,
)
from gnvtools.publish.running import Running
from gnvtools.publish.style import Style

if TYPE_CHECKING:
    from gnvtools.publish.printserver import PrintService

__all__ = [  # this module's own names and those imported from here
    "COST",
    "KILLED",
    "NOT_RUN",
    "Job",
    "JobResult",
    "build",
    "discover",
    "is_current",
    "run_job",
    "summary",
]


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
    from gnvtools.publish.render_inputs import check_out_dir

    check_out_dir(out_root)
    jobs, record = plan(params_root, out_root)
    with folder_lock(out_root):
        if record is not None:
            from gnvtools.publish.plan_record import write_record

            write_record(out_root, record)
        return _build_locked(
            jobs, list(formats), workers, force, progress, style, running or Running()
        )


def _build_locked(
    jobs: list[Job],
    formats: list[str],
    workers: int,
    force: bool,
    progress: bool,
    style: Style | None,
    running: Running,
) -> tuple[list[JobResult], list[str]]:
    notes: list[str] = []
    results: dict[int, JobResult] = {}
    for index, job in enumerate(jobs):
        problem = _recover(job)
        if problem:
            results[index] = JobResult(job, "misslyckades", 0.0, problem)
    todo = _unchanged(jobs, range(len(jobs)), results, formats, force, running)
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
            # built before without PDF: still current
            todo = _unchanged(jobs, todo, results, formats, force, running)
    # Longest first, so that two workers finish together: comparisons load several years.
    todo.sort(key=lambda i: COST.get(jobs[i].report, 0), reverse=True)
    _run_todo(jobs, todo, formats, style, running, workers, results, progress)
    return [results[i] for i in range(len(jobs))], notes


def _unchanged(
    jobs: list[Job],
    indexes: Sequence[int],
    results: dict[int, JobResult],
    formats: list[str],
    force: bool,
    running: Running,
) -> list[int]:
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


def _run_todo(
    jobs: list[Job],
    todo: list[int],
    formats: list[str],
    style: Style | None,
    running: Running,
    workers: int,
    results: dict[int, JobResult],
    progress: bool,
) -> None:
    """Run the reports ``todo``: in this process with one worker, else in worker processes
    sharing one print service."""
    if not todo:  # everything current: nothing to show progress for
        return
    from tqdm import tqdm

    use_pdf = "pdf" in formats and any(not jobs[i].error for i in todo)
    service: PrintService | None = None
    bar = tqdm(total=len(todo), desc="Rapporter", unit="rapport", disable=not progress)
    try:
        if workers <= 1:
            _start_printer(use_pdf, running)
            try:
                for index in todo:
                    results[index] = run_job(jobs[index], formats, style, running)
                    bar.update()
            finally:
                _close_printer()
        else:
            if use_pdf:
                # First of all, so that the browser launches while the rest is imported.
                from gnvtools.publish.pdf import launch_seconds
                from gnvtools.publish.printserver import PrintService

                service = PrintService(
                    pages=min(workers, len(todo)),
                    executable=running.browser,
                    launch_timeout=launch_seconds(running),
                    debug=running.debug,
                )
                # Started, not waited for: it answers where it listens once it has imported
                # its own modules, read after this process has imported its own.
                service.start()
            _import_for_workers(running, formats)
            if service is not None:
                service.connect()
            _run_pools(jobs, todo, formats, style, running, workers, service, results, bar.update)
    finally:
        bar.close()
        if service is not None:  # after the pool: no worker still holds a connection
            service.__exit__(None, None, None)


def _import_for_workers(running: Running, formats: Sequence[str] = ()) -> None:
    """Workers are forked: what the parent has imported (and the HTML exporter with its
    templates compiled; matplotlib's painter when Word files are made), they need not import
    or make again. Imported with the cycle
    collector off (importing makes no garbage) and then frozen, so no collection in a worker
    or a report walks it again (and no collection touches the pages the fork shares)."""
    gc.disable()
    try:
        _import_all(running)
        if "docx" in formats:  # Word shows the charts as PNG: matplotlib paints them
            from gnvtools.reports.chart_png import import_painter

            import_painter()
    finally:
        gc.freeze()
        gc.enable()


def _import_all(running: Running) -> None:
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    import gnvtools.publish.exporting
    import gnvtools.publish.render
    import gnvtools.publish.render_execute

    gnvtools.publish.render_execute.import_exporters()
    from gnvtools.publish.warm import warm_available

    if running.engine != "kernel" and warm_available():
        # each report forks its worker: import what reports use once
        gnvtools.publish.render_execute._import_reports()
