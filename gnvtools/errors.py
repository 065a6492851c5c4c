"""One error hierarchy for everything a user can get wrong.

Every error carries where it happened (file, row, column) and a Swedish message, so the CLI can
print one line and exit without a traceback. Code raises these; it never uses ``assert`` for input.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path


def visible(text: str) -> str:
    """Control and invisible characters from input shown as ``U+0007``, never echoed raw."""
    return "".join(
        f"U+{ord(c):04X}" if unicodedata.category(c) in ("Cc", "Cf") and c != "\n" else c
        for c in text
    )


class GnvError(Exception):
    """Base class: a Swedish message plus the place in the input it concerns."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        key: str | None = None,
    ) -> None:
        message = visible(message)
        super().__init__(message)
        self.message = message
        self.file = visible(str(file)) if file is not None else None
        self.row = row
        self.column = column
        self.key = key

    def where(self) -> str:
        """The location part of the message, e.g. ``fil.csv, rad 4, kolumn "belopp"``.

        In a YAML file the place is a key path: ``2025.yaml, rad 53, nyckel "pots.0.key"``.
        """
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"rad {self.row}")
        if self.column:
            parts.append(f'kolumn "{visible(self.column)}"')
        if self.key:
            parts.append(f'nyckel "{visible(self.key)}"')
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class InputError(GnvError):
    """A parameter or data file is missing, unreadable or has invalid content."""


class ModelError(GnvError):
    """The allocation model cannot be carried out as written (e.g. an unknown recipient)."""


class RenderError(GnvError):
    """A report could not be executed or exported."""

    exit_code = 1


class BrowserNotFoundError(RenderError):
    """No Chromium-family browser was found for PDF output."""


class BrowserFailedError(BrowserNotFoundError):
    """The browser did not start in time, or ended, froze or crashed while printing: only the
    PDF is lost (a ``BrowserNotFoundError``, so the other formats are still written)."""
