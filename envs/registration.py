"""Gymnasium registration of vrgym templates: every template is `vrgym/<Name>-v<version>`.

The registry calls `register_gym_env` for each template it accepts, so a template registered at
any time (built-in, entry-point plugin, or a user's own class) is immediately `gym.make`-able.
The entry point is a string, resolved lazily by Gymnasium, and the registered kwargs are plain
JSON, so `EnvSpec.to_json()` works and `gym.make(id, difficulty=…, **config)` overrides them.
"""

from __future__ import annotations

import gymnasium

from vrgym.template import Template

NAMESPACE = "vrgym"
ENTRY_POINT = "vrgym.envs.factory:make_task_env"


def register_gym_env(cls: type[Template]) -> None:
    """Register (or re-register) the Gymnasium id of template class `cls`."""
    env_id = cls.gym_id()
    gymnasium.registry.pop(env_id, None)  # re-registration of the same template is silent
    gymnasium.register(id=env_id, entry_point=ENTRY_POINT, kwargs={"task": cls.name})


def unregister_gym_env(cls: type[Template]) -> None:
    """Remove the Gymnasium id of `cls` (used when a test unregisters a template)."""
    gymnasium.registry.pop(cls.gym_id(), None)
