"""Quadratic: solution sets re-derived by sympy from the shown equation, levels, set forms, near misses and hacks."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from latex2sympy2_extended import latex2sympy

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math.quadratic import Quadratic, quadratic_formula, square_free
from tests.tasks.math_helpers import TemplateProbe

PROBE = TemplateProbe("Quadratic")
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, score, first_where = PROBE.problems, PROBE.score, PROBE.first
X = sympy.Symbol("x")


def gold_values(problem: Problem) -> set[sympy.Expr]:
    values = set()
    for item in problem.answer["items"]:
        values.add(latex2sympy(item["latex"]) if item["kind"] == "expression" else sympy.Rational(item["value"]))
    return {sympy.nsimplify(sympy.radsimp(v)) for v in values}


def test_registered_with_levels() -> None:
    assert vrgym.get_template_class("quadratic") is Quadratic
    assert LEVELS == ["easy", "medium", "hard", "expert"]
    assert "math/algebra/quadratic_equation" in TEMPLATE.tags


@pytest.mark.parametrize("level", LEVELS)
def test_gold_is_the_real_solution_set_of_the_shown_equation(level: str) -> None:
    for problem in problems(level, 10):
        left, right = problem.metadata["equation"].split(" = ")
        roots = sympy.solveset(sympy.expand(latex2sympy(left) - latex2sympy(right)), X, domain=sympy.S.Reals)
        assert {sympy.nsimplify(sympy.radsimp(r)) for r in roots} == gold_values(problem), problem.metadata["equation"]
        a, b, c = problem.metadata["coefficients"]
        assert sympy.expand(latex2sympy(left) - latex2sympy(right) - (a * X**2 + b * X + c)) == 0


def test_levels_change_the_kind_of_equation() -> None:
    kinds = {level: {p.metadata["root_kind"] for p in problems(level, 80)} for level in LEVELS}
    assert kinds["easy"] == {"integer"}
    assert kinds["medium"] == {"integer", "rational", "double"}
    assert kinds["hard"] == {"rational", "irrational", "none", "double"}
    assert kinds["expert"] == {"integer", "rational", "irrational", "none", "double"}
    assert all(p.metadata["coefficients"][0] == 1 for p in problems("easy"))
    assert all(p.metadata["form"] == "standard" for p in problems("hard"))
    assert all(p.metadata["form"] != "standard" for p in problems("expert"))
    sizes = {len(p.answer["items"]) for p in problems("hard", 80)}
    assert sizes == {0, 1, 2}


def test_surd_helpers() -> None:
    assert square_free(72) == (6, 2) and square_free(7) == (1, 7)
    surd = quadratic_formula(2, -2, -1)  # roots (1 ± √3)/2
    assert (surd.m, surd.s, surd.r, surd.d) == (1, 1, 3, 2)
    assert surd.latex(1) == "\\frac{1 + \\sqrt{3}}{2}"
    assert quadratic_formula(1, -2, -2).latex(-1) == "1 - \\sqrt{3}"


def test_prompt_states_the_answer_form() -> None:
    problem = problems("hard", 1)[0]
    assert "\\{-2, 3\\}" in problem.prompt and "\\emptyset" in problem.prompt and "each listed once" in problem.prompt
    assert TEMPLATE.answer_format.instruction in problem.prompt


def test_deterministic_and_config_errors() -> None:
    assert [p.to_json() for p in problems("expert", 20, 5)] == [p.to_json() for p in problems("expert", 20, 5)]
    with pytest.raises(ConfigError, match="max_leading"):
        TEMPLATE.config("easy", kinds=("rational",))
    with pytest.raises(ConfigError, match="kinds"):
        TEMPLATE.config("easy", kinds=())


def first(level: str, kind: str) -> Problem:
    return first_where(level, lambda p: p.metadata["root_kind"] == kind, n=200)


def test_reference_scores_one_after_round_trip() -> None:
    for level in LEVELS:
        PROBE.assert_references_score_one(level, 3)


def test_set_forms_and_near_misses() -> None:
    problem = first("medium", "rational")
    small, large = (Fraction(item["value"]) for item in problem.answer["items"])
    s, l = (f"\\frac{{{v.numerator}}}{{{v.denominator}}}" if v.denominator > 1 else str(v.numerator) for v in (small, large))
    for ok in (f"\\{{{l}, {s}\\}}", f"\\{{{s}, {l}\\}}", f"{l}, {s}"):
        assert score(problem, f"\\boxed{{{ok}}}") == (1, "ok"), ok
    for bad in (f"\\{{{s}\\}}", f"\\{{{s}, {l}, 0\\}}", f"\\{{{s}, -{l}\\}}" if large else f"\\{{{s}, 1\\}}", "\\emptyset"):
        assert score(problem, f"\\boxed{{{bad}}}")[0] == 0, bad
    assert score(problem, f"\\boxed{{\\{{{s}, {l}\\}}}} or \\boxed{{\\{{{s}\\}}}}")[0] == 0


def test_empty_set_and_irrational_roots() -> None:
    empty = first("hard", "none")
    for ok in ("\\emptyset", "\\varnothing", "\\{\\}"):
        assert score(empty, f"\\boxed{{{ok}}}") == (1, "ok"), ok
    assert score(empty, "\\boxed{\\{0\\}}")[0] == 0
    irrational = first("hard", "irrational")
    a, b, c = irrational.metadata["coefficients"]
    root = f"\\frac{{{-b} \\pm \\sqrt{{{b * b - 4 * a * c}}}}}{{{2 * a}}}"  # unsimplified formula, both roots
    plus, minus = root.replace("\\pm", "+"), root.replace("\\pm", "-")
    assert score(irrational, f"\\boxed{{\\{{{plus}, {minus}\\}}}}") == (1, "ok")
    assert score(irrational, f"\\boxed{{\\{{{plus}\\}}}}")[0] == 0
    double = first("medium", "double")
    value = double.answer["items"][0]["value"]
    assert score(double, f"\\boxed{{\\{{{value}\\}}}}") == (1, "ok")
