"""A ``Canvas`` painted as PNG (for Word, which shows no SVG) with matplotlib's Agg rasteriser,
imported only here: each shape of the SVG drawn again at ``DPI``, the glyphs as the same
outlines, so the picture in Word is the SVG's picture."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from gnvtools.reports.chart_canvas import Canvas, Label, Line, Rect, Stripes, stripe_segments
from gnvtools.reports.chart_font import font
from gnvtools.reports.chart_svg import PAD

if TYPE_CHECKING:
    from matplotlib.path import Path
    from matplotlib.transforms import Transform

DPI = 200  # the PNG's resolution


def import_painter() -> None:
    """Import what painting a PNG needs (about half a second), so that a process that will
    paint pays for it when it chooses: e.g. a build making Word files, once before forking."""
    import matplotlib.backends.backend_agg
    import matplotlib.figure
    import matplotlib.lines
    import matplotlib.patches
    import matplotlib.path
    import matplotlib.transforms  # noqa: F401


def png_of(canvas: Canvas, pad: float = PAD, dpi: int = DPI) -> bytes:
    """The canvas as PNG at ``dpi``, ``pad`` points of white around what is drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.transforms import Affine2D

    width, height, dx, dy = canvas.frame(pad)
    figure = Figure(figsize=(width / 72, height / 72), dpi=dpi, facecolor="white")
    FigureCanvasAgg(figure)
    # canvas points (y down) -> pixels (y up)
    to_pixels = Affine2D().translate(dx, dy).scale(1, -1).translate(0, height).scale(dpi / 72)
    for order, item in enumerate(canvas.items):
        for artist in _artists(item, to_pixels):
            artist.set_zorder(order)  # the canvas order: matplotlib would put lines over patches
            figure.add_artist(artist)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def _artists(item: Rect | Line | Label | Stripes, to_pixels: Transform) -> list[Any]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import PathPatch, Rectangle

    if isinstance(item, Rect):
        edge = {"edgecolor": item.edge, "linewidth": 1.0} if item.edge else {"linewidth": 0}
        rect = Rectangle((item.x, item.y), item.width, item.height, facecolor=item.fill, **edge)
        rect.set_transform(to_pixels)
        return [rect]
    if isinstance(item, Line):
        xs, ys = zip(*item.points, strict=True)
        line = Line2D(xs, ys, color=item.colour, linewidth=item.width, solid_joinstyle="miter")
        line.set_solid_capstyle("butt")
        line.set_transform(to_pixels)
        return [line]
    if isinstance(item, Stripes):
        return _stripes(item, to_pixels)
    patch = PathPatch(_label_path(item), facecolor=item.colour, edgecolor="none", linewidth=0)
    patch.set_transform(to_pixels)
    return [patch]


def _stripes(item: Stripes, to_pixels: Transform) -> list[Any]:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    rects = item.shown()
    if not rects:
        return []
    outline = Path.make_compound_path(
        *(
            Path(
                [
                    (r.x, r.y),
                    (r.x + r.width, r.y),
                    (r.x + r.width, r.y + r.height),
                    (r.x, r.y + r.height),
                    (r.x, r.y),
                ],
                closed=True,
            )
            for r in rects
        )
    )
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for start, end in stripe_segments(rects, item.spacing, item.width):
        vertices += [start, end]
        codes += [int(Path.MOVETO), int(Path.LINETO)]
    lines = PathPatch(Path(vertices, codes), fill=False, edgecolor="white", linewidth=item.width)
    lines.set_capstyle("butt")
    lines.set_transform(to_pixels)
    lines.set_clip_path(outline, to_pixels)
    return [lines]


def _label_path(label: Label) -> Path:
    """The label's glyphs as one compound path in canvas points."""
    from matplotlib.path import Path

    face = font(label.bold)
    k = label.size / face.units_per_em
    steps = {  # outline commands as matplotlib path codes, one per point
        "M": [int(Path.MOVETO)],
        "L": [int(Path.LINETO)],
        "Q": [int(Path.CURVE3)] * 2,
        "Z": [int(Path.CLOSEPOLY)],
    }
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for x, y, placed in label.glyphs():
        for name, offset in placed:
            for op, c in face.outline(name):
                points = [(c[i] + offset, c[i + 1]) for i in range(0, len(c), 2)] or [(0, 0)]
                for u, v in points:  # font units (y up) -> canvas points (y down)
                    vertices.append(
                        (x - k * v, y - k * u) if label.vertical else (x + k * u, y - k * v)
                    )
                codes += steps[op]
    if not vertices:
        return Path([(0.0, 0.0)], [int(Path.MOVETO)])
    return Path(vertices, codes)
