"""`LinearSystem`: solve a system of linear equations; the answer is the ordered tuple (x, y[, z]).

Why this template: elimination over several equations is where arithmetic slips compound, and the
answer is graded as an ordered tuple (`G.tuple`), so swapped components score 0 while `x = 2,
y = -1` and `(2, -1)` both score. Every system is non-singular by construction (its determinant
is computed exactly and must be non-zero), so the solution is unique.

Levels change the kind of system:

* easy — 2×2 with an integer solution;
* medium — 2×2 whose solution is a pair of fractions, and 3×3 with an integer solution;
* hard — 3×3 with fractional solutions, and 2×2 systems with a literal parameter on the right
  (the solution is a pair of expressions in the parameter, compared symbolically);
* expert — parameters, 3×3 fractions and word problems (tickets, mixtures, a boat on a river) to
  be turned into a system first.

Integer solutions are built backwards (choose the solution and the matrix, compute the right-hand
side); fractional ones come from a matrix with a small determinant and a random right-hand side,
solved exactly with `Fraction` Gaussian elimination. The worked solution eliminates with integer
multiples (no fractions until the last division) and back-substitutes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field

from vrgym.config import TemplateConfig
from vrgym.registry import register
from vrgym.tasks.math._algebra import compose_prompt, latex_linear, latex_number, latex_sum, signed
from vrgym.tasks.math._kinds import KindsConfig, retry
from vrgym.tasks.math._math_template import MathTemplate
from vrgym.template import Draft
from vrgym.verifiers.math import gold as G

KINDS = ("integer_2x2", "rational_2x2", "integer_3x3", "rational_3x3", "parameter", "word")
"""System kinds, roughly easiest first (see the module docstring)."""

NAMES = ("x", "y", "z")
PARAMETERS = ("a", "k", "t")
_MAX_ATTEMPTS = 1000

Matrix = list[list[Fraction]]


class LinearSystemConfig(KindsConfig):
    """Which kinds of system to draw and how large their numbers may be."""

    KINDS: ClassVar[tuple[str, ...]] = KINDS

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("integer_2x2",), max_coefficient=6, max_solution=9),
        "medium": dict(kinds=("rational_2x2", "integer_3x3"), max_coefficient=6, max_solution=9),
        "hard": dict(kinds=("rational_3x3", "parameter"), max_coefficient=6, max_solution=9),
        "expert": dict(kinds=("rational_3x3", "parameter", "word"), max_coefficient=7, max_solution=12),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = Field(("rational_2x2", "integer_3x3"), description=f"System kinds to draw from: {', '.join(KINDS)}.")
    max_coefficient: int = Field(6, ge=2, le=50, description="Largest magnitude of a coefficient.")
    max_solution: int = Field(9, ge=2, le=1000, description="Largest magnitude of an integer solution component.")


# ----------------------------------------------------------------------------------- exact algebra


def determinant(matrix: Matrix) -> Fraction:
    """Exact determinant by fraction-free expansion (2×2 and 3×3 only are drawn here; any n works)."""
    n = len(matrix)
    if n == 1:
        return matrix[0][0]
    total = Fraction(0)
    for column in range(n):
        minor = [row[:column] + row[column + 1 :] for row in matrix[1:]]
        total += (-1) ** column * matrix[0][column] * determinant(minor)
    return total


def solve(matrix: Matrix, rhs: list[Fraction]) -> list[Fraction]:
    """The unique solution of `matrix · v = rhs` (Gaussian elimination over Fraction); ValueError if singular."""
    n = len(matrix)
    rows = [list(row) + [value] for row, value in zip(matrix, rhs)]
    for column in range(n):
        pivot = next((r for r in range(column, n) if rows[r][column] != 0), None)
        if pivot is None:
            raise ValueError("the system is singular")
        rows[column], rows[pivot] = rows[pivot], rows[column]
        for r in range(n):
            if r != column and rows[r][column]:
                factor = rows[r][column] / rows[column][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[column])]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def latex_equation(coefficients: list[Fraction], rhs: str, names: tuple[str, ...] = NAMES) -> str:
    """`2x - y + 3z = 7` (zero coefficients dropped)."""
    return f"{latex_sum(zip(coefficients, names))} = {rhs}"


def elimination_steps(matrix: Matrix, rhs: list[Fraction], names: tuple[str, ...] = NAMES) -> list[str]:
    """Worked elimination with integer multiples, then back substitution (all exact)."""
    n = len(matrix)
    if n == 1:
        value = rhs[0] / matrix[0][0]
        return [f"From ${latex_equation(matrix[0], latex_number(rhs[0]), names)}$: ${names[0]} = {latex_number(value)}$."]
    pivot = min((r for r in range(n) if matrix[r][0] != 0), key=lambda r: abs(matrix[r][0]))
    reduced, reduced_rhs = [], []
    for r in range(n):
        if r == pivot:
            continue
        p, q = matrix[pivot][0], matrix[r][0]
        reduced.append([p * matrix[r][j] - q * matrix[pivot][j] for j in range(1, n)])
        reduced_rhs.append(p * rhs[r] - q * rhs[pivot])
    shown = "; ".join(f"${latex_equation(row, latex_number(value), names[1:])}$" for row, value in zip(reduced, reduced_rhs))
    steps = [f"Eliminate ${names[0]}$ using equation {pivot + 1} (multiply and subtract): {shown}."]
    steps += elimination_steps(reduced, reduced_rhs, names[1:])
    rest = solve(reduced, reduced_rhs)
    value = (rhs[pivot] - sum(c * v for c, v in zip(matrix[pivot][1:], rest))) / matrix[pivot][0]
    steps.append(f"Substitute into equation {pivot + 1}: ${names[0]} = {latex_number(value)}$.")
    return steps


# ----------------------------------------------------------------------------------- drawing


@dataclass
class _System:
    matrix: Matrix
    rhs_latex: list[str]
    answer: dict[str, Any]
    steps: list[str]
    kind: str
    solution_text: list[str]
    """Each component as text (a fraction, or `p*a + q` coefficients for parameters), for tests."""
    story: str = ""
    order: str = ""
    parameter: str = ""


class _Drawer:
    def __init__(self, rng: random.Random, config: LinearSystemConfig) -> None:
        self.rng, self.c, self.s = rng, config.max_coefficient, config.max_solution

    def matrix(self, n: int, zero_probability: float = 0.0) -> Matrix:
        rng = self.rng
        matrix = [
            [Fraction(0) if rng.random() < zero_probability else Fraction(signed(rng, self.c)) for _ in range(n)]
            for _ in range(n)
        ]
        if determinant(matrix) == 0 or any(not any(row) for row in matrix):
            raise ValueError("singular")
        return matrix

    def integer(self, n: int) -> _System:
        matrix = self.matrix(n, 0.2 if n == 3 else 0.0)
        solution = [Fraction(self.rng.randint(-self.s, self.s)) for _ in range(n)]
        rhs = [sum((a * v for a, v in zip(row, solution)), Fraction(0)) for row in matrix]
        return self._numeric(matrix, rhs, solution, f"integer_{n}x{n}")

    def rational(self, n: int) -> _System:
        matrix = self.matrix(n, 0.15 if n == 3 else 0.0)
        if not 2 <= abs(determinant(matrix)) <= 30:
            raise ValueError("the determinant is not small")
        rhs = [Fraction(self.rng.randint(-3 * self.c, 3 * self.c)) for _ in range(n)]
        solution = solve(matrix, rhs)
        if all(v.denominator == 1 for v in solution) or max(abs(v.numerator) for v in solution) > 10 * self.s:
            raise ValueError("no fraction, or too large")
        return self._numeric(matrix, rhs, solution, f"rational_{n}x{n}")

    def draw(self, kind: str) -> _System:
        """A system of `kind` (one of KINDS); ValueError on a draw to be redrawn."""
        if kind in ("parameter", "word"):
            return getattr(self, kind)()
        size = int(kind[-1])
        return self.integer(size) if kind.startswith("integer") else self.rational(size)

    def _numeric(self, matrix: Matrix, rhs: list[Fraction], solution: list[Fraction], kind: str) -> _System:
        n = len(matrix)
        return _System(
            matrix,
            [latex_number(v) for v in rhs],
            G.tuple([G.rational(v) for v in solution], names=list(NAMES[:n])),
            elimination_steps(matrix, rhs),
            kind,
            [str(v) for v in solution],
        )

    def parameter(self) -> _System:
        """2×2 whose solution is (p₁·a + q₁, p₂·a + q₂): the right-hand sides are linear in a."""
        rng, name = self.rng, self.rng.choice(PARAMETERS)
        matrix = self.matrix(2)
        slopes = [signed(rng, 3), rng.randint(-3, 3)]
        rng.shuffle(slopes)
        offsets = [Fraction(rng.randint(-self.s, self.s)) for _ in range(2)]
        rhs = [
            (sum((a * p for a, p in zip(row, slopes)), Fraction(0)), sum((a * q for a, q in zip(row, offsets)), Fraction(0)))
            for row in matrix
        ]
        if any(slope == 0 for slope, _ in rhs):
            raise ValueError("an equation without the parameter")
        components = [latex_linear(p, q, name) for p, q in zip(slopes, offsets)]
        det = determinant(matrix)
        steps = [
            f"The determinant is ${latex_number(matrix[0][0])} \\cdot {_paren(matrix[1][1])} - "
            f"{_paren(matrix[0][1])} \\cdot {_paren(matrix[1][0])} = {latex_number(det)} \\ne 0$, so the solution is "
            "unique for every value of the parameter.",
            *(
                f"By Cramer's rule ${variable} = \\frac{{{latex_linear(*numerator, name)}}}{{{latex_number(det)}}} = {component}$."
                for variable, numerator, component in zip(("x", "y"), _cramer_numerators(matrix, rhs), components)
            ),
        ]
        return _System(
            matrix,
            [latex_linear(slope, offset, name) for slope, offset in rhs],
            G.tuple([G.expression(text, variables=[name]) for text in components], names=["x", "y"]),
            steps,
            "parameter",
            [f"{p}*{name} + {q}" for p, q in zip(slopes, offsets)],
            parameter=name,
        )

    def word(self) -> _System:
        rng = self.rng
        story = rng.choice(("tickets", "mixture", "river"))
        if story == "tickets":
            adult, child = rng.randint(8, 25), rng.randint(3, 12)
            while child >= adult:
                child = rng.randint(3, 12)
            a, c = rng.randint(10, 90), rng.randint(10, 90)
            total, revenue = a + c, adult * a + child * c
            text = (f"A theatre sold {total} tickets for one show. Adult tickets cost {adult} dollars and child tickets "
                    f"cost {child} dollars, and the ticket sales came to {revenue} dollars. How many adult tickets and "
                    "how many child tickets were sold?")
            order = "(number of adult tickets, number of child tickets)"
            matrix, rhs, solution = [[1, 1], [adult, child]], [total, revenue], [a, c]
            setup = f"With $x$ adult and $y$ child tickets: $x + y = {total}$ and ${adult}x + {child}y = {revenue}$."
        elif story == "mixture":
            cheap, dear = sorted(rng.sample(range(4, 30), 2))
            x, y = rng.randint(2, 30), rng.randint(2, 30)
            total, cost = x + y, cheap * x + dear * y
            text = (f"A shop mixes peanuts costing {cheap} dollars per kilogram with cashews costing {dear} dollars per "
                    f"kilogram to make {total} kilograms of a mix worth {cost} dollars in total. How many kilograms of "
                    "peanuts and how many kilograms of cashews go into the mix?")
            order = "(kilograms of peanuts, kilograms of cashews)"
            matrix, rhs, solution = [[1, 1], [cheap, dear]], [total, cost], [x, y]
            setup = f"With $x$ kg of peanuts and $y$ kg of cashews: $x + y = {total}$ and ${cheap}x + {dear}y = {cost}$."
        else:
            current = rng.randint(1, 6)
            boat = rng.randint(current + 2, current + 20)
            down_hours, up_hours = rng.randint(1, 5), rng.randint(1, 5)
            down, up = (boat + current) * down_hours, (boat - current) * up_hours
            text = (f"A boat travels {down} km downstream in {down_hours} hour{'s' * (down_hours > 1)} and {up} km upstream "
                    f"in {up_hours} hour{'s' * (up_hours > 1)}, at constant speeds. What are the speed of the boat in still "
                    "water and the speed of the current, in km per hour?")
            order = "(speed of the boat in still water, speed of the current)"
            matrix, rhs, solution = [[1, 1], [1, -1]], [down // down_hours, up // up_hours], [boat, current]
            setup = (f"With boat speed $x$ and current speed $y$: $x + y = {down} / {down_hours} = {rhs[0]}$ and "
                     f"$x - y = {up} / {up_hours} = {rhs[1]}$.")
        exact = [[Fraction(v) for v in row] for row in matrix]
        steps = [setup, *elimination_steps(exact, [Fraction(v) for v in rhs])]
        return _System(
            exact,
            [str(v) for v in rhs],
            G.tuple([G.integer(v) for v in solution]),
            steps,
            "word",
            [str(v) for v in solution],
            story=text,
            order=order,
        )


def _cramer_numerators(matrix: Matrix, rhs: list[tuple[Fraction, Fraction]]) -> list[tuple[Fraction, Fraction]]:
    """Cramer's numerators of a 2×2 system whose right-hand sides are linear forms (slope, constant)."""
    (a, b), (c, d) = matrix
    (s1, k1), (s2, k2) = rhs
    return [(s1 * d - s2 * b, k1 * d - k2 * b), (a * s2 - c * s1, a * k2 - c * k1)]


def _paren(value: Fraction) -> str:
    text = latex_number(value)
    return f"({text})" if value < 0 else text


@register
class LinearSystem(MathTemplate):
    """Solve a non-singular linear system; answer the ordered tuple of its solution."""

    name = "LinearSystem"
    version = 0
    tags = ("math/algebra", "math/algebra/linear_system")
    description = "Systems of linear equations: 2×2, 3×3, fractional solutions, a parameter, word problems."
    Config = LinearSystemConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, LinearSystemConfig)
        kind = rng.choice(config.kinds)
        drawer = _Drawer(rng, config)
        system = retry(lambda: drawer.draw(kind), attempts=_MAX_ATTEMPTS, what=f"{kind} system", config=config,
                       hint="widen max_coefficient")
        n = len(system.matrix)
        names = NAMES[:n]
        equations = [latex_equation(row, rhs, names) for row, rhs in zip(system.matrix, system.rhs_latex)]
        if system.story:
            prompt = compose_prompt(
                system.story,
                f"Give the answer as the ordered pair {system.order}, such as (12, 5).",
                self.answer_format.instruction,
            )
        else:
            tuple_text = "(" + ", ".join(names) + ")"
            intro = f"Solve the system of equations for ${', '.join(names[:-1])}$ and ${names[-1]}$"
            if system.parameter:
                intro += f" in terms of the constant ${system.parameter}$"
            example = f"(2{system.parameter} + 1, 3 - {system.parameter})" if system.parameter else (
                "(3, -\\frac{1}{2})" if n == 2 else "(3, -\\frac{1}{2}, 0)")
            prompt = compose_prompt(
                intro + ":\n\n" + "\n".join(f"$${e}$$" for e in equations),
                f"Give the solution as the ordered tuple ${tuple_text}$, such as {example}, with exact values "
                "(integers or fractions in lowest terms"
                + (f", or expressions in ${system.parameter}$)." if system.parameter else ")."),
                self.answer_format.instruction,
            )
        return Draft(
            prompt=prompt,
            answer=system.answer,
            metadata={
                "equations": equations,
                "matrix": [[str(v) for v in row] for row in system.matrix],
                "rhs": system.rhs_latex,
                "kind": system.kind,
                "components": system.solution_text,
                "solution": system.steps,
            },
            tags=(f"math/algebra/linear_system/{system.kind}",) + (("math/algebra/word_problem",) if system.story else ()),
        )
