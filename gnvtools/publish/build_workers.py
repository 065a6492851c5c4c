"""Running a batch's reports: ``run_job`` (one report, never raising for its own failure), the
worker processes' set-up (each ends with the build, prints through the build's print service)
and the pools, in which a killed worker costs at most the report it ran (``_run_pools``)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gnvtools.core import options
from gnvtools.errors import GnvError
from gnvtools.publish.atomic import disk_problem, recover
from gnvtools.publish.build_plan import Job, JobResult
from gnvtools.publish.running import Running
from gnvtools.publish.style import Style

if TYPE_CHECKING:
    from concurrent.futures import Future

    from gnvtools.publish.printserver import PrintService

_printer: Any = None  # the browser, or in a worker process the print service's client
_started: Any = None  # in a worker process: where it says which report it starts


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


def _recover(job: Job) -> str | None:
    """Finish or roll back a killed write of ``job``'s report; a Swedish message if impossible."""
    from gnvtools.publish.render_inputs import REPORT_NOTEBOOKS

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
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

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
