"""A chart as a list of simple shapes, laid out by gnvtools in points (1/72 inch, y downwards):
rectangles, lines, text and the stripes over made-up bars. The SVG writer (``chart_svg``) and
the PNG painter (``chart_png``) draw the same list, so the chart in the HTML and PDF and the
one in Word are one drawing.

Text is placed by its box: one line is ``TEXT_HEIGHT`` em high (the typeface's typographic
ascender and descender), a wrapped label's lines ``LINE_PITCH`` em apart. ``align`` and
``valign`` say which point of the box (turned a quarter to the left when ``vertical``) lies at
``(x, y)``; the lines of a label are aligned among themselves as the label is.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from gnvtools.reports.chart_font import Font, font

LINE_PITCH = 1.2  # em between the baselines of a wrapped label's lines
ALIGN = {"left": 0.0, "center": 0.5, "right": 1.0}


@dataclass(frozen=True)
class Rect:
    """A filled rectangle; ``edge``: a 1 pt outline in that colour (a legend swatch)."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    edge: str | None = None


@dataclass(frozen=True)
class Line:
    """A straight line or a polyline."""

    points: tuple[tuple[float, float], ...]
    colour: str
    width: float


@dataclass(frozen=True)
class Stripes:
    """White lines rising at 45° over ``rects`` (made-up bars, or a legend swatch), clipped to
    them; empty rectangles are left out."""

    rects: tuple[Rect, ...]
    spacing: float = 6.0  # points between lines along the horizontal
    width: float = 1.0

    def shown(self) -> list[Rect]:
        """The rectangles with an area (a bar of 0 kr has none to stripe)."""
        return [r for r in self.rects if r.width > 0 and r.height > 0]


Point = tuple[float, float]


def stripe_segments(
    rects: Iterable[Rect], spacing: float, margin: float
) -> list[tuple[Point, Point]]:
    """Lines ``x + y = k·spacing`` (rising to the right; ``k`` whole) across the box around
    ``rects`` widened by ``margin``, so that each line's square end lies outside every bar
    (the clip to the bars then cuts every line at a bar's edge)."""
    boxes = list(rects)
    x0 = min(r.x for r in boxes) - margin
    y0 = min(r.y for r in boxes) - margin
    x1 = max(r.x + r.width for r in boxes) + margin
    y1 = max(r.y + r.height for r in boxes) + margin
    segments = []
    for k in range(math.floor((x0 + y0) / spacing), math.ceil((x1 + y1) / spacing) + 1):
        c = k * spacing
        start, end = max(x0, c - y1), min(x1, c - y0)
        if end > start:
            segments.append(((start, c - start), (end, c - end)))
    return segments


@dataclass(frozen=True)
class PlacedLine:
    """One line of a label: its text and where its baseline starts, in the label's own frame
    (x along the text, y down from the top of the label's box)."""

    text: str
    x: float
    baseline: float


@dataclass(frozen=True)
class Label:
    """Text (``\\n`` between lines) at ``size`` points, anchored at ``(x, y)``."""

    x: float
    y: float
    text: str
    size: float
    bold: bool = False
    colour: str = "#000000"
    align: str = "left"
    valign: str = "baseline"  # "baseline" (of the first line), "center", "top" or "bottom"
    vertical: bool = False  # turned a quarter to the left: read from the bottom up

    @property
    def face(self) -> Font:
        return font(self.bold)

    def _em(self, units: float) -> float:
        return units * self.size / self.face.units_per_em

    def block(self) -> tuple[float, float, list[PlacedLine]]:
        """The label's box, unturned (width, height), and its lines (measured once: the
        extent, the legend and both writers ask)."""
        return self._block

    @functools.cached_property
    def _block(self) -> tuple[float, float, list[PlacedLine]]:
        texts = self.text.split("\n")
        widths = [self.face.width(t, self.size) for t in texts]
        width = max(widths)
        ascent = self._em(self.face.ascent)
        height = ascent + self._em(self.face.descent) + (len(texts) - 1) * LINE_PITCH * self.size
        lines = [
            PlacedLine(t, (width - w) * ALIGN[self.align], ascent + i * LINE_PITCH * self.size)
            for i, (t, w) in enumerate(zip(texts, widths, strict=True))
        ]
        return width, height, lines

    def origin(self) -> tuple[float, float, float, float, list[PlacedLine]]:
        """Where the label's frame starts on the canvas (its top left unturned; its bottom
        left turned), the box (left, top, right, bottom) is derived from it; and the lines."""
        width, height, lines = self.block()
        ascent = self._em(self.face.ascent)
        if not self.vertical:
            left = self.x - width * ALIGN[self.align]
            down = {"top": 0.0, "center": height / 2, "bottom": height, "baseline": ascent}
            return left, self.y - down[self.valign], width, height, lines
        left = self.x - height * ALIGN[self.align]
        up = {"bottom": 0.0, "baseline": 0.0, "center": width / 2, "top": width}
        return left, self.y + up[self.valign], width, height, lines

    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) on the canvas."""
        x, y, width, height, _ = self.origin()
        if self.vertical:
            return x, y - width, x + height, y
        return x, y, x + width, y + height

    def glyphs(self) -> Iterator[tuple[float, float, list[tuple[str, int]]]]:
        """Each line's baseline start on the canvas and its glyphs with their offsets along
        the line (font units)."""
        x, y, _, _, lines = self.origin()
        for line in lines:
            placed, _ = self.face.run(line.text)
            if self.vertical:
                yield x + line.baseline, y - line.x, placed
            else:
                yield x + line.x, y + line.baseline, placed


Item = Rect | Line | Label | Stripes


@dataclass
class Canvas:
    """A chart's shapes in drawing order (later over earlier)."""

    items: list[Item] = field(default_factory=list)

    def add(self, *items: Item) -> None:
        self.items.extend(items)

    def extent(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) around everything drawn."""
        boxes = [b for b in map(_box, self.items) if b is not None]
        if not boxes:
            return 0.0, 0.0, 0.0, 0.0
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    def frame(self, pad: float) -> tuple[float, float, float, float]:
        """The picture's width and height with ``pad`` points around everything drawn, and
        the shift (dx, dy) that moves the drawing into it."""
        left, top, right, bottom = self.extent()
        return right - left + 2 * pad, bottom - top + 2 * pad, pad - left, pad - top


def _box(item: Item) -> tuple[float, float, float, float] | None:
    if isinstance(item, Rect):
        half = 0.5 if item.edge else 0.0
        return item.x - half, item.y - half, item.x + item.width + half, item.y + item.height + half
    if isinstance(item, Line):
        xs = [p[0] for p in item.points]
        ys = [p[1] for p in item.points]
        half = item.width / 2
        return min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half
    if isinstance(item, Label):
        return item.box()
    return None
