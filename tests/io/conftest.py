"""Fixtures of the IO tests: hand-made Problems of very different shapes (no template needed)."""

from __future__ import annotations

import pytest

from vrgym.problem import Problem


def make_problem(i: int, **changes: object) -> Problem:
    answers = [7, "-7/3", [1, "b", None], {"grid": [[1, 2], [3, 4]], "ok": True}, None, 2.5, "ünïcode ✓ \n\t\"q\""]
    fields = {
        "task": ("Alpha", "Beta", "Gamma")[i % 3],
        "version": i % 2,
        "id": f"{i:016x}",
        "seed": -5 + i,
        "index": i,
        "difficulty": ("easy", "hard")[i % 2],
        "config": {"difficulty": ("easy", "hard")[i % 2], "n": i, "nested": {"z": 1, "a": [0.1, None]}},
        "prompt": f"Problem {i}: ∑ \\boxed{{}}\nsecond line",
        "answer": answers[i % len(answers)],
        "tags": ("math/x", "math/x/y")[: i % 3],
        "metadata": {"k": i, "b": {"list": list(range(i % 4))}, "s": "x" * (i % 5)},
    }
    return Problem(**{**fields, **changes})


@pytest.fixture
def problems() -> list[Problem]:
    """Fourteen problems whose answer/metadata/config/tags differ in type and shape."""
    return [make_problem(i) for i in range(14)]
