"""A printed report with made-up bars stays small: the stripes are vector lines, which the
browser prints as lines. Drawn as matplotlib's hatch (an SVG ``<pattern>``), Chromium printed
them as 58 bitmap images and the Stockholm 2023 follow-up became an 8 MB PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import PARAMS


def test_the_followup_with_made_up_bars_prints_small(tmp_path: Path) -> None:
    import pikepdf

    from gnvtools.cli import main
    from gnvtools.errors import BrowserNotFoundError
    from gnvtools.publish.pdf import find_browser

    try:
        find_browser()
    except BrowserNotFoundError:
        pytest.skip("no browser here to print a PDF with")
    params = PARAMS / "stockholm/2023.yaml"
    args = ["render", "year-end-followup", str(params), "--to", "html,pdf", "--out", str(tmp_path)]
    assert main(args) == 0
    html = (tmp_path / "year-end-followup.html").read_text(encoding="utf-8")
    # both of the example's charts have bars that rest on made-up data (the alt text says so)
    assert len(re.findall(r'alt="[^"]*Påhittat exempel: ', html)) == 2
    pdf_file = tmp_path / "year-end-followup.pdf"
    assert pdf_file.stat().st_size < 1_500_000
    with pikepdf.open(pdf_file) as pdf:
        images = [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
        ]
    assert images == []
