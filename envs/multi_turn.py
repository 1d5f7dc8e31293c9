"""`MultiTurnEnv`: retry with verifier feedback, reward at the end.

The episode starts like `SingleTurnEnv`. A wrong response is not the end: the verifier's `detail`
comes back as the next observation (what was wrong, and how many attempts are left), the reward is
0 and the episode goes on, up to `max_turns` responses. A correct response terminates with reward
1; the last failed turn terminates with reward 0. A verdict that blames the checker rather than the
model (`Verdict.is_infrastructure_failure`, e.g. a sandbox that did not start) terminates at once
with `info["infrastructure_failure"] = True`, so it neither burns retries nor passes for a model
failure.

Later multi-turn templates build on this class: the feedback text comes from `format_feedback`,
which subclasses override.
"""

from __future__ import annotations

from typing import Any

from vrgym.envs.single_turn import SingleTurnEnv
from vrgym.envs.text_space import to_printable_text
from vrgym.errors import ConfigError
from vrgym.template import Template
from vrgym.verdict import Verdict

DEFAULT_MAX_TURNS = 3


class MultiTurnEnv(SingleTurnEnv):
    """Prompt → response → feedback → response … until solved or `max_turns` responses."""

    def __init__(
        self, task: str | Template, difficulty: str | int | None = None, *, max_turns: int = DEFAULT_MAX_TURNS, **config: Any
    ) -> None:
        if isinstance(max_turns, bool) or not isinstance(max_turns, int) or max_turns < 1:
            raise ConfigError(f"max_turns must be an int >= 1 (1 means single-turn), got {max_turns!r}")
        super().__init__(task, difficulty, **config)
        self.max_turns = max_turns
        self.turn = 0
        """Responses given in the current episode."""

    def step(self, action: str) -> tuple[str, float, bool, bool, dict[str, Any]]:
        """Verify `action`; on failure with turns left, return feedback as the next observation."""
        verdict = self._verify(action)
        self.turn += 1
        terminated = verdict.reward == 1 or verdict.is_infrastructure_failure or self.turn >= self.max_turns
        self._done = terminated
        observation = "" if terminated else to_printable_text(self.format_feedback(verdict))
        info = self._step_info(verdict)
        info["turn"] = self.turn
        return observation, float(verdict.reward), terminated, False, info

    def format_feedback(self, verdict: Verdict) -> str:
        """The observation after a failed, non-final turn (override for task-specific feedback).

        `self.turn` is the number of responses given so far; `self.max_turns - self.turn` remain.
        """
        left = self.max_turns - self.turn
        detail = f" {verdict.detail}" if verdict.detail else ""
        return (
            f"Your response was not accepted ({verdict.reason}).{detail}\n"
            f"Try again: you have {left} attempt{'' if left == 1 else 's'} left. "
            "Give your complete answer in the format the problem asks for."
        )

    def _on_reset(self) -> None:
        self.turn = 0

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.template.name} difficulty={self.config.difficulty!r} max_turns={self.max_turns}>"
