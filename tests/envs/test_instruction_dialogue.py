"""InstructionDialogue: planned turns (add / change / cancel) and the turn-by-turn env that plays them."""

from __future__ import annotations

import warnings

import gymnasium as gym
import pytest
from gymnasium.error import ResetNeeded
from gymnasium.utils.env_checker import check_env

import vrgym
from vrgym.envs.instruction_dialogue import InstructionDialogueEnv
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.instruction._composer import build_reference, task_of
from vrgym.tasks.instruction._judge import constraints_from
from vrgym.tasks.instruction.dialogue import DIALOGUE_ENV_ID, flatten
from vrgym.verifiers.instruction import compatible, get_constraint_kind

TEMPLATE = vrgym.get_template("InstructionDialogue")
LEVELS = TEMPLATE.Config.level_names()


def _problems(level: str, n: int = 10, seed: int = 0) -> list[Problem]:
    return list(TEMPLATE.problems(n, seed, difficulty=level))


def _kinds(spec: list[dict]) -> list[str]:
    return [c["kind"] for c in spec]


# ------------------------------------------------------------------------------ the plan of turns


@pytest.mark.parametrize("level", LEVELS)
def test_every_turn_follows_from_the_previous_by_its_operation(level: str) -> None:
    config = TEMPLATE.config(level)
    for problem in _problems(level):
        turns = problem.metadata["turns"]
        assert len(turns) == 1 + config.follow_ups and turns[0]["op"] == "start"
        assert len(turns[0]["constraints"]) == config.initial_constraints
        for before, after in zip(turns, turns[1:]):
            old, new = before["constraints"], after["constraints"]
            if after["op"] == "add":
                assert new[:-1] == old and len(new) == len(old) + 1
            elif after["op"] == "cancel":
                assert len(new) == len(old) - 1 >= 1 and all(c in old for c in new)
            else:
                assert len(new) == len(old) and _kinds(new) == _kinds(old) and new != old
            assert compatible(constraints_from(new))
        assert problem.metadata["constraints"] == turns[-1]["constraints"]
        if config.follow_ups >= 2:
            assert any(t["op"] in ("change", "cancel") for t in turns[1:])


def test_the_single_turn_prompt_lists_every_message_in_order() -> None:
    problem = _problems("medium", n=1)[0]
    assert problem.prompt == flatten(problem.metadata["turns"])
    positions = [problem.prompt.index(t["message"]) for t in problem.metadata["turns"]]
    assert positions == sorted(positions)


@pytest.mark.parametrize("level", LEVELS)
def test_the_reference_meets_the_final_constraints(level: str) -> None:
    for problem in _problems(level):
        verdict = TEMPLATE.verify(problem, TEMPLATE.reference_response(problem))
        assert verdict.reward == 1, verdict
        assert len(verdict.checks) == len(problem.metadata["constraints"])


# ------------------------------------------------------------------------------ the env


def _play(env: gym.Env, replies: list[str]) -> list[tuple]:
    return [env.step(reply) for reply in replies]


@pytest.mark.parametrize("level", LEVELS)
def test_check_env_passes(level: str) -> None:
    env = gym.make(DIALOGUE_ENV_ID, difficulty=level)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_env(env.unwrapped)
    env.close()


def test_an_episode_runs_one_step_per_user_turn_and_rewards_only_the_last() -> None:
    env = gym.make(DIALOGUE_ENV_ID, difficulty="medium")
    first, info = env.reset(seed=4)
    problem = info["problem"]
    turns = problem.metadata["turns"]
    assert first.startswith(turns[0]["message"]) and info["turns"] == len(turns)
    reference = TEMPLATE.reference_response(problem)
    results = _play(env, [reference] * len(turns))
    for k, (obs, reward, terminated, truncated, step_info) in enumerate(results[:-1]):
        assert (reward, terminated, truncated) == (0.0, False, False)
        assert obs.endswith(turns[k + 1]["message"]) and step_info["turn"] == k + 1
        assert step_info["reason"] == "in_progress" and step_info["turn_verdict"].reward in (0, 1)
    obs, reward, terminated, _, step_info = results[-1]
    assert (obs, reward, terminated, step_info["reason"]) == ("", 1.0, True, "ok")
    with pytest.raises(ResetNeeded):
        env.unwrapped.step(reference)


def test_a_reply_that_breaks_the_constraints_in_force_gets_a_complaint_then_zero_at_the_end() -> None:
    env = gym.make(DIALOGUE_ENV_ID, difficulty="easy")
    _, info = env.reset(seed=1)
    obs, reward, terminated, _, step_info = env.step("ok")
    assert reward == 0.0 and not terminated
    assert obs.startswith("(Your last reply did not follow the instructions") and step_info["turn_verdict"].reward == 0
    obs, reward, terminated, _, step_info = env.step("ok")
    assert (reward, terminated) == (0.0, True) and step_info["reason"] != "ok"


def test_feedback_can_be_switched_off() -> None:
    env = InstructionDialogueEnv(difficulty="easy", feedback=False)
    _, info = env.reset(seed=1)
    obs = env.step("ok")[0]
    assert obs == info["problem"].metadata["turns"][1]["message"]


def _hand_made(ops: list[tuple[str, list[dict]]]) -> Problem:
    """A real problem whose turns are replaced by a known plan (kinds with obvious checks)."""
    base = _problems("easy", n=1, seed=11)[0]
    turns = [{"op": op, "message": f"Message {i}: {op}.", "constraints": spec} for i, (op, spec) in enumerate(ops)]
    metadata = {**base.metadata, "turns": turns, "constraints": turns[-1]["constraints"]}
    return base.model_copy(update={"metadata": metadata, "prompt": flatten(turns)})


NO_COMMA = {"kind": "punctuation:no_comma", "params": {}}
WORDS = {"kind": "length_constraints:number_words", "params": {"num_words": 40, "relation": "at least"}}


def _replies(problem: Problem) -> tuple[str, str]:
    """(a reply without commas, the same reply with one comma), both meeting the word count."""
    task = task_of(problem.metadata["base_task"])
    clean = build_reference(task, constraints_from([NO_COMMA, WORDS]))
    assert clean is not None and "," not in clean
    first, rest = clean.split(" ", 1)
    return clean, f"{first}, {rest}"


def test_an_earlier_constraint_still_holds_at_the_end_unless_cancelled() -> None:
    kept = _hand_made([("start", [NO_COMMA]), ("add", [NO_COMMA, WORDS])])
    cancelled = _hand_made([("start", [NO_COMMA, WORDS]), ("cancel", [WORDS])])
    clean, with_comma = _replies(kept)
    assert TEMPLATE.verify(kept, clean).reward == 1
    assert TEMPLATE.verify(kept, with_comma).reason == "constraint_failed"
    assert TEMPLATE.verify(cancelled, with_comma).reward == 1
    env = InstructionDialogueEnv()
    env.reset(options={"problem": kept})
    assert env.step(with_comma)[1] == 0.0  # the first turn only asked for no commas: a complaint, not a reward
    assert env.step(with_comma)[1] == 0.0
    env.reset(options={"problem": cancelled})
    assert env.step(clean)[1] == 0.0 and env.step(with_comma)[1] == 1.0


def test_a_template_without_planned_turns_is_refused() -> None:
    with pytest.raises(ConfigError, match="planned turns"):
        InstructionDialogueEnv("Arithmetic")


def test_reset_replays_a_given_problem_and_streams_continue() -> None:
    env = InstructionDialogueEnv(difficulty="hard")
    _, a = env.reset(seed=2)
    _, b = env.reset()
    _, again = env.reset(options={"problem": a["problem"].to_json()})
    assert a["problem_id"] != b["problem_id"] and again["problem_id"] == a["problem_id"]


def test_non_string_and_huge_replies_are_zero_not_errors() -> None:
    env = InstructionDialogueEnv(difficulty="easy")
    env.reset(seed=0)
    obs, reward, terminated, _, info = env.step(None)  # type: ignore[arg-type]
    assert reward == 0.0 and not terminated and info["turn_verdict"].reason == "format"
    _, reward, terminated, _, info = env.step("x" * (TEMPLATE.max_response_chars + 1))
    assert (reward, terminated, info["reason"]) == (0.0, True, "too_long")


def test_the_kinds_used_by_the_hand_made_plans_exist() -> None:
    assert get_constraint_kind(NO_COMMA["kind"]) and get_constraint_kind(WORDS["kind"])
