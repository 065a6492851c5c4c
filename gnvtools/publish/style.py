"""An organisation's look for the renderers: colour, font, logo, and its Word template.

Built from the project config (``brand:`` and ``word_template:`` in ``gnv.yaml``); passed to the
HTML (and so PDF) and DOCX renderers. Plain values only, so it travels to build workers.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

DEFAULT_COLOUR = "#0b4f8a"


@dataclass(frozen=True)
class Style:
    colour: str = DEFAULT_COLOUR
    font: str | None = None
    logo: Path | None = None
    word_template: Path | None = None

    def css(self) -> str:
        """CSS that overrides the memo's defaults; empty when nothing is branded."""
        rules = []
        if self.colour != DEFAULT_COLOUR:
            rules.append(f":root {{ --accent: {self.colour}; }}")
        if self.font:
            family = f'"{self.font}", "DejaVu Sans", sans-serif'
            rules.append(f"body, h1, h2, h3, h4, caption, th {{ font-family: {family}; }}")
        if self.logo:
            rules.append("img.brand-logo { display: block; max-height: 18mm; margin: 0 0 1em; }")
        return "\n".join(rules)

    def logo_html(self) -> str:
        """The logo as an embedded image (no external resource), or an empty string.

        Read and checked again here, by content (``gnvtools.publish.logo``): a file swapped
        since ``gnv.yaml`` was read is refused with an ``InputError``, not embedded."""
        if self.logo is None:
            return ""
        from gnvtools.publish.logo import read_logo

        logo = read_logo(self.logo, for_word=True)
        data = base64.b64encode(logo.data).decode("ascii")
        return f'<img class="brand-logo" src="data:{logo.mime};base64,{data}" alt="Logotyp">'
