"""SingleTurnEnv and make_task_env: config at make time, the problem stream, replay, step and info."""

from __future__ import annotations

import warnings

import gymnasium as gym
import pytest
from tests.envs.toy_template import TOY, EnvToyAdd
from gymnasium.error import ResetNeeded
from gymnasium.utils.passive_env_checker import data_shares_objects

from vrgym import ConfigError, Problem, ProblemMismatchError, Verdict
from vrgym.envs import MultiTurnEnv, SingleTurnEnv, TextSpace, make_task_env


def test_make_passes_difficulty_and_config_overrides(toy_id: str) -> None:
    env = gym.make(toy_id, difficulty="hard", max_operand=5)
    assert env.spec is not None and env.spec.kwargs == {"task": TOY, "difficulty": "hard", "max_operand": 5}
    assert isinstance(env.unwrapped, SingleTurnEnv)
    assert env.observation_space == TextSpace() and env.action_space == TextSpace()
    _, info = env.reset(seed=0)
    assert info["difficulty"] == "hard" and info["problem"].config == {"difficulty": "hard", "max_operand": 5}
    assert gym.make(toy_id, difficulty=1).unwrapped.config.max_operand == 999


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"difficulty": "impossible"}, "unknown difficulty"),
        ({"max_opernd": 3}, "max_opernd"),
        ({"max_operand": 0}, "max_operand"),
    ],
)
def test_bad_config_fails_at_make_time(toy_id: str, kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        gym.make(toy_id, **kwargs)


def test_bad_max_turns_and_render_mode_fail_at_make_time(toy_id: str) -> None:
    with pytest.raises(ConfigError, match="max_turns"):
        gym.make(toy_id, max_turns=0)
    with pytest.raises(ConfigError, match="render"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Gymnasium first warns that "ansi" is not among the render modes
        gym.make(toy_id, render_mode="ansi")


def test_factory_picks_the_env_class(toy_id: str) -> None:
    assert type(make_task_env(TOY)) is SingleTurnEnv
    multi = make_task_env(TOY, max_turns=4)
    assert type(multi) is MultiTurnEnv and multi.max_turns == 4


def test_seeded_reset_is_problem_zero_of_that_seed(toy_id: str, toy: EnvToyAdd) -> None:
    env = gym.make(toy_id)
    prompts = {}
    for seed in (0, 1, 2, 12345):
        prompt, info = env.reset(seed=seed)
        expected = toy.generate(seed=seed, index=0)
        assert prompt == expected.prompt and info["problem"] == expected
        assert info["problem_id"] == expected.id and info["task"] == TOY and info["difficulty"] == "easy"
        assert env.reset(seed=seed)[0] == prompt
        prompts[seed] = prompt
    assert len({toy.generate(seed=s, index=0).id for s in prompts}) == len(prompts)


def test_unseeded_resets_walk_the_stream(toy_id: str, toy: EnvToyAdd) -> None:
    env = gym.make(toy_id)
    ids = [env.reset(seed=3)[1]["problem_id"]] + [env.reset()[1]["problem_id"] for _ in range(3)]
    assert ids == [toy.generate(seed=3, index=i).id for i in range(4)]


def test_stream_seed_comes_from_np_random_when_never_seeded(toy_id: str) -> None:
    env = SingleTurnEnv(TOY)
    first = [env.reset()[1]["problem"] for _ in range(3)]
    assert [p.index for p in first] == [0, 1, 2] and len({p.seed for p in first}) == 1
    assert SingleTurnEnv(TOY).reset()[1]["problem"].seed != first[0].seed  # a fresh random stream


def test_index_option_jumps_within_the_stream(toy_id: str, toy: EnvToyAdd) -> None:
    env = gym.make(toy_id)
    _, info = env.reset(seed=5, options={"index": 7})
    assert info["problem_id"] == toy.generate(seed=5, index=7).id
    assert env.reset()[1]["problem_id"] == toy.generate(seed=5, index=8).id
    with pytest.raises(ValueError, match="index"):
        env.reset(options={"index": -1})


@pytest.mark.parametrize("form", ["problem", "dict", "json"])
def test_problem_option_replays_without_advancing_the_stream(toy_id: str, toy: EnvToyAdd, form: str) -> None:
    problem = toy.generate(seed=99, index=4, difficulty="hard")
    given = {"problem": problem, "dict": problem.model_dump(mode="json"), "json": problem.to_json()}[form]
    env = gym.make(toy_id)
    env.reset(seed=1)
    prompt, info = env.reset(options={"problem": given})
    assert prompt == problem.prompt and info["problem_id"] == problem.id and info["difficulty"] == "hard"
    assert env.step(toy.reference_response(problem))[1] == 1.0
    assert env.reset()[1]["problem_id"] == toy.generate(seed=1, index=1).id


def test_bad_reset_options_are_refused(toy_id: str, toy: EnvToyAdd) -> None:
    env = gym.make(toy_id)
    with pytest.raises(ValueError, match="unknown reset option"):
        env.reset(options={"difficulty": "hard"})
    with pytest.raises(ValueError, match="exclude"):
        env.reset(options={"problem": toy.generate(), "index": 2})
    foreign = toy.generate().model_copy(update={"task": "SomethingElse"})
    with pytest.raises(ProblemMismatchError):
        env.reset(options={"problem": foreign})


def test_step_rewards_and_info(toy_id: str, toy: EnvToyAdd) -> None:
    env = gym.make(toy_id)
    _, info = env.reset(seed=0)
    problem = toy.accept(info["problem"])
    obs, reward, terminated, truncated, step_info = env.step(toy.reference_response(problem))
    assert (obs, reward, terminated, truncated) == ("", 1.0, True, False) and type(reward) is float
    assert step_info == {
        "verdict": Verdict(reward=1, reason="ok", detail="", checks={}, answer=str(problem.answer)),
        "reward": 1.0,
        "reason": "ok",
        "problem_id": problem.id,
        "infrastructure_failure": False,
    }
    env.reset(seed=0)
    _, reward, terminated, _, step_info = env.step("\\boxed{-1}")
    assert (reward, terminated, step_info["reason"]) == (0.0, True, "wrong_answer")


@pytest.mark.parametrize("action", [None, 42, b"\\boxed{1}", ["\\boxed{1}"]])
def test_non_string_actions_score_zero_for_format(toy_id: str, action: object) -> None:
    env = SingleTurnEnv(TOY)
    env.reset(seed=0)
    _, reward, terminated, _, info = env.step(action)  # type: ignore[arg-type]
    assert (reward, terminated, info["reason"]) == (0.0, True, "format")


def test_infrastructure_failure_is_flagged(toy_id: str) -> None:
    env = SingleTurnEnv(TOY)
    env.reset(seed=0)
    _, reward, _, _, info = env.step("CRASH")
    assert reward == 0.0 and info["reason"] == "verifier_error" and info["infrastructure_failure"] is True


def test_step_outside_an_episode_raises(toy_id: str) -> None:
    env = SingleTurnEnv(TOY)
    with pytest.raises(ResetNeeded, match="reset"):
        env.step("\\boxed{1}")
    env.reset(seed=0)
    env.step("\\boxed{1}")
    with pytest.raises(ResetNeeded, match="terminated"):
        env.step("\\boxed{1}")
    env.reset()
    env.step("\\boxed{1}")


def test_info_is_deterministic_and_fresh_per_episode(toy_id: str) -> None:
    env = gym.make(toy_id)
    runs = []
    for _ in range(2):
        reset_info = env.reset(seed=42)[1]
        step_info = env.step("\\boxed{7}")[4]
        runs.append((reset_info, step_info))
    assert runs[0] == runs[1]
    assert not data_shares_objects(runs[0][0], runs[1][0]) and not data_shares_objects(runs[0][1], runs[1][1])
    # info carries the frozen Problem and Verdict themselves (dumping them cost more than the env)
    assert isinstance(runs[0][0]["problem"], Problem) and isinstance(runs[0][1]["verdict"], Verdict)
    assert runs[1][0]["problem"] is env.unwrapped.problem


def test_direct_instance_accepts_a_template_object(toy: EnvToyAdd) -> None:
    env = SingleTurnEnv(toy, difficulty="hard")
    prompt, _ = env.reset(seed=0)
    assert prompt == toy.generate(seed=0, difficulty="hard").prompt
    assert "EnvToyAdd" in repr(env) and env.problem is not None


def test_lazy_np_random_matches_gymnasium_seeding(toy_id: str) -> None:
    from gymnasium.utils import seeding

    env = SingleTurnEnv(TOY)
    env.reset(seed=5)
    assert env.np_random_seed == 5
    expected, _ = seeding.np_random(5)
    assert env.np_random.bit_generator.state == expected.bit_generator.state
    with pytest.raises(gym.error.Error, match="non-negative"):
        env.reset(seed=-1)
