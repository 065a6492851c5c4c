"""The executed notebook's file (``notebook_json.notebook_text``): the bytes nbformat writes."""

from __future__ import annotations

import copy
import logging
from pathlib import Path

import nbformat
import pytest

from gnvtools.publish.notebook_json import notebook_text
from gnvtools.reports.blocks import DOCUMENT_MIME


def _notebook() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata.update(
        {"title": "Fördelning", "signature": "sha256:x", "orig_nbformat": 3, "papermill": {}}
    )
    text = nbformat.v4.new_markdown_cell("# Rubrik\n\nEn rad.\nTvå rader – å\n")
    text.metadata["trusted"] = True
    text.attachments = {"a.png": {"image/png": "iVBOR\nw0K", "text/plain": "bild\nett"}}
    code = nbformat.v4.new_code_cell("x = 1\nprint(x)", execution_count=3)
    code.metadata["tags"] = ["parameters"]
    code.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="1\n2\n"),
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": '<p>1 200 kr</p>\n<p>\u00a0"citat" \\ </p>',
                "image/svg+xml": "<svg>\n</svg>",
                "application/javascript": "a;\nb;",
                DOCUMENT_MIME: {"blocks": [], "andel": 0.25, "tom": {}, "rader": [1, None, True]},
            },
            metadata={"isolated": False},
        ),
        nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=3),
        nbformat.v4.new_output("error", ename="E", evalue="fel", traceback=["a", "b"]),
    ]
    notebook.cells += [text, code, nbformat.v4.new_raw_cell("")]
    return notebook


def test_the_text_is_what_nbformat_writes_and_the_notebook_is_unchanged() -> None:
    notebook = _notebook()
    before = copy.deepcopy(notebook)
    assert notebook_text(notebook) == nbformat.writes(notebook)
    assert notebook == before  # lines are split and metadata dropped in the file only


def test_what_it_does_not_know_is_left_to_nbformat(caplog: pytest.LogCaptureFixture) -> None:
    notebook = _notebook()
    notebook.metadata["antal"] = {1: "ett"}  # a key json turns into text itself
    notebook.cells[1].outputs[1].data["application/octet-stream"] = b"QUJD"
    assert notebook_text(notebook) == nbformat.writes(notebook)
    notebook.metadata["fel"] = object()
    with pytest.raises(TypeError):
        notebook_text(notebook)
    broken = _notebook()
    del broken.cells[1]["execution_count"]
    with caplog.at_level(logging.ERROR):
        assert notebook_text(broken) == nbformat.writes(broken)
    assert "Notebook JSON is invalid" in caplog.text


def test_an_executed_example_reads_back_and_writes_the_same(
    rendered: dict[tuple[str, str], Path],
) -> None:
    for folder in rendered.values():
        (written,) = folder.glob("*.ipynb")
        text = written.read_text("utf-8")
        assert notebook_text(nbformat.reads(text, as_version=4)) == text
