"""One test per row of the research note's §1.4 table of Math-Verify failure modes (0.9.0).

Each test states the shape, Math-Verify's measured result, and what our checker does instead.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from tests.verifiers.math.math_cases import score
from vrgym.verifiers.math import check_math_answer
from vrgym.verifiers.math import gold as G


@pytest.mark.parametrize(
    "response",
    ["The answer is not 7.", "I tried 3, 5 and 7 but none work", "Step 7: done", "$7$", "Answer: 7"],
)
def test_no_box_fallback_scores_zero(response: str) -> None:
    """Math-Verify falls back to any bare number (FP); we read only the one \\boxed{}."""
    assert score(G.integer(7), response) == (0, "no_answer")


def test_malformed_box_scores_zero_even_with_the_gold_in_the_text() -> None:
    """Math-Verify's any_match falls through to an earlier bare 4 (FP); a malformed box is a format failure."""
    reward, reason = score(G.integer(4), "there are 4 cases, so \\boxed{\\frac{7}{}}")
    assert (reward, reason) == (0, "format")


@pytest.mark.parametrize(
    ("gold", "answer"),
    [
        (G.expression(r"3\times10^{-20}"), r"4\times10^{-20}"),
        (G.rational(Fraction(3, 10**20)), r"4\times10^{-20}"),
        (G.rational(Fraction(1, 2**100)), r"\frac{1}{2^{99}}"),
        (G.expression(r"\frac{1}{2^{100}}"), r"\frac{1}{2^{99}}"),
        (G.expression(r"\frac{1}{2004!}"), r"\frac{1}{2006!}"),
        (G.expression(r"10^{-30}\sqrt{2}"), r"10^{-30}\sqrt{3}"),
    ],
)
def test_tiny_magnitudes_are_compared_relatively(gold: dict, answer: str) -> None:
    """Math-Verify's evalf(chop=True) makes these equal (FP); we compare exactly or relatively."""
    assert check_math_answer(gold, answer).reward == 0
    assert check_math_answer(gold, answer.replace("4", "3").replace("99", "100").replace("2006", "2004").replace("{3}", "{2}")).reward == 1


def test_mathrm_e_is_eulers_number() -> None:
    """Math-Verify truncates `1-\\frac{1}{\\mathrm{e}}` to 1 (FP); we read \\mathrm{e} as e."""
    gold = G.expression(r"1-\frac{1}{e}")
    assert check_math_answer(gold, r"1-\frac{1}{\mathrm{e}}").reward == 1
    assert check_math_answer(gold, r"1-e^{-1}").reward == 1
    assert check_math_answer(gold, "1").reward == 0
    assert check_math_answer(gold, r"1+\frac{1}{\mathrm{e}}").reward == 0
    assert check_math_answer(G.expression(r"1-\frac{1}{\mathrm{e}}"), r"1-\frac{1}{e}").reward == 1


def test_plain_text_golds_cannot_be_misparsed() -> None:
    """`1331 and 1728` kept only 1728, `3x-y+13=0` became 0 (issues #47, #60); typed golds keep everything."""
    both = G.set([G.integer(1331), G.integer(1728)])
    assert check_math_answer(both, "1728").reward == 0
    assert check_math_answer(both, r"\{1331, 1728\}").reward == 1
    line = G.equation("3x-y+13=0")
    assert check_math_answer(line, "3x+4y+14=0").reward == 0
    assert check_math_answer(line, "y = 3x + 13").reward == 1


@pytest.mark.parametrize("answer", [r"4\sqrt(2)", r"\frac{7}{}", r"\sqrt{}", r"2^{", r"\frac12{"])
def test_malformed_latex_is_a_format_failure(answer: str) -> None:
    """`4\\sqrt(2)` equalled 4 (issue #41); malformed LaTeX is never guessed at."""
    verdict = check_math_answer(G.integer(4), answer)
    assert (verdict.reward, verdict.reason) == (0, "format")
    assert check_math_answer(G.expression(r"4\sqrt{2}"), r"4\sqrt(2)").reason == "format"


def test_comma_ambiguity_is_settled_by_the_gold_kind() -> None:
    """Math-Verify reads `1,5` as 1.5 or {1, 5} by context; we read it by the gold's kind."""
    assert check_math_answer(G.set([G.integer(1), G.integer(5)]), "1,5").reward == 1
    assert check_math_answer(G.integer(1234), "1,234").reward == 1
    hedge = check_math_answer(G.rational(Fraction(3, 2)), "1,5")
    assert (hedge.reward, hedge.reason) == (0, "hack:multiple_answers")  # no decimal commas: 1,5 is two values
    assert check_math_answer(G.tuple([G.integer(1), G.integer(5)]), "(1, 5)").reward == 1


def test_repeating_decimals_are_exact() -> None:
    """`0.\\overline{3}` vs 1/3 was a false negative; we read the repeating decimal exactly."""
    assert check_math_answer(G.rational(Fraction(1, 3)), r"0.\overline{3}").reward == 1
    assert check_math_answer(G.rational(Fraction(611, 495)), r"1.2\overline{34}").reward == 1
    assert check_math_answer(G.rational(Fraction(1, 3)), "0.333").reward == 0


def test_currency_gold_and_answers() -> None:
    """`\\$18.90` failed to parse as a gold (FN); typed golds need no parse and `\\$` answers are read."""
    gold = G.decimal("18.90", places=2)
    for answer in (r"\$18.90", "18.90", "18.9", r"\$ 18.90", r"18.90\text{ dollars}"):
        assert check_math_answer(gold, answer).reward == 1, answer
    assert check_math_answer(gold, r"\$18.80").reward == 0


def test_interval_gold_wants_interval_notation() -> None:
    """By design (as Math-Verify): an interval gold is not answered by copying an inequality."""
    gold = G.interval("[-2, 5]")
    assert check_math_answer(gold, "[-2,5]").reward == 1
    verdict = check_math_answer(gold, r"-2\le x\le5")
    assert (verdict.reward, verdict.reason) == (0, "format")


def test_units_are_converted_for_quantity_golds() -> None:
    """5 cm vs 50 mm was False (units stripped); a quantity gold converts with pint."""
    gold = G.quantity(G.decimal("5.0", places=1), unit="cm")
    assert check_math_answer(gold, "50 mm").reward == 1
    assert check_math_answer(gold, r"5.0\text{ cm}").reward == 1
    assert check_math_answer(gold, r"0.05\,\mathrm{m}").reward == 1
    assert check_math_answer(gold, "5.0").reward == 0  # a missing unit
    assert check_math_answer(gold, "5.0 s").reward == 0  # a unit of another dimension
    assert check_math_answer(gold, "5.2 cm").reward == 0


def test_percent_leniency_only_where_the_problem_is_about_percent() -> None:
    """Math-Verify accepts both `5` and `0.05` for 5%; a percent gold accepts 5 but never 0.05."""
    gold = G.percent(5)
    for answer in (r"5\%", "5%", "5", "5 percent", r"5\text{ percent}"):
        assert check_math_answer(gold, answer).reward == 1, answer
    assert check_math_answer(gold, "0.05").reward == 0
    assert check_math_answer(G.integer(5), "0.05").reward == 0
    assert check_math_answer(G.integer(5), "500").reward == 0
