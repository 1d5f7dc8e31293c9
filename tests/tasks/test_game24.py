"""Game24 and its solver: levels, solvability and fractions-only claims checked by brute force, every
correct expression accepted, the known verifier hacks refused."""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Iterator
from fractions import Fraction

import pytest

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.logic import _reach
from vrgym.tasks.logic._reach import COUNTDOWN, FREE, WHOLE, Rules
from vrgym.tasks.logic._target_puzzle import SYNTAX_EXAMPLES, TargetSpec, judge
from vrgym.tasks.logic.game24 import Game24
from vrgym.verifiers.expression import parse_expression

TEMPLATE = vrgym.get_template("Game24")
LEVELS = TEMPLATE.Config.level_names()
F = Fraction


def problems(level: str, n: int = 100, seed: int = 0) -> Iterator[Problem]:
    return TEMPLATE.problems(n, seed, difficulty=level)


def score(problem: Problem, answer: str) -> tuple[int, str]:
    verdict = TEMPLATE.verify(problem, f"<answer>{answer}</answer>")
    return verdict.reward, verdict.reason


def numbers_of(problem: Problem) -> tuple[int, ...]:
    return tuple(problem.answer["numbers"])


# ------------------------------------------------------------------------------------- independent brute force


@functools.lru_cache(maxsize=None)
def brute_values(state: tuple[Fraction, ...], rules: Rules = FREE) -> frozenset[Fraction]:
    """Every value of an expression using each of `state` once: merge any two items, recurse.

    A different algorithm from `_reach` (sequences of pairwise merges instead of splits into
    sub-multisets), written for obviousness, not speed.
    """
    if len(state) == 1:
        return frozenset(state)
    found: set[Fraction] = set()
    for i, j in itertools.combinations(range(len(state)), 2):
        a, b = state[i], state[j]
        rest = [state[k] for k in range(len(state)) if k not in (i, j)]
        results = [a + b, a - b, b - a, a * b] + ([a / b] if b else []) + ([b / a] if a else [])
        for result in results:
            if rules.whole and result.denominator != 1:
                continue
            if rules.non_negative and result < 0:
                continue
            found |= brute_values(tuple(sorted(rest + [result])), rules)
    return frozenset(found)


def reachable(numbers: tuple[int, ...], target: int, rules: Rules = FREE) -> bool:
    return F(target) in brute_values(tuple(sorted(F(n) for n in numbers)), rules)


# ------------------------------------------------------------------------------------- solver


def test_classic_solvable_count_is_the_known_1362() -> None:
    multisets = list(itertools.combinations_with_replacement(range(1, 14), 4))
    solvable = [m for m in multisets if _reach.find(m, 24) is not None]
    assert (len(multisets), len(solvable)) == (1820, 1362)  # the well-known count for cards 1-13


def test_find_agrees_with_brute_force() -> None:
    for numbers in list(itertools.combinations_with_replacement(range(1, 14), 4))[::25]:
        for target, rules in ((24, FREE), (24, WHOLE), (10, COUNTDOWN), (37, FREE)):
            tree = _reach.find(numbers, target, rules)
            assert (tree is not None) == reachable(numbers, target, rules), (numbers, target, rules)
            if tree is not None:
                assert _reach.evaluate(tree) == target and sorted(_reach.leaves(tree)) == list(numbers)


def test_whole_results_agree_with_brute_force() -> None:
    for numbers in [(1, 3, 4, 6), (3, 3, 8, 8), (2, 5, 7, 11), (1, 1, 1, 1), (4, 9, 13, 30), (2, 2, 3)]:
        for rules in (FREE, WHOLE, COUNTDOWN):
            expected = {int(v) for v in brute_values(tuple(F(n) for n in numbers), rules) if v.denominator == 1 and 5 <= v <= 150}
            found = _reach.whole_results(numbers, 5, 150, rules)
            assert set(found) == expected, (numbers, rules)
            for value, tree in found.items():
                assert _reach.evaluate(tree) == value and sorted(_reach.leaves(tree)) == list(numbers)
                assert all(rules.admits(result) for *_, result in _reach.steps(tree))


def test_render_keeps_the_tree_shape() -> None:
    trees = [("-", 10, ("-", 4, 3)), ("-", ("-", 10, 4), 3), ("/", 8, ("-", 3, ("/", 8, 3))), ("+", 1, ("+", 2, 3))]
    assert [_reach.render(t) for t in trees] == ["10 - (4 - 3)", "10 - 4 - 3", "8 / (3 - 8 / 3)", "1 + (2 + 3)"]
    for tree in trees:
        parsed = parse_expression(_reach.render(tree))
        assert parsed.value == _reach.evaluate(tree)
        assert list(parsed.intermediates) == [F(result) for *_, result in _reach.steps(tree)]


# ------------------------------------------------------------------------------------- generation


def test_registered_with_levels() -> None:
    assert vrgym.get_template_class("game24") is Game24
    assert LEVELS == ["classic", "targets", "five", "large", "fractions"]
    assert TEMPLATE.config().difficulty == "classic"
    assert "logic/arithmetic_puzzle/24_game" in TEMPLATE.tags and TEMPLATE.domain == "logic"


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_a_json_round_trip(level: str) -> None:
    for problem in problems(level, 60, seed=3):
        reloaded = Problem.from_json(problem.to_json())
        verdict = vrgym.verify(reloaded, TEMPLATE.reference_response(reloaded))
        assert (verdict.reward, verdict.reason) == (1, "ok"), (problem.answer, verdict)
        assert TEMPLATE.reference_response(problem).endswith(f"<answer>{problem.metadata['solution']}</answer>")


def test_levels_shape_the_puzzles() -> None:
    shapes = {
        "classic": (4, 1, 13, 24, 24),
        "targets": (4, 1, 50, 25, 300),
        "five": (5, 1, 25, 24, 300),
        "large": (5, 1, 100, 100, 999),
        "fractions": (4, 1, 30, 10, 300),
    }
    for level, (count, low, high, min_target, max_target) in shapes.items():
        batch = list(problems(level, 80))
        for p in batch:
            numbers, target = numbers_of(p), p.answer["target"]
            assert len(numbers) == count and all(low <= n <= high for n in numbers) and list(numbers) == sorted(numbers)
            assert min_target <= target <= max_target
            assert p.answer["each_number"] == "exactly_once" and p.answer["intermediates"] == "any"
        if min_target != max_target:
            assert len({p.answer["target"] for p in batch}) > 40


def test_classic_puzzles_are_solvable_by_brute_force() -> None:
    for p in problems("classic", 60, seed=5):
        assert reachable(numbers_of(p), 24)


def test_fractions_level_really_needs_fractions() -> None:
    """The promise of the top level, checked independently: a solution exists, none with whole steps."""
    batch = list(problems("fractions", 40, seed=1))
    for p in batch:
        numbers, target = numbers_of(p), p.answer["target"]
        assert reachable(numbers, target, FREE)
        assert not reachable(numbers, target, WHOLE), (numbers, target)
        assert any(F(r).denominator != 1 for *_, r in _reach.steps(_tree(p)))
        assert p.metadata["fractions_only"] is True and "logic/arithmetic_puzzle/24_game/fractions" in p.tags
    assert TEMPLATE.verify(batch[0], "<answer>" + _whole_steps_attempt(batch[0]) + "</answer>").reward == 0


def test_lower_levels_never_need_fractions() -> None:
    for level in ("targets", "five", "large"):
        for p in problems(level, 40, seed=2):
            assert all(F(r).denominator == 1 for *_, r in _reach.steps(_tree(p))), p.metadata["solution"]


def test_fractions_only_with_a_fixed_target() -> None:
    """fractions_only also works for 24 itself: the few classic puzzles like 3 3 8 8, found by brute force too."""
    expected = {
        m
        for m in itertools.combinations_with_replacement(range(3, 9), 4)
        if _reach.find(m, 24, FREE) is not None and not reachable(m, 24, WHOLE)  # find: checked against brute force above
    }
    batch = TEMPLATE.problems(10, 0, difficulty="classic", fractions_only=True, min_number=3, max_number=8)
    found = {numbers_of(p) for p in batch}  # slow config: few draws have such a solution
    assert (3, 3, 8, 8) in expected and found and found <= expected


def test_distinct_puzzles_and_deterministic_streams() -> None:
    a = [p.to_json() for p in problems("five", 40, seed=7)]
    assert a == [p.to_json() for p in problems("five", 40, seed=7)]
    assert not set(a) & {p.to_json() for p in problems("five", 40, seed=8)}
    assert len({p.prompt for p in problems("targets", 300)}) >= 298


def test_prompt_states_numbers_target_rules_and_syntax() -> None:
    p = TEMPLATE.generate(0, 0)
    numbers = ", ".join(str(n) for n in numbers_of(p))
    assert f"Make 24 from the numbers {numbers}." in p.prompt
    assert "exactly once" in p.prompt and "no joining digits" in p.prompt and "no signs in front" in p.prompt
    assert "<answer>" in p.prompt and "not a solution" in p.prompt
    example = TEMPLATE.extract(p.prompt.split("e.g. ", 1)[1]).answer
    assert example in SYNTAX_EXAMPLES and TEMPLATE.verify(p, f"<answer>{example}</answer>").reward == 0


def test_config_errors() -> None:
    for bad in (
        dict(min_number=9, max_number=2),
        dict(min_target=30, max_target=20),
        dict(count=5, fractions_only=True),
        dict(count=1),
        dict(count=7),
        dict(colour="red"),
    ):
        with pytest.raises(ConfigError):
            TEMPLATE.config("classic", **bad)


# ------------------------------------------------------------------------------------- verification


def _tree(problem: Problem) -> _reach.Tree:
    def build(data: object) -> _reach.Tree:
        return data if isinstance(data, int) else (data[0], build(data[1]), build(data[2]))  # type: ignore[index]

    return build(problem.metadata["tree"])


def _whole_steps_attempt(problem: Problem) -> str:
    a, b, c, d = numbers_of(problem)
    return f"{a} + {b} + {c} + {d}"


@pytest.fixture(scope="module")
def classic_3388() -> Problem:
    """A classic problem with the numbers 3, 3, 8, 8 (only solution: 8 / (3 - 8 / 3))."""
    batch = TEMPLATE.problems(300, 0, difficulty="classic", min_number=3, max_number=8, fractions_only=True)
    return next(p for p in batch if numbers_of(p) == (3, 3, 8, 8))


def test_every_correct_expression_is_accepted(classic_3388: Problem) -> None:
    for answer in (
        "8 / (3 - 8 / 3)",
        "8/(3-8/3)",
        "8 ÷ (3 − 8 ÷ 3)",
        "8 / (3 - (8 / 3))",
        "((8) / ((3) - (8 / 3)))",
        "8 / [3 - 8 / 3]",
        "8 / (3 - 8 / 3) = 24",
        "$8 \\div \\left(3 - \\frac{}{}8 \\div 3\\right)$".replace("\\frac{}{}", ""),
        "  8 / ( 3 - 8 / 3 )\n",
    ):
        assert score(classic_3388, answer) == (1, "ok"), answer


def test_alternative_solutions_are_accepted() -> None:
    """Any valid expression scores 1, not only the stored one: check every solution brute force finds."""
    for p in problems("classic", 8, seed=11):
        a, b, c, d = numbers_of(p)
        accepted = 0
        for w, x, y, z in set(itertools.permutations((a, b, c, d))):
            for o1, o2, o3 in itertools.product("+-*/", repeat=3):
                for text in (f"(({w} {o1} {x}) {o2} {y}) {o3} {z}", f"({w} {o1} {x}) {o2} ({y} {o3} {z})"):
                    try:
                        value = parse_expression(text).value
                    except ValueError:
                        continue
                    if value == 24:
                        assert score(p, text) == (1, "ok"), text
                        accepted += 1
        assert accepted >= 1


def test_hacks_and_mistakes_score_zero(classic_3388: Problem) -> None:
    other = next(p for p in problems("classic", 50, seed=1) if numbers_of(p) != (3, 3, 8, 8))
    cases = {
        "6 * 4 * 1 * 1": "wrong_answer",  # the constant answer a peer scorer accepted
        other.metadata["solution"]: "wrong_answer",  # another puzzle's solution
        "8 * 3": "wrong_answer",  # right value, numbers left out
        "8 / (3 - 8 / 3) * 1": "wrong_answer",  # an extra number
        "8 / (3 - 8 / 3) + 3 - 3": "wrong_answer",
        "8 / (3 - 8 / 3) = 25": "wrong_answer",  # a false claim
        "3 * 8 + 3 - 8 = 24": "wrong_answer",  # a false claim of the target
        "33 - 8 - 8 + 7": "wrong_answer",  # digits joined
        "3 3 8 8": "format",
        "8 / (3 - 8 / 3) or 24": "format",
        "-3 + 3 + 8 + 8 * 3 - 8": "format",  # unary minus
        "8 ^ 3 / 3 / 8": "format",
        "(3 + 3)! / 8 * 8": "format",
        "8 / (3 - 8 / 3) ≈ 24": "format",
        "24": "wrong_answer",
        "8/(3-8/3)\n3*8": "format",
        "(" * 10_000 + "8" + ")" * 10_000: "format",
        "1+" * 150_000 + "1": "format",
    }
    for answer, reason in cases.items():
        start = time.perf_counter()
        verdict = TEMPLATE.verify(classic_3388, f"<answer>{answer}</answer>")
        assert (verdict.reward, verdict.reason) == (0, reason), (answer[:60], verdict)
        assert time.perf_counter() - start < 1.0
    two = TEMPLATE.verify(classic_3388, "<answer>8 / (3 - 8 / 3)</answer> <answer>3 * 8</answer>")
    assert (two.reward, two.reason) == (0, "hack:multiple_answers")


def test_inexact_results_are_not_rounded() -> None:
    spec = TargetSpec((1, 1, 7, 7), 24, use_all=True, whole_steps=False)
    verdict = judge(spec, "7 * 7 / (1 + 1)")  # 24.5: a peer scorer truncated it to 24
    assert (verdict.reward, verdict.reason) == (0, "wrong_answer")
    assert verdict.checks == {"parses": True, "numbers": True, "intermediates": True, "claimed_result": True, "value": False}
    assert "49/2" in verdict.detail
    assert judge(spec, "(7 * 7 - 1) / (1 + 1)").checks["numbers"] is False
    assert judge(TargetSpec((1, 2, 3), 1, True, False), "1 / 3 + 2 / 3").reward == 0  # 1/3 + 2/3 uses 1 twice
    assert judge(TargetSpec((1, 2, 3, 3), 1, True, False), "1 / 3 + 2 / 3").reward == 1  # exactly 1


def test_wrong_answer_detail_does_not_leak_the_solution(classic_3388: Problem) -> None:
    verdict = TEMPLATE.verify(classic_3388, "<answer>3 * 8 + 3 - 8</answer>")
    assert verdict.reason == "wrong_answer" and classic_3388.metadata["solution"] not in verdict.detail
    assert "19" in verdict.detail


def test_tidy_keeps_value_numbers_and_whole_steps() -> None:
    import random

    rng = random.Random(0)
    for _ in range(300):
        numbers = [rng.randint(1, 30) for _ in range(rng.randint(2, 7))]
        value, tree = _reach.random_tree(rng, numbers, COUNTDOWN)
        tidied = _reach.tidy(tree)
        assert _reach.evaluate(tidied) == value and sorted(_reach.leaves(tidied)) == sorted(numbers)
        assert all(COUNTDOWN.admits(result) for *_, result in _reach.steps(tidied))
        assert _reach.render(tidied).count("(") <= _reach.render(tree).count("(")
    assert _reach.render(_reach.tidy(("*", 2, ("+", 1, ("+", 3, 8))))) == "2 * (1 + 3 + 8)"
    assert _reach.render(_reach.tidy(("-", 9, ("+", 2, 3)))) == "9 - 2 - 3"
    assert _reach.render(_reach.tidy(("-", 9, ("-", 5, 3)))) == "9 - (5 - 3)"  # (9 - 5) + 3 could go negative
