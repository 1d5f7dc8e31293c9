"""`Verdict`: the binary outcome of verifying one response, plus diagnostics.

The reward is exactly 0 or 1; nothing in between. `reason` is a short machine-readable code that
trainers and the difficulty filter can count (`ok`, `wrong_answer`, `no_answer`, `hack:<kind>` …),
`detail` is human text (the multi-turn env feeds it back to the policy), and `checks` holds
per-constraint booleans for diagnostics only — they never become a partial reward.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, model_validator

OK = "ok"
WRONG_ANSWER = "wrong_answer"
NO_ANSWER = "no_answer"
FORMAT = "format"
TIMEOUT = "timeout"
TOO_LONG = "too_long"
MULTIPLE_ANSWERS = "hack:multiple_answers"
SANDBOX_ERROR = "sandbox_error"
VERIFIER_ERROR = "verifier_error"
RUNTIME_ERROR = "runtime_error"
"""Code: the program raised, crashed or exited non-zero on a test."""
MEMORY = "memory"
"""Code: the program went over its memory limit."""
COMPILE_ERROR = "compile_error"
"""Code: the program does not parse (SyntaxError / IndentationError), so no test could run."""

INFRASTRUCTURE_REASONS = frozenset({SANDBOX_ERROR, VERIFIER_ERROR})
"""Reasons that say the checker failed, not the model: trainers and the filter should skip them."""

_REASON = re.compile(r"^[a-z][a-z0-9_]*(:[a-z0-9_]+)?$")
_MAX_DETAIL = 2000
_MAX_ANSWER = 500
_SURROGATE = re.compile("[\ud800-\udfff]")


class Verdict(BaseModel):
    """Result of `Template.verify`: reward 1 if and only if reason is 'ok'."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reward: int = Field(ge=0, le=1, description="1 if the response solves the problem, else 0.")
    reason: str = Field(description="Machine code: ok, wrong_answer, no_answer, format, hack:<kind>, …")
    detail: str = Field(default="", description="Human-readable explanation; safe to show to the policy.")
    checks: dict[str, bool] = Field(default_factory=dict, description="Per-check diagnostics; never partial reward.")
    answer: str | None = Field(default=None, description="The final answer extracted from the response, if any.")

    @model_validator(mode="after")
    def _consistent(self) -> Verdict:
        if not _REASON.match(self.reason):
            raise ValueError(f"reason {self.reason!r} must be a short code like 'wrong_answer' or 'hack:kind'")
        if (self.reward == 1) != (self.reason == OK):
            raise ValueError(f"reward {self.reward} contradicts reason {self.reason!r}: reward is 1 iff reason is 'ok'")
        return self

    @classmethod
    def correct(cls, detail: str = "", *, checks: dict[str, bool] | None = None, answer: str | None = None) -> Verdict:
        """A reward-1 verdict."""
        return cls(reward=1, reason=OK, detail=_clip(detail, _MAX_DETAIL), checks=checks or {}, answer=_clip_opt(answer))

    @classmethod
    def fail(
        cls, reason: str, detail: str = "", *, checks: dict[str, bool] | None = None, answer: str | None = None
    ) -> Verdict:
        """A reward-0 verdict with the given reason code."""
        return cls(reward=0, reason=reason, detail=_clip(detail, _MAX_DETAIL), checks=checks or {}, answer=_clip_opt(answer))

    @property
    def is_infrastructure_failure(self) -> bool:
        """True when the checker (sandbox, verifier) failed rather than the model: skip, don't score 0."""
        return self.reason in INFRASTRUCTURE_REASONS


def _clip(text: str, limit: int) -> str:
    """At most `limit` characters, lone surrogates replaced by U+FFFD so the verdict stays JSON-writable."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return _SURROGATE.sub("\ufffd", text)


def _clip_opt(text: str | None) -> str | None:
    return None if text is None else _clip(text, _MAX_ANSWER)
