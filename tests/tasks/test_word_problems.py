"""MultiStepWordProblem: gold re-derived (ages from the text itself, stories by a separate interpreter), step counts, forms."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math.word_problems import COSTS
from tests.tasks.math_helpers import TemplateProbe

PROBE = TemplateProbe("MultiStepWordProblem")
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, score = PROBE.problems, PROBE.score


def gold(problem: Problem) -> Fraction:
    return Fraction(problem.answer["value"])


def solve_ages_from_text(text: str) -> Fraction:
    """Read an ages puzzle sentence by sentence and answer its question (no use of the program)."""
    story = text.split("\n\n")[0]
    ages: dict[str, Fraction] = {}
    order: list[str] = []
    for sentence in re.split(r"(?<=[.?])\s+", story):
        if m := re.fullmatch(r"(\w+) is (\d+) years old\.", sentence):
            ages[m[1]] = Fraction(int(m[2]))
        elif m := re.fullmatch(r"(\w+) is (\d+) years (older|younger) than (\w+)\.", sentence):
            ages[m[1]] = ages[m[4]] + (int(m[2]) if m[3] == "older" else -int(m[2]))
        elif m := re.fullmatch(r"(\w+) is (twice|three times) as old as (\w+)\.", sentence):
            ages[m[1]] = ages[m[3]] * (2 if m[2] == "twice" else 3)
        elif m := re.fullmatch(r"(\w+) is half as old as (\w+)\.", sentence):
            ages[m[1]] = ages[m[2]] / 2
        elif m := re.fullmatch(r"How old is (\w+)\?", sentence):
            return ages[m[1]]
        elif m := re.fullmatch(r"How old will (\w+) be in (\d+) years\?", sentence):
            return ages[m[1]] + int(m[2])
        elif m := re.fullmatch(r"How many years older is (\w+) than (\w+)\?", sentence):
            return ages[m[1]] - ages[m[2]]
        elif re.fullmatch(r"What is the sum of the ages of all \d+ people\?", sentence):
            return sum(ages.values(), Fraction(0))
        else:
            raise AssertionError(f"unparsed sentence: {sentence!r}")
        order.append(next(iter(reversed(ages))))
    raise AssertionError("no question found")


def interpret(program: dict) -> tuple[Fraction, int]:
    """A separate interpreter of accumulator programs: (result, number of arithmetic steps)."""
    value, steps = Fraction(program["start"]), 0
    for kind, *raw in program["events"]:
        args = [Fraction(a) for a in raw]
        value = {
            "add": lambda: value + args[0], "sub": lambda: value - args[0],
            "times": lambda: value * args[0], "share": lambda: value / args[0],
            "add_groups": lambda: value + args[0] * args[1], "sub_groups": lambda: value - args[0] * args[1],
            "fraction_off": lambda: value * (1 - args[0]), "percent_off": lambda: value * (100 - args[0]) / 100,
        }[kind]()
        steps += 2 if kind in ("add_groups", "sub_groups", "fraction_off", "percent_off") else 1
        assert value > 0
    return value, steps


def test_levels_and_tags() -> None:
    assert LEVELS == ["easy", "medium", "hard"]
    assert TEMPLATE.config().difficulty == "medium"
    assert "math/word_problems/multi_step" in TEMPLATE.tags


@pytest.mark.parametrize("level", LEVELS)
def test_gold_is_re_derived_and_step_counts_hold(level: str) -> None:
    config = TEMPLATE.config(level)
    for problem in problems(level, 200):
        program = problem.metadata["program"]
        assert config.min_steps <= problem.metadata["steps"] <= config.max_steps
        if program["kind"] == "ages":
            assert solve_ages_from_text(problem.prompt) == gold(problem), problem.prompt
            continue
        value, steps = interpret(program)
        assert value == gold(problem) and steps == problem.metadata["steps"], problem.prompt
        assert len(problem.metadata["solution"]) == steps + 2  # start line, one per step, the answer
        if program["theme"] == "shopping":
            assert (value * 100).denominator == 1  # whole cents
        elif program["theme"] != "tank":
            assert value.denominator == 1  # whole muffins, boxes, kilometres
        for _, *args in program["events"]:  # every given number is stated in the story
            for arg in args:
                number = Fraction(arg)
                shown = {str(number), f"{float(number):.2f}", f"{number.numerator}/{number.denominator}"}
                assert any(s in problem.prompt for s in shown), (arg, problem.prompt)


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    PROBE.assert_references_score_one(level, 30, seed=1)


def test_levels_change_the_problem() -> None:
    easy, medium, hard = (problems(level, 150) for level in LEVELS)
    easy_events = {e[0] for p in easy for e in p.metadata["program"]["events"]}
    assert easy_events <= {"add", "sub", "add_groups", "sub_groups"}
    assert all(p.metadata["program"]["kind"] == "accumulator" for p in easy)
    medium_events = {e[0] for p in medium if p.metadata["program"]["kind"] == "accumulator" for e in p.metadata["program"]["events"]}
    assert {"fraction_off", "percent_off", "share", "times"} <= medium_events
    assert any(p.metadata["program"]["kind"] == "ages" for p in medium)
    assert all(gold(p).denominator == 1 for p in medium if p.metadata["program"].get("theme") == "shopping")
    assert any(gold(p).denominator != 1 for p in hard)  # cents appear only at hard
    assert {p.metadata["steps"] for p in hard} == {7, 8, 9}
    assert len({p.prompt for p in hard}) == len(hard)


def test_prompt_states_the_answer_form() -> None:
    for problem in problems("hard", 20):
        assert "Give the answer as a number only" in problem.prompt
        assert problem.prompt.endswith(TEMPLATE.answer_format.instruction)
        if problem.metadata["program"].get("theme") == "shopping":
            assert "without the $ sign" in problem.prompt


def test_config_errors() -> None:
    for bad in (dict(min_steps=6, max_steps=4), dict(events=("add", "nope")), dict(kinds=("poems",)),
                dict(events=("add_groups",), min_steps=3, max_steps=3)):
        with pytest.raises(ConfigError):
            TEMPLATE.config("medium", **bad)
    assert set(COSTS) == set(TEMPLATE.config("hard").events)


@pytest.fixture(scope="module")
def cents_problem() -> Problem:
    return next(p for p in problems("hard", 300) if gold(p).denominator in (4, 20, 25, 50, 100) and gold(p) > 1)


def test_equivalent_forms_score_one(cents_problem: Problem) -> None:
    value = gold(cents_problem)
    decimal = f"{float(value):.2f}"
    for answer in (decimal, decimal.rstrip("0"), f"{value.numerator}/{value.denominator}",
                   f"\\frac{{{value.numerator}}}{{{value.denominator}}}", f"{decimal}0"):
        assert score(cents_problem, f"\\boxed{{{answer}}}") == (1, "ok"), answer


def test_near_misses_and_hacks_score_zero(cents_problem: Problem) -> None:
    value = gold(cents_problem)
    decimal = f"{float(value):.2f}"
    for response in (f"\\boxed{{{float(value + Fraction(1, 100)):.2f}}}", f"\\boxed{{{float(value):.1f}}}" if (value * 10).denominator != 1 else "\\boxed{0}",
                     f"\\boxed{{{decimal}}} \\boxed{{{float(value) + 1:.2f}}}", f"\\boxed{{{decimal} or {float(value) + 1:.2f}}}",
                     f"The answer is {decimal}.", f"\\boxed{{{int(value)}}}"):
        assert score(cents_problem, response)[0] == 0, response


def test_other_problems_answers_score_zero_unless_equal() -> None:
    batch = problems("medium", 30, seed=7)
    for problem in batch[:5]:
        for other in batch:
            expected = 1 if gold(other) == gold(problem) else 0
            assert score(problem, TEMPLATE.reference_response(other))[0] == expected
