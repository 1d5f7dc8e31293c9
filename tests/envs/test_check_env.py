"""Gymnasium's `check_env` on made envs (so its determinism checks run), with warnings as errors."""

from __future__ import annotations

import warnings

import gymnasium as gym
import pytest
from gymnasium.utils.env_checker import check_env

import vrgym
from tests.envs.toy_template import builtin_template_names


def _check_made_env(env_id: str, **kwargs: object) -> None:
    env = gym.make(env_id, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_env(env.unwrapped)
    env.close()


@pytest.mark.parametrize(
    "kwargs", [{}, {"difficulty": "hard", "max_operand": 50}, {"max_turns": 3}, {"max_turns": 2, "difficulty": 1}]
)
def test_check_env_passes_on_the_toy_template(toy_id: str, kwargs: dict) -> None:
    _check_made_env(toy_id, **kwargs)


REAL_TEMPLATES = builtin_template_names()


@pytest.mark.parametrize("name", REAL_TEMPLATES)
@pytest.mark.parametrize("max_turns", [1, 2])
def test_check_env_passes_on_every_registered_template(name: str, max_turns: int) -> None:
    _check_made_env(vrgym.get_template_class(name).gym_id(), max_turns=max_turns)
