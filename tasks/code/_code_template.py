"""`CodeTemplate`: the base class of code templates, whose answer is a `CodeSpec` of hidden tests.

A subclass implements only `build`, returning `Draft(prompt, answer=CodeSpec(...).model_dump(mode=
"json"), metadata={"solution": <reference code>, ...})`. Checking, the reference response and the
answer-format sentence come from here, so every code template is verified by the same sandboxed,
compare-outside rules (`vrgym.verifiers.code.check_code`) and asks for its answer the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from vrgym.problem import Problem
from vrgym.template import Template
from vrgym.verdict import VERIFIER_ERROR, Verdict
from vrgym.verifiers.extraction import AnswerFormat


class CodeTemplate(Template):
    """A code template: one fenced ```python block as the answer, checked by running hidden tests."""

    domain: ClassVar[str] = "code"
    answer_format: ClassVar[AnswerFormat] = AnswerFormat.CODE

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        """Run the extracted program on the problem's hidden tests in the sandbox; compare outside."""
        from vrgym.verifiers.code import CodeSpec, check_code

        try:
            spec = CodeSpec.model_validate(problem.answer)
        except ValueError as exc:  # a corrupted problem file, not the model's fault
            return Verdict.fail(VERIFIER_ERROR, f"the problem's answer is not a valid CodeSpec: {exc}")
        return check_code(answer, spec)

    def reference_response(self, problem: Problem) -> str:
        """The reference solution (`metadata["solution"]`, source text) in the answer format."""
        solution = problem.metadata.get("solution")
        if not isinstance(solution, str) or not solution.strip():
            raise ValueError(f"{self.name}: problem {problem.id} has no metadata['solution'] (the reference code)")
        return f"Here is my solution.\n\n{self.answer_format.wrap(solution.strip())}\n"

    def warm_up(self) -> None:
        """Start the shared sandbox executor now, so its start-up is not billed to the first check."""
        from vrgym.sandbox import default_executor

        default_executor()

    @staticmethod
    def render_prompt(
        statement: str,
        *,
        signature: str | None = None,
        examples: Sequence[str] = (),
        notes: Sequence[str] = (),
        instruction: str | None = None,
    ) -> str:
        """A code prompt: statement, the signature to implement, visible examples, notes, answer format.

        Why one helper: every code template states the same things in the same order, and the
        answer-format sentence (which the contract checks for) is never forgotten.
        """
        parts: list[str] = [statement.strip()]
        if signature:
            parts.append(f"Implement this function (Python 3, standard library only):\n\n    {signature.strip()}")
        if examples:
            parts.append("Examples:\n" + "\n".join(f"    {example}" for example in examples))
        parts.extend(note.strip() for note in notes if note.strip())
        parts.append(instruction or AnswerFormat.CODE.instruction)
        return "\n\n".join(parts)
