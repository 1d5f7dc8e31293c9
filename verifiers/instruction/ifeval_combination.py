"""IFEval's `combination:*` kinds: two different responses, and repeating the prompt first.

Strict IFEval semantics: `two_responses` splits on `******`; empty parts are allowed only at the
very start or end, exactly two non-empty parts must remain and they must differ (after strip);
`repeat_prompt` requires the stripped, lower-cased response to start with the lower-cased
request. That the repetition is followed by a real answer, and that the two responses differ by
more than punctuation, are hack-check rules.
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from pydantic import Field

from vrgym.verifiers.instruction.base import ORDER_STRUCTURE, ORDER_WRAP, Constraint, ConstraintCheck, Params
from vrgym.verifiers.instruction.draft import ResponseDraft

REQUESTS_TO_REPEAT: tuple[str, ...] = (
    "Write a short note explaining the plan for next week.",
    "Describe a simple way to stay organised at work.",
    "Give advice to someone starting a new hobby.",
    "Explain why regular exercise matters.",
    "Summarise the benefits of reading every day.",
)
"""Generic requests for `sample()`; composers normally set `prompt_to_repeat` to the base task."""


class TwoResponses(Constraint):
    """`combination:two_responses` — two different responses separated by six asterisks."""

    kind: ClassVar[str] = "combination:two_responses"
    family: ClassVar[str] = "combination"
    ifeval = True
    realise_order = ORDER_STRUCTURE + 8
    only_with: ClassVar[frozenset[str] | None] = frozenset({
        "keywords:forbidden_words", "keywords:existence", "language:response_language",
        "detectable_format:title", "punctuation:no_comma",
    })

    def evaluate(self, response: str) -> ConstraintCheck:
        parts = response.split("******")
        valid = []
        for index, part in enumerate(parts):
            if not part.strip():
                if index not in (0, len(parts) - 1):
                    return ConstraintCheck(False, "an empty response sits between two ****** separators")
            else:
                valid.append(part)
        if len(valid) != 2:
            return ConstraintCheck(False, f"{len(valid)} responses separated by ******; required exactly 2")
        if valid[0].strip() == valid[1].strip():
            return ConstraintCheck(False, "the two responses are identical")
        return ConstraintCheck(True, "two different responses")

    def describe(self) -> list[str]:
        return [
            "Give two different responses. Responses and only responses should be separated by 6 asterisk symbols: ******.",
            "Write two distinct versions of your answer, separated by a line of six asterisks (******).",
            "Provide two alternative replies; put ****** between them and nowhere else.",
        ]

    def realise(self, draft: ResponseDraft) -> None:
        draft.make_second_response()


class RepeatParams(Params):
    prompt_to_repeat: str = Field(min_length=1, max_length=5000, description="The request to repeat word for word first.")


class RepeatPrompt(Constraint):
    """`combination:repeat_prompt` — the response begins with the request, repeated word for word."""

    kind: ClassVar[str] = "combination:repeat_prompt"
    family: ClassVar[str] = "combination"
    Params = RepeatParams
    ifeval = True
    realise_order = ORDER_WRAP
    only_with: ClassVar[frozenset[str] | None] = frozenset({"keywords:existence", "detectable_format:title", "punctuation:no_comma"})

    def evaluate(self, response: str) -> ConstraintCheck:
        ok = response.strip().lower().startswith(self.params.prompt_to_repeat.strip().lower())
        return ConstraintCheck(ok, "starts with the repeated request" if ok else "does not start with the request repeated word for word")

    def describe(self) -> list[str]:
        p = self.params.prompt_to_repeat
        return [
            f"First repeat the request word for word without change, then give your answer (1. do not say any words or characters before repeating the request; 2. the request you need to repeat does not include this sentence)\n{p}",
            f"Begin by restating the following request exactly as written, then answer it:\n{p}",
            f"Copy this request verbatim as the first line of your reply, then respond to it:\n{p}",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"prompt_to_repeat": rng.choice(REQUESTS_TO_REPEAT)}

    def realise(self, draft: ResponseDraft) -> None:
        prompt = self.params.prompt_to_repeat.strip()
        if prompt not in draft.prefix_lines:
            draft.prefix_lines.insert(0, prompt)
