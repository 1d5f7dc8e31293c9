"""MultiTurnEnv: feedback as the next observation, retries up to max_turns, reward at the end."""

from __future__ import annotations

import gymnasium as gym
import pytest
from gymnasium.error import ResetNeeded

from tests.envs.toy_template import TOY, EnvToyAdd
from vrgym import ConfigError, Verdict
from vrgym.envs import MultiTurnEnv, TextSpace


def _solve(env: gym.Env, toy: EnvToyAdd) -> str:
    return toy.reference_response(env.unwrapped.problem)


def test_wrong_answer_gets_feedback_then_a_solved_retry_scores_one(toy_id: str, toy: EnvToyAdd) -> None:
    env = gym.make(toy_id, max_turns=3)
    prompt, reset_info = env.reset(seed=0)
    obs, reward, terminated, truncated, info = env.step("\\boxed{-5}")
    assert (reward, terminated, truncated) == (0.0, False, False)
    assert "-5 is not the sum" in obs and "2 attempts left" in obs and obs in TextSpace()
    assert info["turn"] == 1 and info["reason"] == "wrong_answer" and info["problem_id"] == reset_info["problem_id"]
    obs, reward, terminated, _, info = env.step(_solve(env, toy))
    assert (obs, reward, terminated, info["turn"], info["reason"]) == ("", 1.0, True, 2, "ok")
    with pytest.raises(ResetNeeded):
        env.unwrapped.step("\\boxed{1}")


def test_all_turns_failed_terminates_with_zero(toy_id: str) -> None:
    env = gym.make(toy_id, max_turns=3)
    env.reset(seed=0)
    results = [env.step("no answer here") for _ in range(3)]
    assert [r[1] for r in results] == [0.0, 0.0, 0.0]
    assert [r[2] for r in results] == [False, False, True]
    assert [r[4]["turn"] for r in results] == [1, 2, 3]
    assert "1 attempt left" in results[1][0] and results[2][0] == ""


def test_reset_starts_a_fresh_episode(toy_id: str, toy: EnvToyAdd) -> None:
    env = gym.make(toy_id, max_turns=2)
    env.reset(seed=0)
    env.step("wrong")
    env.reset(seed=1)
    _, _, terminated, _, info = env.step("wrong")
    assert info["turn"] == 1 and terminated is False


def test_infrastructure_failure_ends_the_episode_without_burning_retries(toy_id: str) -> None:
    env = gym.make(toy_id, max_turns=5)
    env.reset(seed=0)
    obs, reward, terminated, _, info = env.step("CRASH")
    assert (obs, reward, terminated) == ("", 0.0, True)
    assert info["infrastructure_failure"] is True and info["reason"] == "verifier_error" and info["turn"] == 1


def test_feedback_echoing_junk_stays_in_the_observation_space(toy_id: str) -> None:
    env = gym.make(toy_id, max_turns=2)
    env.reset(seed=0)
    obs = env.step("\\boxed{\x00\x1b}")[0]
    assert obs in env.observation_space and "\ufffd" in obs


def test_feedback_is_overridable(toy_id: str) -> None:
    class Terse(MultiTurnEnv):
        def format_feedback(self, verdict: Verdict) -> str:
            return f"turn {self.turn}/{self.max_turns}: {verdict.reason}"

    env = Terse(TOY, max_turns=2)
    env.reset(seed=0)
    assert env.step("\\boxed{-1}")[0] == "turn 1/2: wrong_answer"


@pytest.mark.parametrize("max_turns", [0, -1, 2.5, True, "3"])
def test_max_turns_is_validated(toy_id: str, max_turns: object) -> None:
    with pytest.raises(ConfigError, match="max_turns"):
        MultiTurnEnv(TOY, max_turns=max_turns)  # type: ignore[arg-type]
