"""Helpers shared by the algebra templates: exact numbers and polynomials written as LaTeX, draws.

`FractionsPercent`, `LinearEquation`, `LinearSystem`, `Quadratic` and `Inequality` all show exact
rational coefficients in prompts and worked solutions, and all draw small non-zero integers and
"nice" rationals. Keeping the spelling in one place means every template writes `-\\frac{3}{4}x`
the same way (and a fix to the spelling fixes all of them). Everything here is plain Python on
`fractions.Fraction`: no sympy, no float.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from fractions import Fraction
from math import gcd

RELATIONS: dict[str, str] = {"<": "<", "<=": "\\le", ">": ">", ">=": "\\ge"}
"""Inequality relations (plain key) and how they are written in LaTeX."""

FLIPPED: dict[str, str] = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
"""The relation obtained by multiplying both sides by a negative number."""


# ----------------------------------------------------------------------------------- numbers


def latex_number(value: Fraction | int) -> str:
    """An exact rational in LaTeX: `3`, `-3`, `\\frac{3}{4}`, `-\\frac{3}{4}` (sign outside the fraction)."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def latex_factor(value: Fraction | int) -> str:
    """`latex_number`, parenthesised when negative so it can follow an operator: `3 \\cdot (-2)`."""
    text = latex_number(value)
    return f"({text})" if Fraction(value) < 0 else text


def latex_term(coefficient: Fraction | int, monomial: str, *, first: bool) -> str:
    """One signed term of a sum: `+ 3x`, `- x^{2}`, `+ \\frac{1}{2}y`, `- 7` (`monomial` "" = constant).

    `first` drops a leading `+` and writes a leading minus without a space (`-3x`, not `- 3x`).
    A unit coefficient of a monomial is left out (`x`, `-x`).
    """
    coefficient = Fraction(coefficient)
    magnitude = abs(coefficient)
    if monomial and magnitude == 1:
        body = monomial
    else:
        body = latex_number(magnitude) + monomial
    if first:
        return f"-{body}" if coefficient < 0 else body
    return f"- {body}" if coefficient < 0 else f"+ {body}"


def latex_sum(terms: Iterable[tuple[Fraction | int, str]]) -> str:
    """A sum of (coefficient, monomial) terms with zero terms dropped; `0` when nothing is left."""
    parts: list[str] = []
    for coefficient, monomial in terms:
        if coefficient:
            parts.append(latex_term(coefficient, monomial, first=not parts))
    return " ".join(parts) if parts else "0"


def latex_linear(coefficient: Fraction | int, constant: Fraction | int, variable: str = "x") -> str:
    """`ax + b` in LaTeX, e.g. `3x - 5`, `-x`, `\\frac{1}{2}x + 4`, `7`."""
    return latex_sum([(coefficient, variable), (constant, "")])


def latex_polynomial(coefficients: Sequence[Fraction | int], variable: str = "x") -> str:
    """A polynomial from its coefficients, highest degree first: `[2, -3, 1]` → `2x^{2} - 3x + 1`."""
    degree = len(coefficients) - 1
    return latex_sum(
        (c, _power(variable, degree - i)) for i, c in enumerate(coefficients)
    )


def _power(variable: str, exponent: int) -> str:
    if exponent == 0:
        return ""
    return variable if exponent == 1 else f"{variable}^{{{exponent}}}"


def latex_shift(variable: str, root: Fraction | int) -> str:
    """`x - r` for a root r, written `x + 3` when r = -3 and plain `x` when r = 0."""
    return latex_linear(1, -Fraction(root), variable)


# ----------------------------------------------------------------------------------- draws


def nonzero(rng: random.Random, low: int, high: int) -> int:
    """A uniform integer in [low, high] other than 0 (the range must contain a non-zero value)."""
    if low == high == 0:
        raise ValueError("nonzero() needs a range that contains a non-zero integer")
    while True:
        value = rng.randint(low, high)
        if value:
            return value


def signed(rng: random.Random, magnitude: int) -> int:
    """A uniform non-zero integer in [-magnitude, magnitude]."""
    return nonzero(rng, -magnitude, magnitude)


def nice_fraction(rng: random.Random, max_numerator: int, max_denominator: int) -> Fraction:
    """A non-integer rational with a small denominator: |numerator| ≤ max_numerator, 2 ≤ denominator."""
    if max_denominator < 2:
        raise ValueError("nice_fraction() needs max_denominator >= 2")
    while True:
        value = Fraction(signed(rng, max_numerator), rng.randint(2, max_denominator))
        if value.denominator != 1:
            return value


def lcm(*values: int) -> int:
    """Least common multiple of positive integers (1 for none)."""
    result = 1
    for value in values:
        result = result * value // gcd(result, value)
    return result


def common_denominator(values: Iterable[Fraction]) -> int:
    """The least common multiple of the denominators of `values`: multiply by it to clear fractions."""
    return lcm(*(Fraction(v).denominator for v in values))


# ----------------------------------------------------------------------------------- prompts


def compose_prompt(*parts: str) -> str:
    """Join prompt paragraphs with blank lines, skipping empty ones."""
    return "\n\n".join(part for part in parts if part)
