"""`MathTemplate`: the base class of math templates whose answer is a typed gold.

A subclass implements only `build` (returning `Draft(prompt, answer=<gold dict>, metadata=
{"solution": [steps…], …})`); checking and the reference response come from here, so every math
template scores answers by the same rules (`vrgym.verifiers.math.check_math_answer`) and states
the expected answer form with the same sentences (`answer_instruction`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from vrgym.problem import Problem
from vrgym.template import Template
from vrgym.verdict import Verdict
from vrgym.verifiers.extraction import AnswerFormat
from vrgym.verifiers.math import check_math_answer, render_gold, warm_up

_INSTRUCTIONS: dict[str, str] = {
    "integer": "Give the answer as an integer, such as -12.",
    "rational": "Give the exact value as an integer or a fraction in lowest terms, such as \\frac{-7}{3}.",
    "decimal": "Give the answer as a decimal number rounded as stated.",
    "percent": "Give the answer as a percentage, such as 25\\%.",
    "expression": "Give the exact value in simplest form (radicals, \\pi and fractions allowed), such as 2\\sqrt{3}.",
    "interval": "Give the answer in interval notation, such as (-\\infty, 3] \\cup (5, 7).",
    "set": "Give the answer as a set of all solutions, such as \\{-2, 3\\} (write \\emptyset if there are none).",
    "tuple": "Give the answer as an ordered tuple, such as (1, -2).",
    "matrix": "Give the answer as a matrix, such as \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}.",
    "equation": "Give the answer as an equation, such as y = 2x + 1.",
    "quantity": "Give the answer as a number followed by its unit, such as 5.0 cm.",
    "choice": "Give only the letter of the correct option, such as B.",
    "text": "Give the answer as a single word or short phrase.",
}


class MathTemplate(Template):
    """A math template: boxed final answer, typed gold, worked-solution reference response."""

    domain: ClassVar[str] = "math"
    answer_format: ClassVar[AnswerFormat] = AnswerFormat.BOXED
    check_timeout: ClassVar[float] = 2.0
    """Hard wall-clock limit (seconds) on the symbolic part of one check."""

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        """Score the extracted final answer against the typed gold in `problem.answer`."""
        return check_math_answer(problem.answer, answer, timeout=self.check_timeout)  # type: ignore[arg-type]

    def warm_up(self) -> None:
        """Start the math worker processes before anything is timed (see `Template.warm_up`)."""
        warm_up()

    def reference_response(self, problem: Problem) -> str:
        """The worked solution (`metadata["solution"]`, a list of steps) and the boxed gold."""
        steps = problem.metadata.get("solution") or []
        if isinstance(steps, str):
            steps = [steps]
        lines = [str(step) for step in steps]  # type: ignore[union-attr]
        lines.append(f"The final answer is {self.answer_format.wrap(render_gold(problem.answer))}.")  # type: ignore[arg-type]
        return "\n".join(lines)

    @staticmethod
    def answer_instruction(gold_kind_or_example: str | dict[str, Any]) -> str:
        """One sentence telling the model the expected answer form, from a gold kind or a gold dict.

        Given a gold dict, a decimal gold names its number of places and a quantity its unit.
        """
        if isinstance(gold_kind_or_example, dict):
            gold = gold_kind_or_example
            kind = str(gold.get("kind"))
            if kind == "decimal":
                places = int(gold["places"])
                return f"Give the answer as a decimal number rounded to {places} decimal place{'s' if places != 1 else ''}."
            if kind == "quantity":
                return f"Give the answer as a number followed by its unit, such as a value in {gold['unit']}."
            if kind == "choice":
                return f"Give only the letter of the correct option ({', '.join(gold['options'])})."
            if kind == "expression" and gold.get("form") == "expanded":
                return "Give the answer as a fully expanded polynomial, such as x^{2} + 2x + 1."
            if kind == "expression" and gold.get("form") == "factored":
                return "Give the answer fully factored over the rationals, such as (x + 1)^{2}(x - 3)."
        else:
            kind = gold_kind_or_example
        if kind not in _INSTRUCTIONS:
            raise ValueError(f"unknown gold kind {kind!r}; expected one of {', '.join(_INSTRUCTIONS)}")
        return _INSTRUCTIONS[kind]
