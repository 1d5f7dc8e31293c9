"""Countdown: dealing, levels, the min_needed proof, both usage variants, the whole-step rule enforced on
the expression as written, every correct expression accepted and the hacks refused."""

from __future__ import annotations

import collections
import itertools
import time
from collections.abc import Iterator
from fractions import Fraction

import pytest

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.logic import _reach
from vrgym.tasks.logic._target_puzzle import TargetSpec, judge
from vrgym.tasks.logic.countdown import LARGE_DECK, Countdown
from vrgym.verifiers.expression import parse_expression

TEMPLATE = vrgym.get_template("Countdown")
LEVELS = TEMPLATE.Config.level_names()
F = Fraction


def problems(level: str, n: int = 100, seed: int = 0, **overrides: object) -> Iterator[Problem]:
    return TEMPLATE.problems(n, seed, difficulty=level, **overrides)


def score(problem: Problem, answer: str) -> tuple[int, str]:
    verdict = TEMPLATE.verify(problem, f"<answer>{answer}</answer>")
    return verdict.reward, verdict.reason


def numbers_of(problem: Problem) -> tuple[int, ...]:
    return tuple(problem.answer["numbers"])


def one_step_values(a: int, b: int, whole: bool) -> set[Fraction]:
    """Every result of one operation on a and b (an independent, obvious enumeration)."""
    x, y = F(a), F(b)
    results = {x + y, x * y, x - y, y - x, x / y, y / x}
    return {r for r in results if not whole or (r.denominator == 1 and r >= 0)}


# ------------------------------------------------------------------------------------- generation


def test_registered_with_levels() -> None:
    assert vrgym.get_template_class("countdown") is Countdown
    assert LEVELS == ["easy", "medium", "classic", "exact", "expert"]
    assert TEMPLATE.config().difficulty == "classic"
    assert "logic/arithmetic_puzzle/countdown" in TEMPLATE.tags


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_a_json_round_trip(level: str) -> None:
    for problem in problems(level, 60, seed=4):
        reloaded = Problem.from_json(problem.to_json())
        verdict = vrgym.verify(reloaded, TEMPLATE.reference_response(reloaded))
        assert (verdict.reward, verdict.reason) == (1, "ok"), (problem.answer, verdict)


def test_levels_shape_the_puzzles() -> None:
    shapes = {  # count, targets, usage, whole steps
        "easy": (4, 10, 200, "at_most_once", "any"),
        "medium": (5, 50, 500, "at_most_once", "any"),
        "classic": (6, 100, 999, "at_most_once", "whole_non_negative"),
        "exact": (6, 100, 999, "exactly_once", "whole_non_negative"),
        "expert": (7, 100, 9999, "exactly_once", "whole_non_negative"),
    }
    for level, (count, low, high, usage, steps) in shapes.items():
        batch = list(problems(level, 80))
        for p in batch:
            assert len(numbers_of(p)) == count and low <= p.answer["target"] <= high
            assert (p.answer["each_number"], p.answer["intermediates"]) == (usage, steps)
            assert p.answer["target"] not in numbers_of(p)
        assert len({p.answer["target"] for p in batch}) > 60
        used = [p.metadata["numbers_in_solution"] for p in batch]
        assert set(used) == {count} if usage == "exactly_once" else len(set(used)) >= 2


def test_deck_deals_like_the_show() -> None:
    large_counts = collections.Counter()
    for p in problems("classic", 300):
        counts = collections.Counter(numbers_of(p))
        large = [n for n in numbers_of(p) if n in LARGE_DECK]
        assert all(counts[n] == 1 for n in large) and 0 <= len(large) <= 3
        assert all(1 <= n <= 10 and counts[n] <= 2 for n in numbers_of(p) if n not in LARGE_DECK)
        large_counts[len(large)] += 1
    assert set(large_counts) == {0, 1, 2, 3}
    four = list(problems("classic", 20, max_large=4, min_large=4))
    assert all(sorted(numbers_of(p))[2:] == [25, 50, 75, 100] for p in four)


def test_targets_are_spread_over_the_range() -> None:
    targets = [p.answer["target"] for p in problems("classic", 600, seed=2)]
    ninths = collections.Counter(min(8, (t - 100) * 9 // 900) for t in targets)
    assert all(ninths[k] >= 30 for k in range(9)), ninths  # no empty or starved part of 100-999


def test_no_shorter_solution_exists() -> None:
    """min_needed=3: no given number is the target and no single operation on two of them reaches it."""
    for level in ("medium", "classic"):
        for p in problems(level, 80, seed=6):
            target, whole = F(p.answer["target"]), p.answer["intermediates"] == "whole_non_negative"
            assert target not in numbers_of(p)
            for a, b in itertools.combinations(numbers_of(p), 2):
                assert target not in one_step_values(a, b, whole), (numbers_of(p), target, a, b)


def test_solutions_obey_the_whole_step_rule() -> None:
    for level in ("classic", "exact", "expert"):
        for p in problems(level, 60, seed=8):
            parsed = parse_expression(p.metadata["solution"])
            assert all(v.denominator == 1 and v >= 0 for v in parsed.intermediates)


def test_deterministic_and_seeds_differ() -> None:
    a = [p.to_json() for p in problems("expert", 30, seed=5)]
    assert a == [p.to_json() for p in problems("expert", 30, seed=5)]
    assert not set(a) & {p.to_json() for p in problems("expert", 30, seed=6)}
    assert len({p.prompt for p in problems("classic", 300)}) >= 298


def test_prompt_states_the_variant() -> None:
    classic, exact, easy = (TEMPLATE.generate(0, 0, difficulty=level) for level in ("classic", "exact", "easy"))
    assert "Numbers: " + ", ".join(map(str, numbers_of(classic))) in classic.prompt
    assert f"Target: {classic.answer['target']}" in classic.prompt
    assert "at most once" in classic.prompt and "whole number that is not negative" in classic.prompt
    assert "exactly once" in exact.prompt and "at most once" not in exact.prompt
    assert "may be fractions" in easy.prompt and "not negative" not in easy.prompt
    assert all("<answer>" in p.prompt for p in (classic, exact, easy))


def test_config_errors() -> None:
    for bad in (
        dict(min_target=500, max_target=100),
        dict(min_needed=7),
        dict(min_large=3, max_large=1),
        dict(count=3, min_large=4, max_large=4),
        dict(deck=False, min_number=50, max_number=5),
        dict(each_number="twice"),
        dict(count=9),
    ):
        with pytest.raises(ConfigError):
            TEMPLATE.config("classic", **bad)


# ------------------------------------------------------------------------------------- verification


def outcome(spec: TargetSpec, answer: str) -> tuple[int, str]:
    verdict = judge(spec, answer)
    return verdict.reward, verdict.reason


AT_MOST_WHOLE = TargetSpec((2, 3, 4, 6), 16, use_all=False, whole_steps=True)
AT_MOST_FREE = TargetSpec((2, 3, 4, 6), 16, use_all=False, whole_steps=False)
EXACTLY_WHOLE = TargetSpec((2, 3, 4, 6), 16, use_all=True, whole_steps=True)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("6 * 2 + 4", (1, "ok")),
        ("4 + 2 * 6", (1, "ok")),
        ("(6 - 2) * 4", (1, "ok")),
        ("4 * (6 - 2)", (1, "ok")),
        ("6 * 2 + 4 = 16", (1, "ok")),
        ("6 × 2 + 4", (1, "ok")),
        ("4 * 6 - 6 - 2", (0, "wrong_answer")),  # 6 is given once
        ("4 * 4", (0, "wrong_answer")),
        ("2 * 2 * 4", (0, "wrong_answer")),
        ("6 * 2 + 3", (0, "wrong_answer")),
    ],
)
def test_at_most_once_accepts_any_valid_subset(answer: str, expected: tuple[int, str]) -> None:
    assert outcome(AT_MOST_WHOLE, answer) == expected


def test_whole_step_rule_is_enforced_as_written() -> None:
    assert outcome(AT_MOST_WHOLE, "4 + 2 * 6") == (1, "ok")
    assert outcome(AT_MOST_WHOLE, "2 - 4 + 3 * 6") == (0, "wrong_answer")  # 2 - 4 is negative as written
    assert outcome(AT_MOST_WHOLE, "3 * 6 + 2 - 4") == (1, "ok")  # the same operations in an admissible order
    fraction = "6 / (3 / 4) * 2"  # = 16 through 3/4
    verdict = judge(AT_MOST_WHOLE, fraction)
    assert (verdict.reward, verdict.checks["intermediates"]) == (0, False) and "3/4" in verdict.detail
    assert outcome(AT_MOST_FREE, fraction) == (1, "ok")  # fractions allowed when the rule is off
    assert outcome(AT_MOST_FREE, "2 - 4 + 3 * 6") == (1, "ok")
    with_ones = TargetSpec((1, 1, 2, 4, 6), 16, use_all=False, whole_steps=True)
    assert outcome(with_ones, "6 * 2 + 4 + (1 - 1)") == (1, "ok")  # zero is a whole, non-negative result


def test_exactly_once_needs_every_number() -> None:
    assert outcome(EXACTLY_WHOLE, "(6 - 2) * 3 + 4") == (1, "ok")
    assert outcome(EXACTLY_WHOLE, "6 * 2 + 4") == (0, "wrong_answer")  # 3 unused
    assert outcome(EXACTLY_WHOLE, "6 * 3 - 2") == (0, "wrong_answer")  # 4 unused


def test_hacks_and_mistakes_score_zero() -> None:
    p = next(iter(problems("classic", 1, seed=12)))
    numbers, target = numbers_of(p), p.answer["target"]
    other = next(q for q in problems("classic", 20, seed=13) if q.answer != p.answer)
    unknown = next(n for n in range(11, 25) if n not in numbers)
    cases = {
        other.metadata["solution"]: "wrong_answer",
        f"{target}": "wrong_answer",  # the target itself is not a given number
        f"{target} + 0": "wrong_answer",
        f"{p.metadata['solution']} + {unknown} - {unknown}": "wrong_answer",  # numbers not given
        f"{p.metadata['solution']} = {target + 1}": "wrong_answer",
        f"{numbers[0]}{numbers[1]} + {numbers[2]}": "wrong_answer",  # digits joined into a new number
        f"-{numbers[0]} + {target + numbers[0]}": "format",
        f"{p.metadata['solution']} or {target}": "format",
        f"({p.metadata['solution']})^1": "format",
        "(" * 10_000 + "1" + ")" * 10_000: "format",
        "9" * 1_000: "format",
    }
    for answer, reason in cases.items():
        start = time.perf_counter()
        verdict = TEMPLATE.verify(p, f"<answer>{answer}</answer>")
        assert (verdict.reward, verdict.reason) == (0, reason), (answer[:60], verdict)
        assert time.perf_counter() - start < 1.0
    assert score(p, p.metadata["solution"]) == (1, "ok")


def test_reference_lists_the_steps() -> None:
    p = next(iter(problems("exact", 1)))
    reference = TEMPLATE.reference_response(p)
    steps = [line for line in reference.splitlines() if " = " in line and not line.startswith("So")]
    assert len(steps) == len(numbers_of(p)) - 1
    assert reference.endswith(f"<answer>{p.metadata['solution']}</answer>")
    assert _reach.evaluate(_reach_tree(p.metadata["tree"])) == p.answer["target"]


def _reach_tree(data: object) -> _reach.Tree:
    return data if isinstance(data, int) else (data[0], _reach_tree(data[1]), _reach_tree(data[2]))  # type: ignore[index]
