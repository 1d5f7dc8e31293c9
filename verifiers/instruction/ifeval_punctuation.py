"""IFEval's `punctuation:no_comma`: the response contains no ASCII comma at all.

Strict IFEval semantics: only `,` (U+002C) counts, so a full-width `，` or an Arabic `،` is not a
comma here; nothing else is measured (the hack-check layer rejects "." as an answer).
"""

from __future__ import annotations

from typing import ClassVar

from vrgym.verifiers.instruction.base import ORDER_FORM, Constraint, ConstraintCheck
from vrgym.verifiers.instruction.draft import ResponseDraft


def _drop_commas(text: str) -> str:
    return text.replace(", ", " ").replace(",", "")


class NoComma(Constraint):
    """`punctuation:no_comma` — no `,` anywhere in the response."""

    kind: ClassVar[str] = "punctuation:no_comma"
    family: ClassVar[str] = "punctuation"
    ifeval = True
    realise_order = ORDER_FORM

    def evaluate(self, response: str) -> ConstraintCheck:
        count = response.count(",")
        return ConstraintCheck(count == 0, f"{count} commas; required none")

    def describe(self) -> list[str]:
        return [
            "In your entire response, refrain from the use of any commas.",
            "Do not use a single comma anywhere in your answer.",
            "Write the whole reply without commas.",
            "Avoid commas completely in your response.",
        ]

    def clashes_with(self, other: Constraint) -> bool:
        # Text the response must reproduce verbatim cannot lose its commas.
        fixed = [str(v) for k, v in other.params.model_dump().items() if k in {"end_phrase", "prompt_to_repeat", "postscript_marker"}]
        return any("," in value for value in fixed)

    def realise(self, draft: ResponseDraft) -> None:
        if _drop_commas not in draft.text_filters:
            draft.text_filters.append(_drop_commas)
