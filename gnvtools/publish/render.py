"""Run one report notebook with papermill and export it as HTML (and keep the executed notebook).

Parameters are validated before a kernel starts, so bad input fails fast with a Swedish message
and nothing is written. A report's files are written as one set (``atomic.FileSet``): all of
them replaced, or none.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from gnvtools.core import options, reuse
from gnvtools.errors import GnvError, InputError, RenderError
from gnvtools.publish.atomic import FileSet, disk_problem, folder_lock, journal_path, recover
from gnvtools.publish.exporting import (  # noqa: F401 (to_html, without_refresh: used elsewhere)
    _import_exporters,
    export,
    own_printer_for,
    to_html,
    without_refresh,
)
from gnvtools.publish.provenance import git_commit, project_root
from gnvtools.publish.running import Running
from gnvtools.publish.style import Style

REPORT_NOTEBOOKS = {
    "allocation-memo": "allocation_memo.ipynb",
    "year-end-followup": "year_end_followup.ipynb",
    "multi-year": "multi_year_comparison.ipynb",
}
REPORT_TITLES = {
    "allocation-memo": "Fördelning av statsbidrag",
    "year-end-followup": "Årsuppföljning",
    "multi-year": "Jämförelse över åren",
}
FORMATS = ("html", "pdf", "docx", "ipynb", "xlsx")
KERNEL = "python3"
REPORT_TIMEOUT = 600  # seconds for one report's notebook; a hanging report is stopped


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


def notebooks_dir(params: Path, chosen: Path | None = None) -> Path:
    """The report notebooks: ``chosen`` (``Running.notebooks``, as the command line resolved
    it); else a project's own copies in ``notebooks/`` (beside its ``parameters/``); else the
    ones shipped in the package."""
    if chosen is not None:
        return chosen
    for root in (project_root(params), Path.cwd()):
        if (root / "notebooks" / REPORT_NOTEBOOKS["allocation-memo"]).exists():
            return root / "notebooks"
    return Path(str(resources.files("gnvtools").joinpath("notebooks")))


@dataclass(frozen=True)
class Checked:
    """A report's parameters as checked before its notebook runs: its title, every input file
    it reads (the parameter file first) and the organisation (for the PDF's header)."""

    title: str
    inputs: tuple[Path, ...]
    organisation: str


_CHECKED = reuse.cache(8)


def check_report(report: str, params: Path) -> Checked:
    """Check the parameters for ``report`` without starting a kernel (once per process while
    its files are unchanged, ``core.reuse``: ``gnv render``, its Excel and its manifest ask)."""
    params = Path(params)
    key = (
        "checked",
        report,
        str(params),
        str(params.resolve()),
        str(Path.cwd()),
        options.current().data_roots,
    )
    kept = _CHECKED.get(key)
    if kept is not None:
        checked: Checked = kept
        return checked
    with reuse.recording() as files:
        checked = _check_report(report, params)
    # Inputs not read through core's loaders (a text file) are stamped too.
    files += [(str(f.resolve()), reuse.stamp(f)) for f in checked.inputs]
    _CHECKED.put(key, files, checked)
    return checked


def validate_report(report: str, params: Path) -> tuple[str, list[Path]]:
    """``check_report``'s title and input files."""
    checked = check_report(report, params)
    return checked.title, list(checked.inputs)


def _check_report(report: str, params: Path) -> Checked:
    from gnvtools.core.model import plan_files

    if report not in REPORT_NOTEBOOKS:
        raise InputError(
            f'okänd rapport "{report}"; välj {", ".join(REPORT_NOTEBOOKS)}', file=params
        )
    if report == "multi-year":
        from gnvtools.reports.comparison import Comparison

        comparison = Comparison.load(params)
        files = [params, comparison.mapping_path]
        for year in comparison.years:
            if year.plan:
                files += plan_files(year.plan)
        organisation = comparison.params.organisation.name
        return Checked(comparison.params.title, tuple(files), organisation)
    from gnvtools.core.model import build_plan

    plan = build_plan(params)
    organisation = plan.params.organisation.name
    if report == "year-end-followup":
        from gnvtools.core.followup import followup

        followup(plan)
        title = f"Uppföljning av statsbidraget för god och nära vård {plan.params.year}"
        return Checked(title, tuple(plan_files(plan)), organisation)
    from gnvtools.reports.memo import AllocationMemo

    memo = AllocationMemo.from_plan(plan, params)  # checks the texts before a kernel starts
    # the memo reads no spend
    return Checked(plan.params.title, tuple(memo.input_files), organisation)


def check_out_dir(out_dir: Path, names: Sequence[str] = ()) -> None:
    """Before any notebook runs: the output folder must be a folder (or not exist yet) and no
    file to be written may be a folder."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("utmappen är en fil, inte en mapp; ange en mapp med --out", file=out_dir)
    for parent in out_dir.parents:
        if parent.exists() and not parent.is_dir():
            raise InputError("en del av utmappens sökväg är en fil, inte en mapp", file=parent)
    for name in names:
        target = out_dir / name
        if target.exists() and not target.is_file():
            what = "en mapp" if target.is_dir() else "ingen vanlig fil (en FIFO, en enhet …)"
            raise InputError(f"här ska en rapportfil skrivas, men det är {what}", file=target)
    if out_dir.exists() and not os.access(out_dir, os.W_OK):
        raise InputError("utmappen är inte skrivbar (behörighet saknas)", file=out_dir)


def parse_formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise InputError(
            f'okänt format "{",".join(unknown) or text}"; välj bland {", ".join(FORMATS)}'
        )
    return formats


@contextlib.contextmanager
def _quiet_kernel_stderr() -> Iterator[None]:
    """Keep the kernel process's start-up chatter (it inherits fd 2) off the user's terminal."""
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr: nothing to protect
        yield
        return
    with open(os.devnull, "wb") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _import_reports() -> None:
    """Import what a report's notebook uses, and draw one small chart: matplotlib loads its
    Agg backend and font cache on the first chart, which every forked report would repeat."""
    import IPython.core.formatters  # noqa: F401

    import gnvtools.reports.comparison
    import gnvtools.reports.followup_report
    import gnvtools.reports.memo  # noqa: F401
    from gnvtools.reports import charts

    charts.horizontal_bars(["Å"], {"x": [1]}, title="uppvärmning")


def relative_params(params: Path) -> str:
    """The parameter file relative to its project root, with forward slashes."""
    from gnvtools.publish.manifest import portable

    return portable(params, project_root(params))


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


def options_statement(given: options.Options) -> str:
    """One line of Python that makes ``given`` the options of a report's own process."""
    values = ", ".join(f"{f.name}={getattr(given, f.name)!r}" for f in fields(given))
    return f"from gnvtools.core.options import Options, set_options; set_options(Options({values}))"


def with_options(source: Path, given: options.Options) -> Any:
    """The notebook at ``source`` with ``options_statement`` as the first line of its first code
    cell after the parameters (where papermill's own parameters have been set): no cell is
    added, so every cell keeps its id and execution count, and the executed notebook shows
    what the report was given."""
    import nbformat

    node = nbformat.read(source, as_version=4)
    statement = options_statement(given)
    for cell in node.cells:
        if cell.cell_type != "code" or "parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.source.lstrip().startswith("%%"):  # a cell magic must stay the first line
            break
        cell.source = statement + "\n" + cell.source
        return node
    cell = nbformat.v4.new_code_cell(statement)
    cell["id"] = "gnv-options"
    node.cells.insert(0, cell)
    return node


def _execute(
    report: str,
    params: Path,
    overrides: dict[str, Any] | None,
    source: Path,
    given: options.Options,
    engine: str = "warm",
) -> Any:
    import papermill as pm  # its entry points load gnvtools.publish.engine (gnvwarm)

    from gnvtools.publish.warm import warm_available

    warm = engine != "kernel" and warm_available()
    engine_kwargs: dict[str, Any] = {}
    if warm:
        # The warm engine forks this process: import what the report needs first (and not in
        # a thread, whose import locks a fork would copy); the exporters, which the report
        # does not use, while it runs (``while_running``: after the fork, on the other core).
        _import_reports()
        engine_kwargs["while_running"] = _import_exporters
    else:
        # While the kernel runs, this process only waits: import the exporters meanwhile.
        threading.Thread(target=_import_exporters, name="gnv-import", daemon=True).start()
    with tempfile.TemporaryDirectory(prefix="gnv-") as tmp:
        output = Path(tmp) / source.name
        try:
            with _quiet_kernel_stderr():
                # No save at every cell start and end: only the finished notebook is used.
                executed = pm.execute_notebook(
                    with_options(source, given),
                    str(output),
                    # Relative to the project root, which is the kernel's folder: the executed
                    # notebook names no absolute path and re-runs on any machine.
                    parameters={**(overrides or {}), "params_file": relative_params(params)},
                    kernel_name=KERNEL,
                    cwd=str(project_root(params)),
                    progress_bar=False,
                    log_output=False,
                    report_mode=False,
                    request_save_on_cell_execute=False,
                    engine_name="gnvwarm" if warm else None,
                    execution_timeout=REPORT_TIMEOUT,
                    **engine_kwargs,
                )
        except pm.PapermillExecutionError as exc:
            raise RenderError(
                f"rapporten {report} avbröts i cell {exc.exec_count}: {exc.ename}: {exc.evalue}",
                file=params,
            ) from exc
        except (TimeoutError, RuntimeError) as exc:  # the warm engine: a hang or a crash
            raise RenderError(f"rapporten {report} avbröts: {exc}", file=params) from exc
        for cell in executed.cells:
            # papermill gives its injected cell a random id; a fixed one keeps re-runs identical
            if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
                cell["id"] = "injected-parameters"
        _portable_papermill_paths(executed, report, source, project_root(params))
        from gnvtools.publish import notebook_params  # imports the reports: not for a rebuild

        notebook_params.apply(executed, report, overrides or {})  # sections left out, charts
        return executed


def _portable_papermill_paths(notebook: Any, report: str, source: Path, root: Path) -> None:
    """papermill records the absolute paths it read and wrote (``metadata.papermill``): a
    bundle must name no folder of the machine it was built on. The notebook becomes relative to
    the project root (or ``gnvtools/notebooks/…`` for the package's own), the output the
    report's file name."""
    record = notebook.get("metadata", {}).get("papermill")
    if not isinstance(record, dict):
        return
    package = Path(str(resources.files("gnvtools").joinpath("notebooks"))).resolve()
    try:
        shown = source.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:  # the package's notebooks, or a chosen folder outside the project
        in_package = source.resolve().parent == package
        shown = f"gnvtools/notebooks/{source.name}" if in_package else source.name
    record["input_path"] = shown
    record["output_path"] = f"{report}.ipynb"


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
    ``running``: the notebooks, engine and browser the command line chose.
    """
    params = Path(params)
    running = running or Running()
    started = time.perf_counter()
    check_out_dir(out_dir, [f"{report}.{fmt}" for fmt in formats] + [f"{report}.manifest.json"])
    checked = check_report(report, params)
    formats = list(formats)
    # lock=False: the caller (a build) holds the outputs folder's lock and has recovered it.
    held = (
        contextlib.nullcontext()
        if lock is False
        else folder_lock(out_dir if lock is True else lock)
    )
    with held:
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
    from gnvtools.publish.manifest import build_manifest, cache_key, manifest_path

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
    try:
        with FileSet(out_dir, report) as files:
            staged: dict[str, Path] = {}
            for fmt in FORMATS:
                if fmt in payload:
                    staged[fmt] = files.stage(f"{report}.{fmt}", payload[fmt])
                    result.files[fmt] = out_dir / f"{report}.{fmt}"
            timings["total"] = time.perf_counter() - started
            result.timings = timings
            manifest = build_manifest(
                report=report,
                title=title,
                params=params,
                inputs=inputs,
                outputs=staged,  # hashed as staged; their names are set to the final ones below
                notebook=notebook,
                timings=timings,
                key=key,
                overrides=overrides,
                out_dir=out_dir,
                formats=formats,
                notebook_file=notebook_file,
                browser=browser.version if browser is not None and "pdf" in payload else None,
                commit=commit,
            )
            final = {path.name: result.files[fmt].name for fmt, path in staged.items()}
            for item in manifest.get("outputs", []):
                item["path"] = final.get(item.get("path"), item.get("path"))
            text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
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
    return result, problem
