"""Swedish numbers: ``formatting.number`` writes what Babel's CLDR pattern for sv_SE writes."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from gnvtools.core.formatting import MINUS, NBSP, _decimal, kr, mnkr, number


def _babels(value: int | Fraction | Decimal, places: int) -> str:
    """The number as Babel formats it (the pattern ``#,##0.00…``, locale sv_SE), with
    Swedish typography's minus sign."""
    pattern = "#,##0" + ("." + "0" * places if places else "")
    with localcontext() as context:  # Babel rounds in the current context: 28 digits by default
        context.prec = 60
        text = str(format_decimal(_decimal(value, places), format=pattern, locale="sv_SE"))
    return MINUS + text[1:] if text.startswith("-") else text


@given(st.integers(min_value=-(10**15), max_value=10**15), st.integers(0, 4))
def test_whole_numbers_as_babel_writes_them(value: int, places: int) -> None:
    assert number(value, places) == _babels(value, places)


@given(st.fractions(max_denominator=10**7), st.integers(0, 4))
def test_fractions_as_babel_writes_them(value: Fraction, places: int) -> None:
    assert number(value, places) == _babels(value, places)


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=6),
    st.integers(0, 4),
)
def test_decimals_as_babel_writes_them(value: Decimal, places: int) -> None:
    assert number(value, places) == _babels(value, places)


def test_examples() -> None:
    assert kr(41_991_440) == f"41{NBSP}991{NBSP}440{NBSP}kr"
    assert kr(-86_320) == f"{MINUS}86{NBSP}320{NBSP}kr"
    assert mnkr(41_991_440) == f"42,0{NBSP}mnkr"
    assert number(Fraction(1, 3), 2) == "0,33"
    assert number(Decimal("0.05"), 1) == "0,0"  # half to even
    assert number(Decimal("-0.4")) == f"{MINUS}0"  # as Babel: the sign of a rounded-away value
    assert number(1234.5, 1) == f"1{NBSP}234,5"


def test_a_number_of_more_digits_than_decimals_default_precision() -> None:
    """Python's decimal context holds 28 digits; a 26-digit amount with three decimals is still
    written exactly (hypothesis found the reference failing there)."""
    assert number(Fraction(11314373771628178967625726, 1), 3) == _babels(
        Fraction(11314373771628178967625726, 1), 3
    )
