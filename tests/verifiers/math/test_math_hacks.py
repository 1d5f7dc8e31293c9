"""Reward hacks on math answers: hedges, gold in the text, near misses, junk and other answers."""

from __future__ import annotations

from fractions import Fraction

import pytest

from tests.verifiers.math.math_cases import score
from vrgym.verifiers.math import check_math_answer, render_gold
from vrgym.verifiers.math import gold as G


@pytest.mark.parametrize(
    "answer",
    [r"7 \text{ or } 8", "7 or 8", "6,7,8", "7, 8", "7; 8", r"\pm 7", "±7", r"7 \lor 8", "7 and 8", r"7 \text{ (or maybe 8)}"],
)
def test_a_hedged_box_scores_zero_for_one_value(answer: str) -> None:
    verdict = check_math_answer(G.integer(7), answer)
    assert verdict.reward == 0
    assert verdict.reason in ("hack:multiple_answers", "format", "wrong_answer")


def test_hedges_are_named_as_such() -> None:
    assert check_math_answer(G.integer(7), r"7 \text{ or } 8").reason == "hack:multiple_answers"
    assert check_math_answer(G.expression(r"\sqrt{2}"), r"\sqrt{2}, -\sqrt{2}").reason == "hack:multiple_answers"
    both = G.set([G.expression(r"\sqrt{2}"), G.expression(r"-\sqrt{2}")])  # ± in a gold is a set of two values
    assert check_math_answer(both, r"\sqrt{2}, -\sqrt{2}").reward == 1


@pytest.mark.parametrize(
    "response",
    [
        "The answer is 7, not 8. \\boxed{8}",
        "7 is tempting but \\boxed{6}",
        "\\boxed{7} \\boxed{8}",
        "\\boxed{7} and after more thought \\boxed{8}",
        "\\boxed{\\text{7}} or \\boxed{8}",
        "\\boxed{}",
        "\\boxed{7",
        "<think>\\boxed{7}",
    ],
)
def test_the_gold_elsewhere_in_the_response_earns_nothing(response: str) -> None:
    assert score(G.integer(7), response)[0] == 0


@pytest.mark.parametrize(
    ("gold", "answer"),
    [
        (G.integer(40362), "40361"),
        (G.integer(5), "500"),
        (G.integer(5), "0.05"),
        (G.interval("[2,5)"), "[2,5]"),
        (G.expression(r"\pi"), "3.14"),
        (G.expression(r"3\times10^{-20}"), r"4\times10^{-20}"),
        (G.rational(Fraction(1, 2**100)), r"\frac{1}{2^{99}}"),
        (G.integer(10000), "10001"),
        (G.rational(Fraction(7, 2)), "3.50001"),
        (G.expression(r"\sqrt[3]{2}"), r"\sqrt{2}"),
    ],
)
def test_near_misses_that_lenient_graders_accept(gold: dict, answer: str) -> None:
    assert check_math_answer(gold, answer).reward == 0


JUNK = ["", " ", "\x00" * 100, "\udcff\udcfe", "🙂" * 1000, "{" * 5000, "}" * 5000, "\\" * 3000, "$$", "\\boxed{",
        "NaN", "inf", "None", "null", "[]", "{}", "0/0", "1/0", r"\frac{1}{0}", "x" * 10_000_000, "9" * 1_000_000]

GOLDS = [
    G.integer(7), G.rational(Fraction(-3, 4)), G.decimal("2.50", 2), G.percent(12), G.expression(r"2\sqrt{3}"),
    G.expression("x^{2}+1", ["x"], "expanded"), G.interval(r"(-\infty, 2]"), G.set([G.integer(1), G.integer(2)]),
    G.tuple([G.integer(1), G.integer(2)]), G.matrix([[G.integer(1)]]), G.equation("y = x"),
    G.quantity(G.integer(3), "m"), G.choice("A", ["A", "B"]), G.text("odd"),
]


@pytest.mark.parametrize("junk", JUNK, ids=range(len(JUNK)))
def test_junk_scores_zero_and_never_raises(junk: str) -> None:
    for gold in GOLDS:
        verdict = check_math_answer(gold, junk)
        assert verdict.reward == 0 and verdict.reason != "verifier_error", (gold["kind"], verdict)


def test_other_golds_answers_score_zero() -> None:
    for gold in GOLDS:
        for other in GOLDS:
            if other is not gold:
                verdict = check_math_answer(gold, render_gold(other))
                assert verdict.reward == 0, (gold, other)
                assert verdict.reason != "verifier_error"


def test_a_non_string_answer_or_a_bad_gold_is_a_verdict() -> None:
    assert check_math_answer(G.integer(7), 7).reason == "format"  # type: ignore[arg-type]
    assert check_math_answer({"kind": "nonsense"}, "7").reason == "verifier_error"
    assert check_math_answer("7", "7").reason == "verifier_error"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("gold", "answer"),
    [
        (G.integer(0), "lorem ipsum 0 dolor sit amet"),
        (G.integer(0), r"x \cdot 0"),
        (G.rational(Fraction(0)), r"0 \cdot y"),
        (G.expression(r"x^{2}", variables=["x"]), r"x \cdot x + 0 \cdot y"),
    ],
)
def test_words_multiplied_by_zero_do_not_vanish(gold: dict, answer: str) -> None:
    """sympy evaluates `lorem·…·0` to 0; the unknowns the answer wrote still count against it."""
    verdict = check_math_answer(gold, answer)
    assert verdict.reward == 0, verdict
    assert "contains" in verdict.detail
