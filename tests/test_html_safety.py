"""What a notebook's own output can put in the HTML report: never a navigation away."""

from __future__ import annotations

import nbformat

from gnvtools.publish.render import to_html


def test_a_meta_refresh_in_a_notebooks_output_is_dropped() -> None:
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("display(HTML(...))")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": '<META HTTP-EQUIV="Refresh" content="0;url=http://127.0.0.1:9/x">'
                "<p>kvar</p>",
                "text/plain": "kvar",
            },
        )
    ]
    notebook.cells.append(cell)
    page = to_html(notebook, "Prov")
    assert "<p>kvar</p>" in page
    assert "refresh" not in page.lower().replace('http-equiv="content-security-policy"', "")
    assert "Content-Security-Policy" in page
