"""Exact geometry values for the Geometry template: surds, multiples of π, lines, as LaTeX and golds.

Why: plane-geometry answers are rarely integers — a diagonal is 5√2, a circle's area 49π/4, a
shaded region 16 − 4π. Representing them exactly as (rational coefficient, square-free radicand)
or (rational part, π coefficient) keeps the gold exact without sympy, and writing the LaTeX here
once means equal values always print identically (so two problems with the same answer have
the same reference text) and every template states radicals the same simplified way.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd, isqrt
from typing import Any

from vrgym.verifiers.math import gold as G


def simplify_sqrt(n: int) -> tuple[int, int]:
    """√n = k·√m with m square-free: returns (k, m). `simplify_sqrt(50) == (5, 2)`."""
    if n < 0:
        raise ValueError(f"cannot take the real square root of {n}")
    k, m, f = 1, n, 2
    while f * f <= m:
        while m % (f * f) == 0:
            k, m = k * f, m // (f * f)
        f += 1
    return k, m


def is_square(n: int) -> bool:
    """Whether n >= 0 is a perfect square."""
    return n >= 0 and isqrt(n) ** 2 == n


def _fraction_latex(numerator: str, denominator: int, negative: bool) -> str:
    body = numerator if denominator == 1 else f"\\frac{{{numerator}}}{{{denominator}}}"
    return f"-{body}" if negative else body


def _coefficient_text(coef: int, symbol: str) -> str:
    return symbol if coef == 1 else f"{coef}{symbol}"


def surd_latex(coef: Fraction, radicand: int) -> str:
    """LaTeX of coef·√radicand (radicand square-free): `5\\sqrt{2}`, `\\frac{3\\sqrt{3}}{4}`, `7/2` as `\\frac{7}{2}`."""
    coef = Fraction(coef)
    if radicand == 1 or coef == 0:
        return _fraction_latex(str(abs(coef.numerator)), coef.denominator, coef < 0)
    numerator = _coefficient_text(abs(coef.numerator), f"\\sqrt{{{radicand}}}")
    return _fraction_latex(numerator, coef.denominator, coef < 0)


def pi_latex(rational: Fraction, pi_coef: Fraction) -> str:
    """LaTeX of rational + pi_coef·π: `\\frac{49\\pi}{4}`, `16 - 4\\pi`, `\\pi`."""
    parts = []
    if rational:
        parts.append(surd_latex(Fraction(rational), 1))
    if pi_coef:
        c = Fraction(pi_coef)
        term = _fraction_latex(_coefficient_text(abs(c.numerator), "\\pi"), c.denominator, False)
        parts.append(("- " if c < 0 else "+ ") + term if parts else ("-" if c < 0 else "") + term)
    return " ".join(parts) or "0"


def number_gold(value: Fraction | int) -> dict[str, Any]:
    """An exact rational gold (`G.rational`, which turns integers into `G.integer`)."""
    return G.rational(Fraction(value))


def surd_gold(coef: Fraction, radicand: int) -> dict[str, Any]:
    """Gold for coef·√radicand: a plain number when the radical vanishes, else a closed-form expression."""
    if radicand == 1 or coef == 0:
        return number_gold(coef)
    return G.expression(surd_latex(coef, radicand))


def sqrt_gold(square: Fraction) -> tuple[dict[str, Any], str]:
    """Gold and LaTeX of √square for a non-negative rational `square`, simplified (√(a/b) = √(ab)/b)."""
    square = Fraction(square)
    k, m = simplify_sqrt(square.numerator * square.denominator)
    coef = Fraction(k, square.denominator)
    return surd_gold(coef, m), surd_latex(coef, m)


def pi_gold(rational: Fraction, pi_coef: Fraction) -> dict[str, Any]:
    """Gold for rational + pi_coef·π (an expression whenever π is present)."""
    if not pi_coef:
        return number_gold(rational)
    return G.expression(pi_latex(rational, pi_coef))


def linear_latex(a: Fraction, b: Fraction, c: Fraction) -> str:
    """LaTeX of the line a·x + b·y = c with integer coefficients, a > 0 (or a = 0, b > 0), gcd 1."""
    a, b, c = Fraction(a), Fraction(b), Fraction(c)
    scale = 1
    for v in (a, b, c):
        scale = scale * v.denominator // gcd(scale, v.denominator)
    ai, bi, ci = (int(v * scale) for v in (a, b, c))
    g = gcd(gcd(ai, bi), ci) or 1
    ai, bi, ci = ai // g, bi // g, ci // g
    if ai < 0 or (ai == 0 and bi < 0):
        ai, bi, ci = -ai, -bi, -ci
    terms = []
    for coef, symbol in ((ai, "x"), (bi, "y")):
        if coef:
            text = symbol if abs(coef) == 1 else f"{abs(coef)}{symbol}"
            terms.append(("-" if coef < 0 else "") + text if not terms else ("- " if coef < 0 else "+ ") + text)
    return f"{' '.join(terms)} = {ci}"


def slope_intercept_latex(m: Fraction, c: Fraction) -> str:
    """LaTeX of y = m·x + c: `y = 2x + 1`, `y = -\\frac{1}{2}x + 3`, `y = 4`."""
    m, c = Fraction(m), Fraction(c)
    if m == 0:
        return f"y = {surd_latex(c, 1)}"
    slope = "" if abs(m) == 1 else surd_latex(abs(m), 1)
    text = f"y = {'-' if m < 0 else ''}{slope}x"
    if c:
        text += f" {'-' if c < 0 else '+'} {surd_latex(abs(c), 1)}"
    return text


def show(value: Fraction) -> str:
    """Plain text of a rational for worked steps: `3`, `-7/2`."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
