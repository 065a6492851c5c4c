"""Charts in one consistent style: Okabe–Ito colours (safe for colour-blind readers), Swedish
number format on the axes, a title and labelled axes on every chart.

A chart is laid out by gnvtools as shapes on a ``Canvas`` (``chart_axes`` for what every chart
has) and written as SVG by gnvtools itself (``chart_svg``): no plotting library is imported to
make a report, and the same chart gives the same bytes. It is returned as a ``Chart``: the SVG
embedded as a data URI with alt text, so the HTML report is self-contained and the PDF holds
the chart as vector graphics. Word cannot show SVG, so when a report is also made as Word
(``chart_png`` in ``core.options``, which ``gnv render`` gives the report for ``docx``; or
``png=True``), each chart also carries the same drawing as a PNG at print resolution
(``chart_png``, matplotlib's rasteriser), which the Word export reads.
"""

from __future__ import annotations

import base64
import operator
import textwrap
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from gnvtools.core import options
from gnvtools.core.formatting import kr
from gnvtools.reports.chart_axes import (
    AXES_SHARE,
    AXES_WIDTH,
    MADE_UP_ENTRY,
    MADE_UP_LABEL,
    MUTED,
    SMALL,
    TEXT,
    Axes,
    Entry,
    Scale,
    band_limits,
    legend,
    millions,
    value_limits,
    value_ticks,
)
from gnvtools.reports.chart_canvas import Canvas, Label, Rect, Stripes
from gnvtools.reports.chart_columns import draw_columns
from gnvtools.reports.chart_drawing import PALETTE, prepare_drawing
from gnvtools.reports.chart_svg import svg_of
from gnvtools.reports.display import esc
from gnvtools.reports.document import DOCUMENT_MIME, ChartBlock, bundle

__all__ = ["PALETTE", "Chart", "grouped_columns", "horizontal_bars", "prepare_drawing"]


LABEL_WIDTH = 38  # characters per line of an axis label before it wraps


class Chart:
    """A finished chart: SVG bytes (and PNG bytes when asked for), alt text and a caption.

    ``png``: also make the PNG; ``None``: as the caller's options say (``chart_png``)."""

    def __init__(self, canvas: Canvas, alt: str, caption: str, png: bool | None = None) -> None:
        self.canvas = canvas  # the shapes, for whoever looks closer (not serialised)
        self.svg = svg_of(canvas)
        self.png = None
        if options.current().chart_png if png is None else png:
            from gnvtools.reports.chart_png import png_of

            self.png = png_of(canvas)
        self.alt = alt
        self.caption = caption

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.svg).decode("ascii")
        return (
            f'<figure class="chart"><img src="data:image/svg+xml;base64,{data}"'
            f' alt="{esc(self.alt)}"><figcaption>{esc(self.caption)}</figcaption></figure>'
        )

    def block(self) -> ChartBlock:
        """The chart as a document block: alt text, caption, the SVG and the PNG if made."""
        png = base64.b64encode(self.png).decode("ascii") if self.png is not None else ""
        return ChartBlock(self.alt, self.caption, base64.b64encode(self.svg).decode("ascii"), png)

    def _repr_mimebundle_(self, **_: object) -> dict[str, Any]:
        # The PNG travels in the document block only: nothing that reads HTML shows it.
        return {"text/html": self._repr_html_(), DOCUMENT_MIME: bundle([self.block()])}

    def __repr__(self) -> str:
        return f"Diagram: {self.caption}"


def _amount_or_missing(value: int | None) -> str:
    return "uppgift saknas" if value is None else kr(value)


def whole_kronor(
    name: str, values: Sequence[Any], count: int, missing: bool = False
) -> list[int | None]:
    """A series' amounts as whole kronor (``int``; numpy's and pandas' integers, and any
    number with no fraction, accepted; ``None`` for a missing one when ``missing``), one per
    label; anything else is refused in Swedish rather than drawn wrong."""
    if len(values) != count:
        raise ValueError(
            f"diagrammet: serien {name!r} har {len(values)} värden men diagrammet har {count} "
            "etiketter"
        )
    amounts: list[int | None] = []
    for value in values:
        if value is None and missing:
            amounts.append(None)
            continue
        try:
            amounts.append(operator.index(value))
            continue
        except TypeError:
            pass
        try:
            whole = int(value)
            if whole == value:
                amounts.append(whole)
                continue
        except (TypeError, ValueError, OverflowError):
            pass
        raise ValueError(
            f"diagrammet: serien {name!r} har ett värde som inte är hela kronor: {value!r}"
        )
    return amounts


def _bars(
    canvas: Canvas,
    x: Scale,
    y: Scale,
    series: Mapping[str, Sequence[int]],
    striped: Collection[str],
    striped_bars: Collection[int],
) -> None:
    """One bar per label and series, the series side by side within a label's band (0,8 of
    it, each bar 92 % of its share); the bars of a series in ``striped`` and every bar of a
    label in ``striped_bars`` striped; a "0" at the start of an empty bar, which would look
    like a missing one."""
    share = 0.8 / max(1, len(series))
    marked: list[Rect] = []
    zeros: list[Label] = []
    for i, (name, values) in enumerate(series.items()):
        for j, value in enumerate(values):
            middle = j - 0.4 + share * (i + 0.5)
            top, bottom = y(middle - share * 0.46), y(middle + share * 0.46)
            start, end = sorted((x(0), x(value)))
            bar = Rect(start, top, end - start, bottom - top, PALETTE[i % 8])
            canvas.add(bar)
            if name in striped or j in striped_bars:
                marked.append(bar)
            if value == 0:
                zeros.append(Label(x(0) + 3, y(middle), "0", SMALL, colour=MUTED, valign="center"))
    if marked:
        canvas.add(Stripes(tuple(marked)))
    canvas.add(*zeros)


def _bars_alt(
    title: str,
    labels: Sequence[str],
    amounts: Mapping[str, Sequence[int]],
    made_up: Collection[str],
    bars_made_up: Sequence[str],
) -> str:
    """The bar chart's alt text: every amount in words, and what is made up."""
    alt = f"{title}. " + "; ".join(
        f"{label}: " + ", ".join(f"{name} {kr(vals[j])}" for name, vals in amounts.items())
        for j, label in enumerate(labels)
    )
    if made_up:
        alt += ". Påhittat exempel: " + ", ".join(n for n in amounts if n in made_up)
    if bars_made_up:
        alt += ". Streckat, påhittat exempel: " + ", ".join(bars_made_up)
    return alt


def horizontal_bars(
    labels: Sequence[str],
    series: Mapping[str, Sequence[Any]],
    *,
    title: str,
    xlabel: str = "miljoner kronor",
    caption: str = "",
    made_up: Collection[str] = (),
    made_up_bars: Collection[int] = (),
) -> Chart:
    """Horizontal bars, one group per label and one bar per series (amounts in whole kronor,
    one per label: ``whole_kronor``).

    A series named in ``made_up`` rests on made-up data: it is drawn striped and its legend
    entry and the alt text say so. A label whose index is in ``made_up_bars`` rests on made-up
    data in every series: its bars are striped, the legend says what stripes are and the alt
    text names it. Long labels wrap (``LABEL_WIDTH`` characters a line); none is cut.
    """
    amounts = {
        name: [v for v in whole_kronor(name, values, len(labels)) if v is not None]
        for name, values in series.items()
    }
    wrapped = [textwrap.fill(label, LABEL_WIDTH) for label in labels]
    lines = sum(max(1, w.count("\n") + 1) for w in wrapped)
    height = max(2.0, 0.26 * max(len(labels) * max(1, len(amounts)), lines) + 0.9)
    bars_made_up = [label for j, label in enumerate(labels) if j in made_up_bars]
    alt = _bars_alt(title, labels, amounts, made_up, bars_made_up)
    canvas = Canvas()
    axes = Axes(0.0, 0.0, AXES_WIDTH, AXES_SHARE * height * 72)
    lo, hi = value_limits([v for values in amounts.values() for v in values])
    x = Scale(lo, hi, axes.left, axes.width)
    y = Scale(*band_limits(len(labels)), axes.top, axes.height)  # the first label on top
    ticks = value_ticks(lo, hi, axes.width, 3 * TEXT)
    axes.grid(canvas, xs=[x(float(t)) for t in ticks])
    _bars(canvas, x, y, amounts, made_up, made_up_bars)
    axes.spines(canvas)
    below = axes.bottom_ticks(canvas, [(x(float(t)), millions(t)) for t in ticks])
    axes.left_ticks(canvas, [(y(j), label) for j, label in enumerate(wrapped)])
    axes.xlabel(canvas, xlabel, below)
    axes.title(canvas, title)
    if len(amounts) > 1 or made_up or bars_made_up:
        entries = [
            Entry(
                name + (f" ({MADE_UP_LABEL})" if name in made_up else ""),
                PALETTE[i % 8],
                name in made_up,
            )
            for i, name in enumerate(amounts)
        ]
        entries += [MADE_UP_ENTRY] if bars_made_up else []
        legend(
            canvas, entries, columns=min(len(entries), 3), left=axes.left, top=canvas.extent()[3]
        )
    return Chart(canvas, alt, caption or title)


def grouped_columns(
    groups: Sequence[str],
    series: Mapping[str, Sequence[Any]],
    *,
    title: str,
    ylabel: str = "miljoner kronor",
    caption: str = "",
    made_up: Mapping[str, Sequence[bool]] | None = None,
) -> Chart:
    """Vertical grouped columns (e.g. one group per year); ``None`` is drawn as missing.

    ``made_up[name][j]`` marks one column as resting on made-up data: it is drawn striped, the
    legend explains the stripes and the alt text names each such column.
    """
    amounts = {
        name: whole_kronor(name, values, len(groups), missing=True)
        for name, values in series.items()
    }
    marked = made_up or {}

    def shown(name: str, values: Sequence[int | None], j: int) -> str:
        mark = f" ({MADE_UP_LABEL})" if marked.get(name, [False] * len(values))[j] else ""
        return f"{name} {_amount_or_missing(values[j])}{mark}"

    alt = f"{title}. " + "; ".join(
        f"{g}: " + ", ".join(shown(name, vals, j) for name, vals in amounts.items())
        for j, g in enumerate(groups)
    )
    canvas = Canvas()
    axes = Axes(0.0, 0.0, AXES_WIDTH, AXES_SHARE * 3.2 * 72)
    lo, hi = value_limits([v for values in amounts.values() for v in values if v is not None])
    y = Scale(lo, hi, axes.top, axes.height, upwards=True)
    x = Scale(*band_limits(len(groups)), axes.left, axes.width)
    ticks = value_ticks(lo, hi, axes.height, 2 * TEXT)
    axes.grid(canvas, ys=[y(float(t)) for t in ticks])
    draw_columns(canvas, x, y, amounts, marked)
    axes.spines(canvas)
    below = axes.bottom_ticks(canvas, [(x(j), group) for j, group in enumerate(groups)])
    left_of = axes.left_ticks(canvas, [(y(float(t)), millions(t)) for t in ticks])
    axes.ylabel(canvas, ylabel, left_of)
    axes.title(canvas, title)
    entries = [Entry(name, PALETTE[i % 8]) for i, name in enumerate(amounts)]
    entries += [MADE_UP_ENTRY] if any(any(marks) for marks in marked.values()) else []
    legend(
        canvas,
        entries,
        columns=min(len(entries), 3),
        left=axes.left,
        top=max(below, axes.bottom + 0.12 * axes.height),
    )
    return Chart(canvas, alt, caption or title)
