"""verl: the parquet layout read back, and compute_score called as verl's reward loops call it."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from vrgym.integrations.verl import (
    compute_score,
    compute_score_batch,
    export_verl_parquet,
)

KEYS = {"score", "acc", "reason", "task", "infra_error"}


def test_parquet_rows_have_verls_layout(tmp_path, problems):
    path = tmp_path / "train.parquet"
    assert export_verl_parquet(
        problems, path, split="train", system_prompt="Be brief."
    ) == len(problems)
    rows = pq.read_table(path).to_pylist()
    first = rows[0]
    assert first["data_source"] == "vrgym/Arithmetic" and first["ability"] == "math"
    assert first["prompt"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": problems[0].prompt},
    ]
    assert first["reward_model"]["style"] == "rule"
    assert isinstance(first["reward_model"]["ground_truth"], str)
    assert json.loads(first["reward_model"]["ground_truth"]) == json.loads(
        problems[0].to_json()
    )
    assert [r["extra_info"]["index"] for r in rows] == list(range(len(problems)))
    assert rows[-1]["extra_info"] == {"split": "train", "index": 4, "task": "MorseDecode", "difficulty": problems[-1].difficulty,
                                      "id": problems[-1].id}  # fmt: skip
    assert not (tmp_path / "train.parquet.partial").exists()


def test_compute_score_as_the_reward_loop_calls_it(tmp_path, problems, references):
    path = tmp_path / "train.parquet"
    export_verl_parquet(problems, path)
    import datasets

    for row, reference in zip(datasets.Dataset.from_parquet(str(path)), references):
        extra = {**row["extra_info"], "num_turns": 2, "rollout_reward_scores": {}}
        call = {"data_source": row["data_source"], "ground_truth": row["reward_model"]["ground_truth"], "extra_info": extra,
                    "reward_router_address": None, "reward_model_tokenizer": None}  # fmt: skip
        good = compute_score(solution_str=reference, **call)
        bad = compute_score(solution_str="I do not know", **call)
        assert set(good) == set(bad) == KEYS
        assert (good["score"], good["acc"], good["reason"], good["infra_error"]) == (
            1.0,
            1.0,
            "ok",
            0,
        )
        assert (
            bad["score"] == 0.0
            and bad["reason"] == "no_answer"
            and bad["task"] == row["extra_info"]["task"]
        )


def test_batch_variant_keeps_order(problems, references):
    solutions = [r if i % 2 == 0 else "x" for i, r in enumerate(references)]
    out = compute_score_batch(
        data_sources=[f"vrgym/{p.task}" for p in problems], solution_strs=solutions,
        ground_truths=[p.to_json() for p in problems], extra_infos=[{} for _ in problems], reward_router_address=None,
    )  # fmt: skip
    assert [o["score"] for o in out] == [1.0, 0.0, 1.0, 0.0, 1.0]


def test_infrastructure_error_is_flagged(sandbox_problem):
    out = compute_score(
        data_source="vrgym/x",
        solution_str="\\boxed{hi}",
        ground_truth=sandbox_problem.to_json(),
        extra_info=None,
    )
    assert (
        out["infra_error"] == 1
        and out["score"] == 0.0
        and out["reason"] == "sandbox_error"
    )
