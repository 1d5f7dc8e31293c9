"""Geometry: golds re-derived with sympy (or by substituting points into lines), levels, forms, hacks."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp
from latex2sympy2_extended import latex2sympy

from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math._geometry_exact import linear_latex, pi_latex, simplify_sqrt, slope_intercept_latex, surd_latex
from vrgym.tasks.math.geometry import Geometry, GeometryConfig
from tests.tasks.math_helpers import TemplateProbe

PROBE = TemplateProbe("Geometry")
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, score = PROBE.problems, PROBE.score
x, y = sp.symbols("x y")


def value(gold: dict) -> sp.Expr:
    if gold["kind"] in ("integer", "rational"):
        return sp.Rational(gold["value"])
    assert gold["kind"] == "expression", gold
    return latex2sympy(gold["latex"])


def line(gold: dict) -> sp.Expr:
    """The gold equation as `lhs - rhs` (zero exactly on the line)."""
    lhs, rhs = gold["latex"].split("=")
    return sp.expand(latex2sympy(lhs) - latex2sympy(rhs))


def on_line(expr: sp.Expr, point: tuple) -> bool:
    return sp.simplify(expr.subs({x: sp.Rational(point[0]), y: sp.Rational(point[1])})) == 0


def expected(problem: Problem) -> sp.Expr | None:
    """The answer recomputed with sympy from the givens; None for kinds checked by substitution."""
    m, kind, R = problem.metadata, problem.metadata["kind"], sp.Rational
    if kind == "rectangle":
        return 2 * (m["w"] + m["h"]) if m["given"] == "area" else R(m["w"] * m["h"])
    if kind == "triangle_area":
        return R(m["b"] * m["h"], 2)
    if kind == "pythagoras":
        return sp.sqrt(sum(v**2 for v in m["legs"])) if "legs" in m else sp.sqrt(m["hypotenuse"] ** 2 - m["leg"] ** 2)
    if kind == "distance":
        return sp.sqrt(sum((a - b) ** 2 for a, b in zip(m["p"], m["q"])))
    if kind == "slope":
        return R(m["q"][1] - m["p"][1], m["q"][0] - m["p"][0])
    if kind == "hypotenuse_radical":
        return sp.sqrt(m["a"] ** 2 + m["b"] ** 2)
    if kind == "circle":
        r = R(m["r"])
        return sp.pi * r**2 if m["what"] == "area" else 2 * sp.pi * r
    if kind == "shoelace":
        return sp.Polygon(*[sp.Point(*p) for p in m["points"]]).area.__abs__()
    if kind == "equilateral":
        tri = sp.Triangle(sp.Point(0, 0), sp.Point(m["s"], 0), sp.Point(R(m["s"], 2), sp.sqrt(3) * m["s"] / 2))
        return abs(tri.area) if m["what"] == "area" else tri.altitudes[tri.vertices[2]].length
    if kind == "inscribed":
        if m["shape"] == "square_in_circle":
            side = sp.sqrt(2) * m["r"]
            return side**2
        return sp.pi * (R(m["s"], 2)) ** 2
    if kind == "heron":
        a, b, c = m["sides"]
        return abs(sp.Triangle(sss=(a, b, c)).area)
    if kind == "point_line_distance":
        a, b, c = m["line"]
        return sp.Line(a * x + b * y - c).distance(sp.Point(*m["point"]))
    if kind == "shaded":
        return m["s"] ** 2 - sp.pi * R(m["s"], 2) ** 2
    if kind == "circumcircle":
        a, b = m["legs"]
        return sp.Triangle(sp.Point(0, 0), sp.Point(a, 0), sp.Point(0, b)).circumcircle.area
    if kind == "incircle":
        a, b = m["legs"]
        return sp.Triangle(sp.Point(0, 0), sp.Point(a, 0), sp.Point(0, b)).incircle.area
    if kind == "sector":
        frac = R(m["angle"], 360)
        return frac * sp.pi * m["r"] ** 2 if m["what"] == "area of the sector" else frac * 2 * sp.pi * m["r"]
    if kind == "chord":
        circle, chord_line = sp.Circle(sp.Point(0, 0), m["r"]), sp.Line(sp.Point(m["d"], 0), sp.Point(m["d"], 1))
        p, q = circle.intersection(chord_line)
        return p.distance(q)
    return None


# ------------------------------------------------------------------------------------- generation


@pytest.mark.parametrize("level", LEVELS)
def test_gold_equals_sympy_or_satisfies_the_givens(level: str) -> None:
    for problem in problems(level, 30):
        m, kind, gold = problem.metadata, problem.metadata["kind"], problem.answer
        if kind == "midpoint":
            assert [sp.Rational(item["value"]) for item in gold["items"]] == list(sp.Point(*m["p"]).midpoint(sp.Point(*m["q"])).args)
        elif kind == "line_through":
            eq = line(gold)
            assert on_line(eq, m["p"]) and on_line(eq, m["q"]) and gold["latex"].startswith("y = ")
        elif kind == "perpendicular_bisector":
            eq = line(gold)
            bisector = sp.Segment(sp.Point(*m["p"]), sp.Point(*m["q"])).perpendicular_bisector()
            assert bisector.equals(sp.Line(eq))
        elif kind == "tangent_line":
            eq = line(gold)
            circle = sp.Circle(sp.Point(*m["centre"]), sp.sqrt(m["r2"]))
            assert on_line(eq, m["point"]) and circle.is_tangent(sp.Line(eq))
        else:
            assert sp.simplify(value(gold) - expected(problem)) == 0, (m, gold)


def test_exact_latex_helpers() -> None:
    assert simplify_sqrt(50) == (5, 2) and simplify_sqrt(72) == (6, 2) and simplify_sqrt(7) == (1, 7)
    assert surd_latex(Fraction(3, 4), 3) == "\\frac{3\\sqrt{3}}{4}" and surd_latex(Fraction(1), 2) == "\\sqrt{2}"
    assert surd_latex(Fraction(-7, 2), 1) == "-\\frac{7}{2}"
    assert pi_latex(Fraction(16), Fraction(-4)) == "16 - 4\\pi" and pi_latex(Fraction(0), Fraction(49, 4)) == "\\frac{49\\pi}{4}"
    assert linear_latex(Fraction(-2), Fraction(4), Fraction(6)) == "x - 2y = -3"
    assert slope_intercept_latex(Fraction(-1, 2), Fraction(3)) == "y = -\\frac{1}{2}x + 3"


def test_every_kind_is_made_and_levels_differ_in_kind() -> None:
    seen = {level: {p.metadata["kind"] for p in problems(level, 150)} for level in LEVELS}
    for level in LEVELS:
        assert seen[level] == set(TEMPLATE.config(level).kinds), level
    assert set().union(*seen.values()) == set(GeometryConfig.KINDS) == set(Geometry.makers)
    kinds_by_level = {level: {p.answer["kind"] for p in problems(level, 150)} for level in LEVELS}
    assert kinds_by_level["easy"] <= {"integer", "rational", "tuple"}
    assert "expression" in kinds_by_level["medium"] and "equation" in kinds_by_level["expert"]


def test_prompts_state_the_form_and_config_errors() -> None:
    for problem in problems("expert", 30):
        assert "exact" in problem.prompt or "equation" in problem.prompt
        assert TEMPLATE.answer_format.instruction in problem.prompt
    assert [p.to_json() for p in problems("hard", 15, 2)] == [p.to_json() for p in problems("hard", 15, 2)]
    with pytest.raises(ConfigError):
        TEMPLATE.config("hard", kinds=("circles",))


# ------------------------------------------------------------------------------------- verification


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    PROBE.assert_references_score_one(level, 12)


def _find(level: str, kind: str, **overrides: object) -> Problem:
    return next(TEMPLATE.problems(1, 0, difficulty=level, kinds=(kind,), **overrides))


def test_equivalent_forms_accepted_and_wrong_values_rejected() -> None:
    shaded = _find("expert", "shaded")  # s² - π s²/4
    s = shaded.metadata["s"]
    area, quarter = s * s, s * s // 4
    assert score(shaded, f"\\boxed{{{area} - {quarter}\\pi}}") == (1, "ok")
    assert score(shaded, f"\\boxed{{-{quarter}\\pi + {area}}}") == (1, "ok")
    assert score(shaded, f"\\boxed{{{quarter}(4 - \\pi)}}") == (1, "ok")
    assert score(shaded, f"\\boxed{{{area} - {quarter + 1}\\pi}}")[0] == 0
    assert score(shaded, f"\\boxed{{{float(area - quarter * sp.pi):.4f}}}")[0] == 0  # decimals are not exact

    line_problem = _find("medium", "line_through")
    gold = line_problem.answer["latex"]
    lhs, rhs = gold.split("=")
    assert score(line_problem, f"\\boxed{{{rhs.strip()} = {lhs.strip()}}}") == (1, "ok")  # either orientation
    assert score(line_problem, f"\\boxed{{{gold} + 1}}")[0] == 0

    midpoint = _find("easy", "midpoint")
    mx, my = (item["value"] for item in midpoint.answer["items"])
    assert score(midpoint, f"\\boxed{{({mx}, {my})}}") == (1, "ok")
    assert score(midpoint, f"\\boxed{{({my}, {mx})}}")[0] == 0 or mx == my
    assert score(midpoint, f"\\boxed{{({mx}, {my})}} or \\boxed{{(0, 0)}}") == (0, "hack:multiple_answers")


def test_unsimplified_and_approximate_radicals() -> None:
    problem = _find("medium", "hypotenuse_radical")
    a, b = problem.metadata["a"], problem.metadata["b"]
    assert score(problem, f"\\boxed{{\\sqrt{{{a * a + b * b}}}}}")[0] == 1  # the same number, written unsimplified
    assert score(problem, f"\\boxed{{\\sqrt{{{a * a + b * b + 1}}}}}")[0] == 0
    assert score(problem, f"\\boxed{{{float(sp.sqrt(a * a + b * b)):.3f}}}")[0] == 0
