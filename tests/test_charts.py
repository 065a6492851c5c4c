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
