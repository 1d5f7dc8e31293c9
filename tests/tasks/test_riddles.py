"""NumberRiddle and WordRiddle: uniqueness re-proved by brute force, levels, and clue-based verification."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.logic import number_riddle, word_riddle
from vrgym.tasks.logic.data import words
from vrgym.tasks.logic.riddles import draw_riddle, narrow, near_misses

NUMBER = vrgym.get_template("NumberRiddle")
WORD = vrgym.get_template("WordRiddle")
LEVELS = ["easy", "medium", "hard", "expert", "master"]


def boxed(problem: Problem, answer: str) -> tuple[int, str]:
    verdict = NUMBER.verify(problem, f"So the number is \\boxed{{{answer}}}.")
    return verdict.reward, verdict.reason


def tagged(problem: Problem, answer: str) -> tuple[int, str]:
    verdict = WORD.verify(problem, f"<answer>{answer}</answer>")
    return verdict.reward, verdict.reason


def with_clues(problem: Problem, clues: list[dict], **metadata: object) -> Problem:
    """`problem` with other clues: used to show the verifier judges by the clues, not by the stored answer."""
    return problem.model_copy(update={"metadata": {**problem.metadata, "clues": clues, **metadata}})


# ------------------------------------------------------------------------------------- riddle engine


def test_narrow_keeps_only_clues_that_remove_something() -> None:
    universe = list(range(20))
    pool = [{"kind": "lt", "value": 30}, {"kind": "lt", "value": 10}, {"kind": "lt", "value": 12}, {"kind": "even"}, {"kind": "lt", "value": 3}]

    def keep(clue: dict, members: list[int]) -> list[int]:
        if clue["kind"] == "even":
            return [m for m in members if m % 2 == 0]
        return [m for m in members if m < clue["value"]]

    clues, stages = narrow(pool, universe, keep, max_clues=10)
    assert clues == [pool[1], pool[3], pool[4]]  # < 30 removes nothing; < 12 is implied by < 10
    assert stages == [universe, list(range(10)), [0, 2, 4, 6, 8], [0, 2]]
    assert narrow(pool, universe, keep, max_clues=1)[0] == [pool[1]]


def test_draw_riddle_and_near_misses() -> None:
    rng = random.Random(3)

    def keep(clue: dict, members: list[int]) -> list[int]:
        return [m for m in members if m % clue["mod"] == clue["rest"]]

    def pool(r: random.Random, target: int) -> list[dict]:
        return [{"mod": m, "rest": target % m} for m in r.sample(range(2, 12), 10)]

    riddle = draw_riddle(rng, lambda r: r.randrange(100), pool, list(range(100)), keep, 2, 6)
    assert [m for m in range(100) if all(keep(c, [m]) for c in riddle.clues)] == [riddle.target]
    misses = near_misses(rng, riddle, 5)
    assert riddle.target not in misses and len(set(misses)) == len(misses) <= 5
    last_fallen = set(riddle.stages[-2]) - {riddle.target}
    assert set(misses[: len(last_fallen)]) == last_fallen or set(misses) <= last_fallen  # latest survivors first
    with pytest.raises(RuntimeError, match="no riddle"):
        draw_riddle(rng, lambda r: 5, lambda r, t: [], list(range(10)), keep, 1, 3, attempts=3)


# ------------------------------------------------------------------------------------- NumberRiddle


def number_problems(level: str, n: int, seed: int = 0) -> Iterator[Problem]:
    return NUMBER.problems(n, seed, difficulty=level)


def brute_force(problem: Problem) -> list[int]:
    """Every k-digit number satisfying every clue, with the plain-Python clue definitions only."""
    low, high = number_riddle.bounds(problem.metadata["digits"])
    tests = [(number_riddle.KINDS[c["kind"]].test, c) for c in problem.metadata["clues"]]
    found = []
    for n in range(low, high + 1):
        d = number_riddle.digits_of(n)
        if all(test(c, n, d) for test, c in tests):
            found.append(n)
    return found


@pytest.mark.parametrize(("level", "count"), [("easy", 200), ("medium", 150), ("hard", 150), ("expert", 25), ("master", 3)])
def test_number_riddles_have_exactly_one_solution(level: str, count: int) -> None:
    for problem in number_problems(level, count, seed=11):
        assert brute_force(problem) == [problem.answer["number"]], problem.prompt


def test_vectorised_clues_agree_with_the_plain_definitions() -> None:
    """The numpy masks the generator narrows with match the plain-Python clues the verifier checks."""
    import numpy as np

    rng = random.Random(0)
    for k in (2, 3, 4, 5):
        low, high = number_riddle.bounds(k)
        numbers = number_riddle.number_table(k).numbers if k == 2 else np.array(sorted(rng.sample(range(low, high + 1), 500)))
        targets = [rng.randint(low, high) for _ in range(6)] + [int("12321"[:k]), int("98760"[:k]), 10 ** (k - 1)]
        for n in targets:
            for name, kind in number_riddle.KINDS.items():
                for params in kind.draw(rng, n, number_riddle.digits_of(n)):
                    clue = {"kind": name, **params}
                    fast = set(number_riddle.keep_numbers(clue, numbers).tolist())
                    assert fast == {m for m in numbers.tolist() if number_riddle.holds(clue, m)}, clue


def test_number_levels_change_structure() -> None:
    def kinds(level: str) -> set[str]:
        return {kind for p in number_problems(level, 150) for kind in p.metadata["kinds"]}

    assert {p.metadata["digits"] for p in number_problems("easy", 20)} == {3}
    assert {p.metadata["digits"] for p in NUMBER.problems(20, 0, difficulty="easy", digits=2)} == {2}
    assert {p.metadata["digits"] for p in number_problems("expert", 20)} == {4}
    assert {p.metadata["digits"] for p in number_problems("master", 20)} == {5}
    assert "digit_is" in kinds("easy") and "digit_multiple" in kinds("medium")
    assert not kinds("hard") & {"digit_is", "greater_than", "less_than"}
    assert "remainder" in kinds("hard") and "digit_count" in kinds("expert")
    assert all("position" not in clue for p in number_problems("master", 40) for clue in p.metadata["clues"])
    for level in LEVELS:
        config = NUMBER.config(level)
        counts = {len(p.metadata["clues"]) for p in number_problems(level, 60)}
        assert min(counts) >= config.min_clues and max(counts) <= config.max_clues


def test_number_prompt_and_reference() -> None:
    problem = NUMBER.generate(0, 0, difficulty="hard")
    assert "three-digit number (from 100 to 999)" in problem.prompt
    assert "Exactly one three-digit number satisfies every clue" in problem.prompt
    assert "\\boxed{1000000}" in problem.prompt  # a syntax example outside every range
    for clue in problem.metadata["clues"]:
        assert number_riddle.describe(clue, 3) in problem.prompt
    for level in LEVELS:
        for p in number_problems(level, 30, seed=2):
            assert NUMBER.verify(Problem.from_json(p.to_json()), NUMBER.reference_response(p)).reward == 1


@pytest.fixture(scope="module")
def four_digits() -> Problem:
    return NUMBER.generate(5, 0, difficulty="expert")


def test_number_accepted_spellings(four_digits: Problem) -> None:
    n = four_digits.answer["number"]
    for answer in (str(n), f" {n} ", f"+{n}", f"{n:,}", f"${n}$"):
        assert boxed(four_digits, answer) == (1, "ok"), answer


def test_number_rejected_answers(four_digits: Problem) -> None:
    n = four_digits.answer["number"]
    cases = {
        f"{n}.0": "format",
        f"{n}.5": "format",
        f"{n} or {n + 1}": "format",
        f"n = {n}": "format",
        f"{n - 1} + 1": "format",
        f"{n}/1": "format",
        "four thousand": "format",
        str(-n): "wrong_answer",
        str(n + 10_000): "wrong_answer",
        str(n * 10): "wrong_answer",
        "9" * 400: "format",
    }
    for answer, reason in cases.items():
        assert boxed(four_digits, answer) == (0, reason), answer
    verdict = NUMBER.verify(four_digits, f"\\boxed{{{n + 1 if n < 9999 else n - 1}}}")
    assert verdict.reason == "wrong_answer" and not all(verdict.checks.values())
    assert str(n) not in verdict.detail  # feedback names broken clues, never the answer
    assert NUMBER.verify(four_digits, f"\\boxed{{{n}}} \\boxed{{{n + 1}}}").reason == "hack:multiple_answers"


def test_number_verifier_judges_by_the_clues(four_digits: Problem) -> None:
    """With weaker clues two numbers fit: both are accepted, because the clues are what is checked."""
    weaker = with_clues(four_digits, [{"kind": "digit_sum", "value": 1}])  # only 1000 has digit sum 1
    assert boxed(weaker, "1000") == (1, "ok")
    two = with_clues(four_digits, [{"kind": "digit_sum", "value": 2}, {"kind": "digit_is", "position": 0, "value": 1}])
    assert boxed(two, "1001") == (1, "ok") and boxed(two, "1010") == (1, "ok") and boxed(two, "1100") == (1, "ok")
    assert boxed(two, "2000")[0] == 0


def test_number_config_errors() -> None:
    for bad in (dict(kinds=("digit_is", "colour")), dict(min_clues=6, max_clues=3), dict(digits=6), dict(kinds=())):
        with pytest.raises(ConfigError):
            NUMBER.config("medium", **bad)


# ------------------------------------------------------------------------------------- WordRiddle


def word_problems(level: str, n: int, seed: int = 0) -> Iterator[Problem]:
    return WORD.problems(n, seed, difficulty=level)


@pytest.mark.parametrize("level", LEVELS)
def test_word_riddles_have_exactly_one_answer_in_the_word_list(level: str) -> None:
    config = WORD.config(level)
    for problem in word_problems(level, 150, seed=4):
        clues, target = problem.metadata["clues"], problem.answer["word"]
        assert [w for w in words() if all(word_riddle.holds(c, w) for c in clues)] == [target], problem.prompt
        candidates = problem.metadata["candidates"]
        assert target in candidates and candidates == sorted(set(candidates)) and len(candidates) == config.candidates
        assert set(candidates) <= set(words())
        assert f"The words: {', '.join(candidates)}." in problem.prompt
        assert config.min_length <= len(target) <= config.max_length
        assert config.min_clues <= len(clues) <= config.max_clues


def test_word_distractors_are_near_misses() -> None:
    """Most listed distractors break only one or two clues: every clue is needed to pick the answer."""
    broken = []
    for problem in word_problems("medium", 60):
        clues = problem.metadata["clues"]
        for word in problem.metadata["candidates"]:
            if word != problem.answer["word"]:
                broken.append(sum(not word_riddle.holds(c, word) for c in clues))
    assert min(broken) == 1 and sum(b <= 2 for b in broken) / len(broken) > 0.6


def test_word_levels_change_structure() -> None:
    def kinds(level: str) -> set[str]:
        return {kind for p in word_problems(level, 150) for kind in p.metadata["kinds"]}

    assert {"starts_with", "letter_at"} & kinds("easy") and not kinds("easy") & {"vowels", "letter_sum"}
    assert "vowels" in kinds("medium")
    assert not kinds("hard") & {"starts_with", "ends_with", "letter_at"}
    assert "letter_sum" in kinds("expert") and "length" not in kinds("expert")
    assert not kinds("master") & {"length", "contains", "starts_with", "letter_at"}


def test_word_reference_and_prompt() -> None:
    for level in LEVELS:
        for p in word_problems(level, 30, seed=3):
            assert WORD.verify(Problem.from_json(p.to_json()), WORD.reference_response(p)).reward == 1
    prompt = WORD.generate(0, 0, difficulty="expert").prompt
    assert "Exactly one of the listed words satisfies every clue" in prompt and "<answer>" in prompt


@pytest.fixture(scope="module")
def word_problem() -> Problem:
    return WORD.generate(0, 0, difficulty="medium")


def test_word_accepted_forms(word_problem: Problem) -> None:
    target = word_problem.answer["word"]
    for answer in (target, target.lower(), target.title(), f"  {target}\n"):
        assert tagged(word_problem, answer) == (1, "ok"), answer


def test_word_rejected_answers(word_problem: Problem) -> None:
    target = word_problem.answer["word"]
    other = next(w for w in word_problem.metadata["candidates"] if w != target)
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in target)
    cases = {
        other: "wrong_answer",
        f"{target}.": "format",
        f'"{target}"': "format",
        f"{target} {other}": "format",
        f"{target} or {other}": "format",
        f"{target}, {other}": "format",
        f"The word is {target}": "format",
        f"{target}\u200b": "format",
        fullwidth: "format",
        target + "S": "wrong_answer",
        target[:-1]: "wrong_answer",
        "A" * 300_000: "wrong_answer",
    }
    for answer, reason in cases.items():
        assert tagged(word_problem, answer) == (0, reason), answer[:40]
    verdict = WORD.verify(word_problem, f"<answer>{other}</answer>")
    assert not all(verdict.checks.values()) and target not in verdict.detail


def test_word_verifier_judges_by_clues_and_list(word_problem: Problem) -> None:
    """Listed words that satisfy (weakened) clues are all accepted; unlisted words never are."""
    candidates = word_problem.metadata["candidates"]
    first = candidates[0][0]
    weaker = with_clues(word_problem, [{"kind": "starts_with", "letter": first}])
    for word in candidates:
        assert tagged(weaker, word)[0] == int(word[0] == first), word
    unlisted = next(w for w in words() if w not in candidates and w[0] == first)
    assert tagged(weaker, unlisted) == (0, "wrong_answer")


def test_word_config_errors() -> None:
    for bad in (dict(kinds=("vowels", "rhymes")), dict(min_length=7, max_length=4), dict(min_clues=5, max_clues=2), dict(candidates=1)):
        with pytest.raises(ConfigError):
            WORD.config("medium", **bad)


def test_facts_and_letter_sum() -> None:
    assert word_riddle.letter_sum("ABC") == 6 and word_riddle.letter_sum("Z") == 26
    facts = word_riddle.facts("LETTER")
    assert facts.double and facts.vowels == 2 and facts.counts["T"] == 2 and facts.letters == frozenset("LETR")
