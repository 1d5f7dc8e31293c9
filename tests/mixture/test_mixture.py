"""Mixture: validation messages, YAML round trip, reproducibility, prefix stability, weights honoured in counts."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

import vrgym
from vrgym.mixture import Mixture, MixtureError
from vrgym.mixture.schedule import QuotaSchedule

YAML = """
name: demo
seed: 4
entries:
  - {task: Arithmetic, weight: 3, difficulties: {easy: 1, medium: 2}}
  - {task: morse_decode, weight: 1, difficulty: 0}
"""


@pytest.fixture(scope="module")
def mixture() -> Mixture:
    return Mixture.from_yaml(YAML)


def test_yaml_is_resolved_and_round_trips(mixture, tmp_path):
    assert [e.task for e in mixture.entries] == ["Arithmetic", "MorseDecode"]  # snake_case alias → canonical
    assert mixture.entries[1].difficulty == "easy"  # position → level name
    assert mixture.shares() == pytest.approx(
        {("Arithmetic", "easy"): 0.25, ("Arithmetic", "medium"): 0.5, ("MorseDecode", "easy"): 0.25}
    )
    path = tmp_path / "mix.yaml"
    mixture.to_yaml(path)
    assert Mixture.from_yaml(path) == mixture == Mixture.from_yaml(str(path)) == Mixture.from_dict(mixture.to_dict())


def test_entries_may_be_a_task_to_weight_mapping():
    mix = Mixture.from_dict({"entries": {"Arithmetic": 2, "MorseDecode": 1}})
    assert [(e.task, e.weight) for e in mix.entries] == [("Arithmetic", 2.0), ("MorseDecode", 1.0)]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"task": "Arithmetc"}], "unknown task 'Arithmetc'. Did you mean: Arithmetic"),
        ([{"task": "Arithmetic", "weight": 0}], "weight must be a finite number > 0"),
        ([{"task": "Arithmetic", "weight": float("nan")}], "weight must be a finite number > 0"),
        ([{"task": "Arithmetic", "weight": "heavy"}], "weight must be a finite number > 0"),
        ([{"task": "Arithmetic", "difficulty": "insane"}], "unknown difficulty 'insane'; choose one of"),
        ([{"task": "Arithmetic", "difficulties": {"easy": 1, "nope": 1}}], "unknown difficulty 'nope'"),
        ([{"task": "Arithmetic", "difficulties": {"easy": -1}}], "weight of level 'easy' must be"),
        ([{"task": "Arithmetic", "difficulties": {}}], "difficulties is empty"),
        ([{"task": "Arithmetic", "difficulty": "easy", "difficulties": {"easy": 1}}], "either difficulty or difficulties"),
        ([{"task": "Arithmetic", "config": {"bogus": 1}}], "bogus: Extra inputs are not permitted"),
        ([{"task": "Arithmetic"}, {"task": "arithmetic", "difficulty": "medium"}], "merge them"),
        ([{"task": "Arithmetic", "colour": "red"}], "colour"),
        ([], "at least 1 item"),
    ],
)
def test_bad_mixtures_say_what_to_fix(entries, message):
    with pytest.raises(MixtureError, match=message.replace("(", r"\(").replace("'", "'")):
        Mixture.from_dict({"entries": entries})


def test_bad_yaml_and_missing_files(tmp_path):
    with pytest.raises(MixtureError, match="not valid YAML"):
        Mixture.from_yaml("entries: [unclosed\n")
    with pytest.raises(MixtureError, match="must be a mapping"):
        Mixture.from_yaml("- just\n- a list\n")
    with pytest.raises(vrgym.DataFileError, match="no such mixture file"):
        Mixture.from_yaml(tmp_path / "absent.yaml")
    (tmp_path / "bad.yaml").write_text("entries:\n  - task: Nope\n")
    with pytest.raises(MixtureError, match=r"bad\.yaml: invalid mixture: entries\.0: unknown task 'Nope'"):
        Mixture.from_yaml(tmp_path / "bad.yaml")


def test_problems_are_reproducible_and_prefix_stable(mixture):
    first = list(mixture.problems(24))
    assert first == list(mixture.problems(24, seed=4))  # the mixture's own seed is the default
    assert list(mixture.problems(30))[:24] == first  # n+6 extends, does not reshuffle
    assert list(mixture.problems(10, start=14)) == first[14:]
    assert list(mixture.problems(24, seed=5)) != first
    # The k-th draw of a stream is problem k of that template's own stream.
    arith_easy = [p for p in first if p.task == "Arithmetic" and p.difficulty == "easy"]
    assert arith_easy == list(vrgym.generate("Arithmetic", n=len(arith_easy), seed=4, difficulty="easy"))
    assert len({p.id for p in first}) == len(first)


def test_same_problems_in_another_process(mixture):
    code = (
        "from vrgym.mixture import Mixture;"
        f"m = Mixture.from_yaml({YAML!r});"
        "print(','.join(p.id for p in m.problems(12)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "123", "PATH": ""}).stdout.strip()  # fmt: skip
    assert out == ",".join(p.id for p in mixture.problems(12))


def test_counts_follow_the_weights_at_every_prefix():
    weights = [5.0, 3.0, 1.5, 0.4, 0.1]
    for seed in range(5):
        schedule = QuotaSchedule(weights, seed)
        counts = [0] * len(weights)
        for n, (j, k) in enumerate(schedule.slice(0, 3000), start=1):
            assert k == counts[j]  # each stream's indices run 0, 1, 2, … in order
            counts[j] += 1
            for share, count in zip(schedule.shares, counts):
                assert abs(count - n * share) < 1 + len(weights) * share
    # Exact in expectation: the phase is uniform over seeds, so averaged counts converge.
    n = 37
    mean = [sum(QuotaSchedule(weights, seed).counts_at(n)[j] for seed in range(400)) / 400 for j in range(len(weights))]
    assert mean == pytest.approx([n * w / sum(weights) for w in weights], abs=0.12)


def test_schedule_continuation_matches_the_uninterrupted_run():
    schedule = QuotaSchedule([2, 1, 1], seed=9)
    whole = schedule.slice(0, 200)
    assert schedule.slice(77, 50) == whole[77:127]
    assert QuotaSchedule([2, 1, 1], seed=10).slice(0, 200) != whole
    with pytest.raises(ValueError, match="finite and > 0"):
        QuotaSchedule([1, 0], seed=0)


def test_small_mixture_counts_are_exactly_proportional():
    mix = Mixture.from_dict({"entries": [{"task": "Arithmetic", "weight": 3}, {"task": "MorseDecode", "weight": 1}]})
    for seed in range(4):
        counts = Counter(p.task for p in mix.problems(40, seed=seed))
        assert abs(counts["Arithmetic"] - 30) <= 1 and abs(counts["MorseDecode"] - 10) <= 1


def test_weights_whose_sum_overflows_are_shares_not_an_overflow_error():
    mixture = Mixture.from_dict({"entries": [{"task": "Arithmetic", "weight": 1e308, "difficulties": {"easy": 1e308, "hard": 1e308}},
                                             {"task": "Game24", "weight": 1e308}]})  # fmt: skip
    assert mixture.shares() == {("Arithmetic", "easy"): 0.25, ("Arithmetic", "hard"): 0.25, ("Game24", "classic"): 0.5}


def test_a_nul_in_a_mixture_path_is_a_data_file_error():
    with pytest.raises(vrgym.DataFileError, match="cannot read the mixture file"):
        Mixture.from_yaml("mix\x00.yaml")
