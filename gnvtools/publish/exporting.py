"""Exporting an executed report: HTML through nbconvert (one exporter per process, its
templates compiled once), Word, the notebook, Excel, and the PDF printed in a thread while the
others are made (``render`` calls ``export``).
"""

from __future__ import annotations

import re
import threading
import time
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gnvtools.errors import BrowserNotFoundError, GnvError, RenderError
from gnvtools.publish.running import Running
from gnvtools.publish.style import Style

if TYPE_CHECKING:
    from gnvtools.publish.render import Checked


def _import_exporters() -> None:
    """Import the HTML exporter and make it, its templates compiled (an empty notebook exported
    once): a new exporter per report compiled them every time. (The Excel file is written by
    ``excel_save`` without openpyxl, and the Word file's python-docx only when asked for.)"""
    _html_exporter()


_EXPORTER: Any = None  # this process's HTML exporter (``_html_exporter``)


def _html_exporter() -> Any:
    """The HTML exporter, made once per process and reused (its options never change; the
    title, style and logo come with each notebook as resources)."""
    global _EXPORTER
    if _EXPORTER is None:
        import nbformat
        from nbconvert.preprocessors import TagRemovePreprocessor

        from gnvtools.publish.html_exporter import MemoHTMLExporter

        templates = resources.files("gnvtools").joinpath("templates")
        exporter = MemoHTMLExporter(  # type: ignore[no-untyped-call]
            extra_template_basedirs=[str(templates)],
            template_name="gnvmemo",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
            # Validated once, after every preprocessor has run, not after each of them.
            optimistic_validation=True,
        )
        remover = TagRemovePreprocessor(remove_cell_tags={"notebook-only"}, enabled=True)  # type: ignore[no-untyped-call]
        exporter.register_preprocessor(remover, enabled=True)  # type: ignore[no-untyped-call]
        empty = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
        exporter.from_notebook_node(
            empty, resources={"gnv_css": "", "gnv_title": "", "gnv_logo": ""}
        )
        _EXPORTER = exporter
    return _EXPORTER


_REFRESH = re.compile(r"<meta\b[^>]*http-equiv\s*=\s*[\"']?\s*refresh[^>]*>", re.IGNORECASE)


def without_refresh(markup: str) -> str:
    """No ``<meta http-equiv="refresh">`` from a notebook's own output: the page's
    Content-Security-Policy stops scripts and loads, but not a navigation away when the report
    is opened."""
    return _REFRESH.sub("", markup)


def to_html(notebook: Any, title: str, style: Style | None = None) -> str:
    """Export an executed notebook through the project's memo template (outputs only)."""
    style = style or Style()
    exporter = _html_exporter()
    body, _ = exporter.from_notebook_node(
        for_html(notebook, _shown_types(exporter)),
        resources={"gnv_css": style.css(), "gnv_title": title, "gnv_logo": style.logo_html()},
    )
    return without_refresh(str(body))


def _shown_types(exporter: Any) -> frozenset[str]:
    """The MIME types the exporter can show (its ``display_data_priority``): the template
    shows an output by the first of these it has and reads no other."""
    from nbconvert.utils.base import NbConvertBase

    return frozenset(NbConvertBase(parent=exporter).display_data_priority)


def for_html(notebook: Any, shown: frozenset[str]) -> Any:
    """What the HTML export reads of ``notebook``, as a new notebook sharing its strings: the
    cells without those tagged ``notebook-only`` (the exporter's ``TagRemovePreprocessor``
    removes them too) and each output's data without the MIME types the template never shows
    (the document, the figure catalogue, the tables as JSON). nbconvert deep-copies the
    notebook twice and validates it: a report's JSON made that most of the export's time."""
    from nbformat import NotebookNode

    cells = []
    for cell in notebook["cells"]:
        if "notebook-only" in cell.get("metadata", {}).get("tags", []):
            continue
        if "outputs" in cell:
            outputs = [_shown_output(output, shown) for output in cell["outputs"]]
            cell = NotebookNode(cell, outputs=outputs)  # type: ignore[no-untyped-call]
        cells.append(cell)
    return NotebookNode(notebook, cells=cells)  # type: ignore[no-untyped-call]


def _shown_output(output: Any, shown: frozenset[str]) -> Any:
    data = output.get("data")
    if not isinstance(data, dict) or all(kind in shown for kind in data):
        return output
    from nbformat import NotebookNode

    kept = NotebookNode({k: v for k, v in data.items() if k in shown})  # type: ignore[no-untyped-call]
    return NotebookNode(output, data=kept)  # type: ignore[no-untyped-call]


def export(
    report: str,
    params: Path,
    notebook: Any,
    formats: list[str],
    browser: Any,
    checked: Checked,
    timings: dict[str, float],
    style: Style,
    running: Running,
) -> tuple[dict[str, bytes], GnvError | None]:
    """Every format's bytes from the executed notebook. The PDF prints in a thread (waiting on
    the browser, another process) while the other formats are made; a browser that failed
    costs the PDF only: it is taken out of ``formats`` and returned as the problem."""
    title = checked.title
    payload: dict[str, bytes] = {}
    html_text = ""
    if "html" in formats or "pdf" in formats:  # Word is written from the document's blocks
        t = time.perf_counter()
        html_text = to_html(notebook, title, style)
        timings["html"] = time.perf_counter() - t
        if "html" in formats:
            payload["html"] = html_text.encode("utf-8")
    printing = (
        _print_pdf(html_text, checked, browser, running, timings) if "pdf" in formats else None
    )
    payload.update(_from_the_document(report, params, notebook, formats, checked, timings, style))
    problem: GnvError | None = None
    if printing is not None:
        try:
            payload["pdf"] = printing()
        except BrowserNotFoundError as exc:
            problem = exc
            formats.remove("pdf")
    return payload, problem


def _from_the_document(
    report: str,
    params: Path,
    notebook: Any,
    formats: list[str],
    checked: Checked,
    timings: dict[str, float],
    style: Style,
) -> dict[str, bytes]:
    """Word, the notebook and Excel, made while the PDF prints."""
    from gnvtools.reports.document import document_of

    made: dict[str, bytes] = {}
    # The document the notebook shows, read once for Word and Excel.
    document = document_of(notebook) if {"docx", "xlsx"} & set(formats) else None
    if "docx" in formats and document is not None:
        from gnvtools.publish.word import document_to_docx

        t = time.perf_counter()
        made["docx"] = document_to_docx(document, checked.title, style)
        timings["docx"] = time.perf_counter() - t
    if "ipynb" in formats:
        from gnvtools.publish.notebook_json import notebook_text

        t = time.perf_counter()
        made["ipynb"] = notebook_text(notebook).encode("utf-8")
        timings["ipynb"] = time.perf_counter() - t
    if "xlsx" in formats:
        from gnvtools.publish.excel import workbook_bytes

        t = time.perf_counter()
        made["xlsx"] = workbook_bytes(
            notebook,
            checked.title,
            report=report,
            params=params,
            inputs=list(checked.inputs),
            document=document,
        )
        timings["xlsx"] = time.perf_counter() - t
    return made


def _print_pdf(
    html_text: str, checked: Checked, browser: Any, running: Running, timings: dict[str, float]
) -> Any:
    """Start printing the PDF in a thread; the returned function waits for it and returns its
    bytes (or raises what printing raised)."""
    from gnvtools.publish.pdf import html_to_pdf

    header = " · ".join([checked.organisation, checked.title])  # the date: pagesetup
    outcome: dict[str, Any] = {}
    started = time.perf_counter()

    def work() -> None:
        try:
            outcome["pdf"] = html_to_pdf(
                html_text,
                checked.title,
                browser=browser,
                running=header,
                author=checked.organisation,
                settings=running,
            )
            timings["pdf"] = time.perf_counter() - started
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=work, name="gnv-print", daemon=True)
    thread.start()

    def finished() -> bytes:
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        printed: bytes = outcome["pdf"]
        return printed

    return finished


def own_printer_for(running: Running) -> Any:
    """A print service of this render's own (``printserver.OwnService``), launching while the
    report is checked and run; ``None`` when no browser is found (``_render`` meets the same
    error at the PDF and writes the rest) or the service cannot start (then ``html_to_pdf``
    starts a browser in this process)."""
    from gnvtools.publish.printserver import OwnService

    try:
        return OwnService(running)
    except (BrowserNotFoundError, RenderError, OSError):
        return None
