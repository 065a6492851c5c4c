"""The charts' colours, and what drawing them needs read before a build forks its reports.

No plotting library is imported to draw a chart as SVG (``chart_svg``); matplotlib is
imported only to paint one as PNG for Word (``chart_png``).
"""

from __future__ import annotations

# Okabe & Ito (2008), "Color Universal Design".
# Okabe–Ito hues (safe for colour blindness), darkened where needed so that every series has at
# least 3:1 contrast against the white background (WCAG 2.1, 1.4.11); tested.
PALETTE = ["#0072B2", "#B35000", "#00785A", "#A8457F", "#2D6E9E", "#8F5A00", "#5C5C5C", "#000000"]


def prepare_drawing() -> None:
    """Read the typeface and the outlines of the common characters (about 0,1 s), so that a
    process pays for it when it chooses: e.g. once before forking report processes."""
    from gnvtools.reports.chart_font import prepare

    prepare()
