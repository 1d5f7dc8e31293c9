"""OpenRLHF: the reward-function file interface and the HTTP server, called as OpenRLHF calls them."""

from __future__ import annotations

import httpx
import pytest
import torch

from vrgym.integrations.openrlhf import EXTRA_LOG_KEYS, OpenRLHFReward, reward_func
from vrgym.integrations.routing import RoutingError

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")


def chatml(text: str) -> str:
    return f"<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n"


def batch(problems, responses):
    """(queries, prompts, labels) as OpenRLHF builds them: left padding, special tokens kept, eos + padding."""
    prompts = [chatml(p.prompt) for p in problems]
    queries = [
        f"<|endoftext|>{prompt}{response}<|im_end|><|endoftext|><|endoftext|>"
        for prompt, response in zip(prompts, responses)
    ]
    return queries, prompts, [p.to_json() for p in problems]


def test_reward_func_file_interface(problems, references):
    responses = [r if i % 2 == 0 else "no idea" for i, r in enumerate(references)]
    out = reward_func(*batch(problems, responses))
    assert set(out) == {"rewards", "scores", "extra_logs"}
    assert isinstance(out["rewards"], torch.Tensor) and out["rewards"].tolist() == [
        1.0,
        0.0,
        1.0,
        0.0,
        1.0,
    ]
    assert out["scores"].tolist() == out["rewards"].tolist()
    assert set(out["extra_logs"]) == set(EXTRA_LOG_KEYS)
    assert out["extra_logs"]["vrgym_correct"].tolist() == [1.0, 0.0, 1.0, 0.0, 1.0]
    assert out["extra_logs"]["vrgym_no_answer"].tolist() == [0.0, 1.0, 0.0, 1.0, 0.0]


def test_one_sample_per_call_as_openrlhf_does(problems, references):
    queries, prompts, labels = batch(problems[:1], references[:1])
    out = reward_func(
        queries=queries, prompts=prompts, labels=labels, some_future_kwarg=1
    )
    assert out["rewards"].shape == (1,) and out["rewards"].item() == 1.0


def test_the_prompt_is_never_read_as_the_answer(problems):
    problem = problems[0]
    answer = str(problem.answer) if not isinstance(problem.answer, dict) else ""
    queries, prompts, labels = batch([problem], [""])
    # the query holds the whole prompt (with its example \boxed{}); the empty response must score 0
    assert reward_func(queries, prompts, labels)["rewards"].tolist() == [0.0], answer


def test_hack_and_infrastructure_flags(problems, sandbox_problem):
    out = OpenRLHFReward(as_tensors=False, infrastructure_reward=0.0)(
        *batch(
            [problems[0], sandbox_problem], ["\\boxed{1} or \\boxed{2}", "\\boxed{hi}"]
        )
    )
    assert out["rewards"] == [0.0, 0.0]
    assert out["extra_logs"]["vrgym_hack"] == [1.0, 0.0] and out["extra_logs"][
        "vrgym_infra_error"
    ] == [0.0, 1.0]


def test_missing_labels_say_which_flag_to_set():
    with pytest.raises(RoutingError, match="label_key"):
        reward_func(["q"], ["p"])


def test_http_server_as_openrlhf_posts(problems, references):
    from vrgym.integrations.reward_server import running_server

    queries, prompts, labels = batch(problems, references)
    with (
        running_server("127.0.0.1", 0) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        assert client.get("/health").json()["status"] == "ok"
        reply = client.post(
            "/get_reward", json={"query": queries, "prompts": prompts, "labels": labels}
        )
        assert reply.status_code == 200
        body = reply.json()
        assert body["rewards"] == body["scores"] == [1.0] * len(problems)
        assert body["extra_logs"]["vrgym_correct"] == [1.0] * len(problems)

        bad = client.post("/get_reward", json={"query": "not a list", "labels": []})
        assert bad.status_code == 400 and "query" in bad.json()["error"]
        short = client.post(
            "/get_reward",
            json={"query": queries, "prompts": prompts, "labels": labels[:1]},
        )
        assert short.status_code == 400 and "one label" in short.json()["error"]
        foreign = client.post(
            "/get_reward", json={"query": ["q"], "labels": ['{"task": 1}']}
        )
        assert (
            foreign.status_code == 400 and "problem column" in foreign.json()["error"]
        )
        junk = client.post(
            "/get_reward",
            content=b"\xff\x00junk",
            headers={"content-type": "application/json"},
        )
        assert junk.status_code == 400
        # the server is still up after bad requests
        assert client.post(
            "/get_reward", json={"query": queries[:1], "labels": labels[:1]}
        ).json()["rewards"] == [1.0]
    with pytest.raises(
        httpx.TransportError
    ):  # stopped cleanly: nothing listens any more
        httpx.get(url + "/health", timeout=2)
