"""Shared helpers of the algebra/calculus templates: lazy sympy, LaTeX, exact golds, draws, prompts.

Polynomial, Derivative, DefiniteIntegral, Limit and SequenceSeries all need the same few things:
draw small non-zero integers, render coefficients the way a person writes them (`3x`, `-x`,
`\\frac{1}{2}x`), turn an exact value (a Fraction or a sympy number such as `π/4 - ln 2`) into the
right typed gold (`integer`/`rational` when it is rational, so the verifier's fast path applies,
`expression` otherwise), and render sympy expressions in the LaTeX dialect the math verifier
reads back (`\\ln`, not `\\log`, which LaTeX parsers take as base 10; `\\arctan`, not
`\\operatorname{atan}`). Keeping them here means every template accepts and prints the same forms.

sympy is imported only inside functions (`sympy_module()`): `import vrgym` must stay fast, and
the polynomial-only levels never need it.
"""

from __future__ import annotations

import random
from fractions import Fraction
from functools import lru_cache
from types import ModuleType
from typing import Any

from vrgym.tasks.math._calculus_poly import Number, fraction_latex


@lru_cache(maxsize=1)
def sympy_module() -> ModuleType:
    """The sympy module, imported on first use (it costs ~0.3 s; only calculus levels need it)."""
    import sympy

    return sympy


@lru_cache(maxsize=1)
def x_symbol() -> Any:
    """The symbol x of every calculus template (no assumptions: a real=True symbol makes diff 3x slower)."""
    return sympy_module().Symbol("x")


@lru_cache(maxsize=8192)
def to_latex(expr: Any) -> str:
    """sympy → LaTeX the verifier parses back to the same value (natural log as `\\ln`, `\\arctan`).

    Memoised (sympy expressions are immutable and hashable): printing is the largest cost of a
    calculus problem, and the same parts (`\\sin{\\left(2 x \\right)}`, bounds, inner functions)
    recur across a stream.
    """
    return sympy_module().latex(expr, ln_notation=True, inv_trig_style="full")


def split_logs(expr: Any) -> Any:
    """`expr` with every ln of a rational split over primes: 2 ln 18 − 4 ln 3 → 2 ln 2.

    A definite integral's value F(b) − F(a) arrives as logs of whatever g(b), g(a) were; splitting
    them makes equal values print equally (one canonical gold per value, a short reference) and
    keeps the verifier's symbolic comparison trivial.
    """
    sp = sympy_module()

    def split(log: Any) -> Any:
        argument = log.args[0]
        if not argument.is_Rational or argument <= 0:
            return log
        parts = [k * sp.log(p) for p, k in sp.factorint(int(argument.p)).items()]
        parts += [-k * sp.log(q) for q, k in sp.factorint(int(argument.q)).items()]
        return sp.Add(*parts)

    return sp.expand(expr.replace(lambda e: isinstance(e, sp.log), split))


Drawn = tuple[str, str, dict[str, Any], list[str], dict[str, Any]]
"""A drawn calculus problem: (question, answer-form sentence, gold, worked steps, metadata)."""


# ---------------------------------------------------------------------------------------- golds


def rational_gold(value: Number) -> dict[str, Any]:
    """Typed gold of an exact rational: `integer` when whole, else `rational` (lowest terms)."""
    from vrgym.verifiers.math import gold as G

    value = Fraction(value)
    return G.integer(value.numerator) if value.denominator == 1 else G.rational(value)


def exact_gold(value: Any) -> dict[str, Any]:
    """Typed gold of an exact sympy number: rational → `rational_gold`, else a closed-form `expression`."""
    from vrgym.verifiers.math import gold as G

    sp = sympy_module()
    value = sp.sympify(value)
    if value.is_Rational:
        return rational_gold(Fraction(int(value.p), int(value.q)))
    return G.expression(to_latex(value))


# ---------------------------------------------------------------------------------------- draws


def nonzero(rng: random.Random, low: int, high: int) -> int:
    """A uniform integer in [low, high] other than 0 (the range must contain a non-zero value)."""
    while True:
        value = rng.randint(low, high)
        if value:
            return value


def signed(rng: random.Random, low: int, high: int) -> int:
    """A magnitude in [low, high] (low ≥ 1) with a random sign."""
    return rng.randint(low, high) * rng.choice((1, -1))


def distinct(rng: random.Random, low: int, high: int, count: int, *, exclude: tuple[int, ...] = ()) -> list[int]:
    """`count` distinct integers from [low, high] minus `exclude`, in draw order."""
    pool = [v for v in range(low, high + 1) if v not in exclude]
    if len(pool) < count:
        raise ValueError(f"cannot draw {count} distinct values from [{low}, {high}] without {exclude}")
    return rng.sample(pool, count)


# ---------------------------------------------------------------------------------------- text


def scaled(coefficient: Number, body: str) -> str:
    """`coefficient·body` written by hand: `3x`, `x`, `-x`, `\\frac{1}{2}x`, `-2\\sin x`."""
    c = Fraction(coefficient)
    if c == 1:
        return body
    if c == -1:
        return f"-{body}"
    return f"{fraction_latex(c)}{body}"


def plus(*terms: str) -> str:
    """Join signed LaTeX terms with ` + ` / ` - ` (a term starting with '-' gets a minus)."""
    out = ""
    for term in terms:
        if not term or term == "0":
            continue
        if not out:
            out = term
        elif term.startswith("-"):
            out += f" - {term[1:]}"
        else:
            out += f" + {term}"
    return out or "0"


def ask(question: str, form: str, instruction: str) -> str:
    """A prompt: the question, one sentence on the expected answer form, the boxed instruction."""
    return f"{question}\n\n{form} {instruction}"


def pose(kind: str, drawn: Drawn, instruction: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(prompt, gold, metadata) of a drawn case: the metadata is the case's own plus its kind and worked steps.

    Derivative and DefiniteIntegral lay every case out this way; only their tags differ.
    """
    question, form, gold, steps, meta = drawn
    return ask(question, form, instruction), gold, {"kind": kind, **meta, "solution": steps}


RATIONAL_FORM = "Give the exact value; write a non-integer as a fraction in lowest terms, such as -7/3."
"""The answer-form sentence of every question whose answer is a rational number."""

CLOSED_FORM = (
    "Give the exact value in closed form (fractions in lowest terms, \\pi, e, \\ln, square roots as needed), "
    "such as \\frac{\\pi}{4} - \\ln 2; no decimal approximations."
)
"""The answer-form sentence of every question whose exact answer may be irrational."""
