"""Grouped columns' drawing for ``charts.grouped_columns``: the columns with their values, a
missing figure said on the chart, and the legend with the stripes of made-up columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from gnvtools.reports.chart_drawing import PALETTE
from gnvtools.reports.charts import _made_up_patch, _mnkr_label, no_math

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.patches import Rectangle


def _missing_mark(ax: Axes, x: float) -> None:
    """A figure nobody stated: said on the chart, never drawn as 0."""
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


def draw_columns(
    ax: Axes, series: dict[str, Sequence[int | None]], made_up: Mapping[str, Sequence[bool]]
) -> None:
    """One column per group and series, each with its value on top; a made-up one striped."""
    from gnvtools.reports.chart_stripes import stripe

    width = 0.8 / len(series)
    striped: list[Rectangle] = []
    for i, (name, values) in enumerate(series.items()):
        marks = made_up.get(name, [False] * len(values))
        for j, value in enumerate(values):
            x = j - 0.4 + width * (i + 0.5)
            if value is None:
                _missing_mark(ax, x)
                continue
            column = ax.bar(x, value, width=width * 0.92, color=PALETTE[i % 8])
            if marks[j]:
                striped += column
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
    stripe(ax, striped)


def columns_legend(
    ax: Axes, series: dict[str, Sequence[int | None]], made_up: Mapping[str, Sequence[bool]]
) -> None:
    """The series' colours, and the stripes if any column is made up, below the chart."""
    from matplotlib.patches import Patch

    from gnvtools.reports.chart_stripes import striped_handler

    handles = [Patch(color=PALETTE[i % 8], label=no_math(name)) for i, name in enumerate(series)]
    striped = {}
    if any(any(marks) for marks in made_up.values()):
        swatch = _made_up_patch()
        handles.append(swatch)
        striped[swatch] = striped_handler()
    ax.legend(
        handles=handles,
        handler_map=striped,
        frameon=False,
        ncols=min(len(handles), 3),
        loc="upper left",
        bbox_to_anchor=(0, -0.12),
    )
