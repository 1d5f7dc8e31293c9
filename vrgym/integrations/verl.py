"""verl adapter: a custom reward function (single and batch) and the parquet layout verl reads.

verl calls a custom reward function with keyword arguments::

    compute_score(data_source=…, solution_str=…, ground_truth=…, extra_info=…, **kwargs)

where `solution_str` is the decoded response alone, `ground_truth` is the row's
``reward_model["ground_truth"]`` and `extra_info` the row's ``extra_info`` (verl adds keys such as
``num_turns``; a GenRM setup adds kwargs such as ``reward_router_address``, which are ignored here).
The batch reward manager calls ``compute_score(data_sources, solution_strs, ground_truths,
extra_infos, **kwargs)`` and expects a list.

The ground truth is the Problem's JSON string: nested lists and dicts read back from parquet as
numpy types, a string does not. The returned dict has ``score`` (what verl trains on) and the same
keys for every sample, which verl collects as ``reward_extra_info``: ``acc`` (1.0/0.0), ``reason``
(the verdict code; verl's metrics skip string fields), ``task`` and ``infra_error`` (1 for a sandbox
or verifier error, whose score is `INFRASTRUCTURE_SCORE`, since verl has no "skip this sample").

Config (verl 0.9: ``reward.custom_reward_function``; older: top-level ``custom_reward_function``)::

    reward.custom_reward_function.path=$(python -c "import vrgym.integrations.verl as m; print(m.__file__)")
    reward.custom_reward_function.name=compute_score          # or compute_score_batch with reward_manager=batch
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from vrgym.integrations.export import chat_messages, message_type, select_problems
from vrgym.integrations.routing import Routed, Router
from vrgym.io.writers import ParquetWriter
from vrgym.problem import Problem

INFRASTRUCTURE_SCORE = 0.0
"""verl's score for a sandbox/verifier error (verl cannot skip a sample; `infra_error` marks it)."""

_router = Router(infrastructure_reward=INFRASTRUCTURE_SCORE)


def _result(routed: Routed) -> dict[str, Any]:
    score = _router.reward(routed)
    return {
        "score": float(score if score is not None else INFRASTRUCTURE_SCORE),
        "acc": float(routed.verdict.reward),
        "reason": routed.verdict.reason,
        "task": routed.task,
        "infra_error": int(routed.infrastructure),
    }


def compute_score(
    data_source: str | None = None,
    solution_str: Any = None,
    ground_truth: Any = None,
    extra_info: Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """verl's custom reward function: ``{"score", "acc", "reason", "task", "infra_error"}`` for one response."""
    return _result(
        _router.verify(
            ground_truth, solution_str, where=f"ground_truth ({data_source})"
        )
    )


def compute_score_batch(
    data_sources: Sequence[str],
    solution_strs: Sequence[Any],
    ground_truths: Sequence[Any],
    extra_infos: Sequence[Mapping[str, Any] | None] | None = None,
    **kwargs: Any,
) -> list[dict[str, Any]]:
    """verl's batch reward function (``reward_manager=batch``): one `compute_score` dict per response, in order."""
    return [
        _result(r)
        for r in _router.verify_many(list(ground_truths), list(solution_strs))
    ]


def data_source(problem: Problem) -> str:
    """The ``data_source`` of a problem's row: ``vrgym/<Task>`` (verl groups validation metrics by it)."""
    return f"vrgym/{problem.task}"


def verl_row(
    problem: Problem, index: int, split: str, *, system_prompt: str | None = None
) -> dict[str, Any]:
    """One row in verl's layout."""
    from vrgym.registry import get_template_class

    return {
        "data_source": data_source(problem),
        "prompt": chat_messages(problem, system_prompt),
        "ability": get_template_class(problem.task).domain,
        "reward_model": {"style": "rule", "ground_truth": problem.to_json()},
        "extra_info": {
            "split": split,
            "index": index,
            "task": problem.task,
            "difficulty": problem.difficulty,
            "id": problem.id,
        },
    }


@cache
def verl_schema() -> Any:
    """pyarrow schema of verl rows."""
    import pyarrow as pa

    return pa.schema(
        [
            pa.field("data_source", pa.string()),
            pa.field("prompt", message_type()),
            pa.field("ability", pa.string()),
            pa.field(
                "reward_model",
                pa.struct(
                    [
                        pa.field("style", pa.string()),
                        pa.field("ground_truth", pa.string()),
                    ]
                ),
            ),
            pa.field(
                "extra_info",
                pa.struct(
                    [
                        pa.field("split", pa.string()),
                        pa.field("index", pa.int64()),
                        pa.field("task", pa.string()),
                        pa.field("difficulty", pa.string()),
                        pa.field("id", pa.string()),
                    ]
                ),
            ),
        ],
        metadata={"vrgym": "verl-rows/1"},
    )


def export_verl_parquet(
    source: Any,
    path: str | os.PathLike[str],
    split: str = "train",
    n: int | None = None,
    *,
    seed: int = 0,
    difficulty: str | int | None = None,
    config: Mapping[str, Any] | None = None,
    system_prompt: str | None = None,
) -> int:
    """Write `source` (Problems, template names with `n`, or a Mixture) as a verl parquet file; return the row count.

    Crash-safe: rows go to ``<path>.partial`` until the file is complete.
    """
    problems = select_problems(
        source, n, seed=seed, difficulty=difficulty, config=config
    )
    with ParquetWriter(path, verl_schema(), lambda row: row, noun="rows") as writer:
        for index, problem in enumerate(problems):
            writer.write(verl_row(problem, index, split, system_prompt=system_prompt))
    return writer.count
