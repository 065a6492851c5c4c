"""The charts' typeface, read by gnvtools itself: advance widths and kerning to measure and place
text, and each glyph's outline to draw it as a path (no font is needed to show a chart, and a
PDF made from it has no text layer for its axis numbers).

The typeface is DejaVu Sans (regular and bold), the files matplotlib installs (its licence
travels with them), read with fontTools: no matplotlib import, no rendering library. A
character the font lacks is drawn as the font's "missing glyph" box, as a word processor does.

Outlines are in font units (``units_per_em`` to the em, y upwards) as ``M``/``L``/``Q``/``Z``
commands, the same for the SVG writer and the PNG painter.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

#: One outline command: ``("M" | "L", (x, y))``, ``("Q", (cx, cy, x, y))`` or ``("Z", ())``.
Command = tuple[str, tuple[float, ...]]

FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
#: Characters drawn in nearly every chart: their outlines are read before a report forks.
COMMON = "abcdefghijklmnopqrstuvwxyzåäöéABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖÉ0123456789 ,.:;-–−()/%&'\"+*"


def font_file(bold: bool) -> Path:
    """DejaVu Sans as matplotlib installs it (found without importing matplotlib)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("matplotlib (med typsnittet DejaVu Sans) är inte installerat")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return folder / "mpl-data" / "fonts" / "ttf" / FILES[bold]


@dataclass
class Font:
    """One typeface file: metrics in font units and outlines, read on first use."""

    tt: TTFont
    units_per_em: int = 0
    ascent: int = 0  # typographic ascender (above the baseline)
    descent: int = 0  # typographic descender, positive (below the baseline)
    _cmap: dict[int, str] = field(default_factory=dict)
    _advance: dict[str, int] = field(default_factory=dict)
    _kern: dict[tuple[str, str], int] = field(default_factory=dict)
    _outlines: dict[str, tuple[Command, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.units_per_em = int(self.tt["head"].unitsPerEm)
        os2 = self.tt["OS/2"]
        self.ascent, self.descent = int(os2.sTypoAscender), -int(os2.sTypoDescender)
        self._cmap = dict(self.tt.getBestCmap())
        self._advance = {name: metric[0] for name, metric in self.tt["hmtx"].metrics.items()}
        if "kern" in self.tt:
            for table in self.tt["kern"].kernTables:
                self._kern.update(getattr(table, "kernTable", {}))

    def glyph(self, char: str) -> str:
        """The glyph's name for ``char``; the missing-glyph box if the font has none."""
        return self._cmap.get(ord(char), ".notdef")

    def run(self, text: str) -> tuple[list[tuple[str, int]], int]:
        """``text`` laid out on one line: each glyph with its distance from the start, and
        the line's width (font units), kerning applied."""
        placed: list[tuple[str, int]] = []
        x, previous = 0, None
        for char in text:
            name = self.glyph(char)
            if previous is not None:
                x += self._kern.get((previous, name), 0)
            placed.append((name, x))
            x += self._advance.get(name, 0)
            previous = name
        return placed, x

    def width(self, text: str, size: float) -> float:
        """The width of one line of ``text`` at ``size`` points, in points."""
        return self.run(text)[1] * size / self.units_per_em

    def outline(self, name: str) -> tuple[Command, ...]:
        """The glyph's outline (font units), read once."""
        found = self._outlines.get(name)
        if found is None:
            glyphs = self.tt.getGlyphSet()
            pen = _pen_class()(glyphs)
            glyphs[name].draw(pen)
            found = self._outlines[name] = tuple(pen.commands)
        return found


@functools.cache
def _pen_class() -> type:
    from fontTools.pens.basePen import BasePen

    class OutlinePen(BasePen):  # type: ignore[misc]
        """Records an outline as ``M``/``L``/``Q``/``Z``: TrueType's runs of off-curve points
        split into single quadratic curves (fontTools' decomposition)."""

        def __init__(self, glyph_set: Any) -> None:
            super().__init__(glyph_set)
            self.commands: list[Command] = []

        def _moveTo(self, pt: tuple[float, float]) -> None:
            self.commands.append(("M", (float(pt[0]), float(pt[1]))))

        def _lineTo(self, pt: tuple[float, float]) -> None:
            self.commands.append(("L", (float(pt[0]), float(pt[1]))))

        def _qCurveToOne(self, pt1: tuple[float, float], pt2: tuple[float, float]) -> None:
            self.commands.append(
                ("Q", (float(pt1[0]), float(pt1[1]), float(pt2[0]), float(pt2[1])))
            )

        def _curveToOne(self, pt1: Any, pt2: Any, pt3: Any) -> None:
            raise ValueError("kubiska kurvor finns inte i ett TrueType-typsnitt")

        def _closePath(self) -> None:
            self.commands.append(("Z", ()))

        def _endPath(self) -> None:
            pass  # an open contour draws nothing filled

    return OutlinePen


@functools.cache
def font(bold: bool = False) -> Font:
    """The regular or the bold face, read once per process."""
    from fontTools.ttLib import TTFont

    return Font(TTFont(str(font_file(bold)), lazy=True))


def prepare() -> None:
    """Read both faces and the outlines of the common characters: done before a build forks
    its reports, each of which then finds them read."""
    for bold in (False, True):
        face = font(bold)
        for char in COMMON:
            face.outline(face.glyph(char))
