"""IFEval's `startend:*` kinds: a fixed end phrase, and the whole response wrapped in double quotes.

Strict IFEval semantics: `end_checker` strips the response, strips double quotes from both ends,
lower-cases, and requires it to end with the lower-cased phrase; `quotation` requires the stripped
response to be longer than one character and to start and end with `"`.
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from pydantic import Field

from vrgym.verifiers.instruction.base import ORDER_STRUCTURE, ORDER_WRAP, Constraint, ConstraintCheck, Params
from vrgym.verifiers.instruction.draft import ResponseDraft

END_PHRASES: tuple[str, ...] = (
    "Any other questions?",
    "Is there anything else I can help with?",
    "Let me know if you have additional questions.",
    "Hope this helps.",
    "That is all for now.",
    "Thanks for reading.",
    "Looking forward to hearing from you.",
    "Let me know what you think.",
)


class EndParams(Params):
    end_phrase: str = Field(min_length=1, max_length=300, description="Exact phrase the response must end with.")


class EndChecker(Constraint):
    """`startend:end_checker` — the response ends with the exact phrase (case-insensitive, outer quotes ignored)."""

    kind: ClassVar[str] = "startend:end_checker"
    family: ClassVar[str] = "startend"
    Params = EndParams
    ifeval = True
    realise_order = ORDER_STRUCTURE
    conflicts: ClassVar[frozenset[str]] = frozenset({"language:response_language", "detectable_format:json_format", "detectable_format:constrained_response", "combination:*"})

    def evaluate(self, response: str) -> ConstraintCheck:
        value = response.strip().strip('"').lower()
        phrase = self.params.end_phrase.strip().lower()
        ok = value.endswith(phrase)
        return ConstraintCheck(ok, f"response ends with {value[-len(phrase) - 10:]!r}; required {phrase!r}")

    def describe(self) -> list[str]:
        p = self.params.end_phrase
        return [
            f"Finish your response with this exact phrase {p}. No other words should follow this phrase.",
            f"End your reply with the exact words \"{p}\" and nothing after them.",
            f"The last words of your answer must be: {p}",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"end_phrase": rng.choice(END_PHRASES)}

    def realise(self, draft: ResponseDraft) -> None:
        draft.end_phrase = self.params.end_phrase.strip()


def _quote(text: str) -> str:
    return f'"{text.strip()}"'


class Quotation(Constraint):
    """`startend:quotation` — the whole response is wrapped in double quotation marks."""

    kind: ClassVar[str] = "startend:quotation"
    family: ClassVar[str] = "startend"
    ifeval = True
    realise_order = ORDER_WRAP + 5
    conflicts: ClassVar[frozenset[str]] = frozenset({"detectable_format:title", "detectable_format:json_format", "detectable_format:constrained_response", "combination:*"})

    def evaluate(self, response: str) -> ConstraintCheck:
        value = response.strip()
        ok = len(value) > 1 and value[0] == '"' and value[-1] == '"'
        return ConstraintCheck(ok, "wrapped in double quotes" if ok else "response does not start and end with a double quote")

    def describe(self) -> list[str]:
        return [
            "Wrap your entire response with double quotation marks.",
            "Put the whole answer inside double quotes.",
            "Your complete reply must begin and end with a double quotation mark.",
        ]

    def realise(self, draft: ResponseDraft) -> None:
        if _quote not in draft.wrappers:
            draft.wrappers.append(_quote)
