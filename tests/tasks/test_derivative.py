"""Derivative: every gold re-derived with sympy from the function shown, equivalent forms accepted."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy

from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math.derivative import KINDS
from tests.tasks.math_helpers import TemplateProbe, parse_latex

PROBE = TemplateProbe("Derivative")
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, first, score = PROBE.problems, PROBE.first, PROBE.score
parsed = parse_latex
X, Y = sympy.symbols("x y")
POINTS = (0.37, 0.81, 1.29, 1.73)


def poly_expr(data: dict) -> sympy.Expr:
    symbols = [sympy.Symbol(v) for v in data["variables"]]
    return sympy.Add(*(sympy.Rational(str(Fraction(c))) * sympy.Mul(*(s**e for s, e in zip(symbols, m))) for m, c in data["terms"]))


def function_of(problem: Problem) -> sympy.Expr:
    f = problem.metadata["function"]
    return poly_expr(f).subs(sympy.Symbol("x"), X) if isinstance(f, dict) else parsed(f)


def same_function(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Equal at several points of (0, 2) where every drawn function is defined (numeric, independent of sympy's simplify)."""
    for point in POINTS:
        va, vb = complex(a.subs(X, point).evalf()), complex(b.subs(X, point).evalf())
        if abs(va - vb) > 1e-8 * (1 + abs(va)):
            return False
    return True


def test_levels_kinds_and_tags() -> None:
    assert LEVELS == ["easy", "medium", "hard", "expert"]
    for level in LEVELS:
        batch = problems(level, 60)
        assert {p.metadata["kind"] for p in batch} == set(TEMPLATE.config(level).kinds)
        assert all("math/calculus/derivative" in p.tags and f"math/calculus/derivative/{p.metadata['kind']}" in p.tags for p in batch)
        assert len({p.prompt for p in batch}) > 0.9 * len(batch), level
    assert set().union(*(TEMPLATE.config(level).kinds for level in LEVELS)) == set(KINDS)
    hard = problems("hard", 60)
    assert {p.metadata["family"] for p in hard} == {"exponential", "trigonometric", "logarithmic", "inverse_trigonometric"}


@pytest.mark.parametrize("level", LEVELS)
def test_gold_rederived_with_sympy(level: str) -> None:
    for problem in problems(level, 25):
        kind = problem.metadata["kind"]
        if kind == "implicit":
            curve = poly_expr(problem.metadata["curve"]).subs({sympy.Symbol("x"): X, sympy.Symbol("y"): Y})
            x0, y0 = problem.metadata["point"]
            assert curve.subs({X: x0, Y: y0}) == sympy.Rational(problem.metadata["level"])
            slope = sympy.idiff(curve, Y, X).subs({X: x0, Y: y0})
            assert Fraction(problem.answer["value"]) == Fraction(str(slope)), problem.prompt
            continue
        f = function_of(problem)
        if kind == "value":
            point = parsed(problem.metadata["point"])
            expected = sympy.diff(f, X).subs(X, point)
            gold = parsed(problem.answer["latex"]) if problem.answer["kind"] == "expression" else sympy.Rational(problem.answer["value"])
            assert abs(complex(sympy.N(expected - gold, 30))) < 1e-20, (problem.prompt, problem.answer)
            assert expected != 0
            continue
        order = 2 if kind == "second" else 1
        assert problem.answer["kind"] == "expression" and problem.answer["variables"] == ["x"]
        assert same_function(sympy.diff(f, X, order), parsed(problem.answer["latex"])), (problem.prompt, problem.answer)


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    PROBE.assert_references_score_one(level, 5, seed=2)


def test_equivalent_forms_are_accepted() -> None:
    problem = first("hard", lambda p: p.metadata.get("rule") == "product" and p.metadata["family"] == "exponential")
    derivative = sympy.diff(function_of(problem), X)
    for form in (sympy.factor(derivative), sympy.expand(derivative)):
        answer = sympy.latex(form, ln_notation=True)
        assert score(problem, f"\\boxed{{{answer}}}") == (1, "ok"), answer
    quotient = first("medium", lambda p: p.metadata.get("rule") == "quotient")
    together = sympy.latex(sympy.factor(sympy.together(sympy.diff(function_of(quotient), X))))
    assert score(quotient, f"\\boxed{{{together}}}") == (1, "ok"), together


def test_near_misses_and_hacks_score_zero() -> None:
    chain = first("medium", lambda p: p.metadata.get("rule") == "chain" and "sqrt" not in p.metadata["function"])
    f = function_of(chain)
    base, exponent = f.as_base_exp()
    forgot_inner = sympy.latex(exponent * base ** (exponent - 1))  # chain rule without g'(x)
    assert score(chain, f"\\boxed{{{forgot_inner}}}") == (0, "wrong_answer")
    assert score(chain, f"\\boxed{{{chain.metadata['function']}}}") == (0, "wrong_answer")  # f instead of f'
    gold = chain.answer["latex"]
    assert score(chain, f"\\boxed{{{gold}}} or maybe \\boxed{{0}}") == (0, "hack:multiple_answers")
    assert score(chain, f"f'(x) = {gold}") == (0, "no_answer")
    value = first("expert", lambda p: p.metadata["kind"] == "value" and p.answer["kind"] == "expression")
    approx = f"{float(sympy.N(parsed(value.answer['latex']))):.6f}"
    assert score(value, f"\\boxed{{{approx}}}")[0] == 0  # a decimal approximation is not the exact value


def test_implicit_slope_accepts_exact_spellings() -> None:
    problem = first("expert", lambda p: p.metadata["kind"] == "implicit" and Fraction(p.answer["value"]).denominator in (2, 4, 5))
    value = Fraction(problem.answer["value"])
    assert score(problem, f"\\boxed{{{float(value)}}}") == (1, "ok")
    assert score(problem, f"\\boxed{{\\frac{{{value.numerator}}}{{{value.denominator}}}}}") == (1, "ok")
    assert score(problem, f"\\boxed{{{-value}}}") == (0, "wrong_answer")
    assert "passes through the point" in problem.prompt and "fraction in lowest terms" in problem.prompt


def test_prompts_state_the_answer_form() -> None:
    for level in LEVELS:
        for p in problems(level, 10):
            assert p.prompt.endswith(TEMPLATE.answer_format.instruction)
            assert "equivalent form" in p.prompt or "exact value" in p.prompt.lower() or "lowest terms" in p.prompt


def test_determinism_and_config_errors() -> None:
    assert [p.to_json() for p in problems("expert", 15, 4)] == [p.to_json() for p in problems("expert", 15, 4)]
    rng_problem = TEMPLATE.build(random.Random(0), TEMPLATE.config("easy", kinds=("implicit",)))
    assert rng_problem.metadata["kind"] == "implicit"
    for bad in (dict(kinds=()), dict(kinds=("integral",)), dict(kinds=("chain", "chain")), dict(max_degree=1)):
        with pytest.raises(ConfigError):
            TEMPLATE.config("easy", **bad)
