"""MathTemplate: checking by the typed gold, the worked reference response, the answer instructions."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from vrgym.config import TemplateConfig
from vrgym.tasks.math._math_template import MathTemplate
from vrgym.template import Draft
from vrgym.verifiers.math import gold as G


class HalfSum(MathTemplate):
    """A toy (unregistered): half the sum of two integers, as an exact rational."""

    name = "HalfSumToy"
    tags = ("math/toy",)

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        a, b = rng.randint(1, 50), rng.randint(1, 50)
        value = Fraction(a + b, 2)
        steps = [f"{a} + {b} = {a + b}.", f"Half of it is {value}."]
        prompt = f"What is ({a} + {b}) / 2? {self.answer_instruction('rational')} {self.answer_format.instruction}"
        return Draft(prompt=prompt, answer=G.rational(value), metadata={"solution": steps})


TOY = HalfSum()


def test_reference_responses_score_one_and_show_the_steps() -> None:
    for index in range(30):
        problem = TOY.generate(0, index)
        response = TOY.reference_response(problem)
        assert TOY.verify(problem, response).reward == 1
        assert response.splitlines()[0].endswith(".") and "\\boxed{" in response.splitlines()[-1]


def test_wrong_hedged_and_missing_answers_score_zero() -> None:
    problem = TOY.generate(0, 1)
    value = Fraction(problem.answer["value"])
    assert TOY.verify(problem, f"\\boxed{{{value + 1}}}").reason == "wrong_answer"
    assert TOY.verify(problem, f"\\boxed{{{value}, {value + 1}}}").reason == "hack:multiple_answers"
    assert TOY.verify(problem, f"The answer is {value}.").reason == "no_answer"
    assert TOY.verify(problem, f"\\boxed{{{float(value)}}}").reward == 1


def test_answer_instructions() -> None:
    assert "interval" in MathTemplate.answer_instruction("interval")
    assert "2 decimal places" in MathTemplate.answer_instruction(G.decimal("1.50", 2))
    assert "km" in MathTemplate.answer_instruction(G.quantity(G.integer(3), "km"))
    assert "(A, B)" in MathTemplate.answer_instruction(G.choice("A", ["A", "B"]))
    assert "expanded" in MathTemplate.answer_instruction(G.expression("x^{2}", ["x"], "expanded"))
    with pytest.raises(ValueError, match="unknown gold kind"):
        MathTemplate.answer_instruction("vector")
