"""Batch verification: many responses against their problems, optionally in a process pool, with a summary.

Verification is pure (a Problem's JSON plus a response string in, a Verdict out), so it spreads
over a process pool with no shared state: chunks of ``(problem JSON, response)`` go to workers,
and ``Executor.map`` hands results back in input order. Workers import the classes of the
templates in use (by module and qualified name) and register them, so a template registered at
run time from an importable module (not an entry point) also works under the ``spawn`` and
``forkserver`` start methods, not only ``fork``.

Summary numbers, per task and overall: ``n`` responses, ``skipped`` infrastructure failures
(``sandbox_error``, ``verifier_error``: the checker failed, not the model), ``mean_reward`` over the
other ``n - skipped`` (None when nothing was scored), and counts by reason.
"""

from __future__ import annotations

import importlib
import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vrgym.errors import DataFileError
from vrgym.io.responses import Response, verdict_record
from vrgym.problem import Problem
from vrgym.registry import get_template, get_template_class
from vrgym.verdict import INFRASTRUCTURE_REASONS, Verdict

_MAX_CHUNK = 64


def check_ids(problems: Mapping[str, Problem], responses: Sequence[Response], problems_path: object, responses_path: object) -> None:
    """DataFileError if any response names a problem id that `problems` does not have."""
    unknown = list(dict.fromkeys(r.id for r in responses if r.id not in problems))
    if unknown:
        shown = ", ".join(unknown[:3]) + (" …" if len(unknown) > 3 else "")
        raise DataFileError(
            f"{responses_path}: {len(unknown)} response id(s) are not in {problems_path} ({shown}); "
            "verify responses against the problems file they were generated from"
        )


def check_templates(problems: Mapping[str, Problem], responses: Sequence[Response]) -> None:
    """Fail before any work if a needed template is missing or has another version (VrgymError)."""
    checked: set[tuple[str, int]] = set()
    for response in responses:
        problem = problems[response.id]
        if (problem.task, problem.version) not in checked:
            get_template(problem.task).accept(problem)
            checked.add((problem.task, problem.version))


def verify_all(
    problems: Mapping[str, Problem],
    responses: Sequence[Response],
    *,
    workers: int = 1,
    on_done: Callable[[int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Verdict records for `responses`, in their order; `on_done(k)` reports progress in steps of k."""
    if workers <= 1 or len(responses) < 2:
        for response in responses:
            problem = problems[response.id]
            yield verdict_record(problem, response, get_template(problem.task).verify(problem, response.response))
            if on_done:
                on_done(1)
        return
    yield from _verify_in_pool(problems, responses, workers, on_done)


def _verify_in_pool(
    problems: Mapping[str, Problem], responses: Sequence[Response], workers: int, on_done: Callable[[int], None] | None
) -> Iterator[dict[str, Any]]:
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, min(_MAX_CHUNK, len(responses) // (workers * 4)))
    chunks = [responses[i : i + size] for i in range(0, len(responses), size)]
    payloads = [[(problems[r.id].model_dump_json(), r.response) for r in chunk] for chunk in chunks]
    classes = sorted({_locate(get_template_class(problems[r.id].task)) for r in responses} - {None})
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(classes,))
    try:
        for chunk, verdicts in zip(chunks, pool.map(_verify_chunk, payloads)):
            for response, verdict in zip(chunk, verdicts):
                yield verdict_record(problems[response.id], response, Verdict.model_validate(verdict))
            if on_done:
                on_done(len(chunk))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _locate(cls: type) -> tuple[str, str] | None:
    """(module, qualname) of an importable class; None for classes defined in __main__ or a function."""
    if cls.__module__ == "__main__" or "<locals>" in cls.__qualname__:
        return None
    return cls.__module__, cls.__qualname__


def _init_worker(classes: Sequence[tuple[str, str]]) -> None:
    """Pool initializer: make sure every template in use is registered in this worker.

    Workers ignore Ctrl-C: the parent alone handles it, cancels queued chunks and saves its work.
    """
    import signal

    from vrgym.registry import register, template_names

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    known = set(template_names())
    for module, qualname in classes:
        cls: Any = importlib.import_module(module)
        for part in qualname.split("."):
            cls = getattr(cls, part)
        if cls.name not in known:
            register(cls)


def _verify_chunk(items: Sequence[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Worker: verify (problem JSON, response) pairs; plain dicts travel back cheaply."""
    results = []
    for problem_json, response in items:
        problem = Problem.from_json(problem_json)
        results.append(get_template(problem.task).verify(problem, response).model_dump())
    return results


@dataclass
class TaskSummary:
    """Counts for one task (or for all of them)."""

    n: int = 0
    rewarded: int = 0
    skipped: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def mean_reward(self) -> float | None:
        scored = self.n - self.skipped
        return self.rewarded / scored if scored else None

    def add(self, record: Mapping[str, Any]) -> None:
        self.n += 1
        self.rewarded += int(record["reward"])
        self.skipped += record["reason"] in INFRASTRUCTURE_REASONS
        self.reasons[record["reason"]] += 1

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "mean_reward": self.mean_reward,
            "skipped": self.skipped,
            "reasons": dict(sorted(self.reasons.items())),
        }


@dataclass
class Summary:
    """Per-task and total counts of a verification run."""

    tasks: dict[str, TaskSummary] = field(default_factory=dict)
    total: TaskSummary = field(default_factory=TaskSummary)
    unanswered: int = 0
    """Problems in the problems file that no response refers to."""

    def add(self, record: Mapping[str, Any]) -> None:
        self.tasks.setdefault(record["task"], TaskSummary()).add(record)
        self.total.add(record)

    def to_json(self) -> dict[str, Any]:
        return {
            "tasks": {name: self.tasks[name].to_json() for name in sorted(self.tasks)},
            "total": self.total.to_json(),
            "unanswered_problems": self.unanswered,
        }


def default_workers() -> int:
    """Worker count for `--workers 0`: the CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1
