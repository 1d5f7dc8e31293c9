"""`Polynomial`: expand a product of polynomials, or factor a polynomial completely over the integers.

Why this template: expanding and factoring are the two directions of the same identity, and
models slip in both (a dropped cross term, a sign, a forgotten common factor, a factor left
reducible). Both answers are checked symbolically *and* for their form: an expansion must be
written expanded (`form="expanded"`), a factorisation as a product (`form="factored"`), so
copying the question back does not score.

Generation is backwards and sympy-free: the factors are drawn first (integer roots, primitive
linear factors, irreducible quadratics such as x² + a² or x² + ax + a²), multiplied with the exact
`Poly` helper, and rendered in textbook order. Draws that would make the problem degenerate
(repeated roots where distinct ones are intended, a zero root that turns a factor into a bare x,
a factor with a common divisor that belongs in front) are redrawn.

Levels change the kind of problem:

* easy   — expand (ax + b)(cx + d); factor a monic quadratic with two integer roots.
* medium — expand squares, three linear factors, binomial × trinomial; factor a difference of
           squares, a perfect square, a non-monic quadratic.
* hard   — expand cubes and two-variable products; factor after taking out a common factor
           (k·xᵐ·…), cubics with three integer roots, sums/differences of cubes, by grouping.
* expert — expand a difference of two products; factor quartics into four factors or
           x⁴ − a⁴ = (x − a)(x + a)(x² + a²), two-variable quadratics, and two-variable
           polynomials with a monomial common factor.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from math import gcd
from typing import Any, ClassVar

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.registry import register
from vrgym.tasks.math._calculus import ask, distinct, nonzero, signed
from vrgym.tasks.math._calculus_poly import Poly, format_number, poly_to_json, product_latex
from vrgym.tasks.math._kinds import KindsConfig
from vrgym.tasks.math._math_template import MathTemplate
from vrgym.template import Draft

X = ("x",)
XY = ("x", "y")

Factor = tuple[Poly, int]
"""A factor and its multiplicity."""


class _Case:
    """One drawn problem before it becomes a Draft: what to show, the gold text, the steps."""

    def __init__(self, mode: str, kind: str, shown: str, polynomial: Poly, answer: str, steps: list[str],
                 factors: list[Factor] | None = None, content: int = 1) -> None:
        self.mode, self.kind, self.shown, self.polynomial = mode, kind, shown, polynomial
        self.answer, self.steps, self.factors, self.content = answer, steps, factors, content


def _lin(a: int, b: int, variables: tuple[str, ...] = X) -> Poly:
    """a·x + b (or a·x + b·y for two variables)."""
    return Poly.linear(a, b, variables=variables) if len(variables) == 1 else Poly.linear(a, b, 0, variables=variables)


def _primitive_linear(rng: random.Random, max_leading: int, max_constant: int, *, monic: bool = False) -> Poly:
    """a·x + b with a ≥ 1, b ≠ 0 and gcd(a, b) = 1, so no common factor hides inside it."""
    while True:
        a = 1 if monic else rng.randint(1, max_leading)
        b = signed(rng, 1, max_constant)
        if gcd(a, b) == 1:
            return _lin(a, b)


def _shown_product(factors: list[Factor], constant: int = 1) -> str:
    return product_latex(constant, factors)


def _expanded_case(kind: str, factors: list[Factor], constant: int = 1) -> _Case:
    product = Poly.constant(constant, factors[0][0].variables)
    for factor, power in factors:
        product = product * factor**power
    shown = _shown_product(factors, constant)
    steps = [
        f"Multiply out {shown}, distributing every term over every other factor.",
        f"Collect like terms: {product.latex()}.",
    ]
    return _Case("expand", kind, shown, product, product.latex(), steps)


def _factored_case(kind: str, factors: list[Factor], content: int, steps: list[str]) -> _Case:
    product = Poly.constant(content, factors[0][0].variables)
    for factor, power in factors:
        product = product * factor**power
    answer = product_latex(content, factors)
    steps = [f"The polynomial is {product.latex()}.", *steps, f"So {product.latex()} = {answer}."]
    return _Case("factor", kind, product.latex(), product, answer, steps, factors, content)


# ------------------------------------------------------------------------------------ expand kinds


def _expand_binomial_product(rng: random.Random, c: PolynomialConfig) -> _Case:
    first = _lin(rng.randint(1, c.max_leading), signed(rng, 1, c.max_constant))
    while True:
        second = _lin(nonzero(rng, -c.max_leading, c.max_leading), signed(rng, 1, c.max_constant))
        if second != first:
            return _expanded_case("binomial_product", [(first, 1), (second, 1)])


def _expand_square(rng: random.Random, c: PolynomialConfig) -> _Case:
    return _expanded_case("square", [(_lin(rng.randint(1, c.max_leading), signed(rng, 1, c.max_constant)), 2)])


def _expand_three_factors(rng: random.Random, c: PolynomialConfig) -> _Case:
    roots = distinct(rng, -c.max_constant, c.max_constant, 3, exclude=(0,))
    lead = rng.randint(1, c.max_leading)
    return _expanded_case("three_factors", [(_lin(lead, roots[0]), 1), (_lin(1, roots[1]), 1), (_lin(1, roots[2]), 1)])


def _expand_binomial_trinomial(rng: random.Random, c: PolynomialConfig) -> _Case:
    linear = _lin(rng.randint(1, c.max_leading), signed(rng, 1, c.max_constant))
    quadratic = Poly.from_coefficients([signed(rng, 1, c.max_constant), nonzero(rng, -c.max_constant, c.max_constant),
                                        rng.randint(1, c.max_leading)])
    return _expanded_case("binomial_trinomial", [(linear, 1), (quadratic, 1)])


def _expand_cube(rng: random.Random, c: PolynomialConfig) -> _Case:
    return _expanded_case("cube", [(_lin(rng.randint(1, 3), signed(rng, 1, min(c.max_constant, 6))), 3)])


def _two_variable_linear(rng: random.Random, c: PolynomialConfig) -> Poly:
    while True:
        a, b = rng.randint(1, c.max_leading), signed(rng, 1, c.max_leading + 2)
        if gcd(a, b) == 1:
            return Poly.linear(a, b, 0, variables=XY)


def _expand_two_variables(rng: random.Random, c: PolynomialConfig) -> _Case:
    first = _two_variable_linear(rng, c)
    if rng.random() < 0.3:
        return _expanded_case("two_variables", [(first, 2)])
    if rng.random() < 0.5:
        quadratic = Poly({(2, 0): rng.randint(1, c.max_leading), (1, 1): signed(rng, 1, c.max_constant),
                          (0, 2): signed(rng, 1, c.max_constant)}, XY)
        return _expanded_case("two_variables", [(first, 1), (quadratic, 1)])
    while True:
        second = _two_variable_linear(rng, c)
        if second != first:
            return _expanded_case("two_variables", [(first, 1), (second, 1)])


def _expand_difference_of_products(rng: random.Random, c: PolynomialConfig) -> _Case:
    """(a x + b)(c x + d) − k(e x + f)²: two expansions and a subtraction that cancels terms."""
    while True:
        first = [(_lin(rng.randint(1, c.max_leading), signed(rng, 1, c.max_constant)), 1),
                 (_lin(nonzero(rng, -c.max_leading, c.max_leading), signed(rng, 1, c.max_constant)), 1)]
        second = [(_lin(rng.randint(1, c.max_leading), signed(rng, 1, c.max_constant)), 2)]
        k = rng.randint(1, 3)
        left = first[0][0] * first[1][0]
        right = k * second[0][0] ** 2
        result = left - right
        if result.degree() >= 1 and len(result.terms) >= 2:
            break
    left_text, right_text = _shown_product(first), _shown_product(second, k)
    shown = f"{left_text} - {right_text}"
    steps = [
        f"Expand the first product: {left_text} = {left.latex()}.",
        f"Expand the second: {right_text} = {right.latex()}.",
        f"Subtract and collect like terms: ({left.latex()}) - ({right.latex()}) = {result.latex()}.",
    ]
    return _Case("expand", "difference_of_products", shown, result, result.latex(), steps)


# ------------------------------------------------------------------------------------ factor kinds


def _factor_monic_quadratic(rng: random.Random, c: PolynomialConfig) -> _Case:
    r, s = distinct(rng, -c.max_constant, c.max_constant, 2, exclude=(0,))
    factors = [(_lin(1, -r), 1), (_lin(1, -s), 1)]
    steps = [f"Find two numbers whose product is {format_number(r * s)} and whose sum is {format_number(-(r + s))}: "
             f"{format_number(-r)} and {format_number(-s)}."]
    return _factored_case("monic_quadratic", factors, 1, steps)


def _factor_difference_of_squares(rng: random.Random, c: PolynomialConfig) -> _Case:
    while True:
        a, b = rng.randint(1, c.max_leading + 1), rng.randint(1, c.max_constant)
        if gcd(a, b) == 1 and (a, b) != (1, 1):
            break
    factors = [(_lin(a, -b), 1), (_lin(a, b), 1)]
    square = _lin(a, 0).latex()
    steps = [f"It is a difference of squares: ({square})^{{2}} - {b}^{{2}}.",
             "Use A^{2} - B^{2} = (A - B)(A + B)."]
    return _factored_case("difference_of_squares", factors, 1, steps)


def _factor_perfect_square(rng: random.Random, c: PolynomialConfig) -> _Case:
    linear = _primitive_linear(rng, c.max_leading, c.max_constant)
    steps = ["The first and last terms are squares and the middle term is twice the product of their roots.",
             "Use A^{2} \\pm 2AB + B^{2} = (A \\pm B)^{2}."]
    return _factored_case("perfect_square", [(linear, 2)], 1, steps)


def _factor_nonmonic_quadratic(rng: random.Random, c: PolynomialConfig) -> _Case:
    while True:
        first = _primitive_linear(rng, c.max_leading, c.max_constant)
        second = _primitive_linear(rng, c.max_leading, c.max_constant)
        if first != second and first.coefficient(1) * second.coefficient(1) > 1:
            break
    product = first * second
    a, b, k = product.coefficient(2), product.coefficient(1), product.coefficient(0)
    steps = [f"Look for two numbers whose product is a·c = {format_number(a * k)} and whose sum is {format_number(b)}, "
             "split the middle term with them and factor by grouping."]
    return _factored_case("nonmonic_quadratic", [(first, 1), (second, 1)], 1, steps)


def _factor_common_factor(rng: random.Random, c: PolynomialConfig) -> _Case:
    content = signed(rng, 2, 6) if rng.random() < 0.8 else rng.choice((1, -1))
    power = rng.randint(0 if abs(content) > 1 else 1, 2)
    r, s = distinct(rng, -c.max_constant, c.max_constant, 2, exclude=(0,))
    factors: list[Factor] = [(Poly.monomial(1, (1,)), power)] if power else []
    factors += [(_lin(1, -r), 1), (_lin(1, -s), 1)]
    common = product_latex(content, factors[:1]) if power else format_number(content)
    steps = [f"Take out the greatest common factor {common} of all the terms.",
             f"Factor the remaining quadratic with two numbers whose product is {format_number(r * s)} and "
             f"whose sum is {format_number(-(r + s))}."]
    return _factored_case("common_factor", factors, content, steps)


def _factor_cubic_roots(rng: random.Random, c: PolynomialConfig) -> _Case:
    roots = sorted(distinct(rng, -min(c.max_constant, 6), min(c.max_constant, 6), 3, exclude=(0,)))
    factors = [(_lin(1, -r), 1) for r in roots]
    steps = [f"By the rational root theorem, try divisors of the constant term: x = {roots[0]} is a root.",
             f"Divide by (x - ({roots[0]})) and factor the quadratic quotient; the other roots are {roots[1]} and {roots[2]}."]
    return _factored_case("cubic_roots", factors, 1, steps)


def _factor_cubes(rng: random.Random, c: PolynomialConfig) -> _Case:
    while True:
        a, b = rng.randint(1, 4), rng.randint(1, 6)
        if gcd(a, b) == 1 and (a, b) != (1, 1):
            break
    sign = rng.choice((1, -1))
    content = rng.choice((1, 1, 2, 3, -1))
    linear = _lin(a, sign * b)
    quadratic = Poly.from_coefficients([b * b, -sign * a * b, a * a])
    name = "sum" if sign > 0 else "difference"
    steps = [f"Take out the common factor {content}." if content != 1 else "There is no common factor to take out.",
             f"What is left is a {name} of cubes: ({_lin(a, 0).latex()})^{{3}} {'+' if sign > 0 else '-'} {b}^{{3}}.",
             "Use A^{3} \\pm B^{3} = (A \\pm B)(A^{2} \\mp AB + B^{2}); the quadratic factor has no real roots."]
    return _factored_case("cubes", [(linear, 1), (quadratic, 1)], content, steps)


def _factor_grouping(rng: random.Random, c: PolynomialConfig) -> _Case:
    linear = _primitive_linear(rng, c.max_leading, c.max_constant)
    quadratic = Poly.from_coefficients([rng.randint(1, c.max_constant), 0, 1])
    steps = ["Group the first two terms and the last two terms and take out what each pair has in common.",
             "Both groups share the same linear factor; the quadratic x^{2} + k with k > 0 does not factor."]
    return _factored_case("grouping", [(quadratic, 1), (linear, 1)], 1, steps)


def _factor_quartic(rng: random.Random, c: PolynomialConfig) -> _Case:
    if rng.random() < 0.5:
        a = rng.randint(1, 4)
        factors = [(_lin(1, -a), 1), (_lin(1, a), 1), (Poly.from_coefficients([a * a, 0, 1]), 1)]
        steps = [f"Difference of squares: x^{{4}} - {a ** 4} = (x^{{2}} - {a * a})(x^{{2}} + {a * a}).",
                 f"Factor x^{{2}} - {a * a} again; x^{{2}} + {a * a} has no real roots."]
        return _factored_case("quartic", factors, 1, steps)
    a, b = sorted(distinct(rng, 1, 5, 2))
    factors = [(_lin(1, -a), 1), (_lin(1, a), 1), (_lin(1, -b), 1), (_lin(1, b), 1)]
    steps = [f"Substitute u = x^{{2}}: u^{{2}} - {a * a + b * b}u + {a * a * b * b} = (u - {a * a})(u - {b * b}).",
             "Each factor x^{2} - k^{2} is a difference of squares."]
    return _factored_case("quartic", factors, 1, steps)


def _factor_two_variables(rng: random.Random, c: PolynomialConfig) -> _Case:
    while True:
        first, second = _two_variable_linear(rng, c), _two_variable_linear(rng, c)
        if first != second:
            break
    steps = ["Treat it as a quadratic in x with coefficients depending on y and split the middle term."]
    return _factored_case("two_variables", [(first, 1), (second, 1)], 1, steps)


def _factor_two_variables_common(rng: random.Random, c: PolynomialConfig) -> _Case:
    content = signed(rng, 1, 5)
    monomial = Poly.monomial(1, (rng.randint(0, 1), 1) if rng.random() < 0.5 else (1, rng.randint(0, 1)), XY)
    r, s = distinct(rng, -c.max_constant, c.max_constant, 2, exclude=(0,))
    factors = [(monomial, 1), (Poly.linear(1, -r, 0, variables=XY), 1), (Poly.linear(1, -s, 0, variables=XY), 1)]
    steps = [f"Take out the greatest common factor {product_latex(content, factors[:1])}.",
             f"The rest is x^{{2}} + ({format_number(-(r + s))})xy + ({format_number(r * s)})y^{{2}}: two numbers with "
             f"product {format_number(r * s)} and sum {format_number(-(r + s))}."]
    return _factored_case("two_variables_common", factors, content, steps)


KINDS: dict[str, Callable[[random.Random, Any], _Case]] = {
    "expand_binomial_product": _expand_binomial_product,
    "expand_square": _expand_square,
    "expand_three_factors": _expand_three_factors,
    "expand_binomial_trinomial": _expand_binomial_trinomial,
    "expand_cube": _expand_cube,
    "expand_two_variables": _expand_two_variables,
    "expand_difference_of_products": _expand_difference_of_products,
    "factor_monic_quadratic": _factor_monic_quadratic,
    "factor_difference_of_squares": _factor_difference_of_squares,
    "factor_perfect_square": _factor_perfect_square,
    "factor_nonmonic_quadratic": _factor_nonmonic_quadratic,
    "factor_common_factor": _factor_common_factor,
    "factor_cubic_roots": _factor_cubic_roots,
    "factor_cubes": _factor_cubes,
    "factor_grouping": _factor_grouping,
    "factor_quartic": _factor_quartic,
    "factor_two_variables": _factor_two_variables,
    "factor_two_variables_common": _factor_two_variables_common,
}
"""Every problem kind, by name: `expand_*` ask for an expansion, `factor_*` for a factorisation."""


class PolynomialConfig(KindsConfig):
    """Which kinds of expansion/factoring problems to draw, and how large the integers are."""

    KINDS: ClassVar[tuple[str, ...]] = tuple(KINDS)

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("expand_binomial_product", "factor_monic_quadratic"), max_constant=9, max_leading=3),
        "medium": dict(kinds=("expand_square", "expand_three_factors", "expand_binomial_trinomial",
                              "factor_difference_of_squares", "factor_perfect_square", "factor_nonmonic_quadratic"),
                       max_constant=7, max_leading=4),
        "hard": dict(kinds=("expand_cube", "expand_two_variables", "factor_common_factor", "factor_cubic_roots",
                            "factor_cubes", "factor_grouping"), max_constant=8, max_leading=4),
        "expert": dict(kinds=("expand_difference_of_products", "expand_two_variables", "factor_quartic",
                              "factor_two_variables", "factor_two_variables_common", "factor_common_factor"),
                       max_constant=9, max_leading=5),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = Field(("expand_binomial_product", "factor_monic_quadratic"),
                                   description=f"Problem kinds to draw from uniformly: any of {', '.join(KINDS)}.")
    max_constant: int = Field(7, ge=3, le=50, description="Largest magnitude of a root or constant term of a factor.")
    max_leading: int = Field(3, ge=1, le=12, description="Largest leading coefficient of a linear factor.")

    @model_validator(mode="after")
    def _enough_room(self) -> PolynomialConfig:
        if "factor_nonmonic_quadratic" in self.kinds and self.max_leading < 2:
            raise ValueError("factor_nonmonic_quadratic needs max_leading >= 2 (a leading coefficient above 1)")
        return self


@register
class Polynomial(MathTemplate):
    """Expand products of polynomials / factor polynomials completely over the integers."""

    name = "Polynomial"
    version = 0
    tags = ("math/algebra/polynomial",)
    description = "Expand a product of polynomials, or factor one completely over the integers (checked symbolically and for form)"
    Config = PolynomialConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        """Draw a kind, build the case backwards from its factors, and state the expected form."""
        from vrgym.verifiers.math import gold as G

        assert isinstance(config, PolynomialConfig)
        kind = rng.choice(config.kinds)
        case = KINDS[kind](rng, config)
        variables = list(case.polynomial.variables)
        example = "2x^{2} - 3xy + y^{2}" if len(variables) > 1 else "3x^{2} - 2x + 5"
        if case.mode == "expand":
            question = f"Expand and simplify ${case.shown}$."
            form = f"Write the result in expanded form, as a sum of monomials with like terms collected, such as {example}."
            gold = G.expression(case.answer, variables=variables, form="expanded")
        else:
            question = f"Factor completely over the integers: ${case.shown}$."
            form = ("Write the result as a product of factors with integer coefficients that cannot be factored further, "
                    "with any common factor taken out in front, such as 2x(x - 1)(x + 3).")
            gold = G.expression(case.answer, variables=variables, form="factored")
        metadata: dict[str, Any] = {"kind": kind, "mode": case.mode, "shown": case.shown,
                                    "polynomial": poly_to_json(case.polynomial), "solution": case.steps}
        if case.factors is not None:
            metadata["content"] = case.content
            metadata["factors"] = [[poly_to_json(f), power] for f, power in case.factors]
        sub = kind.split("_", 1)[1]
        tags = (f"math/algebra/polynomial/{case.mode}", f"math/algebra/polynomial/{case.mode}/{sub}")
        return Draft(prompt=ask(question, form, self.answer_format.instruction), answer=gold, metadata=metadata, tags=tags)
