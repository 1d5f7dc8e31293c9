"""SequenceSeries: every value re-derived with sympy (summation, solve, rsolve, matrix powers)."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from vrgym.errors import ConfigError
from vrgym.tasks.math.sequence_series import KINDS
from tests.tasks.math_helpers import TemplateProbe

PROBE = TemplateProbe("SequenceSeries")
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, first, score = PROBE.problems, PROBE.first, PROBE.score
k, n_ = sympy.symbols("k n", integer=True)


def R(value: object) -> sympy.Rational:
    return sympy.Rational(str(value))


def rederive(family: str, q: dict) -> sympy.Rational:
    """The asked value from the drawn parameters, by sympy and without the template's iteration."""
    if family in ("arithmetic_term", "arithmetic_sum"):
        term = R(q["a1"]) + (k - 1) * R(q["d"])
        return term.subs(k, q["n"]) if family == "arithmetic_term" else sympy.summation(term, (k, 1, q["n"]))
    if family in ("geometric_term", "geometric_sum_integer", "geometric_sum_fraction"):
        term = R(q["a1"]) * R(q["r"]) ** (k - 1)
        return term.subs(k, q["n"]) if family == "geometric_term" else sympy.summation(term, (k, 1, q["n"]))
    if family in ("arithmetic_from_two_terms", "arithmetic_sum_from_two_terms"):
        a1, d = sympy.symbols("a1 d")
        solution = sympy.solve([a1 + (q["p"] - 1) * d - R(q["ap"]), a1 + (q["q"] - 1) * d - R(q["aq"])], [a1, d])
        term = solution[a1] + (k - 1) * solution[d]
        return term.subs(k, q["n"]) if family == "arithmetic_from_two_terms" else sympy.summation(term, (k, 1, q["n"]))
    if family == "geometric_from_two_terms":
        r = sympy.Symbol("r", positive=True)
        (ratio,) = sympy.solve(r ** (q["q"] - q["p"]) - R(q["aq"]) / R(q["ap"]), r)
        return R(q["aq"]) * ratio ** (q["n"] - q["q"])
    if family == "affine_recurrence":
        a = sympy.Function("a")
        closed = sympy.rsolve(a(n_ + 1) - q["p"] * a(n_) - q["q"], a(n_), {a(1): q["a1"]})
        return sympy.nsimplify(closed.subs(n_, q["n"]))
    if family == "linear_recurrence":
        step = sympy.Matrix([[q["p"], q["q"]], [1, 0]])
        return (step ** (q["n"] - 2) * sympy.Matrix([q["a2"], q["a1"]]))[0]
    if family == "infinite_geometric":
        return sympy.summation(R(q["a"]) * R(q["r"]) ** k, (k, q["m"], sympy.oo))
    if family in ("telescoping_finite", "telescoping_infinite"):
        top = sympy.oo if q["n"] is None else q["n"]
        return sympy.summation(q["c"] / (k * (k + q["d"])), (k, 1, top))
    raise AssertionError(f"no re-derivation for {family}")


def test_levels_kinds_and_tags() -> None:
    assert LEVELS == ["easy", "medium", "hard", "expert"]
    for level in LEVELS:
        batch = problems(level, 80)
        assert {p.metadata["kind"] for p in batch} == set(TEMPLATE.config(level).kinds)
        assert all("math/algebra/sequence_series" in p.tags for p in batch)
        assert len({p.prompt for p in batch}) > 0.85 * len(batch), level
    assert set().union(*(TEMPLATE.config(level).kinds for level in LEVELS)) == set(KINDS)


@pytest.mark.parametrize("level", LEVELS)
def test_gold_rederived_with_sympy(level: str) -> None:
    for problem in problems(level, 40):
        expected = rederive(problem.metadata["family"], problem.metadata["parameters"])
        assert Fraction(str(sympy.nsimplify(expected))) == Fraction(problem.answer["value"]), (problem.prompt, expected)


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    PROBE.assert_references_score_one(level, 8, seed=5)


def test_exact_spellings_accepted_and_near_misses_refused() -> None:
    problem = first("expert", lambda p: Fraction(p.answer["value"]).denominator in (2, 4, 5, 8))
    value = Fraction(problem.answer["value"])
    n, d = value.numerator, value.denominator
    for response in (f"\\boxed{{{n}/{d}}}", f"\\boxed{{\\frac{{{n}}}{{{d}}}}}", f"\\boxed{{{float(value)}}}"):
        assert score(problem, response) == (1, "ok"), response
    assert score(problem, f"\\boxed{{{n + 1}/{d}}}") == (0, "wrong_answer")
    third = first("expert", lambda p: Fraction(p.answer["value"]).denominator % 3 == 0)
    assert score(third, f"\\boxed{{{float(Fraction(third.answer['value'])):.5f}}}") == (0, "wrong_answer")
    # the classic off-by-one: a_n = a_1 + n d instead of a_1 + (n - 1) d
    term = first("easy", lambda p: p.metadata["family"] == "arithmetic_term")
    q = term.metadata["parameters"]
    assert score(term, f"\\boxed{{{q['a1'] + q['n'] * q['d']}}}") == (0, "wrong_answer")


def test_hacks_score_zero() -> None:
    problem = problems("hard", 1)[0]
    gold = problem.answer["value"]
    assert score(problem, f"\\boxed{{{gold}}} or \\boxed{{{int(Fraction(gold)) + 1}}}") == (0, "hack:multiple_answers")
    assert score(problem, f"a_n = {gold}") == (0, "no_answer")
    assert score(problem, f"\\boxed{{{gold}, {int(Fraction(gold)) + 1}}}")[0] == 0


def test_prompt_and_config() -> None:
    for level in LEVELS:
        p = problems(level, 1)[0]
        assert "lowest terms" in p.prompt and p.prompt.endswith(TEMPLATE.answer_format.instruction)
    assert [p.to_json() for p in problems("medium", 20, 7)] == [p.to_json() for p in problems("medium", 20, 7)]
    for bad in (dict(kinds=()), dict(kinds=("fibonacci",)), dict(kinds=("telescoping", "telescoping")), dict(max_index=3)):
        with pytest.raises(ConfigError):
            TEMPLATE.config("easy", **bad)
