"""DefiniteIntegral: every value re-derived with sympy.integrate and checked numerically by quadrature."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy

from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math.definite_integral import KINDS
from tests.tasks.math_helpers import TemplateProbe, parse_latex

PROBE = TemplateProbe("DefiniteIntegral")
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, first, score = PROBE.problems, PROBE.first, PROBE.score
parsed = parse_latex
X = sympy.Symbol("x")


def integrand(problem: Problem) -> sympy.Expr:
    f = problem.metadata["integrand"]
    if isinstance(f, dict):
        return sympy.Add(*(sympy.Rational(str(Fraction(c))) * X ** m[0] for m, c in f["terms"]))
    return parsed(f)


def gold_value(problem: Problem) -> sympy.Expr:
    if problem.answer["kind"] == "expression":
        return parsed(problem.answer["latex"])
    return sympy.Rational(problem.answer["value"])


def bounds(problem: Problem) -> tuple[sympy.Expr, sympy.Expr]:
    lo, hi = problem.metadata["bounds"]
    return tuple(sympy.Integer(b) if isinstance(b, int) else parsed(b) for b in (lo, hi))  # type: ignore[return-value]


def test_levels_kinds_and_tags() -> None:
    assert LEVELS == ["easy", "medium", "hard"]
    for level in LEVELS:
        batch = problems(level, 60)
        assert {p.metadata["kind"] for p in batch} == set(TEMPLATE.config(level).kinds)
        assert all("math/calculus/integral/definite" in p.tags and f"math/calculus/integral/{p.metadata['kind']}" in p.tags
                   for p in batch)
        assert len({p.prompt for p in batch}) > 0.8 * len(batch), level
    assert set().union(*(TEMPLATE.config(level).kinds for level in LEVELS)) == set(KINDS)
    families = {p.metadata["family"] for p in problems("hard", 120)}
    assert {"x_exp", "x_sin", "x_cos", "log", "power_log", "x2_exp", "sin_squared", "cos_squared", "sin_cos",
            "arctan", "sec_squared"} <= families


@pytest.mark.parametrize("level", LEVELS)
def test_gold_rederived_with_sympy_and_quadrature(level: str) -> None:
    for problem in problems(level, 12):
        f, (lo, hi) = integrand(problem), bounds(problem)
        gold = gold_value(problem)
        assert gold != 0
        numeric = mpmath.quad(sympy.lambdify(X, f, "mpmath"), [float(lo), float(hi)])
        assert abs(numeric - float(sympy.N(gold))) < 1e-9 * (1 + abs(numeric)), (problem.prompt, problem.answer)
        exact = sympy.integrate(f, (X, lo, hi))
        assert abs(complex(sympy.N(exact - gold, 40))) < 1e-30, (problem.prompt, problem.answer, exact)


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    PROBE.assert_references_score_one(level, 5, seed=3)


def test_equal_values_are_canonical() -> None:
    """Logs are split over primes: 2 ln 18 - 4 ln 3 prints as 2 ln 2, so equal values give equal golds."""
    for problem in problems("medium", 60):
        if problem.metadata["family"] == "logarithm":
            assert "18" not in problem.answer.get("latex", "") and "\\ln{\\left(4 \\right)}" not in problem.answer.get("latex", "")


def test_equivalent_forms_accepted_and_approximations_refused() -> None:
    problem = first("hard", lambda p: p.answer["kind"] == "expression" and "\\pi" in p.answer["latex"])
    value = gold_value(problem)
    for form in (sympy.together(value), sympy.expand(value)):
        answer = sympy.latex(form, ln_notation=True)
        assert score(problem, f"\\boxed{{{answer}}}") == (1, "ok"), answer
    assert score(problem, f"\\boxed{{{float(sympy.N(value)):.8f}}}")[0] == 0
    assert score(problem, f"\\boxed{{{sympy.latex(2 * value)}}}") == (0, "wrong_answer")
    rational = first("easy", lambda p: p.answer["kind"] == "rational")
    number = Fraction(rational.answer["value"])
    assert score(rational, f"\\boxed{{\\frac{{{number.numerator}}}{{{number.denominator}}}}}") == (1, "ok")
    assert score(rational, f"\\boxed{{{-number}}}") == (0, "wrong_answer")


def test_hacks_score_zero() -> None:
    problem = problems("medium", 1)[0]
    gold = TEMPLATE.extract(TEMPLATE.reference_response(problem)).answer
    assert score(problem, f"\\boxed{{{gold}}} \\boxed{{0}}") == (0, "hack:multiple_answers")
    assert score(problem, f"The integral equals {gold}.") == (0, "no_answer")
    assert score(problem, f"\\boxed{{{gold} + C}}")[0] == 0  # an antiderivative's constant has no place in a value


def test_prompts_and_config() -> None:
    for level in LEVELS:
        for p in problems(level, 10):
            assert "\\int_" in p.prompt and p.prompt.endswith(TEMPLATE.answer_format.instruction)
            assert "exact value" in p.prompt
    assert [p.to_json() for p in problems("hard", 10, 5)] == [p.to_json() for p in problems("hard", 10, 5)]
    for bad in (dict(kinds=()), dict(kinds=("improper",)), dict(kinds=("parts", "parts")), dict(max_coefficient=1)):
        with pytest.raises(ConfigError):
            TEMPLATE.config("easy", **bad)
