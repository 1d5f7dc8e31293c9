"""`InstructionDialogueEnv`: an instruction-following conversation, one user turn per step.

The `InstructionDialogue` template plans a conversation: a writing request with constraints, then
follow-up messages that add, change or cancel one. This env plays it out: `reset` shows the first
user message; each `step(reply)` is the policy's reply to the current message. Until the last
message the reward is 0 and the episode goes on with the next user message as observation —
preceded by a one-line complaint when the reply broke a constraint then in force (what a user
would say; the checks are also in `info["turn_verdict"]`). The reply to the last message is
verified against the constraints in force at the end — earlier ones that were neither changed
nor cancelled included — and that verdict is the episode's reward, 0 or 1.

Registered as `vrgym/InstructionDialogueChat-v0` (the template's own `vrgym/InstructionDialogue-v0`
is the flattened single-turn version). Same contract as the other envs: text spaces, a
deterministic `info`, `reset(seed=…)` / `options={"index"|"problem"}`, and `check_env` passes.
"""

from __future__ import annotations

from typing import Any

from vrgym.envs.single_turn import SingleTurnEnv
from vrgym.envs.text_space import to_printable_text
from vrgym.errors import ConfigError
from vrgym.template import Template

TASK = "InstructionDialogue"


class InstructionDialogueEnv(SingleTurnEnv):
    """User message → reply → next user message … → final reply scored against the constraints in force."""

    def __init__(self, task: str | Template = TASK, difficulty: str | int | None = None, *, feedback: bool = True,
                 **config: Any) -> None:
        super().__init__(task, difficulty, **config)
        if not hasattr(self.template, "check_turn"):
            raise ConfigError(
                f"InstructionDialogueEnv plays templates with planned turns (like {TASK}); {self.template.name} has none — "
                "use gym.make(template.gym_id(), max_turns=…) for retries with feedback instead"
            )
        self.feedback = bool(feedback)
        self.turn = 0
        """Replies given in the current episode."""

    @property
    def turns(self) -> list[dict[str, Any]]:
        """The planned user turns of the current problem."""
        assert self._problem is not None
        return self._problem.metadata["turns"]

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        """Start a conversation; the observation is the first user message."""
        _, info = super().reset(seed=seed, options=options)
        from vrgym.tasks.instruction.dialogue import turn_message

        info["turns"] = len(self.turns)
        return to_printable_text(turn_message(self.turns, 0)), info

    def step(self, action: str) -> tuple[str, float, bool, bool, dict[str, Any]]:
        """Reply to the current user message; reward only on the last one."""
        from vrgym.tasks.instruction.dialogue import turn_message

        last = self.turn >= len(self.turns) - 1
        if last:
            verdict = self._verify(action)
        else:
            self._verify_allowed()
            verdict = self._turn_verdict(action)
        self.turn += 1
        info = self._step_info(verdict) if last else self._intermediate_info(verdict)
        info["turn"] = self.turn
        if last:
            self._done = True
            return "", float(verdict.reward), True, False, info
        observation = turn_message(self.turns, self.turn)
        if self.feedback and verdict.reward == 0:
            observation = f"(Your last reply did not follow the instructions: {verdict.detail[:300]})\n\n{observation}"
        return to_printable_text(observation), 0.0, False, False, info

    def _verify_allowed(self) -> None:
        """Raise ResetNeeded outside an episode (what `_verify` does before verifying)."""
        if self._problem is None or self._done:
            self._verify("")  # raises the right ResetNeeded message

    def _turn_verdict(self, action: Any):  # noqa: ANN202  (a Verdict)
        """The verdict of an intermediate reply against the constraints in force at this turn."""
        from vrgym.verdict import FORMAT, TOO_LONG, VERIFIER_ERROR, Verdict

        assert self._problem is not None
        if not isinstance(action, str):
            return Verdict.fail(FORMAT, f"the response must be a string, got {type(action).__name__}")
        if len(action) > self.template.max_response_chars:
            return Verdict.fail(TOO_LONG, f"the response has {len(action)} characters; the limit is {self.template.max_response_chars}")
        try:
            return self.template.check_turn(self._problem, action, self.turn)  # type: ignore[attr-defined]
        except Exception as exc:  # like Template.verify: a checker bug is reported, never a crashed episode
            return Verdict.fail(VERIFIER_ERROR, f"{self.template.name}.check_turn raised {type(exc).__name__}: {exc}")

    def _intermediate_info(self, verdict: Any) -> dict[str, Any]:
        """Info of a non-final step: the turn's verdict for diagnostics, reward 0."""
        assert self._problem is not None
        return {
            "turn_verdict": verdict,
            "reward": 0.0,
            "reason": "in_progress",
            "problem_id": self._problem.id,
            "infrastructure_failure": False,
        }

    def _on_reset(self) -> None:
        self.turn = 0

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.template.name} difficulty={self.config.difficulty!r}>"
