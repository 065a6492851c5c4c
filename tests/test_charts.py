"""Charts: laid out and written as SVG by gnvtools without matplotlib (imported only to paint
the PNG for Word, the same drawing); text drawn as the typeface's own outlines, measured as
matplotlib measures it; everything inside the picture; nice ticks; the same chart gives the
same bytes."""

from __future__ import annotations

import io
import itertools
import os
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gnvtools.core.formatting import plain
from gnvtools.core.options import using
from gnvtools.reports import charts
from gnvtools.reports.chart_axes import millions, value_limits, value_ticks
from gnvtools.reports.chart_canvas import Label, Line, Rect
from gnvtools.reports.chart_font import font
from gnvtools.reports.chart_png import DPI
from gnvtools.reports.chart_svg import PAD

LONG = (
    "Förebyggande och hälsofrämjande arbete i hälso- och sjukvården samt omställningen till en "
    "god och nära vård i Norra Jämtlands kommunalförbund"
)


def _python(code: str) -> str:
    """Run ``code`` in a fresh interpreter; its standard output."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "random"},
    )
    return done.stdout


def test_reports_draw_their_charts_without_matplotlib() -> None:
    """Importing every report module and drawing SVG charts imports no matplotlib; only the
    PNG for Word does."""
    out = _python(
        """
        import pkgutil, sys
        import gnvtools.core, gnvtools.reports
        for package in (gnvtools.core, gnvtools.reports):
            for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
                __import__(module.name)
        from gnvtools.reports import charts
        charts.prepare_drawing()
        charts.horizontal_bars(["Å"], {"Belopp": [1_000_000]}, title="Titel")
        made_up = {"Belopp": [True]}
        charts.grouped_columns(["2023"], {"Belopp": [None]}, title="Titel", made_up=made_up)
        print(sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib"))
        from gnvtools.core.options import using
        with using(chart_png=True):
            chart = charts.horizontal_bars(["Å"], {"Belopp": [1_000_000]}, title="Titel")
        png = chart.png[1:4] == b"PNG"
        print(chart.svg.startswith(b"<?xml"), png, "matplotlib" in sys.modules)
        """
    )
    assert out.splitlines() == ["[]", "True True True"]


def _chart(png: bool = False) -> charts.Chart:
    with using(chart_png=png):
        return charts.horizontal_bars(
            [LONG, "Bräcke", "Åre"],
            {"Tilldelat": [3_500_000, 0, 12_000_000], "Förbrukat": [1_000_000, 2, 7_250_000]},
            title="Tilldelat och förbrukat",
            made_up=["Förbrukat"],
        )


def _svg_size(svg: bytes) -> tuple[float, float]:
    """The SVG's width and height in points, checked against its view box."""
    found = re.search(
        rb'width="([\d.]+)pt" height="([\d.]+)pt" viewBox="0 0 ([\d.]+) ([\d.]+)"', svg
    )
    assert found, svg[:300]
    width, height, box_width, box_height = (float(v) for v in found.groups())
    assert (width, height) == (box_width, box_height)
    return width, height


@pytest.mark.parametrize(
    "text", ["Tilldelat och förbrukat", "AVTAL Tove Wåhlin", "Åre, Östersund: 12,5 %", LONG[:60]]
)
@pytest.mark.parametrize("bold", [False, True])
def test_text_is_measured_as_matplotlib_measures_it(text: str, bold: bool) -> None:
    """Advance widths and kerning: the width matplotlib's own text layout gives, to 0,5 %."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family="DejaVu Sans", size=8, weight="bold" if bold else "normal")
    theirs = TextToPath().get_text_width_height_descent(text, prop, ismath=False)[0]
    assert font(bold).width(text, 8) == pytest.approx(theirs, rel=0.005)


@pytest.mark.parametrize("char", ["å", "Ö", "8", "%", "g"])
def test_glyphs_are_the_typefaces_outlines(char: str) -> None:
    """A glyph's outline spans the box matplotlib's outline of the same character spans."""
    import numpy as np
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    face = font(False)
    outline = face.outline(face.glyph(char))
    points = [p for _, c in outline for p in zip(c[::2], c[1::2], strict=True)]
    ours = np.array(points) * 100 / face.units_per_em  # at matplotlib's 100-point outlines
    vertices, codes = TextToPath().get_text_path(FontProperties(family="DejaVu Sans"), char)
    theirs = np.asarray(vertices)[np.asarray(codes) != 79]  # without CLOSEPOLY's dummy point
    assert ours.min(axis=0) == pytest.approx(theirs.min(axis=0), abs=0.1)
    assert ours.max(axis=0) == pytest.approx(theirs.max(axis=0), abs=0.1)


def test_the_svg_is_well_formed_and_every_glyph_it_places_is_defined() -> None:
    svg = ET.fromstring(_chart().svg)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    defined = {p.get("id") for p in svg.iterfind("svg:defs/svg:path", ns)}
    used = {
        u.get("{http://www.w3.org/1999/xlink}href")
        for u in svg.iter("{http://www.w3.org/2000/svg}use")
    }
    assert used and {u.lstrip("#") for u in used} <= defined
    assert len(defined) == len(used)  # no outline defined that is not drawn


def test_everything_drawn_is_inside_the_picture_with_its_margin() -> None:
    chart = _chart()
    width, height, dx, dy = chart.canvas.frame(PAD)
    assert _svg_size(chart.svg) == pytest.approx((width, height), abs=0.01)
    left, top, right, bottom = chart.canvas.extent()
    assert (left + dx, top + dy, width - right - dx, height - bottom - dy) == pytest.approx(
        (PAD,) * 4
    )
    assert width > 6.4 * 72 * 0.9  # the long label is there, wrapped


def test_long_labels_wrap_and_are_never_cut() -> None:
    labels = [i for i in _chart().canvas.items if isinstance(i, Label) and "Förebyggande" in i.text]
    assert len(labels) == 1
    lines = labels[0].text.split("\n")
    assert len(lines) > 1 and all(len(line) <= charts.LABEL_WIDTH for line in lines)
    assert " ".join(lines) == LONG


def test_bars_are_as_long_as_their_amounts() -> None:
    from gnvtools.reports.chart_axes import SWATCH

    shapes = _chart().canvas.items
    bars = [i for i in shapes if isinstance(i, Rect) and (i.width, i.height) != SWATCH]
    amounts = [3_500_000, 0, 12_000_000, 1_000_000, 2, 7_250_000]
    assert len(bars) == len(amounts)
    per_krona = bars[-1].width / amounts[-1]
    for bar, amount in zip(bars, amounts, strict=True):
        assert bar.width == pytest.approx(amount * per_krona, abs=1e-6)
    assert len({b.x for b in bars}) == 1  # all from the same 0


def test_a_chart_gives_the_same_bytes_every_time_and_in_every_process() -> None:
    first, second = _chart(png=True), _chart(png=True)
    assert (first.svg, first.png) == (second.svg, second.png)
    elsewhere = _python(
        f"""
        import hashlib
        from gnvtools.reports import charts
        chart = charts.horizontal_bars(
            [{LONG!r}, "Bräcke", "Åre"],
            {{"Tilldelat": [3_500_000, 0, 12_000_000], "Förbrukat": [1_000_000, 2, 7_250_000]}},
            title="Tilldelat och förbrukat",
            made_up=["Förbrukat"],
        )
        print(hashlib.sha256(chart.svg).hexdigest())
        """
    )
    import hashlib

    assert elsewhere.strip() == hashlib.sha256(first.svg).hexdigest()


def test_text_is_drawn_as_paths() -> None:
    """No text element: a PDF printed from the report gets no text layer for axis numbers."""
    chart = charts.grouped_columns(
        ["2023", "2024"], {"Mottaget": [1_000_000, None]}, title="Mottaget per år"
    )
    assert b"<text" not in chart.svg and b"<use" in chart.svg


def test_the_png_is_the_svgs_picture_at_print_resolution() -> None:
    from PIL import Image

    with using(chart_png=True):
        chart = charts.grouped_columns(
            ["2023", "2024", "2025"],
            {"Mottaget": [10_000_000, None, 12_500_000], "Förbrukat": [9_000_000, 0, 3]},
            title="Mottaget och förbrukat per år",
            made_up={"Förbrukat": [False, True, False]},
        )
    assert chart.png is not None
    width, height = _svg_size(chart.svg)
    size = Image.open(io.BytesIO(chart.png)).size
    assert size == pytest.approx((width / 72 * DPI, height / 72 * DPI), abs=1)


def test_painting_the_png_leaves_matplotlibs_settings_alone() -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    _chart(png=True)
    assert dict(matplotlib.rcParams) == before


@given(
    st.lists(st.integers(-(10**10), 10**10), min_size=1, max_size=8),
    st.floats(min_value=60, max_value=600),
)
def test_ticks_are_nice_evenly_spaced_and_inside_the_axis(values: list[int], length: float) -> None:
    lo, hi = value_limits(values)
    assert lo <= min(0, *values) and hi >= max(0, *values) and hi > lo
    ticks = value_ticks(lo, hi, length, 24)
    assert 2 <= len(ticks) <= 10
    assert all(Decimal(repr(lo)) <= t <= Decimal(repr(hi)) for t in ticks)
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    step = steps.pop()
    mantissa = step.scaleb(-step.adjusted()).normalize()
    assert mantissa in {Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)}
    if lo == 0:
        assert ticks[0] == 0
    labels = [millions(t) for t in ticks]
    assert len(set(labels)) == len(labels)  # as many decimals as the step needs


def test_tick_labels_are_swedish_millions() -> None:
    assert [millions(Decimal(v)) for v in (0, 2_500_000, 10_000_000, -500_000, 250_000)] == [
        "0",
        "2,5",
        "10",
        "\u22120,5",
        "0,25",
    ]


# --- made-up bars: striped with lines, never a hatch pattern ---------------------------------


#: How the SVG writes a path of white lines (the stripes; white 1 pt lines are SVG's default).
STRIPES = b'style="fill: none; stroke: #ffffff"'


def _two_series(made_up: list[str]) -> charts.Chart:
    return charts.horizontal_bars(
        ["Bräcke", "Ragunda", "Strömsund"],
        {"Tilldelat": [3_500_000, 2_000_000, 1_000_000], "Förbrukat": [1_000_000, 0, 500_000]},
        title="Tilldelat och förbrukat",
        made_up=made_up,
    )


def _columns(marks: list[bool]) -> charts.Chart:
    return charts.grouped_columns(
        ["2023", "2024", "2025"],
        {"Mottaget": [10_000_000, 10_000_000, 10_000_000]},
        title="Mottaget per år",
        made_up={"Mottaget": marks},
    )


def test_made_up_bars_are_striped_with_lines_not_a_pattern() -> None:
    """A ``<pattern>`` fill is printed by Chromium as bitmap images (an 8 MB PDF): the stripes
    are lines, one path over the made-up bars clipped to them, and one over the legend's
    swatch."""
    striped, plain_bars = _two_series(["Förbrukat"]), _two_series([])
    assert b"<pattern" not in striped.svg
    assert striped.svg.count(b"<clipPath") - plain_bars.svg.count(b"<clipPath") == 1 + 1
    assert striped.svg.count(STRIPES) == 1 + 1 and STRIPES not in plain_bars.svg
    assert striped.alt.endswith(". Påhittat exempel: Förbrukat")

    columns, real = _columns([False, True, True]), _columns([False, False, False])
    assert b"<pattern" not in columns.svg
    assert columns.svg.count(b"<clipPath") - real.svg.count(b"<clipPath") == 1 + 1
    assert columns.svg.count(STRIPES) == 1 + 1 and STRIPES not in real.svg


def test_the_stripes_are_clipped_to_the_made_up_bars() -> None:
    """The clip path over the bars outlines the two made-up bars that are drawn (the third is
    0 kr), not the real ones."""
    svg = _two_series(["Förbrukat"]).svg.decode("utf-8")
    clip_id = re.search(r'clip-path="url\(#(\w+)\)" style="fill: none; stroke: #ffffff"', svg)
    assert clip_id is not None
    clip = re.search(rf'<clipPath id="{clip_id.group(1)}">\s*<path d="([^"]*)"', svg)
    assert clip is not None
    assert clip.group(1).count("M") == 2 and clip.group(1).count("z") == 2


def _boxes(
    png: bytes, colour: tuple[int, int, int], least: int = 20
) -> list[tuple[int, int, int, int]]:
    """The boxes of the areas filled with ``colour``, left to right (apart by a gap), in
    pixel columns with at least ``least`` pixels of it, at least 4 pixels wide."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    mask = np.abs(pixels - colour).sum(axis=2) < 10
    boxes = []
    for xs in _runs(np.flatnonzero(mask.sum(axis=0) >= least)):
        if len(xs) < 4:
            continue  # a letter's stroke, not an area
        rows = _runs(np.flatnonzero(mask[:, xs[0] : xs[-1] + 1].any(axis=1)))
        ys = max(rows, key=len)  # the column itself, not the legend's swatch below it
        boxes.append((int(xs[0]), int(ys[0]), int(xs[-1]), int(ys[-1])))
    return boxes


def _runs(indices: Any) -> list[list[int]]:
    """Consecutive runs in a sorted sequence of whole numbers."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(int(i))
        else:
            runs.append([int(i)])
    return runs


def _white_share(png: bytes, box: tuple[int, int, int, int]) -> float:
    """The share of near-white pixels inside ``box`` (inset by 2 pixels), seen in greyscale."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    x0, y0, x1, y1 = box
    inside = grey[y0 + 2 : y1 - 1, x0 + 2 : x1 - 1]
    return float((inside > 230).mean())


def test_the_png_shows_the_stripes_on_the_made_up_columns_only() -> None:
    with using(chart_png=True):
        chart = _columns([False, True, True])
    assert chart.png is not None
    blue = (0x00, 0x72, 0xB2)
    real, *made_up = _boxes(chart.png, blue)[:3]
    assert _white_share(chart.png, real) == 0
    for box in made_up:  # white stripes, about 1 pt of every 4,2 pt across: also in greyscale
        assert 0.15 < _white_share(chart.png, box) < 0.35
    grey_swatch = _boxes(chart.png, (0x8A, 0x8A, 0x8A), least=6)  # the legend's "Streckat" entry
    assert len(grey_swatch) == 1 and _white_share(chart.png, grey_swatch[0]) > 0.1


def test_a_made_up_recipients_bars_are_striped_and_the_legend_says_so() -> None:
    """The memo's chart has one series, where some recipients rest on made-up keys: their bars
    (and only theirs) are striped, a legend entry explains the stripes, the alt text names
    them."""
    labels = ["Bromma (påhittat)", "Farsta", "Kista (påhittat)"]
    amounts = {"Fördelat": [3_000_000, 2_000_000, 1_000_000]}
    marked = charts.horizontal_bars(labels, amounts, title="Per mottagare", made_up_bars={0, 2})
    plain = charts.horizontal_bars(labels, amounts, title="Per mottagare")
    assert b"<pattern" not in marked.svg
    assert marked.svg.count(STRIPES) == 1 + 1 and STRIPES not in plain.svg  # bars, swatch
    svg = marked.svg.decode("utf-8")
    clip_id = re.search(r'clip-path="url\(#(\w+)\)" style="fill: none; stroke: #ffffff"', svg)
    assert clip_id is not None
    clip = re.search(rf'<clipPath id="{clip_id.group(1)}">\s*<path d="([^"]*)"', svg)
    assert clip is not None and clip.group(1).count("M") == 2  # Bromma and Kista, not Farsta
    assert marked.alt.endswith(". Streckat, påhittat exempel: Bromma (påhittat), Kista (påhittat)")
    assert "Streckat" not in plain.alt
    with using(chart_png=True):
        png = charts.horizontal_bars(labels, amounts, title="Per mottagare", made_up_bars={0})
    assert png.png is not None
    swatch = _boxes(png.png, (0x8A, 0x8A, 0x8A), least=6)  # the legend's "Streckat" entry
    assert len(swatch) == 1


def test_a_label_from_data_cannot_break_out_of_the_svg() -> None:
    """Names come from the organisation's files: whatever they hold, the SVG stays one
    well-formed picture with no element of their making."""
    hostile = "Bräcke --><script>alert(1)</script><!-- ---\x00\x1b\ud800 & <b>"
    chart = charts.horizontal_bars([hostile], {"Belopp": [1_000_000]}, title=hostile + "-")
    svg = ET.fromstring(chart.svg)
    assert not [e for e in svg.iter() if not e.tag.startswith("{http://www.w3.org/2000/svg}")]
    comments = re.findall(rb"<!-- (.*?) -->", chart.svg, re.S)
    assert comments and not any(b"--" in c for c in comments)


def test_a_chart_of_nothing_is_still_a_chart() -> None:
    """No labels, no series, or only missing figures: axes and a title, no error."""
    from gnvtools.reports.chart_axes import SWATCH

    for chart in (
        charts.horizontal_bars([], {}, title="Inga mottagare"),
        charts.horizontal_bars([], {"Belopp": []}, title="Inga mottagare"),
        charts.grouped_columns(["2023"], {"Belopp": [None]}, title="Inget belopp"),
        charts.grouped_columns([], {}, title="Inga år"),
    ):
        assert ET.fromstring(chart.svg).tag == "{http://www.w3.org/2000/svg}svg"
        bars = [
            i for i in chart.canvas.items if isinstance(i, Rect) and (i.width, i.height) != SWATCH
        ]
        assert bars == []  # legend swatches at most


def test_amounts_are_whole_kronor_one_per_label() -> None:
    import numpy as np

    chart = charts.horizontal_bars(
        ["a", "b"], {"A": np.array([3_000_000, 5_000_000])}, title="Numpy"
    )
    assert "a: A 3 000 000 kr" in plain(chart.alt)
    assert charts.whole_kronor("A", [np.float64(2e6), 7.0, None], 3, missing=True) == [
        2_000_000,
        7,
        None,
    ]
    for values, count in (
        ([1_000_000, 2_000_000], 1),
        ([1.5], 1),
        ([float("nan")], 1),
        ([None], 1),
    ):
        with pytest.raises(ValueError, match="diagrammet: serien 'A'"):
            charts.whole_kronor("A", values, count)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_legend_rows_and_a_title_of_two_lines_keep_clear_of_the_rest() -> None:
    """A series name or title with a line break takes its lines' height: legend rows do not
    overlap each other, and the title grows upwards, clear of the plotting area."""
    chart = charts.grouped_columns(
        ["2023", "2024"],
        {"Första raden\nandra raden": [1_000_000, 2_000_000], "B\nC": [3_000_000, None]},
        title="Rubrik\npå två rader",
    )
    labels = [i for i in chart.canvas.items if isinstance(i, Label)]
    legend = [i.box() for i in labels if i.text in ("Första raden\nandra raden", "B\nC")]
    assert len(legend) == 2 and not _overlap(*legend)
    title = next(i for i in labels if i.text.startswith("Rubrik"))
    grid_top = min(i.points[0][1] for i in chart.canvas.items if isinstance(i, Line))
    assert title.box()[3] < grid_top
