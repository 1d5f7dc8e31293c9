"""FractionsPercent: golds re-derived from the numbers in the prompt, answer kinds per question, forms and hacks."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
import sympy
from latex2sympy2_extended import latex2sympy

from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math.fractions_percent import plain
from tests.tasks.math_helpers import TemplateProbe

PROBE = TemplateProbe("FractionsPercent", n=80)
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, score, first_where = PROBE.problems, PROBE.score, PROBE.first
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def numbers(problem: Problem) -> list[Fraction]:
    return [Fraction(n) for n in NUMBER.findall(problem.prompt.split("\n\n")[0])]


def rederive(problem: Problem) -> Fraction:
    """The answer worked out again from the prompt's own numbers (independent of the generator)."""
    kind, n = problem.metadata["kind"], numbers(problem)
    if kind in ("fraction_sum", "fraction_product", "complex_fraction"):
        latex = problem.prompt.split("$$")[1]
        latex = re.sub(r"(\d+)\\frac", r"(\1+\\frac", latex)  # mixed number 2\frac{1}{3} → (2+\frac{1}{3})
        if "(" in latex:
            latex = re.sub(r"(\(\d+\+\\frac\{\d+\}\{\d+\})", r"\1)", latex)
        value = sympy.nsimplify(sympy.simplify(latex2sympy(latex)))
        return Fraction(int(value.p), int(value.q))
    if kind == "percent_of":
        return n[0] / 100 * n[1]
    if kind == "to_decimal":
        return Fraction(int(n[0]), int(n[1]))
    if kind == "percent_change":
        return abs(n[1] - n[0]) / n[0] * 100
    if kind == "express_percent":
        return n[1] / n[0] * 100
    if kind == "ratio_split":
        total, parts = n[0], [Fraction(p) for p in re.search(r"ratio ([\d:]+)", problem.prompt).group(1).split(":")]
        pick = max(parts) if "largest" in problem.prompt else min(parts)
        return total * pick / sum(parts)
    if kind == "reverse_percent":
        rate = n[0] / 100 if "rise" in problem.prompt else None
        if rate is not None:
            return n[1] / (1 + rate)
        return n[0] / (1 - n[1] / 100)
    if kind == "successive_percent":
        up_first = problem.prompt.index("raised") < problem.prompt.index("lowered")
        f1 = 1 + n[0] / 100 if up_first else 1 - n[0] / 100
        f2 = 1 - n[1] / 100 if up_first else 1 + n[1] / 100
        return abs(f1 * f2 - 1) * 100
    if kind == "ratio_combine":
        return (n[0] / n[1]) * (n[2] / n[3])
    if kind == "recipe":
        return n[1] / n[0] * n[2]
    if kind == "compound_growth":
        factor = 1 - n[1] / 100 if "loses" in problem.prompt else 1 + n[1] / 100
        return n[0] * factor ** int(n[2])
    if kind == "ratio_change":
        a, b, added, c, d = n[:5]
        found = [b * m for m in range(1, 200) if (a * m + added) * d == c * b * m]  # brute force over the multiplier
        assert len(found) == 1
        return found[0]
    raise AssertionError(kind)


@pytest.mark.parametrize("level", LEVELS)
def test_gold_rederived_from_the_prompt(level: str) -> None:
    for problem in problems(level, 40):
        value = rederive(problem)
        assert Fraction(problem.metadata["exact"]) == value, problem.prompt
        answer = problem.answer
        if answer["kind"] == "decimal":
            assert abs(Fraction(answer["value"]) - value) <= Fraction(1, 2 * 10 ** answer["places"])
            assert f"{answer['places']} decimal places" in problem.prompt
        elif answer["kind"] == "percent":
            assert Fraction(answer["value"]) == value and "percentage" in problem.prompt
        else:
            assert Fraction(answer["value"]) == value


def test_levels_change_the_kind_of_problem() -> None:
    kinds = {level: {p.metadata["kind"] for p in problems(level, 120)} for level in LEVELS}
    assert kinds == {
        "easy": {"fraction_sum", "percent_of", "to_decimal"},
        "medium": {"fraction_product", "percent_change", "express_percent", "ratio_split"},
        "hard": {"reverse_percent", "successive_percent", "ratio_combine", "recipe"},
        "expert": {"compound_growth", "complex_fraction", "ratio_change", "successive_percent"},
    }
    answer_kinds = {p.answer["kind"] for level in LEVELS for p in problems(level, 60)}
    assert answer_kinds == {"integer", "rational", "decimal", "percent"}


def test_plain_numbers() -> None:
    assert [plain(Fraction(v)) for v in ("12", "25/2", "-3/4", "7/3", "1/8")] == ["12", "12.5", "-0.75", "7/3", "0.125"]


def test_prompt_and_config() -> None:
    for problem in problems("hard", 10):
        assert TEMPLATE.answer_format.instruction in problem.prompt and "Give the" in problem.prompt
    with pytest.raises(ConfigError, match="kinds"):
        TEMPLATE.config("easy", kinds=("long_division",))
    assert [p.to_json() for p in problems("expert", 20, 9)] == [p.to_json() for p in problems("expert", 20, 9)]


def test_reference_scores_one_after_round_trip() -> None:
    for level in LEVELS:
        PROBE.assert_references_score_one(level, 4)


def first(level: str, kind: str) -> Problem:
    return first_where(level, lambda p: p.metadata["kind"] == kind, n=200)


def test_percent_forms() -> None:
    problem = first("medium", "percent_change")
    value = problem.answer["value"]
    shown = plain(Fraction(value))
    for ok in (f"{shown}\\%", f"{shown}%", shown):
        assert score(problem, f"\\boxed{{{ok}}}") == (1, "ok"), ok
    for bad in (plain(Fraction(value) / 100), f"{plain(Fraction(value) + 1)}\\%", f"-{shown}\\%"):
        assert score(problem, f"\\boxed{{{bad}}}")[0] == 0, bad


def test_rounding_forms() -> None:
    problem = first("expert", "compound_growth")
    value = problem.answer["value"]
    assert score(problem, f"\\boxed{{{value}}}") == (1, "ok")
    assert score(problem, f"\\boxed{{{Fraction(value) + Fraction(1, 100)}}}")[0] == 0  # one cent off
    assert score(problem, f"\\boxed{{{value[:-1]}}}")[0] == 0  # rounded to one place only


def test_fraction_forms_and_hacks() -> None:
    problem = first("easy", "fraction_sum")
    value = Fraction(problem.answer["value"])
    n, d = value.numerator, value.denominator
    for ok in (f"{n}/{d}", f"\\frac{{{n}}}{{{d}}}", f"\\frac{{{2 * n}}}{{{2 * d}}}"):
        assert score(problem, f"\\boxed{{{ok}}}") == (1, "ok"), ok
    for bad in (f"{n + 1}/{d}", f"{d}/{n}", f"{float(value):.2f}" if d % 3 == 0 or d % 7 == 0 else f"{n}/{d + 1}"):
        assert score(problem, f"\\boxed{{{bad}}}")[0] == 0, bad
    assert score(problem, f"\\boxed{{{n}/{d}}} \\boxed{{{n + 1}/{d}}}")[0] == 0
    assert score(problem, f"The answer is {n}/{d}")[0] == 0
