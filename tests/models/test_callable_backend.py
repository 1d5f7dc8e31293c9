"""The callable backend: any function, or a 'pkg.mod:function' path, as a reference model."""

from __future__ import annotations

import threading
import time

import pytest

from vrgym.models import ModelError, SampleRequest, SamplingParams, make_model
from vrgym.models.callable import resolve_callable


def parity(prompt: str, seed: int, params: SamplingParams) -> str:
    """Solve even seeds, truncate at max_tokens for long prompts: a scripted reference model."""
    return f"{prompt}: {'right' if seed % 2 == 0 else 'wrong'} ({params.max_tokens})"


def test_a_function_object_answers_every_seed_in_order() -> None:
    model = make_model("callable", fn=parity)
    model.check()
    reqs = [SampleRequest(f"p{i}", f"q{i}", (i, i + 1), SamplingParams(max_tokens=7)) for i in range(3)]
    results = list(model.generate(reqs))
    assert [r.key for r in results] == ["p0", "p1", "p2"]
    assert results[0].samples[0].text == "q0: right (7)" and results[0].samples[1].text == "q0: wrong (7)"
    assert all(r.ok and [s.finish_reason for s in r.samples] == ["stop", "stop"] for r in results)
    assert model.describe() == {"backend": "callable", "model": f"{__name__}:parity", "revision": None, "concurrency": 1}


def test_an_import_path_is_resolved_and_recorded() -> None:
    model = make_model("callable", "vrgym.testing.openai_server:default_respond")
    assert model.describe()["model"] == "vrgym.testing.openai_server:default_respond"
    assert resolve_callable("vrgym.testing.openai_server.default_respond") is model.fn  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path, message",
    [
        ("nopackage_xyz.mod:fn", "cannot import module 'nopackage_xyz.mod'"),
        ("vrgym.models:no_such_fn", "has no attribute 'no_such_fn'"),
        ("vrgym.models:BACKENDS", "not a callable"),
        ("justaname", "must look like"),
    ],
)
def test_bad_import_paths_say_what_is_wrong(path: str, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        make_model("callable", path)


def test_check_rejects_a_function_with_the_wrong_signature() -> None:
    with pytest.raises(ModelError, match="cannot be called as fn"):
        make_model("callable", fn=lambda prompt: prompt).check()
    with pytest.raises(ModelError, match="needs fn="):
        make_model("callable")


def test_finish_reason_tuples_and_failures_become_results() -> None:
    def flaky(prompt: str, seed: int, params: SamplingParams):
        if seed == 3:
            raise ValueError("GPU fell over")
        return ("partial", "length") if seed == 2 else "ok"

    [result] = make_model("callable", fn=flaky).generate([SampleRequest("a", "p", (1, 2, 3, 4))])
    assert [(s.text, s.finish_reason) for s in result.samples] == [("ok", "stop"), ("partial", "length")]
    assert not result.ok and "failed for seed 3" in (result.error or "") and "GPU fell over" in (result.error or "")
    [bad] = make_model("callable", fn=lambda p, s, params: 42).generate([SampleRequest("b", "p", (1,))])
    assert "expected str" in (bad.error or "")


def test_a_thread_pool_runs_calls_concurrently_and_streams_completions() -> None:
    active, peak, lock = 0, 0, threading.Lock()

    def slow(prompt: str, seed: int, params: SamplingParams) -> str:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.3 if prompt == "slow" else 0.02)
        with lock:
            active -= 1
        return prompt

    model = make_model("callable", fn=slow, concurrency=4)
    reqs = [SampleRequest("slow", "slow", (1,))] + [SampleRequest(f"f{i}", "fast", (1,)) for i in range(11)]
    keys = [r.key for r in model.generate(reqs)]
    assert sorted(keys) == sorted(r.key for r in reqs) and keys[0] != "slow" and peak == 4


def test_closing_the_pool_stops_submitting_work() -> None:
    calls = 0

    def count(prompt: str, seed: int, params: SamplingParams) -> str:
        nonlocal calls
        calls += 1
        time.sleep(0.05)
        return "x"

    stream = make_model("callable", fn=count, concurrency=2).generate(SampleRequest(str(i), "p", (1,)) for i in range(100))
    next(stream)
    stream.close()
    assert calls <= 6
