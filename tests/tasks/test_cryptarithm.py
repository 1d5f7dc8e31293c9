"""Cryptarithm: the solver against brute force, uniqueness on many seeds, levels, and a mapping-checking verifier."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from functools import lru_cache

import numpy as np
import pytest

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.logic.cryptarithm import Cryptarithm, Equation, _count_given, column_trace, number, solve

TEMPLATE = vrgym.get_template("Cryptarithm")
LEVELS = TEMPLATE.Config.level_names()


def problems(level: str, n: int, seed: int = 0) -> Iterator[Problem]:
    return TEMPLATE.problems(n, seed, difficulty=level)


def equation_of(problem: Problem) -> Equation:
    return Equation.from_json(problem.metadata)


def gold(problem: Problem) -> dict[str, int]:
    return problem.answer["mapping"]


def answer(mapping: dict[str, object], sep: str = "=", joiner: str = ", ") -> str:
    return "<answer>" + joiner.join(f"{k}{sep}{v}" for k, v in mapping.items()) + "</answer>"


def score(problem: Problem, response: str) -> tuple[int, str]:
    verdict = TEMPLATE.verify(problem, response)
    return verdict.reward, verdict.reason


# ------------------------------------------------------------------------------------- brute force


@lru_cache(maxsize=None)
def _all_injections(n: int) -> np.ndarray:
    return np.array(list(itertools.permutations(range(10), n)), dtype=np.int64).reshape(-1, n)


def brute_force(equation: Equation, digits: list[int] | None = None) -> list[dict[str, int]]:
    """Every solution, by trying every injective assignment (vectorised; independent of the solver)."""
    letters = equation.letters
    if digits is None:
        table = _all_injections(len(letters))
    else:
        table = np.array(list(itertools.permutations(digits)), dtype=np.int64).reshape(-1, len(letters))
    column = {letter: table[:, i] for i, letter in enumerate(letters)}
    ok = np.ones(len(table), dtype=bool)
    for word in equation.words:
        ok &= column[word[0]] != 0

    def value(word: str) -> np.ndarray:
        total = np.zeros(len(table), dtype=np.int64)
        for letter in word:
            total = total * 10 + column[letter]
        return total

    operands = [value(word) for word in equation.operands]
    result = value(equation.result)
    if equation.operation == "addition":
        ok &= sum(operands) == result
    elif equation.operation == "subtraction":
        ok &= operands[0] - operands[1] == result
    else:
        ok &= operands[0] * operands[1] == result
    return [dict(zip(letters, (int(d) for d in row))) for row in table[ok]]


def canonical(solutions: list[dict[str, int]]) -> list[tuple[tuple[str, int], ...]]:
    return sorted(tuple(sorted(s.items())) for s in solutions)


# ------------------------------------------------------------------------------------- equation and solver


def test_equation_arithmetic_and_layout() -> None:
    send = Equation("addition", ("SEND", "MORE"), "MONEY")
    mapping = {"S": 9, "E": 5, "N": 6, "D": 7, "M": 1, "O": 0, "R": 8, "Y": 2}
    assert number("MONEY", mapping) == 10652 and send.holds(mapping)
    assert not send.holds({**mapping, "Y": 3})
    assert send.letters == sorted("SENDMORY") and send.leading == ["M", "S"]
    assert send.text() == "SEND + MORE = MONEY"
    assert send.layout() == "   SEND\n+  MORE\n-------\n  MONEY"
    assert Equation("subtraction", ("ABC", "DE"), "FG").text() == "ABC - DE = FG"
    product = Equation("multiplication", ("AB", "C"), "DE")
    assert product.layout() == "  AB\n×  C\n----\n  DE"
    assert product.holds({"A": 1, "B": 2, "C": 3, "D": 3, "E": 6})
    assert Equation.from_json(send.to_json()) == send


def test_classic_puzzles() -> None:
    assert solve(Equation("addition", ("SEND", "MORE"), "MONEY"), limit=5) == [
        {"D": 7, "E": 5, "M": 1, "N": 6, "O": 0, "R": 8, "S": 9, "Y": 2}
    ]
    two = Equation("addition", ("TWO", "TWO"), "FOUR")
    assert canonical(solve(two, limit=100)) == canonical(brute_force(two)) and len(brute_force(two)) == 7
    assert [s["A"] for s in solve(Equation("addition", ("A", "A"), "B"), limit=100)] == [1, 2, 3, 4]  # B = 2A
    assert solve(Equation("addition", ("AB", "AB"), "AB"), limit=100) == []
    assert solve(Equation("addition", ("AB", "CD"), "E"), limit=100) == []  # a two-digit sum is never one digit


@pytest.mark.parametrize("operation", ["addition", "subtraction", "multiplication"])
def test_solver_matches_brute_force_on_random_equations(operation: str) -> None:
    """Full solution sets (unique or not, digit set or not) agree with exhaustive search."""
    rng = random.Random(operation)
    checked = 0
    while checked < 40:
        pool = rng.sample(range(10), rng.randint(2, 5))
        if pool == [0] or not any(pool):
            continue
        nonzero = [d for d in pool if d]
        numbers = [int(str(rng.choice(nonzero)) + "".join(str(rng.choice(pool)) for _ in range(rng.randint(1, 3)))) for _ in range(2)]
        if operation == "multiplication":
            numbers[1] = numbers[1] % 100 or 7
            values = [numbers[0], numbers[1], numbers[0] * numbers[1]]
        elif operation == "subtraction":
            values = [numbers[0] + numbers[1], numbers[0], numbers[1]]
        else:
            values = [numbers[0], numbers[1], numbers[0] + numbers[1]]
        digits = sorted(set("".join(map(str, values))))
        if len(digits) > 6 or str(values[1])[0] == "0":
            continue
        letters = dict(zip(digits, rng.sample("ABCDEFGHIJKLMNOPQRSTUVWXYZ", len(digits))))
        words = ["".join(letters[c] for c in str(v)) for v in values]
        equation = Equation(operation, (words[0], words[1]), words[2])
        given = [int(d) for d in digits] if rng.random() < 0.5 else None
        assert canonical(solve(equation, given, limit=10**6)) == canonical(brute_force(equation, given)), equation
        checked += 1


@pytest.mark.parametrize("operation", ["addition", "subtraction", "multiplication"])
def test_vectorised_count_matches_brute_force(operation: str) -> None:
    """The digit-set count used by generation: 1 exactly when brute force finds one solution, else at
    least 2 and never more than brute force finds (the swap shortcut may stop at 2)."""
    rng = random.Random("count-" + operation)
    checked = unique = 0
    while checked < 150:
        pool = rng.sample(range(10), rng.randint(2, 6))
        nonzero = [d for d in pool if d]
        if not nonzero:
            continue
        draw = lambda n: int(str(rng.choice(nonzero)) + "".join(str(rng.choice(pool)) for _ in range(n - 1)))  # noqa: E731
        if operation == "multiplication":
            x, y = draw(rng.randint(2, 5)), draw(1)
            texts = [str(x), str(y), str(x * y)]
        else:
            numbers = [draw(rng.randint(2, 5)) for _ in range(2 if operation == "subtraction" else rng.randint(2, 3))]
            if operation == "subtraction":
                texts = [str(numbers[0] + numbers[1]), str(numbers[0]), str(numbers[1])]
            else:
                texts = [*map(str, numbers), str(sum(numbers))]
        used = sorted(set("".join(texts)))
        if not 2 <= len(used) <= 7:
            continue
        letters = dict(zip(used, rng.sample("ABCDEFGHIJKLMNOPQRSTUVWXYZ", len(used))))
        words = ["".join(letters[c] for c in text) for text in texts]
        equation = Equation(operation, tuple(words[:-1]), words[-1])
        solutions = brute_force(equation, [int(c) for c in used])
        count = _count_given(operation, texts, used)
        assert count is not None and solutions, equation
        if len(solutions) == 1:
            assert count == 1, equation
            unique += 1
        else:
            assert 2 <= count <= len(solutions), (equation, count, len(solutions))
        checked += 1
    assert 10 < unique < 140


def test_solver_limit_and_digit_set_size() -> None:
    two = Equation("addition", ("TWO", "TWO"), "FOUR")
    assert len(solve(two, limit=2)) == 2 and len(solve(two, limit=1)) == 1
    assert solve(two, digits=[1, 2, 3]) == []  # six letters cannot use three digits


# ------------------------------------------------------------------------------------- generation

PER_LEVEL = {"easy": 200, "medium": 200, "hard": 50, "expert": 25, "master": 12}


def test_registered_with_levels() -> None:
    assert vrgym.get_template_class("cryptarithm") is Cryptarithm
    assert LEVELS == ["easy", "medium", "hard", "expert", "master"]
    assert TEMPLATE.config().difficulty == "medium"


@pytest.mark.parametrize("level", LEVELS)
def test_every_puzzle_has_exactly_the_gold_solution(level: str) -> None:
    """The uniqueness claim, re-proved by brute force over every digit assignment."""
    for problem in problems(level, PER_LEVEL[level]):
        equation = equation_of(problem)
        found = brute_force(equation, problem.metadata["digits"])
        assert found == [gold(problem)], (equation.text(), found[:3])


@pytest.mark.parametrize("level", LEVELS)
def test_levels_shape_the_puzzles(level: str) -> None:
    config = TEMPLATE.config(level)
    seen_operations = set()
    for problem in problems(level, 60):
        equation = equation_of(problem)
        seen_operations.add(equation.operation)
        assert config.min_letters <= len(equation.letters) <= config.max_letters
        assert f"logic/cryptarithm/{equation.operation}" in problem.tags
        if equation.operation == "addition":
            assert config.min_addends <= len(equation.operands) <= config.max_addends
            assert all(config.min_length <= len(w) <= config.max_length for w in equation.operands)
        elif equation.operation == "multiplication":
            assert len(equation.operands[1]) <= config.max_multiplier_length
        assert (problem.metadata["digits"] is not None) == config.digits_given
        if config.digits_given:
            assert problem.metadata["digits"] == sorted(gold(problem).values())
            assert "exactly the digits " + ", ".join(map(str, problem.metadata["digits"][:-1])) in problem.prompt
    assert seen_operations == set(config.operations)


def test_levels_differ() -> None:
    easy, master = TEMPLATE.config("easy"), TEMPLATE.config("master")
    assert easy.digits_given and not master.digits_given
    assert easy.operations == ("addition",) and "multiplication" in master.operations
    assert master.max_multiplier_length == 2 and master.max_addends > easy.max_addends
    batch = list(problems("master", 30))
    assert any(len(equation_of(p).operands[1]) == 2 for p in batch if equation_of(p).operation == "multiplication")


def test_prompt_states_rules_example_and_format() -> None:
    for problem in problems("hard", 30):
        equation = equation_of(problem)
        prompt = problem.prompt
        assert equation.layout() in prompt and equation.text() in prompt
        assert "different letters stand for different digits" in prompt and "is not 0" in prompt
        assert "Exactly one assignment" in prompt and "`LETTER=digit`" in prompt
        example = prompt.split("with other letters: ")[1].split(")")[0]
        assert not set(example.replace("=", "").replace(",", "").replace(" ", "")) & set(equation.letters)
        assert prompt.endswith(TEMPLATE.answer_format.instruction)
        assert ("×" in prompt) == (equation.operation == "multiplication")


def test_generation_is_varied() -> None:
    assert len({p.prompt for p in problems("medium", 300)}) == 300
    assert len({p.prompt for p in problems("easy", 300)}) == 300


def test_reference_shows_a_column_check() -> None:
    problem = next(p for p in problems("hard", 40) if equation_of(p).operation == "subtraction")
    reference = TEMPLATE.reference_response(problem)
    assert "as the addition" in reference and "column 1:" in reference
    money = {"S": 9, "E": 5, "N": 6, "D": 7, "M": 1, "O": 0, "R": 8, "Y": 2}
    trace = column_trace(Equation("addition", ("SEND", "MORE"), "MONEY"), money)
    assert trace == [
        "- column 1: 7 + 5 = 12, so Y=2, carry 1",
        "- column 2: 6 + 8 + carry 1 = 15, so E=5, carry 1",
        "- column 3: 5 + 0 + carry 1 = 6, so N=6, carry 0",
        "- column 4: 9 + 1 = 10, so O=0, carry 1",
        "- column 5: the carry 1 gives M=1",
    ]


def test_config_errors() -> None:
    for bad in (
        dict(operations=("division",)),
        dict(operations=()),
        dict(min_addends=4, max_addends=2),
        dict(min_length=5, max_length=3),
        dict(min_letters=8, max_letters=6),
        dict(max_letters=11),
        dict(max_multiplier_length=3),
        dict(max_length=1, min_length=1),
    ):
        with pytest.raises(ConfigError):
            TEMPLATE.config("medium", **bad)


# ------------------------------------------------------------------------------------- verification


@pytest.fixture(scope="module")
def problem() -> Problem:
    return next(p for p in problems("medium", 50) if 0 in gold(p).values() and len(gold(p)) >= 6)


def test_accepted_forms(problem: Problem) -> None:
    mapping = gold(problem)
    forms = [
        TEMPLATE.reference_response(problem),
        answer(mapping),
        answer(dict(reversed(mapping.items())), " = ", "; "),
        answer({k.lower(): v for k, v in mapping.items()}),
        answer(mapping, ": ", "\n"),
        answer(mapping, " is ", ", "),
        answer(mapping, "=", ",") + "\n" + answer(mapping, "=", ","),
        "<answer>\n" + "\n".join(f"- {k}={v}" for k, v in mapping.items()) + "\n</answer>",
    ]
    for response in forms:
        assert score(problem, response) == (1, "ok"), response


def test_rejected_mappings(problem: Problem) -> None:
    mapping = gold(problem)
    letters = list(mapping)
    first, second = letters[0], letters[1]
    zero_letter = next(k for k, v in mapping.items() if v == 0)
    unused = next(d for d in range(10) if d not in mapping.values())
    swapped = {**mapping, first: mapping[second], second: mapping[first]}
    cases = {
        answer({k: v for k, v in mapping.items() if k != first}): "wrong_answer",  # a letter missing
        answer({**mapping, "Q" if "Q" not in mapping else "Z": unused}): "wrong_answer",  # a letter not in the puzzle
        answer({**mapping, first: 10}): "format",
        answer({**mapping, first: -1}): "format",
        answer({**mapping, first: "07"}): "format",
        answer({**mapping, first: f"{mapping[first]} or {unused}"}): "format",  # a hedge
        answer({**mapping, first: "?"}): "format",
        answer(mapping)[:-9] + f", {first}={unused}</answer>": "hack:multiple_answers",  # two digits for one letter
        answer(swapped): "wrong_answer",
        answer({**mapping, first: mapping[second]}): "wrong_answer",  # two letters, one digit
        answer({**mapping, first: unused}): "wrong_answer",
        answer({k: (v + 1) % 10 for k, v in mapping.items()}): "wrong_answer",
        "<answer>" + " ".join(f"{k}={v}" for k, v in mapping.items()) + "</answer>": "format",  # no separators
        "<answer>" + ",".join(str(v) for v in mapping.values()) + "</answer>": "format",  # digits without letters
        "The mapping is " + ", ".join(f"{k}={v}" for k, v in mapping.items()): "no_answer",
        f"\\boxed{{{', '.join(f'{k}={v}' for k, v in mapping.items())}}}": "no_answer",
        "<answer>" + "A=1, " * 6000 + "</answer>": "format",
    }
    assert mapping[zero_letter] == 0
    for response, reason in cases.items():
        assert score(problem, response) == (0, reason), response[:200]


def test_leading_zero_and_digit_set_are_enforced() -> None:
    """A mapping that makes the arithmetic true still fails when it breaks a stated rule."""
    loose = Equation("addition", ("AB", "C"), "AD")  # many solutions, some with C = 0 or outside a set
    template_problem = next(problems("easy", 1))
    base = Problem.from_json(template_problem.to_json())
    open_problem = base.model_copy(update={"metadata": {**loose.to_json(), "digits": None}})
    assert score(open_problem, answer({"A": 1, "B": 2, "C": 3, "D": 5})) == (1, "ok")
    assert score(open_problem, answer({"A": 0, "B": 2, "C": 3, "D": 5})) == (0, "wrong_answer")  # leading zero
    set_problem = base.model_copy(update={"metadata": {**loose.to_json(), "digits": [1, 2, 3, 5]}})
    assert score(set_problem, answer({"A": 1, "B": 2, "C": 3, "D": 5})) == (1, "ok")
    verdict = TEMPLATE.verify(set_problem, answer({"A": 1, "B": 2, "C": 4, "D": 6}))  # true, but 4 and 6 are not given
    assert (verdict.reward, verdict.reason) == (0, "wrong_answer") and verdict.checks["digit_set"] is False
    assert verdict.checks["equation_holds"] is True


def test_every_valid_mapping_is_accepted_not_just_the_stored_one() -> None:
    """The verifier checks the equation: on a puzzle with several solutions each one scores 1."""
    two = Equation("addition", ("TWO", "TWO"), "FOUR")
    base = Problem.from_json(next(problems("easy", 1)).to_json())
    problem = base.model_copy(update={"metadata": {**two.to_json(), "digits": None}})
    solutions = brute_force(two)
    assert len(solutions) == 7
    for mapping in solutions:
        assert score(problem, answer(mapping)) == (1, "ok")


def test_tampered_gold_changes_nothing(problem: Problem) -> None:
    mapping = gold(problem)
    tampered = problem.model_copy(update={"answer": {"mapping": {k: 0 for k in mapping}}})
    assert score(tampered, answer(mapping)) == (1, "ok")


def test_other_problems_answers_score_zero() -> None:
    batch = list(problems("medium", 40))
    for p in batch[:10]:
        for other in batch:
            if other.id != p.id:
                assert score(p, TEMPLATE.reference_response(other))[0] == 0
