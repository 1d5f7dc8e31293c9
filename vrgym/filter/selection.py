"""Selection rules: which problems a filter run keeps, decided from raw counts (n, c) alone.

Rules (one per run of `select`; re-selecting never needs new samples):

* ``mixed`` (default): keep 0 < c < n — neither always solved nor never solved (DAPO's and
  Skywork-OR1's rule; the weakest reading of Kimi K2's "moderate difficulty");
* ``band``: keep LO <= metric <= HI (``inclusive=False``: LO < metric < HI), where the metric is
  pass@1 (c/n) or the unbiased pass@J for some J <= n;
* ``drop-solved``: drop c = n only; ``drop-unsolved``: drop c = 0 only (Big-Math);
* ``all``: keep everything (still labels each problem too easy / too hard for reports).

`keep_easy_frac` retains a fraction of the too-easy problems (MiMo and "Shorter but not Worse"
found that removing every easy item destabilises training), chosen by a hash of (seed, problem
id): the same problems are kept whatever else is in the run, and they are tagged ``keep_easy``.

Decisions: ``keep``, ``keep_easy``, ``too_easy``, ``too_hard``, ``no_data`` (no scored sample, or
fewer than J for pass@J) and ``incomplete`` (samples still missing or unscored).

With n = 8 or 16 a band is coarse: `cutoffs(n)` gives the integer c range a rule keeps, which the
report prints ("keeps 2 <= c <= 13 of 16").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from vrgym.passk import pass_at_k
from vrgym.seeding import derive_seed

RULES = ("mixed", "band", "drop-solved", "drop-unsolved", "all")
KEEP, KEEP_EASY, TOO_EASY, TOO_HARD, NO_DATA, INCOMPLETE = "keep", "keep_easy", "too_easy", "too_hard", "no_data", "incomplete"
DECISIONS = (KEEP, KEEP_EASY, TOO_EASY, TOO_HARD, NO_DATA, INCOMPLETE)
KEPT = frozenset({KEEP, KEEP_EASY})
_EASY_BITS = 53


@dataclass(frozen=True)
class Rule:
    """A selection rule (see the module docstring); validated on construction."""

    keep: str = "mixed"
    low: float = 0.0
    high: float = 1.0
    inclusive: bool = True
    metric: str = "pass@1"
    keep_easy_frac: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        if self.keep not in RULES:
            raise ValueError(f"unknown selection rule {self.keep!r}; choose one of {', '.join(RULES)}")
        if not 0.0 <= self.low <= self.high <= 1.0:
            raise ValueError(f"a band needs 0 <= LO <= HI <= 1, got {self.low}:{self.high}; e.g. --band 0.2:0.8")
        if not 0.0 <= self.keep_easy_frac <= 1.0:
            raise ValueError(f"keep_easy_frac must be a fraction in [0, 1], got {self.keep_easy_frac}")
        _ = self.metric_k  # raises for an unknown metric name

    @property
    def metric_k(self) -> int:
        """J of the metric pass@J (1 for pass@1)."""
        name, _, j = self.metric.partition("@")
        if name != "pass" or not j.isdigit() or int(j) < 1:
            raise ValueError(f"unknown metric {self.metric!r}; use pass@1 or pass@J with J a positive integer (e.g. pass@4)")
        return int(j)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def metric_value(self, n: int, c: int) -> float | None:
        """The band metric for counts (n, c); None when n < J."""
        j = self.metric_k
        if n < j or n == 0:
            return None
        return c / n if j == 1 else pass_at_k(n, c, j)

    def decide(self, n: int, c: int, problem_id: str) -> str:
        """The decision for a problem with c successes out of n scored samples."""
        if n == 0:
            return NO_DATA
        if self.keep == "band":
            value = self.metric_value(n, c)
            if value is None:
                return NO_DATA
            below = value < self.low if self.inclusive else value <= self.low
            above = value > self.high if self.inclusive else value >= self.high
            verdict = TOO_HARD if below else TOO_EASY if above else KEEP
        else:
            solved, unsolved = c == n, c == 0
            verdict = KEEP
            if solved and self.keep in ("mixed", "drop-solved"):
                verdict = TOO_EASY
            elif unsolved and self.keep in ("mixed", "drop-unsolved"):
                verdict = TOO_HARD
        if verdict == TOO_EASY and self.keep_easy_frac > 0 and self.easy_draw(problem_id) < self.keep_easy_frac:
            return KEEP_EASY
        return verdict

    def easy_draw(self, problem_id: str) -> float:
        """A uniform number in [0, 1) fixed by (seed, problem id): the keep-easy lottery ticket."""
        return derive_seed("vrgym.filter.keep_easy", self.seed, problem_id, bits=_EASY_BITS) / 2**_EASY_BITS

    def cutoffs(self, n: int) -> list[int]:
        """The values of c (out of n) that this rule keeps, ignoring the keep-easy lottery."""
        plain = Rule(self.keep, self.low, self.high, self.inclusive, self.metric)
        return [c for c in range(n + 1) if plain.decide(n, c, "") == KEEP]

    def settled(self, n_final: int, n_now: int, c_now: int, problem_id: str) -> bool:
        """True when no outcome of the remaining n_final − n_now samples can change the decision.

        The early-stopping test (deterministic curtailment): e.g. under ``mixed`` a problem is
        settled as soon as it has one success and one failure.
        """
        remaining = max(0, n_final - n_now)
        outcomes = {self.decide(n_final, c, problem_id) for c in range(c_now, c_now + remaining + 1)}
        return len(outcomes) == 1


def describe_cutoffs(rule: Rule, n: int) -> str:
    """'keeps 2 <= c <= 13 of 16' (or the explicit list when the kept values are not contiguous)."""
    kept = rule.cutoffs(n)
    if not kept:
        return f"keeps no value of c out of {n}"
    if kept == list(range(kept[0], kept[-1] + 1)):
        return f"keeps {kept[0]} <= c <= {kept[-1]} of {n}" if kept[0] != kept[-1] else f"keeps c = {kept[0]} of {n}"
    return f"keeps c in {{{', '.join(map(str, kept))}}} of {n}"
