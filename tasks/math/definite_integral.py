"""`DefiniteIntegral`: the exact value of ∫ₐᵇ f(x) dx — polynomials, then substitution, then
integration by parts and trigonometric integrals.

Why this template: a definite integral has one exact number as its answer (`\\frac{26}{3}`,
`\\frac{\\pi}{4} - \\frac{\\ln 2}{2}`, `e - 2`), so it trains the whole chain — pick the method,
find the antiderivative, evaluate at both bounds — with a reward that cannot be argued with.
Decimal approximations score 0: the prompt asks for the exact value.

Generation is backwards: an antiderivative F is chosen from a family (a power of an inner
function, a logarithm, an exponential, x·e^{ax}, x·ln x, sin²…), the integrand shown is the
textbook f, the value F(b) − F(a) is computed exactly (sympy, imported lazily; polynomials use the
exact `Poly` helper and need no sympy), and logarithms are split over primes so that equal values print
equally (`\\frac{\\ln 5}{2}`, not `\\frac{\\ln 10}{2} - \\frac{\\ln 2}{2}`). Bounds are chosen where
the integrand is continuous (a log's argument stays positive, a denominator never vanishes), and a
value of 0 (an odd integrand on a symmetric interval) is redrawn. The tests re-derive every value
with `sympy.integrate`.

Levels change the method needed:

* easy   — polynomials; sums of powers with roots and reciprocals.
* medium — u-substitution: g′(x)·h(g(x)) for powers, logarithms, exponentials, sines and roots.
* hard   — integration by parts (x·e^{ax}, x·sin, x·cos, ln x, xⁿ·ln x, x²·eˣ) and trigonometric
           integrals (sin², cos², sin·cos, 1/(x² + a²), sec²).
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
    split_logs,
    sympy_module,
    to_latex,
    x_symbol,
)
from vrgym.tasks.math._calculus_poly import Poly, fraction_latex, poly_to_json
from vrgym.tasks.math._kinds import KindsConfig, draw_kind
from vrgym.tasks.math._math_template import MathTemplate
from vrgym.template import Draft

KINDS = ("polynomial", "power", "substitution", "parts", "trigonometric")
"""Problem kinds (see the module docstring)."""
_ATTEMPTS = 200
_MAX_VALUE_LATEX = 100

Case = tuple[Any, Any, Any, Any, str]
"""(integrand f, antiderivative F, lower bound, upper bound, family name)."""


class DefiniteIntegralConfig(KindsConfig):
    """Which integration methods the problems need, and the size of polynomial coefficients."""

    KINDS: ClassVar[tuple[str, ...]] = KINDS

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("polynomial", "power"), max_coefficient=6),
        "medium": dict(kinds=("substitution",), max_coefficient=6),
        "hard": dict(kinds=("parts", "trigonometric"), max_coefficient=6),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = Field(("substitution",), description=f"Kinds to draw from uniformly: any of {', '.join(KINDS)}.")
    max_coefficient: int = Field(6, ge=2, le=50, description="Largest magnitude of a coefficient of the integrand.")


# ------------------------------------------------------------------------------------ families


def _power(rng: random.Random, c: DefiniteIntegralConfig) -> Case:
    """a·√x + b/x² (+ k) over [1, n²]: roots and reciprocals as powers."""
    sp = sympy_module()
    x = x_symbol()
    m = c.max_coefficient
    a, b, k = nonzero(rng, -m, m), nonzero(rng, -m, m), rng.randint(-3, 3)
    top = rng.choice((4, 9))
    if rng.random() < 0.5:
        f, F = a * sp.sqrt(x) + b / x**2 + k, sp.Rational(2, 3) * a * x ** sp.Rational(3, 2) - b / x + k * x
    else:
        f, F = a / sp.sqrt(x) + b * x + k, 2 * a * sp.sqrt(x) + sp.Rational(b, 2) * x**2 + k * x
    return f, F, sp.Integer(1), sp.Integer(top), "power"


def _substitution(rng: random.Random, c: DefiniteIntegralConfig) -> Case:
    """F = m·H(g(x)) for an inner g and an outer H; the integrand is F′ = m·g′·H′(g)."""
    sp = sympy_module()
    x = x_symbol()
    m = rng.randint(1, 6)
    pick = rng.randrange(5)
    if pick == 0:  # power of an inner quadratic or linear function
        g = x**2 + rng.randint(1, 6) if rng.random() < 0.6 else rng.randint(2, 4) * x + rng.randint(-3, 3)
        n = rng.randint(2, 4)
        F, lo, hi, family = sp.Rational(m, n + 1) * g ** (n + 1), rng.randint(-1, 0), rng.randint(1, 2), "power"
    elif pick == 1:  # logarithm: g'/g with g > 0 on the interval
        g = x**2 + rng.randint(1, 9)
        F, lo, hi, family = m * sp.log(g), rng.randint(0, 1), rng.randint(2, 4), "logarithm"
    elif pick == 2:  # exponential of x² or of a x
        g = x**2 if rng.random() < 0.5 else rng.choice((-2, -1, 2, 3)) * x
        F, lo, hi, family = m * sp.exp(g), rng.randint(-1, 0), rng.randint(1, 2), "exponential"
    elif pick == 3:  # sinⁿ·cos or cosⁿ·sin over [0, π/2] or [0, π/3]
        trig = rng.choice((sp.sin, sp.cos))
        n = rng.randint(2, 5)
        F, lo, hi, family = sp.Rational(m, n + 1) * trig(x) ** (n + 1), 0, rng.choice((sp.pi / 2, sp.pi / 3)), "trigonometric"
    else:  # square root of an inner quadratic: x·√(x² + k) with x² + k a perfect square at both ends
        k, hi = rng.choice(((9, 4), (16, 3), (36, 8), (25, 12)))  # k and hi² + k are squares
        g = x**2 + k
        F, lo, family = sp.Rational(m, 3) * g ** sp.Rational(3, 2), 0, "root"
    f = sp.diff(F, x)
    return f, F, sp.sympify(lo), sp.sympify(hi), family


def _parts(rng: random.Random, c: DefiniteIntegralConfig) -> Case:
    """x·e^{ax}, x·sin(ax), x·cos(ax), ln x, xⁿ·ln x, x²·eˣ with their antiderivatives by parts."""
    sp = sympy_module()
    x = x_symbol()
    pick = rng.randrange(6)
    if pick == 0:
        a = rng.choice((-3, -2, -1, 1, 2, 3))
        lo, hi = rng.choice(((0, 1), (0, 2), (-1, 1), (-1, 0)))
        return x * sp.exp(a * x), (x / a - sp.Rational(1, a * a)) * sp.exp(a * x), sp.Integer(lo), sp.Integer(hi), "x_exp"
    if pick in (1, 2):
        a = rng.randint(1, 4)
        hi = rng.choice((sp.pi / (2 * a), sp.pi / a, sp.pi / (3 * a), 2 * sp.pi / a))
        if pick == 1:
            return x * sp.sin(a * x), -x * sp.cos(a * x) / a + sp.sin(a * x) / a**2, sp.Integer(0), hi, "x_sin"
        return x * sp.cos(a * x), x * sp.sin(a * x) / a + sp.cos(a * x) / a**2, sp.Integer(0), hi, "x_cos"
    if pick == 3:
        return sp.log(x), x * sp.log(x) - x, sp.Integer(1), rng.choice((sp.E, sp.E**2, sp.E**3, sp.Integer(2), sp.Integer(3))), "log"
    if pick == 4:
        n = rng.randint(1, 4)
        F = x ** (n + 1) * sp.log(x) / (n + 1) - x ** (n + 1) / (n + 1) ** 2
        return x**n * sp.log(x), F, sp.Integer(1), rng.choice((sp.E, sp.Integer(2), sp.Integer(3))), "power_log"
    lo, hi = rng.choice(((0, 1), (-1, 0), (-1, 1), (0, 2)))
    if rng.random() < 0.5:
        return x**2 * sp.exp(x), (x**2 - 2 * x + 2) * sp.exp(x), sp.Integer(lo), sp.Integer(hi), "x2_exp"
    return x**2 * sp.exp(-x), -(x**2 + 2 * x + 2) * sp.exp(-x), sp.Integer(lo), sp.Integer(hi), "x2_exp"


def _trigonometric(rng: random.Random, c: DefiniteIntegralConfig) -> Case:
    """sin²(ax), cos²(ax), sin(ax)cos(ax), 1/(x² + a²) and sec²(x) with their antiderivatives."""
    sp = sympy_module()
    x = x_symbol()
    pick = rng.randrange(5)
    if pick < 3:
        a = rng.randint(1, 3)
        hi = rng.choice((sp.pi / (4 * a), sp.pi / (2 * a), sp.pi / (3 * a)))
        if pick == 0:
            return sp.sin(a * x) ** 2, x / 2 - sp.sin(2 * a * x) / (4 * a), sp.Integer(0), hi, "sin_squared"
        if pick == 1:
            return sp.cos(a * x) ** 2, x / 2 + sp.sin(2 * a * x) / (4 * a), sp.Integer(0), hi, "cos_squared"
        return sp.sin(a * x) * sp.cos(a * x), sp.sin(a * x) ** 2 / (2 * a), sp.Integer(0), hi, "sin_cos"
    if pick == 3:
        a = rng.randint(1, 4)
        lo, hi = rng.choice(((0, a), (-a, a), (0, a * sp.sqrt(3)), (a, a * sp.sqrt(3))))
        return 1 / (x**2 + a * a), sp.atan(x / a) / a, sp.sympify(lo), sp.sympify(hi), "arctan"
    hi = rng.choice((sp.pi / 4, sp.pi / 3))
    return 1 / sp.cos(x) ** 2, sp.tan(x), sp.Integer(0), hi, "sec_squared"


_FAMILIES = {"power": _power, "substitution": _substitution, "parts": _parts, "trigonometric": _trigonometric}

_METHOD = {
    "power": "Write the roots and reciprocals as powers of x and integrate term by term with the power rule.",
    "substitution": "Substitute u = g(x), the inner function: the integrand is a constant times g'(x) h(g(x)).",
    "parts": "Integrate by parts, \\int u\\,dv = uv - \\int v\\,du, with u the factor that simplifies when differentiated.",
    "trigonometric": "Use a trigonometric identity (sin^{2} = (1 - \\cos 2\\theta)/2, cos^{2} = (1 + \\cos 2\\theta)/2, "
                     "sin\\theta\\cos\\theta = \\frac{1}{2}\\sin 2\\theta) or a standard antiderivative (arctan, tan).",
}


def _polynomial(rng: random.Random, c: DefiniteIntegralConfig) -> Drawn | None:
    f = Poly({(d,): nonzero(rng, -c.max_coefficient, c.max_coefficient) for d in rng.sample(range(0, 4), rng.randint(2, 3))})
    lo = rng.randint(-3, 2)
    hi = rng.randint(lo + 1, 4)
    F = f.antiderivative()
    value = F(hi) - F(lo)
    if value == 0 or f.degree() < 1:
        return None
    question = f"Evaluate the definite integral $\\int_{{{lo}}}^{{{hi}}} \\left({f.latex()}\\right) dx$."
    steps = [f"An antiderivative is F(x) = {F.latex()}.",
             f"F({hi}) - F({lo}) = {fraction_latex(F(hi))} - ({fraction_latex(F(lo))}) = {fraction_latex(value)}."]
    meta = {"integrand": poly_to_json(f), "bounds": [lo, hi], "family": "polynomial"}
    return question, RATIONAL_FORM, rational_gold(Fraction(value)), steps, meta


def _transcendental(kind: str, rng: random.Random, c: DefiniteIntegralConfig) -> Drawn | None:
    x = x_symbol()
    f, F, lo, hi, family = _FAMILIES[kind](rng, c)
    if kind in ("parts", "trigonometric"):  # a constant factor varies the few fixed shapes
        scale = rng.randint(1, 5)
        f, F = scale * f, scale * F
    value = split_logs(F.subs(x, hi) - F.subs(x, lo))
    if value == 0 or not value.is_finite or len(to_latex(value)) > _MAX_VALUE_LATEX:
        return None
    lo_text, hi_text = to_latex(lo), to_latex(hi)
    body = f"\\left({to_latex(f)}\\right)" if f.is_Add or f.could_extract_minus_sign() else to_latex(f)
    question = f"Evaluate the definite integral $\\int_{{{lo_text}}}^{{{hi_text}}} {body} \\, dx$."
    steps = [_METHOD[kind], f"An antiderivative is F(x) = {to_latex(F)}.",
             f"F({hi_text}) - F({lo_text}) = {to_latex(value)}."]
    meta = {"integrand": to_latex(f), "antiderivative": to_latex(F), "bounds": [lo_text, hi_text], "family": family}
    return question, CLOSED_FORM, exact_gold(value), steps, meta


@register
class DefiniteIntegral(MathTemplate):
    """Exact definite integrals: polynomials, substitution, integration by parts, trigonometric."""

    name = "DefiniteIntegral"
    version = 0
    tags = ("math/calculus/integral/definite",)
    description = "Exact value of a definite integral (power rule, substitution, by parts, trigonometric)"
    Config = DefiniteIntegralConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        """Draw a method and an antiderivative family, and compute F(b) − F(a) exactly."""
        assert isinstance(config, DefiniteIntegralConfig)
        kind, drawn = draw_kind(
            rng, config, lambda kind: _polynomial(rng, config) if kind == "polynomial" else _transcendental(kind, rng, config),
            attempts=_ATTEMPTS, what="non-degenerate integral")
        prompt, gold, meta = pose(kind, drawn, self.answer_format.instruction)
        tags = (f"math/calculus/integral/{kind}", f"math/calculus/integral/{kind}/{meta['family']}")
        return Draft(prompt=prompt, answer=gold, metadata=meta, tags=tags)
