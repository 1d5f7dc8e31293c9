"""Seeding: problems are a pure function of (template, version, seed, index, config)."""

from __future__ import annotations

import os
import subprocess
import sys

from vrgym.testing.toys import ToyAddition
from vrgym.seeding import canonical_json, derive_seed, problem_id, problem_key, rng_for


def test_key_is_canonical() -> None:
    a = problem_key("T", 0, 1, 2, {"b": 1, "a": [1, 2]})
    b = problem_key("T", 0, 1, 2, {"a": [1, 2], "b": 1})
    assert a == b == canonical_json({"task": "T", "version": 0, "seed": 1, "index": 2, "config": {"a": [1, 2], "b": 1}})


def test_every_component_changes_the_stream() -> None:
    base = ("T", 0, 1, 2, {"x": 1})
    variants = [("U", 0, 1, 2, {"x": 1}), ("T", 1, 1, 2, {"x": 1}), ("T", 0, 2, 2, {"x": 1}),
                ("T", 0, 1, 3, {"x": 1}), ("T", 0, 1, 2, {"x": 2})]
    first = rng_for(problem_key(*base)).random()
    assert all(rng_for(problem_key(*v)).random() != first for v in variants)
    assert len({problem_id(problem_key(*v)) for v in [base, *variants]}) == 6


def test_same_problem_in_other_processes_and_hash_seeds() -> None:
    template = ToyAddition()
    here = [template.generate(seed, index, difficulty="hard").to_json() for seed in (0, 7) for index in range(3)]
    code = (
        "from vrgym.testing.toys import ToyAddition\n"
        "t = ToyAddition()\n"
        "for seed in (0, 7):\n"
        "    for index in range(3):\n"
        "        print(t.generate(seed, index, difficulty='hard').to_json())\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
        assert out.stdout.splitlines() == here


def test_seeds_are_unrelated_not_shifted() -> None:
    template = ToyAddition()
    seed0 = [template.generate(0, i, difficulty="hard").prompt for i in range(50)]
    seed1 = [template.generate(1, i, difficulty="hard").prompt for i in range(50)]
    assert not set(seed0) & set(seed1)  # reasoning-gym's seed s+1 equals seed s shifted by one


def test_derive_seed_is_stable_and_bounded() -> None:
    assert derive_seed("env", 3) == derive_seed("env", 3)
    assert derive_seed("env", 3) != derive_seed("env", 4)
    assert 0 <= derive_seed("x", bits=31) < 2**31
