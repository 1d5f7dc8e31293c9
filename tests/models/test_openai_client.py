"""The OpenAI-compatible backend against the scripted server: retries, top-ups, limits, pre-flight, streaming."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from vrgym.models import ModelError, ModelUnavailableError, SampleRequest, SamplingParams, make_model
from vrgym.models.openai import OpenAIModel, default_timeout, normalize_base_url
from vrgym.testing.openai_server import OpenAIServer, Script


def requests(n: int, k: int = 2, params: SamplingParams | None = None, prompt: str = "solve {i}") -> list[SampleRequest]:
    params = params or SamplingParams(max_tokens=32)
    return [SampleRequest(f"p{i}", prompt.format(i=i), tuple(range(100 * i, 100 * i + k)), params) for i in range(n)]


def client(server: OpenAIServer, **options) -> OpenAIModel:
    options.setdefault("backoff", 0.001)
    return make_model("openai", server.model, base_url=server.base_url, **options)  # type: ignore[return-value]


def test_every_request_gets_its_samples_in_seed_order_with_per_sample_seeds() -> None:
    with OpenAIServer() as srv, client(srv, concurrency=4) as model:
        model.check()
        results = {r.key: r for r in model.generate(requests(6, k=3))}
        bodies = [r.body for r in srv.generation_requests]
    assert sorted(results) == [f"p{i}" for i in range(6)]
    for i in range(6):
        result = results[f"p{i}"]
        assert result.ok and [s.seed for s in result.samples] == [100 * i, 100 * i + 1, 100 * i + 2]
        assert [s.text for s in result.samples] == [f"Response for seed {s.seed}." for s in result.samples]
        assert all(s.finish_reason == "stop" and s.completion_tokens == 4 for s in result.samples)
    assert len(bodies) == 18 and all("n" not in b for b in bodies)  # one call per seed
    assert bodies[0]["messages"] == [{"role": "user", "content": "solve 0"}]
    assert {b["max_tokens"] for b in bodies} == {32}


def test_completions_endpoint_sends_the_prompt_verbatim_with_params_and_extras() -> None:
    params = SamplingParams(temperature=0.7, top_p=0.9, max_tokens=64, stop=("END",), extra={"top_k": 5})
    with OpenAIServer() as srv, client(srv, endpoint="completions") as model:
        [result] = model.generate([SampleRequest("a", "raw <prompt>", (7,), params)])
        [body] = [r.body for r in srv.generation_requests]
    assert result.ok and result.samples[0].text == "Response for seed 7."
    assert body == {"model": srv.model, "seed": 7, "max_tokens": 64, "temperature": 0.7, "top_p": 0.9,
                    "stop": ["END"], "prompt": "raw <prompt>", "top_k": 5}
    assert srv.generation_requests[0].status == 200


def test_system_prompt_and_api_key_are_sent_but_the_key_never_described() -> None:
    with OpenAIServer(api_key="sk-secret") as srv, client(srv, api_key="sk-secret", system_prompt="Be terse.") as model:
        model.check()
        [result] = model.generate(requests(1, k=1))
        recorded = srv.generation_requests[0]
        described = repr(model.describe())
    assert result.ok and recorded.authorization == "Bearer sk-secret"
    assert recorded.body["messages"][0] == {"role": "system", "content": "Be terse."}
    assert "sk-secret" not in described and model.describe()["server_model"]["id"] == srv.model


def test_injected_500_429_503_are_retried_until_they_recover() -> None:
    with OpenAIServer(errors=[500, 429, 503, 502]) as srv, client(srv, concurrency=1) as model:
        results = list(model.generate(requests(2, k=2)))
        assert srv.calls == 4 + 4
    assert all(r.ok and len(r.samples) == 2 for r in results)


def test_retry_after_is_honoured() -> None:
    with OpenAIServer(errors=[429], retry_after=0.4) as srv, client(srv, concurrency=1) as model:
        start = time.monotonic()
        [result] = model.generate(requests(1, k=1))
        elapsed = time.monotonic() - start
    assert result.ok and 0.4 <= elapsed < 2.0


def fail_on_solve_0(prompt: str, seed: int | None) -> str:
    if prompt == "solve 0":
        raise RuntimeError("model crashed")
    return "fine"


def test_retries_exhausted_fail_only_that_request_with_the_last_error() -> None:
    with OpenAIServer(Script(respond=fail_on_solve_0)) as srv, client(srv, max_retries=2) as model:
        results = list(model.generate(requests(2, k=2)))
        assert srv.calls == 2 * 3 + 2
    first, second = sorted(results, key=lambda r: r.key)
    assert not first.ok and first.samples == ()
    assert "gave up after 3 attempts: HTTP 500: scripted respond failed" in (first.error or "")
    assert second.ok and len(second.samples) == 2


def test_context_length_400_is_not_retried_and_keeps_the_server_message() -> None:
    with OpenAIServer(context_length=40) as srv, client(srv, concurrency=2) as model:
        reqs = [SampleRequest("long", "word " * 30, (1, 2), SamplingParams(max_tokens=16)),
                SampleRequest("short", "short prompt", (1,), SamplingParams(max_tokens=16))]
        results = {r.key: r for r in model.generate(reqs)}
        assert srv.calls == 3  # one per seed, none repeated
    assert results["short"].ok
    error = results["long"].error or ""
    assert "maximum context length is 40" in error and "not retried" in error and "max_tokens" in error


def test_fewer_choices_than_n_are_topped_up() -> None:
    with OpenAIServer(max_choices=2) as srv, client(srv, n_per_request=5) as model:
        [result] = model.generate([SampleRequest("a", "p", (10, 11, 12, 13, 14), SamplingParams(max_tokens=8))])
        asked = [(r.body["seed"], r.body.get("n", 1)) for r in srv.generation_requests]
    assert asked == [(10, 5), (12, 3), (14, 1)]
    assert result.ok and [s.seed for s in result.samples] == [10, 11, 12, 13, 14]
    assert [s.text for s in result.samples] == [f"Response for seed {s}." for s in range(10, 15)]
    assert model.describe()["server_ignores_n"] is False


def test_a_server_that_ignores_n_gets_one_call_per_seed() -> None:
    with OpenAIServer(max_choices=1) as srv, client(srv, n_per_request=4) as model:
        [first] = model.generate([SampleRequest("a", "p", (1, 2, 3, 4), SamplingParams(max_tokens=8))])
        assert srv.calls == 4 and first.ok and [s.seed for s in first.samples] == [1, 2, 3, 4]
        srv.reset()
        [again] = model.generate([SampleRequest("b", "p", (5, 6), SamplingParams(max_tokens=8))])
        assert [r.body.get("n", 1) for r in srv.generation_requests] == [1, 1]  # learnt: no n > 1 any more
    assert again.ok and model.describe()["server_ignores_n"] is True


def test_a_slow_call_times_out_and_is_retried() -> None:
    with OpenAIServer(delays=[3.0]) as srv, client(srv, timeout=0.3, concurrency=1) as model:
        start = time.monotonic()
        [result] = model.generate(requests(1, k=1))
        elapsed = time.monotonic() - start
        assert srv.calls == 2
    assert result.ok and elapsed < 2.0


def test_truncated_samples_report_finish_reason_length() -> None:
    script = Script(respond=lambda prompt, seed: "a long answer " * 20)
    with OpenAIServer(script) as srv, client(srv) as model:
        [result] = model.generate(requests(1, k=2, params=SamplingParams(max_tokens=5)))
    assert result.ok and all(s.truncated and s.completion_tokens == 5 for s in result.samples)


def test_the_concurrency_limit_is_respected_and_reached() -> None:
    with OpenAIServer(latency=0.05) as srv, client(srv, concurrency=3) as model:
        results = list(model.generate(requests(10, k=3)))
        assert srv.max_concurrent == 3
    assert len(results) == 10 and all(r.ok for r in results)


def test_results_stream_as_they_complete() -> None:
    script = Script(latency=lambda prompt, seed: 1.5 if prompt == "slow" else 0.0)
    reqs = [SampleRequest("slow", "slow", (1,)), SampleRequest("fast", "fast", (1,))]
    with OpenAIServer(script) as srv, client(srv, concurrency=2) as model:
        start = time.monotonic()
        stream = model.generate(reqs)
        first = next(stream)
        first_at = time.monotonic() - start
        rest = list(stream)
    assert first.key == "fast" and first_at < 1.0 and [r.key for r in rest] == ["slow"]


def test_closing_the_iterator_cancels_the_work_in_flight() -> None:
    script = Script(latency=lambda prompt, seed: 0.0 if prompt == "solve 0" else 5.0)
    with OpenAIServer(script) as srv, client(srv, concurrency=2) as model:
        stream = model.generate(requests(50, k=1))
        assert next(stream).key == "p0"
        start = time.monotonic()
        stream.close()
        closed_in = time.monotonic() - start
        time.sleep(0.3)  # calls already on the wire at close reach the server's counter
        settled = srv.calls
        time.sleep(0.5)
        assert srv.calls == settled <= 4  # of 50 requests; nothing new starts after close
    assert closed_in < 2.0  # the 5 s calls in flight were cancelled, not awaited


def test_requests_are_pulled_lazily_within_the_pending_window() -> None:
    pulled = 0

    def source() -> Iterator[SampleRequest]:
        nonlocal pulled
        for request in requests(100, k=1):
            pulled += 1
            yield request

    with OpenAIServer() as srv, client(srv, concurrency=2, max_pending=3) as model:
        stream = model.generate(source())
        next(stream)
        time.sleep(0.2)  # let the background loop run as far as the window allows
        assert pulled <= 3 + 1
        assert len(list(stream)) == 99 and pulled == 100


def test_an_error_in_the_callers_iterable_reaches_the_caller() -> None:
    def source() -> Iterator[SampleRequest]:
        yield from requests(2, k=1)
        raise RuntimeError("problems file is corrupt")

    with OpenAIServer() as srv, client(srv) as model, pytest.raises(RuntimeError, match="corrupt"):
        list(model.generate(source()))


def test_model_close_cancels_open_generations() -> None:
    with OpenAIServer(latency=0.3) as srv:
        model = client(srv, concurrency=1)
        stream = model.generate(requests(20, k=1))
        next(stream)
        model.close()
        time.sleep(0.4)
        assert srv.calls <= 3


def test_a_server_that_went_away_fails_requests_after_retries_without_hanging() -> None:
    srv = OpenAIServer().start()
    model = client(srv, max_retries=1)
    srv.stop()
    results = list(model.generate(requests(3, k=1)))
    assert len(results) == 3 and all("gave up after 2 attempts: connection error" in (r.error or "") for r in results)


def test_rate_limit_spaces_the_calls() -> None:
    with OpenAIServer() as srv, client(srv, concurrency=4, rate_limit=20) as model:
        results = list(model.generate(requests(5, k=2)))
        starts = sorted(r.started for r in srv.generation_requests)
    assert all(r.ok for r in results) and len(starts) == 10
    assert starts[-1] - starts[0] >= 9 / 20 - 0.02  # ten calls at 20 per second


def test_something_else_than_a_request_is_a_type_error() -> None:
    with OpenAIServer() as srv, client(srv) as model, pytest.raises(TypeError, match="SampleRequest"):
        list(model.generate(["just a prompt"]))  # type: ignore[list-item]


# -- pre-flight ------------------------------------------------------------------------------


def test_check_rejects_an_unknown_model_and_lists_the_served_ones() -> None:
    with OpenAIServer(models=("qwen3-0.6b", "gemma-3-270m")) as srv:
        model = make_model("openai", "llama-70b", base_url=srv.base_url)
        with pytest.raises(ModelUnavailableError, match="'llama-70b' is not served.*available: qwen3-0.6b, gemma-3-270m"):
            model.check()


def test_check_reports_bad_credentials_with_the_remedy() -> None:
    with OpenAIServer(api_key="sk-right") as srv:
        with pytest.raises(ModelUnavailableError, match="bad credentials.*OPENAI_API_KEY or pass --api-key"):
            make_model("openai", srv.model, base_url=srv.base_url, api_key="sk-wrong").check()
        make_model("openai", srv.model, base_url=srv.base_url, api_key="sk-right").check()


def test_check_reports_a_missing_server_with_how_to_start_one() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    model = make_model("openai", "m", base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(ModelUnavailableError, match=rf"no server at http://127.0.0.1:{port}/v1.*--base-url"):
        model.check()


def test_check_reports_a_wrong_base_path() -> None:
    with OpenAIServer() as srv:
        with pytest.raises(ModelUnavailableError, match="usually serve under /v1"):
            make_model("openai", srv.model, base_url=srv.url + "/api").check()


def test_options_are_validated_up_front() -> None:
    with pytest.raises(ModelError, match="model name"):
        make_model("openai", "")
    with pytest.raises(ModelError, match="endpoint"):
        make_model("openai", "m", endpoint="responses")
    with pytest.raises(ModelError, match="concurrency"):
        make_model("openai", "m", concurrency=0)
    with pytest.raises(ModelError, match="system_prompt needs the chat endpoint"):
        make_model("openai", "m", endpoint="completions", system_prompt="x")
    with pytest.raises(ModelError, match="not an http"):
        make_model("openai", "m", base_url="127.0.0.1:8000")
    with pytest.raises(ModelError, match="rate_limit"):
        make_model("openai", "m", rate_limit=0)


def test_base_url_and_timeout_defaults() -> None:
    assert normalize_base_url("http://h:8000") == "http://h:8000/v1"
    assert normalize_base_url("http://h:8000/v1/") == "http://h:8000/v1"
    assert normalize_base_url("https://api.example.com/openai/v1") == "https://api.example.com/openai/v1"
    assert default_timeout(2048) == pytest.approx(162.4)


def test_generation_works_from_several_threads_at_once() -> None:
    with OpenAIServer(latency=0.01) as srv, client(srv, concurrency=4) as model:
        counts: list[int] = []

        def run(offset: int) -> None:
            counts.append(sum(r.ok for r in model.generate(requests(10, k=2, prompt=f"t{offset}-{{i}}"))))

        threads = [threading.Thread(target=run, args=(t,)) for t in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert counts == [10, 10, 10]
