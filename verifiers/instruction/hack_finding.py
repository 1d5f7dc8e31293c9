"""`HackFinding`, the reason codes of the hack-check layer and the names `allow` accepts.

Kept apart from `hackcheck.py` so that every detector module (`hack_claims`, `hack_degenerate`,
`hack_relevance`, `hack_style`, `hack_constraints`) can return findings without importing the
orchestrator that imports them.
"""

from __future__ import annotations

from dataclasses import dataclass

FALSE_CLAIM = "hack:false_claim"
"""The response states something measurable about itself ("exactly 120 words") that is false."""
META_TALK = "hack:meta_talk"
"""Unrequested talk about its own compliance ("as requested, I used no commas"), true or not."""
DEGENERATE = "hack:degenerate"
"""Output that satisfies the letter of a constraint without real content (loops, filler, `{}`)."""
OFF_TASK = "hack:off_task"
"""Output that ignores the base task (no overlap with its terms) or mostly echoes the prompt."""
PRAISE = "hack:praise"
"""Opening praise of the request ("Great question!"), banned by the K2 rubric."""
SELF_JUSTIFICATION = "hack:self_justification"
"""The response grading itself ("this answer is comprehensive", "I hope this meets your needs")."""

HACK_REASONS: frozenset[str] = frozenset({FALSE_CLAIM, META_TALK, DEGENERATE, OFF_TASK, PRAISE, SELF_JUSTIFICATION})

# Names accepted by `hack_check(allow=…)`: each switches off checks a prompt legitimately requires.
ALLOW_ECHO = "echo"
"""The prompt asks to repeat or copy (part of) itself: echoing the prompt is not off-task."""
ALLOW_REPETITION = "repetition"
"""The prompt asks to repeat a phrase: repetition loops and low diversity are not degenerate."""
ALLOW_SHORT = "short"
"""A very short answer is legitimate (a yes/no option, a one-line copy): no content floor."""
ALLOW_OFF_TASK = "off_task"
"""No relevance floor (the answer need not use the base task's terms, e.g. reversed text)."""
ALLOW_META_TALK = "meta_talk"
"""The prompt asks the response to report on itself ("state your word count"): true claims pass."""
ALLOW_PRAISE = "praise"
ALLOW_SELF_JUSTIFICATION = "self_justification"
ALLOW_SYMBOLS = "symbols"
"""Mostly non-letter output is expected (numbers, code, ASCII art): no cap on the non-letter share."""

ALLOW_NAMES: frozenset[str] = frozenset(
    {
        ALLOW_ECHO,
        ALLOW_REPETITION,
        ALLOW_SHORT,
        ALLOW_OFF_TASK,
        ALLOW_META_TALK,
        ALLOW_PRAISE,
        ALLOW_SELF_JUSTIFICATION,
        ALLOW_SYMBOLS,
    }
)


@dataclass(frozen=True)
class HackFinding:
    """One reason to give reward 0 although the constraint checkers passed: a `hack:*` code + detail."""

    reason: str
    detail: str

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}"
