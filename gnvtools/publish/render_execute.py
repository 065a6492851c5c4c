"""Executing a report's notebook with papermill (engine ``gnvwarm`` from ``warm``/``engine``, or a
kernel): the options in force given to the report's own process, its start-up chatter kept off
the terminal, and the executed notebook made portable (no absolute path of this machine)."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import fields
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from gnvtools.core import options
from gnvtools.errors import RenderError
from gnvtools.publish.exporting import _import_exporters
from gnvtools.publish.provenance import project_root

KERNEL = "python3"
REPORT_TIMEOUT = 600  # seconds for one report's notebook; a hanging report is stopped


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
    """Import what a report's notebook uses, with the charts' typeface read (``chart_font``:
    each forked report finds the outlines of the common characters made), and make what
    every report makes the same once: the installed versions its annex lists, the
    Swedish collator its tables sort by and Babel's Swedish locale data its dates and
    percentages are written with (0,02-0,03 s, 0,015 s and 0,02 s in each report)."""
    import IPython.core.formatters  # noqa: F401

    import gnvtools.reports.comparison
    import gnvtools.reports.followup_report
    import gnvtools.reports.memo  # noqa: F401
    from gnvtools.core.formatting import percent, swedish_date
    from gnvtools.core.money import swedish_key
    from gnvtools.core.provenance import versions
    from gnvtools.reports.chart_drawing import prepare_drawing

    prepare_drawing()
    versions()
    swedish_key("")
    percent(0.5)
    swedish_date(date(2025, 1, 1))


REPORT_MODULES = {
    "allocation-memo": "gnvtools.reports.memo",
    "year-end-followup": "gnvtools.reports.followup_report",
    "multi-year": "gnvtools.reports.comparison",
}


def import_for(report: str) -> Callable[[], None]:
    """What one report's own process imports before its cells run (``warm_early``): the warm
    engine's shell, the report's module and the charts' typeface."""

    def prepare() -> None:
        import importlib

        from gnvtools.publish.warm import prepare as prepare_shell

        prepare_shell()
        importlib.import_module(REPORT_MODULES.get(report, "gnvtools.reports.memo"))
        from gnvtools.reports.chart_drawing import prepare_drawing

        prepare_drawing()

    return prepare


def import_exporters() -> None:
    """Import what exporting a report uses — nbconvert and its template (``_import_exporters``),
    and pikepdf with the sRGB profile that the PDF's archival pass embeds, when the PDF
    extra is installed — while the report's cells run in another process."""
    import importlib.util

    _import_exporters()
    if importlib.util.find_spec("pikepdf") is not None:
        import pikepdf  # noqa: F401

        from gnvtools.publish.archive import srgb_profile

        srgb_profile()


def relative_params(params: Path) -> str:
    """The parameter file relative to its project root, with forward slashes."""
    from gnvtools.publish.manifest import portable

    return portable(params, project_root(params))


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

    node = nbformat.read(source, as_version=4)  # type: ignore[no-untyped-call]
    statement = options_statement(given)
    for cell in node.cells:
        if cell.cell_type != "code" or "parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.source.lstrip().startswith("%%"):  # a cell magic must stay the first line
            break
        cell.source = statement + "\n" + cell.source
        return node
    cell = nbformat.v4.new_code_cell(statement)  # type: ignore[no-untyped-call]
    cell["id"] = "gnv-options"
    node.cells.insert(0, cell)
    return node


def _prepare_engine(engine: str) -> tuple[bool, dict[str, Any]]:
    """Whether the report runs warm, and the engine's own arguments; the exporters are imported
    while the report runs."""
    from gnvtools.publish import warm_early
    from gnvtools.publish.warm import warm_available

    warm = engine != "kernel" and warm_available()
    engine_kwargs: dict[str, Any] = {}
    if warm:
        # The warm engine forks this process: import what the report needs first (and not in
        # a thread, whose import locks a fork would copy) — unless its process was forked
        # early and imports it itself (``warm_early``); the exporters, which the report
        # does not use, while it runs (``while_running``: after the fork, on the other core).
        if not warm_early.pending():
            _import_reports()
        engine_kwargs["while_running"] = import_exporters
    else:
        # While the kernel runs, this process only waits: import the exporters meanwhile.
        threading.Thread(target=import_exporters, name="gnv-import", daemon=True).start()
    return warm, engine_kwargs


def _execute(
    report: str,
    params: Path,
    overrides: dict[str, Any] | None,
    source: Path,
    given: options.Options,
    engine: str = "warm",
) -> Any:
    import papermill as pm  # its entry points load gnvtools.publish.engine (gnvwarm)

    warm, engine_kwargs = _prepare_engine(engine)
    try:
        with _quiet_kernel_stderr(), _no_final_write():
            # No save at every cell start and end, and none at the end (``output_path`` None):
            # gnv writes the executed notebook itself (``notebook_json``).
            executed = pm.execute_notebook(
                with_options(source, given),
                None,
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


@contextlib.contextmanager
def _no_final_write() -> Iterator[None]:
    """papermill serialises the finished notebook even when told to write it nowhere
    (``output_path`` None goes to its ``NoIOHandler``, but ``write_ipynb`` makes the text first:
    nbformat's validation, a deep copy and indented JSON in pure Python, about 0,04 s a report
    for a text nobody reads). While a report runs here, a write to no path is skipped; any
    other write is papermill's own."""
    import papermill.execute as pm_execute

    papermills = pm_execute.write_ipynb

    def write_ipynb(nb: Any, path: Any) -> None:
        if path is not None:
            papermills(nb, path)

    pm_execute.write_ipynb = write_ipynb
    try:
        yield
    finally:
        pm_execute.write_ipynb = papermills


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
