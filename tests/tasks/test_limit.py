"""Limit: every value re-derived with sympy.limit from the function shown; forms and hacks."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math.limit import KINDS
from vrgym.verifiers.math import check_math_answer
from vrgym.verifiers.math import gold as G
from tests.tasks.math_helpers import TemplateProbe, parse_latex

PROBE = TemplateProbe("Limit")
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, first, score = PROBE.problems, PROBE.first, PROBE.score
parsed = parse_latex
X = sympy.Symbol("x")


def point_of(text: str) -> sympy.Expr:
    return {"\\infty": sympy.oo, "-\\infty": -sympy.oo}.get(text) or sympy.Integer(int(text))


def gold_value(problem: Problem) -> sympy.Expr:
    answer = problem.answer
    if answer["kind"] == "expression":
        return {"\\infty": sympy.oo, "-\\infty": -sympy.oo}.get(answer["latex"]) or parsed(answer["latex"])
    return sympy.Rational(answer["value"])


def test_levels_kinds_and_tags() -> None:
    assert LEVELS == ["easy", "medium", "hard", "expert"]
    for level in LEVELS:
        batch = problems(level, 80)
        assert {p.metadata["kind"] for p in batch} == set(TEMPLATE.config(level).kinds)
        assert all("math/calculus/limit" in p.tags and f"math/calculus/limit/{p.metadata['kind']}" in p.tags for p in batch)
        assert len({p.prompt for p in batch}) > 0.85 * len(batch), level
        zeros = sum(p.answer == G.integer(0) for p in batch)
        assert zeros < 0.35 * len(batch), (level, zeros)  # a guessed 0 must not pay off
    assert set().union(*(TEMPLATE.config(level).kinds for level in LEVELS)) == set(KINDS)


@pytest.mark.parametrize("level", LEVELS)
def test_gold_rederived_with_sympy_limit(level: str) -> None:
    for problem in problems(level, 10):
        f, point = parsed(problem.metadata["function"]), point_of(problem.metadata["point"])
        expected = sympy.limit(f, X, point)
        gold = gold_value(problem)
        if expected.is_infinite:
            assert expected == gold, problem.metadata["limit"]
        else:
            assert abs(complex(sympy.N(expected - gold, 40))) < 1e-30, (problem.metadata["limit"], expected, gold)
        if point.is_finite:  # the point really is an indeterminate form: direct substitution fails
            assert not (f.subs(X, point)).is_finite or f.subs(X, point) is sympy.nan, problem.metadata["limit"]


def test_infinite_limits_are_drawn_when_enabled() -> None:
    batch = problems("medium", 60, infinite_limits=True)
    infinite = [p for p in batch if p.metadata["family"] == "higher_degree"]
    assert infinite and all(p.answer["latex"] in ("\\infty", "-\\infty") for p in infinite)
    for problem in infinite[:4]:
        f, point = parsed(problem.metadata["function"]), point_of(problem.metadata["point"])
        assert sympy.limit(f, X, point) == gold_value(problem)
    assert not any(p.metadata["family"] == "higher_degree" for p in problems("medium", 60, infinite_limits=False))
    assert all("\\infty or -\\infty" in p.prompt for p in batch[:5])


def test_verifier_accepts_infinity() -> None:
    assert check_math_answer(G.expression("\\infty"), "\\infty").reward == 1
    assert check_math_answer(G.expression("-\\infty"), "-\\infty").reward == 1


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    PROBE.assert_references_score_one(level, 5, seed=4)


def test_equivalent_forms_and_near_misses() -> None:
    problem = first("expert", lambda p: p.answer["kind"] == "rational" and Fraction(p.answer["value"]).denominator == 2)
    value = Fraction(problem.answer["value"])
    for response in (f"\\boxed{{{float(value)}}}", f"\\boxed{{\\frac{{{value.numerator}}}{{{value.denominator}}}}}",
                     f"\\boxed{{{value.numerator}/{value.denominator}}}"):
        assert score(problem, response) == (1, "ok"), response
    assert score(problem, f"\\boxed{{{value + 1}}}") == (0, "wrong_answer")
    compound = first("hard", lambda p: p.metadata["family"] == "compound_interest")
    gold = compound.answer["latex"]
    exponent = gold[3:-1] if gold.startswith("e^{") else "1"
    assert score(compound, f"\\boxed{{\\exp({exponent})}}") == (1, "ok")
    assert score(compound, f"\\boxed{{{exponent}}}")[0] == 0  # the exponent alone is not the limit
    log = first("expert", lambda p: p.metadata["family"] == "exponential_base")
    assert score(log, f"\\boxed{{{float(sympy.N(gold_value(log))):.5f}}}")[0] == 0  # decimals are not exact


def test_hacks_score_zero() -> None:
    problem = problems("easy", 1)[0]
    gold = TEMPLATE.extract(TEMPLATE.reference_response(problem)).answer
    assert score(problem, f"\\boxed{{{gold}}} or \\boxed{{\\infty}}") == (0, "hack:multiple_answers")
    assert score(problem, "\\boxed{DNE}")[0] == 0
    assert score(problem, f"the limit is {gold}") == (0, "no_answer")


def test_prompt_and_config() -> None:
    problem = problems("hard", 1)[0]
    assert problem.prompt.startswith("Evaluate the limit $$\\lim_{x \\to")
    assert "\\infty or -\\infty" in problem.prompt and problem.prompt.endswith(TEMPLATE.answer_format.instruction)
    assert [p.to_json() for p in problems("expert", 10, 6)] == [p.to_json() for p in problems("expert", 10, 6)]
    for bad in (dict(kinds=()), dict(kinds=("squeeze",)), dict(kinds=("cancel", "cancel")), dict(max_value=2)):
        with pytest.raises(ConfigError):
            TEMPLATE.config("easy", **bad)
