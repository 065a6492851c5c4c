"""What every chart has, laid out on a ``Canvas``: the plotting area with its value axis in
millions of kronor, grid lines, the two axis lines, ticks and their labels, a title and axis
titles, and a legend.

The measures are matplotlib's defaults, which the charts had when matplotlib drew them (a
6,4-inch figure whose plotting area is 77,5 % of its width; 8-point text, 10-point bold title;
3,5-point ticks and tick label padding, 4-point axis title padding, 6-point title padding; a
legend's 16-point swatches, 3,2-point border padding and 4-point spacing), so the reports look
as they did. The value axis's ticks are "nice" numbers: 1, 2, 2,5 or 5 times a power of ten,
at most 9 intervals, as far apart as the tick labels need (``value_ticks``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from gnvtools.core.formatting import number
from gnvtools.reports.chart_canvas import Canvas, Label, Line, Rect, Stripes
from gnvtools.reports.chart_font import font

FIGURE_WIDTH = 6.4 * 72  # points
AXES_WIDTH = 0.775 * FIGURE_WIDTH  # the plotting area (matplotlib's default subplot)
AXES_SHARE = 0.77  # of the figure's height
TEXT = 8.0
TITLE = 10.0
SMALL = 7.0  # numbers and notes on the bars
MUTED = "#555555"
TICK = 3.5
TICK_PAD = 3.5
LABEL_PAD = 4.0
TITLE_PAD = 6.0
LINE_WIDTH = 0.8
GRID = "#dddddd"
GRID_WIDTH = 0.6
MARGIN = 0.05  # of the data's span, added beyond it (never beyond 0)
STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
MOST_INTERVALS = 9


@dataclass(frozen=True)
class Scale:
    """Data values ``lo``…``hi`` onto ``start``…``start + length`` points (downwards or, when
    ``upwards``, from the end back)."""

    lo: float
    hi: float
    start: float
    length: float
    upwards: bool = False

    def __call__(self, value: float) -> float:
        share = (value - self.lo) / (self.hi - self.lo)
        return self.start + self.length * ((1 - share) if self.upwards else share)


def value_limits(values: Sequence[int]) -> tuple[float, float]:
    """The value axis's ends: 0 and the values, with ``MARGIN`` beyond the values (not
    beyond 0, where the bars start); a chart of nothing but zeros runs to one million."""
    lo, hi = min([0, *values]), max([0, *values])
    if lo == hi:
        return 0.0, 1_000_000.0
    span = hi - lo
    return (lo - MARGIN * span if lo < 0 else 0.0), (hi + MARGIN * span if hi > 0 else 0.0)


def band_limits(count: int) -> tuple[float, float]:
    """The category axis's ends for ``count`` bands of bars 0,8 wide at 0, 1, 2 … (one
    empty band when there are none)."""
    count = max(1, count)
    span = count - 1 + 0.8
    return -0.4 - MARGIN * span, count - 0.6 + MARGIN * span


def value_ticks(lo: float, hi: float, length: float, spacing: float) -> list[Decimal]:
    """Ticks at multiples of the smallest nice step that gives at most as many intervals
    as fit ``length`` points ``spacing`` apart, and at most ``MOST_INTERVALS``; a finer step
    if that leaves fewer than two ticks; never less than a krona apart."""
    intervals = max(1, min(MOST_INTERVALS, math.floor(length / spacing)))
    raw = Decimal(repr((hi - lo) / intervals))
    scale = Decimal(10) ** math.floor(raw.log10())
    nice = [s * scale for s in STEPS[:-1]] + [s * scale * 10 for s in STEPS[:-1]]
    chosen = next(step for step in nice if step >= raw)
    steps = [step for step in nice if step <= chosen]  # the chosen one last, finer before
    ticks: list[Decimal] = []
    while steps and len(ticks) < 2:
        step = max(Decimal(1), steps.pop())  # whole kronor
        first = math.ceil(Decimal(repr(lo)) / step)
        last = math.floor(Decimal(repr(hi)) / step)
        ticks = [k * step for k in range(first, last + 1)]
    return ticks


def millions(value: Decimal) -> str:
    """A tick's value in kronor as millions, with as many decimals as the tick has (at most
    six: ticks are whole kronor)."""
    shown = value / 1_000_000
    return number(shown, max(0, -int(shown.normalize().as_tuple().exponent)))


@dataclass(frozen=True)
class Axes:
    """The plotting area: ``left``, ``top``, ``width``, ``height`` in points."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def grid(self, canvas: Canvas, xs: Sequence[float] = (), ys: Sequence[float] = ()) -> None:
        """Light grid lines across the area (draw them first: everything else lies over)."""
        for x in xs:
            canvas.add(Line(((x, self.top), (x, self.bottom)), GRID, GRID_WIDTH))
        for y in ys:
            canvas.add(Line(((self.left, y), (self.right, y)), GRID, GRID_WIDTH))

    def spines(self, canvas: Canvas) -> None:
        """The left and bottom axis lines (no box)."""
        corner = ((self.left, self.top), (self.left, self.bottom), (self.right, self.bottom))
        canvas.add(Line(corner, "#000000", LINE_WIDTH))

    def bottom_ticks(self, canvas: Canvas, ticks: Sequence[tuple[float, str]]) -> float:
        """Ticks below the area with their labels centred under them; where the labels end."""
        lowest = self.bottom + TICK + TICK_PAD
        for x, text in ticks:
            canvas.add(Line(((x, self.bottom), (x, self.bottom + TICK)), "#000000", LINE_WIDTH))
            label = Label(
                x, self.bottom + TICK + TICK_PAD, text, TEXT, align="center", valign="top"
            )
            canvas.add(label)
            lowest = max(lowest, label.box()[3])
        return lowest

    def left_ticks(self, canvas: Canvas, ticks: Sequence[tuple[float, str]]) -> float:
        """Ticks left of the area with their labels right-aligned, centred on them; where the
        labels begin."""
        leftmost = self.left - TICK - TICK_PAD
        for y, text in ticks:
            canvas.add(Line(((self.left - TICK, y), (self.left, y)), "#000000", LINE_WIDTH))
            label = Label(
                self.left - TICK - TICK_PAD, y, text, TEXT, align="right", valign="center"
            )
            canvas.add(label)
            leftmost = min(leftmost, label.box()[0])
        return leftmost

    def title(self, canvas: Canvas, text: str) -> None:
        """The title, bold, above the area from its left edge: its last line's baseline
        ``TITLE_PAD`` above it (a longer title grows upwards)."""
        descent = TITLE * font(True).descent / font(True).units_per_em
        canvas.add(
            Label(
                self.left, self.top - TITLE_PAD + descent, text, TITLE, bold=True, valign="bottom"
            )
        )

    def xlabel(self, canvas: Canvas, text: str, below: float) -> None:
        canvas.add(
            Label(
                self.left + self.width / 2,
                below + LABEL_PAD,
                text,
                TEXT,
                align="center",
                valign="top",
            )
        )

    def ylabel(self, canvas: Canvas, text: str, left_of: float) -> None:
        middle = self.top + self.height / 2
        canvas.add(
            Label(
                left_of - LABEL_PAD,
                middle,
                text,
                TEXT,
                align="right",
                valign="center",
                vertical=True,
            )
        )


@dataclass(frozen=True)
class Entry:
    """A legend entry: its text and its swatch (fill, striped, outline)."""

    text: str
    fill: str
    striped: bool = False
    edge: str | None = None


SWATCH = (2.0 * TEXT, 0.7 * TEXT)  # handle length and height
SWATCH_GAP = 0.8 * TEXT
ROW_GAP = 0.5 * TEXT
COLUMN_GAP = 2.0 * TEXT
BORDER = 0.4 * TEXT  # inside the legend's (unframed) box
OUTSIDE = 0.5 * TEXT  # between the box and the area's edge or its anchor


def legend(
    canvas: Canvas,
    entries: Sequence[Entry],
    *,
    columns: int = 1,
    right: float | None = None,
    bottom: float | None = None,
    left: float | None = None,
    top: float | None = None,
) -> None:
    """The entries in ``columns`` columns (filled column by column, the first ones one entry
    longer when they do not come out even), placed by their box's
    lower right corner ``OUTSIDE`` inside (``right``, ``bottom``), or its upper left corner
    ``OUTSIDE`` beyond (``left``, ``top``)."""
    if not entries:
        return
    sizes = [len(entries) // columns + (c < len(entries) % columns) for c in range(columns)]
    starts = [sum(sizes[:c]) for c in range(columns)]
    split = [entries[a : a + size] for a, size in zip(starts, sizes, strict=True) if size]
    labels = [[Label(0, 0, e.text, TEXT) for e in column] for column in split]
    # a row as high as its text (a name with a line break takes two lines), at least a swatch
    heights = [[max(label.block()[1], SWATCH[1]) for label in column] for column in labels]
    widths = [
        max(SWATCH[0] + SWATCH_GAP + label.block()[0] for label in column) for column in labels
    ]
    box_width = sum(widths) + COLUMN_GAP * (len(split) - 1) + 2 * BORDER
    box_height = max(sum(h) + (len(h) - 1) * ROW_GAP for h in heights) + 2 * BORDER
    if right is not None and bottom is not None:
        x0, y0 = right - OUTSIDE - box_width, bottom - OUTSIDE - box_height
    else:
        assert left is not None and top is not None
        x0, y0 = left + OUTSIDE, top + OUTSIDE
    x = x0 + BORDER
    for column, width, column_heights in zip(split, widths, heights, strict=True):
        y = y0 + BORDER
        for entry, height in zip(column, column_heights, strict=True):
            middle = y + height / 2
            swatch = Rect(x, middle - SWATCH[1] / 2, SWATCH[0], SWATCH[1], entry.fill, entry.edge)
            canvas.add(swatch)
            if entry.striped:
                canvas.add(Stripes((swatch,)))
            canvas.add(Label(x + SWATCH[0] + SWATCH_GAP, middle, entry.text, TEXT, valign="center"))
            y += height + ROW_GAP
        x += width + COLUMN_GAP


#: A made-up bar or column is drawn with white stripes: told apart in the image itself (and in
#: greyscale print), with its own legend entry.
MADE_UP_LABEL = "påhittat exempel"
MADE_UP_ENTRY = Entry(f"Streckat: {MADE_UP_LABEL}", "#8a8a8a", striped=True, edge="#ffffff")
