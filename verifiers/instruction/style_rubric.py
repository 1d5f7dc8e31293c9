"""The K2 rubric's prescriptive style rules as constraint kinds a template can attach to any prompt.

`style:no_opening_praise` ("Do not open by praising the question") and
`style:no_self_justification` ("Do not explain why your answer is good") state in the prompt
what the hack-check layer enforces anyway, so a policy is told the rule it is scored on. The
checkers are the hack-check's own detectors (`hack_style`), so the constraint and the layer can
never disagree. Neither rule constrains content, so both combine with every other kind; their
`realise` only bans offending sentences, and runs first (content order) so that every sentence a
later constraint adds is already filtered.
"""

from __future__ import annotations

from typing import ClassVar

from vrgym.verifiers.instruction.base import ORDER_CONTENT, Constraint, ConstraintCheck
from vrgym.verifiers.instruction.draft import ResponseDraft
from vrgym.verifiers.instruction.hack_style import find_opening_praise, find_self_justification


def _praises(text: str) -> bool:
    return find_opening_praise(text) is not None


def _justifies(text: str) -> bool:
    return find_self_justification(text) is not None


class NoOpeningPraise(Constraint):
    """`style:no_opening_praise` — the response must not open by praising the request."""

    kind: ClassVar[str] = "style:no_opening_praise"
    family: ClassVar[str] = "style"
    realise_order: ClassVar[int] = ORDER_CONTENT

    def evaluate(self, response: str) -> ConstraintCheck:
        finding = find_opening_praise(response)
        if finding is None:
            return ConstraintCheck(True, "no opening praise of the request")
        return ConstraintCheck(False, f"{finding.detail}; required: start with the answer itself")

    def describe(self) -> list[str]:
        return [
            'Do not open with praise of the question (no "Great question!" or similar); start directly with the answer.',
            "Skip any compliments about the request and begin with the substance.",
            "Your first sentence must not praise the prompt or the topic; get straight to the point.",
            'Avoid flattering openers such as "What a fascinating topic"; open with the content itself.',
        ]

    def realise(self, draft: ResponseDraft) -> None:
        draft.ban(_praises)


class NoSelfJustification(Constraint):
    """`style:no_self_justification` — the response must not grade or justify itself."""

    kind: ClassVar[str] = "style:no_self_justification"
    family: ClassVar[str] = "style"
    realise_order: ClassVar[int] = ORDER_CONTENT

    def evaluate(self, response: str) -> ConstraintCheck:
        finding = find_self_justification(response)
        if finding is None:
            return ConstraintCheck(True, "the response does not grade or justify itself")
        return ConstraintCheck(False, f"{finding.detail}; required: no commentary on the answer's own quality")

    def describe(self) -> list[str]:
        return [
            "Do not comment on the quality of your own answer (no \"this response is comprehensive\" or \"I hope this meets your needs\").",
            "Let the answer speak for itself: do not explain why it is good.",
            "Leave out any self-assessment of your response.",
            "Do not add remarks that justify or praise your own answer.",
        ]

    def realise(self, draft: ResponseDraft) -> None:
        draft.ban(_justifies)
