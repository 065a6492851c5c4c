"""How a chart's figure becomes SVG and PNG bytes, with matplotlib imported only when a chart is
drawn: importing a report module costs no matplotlib (about half a second), and a process that
will draw can import it on purpose, early, with ``import_drawing``.

One layout pass per SVG. ``savefig(bbox_inches="tight")`` lays a figure out twice: a draw that
writes nothing, to find the box around everything drawn, then the draw that writes. Here the
box is measured once, the figure is resized around it (every axes keeps its size in inches, so
the picture is the same, only without the empty margin), and the same SVG renderer then draws
it: the text it measured for the box is not measured again (matplotlib keeps text sizes per
renderer). The style is set for the chart only (``drawing``), so a notebook's own matplotlib
figures keep theirs.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Okabe & Ito (2008), "Color Universal Design".
# Okabe–Ito hues (safe for colour blindness), darkened where needed so that every series has at
# least 3:1 contrast against the white background (WCAG 2.1, 1.4.11); tested.
PALETTE = ["#0072B2", "#B35000", "#00785A", "#A8457F", "#2D6E9E", "#8F5A00", "#5C5C5C", "#000000"]
DPI = 200  # the PNG's resolution (for Word)
PAD_INCHES = 0.1  # white space around everything drawn, as savefig's "tight" default
POINTS = 72  # SVG units per inch: the SVG renderer draws at 72 dpi


def import_drawing() -> None:
    """Import what drawing a chart needs (the figure, both backends, ticks, patches, the font
    list), so that a process pays for it when it chooses: e.g. before forking report
    processes, or while it waits for something else."""
    import matplotlib.backends.backend_agg
    import matplotlib.backends.backend_svg
    import matplotlib.figure
    import matplotlib.patches
    import matplotlib.ticker  # noqa: F401


@contextlib.contextmanager
def drawing() -> Iterator[None]:
    """The charts' style while a chart is built and written; matplotlib's settings as they
    were afterwards."""
    import matplotlib

    # Each series' colour is given explicitly, so no colour cycle is set.
    with matplotlib.rc_context(
        {
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "axes.titlesize": 10,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.color": "#dddddd",
            "grid.linewidth": 0.6,
            "axes.axisbelow": True,
            # A fixed salt for the SVG's ids (and no date written): the same chart, the same bytes.
            "svg.hashsalt": "gnvtools",
        }
    ):
        yield


def new_axes(width: float, height: float) -> tuple[Figure, Axes]:
    """A figure of ``width`` × ``height`` inches with one axes (no pyplot: no global state, no
    GUI backend). Call it inside ``drawing``."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    return figure, figure.subplots()


def _crop(figure: Figure, x0: float, y0: float, width: float, height: float) -> None:
    """Make the box at (``x0``, ``y0``) of ``width`` × ``height`` inches the whole figure: each
    axes keeps its size and its place relative to the box."""
    old_width, old_height = figure.get_size_inches()
    for axes in figure.axes:
        box = axes.get_position()
        axes.set_position(
            (
                (box.x0 * old_width - x0) / width,
                (box.y0 * old_height - y0) / height,
                box.width * old_width / width,
                box.height * old_height / height,
            )
        )
    figure.set_size_inches(width, height)


def svg_of(figure: Figure) -> bytes:
    """The figure as SVG, cropped to what is drawn plus ``PAD_INCHES`` (the figure is resized
    to that box); text as paths (no font needed to show it, and a PDF made from it has no text
    layer for axis numbers)."""
    from matplotlib.backends.backend_svg import RendererSVG

    with drawing():
        figure.dpi = POINTS  # as savefig sets it for SVG: sizes in points
        width, height = figure.get_size_inches()
        renderer = RendererSVG(width * POINTS, height * POINTS, io.StringIO())  # type: ignore[no-untyped-call]
        box = figure.get_tightbbox(renderer).padded(PAD_INCHES)
        _crop(figure, box.x0, box.y0, box.width, box.height)
        out = io.StringIO()
        # The same renderer object again, at the new size and writing for real: its cache of
        # text sizes is keyed by the object, so no text is measured twice.
        renderer.__init__(  # type: ignore[misc]
            box.width * POINTS, box.height * POINTS, out, metadata={"Date": None}
        )
        figure.draw(renderer)
        renderer.finalize()  # type: ignore[no-untyped-call]
    return out.getvalue().encode("utf-8")


def png_of(figure: Figure) -> bytes:
    """The figure as PNG at ``DPI`` (for Word): one draw of the whole figure, so call it after
    ``svg_of``, which has cropped the figure to what is drawn plus ``PAD_INCHES``."""
    buffer = io.BytesIO()
    with drawing():
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
