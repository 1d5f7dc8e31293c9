"""The TRL reward function, called exactly as GRPOTrainer 1.x calls it (keywords + dataset columns)."""

from __future__ import annotations

import pickle

import pytest

from vrgym.integrations.routing import RoutingError
from vrgym.integrations.trl import build_trl_dataset, make_trl_reward, vrgym_reward


class Logs:
    """Stands in for TRL's log_extra / log_metric."""

    def __init__(self):
        self.extra: dict[str, list] = {}
        self.metrics: dict[str, float] = {}

    def log_extra(self, column, values):
        self.extra.setdefault(column, []).extend(values)

    def log_metric(self, name, value):
        self.metrics[name] = value


def trl_call(func, rows, completions, logs=None):
    """Mimic GRPOTrainer._calculate_rewards: every column but 'prompt' becomes a keyword list."""
    keys = [k for k in rows[0] if k not in ("prompt", "completion", "completion_ids")]
    kwargs = {k: [row[k] for row in rows] for k in keys}
    logs = logs or Logs()
    return func(
        prompts=[row["prompt"] for row in rows], completions=completions, completion_ids=[[1, 2]] * len(rows),
        trainer_state=object(), log_extra=logs.log_extra, log_metric=logs.log_metric, **kwargs,
    )  # fmt: skip


def test_dataset_has_the_columns_trl_reads(problems):
    dataset = build_trl_dataset(problems, system_prompt="Think first.")
    assert dataset.column_names == [
        "prompt",
        "problem",
        "task",
        "difficulty",
        "tags",
        "id",
    ]
    row = dataset[0]
    assert row["prompt"] == [
        {"role": "system", "content": "Think first."},
        {"role": "user", "content": problems[0].prompt},
    ]
    assert (
        row["problem"] == problems[0].to_json()
        and row["task"] == "Arithmetic"
        and row["id"] == problems[0].id
    )
    plain = build_trl_dataset("Arithmetic", n=2, seed=1, conversational=False)
    assert plain[0]["prompt"] == problems[0].prompt


def test_conversational_and_plain_completions_score_as_vrgym_says(problems, references):
    dataset = build_trl_dataset(problems)
    rows = [
        dataset[i] for i in range(len(dataset))
    ] * 2  # a group of 2 generations per prompt
    wrong = ["\\boxed{nope}"] * len(problems)
    conversational = [
        [{"role": "assistant", "content": text}] for text in references + wrong
    ]
    logs = Logs()
    assert trl_call(vrgym_reward, rows, conversational, logs) == [1.0] * len(
        problems
    ) + [0.0] * len(problems)
    assert trl_call(vrgym_reward, rows, references + wrong) == [1.0] * len(problems) + [
        0.0
    ] * len(problems)
    assert logs.extra["vrgym_task"] == [p.task for p in problems] * 2
    assert logs.extra["vrgym_reason"][: len(problems)] == ["ok"] * len(problems)
    assert logs.metrics["vrgym/reason/ok"] == 0.5


def test_infrastructure_errors_are_none_or_the_chosen_value(
    sandbox_problem, problems, references
):
    rows = [
        {"prompt": "p", "problem": sandbox_problem.to_json()},
        {"prompt": "p", "problem": problems[0].to_json()},
    ]
    assert trl_call(vrgym_reward, rows, ["\\boxed{hi}", references[0]]) == [None, 1.0]
    zero = make_trl_reward(infrastructure_reward=0.0)
    assert trl_call(zero, rows, ["\\boxed{hi}", references[0]]) == [0.0, 1.0]


def test_factory_options(problems, references):
    reward = make_trl_reward(column="gt", name="arith", workers=2, log_reasons=False)
    assert reward.__name__ == "arith"
    logs = Logs()
    rows = [{"prompt": "p", "gt": p.to_json()} for p in problems]
    assert trl_call(reward, rows, references, logs) == [1.0] * len(problems)
    assert logs.extra == {} and logs.metrics == {}
    clone = pickle.loads(
        pickle.dumps(reward)
    )  # TRL may ship reward functions to other processes
    assert clone.__name__ == "arith" and trl_call(clone, rows, references) == [
        1.0
    ] * len(problems)


def test_without_the_problem_column_the_error_says_what_to_do():
    with pytest.raises(
        RoutingError, match="no 'problem' column.*columns: answer.*build_trl_dataset"
    ):
        trl_call(vrgym_reward, [{"prompt": "p", "answer": "4"}], ["\\boxed{4}"])
