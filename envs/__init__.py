"""Gymnasium environments for vrgym templates (installed as `vrgym.envs`).

* `TextSpace` — observation and action space: any printable Unicode string (`text_space`);
* `SingleTurnEnv` — prompt, one response, reward 0/1 (`single_turn`);
* `MultiTurnEnv` — retries with verifier feedback, reward at the end (`multi_turn`);
* `make_task_env` — the entry point of every `vrgym/<Name>-v<version>` id (`factory`);
* `registration` — keeps Gymnasium's registry in step with vrgym's.
"""

from vrgym.envs.factory import make_task_env
from vrgym.envs.multi_turn import MultiTurnEnv
from vrgym.envs.single_turn import SingleTurnEnv
from vrgym.envs.text_space import TextSpace

__all__ = ["MultiTurnEnv", "SingleTurnEnv", "TextSpace", "make_task_env"]
