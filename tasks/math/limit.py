"""`Limit`: evaluate a limit — 0/0 cancellation, limits at infinity, standard limits, L'Hôpital.

Why this template: a limit question looks like "substitute and see", and the whole skill is in
noticing that you may not: 0/0 needs a factor cancelled, ∞ needs the leading terms compared,
sin(ax)/(bx) needs a standard limit, (e^{ax} − 1 − ax)/x² needs L'Hôpital twice. The answer is one
exact value, possibly ±∞ (the prompt says to write `\\infty` / `-\\infty`) or a closed form such as
`e^{6}` or `\\ln 3`.

Generation is sympy-free: every family is a formula with drawn integer parameters whose limit is
known in closed form (`(1 + a/x)^{bx} → e^{ab}`, `(ax − sin ax)/x³ → a³/6`), computed with
`Fraction`; rational functions are built backwards from a chosen common factor (x − a) with the
exact `Poly` helper, so the cancellation is real and the reduced function is defined at a. The
tests re-derive every value with `sympy.limit`.

Levels change the technique:

* easy   — rational functions at a point with a 0/0 common factor to cancel.
* medium — rational functions at ±∞ (finite, zero or infinite limits), and √(x² + bx + c) − x.
* hard   — standard limits: sin(ax)/(bx), tan, 1 − cos, (e^{ax} − 1)/(bx), ln(1 + ax)/(bx),
           (1 + a/x)^{bx} → e^{ab}, x·sin(a/x).
* expert — L'Hôpital (often twice or three times): (e^{ax} − 1 − ax)/x², (ax − sin ax)/x³,
           (ln(1 + ax) − ax)/x², (tan ax − ax)/x³, (xⁿ − cⁿ)/(x − c), (aˣ − 1)/x → ln a.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field

from vrgym.config import TemplateConfig
from vrgym.registry import register
from vrgym.tasks.math._calculus import ask, distinct, nonzero, plus, rational_gold, scaled
from vrgym.tasks.math._calculus_poly import Poly, fraction_latex
from vrgym.tasks.math._kinds import KindsConfig, draw_kind
from vrgym.tasks.math._math_template import MathTemplate
from vrgym.template import Draft

KINDS = ("cancel", "infinity", "standard", "lhopital")
"""Problem kinds (see the module docstring)."""

FORM = ("Give the exact value (a fraction in lowest terms or a closed form such as e^{2} or \\ln 3); if the limit is "
        "infinite, answer \\infty or -\\infty.")
"""The answer-form sentence of every limit question."""

Case = tuple[tuple[str, str], str, dict[str, Any], list[str], str]
"""((point, function) in LaTeX, the value's LaTeX, gold, worked steps, family)."""


class LimitConfig(KindsConfig):
    """Which techniques the limits need, and the size of the drawn integers."""

    KINDS: ClassVar[tuple[str, ...]] = KINDS

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("cancel",), max_value=6),
        "medium": dict(kinds=("infinity",), max_value=7),
        "hard": dict(kinds=("standard",), max_value=6),
        "expert": dict(kinds=("lhopital",), max_value=7),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = Field(("infinity",), description=f"Kinds to draw from uniformly: any of {', '.join(KINDS)}.")
    max_value: int = Field(7, ge=3, le=30, description="Largest magnitude of a drawn coefficient or point.")
    infinite_limits: bool = Field(
        True,
        description="Also draw rational functions whose limit at ±infinity is ±infinity (answered \\infty or -\\infty); "
        "switch off for a set of finite limits only.",
    )


def _number_gold(value: Fraction) -> tuple[str, dict[str, Any]]:
    return fraction_latex(value), rational_gold(value)


def _exp_gold(k: Fraction) -> tuple[str, dict[str, Any]]:
    from vrgym.verifiers.math import gold as G

    latex = "e" if k == 1 else f"e^{{{fraction_latex(k)}}}"
    return latex, G.expression(latex)


def _infinity_gold(sign: int) -> tuple[str, dict[str, Any]]:
    from vrgym.verifiers.math import gold as G

    latex = "\\infty" if sign > 0 else "-\\infty"
    return latex, G.expression(latex)


def _lim(point: str, body: str) -> tuple[str, str]:
    """Where x goes and the function whose limit is asked (the question writes `\\lim_{x \\to point} body`)."""
    return point, body


def _frac(top: str, bottom: str) -> str:
    return f"\\frac{{{top}}}{{{bottom}}}"


def _arg(a: int) -> str:
    """`3x`, `x`, `-2x`: the argument a·x of a function."""
    return scaled(a, "x")


# ------------------------------------------------------------------------------------ easy: cancel


def _cancel(rng: random.Random, c: LimitConfig) -> Case | None:
    a = nonzero(rng, -c.max_value, c.max_value)
    factor = Poly.linear(1, -a)
    q = Poly.linear(rng.randint(1, 3), nonzero(rng, -c.max_value, c.max_value))
    s = Poly.linear(1, nonzero(rng, -c.max_value, c.max_value))
    if rng.random() < 0.4:  # a quadratic cofactor makes the numerator cubic
        q = q * Poly.linear(1, nonzero(rng, -c.max_value, c.max_value))
    if q(a) == 0 or s(a) == 0:
        return None
    top, bottom = factor * q, factor * s
    value = q(a) / s(a)
    limit = _lim(str(a), _frac(top.latex(), bottom.latex()))
    latex, gold = _number_gold(value)
    steps = [f"Substituting x = {a} gives 0/0, so x - ({a}) is a common factor.",
             f"{top.latex()} = ({factor.latex()})({q.latex()}) and {bottom.latex()} = ({factor.latex()})({s.latex()}).",
             f"Cancel it and substitute: \\frac{{{fraction_latex(q(a))}}}{{{fraction_latex(s(a))}}} = {latex}."]
    return limit, latex, gold, steps, "common_factor"


# ------------------------------------------------------------------------------------ medium: infinity


def _random_poly(rng: random.Random, degree: int, c: LimitConfig) -> Poly:
    coefficients = [rng.randint(-c.max_value, c.max_value) for _ in range(degree)] + [nonzero(rng, -c.max_value, c.max_value)]
    return Poly.from_coefficients(coefficients)


def _infinity(rng: random.Random, c: LimitConfig) -> Case | None:
    direction = rng.choice((1, 1, -1))
    point = "\\infty" if direction > 0 else "-\\infty"
    if rng.random() < 0.2:
        b, k = nonzero(rng, -c.max_value, c.max_value), rng.randint(1, c.max_value)
        inside = Poly.from_coefficients([k, b, 1])
        body = f"\\left(\\sqrt{{{inside.latex()}}} - x\\right)"
        latex, gold = _number_gold(Fraction(b, 2))
        steps = ["Multiply and divide by the conjugate \\sqrt{x^{2} + bx + c} + x: the numerator becomes bx + c.",
                 f"Divide by x: the limit is b/2 = {latex}."]
        return _lim("\\infty", body), latex, gold, steps, "conjugate"
    dp, dq = rng.randint(1, 3), rng.randint(1, 3)
    if (dp > dq and not c.infinite_limits) or (dp < dq and rng.random() < 0.5):
        return None  # a limit of 0 is easy to guess: keep it to about a quarter of these problems
    p, q = _random_poly(rng, dp, c), _random_poly(rng, dq, c)
    lp, lq = p.coefficient(dp), q.coefficient(dq)
    if dp < dq:
        latex, gold = _number_gold(Fraction(0))
        reason = "the denominator has the higher degree, so the quotient tends to 0"
        family = "lower_degree"
    elif dp == dq:
        latex, gold = _number_gold(lp / lq)
        reason = f"the degrees are equal, so the limit is the ratio of leading coefficients {fraction_latex(lp)}/{fraction_latex(lq)}"
        family = "equal_degree"
    else:
        sign = (1 if lp / lq > 0 else -1) * (direction ** (dp - dq))
        latex, gold = _infinity_gold(sign)
        reason = "the numerator has the higher degree, so the quotient grows without bound with the sign of its leading term"
        family = "higher_degree"
    steps = [f"Divide numerator and denominator by the highest power of x in the denominator: {reason}.",
             f"The limit is {latex}."]
    return _lim(point, _frac(p.latex(), q.latex())), latex, gold, steps, family


# ------------------------------------------------------------------------------------ hard: standard


def _standard(rng: random.Random, c: LimitConfig) -> Case | None:
    a, b = nonzero(rng, -c.max_value, c.max_value), rng.randint(1, c.max_value)
    pick = rng.randrange(8)
    if pick == 0:
        body, value, family = _frac(f"\\sin({_arg(a)})", _arg(b)), Fraction(a, b), "sin_over_x"
    elif pick == 1:
        body, value, family = _frac(f"\\tan({_arg(a)})", _arg(b)), Fraction(a, b), "tan_over_x"
    elif pick == 2:
        body, value, family = _frac(f"\\sin({_arg(a)})", f"\\sin({_arg(b)})"), Fraction(a, b), "sin_over_sin"
    elif pick == 3:
        body, value, family = _frac(f"1 - \\cos({_arg(abs(a))})", scaled(b, "x^{2}")), Fraction(a * a, 2 * b), "one_minus_cos"
    elif pick == 4:
        body, value, family = _frac(f"e^{{{_arg(a)}}} - 1", _arg(b)), Fraction(a, b), "exp_minus_one"
    elif pick == 5:
        body, value, family = _frac(f"\\ln(1 + {_arg(abs(a))})", _arg(b)), Fraction(abs(a), b), "log_one_plus"
    elif pick == 6:
        inner = f"1 {'+' if a > 0 else '-'} {_frac(str(abs(a)), 'x')}"
        body = f"\\left({inner}\\right)^{{{_arg(b)}}}"
        latex, gold = _exp_gold(Fraction(a * b))
        steps = ["Write the power as e^{bx \\ln(1 + a/x)} and use \\ln(1 + t) \\sim t as t \\to 0.",
                 f"The exponent tends to ab = {a * b}, so the limit is {latex}."]
        return _lim("\\infty", body), latex, gold, steps, "compound_interest"
    else:
        body = f"{scaled(b, 'x')} \\sin\\left({_frac(str(abs(a)), 'x')}\\right)"
        value = Fraction(b * abs(a))
        latex, gold = _number_gold(value)
        steps = ["Substitute t = 1/x \\to 0^{+}: the expression is b \\cdot \\frac{\\sin(at)}{t}.",
                 f"Since \\sin(at)/t \\to a, the limit is {latex}."]
        return _lim("\\infty", body), latex, gold, steps, "x_sin_reciprocal"
    latex, gold = _number_gold(value)
    steps = ["Use the standard limits \\frac{\\sin u}{u} \\to 1, \\frac{\\tan u}{u} \\to 1, \\frac{1 - \\cos u}{u^{2}} \\to "
             "\\frac{1}{2}, \\frac{e^{u} - 1}{u} \\to 1, \\frac{\\ln(1 + u)}{u} \\to 1 as u \\to 0.",
             f"Rewrite the quotient in that form and collect the constants: the limit is {latex}."]
    return _lim("0", body), latex, gold, steps, family


# ------------------------------------------------------------------------------------ expert: L'Hôpital


def _lhopital(rng: random.Random, c: LimitConfig) -> Case | None:
    from vrgym.verifiers.math import gold as G

    a = nonzero(rng, -c.max_value, c.max_value)
    d = rng.randint(1, c.max_value)  # the denominator's coefficient
    pick = rng.randrange(7)
    point = "0"
    if pick == 0:
        top, value, family = plus(f"e^{{{_arg(a)}}}", "-1", _arg(-a)), Fraction(a * a, 2 * d), "exp_second_order"
        body = _frac(top, scaled(d, "x^{2}"))
    elif pick == 1:
        a, flip = abs(a), rng.choice((1, -1))  # ax - sin(ax) or its negative sin(ax) - ax
        terms = (_arg(a), f"-\\sin({_arg(a)})") if flip > 0 else (f"\\sin({_arg(a)})", _arg(-a))
        top, value, family = plus(*terms), Fraction(flip * a**3, 6 * d), "sin_third_order"
        body = _frac(top, scaled(d, "x^{3}"))
    elif pick == 2:
        a = abs(a)
        top, value, family = f"\\ln(1 + {_arg(a)}) - {_arg(a)}", Fraction(-a * a, 2 * d), "log_second_order"
        body = _frac(top, scaled(d, "x^{2}"))
    elif pick == 3:
        a, flip = abs(a), rng.choice((1, -1))  # tan(ax) - ax or its negative ax - tan(ax)
        terms = (f"\\tan({_arg(a)})", _arg(-a)) if flip > 0 else (_arg(a), f"-\\tan({_arg(a)})")
        top, value, family = plus(*terms), Fraction(flip * a**3, 3 * d), "tan_third_order"
        body = _frac(top, scaled(d, "x^{3}"))
    elif pick == 4:
        b = distinct(rng, -c.max_value, c.max_value, 1, exclude=(0, a))[0]
        body, value, family = _frac(f"e^{{{_arg(a)}}} - e^{{{_arg(b)}}}", _arg(d)), Fraction(a - b, d), "exp_difference"
    elif pick == 5:
        n, point_value = rng.randint(3, 5), rng.choice((-3, -2, -1, 1, 2, 3))
        power = point_value**n
        body = _frac(plus(f"x^{{{n}}}", str(-power)), plus("x", str(-point_value)))
        value, family, point = Fraction(n * point_value ** (n - 1)), "power_difference", str(point_value)
    else:
        base = rng.randint(2, 9)
        body = _frac(f"{base}^{{x}} - 1", _arg(d))
        latex = f"\\ln {base}" if d == 1 else f"\\frac{{\\ln {base}}}{{{d}}}"
        steps = ["At x = 0 the quotient is 0/0; apply L'Hôpital's rule once.",
                 f"The derivative of {base}^{{x}} is {base}^{{x}} \\ln {base}, which is \\ln {base} at x = 0; "
                 f"the denominator's derivative is {d}, so the limit is {latex}."]
        return _lim("0", body), latex, G.expression(latex), steps, "exponential_base"
    latex, gold = _number_gold(value)
    steps = [f"At x = {point} the quotient is 0/0; apply L'Hôpital's rule (differentiate the numerator and the denominator) "
             "until the quotient is no longer indeterminate, or expand in a Taylor series.",
             f"The limit is {latex}."]
    return _lim(point, body), latex, gold, steps, family


_BUILDERS: dict[str, Callable[[random.Random, LimitConfig], Case | None]] = {
    "cancel": _cancel, "infinity": _infinity, "standard": _standard, "lhopital": _lhopital,
}
_ATTEMPTS = 200


@register
class Limit(MathTemplate):
    """Limits of functions of x: cancellation, at infinity, standard limits and L'Hôpital."""

    name = "Limit"
    version = 0
    tags = ("math/calculus/limit",)
    description = "Evaluate a limit exactly (0/0 cancellation, at infinity, standard limits, L'Hopital), including ±infinity"
    Config = LimitConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        """Draw a technique and a family, with the limit known in closed form."""
        assert isinstance(config, LimitConfig)
        kind, drawn = draw_kind(rng, config, lambda kind: _BUILDERS[kind](rng, config), attempts=_ATTEMPTS,
                                what="non-degenerate limit")
        (point, function), value_latex, gold, steps, family = drawn
        limit = f"\\lim_{{x \\to {point}}} {function}"
        question = f"Evaluate the limit $${limit}$$"
        metadata = {"kind": kind, "family": family, "limit": limit, "point": point, "function": function,
                    "value": value_latex, "solution": steps}
        tags = (f"math/calculus/limit/{kind}", f"math/calculus/limit/{kind}/{family}")
        return Draft(prompt=ask(question, FORM, self.answer_format.instruction), answer=gold, metadata=metadata, tags=tags)
