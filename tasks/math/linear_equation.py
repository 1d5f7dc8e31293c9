"""`LinearEquation`: solve one linear equation in one unknown, exactly.

Why this template: solving `ax + b = cx + d` is the workhorse step of school algebra, and the
ways models get it wrong change with the form of the equation — a sign lost when expanding
`-2(x - 3)`, a term not multiplied when clearing `\\frac{x+1}{3}`, a division by a parameter that
could be zero. The levels therefore change the *kind* of equation, not only the size of numbers:

* easy — two-step equations `ax + b = c` with an integer solution;
* medium — the unknown on both sides, and brackets to expand, integer solution;
* hard — brackets and fractions (`\\frac{2x - 1}{3} = \\frac{x + 4}{5} + 1`, fractional
  coefficients), solutions that may be fractions;
* expert — fractions, a literal parameter (solve for x in terms of k: the answer is an expression
  in k, compared symbolically), and word problems that must first be turned into an equation.

Every equation is a pair of exact linear forms (coefficient, constant) over `Fraction` plus the
LaTeX it is shown as; the solution is computed exactly from the forms, and the display is built
from the same numbers, so what is shown and what is graded cannot drift apart. Generation works
backwards where it can (choose the solution, then fit the last constant); draws whose unknown
cancels out or whose numbers leave the configured bounds are redrawn.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.registry import register
from vrgym.tasks.math._algebra import (
    common_denominator,
    compose_prompt,
    latex_linear,
    latex_number,
    latex_sum,
    nonzero,
    signed,
)
from vrgym.tasks.math._kinds import KindsConfig, retry
from vrgym.tasks.math._math_template import MathTemplate
from vrgym.template import Draft
from vrgym.verifiers.math import gold as G

KINDS = ("two_step", "both_sides", "brackets", "fractions", "parameter", "word")
"""Equation kinds, roughly easiest first (see the module docstring)."""

PARAMETERS = ("a", "k", "m")
"""Letters a parameter may be called (never x, e or i)."""

_MAX_ATTEMPTS = 1000

Linear = tuple[Fraction, Fraction]
"""An exact linear form `coefficient · x + constant`."""


@dataclass
class _Equation:
    """One drawn equation: exact sides, their LaTeX, and how to present the first solving step."""

    left: Linear
    right: Linear
    shown: str
    kind: str
    has_brackets: bool = False
    story: str = ""
    """Word problems: the text of the problem (the equation is then part of the solution, not the prompt)."""
    setup: list[str] = field(default_factory=list)
    """Word problems: the steps that turn the story into the equation."""
    tags: tuple[str, ...] = ()


class LinearEquationConfig(KindsConfig):
    """Which kinds of equation to draw and how large their numbers may be."""

    KINDS: ClassVar[tuple[str, ...]] = KINDS

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("two_step",), max_coefficient=9, max_solution=10, rational_solutions=False),
        "medium": dict(kinds=("both_sides", "brackets"), max_coefficient=9, max_solution=12, rational_solutions=False),
        "hard": dict(kinds=("brackets", "fractions"), max_coefficient=12, max_solution=15, rational_solutions=True),
        "expert": dict(kinds=("fractions", "parameter", "word"), max_coefficient=12, max_solution=20, rational_solutions=True),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = Field(("both_sides", "brackets"), description=f"Equation kinds to draw from: {', '.join(KINDS)}.")
    max_coefficient: int = Field(9, ge=2, le=100, description="Largest magnitude of a coefficient or constant drawn.")
    max_solution: int = Field(12, ge=2, le=1000, description="Largest magnitude of an integer solution (and of a fraction's numerator / 4).")
    rational_solutions: bool = Field(False, description="Allow solutions that are fractions (else every solution is an integer).")
    max_denominator: int = Field(6, ge=2, le=20, description="Largest denominator shown in a 'fractions' equation.")

    @model_validator(mode="after")
    def _coherent(self) -> LinearEquationConfig:
        if "fractions" in self.kinds and not self.rational_solutions:
            raise ValueError("the 'fractions' kind needs rational_solutions=True (its solutions are often fractions)")
        return self


# ----------------------------------------------------------------------------------- algebra


def solve(left: Linear, right: Linear) -> Fraction:
    """The solution of `left = right`; ValueError when the unknown cancels (no or infinitely many solutions)."""
    slope = left[0] - right[0]
    if slope == 0:
        raise ValueError("the unknown cancels out")
    return (right[1] - left[1]) / slope


def scaled(form: Linear, factor: Fraction | int) -> Linear:
    """`factor · form`."""
    return form[0] * factor, form[1] * factor


def added(*forms: Linear) -> Linear:
    """The sum of linear forms."""
    return sum((f[0] for f in forms), Fraction(0)), sum((f[1] for f in forms), Fraction(0))


def solving_steps(equation: _Equation, variable: str = "x") -> list[str]:
    """Worked steps from the shown equation to the solution (all exact)."""
    left, right = equation.left, equation.right
    steps: list[str] = []
    denominators = common_denominator([*left, *right])
    if denominators > 1:
        left, right = scaled(left, denominators), scaled(right, denominators)
        steps.append(
            f"Multiply both sides by {denominators} to clear the fractions: "
            f"${latex_linear(*left, variable)} = {latex_linear(*right, variable)}$."
        )
    elif equation.has_brackets:
        steps.append(f"Expand the brackets: ${latex_linear(*left, variable)} = {latex_linear(*right, variable)}$.")
    slope, constant = left[0] - right[0], right[1] - left[1]
    steps.append(
        f"Collect the ${variable}$ terms on the left and the constants on the right: "
        f"${latex_linear(slope, 0, variable)} = {latex_number(constant)}$."
    )
    value = constant / slope
    if slope != 1:
        steps.append(f"Divide both sides by {latex_number(slope)}: ${variable} = {latex_number(value)}$.")
    return steps


# ----------------------------------------------------------------------------------- drawing


class _Drawer:
    """Draws one equation of a given kind under a config (raises ValueError on a bad draw)."""

    def __init__(self, rng: random.Random, config: LinearEquationConfig) -> None:
        self.rng, self.config = rng, config
        self.c = config.max_coefficient

    def target(self, slope: Fraction) -> Fraction:
        """A solution to build towards: an integer, or (when allowed, half the time) a fraction n/slope."""
        rng, bound = self.rng, self.config.max_solution
        if self.config.rational_solutions and abs(slope.numerator) > 1 and rng.random() < 0.5:
            return Fraction(rng.randint(-4 * bound, 4 * bound), slope.numerator) * slope.denominator
        return Fraction(rng.randint(-bound, bound))

    def two_step(self) -> _Equation:
        a, b = nonzero(self.rng, -self.c, self.c), signed(self.rng, 3 * self.c)
        x = self.target(Fraction(a))
        c = a * x + b
        left = (Fraction(a), Fraction(b))
        if self.rng.random() < 0.25:  # the constant first: 12 - 3x = 3
            shown_left = latex_sum([(b, ""), (a, "x")])
        else:
            shown_left = latex_linear(a, b)
        return _Equation(left, (Fraction(0), c), f"{shown_left} = {latex_number(c)}", "two_step")

    def both_sides(self) -> _Equation:
        rng = self.rng
        a = nonzero(rng, -self.c, self.c)
        c = nonzero(rng, -self.c, self.c)
        if a == c:
            raise ValueError("the unknown cancels out")
        b = signed(rng, 3 * self.c)
        x = self.target(Fraction(a - c))
        d = (a - c) * x + b
        shown = f"{latex_linear(a, b)} = {latex_sum([(d, ''), (c, 'x')]) if rng.random() < 0.4 else latex_linear(c, d)}"
        return _Equation((Fraction(a), Fraction(b)), (Fraction(c), d), shown, "both_sides")

    def brackets(self) -> _Equation:
        """`a(px + q) + r = d(sx + t) + u` or `a(px + q) + r = cx + u`, u fitted to the target solution."""
        rng, c = self.rng, self.c
        a, p, q, r = nonzero(rng, -c, c), rng.choice((1, 1, 2, 3)), signed(rng, c), rng.choice((0, signed(rng, c)))
        left = added(scaled((Fraction(p), Fraction(q)), a), (Fraction(0), Fraction(r)))
        if rng.random() < 0.5:
            d, s, t = nonzero(rng, -c, c), rng.choice((1, 1, 2)), signed(rng, c)
            right_x = scaled((Fraction(s), Fraction(t)), d)
            right_shown = [(d, f"({latex_linear(s, t)})")]
        else:
            coefficient = nonzero(rng, -c, c)
            right_x = (Fraction(coefficient), Fraction(0))
            right_shown = [(coefficient, "x")]
        slope = left[0] - right_x[0]
        if slope == 0:
            raise ValueError("the unknown cancels out")
        x = self.target(slope)
        u = left[0] * x + left[1] - right_x[0] * x - right_x[1]
        if abs(u) > 6 * c:
            raise ValueError("the fitted constant is too large to read comfortably")
        right = added(right_x, (Fraction(0), u))
        shown_left = latex_sum([(a, f"({latex_linear(p, q)})"), (r, "")])
        shown = f"{shown_left} = {latex_sum([*right_shown, (u, '')])}"
        return _Equation(left, right, shown, "brackets", has_brackets=True)

    def fractions(self) -> _Equation:
        """Numerators over small denominators, or fractional coefficients; solution by rejection on its size."""
        rng, c, top = self.rng, self.c, self.config.max_denominator
        if rng.random() < 0.6:
            m, n = rng.sample(range(2, top + 1), 2)
            p1, q1, p2, q2 = nonzero(rng, -4, 4), signed(rng, c), nonzero(rng, -4, 4), signed(rng, c)
            r = rng.choice((0, signed(rng, c)))
            left = (Fraction(p1, m), Fraction(q1, m))
            right = (Fraction(p2, n), Fraction(q2, n) + r)
            shown_left = latex_sum([(1, f"\\frac{{{latex_linear(p1, q1)}}}{{{m}}}")])
            shown_right = latex_sum([(1, f"\\frac{{{latex_linear(p2, q2)}}}{{{n}}}"), (r, "")])
            shown = f"{shown_left} = {shown_right}"
        else:
            values = [Fraction(signed(rng, c), rng.randint(1, top)) for _ in range(4)]
            if all(v.denominator == 1 for v in values):
                raise ValueError("no fraction was drawn")
            left, right = (values[0], values[1]), (values[2], values[3])
            shown = f"{latex_linear(*left)} = {latex_linear(*right)}"
        x = solve(left, right)
        self.check_size(x)
        return _Equation(left, right, shown, "fractions", tags=("math/algebra/fractions",))

    def check_size(self, x: Fraction) -> None:
        if abs(x.numerator) > 4 * self.config.max_solution or x.denominator > 4 * self.config.max_denominator:
            raise ValueError("the solution is too large")
        if x.denominator != 1 and not self.config.rational_solutions:
            raise ValueError("the solution is not an integer")


# ----------------------------------------------------------------------------------- parameter equations


@dataclass
class _ParameterEquation:
    """`coef_x · x + rest = ...` where some numbers involve a parameter; the answer is an expression in it."""

    shown: str
    answer_latex: str
    condition: str
    steps: list[str]
    parameter: str
    values: dict[str, str]
    """A few sample parameter values and the matching x (text fractions), for checks by substitution."""


def draw_parameter_equation(rng: random.Random, c: int) -> _ParameterEquation:
    """Either `kx + p = qx + r` (x = (r-p)/(k-q), k ≠ q) or `a(x + k) + d = bx + ck + e` (x linear in k)."""
    name = rng.choice(PARAMETERS)
    if rng.random() < 0.5:
        p, r = signed(rng, c), signed(rng, c)
        q = signed(rng, c)
        if r == p:
            r = p + rng.choice((-1, 1)) * rng.randint(1, c)
        numerator = r - p
        denominator = latex_linear(1, -q, name)  # k - q
        answer = f"\\frac{{{numerator}}}{{{denominator}}}"
        shown = f"{latex_sum([(1, name + 'x'), (p, '')])} = {latex_linear(q, r)}"
        steps = [
            f"Collect the $x$ terms on the left and the constants on the right: $({denominator})x = {numerator}$.",
            f"Since ${name} \\ne {q}$, divide by ${denominator}$: $x = {answer}$.",
        ]
        values = {str(v): _text(Fraction(numerator, v - q)) for v in range(q - 3, q + 4) if v != q}
        return _ParameterEquation(shown, answer, f"${name} \\ne {q}$", steps, name, values)
    while True:
        a, b = nonzero(rng, -c, c), nonzero(rng, -c, c)
        if a != b:
            break
    k_coefficient, d, e = signed(rng, c), rng.choice((0, signed(rng, c))), signed(rng, c)
    # a(x + k) + d = bx + (k_coefficient)k + e  →  (a - b)x = (k_coefficient - a)k + e - d
    slope, k_part, constant = a - b, Fraction(k_coefficient - a), Fraction(e - d)
    if k_part == 0:
        raise ValueError("the parameter cancels out")
    answer = latex_linear(k_part / slope, constant / slope, name)
    shown = f"{latex_sum([(a, f'(x + {name})'), (d, '')])} = {latex_sum([(b, 'x'), (k_coefficient, name), (e, '')])}"
    steps = [
        f"Expand the brackets: ${latex_sum([(a, 'x'), (a, name), (d, '')])} = {latex_sum([(b, 'x'), (k_coefficient, name), (e, '')])}$.",
        f"Collect the $x$ terms on the left and the rest on the right: "
        f"${latex_linear(slope, 0)} = {latex_linear(k_part, constant, name)}$.",
        f"Divide both sides by {latex_number(slope)}: $x = {answer}$.",
    ]
    values = {str(v): _text((k_part * v + constant) / slope) for v in range(-3, 4)}
    return _ParameterEquation(shown, answer, "", steps, name, values)


def _text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


# ----------------------------------------------------------------------------------- word problems


def draw_word_problem(rng: random.Random, bound: int) -> _Equation:
    """A story whose unknown solves a linear equation with a positive integer answer."""
    story = rng.choice(("number", "consecutive", "ages", "plans"))
    if story == "number":
        x = rng.randint(2, bound)
        a, c = rng.sample(range(2, 10), 2)
        b = rng.randint(1, 30)
        d = a * x + b - c * x  # ax + b = cx + d
        if d == 0:
            raise ValueError("the story would add 0")
        added_text = f"add {d}" if d > 0 else f"subtract {-d}"
        text = (
            f"I think of a number. If I multiply it by {a} and then add {b}, I get the same result as when I "
            f"multiply it by {c} and then {added_text}. What is the number?"
        )
        setup = [f"Let $x$ be the number. Then ${latex_linear(a, b)} = {latex_linear(c, d)}$."]
        left, right, shown = (Fraction(a), Fraction(b)), (Fraction(c), Fraction(d)), f"{latex_linear(a, b)} = {latex_linear(c, d)}"
        return _Equation(left, right, shown, "word", story=text, setup=setup, tags=("math/algebra/word_problem",))
    if story == "consecutive":
        n = rng.randint(3, 5)
        step = rng.choice((1, 2))
        x = rng.randint(-bound, 3 * bound)
        if step == 2:
            x = 2 * x + rng.choice((0, 1))
        total = n * x + step * n * (n - 1) // 2
        what = "consecutive integers" if step == 1 else ("consecutive even integers" if x % 2 == 0 else "consecutive odd integers")
        text = f"The sum of {n} {what} is {total}. What is the smallest of them?"
        terms = " + ".join(["x"] + [f"(x + {step * i})" for i in range(1, n)])
        setup = [f"Let $x$ be the smallest. Then ${terms} = {total}$, that is ${latex_linear(n, step * n * (n - 1) // 2)} = {total}$."]
        left = (Fraction(n), Fraction(step * n * (n - 1) // 2))
        return _Equation(left, (Fraction(0), Fraction(total)), f"{latex_linear(*left)} = {total}", "word", story=text,
                         setup=setup, tags=("math/algebra/word_problem",))
    if story == "ages":
        child = rng.randint(2, min(bound, 20))
        years = rng.randint(1, 12)
        times = rng.choice((2, 3))
        older = times * (child + years) - years
        gap = older - child
        text = (
            f"Ana is {gap} years older than her brother Ben. In {years} years, Ana will be {times} times as old as "
            f"Ben. How old is Ben now?"
        )
        setup = [f"Let $x$ be Ben's age now. In {years} years Ana is $x + {gap + years}$ and Ben is $x + {years}$, "
                 f"so $x + {gap + years} = {times}(x + {years})$."]
        left, right = (Fraction(1), Fraction(gap + years)), (Fraction(times), Fraction(times * years))
        return _Equation(left, right, f"x + {gap + years} = {times}(x + {years})", "word", has_brackets=True,
                         story=text, setup=setup, tags=("math/algebra/word_problem",))
    usage = rng.randint(2, bound)
    rate_b, rate_a = sorted(rng.sample(range(2, 16), 2))  # the plan with the lower base fee has the higher rate
    base_a = rng.randint(5, 40)
    base_b = base_a + (rate_a - rate_b) * usage
    text = (
        f"Phone plan A costs {base_a} dollars per month plus {rate_a} dollars per gigabyte of data. Plan B costs "
        f"{base_b} dollars per month plus {rate_b} dollars per gigabyte. For how many gigabytes in a month do the two plans cost the same?"
    )
    setup = [f"Let $x$ be the number of gigabytes. Then ${latex_linear(rate_a, base_a)} = {latex_linear(rate_b, base_b)}$."]
    left, right = (Fraction(rate_a), Fraction(base_a)), (Fraction(rate_b), Fraction(base_b))
    return _Equation(left, right, f"{latex_linear(*left)} = {latex_linear(*right)}", "word", story=text, setup=setup,
                     tags=("math/algebra/word_problem",))


# ----------------------------------------------------------------------------------- template


@register
class LinearEquation(MathTemplate):
    """Solve a linear equation in x (or for x in terms of a parameter); the answer is exact."""

    name = "LinearEquation"
    version = 0
    tags = ("math/algebra", "math/algebra/linear_equation")
    description = "Solve one linear equation: two-step, both sides, brackets, fractions, a parameter, word problems."
    Config = LinearEquationConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, LinearEquationConfig)
        kind = rng.choice(config.kinds)

        def draw() -> Draft:
            if kind == "parameter":
                return self._parameter_draft(draw_parameter_equation(rng, config.max_coefficient))
            if kind == "word":
                return self._draft(draw_word_problem(rng, config.max_solution))
            return self._draft(getattr(_Drawer(rng, config), kind)())

        return retry(draw, attempts=_MAX_ATTEMPTS, what=f"{kind} equation within bounds", config=config,
                     hint="raise max_coefficient")

    def _draft(self, equation: _Equation) -> Draft:
        x = solve(equation.left, equation.right)
        form = "Give the exact value as an integer or as a fraction in lowest terms, such as -7/3."
        if equation.story:
            prompt = compose_prompt(equation.story, "Give the answer as a number.", self.answer_format.instruction)
        else:
            prompt = compose_prompt(f"Solve the equation for $x$:\n\n$${equation.shown}$$", form,
                                    self.answer_format.instruction)
        steps = [*equation.setup, *solving_steps(equation)]
        tags = [f"math/algebra/linear_equation/{equation.kind}", *equation.tags]
        if x.denominator != 1:
            tags.append("math/algebra/fraction_answer")
        return Draft(
            prompt=prompt,
            answer=G.rational(x),
            metadata={
                "equation": equation.shown,
                "left": [_text(v) for v in equation.left],
                "right": [_text(v) for v in equation.right],
                "kind": equation.kind,
                "solution": steps,
            },
            tags=tuple(tags),
        )

    def _parameter_draft(self, equation: _ParameterEquation) -> Draft:
        assumption = f" Assume {equation.condition}." if equation.condition else ""
        prompt = compose_prompt(
            f"Solve the equation for $x$ in terms of the constant ${equation.parameter}$.{assumption}\n\n$${equation.shown}$$",
            f"Give $x$ as an expression in ${equation.parameter}$ (any equivalent form is accepted), "
            f"such as \\frac{{3}}{{{equation.parameter} - 2}} or 2{equation.parameter} + 1.",
            self.answer_format.instruction,
        )
        return Draft(
            prompt=prompt,
            answer=G.expression(equation.answer_latex, variables=[equation.parameter]),
            metadata={
                "equation": equation.shown,
                "kind": "parameter",
                "parameter": equation.parameter,
                "samples": equation.values,
                "solution": equation.steps,
            },
            tags=("math/algebra/linear_equation/parameter", "math/algebra/literal_equation"),
        )
