"""LinearEquation: golds re-derived by sympy from the shown equation, levels, forms, near misses and hacks."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from latex2sympy2_extended import latex2sympy

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math.linear_equation import LinearEquation, solve
from tests.tasks.math_helpers import TemplateProbe

PROBE = TemplateProbe("LinearEquation")
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, score = PROBE.problems, PROBE.score
X = sympy.Symbol("x")


def sympy_solution(equation: str, unknown: sympy.Symbol = X) -> sympy.Expr:
    """Solve the displayed LaTeX equation with sympy (independent of the generator's own algebra)."""
    left, right = equation.split(" = ")
    solutions = sympy.solve(sympy.Eq(latex2sympy(left), latex2sympy(right)), unknown)
    assert len(solutions) == 1, (equation, solutions)
    return solutions[0]


def test_registered_with_levels() -> None:
    assert vrgym.get_template_class("linear_equation") is LinearEquation
    assert LEVELS == ["easy", "medium", "hard", "expert"]
    assert TEMPLATE.config().difficulty == "medium"
    assert "math/algebra/linear_equation" in TEMPLATE.tags


@pytest.mark.parametrize("level", LEVELS)
def test_gold_equals_sympy_solution_of_the_shown_equation(level: str) -> None:
    for problem in problems(level, 15):
        equation = problem.metadata["equation"]
        if problem.metadata["kind"] == "parameter":
            k = sympy.Symbol(problem.metadata["parameter"])
            x = sympy_solution(equation.replace(f"{k}x", f"{k} x"))
            assert sympy.simplify(x - latex2sympy(problem.answer["latex"])) == 0, equation
            for value, expected in problem.metadata["samples"].items():  # substitution agrees too
                assert x.subs(k, int(value)) == sympy.Rational(expected)
        else:
            gold = Fraction(problem.answer["value"])
            assert sympy_solution(equation) == sympy.Rational(gold.numerator, gold.denominator), equation
            left, right = ([Fraction(v) for v in problem.metadata[side]] for side in ("left", "right"))
            assert solve((left[0], left[1]), (right[0], right[1])) == gold
            if problem.metadata["kind"] != "word":
                assert equation in problem.prompt


def test_levels_change_the_kind_of_equation() -> None:
    kinds = {level: {p.metadata["kind"] for p in problems(level, 80)} for level in LEVELS}
    assert kinds == {
        "easy": {"two_step"},
        "medium": {"both_sides", "brackets"},
        "hard": {"brackets", "fractions"},
        "expert": {"fractions", "parameter", "word"},
    }
    assert all(p.answer["kind"] == "integer" for level in ("easy", "medium") for p in problems(level))
    hard = problems("hard", 80)
    assert any(p.answer["kind"] == "rational" for p in hard)
    assert any("\\frac" in p.metadata["equation"] for p in hard)
    expert = problems("expert", 80)
    assert any(p.answer["kind"] == "expression" for p in expert)
    assert any("math/algebra/word_problem" in p.tags for p in expert)


def test_prompt_states_the_answer_form() -> None:
    for level in LEVELS:
        for problem in problems(level, 10):
            assert TEMPLATE.answer_format.instruction in problem.prompt
            if problem.metadata["kind"] == "parameter":
                assert "expression in" in problem.prompt
            elif problem.metadata["kind"] != "word":
                assert "lowest terms" in problem.prompt


def test_deterministic_and_seeds_differ() -> None:
    a = [p.to_json() for p in problems("expert", 30, seed=3)]
    assert a == [p.to_json() for p in problems("expert", 30, seed=3)]
    assert not set(a) & {p.to_json() for p in problems("expert", 30, seed=4)}


def test_config_errors_say_what_to_change() -> None:
    with pytest.raises(ConfigError, match="kinds"):
        TEMPLATE.config("easy", kinds=("quartic",))
    with pytest.raises(ConfigError, match="rational_solutions"):
        TEMPLATE.config("easy", kinds=("fractions",), rational_solutions=False)
    custom = TEMPLATE.generate(0, 0, difficulty="easy", kinds=("word",))
    assert custom.metadata["kind"] == "word"


# ----------------------------------------------------------------------------------- verification


@pytest.fixture(scope="module")
def fraction_problem() -> Problem:
    return next(p for p in problems("hard", 200) if p.answer["kind"] == "rational" and Fraction(p.answer["value"]).denominator in (2, 4, 5))


def test_reference_scores_one_after_round_trip() -> None:
    for level in LEVELS:
        PROBE.assert_references_score_one(level, 3)


def test_equivalent_forms_accepted(fraction_problem: Problem) -> None:
    value = Fraction(fraction_problem.answer["value"])
    n, d = value.numerator, value.denominator
    decimal = str(n / d)  # exact: d divides 10
    for form in (f"{n}/{d}", f"\\frac{{{n}}}{{{d}}}", decimal, f"x = {n}/{d}"):
        assert score(fraction_problem, f"So \\boxed{{{form}}}") == (1, "ok"), form


def test_near_misses_and_hacks_rejected(fraction_problem: Problem) -> None:
    value = Fraction(fraction_problem.answer["value"])
    n, d = value.numerator, value.denominator
    for response in (
        f"\\boxed{{{-n}/{d}}}",  # sign lost
        f"\\boxed{{{d}/{n}}}",  # upside down
        f"\\boxed{{{n + 1}/{d}}}",
        f"\\boxed{{{n}/{d}}} or \\boxed{{{n + 1}/{d}}}",
        f"\\boxed{{{n}/{d} \\text{{ or }} {n + 1}/{d}}}",
        f"The answer is {n}/{d}.",
    ):
        assert score(fraction_problem, response)[0] == 0, response


def test_parameter_answers_compared_symbolically() -> None:
    problem = next(p for p in problems("expert", 100) if p.metadata["kind"] == "parameter")
    k = sympy.Symbol(problem.metadata["parameter"])
    gold = latex2sympy(problem.answer["latex"])
    assert score(problem, f"\\boxed{{{sympy.latex(sympy.together(gold))}}}") == (1, "ok")
    assert score(problem, f"\\boxed{{{sympy.latex(gold + 1)}}}")[0] == 0
    assert score(problem, f"\\boxed{{{sympy.latex(gold.subs(k, 2 * k))}}}")[0] == 0
