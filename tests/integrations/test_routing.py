"""Routing: problem columns in every form, clear errors for bad ones, order-preserving batches, query cleaning."""

from __future__ import annotations

import json

import pytest

import vrgym
from vrgym.integrations.routing import (
    Router,
    RoutingError,
    completion_text,
    response_from_query,
    strip_special_tokens,
)


def test_problem_column_in_every_form_verifies_the_same(problems, references):
    router = Router()
    for problem, reference in zip(problems, references):
        for form in (
            problem,
            problem.to_json(),
            problem.model_dump(mode="json"),
            problem.to_json().encode(),
        ):
            routed = router.verify(form, reference)
            assert (routed.task, routed.verdict.reward, routed.verdict.reason) == (
                problem.task,
                1,
                "ok",
            )


def test_parsed_problems_are_cached_by_their_json(problems):
    router = Router()
    text = problems[0].to_json()
    assert router.problem(text) is router.problem(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("not json", "not a valid Problem"),
        (json.dumps({"task": "Arithmetic"}), "not a valid Problem"),
        (None, "not a valid Problem"),
    ],
)
def test_a_bad_problem_column_is_a_clear_error(value, expected):
    with pytest.raises(RoutingError, match=expected) as info:
        Router().verify(value, "\\boxed{1}", where="row 3")
    assert "row 3" in str(info.value) and "problem column" in str(info.value)


def test_unknown_task_and_other_version_are_clear_errors(problems):
    data = problems[0].model_dump(mode="json")
    with pytest.raises(
        RoutingError, match="unknown task 'Arithmeticc'.*Did you mean: Arithmetic"
    ):
        Router().verify({**data, "task": "Arithmeticc"}, "x")
    with pytest.raises(RoutingError, match="v99 but this is v"):
        Router().verify({**data, "version": 99}, "x")


def test_verify_many_keeps_order_sequential_threads_and_processes(problems, references):
    pairs = [
        (p.to_json(), r if i % 2 else "\\boxed{no}")
        for i, (p, r) in enumerate(zip(problems * 3, references * 3))
    ]
    columns, responses = [p for p, _ in pairs], [r for _, r in pairs]
    expected = [vrgym.verify(p, r).model_dump() for p, r in pairs]
    for router in (Router(), Router(workers=3), Router(workers=2, processes=True)):
        got = [r.verdict.model_dump() for r in router.verify_many(columns, responses)]
        router.close()
        assert got == expected
        assert {g["reward"] for g in got} == {0, 1}


def test_verify_many_needs_aligned_lists(problems):
    with pytest.raises(RoutingError, match="2 responses but 1 problems"):
        Router().verify_many([problems[0]], ["a", "b"])


def test_hostile_responses_score_zero_without_raising(problems):
    router = Router(workers=2)
    junk = [
        "",
        "\x00\xff" * 1000,
        "9" * 2_000_000,
        None,
        42,
        ["\\boxed{1}"],
        "\\boxed{1} \\boxed{2}",
    ]
    routed = router.verify_many([problems[0]] * len(junk), junk)
    router.close()
    assert [r.verdict.reward for r in routed] == [0] * len(junk)
    assert routed[-1].verdict.reason == "hack:multiple_answers"


def test_infrastructure_verdicts_map_to_the_chosen_reward(sandbox_problem):
    problem = sandbox_problem
    for choice in (None, 0.0, -1.0):
        router = Router(infrastructure_reward=choice)
        routed = router.verify(problem, "\\boxed{hi}")
        assert routed.infrastructure and router.reward(routed) == choice


CHATML_PROMPT = "<|im_start|>user\nCompute 2+2. Example: \\boxed{7}<|im_end|>\n<|im_start|>assistant\n"


@pytest.mark.parametrize(
    ("query", "prompt", "expected"),
    [
        # left padding, prompt verbatim, eos then right padding
        ("<|endoftext|><|endoftext|>" + CHATML_PROMPT + "It is \\boxed{4}<|im_end|><|endoftext|>", CHATML_PROMPT, "It is \\boxed{4}"),
        # Llama 3
        (("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nQ \\boxed{9}<|eot_id|>"
         "<|start_header_id|>assistant<|end_header_id|>\n\nA \\boxed{5}<|eot_id|><|finetune_right_pad_id|>"),
         ("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nQ \\boxed{9}<|eot_id|>"
         "<|start_header_id|>assistant<|end_header_id|>\n\n"), "A \\boxed{5}"),
        # Gemma, prompt not given: the last assistant header decides
        ("<bos><start_of_turn>user\nQ \\boxed{9}<end_of_turn>\n<start_of_turn>model\nA \\boxed{5}<end_of_turn><pad><pad>", None,
         "A \\boxed{5}"),
        # the prompt was decoded without its special tokens: found without them
        ("<|im_start|>user\nQ \\boxed{9}<|im_end|>\n<|im_start|>assistant\nA \\boxed{5}<|im_end|>",
         "user\nQ \\boxed{9}\nassistant\n", "A \\boxed{5}"),
    ],
)  # fmt: skip
def test_response_from_query_removes_prompt_markers_and_padding(
    query, prompt, expected
):
    assert response_from_query(query, prompt) == expected


def test_prompt_examples_never_become_the_answer(problems):
    problem = problems[0]
    prompt = f"<|im_start|>user\n{problem.prompt}<|im_end|>\n<|im_start|>assistant\n"
    assert "\\boxed{" in problem.prompt  # the prompt shows an example answer
    response = response_from_query(prompt + "I give up<|im_end|>", prompt)
    assert response == "I give up" and vrgym.verify(problem, response).reward == 0


def test_special_tokens_are_configurable():
    assert strip_special_tokens("<my_eos>a<|im_end|>b", ["<my_eos>"]) == "a<|im_end|>b"
    assert (
        response_from_query(
            "P<x>ans<stop>pad", "P<x>", special_tokens=["<stop>"], end_tokens=["<stop>"]
        )
        == "ans"
    )


@pytest.mark.parametrize(
    ("completion", "expected"),
    [
        ("plain", "plain"),
        ([{"role": "assistant", "content": "hi"}], "hi"),
        ([{"role": "assistant", "content": "call"}, {"role": "tool", "content": "out"}, {"role": "assistant", "content": "final"}], "final"),
        ([{"role": "assistant", "content": [{"type": "text", "text": "a"}, {"type": "image"}, {"type": "text", "text": "b"}]}], "ab"),
        (None, None),
        ([{"role": "assistant", "content": [{"type": "text", "text": None}, {"type": "text", "text": "b"}]}], "b"),  # no TypeError
    ],
)  # fmt: skip
def test_completion_text(completion, expected):
    assert completion_text(completion) == expected
