"""The strict exact-number parser: every accepted spelling, every refusal, and bounded cost."""

from __future__ import annotations

import time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vrgym.verifiers.numbers import (
    MAX_DIGITS,
    NumberFormatError,
    format_fraction,
    parse_exact_number,
    try_parse_exact_number,
)

F = Fraction


@pytest.mark.parametrize(
    ("text", "value", "form", "reduced"),
    [
        ("42", F(42), "integer", True),
        ("0", F(0), "integer", True),
        ("-0", F(0), "integer", True),
        ("-7", F(-7), "integer", True),
        ("+3", F(3), "integer", True),
        ("\u22125", F(-5), "integer", True),  # Unicode minus sign
        ("- 5", F(-5), "integer", True),
        ("007", F(7), "integer", True),
        ("1,234,567", F(1234567), "integer", True),
        ("-12,345", F(-12345), "integer", True),
        ("  12 \n", F(12), "integer", True),
        ("0.5", F(1, 2), "decimal", True),
        (".5", F(1, 2), "decimal", True),
        ("-2.25", F(-9, 4), "decimal", True),
        ("2.50", F(5, 2), "decimal", True),
        ("3.0", F(3), "decimal", True),
        ("0.333", F(333, 1000), "decimal", True),
        ("1,234.5", F(2469, 2), "decimal", True),
        ("-7/3", F(-7, 3), "fraction", True),
        ("7 / 3", F(7, 3), "fraction", True),
        ("+7/3", F(7, 3), "fraction", True),
        ("3/1", F(3), "fraction", True),
        ("0/1", F(0), "fraction", True),
        ("6/4", F(3, 2), "fraction", False),
        ("0/5", F(0), "fraction", False),
        ("-4/2", F(-2), "fraction", False),
        (r"\frac{7}{3}", F(7, 3), "fraction", True),
        (r"\dfrac{7}{3}", F(7, 3), "fraction", True),
        (r"\tfrac{7}{3}", F(7, 3), "fraction", True),
        (r"-\frac{7}{3}", F(-7, 3), "fraction", True),
        (r"\frac{-7}{3}", F(-7, 3), "fraction", True),
        (r"\frac{ 7 }{ 3 }", F(7, 3), "fraction", True),
        (r"\frac 7 3", F(7, 3), "fraction", True),
        (r"\frac12", F(1, 2), "fraction", True),
        (r"-\frac34", F(-3, 4), "fraction", True),
        (r"\frac1{12}", F(1, 12), "fraction", True),
        (r"\frac{12}5", F(12, 5), "fraction", True),
        (r"\frac{6}{4}", F(3, 2), "fraction", False),
        ("$-7/3$", F(-7, 3), "fraction", True),
        ("$$ 4 $$", F(4), "integer", True),
        (r"\(3/4\)", F(3, 4), "fraction", True),
        (r"\[ -\frac{1}{2} \]", F(-1, 2), "fraction", True),
        (r"$\frac{1}{2}$", F(1, 2), "fraction", True),
    ],
)
def test_accepted_spellings(text: str, value: Fraction, form: str, reduced: bool) -> None:
    number = parse_exact_number(text)
    assert (number.value, number.form, number.reduced) == (value, form, reduced)
    assert type(number.value) is Fraction


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "$$",
        "$ $",
        "--3",
        "+-3",
        "-+3",
        "3-",
        "1/-2",
        "-1/-2",
        r"\frac{1}{-2}",
        r"-\frac{-1}{2}",
        "1/0",
        "0/0",
        "-0/0",
        r"\frac{1}{0}",
        r"\frac10",
        r"\frac{0}{0}",
        "1 1/2",  # mixed number
        r"1\frac{1}{2}",
        "1e5",
        "1e100000",
        "1E3",
        "1.5e3",
        "0x1F",
        "1_000",
        "1,23",
        "12,34",
        "0,123",
        "1,2345",
        ",123",
        "123,",
        "1 234",
        "1.2.3",
        "5.",
        "-.",
        ".",
        "1.5/2",
        "3/2.5",
        "1/2/3",
        "(1/2)",
        "{1/2}",
        r"\frac{\frac{1}{2}}{3}",
        r"\frac{1}{\frac{1}{2}}",
        r"\frac123",
        r"\frac{1}",
        r"\frac{a}{b}",
        r"\frac{1.5}{2}",
        r"\sqrt{4}",
        "2^3",
        "2*3",
        "1+1",
        "\u00bd",  # vulgar fraction one half
        "\u0967\u0968",  # Devanagari digits
        "\uff11\uff12",  # fullwidth digits
        "\u0661",  # Arabic-Indic digit one
        "٣/٤",
        "7\u200b",  # zero-width space inside the number
        "x = 3",
        "3 apples",
        "the answer is 3",
        "3.",
        "inf",
        "nan",
        "NaN",
        "-inf",
        "$3",
        "3$",
        "$3$$",
        "\\(3",
        "\ud800",
        "3\ud800",
        "\x00",
        "3\x00",
    ],
)
def test_refused_spellings(text: str) -> None:
    with pytest.raises(NumberFormatError):
        parse_exact_number(text)
    assert try_parse_exact_number(text) is None


def test_error_messages_say_what_is_wrong() -> None:
    with pytest.raises(NumberFormatError, match="denominator is zero"):
        parse_exact_number("1/0")
    with pytest.raises(NumberFormatError, match="signed denominator"):
        parse_exact_number(r"\frac{1}{-2}")
    with pytest.raises(NumberFormatError, match="two signs"):
        parse_exact_number(r"-\frac{-1}{2}")
    with pytest.raises(NumberFormatError, match="digits"):
        parse_exact_number("9" * (MAX_DIGITS + 1))
    with pytest.raises(NumberFormatError, match="characters long"):
        parse_exact_number("9" * 10_000)


def test_digit_limit_is_a_parameter() -> None:
    assert parse_exact_number("9" * MAX_DIGITS).value == 10**MAX_DIGITS - 1
    with pytest.raises(NumberFormatError):
        parse_exact_number("1" + "0" * 10, max_digits=10)
    assert parse_exact_number("1" + "0" * 10, max_digits=11).value == 10**10
    with pytest.raises(NumberFormatError):
        parse_exact_number("0." + "1" * (MAX_DIGITS + 1))


def test_non_strings_are_refused() -> None:
    for value in (None, 3, 3.5, b"3", Fraction(1, 2)):
        with pytest.raises(NumberFormatError):
            parse_exact_number(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "9" * 10**6,
        "1e" + "0" * 10**6,
        "-" * 10**6,
        "1/" + "7" * 10**6,
        "\\frac{" * 10**5,
        "1," * 10**5 + "000",
        "$" * 10**6,
        "0." + "3" * 10**6,
        " " * 10**6 + "3",
    ],
)
def test_huge_inputs_are_refused_fast(text: str) -> None:
    start = time.perf_counter()
    assert try_parse_exact_number(text) is None
    assert time.perf_counter() - start < 0.05


def test_worst_case_within_length_limit_is_fast() -> None:
    """Inputs just under the length limit, shaped to make a regex backtrack, stay cheap."""
    limit = 4 * MAX_DIGITS + 64
    shapes = ["1," * (limit // 2), "1" * (limit - 1) + "x", "- " * (limit // 2), r"\frac" + "{1" * (limit // 3)]
    for text in shapes:
        start = time.perf_counter()
        try_parse_exact_number(text[:limit])
        assert time.perf_counter() - start < 0.01


def test_decimals_are_exact_never_rounded() -> None:
    assert parse_exact_number("0.1").value == F(1, 10)
    assert parse_exact_number("0.333").value != F(1, 3)
    assert parse_exact_number("0.3333333333333333").value != F(1, 3)
    assert parse_exact_number("0.1000000000000000055511151231257827").value != F(1, 10)


def test_format_fraction() -> None:
    assert format_fraction(F(4)) == "4"
    assert format_fraction(F(-7, 3)) == "-7/3"
    assert format_fraction(F(6, -4)) == "-3/2"
    assert format_fraction(F(0)) == "0"


fractions = st.fractions(max_denominator=10**12).filter(lambda f: abs(f.numerator) < 10**30)


@given(fractions)
def test_round_trip_plain(value: Fraction) -> None:
    number = parse_exact_number(format_fraction(value))
    assert number.value == value and number.reduced


@given(fractions)
def test_round_trip_latex(value: Fraction) -> None:
    sign = "-" if value < 0 else ""
    text = f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"
    assert parse_exact_number(text).value == value
    assert parse_exact_number(f"$ {text} $").value == value


@given(st.integers(min_value=-(10**40), max_value=10**40))
def test_thousands_separators(value: int) -> None:
    assert parse_exact_number(f"{value:,}").value == value
    assert parse_exact_number(str(value)).value == value


@given(st.integers(1, 10**6), st.integers(1, 10**6), st.integers(2, 50))
def test_unreduced_fractions_are_flagged(numerator: int, denominator: int, factor: int) -> None:
    number = parse_exact_number(f"{numerator * factor}/{denominator * factor}")
    assert number.value == F(numerator, denominator)
    assert not number.reduced


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("0123456789+-\u2212/.,{}$\\() fracdt e\u0967\ud800")), max_size=40))
def test_never_raises_anything_but_number_format_error(text: str) -> None:
    try:
        number = parse_exact_number(text)
    except NumberFormatError:
        return
    assert isinstance(number.value, Fraction)


@settings(max_examples=300)
@given(st.text(max_size=60))
def test_arbitrary_unicode_is_total(text: str) -> None:
    result = try_parse_exact_number(text)
    assert result is None or isinstance(result.value, Fraction)
