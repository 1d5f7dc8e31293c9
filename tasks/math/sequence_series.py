"""`SequenceSeries`: terms and sums of sequences — arithmetic and geometric, then sequences given
by two of their terms, then recurrences, then infinite geometric and telescoping series.

Why this template: the formulas are short (aₙ = a₁ + (n − 1)d, Sₙ = a₁(1 − rⁿ)/(1 − r)) and the
errors are classic: n versus n − 1, the wrong starting index, a ratio below 1 in a geometric sum,
a telescoping sum that keeps the wrong terms. Every answer is an exact rational number, checked
exactly (the prompt asks for lowest terms; `0.75` is accepted for 3/4 as an exact decimal).

Generation draws the defining parameters and computes the asked value by *direct* exact
summation or iteration with `Fraction` (never by the closed form the worked solution quotes), so
the gold does not share a mistake with the solution text; the tests re-derive it with sympy.
Degenerate draws are avoided by construction (d ≠ 0, r ∉ {0, ±1}, |r| < 1 for infinite series,
distinct given indices).

Levels change the kind of problem:

* easy   — n-th term and partial sum of an arithmetic sequence, n-th term of a geometric one.
* medium — arithmetic and geometric sequences given by two terms; geometric partial sums with a
           fractional ratio.
* hard   — first-order affine recurrences aₙ₊₁ = p·aₙ + q and second-order linear recurrences.
* expert — infinite geometric series from an index m, finite and infinite telescoping sums
           Σ c/(k(k + d)).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field

from vrgym.config import TemplateConfig
from vrgym.registry import register
from vrgym.tasks.math._calculus import RATIONAL_FORM, ask, nonzero, rational_gold, signed
from vrgym.tasks.math._calculus_poly import format_number, fraction_latex
from vrgym.tasks.math._kinds import KindsConfig
from vrgym.tasks.math._math_template import MathTemplate
from vrgym.template import Draft

KINDS = ("arithmetic", "geometric", "two_terms", "geometric_sum", "affine_recurrence", "linear_recurrence",
         "infinite_geometric", "telescoping")
"""Problem kinds (see the module docstring)."""

Case = tuple[str, Fraction, list[str], str, dict[str, Any]]
"""(question, exact value, worked steps, family, the drawn parameters as JSON for re-derivation)."""

_RATIOS = (Fraction(1, 2), Fraction(-1, 2), Fraction(1, 3), Fraction(-1, 3), Fraction(2, 3), Fraction(-2, 3),
           Fraction(3, 4), Fraction(1, 4), Fraction(-1, 4), Fraction(2, 5), Fraction(3, 5))
"""Ratios |r| < 1 for fractional geometric sums and infinite series."""


class SequenceSeriesConfig(KindsConfig):
    """Which kinds of sequence/series problems to draw, and how far out the asked term lies."""

    KINDS: ClassVar[tuple[str, ...]] = KINDS

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("arithmetic", "geometric"), max_value=12, max_index=30),
        "medium": dict(kinds=("two_terms", "geometric_sum"), max_value=12, max_index=30),
        "hard": dict(kinds=("affine_recurrence", "linear_recurrence"), max_value=6, max_index=10),
        "expert": dict(kinds=("infinite_geometric", "telescoping"), max_value=9, max_index=60),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = Field(
        ("two_terms", "geometric_sum"), description=f"Kinds to draw from uniformly: any of {', '.join(KINDS)}."
    )
    max_value: int = Field(12, ge=3, le=1000, description="Largest magnitude of a first term, difference or coefficient.")
    max_index: int = Field(30, ge=8, le=500, description="Largest index n of an asked term or partial sum.")


def _f(value: Fraction | int) -> str:
    return fraction_latex(value)


def _arithmetic_terms(first: Fraction, step: Fraction, count: int) -> list[Fraction]:
    terms = [first]
    for _ in range(count - 1):
        terms.append(terms[-1] + step)
    return terms


def _geometric_terms(first: Fraction, ratio: Fraction, count: int) -> list[Fraction]:
    terms = [first]
    for _ in range(count - 1):
        terms.append(terms[-1] * ratio)
    return terms


# ------------------------------------------------------------------------------------ easy


def _arithmetic(rng: random.Random, c: SequenceSeriesConfig) -> Case:
    a1, d, n = signed(rng, 1, c.max_value), nonzero(rng, -c.max_value // 2 - 1, c.max_value // 2 + 1), rng.randint(8, c.max_index)
    terms = _arithmetic_terms(Fraction(a1), Fraction(d), n)
    given = f"An arithmetic sequence has first term $a_1 = {a1}$ and common difference $d = {d}$."
    if rng.random() < 0.5:
        value = terms[-1]
        steps = [f"a_n = a_1 + (n - 1)d, so a_{{{n}}} = {a1} + {n - 1} \\cdot ({d}) = {_f(value)}."]
        return f"{given} Find the term $a_{{{n}}}$.", value, steps, "arithmetic_term", dict(a1=a1, d=d, n=n)
    value = sum(terms)
    steps = [f"a_{{{n}}} = {a1} + {n - 1} \\cdot ({d}) = {_f(terms[-1])}.",
             f"S_n = \\frac{{n(a_1 + a_n)}}{{2}} = \\frac{{{n}({a1} + ({_f(terms[-1])}))}}{{2}} = {_f(value)}."]
    question = f"{given} Find the sum of its first {n} terms, $S_{{{n}}} = a_1 + a_2 + \\dots + a_{{{n}}}$."
    return question, value, steps, "arithmetic_sum", dict(a1=a1, d=d, n=n)


def _geometric(rng: random.Random, c: SequenceSeriesConfig) -> Case:
    a1, r, n = signed(rng, 1, c.max_value), rng.choice((-3, -2, 2, 3)), rng.randint(4, 9)
    terms = _geometric_terms(Fraction(a1), Fraction(r), n)
    given = f"A geometric sequence has first term $a_1 = {a1}$ and common ratio $r = {r}$."
    if rng.random() < 0.6:
        value = terms[-1]
        steps = [f"a_n = a_1 r^{{n-1}}, so a_{{{n}}} = {a1} \\cdot ({r})^{{{n - 1}}} = {_f(value)}."]
        return f"{given} Find the term $a_{{{n}}}$.", value, steps, "geometric_term", dict(a1=a1, r=r, n=n)
    value = sum(terms)
    steps = [f"S_n = a_1 \\frac{{r^n - 1}}{{r - 1}} = {a1} \\cdot \\frac{{({r})^{{{n}}} - 1}}{{{r} - 1}} = {_f(value)}."]
    return f"{given} Find the sum of its first {n} terms, $S_{{{n}}}$.", value, steps, "geometric_sum_integer", dict(a1=a1, r=r, n=n)


# ------------------------------------------------------------------------------------ medium


def _two_terms(rng: random.Random, c: SequenceSeriesConfig) -> Case:
    p, q = sorted(rng.sample(range(2, 13), 2))
    if rng.random() < 0.6:  # arithmetic: the difference comes out of the two given terms
        a1, d = signed(rng, 1, c.max_value), nonzero(rng, -c.max_value // 2 - 1, c.max_value // 2 + 1)
        n = rng.randint(q + 1, max(q + 1, c.max_index))
        terms = _arithmetic_terms(Fraction(a1), Fraction(d), max(n, q))
        ap, aq = terms[p - 1], terms[q - 1]
        given = f"In an arithmetic sequence, $a_{{{p}}} = {_f(ap)}$ and $a_{{{q}}} = {_f(aq)}$."
        steps = [f"d = \\frac{{a_{{{q}}} - a_{{{p}}}}}{{{q} - {p}}} = {d}, and a_1 = a_{{{p}}} - {p - 1}d = {a1}."]
        if rng.random() < 0.5:
            value = terms[n - 1]
            steps.append(f"a_{{{n}}} = a_1 + {n - 1}d = {_f(value)}.")
            given_terms = dict(p=p, ap=format_number(ap), q=q, aq=format_number(aq), n=n)
            return f"{given} Find $a_{{{n}}}$.", value, steps, "arithmetic_from_two_terms", given_terms
        value = sum(terms[:n])
        steps.append(f"S_{{{n}}} = \\frac{{{n}(a_1 + a_{{{n}}})}}{{2}} = {_f(value)}.")
        given_terms = dict(p=p, ap=format_number(ap), q=q, aq=format_number(aq), n=n)
        return f"{given} Find the sum of the first {n} terms, $S_{{{n}}}$.", value, steps, "arithmetic_sum_from_two_terms", given_terms
    # geometric with a positive integer ratio (so the ratio is determined by the two terms)
    a1, r = signed(rng, 1, 6), rng.choice((2, 3))
    p, q = sorted(rng.sample(range(1, 6), 2))
    n = rng.randint(q + 1, 9)
    terms = _geometric_terms(Fraction(a1), Fraction(r), n)
    ap, aq = terms[p - 1], terms[q - 1]
    if (q - p) % 2 == 0:  # an even gap leaves the sign of r open: say it is positive
        given = f"In a geometric sequence with a positive common ratio, $a_{{{p}}} = {_f(ap)}$ and $a_{{{q}}} = {_f(aq)}$."
    else:
        given = f"In a geometric sequence, $a_{{{p}}} = {_f(ap)}$ and $a_{{{q}}} = {_f(aq)}$."
    value = terms[n - 1]
    steps = [f"r^{{{q - p}}} = \\frac{{a_{{{q}}}}}{{a_{{{p}}}}} = {_f(aq / ap)}, so r = {r}.",
             f"a_{{{n}}} = a_{{{q}}} r^{{{n - q}}} = {_f(value)}."]
    given_terms = dict(p=p, ap=format_number(ap), q=q, aq=format_number(aq), n=n)
    return f"{given} Find $a_{{{n}}}$.", value, steps, "geometric_from_two_terms", given_terms


def _geometric_sum(rng: random.Random, c: SequenceSeriesConfig) -> Case:
    a1, r, n = signed(rng, 1, c.max_value), rng.choice(_RATIOS), rng.randint(3, 7)
    value = sum(_geometric_terms(Fraction(a1), r, n))
    question = (f"Find the sum of the first {n} terms of the geometric sequence with first term ${a1}$ and common ratio "
                f"${_f(r)}$.")
    steps = [f"S_n = a_1 \\frac{{1 - r^n}}{{1 - r}} = {a1} \\cdot \\frac{{1 - ({_f(r)})^{{{n}}}}}{{1 - ({_f(r)})}} = {_f(value)}."]
    return question, value, steps, "geometric_sum_fraction", dict(a1=a1, r=format_number(r), n=n)


# ------------------------------------------------------------------------------------ hard


def _affine_recurrence(rng: random.Random, c: SequenceSeriesConfig) -> Case:
    a1, p, q = signed(rng, 1, c.max_value), rng.choice((-3, -2, 2, 3)), nonzero(rng, -c.max_value, c.max_value)
    n = rng.randint(5, min(c.max_index, 9))
    terms = [Fraction(a1)]
    for _ in range(n - 1):
        terms.append(p * terms[-1] + q)
    question = (f"A sequence is defined by $a_1 = {a1}$ and $a_{{n+1}} = {p}a_n {'+' if q > 0 else '-'} {abs(q)}$ for $n \\ge 1$. "
                f"Find $a_{{{n}}}$.")
    fixed = Fraction(q, 1 - p)
    steps = [f"The fixed point is L = \\frac{{{q}}}{{1 - ({p})}} = {_f(fixed)}, and a_n - L = ({p})^{{n-1}}(a_1 - L).",
             f"a_{{{n}}} = {_f(fixed)} + ({p})^{{{n - 1}}}({a1} - ({_f(fixed)})) = {_f(terms[-1])} "
             f"(iterating: {', '.join(_f(t) for t in terms)})."]
    return question, terms[-1], steps, "affine_recurrence", dict(a1=a1, p=p, q=q, n=n)


def _linear_recurrence(rng: random.Random, c: SequenceSeriesConfig) -> Case:
    a1, a2 = rng.randint(-c.max_value, c.max_value), rng.randint(-c.max_value, c.max_value)
    if a1 == a2 == 0:
        a2 = 1
    p, q = nonzero(rng, -3, 3), nonzero(rng, -3, 3)
    n = rng.randint(6, min(c.max_index, 10))
    terms = [Fraction(a1), Fraction(a2)]
    while len(terms) < n:
        terms.append(p * terms[-1] + q * terms[-2])
    rhs = f"{'' if p == 1 else '-' if p == -1 else p}a_{{n+1}} {'+' if q > 0 else '-'} {'' if abs(q) == 1 else abs(q)}a_n"
    question = (f"A sequence is defined by $a_1 = {a1}$, $a_2 = {a2}$ and $a_{{n+2}} = {rhs}$ for $n \\ge 1$. "
                f"Find $a_{{{n}}}$.")
    steps = ["Apply the recurrence term by term: " + ", ".join(f"a_{{{i + 1}}} = {_f(t)}" for i, t in enumerate(terms)) + "."]
    return question, terms[-1], steps, "linear_recurrence", dict(a1=a1, a2=a2, p=p, q=q, n=n)


# ------------------------------------------------------------------------------------ expert


def _infinite_geometric(rng: random.Random, c: SequenceSeriesConfig) -> Case:
    a, r, m = signed(rng, 1, c.max_value), rng.choice(_RATIOS), rng.randint(0, 3)
    # exact value by the partial sums' limit: S_N = a r^m (1 - r^N)/(1 - r) with r^N → 0
    value = a * r**m / (1 - r)
    question = (f"Find the exact sum of the infinite series $\\sum_{{k={m}}}^{{\\infty}} {a if a != 1 else ''}"
                f"\\left({_f(r)}\\right)^{{k}}$.")
    steps = [f"It is geometric with first term {a} \\cdot ({_f(r)})^{{{m}}} = {_f(a * r**m)} and ratio {_f(r)}, |r| < 1.",
             f"The sum is \\frac{{\\text{{first term}}}}{{1 - r}} = \\frac{{{_f(a * r**m)}}}{{1 - ({_f(r)})}} = {_f(value)}."]
    return question, value, steps, "infinite_geometric", dict(a=a, r=format_number(r), m=m)


def _telescoping(rng: random.Random, c: SequenceSeriesConfig) -> Case:
    coefficient, d = rng.randint(1, c.max_value), rng.randint(1, 3)
    term = f"\\frac{{{coefficient}}}{{k(k + {d})}}"
    harmonic = sum(Fraction(1, j) for j in range(1, d + 1))
    if rng.random() < 0.5:
        n = rng.randint(5, c.max_index)
        value = sum(Fraction(coefficient, k * (k + d)) for k in range(1, n + 1))
        question = f"Find the exact value of $\\sum_{{k=1}}^{{{n}}} {term}$."
        tail = " + ".join(f"\\frac{{1}}{{{n + j}}}" for j in range(1, d + 1))
        steps = [f"Partial fractions: {term} = \\frac{{{coefficient}}}{{{d}}}"
                 f"\\left(\\frac{{1}}{{k}} - \\frac{{1}}{{k + {d}}}\\right).",
                 f"The sum telescopes to \\frac{{{coefficient}}}{{{d}}}\\left({_f(harmonic)} - ({tail})\\right) = {_f(value)}."]
        return question, value, steps, "telescoping_finite", dict(c=coefficient, d=d, n=n)
    value = Fraction(coefficient, d) * harmonic
    question = f"Find the exact value of the infinite series $\\sum_{{k=1}}^{{\\infty}} {term}$."
    steps = [f"Partial fractions: {term} = \\frac{{{coefficient}}}{{{d}}}\\left(\\frac{{1}}{{k}} - \\frac{{1}}{{k + {d}}}\\right).",
             f"The partial sums telescope; only 1 + \\dots + \\frac{{1}}{{{d}}} = {_f(harmonic)} survives, "
             f"so the sum is \\frac{{{coefficient}}}{{{d}}} \\cdot {_f(harmonic)} = {_f(value)}."]
    return question, value, steps, "telescoping_infinite", dict(c=coefficient, d=d, n=None)


_BUILDERS: dict[str, Callable[[random.Random, SequenceSeriesConfig], Case]] = {
    "arithmetic": _arithmetic, "geometric": _geometric, "two_terms": _two_terms, "geometric_sum": _geometric_sum,
    "affine_recurrence": _affine_recurrence, "linear_recurrence": _linear_recurrence,
    "infinite_geometric": _infinite_geometric, "telescoping": _telescoping,
}


@register
class SequenceSeries(MathTemplate):
    """Terms and sums of arithmetic/geometric sequences, recurrences, infinite and telescoping series."""

    name = "SequenceSeries"
    version = 0
    tags = ("math/algebra/sequence_series",)
    description = "Terms and sums of sequences and series (arithmetic, geometric, recurrences, telescoping), exact"
    Config = SequenceSeriesConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        """Draw a kind and its parameters, and compute the asked value by exact iteration."""
        assert isinstance(config, SequenceSeriesConfig)
        kind = rng.choice(config.kinds)
        question, value, steps, family, parameters = _BUILDERS[kind](rng, config)
        metadata = {"kind": kind, "family": family, "parameters": parameters, "value": _f(value), "solution": steps}
        tags = (f"math/algebra/sequence_series/{kind}", f"math/algebra/sequence_series/{family}")
        return Draft(prompt=ask(question, RATIONAL_FORM, self.answer_format.instruction), answer=rational_gold(value),
                     metadata=metadata, tags=tags)
