"""White stripes over a bar that rests on made-up data, drawn as lines.

matplotlib's own ``hatch="////"`` looks the same, but the SVG backend writes a hatch as a
``<pattern>`` fill, and Chromium prints each pattern as bitmap images: the Stockholm 2023
follow-up became an 8 MB PDF (58 images, 7,7 MB) and cost the browser about 1,7 s of processor
time. Here each striped bar gets one path of line segments, clipped to the bar: vector graphics
in the SVG, the PDF and the PNG alike, at the hatch's spacing, angle, width and colour.

matplotlib is imported when stripes are first drawn, not with this module.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.legend import Legend
    from matplotlib.legend_handler import HandlerPatch
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.path import Path
    from matplotlib.transforms import Bbox, Transform

#: As matplotlib draws "////": lines rising at 45°, 6 points apart along the horizontal
#: (12 lines per 72-point hatch tile), 1 point wide (``hatch.linewidth``), white.
SPACING = 6.0
LINE_WIDTH = 1.0
COLOUR = "white"


def stripes_path(box: Bbox, spacing: float, margin: float) -> Path:
    """Line segments ``x - y = k * spacing`` (display units, ``k`` whole) across ``box``
    widened by ``margin`` on every side, so that a line's square end lies outside the box
    (the clip to the bar then cuts every line at the bar's edge)."""
    from matplotlib.path import Path

    x0, y0, x1, y1 = box.x0 - margin, box.y0 - margin, box.x1 + margin, box.y1 + margin
    vertices: list[tuple[float, float]] = []
    for k in range(math.floor((x0 - y1) / spacing), math.ceil((x1 - y0) / spacing) + 1):
        c = k * spacing
        start, end = max(x0, y0 + c), min(x1, y1 + c)
        if end > start:
            vertices += [(start, start - c), (end, end - c)]
    codes = [Path.MOVETO, Path.LINETO] * (len(vertices) // 2)
    path = Path(vertices or [(0.0, 0.0)], codes or None)
    path.should_simplify = False  # every segment as it is: no merging of near-parallel lines
    return path


def draw_stripes(patches: Sequence[Patch], artist: Artist, renderer: RendererBase) -> None:
    """Draw the stripes over ``patches`` where they are now, in whatever figure size, crop and
    resolution the chart is being written at: one path of lines across the box around them
    all, clipped to the patches (one clip path of all their outlines). Lines across the whole
    box rather than bar by bar: a chart's 54 striped bars make one path of about 150 lines,
    not 3 000 short ones."""
    from matplotlib.path import Path
    from matplotlib.transforms import Bbox, IdentityTransform, TransformedPath

    shown = [p for p in patches if p.get_visible()]
    boxes = [p.get_window_extent(renderer) for p in shown]
    outlines = [
        p.get_path().transformed(p.get_transform())
        for p, box in zip(shown, boxes, strict=True)
        if box.width > 0 and box.height > 0  # an empty bar: nothing to stripe
    ]
    if not (artist.get_visible() and outlines):
        return
    gc = renderer.new_gc()
    gc.set_foreground(COLOUR)
    gc.set_linewidth(LINE_WIDTH)
    gc.set_capstyle("butt")
    gc.set_clip_path(TransformedPath(Path.make_compound_path(*outlines), IdentityTransform()))
    points = cast("float", renderer.points_to_pixels(1.0))  # display units per point
    path = stripes_path(Bbox.union(boxes), SPACING * points, LINE_WIDTH * points)
    renderer.draw_path(gc, path, IdentityTransform())
    gc.restore()


@functools.cache
def _classes() -> tuple[type[Artist], type[HandlerPatch]]:
    """The artist and the legend handler, made on first use (matplotlib is imported only
    when a chart is drawn)."""
    from matplotlib.artist import Artist
    from matplotlib.legend_handler import HandlerPatch

    class Stripes(Artist):
        """The stripes over some patches (bars, or a legend swatch), drawn right after them."""

        def __init__(self, patches: Sequence[Patch]) -> None:
            super().__init__()
            self._patches = list(patches)
            self.set_zorder(max(p.get_zorder() for p in patches))
            self.set_in_layout(False)  # nothing outside the bars: no part of the chart's box

        def draw(self, renderer: RendererBase) -> None:
            draw_stripes(self._patches, self, renderer)
            self.stale = False

    class StripedHandler(HandlerPatch):
        """A legend entry drawn as its swatch with the stripes over it."""

        def create_artists(
            self,
            legend: Legend,
            orig_handle: Any,
            xdescent: float,
            ydescent: float,
            width: float,
            height: float,
            fontsize: float,
            trans: Transform,
        ) -> list[Artist]:
            box = (xdescent, ydescent, width, height, fontsize)
            swatches = super().create_artists(legend, orig_handle, *box, trans)
            return [*swatches, Stripes(cast("list[Patch]", swatches))]

    return Stripes, StripedHandler


def stripe(ax: Axes, patches: Sequence[Rectangle]) -> None:
    """Stripes over ``patches`` (bars drawn on ``ax``), if any."""
    if patches:
        stripes, _ = _classes()
        ax.add_artist(stripes(patches))  # type: ignore[call-arg]


def striped_handler(**kwargs: Any) -> HandlerPatch:
    """A legend handler that stripes the swatch (``kwargs`` as ``HandlerPatch`` takes)."""
    _, handler = _classes()
    return handler(**kwargs)
