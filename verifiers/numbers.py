"""Strict exact-number parsing of final answers: integers, fractions and terminating decimals.

`parse_exact_number` turns the text of a final answer (what `extract_answer` returned) into an
exact `fractions.Fraction`, or raises `NumberFormatError` saying why it could not. It is a small
hand-written grammar matched by one anchored regex: no `eval`, no sympy, no float anywhere, and
bounded work on any input (long inputs and long digit runs are refused before any conversion, so
`"9" * 10**6` or `1e100000` cost microseconds). Math templates share it so that every one of them
accepts and refuses the same spellings.

Accepted (surrounding whitespace and one layer of `$…$`, `$$…$$`, `\\(…\\)` or `\\[…\\]` allowed):

* integers with an optional sign (`+`, `-` or the Unicode minus `−`): `42`, `-7`, `+3`, `007`;
  thousands separators only when well-formed: `1,234,567` (not `1,23`, `12,34` or `0,123`);
* terminating decimals, read exactly: `0.5` is 1/2, `-2.25` is -9/4, `.5` is 1/2; `0.333` is
  333/1000, *not* 1/3;
* fractions `a/b` (spaces around the slash allowed) with an optional leading sign: `-7/3`;
* LaTeX fractions `\\frac{a}{b}`, `\\dfrac`, `\\tfrac`, the sign outside (`-\\frac{7}{3}`) or on
  the numerator (`\\frac{-7}{3}`), and the single-digit shorthand `\\frac12`, `\\frac1{12}`.

Refused (`NumberFormatError`): a zero denominator (`1/0`, `0/0`), a signed denominator (`1/-2`),
two signs (`--3`, `-\\frac{-1}{2}`), mixed numbers (`1 1/2`), nested or decimal fractions,
scientific notation (`1e5`), non-ASCII digits (`१२`, fullwidth `１２` — the answer must be written
with 0-9), Unicode vulgar fractions (`½`), units, words, and anything else.

Whether a fraction is in lowest terms is reported (`ExactNumber.reduced`), not enforced: the
template decides what its prompt asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from math import gcd
from typing import Literal

MAX_DIGITS = 200
"""Default limit on the digits of any one number in an answer (numerator, denominator, decimal)."""

NumberForm = Literal["integer", "decimal", "fraction"]

_SIGN = r"[+\-\u2212]"
_UINT = r"(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)"
_LATEX_ARG = rf"(?:\{{\s*(?P<{{sign}}>{_SIGN})?\s*(?P<{{name}}>{_UINT})\s*\}}|(?P<{{name}}1>[0-9]))"

_DECIMAL = re.compile(rf"(?P<sign>{_SIGN})?\s*(?:(?P<int>{_UINT})(?:\.(?P<frac>[0-9]+))?|\.(?P<frac_only>[0-9]+))", re.ASCII)
_SLASH = re.compile(rf"(?P<sign>{_SIGN})?\s*(?P<num>{_UINT})\s*/\s*(?P<den>{_UINT})", re.ASCII)
_LATEX = re.compile(
    rf"(?P<sign>{_SIGN})?\s*\\[dt]?frac\s*"
    + _LATEX_ARG.replace("{sign}", "num_sign").replace("{name}", "num")
    + r"\s*"
    + _LATEX_ARG.replace("{sign}", "den_sign").replace("{name}", "den"),
    re.ASCII,
)
_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))


class NumberFormatError(ValueError):
    """The text is not one exact number in an accepted spelling (the message says what is wrong)."""


@dataclass(frozen=True)
class ExactNumber:
    """An exactly parsed number and how it was written."""

    value: Fraction
    form: NumberForm
    reduced: bool
    """False only for a fraction whose numerator and denominator share a factor (`6/4`, `0/5`)."""


def parse_exact_number(text: str, *, max_digits: int = MAX_DIGITS) -> ExactNumber:
    """Parse `text` as one exact number; raise `NumberFormatError` if it is anything else."""
    if not isinstance(text, str):
        raise NumberFormatError(f"expected text, got {type(text).__name__}")
    if len(text) > 4 * max_digits + 64:
        raise NumberFormatError(f"the answer is {len(text)} characters long; a number here has at most {max_digits} digits")
    body = _strip_delimiters(text.strip())
    if not body:
        raise NumberFormatError("the answer is empty")
    for parse in (_parse_decimal, _parse_slash, _parse_latex):
        number = parse(body, max_digits)
        if number is not None:
            return number
    raise NumberFormatError(
        f"{_shown(body)} is not a number in an accepted form: an integer (-7), a fraction (-7/3 or \\frac{{-7}}{{3}}) "
        "or an exact decimal (2.5)"
    )


def try_parse_exact_number(text: str, *, max_digits: int = MAX_DIGITS) -> ExactNumber | None:
    """`parse_exact_number`, returning None instead of raising."""
    try:
        return parse_exact_number(text, max_digits=max_digits)
    except NumberFormatError:
        return None


def format_fraction(value: Fraction) -> str:
    """Plain-text spelling of an exact value: `4`, `-7/3` (always reduced, sign on the numerator)."""
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


# --------------------------------------------------------------------------------------- internals


def _strip_delimiters(text: str) -> str:
    for opening, closing in _DELIMITERS:
        if len(text) >= len(opening) + len(closing) and text.startswith(opening) and text.endswith(closing):
            return text[len(opening) : len(text) - len(closing)].strip()
    return text


def _negative(sign: str | None) -> bool:
    return sign in ("-", "\u2212")


def _digits(group: str, max_digits: int) -> int:
    """An unsigned integer from a matched digit group (separators removed), length-checked first."""
    digits = group.replace(",", "")
    if len(digits) > max_digits:
        raise NumberFormatError(f"a number with {len(digits)} digits is longer than the {max_digits} allowed")
    return int(digits)


def _parse_decimal(body: str, max_digits: int) -> ExactNumber | None:
    match = _DECIMAL.fullmatch(body)
    if match is None:
        return None
    fraction_digits = match["frac"] if match["frac"] is not None else match["frac_only"]
    whole = _digits(match["int"], max_digits) if match["int"] is not None else 0
    if fraction_digits is None:
        value, form = Fraction(whole), "integer"
    else:
        scale = len(fraction_digits)
        if scale > max_digits:
            raise NumberFormatError(f"a decimal with {scale} digits after the point is longer than the {max_digits} allowed")
        value, form = Fraction(whole * 10**scale + int(fraction_digits), 10**scale), "decimal"
    return ExactNumber(-value if _negative(match["sign"]) else value, form, True)


def _parse_slash(body: str, max_digits: int) -> ExactNumber | None:
    match = _SLASH.fullmatch(body)
    if match is None:
        return None
    return _fraction(_digits(match["num"], max_digits), _digits(match["den"], max_digits), _negative(match["sign"]))


def _parse_latex(body: str, max_digits: int) -> ExactNumber | None:
    match = _LATEX.fullmatch(body)
    if match is None:
        return None
    if match["den_sign"] is not None:
        raise NumberFormatError(f"{_shown(body)} has a signed denominator; put the sign in front of the fraction")
    if match["sign"] is not None and match["num_sign"] is not None:
        raise NumberFormatError(f"{_shown(body)} has two signs")
    numerator = _digits(match["num"] if match["num"] is not None else match["num1"], max_digits)
    denominator = _digits(match["den"] if match["den"] is not None else match["den1"], max_digits)
    return _fraction(numerator, denominator, _negative(match["sign"]) or _negative(match["num_sign"]))


def _fraction(numerator: int, denominator: int, negative: bool) -> ExactNumber:
    if denominator == 0:
        raise NumberFormatError("the denominator is zero")
    value = Fraction(-numerator if negative else numerator, denominator)
    return ExactNumber(value, "fraction", gcd(numerator, denominator) == 1)


def _shown(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")
