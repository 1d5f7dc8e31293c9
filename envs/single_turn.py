"""`SingleTurnEnv`: one template as a Gymnasium env — the prompt is the observation, one response
is the action, and the verifier's 0/1 is the reward.

Problems come from a stream, exactly like `vrgym.generate(task, n, seed)`: `reset(seed=s)` gives
problem `(s, 0)` and each later `reset()` the next index; without any seed, the stream seed is
drawn once from `self.np_random`. `reset(options={"index": i})` jumps to index `i` of the
current stream, and `reset(options={"problem": p})` replays a given Problem (or its dict or JSON)
so that every member of a GRPO group answers the same problem.

`info` is deterministic (no timings, no ids of objects) and freshly built on every call, as
`check_env` requires. It holds the frozen `Problem` and `Verdict` objects themselves, not their
dicts: dumping them on every episode cost more than the rest of the env (call `.model_dump()` or
`.to_json()` to log them). The hot path is `template.generate` / `template.verify`, nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import gymnasium
import numpy as np
from gymnasium.error import ResetNeeded
from gymnasium.utils import seeding

from vrgym.envs.text_space import TextSpace
from vrgym.problem import Problem
from vrgym.registry import get_template
from vrgym.template import Template
from vrgym.verdict import Verdict

RESET_OPTIONS = ("index", "problem")
_MAX_STREAM_SEED = 2**63 - 1


class SingleTurnEnv(gymnasium.Env[str, str]):
    """Prompt → one response → reward 0.0 or 1.0, terminated."""

    metadata: ClassVar[dict[str, Any]] = {"render_modes": []}

    def __init__(self, task: str | Template, difficulty: str | int | None = None, **config: Any) -> None:
        self._rng: np.random.Generator | None = None
        self._rng_seed: int | None = None
        self.template: Template = get_template(task) if isinstance(task, str) else task
        self.config = self.template.config(difficulty, **config)  # ConfigError now, not at the first reset
        self.observation_space = TextSpace()
        self.action_space = TextSpace()
        self._stream_seed: int | None = None
        self._next_index = 0
        self._problem: Problem | None = None
        self._done = True

    # Gymnasium's `super().reset(seed=s)` builds a numpy Generator from a SeedSequence on every
    # seeded reset (~50 µs, more than generating a cheap problem). An RL loop reseeds every episode
    # and vrgym never draws from it when a seed is given, so the Generator is built on first use:
    # `_np_random` (the attribute Gymnasium and check_env read) materialises it from the seed.

    @property
    def _np_random(self) -> np.random.Generator | None:
        if self._rng is None and self._rng_seed is not None:
            self._rng, _ = seeding.np_random(self._rng_seed)
        return self._rng

    @_np_random.setter
    def _np_random(self, value: np.random.Generator | None) -> None:
        self._rng, self._rng_seed = value, None

    @property
    def problem(self) -> Problem | None:
        """The problem of the current episode (None before the first reset)."""
        return self._problem

    # ------------------------------------------------------------------------------ Gymnasium API

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        """Start an episode on the next problem of the stream (see the module docstring for options)."""
        if seed is not None:  # what super().reset(seed=seed) does, with the Generator built lazily
            if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
                raise gymnasium.error.Error(f"seed must be a non-negative int, got {seed!r}")
            seed = int(seed)
            self._rng, self._rng_seed, self._np_random_seed = None, seed, seed
            self._stream_seed, self._next_index = seed, 0
        self._problem = self._select_problem(options)
        self._done = False
        self._on_reset()
        problem = self._problem
        return problem.prompt, {
            "problem": problem,
            "problem_id": problem.id,
            "task": problem.task,
            "difficulty": problem.difficulty,
        }

    def step(self, action: str) -> tuple[str, float, bool, bool, dict[str, Any]]:
        """Verify `action` (any value; a non-str scores 0 with reason 'format') and end the episode."""
        verdict = self._verify(action)
        self._done = True
        return "", float(verdict.reward), True, False, self._step_info(verdict)

    # ------------------------------------------------------------------------------ shared machinery

    def _verify(self, action: Any) -> Verdict:
        """The verdict on `action` for the current problem; refuses a step outside an episode."""
        if self._problem is None:
            raise ResetNeeded(f"{type(self).__name__}: call env.reset() before env.step()")
        if self._done:
            raise ResetNeeded(f"{type(self).__name__}: the episode has terminated; call env.reset() to start the next one")
        return self.template.verify(self._problem, action)

    def _step_info(self, verdict: Verdict) -> dict[str, Any]:
        """The deterministic info of a step (subclasses add keys)."""
        assert self._problem is not None
        return {
            "verdict": verdict,
            "reward": float(verdict.reward),
            "reason": verdict.reason,
            "problem_id": self._problem.id,
            "infrastructure_failure": verdict.is_infrastructure_failure,
        }

    def _on_reset(self) -> None:
        """Hook for subclasses: reset per-episode state."""

    def _select_problem(self, options: Mapping[str, Any] | None) -> Problem:
        if options:
            self._apply_options(options)
            if "problem" in options:
                return self.template.accept(options["problem"])
        if self._stream_seed is None:
            self._stream_seed = int(self.np_random.integers(0, _MAX_STREAM_SEED))
        problem = self.template.generate(self._stream_seed, self._next_index, self.config)
        self._next_index += 1
        return problem

    def _apply_options(self, options: Mapping[str, Any]) -> None:
        unknown = sorted(set(options) - set(RESET_OPTIONS))
        if unknown:
            raise ValueError(f"unknown reset option(s) {unknown}; valid options are {list(RESET_OPTIONS)}")
        if "problem" in options:
            if "index" in options:
                raise ValueError("reset options 'problem' and 'index' exclude each other: a replayed problem has its own index")
        elif "index" in options:
            index = options["index"]
            if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or index < 0:
                raise ValueError(f"reset option 'index' must be a non-negative int, got {index!r}")
            self._next_index = int(index)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.template.name} difficulty={self.config.difficulty!r}>"

