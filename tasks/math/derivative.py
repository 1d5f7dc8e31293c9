"""`Derivative`: differentiate a function of x — power rule, then product/quotient/chain, then
transcendental functions, then values f′(x₀), second derivatives and implicit differentiation.

Why this template: differentiation is mechanical but long, and every rule is a place to drop a
factor or a sign. The answer is an expression in x, compared symbolically by the math verifier,
so any equivalent form scores (expanded or not, `\\frac{1}{x}` or `x^{-1}`); a value at a point is
an exact number (`\\frac{\\sqrt{3}}{2} + \\pi`), never a decimal.

Generation draws a function from a family (see `_calculus_functions`), differentiates it with
sympy (imported lazily; ~1-2 ms a problem) or, for polynomials and implicit curves, with the exact
`Poly` helper (no sympy at all). Degenerate draws are redrawn: a zero value f′(x₀) (guessable), a
point outside the domain, a curve whose ∂F/∂y vanishes at the point (no slope).

Levels change the kind of problem:

* easy   — polynomials; sums of powers with negative and fractional exponents.
* medium — product, quotient and chain rule on algebraic functions.
* hard   — exponential, trigonometric, logarithmic and inverse-trigonometric functions.
* expert — f′(x₀) at a point, second derivatives, dy/dx of an implicit curve at a point.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field

from vrgym.config import TemplateConfig
from vrgym.registry import register
from vrgym.tasks.math._calculus import (
    CLOSED_FORM,
    RATIONAL_FORM,
    Drawn,
    exact_gold,
    nonzero,
    pose,
    rational_gold,
    signed,
    sympy_module,
    to_latex,
    x_symbol,
)
from vrgym.tasks.math._calculus_functions import ALGEBRAIC, TRANSCENDENTAL, Built, product_power
from vrgym.tasks.math._calculus_functions import chain_power, quotient_linear, quotient_quadratic
from vrgym.tasks.math._calculus_poly import Poly, format_number, poly_to_json
from vrgym.tasks.math._kinds import KindsConfig, draw_kind
from vrgym.tasks.math._math_template import MathTemplate
from vrgym.template import Draft

KINDS = ("polynomial", "power", "product", "quotient", "chain", "transcendental", "value", "second", "implicit")
"""Problem kinds: what is asked and which functions are drawn (see the module docstring)."""

EXPRESSION_FORM = "Give the derivative as an expression in x; any equivalent form is accepted."
_RULE_FAMILIES = {"product": (product_power,), "quotient": (quotient_linear, quotient_quadratic), "chain": (chain_power,)}
_POINTS: dict[str, tuple[str, ...]] = {
    "power": ("1", "2", "-1"),
    "exponential": ("0", "1", "-1"),
    "trigonometric": ("pi/6", "pi/4", "pi/3", "pi/2", "pi"),
    "logarithmic": ("1", "2", "e"),
    "inverse_trigonometric": ("0", "1"),
}
"""Points x₀ tried for f′(x₀), per family: where the value is exact and the function defined."""
_MAX_VALUE_LATEX = 90
_ATTEMPTS = 200


class DerivativeConfig(KindsConfig):
    """Which kinds of differentiation problems to draw, and the size of polynomial coefficients."""

    KINDS: ClassVar[tuple[str, ...]] = KINDS

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("polynomial", "power"), max_coefficient=9, max_degree=5),
        "medium": dict(kinds=("product", "quotient", "chain"), max_coefficient=9, max_degree=5),
        "hard": dict(kinds=("transcendental",), max_coefficient=9, max_degree=5),
        "expert": dict(kinds=("value", "second", "implicit"), max_coefficient=6, max_degree=3),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = Field(
        ("product", "quotient", "chain"), description=f"Kinds to draw from uniformly: any of {', '.join(KINDS)}."
    )
    max_coefficient: int = Field(9, ge=2, le=100, description="Largest magnitude of a polynomial coefficient.")
    max_degree: int = Field(5, ge=2, le=12, description="Highest power in a polynomial (polynomial kind) or curve term.")


def _function_question(f: Any) -> str:
    return f"Find the derivative f'(x) of $f(x) = {to_latex(f)}$."


def _polynomial(rng: random.Random, c: DerivativeConfig) -> Drawn:
    from vrgym.verifiers.math import gold as G

    degrees = sorted(rng.sample(range(0, c.max_degree + 1), rng.randint(3, min(4, c.max_degree + 1))), reverse=True)
    if degrees[0] < 2:
        degrees[0] = 2
    f = Poly({(d,): nonzero(rng, -c.max_coefficient, c.max_coefficient) for d in degrees})
    d = f.derivative()
    question = f"Find the derivative f'(x) of $f(x) = {f.latex()}$."
    steps = ["Differentiate term by term with the power rule (x^{n})' = nx^{n-1}; the constant term vanishes.",
             f"f'(x) = {d.latex()}."]
    return question, EXPRESSION_FORM, G.expression(d.latex(), variables=["x"]), steps, {"function": poly_to_json(f)}


def _power(rng: random.Random, c: DerivativeConfig) -> Drawn:
    from vrgym.verifiers.math import gold as G

    sp = sympy_module()
    x = x_symbol()
    terms = [nonzero(rng, -c.max_coefficient, c.max_coefficient) * x ** rng.randint(2, c.max_degree),
             signed(rng, 1, c.max_coefficient) / x ** rng.randint(1, 3)]
    root = rng.choice((sp.sqrt(x), sp.root(x, 3), x ** sp.Rational(3, 2)))
    terms.append(signed(rng, 1, c.max_coefficient) * root)
    f = sp.Add(*terms)
    d = sp.diff(f, x)
    steps = ["Write roots and reciprocals as powers (\\sqrt{x} = x^{1/2}, \\frac{1}{x^{k}} = x^{-k}) and apply the power "
             "rule (x^{n})' = nx^{n-1} to each term.", f"f'(x) = {to_latex(d)}."]
    return _function_question(f), EXPRESSION_FORM, G.expression(to_latex(d), variables=["x"]), steps, {"function": to_latex(f)}


def _by_rule(built: Built) -> Drawn:
    from vrgym.verifiers.math import gold as G

    d = sympy_module().diff(built.expr, x_symbol())
    meta = {"function": to_latex(built.expr), "rule": built.rule, "family": built.family}
    return _function_question(built.expr), EXPRESSION_FORM, G.expression(to_latex(d), variables=["x"]), built.rule_steps(d), meta


def _point(text: str) -> Any:
    """The exact sympy number for a point of `_POINTS` ("pi/6", "e", "-1")."""
    sp = sympy_module()
    if text == "e":
        return sp.E
    if text.startswith("pi"):
        return sp.pi / int(text[3:]) if "/" in text else sp.pi
    return sp.Integer(int(text))


def _value(rng: random.Random) -> Drawn | None:
    sp = sympy_module()
    x = x_symbol()
    built = rng.choice(TRANSCENDENTAL + ALGEBRAIC)(rng)
    point_text = rng.choice(_POINTS[built.family])
    point = _point(point_text)
    d = sp.diff(built.expr, x)
    if not built.expr.subs(x, point).is_finite:
        return None
    value = sp.expand(d.subs(x, point))
    if not value.is_finite or value == 0 or value.has(sp.zoo, sp.nan) or len(to_latex(value)) > _MAX_VALUE_LATEX:
        return None
    at = to_latex(point)
    question = f"Let $f(x) = {to_latex(built.expr)}$. Find the exact value of $f'\\left({at}\\right)$."
    steps = [*built.rule_steps(d), f"Substitute x = {at}: f'({at}) = {to_latex(value)}."]
    meta = {"function": to_latex(built.expr), "point": at, "rule": built.rule, "family": built.family}
    return question, CLOSED_FORM, exact_gold(value), steps, meta


def _second(rng: random.Random) -> Drawn:
    from vrgym.verifiers.math import gold as G

    sp = sympy_module()
    x = x_symbol()
    built = rng.choice(TRANSCENDENTAL + (product_power, chain_power))(rng)
    first = sp.diff(built.expr, x)
    second = sp.diff(first, x)
    question = f"Find the second derivative f''(x) of $f(x) = {to_latex(built.expr)}$."
    steps = [*built.rule_steps(first), f"Differentiate once more: f''(x) = {to_latex(second)}."]
    meta = {"function": to_latex(built.expr), "rule": built.rule, "family": built.family}
    form = "Give f''(x) as an expression in x; any equivalent form is accepted."
    return question, form, G.expression(to_latex(second), variables=["x"]), steps, meta


_CURVE_MONOMIALS = ((2, 0), (1, 1), (0, 2), (3, 0), (0, 3), (2, 1), (1, 2), (1, 0), (0, 1))


def _implicit(rng: random.Random, c: DerivativeConfig) -> Drawn | None:
    monomials = [(1, 1), *rng.sample([m for m in _CURVE_MONOMIALS if m != (1, 1) and sum(m) <= c.max_degree], rng.randint(2, 3))]
    curve = Poly({m: nonzero(rng, -c.max_coefficient, c.max_coefficient) for m in monomials}, ("x", "y"))
    x0, y0 = nonzero(rng, -3, 3), nonzero(rng, -3, 3)
    fx, fy = curve.derivative(0), curve.derivative(1)
    fx0, fy0 = fx(x0, y0), fy(x0, y0)
    if fy0 == 0 or fx0 == 0:
        return None
    slope = -fx0 / fy0
    level = curve(x0, y0)
    question = (f"The curve ${curve.latex()} = {format_number(level)}$ passes through the point $({x0}, {y0})$. "
                "Find the slope $\\frac{dy}{dx}$ of the curve at that point.")
    steps = [
        "Differentiate both sides with respect to x, treating y as a function of x: "
        "F_x + F_y \\cdot \\frac{dy}{dx} = 0, so \\frac{dy}{dx} = -\\frac{F_x}{F_y}.",
        f"F_x = {fx.latex()}, F_y = {fy.latex()}.",
        f"At ({x0}, {y0}): F_x = {format_number(fx0)}, F_y = {format_number(fy0)}, so dy/dx = {format_number(slope)}.",
    ]
    meta = {"curve": poly_to_json(curve), "level": format_number(level), "point": [x0, y0]}
    return question, RATIONAL_FORM, rational_gold(Fraction(slope)), steps, meta


@register
class Derivative(MathTemplate):
    """Differentiate functions of x; at the top level evaluate, differentiate twice or implicitly."""

    name = "Derivative"
    version = 0
    tags = ("math/calculus/derivative",)
    description = "Differentiate a function of x (power, product, quotient, chain rules; exp/trig/log; values, f'', implicit)"
    Config = DerivativeConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        """Draw a kind and a function, differentiate it exactly, and state the expected answer form."""
        assert isinstance(config, DerivativeConfig)
        kind, drawn = draw_kind(rng, config, lambda kind: self._draw(kind, rng, config), attempts=_ATTEMPTS,
                                what="non-degenerate derivative problem")
        prompt, gold, meta = pose(kind, drawn, self.answer_format.instruction)
        tags = [f"math/calculus/derivative/{kind}"]
        if "family" in meta:
            tags.append(f"math/calculus/derivative/{meta['family']}")
        return Draft(prompt=prompt, answer=gold, metadata=meta, tags=tuple(tags))

    @staticmethod
    def _draw(kind: str, rng: random.Random, c: DerivativeConfig) -> Drawn | None:
        if kind == "polynomial":
            return _polynomial(rng, c)
        if kind == "power":
            return _power(rng, c)
        if kind in _RULE_FAMILIES:
            return _by_rule(rng.choice(_RULE_FAMILIES[kind])(rng))
        if kind == "transcendental":
            return _by_rule(rng.choice(TRANSCENDENTAL)(rng))
        if kind == "value":
            return _value(rng)
        if kind == "second":
            return _second(rng)
        return _implicit(rng, c)
