"""Swedish number formatting as Babel's CLDR data (locale ``sv_SE``) gives it.

Swedish convention groups thousands with a space and uses a decimal comma: 41 991 440 kr,
42,0 mnkr, 68 %. Babel writes a no-break space (U+00A0) as the group separator so an amount never
wraps across lines; ``plain`` turns it into an ordinary space where text is compared.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

LOCALE = "sv_SE"
NBSP = "\u00a0"
MINUS = "\u2212"


def _decimal(value: int | Fraction | Decimal | float, places: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 50
        if isinstance(value, Fraction):
            exact = Decimal(value.numerator) / Decimal(value.denominator)
        else:
            exact = Decimal(value)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


# Python's own grouping (",") and point, as Babel writes sv_SE's "#,##0.00": a no-break space
# between groups of three and a decimal comma (tested equal to Babel's over generated values).
_SWEDISH = str.maketrans({",": NBSP, ".": ","})


def number(value: int | Fraction | Decimal, places: int = 0) -> str:
    """``number(41991440)`` → ``"41 991 440"``; ``number(Fraction(1, 3), 2)`` → ``"0,33"``.

    Rounded half to even to ``places`` decimals (``_decimal``), then written as CLDR's Swedish
    pattern ``#,##0.00…`` says; Python's formatting writes it, as Babel's ``format_decimal``
    would (a report formats a thousand numbers, and Babel's pattern machinery cost more than
    the rest of the text)."""
    if type(value) is int and places == 0:
        text = f"{value:,}"
    else:
        text = f"{_decimal(value, places):,.{places}f}"
    return _minus(text.translate(_SWEDISH))


def _minus(text: str) -> str:
    """Swedish typography's minus sign (U+2212), not the hyphen Babel writes: ``−1 500 000``."""
    return MINUS + text[1:] if text.startswith("-") else text


def kr(amount: int) -> str:
    """Whole kronor: ``kr(41991440)`` → ``"41 991 440 kr"``."""
    return f"{number(amount)}{NBSP}kr"


def signed_kr(amount: int) -> str:
    """An amount with its sign, for differences: ``+1 413 680 kr`` or ``−86 320 kr``."""
    if amount > 0:
        return "+" + kr(amount)
    if amount < 0:
        return MINUS + kr(-amount)
    return kr(0)


def mnkr(amount: int, places: int = 1) -> str:
    """Million kronor: ``mnkr(41991440)`` → ``"42,0 mnkr"``."""
    return f"{number(Fraction(amount, 1_000_000), places)}{NBSP}mnkr"


def percent(share: Fraction | float, places: int = 0) -> str:
    """A share as Swedish percent: ``percent(Fraction(68, 100))`` → ``"68 %"``."""
    fmt = "#,##0" + ("." + "0" * places if places else "") + "\u00a0%"
    value = _decimal(share if isinstance(share, Fraction) else Decimal(str(share)), places + 2)
    from babel.numbers import format_percent  # Babel on first use: a command may format none

    return _minus(str(format_percent(value, format=fmt, locale=LOCALE)))


def plain(text: str) -> str:
    """Replace the no-break and narrow spaces Babel uses with ordinary spaces."""
    return text.replace(NBSP, " ").replace("\u202f", " ")


# A number's digit groups (1–3 digits, then groups of three), whatever space separates them;
# not the tail of a longer number or of a decimal ("2023 6 000 000" groups only "6 000 000").
_GROUPED = re.compile(r"(?<![\d,.])\d{1,3}(?:[ \u202f\u00a0]\d{3})+(?![\d])")
# A number and the unit after it: "10,7 mnkr", "68 %", "12 §".
_UNIT = re.compile(
    r"(?<=\d)[ \u202f](?=(?:kr|kronor|mnkr|mkr|tkr|miljoner|miljarder|procent|%|§)(?!\w))"
)


def bind_numbers(text: str) -> str:
    """Bind every number in ``text`` with no-break spaces (U+00A0), as ``kr`` and ``percent``
    write them: the digit groups of ``41 086 320`` and the space before its unit (``kr``,
    ``mnkr``, ``%``, …), so that a line never breaks inside an amount. For text that was not
    formatted here: authored sentences, items joined after ``str.split`` (which takes U+00A0
    for a space), notes from parameter files."""
    text = _GROUPED.sub(lambda m: re.sub(r"[ \u202f]", NBSP, m.group(0)), text)
    return _UNIT.sub(NBSP, text)


def tkr(amount: int) -> str:
    """Thousand kronor, rounded to whole thousands: ``tkr(350000)`` → ``"350 tkr"``."""
    return f"{number(Fraction(amount, 1_000))}{NBSP}tkr"


def swedish_date(day: date) -> str:
    """A date as Swedish prose: ``swedish_date(date(2025, 8, 26))`` → ``"26 augusti 2025"``."""
    from babel.dates import format_date

    return str(format_date(day, format="long", locale=LOCALE))


_WORDS = (
    "noll",
    "ett",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
)


def count(n: int, singular: str, plural: str, *, neuter: bool = False) -> str:
    """A count with its noun, small numbers in words: ``count(1, "varning", "varningar")`` →
    ``"en varning"``; ``count(0, "fel", "fel", neuter=True)`` → ``"inga fel"``; 13 and up as
    digits (``"13 varningar"``)."""
    if n == 0:
        return f"inga {plural}"
    if n == 1:
        return f"{'ett' if neuter else 'en'} {singular}"
    word = _WORDS[n] if n < len(_WORDS) else number(n)
    return f"{word} {plural}"


def capitalise(text: str) -> str:
    """Upper-case the first letter only: ``"två mottagare"`` → ``"Två mottagare"``."""
    return text[:1].upper() + text[1:]
