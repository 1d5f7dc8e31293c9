"""OpenRLHF adapter: the reward-function file interface (and the core of the HTTP reward server).

OpenRLHF loads a Python file given to ``--reward.remote_url`` (``--remote_rm_url`` up to 0.9) and
calls::

    reward_func(queries, prompts, labels, **kwargs) -> {"rewards", "scores", "extra_logs"}

`queries` are prompt + response decoded with ``skip_special_tokens=False`` (so with chat markers
and padding), `prompts` the prompt texts, `labels` the dataset field named by ``--data.label_key``
(``--label_key`` before 0.10): here the Problem's JSON, e.g. the `problem` column of
``vrgym export``. The response is cut out of each query by `response_from_query` (prompt prefix
removed, text after the end-of-turn marker dropped, special tokens stripped).

`rewards` and `scores` are float tensors (lists when torch is absent) of 1.0 / 0.0;
`extra_logs` holds per-sample tensors with fixed keys (OpenRLHF concatenates them across calls):
``vrgym_correct``, ``vrgym_no_answer`` (no_answer / format), ``vrgym_hack`` (``hack:*``) and
``vrgym_infra_error`` (sandbox/verifier errors, whose reward is `infrastructure_reward`: OpenRLHF
cannot skip a sample).

    # reward_func.py, passed as --reward.remote_url reward_func.py --data.label_key problem
    from vrgym.integrations.openrlhf import reward_func
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from vrgym.integrations.routing import (
    END_OF_TURN_TOKENS,
    SPECIAL_TOKENS,
    Routed,
    Router,
    RoutingError,
    response_from_query,
)
from vrgym.verdict import FORMAT, NO_ANSWER, OK

EXTRA_LOG_KEYS = ("vrgym_correct", "vrgym_no_answer", "vrgym_hack", "vrgym_infra_error")


class OpenRLHFReward:
    """OpenRLHF's `reward_func` with options; `as_tensors=False` returns plain lists (what the HTTP server sends)."""

    def __init__(
        self,
        *,
        special_tokens: Iterable[str] = SPECIAL_TOKENS,
        end_tokens: Iterable[str] = END_OF_TURN_TOKENS,
        infrastructure_reward: float = 0.0,
        workers: int = 1,
        as_tensors: bool = True,
    ) -> None:
        self.special_tokens = tuple(special_tokens)
        self.end_tokens = tuple(end_tokens)
        self.router = Router(
            infrastructure_reward=infrastructure_reward, workers=workers
        )
        self.as_tensors = as_tensors

    def responses(
        self, queries: Sequence[Any], prompts: Sequence[Any] | None
    ) -> list[Any]:
        """The model's response inside each query."""
        if prompts is not None and len(prompts) != len(queries):
            raise RoutingError(
                f"got {len(queries)} queries but {len(prompts)} prompts; send one prompt per query"
            )
        prompts = prompts if prompts is not None else [None] * len(queries)
        return [
            response_from_query(
                q, p, special_tokens=self.special_tokens, end_tokens=self.end_tokens
            )
            for q, p in zip(queries, prompts)
        ]

    def __call__(self, queries: Sequence[Any], prompts: Sequence[Any] | None = None, labels: Sequence[Any] | None = None,
                 **kwargs: Any) -> dict[str, Any]:  # fmt: skip
        """Rewards for `queries` (see the module docstring)."""
        if labels is None:
            raise RoutingError(
                "no labels: start OpenRLHF with --data.label_key problem (older: --label_key problem) "
                "on a dataset exported by `vrgym export`"
            )
        routed = self.router.verify_many(list(labels), self.responses(queries, prompts))
        rewards = [float(self.router.reward(r) or 0.0) for r in routed]
        extra = {
            key: [float(v) for v in values]
            for key, values in zip(EXTRA_LOG_KEYS, zip(*map(_flags, routed)))
        }
        if not routed:
            extra = {key: [] for key in EXTRA_LOG_KEYS}
        if not self.as_tensors:
            return {"rewards": rewards, "scores": list(rewards), "extra_logs": extra}
        import torch

        return {
            "rewards": torch.tensor(rewards, dtype=torch.float32),
            "scores": torch.tensor(rewards, dtype=torch.float32),
            "extra_logs": {
                key: torch.tensor(values, dtype=torch.float32)
                for key, values in extra.items()
            },
        }


def _flags(routed: Routed) -> tuple[bool, bool, bool, bool]:
    reason = routed.verdict.reason
    return (
        reason == OK,
        reason in (NO_ANSWER, FORMAT),
        reason.startswith("hack:"),
        routed.infrastructure,
    )


_default = OpenRLHFReward()


def reward_func(queries: Sequence[Any], prompts: Sequence[Any] | None = None, labels: Sequence[Any] | None = None,
                **kwargs: Any) -> dict[str, Any]:  # fmt: skip
    """OpenRLHF's reward-function interface with the default options (torch tensors, default chat markers)."""
    return _default(queries, prompts, labels, **kwargs)
