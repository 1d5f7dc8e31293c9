"""Inequality: golds checked point by point against the shown inequality (sympy), sign charts, forms and hacks."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
import sympy
from latex2sympy2_extended import latex2sympy

from vrgym.errors import ConfigError
from vrgym.tasks.math.inequality import member, solve_sign
from tests.tasks.math_helpers import TemplateProbe

PROBE = TemplateProbe("Inequality")
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, score = PROBE.problems, PROBE.score
X = sympy.Symbol("x")
RELATION = re.compile(r" (<|\\le|>|\\ge) ")
COMPARE = {"<": lambda a, b: a < b, "\\le": lambda a, b: a <= b, ">": lambda a, b: a > b, "\\ge": lambda a, b: a >= b}
END = re.compile(r"(-?\\frac\{\d+\}\{\d+\}|-?\d+|-\\infty|\\infty)")


def parse_gold(latex: str) -> list[tuple]:
    """Test-side reading of the gold's interval notation (independent of latex_intervals)."""
    pieces = []
    for part in latex.split(" \\cup "):
        low, high = (END.search(side).group(1) for side in part.split(", "))

        def value(text: str):
            if "infty" in text:
                return None
            m = re.fullmatch(r"(-?)\\frac\{(\d+)\}\{(\d+)\}", text)
            return Fraction(int(m.group(2)), int(m.group(3))) * (-1 if m.group(1) else 1) if m else Fraction(text)

        pieces.append((value(low), value(high), part.startswith("["), part.endswith("]")))
    return pieces


def holds(shown: str, x: Fraction) -> bool:
    """Whether the displayed inequality (one or two relations) holds at x, evaluated by sympy; False where undefined."""
    parts = RELATION.split(shown)
    values = []
    for text in parts[0::2]:
        value = latex2sympy(text).subs(X, sympy.Rational(x.numerator, x.denominator))
        if value.has(sympy.zoo, sympy.nan) or not value.is_finite:
            return False
        values.append(value)
    return all(COMPARE[rel](a, b) for rel, a, b in zip(parts[1::2], values, values[1:]))


@pytest.mark.parametrize("level", LEVELS)
def test_gold_agrees_with_the_shown_inequality_at_every_critical_and_probe_point(level: str) -> None:
    for problem in problems(level, 6):
        shown = problem.metadata["inequality"]
        pieces = parse_gold(problem.answer["latex"])
        ends = sorted({e for low, high, *_ in pieces for e in (low, high) if e is not None})
        probes = set(ends) | {e + Fraction(1, 7) for e in ends} | {e - Fraction(1, 7) for e in ends} | {Fraction(-1000), Fraction(1000)}
        sign = problem.metadata["sign_problem"]
        if "zeros" in sign:  # poles and zeros are probed too
            probes |= {Fraction(z) for z in sign["zeros"] + sign["poles"]}
        for x in probes:
            assert member(pieces, x) == holds(shown, x), (shown, problem.answer["latex"], x)


def test_sign_chart_solver() -> None:
    f = Fraction
    assert solve_sign(1, [f(1), f(3)], [], "<=") == [(f(1), f(3), True, True)]
    assert solve_sign(1, [f(1), f(3)], [], ">") == [(None, f(1), False, False), (f(3), None, False, False)]
    assert solve_sign(1, [f(2)], [f(-1)], ">=") == [(None, f(-1), False, False), (f(2), None, True, False)]
    assert solve_sign(1, [f(2), f(2)], [], ">") == [(None, f(2), False, False), (f(2), None, False, False)]
    assert solve_sign(-1, [f(0), f(1), f(2)], [], "<") == [(f(0), f(1), False, False), (f(2), None, False, False)]
    for bad in (([f(2), f(2)], "<"), ([f(2), f(2)], ">=")):  # empty, and all reals
        with pytest.raises(ValueError):
            solve_sign(1, bad[0], [], bad[1])


def test_isolated_point_is_rejected() -> None:
    f = Fraction
    assert solve_sign(1, [f(2), f(2), f(5)], [], "<=") == [(None, f(5), False, True)]
    with pytest.raises(ValueError, match="isolated"):
        solve_sign(1, [f(2), f(2), f(5)], [], ">=")  # {2} ∪ [5, ∞)


def test_levels_change_the_kind_of_inequality() -> None:
    kinds = {level: {p.metadata["kind"] for p in problems(level, 80)} for level in LEVELS}
    assert kinds == {
        "easy": {"linear", "compound"},
        "medium": {"quadratic"},
        "hard": {"rational", "absolute"},
        "expert": {"rational_rearranged", "product", "absolute"},
    }
    shapes = {t for p in problems("medium", 80) for t in p.tags if t.endswith(("union", "bounded"))}
    assert shapes == {"math/algebra/inequality/union", "math/algebra/inequality/bounded"}
    assert any("\\le" in p.prompt or "\\ge" in p.prompt for p in problems("easy", 20))


def test_prompt_and_config() -> None:
    problem = problems("hard", 1)[0]
    assert "interval notation" in problem.prompt and "\\cup" in problem.prompt and "square bracket" in problem.prompt
    assert TEMPLATE.answer_format.instruction in problem.prompt
    with pytest.raises(ConfigError, match="kinds"):
        TEMPLATE.config("easy", kinds=("cubic_spline",))
    assert [p.to_json() for p in problems("expert", 20, 2)] == [p.to_json() for p in problems("expert", 20, 2)]


def test_reference_scores_one_after_round_trip() -> None:
    for level in LEVELS:
        PROBE.assert_references_score_one(level, 3)


def test_forms_near_misses_and_hacks() -> None:
    problem = next(p for p in problems("hard", 100) if " \\cup " in p.answer["latex"] and "[" in p.answer["latex"])
    gold = problem.answer["latex"]
    first, second = gold.split(" \\cup ")
    assert score(problem, f"\\boxed{{{second} \\cup {first}}}") == (1, "ok")  # union in either order
    assert score(problem, f"\\boxed{{{gold.replace(' ', '')}}}") == (1, "ok")
    flipped = gold.replace("[", "(", 1) if "[" in gold else gold.replace("(", "[", 1)
    for bad in (flipped, first, second, f"{first} \\cap {second}"):
        assert score(problem, f"\\boxed{{{bad}}}")[0] == 0, bad
    assert score(problem, f"\\boxed{{{gold}}} or maybe \\boxed{{{first}}}")[0] == 0
    assert score(problem, f"The solution is {gold}.")[0] == 0
