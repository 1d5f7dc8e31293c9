"""TRL adapter: a `GRPOTrainer` reward function and the dataset it reads.

TRL (1.x) calls every reward function with keyword arguments only::

    reward_func(prompts=…, completions=…, completion_ids=…, trainer_state=…, log_extra=…,
                log_metric=…, **{every dataset column except "prompt"}) -> list[float | None]

so the `problem` column written by `build_trl_dataset` (the Problem's JSON) arrives as a list, one
entry per completion, already repeated for each of the G generations. Completions are strings
(standard format) or message lists (conversational format; the last assistant message is read).

The returned list has one value per completion: 1.0 / 0.0 from the problem's own verifier, or
None (TRL turns it into NaN and leaves the sample out of that function's reward) for a sandbox
or verifier error, which says nothing about the model. When TRL passes `log_extra` / `log_metric`
(it does from 1.x on), each completion's verdict reason and task go to the completions table and
the fraction of each reason to the metrics (``vrgym/reason/<reason>``), so a rise of
``hack:multiple_answers`` or ``no_answer`` is visible in the training logs.

    from trl import GRPOConfig, GRPOTrainer
    from vrgym.integrations.trl import build_trl_dataset, vrgym_reward
    dataset = build_trl_dataset(["Arithmetic", "Game24"], n=500, seed=0)
    trainer = GRPOTrainer(model=…, reward_funcs=vrgym_reward, train_dataset=dataset, args=GRPOConfig(…))
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from vrgym.integrations.export import build_dataset
from vrgym.integrations.routing import (
    Router,
    RoutingError,
    completion_text,
    reason_counts,
)

logger = logging.getLogger(__name__)

PROBLEM_COLUMN = "problem"


class TrlReward:
    """A picklable TRL reward function; `__name__` is what TRL shows in its ``rewards/<name>/mean`` logs.

    `column`: the dataset column holding the Problem JSON. `infrastructure_reward`: the value for a
    sandbox/verifier error (None skips the sample; 0.0 counts it as a failure). `workers` > 1:
    verify a batch on that many threads (`processes=True`: processes, for CPU-heavy verifiers).
    `name`: the name TRL logs the reward under. `log_reasons`: send each verdict's reason and task
    to TRL's completions table and metrics.
    """

    def __init__(
        self,
        *,
        column: str = PROBLEM_COLUMN,
        infrastructure_reward: float | None = None,
        workers: int = 1,
        processes: bool = False,
        name: str = "vrgym_reward",
        log_reasons: bool = True,
    ) -> None:
        self.column = column
        self.router = Router(
            infrastructure_reward=infrastructure_reward,
            workers=workers,
            processes=processes,
        )
        self.__name__ = name
        self.log_reasons = log_reasons

    def __call__(
        self,
        prompts: Sequence[Any] | None = None,
        completions: Sequence[Any] | None = None,
        log_extra: Callable[[str, list[Any]], None] | None = None,
        log_metric: Callable[[str, float], None] | None = None,
        **kwargs: Any,
    ) -> list[float | None]:
        """One reward per completion, routed through the `column` dataset column (see the module docstring)."""
        if completions is None:
            raise TypeError(
                f"{self.__name__} needs completions=…; TRL passes them by keyword"
            )
        problems = kwargs.get(self.column)
        if problems is None:
            known = (
                ", ".join(
                    sorted(
                        k
                        for k in kwargs
                        if k not in ("trainer_state", "completion_ids")
                    )
                )
                or "none"
            )
            raise RoutingError(
                f"{self.__name__}: no {self.column!r} column reached the reward function (dataset columns: {known}); "
                "build the dataset with vrgym.integrations.trl.build_trl_dataset, or pass column=… to make_trl_reward"
            )
        texts = [completion_text(c) for c in completions]
        routed = self.router.verify_many(problems, texts)
        rewards = [self.router.reward(r) for r in routed]
        if self.log_reasons:
            self._log(routed, log_extra, log_metric)
        return rewards

    def _log(self, routed: Sequence[Any], log_extra: Any, log_metric: Any) -> None:
        counts = reason_counts(routed)
        skipped = sum(r.infrastructure for r in routed)
        if skipped:
            logger.warning("%s: %d of %d completions hit an infrastructure error (%s); their reward is %s",
                           self.__name__, skipped, len(routed), dict(counts), self.router.infrastructure_reward)  # fmt: skip
        if log_extra is not None:
            log_extra("vrgym_reason", [r.verdict.reason for r in routed])
            log_extra("vrgym_task", [r.task for r in routed])
        if log_metric is not None and routed:
            for reason, count in sorted(counts.items()):
                log_metric(f"vrgym/reason/{reason}", count / len(routed))


make_trl_reward = TrlReward
"""A TRL reward function with options (`make_trl_reward(column=…, infrastructure_reward=…, workers=…,
processes=…, name=…, log_reasons=…)`; see `TrlReward`)."""


vrgym_reward = make_trl_reward()
"""The default TRL reward function: reads the `problem` column, None for infrastructure errors."""


build_trl_dataset = build_dataset
"""A `datasets.Dataset` for GRPOTrainer (`build_trl_dataset(source, n, seed, difficulty=…, conversational=…,
system_prompt=…)`): the export layout, one function for both so the two cannot drift apart."""
