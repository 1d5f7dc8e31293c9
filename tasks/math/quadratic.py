"""`Quadratic`: find every real solution of a quadratic equation, as a set.

Why this template: a quadratic equation has zero, one or two real solutions, and the answer is
only right if the *set* is right — a model that always reports two roots, drops the second root,
reports a double root twice or invents roots when the discriminant is negative is caught. The
answer is a set (`G.set`): any order is accepted, and an empty set must be written as an empty set.

Levels change the kind of equation:

* easy — monic `x^2 + bx + c = 0` with two distinct integer roots (factor by inspection);
* medium — integer roots behind a common factor, rational roots (`6x^2 - x - 2 = 0`), double roots;
* hard — rational, irrational roots (`\\frac{3 \\pm \\sqrt{5}}{2}`: quadratic formula and surd
  simplification), no real roots (the empty set) and double roots;
* expert — every root kind, and the equation is never in standard form: a product equal to a
  linear expression, or terms on both sides, to be expanded and rearranged first.

Generation works backwards: the root kind is chosen first, then the roots (or, for irrational and
non-real roots, coefficients with a discriminant of the required sign that is not a perfect
square), so the gold set is exact by construction. Irrational roots are written
`\\frac{m \\pm s\\sqrt{r}}{d}` with r square-free and the fraction reduced, as `G.expression`
elements that the math verifier compares symbolically (any equivalent spelling scores).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from math import gcd, isqrt
from typing import Any, ClassVar

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.problem import JSONValue
from vrgym.registry import register
from vrgym.tasks.math._algebra import (
    compose_prompt,
    latex_linear,
    latex_number,
    latex_polynomial,
    latex_sum,
    signed,
)
from vrgym.tasks.math._kinds import KindsConfig, retry
from vrgym.tasks.math._math_template import MathTemplate
from vrgym.template import Draft
from vrgym.verifiers.math import gold as G

ROOT_KINDS = ("integer", "rational", "irrational", "none", "double")
"""What the real solution set looks like (see the module docstring)."""

EMPTY_SET_HINT = "\\emptyset"
"""How the prompt tells the model to write "no real solution" (what `render_gold` writes for an empty set)."""

_MAX_ATTEMPTS = 1000


@dataclass(frozen=True)
class Surd:
    """The two real numbers `(m ± s·√r) / d`: r > 1 square-free, s > 0, d > 0, gcd(m, s, d) = 1."""

    m: int
    s: int
    r: int
    d: int

    def latex(self, sign: int) -> str:
        """LaTeX of `(m + sign·s√r)/d`, e.g. `\\frac{3 - \\sqrt{5}}{2}` or `-1 + 2\\sqrt{3}`."""
        numerator = latex_sum([(self.m, ""), (sign * self.s, f"\\sqrt{{{self.r}}}")])
        return numerator if self.d == 1 else f"\\frac{{{numerator}}}{{{self.d}}}"

    def value(self, sign: int) -> float:
        """Approximate value (for ordering and tests only; the gold is the exact LaTeX)."""
        return (self.m + sign * self.s * self.r**0.5) / self.d


def square_free(n: int) -> tuple[int, int]:
    """`n = s² · r` with r square-free; returns (s, r). For the small discriminants drawn here."""
    s, r, factor = 1, n, 2
    while factor * factor <= r:
        while r % (factor * factor) == 0:
            r //= factor * factor
            s *= factor
        factor += 1
    return s, r


def quadratic_formula(a: int, b: int, c: int) -> Surd:
    """Roots of `ax² + bx + c` (a > 0, discriminant positive and not a perfect square) as a reduced Surd."""
    s, r = square_free(b * b - 4 * a * c)
    m, d = -b, 2 * a
    g = gcd(gcd(m, s), d)
    return Surd(m // g, s // g, r, d // g)


class QuadraticConfig(KindsConfig):
    """Which root kinds to draw, how large roots and leading coefficients get, and whether to rearrange."""

    KINDS: ClassVar[tuple[str, ...]] = ROOT_KINDS

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("integer",), max_leading=1, max_root=15, rearranged=0.0),
        "medium": dict(kinds=("integer", "rational", "double"), max_leading=6, max_root=9, rearranged=0.0),
        "hard": dict(kinds=("rational", "irrational", "none", "double"), max_leading=6, max_root=9, rearranged=0.0),
        "expert": dict(kinds=ROOT_KINDS, max_leading=6, max_root=12, rearranged=1.0),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = Field(("integer", "rational", "double"), description=f"Root kinds to draw from: {', '.join(ROOT_KINDS)}.")
    max_leading: int = Field(6, ge=1, le=50, description="Largest leading coefficient (1 means monic equations).")
    max_root: int = Field(9, ge=2, le=100, description="Largest magnitude of an integer root or a root's numerator.")
    rearranged: float = Field(0.0, ge=0, le=1, description="Chance that the equation is shown rearranged (not in standard form).")

    @model_validator(mode="after")
    def _coherent(self) -> QuadraticConfig:
        if "rational" in self.kinds and self.max_leading < 2:
            raise ValueError("rational (non-integer) roots need max_leading >= 2; raise it or drop 'rational' from kinds")
        return self


@dataclass
class _Quadratic:
    """A drawn equation in standard form `a x² + b x + c = 0` with its exact solution set."""

    coefficients: tuple[int, int, int]
    kind: str
    roots: list[Fraction]
    surd: Surd | None = None
    factored: str = ""
    scale: int = 1
    """A common factor of the coefficients the solver divides out first."""


def _content(*values: int) -> int:
    g = 0
    for v in values:
        g = gcd(g, v)
    return g


class _Drawer:
    def __init__(self, rng: random.Random, config: QuadraticConfig) -> None:
        self.rng, self.config = rng, config

    def root(self, denominator: int) -> Fraction:
        """A root with exactly this denominator and a numerator bounded by max_root."""
        bound = self.config.max_root
        while True:
            numerator = self.rng.randint(-bound, bound)
            if gcd(numerator, denominator) == 1:
                return Fraction(numerator, denominator)

    def scaled(self, quadratic: _Quadratic) -> _Quadratic:
        """Half the time (when the leading bound allows) multiply through by a common factor."""
        a = quadratic.coefficients[0]
        room = self.config.max_leading // a
        if room >= 2 and self.rng.random() < 0.5:
            k = self.rng.randint(2, room)
            quadratic.coefficients = tuple(k * v for v in quadratic.coefficients)  # type: ignore[assignment]
            quadratic.scale = k
        return quadratic

    def integer(self) -> _Quadratic:
        r1, r2 = self.rng.sample(range(-self.config.max_root, self.config.max_root + 1), 2)
        return self.scaled(_from_roots(Fraction(r1), Fraction(r2), "integer"))

    def rational(self) -> _Quadratic:
        top = self.config.max_leading
        q1 = self.rng.randint(2, top)
        q2 = self.rng.randint(1, top // q1)
        r1, r2 = self.root(q1), self.root(q2)
        if r1 == r2:
            raise ValueError("a repeated root")
        return _from_roots(r1, r2, "rational")

    def double(self) -> _Quadratic:
        q = self.rng.choice([d for d in (1, 2, 3) if d * d <= self.config.max_leading] or [1])
        r = self.root(q)
        return self.scaled(_from_roots(r, r, "double"))

    def _abc(self) -> tuple[int, int, int]:
        rng, bound = self.rng, self.config.max_root
        a = rng.randint(1, self.config.max_leading)
        return a, rng.randint(-bound, bound), signed(rng, 2 * bound)

    def irrational(self) -> _Quadratic:
        a, b, c = self._abc()
        discriminant = b * b - 4 * a * c
        if discriminant <= 0 or isqrt(discriminant) ** 2 == discriminant or _content(a, b, c) != 1:
            raise ValueError("not two irrational roots")
        surd = quadratic_formula(a, b, c)
        return _Quadratic((a, b, c), "irrational", [], surd=surd)

    def none(self) -> _Quadratic:
        a, b, _ = self._abc()
        least = b * b // (4 * a) + 1  # the smallest c with b² - 4ac < 0
        c = least + self.rng.randint(0, 2 * self.config.max_root)
        if _content(a, b, c) != 1:
            raise ValueError("a common factor")
        return _Quadratic((a, b, c), "none", [])


def _from_roots(r1: Fraction, r2: Fraction, kind: str) -> _Quadratic:
    """`(q1 x - p1)(q2 x - p2)` for roots p1/q1, p2/q2 (reduced): integer coefficients, leading q1·q2."""
    p1, q1, p2, q2 = r1.numerator, r1.denominator, r2.numerator, r2.denominator
    coefficients = (q1 * q2, -(q1 * p2 + q2 * p1), p1 * p2)
    factors = ["x" if p == 0 else f"({latex_linear(q, -p)})" for p, q in ((p1, q1), (p2, q2))]
    factors.sort(key=lambda f: f != "x")  # x(x + 6), not (x + 6)x
    factored = f"{factors[0]}^{{2}}" if r1 == r2 else "".join(factors)
    roots = sorted({r1, r2})
    return _Quadratic(coefficients, kind, roots, factored=factored)


def rearrange(rng: random.Random, coefficients: tuple[int, int, int], bound: int) -> tuple[str, str]:
    """Show `a x² + b x + c = 0` not in standard form; returns (shown equation, form name).

    Either `(x + p)(a x + v) = e x + f` (a product against a linear right side) or the same
    quadratic with a random polynomial added to both sides.
    """
    a, b, c = coefficients
    if rng.random() < 0.5 and a <= 6:
        p, v = signed(rng, bound // 2 + 1), signed(rng, bound // 2 + 1)
        right = (0, a * p + v - b, p * v - c)  # (x + p)(ax + v) - (ax² + bx + c)
        if right[1] == right[2] == 0:
            raise ValueError("nothing to rearrange")
        product = f"({latex_linear(1, p)})({latex_linear(a, v)})"
        return f"{product} = {latex_polynomial(right)}", "product"
    added = (rng.randint(-2, 2), signed(rng, bound), rng.randint(-bound, bound))
    left = tuple(u + w for u, w in zip(coefficients, added))
    if left[0] == 0:
        raise ValueError("the left side lost its square term")
    return f"{latex_polynomial(left)} = {latex_polynomial(added)}", "both_sides"


def solving_steps(quadratic: _Quadratic) -> list[str]:
    """Worked steps from the standard form to the solution set (exact)."""
    a, b, c = quadratic.coefficients
    steps: list[str] = []
    if quadratic.scale > 1:
        k = quadratic.scale
        a, b, c = a // k, b // k, c // k
        steps.append(f"Divide both sides by {k}: ${latex_polynomial((a, b, c))} = 0$.")
    discriminant = b * b - 4 * a * c
    if quadratic.kind == "none":
        steps.append(f"The discriminant is $b^{{2}} - 4ac = {discriminant} < 0$, so there is no real solution.")
    elif quadratic.kind == "irrational":
        surd = quadratic.surd
        assert surd is not None
        steps.append(
            f"The discriminant is $b^{{2}} - 4ac = {discriminant}$, positive but not a perfect square, so by the "
            f"quadratic formula $x = \\frac{{{-b} \\pm \\sqrt{{{discriminant}}}}}{{{2 * a}}}$."
        )
        steps.append(f"Simplify: $x = {surd.latex(1)}$ or $x = {surd.latex(-1)}$.")
    elif quadratic.kind == "double":
        root = latex_number(quadratic.roots[0])
        steps.append(f"The left side is a perfect square: ${quadratic.factored} = 0$, so the only solution is $x = {root}$.")
    else:
        roots = " or ".join(f"$x = {latex_number(r)}$" for r in quadratic.roots)
        steps.append(f"Factor: ${quadratic.factored} = 0$, so {roots}.")
    return steps


def solution_gold(quadratic: _Quadratic) -> dict[str, JSONValue]:
    """The solution set as a typed gold: rationals exact, irrational roots as symbolic expressions."""
    if quadratic.surd is not None:
        return G.set([G.expression(quadratic.surd.latex(sign)) for sign in (-1, 1)])
    return G.set([G.rational(r) for r in quadratic.roots])


@register
class Quadratic(MathTemplate):
    """All real solutions of a quadratic equation, as a set (possibly empty)."""

    name = "Quadratic"
    version = 0
    tags = ("math/algebra", "math/algebra/quadratic_equation")
    description = "All real roots of a quadratic: integer, rational, irrational, double or none; rearranged at expert."
    Config = QuadraticConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, QuadraticConfig)
        kind = rng.choice(config.kinds)
        drawer = _Drawer(rng, config)

        def draw() -> tuple[_Quadratic, str, str, str]:
            quadratic = getattr(drawer, kind)()
            standard = f"{latex_polynomial(quadratic.coefficients)} = 0"
            shown, form = standard, "standard"
            if config.rearranged and rng.random() < config.rearranged:
                shown, form = rearrange(rng, quadratic.coefficients, config.max_root)
            return quadratic, standard, shown, form

        quadratic, standard, shown, form = retry(draw, attempts=_MAX_ATTEMPTS, what=f"{kind} quadratic", config=config,
                                                 hint="widen max_root")
        steps = solving_steps(quadratic)
        if form != "standard":
            steps.insert(0, f"Expand and move every term to the left side: ${standard}$.")
        prompt = compose_prompt(
            f"Find all real solutions of the equation\n\n$${shown}$$",
            "Give the answer as the set of all real solutions, each listed once in any order, such as "
            "\\{-2, 3\\}. Write irrational solutions exactly, such as \\frac{1 + \\sqrt{5}}{2}. "
            f"If the equation has no real solution, answer with the empty set {EMPTY_SET_HINT}.",
            self.answer_format.instruction,
        )
        return Draft(
            prompt=prompt,
            answer=solution_gold(quadratic),
            metadata={
                "equation": shown,
                "coefficients": list(quadratic.coefficients),
                "root_kind": quadratic.kind,
                "form": form,
                "solution": steps,
            },
            tags=(f"math/algebra/quadratic_equation/{quadratic.kind}_roots", f"math/algebra/quadratic_equation/{form}_form"),
        )
