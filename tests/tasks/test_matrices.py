"""Matrices: every gold re-derived with sympy matrices from the givens, levels, forms and hacks."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp
from latex2sympy2_extended import latex2sympy

from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math.matrices import Matrices, MatricesConfig, determinant, echelon, inverse, multiply
from tests.tasks.math_helpers import TemplateProbe

PROBE = TemplateProbe("Matrices")
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, score = PROBE.problems, PROBE.score
k = sp.Symbol("k")


def mat(rows: list[list[str]]) -> sp.Matrix:
    return sp.Matrix([[sp.Rational(v) for v in row] for row in rows])


def number(gold: dict) -> sp.Rational:
    assert gold["kind"] in ("integer", "rational"), gold
    return sp.Rational(gold["value"])


def expected(problem: Problem) -> object:
    """The answer recomputed with sympy, in the shape of the gold (number, Matrix, list, set, expression)."""
    m, kind = problem.metadata, problem.metadata["kind"]
    a = mat(m["a"]) if "a" in m else None
    if kind in ("det2", "det3", "det4"):
        return a.det()
    if kind in ("product2", "product_rect"):
        return a * mat(m["b"])
    if kind == "combination":
        return m["s"] * a + m["t"] * mat(m["b"])
    if kind in ("inverse2", "inverse3"):
        return a.inv()
    if kind == "rank":
        return a.rank()
    if kind == "solve":
        return list(a.LUsolve(sp.Matrix([sp.Rational(v) for v in m["b"]])))
    if kind == "det_param":
        i, j = m["position"]
        a[i, j] = k
        return sp.expand(a.det())
    if kind == "eigenvalues":
        return set(sp.roots(sp.Poly((a - k * sp.eye(a.rows)).det(), k)).keys())
    if kind == "power":
        return a ** m["n"]
    if kind == "det_rules":
        n = m["n"]
        return sp.Rational(m["c"]) ** n * sp.Rational(m["det_b"], m["det_a"])
    raise AssertionError(kind)


def gold_value(problem: Problem) -> object:
    gold = problem.answer
    if gold["kind"] == "matrix":
        return sp.Matrix([[number(e) for e in row] for row in gold["rows"]])
    if gold["kind"] == "tuple":
        return [number(e) for e in gold["items"]]
    if gold["kind"] == "set":
        return {number(e) for e in gold["items"]}
    if gold["kind"] == "expression":
        parsed = latex2sympy(gold["latex"])  # its k may carry other assumptions: match it by name
        return sp.expand(parsed.subs({s: k for s in parsed.free_symbols if s.name == "k"}))
    return number(gold)


# ------------------------------------------------------------------------------------- generation


@pytest.mark.parametrize("level", LEVELS)
def test_gold_equals_sympy(level: str) -> None:
    for problem in problems(level, 40):
        got, want = gold_value(problem), expected(problem)
        if problem.metadata["kind"] == "det_param":  # compare expressions by their difference
            assert sp.simplify(got - want) == 0, (problem.metadata, problem.answer)
        else:
            assert got == want, (problem.metadata, problem.answer)


def test_exact_linear_algebra_helpers() -> None:
    a = [[Fraction(v) for v in row] for row in ([2, 1, 0], [1, 3, 1], [0, 1, 4])]
    assert determinant(a) == sp.Matrix(a).det() == 18
    assert multiply(a, inverse(a)) == [[Fraction(int(i == j)) for j in range(3)] for i in range(3)]
    singular = [[Fraction(1), Fraction(2)], [Fraction(2), Fraction(4)]]
    assert echelon(singular)[1] == 1 and determinant(singular) == 0
    with pytest.raises(ValueError, match="singular"):
        inverse(singular)


def test_every_kind_is_made_and_levels_differ_in_kind() -> None:
    seen = {level: {p.metadata["kind"] for p in problems(level, 120)} for level in LEVELS}
    for level in LEVELS:
        assert seen[level] == set(TEMPLATE.config(level).kinds), level
    assert set().union(*seen.values()) == set(MatricesConfig.KINDS) == set(Matrices.makers)
    inverses = [p for p in problems("medium", 120) if p.metadata["kind"] == "inverse2"]
    assert any(any(e["kind"] == "rational" for row in p.answer["rows"] for e in row) for p in inverses)


def test_prompts_state_the_form_and_config_errors() -> None:
    for problem in problems("hard", 20):
        assert TEMPLATE.answer_format.instruction in problem.prompt
    product = next(TEMPLATE.problems(1, 0, difficulty="easy", kinds=("product2",)))
    assert "pmatrix" in product.prompt and "\\\\" in product.prompt
    assert [p.to_json() for p in problems("expert", 15, 2)] == [p.to_json() for p in problems("expert", 15, 2)]
    for bad in (dict(kinds=("trace",)), dict(entry=1)):
        with pytest.raises(ConfigError):
            TEMPLATE.config("hard", **bad)


# ------------------------------------------------------------------------------------- verification


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    PROBE.assert_references_score_one(level, 12)


def test_equivalent_forms_and_wrong_answers() -> None:
    det = next(TEMPLATE.problems(1, 0, difficulty="expert", kinds=("det_rules",)))
    value = Fraction(det.answer["value"])
    assert score(det, f"\\boxed{{{value.numerator}/{value.denominator}}}") == (1, "ok")
    assert score(det, f"\\boxed{{{value + 1}}}")[0] == 0

    eig = next(TEMPLATE.problems(1, 0, difficulty="expert", kinds=("eigenvalues",)))
    values = [int(item["value"]) for item in eig.answer["items"]]
    assert score(eig, "\\boxed{\\{" + ", ".join(map(str, reversed(values))) + "\\}}") == (1, "ok")  # any order
    assert score(eig, "\\boxed{\\{" + ", ".join(map(str, values[:-1])) + "\\}}")[0] == 0  # one missing
    assert score(eig, "\\boxed{\\{" + ", ".join(map(str, values + [99])) + "\\}}")[0] == 0  # one extra

    param = next(TEMPLATE.problems(1, 0, difficulty="hard", kinds=("det_param",)))
    expr = latex2sympy(param.answer["latex"])
    assert score(param, f"\\boxed{{{sp.latex(sp.expand(expr + 0))}}}") == (1, "ok")
    assert score(param, f"\\boxed{{{sp.latex(expr + 1)}}}")[0] == 0

    system = next(TEMPLATE.problems(1, 0, difficulty="hard", kinds=("solve",)))
    xs = [item["value"] for item in system.answer["items"]]
    assert score(system, f"\\boxed{{({', '.join(xs)})}}") == (1, "ok")
    assert score(system, f"\\boxed{{({', '.join(reversed(xs))})}}")[0] == 0 or xs == xs[::-1]


def test_matrix_answers() -> None:
    problem = next(TEMPLATE.problems(1, 0, difficulty="easy", kinds=("product2",)))
    rows = [[e["value"] for e in row] for row in problem.answer["rows"]]
    right = "\\begin{pmatrix} " + " \\\\ ".join(" & ".join(r) for r in rows) + " \\end{pmatrix}"
    assert score(problem, f"\\boxed{{{right}}}") == (1, "ok")
    transposed = "\\begin{pmatrix} " + " \\\\ ".join(" & ".join(r) for r in zip(*rows)) + " \\end{pmatrix}"
    assert score(problem, f"\\boxed{{{transposed}}}")[0] == 0 or rows == [list(r) for r in zip(*rows)]
    assert score(problem, f"\\boxed{{{right}}} or \\boxed{{{transposed}}}")[0] == 0
