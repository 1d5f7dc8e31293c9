"""`Curriculum`: per-template difficulty that follows the learner's measured pass rate.

A curriculum wraps a `Mixture` (whose weights it keeps) and holds one current level per template.
Evidence comes either live — `update(task, difficulty, reward)` after each verified rollout — or
in bulk from the difficulty filter's output (`observe_filter("runs/x/stats.jsonl")`, rows with
task, difficulty, n, c). `sample(n)` then draws problems at the current levels.

The rule, per template, looks only at rewards observed at its *current* level since it arrived
there (older evidence describes a learner that no longer exists), over the last `window` of them:

* pass rate > `high` with at least the required number of fresh samples → one level up;
* pass rate < `low` with at least `min_samples` fresh samples → one level down.

Hysteresis, so the level does not flap: the band `low..high` is wide, a move clears the window,
and every demotion *from* a level doubles the samples needed before the next promotion *to* it
(`min_samples · 2^failures`, up to 2^8 · min_samples). A learner that sits between two levels
therefore settles at the lower one with ever rarer retries, instead of bouncing every few steps.
Rewards reported for another level than the current one (stale rollouts from an asynchronous
trainer) are counted but do not move the level.

State (levels, windows, backoffs, stream positions) saves to JSON and loads back, so a resumed
training run continues the same curriculum and never re-serves a problem already drawn.
"""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vrgym.mixture.mixture import Mixture, MixtureError
from vrgym.mixture.schedule import QuotaSchedule
from vrgym.problem import Problem
from vrgym.registry import get_template, resolve_name

STATE_VERSION = 1
MAX_BACKOFF = 8
"""At most 2^8 · min_samples fresh samples are needed to retry a level (a learner that improves still gets there)."""


@dataclass
class TaskState:
    """What the curriculum knows about one template."""

    level: int
    levels: list[str]
    window: deque[int]
    failures: dict[str, int] = field(default_factory=dict)
    """Level name → how many times the learner was demoted from it."""
    fresh: int = 0
    """Rewards counted at the current level since arriving there (the window keeps the last `window`)."""
    seen: int = 0
    """Rewards counted at any level."""
    stale: int = 0
    """Rewards that arrived for a level other than the current one."""
    moves: list[tuple[int, str, str]] = field(default_factory=list)
    """(rewards seen at the time, from level, to level) for every change."""

    @property
    def level_name(self) -> str:
        """The current level's name."""
        return self.levels[self.level]

    @property
    def pass_rate(self) -> float | None:
        """Mean reward over the window at the current level (None before any)."""
        return sum(self.window) / len(self.window) if self.window else None


class Curriculum:
    """Adaptive difficulty per template over a mixture's weights (see the module docstring)."""

    def __init__(
        self,
        mixture: Mixture,
        *,
        low: float = 0.3,
        high: float = 0.8,
        min_samples: int = 32,
        window: int = 128,
        start: Mapping[str, str | int] | None = None,
    ) -> None:
        """`low`/`high`: pass-rate band; `min_samples`: fresh rewards needed to move; `window`: rewards averaged.

        Each template starts at `start[task]` if given, else at its entry's `difficulty` (the lowest
        of its `difficulties` levels).
        """
        if not 0.0 <= low < high <= 1.0:
            raise ValueError(f"need 0 <= low < high <= 1, got low={low}, high={high}")
        if not 1 <= min_samples <= window:
            raise ValueError(f"need 1 <= min_samples <= window, got min_samples={min_samples}, window={window}")
        self.mixture = mixture
        self.low, self.high, self.min_samples, self.window = low, high, min_samples, window
        self.tasks: dict[str, TaskState] = {}
        self._entry_tasks: list[str] = []
        for entry in mixture.entries:
            self._entry_tasks.append(entry.task)
            if entry.task in self.tasks:
                continue
            levels = get_template(entry.task).Config.level_names()
            first = min((levels.index(level) for level in entry.levels()), default=0)
            self.tasks[entry.task] = TaskState(level=first, levels=levels, window=deque(maxlen=window))
        for task, level in (start or {}).items():
            state = self._state(task)
            state.level = state.levels.index(get_template(resolve_name(task)).Config.level_name(level))
        self.position = 0
        """Mixture positions drawn so far by `sample`."""
        self.entry_counts = [0] * len(mixture.entries)
        """Positions drawn per mixture entry: the schedule's state, so `sample` continues it in O(n)."""
        self.next_index: dict[str, int] = {}
        """'task/level' → next problem index of that stream (problems are never served twice)."""
        self._configs = {i: dict(entry.config) for i, entry in enumerate(mixture.entries)}

    # ------------------------------------------------------------------------------ evidence

    def levels(self) -> dict[str, str]:
        """Template → its current level name."""
        return {task: state.level_name for task, state in self.tasks.items()}

    def update(self, task: str, difficulty: str | int, reward: float) -> str:
        """Record one verified reward (0 or 1) for `task` at `difficulty`; return the task's level after it."""
        state = self._state(task)
        level = state.levels.index(get_template(resolve_name(task)).Config.level_name(difficulty))
        state.seen += 1
        if level != state.level:
            state.stale += 1
            return state.level_name
        state.window.append(1 if reward >= 0.5 else 0)
        state.fresh += 1
        self._decide(state)
        return state.level_name

    def update_problem(self, problem: Problem, reward: float) -> str:
        """`update` from a problem and its reward (the usual call inside a reward function)."""
        return self.update(problem.task, problem.difficulty, reward)

    def observe_counts(self, task: str, difficulty: str | int, n: int, c: int) -> str:
        """Record `c` successes out of `n` trials at once (e.g. one problem's filter statistics)."""
        if not 0 <= c <= n:
            raise ValueError(f"need 0 <= c <= n, got n={n}, c={c}")
        # Spread the successes evenly (Bresenham) so any suffix the window keeps has rate ≈ c/n.
        for i in range(n):
            reward = ((i + 1) * c) // n - (i * c) // n
            self.update(task, difficulty, reward)
        return self._state(task).level_name

    def observe_filter(self, path: str | os.PathLike[str]) -> dict[str, str]:
        """Set levels from a `vrgym filter` output (stats.jsonl or the selected file); return the new levels.

        The pass rates are pooled per (task, level) over the file's problems. From its current
        level each template then walks up while the measured rate at its level is above `high`
        (with at least `min_samples` samples) and, if it did not go up, down while it is below
        `low`. Templates absent from the file keep their level; rows of tasks that are not in the
        mixture are ignored.
        """
        from vrgym.io.reading import iter_records

        pooled: dict[tuple[str, str], list[int]] = {}
        for where, record in iter_records(path):
            missing = [key for key in ("task", "difficulty", "n", "c") if key not in record]
            if missing:
                raise MixtureError(f"{where}: no {', '.join(missing)} column; pass the stats.jsonl or selected file of `vrgym filter`")
            try:
                task = resolve_name(record["task"])
            except KeyError:
                continue
            if task not in self.tasks:
                continue
            counts = pooled.setdefault((task, str(record["difficulty"])), [0, 0])
            counts[0] += int(record["n"])
            counts[1] += int(record["c"])
        for task, state in self.tasks.items():
            rates = {
                state.levels.index(level): c / n
                for (t, level), (n, c) in pooled.items()
                if t == task and level in state.levels and n >= self.min_samples
            }
            start = state.level
            while state.level + 1 < len(state.levels) and rates.get(state.level, -1.0) > self.high:
                state.level += 1
            if state.level == start:
                while state.level > 0 and rates.get(state.level, 2.0) < self.low:
                    state.level -= 1
            if state.level != start:
                state.moves.append((state.seen, state.levels[start], state.level_name))
                state.window.clear()
                state.fresh = 0
        return self.levels()

    def _decide(self, state: TaskState) -> None:
        rate, fresh = state.pass_rate, state.fresh
        if rate is None:
            return
        if rate > self.high and state.level + 1 < len(state.levels):
            target = state.levels[state.level + 1]
            needed = self.min_samples * 2 ** min(MAX_BACKOFF, state.failures.get(target, 0))
            if fresh >= needed:
                self._move(state, +1)
        elif rate < self.low and state.level > 0 and fresh >= self.min_samples:
            name = state.level_name
            state.failures[name] = state.failures.get(name, 0) + 1
            self._move(state, -1)

    def _move(self, state: TaskState, step: int) -> None:
        before = state.level_name
        state.level += step
        state.moves.append((state.seen, before, state.level_name))
        state.window.clear()
        state.fresh = 0

    def _state(self, task: str) -> TaskState:
        name = resolve_name(task)
        if name not in self.tasks:
            raise MixtureError(f"{name} is not in this curriculum's mixture; its tasks are {', '.join(self.tasks)}")
        return self.tasks[name]

    # ------------------------------------------------------------------------------ sampling

    def sample(self, n: int, seed: int | None = None) -> list[Problem]:
        """The next `n` problems of the mixture at the current levels (never one already sampled).

        Positions follow the mixture's entry weights (quota schedule, continued across calls);
        each (task, level) stream keeps its own index, so a template that returns to a level
        carries on with new problems. Same state and seed → the same problems.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        seed = self.mixture.seed if seed is None else seed
        problems: list[Problem] = []
        if n == 0:
            return problems
        for j, _ in self._schedule().run(self.entry_counts):
            task = self._entry_tasks[j]
            state = self.tasks[task]
            key = f"{task}/{state.level_name}"
            index = self.next_index.get(key, 0)
            self.next_index[key] = index + 1
            template = get_template(task)
            problems.append(template.generate(seed, index, difficulty=state.level_name, **self._configs[j]))
            self.position += 1
            self.entry_counts[j] += 1
            if len(problems) >= n:
                break
        return problems

    def _schedule(self) -> QuotaSchedule:
        entries = self.mixture.entries
        return QuotaSchedule([e.weight for e in entries], self.mixture.seed, [f"{i}:{e.task}" for i, e in enumerate(entries)])

    # ------------------------------------------------------------------------------ state

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to resume: settings, mixture, levels, windows, backoffs, positions."""
        return {
            "version": STATE_VERSION,
            "mixture": self.mixture.to_dict(),
            "settings": {"low": self.low, "high": self.high, "min_samples": self.min_samples, "window": self.window},
            "position": self.position,
            "entry_counts": list(self.entry_counts),
            "next_index": dict(self.next_index),
            "tasks": {
                task: {
                    "level": s.level_name,
                    "window": list(s.window),
                    "fresh": s.fresh,
                    "failures": dict(s.failures),
                    "seen": s.seen,
                    "stale": s.stale,
                    "moves": [list(m) for m in s.moves],
                }
                for task, s in self.tasks.items()
            },
        }

    @classmethod
    def from_state_dict(cls, data: Mapping[str, Any]) -> Curriculum:
        """Rebuild a curriculum saved by `state_dict` (MixtureError if it is not one)."""
        if not isinstance(data, Mapping) or data.get("version") != STATE_VERSION:
            raise MixtureError(f"not a curriculum state of version {STATE_VERSION}; save one with Curriculum.save")
        curriculum = cls(Mixture.from_dict(data["mixture"]), **data["settings"])
        curriculum.position = int(data["position"])
        curriculum.entry_counts = [int(c) for c in data["entry_counts"]]
        if len(curriculum.entry_counts) != len(curriculum.mixture.entries):
            raise MixtureError("the saved schedule state does not match the saved mixture; the state file was edited")
        curriculum.next_index = {str(k): int(v) for k, v in data["next_index"].items()}
        for task, saved in data["tasks"].items():
            state = curriculum._state(task)
            state.level = state.levels.index(saved["level"])
            state.window.extend(int(r) for r in saved["window"])
            state.failures = {str(k): int(v) for k, v in saved["failures"].items()}
            state.seen, state.stale, state.fresh = int(saved["seen"]), int(saved["stale"]), int(saved["fresh"])
            state.moves = [(int(a), str(b), str(c)) for a, b, c in saved["moves"]]
        return curriculum

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the state as JSON, atomically (a crash mid-write keeps the previous file)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".partial")
        tmp.write_text(json.dumps(self.state_dict(), indent=1), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Curriculum:
        """Read a state written by `save`."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise MixtureError(f"{path}: cannot read a curriculum state ({exc})") from None
        return cls.from_state_dict(data)

    def summary(self) -> list[dict[str, Any]]:
        """Per template: level, windowed pass rate, fresh samples, moves (for logging)."""
        return [
            {"task": t, "level": s.level_name, "pass_rate": s.pass_rate, "fresh": s.fresh, "moves": len(s.moves), "seen": s.seen}
            for t, s in self.tasks.items()
        ]
