"""Render one report: validate its inputs (``render_inputs``), execute its notebook with papermill
(``render_execute``), export every format (``exporting``) and write the files as one set
(``render_files``, ``atomic.FileSet``: all of them replaced, or none), under the outputs folder's
lock.

Parameters are validated before a kernel starts, so bad input fails fast with a Swedish message
and nothing is written. The names of those modules that other code uses are importable from
here; ``execute`` and ``render`` are looked up here when a report runs (tests replace them).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from gnvtools.core import options
from gnvtools.errors import GnvError, RenderError
from gnvtools.publish.atomic import disk_problem, folder_lock, recover
from gnvtools.publish.exporting import (
    export,
    own_printer_for,
    to_html,
    without_refresh,
)
from gnvtools.publish.provenance import git_commit, project_root
from gnvtools.publish.render_execute import (
    KERNEL,
    REPORT_TIMEOUT,
    _execute,
    options_statement,
    relative_params,
    with_options,
)
from gnvtools.publish.render_files import Rendered, write_files
from gnvtools.publish.render_inputs import (
    FORMATS,
    REPORT_NOTEBOOKS,
    REPORT_TITLES,
    Checked,
    check_out_dir,
    check_report,
    notebooks_dir,
    parse_formats,
    validate_report,
)
from gnvtools.publish.running import Running
from gnvtools.publish.style import Style

__all__ = [  # this module's own names and those imported from here
    "FORMATS",
    "KERNEL",
    "REPORT_NOTEBOOKS",
    "REPORT_TIMEOUT",
    "REPORT_TITLES",
    "Checked",
    "Rendered",
    "check_out_dir",
    "check_report",
    "execute",
    "notebooks_dir",
    "options_statement",
    "parse_formats",
    "relative_params",
    "render",
    "to_html",
    "validate_report",
    "with_options",
    "without_refresh",
]


def execute(
    report: str,
    params: Path,
    overrides: dict[str, Any] | None = None,
    *,
    chart_png: bool = False,
    git_commit: str | None = None,
    notebook: Path | None = None,
    notebooks: Path | None = None,
    engine: str = "warm",
) -> Any:
    """Execute the report notebook with papermill; return the executed notebook node.

    The report's process gets the options in force (``core.options``) with ``chart_png``
    (charts also carry a PNG, for Word) and ``git_commit`` (for the appendix) through one
    statement added to the notebook's first cell after its parameters (``with_options``).
    ``notebook``: run this notebook instead of the project's or the package's (verify runs the
    installed one only); ``notebooks``: the folder of report notebooks to use
    (``Running.notebooks``, resolved by the command line); ``engine``: ``"warm"`` (forked) or
    ``"kernel"``.
    """
    given = replace(options.current(), chart_png=chart_png, git_commit=git_commit)
    source = notebook or notebooks_dir(params, notebooks) / REPORT_NOTEBOOKS[report]
    return _execute(report, params, overrides, source, given, engine)


def render(
    report: str,
    params: Path,
    out_dir: Path,
    formats: Sequence[str] = ("html",),
    *,
    browser: Any = None,
    style: Style | None = None,
    overrides: dict[str, Any] | None = None,
    lock: Path | bool = True,
    running: Running | None = None,
    early: bool = False,
) -> Rendered:
    """Render one report into ``out_dir``.

    Validates, executes and exports everything in memory first; only when every format has been
    produced are the files written, as one set (``atomic.FileSet``): the report's files are all
    replaced or none is, and outputs of the report that this render does not produce are
    removed, so the files and the manifest always agree. A failure therefore leaves the old set
    untouched, with one exception: a browser that is missing or cannot start costs only the
    PDF; the other formats are written and its error is raised after them.

    ``lock``: the outputs folder whose lock is held while the report is rendered (True: ``out_dir``
    itself; False: the caller holds it, as ``gnv build`` does). Whoever takes the lock first
    finishes or rolls back what a killed build left of this report (``atomic.recover``).
    ``running``: the notebooks, engine and browser the command line chose. ``early``: fork the
    report's process once its parameters are checked (``warm_early``; not in a build).
    """
    params, running, started = Path(params), running or Running(), time.perf_counter()
    check_out_dir(out_dir, [f"{report}.{fmt}" for fmt in formats] + [f"{report}.manifest.json"])
    checked = check_report(report, params)
    formats = list(formats)
    # lock=False: the caller (a build) holds the outputs folder's lock and has recovered it.
    held = (
        contextlib.nullcontext()
        if lock is False
        else folder_lock(out_dir if lock is True else lock)
    )
    with held, _early(report, running, early):
        if lock is not False:
            try:
                recover(out_dir, report)
            except OSError as exc:
                raise RenderError(
                    f"rapporten {report}: en avbruten skrivning kunde inte slutföras: "
                    f"{disk_problem(exc)}",
                    file=out_dir,
                ) from exc
        return _render_locked(
            report,
            params,
            out_dir,
            formats,
            browser,
            style,
            overrides,
            checked,
            started,
            running,
        )


def _early(report: str, running: Running, early: bool) -> contextlib.AbstractContextManager[Any]:
    """The report's process forked now (``warm_early``), when asked and it runs warm."""
    from gnvtools.publish.warm import warm_available

    if not early or running.engine == "kernel" or not warm_available():
        return contextlib.nullcontext()
    from gnvtools.publish.render_execute import import_for
    from gnvtools.publish.warm_early import early_child

    return early_child(import_for(report))


def _render_locked(
    report: str,
    params: Path,
    out_dir: Path,
    formats: list[str],
    browser: Any,
    style: Style | None,
    overrides: dict[str, Any] | None,
    checked: Checked,
    started: float,
    running: Running,
) -> Rendered:
    timings: dict[str, float] = {}
    own_printer = None
    if "pdf" in formats and browser is None:
        own_printer = browser = own_printer_for(running)
    try:
        result, problem = _render(
            report,
            params,
            out_dir,
            formats,
            browser,
            checked,
            timings,
            started,
            style or Style(),
            overrides or {},
            running,
        )
    finally:
        if own_printer is not None:
            own_printer.close()
    if problem is not None:
        raise problem
    return result


def _render(
    report: str,
    params: Path,
    out_dir: Path,
    formats: Sequence[str],
    browser: Any,
    checked: Checked,
    timings: dict[str, float],
    started: float,
    style: Style,
    overrides: dict[str, Any],
    running: Running,
) -> tuple[Rendered, GnvError | None]:
    """Render, write the files and the manifest; also return a browser that failed to launch
    (found only when the first PDF is printed): the other formats are still written."""
    from gnvtools.publish.manifest import cache_key

    notebook_file = notebooks_dir(params, running.notebooks) / REPORT_NOTEBOOKS[report]
    title, inputs = checked.title, list(checked.inputs)
    formats = list(formats)
    owner = os.getpid()
    timings["validate"] = time.perf_counter() - started
    # Read once, here, where the manifest is written; the report's appendix shows it too.
    commit = git_commit(project_root(params))
    t = time.perf_counter()
    notebook = execute(
        report,
        params,
        overrides,
        chart_png="docx" in formats,
        git_commit=commit or "",
        notebooks=running.notebooks,
        engine=running.engine,
    )
    timings["execute"] = time.perf_counter() - t
    payload, problem = export(
        report, params, notebook, formats, browser, checked, timings, style, running
    )
    key = cache_key(report, notebook_file, inputs, formats)
    result = Rendered(report, params, out_dir, notebook=notebook, title=title)
    if os.getpid() != owner:
        # A forked child (the warm engine's) that found its way back here must never write:
        # its parent, the real build, is gone or still running.
        os._exit(1)
    write_files(
        result,
        payload,
        started,
        inputs=inputs,
        timings=timings,
        key=key,
        overrides=overrides,
        formats=formats,
        notebook_file=notebook_file,
        browser=browser,
        commit=commit,
    )
    return result, problem
