"""Grouped columns' drawing for ``charts.grouped_columns``: the columns with their values, a
missing figure said on the chart, the stripes over made-up columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from gnvtools.core.formatting import number
from gnvtools.reports.chart_axes import MUTED, SMALL, Scale
from gnvtools.reports.chart_canvas import Canvas, Label, Rect, Stripes
from gnvtools.reports.chart_drawing import PALETTE

VALUE_GAP = 2.0  # points between a column's end and its value


def value_label(value: int) -> str:
    """A column's value in millions of kronor, one decimal."""
    return number(Decimal(value) / 1_000_000, 1)


def draw_columns(
    canvas: Canvas,
    x: Scale,
    y: Scale,
    series: Mapping[str, Sequence[int | None]],
    made_up: Mapping[str, Sequence[bool]],
) -> None:
    """One column per group and series (0,8 of a group's band, each column 92 % of its
    share), each with its value above its end, so that a zero is as visible as the rest; a
    figure nobody stated is said on the chart ("uppgift saknas", upright), never drawn as 0;
    a made-up column striped."""
    share = 0.8 / max(1, len(series))
    striped: list[Rect] = []
    notes: list[Label] = []
    for i, (name, values) in enumerate(series.items()):
        marks = made_up.get(name, [False] * len(values))
        for j, value in enumerate(values):
            middle = j - 0.4 + share * (i + 0.5)
            if value is None:
                notes.append(
                    Label(
                        x(middle),
                        y(0),
                        "uppgift saknas",
                        SMALL,
                        colour=MUTED,
                        align="center",
                        valign="bottom",
                        vertical=True,
                    )
                )
                continue
            left, right = x(middle - share * 0.46), x(middle + share * 0.46)
            top, bottom = sorted((y(value), y(0)))
            column = Rect(left, top, right - left, bottom - top, PALETTE[i % 8])
            canvas.add(column)
            if marks[j]:
                striped.append(column)
            notes.append(
                Label(
                    x(middle),
                    y(value) - VALUE_GAP,
                    value_label(value),
                    SMALL,
                    align="center",
                    valign="bottom",
                )
            )
    if striped:
        canvas.add(Stripes(tuple(striped)))
    canvas.add(*notes)
