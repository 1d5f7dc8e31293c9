"""Exact products and quotients of square roots in pure Python: `2\\sqrt{3}`, `\\frac{66}{\\sqrt{11}}`.

Radical answers are the commonest closed forms after plain numbers. A value q·√n (q rational, n a
square-free positive integer) is closed under × and ÷, so a product or quotient of numbers and
square roots has one canonical form and two spellings are equal exactly when their forms are.
This settles `\\sqrt{44}` vs `2\\sqrt{11}` or `\\frac{6}{\\sqrt{3}}` vs `2\\sqrt{3}` in microseconds,
without a worker. Sums (`1+\\sqrt{2}`), other roots and anything else return None (the worker
decides). Radicands are bounded (≤ 10^8) so the square-free reduction stays cheap.
"""

from __future__ import annotations

import re
from fractions import Fraction

from vrgym.verifiers.math.structure import clean

MAX_RADICAND = 10**8
Radical = tuple[Fraction, int]
"""(q, n): the value q·√n, n square-free (n = 1 for a rational)."""

_TOKEN = re.compile(
    r"\s*(?:(?P<number>[0-9]+(?:\.[0-9]+)?)|(?P<sqrt>\\sqrt)|(?P<frac>\\[dt]?frac)|(?P<open>\{)|(?P<close>\})"
    r"|(?P<times>\\cdot|\\times|\*|×)|(?P<lparen>\()|(?P<rparen>\))|(?P<sign>[+\-−]))"
)


class _NotRadical(Exception):
    pass


def _square_free(n: int) -> tuple[int, int]:
    """(s, m) with n = s²·m and m square-free."""
    outside, inside, factor = 1, n, 2
    while factor * factor <= inside:
        while inside % (factor * factor) == 0:
            inside //= factor * factor
            outside *= factor
        factor += 1 if factor == 2 else 2
    return outside, inside


def _product(a: Radical, b: Radical) -> Radical:
    s, m = _square_free(a[1] * b[1])
    return a[0] * b[0] * s, m


def _quotient(a: Radical, b: Radical) -> Radical:
    if b[0] == 0:
        raise _NotRadical
    # a/b = a · √n_b / (q_b · n_b)
    return _product(a, (1 / (b[0] * b[1]), b[1]))


class _Reader:
    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                if text[position:].strip():
                    raise _NotRadical
                break
            kind = match.lastgroup or ""
            self.tokens.append((kind, match[kind]))
            position = match.end()
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at][0] if self.at < len(self.tokens) else None

    def take(self, kind: str) -> str:
        if self.peek() != kind:
            raise _NotRadical
        value = self.tokens[self.at][1]
        self.at += 1
        return value

    def product(self) -> Radical:
        negative = False
        while self.peek() == "sign":
            negative ^= self.take("sign") in ("-", "−")
        value = self.factor()
        while self.peek() in ("times", "number", "sqrt", "frac", "lparen"):
            if self.peek() == "times":
                self.take("times")
            value = _product(value, self.factor())
        return (-value[0], value[1]) if negative else value

    def factor(self) -> Radical:
        kind = self.peek()
        if kind == "number":
            return Fraction(self.take("number")), 1
        if kind == "sqrt":
            self.take("sqrt")
            if self.peek() == "open":
                self.take("open")
                inner = self.product()
                self.take("close")
            else:
                digits = self.take("number")
                if len(digits) != 1:  # TeX's \sqrt23 is √2·3: leave such spellings to the worker
                    raise _NotRadical
                inner = Fraction(digits), 1
            radicand = inner[0]
            if inner[1] != 1 or radicand < 0 or radicand.numerator * radicand.denominator > MAX_RADICAND:
                raise _NotRadical
            # √(a/b) = √(ab) / b
            s, m = _square_free(radicand.numerator * radicand.denominator)
            return Fraction(s, radicand.denominator), m
        if kind == "frac":
            self.take("frac")
            self.take("open")
            top = self.product()
            self.take("close")
            self.take("open")
            bottom = self.product()
            self.take("close")
            return _quotient(top, bottom)
        if kind == "lparen":
            self.take("lparen")
            inner = self.product()
            self.take("rparen")
            return inner
        raise _NotRadical


def read_radical(text: str) -> Radical | None:
    """The canonical (q, n) of a product/quotient of numbers and square roots, else None."""
    if len(text) > 120 or "\\sqrt" not in text and "\\frac" not in text:
        return None
    try:
        reader = _Reader(clean(text))
        value = reader.product()
        if reader.at != len(reader.tokens):
            return None
        return value
    except (_NotRadical, ValueError, ZeroDivisionError):
        return None
