"""The filter pipeline end to end with a scripted model: exact counts, re-selection, resume, shards, outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.filter.conftest import ScriptedModel, expected_c, make_problems
from vrgym.errors import DataFileError
from vrgym.filter import (
    FilterRun,
    LocalExecutor,
    ManifestMismatchError,
    Rule,
    StatsOptions,
    read_selected,
)
from vrgym.filter.checkpoint import read_log
from vrgym.io import read_problems
from vrgym.models import SamplingParams
from vrgym.passk import informative_at_g, pass_at_k, pass_pow_k, wilson_interval
from vrgym.problem import Problem

K = 8
PARAMS = SamplingParams(temperature=1.0, max_tokens=256)


def create(root: Path, problems: list[Problem], model: ScriptedModel, **kw: object) -> FilterRun:
    return FilterRun.create(root, problems, model=model.describe(), params=kw.pop("params", PARAMS), k=kw.pop("k", K), **kw)


def full_run(root: Path, problems: list[Problem], model: ScriptedModel, **kw: object) -> FilterRun:
    run = create(root, problems, model, **kw)
    run.sample(model)
    run.score()
    return run


def test_counts_and_estimates_are_exact(tmp_path: Path, problems: list[Problem]) -> None:
    model = ScriptedModel(problems)
    run = full_run(tmp_path / "run", problems, model)
    assert model.sampled == K * len(problems)
    selection = run.select(Rule(), StatsOptions(pass_ks=(1, 4), group_size=4))
    assert [row["id"] for row in selection.rows] == [p.id for p in problems]
    for problem, row in zip(problems, selection.rows):
        c = expected_c(problem, K)
        assert (row["n"], row["c"], row["k"]) == (K, c, K)
        assert row["pass_at_1"] == c / K
        assert row["pass_at_4"] == pytest.approx(pass_at_k(K, c, 4))
        assert row["pass_pow_4"] == pytest.approx(pass_pow_k(K, c, 4))
        assert row["informative_at_g"] == pytest.approx(informative_at_g(K, c, 4))
        assert (row["ci_low"], row["ci_high"]) == wilson_interval(K, c)
        assert row["reasons"].get("ok", 0) == c and sum(row["reasons"].values()) == K
        assert row["decision"] == ("keep" if 0 < c < K else "too_easy" if c == K else "too_hard")
    kept = [p for p, stats in read_selected(selection.outputs["selected"])]
    assert kept == [p for p, row in zip(problems, selection.rows) if row["decision"] == "keep"]
    stats_lines = list(read_log(tmp_path / "run" / "stats.jsonl"))
    assert stats_lines == json.loads(json.dumps(selection.rows))


def test_reselect_with_another_band_needs_no_new_samples(tmp_path: Path, problems: list[Problem]) -> None:
    model = ScriptedModel(problems, wrong_every=2)
    run = full_run(tmp_path / "run", problems, model)
    calls = len(model.requests)
    first = run.select(Rule(), StatsOptions())
    again = FilterRun.open(tmp_path / "run")
    second = again.select(Rule("band", 0.4, 0.6), StatsOptions())
    assert len(model.requests) == calls
    assert again.sample(model).done == 0 and len(model.requests) == calls  # nothing is missing
    for a, b in zip(first.rows, second.rows):
        assert (a["n"], a["c"]) == (b["n"], b["c"])
        assert b["decision"] == ("keep" if 0.4 <= b["c"] / b["n"] <= 0.6 else "too_hard" if b["c"] / b["n"] < 0.4 else "too_easy")
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["selection"]["rule"]["keep"] == "band"


def test_manifest_records_what_produced_the_numbers(tmp_path: Path, problems: list[Problem]) -> None:
    model = ScriptedModel(problems)
    run = full_run(tmp_path / "run", problems, model, run_seed=7, source={"kind": "test"})
    run.select(Rule(), StatsOptions())
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["model"] == model.describe()
    assert manifest["sampling"] == PARAMS.to_dict()
    assert (manifest["k"], manifest["run_seed"]) == (K, 7)
    assert manifest["templates"] == {"Arithmetic": problems[0].version, "Game24": problems[-1].version}
    assert manifest["problems"]["count"] == len(problems)
    assert manifest["vrgym_version"] and manifest["created"] and "derive_seed" in manifest["seed_derivation"]
    assert manifest["selection"]["counts"] and manifest["selection"]["stats"]["ci"] == "wilson"
    assert read_problems(tmp_path / "run" / "problems.jsonl") == problems


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"k": 16}, "k (run: 8, now: 16)"),
        ({"params": SamplingParams(temperature=0.6, max_tokens=256)}, "sampling.temperature (run: 1.0, now: 0.6)"),
        ({"run_seed": 1}, "run_seed"),
        ({"model": "other-model"}, "model.model"),
        ({"problems": "fewer"}, "problems.count"),
    ],
)
def test_resuming_with_other_settings_names_the_difference(tmp_path: Path, problems: list[Problem], change: dict, field: str) -> None:
    model = ScriptedModel(problems)
    create(tmp_path / "run", problems, model).sample(model)
    other = ScriptedModel(problems, name=change.pop("model", model.name))
    wanted = problems[:-1] if change.pop("problems", None) else problems
    with pytest.raises(ManifestMismatchError) as caught:
        create(tmp_path / "run", wanted, other, **change)
    message = str(caught.value)
    assert field in message and "--force" in message and "new --out" in message
    forced = create(tmp_path / "run", wanted, other, force=True, **change)  # --force starts over
    assert forced.samples() == {}


def test_resume_skips_done_samples_and_retries_failed_requests(tmp_path: Path, problems: list[Problem]) -> None:
    broken = problems[0].id
    model = ScriptedModel(problems, fail={broken})
    run = full_run(tmp_path / "run", problems, model)
    rows = run.evaluate(Rule(), StatsOptions())
    assert rows[0]["n"] == 0 and rows[0]["n_request_errors"] == K and rows[0]["decision"] == "no_data"
    healed = ScriptedModel(problems)
    report = run.sample(healed)
    assert (report.done, report.skipped) == (K, K * (len(problems) - 1))
    assert [r.key for r in healed.requests] == [broken]
    run.score()
    row = run.evaluate(Rule(), StatsOptions())[0]
    assert (row["n"], row["c"], row["n_request_errors"]) == (K, expected_c(problems[0], K), 0)
    produced = [r for r in read_log(tmp_path / "run" / "samples.jsonl") if r["error"] is None]
    assert len(produced) == len({(r["problem"], r["sample"]) for r in produced}) == K * len(problems)


def test_truncations_and_infrastructure_errors(tmp_path: Path, problems: list[Problem], monkeypatch: pytest.MonkeyPatch) -> None:
    model = ScriptedModel(problems, truncate_every=3)
    run = create(tmp_path / "run", problems, model)
    run.sample(model)
    # the verifier of the first problem's template is broken for one sample: an infrastructure error
    from vrgym.filter import steps
    from vrgym.verdict import VERIFIER_ERROR

    records = run.pending_scores()
    target = records[0]
    scored = steps.score_records({p.id: p for p in problems}, records[1:])
    scored.append(steps.score_record(target, 0, VERIFIER_ERROR))
    from vrgym.filter.checkpoint import AppendLog

    with AppendLog(tmp_path / "run" / "scores.jsonl") as log:
        log.append(scored)
    assert run.pending_scores() == []
    fail_rows = {r["id"]: r for r in run.evaluate(Rule(), StatsOptions())}
    exclude_rows = {r["id"]: r for r in run.evaluate(Rule(), StatsOptions(truncated_as="exclude"))}
    samples = run.samples()
    for problem in problems:
        row = fail_rows[problem.id]
        seeds = [samples[problem.id, i]["seed"] for i in range(K)]
        truncated = sum(s % 3 == 1 for s in seeds)
        infra = int(problem.id == target["problem"])
        assert row["n_truncated"] == truncated
        assert row["n_infra_errors"] == infra and row["n"] == K - infra
        assert row["reasons"].get("verifier_error", 0) == infra
        assert exclude_rows[problem.id]["n"] == K - infra - truncated + (infra and seeds[target["sample"]] % 3 == 1)


def test_select_refuses_incomplete_runs_unless_partial(tmp_path: Path, problems: list[Problem]) -> None:
    model = ScriptedModel(problems)
    run = create(tmp_path / "run", problems, model)
    run.sample(model, target=3)
    with pytest.raises(DataFileError, match="missing or unscored samples.*--partial"):
        run.select(Rule(), StatsOptions())
    selection = run.select(Rule(), StatsOptions(), partial=True)
    assert {row["decision"] for row in selection.rows} == {"incomplete"}


def test_shards_merge_to_the_single_machine_selection(tmp_path: Path, problems: list[Problem]) -> None:
    single = full_run(tmp_path / "single", problems, ScriptedModel(problems)).select(Rule(), StatsOptions())
    model = ScriptedModel(problems)
    run = create(tmp_path / "sharded", problems, model)
    for index in (2, 0, 1):
        run.sample(model, shard=(index, 3))
        run.score(shard=(index, 3), executor=LocalExecutor(workers=1))
    assert sorted(p.name for p in (tmp_path / "sharded").glob("s*.jsonl")) == sorted(
        f"{kind}.shard-{i}-of-3.jsonl" for kind in ("samples", "scores") for i in range(3)
    )
    merged = FilterRun.open(tmp_path / "sharded").select(Rule(), StatsOptions())
    assert merged.rows == single.rows


def test_scoring_in_a_process_pool_gives_the_same_scores(tmp_path: Path) -> None:
    problems = make_problems(arith=12, game24=6)
    one = full_run(tmp_path / "one", problems, ScriptedModel(problems))
    model = ScriptedModel(problems)
    pool = create(tmp_path / "pool", problems, model)
    pool.sample(model)
    pool.score(executor=LocalExecutor(workers=2))
    assert pool.scores() == one.scores()


@pytest.mark.parametrize("fmt", ["parquet", "hf"])
def test_tabular_outputs_round_trip(tmp_path: Path, problems: list[Problem], fmt: str) -> None:
    run = full_run(tmp_path / "run", problems, ScriptedModel(problems, wrong_every=2))
    selection = run.select(Rule("all"), StatsOptions(pass_ks=(1, 2)), output_format=fmt)
    back = list(read_selected(selection.outputs["selected"]))
    assert [p for p, _ in back] == problems
    for (_, stats), row in zip(back, selection.rows):
        assert {key: stats[key] for key in ("n", "c", "pass_at_1", "pass_at_2", "reasons", "decision")} == {
            key: row[key] for key in ("n", "c", "pass_at_1", "pass_at_2", "reasons", "decision")
        }
    assert read_problems(selection.outputs["selected"]) == problems  # problem readers ignore the extra columns
    again = run.select(Rule(), StatsOptions(), output_format="jsonl")  # another format replaces the old file
    assert not Path(selection.outputs["selected"]).exists() and Path(again.outputs["selected"]).exists()


def test_early_stopping_samples_less_and_keeps_the_same_problems(tmp_path: Path) -> None:
    problems = make_problems(arith=8, game24=4)
    rule = Rule()
    fixed = full_run(tmp_path / "fixed", problems, ScriptedModel(problems, wrong_every=3), k=16).select(rule, StatsOptions())
    model = ScriptedModel(problems, wrong_every=3)
    run = create(tmp_path / "early", problems, model, k=16, early_stop={"rounds": [4, 4, 8], "rule": rule.to_json()})
    stop_rule = run.early_stop_rule()
    for target in (4, 8, 16):
        counts = run.counts()
        undecided = {p.id for p in problems if not run.settled(counts[p.id], stop_rule, p.id)}
        run.sample(model, target=target, only=undecided)
        run.score()
    early = run.select(rule, StatsOptions())
    assert model.sampled < 16 * len(problems) / 2
    assert [r["decision"] for r in early.rows] == [r["decision"] for r in fixed.rows]
    fixed_samples = FilterRun.open(tmp_path / "fixed").samples()
    assert all(fixed_samples[key]["seed"] == record["seed"] for key, record in run.samples().items())
