"""Cases the template engineers reported against the math checker, one group per report.

* Limit: a scalar gold of `\\infty` / `-\\infty` (infinity used to be read only inside intervals);
* Polynomial: "factor completely over the integers" must refuse a common factor left inside a
  factor, `(2x - 2)(x + 3)` for `2(x - 1)(x + 3)`;
* Quadratic and friends: a solution set written as `x = 3 \\text{ or } x = -2` lists every solution
  and scores; one value more or less, or the same words for a single-value gold, do not.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from vrgym.verifiers.math import check_math_answer, render_gold
from vrgym.verifiers.math import gold as G
from vrgym.verifiers.math.compare import FastLeaves, compare
from vrgym.verifiers.math.structure import set_elements

INFINITY, MINUS_INFINITY = G.expression(r"\infty"), G.expression(r"-\infty")

# ------------------------------------------------------------------------------------------- infinity


@pytest.mark.parametrize("answer", [r"\infty", r"+\infty", "∞", "+∞", r"\displaystyle\infty", r"{\infty}", "$\\infty$",
                                    r"\text{infinity}", "Infinity", r"L = \infty", r"+ \infty"])
def test_plus_infinity_is_accepted_in_every_spelling(answer: str) -> None:
    verdict = check_math_answer(INFINITY, answer)
    assert verdict.reward == 1, (answer, verdict)


@pytest.mark.parametrize("answer", [r"-\infty", "-∞", "−∞", r"- \infty", "-infinity", r"L = -\infty"])
def test_minus_infinity_is_accepted_in_every_spelling(answer: str) -> None:
    verdict = check_math_answer(MINUS_INFINITY, answer)
    assert verdict.reward == 1, (answer, verdict)


@pytest.mark.parametrize(
    ("gold", "answer", "reason"),
    [
        (INFINITY, r"-\infty", "wrong_answer"),
        (INFINITY, "-∞", "wrong_answer"),
        (MINUS_INFINITY, r"\infty", "wrong_answer"),
        (MINUS_INFINITY, "∞", "wrong_answer"),
        (INFINITY, r"\pm\infty", "hack:multiple_answers"),
        (INFINITY, r"\infty \text{ or } -\infty", "hack:multiple_answers"),
        (INFINITY, "0", "wrong_answer"),
        (INFINITY, "10^{100}", "wrong_answer"),
        (INFINITY, r"\frac{1}{0}", "wrong_answer"),
        (INFINITY, r"2\infty", "wrong_answer"),
        (INFINITY, r"\text{undefined}", "wrong_answer"),
        (INFINITY, r"\text{DNE}", "wrong_answer"),
        (G.integer(5), r"\infty", "wrong_answer"),
        (G.rational(Fraction(1, 2)), r"-\infty", "wrong_answer"),
        (G.expression(r"e^{2}"), r"\infty", "wrong_answer"),
    ],
)
def test_infinity_of_the_wrong_sign_or_a_finite_value_scores_zero(gold: dict, answer: str, reason: str) -> None:
    verdict = check_math_answer(gold, answer)
    assert (verdict.reward, verdict.reason) == (0, reason), (render_gold(gold), answer, verdict)


@pytest.mark.parametrize("answer", [r"\infty", r"-\infty", "∞", r"\frac{1}{0}", "7", r"\sqrt{2}"])
def test_an_infinite_gold_is_settled_without_a_worker(answer: str) -> None:
    """Infinity needs no sympy: the fast leaves decide (NeedsWorker would be raised otherwise)."""
    for gold in (INFINITY, MINUS_INFINITY):
        assert compare(gold, answer, FastLeaves()).reason in ("ok", "wrong_answer")


def test_infinity_inside_sets_and_intervals_still_works() -> None:
    both = G.set([INFINITY, MINUS_INFINITY])
    assert check_math_answer(both, r"\{\infty, -\infty\}").reward == 1
    assert check_math_answer(both, r"\{\infty\}").reward == 0
    assert check_math_answer(G.interval(r"(-\infty, 3]"), r"(-\infty, 3]").reward == 1
    assert check_math_answer(G.interval(r"(-\infty, 3]"), r"(\infty, 3]").reward == 0


# ----------------------------------------------------------------------------- factored over integers

COMMON = G.expression("2(x - 1)(x + 3)", variables=["x"], form="factored")


@pytest.mark.parametrize("answer", ["2(x - 1)(x + 3)", "-2(1 - x)(x + 3)", r"(x+3)\cdot 2(x-1)", "2(x+3)(x-1)",
                                    r"2 \cdot (x - 1) \cdot (x + 3)", "(-2)(1-x)(x+3)"])
def test_the_common_factor_in_front_is_a_complete_factorisation(answer: str) -> None:
    verdict = check_math_answer(COMMON, answer)
    assert verdict.reward == 1, (answer, verdict)


@pytest.mark.parametrize("answer", ["(2x - 2)(x + 3)", "(x - 1)(2x + 6)", "(x+3)(2x-2)", "(2 - 2x)(-x - 3)",
                                    "2(x^2 + 2x - 3)", "2x^2 + 4x - 6"])
def test_a_common_factor_left_inside_a_factor_is_not_complete(answer: str) -> None:
    verdict = check_math_answer(COMMON, answer)
    assert (verdict.reward, verdict.reason) == (0, "format"), (answer, verdict)


@pytest.mark.parametrize(
    ("gold", "accepted", "refused"),
    [
        (G.expression("4(x + 1)^{2}", ["x"], "factored"), ["4(x+1)^2", "4(-x-1)^2"], ["(2x+2)^2", "2(x+1)(2x+2)"]),
        (G.expression("3(x - 2y)(x + y)", ["x", "y"], "factored"), ["3(x-2y)(x+y)", "-3(2y-x)(x+y)"], ["(3x-6y)(x+y)"]),
        (G.expression("2x(x - 3)", ["x"], "factored"), ["2x(x-3)", r"x \cdot 2(x-3)"], ["x(2x-6)", "2x^2-6x"]),
        (G.expression("(2x - 1)(2x + 1)", ["x"], "factored"), ["(2x+1)(2x-1)", "(1-2x)(-1-2x)"], ["4(x-\\frac{1}{2})(x+\\frac{1}{2})"]),
    ],
)
def test_every_factor_of_an_integer_factorisation_is_primitive(gold: dict, accepted: list[str], refused: list[str]) -> None:
    for answer in accepted:
        assert check_math_answer(gold, answer).reward == 1, (answer, check_math_answer(gold, answer))
    for answer in refused:
        assert check_math_answer(gold, answer).reason == "format", answer


def test_a_gold_with_fractional_factors_keeps_the_rational_rule() -> None:
    """A dataset gold `(x - ½)(x + ½)` is a factorisation over ℚ; the integer rule would refuse the gold itself."""
    gold = G.expression(r"(x-\frac{1}{2})(x+\frac{1}{2})", ["x"], "factored")
    for answer in (render_gold(gold), "(x-1/2)(x+1/2)", r"\frac{1}{4}(2x-1)(2x+1)"):
        assert check_math_answer(gold, answer).reward == 1, answer
    assert check_math_answer(gold, r"x^2-\frac{1}{4}").reason == "format"


# ----------------------------------------------------------------------------------- solution lists

ROOTS = G.set([G.integer(-2), G.integer(3)])


@pytest.mark.parametrize(
    "answer",
    [r"x = 3 \text{ or } x = -2", "x = 3 or x = -2", r"x=-2 \text{ or } x=3", "x=-2, x=3", "x_1 = -2, x_2 = 3",
     r"x_{1} = 3 \text{ and } x_{2} = -2", r"x = -2 \text{ and } x = 3", r"x = -2, \text{ or } x = 3", r"x = 3 \lor x = -2",
     r"x = 3 \quad \text{or} \quad x = -2", "-2 or 3", "3 and -2", r"\{-2, 3\}"],
)
def test_a_solution_set_may_be_written_as_or_between_equations(answer: str) -> None:
    verdict = check_math_answer(ROOTS, answer)
    assert verdict.reward == 1, (answer, verdict)


@pytest.mark.parametrize(
    "answer",
    ["x = 3 or x = -2 or x = 5", "x = 3", r"x = 3 \text{ or } x = 3", "x = -2 or y = 3", "x=-2, y=3", "x = 3 or x = 2",
     "x = 3 or", r"\{x = 3 \text{ or } x = -2\}"],
)
def test_a_solution_list_must_be_exactly_the_set(answer: str) -> None:
    assert check_math_answer(ROOTS, answer).reward == 0, answer


@pytest.mark.parametrize("gold", [G.integer(3), G.integer(-2), G.expression(r"\sqrt{2}")])
def test_or_between_equations_is_still_a_hedge_for_one_value(gold: dict) -> None:
    verdict = check_math_answer(gold, f"x = {render_gold(gold)} \\text{{ or }} x = 5")
    assert (verdict.reward, verdict.reason) == (0, "hack:multiple_answers")


def test_solution_lists_with_closed_forms_and_words_inside_braces() -> None:
    pair = G.set([G.expression(r"1+\sqrt{2}"), G.expression(r"1-\sqrt{2}")])
    assert check_math_answer(pair, r"x = 1 + \sqrt{2} \text{ or } x = 1 - \sqrt{2}").reward == 1
    assert check_math_answer(pair, r"x = 1 + \sqrt{2} \text{ or } x = 1 + \sqrt{2}").reward == 0
    # connectives split only outside brackets; words like "order" or a \text{... and ...} stay whole
    assert set_elements(r"\text{red and blue}, \text{order}") == [r"\text{red and blue}", r"\text{order}"]
    lines = G.set([G.equation("x = 1"), G.equation("y = 2")])  # different unknowns are fine for equations
    assert check_math_answer(lines, "x = 1 or y = 2").reward == 1
