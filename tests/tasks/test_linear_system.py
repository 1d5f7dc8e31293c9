"""LinearSystem: golds substituted back into the shown equations (sympy), non-singularity, tuple forms and hacks."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from latex2sympy2_extended import latex2sympy

from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math.linear_system import determinant, solve
from tests.tasks.math_helpers import TemplateProbe

PROBE = TemplateProbe("LinearSystem")
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, score = PROBE.problems, PROBE.score


def gold_items(problem: Problem) -> list[sympy.Expr]:
    return [latex2sympy(i["latex"]) if i["kind"] == "expression" else sympy.Rational(i["value"]) for i in problem.answer["items"]]


@pytest.mark.parametrize("level", LEVELS)
def test_gold_satisfies_every_shown_equation_and_is_unique(level: str) -> None:
    for problem in problems(level, 8):
        values = gold_items(problem)
        names = sympy.symbols("x y z")[: len(values)]
        matrix = [[Fraction(v) for v in row] for row in problem.metadata["matrix"]]
        assert determinant(matrix) != 0
        for equation in problem.metadata["equations"]:
            left, right = equation.split(" = ")
            difference = latex2sympy(left) - latex2sympy(right)
            assert sympy.simplify(difference.subs(dict(zip(names, values)))) == 0, (equation, values)
        if problem.metadata["kind"] == "word":
            assert all(v.is_integer and v > 0 for v in values)


def test_exact_helpers() -> None:
    f = Fraction
    assert determinant([[f(1), f(2)], [f(3), f(4)]]) == -2
    assert determinant([[f(2), f(0), f(1)], [f(1), f(3), f(2)], [f(1), f(1), f(1)]]) == 2 * 1 - 0 + 1 * (1 - 3)
    assert solve([[f(1), f(1)], [f(1), f(-1)]], [f(3), f(1)]) == [2, 1]
    with pytest.raises(ValueError, match="singular"):
        solve([[f(1), f(2)], [f(2), f(4)]], [f(1), f(2)])


def test_levels_change_the_kind_of_system() -> None:
    kinds = {level: {p.metadata["kind"] for p in problems(level, 60)} for level in LEVELS}
    assert kinds == {
        "easy": {"integer_2x2"},
        "medium": {"rational_2x2", "integer_3x3"},
        "hard": {"rational_3x3", "parameter"},
        "expert": {"rational_3x3", "parameter", "word"},
    }
    assert all(len(p.answer["items"]) == 3 for p in problems("hard", 40) if p.metadata["kind"] == "rational_3x3")
    assert any(i["kind"] == "rational" for p in problems("medium", 40) for i in p.answer["items"])


def test_prompt_and_config() -> None:
    problem = problems("easy", 1)[0]
    assert "ordered tuple $(x, y)$" in problem.prompt and TEMPLATE.answer_format.instruction in problem.prompt
    word = next(p for p in problems("expert", 60) if p.metadata["kind"] == "word")
    assert "ordered pair (" in word.prompt
    with pytest.raises(ConfigError, match="kinds"):
        TEMPLATE.config("easy", kinds=("singular",))
    assert [p.to_json() for p in problems("hard", 10, 1)] == [p.to_json() for p in problems("hard", 10, 1)]


def test_reference_scores_one_after_round_trip() -> None:
    for level in LEVELS:
        PROBE.assert_references_score_one(level, 3)


def test_tuple_forms_order_and_hacks() -> None:
    problem = next(p for p in problems("medium", 60) if p.metadata["kind"] == "rational_2x2")
    x, y = (Fraction(i["value"]) for i in problem.answer["items"])
    tx, ty = (f"\\frac{{{v.numerator}}}{{{v.denominator}}}" if v.denominator > 1 else str(v.numerator) for v in (x, y))
    for ok in (f"({tx}, {ty})", f"x = {tx}, y = {ty}", f"({tx},{ty})"):
        assert score(problem, f"\\boxed{{{ok}}}") == (1, "ok"), ok
    if x != y:
        assert score(problem, f"\\boxed{{({ty}, {tx})}}")[0] == 0  # swapped
    for bad in (f"({tx})", f"({tx}, {ty}, 0)", f"({tx}, {ty}), (1, 2)", f"({tx}, {ty} + 1)"):
        assert score(problem, f"\\boxed{{{bad}}}")[0] == 0, bad
    assert score(problem, f"\\boxed{{({tx}, {ty})}} or \\boxed{{(1, 2)}}")[0] == 0


def test_parameter_tuple_compared_symbolically() -> None:
    problem = next(p for p in problems("hard", 60) if p.metadata["kind"] == "parameter")
    x, y = gold_items(problem)
    assert score(problem, f"\\boxed{{({sympy.latex(sympy.factor(x))}, {sympy.latex(sympy.factor(y))})}}") == (1, "ok")
    assert score(problem, f"\\boxed{{({sympy.latex(x + 1)}, {sympy.latex(y)})}}")[0] == 0
