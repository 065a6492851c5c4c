"""Charts: matplotlib imported only when a chart is drawn; one layout pass that keeps every label
inside the picture, as matplotlib's own tight box would; the same chart gives the same bytes;
the style stays with the chart."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from gnvtools.core.options import using
from gnvtools.reports import charts
from gnvtools.reports.chart_drawing import DPI, PAD_INCHES, drawing, new_axes, svg_of

LONG = (
    "Förebyggande och hälsofrämjande arbete i hälso- och sjukvården samt omställningen till en "
    "god och nära vård i Norra Jämtlands kommunalförbund"
)


def _python(code: str) -> str:
    """Run ``code`` in a fresh interpreter; its standard output."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "random"},
    )
    return done.stdout


def test_importing_the_reports_does_not_import_matplotlib() -> None:
    out = _python(
        """
        import pkgutil, sys
        import gnvtools.core, gnvtools.reports
        import gnvtools.reports.memo, gnvtools.reports.followup_report
        import gnvtools.reports.comparison
        for package in (gnvtools.core, gnvtools.reports):
            for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
                __import__(module.name)
        print(sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib"))
        from gnvtools.reports import charts
        chart = charts.horizontal_bars(["Å"], {"Belopp": [1_000_000]}, title="Titel")
        print(chart.svg.startswith(b"<?xml"), "matplotlib" in sys.modules)
        """
    )
    assert out.splitlines() == ["[]", "True True"]


def test_import_drawing_imports_what_a_chart_needs() -> None:
    out = _python(
        """
        import sys
        from gnvtools.reports import charts
        charts.import_drawing()
        print(" ".join(m for m in (
            "matplotlib.figure", "matplotlib.backends.backend_svg",
            "matplotlib.backends.backend_agg", "matplotlib.ticker", "matplotlib.patches",
        ) if m in sys.modules))
        """
    )
    assert out.split() == [
        "matplotlib.figure",
        "matplotlib.backends.backend_svg",
        "matplotlib.backends.backend_agg",
        "matplotlib.ticker",
        "matplotlib.patches",
    ]


def _svg_size(svg: bytes) -> tuple[float, float]:
    """The SVG's width and height in points, checked against its view box."""
    found = re.search(
        rb'width="([\d.]+)pt" height="([\d.]+)pt" viewBox="0 0 ([\d.]+) ([\d.]+)"', svg
    )
    assert found, svg[:300]
    width, height, box_width, box_height = (float(v) for v in found.groups())
    assert (width, height) == (box_width, box_height)
    return width, height


def _figure(label: str, columns: bool = False):  # type: ignore[no-untyped-def]
    """A figure with a long wrapped label on the left, a title, an axis label and a legend
    below the axes (as ``grouped_columns`` places it)."""
    fig, ax = new_axes(6.4, 2.4)
    ax.barh([0, 1], [3_000_000, 12_000_000], label="Belopp")
    ax.set_yticks([0, 1], labels=[textwrap.fill(label, charts.LABEL_WIDTH), "Å"])
    ax.set_title("Titel", loc="left")
    ax.set_xlabel("miljoner kronor")
    if columns:
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.2), ncols=3)
    return fig


@pytest.mark.parametrize("columns", [False, True])
def test_the_svg_is_as_large_as_matplotlibs_tight_box(columns: bool) -> None:
    """One layout pass gives the picture ``savefig(bbox_inches="tight")`` gives, drawn twice."""
    with drawing():
        ours = svg_of(_figure(LONG, columns))
        buffer = io.BytesIO()
        _figure(LONG, columns).savefig(buffer, format="svg", bbox_inches="tight")
    theirs = buffer.getvalue()
    assert _svg_size(ours) == pytest.approx(_svg_size(theirs), abs=0.01)
    assert _svg_size(ours)[0] > 6.4 * 72 * 0.9  # the long label is there, wrapped


def test_everything_drawn_is_inside_the_canvas_with_its_margin() -> None:
    from matplotlib.backends.backend_svg import RendererSVG

    with drawing():
        fig = _figure(LONG, columns=True)
        svg = svg_of(fig)
        width, height = fig.get_size_inches()
        assert _svg_size(svg) == pytest.approx((width * 72, height * 72), abs=0.01)
        box = fig.get_tightbbox(RendererSVG(width * 72, height * 72, io.StringIO()))
    # The content box sits PAD_INCHES from every edge (within a pixel at 200 dpi).
    edges = (box.x0, box.y0, width - box.x1, height - box.y1)
    assert edges == pytest.approx((PAD_INCHES,) * 4, abs=1 / DPI)


def test_a_chart_gives_the_same_bytes_every_time_and_in_every_process() -> None:
    def draw() -> charts.Chart:
        return charts.horizontal_bars(
            [LONG, "Bräcke"],
            {"Tilldelat": [3_500_000, 0], "Förbrukat": [1_000_000, 2]},
            title="Tilldelat och förbrukat",
            made_up=["Förbrukat"],
        )

    with using(chart_png=True):
        first, second = draw(), draw()
    assert (first.svg, first.png) == (second.svg, second.png)
    assert b"<dc:date>" not in first.svg  # no date written
    elsewhere = _python(
        f"""
        import hashlib
        from gnvtools.reports import charts
        chart = charts.horizontal_bars(
            [{LONG!r}, "Bräcke"],
            {{"Tilldelat": [3_500_000, 0], "Förbrukat": [1_000_000, 2]}},
            title="Tilldelat och förbrukat",
            made_up=["Förbrukat"],
        )
        print(hashlib.sha256(chart.svg).hexdigest())
        """
    )
    import hashlib

    assert elsewhere.strip() == hashlib.sha256(first.svg).hexdigest()


def test_text_is_drawn_as_paths() -> None:
    """No text element: a PDF printed from the report gets no text layer for axis numbers."""
    chart = charts.grouped_columns(
        ["2023", "2024"], {"Mottaget": [1_000_000, None]}, title="Mottaget per år"
    )
    assert b"<text" not in chart.svg and b"<path" in chart.svg


def test_the_png_is_the_svgs_picture_at_print_resolution() -> None:
    from PIL import Image

    with using(chart_png=True):
        chart = charts.grouped_columns(
            ["2023", "2024", "2025"],
            {"Mottaget": [10_000_000, None, 12_500_000], "Förbrukat": [9_000_000, 0, 3]},
            title="Mottaget och förbrukat per år",
            made_up={"Förbrukat": [False, True, False]},
        )
    assert chart.png is not None
    width, height = _svg_size(chart.svg)
    size = Image.open(io.BytesIO(chart.png)).size
    assert size == pytest.approx((width / 72 * DPI, height / 72 * DPI), abs=1)


def test_the_style_stays_with_the_chart() -> None:
    import matplotlib

    before = (matplotlib.rcParams["font.size"], matplotlib.rcParams["svg.hashsalt"])
    charts.horizontal_bars(["Å"], {"Belopp": [1_000_000]}, title="Titel")
    after = (matplotlib.rcParams["font.size"], matplotlib.rcParams["svg.hashsalt"])
    assert after == before != (8, "gnvtools")


# --- made-up bars: striped with lines, never a hatch pattern ---------------------------------


#: How the SVG writes a path of white lines (the stripes; white 1 pt lines are SVG's default).
STRIPES = b'style="fill: none; stroke: #ffffff"'


def _two_series(made_up: list[str]) -> charts.Chart:
    return charts.horizontal_bars(
        ["Bräcke", "Ragunda", "Strömsund"],
        {"Tilldelat": [3_500_000, 2_000_000, 1_000_000], "Förbrukat": [1_000_000, 0, 500_000]},
        title="Tilldelat och förbrukat",
        made_up=made_up,
    )


def _columns(marks: list[bool]) -> charts.Chart:
    return charts.grouped_columns(
        ["2023", "2024", "2025"],
        {"Mottaget": [10_000_000, 10_000_000, 10_000_000]},
        title="Mottaget per år",
        made_up={"Mottaget": marks},
    )


def test_made_up_bars_are_striped_with_lines_not_a_pattern() -> None:
    """A ``<pattern>`` fill is printed by Chromium as bitmap images (an 8 MB PDF): the stripes
    are lines, one path over the made-up bars clipped to them, and one over the legend's
    swatch."""
    striped, plain_bars = _two_series(["Förbrukat"]), _two_series([])
    assert b"<pattern" not in striped.svg
    assert striped.svg.count(b"<clipPath") - plain_bars.svg.count(b"<clipPath") == 1 + 1
    assert striped.svg.count(STRIPES) == 1 + 1 and STRIPES not in plain_bars.svg
    assert striped.alt.endswith(". Påhittat exempel: Förbrukat")

    columns, real = _columns([False, True, True]), _columns([False, False, False])
    assert b"<pattern" not in columns.svg
    assert columns.svg.count(b"<clipPath") - real.svg.count(b"<clipPath") == 1 + 1
    assert columns.svg.count(STRIPES) == 1 + 1 and STRIPES not in real.svg


def test_the_stripes_are_clipped_to_the_made_up_bars() -> None:
    """The clip path over the bars outlines the two made-up bars that are drawn (the third is
    0 kr), not the real ones."""
    svg = _two_series(["Förbrukat"]).svg.decode("utf-8")
    clip_id = re.search(r'clip-path="url\(#(\w+)\)" style="fill: none; stroke: #ffffff"', svg)
    assert clip_id is not None
    clip = re.search(rf'<clipPath id="{clip_id.group(1)}">\s*<path d="([^"]*)"', svg)
    assert clip is not None
    assert clip.group(1).count("M") == 2 and clip.group(1).count("z") == 2


def _boxes(
    png: bytes, colour: tuple[int, int, int], least: int = 20
) -> list[tuple[int, int, int, int]]:
    """The boxes of the areas filled with ``colour``, left to right (apart by a gap), in
    pixel columns with at least ``least`` pixels of it, at least 4 pixels wide."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    mask = np.abs(pixels - colour).sum(axis=2) < 10
    boxes = []
    for xs in _runs(np.flatnonzero(mask.sum(axis=0) >= least)):
        if len(xs) < 4:
            continue  # a letter's stroke, not an area
        rows = _runs(np.flatnonzero(mask[:, xs[0] : xs[-1] + 1].any(axis=1)))
        ys = max(rows, key=len)  # the column itself, not the legend's swatch below it
        boxes.append((int(xs[0]), int(ys[0]), int(xs[-1]), int(ys[-1])))
    return boxes


def _runs(indices: Any) -> list[list[int]]:
    """Consecutive runs in a sorted sequence of whole numbers."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(int(i))
        else:
            runs.append([int(i)])
    return runs


def _white_share(png: bytes, box: tuple[int, int, int, int]) -> float:
    """The share of near-white pixels inside ``box`` (inset by 2 pixels), seen in greyscale."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    x0, y0, x1, y1 = box
    inside = grey[y0 + 2 : y1 - 1, x0 + 2 : x1 - 1]
    return float((inside > 230).mean())


def test_the_png_shows_the_stripes_on_the_made_up_columns_only() -> None:
    with using(chart_png=True):
        chart = _columns([False, True, True])
    assert chart.png is not None
    blue = (0x00, 0x72, 0xB2)
    real, *made_up = _boxes(chart.png, blue)[:3]
    assert _white_share(chart.png, real) == 0
    for box in made_up:  # white stripes, about 1 pt of every 4,2 pt across: also in greyscale
        assert 0.15 < _white_share(chart.png, box) < 0.35
    grey_swatch = _boxes(chart.png, (0x8A, 0x8A, 0x8A), least=6)  # the legend's "Streckat" entry
    assert len(grey_swatch) == 1 and _white_share(chart.png, grey_swatch[0]) > 0.1


def test_a_made_up_recipients_bars_are_striped_and_the_legend_says_so() -> None:
    """The memo's chart has one series, where some recipients rest on made-up keys: their bars
    (and only theirs) are striped, a legend entry explains the stripes, the alt text names
    them."""
    labels = ["Bromma (påhittat)", "Farsta", "Kista (påhittat)"]
    amounts = {"Fördelat": [3_000_000, 2_000_000, 1_000_000]}
    marked = charts.horizontal_bars(labels, amounts, title="Per mottagare", made_up_bars={0, 2})
    plain = charts.horizontal_bars(labels, amounts, title="Per mottagare")
    assert b"<pattern" not in marked.svg
    assert marked.svg.count(STRIPES) == 1 + 1 and STRIPES not in plain.svg  # bars, swatch
    svg = marked.svg.decode("utf-8")
    clip_id = re.search(r'clip-path="url\(#(\w+)\)" style="fill: none; stroke: #ffffff"', svg)
    assert clip_id is not None
    clip = re.search(rf'<clipPath id="{clip_id.group(1)}">\s*<path d="([^"]*)"', svg)
    assert clip is not None and clip.group(1).count("M") == 2  # Bromma and Kista, not Farsta
    assert marked.alt.endswith(". Streckat, påhittat exempel: Bromma (påhittat), Kista (påhittat)")
    assert "Streckat" not in plain.alt
    with using(chart_png=True):
        png = charts.horizontal_bars(labels, amounts, title="Per mottagare", made_up_bars={0})
    assert png.png is not None
    swatch = _boxes(png.png, (0x8A, 0x8A, 0x8A), least=6)  # the legend's "Streckat" entry
    assert len(swatch) == 1
