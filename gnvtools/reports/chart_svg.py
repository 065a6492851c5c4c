"""A ``Canvas`` written as SVG by gnvtools itself: no plotting library is imported, and the same
chart gives the same bytes in every process (no date, no random ids).

Text is drawn as paths: each glyph used is defined once (``<defs>``, in font units) and placed
with ``<use>``, so no font is needed to show the chart and the printed PDF has no text layer
for its axis numbers. The stripes over made-up bars are one path of white lines clipped to
those bars (a ``<pattern>`` fill would be printed by Chromium as bitmap images).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gnvtools.reports.chart_canvas import Canvas, Label, Line, Rect, Stripes, stripe_segments
from gnvtools.reports.chart_font import Command, font

PAD = 0.1 * 72  # points of white around everything drawn
HEAD = (
    '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}" version="1.1">\n'
)


def n(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros, never ``-0``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def comment(text: str) -> str:
    """Text from data as the body of an XML comment (the label's words, searchable in the SVG,
    as matplotlib wrote them): no character XML forbids, no ``--`` (which would end the
    comment and let the rest be read as markup)."""
    allowed = "".join(
        c
        if (c == " " or ord(c) >= 0x20)
        and not 0xD800 <= ord(c) <= 0xDFFF
        and c not in "\ufffe\uffff"
        else " "
        for c in text
    )
    return re.sub(r"-(?=-)", "- ", allowed)


def outline_d(commands: Iterable[Command]) -> str:
    """An outline as SVG path data."""
    parts = []
    for op, coords in commands:
        parts.append(op + " ".join(n(c) for c in coords) if coords else "z")
    return "".join(parts)


def moved(rect: Rect, dx: float, dy: float) -> Rect:
    return Rect(rect.x + dx, rect.y + dy, rect.width, rect.height, rect.fill, rect.edge)


def svg_of(canvas: Canvas, pad: float = PAD) -> bytes:
    """The canvas as an SVG document, ``pad`` points of white around what is drawn."""
    width, height, dx, dy = canvas.frame(pad)
    glyphs: dict[str, str] = {}  # id -> path data
    body: list[str] = [f'<rect width="{n(width)}" height="{n(height)}" style="fill: #ffffff"/>']
    clips = 0
    for item in canvas.items:
        if isinstance(item, Rect):
            r = moved(item, dx, dy)
            edge = f"; stroke: {r.edge}; stroke-width: 1" if r.edge else ""
            body.append(
                f'<rect x="{n(r.x)}" y="{n(r.y)}" width="{n(r.width)}" height="{n(r.height)}" '
                f'style="fill: {r.fill}{edge}"/>'
            )
        elif isinstance(item, Line):
            d = "M" + "L".join(f"{n(x + dx)} {n(y + dy)}" for x, y in item.points)
            body.append(
                f'<path d="{d}" style="fill: none; stroke: {item.colour}; '
                f'stroke-width: {n(item.width)}; stroke-linejoin: miter"/>'
            )
        elif isinstance(item, Stripes):
            rects = item.shown()
            if not rects:
                continue
            clips += 1
            outline = "".join(
                f"M{n(r.x + dx)} {n(r.y + dy)}h{n(r.width)}v{n(r.height)}h{n(-r.width)}z"
                for r in rects
            )
            lines = "".join(
                f"M{n(a + dx)} {n(b + dy)}L{n(c + dx)} {n(d + dy)}"
                for (a, b), (c, d) in stripe_segments(rects, item.spacing, item.width)
            )
            body.append(f'<clipPath id="stripes{clips}">\n<path d="{outline}"/>\n</clipPath>')
            body.append(  # white, butt ends: SVG's default ends
                f'<path d="{lines}" stroke-width="{n(item.width)}" '
                f'clip-path="url(#stripes{clips})" style="fill: none; stroke: #ffffff"/>'
            )
        else:
            body.append(_label(item, dx, dy, glyphs))
    defs = "".join(f'<path id="{key}" d="{d}"/>\n' for key, d in sorted(glyphs.items()) if d)
    head = HEAD.format(w=n(width), h=n(height))
    return (head + f"<defs>\n{defs}</defs>\n" + "\n".join(body) + "\n</svg>\n").encode("utf-8")


def _label(label: Label, dx: float, dy: float, glyphs: dict[str, str]) -> str:
    """A label's lines as placed glyphs; the glyphs' outlines added to ``glyphs``."""
    face = font(label.bold)
    scale = f"{label.size / face.units_per_em:.6g}"
    prefix = "b" if label.bold else "r"
    turn = " rotate(-90)" if label.vertical else ""
    lines = []
    for x, y, placed in label.glyphs():
        uses = []
        for name, offset in placed:
            key = f"{prefix}{face.tt.getGlyphID(name)}"
            if key not in glyphs:
                glyphs[key] = outline_d(face.outline(name))
            if glyphs[key]:  # a space has no outline
                uses.append(f'<use xlink:href="#{key}" x="{offset}"/>')
        lines.append(
            f'<g transform="translate({n(x + dx)} {n(y + dy)}){turn} scale({scale} -{scale})">'
            + "".join(uses)
            + "</g>"
        )
    return (
        f'<!-- {comment(label.text)} -->\n<g style="fill: {label.colour}">'
        + "".join(lines)
        + "</g>"
    )
