"""`vrgym filter …` end to end against the scripted OpenAI-compatible server on 127.0.0.1.

The server answers with the problem's reference response when the sample's seed is odd and with a
wrong answer otherwise, so every problem's (n, c) is known exactly from `sample_seed`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import vrgym
from vrgym.filter import FilterRun, read_selected, sample_seed
from vrgym.filter.checkpoint import read_log
from vrgym.io import read_problems
from vrgym.problem import Problem
from vrgym.testing.openai_server import OpenAIServer, Script

K = 4
TASK_ARGS = ["--task", "Arithmetic,Game24", "--count", "3", "--seed", "1"]


def task_problems() -> list[Problem]:
    return [*vrgym.generate("Arithmetic", 3, seed=1), *vrgym.generate("Game24", 3, seed=1)]


def responder(problems: list[Problem], long_every: int = 0) -> Any:
    by_prompt = {p.prompt: p for p in problems}

    def respond(prompt: str, seed: int | None) -> str:
        problem = by_prompt[prompt]
        if long_every and seed is not None and seed % long_every == 0:
            return "word " * 400  # cut at max_tokens: finish_reason "length"
        if seed is not None and seed % 2:
            return vrgym.get_template(problem.task).reference_response(problem)
        return "Not sure. \\boxed{987654321}"

    return respond


def expected_c(problem: Problem, k: int = K, long_every: int = 0) -> int:
    seeds = [sample_seed(0, problem.id, i) for i in range(k)]
    return sum(s % 2 == 1 and not (long_every and s % long_every == 0) for s in seeds)


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer(Script(respond=responder(task_problems()))) as running:
        yield running


def model_args(server: OpenAIServer) -> list[str]:
    return ["--backend", "openai", "--model", server.model, "--base-url", server.base_url, "--max-tokens", "300"]


def stats(run: Path) -> list[dict[str, Any]]:
    return list(read_log(run / "stats.jsonl"))


def test_run_end_to_end(cli, server: OpenAIServer, tmp_path: Path) -> None:
    run = tmp_path / "run"
    result = cli("filter", "run", *TASK_ARGS, *model_args(server), "--k", K, "--out", run, "--workers", 2)
    assert result.code == 0, result.err
    problems = task_problems()
    rows = stats(run)
    assert [(r["id"], r["n"], r["c"]) for r in rows] == [(p.id, K, expected_c(p)) for p in problems]
    kept = [p for p, _ in read_selected(run / "selected.jsonl")]
    assert kept == [p for p in problems if 0 < expected_c(p) < K]
    assert "TOTAL" in result.out and "pass@1 histogram" in result.out and f"of {K}" in result.out
    assert f"kept {len(kept)} of {len(problems)}" in result.err
    assert len(server.generation_requests) == K * len(problems)
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["model"]["model"] == server.model and manifest["sampling"]["max_tokens"] == 300
    assert manifest["source"]["tasks"] == ["Arithmetic", "Game24"] and manifest["selection"]["rule"]["keep"] == "mixed"


def test_select_and_report_need_no_server(cli, server: OpenAIServer, tmp_path: Path) -> None:
    run = tmp_path / "run"
    assert cli("filter", "run", *TASK_ARGS, *model_args(server), "--k", K, "--out", run, "-q").code == 0
    server.stop()
    result = cli("filter", "select", "--out", run, "--band", "0.5:1", "--format", "parquet", "-q")
    assert result.code == 0, result.err
    problems = task_problems()
    assert [p for p, _ in read_selected(run / "selected.parquet")] == [p for p in problems if expected_c(p) >= K / 2]
    assert not (run / "selected.jsonl").exists()
    report = cli("filter", "report", "--out", run)
    assert report.code == 0 and "band pass@1 in [0.5, 1]" in report.out  # the last selection's rule
    assert "keeps 2 <= c <= 4 of 4" in report.out


def test_injected_errors_slow_and_truncated_responses(cli, tmp_path: Path) -> None:
    problems = task_problems()
    script = Script(respond=responder(problems, long_every=5), errors=[500, 503, 0, 429, 500], latency=0.02)
    with OpenAIServer(script) as server:
        args = [*model_args(server), "--concurrency", "4", "--max-retries", "3"]
        result = cli("filter", "run", *TASK_ARGS, *args, "--k", K, "--out", tmp_path / "run", "--keep", "all", "-q")
        assert result.code == 0, result.err
        assert server.max_concurrent <= 4
    rows = stats(tmp_path / "run")
    for problem, row in zip(problems, rows):
        seeds = [sample_seed(0, problem.id, i) for i in range(K)]
        assert (row["n"], row["c"]) == (K, expected_c(problem, long_every=5))
        assert row["n_truncated"] == sum(s % 5 == 0 for s in seeds) and row["n_request_errors"] == 0
    samples = list(read_log(tmp_path / "run" / "samples.jsonl"))
    assert len(samples) == K * len(problems) and all(s["error"] is None for s in samples)


def test_failed_requests_are_retried_when_the_run_resumes_from_its_manifest(cli, tmp_path: Path) -> None:
    problems = task_problems()
    with OpenAIServer(Script(respond=responder(problems), context_length=60)) as server:  # long prompts get a 400
        first = cli("filter", "sample", *TASK_ARGS, *model_args(server), "--k", K, "--out", tmp_path / "run", "-q")
        assert first.code == 0, first.err
        failed = [r for r in read_log(tmp_path / "run" / "samples.jsonl") if r["error"]]
        assert failed and all("context" in r["error"].lower() or "400" in r["error"] for r in failed)
        attempts = len(server.generation_requests)
    with OpenAIServer(Script(respond=responder(problems))) as healed:  # new port: only the URL changes
        result = cli("filter", "run", "--out", tmp_path / "run", "--base-url", healed.base_url, "-q")
        assert result.code == 0, result.err
        assert len(healed.generation_requests) == len(failed)  # only the failed samples, nothing twice
    assert attempts >= K * len(problems) - len(failed)
    rows = stats(tmp_path / "run")
    assert [(r["n"], r["c"], r["n_request_errors"]) for r in rows] == [(K, expected_c(p), 0) for p in problems]


def test_resuming_with_other_settings_is_refused_unless_forced(cli, server: OpenAIServer, tmp_path: Path) -> None:
    run = tmp_path / "run"
    assert cli("filter", "sample", *TASK_ARGS, *model_args(server), "--k", K, "--out", run, "-q").code == 0
    result = cli("filter", "sample", *TASK_ARGS, *model_args(server), "--k", 8, "--temperature", "0.5", "--out", run, "-q")
    line = result.assert_one_line_error(1, "k (run: 4, now: 8)")
    assert "sampling.temperature (run: 1.0, now: 0.5)" in line and "--force" in line
    forced = cli("filter", "sample", *TASK_ARGS, *model_args(server), "--k", 2, "--out", run, "--force", "-q")
    assert forced.code == 0, forced.err
    assert len(list(read_log(run / "samples.jsonl"))) == 2 * len(task_problems())


def test_problems_file_input_and_score_select_steps(cli, server: OpenAIServer, tmp_path: Path) -> None:
    problems = task_problems()[:4]
    from vrgym.io import write_problems

    write_problems(problems, tmp_path / "in.jsonl")
    run = tmp_path / "run"
    assert cli("filter", "sample", "--problems", tmp_path / "in.jsonl", *model_args(server), "--k", K, "--out", run, "-q").code == 0
    incomplete = cli("filter", "select", "--out", run)
    incomplete.assert_one_line_error(1, "run `vrgym filter sample` and `vrgym filter score`")
    assert cli("filter", "score", "--out", run, "-q").code == 0
    assert cli("filter", "select", "--out", run, "--keep", "all", "--format", "hf", "-q").code == 0
    assert read_problems(run / "selected") == problems
    assert FilterRun.open(run).manifest["source"]["kind"] == "file"


def test_shards_then_select(cli, server: OpenAIServer, tmp_path: Path) -> None:
    run = tmp_path / "run"
    for shard in ("1/2", "0/2"):
        result = cli("filter", "run", *TASK_ARGS, *model_args(server), "--k", K, "--out", run, "--shard", shard, "-q")
        assert result.code == 0, result.err
    assert not (run / "stats.jsonl").exists()  # a shard does not select
    assert cli("filter", "select", "--out", run, "-q").code == 0
    assert [(r["n"], r["c"]) for r in stats(run)] == [(K, expected_c(p)) for p in task_problems()]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--band", "0.8:0.2"], "LO:HI"),
        (["--keep", "band"], "--keep band needs --band"),
        (["--drop-solved", "--band", "0.1:0.9"], "conflicting selection options"),
        (["--problems", "x.jsonl"], "either --task or --problems"),
        (["--shard", "2/2"], "I/N"),
        (["--rounds", "2,1"], "must add up to k"),
    ],
)
def test_usage_errors_exit_2_with_one_line(cli, server: OpenAIServer, tmp_path: Path, argv: list[str], needle: str) -> None:
    result = cli("filter", "run", *TASK_ARGS, *model_args(server), "--k", K, "--out", tmp_path / "run", *argv)
    result.assert_one_line_error(2, needle)


def test_nothing_to_filter_and_no_run(cli, tmp_path: Path) -> None:
    cli("filter", "run", "--backend", "openai", "--model", "m", "--out", tmp_path / "new").assert_one_line_error(2, "--task")
    cli("filter", "report", "--out", tmp_path / "none").assert_one_line_error(1, "not a filter run")


@pytest.mark.parametrize(
    ("script", "model", "needle"),
    [
        ({}, "no-such-model", "no-such-model"),
        ({"api_key": "secret"}, None, "401"),
    ],
)
def test_model_problems_fail_before_any_work(cli, tmp_path: Path, script: dict, model: str | None, needle: str) -> None:
    with OpenAIServer(Script(**script)) as server:
        args = ["--backend", "openai", "--model", model or server.model, "--base-url", server.base_url]
        result = cli("filter", "run", *TASK_ARGS, *args, "--out", tmp_path / "run")
        assert not server.generation_requests
    line = result.assert_one_line_error(1)
    assert needle in line or "credential" in line.lower() or "key" in line.lower()
    assert not (tmp_path / "run").exists()


def test_unreachable_server(cli, tmp_path: Path) -> None:
    args = ["--backend", "openai", "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--timeout", "2"]
    result = cli("filter", "run", *TASK_ARGS, *args, "--out", tmp_path / "run")
    result.assert_one_line_error(1, "127.0.0.1:9")


def test_early_stopping_rounds(cli, server: OpenAIServer, tmp_path: Path) -> None:
    run = tmp_path / "run"
    result = cli("filter", "run", *TASK_ARGS, *model_args(server), "--k", 8, "--rounds", "2,2,4", "--out", run)
    assert result.code == 0, result.err
    assert len(server.generation_requests) < 8 * len(task_problems())
    assert "early stopping was on" in result.out
    fixed = [expected_c(p, 8) for p in task_problems()]
    decisions = [r["decision"] for r in stats(run)]
    assert decisions == ["keep" if 0 < c < 8 else "too_easy" if c == 8 else "too_hard" for c in fixed]
    again = cli("filter", "sample", "--out", run)
    again.assert_one_line_error(2, "vrgym filter run")


def test_ctrl_c_exits_130_and_leaves_a_resumable_run(cli, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    root = Path(__file__).parents[2]
    run = tmp_path / "run"
    problems = task_problems()
    with OpenAIServer(Script(respond=responder(problems), latency=0.05)) as server:
        argv = [sys.executable, "-m", "vrgym", "filter", "run", *TASK_ARGS, *model_args(server), "--k", "8",
                "--concurrency", "2", "--out", str(run)]  # fmt: skip
        child = subprocess.Popen(argv, cwd=root, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(root)})
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(list(read_log(run / "samples.jsonl"))) < 4:
                assert child.poll() is None, child.stderr.read() if child.stderr else ""
                time.sleep(0.02)
            child.send_signal(signal.SIGINT)
            _, err = child.communicate(timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
        assert child.returncode == 130, err
        assert "interrupted; samples so far are saved" in err and "Traceback" not in err
        saved = len(list(read_log(run / "samples.jsonl")))
        assert 4 <= saved < 8 * len(problems)
        resumed = cli("filter", "run", "--out", run, "-q")
        assert resumed.code == 0, resumed.err
    keys = [(r["problem"], r["sample"]) for r in read_log(run / "samples.jsonl")]
    assert len(keys) == len(set(keys)) == 8 * len(problems)
    assert [(r["n"], r["c"]) for r in stats(run)] == [(8, expected_c(p, 8)) for p in problems]


_RESPOND = responder(task_problems())


def callable_model(prompt: str, seed: int, params: Any) -> str:
    """A reference model for `--backend callable --model tests.cli.test_cli_filter:callable_model`."""
    return _RESPOND(prompt, seed)


def test_callable_backend(cli, tmp_path: Path) -> None:
    args = ["--backend", "callable", "--model", "tests.cli.test_cli_filter:callable_model"]
    result = cli("filter", "run", *TASK_ARGS, *args, "--k", K, "--out", tmp_path / "run", "-q")
    assert result.code == 0, result.err
    assert [(r["n"], r["c"]) for r in stats(tmp_path / "run")] == [(K, expected_c(p)) for p in task_problems()]
