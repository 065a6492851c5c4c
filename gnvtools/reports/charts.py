"""Charts in one consistent style: Okabe–Ito colours (safe for colour-blind readers), Swedish
number format on the axes, a title and labelled axes on every chart.

Figures are built with matplotlib's object API (no pyplot: no global state, no GUI backend, and
a faster import in every report kernel). A chart is returned as a ``Chart``: an SVG embedded as a
data URI with alt text, so the HTML report is self-contained, the PDF holds the chart as vector
graphics (sharp at any zoom), and nothing is rasterised twice (SVG takes about half the time of a
200 dpi PNG to make, and the browser prints it faster). Word cannot show SVG, so when a report is
also made as Word (``chart_png`` in ``core.options``, which ``gnv render`` gives the report for
``docx``; or ``png=True``), each chart also carries a PNG at print resolution in its document
block, which the Word export reads.
"""

from __future__ import annotations

import base64
import hashlib
import io
import textwrap
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.rcsetup import cycler
from matplotlib.ticker import FuncFormatter

from gnvtools.core import options
from gnvtools.core.formatting import kr, number
from gnvtools.reports.display import esc
from gnvtools.reports.document import DOCUMENT_MIME, ChartBlock, bundle

# Okabe & Ito (2008), "Color Universal Design".
# Okabe–Ito hues (safe for colour blindness), darkened where needed so that every series has at
# least 3:1 contrast against the white background (WCAG 2.1, 1.4.11); tested.
PALETTE = ["#0072B2", "#B35000", "#00785A", "#A8457F", "#2D6E9E", "#8F5A00", "#5C5C5C", "#000000"]
DPI = 200


def _style() -> None:
    matplotlib.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "axes.titlesize": 10,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": cycler(color=PALETTE),
            "axes.grid": True,
            "grid.color": "#dddddd",
            "grid.linewidth": 0.6,
            "axes.axisbelow": True,
            "svg.hashsalt": "gnvtools",
        }
    )


def _mnkr_axis(value: float, _pos: int) -> str:
    millions = Decimal(str(float(value))) / 1_000_000
    return number(millions, 0 if millions == millions.to_integral_value() else 1)


def svg_key(svg: bytes) -> str:
    return hashlib.sha256(svg).hexdigest()


LABEL_WIDTH = 38  # characters per line of an axis label before it wraps


def no_math(text: str) -> str:
    """Text from data shown as written: matplotlib would read ``$…$`` as math (and may fail)."""
    return text.replace("$", r"\$")


class Chart:
    """A finished chart: SVG bytes (and PNG bytes when asked for), alt text and a caption.

    ``png``: also make the PNG; ``None``: as the caller's options say (``chart_png``)."""

    def __init__(self, figure: Figure, alt: str, caption: str, png: bool | None = None) -> None:
        buffer = io.BytesIO()
        # No date and a fixed hash salt (see _style): the same chart gives the same bytes.
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        self.svg = buffer.getvalue()
        self.png: bytes | None = None
        if options.current().chart_png if png is None else png:
            buffer = io.BytesIO()
            figure.savefig(
                buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None}
            )
            self.png = buffer.getvalue()
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


#: How a made-up bar or column is drawn: white stripes over its series colour, so that it is
#: told apart in the image itself (and in greyscale print), with its own legend entry.
HATCH = "////"
MADE_UP_LABEL = "påhittat exempel"


def _made_up_style(made_up: bool) -> dict[str, Any]:
    """Keyword arguments for a bar: striped when made up."""
    if not made_up:
        return {}
    return {"hatch": HATCH, "edgecolor": "white", "linewidth": 0}


def _made_up_patch() -> Patch:
    return Patch(
        facecolor="#8a8a8a", hatch=HATCH, edgecolor="white", label=f"Streckat: {MADE_UP_LABEL}"
    )


def horizontal_bars(
    labels: Sequence[str],
    series: dict[str, Sequence[int]],
    *,
    title: str,
    xlabel: str = "miljoner kronor",
    caption: str = "",
    made_up: Collection[str] = (),
) -> Chart:
    """Horizontal bars, one group per label and one bar per series (amounts in kronor).

    A series named in ``made_up`` rests on made-up data: it is drawn striped and its legend
    entry and the alt text say so.
    """
    _style()
    wrapped = [textwrap.fill(no_math(label), LABEL_WIDTH) for label in labels]
    lines = sum(max(1, w.count("\n") + 1) for w in wrapped)
    height = max(2.0, 0.26 * max(len(labels) * max(1, len(series)), lines) + 0.9)
    fig = Figure(figsize=(6.4, height))
    ax = fig.subplots()
    count = len(series)
    bar = 0.8 / count
    positions = list(range(len(labels)))
    for i, (name, values) in enumerate(series.items()):
        offsets = [p - 0.4 + bar * (i + 0.5) for p in positions]
        shown = no_math(name) + (f" ({MADE_UP_LABEL})" if name in made_up else "")
        ax.barh(
            offsets,
            list(values),
            height=bar * 0.92,
            label=shown,
            color=PALETTE[i % 8],
            **_made_up_style(name in made_up),
        )
        for y, value in zip(offsets, values, strict=True):
            if value == 0:  # an empty bar would look like a missing one
                ax.annotate(
                    "0",
                    (0, y),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=7,
                    color="#555555",
                )
    ax.set_yticks(positions, labels=wrapped)  # long names wrap; they are never cut
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(FuncFormatter(_mnkr_axis))
    ax.set_xlabel(xlabel)
    ax.set_title(no_math(title), loc="left")
    ax.grid(axis="y", visible=False)
    if count > 1 or made_up:
        ax.legend(frameon=False, loc="lower right")
    alt = f"{title}. " + "; ".join(
        f"{label}: " + ", ".join(f"{name} {kr(vals[j])}" for name, vals in series.items())
        for j, label in enumerate(labels)
    )
    if made_up:
        alt += ". Påhittat exempel: " + ", ".join(n for n in series if n in made_up)
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
    _style()
    made_up = made_up or {}
    fig = Figure(figsize=(6.4, 3.2))
    ax = fig.subplots()
    count = len(series)
    width = 0.8 / count
    for i, (name, values) in enumerate(series.items()):
        marks = made_up.get(name, [False] * len(values))
        for j, value in enumerate(values):
            x = j - 0.4 + width * (i + 0.5)
            if value is None:
                ax.text(
                    x,
                    0,
                    "uppgift saknas",
                    rotation=90,
                    ha="center",
                    va="bottom",
                    fontsize=7,
                    color="#555555",
                )
                continue
            ax.bar(x, value, width=width * 0.92, color=PALETTE[i % 8], **_made_up_style(marks[j]))
            # The value on every column, so that a zero is as visible as the rest.
            ax.annotate(
                _mnkr_label(value),
                (x, value),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7,
            )
    ax.set_xticks(range(len(groups)), labels=[no_math(g) for g in groups])
    ax.yaxis.set_major_formatter(FuncFormatter(_mnkr_axis))
    ax.set_ylabel(ylabel)
    ax.set_title(no_math(title), loc="left")
    ax.grid(axis="x", visible=False)
    handles = [Patch(color=PALETTE[i % 8], label=no_math(name)) for i, name in enumerate(series)]
    any_made_up = any(any(marks) for marks in made_up.values())
    if any_made_up:
        handles.append(_made_up_patch())
    ax.legend(
        handles=handles,
        frameon=False,
        ncols=min(len(handles), 3),
        loc="upper left",
        bbox_to_anchor=(0, -0.12),
    )

    def shown(name: str, values: Sequence[int | None], j: int) -> str:
        mark = f" ({MADE_UP_LABEL})" if made_up.get(name, [False] * len(values))[j] else ""
        return f"{name} {_amount_or_missing(values[j])}{mark}"

    alt = f"{title}. " + "; ".join(
        f"{g}: " + ", ".join(shown(name, vals, j) for name, vals in series.items())
        for j, g in enumerate(groups)
    )
    return Chart(fig, alt, caption or title)
