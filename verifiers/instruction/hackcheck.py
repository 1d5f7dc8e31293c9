"""The hack-check layer: reward 1 only if the constraint checks AND this check pass.

`hack_check(response, task_terms=…, prompt=…, constraints=…, allow=…)` returns None for a clean
response, or the first `HackFinding` (a `hack:*` reason code and a human detail):

1. `hack:false_claim` / `hack:meta_talk` — self-reports about compliance, measured
   (`hack_claims`);
2. `hack:praise` / `hack:self_justification` — the K2 rubric's prescriptive rules (`hack_style`);
3. `hack:degenerate` — constraint-specific gaming (`hack_constraints`), then the general guards
   on the content body: content floor, repetition loops, low diversity, filler, junk
   (`hack_degenerate`);
4. `hack:off_task` — relevance floor on the base task's terms, and echoing the prompt
   (`hack_relevance`).

Only the text after `</think>` is scored (an unclosed `<think>` leaves nothing to score). Strict
mode only: nothing is forgiven the way IFEval's loose variants forgive a first or last line.

`allow` names the checks a prompt legitimately switches off (`ALLOW_NAMES`: "echo",
"repetition", "short", "off_task", "meta_talk", "praise", "self_justification", "symbols");
constraints add their own (`implied_allow`: a repeat-the-request kind allows echo). The call never
raises on any response; a bug inside a detector comes back as a `verifier_error` finding, which
trainers skip instead of scoring 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from vrgym.verifiers.extraction import strip_thinking
from vrgym.verifiers.instruction.hack_claims import find_claims
from vrgym.verifiers.instruction.hack_constraints import content_body, content_floor, find_constraint_gaming, implied_allow
from vrgym.verifiers.instruction.hack_degenerate import MIN_CONTENT_WORDS, find_compression_loop, find_degenerate
from vrgym.verifiers.instruction.hack_finding import (
    ALLOW_ECHO,
    ALLOW_META_TALK,
    ALLOW_NAMES,
    ALLOW_OFF_TASK,
    ALLOW_PRAISE,
    ALLOW_REPETITION,
    ALLOW_SELF_JUSTIFICATION,
    ALLOW_SHORT,
    ALLOW_SYMBOLS,
    DEGENERATE,
    FALSE_CLAIM,
    HACK_REASONS,
    META_TALK,
    OFF_TASK,
    PRAISE,
    SELF_JUSTIFICATION,
    HackFinding,
)
from vrgym.verifiers.instruction.hack_relevance import find_echo, find_off_task
from vrgym.verifiers.instruction.hack_style import find_opening_praise, find_self_justification

if TYPE_CHECKING:
    from vrgym.verifiers.instruction.base import Constraint

__all__ = [
    "ALLOW_NAMES",
    "DEGENERATE",
    "FALSE_CLAIM",
    "HACK_REASONS",
    "META_TALK",
    "OFF_TASK",
    "PRAISE",
    "SELF_JUSTIFICATION",
    "HackFinding",
    "hack_check",
]

MAX_RESPONSE_CHARS = 200_000
"""Longer responses are degenerate without being scanned: no writing task asks for more than a few
thousand words (~30,000 characters), and the cap bounds the time of every detector (< 1 s)."""
_VERIFIER_ERROR = "verifier_error"
_EARLY_LOOP_CHARS = 50_000


def hack_check(
    response: str,
    *,
    task_terms: Sequence[str],
    prompt: str,
    constraints: Sequence[Constraint],
    allow: frozenset[str] = frozenset(),
) -> HackFinding | None:
    """None if `response` is clean; else the first hack found (see the module docstring).

    `task_terms` are the base task's own content words (the relevance floor), `prompt` the full
    prompt shown to the policy (echo detection), `constraints` the attached constraints (claims
    about them are measured, and their letter-only shortcuts closed), `allow` the checks the
    prompt legitimately switches off. An unknown name in `allow` is a programming error and
    raises ValueError at once, before any response is looked at.
    """
    unknown = set(allow) - ALLOW_NAMES
    if unknown:
        raise ValueError(f"unknown hack-check allowance(s) {sorted(unknown)}; known: {sorted(ALLOW_NAMES)}")
    try:
        return _hack_check(response, task_terms, prompt, list(constraints), set(allow))
    except Exception as error:  # a detector bug must not crash a training run nor pass as clean
        return HackFinding(_VERIFIER_ERROR, f"hack-check failed ({type(error).__name__}: {error})")


def _hack_check(
    response: str, task_terms: Sequence[str], prompt: str, constraints: list[Constraint], allow: set[str]
) -> HackFinding | None:
    if not isinstance(response, str):
        return HackFinding(DEGENERATE, f"the response is a {type(response).__name__}, not text")
    if len(response) > MAX_RESPONSE_CHARS:
        return HackFinding(DEGENERATE, f"the response has {len(response)} characters, over {MAX_RESPONSE_CHARS}")
    text = strip_thinking(response)
    if text is None:
        return HackFinding(DEGENERATE, "an unclosed <think> block: there is no final response to score")
    if not text.strip():
        return HackFinding(DEGENERATE, "the response is empty")
    allow |= implied_allow(constraints)
    if len(text) > _EARLY_LOOP_CHARS and ALLOW_REPETITION not in allow:
        # A very long response is usually a loop: the cheap compression test settles it before
        # the per-word detectors walk it.
        finding = find_compression_loop(text)
        if finding is not None:
            return finding

    finding = find_claims(text, constraints, allow_meta_talk=ALLOW_META_TALK in allow)
    if finding is None and ALLOW_PRAISE not in allow:
        finding = find_opening_praise(text)
    if finding is None and ALLOW_SELF_JUSTIFICATION not in allow:
        finding = find_self_justification(text)
    if finding is not None:
        return finding

    floor = 0 if ALLOW_SHORT in allow else content_floor(constraints, MIN_CONTENT_WORDS)
    finding = find_constraint_gaming(text, constraints, min_words=floor)
    if finding is not None:
        return finding
    body = content_body(text, constraints)
    english = not _answers_in_other_language(constraints)
    finding = find_degenerate(
        body,
        min_words=floor,
        allow_repetition=ALLOW_REPETITION in allow,
        allow_symbols=ALLOW_SYMBOLS in allow or ALLOW_OFF_TASK in allow,
        english=english and ALLOW_OFF_TASK not in allow,
    )
    if finding is not None:
        return finding
    if ALLOW_OFF_TASK not in allow and english:
        finding = find_off_task(body, task_terms)
        if finding is not None:
            return finding
    if ALLOW_ECHO not in allow and prompt:
        finding = find_echo(body, prompt)
    return finding


def _answers_in_other_language(constraints: Sequence[Constraint]) -> bool:
    """Whether a constraint asks for a language other than English (the task terms are English)."""
    for c in constraints:
        if c.kind == "language:response_language":
            language = getattr(c.params, "language", "en")
            if str(language).lower() != "en":
                return True
    return False
