"""Verification shared by every instruction-following template: constraints, then the hack-check.

Why one helper: the single-turn templates and the multi-turn dialogue must score a response the
same way — reasoning in `<think>` removed, every constraint checked in strict mode on the rest,
and the hack-check layer (false compliance claims, meta-talk, degenerate or off-task output,
opening praise, self-justification) applied on top. Reward 1 only if both pass; `checks` holds one
boolean per constraint (diagnostics, never partial reward).

Constraints travel inside a Problem as `{"kind", "params"}` JSON; rebuilding them (pydantic
validation) costs more than most checks, so the parsed tuple is memoised per canonical JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from vrgym.problem import Problem
from vrgym.seeding import canonical_json
from vrgym.verdict import NO_ANSWER, Verdict
from vrgym.verifiers.extraction import strip_thinking
from vrgym.verifiers.instruction import Constraint

CONSTRAINT_FAILED = "constraint_failed"
"""Verdict reason when at least one constraint fails (and the hack-check found nothing)."""


def constraints_from(spec: Sequence[dict[str, Any]]) -> tuple[Constraint, ...]:
    """The constraints a Problem's metadata lists (memoised: problems repeat in RL batches)."""
    return _parse(canonical_json(list(spec)))


@lru_cache(maxsize=4096)
def _parse(text: str) -> tuple[Constraint, ...]:
    import json

    return tuple(Constraint.from_json(item) for item in json.loads(text))


def check_key(position: int, constraint: Constraint) -> str:
    """The `checks` key of one constraint: its position and kind (a kind may appear twice)."""
    return f"{position}:{constraint.kind}"


def judge(
    response: str,
    constraints: Sequence[Constraint],
    *,
    task_terms: Sequence[str],
    prompt: str,
    allow: frozenset[str] = frozenset(),
) -> Verdict:
    """Reward 1 iff every constraint passes on the text after `<think>` and the hack-check is clean."""
    from vrgym.verifiers.instruction.hackcheck import hack_check

    text = strip_thinking(response)
    if text is None:
        return Verdict.fail(NO_ANSWER, "the <think> block is never closed, so no response was given after it")
    if not text.strip():
        return Verdict.fail(NO_ANSWER, "the response is empty (only reasoning, or nothing at all)")
    results = [c.check(text) for c in constraints]
    checks = {check_key(i, c): r.ok for i, (c, r) in enumerate(zip(constraints, results))}
    finding = hack_check(text, task_terms=task_terms, prompt=prompt, constraints=constraints, allow=allow)
    failed = [f"{c.kind}: {r.reason}" for c, r in zip(constraints, results) if not r.ok]
    if finding is not None:
        extra = f" ({len(failed)} constraint(s) also failed)" if failed else ""
        return Verdict.fail(finding.reason, f"{finding.detail}{extra}", checks=checks)
    if failed:
        return Verdict.fail(CONSTRAINT_FAILED, "; ".join(failed), checks=checks)
    return Verdict.correct(f"all {len(constraints)} constraint(s) met", checks=checks)


def judge_problem(problem: Problem, response: str, spec: Sequence[dict[str, Any]]) -> Verdict:
    """`judge` of `response` against the constraints `spec` of a stored problem (its final list,
    or one dialogue turn's), with the problem's topic terms, prompt and hack-check `allow` set."""
    meta = problem.metadata
    return judge(
        response,
        constraints_from(spec),
        task_terms=meta["topic_terms"],
        prompt=problem.prompt,
        allow=frozenset(meta.get("allow", ())),
    )
