"""The HTML export is given only what its template shows (``exporting.for_html``)."""

from __future__ import annotations

import copy

import nbformat

from gnvtools.publish.exporting import (
    _html_exporter,
    _shown_types,
    for_html,
    to_html,
    without_refresh,
)
from gnvtools.publish.style import Style
from gnvtools.reports.blocks import DOCUMENT_MIME
from gnvtools.reports.display import FIGURES_MIME


def _notebook() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    shown = nbformat.v4.new_code_cell("memo")
    shown.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": "<p>Fördelning 1 200 kr</p>",
                "text/plain": "Fördelning 1 200 kr",
                DOCUMENT_MIME: {"blocks": [{"kind": "paragraph", "runs": [["1 200 kr", ""]]}]},
                FIGURES_MIME: {"figures": [{"name": "mottaget", "value": 1200}]},
            },
        ),
        nbformat.v4.new_output("stream", name="stdout", text="utskrift\n"),
    ]
    hidden = nbformat.v4.new_code_cell("kontroll", metadata={"tags": ["notebook-only"]})
    hidden.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<p>dold</p>"})]
    notebook.cells += [shown, hidden]
    return notebook


def test_the_html_export_gets_the_shown_outputs_without_the_reports_json() -> None:
    notebook = _notebook()
    before = copy.deepcopy(notebook)
    slim = for_html(notebook, _shown_types(_html_exporter()))
    assert len(slim.cells) == 1  # the notebook-only cell is not exported
    data = slim.cells[0].outputs[0].data
    assert set(data) == {"text/html", "text/plain"}
    assert slim.cells[0].outputs[1] is notebook.cells[0].outputs[1]  # nothing to leave out
    assert notebook == before  # the executed notebook keeps everything (Excel, the manifest)


def test_the_page_is_the_same_without_the_json_types() -> None:
    notebook = _notebook()
    page = to_html(notebook, "Prov")
    assert "Fördelning 1 200 kr" in page and "dold" not in page
    plain = copy.deepcopy(notebook)
    del plain.cells[0].outputs[0].data[DOCUMENT_MIME]
    del plain.cells[0].outputs[0].data[FIGURES_MIME]
    plain.cells.pop()
    style = Style()
    body, _ = _html_exporter().from_notebook_node(
        plain, resources={"gnv_css": style.css(), "gnv_title": "Prov", "gnv_logo": ""}
    )
    assert page == without_refresh(str(body))
