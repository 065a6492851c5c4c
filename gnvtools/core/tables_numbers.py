"""Exact numbers from table cells: whole kronor as ``int``, other numbers as ``Fraction``.

Cells are written as Swedish Excel writes them (``41 991 440``, ``1,5``, ``12 kr``, ``50 %``)
or plainly (``1.5``); a comma before exactly three digits is ambiguous and refused. Nothing is
read through a float.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from gnvtools.errors import InputError

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_NUMBER = re.compile(r"^[+-]?(\d+)([.,](\d+))?$")
# 500,000 or 1,234,567: a comma followed by exactly three digits reads as thousands to some
# and as decimals to others (Swedish Excel writes 1,5 for one and a half).
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")
_TRUE = {"ja", "j", "true", "sant", "x", "1"}
_FALSE = {"nej", "n", "false", "falskt", "0"}
MAX_AMOUNT = 10**12 - 1  # 999 999 999 999 kr: more than any grant, small enough to format


def loose_number(text: str) -> int | Decimal | None:
    """A cell as a number if it plainly is one (``1 200``, ``0,5``, ``12 kr``), else ``None``."""
    if text.isdigit() and text.isascii() and len(text) <= 30:
        return int(text)  # the common case, fast for files of 100 000 rows
    cleaned = _clean_number(text)
    if not cleaned or len(cleaned) > 30 or _THOUSANDS_COMMA.match(cleaned):
        return None
    if not _NUMBER.match(cleaned):
        return None
    return Decimal(cleaned.replace(",", "."))  # exact: Decimal reads a decimal as written


def plain_integers(cells: Sequence[str]) -> list[int] | None:
    """Every cell as an ``int`` when each is a plain digit string of at most 30 digits (what
    ``loose_number`` and ``parse_number`` read the same way, by their own fast path), else
    ``None``. One check over the whole column: a table of 100 000 rows is read at C speed."""
    joined = "".join(cells)
    if not (all(cells) and joined.isascii() and joined.isdigit()):
        return None
    if max(map(len, cells)) > 30:
        return None
    return list(map(int, cells))


def is_number(text: str) -> bool:
    return loose_number(text) is not None


def _clean_number(text: str) -> str:
    cleaned = _SPACES.sub("", text)
    return cleaned.removesuffix("kr").removesuffix("kronor")


def parse_amount(text: str, *, file: Path | str, row: int, column: str) -> int:
    """Parse whole kronor: ``41 991 440``, ``41991440`` or ``41 991 440,00`` give 41991440.

    Öre, negative amounts and text are rejected with a Swedish message.
    """
    cleaned = _clean_number(text)
    if _THOUSANDS_COMMA.match(cleaned):
        raise InputError(
            f'"{text}" är tvetydigt: kommatecknet kan vara tusental eller decimaler; '
            "ange hela kronor utan kommatecken, t.ex. 500000",
            file=file,
            row=row,
            column=column,
        )
    match = _NUMBER.match(cleaned)
    if not match:
        raise InputError(
            f'"{text}" är inget belopp; ange hela kronor, t.ex. 1 200 000',
            file=file,
            row=row,
            column=column,
        )
    decimals = match.group(3)
    if decimals and int(decimals) != 0:
        raise InputError(
            f'beloppet "{text}" har ören; ange hela kronor',
            file=file,
            row=row,
            column=column,
        )
    digits = match.group(1)
    value = MAX_AMOUNT + 1 if len(digits) > len(str(MAX_AMOUNT)) else int(digits)
    if value > MAX_AMOUNT:
        raise InputError(
            f'beloppet "{text[:30]}" är för stort; högst 999 999 999 999 kr',
            file=file,
            row=row,
            column=column,
        )
    if cleaned.startswith("-") and value:
        raise InputError(
            f'beloppet "{text}" är negativt; ange noll eller mer',
            file=file,
            row=row,
            column=column,
        )
    return value


def parse_number(text: str, *, file: Path | str, row: int, column: str) -> Fraction:
    """Parse a non-negative exact number (decimal comma or point); ``ja``/``nej`` give 1/0."""
    if text.isdigit() and text.isascii() and len(text) <= 30:
        return Fraction(int(text))  # the common case, fast for files of 100 000 rows
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return Fraction(1)
    if lowered in _FALSE:
        return Fraction(0)
    cleaned = _clean_number(text).rstrip("%")
    if _THOUSANDS_COMMA.match(cleaned) and not cleaned.startswith("0"):
        raise InputError(
            f'"{text}" är tvetydigt: kommatecknet kan vara tusental eller decimaler; skriv '
            "talet utan tusentalsavgränsare (1500) eller med decimalkomma (1,5)",
            file=file,
            row=row,
            column=column,
        )
    match = _NUMBER.match(cleaned)
    if not match:
        hint = (
            f'; är kolumnen "{column}" text, ange den i parameterfilen under mottagargruppens '
            f"text_columns (text_columns: [{column}])"
            if any(c.isalpha() for c in text)
            else ""
        )
        raise InputError(f'"{text[:30]}" är inget tal{hint}', file=file, row=row, column=column)
    if len(cleaned) > 30:
        raise InputError(
            f'talet "{text[:30]}…" är för stort; högst 30 siffror',
            file=file,
            row=row,
            column=column,
        )
    value = Fraction(cleaned.replace(",", "."))
    if text.strip().endswith("%"):
        value /= 100
    if value < 0:
        raise InputError(
            f'talet "{text}" är negativt; ange noll eller mer', file=file, row=row, column=column
        )
    return value
