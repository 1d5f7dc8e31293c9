"""The scripted OpenAI-compatible test server speaks the protocol and plays failures on cue."""

from __future__ import annotations

import httpx
import pytest

import vrgym
from vrgym.testing.openai_server import OpenAIServer, Script, answer_with_references


@pytest.fixture()
def server():
    with OpenAIServer() as srv:
        yield srv


def chat(server: OpenAIServer, **body) -> httpx.Response:
    body.setdefault("model", server.model)
    body.setdefault("messages", [{"role": "user", "content": "two words"}])
    return httpx.post(server.base_url + "/chat/completions", json=body, headers=body.pop("headers", None))


def test_models_endpoint_lists_the_scripted_models() -> None:
    with OpenAIServer(models=("a", "b")) as srv:
        data = httpx.get(srv.base_url + "/models").json()
    assert [m["id"] for m in data["data"]] == ["a", "b"]


def test_chat_returns_n_choices_seeded_seed_plus_index_with_usage(server: OpenAIServer) -> None:
    resp = chat(server, n=3, seed=10, max_tokens=50)
    payload = resp.json()
    assert resp.status_code == 200 and payload["object"] == "chat.completion"
    texts = [c["message"]["content"] for c in payload["choices"]]
    assert texts == ["Response for seed 10.", "Response for seed 11.", "Response for seed 12."]
    assert [c["finish_reason"] for c in payload["choices"]] == ["stop"] * 3
    assert payload["usage"] == {"prompt_tokens": 2, "completion_tokens": 12, "total_tokens": 14}


def test_completions_endpoint_and_missing_seed(server: OpenAIServer) -> None:
    resp = httpx.post(server.base_url + "/completions", json={"model": server.model, "prompt": "p", "max_tokens": 9})
    choice = resp.json()["choices"][0]
    assert resp.json()["object"] == "text_completion" and choice["text"] == "Response for seed None."


def test_max_tokens_truncates_with_finish_reason_length_and_stop_cuts(server: OpenAIServer) -> None:
    choice = chat(server, seed=1, max_tokens=2).json()["choices"][0]
    assert choice == {"index": 0, "message": {"role": "assistant", "content": "Response for"},
                      "finish_reason": "length", "logprobs": None}
    choice = chat(server, seed=1, max_tokens=20, stop=["seed"]).json()["choices"][0]
    assert choice["message"]["content"] == "Response for " and choice["finish_reason"] == "stop"


def test_scripted_errors_retry_after_and_call_records() -> None:
    with OpenAIServer(errors=[500, 0, 429], retry_after=2) as srv:
        statuses = [chat(srv, seed=1) for _ in range(4)]
        assert [r.status_code for r in statuses] == [500, 200, 429, 200]
        assert statuses[2].headers["Retry-After"] == "2" and "Retry-After" not in statuses[0].headers
        assert srv.calls == 4 and [r.call_index for r in srv.generation_requests] == [0, 1, 2, 3]
        assert srv.generation_requests[0].body["seed"] == 1
        srv.reset()
        assert srv.calls == 0 and srv.requests == []


def test_context_length_wrong_model_and_bad_key() -> None:
    with OpenAIServer(context_length=10, api_key="sk-right") as srv:
        good = {"Authorization": "Bearer sk-right"}
        too_long = chat(srv, max_tokens=20, headers=good)
        assert too_long.status_code == 400 and "maximum context length is 10" in too_long.json()["error"]["message"]
        assert chat(srv, model="nope", max_tokens=5, headers=good).status_code == 404
        assert chat(srv, max_tokens=5, headers={"Authorization": "Bearer sk-wrong"}).status_code == 401
        assert httpx.get(srv.base_url + "/models").status_code == 401
        assert chat(srv, max_tokens=5, headers=good).status_code == 200


def test_fewer_choices_custom_finish_reason_and_failing_respond() -> None:
    script = Script(respond=lambda prompt, seed: ("cut", "length") if seed else "fine", max_choices=2)
    with OpenAIServer(script) as srv:
        choices = chat(srv, n=5, seed=0).json()["choices"]
        assert [(c["message"]["content"], c["finish_reason"]) for c in choices] == [("fine", "stop"), ("cut", "length")]
        srv.script.respond = lambda prompt, seed: 1 / 0
        failed = chat(srv, seed=0)
        assert failed.status_code == 500 and "ZeroDivisionError" in failed.json()["error"]["message"]


def test_bad_requests_are_400_and_unknown_routes_404(server: OpenAIServer) -> None:
    assert httpx.post(server.base_url + "/chat/completions", content=b"{not json").status_code == 400
    assert chat(server, n=0).status_code == 400
    assert chat(server, messages=[]).status_code == 400
    assert httpx.get(server.url + "/v2/other").status_code == 404


def test_max_concurrent_counts_overlapping_calls() -> None:
    with OpenAIServer(latency=0.2) as srv, httpx.Client() as client:
        import concurrent.futures as cf

        body = {"model": srv.model, "messages": [{"role": "user", "content": "x"}]}
        with cf.ThreadPoolExecutor(3) as pool:
            list(pool.map(lambda _: client.post(srv.base_url + "/chat/completions", json=body), range(3)))
        assert srv.max_concurrent == 3 and srv.in_flight == 0


def test_answer_with_references_plays_a_model_of_known_skill() -> None:
    problems = list(vrgym.generate("Arithmetic", 3, seed=5))
    respond = answer_with_references(problems, solved=lambda p, seed: seed is not None and seed < p.index)
    with OpenAIServer(respond=respond) as srv:
        for problem in problems:
            texts = [chat(srv, seed=s, max_tokens=4096, messages=[{"role": "user", "content": problem.prompt}])
                     .json()["choices"][0]["message"]["content"] for s in range(3)]
            assert [vrgym.verify(problem, t).reward for t in texts] == [int(s < problem.index) for s in range(3)]
        assert chat(srv, seed=0).status_code == 500  # a prompt that is no known problem
