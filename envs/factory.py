"""`make_task_env`: the entry point every `vrgym/<Name>-v<version>` Gymnasium id points at.

`gym.make("vrgym/Arithmetic-v0", difficulty="hard", max_turns=3, n_terms=5)` arrives here as
`make_task_env(task="Arithmetic", difficulty="hard", max_turns=3, n_terms=5)`: the remaining
keywords are template config overrides, validated now so that a typo fails at make time with a
`ConfigError` that lists the valid fields and levels. `task`, `difficulty`, `max_turns` and
`render_mode` are the env's own keywords, so no template config field may use those names.
"""

from __future__ import annotations

from typing import Any

from vrgym.envs.multi_turn import MultiTurnEnv
from vrgym.envs.single_turn import SingleTurnEnv
from vrgym.errors import ConfigError


def make_task_env(
    task: str, difficulty: str | int | None = None, max_turns: int = 1, render_mode: str | None = None, **config: Any
) -> SingleTurnEnv:
    """A `SingleTurnEnv` when `max_turns == 1`, else a `MultiTurnEnv` allowing `max_turns` responses."""
    if render_mode is not None:
        raise ConfigError(
            f"vrgym envs have no render modes (got render_mode={render_mode!r}): the observation already is the text; "
            "drop render_mode"
        )
    if max_turns == 1 and not isinstance(max_turns, bool):
        return SingleTurnEnv(task, difficulty, **config)
    return MultiTurnEnv(task, difficulty, max_turns=max_turns, **config)
