"""The Ray executor on a local Ray instance: the same samples, scores and selection as one machine.

One Ray instance serves the whole module (starting Ray takes seconds). The model answers by seed —
the problem's reference response for odd seeds, a wrong answer for even ones — so every problem's
(n, c) is known exactly from `sample_seed`; the local executor's run is the reference the Ray run
must reproduce record for record, through the CLI (`--ray`) against the scripted OpenAI-compatible
server and through the library with a callable. Kill-and-resume crosses executors both ways.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

import vrgym
from vrgym.cli import main
from vrgym.filter import (
    FilterRun,
    LocalExecutor,
    Rule,
    StatsOptions,
    read_selected,
    sample_seed,
)
from vrgym.filter.checkpoint import read_log
from vrgym.filter.manifest import identity
from vrgym.filter.ray_executor import (
    RayExecutor,
    RayUnavailableError,
    SamplingPlan,
    plan_sampling,
)
from vrgym.models import SamplingParams, make_model
from vrgym.problem import Problem
from vrgym.testing.openai_server import OpenAIServer, Script

ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'vrgym[ray]'); the Ray executor cannot be tested")
ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import this test module by name
ROOT = Path(__file__).parents[2]
K = 4
TASK_ARGS = ["--task", "Arithmetic,Game24", "--count", "6", "--seed", "5"]
WRONG = "Not sure. \\boxed{987654321}"


def task_problems() -> list[Problem]:
    return [*vrgym.generate("Arithmetic", 6, seed=5), *vrgym.generate("Game24", 6, seed=5)]


PROBLEMS = {p.prompt: p for p in task_problems()}


def answer(prompt: str, seed: int | None) -> str:
    """Right for odd seeds, wrong for even ones (also the callable backend's function)."""
    problem = PROBLEMS[prompt]
    if seed is not None and seed % 2:
        return vrgym.get_template(problem.task).reference_response(problem)
    return WRONG


def callable_answer(prompt: str, seed: int, params: SamplingParams) -> str:
    return answer(prompt, seed)


def expected_c(problem: Problem, k: int = K) -> int:
    return sum(sample_seed(0, problem.id, i) % 2 for i in range(k))


@pytest.fixture(scope="module")
def ray_address() -> Iterator[str]:
    """A local Ray instance for the module; its GCS address (for subprocess drivers)."""
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        if started:
            ray.shutdown()


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer(Script(respond=answer)) as running:
        yield running


def cli(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def model_args(server: OpenAIServer) -> list[str]:
    return ["--backend", "openai", "--model", server.model, "--base-url", server.base_url, "--max-tokens", "300"]


def samples_of(run: Path) -> dict[tuple[str, int], dict[str, Any]]:
    return {(r["problem"], r["sample"]): r for r in FilterRun.open(run).samples().values()}


def scores_of(run: Path) -> dict[tuple[str, int], dict[str, Any]]:
    return dict(FilterRun.open(run).scores())


def assert_same_run(a: Path, b: Path) -> None:
    """Record for record the same samples, verdicts, statistics and selection."""
    assert samples_of(a) == samples_of(b)
    assert scores_of(a) == scores_of(b)
    assert list(read_log(a / "stats.jsonl")) == list(read_log(b / "stats.jsonl"))
    assert [p for p, _ in read_selected(a / "selected.jsonl")] == [p for p, _ in read_selected(b / "selected.jsonl")]


def test_cli_run_on_ray_equals_the_local_run(ray_address: str, server: OpenAIServer, tmp_path: Path, capsys) -> None:
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    code, _, err = cli(capsys, "filter", "run", *TASK_ARGS, *model_args(server), "--k", K, "--out", local, "--quiet")
    assert code == 0, err
    code, out, err = cli(capsys, "filter", "run", *TASK_ARGS, *model_args(server), "--k", K, "--out", on_ray, "--ray")
    assert code == 0, err
    assert "TOTAL" in out and "Traceback" not in err
    assert_same_run(local, on_ray)
    problems = task_problems()
    rows = list(read_log(on_ray / "stats.jsonl"))
    assert [(r["id"], r["n"], r["c"]) for r in rows] == [(p.id, K, expected_c(p)) for p in problems]
    assert len(server.generation_requests) == 2 * K * len(problems)  # each run asked for every sample once
    manifest = json.loads((on_ray / "manifest.json").read_text())
    assert manifest["executions"][-1]["executor"] == "ray" and manifest["executions"][-1]["step"] == "run"
    local_manifest = json.loads((local / "manifest.json").read_text())
    assert local_manifest["executions"][-1]["executor"] == "local"
    assert identity(local_manifest) == identity(manifest)  # where it ran is not part of what was sampled

    # re-scoring and re-selecting the Ray run without Ray changes nothing; scoring on Ray alone works too
    (on_ray / "scores.jsonl").unlink()
    code, _, err = cli(capsys, "filter", "score", "--out", on_ray, "--ray", "--quiet")
    assert code == 0, err
    code, _, err = cli(capsys, "filter", "select", "--out", on_ray, "--quiet")
    assert code == 0, err
    assert_same_run(local, on_ray)
    steps = [(e["step"], e["executor"]) for e in json.loads((on_ray / "manifest.json").read_text())["executions"]]
    assert steps == [("run", "ray"), ("score", "ray")]


def test_callable_through_the_library_equals_the_local_executor(ray_address: str, tmp_path: Path) -> None:
    problems = task_problems()
    params = SamplingParams(max_tokens=64)
    runs = []
    for name, executor in (("local", LocalExecutor()), ("ray", RayExecutor(batch_size=3))):
        with make_model("callable", fn=callable_answer) as model:
            run = FilterRun.create(tmp_path / name, problems, model=model.describe(), params=params, k=K)
            assert run.sample(model, executor=executor).done == K * len(problems)
        assert run.score(executor=executor).done == K * len(problems)
        run.select(Rule("band", 0.25, 0.75), StatsOptions(pass_ks=(1, 2)))
        runs.append(run.root)
    assert executor.last_plan is not None and executor.last_plan.kind == "tasks"
    assert_same_run(*runs)


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _settled_count(server: OpenAIServer, quiet: float = 1.0, limit: float = 30.0) -> int:
    """The server's call count once no call has started for `quiet` seconds."""
    deadline, count, since = time.monotonic() + limit, server.calls, time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        time.sleep(0.1)
        if server.calls != count:
            count, since = server.calls, time.monotonic()
    return len(server.generation_requests)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_ray_run_killed_then_resumed_without_ray(ray_address: str, tmp_path: Path, capsys) -> None:
    """SIGKILL a `--ray ADDRESS` sampling process mid-run; the local resume completes it exactly."""
    run = tmp_path / "run"
    log = run / "samples.jsonl"
    with OpenAIServer(Script(respond=answer, latency=0.05)) as server:
        argv = ["filter", "sample", *TASK_ARGS, *model_args(server), "--concurrency", "1", "--k", K, "--out", run,
                "--ray", ray_address, "--quiet"]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        child = subprocess.Popen([sys.executable, "-m", "vrgym", *map(str, argv)], cwd=ROOT, env=env, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while _lines(log) == 0 and time.monotonic() < deadline:
                assert child.poll() is None, child.stderr.read().decode() if child.stderr else "child exited"
                time.sleep(0.02)
            child.send_signal(signal.SIGKILL)
            child.wait(10)
        finally:
            if child.poll() is None:
                child.kill()
        problems = task_problems()
        before = _lines(log)
        assert 0 < before < K * len(problems), "the kill must land mid-sampling"
        asked = _settled_count(server)  # the dead driver's actor may finish a call or two before Ray reaps it
        code, _, err = cli(capsys, "filter", "run", "--out", run, "--quiet")  # no --ray, no model options
        assert code == 0, err
        assert len(server.generation_requests) - asked == K * len(problems) - before  # only the missing ones
    keys = [(r["problem"], r["sample"]) for r in read_log(log)]
    assert len(keys) == len(set(keys)) == K * len(problems)
    rows = list(read_log(run / "stats.jsonl"))
    assert [(r["n"], r["c"]) for r in rows] == [(K, expected_c(p)) for p in problems]


def test_local_run_interrupted_then_resumed_on_ray(ray_address: str, server: OpenAIServer, tmp_path: Path) -> None:
    """Ctrl-C in a local sampling run, then the rest on Ray with the model object itself shipped to the actors."""
    problems = task_problems()
    params = SamplingParams(max_tokens=300)
    seen: list[int] = []

    def stop_after_three(count: int) -> None:
        seen.append(count)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with make_model("openai", server.model, base_url=server.base_url, concurrency=2) as model:
        run = FilterRun.create(tmp_path / "run", problems, model=model.describe(), params=params, k=K)
        with pytest.raises(KeyboardInterrupt):
            run.sample(model, on_progress=stop_after_three)
        before = len(list(read_log(tmp_path / "run" / "samples.jsonl")))
        assert before == 3 * K
        executor = RayExecutor(ray_address, actors=1)
        report = run.sample(model, executor=executor)
    assert (report.done, report.skipped, report.errors) == (K * len(problems) - before, before, 0)
    assert executor.last_plan == SamplingPlan("actors", 1, 0.25, 0.0, 8)
    assert server.max_concurrent <= 2  # one actor holds the client's own limit: total = actors x concurrency
    run.score(executor=executor)
    rows = run.select(Rule(), StatsOptions()).rows
    assert [(r["n"], r["c"]) for r in rows] == [(K, expected_c(p)) for p in problems]
    assert executor.describe()["executor"] == "ray" and executor.describe()["address"] == ray_address


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("address", ["unreachable", "not an address"])
def test_bad_ray_address_is_a_one_line_error_before_any_work(address: str, tmp_path: Path, capsys) -> None:
    given = f"127.0.0.1:{_free_port()}" if address == "unreachable" else address
    run = tmp_path / "run"
    code, out, err = cli(capsys, "filter", "sample", *TASK_ARGS, "--backend", "callable", "--model",
                         "tests.filter.test_ray_executor:callable_answer", "--k", K, "--out", run, "--ray", given)  # fmt: skip
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1 and lines[0].startswith("vrgym: error: "), err
    assert ("ray start --head" in lines[0]) if address == "unreachable" else ("host:port" in lines[0])
    assert "Traceback" not in err + out and not (run / "manifest.json").exists()


def test_ray_actors_needs_ray(tmp_path: Path, capsys) -> None:
    code, _, err = cli(capsys, "filter", "score", "--out", tmp_path, "--ray-actors", "2")
    assert code == 2 and "--ray-actors only applies with --ray" in err


# ---------------------------------------------------------------------------------------- layout


def test_plan_openai_is_one_client_actor_per_node_with_its_own_limit() -> None:
    plan = plan_sampling("openai", {"CPU": 16.0}, 3, concurrency=32)
    assert plan == SamplingPlan("actors", 3, 0.25, 0.0, 128)
    assert plan_sampling("openai", {"CPU": 16.0}, 3, actors=5, concurrency=8).workers == 5


def test_plan_vllm_is_one_engine_actor_per_gpu() -> None:
    assert plan_sampling("vllm", {"CPU": 64.0, "GPU": 8.0}, 2) == SamplingPlan("actors", 8, 1.0, 1.0, 256)
    assert plan_sampling("vllm", {"CPU": 64.0, "GPU": 8.0}, 2, gpus_per_engine=4) == SamplingPlan("actors", 2, 1.0, 4.0, 256)
    assert plan_sampling("vllm", {"GPU": 8.0}, 1, actors=3).workers == 3
    with pytest.raises(RayUnavailableError, match="needs 1 GPU.*--backend openai"):
        plan_sampling("vllm", {"CPU": 8.0}, 1)
    with pytest.raises(RayUnavailableError, match="needs 12 GPUs"):
        plan_sampling("vllm", {"GPU": 8.0}, 1, actors=3, gpus_per_engine=4)
    assert plan_sampling("hf", {"CPU": 8.0}, 1).num_gpus == 0.0  # transformers falls back to one CPU engine


def test_plan_callables_are_tasks_over_the_cpus() -> None:
    assert plan_sampling("callable", {"CPU": 6.0}, 2) == SamplingPlan("tasks", 6, 1.0, 0.0, 8)


class _EngineStandIn:
    """Describes itself as a vLLM engine: the executor must check it in its actors, never on the driver."""

    concurrency = 1
    llm_kwargs: ClassVar[dict[str, int]] = {"tensor_parallel_size": 2}

    def describe(self) -> dict[str, Any]:
        return {"backend": "vllm", "model": "org/model"}


def test_vllm_on_a_cluster_without_gpus_fails_before_any_work(ray_address: str) -> None:
    executor = RayExecutor()
    assert executor.checks_model_remotely("vllm") and not executor.checks_model_remotely("openai")
    with pytest.raises(RayUnavailableError, match=r"needs 2 GPU\(s\) per engine actor, but the cluster has 0"):
        list(executor.sample(_EngineStandIn(), [_request()]))


def test_engine_actor_builds_and_checks_its_model() -> None:
    from vrgym.filter.ray_executor import (
        _ModelActor,
        _request_to_json,
        _result_from_json,
    )

    checked: list[bool] = []

    class Checked:
        def __init__(self) -> None:
            self.inner = make_model("callable", fn=callable_answer)

        def check(self) -> None:
            checked.append(True)

        def generate(self, requests: Any) -> Any:
            return self.inner.generate(requests)

    actor = _ModelActor(Checked, True)
    request = _request()
    out = actor({"request": [_request_to_json(request)]})
    result = _result_from_json(out["result"][0])
    assert checked == [True] and result.key == request.key and [s.seed for s in result.samples] == list(request.seeds)


def _request() -> Any:
    from vrgym.models import SampleRequest

    problem = task_problems()[0]
    return SampleRequest(problem.id, problem.prompt, (1, 2), SamplingParams(max_tokens=8))


def test_model_that_cannot_be_pickled_names_the_factory_remedy(ray_address: str) -> None:
    import threading

    model = make_model("callable", fn=functools.partial(_with_lock, threading.Lock()))
    with model, pytest.raises(RayUnavailableError, match="model_factory"):
        list(RayExecutor().sample(model, [_request()]))


def _with_lock(lock: Any, prompt: str, seed: int, params: SamplingParams) -> str:
    with lock:
        return WRONG


class _Broken:
    """A backend with a bug: generate() raises (a callable's own exceptions become per-sample errors instead)."""

    def describe(self) -> dict[str, Any]:
        return {"backend": "broken", "model": "bug"}

    def generate(self, requests: Any) -> Any:
        raise ValueError("boom in the backend")

    def close(self) -> None:
        pass


def test_a_worker_failure_is_one_error_naming_the_cause(ray_address: str) -> None:
    with pytest.raises(RayUnavailableError, match=r"sampling failed on a Ray worker: ValueError: boom in the backend"):
        list(RayExecutor().sample(_Broken(), [_request()]))
