"""Coverage of a problem set: counts by domain, tag (at every level) and difficulty, and its gaps.

A training set built from templates can silently lean on a few of them — a mixture that weights
"math" heavily may still never show a calculus problem. `coverage(problems)` counts what is there
and flags two kinds of gap:

* *under-covered* tags: present, but on fewer than `min_share` of the problems;
* *missing* tags: tags of registered templates in the domains the set covers that no problem has
  (a math set without any `math/calculus`).

Tags are counted at every prefix level (`math/calculus/limit` also counts for `math/calculus` and
`math`), each problem once per prefix, so shares at one level never exceed 1. Works on any
iterable of Problems: a dataset file read with `vrgym.io.iter_problems`, or `Mixture.problems(n)`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from vrgym.errors import UnknownTaskError
from vrgym.problem import Problem
from vrgym.registry import get_template_class, tag_prefixes, template_names

DEFAULT_MIN_SHARE = 0.02


@dataclass
class CoverageReport:
    """Counts and gaps of one problem set (see the module docstring)."""

    total: int = 0
    domains: Counter[str] = field(default_factory=Counter)
    tags: Counter[str] = field(default_factory=Counter)
    difficulties: Counter[str] = field(default_factory=Counter)
    tasks: Counter[str] = field(default_factory=Counter)
    task_difficulties: Counter[tuple[str, str]] = field(default_factory=Counter)
    min_share: float = DEFAULT_MIN_SHARE
    missing: list[str] = field(default_factory=list)
    """Tags of registered templates in the covered domains that no problem carries."""

    def share(self, count: int) -> float:
        """`count` as a share of all problems (0 for an empty set)."""
        return count / self.total if self.total else 0.0

    @property
    def under_covered(self) -> list[str]:
        """Present tags on fewer than `min_share` of the problems, rarest first."""
        return sorted((t for t, c in self.tags.items() if self.share(c) < self.min_share), key=lambda t: (self.tags[t], t))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data (what `vrgym coverage --json` prints)."""

        def table(counter: Counter[str]) -> list[dict[str, Any]]:
            return [{"name": k, "count": c, "share": round(self.share(c), 6)} for k, c in ranked(counter)]

        return {
            "total": self.total,
            "min_share": self.min_share,
            "domains": table(self.domains),
            "difficulties": table(self.difficulties),
            "tasks": table(self.tasks),
            "task_difficulties": [
                {"task": t, "difficulty": d, "count": c} for (t, d), c in sorted(self.task_difficulties.items())
            ],
            "tags": table(self.tags),
            "under_covered": self.under_covered,
            "missing": list(self.missing),
        }


def coverage(problems: Iterable[Problem], *, min_share: float = DEFAULT_MIN_SHARE) -> CoverageReport:
    """Count `problems` by domain, tag prefix, difficulty and task; find under-covered and missing tags."""
    if not 0.0 <= min_share <= 1.0:
        raise ValueError(f"min_share must be between 0 and 1, got {min_share}")
    report = CoverageReport(min_share=min_share)
    prefixes_of: dict[tuple[str, ...], set[str]] = {}  # problems of one template share their tags
    for problem in problems:
        report.total += 1
        report.domains[_domain(problem)] += 1
        report.difficulties[problem.difficulty] += 1
        report.tasks[problem.task] += 1
        report.task_difficulties[(problem.task, problem.difficulty)] += 1
        prefixes = prefixes_of.get(problem.tags)
        if prefixes is None:
            prefixes = prefixes_of[problem.tags] = tag_prefixes(problem.tags)
        report.tags.update(prefixes)
    expected: set[str] = set()
    for domain in report.domains:
        for name in template_names(domain=domain):
            expected |= tag_prefixes(get_template_class(name).tags)
    report.missing = sorted(expected - set(report.tags))
    return report


def _domain(problem: Problem) -> str:
    """The template's domain; for a task not installed here, the first segment of its first tag."""
    try:
        return get_template_class(problem.task).domain
    except UnknownTaskError:
        return problem.tags[0].split("/")[0] if problem.tags else "unknown"


def ranked(counter: Counter[str]) -> list[tuple[str, int]]:
    """Most common first, ties by name: the stable order of tables, JSON and charts."""
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))
