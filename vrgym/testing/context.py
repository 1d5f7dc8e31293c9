"""`ContractRun`: the shared state of one contract run — settings, caches, and failure recording.

Checks are plain functions of a `ContractRun`. It generates each (seed, level) problem and its
reference response once and hands them to every check, times and polices every `verify` call
(`Outcome`: the verdict, or why there is none — an exception that escaped, or a verdict that
breaks the discipline: not a `Verdict`, reward outside {0, 1}, reward 1 without reason "ok"), and
starts the cross-process child at most once per run. Failures are recorded against the check that
is running, so a report always says which promise was broken.
"""

from __future__ import annotations

import faulthandler
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from vrgym.problem import Problem
from vrgym.template import Template
from vrgym.testing.crossproc import locate, run_in_child
from vrgym.testing.report import ContractFailure, ContractReport, shorten
from vrgym.verdict import OK, Verdict

Case = tuple[int, str]
"""(seed, difficulty level): the problem `generate(seed, index=0, difficulty=level)`."""

_UNSET: Any = object()


@dataclass(frozen=True)
class Settings:
    """How hard a contract run looks. The defaults keep a typical template to a few seconds."""

    seeds: int = 20
    difficulties: tuple[str, ...] = ()
    time_limit: float = 2.0
    check_gym: bool = True
    gauntlet_seeds: int = 3
    """Problems per level that face the gauntlet (the heavy, megabyte attacks face only the first)."""
    child_timeout: float = 300.0
    hang_limit: float = 120.0
    """Seconds after which a `verify` call that has not returned ends the process with its stack."""


@dataclass(frozen=True)
class Outcome:
    """One timed `verify` call: the verdict, or `error` saying why it is unusable."""

    verdict: Verdict | None
    seconds: float
    error: str | None = None
    discipline: bool = False
    """True when `error` is a verdict-discipline violation (rather than an exception)."""


def _watchdog_stream() -> TextIO | None:
    """A stream with a real file descriptor for faulthandler (captured stderr has none), or None."""
    for stream in (sys.stderr, sys.__stderr__):
        try:
            if stream is not None and stream.fileno() >= 0:
                return stream
        except (AttributeError, OSError, ValueError):
            continue
    return None


def verdict_violation(verdict: Any) -> str | None:
    """Why `verdict` breaks the verdict discipline, or None if it is a proper binary Verdict."""
    if not isinstance(verdict, Verdict):
        return f"verify returned {type(verdict).__name__}, not a vrgym.Verdict"
    if type(verdict.reward) is not int or verdict.reward not in (0, 1):
        return f"verify returned reward {verdict.reward!r}; a reward is exactly the int 0 or 1"
    if not isinstance(verdict.reason, str) or (verdict.reward == 1) != (verdict.reason == OK):
        return f"verify returned reward {verdict.reward} with reason {verdict.reason!r}; reward is 1 if and only if reason is 'ok'"
    return None


def render_verdict(verdict: Any) -> str:
    """A verdict on one line, for failure reports."""
    if not isinstance(verdict, Verdict):
        return shorten(verdict, 160)
    text = f"reward={verdict.reward!r} reason={verdict.reason!r}"
    if verdict.answer is not None:
        text += f" answer={shorten(verdict.answer, 80)}"
    return text + (f" detail={shorten(verdict.detail, 160)}" if verdict.detail else "")


def differing_fields(a: Problem, b: Problem) -> str:
    """Which fields of two problems differ, with the first difference shown (types included)."""
    left, right = a.model_dump(), b.model_dump()
    names = [k for k in left if left.get(k) != right.get(k) or type(left.get(k)) is not type(right.get(k))]
    if not names:
        return "the problems compare unequal but no field differs"
    first = names[0]
    return f"fields {', '.join(names)} differ ({first}: {shorten(left[first], 160)} vs {shorten(right[first], 160)})"


@dataclass(frozen=True)
class ChildAnswers:
    """What the fresh process answered, per case (missing cases: it failed before reaching them)."""

    generated: dict[Case, dict[str, Any]]
    verified: dict[Case, dict[str, Any]]
    error: str | None
    hash_seed: str


@dataclass
class ContractRun:
    """Everything checks share while testing one template."""

    template: Template
    settings: Settings
    report: ContractReport = field(init=False)
    check: str = "setup"
    _problems: dict[Case, Problem | None] = field(default_factory=dict)
    _references: dict[Case, str | None] = field(default_factory=dict)
    _reference_outcomes: dict[Case, Outcome | None] = field(default_factory=dict)
    gauntlets: dict[tuple[int, str, bool], list[tuple[Any, Outcome]]] = field(default_factory=dict)
    """Gauntlet outcomes per (seed, level, heavy), shared by the gauntlet and verdicts checks."""
    _child: ChildAnswers | None = None

    def __post_init__(self) -> None:
        self.report = ContractReport(template=self.template.name, version=self.template.version)
        self._warm_up()

    def _warm_up(self) -> None:
        """Let the template start its workers before any verify call is timed (a failure is reported)."""
        try:
            self.template.warm_up()
        except Exception as exc:  # noqa: BLE001  (reported as a contract failure, not a crash)
            self.fail(f"{self.template.name}.warm_up raised {type(exc).__name__}: {shorten(str(exc), 200)}")

    # ------------------------------------------------------------------ recording

    def fail(
        self,
        detail: str,
        *,
        seed: int | None = None,
        difficulty: str | None = None,
        case: str | None = None,
        response: Any = _UNSET,
        verdict: Any = _UNSET,
    ) -> None:
        self.report.failures.append(
            ContractFailure(
                check=self.check,
                detail=detail,
                seed=seed,
                difficulty=difficulty,
                case=case,
                response=None if response is _UNSET else shorten(response),
                verdict=None if verdict is _UNSET else render_verdict(verdict),
            )
        )

    def skip(self, reason: str) -> None:
        """The running check cannot run at all here (not a failure); the reason is also a note."""
        self.report.skipped[self.check] = reason
        self.note(f"{self.check} check skipped: {reason}")

    def note(self, text: str) -> None:
        if text not in self.report.notes:
            self.report.notes.append(text)

    # ------------------------------------------------------------------ problems

    @property
    def levels(self) -> tuple[str, ...]:
        return self.settings.difficulties

    def cases(self) -> Iterator[Case]:
        """Every (seed, level) of the run: `seeds` seeds at each selected level."""
        for level in self.levels:
            for seed in range(self.settings.seeds):
                yield seed, level

    def problem(self, seed: int, level: str) -> Problem | None:
        """Problem (seed, 0, level), generated once; None (and a failure) if generation raised."""
        key = (seed, level)
        if key not in self._problems:
            try:
                self._problems[key] = self.template.generate(seed, 0, difficulty=level)
            except Exception as exc:  # noqa: BLE001  (a generator bug is a contract failure, not a crash)
                self._problems[key] = None
                self.fail(f"generate raised {type(exc).__name__}: {exc}", seed=seed, difficulty=level)
        return self._problems[key]

    def reference(self, seed: int, level: str) -> str | None:
        """The reference response of problem (seed, level); None (and a failure) if it is unusable."""
        key = (seed, level)
        if key not in self._references:
            problem = self.problem(seed, level)
            response: str | None = None
            if problem is not None:
                try:
                    response = self.template.reference_response(problem)
                except Exception as exc:  # noqa: BLE001
                    self.fail(f"reference_response raised {type(exc).__name__}: {exc}", seed=seed, difficulty=level)
                else:
                    if not isinstance(response, str):
                        self.fail(f"reference_response returned {type(response).__name__}, not str", seed=seed, difficulty=level)
                        response = None
            self._references[key] = response
        return self._references[key]

    def reference_outcome(self, seed: int, level: str) -> Outcome | None:
        """The (cached) outcome of verifying problem (seed, level) against its reference response."""
        key = (seed, level)
        if key not in self._reference_outcomes:
            problem, reference = self.problem(seed, level), self.reference(seed, level)
            self._reference_outcomes[key] = None if problem is None or reference is None else self.verify(problem, reference)
        return self._reference_outcomes[key]

    def answer_of(self, seed: int, level: str) -> str | None:
        """The final answer extracted from the reference response (as the verifier saw it, if it said)."""
        outcome, reference = self.reference_outcome(seed, level), self.reference(seed, level)
        if outcome is not None and outcome.verdict is not None and outcome.verdict.answer:
            return outcome.verdict.answer
        if reference is None:
            return None
        try:
            extraction = self.template.extract(reference)
        except Exception:  # noqa: BLE001  (a template without extraction simply gets no answer attacks)
            return None
        return extraction.answer if extraction.ok else None

    # ------------------------------------------------------------------ verification

    def verify(self, problem: Problem, response: Any) -> Outcome:
        """Call `template.verify`, timing it and catching what must never happen.

        A verifier that never returns (catastrophic regex backtracking, a sympy call on a tower of
        exponents) cannot be interrupted from Python: such loops hold the GIL. faulthandler's
        watchdog is a C thread that needs no GIL, so past `hang_limit` it prints every thread's
        stack — pointing at the verifier line that hangs — and ends the process, instead of
        letting a test run hang until CI's own limit with no explanation.
        """
        watchdog = _watchdog_stream()
        if watchdog is not None:
            faulthandler.dump_traceback_later(self.settings.hang_limit, exit=True, file=watchdog)
        start = time.perf_counter()
        try:
            verdict = self.template.verify(problem, response)
        except Exception as exc:  # noqa: BLE001
            seconds = time.perf_counter() - start
            return Outcome(None, seconds, f"verify raised {type(exc).__name__}: {shorten(str(exc), 200)}")
        finally:
            if watchdog is not None:
                faulthandler.cancel_dump_traceback_later()
        seconds = time.perf_counter() - start
        violation = verdict_violation(verdict)
        if violation:
            return Outcome(None, seconds, violation, discipline=True)
        return Outcome(verdict, seconds)

    def too_slow(self, outcome: Outcome) -> str | None:
        limit = self.settings.time_limit
        if outcome.seconds > limit:
            return f"verify took {outcome.seconds:.2f}s; every response must be judged within {limit:g}s"
        return None

    # ------------------------------------------------------------------ the other process

    def child(self) -> ChildAnswers | None:
        """Every case's generation and reference verification, done once in a fresh process.

        None (and the running check is skipped) when no other process can import the template.
        """
        where = locate(self.template)
        if isinstance(where, str):
            self.skip(f"no other process can import the template: {where}")
            return None
        if self._child is None:
            cases = list(self.cases())
            checked = [c for c in cases if self.problem(*c) is not None and self.reference(*c) is not None]
            result = run_in_child(
                where,
                [(seed, 0, level) for seed, level in cases],
                [(self.problem(*c).to_json(), self.reference(*c)) for c in checked],  # type: ignore[union-attr]
                timeout=self.settings.child_timeout,
            )
            self._child = ChildAnswers(
                generated=dict(zip(cases, result.generated)),
                verified=dict(zip(checked, result.verified)),
                error=result.error,
                hash_seed=result.hash_seed,
            )
        return self._child
