"""Charts in one consistent style: Okabe–Ito colours (safe for colour-blind readers), Swedish
number format on the axes, a title and labelled axes on every chart.

Figures are built with matplotlib's object API (no pyplot: no global state, no GUI backend) and
written by ``chart_drawing``, which imports matplotlib only when a chart is drawn. A chart is
returned as a ``Chart``: an SVG embedded as a data URI with alt text, so the HTML report is
self-contained, the PDF holds the chart as vector graphics (sharp at any zoom), and nothing is
rasterised twice (SVG takes about half the time of a 200 dpi PNG to make, and the browser prints
it faster). Word cannot show SVG, so when a report is also made as Word (``chart_png`` in
``core.options``, which ``gnv render`` gives the report for ``docx``; or ``png=True``), each
chart also carries a PNG at print resolution in its document block, which the Word export reads.
"""

from __future__ import annotations

import base64
import functools
import textwrap
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from gnvtools.core import options
from gnvtools.core.formatting import kr, number
from gnvtools.reports.chart_drawing import (
    PALETTE,
    drawing,
    import_drawing,
    new_axes,
    png_of,
    svg_of,
)
from gnvtools.reports.display import esc
from gnvtools.reports.document import DOCUMENT_MIME, ChartBlock, bundle

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

__all__ = ["PALETTE", "Chart", "grouped_columns", "horizontal_bars", "import_drawing"]


def _mnkr_axis(value: float, _pos: float) -> str:
    return _millions(value)


@functools.lru_cache(maxsize=256)
def _millions(value: float) -> str:
    """An axis value in kronor shown in millions (matplotlib asks for each tick many times)."""
    millions = Decimal(str(float(value))) / 1_000_000
    return number(millions, 0 if millions == millions.to_integral_value() else 1)


LABEL_WIDTH = 38  # characters per line of an axis label before it wraps


def no_math(text: str) -> str:
    """Text from data shown as written: matplotlib would read ``$…$`` as math (and may fail)."""
    return text.replace("$", r"\$")


class Chart:
    """A finished chart: SVG bytes (and PNG bytes when asked for), alt text and a caption.

    ``png``: also make the PNG; ``None``: as the caller's options say (``chart_png``)."""

    def __init__(self, figure: Figure, alt: str, caption: str, png: bool | None = None) -> None:
        self.svg = svg_of(figure)
        self.png = png_of(figure) if (options.current().chart_png if png is None else png) else None
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


def _mnkr_label(value: int) -> str:
    return number(Decimal(value) / 1_000_000, 1)


def _amount_or_missing(value: int | None) -> str:
    return "uppgift saknas" if value is None else kr(value)


#: A made-up bar or column is drawn with white stripes (``chart_stripes``): told apart in the
#: image itself (and in greyscale print), with its own legend entry.
MADE_UP_LABEL = "påhittat exempel"


def _made_up_patch() -> Patch:
    """The legend's swatch for the stripes (drawn striped by ``chart_stripes.striped_handler``)."""
    from matplotlib.patches import Patch

    return Patch(facecolor="#8a8a8a", edgecolor="white", label=f"Streckat: {MADE_UP_LABEL}")


def _zero_mark(ax: Axes, y: float) -> None:
    """A small "0" at the start of an empty bar, which would look like a missing one."""
    ax.annotate(
        "0",
        (0, y),
        xytext=(3, 0),
        textcoords="offset points",
        va="center",
        fontsize=7,
        color="#555555",
    )


def _bars(
    ax: Axes,
    count: int,
    series: dict[str, Sequence[int]],
    made_up: Collection[str],
    made_up_bars: Collection[int] = (),
) -> list[BarContainer]:
    """One bar per label and series, series side by side within a label's band; the made-up
    series' bars striped, and returned (their legend entries are striped too), and every bar
    of a label in ``made_up_bars`` striped."""
    from gnvtools.reports.chart_stripes import stripe

    bar = 0.8 / len(series)
    striped, patches = [], []
    for i, (name, values) in enumerate(series.items()):
        offsets = [p - 0.4 + bar * (i + 0.5) for p in range(count)]
        shown = no_math(name) + (f" ({MADE_UP_LABEL})" if name in made_up else "")
        bars = ax.barh(offsets, list(values), height=bar * 0.92, label=shown, color=PALETTE[i % 8])
        if name in made_up:
            striped.append(bars)
        patches += [b for j, b in enumerate(bars) if name in made_up or j in made_up_bars]
        for y, value in zip(offsets, values, strict=True):
            if value == 0:
                _zero_mark(ax, y)
    stripe(ax, patches)
    return striped


def _bars_legend(ax: Axes, striped: list[BarContainer], swatch: bool) -> None:
    """The series' legend, a made-up series' swatch striped as its bars; ``swatch``: also an
    entry saying what a striped bar is."""
    from matplotlib.legend_handler import update_from_first_child

    from gnvtools.reports.chart_stripes import striped_handler

    handles, _ = ax.get_legend_handles_labels()
    handler_map: dict[Any, Any] = dict.fromkeys(
        striped, striped_handler(update_func=update_from_first_child)
    )
    if swatch:
        made_up_swatch = _made_up_patch()
        handles.append(made_up_swatch)
        handler_map[made_up_swatch] = striped_handler()
    ax.legend(handles=handles, frameon=False, loc="lower right", handler_map=handler_map)


def horizontal_bars(
    labels: Sequence[str],
    series: dict[str, Sequence[int]],
    *,
    title: str,
    xlabel: str = "miljoner kronor",
    caption: str = "",
    made_up: Collection[str] = (),
    made_up_bars: Collection[int] = (),
) -> Chart:
    """Horizontal bars, one group per label and one bar per series (amounts in kronor).

    A series named in ``made_up`` rests on made-up data: it is drawn striped and its legend
    entry and the alt text say so. A label whose index is in ``made_up_bars`` rests on made-up
    data in every series: its bars are striped, the legend says what stripes are and the alt
    text names it.
    """
    wrapped = [textwrap.fill(no_math(label), LABEL_WIDTH) for label in labels]
    lines = sum(max(1, w.count("\n") + 1) for w in wrapped)
    height = max(2.0, 0.26 * max(len(labels) * max(1, len(series)), lines) + 0.9)
    alt = f"{title}. " + "; ".join(
        f"{label}: " + ", ".join(f"{name} {kr(vals[j])}" for name, vals in series.items())
        for j, label in enumerate(labels)
    )
    if made_up:
        alt += ". Påhittat exempel: " + ", ".join(n for n in series if n in made_up)
    bars_made_up = [label for j, label in enumerate(labels) if j in made_up_bars]
    if bars_made_up:
        alt += ". Streckat, påhittat exempel: " + ", ".join(bars_made_up)
    with drawing():
        fig, ax = new_axes(6.4, height)
        striped = _bars(ax, len(labels), series, made_up, made_up_bars)
        ax.set_yticks(range(len(labels)), labels=wrapped)  # long names wrap; never cut
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(_mnkr_axis)
        ax.set_xlabel(xlabel)
        ax.set_title(no_math(title), loc="left")
        ax.grid(axis="y", visible=False)
        if len(series) > 1 or made_up or bars_made_up:
            _bars_legend(ax, striped, bool(bars_made_up))
        return Chart(fig, alt, caption or title)


def grouped_columns(
    groups: Sequence[str],
    series: dict[str, Sequence[int | None]],
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
    marked = made_up or {}

    def shown(name: str, values: Sequence[int | None], j: int) -> str:
        mark = f" ({MADE_UP_LABEL})" if marked.get(name, [False] * len(values))[j] else ""
        return f"{name} {_amount_or_missing(values[j])}{mark}"

    alt = f"{title}. " + "; ".join(
        f"{g}: " + ", ".join(shown(name, vals, j) for name, vals in series.items())
        for j, g in enumerate(groups)
    )
    from gnvtools.reports.chart_columns import columns_legend, draw_columns

    with drawing():
        fig, ax = new_axes(6.4, 3.2)
        draw_columns(ax, series, marked)
        ax.set_xticks(range(len(groups)), labels=[no_math(g) for g in groups])
        ax.yaxis.set_major_formatter(_mnkr_axis)
        ax.set_ylabel(ylabel)
        ax.set_title(no_math(title), loc="left")
        ax.grid(axis="x", visible=False)
        columns_legend(ax, series, marked)
        return Chart(fig, alt, caption or title)
