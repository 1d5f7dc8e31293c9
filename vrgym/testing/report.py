"""What a contract run found: `ContractFailure` (one broken promise) and `ContractReport` (all of them).

Kept apart from the checks so the pytest plugin, the CLI's `selfcheck` and user code can read and
print reports without knowing how the checks work. A failure keeps the evidence a person needs to
reproduce it — check, seed, level, the response (truncated) and the verdict — and `summary()`
groups failures by check so a badly broken template gives a short, readable report, not 1,000 lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_SHOWN_RESPONSE = 240
"""Characters of a response kept in a failure (the gauntlet sends megabytes)."""
MAX_SHOWN_PER_CHECK = 5
"""Failures printed per check by `summary()`; the rest are counted."""


def shorten(value: Any, limit: int = MAX_SHOWN_RESPONSE) -> str:
    """`repr` of `value`, cut in the middle to `limit` characters, with the full length stated."""
    text = repr(value)
    if len(text) <= limit:
        return text
    half = (limit - 30) // 2
    size = f"{len(value):,}-char string" if isinstance(value, str) else f"{len(text):,} chars"
    return f"{text[:half]} …[{size}]… {text[-half:]}"


@dataclass(frozen=True)
class ContractFailure:
    """One violated rule: which check, what happened, and the evidence to reproduce it."""

    check: str
    detail: str
    seed: int | None = None
    difficulty: str | None = None
    case: str | None = None
    """Name of the gauntlet attack (or other sub-case) that exposed the failure."""
    response: str | None = None
    """`repr` of the response that was verified, already truncated."""
    verdict: str | None = None
    """The verdict that was returned, rendered as text."""

    def where(self) -> str:
        parts = [f"seed={self.seed}" if self.seed is not None else "", f"level={self.difficulty}" if self.difficulty else ""]
        parts.append(f"case={self.case}" if self.case else "")
        return " ".join(p for p in parts if p)

    def render(self) -> str:
        where = self.where()
        lines = [f"[{self.check}] {where + ': ' if where else ''}{self.detail}"]
        if self.response is not None:
            lines.append(f"    response: {self.response}")
        if self.verdict is not None:
            lines.append(f"    verdict:  {self.verdict}")
        return "\n".join(lines)


@dataclass
class ContractReport:
    """Outcome of `run_contract` for one template."""

    template: str
    version: int = 0
    failures: list[ContractFailure] = field(default_factory=list)
    checks_run: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Checks or parts skipped, with the reason (e.g. the Gymnasium envs are not importable)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall-clock time per check."""
    skipped: dict[str, str] = field(default_factory=dict)
    """Checks that could not run at all (check name → reason); they did not fail, nor did they pass."""

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def failed_checks(self) -> list[str]:
        """Names of the checks with at least one failure, in the order they ran."""
        failed = {f.check for f in self.failures}
        return [c for c in self.checks_run if c in failed] + sorted(failed - set(self.checks_run))

    def failures_of(self, check: str) -> list[ContractFailure]:
        return [f for f in self.failures if f.check == check]

    def summary(self, max_per_check: int = MAX_SHOWN_PER_CHECK) -> str:
        """Readable multi-line report: verdict line, then failures grouped by check, then notes."""
        total = sum(self.seconds.values())
        checks = ", ".join(self.checks_run) or "none"
        if self.ok:
            head = f"vrgym contract: {self.template} v{self.version} passed {len(self.checks_run)} checks ({checks}) in {total:.1f}s"
            if self.skipped:
                head += f"; skipped: {', '.join(self.skipped)}"
        else:
            head = (
                f"vrgym contract: {self.template} v{self.version} FAILED {len(self.failed_checks)} of "
                f"{len(self.checks_run)} checks ({', '.join(self.failed_checks)}); {len(self.failures)} failures"
            )
        lines = [head]
        for check in self.failed_checks:
            found = distinct_cases_first(self.failures_of(check))
            lines.extend(f.render() for f in found[:max_per_check])
            if len(found) > max_per_check:
                lines.append(f"[{check}] … and {len(found) - max_per_check} more failures of this check")
        lines.extend(f"note: {note}" for note in self.notes)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def distinct_cases_first(failures: list[ContractFailure]) -> list[ContractFailure]:
    """The first failure of each distinct (case, detail) first, then the rest: a short list shows variety."""
    seen: set[tuple[str | None, str]] = set()
    first, rest = [], []
    for failure in failures:
        key = (failure.case, failure.detail)
        (rest if key in seen else first).append(failure)
        seen.add(key)
    return first + rest


def merge_checks(requested: Sequence[str] | None, known: Sequence[str]) -> list[str]:
    """Validate a selection of check names (None means all), keeping the suite's order."""
    if requested is None:
        return list(known)
    if isinstance(requested, str):
        requested = [requested]
    unknown = [c for c in requested if c not in known]
    if unknown:
        raise ValueError(f"unknown contract check(s) {unknown}; choose from {list(known)}")
    return [c for c in known if c in requested]
