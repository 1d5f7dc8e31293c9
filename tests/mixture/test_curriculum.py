"""Curriculum: a simulated learner climbs and settles; no flapping between levels; filter output; resume from JSON."""

from __future__ import annotations

import itertools
import json
import math
import random

import pytest

from vrgym.mixture import Curriculum, Mixture, MixtureError

LEVELS = ["easy", "medium", "hard", "expert"]  # Arithmetic's levels


def mixture() -> Mixture:
    return Mixture.from_dict(
        {"entries": [{"task": "Arithmetic", "weight": 3, "difficulty": "easy"}, {"task": "MorseDecode", "weight": 1, "difficulty": "easy"}]}
    )


def train(curriculum: Curriculum, skill: dict[str, list[float]], steps: int, seed: int = 0) -> list[str]:
    """Feed rewards of a learner whose success probability depends only on the level; return Arithmetic's level per step."""
    rng = random.Random(seed)
    trace = []
    for _ in range(steps):
        for task, probabilities in skill.items():
            state = curriculum.tasks[task]
            curriculum.update(task, state.level_name, rng.random() < probabilities[state.level])
        trace.append(curriculum.levels()["Arithmetic"])
    return trace


def test_learner_climbs_to_its_level_and_settles():
    curriculum = Curriculum(mixture(), low=0.3, high=0.8, min_samples=32, window=64)
    skill = {"Arithmetic": [0.97, 0.9, 0.55, 0.05], "MorseDecode": [0.2, 0.1, 0.0, 0.0, 0.0]}
    trace = train(curriculum, skill, 2000)
    assert curriculum.levels() == {"Arithmetic": "hard", "MorseDecode": "easy"}  # easy is the floor
    assert trace[-1500:] == ["hard"] * 1500  # settled: no move in the last 1500 steps
    assert [m[1:] for m in curriculum.tasks["Arithmetic"].moves] == [("easy", "medium"), ("medium", "hard")]


def test_a_learner_between_two_levels_does_not_flap():
    curriculum = Curriculum(mixture(), low=0.3, high=0.8, min_samples=16, window=256)
    # Good enough to leave medium (0.9), too weak for hard (0.15): the naive rule bounces forever.
    trace = train(curriculum, {"Arithmetic": [0.99, 0.9, 0.15, 0.0]}, 6000, seed=1)
    moves = curriculum.tasks["Arithmetic"].moves
    assert trace[-1] == "medium"
    assert curriculum.tasks["Arithmetic"].failures["hard"] >= 2
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(moves) if a[1:] == ("hard", "medium")]  # wait before each retry
    assert gaps == sorted(gaps) and gaps[-1] >= 16 * 2**6  # each retry of hard waits twice as long
    assert len(moves) <= 2 * math.log2(6000 / 16) + 3  # logarithmic in the run length, not linear
    assert trace.count("medium") > 0.8 * len(trace)


def test_learner_getting_worse_is_moved_down():
    curriculum = Curriculum(mixture(), min_samples=20, window=40, start={"Arithmetic": "expert"})
    train(curriculum, {"Arithmetic": [0.9, 0.5, 0.1, 0.0]}, 400)
    assert curriculum.levels()["Arithmetic"] == "medium"


def test_stale_rewards_do_not_move_the_level():
    curriculum = Curriculum(mixture(), min_samples=4, window=8)
    for _ in range(50):
        assert curriculum.update("Arithmetic", "hard", 1) == "easy"
    assert curriculum.tasks["Arithmetic"].stale == 50
    with pytest.raises(MixtureError, match="not in this curriculum's mixture"):
        curriculum.update("Sudoku", "easy", 1)
    with pytest.raises(ValueError, match="unknown difficulty"):
        curriculum.update("Arithmetic", "impossible", 1)


def test_sample_follows_levels_and_never_repeats_a_problem():
    curriculum = Curriculum(mixture(), min_samples=4, window=8)
    batch = curriculum.sample(8, seed=0)
    assert sum(p.task == "Arithmetic" for p in batch) == 6 and {p.difficulty for p in batch} == {"easy"}
    for _ in range(4):
        curriculum.update("Arithmetic", "easy", 1)
    assert curriculum.levels()["Arithmetic"] == "medium"
    more = curriculum.sample(8, seed=0)
    assert {p.difficulty for p in more if p.task == "Arithmetic"} == {"medium"}
    assert len({p.id for p in batch + more}) == 16


def test_state_round_trips_and_resumes_identically(tmp_path):
    original = Curriculum(mixture(), min_samples=8, window=16)
    train(original, {"Arithmetic": [0.95, 0.5, 0.1, 0.0], "MorseDecode": [0.5] * 5}, 40)
    original.sample(5)
    path = tmp_path / "curriculum.json"
    original.save(path)
    resumed = Curriculum.load(path)
    assert resumed.state_dict() == original.state_dict() == json.loads(path.read_text())
    assert resumed.sample(7, seed=2) == original.sample(7, seed=2)
    train(original, {"Arithmetic": [0.95, 0.5, 0.1, 0.0]}, 30, seed=5)
    train(resumed, {"Arithmetic": [0.95, 0.5, 0.1, 0.0]}, 30, seed=5)
    assert resumed.state_dict() == original.state_dict()
    (tmp_path / "junk.json").write_text("{}")
    with pytest.raises(MixtureError, match="not a curriculum state"):
        Curriculum.load(tmp_path / "junk.json")


def test_levels_from_filter_statistics(tmp_path):
    rows = [
        {"id": "a", "task": "Arithmetic", "difficulty": "easy", "n": 16, "c": 16},
        {"id": "b", "task": "Arithmetic", "difficulty": "easy", "n": 16, "c": 15},
        {"id": "c", "task": "Arithmetic", "difficulty": "medium", "n": 32, "c": 30},
        {"id": "d", "task": "Arithmetic", "difficulty": "hard", "n": 32, "c": 12},
        {"id": "e", "task": "MorseDecode", "difficulty": "easy", "n": 8, "c": 8},  # too few samples to act on
        {"id": "f", "task": "Sudoku", "difficulty": "easy", "n": 32, "c": 32},  # not in the mixture
    ]
    stats = tmp_path / "stats.jsonl"
    stats.write_text("".join(json.dumps(r) + "\n" for r in rows))
    curriculum = Curriculum(mixture(), min_samples=16)
    assert curriculum.observe_filter(stats) == {"Arithmetic": "hard", "MorseDecode": "easy"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"task": "Arithmetic"}) + "\n")
    with pytest.raises(MixtureError, match="no difficulty, n, c column"):
        curriculum.observe_filter(bad)


def test_counts_from_a_real_filter_run(tmp_path):
    """The real `vrgym filter` output feeds the curriculum (a callable model solves every easy problem)."""
    import vrgym
    from vrgym.filter import FilterRun, Rule, StatsOptions
    from vrgym.models import SamplingParams, make_model

    template = vrgym.get_template("Arithmetic")
    problems = list(template.problems(6, seed=0, difficulty="easy")) + list(template.problems(6, seed=0, difficulty="medium"))
    answers = {p.prompt: template.reference_response(p) if p.difficulty == "easy" else "\\boxed{0.5}" for p in problems}

    def model(prompt: str, seed: int, params: SamplingParams) -> str:
        return answers[prompt]

    with make_model("callable", "toy", fn=model) as client:
        run = FilterRun.create(tmp_path / "run", problems, model=client.describe(), params=SamplingParams(), k=4)
        run.sample(client)
    run.score()
    selection = run.select(Rule(), StatsOptions())
    stats = selection.outputs["stats"]
    curriculum = Curriculum(mixture(), min_samples=8)
    assert curriculum.observe_filter(stats)["Arithmetic"] == "medium"  # easy always solved, medium never: stop at medium
    curriculum = Curriculum(mixture(), min_samples=8, start={"Arithmetic": "medium"})
    assert curriculum.observe_filter(stats)["Arithmetic"] == "easy"  # below `low` at medium: one down


def test_settings_are_checked():
    with pytest.raises(ValueError, match="low < high"):
        Curriculum(mixture(), low=0.9, high=0.5)
    with pytest.raises(ValueError, match="min_samples <= window"):
        Curriculum(mixture(), min_samples=10, window=5)


def test_sampling_in_batches_equals_one_draw():
    whole = Curriculum(mixture()).sample(30, seed=3)
    batched = Curriculum(mixture())
    assert batched.sample(7, seed=3) + batched.sample(0, seed=3) + batched.sample(23, seed=3) == whole
    assert batched.entry_counts == [sum(p.task == "Arithmetic" for p in whole), sum(p.task == "MorseDecode" for p in whole)]
