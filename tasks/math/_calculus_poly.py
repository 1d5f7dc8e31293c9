"""`Poly`: a tiny exact multivariate polynomial (Fraction coefficients) with LaTeX rendering.

Why not sympy: the polynomial parts of the algebra and calculus templates (expanding products,
factoring built backwards from chosen factors, derivatives and integrals of polynomials, limits
of rational functions, implicit differentiation of polynomial curves) need only +, ×, powers,
d/dx, ∫dx and evaluation. Doing them on a dict of monomials keeps generation at thousands of
problems per second and keeps `sympy` (0.3 s to import) out of those levels entirely. The
rendering is the textbook one: descending total degree, `x` before `y`, unit coefficients
omitted, `\\frac{a}{b}` for fractions — the same text a model would write.

A monomial is a tuple of exponents, one per variable in `Poly.variables`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Union

from vrgym.verifiers.numbers import format_fraction

Number = Union[int, Fraction]
Monomial = tuple[int, ...]


class Poly:
    """An immutable polynomial over the rationals in the variables `variables` (default just x)."""

    __slots__ = ("terms", "variables")

    def __init__(self, terms: Mapping[Monomial, Number], variables: Sequence[str] = ("x",)) -> None:
        self.variables: tuple[str, ...] = tuple(variables)
        self.terms: dict[Monomial, Fraction] = {m: Fraction(c) for m, c in terms.items() if c}
        for monomial in self.terms:
            if len(monomial) != len(self.variables):
                raise ValueError(f"monomial {monomial} does not match the variables {self.variables}")

    # ------------------------------------------------------------------------------ constructors

    @classmethod
    def constant(cls, value: Number, variables: Sequence[str] = ("x",)) -> Poly:
        """The constant polynomial `value`."""
        return cls({(0,) * len(variables): value}, variables)

    @classmethod
    def monomial(cls, coefficient: Number, exponents: Monomial, variables: Sequence[str] = ("x",)) -> Poly:
        """`coefficient · x^a y^b …` for `exponents` (a, b, …)."""
        return cls({tuple(exponents): coefficient}, variables)

    @classmethod
    def linear(cls, *coefficients: Number, variables: Sequence[str] = ("x",)) -> Poly:
        """`c0·v0 + c1·v1 + … + constant`: one coefficient per variable, then the constant term."""
        n = len(variables)
        if len(coefficients) != n + 1:
            raise ValueError(f"linear() takes {n + 1} coefficients for variables {tuple(variables)}")
        terms = {tuple(int(i == j) for j in range(n)): c for i, c in enumerate(coefficients[:n])}
        terms[(0,) * n] = coefficients[n]
        return cls(terms, variables)

    @classmethod
    def from_coefficients(cls, coefficients: Sequence[Number], variable: str = "x") -> Poly:
        """Univariate `c0 + c1 x + c2 x² + …` from its coefficients, lowest degree first."""
        return cls({(k,): c for k, c in enumerate(coefficients)}, (variable,))

    # ------------------------------------------------------------------------------ arithmetic

    def _lift(self, other: Poly | Number) -> Poly:
        if isinstance(other, Poly):
            if other.variables != self.variables:
                raise ValueError(f"cannot combine polynomials in {self.variables} and {other.variables}")
            return other
        return Poly.constant(other, self.variables)

    def __add__(self, other: Poly | Number) -> Poly:
        terms = dict(self.terms)
        for m, c in self._lift(other).terms.items():
            terms[m] = terms.get(m, 0) + c
        return Poly(terms, self.variables)

    __radd__ = __add__

    def __neg__(self) -> Poly:
        return Poly({m: -c for m, c in self.terms.items()}, self.variables)

    def __sub__(self, other: Poly | Number) -> Poly:
        return self + (-self._lift(other))

    def __rsub__(self, other: Number) -> Poly:
        return self._lift(other) - self

    def __mul__(self, other: Poly | Number) -> Poly:
        other = self._lift(other)
        terms: dict[Monomial, Fraction] = {}
        for m1, c1 in self.terms.items():
            for m2, c2 in other.terms.items():
                m = tuple(a + b for a, b in zip(m1, m2))
                terms[m] = terms.get(m, 0) + c1 * c2
        return Poly(terms, self.variables)

    __rmul__ = __mul__

    def __pow__(self, exponent: int) -> Poly:
        if exponent < 0:
            raise ValueError("only non-negative integer powers of a polynomial are polynomials")
        result = Poly.constant(1, self.variables)
        for _ in range(exponent):
            result = result * self
        return result

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Poly) and other.variables == self.variables and other.terms == self.terms

    def __hash__(self) -> int:
        return hash((self.variables, tuple(sorted(self.terms.items()))))

    def __repr__(self) -> str:
        return f"Poly({self.latex()!r}, variables={self.variables})"

    # ------------------------------------------------------------------------------ calculus

    def derivative(self, variable: int = 0) -> Poly:
        """∂/∂(variables[variable])."""
        terms: dict[Monomial, Fraction] = {}
        for m, c in self.terms.items():
            if m[variable]:
                lowered = tuple(e - (i == variable) for i, e in enumerate(m))
                terms[lowered] = c * m[variable]
        return Poly(terms, self.variables)

    def antiderivative(self) -> Poly:
        """The antiderivative of a univariate polynomial with constant term 0."""
        if len(self.variables) != 1:
            raise ValueError("antiderivative() is for polynomials in one variable")
        return Poly({(m[0] + 1,): c / (m[0] + 1) for m, c in self.terms.items()}, self.variables)

    def __call__(self, *values: Number) -> Fraction:
        """Exact value at the point `values` (one per variable)."""
        if len(values) != len(self.variables):
            raise ValueError(f"expected {len(self.variables)} values for {self.variables}, got {len(values)}")
        total = Fraction(0)
        for m, c in self.terms.items():
            term = c
            for value, e in zip(values, m):
                term *= Fraction(value) ** e
            total += term
        return total

    # ------------------------------------------------------------------------------ structure

    @property
    def is_zero(self) -> bool:
        return not self.terms

    def degree(self) -> int:
        """Total degree (−1 for the zero polynomial)."""
        return max((sum(m) for m in self.terms), default=-1)

    def leading_coefficient(self) -> Fraction:
        """Coefficient of the first term in display order (highest degree)."""
        return self.terms[self._ordered()[0]] if self.terms else Fraction(0)

    def coefficient(self, *exponents: int) -> Fraction:
        """Coefficient of the monomial with these exponents (0 if absent)."""
        return self.terms.get(tuple(exponents), Fraction(0))

    def is_monomial(self) -> bool:
        return len(self.terms) == 1

    def _ordered(self) -> list[Monomial]:
        return sorted(self.terms, key=lambda m: (-sum(m), tuple(-e for e in m)))

    # ------------------------------------------------------------------------------ display

    def monomial_latex(self, m: Monomial) -> str:
        """`x^{2}y` for the exponents `m` (empty for the constant monomial)."""
        return "".join(v if e == 1 else f"{v}^{{{e}}}" for v, e in zip(self.variables, m) if e)

    def latex(self) -> str:
        """Textbook LaTeX: `3x^{2} - xy + \\frac{1}{2}`; `0` for the zero polynomial."""
        if not self.terms:
            return "0"
        out = []
        for position, m in enumerate(self._ordered()):
            c = self.terms[m]
            body = coefficient_latex(abs(c), self.monomial_latex(m))
            if position == 0:
                out.append(("-" if c < 0 else "") + body)
            else:
                out.append(("- " if c < 0 else "+ ") + body)
        return " ".join(out)

    def text(self) -> str:
        """Plain text for worked steps: `3x^2 - xy + 1/2`."""
        return self.latex().replace("{", "").replace("}", "").replace("\\frac", "")


def coefficient_latex(c: Fraction, monomial: str) -> str:
    """`c` (non-negative) times the monomial text, with a unit coefficient omitted."""
    if not monomial:
        return fraction_latex(c)
    if c == 1:
        return monomial
    return fraction_latex(c) + monomial


def fraction_latex(value: Number) -> str:
    """`-\\frac{3}{4}` / `7` for an exact rational."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def product_latex(constant: Number, factors: Iterable[tuple[Poly, int]]) -> str:
    """`-2x(x - 3)^{2}(x + 1)`: a constant times factors with multiplicities.

    A factor that is a bare monomial with coefficient 1 (x, xy) is written without parentheses,
    every other factor in parentheses; the constant 1 is omitted and −1 becomes a minus sign.
    """
    constant = Fraction(constant)
    head = "" if constant == 1 else "-" if constant == -1 else fraction_latex(constant)
    monomials, brackets = [], []
    for factor, power in factors:
        if factor.is_monomial() and factor.leading_coefficient() == 1:
            m = next(iter(factor.terms))
            monomials.append(factor.monomial_latex(tuple(e * power for e in m)))
        else:
            brackets.append(f"({factor.latex()})" + (f"^{{{power}}}" if power != 1 else ""))
    body = "".join(monomials) + "".join(brackets)
    return head + body if body else fraction_latex(constant)


def format_number(value: Number) -> str:
    """Plain-text exact number for worked steps (`-7/3`, `5`)."""
    return format_fraction(Fraction(value))


def poly_to_json(poly: Poly) -> dict[str, object]:
    """JSON form for problem metadata: variables and `[exponents, "coefficient"]` pairs, display order."""
    return {
        "variables": list(poly.variables),
        "terms": [[list(m), format_fraction(poly.terms[m])] for m in poly._ordered()],
    }

