"""Per-problem statistics of a filter run, aggregated from its sample and score logs.

Counting rules (the same whatever the backend):

* ``n`` — scored samples whose verdict is a judgement of the model: infrastructure failures
  (``sandbox_error``, ``verifier_error``) are excluded and counted in ``n_infra_errors``; samples
  the model never produced (request failed for good) are excluded and counted in
  ``n_request_errors``; truncated samples (finish_reason "length") count as failures by default
  and always in ``n_truncated`` (``truncated_as="exclude"`` drops them from n instead);
* ``c`` — rewarded samples among those n;
* ``n_pending`` — samples still missing or unscored (the step to run next fills them in); failed
  requests are not pending (they are final for this pass) but the next `sample` step retries them;
* ``reasons`` — verdict reason → count over every scored sample, infra errors included.

From (n, c): pass@1, the unbiased pass@J and pass^J (``pass_pow_J``: all J correct) for each
requested J <= n (None when n < J),
informative@G (None when n < G) and a confidence interval for p (Wilson or Jeffreys).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vrgym.passk import informative_at_g, interval, pass_at_k, pass_pow_k
from vrgym.problem import Problem
from vrgym.verdict import INFRASTRUCTURE_REASONS

FINISH_LENGTH = "length"
TRUNCATED_AS = ("fail", "exclude")


@dataclass
class Counts:
    """Raw counts of one problem."""

    attempted: int = 0
    n: int = 0
    c: int = 0
    n_truncated: int = 0
    n_infra_errors: int = 0
    n_request_errors: int = 0
    n_unscored: int = 0
    reasons: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class StatsOptions:
    """How counts become columns: which pass@J, the GRPO group size, the interval."""

    pass_ks: tuple[int, ...] = (1,)
    group_size: int | None = None
    ci: str = "wilson"
    ci_level: float = 0.95
    truncated_as: str = "fail"

    def __post_init__(self) -> None:
        if self.truncated_as not in TRUNCATED_AS:
            raise ValueError(f"truncated_as must be one of {', '.join(TRUNCATED_AS)}, got {self.truncated_as!r}")
        interval(1, 0, self.ci, self.ci_level)  # validates the method and the level
        if any(j < 1 for j in self.pass_ks) or (self.group_size is not None and self.group_size < 1):
            raise ValueError("pass@J needs J >= 1 and the group size must be >= 1")


def latest_samples(records: Iterable[Mapping[str, Any]]) -> dict[tuple[str, int], Mapping[str, Any]]:
    """(problem, sample) → its record; a produced sample wins over error records for the same key."""
    latest: dict[tuple[str, int], Mapping[str, Any]] = {}
    for record in records:
        key = (record["problem"], record["sample"])
        known = latest.get(key)
        if known is None or known.get("error") is not None:
            latest[key] = record
    return latest


def count(
    problems: Sequence[Problem],
    samples: Mapping[tuple[str, int], Mapping[str, Any]],
    scores: Mapping[tuple[str, int], Mapping[str, Any]],
    truncated_as: str = "fail",
) -> dict[str, Counts]:
    """Counts per problem id from the latest sample records and the score records."""
    counts = {p.id: Counts() for p in problems}
    for key, sample in samples.items():
        entry = counts.get(key[0])
        if entry is None:
            continue  # a sample of a problem outside this selection (another shard's plan)
        entry.attempted += 1
        if sample.get("error") is not None:
            entry.n_request_errors += 1
            continue
        score = scores.get(key)
        if score is None:
            entry.n_unscored += 1
            continue
        reason = score["reason"]
        entry.reasons[reason] += 1
        truncated = score.get("finish_reason") == FINISH_LENGTH
        entry.n_truncated += truncated
        if reason in INFRASTRUCTURE_REASONS:
            entry.n_infra_errors += 1
        elif not (truncated and truncated_as == "exclude"):
            entry.n += 1
            entry.c += int(score["reward"])
    return counts


def stats_row(problem: Problem, counts: Counts, k: int, options: StatsOptions) -> dict[str, Any]:
    """The statistics columns of one problem (decision added by the caller)."""
    n, c = counts.n, counts.c
    group = options.group_size or k
    low, high = interval(n, c, options.ci, options.ci_level)
    row: dict[str, Any] = {
        "id": problem.id,
        "task": problem.task,
        "difficulty": problem.difficulty,
        "k": k,
        "n": n,
        "c": c,
    }
    for j in sorted(set(options.pass_ks) | {1}):
        row[f"pass_at_{j}"] = (c / n if j == 1 else pass_at_k(n, c, j)) if n >= j and n else None
    for j in sorted(set(options.pass_ks) - {1}):
        row[f"pass_pow_{j}"] = pass_pow_k(n, c, j) if n >= j else None
    row["informative_at_g"] = informative_at_g(n, c, group) if n >= group else None
    row["group_size"] = group
    row["ci_low"], row["ci_high"] = low, high
    row["n_truncated"] = counts.n_truncated
    row["n_infra_errors"] = counts.n_infra_errors
    row["n_request_errors"] = counts.n_request_errors
    row["n_pending"] = max(0, k - counts.attempted) + counts.n_unscored
    row["reasons"] = dict(sorted(counts.reasons.items()))
    return row
