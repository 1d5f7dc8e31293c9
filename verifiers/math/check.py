"""`check_math_answer`: the one entry point templates call to score a final math answer.

Order of work, cheapest first: type checks → the typed comparison with exact fast leaves (plain
numbers, and sets/tuples/intervals/matrices/choices/texts made of them, settle here in
microseconds) → the pre-screen (bomb-shaped answers score 0 without sympy) → a worker process
with sympy under a hard wall-clock deadline. Never raises: a bug becomes `verifier_error`.
"""

from __future__ import annotations

from typing import Any

from vrgym.verdict import FORMAT, NO_ANSWER, TIMEOUT, VERIFIER_ERROR, Verdict
from vrgym.verifiers.math.compare import FastLeaves, NeedsWorker, Outcome, compare
from vrgym.verifiers.math.gold import KINDS
from vrgym.verifiers.math.prescreen import prescreen
from vrgym.verifiers.math.render import render_gold

_FAST = FastLeaves()
MAX_INPUT_CHARS = 20_000
"""Answers longer than this are refused before any work (the pre-screen is stricter for sympy)."""


def check_math_answer(gold: dict[str, Any], answer: str, *, timeout: float = 2.0) -> Verdict:
    """Score `answer` (the extracted final answer, e.g. the content of the one `\\boxed{}`) against `gold`.

    Reasons: `ok`, `wrong_answer`, `format` (unparseable, refused by the pre-screen, or the right
    value not in the form asked), `hack:multiple_answers` (a hedge such as `7 or 8` for one value),
    `timeout` (sympy needed more than `timeout` seconds), `verifier_error` (a bad gold or a bug).
    """
    try:
        if not isinstance(gold, dict) or gold.get("kind") not in KINDS:
            return Verdict.fail(VERIFIER_ERROR, f"not a math gold: {str(gold)[:200]}; build it with vrgym.verifiers.math.gold")
        if not isinstance(answer, str):
            return Verdict.fail(FORMAT, f"the answer must be a string, got {type(answer).__name__}")
        answer = answer.strip()
        if not answer:
            return Verdict.fail(NO_ANSWER, "the final answer is empty")
        if len(answer) > MAX_INPUT_CHARS:
            return Verdict.fail(FORMAT, f"the answer is {len(answer)} characters long; give only the final value")
        try:
            outcome = compare(gold, answer, _FAST)
        except NeedsWorker:
            outcome = _in_worker(gold, answer, timeout)
        if outcome.ok:
            return Verdict.correct(outcome.detail, answer=answer)
        return Verdict.fail(outcome.reason, outcome.detail, answer=answer)
    except Exception as exc:  # noqa: BLE001 - a checker bug must not crash a training run
        return Verdict.fail(VERIFIER_ERROR, f"check_math_answer raised {type(exc).__name__}: {exc}")


def _in_worker(gold: dict[str, Any], answer: str, timeout: float) -> Outcome:
    from vrgym.verifiers.math.worker import WorkerCrashed, WorkerTimeout, WorkerUnavailable, pool

    refusal = prescreen(answer, render_gold(gold))
    if refusal is not None:
        return Outcome(FORMAT, refusal)
    for attempt in range(2):  # a worker killed from outside mid-request is replaced once
        try:
            reason, detail = pool().call({"op": "check", "gold": gold, "answer": answer}, timeout)
            return Outcome(str(reason), str(detail))
        except WorkerTimeout:
            return Outcome(TIMEOUT, f"checking the answer took longer than {timeout:g} s; simplify it")
        except WorkerUnavailable as exc:  # infrastructure: trainers skip it instead of scoring 0
            return Outcome(VERIFIER_ERROR, f"no math worker process could be started: {exc}")
        except WorkerCrashed as exc:  # the answer killed the worker twice: it scores 0
            if attempt:
                return Outcome(FORMAT, f"the answer could not be checked: {exc}")
    raise AssertionError("unreachable")
