"""`gymnasium.make_vec` in sync and async mode returns the real prompts, with no vector_kwargs.

The async case is the one Gymnasium gets wrong for text by default (shared memory returning
`'000…'`); vrgym's TextSpace handlers make the default path correct. The toy template is
registered in this process, so the async tests that use it need forked workers; the test with
a real template also runs under "spawn", where each worker imports vrgym afresh.
"""

from __future__ import annotations

import multiprocessing

import gymnasium as gym
import pytest

import vrgym

from tests.envs.toy_template import EnvToyAdd, builtin_template_names
from vrgym.envs import TextSpace


_START_METHOD = multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_all_start_methods()[0]
needs_fork = pytest.mark.skipif(_START_METHOD != "fork", reason="the toy template is registered only in this process")
REAL_TEMPLATES = builtin_template_names()


def _expected(toy: EnvToyAdd, seed: int, index: int) -> str:
    return toy.generate(seed=seed, index=index).prompt


@pytest.mark.parametrize("mode", ["sync", pytest.param("async", marks=needs_fork)])
def test_make_vec_returns_real_prompts_on_reset_and_step(toy_id: str, toy: EnvToyAdd, mode: str) -> None:
    envs = gym.make_vec(toy_id, num_envs=2, vectorization_mode=mode)
    try:
        assert envs.single_observation_space == TextSpace()
        obs, infos = envs.reset(seed=10)
        assert type(obs) is tuple and obs == (_expected(toy, 10, 0), _expected(toy, 11, 0))
        assert list(infos["problem_id"]) == [toy.generate(seed=s).id for s in (10, 11)]
        answer = toy.reference_response(toy.generate(seed=10))
        obs, rewards, terminated, truncated, infos = envs.step((answer, "\\boxed{-1}"))
        assert obs == ("", "") and rewards.tolist() == [1.0, 0.0] and terminated.tolist() == [True, True]
        assert list(infos["reason"]) == ["ok", "wrong_answer"]
        obs, _, _, _, _ = envs.step(("", ""))  # next-step autoreset: the next problem of each stream
        assert obs == (_expected(toy, 10, 1), _expected(toy, 11, 1))
    finally:
        envs.close()


@needs_fork
def test_async_multi_turn_feedback_and_long_unicode_prompts(toy_id: str) -> None:
    envs = gym.make_vec(toy_id, num_envs=2, vectorization_mode="async", max_turns=2)
    try:
        envs.reset(seed=0)
        obs, rewards, terminated, _, _ = envs.step(("\\boxed{é×π}", "no answer"))
        assert all(o.startswith("Your response was not accepted") for o in obs) and "é×π" in obs[0]
        assert terminated.tolist() == [False, False]
    finally:
        envs.close()


@needs_fork
@pytest.mark.parametrize("vector_kwargs", [{"shared_memory": False}, {"copy": False}])
def test_async_alternatives_agree(toy_id: str, toy: EnvToyAdd, vector_kwargs: dict) -> None:
    envs = gym.make_vec(toy_id, num_envs=2, vectorization_mode="async", vector_kwargs=vector_kwargs)
    try:
        obs, _ = envs.reset(seed=0)
        assert tuple(obs) == (_expected(toy, 0, 0), _expected(toy, 1, 0))
    finally:
        envs.close()


@pytest.mark.skipif(not REAL_TEMPLATES, reason="no real template registered yet")
def test_async_spawned_workers_return_real_prompts() -> None:
    template = vrgym.get_template(REAL_TEMPLATES[0])
    envs = gym.make_vec(template.gym_id(), num_envs=2, vectorization_mode="async", vector_kwargs={"context": "spawn"})
    try:
        obs, _ = envs.reset(seed=3)
        assert obs == (template.generate(seed=3).prompt, template.generate(seed=4).prompt)
        obs, rewards, *_ = envs.step((template.reference_response(template.generate(seed=3)), ""))
        assert obs == ("", "") and rewards.tolist() == [1.0, 0.0]
    finally:
        envs.close()
