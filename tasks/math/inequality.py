"""`Inequality`: solve an inequality in x; the answer is its solution set in interval notation.

Why this template: inequalities punish exactly the slips that equations forgive — forgetting to
flip the sign when dividing by a negative number, including a point where a denominator is zero,
confusing `<` with `\\le` at an endpoint, or giving the bounded piece of a quadratic when the
answer is the union of the two outer rays. The answer is an interval or a union of intervals
(`G.interval`), so open and closed ends are graded.

Levels change the kind of inequality:

* easy — linear `ax + b < cx + d` and compound `p < ax + b \\le q` (watch the flip);
* medium — quadratic (a bounded interval or the union of two rays, sometimes rearranged first);
* hard — rational `\\frac{ax + b}{cx + d} \\ge 0` (the pole is never included) and absolute
  value `|ax + b| < c` / `|ax + b| \\ge c`;
* expert — rational against a constant (`\\frac{x + 1}{x - 2} \\le 3`, combine first), products
  of three linear factors (sign charts with four regions) and absolute values.

Every kind reduces to one exact sign problem: `lead · Π(x - zero) / Π(x - pole)` compared with 0.
`solve_sign` walks the sign chart over exact `Fraction` critical points and assembles the
solution as a union of intervals, with each endpoint included exactly when it is a zero and the
relation is non-strict. Draws whose solution is empty, all of ℝ or has an isolated point are
redrawn (interval notation could not state them).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field

from vrgym.config import TemplateConfig
from vrgym.registry import register
from vrgym.tasks.math._algebra import (
    FLIPPED,
    RELATIONS,
    compose_prompt,
    latex_linear,
    latex_number,
    latex_polynomial,
    latex_sum,
    nonzero,
    signed,
)
from vrgym.tasks.math._kinds import KindsConfig, retry
from vrgym.tasks.math._math_template import MathTemplate
from vrgym.template import Draft
from vrgym.verifiers.math import gold as G

KINDS = ("linear", "compound", "quadratic", "rational", "absolute", "rational_rearranged", "product")
"""Inequality kinds, roughly easiest first (see the module docstring)."""

_MAX_ATTEMPTS = 1000

Interval = tuple[Fraction | None, Fraction | None, bool, bool]
"""(low, high, low included, high included); None is -∞ / +∞."""


class InequalityConfig(KindsConfig):
    """Which kinds of inequality to draw and how large their numbers may be."""

    KINDS: ClassVar[tuple[str, ...]] = KINDS

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("linear", "compound"), max_coefficient=9),
        "medium": dict(kinds=("quadratic",), max_coefficient=9),
        "hard": dict(kinds=("rational", "absolute"), max_coefficient=9),
        "expert": dict(kinds=("rational_rearranged", "product", "absolute"), max_coefficient=9),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = Field(("quadratic",), description=f"Inequality kinds to draw from: {', '.join(KINDS)}.")
    max_coefficient: int = Field(9, ge=3, le=100, description="Largest magnitude of a coefficient, constant or root drawn.")


# ----------------------------------------------------------------------------------- sign charts


def solve_sign(lead: int, zeros: list[Fraction], poles: list[Fraction], relation: str) -> list[Interval]:
    """Solution of `lead · Π(x - z) / Π(x - p)  relation  0` as sorted disjoint intervals.

    Zeros and poles must be distinct from each other (repeated zeros are allowed and handled by
    the sign chart). Raises ValueError for a solution interval notation cannot state here: empty,
    all reals, or containing an isolated point.
    """
    if set(zeros) & set(poles):
        raise ValueError("a zero coincides with a pole")
    points = sorted(set(zeros) | set(poles))
    want_positive = relation in (">", ">=")
    closed = relation in ("<=", ">=")

    def sign_at(x: Fraction) -> int:
        sign = lead
        for z in zeros:
            sign *= 1 if x > z else -1
        for p in poles:
            sign *= 1 if x > p else -1
        return sign

    bounds = [None, *points, None]
    regions = []  # whether each open region between consecutive critical points is in the solution
    for low, high in zip(bounds, bounds[1:]):
        probe = (low - 1 if high is None else high - 1) if low is None else (low + 1 if high is None else (low + high) / 2)
        regions.append((sign_at(probe) > 0) == want_positive)
    included = [closed and p in zeros for p in points]

    pieces: list[Interval] = []
    start: Fraction | None = None
    start_closed = False
    open_run = False
    for i, region in enumerate(regions):
        if region and not open_run:
            start, start_closed, open_run = bounds[i], bool(i and included[i - 1]), True
        if i == len(points):
            if open_run:
                pieces.append((start, None, start_closed, False))
            break
        point, keep = points[i], included[i]
        if open_run and keep and regions[i + 1]:
            continue  # the run goes on through an included point
        if open_run:
            pieces.append((start, point, start_closed, keep))
            open_run = False
        elif keep and not regions[i + 1]:
            raise ValueError("an isolated point in the solution")
    if not pieces:
        raise ValueError("the solution is empty")
    if pieces == [(None, None, False, False)]:
        raise ValueError("the solution is every real number")
    return pieces


def latex_intervals(pieces: list[Interval]) -> str:
    """Interval notation: `(-\\infty, -2] \\cup (\\frac{1}{3}, \\infty)`."""
    parts = []
    for low, high, low_in, high_in in pieces:
        left = "(-\\infty" if low is None else ("[" if low_in else "(") + latex_number(low)
        right = "\\infty)" if high is None else latex_number(high) + ("]" if high_in else ")")
        parts.append(f"{left}, {right}")
    return " \\cup ".join(parts)


def member(pieces: list[Interval], x: Fraction) -> bool:
    """Whether x lies in the union (for tests and self-checks)."""
    for low, high, low_in, high_in in pieces:
        above = low is None or x > low or (low_in and x == low)
        below = high is None or x < high or (high_in and x == high)
        if above and below:
            return True
    return False


# ----------------------------------------------------------------------------------- drawing


@dataclass
class _Inequality:
    shown: str
    kind: str
    pieces: list[Interval]
    steps: list[str]
    sample: dict[str, Any]
    """What a test needs to re-derive the solution: the exact sign problem."""


def _sign_problem(lead: int, zeros: list[Fraction], poles: list[Fraction], relation: str) -> dict[str, Any]:
    return {"lead": lead, "zeros": [str(z) for z in zeros], "poles": [str(p) for p in poles], "relation": relation}


def _chart_steps(zeros: list[Fraction], poles: list[Fraction], relation: str, pieces: list[Interval]) -> list[str]:
    zero_text = ", ".join(f"${latex_number(z)}$" for z in sorted(set(zeros)))
    steps = [f"The expression is zero at {zero_text}"
             + (f" and undefined at {', '.join(f'${latex_number(p)}$' for p in sorted(poles))} (never included)" if poles else "")
             + "."]
    closing = "included" if relation in ("<=", ">=") else "excluded"
    steps.append(f"Checking the sign on each interval between these points (zeros {closing}, since the relation is "
                 f"${RELATIONS[relation]}$) gives ${latex_intervals(pieces)}$.")
    return steps


class _Drawer:
    def __init__(self, rng: random.Random, config: InequalityConfig) -> None:
        self.rng, self.c = rng, config.max_coefficient

    def relation(self) -> str:
        return self.rng.choice(tuple(RELATIONS))

    def linear(self) -> _Inequality:
        rng, c = self.rng, self.c
        a, k = nonzero(rng, -c, c), nonzero(rng, -c, c)
        if a == k:
            raise ValueError("the unknown cancels out")
        b, d, relation = signed(rng, 2 * c), signed(rng, 2 * c), self.relation()
        slope, constant = a - k, Fraction(d - b)
        bound = constant / slope
        final = relation if slope > 0 else FLIPPED[relation]
        pieces = solve_sign(1, [bound], [], final)
        shown = f"{latex_linear(a, b)} {RELATIONS[relation]} {latex_linear(k, d)}"
        steps = [f"Collect the $x$ terms on the left and the constants on the right: "
                 f"${latex_linear(slope, 0)} {RELATIONS[relation]} {latex_number(constant)}$."]
        flip = " (negative, so the inequality sign flips)" if slope < 0 else ""
        steps.append(f"Divide by {latex_number(slope)}{flip}: $x {RELATIONS[final]} {latex_number(bound)}$, "
                     f"that is ${latex_intervals(pieces)}$.")
        return _Inequality(shown, "linear", pieces, steps, _sign_problem(1, [bound], [], final))

    def compound(self) -> _Inequality:
        rng, c = self.rng, self.c
        a, b = nonzero(rng, -c // 2 - 1, c // 2 + 1), signed(rng, 2 * c)
        low, high = sorted(rng.sample(range(-3 * c, 3 * c + 1), 2))
        left_rel, right_rel = rng.choice(("<", "<=")), rng.choice(("<", "<="))
        # low left_rel ax + b right_rel high
        ends = [(Fraction(low - b, a), left_rel), (Fraction(high - b, a), right_rel)]
        if a < 0:
            ends.reverse()
        (x_low, rel_low), (x_high, rel_high) = ends
        pieces: list[Interval] = [(x_low, x_high, rel_low == "<=", rel_high == "<=")]
        shown = f"{low} {RELATIONS[left_rel]} {latex_linear(a, b)} {RELATIONS[right_rel]} {high}"
        verb = f"Subtract {b} from" if b > 0 else f"Add {-b} to"
        steps = [f"{verb} all three parts: "
                 f"${low - b} {RELATIONS[left_rel]} {latex_linear(a, 0)} {RELATIONS[right_rel]} {high - b}$."]
        flip = " (negative, so both inequality signs flip)" if a < 0 else ""
        steps.append(f"Divide all three parts by {a}{flip}: $x \\in {latex_intervals(pieces)}$.")
        sample = {"interval": [str(x_low), str(x_high), rel_low == "<=", rel_high == "<="]}
        return _Inequality(shown, "compound", pieces, steps, sample)

    def _root(self) -> Fraction:
        q = self.rng.choice((1, 1, 1, 2, 3))
        return Fraction(signed(self.rng, self.c), q)

    def quadratic(self) -> _Inequality:
        rng = self.rng
        r1, r2 = self._root(), self._root()
        if r1 == r2:
            raise ValueError("a double root")
        sign = rng.choice((1, 1, -1))
        p1, q1, p2, q2 = r1.numerator, r1.denominator, r2.numerator, r2.denominator
        poly = (sign * q1 * q2, -sign * (q1 * p2 + q2 * p1), sign * p1 * p2)
        relation = self.relation()
        pieces = solve_sign(sign, [r1, r2], [], relation)
        factored = f"{'-' if sign < 0 else ''}({latex_linear(q1, -p1)})({latex_linear(q2, -p2)})"
        steps = [f"Factor: ${factored} {RELATIONS[relation]} 0$."]
        if rng.random() < 0.5:
            moved = (0, signed(rng, self.c), rng.randint(-self.c, self.c))
            left = tuple(u + w for u, w in zip(poly, moved))
            shown = f"{latex_polynomial(left)} {RELATIONS[relation]} {latex_polynomial(moved)}"
            steps.insert(0, f"Move every term to the left: ${latex_polynomial(poly)} {RELATIONS[relation]} 0$.")
        else:
            shown = f"{latex_polynomial(poly)} {RELATIONS[relation]} 0"
        steps += _chart_steps([r1, r2], [], relation, pieces)
        return _Inequality(shown, "quadratic", pieces, steps, _sign_problem(sign, [r1, r2], [], relation))

    def _fraction(self) -> tuple[int, int, int, int]:
        rng, c = self.rng, self.c
        return nonzero(rng, -3, 3), signed(rng, c), nonzero(rng, -3, 3), signed(rng, c)

    def rational(self) -> _Inequality:
        a, b, k, d = self._fraction()
        zero, pole, relation = Fraction(-b, a), Fraction(-d, k), self.relation()
        lead = 1 if a * k > 0 else -1
        pieces = solve_sign(lead, [zero], [pole], relation)
        shown = f"\\frac{{{latex_linear(a, b)}}}{{{latex_linear(k, d)}}} {RELATIONS[relation]} 0"
        steps = _chart_steps([zero], [pole], relation, pieces)
        return _Inequality(shown, "rational", pieces, steps, _sign_problem(lead, [zero], [pole], relation))

    def rational_rearranged(self) -> _Inequality:
        a, b, k, d = self._fraction()
        constant = signed(self.rng, 4)
        slope, offset = a - constant * k, b - constant * d  # (ax + b)/(kx + d) - constant
        if slope == 0:
            raise ValueError("the combined numerator is constant")
        zero, pole, relation = Fraction(-offset, slope), Fraction(-d, k), self.relation()
        lead = 1 if slope * k > 0 else -1
        pieces = solve_sign(lead, [zero], [pole], relation)
        shown = f"\\frac{{{latex_linear(a, b)}}}{{{latex_linear(k, d)}}} {RELATIONS[relation]} {constant}"
        steps = [f"Subtract {constant} and combine over the common denominator: "
                 f"$\\frac{{{latex_linear(slope, offset)}}}{{{latex_linear(k, d)}}} {RELATIONS[relation]} 0$ "
                 "(never multiply by the denominator: its sign is unknown)."]
        steps += _chart_steps([zero], [pole], relation, pieces)
        return _Inequality(shown, "rational_rearranged", pieces, steps, _sign_problem(lead, [zero], [pole], relation))

    def absolute(self) -> _Inequality:
        rng, c = self.rng, self.c
        a, b, bound, relation = nonzero(rng, -4, 4), signed(rng, c), rng.randint(1, c), self.relation()
        zeros = sorted([Fraction(-bound - b, a), Fraction(bound - b, a)])
        pieces = solve_sign(1, zeros, [], relation)  # |u| ~ c  ⇔  (u - c)(u + c) ~ 0
        inner = latex_linear(a, b)
        shown = f"\\left|{inner}\\right| {RELATIONS[relation]} {bound}"
        if relation in ("<", "<="):
            rewrite = f"-{bound} {RELATIONS[relation]} {inner} {RELATIONS[relation]} {bound}"
        else:
            rewrite = f"{inner} {RELATIONS[FLIPPED[relation]]} -{bound}$ or ${inner} {RELATIONS[relation]} {bound}"
        steps = [f"Rewrite without the absolute value: ${rewrite}$.",
                 f"Solve for $x$ (the end points are ${latex_number(zeros[0])}$ and ${latex_number(zeros[1])}$): "
                 f"${latex_intervals(pieces)}$."]
        return _Inequality(shown, "absolute", pieces, steps, _sign_problem(1, zeros, [], relation))

    def product(self) -> _Inequality:
        rng = self.rng
        roots = rng.sample(range(-self.c, self.c + 1), 3)
        reversed_at = rng.randrange(4)  # one factor may be written (r - x), flipping the sign
        factors, lead = [], 1
        for i, r in enumerate(roots):
            if i == reversed_at and r != 0:
                factors.append(f"({latex_sum([(r, ''), (-1, 'x')])})")
                lead = -lead
            else:
                factors.append("x" if r == 0 else f"({latex_linear(1, -r)})")
        factors.sort(key=lambda f: f != "x")
        zeros = [Fraction(r) for r in roots]
        relation = self.relation()
        pieces = solve_sign(lead, zeros, [], relation)
        shown = f"{''.join(factors)} {RELATIONS[relation]} 0"
        steps = []
        if lead < 0:
            standard = "".join("x" if r == 0 else f"({latex_linear(1, -r)})" for r in sorted(roots))
            steps.append(f"Multiply by $-1$ to write every factor as $x - r$ (the sign flips): "
                         f"${standard} {RELATIONS[FLIPPED[relation]]} 0$.")
        steps += _chart_steps(zeros, [], relation, pieces)
        return _Inequality(shown, "product", pieces, steps, _sign_problem(lead, zeros, [], relation))


@register
class Inequality(MathTemplate):
    """Solve an inequality in x; answer its solution set in interval notation."""

    name = "Inequality"
    version = 0
    tags = ("math/algebra", "math/algebra/inequality")
    description = "Solution sets in interval notation: linear, compound, quadratic, rational, absolute value, products."
    Config = InequalityConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, InequalityConfig)
        kind = rng.choice(config.kinds)
        inequality: _Inequality = retry(getattr(_Drawer(rng, config), kind), attempts=_MAX_ATTEMPTS,
                                        what=f"{kind} inequality", config=config, hint="widen max_coefficient")
        prompt = compose_prompt(
            f"Solve the inequality for real $x$:\n\n$${inequality.shown}$$",
            "Give the solution set in interval notation, such as (-\\infty, -2] \\cup (\\frac{1}{3}, 4): a round "
            "bracket for an endpoint that is excluded, a square bracket for one that is included, \\infty for "
            "infinity, \\cup between the pieces of a union, and exact endpoints (integers or fractions).",
            self.answer_format.instruction,
        )
        shape = "union" if len(inequality.pieces) > 1 else (
            "bounded" if None not in inequality.pieces[0][:2] else "ray")
        return Draft(
            prompt=prompt,
            answer=G.interval(latex_intervals(inequality.pieces)),
            metadata={
                "inequality": inequality.shown,
                "kind": inequality.kind,
                "sign_problem": inequality.sample,
                "solution": inequality.steps,
            },
            tags=(f"math/algebra/inequality/{inequality.kind}", f"math/algebra/inequality/{shape}"),
        )
