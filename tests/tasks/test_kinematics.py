"""Kinematics: gold re-derived from the prompt's own numbers (converted by pint), levels, units, hacks."""

from __future__ import annotations

import math
import re
from fractions import Fraction

import pint
import pytest

from vrgym.problem import Problem
from vrgym.tasks.math._stem import Reject, round_places
from vrgym.tasks.math.kinematics import Kinematics
from tests.tasks.math_helpers import TemplateProbe

PROBE = TemplateProbe("Kinematics")
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, score = PROBE.problems, PROBE.score
UREG = pint.UnitRegistry()
G = 9.8
GIVEN = re.compile(r"(\d+(?:\.\d+)?) (km/h|m/s\^2|cm/s\^2|m/s|km|cm|m|min|s)\b")


def givens(problem: Problem) -> list[float]:
    """The story's given values in SI units, in order (the stated g is left out), converted by pint."""
    story = problem.prompt.split("\n\n")[0].replace("Use g = 9.8 m/s^2", "")
    return [UREG.Quantity(float(v), u).to_base_units().magnitude for v, u in GIVEN.findall(story)]


def gold_si(problem: Problem) -> tuple[float, float]:
    """(gold value in SI units, half a unit of its last place in SI units)."""
    value, unit = problem.answer["value"], problem.answer["unit"]
    factor = UREG.Quantity(1, unit).to_base_units().magnitude
    return float(value["value"]) * factor, 0.5 * 10 ** -value["places"] * factor


def expected(problem: Problem) -> float:
    """An independent solution of the story from its numbers, per kind."""
    kind, text, x = problem.metadata["kind"], problem.prompt, givens(problem)
    rest = "from rest" in text or "starts from rest" in text
    if kind == "final_speed":
        u, a, t = ([0.0] if rest else []) + x
        return u + a * t
    if kind == "distance_accelerating":
        u, a, t = ([0.0] if rest else []) + x
        return u * t + a * t * t / 2
    if kind == "time_to_speed":
        u, a, v = ([0.0] if rest else []) + x
        return (v - u) / a
    if kind == "uniform_motion":
        v, other = x
        return v * other if "How far" in text else other / v
    if kind == "braking_distance":
        v, other = x
        return v * v / (2 * other)  # distance from deceleration, or deceleration from distance: same formula
    if kind == "free_fall":
        (h,) = x
        return math.sqrt(2 * h / G) if "How long" in text else math.sqrt(2 * G * h)
    if kind == "horizontal_launch":
        h, v = x  # the height is stated first ("… cliff 20 m high with a horizontal speed of …")
        return v * math.sqrt(2 * h / G)
    if kind == "projectile_range":
        (v,) = x
        theta = math.radians(float(re.search(r"angle of (\d+)°", text).group(1)))
        vy = v * math.sin(theta)
        if "How far" in text:
            return 2 * vy * v * math.cos(theta) / G
        return vy * vy / (2 * G) if "maximum height" in text else 2 * vy / G
    if kind == "vertical_throw":
        (u,) = x
        return u * u / (2 * G) if "How high" in text else 2 * u / G
    if kind == "two_phase_cruise":
        a, t1, t2 = x
        return a * t1 * t1 / 2 + a * t1 * t2
    if kind == "two_phase_brake":
        a1, t1, a2 = x
        v = a1 * t1
        return a1 * t1 * t1 / 2 + v * v / (2 * a2) if "distance" in text else t1 + v / a2
    if kind == "cliff_throw":
        u, h = x
        roots = [r.real for r in __import__("numpy").roots([-G / 2, u, h]) if r.real > 0]
        return max(roots)
    if kind == "catch_up":
        v, t0, a = x
        roots = __import__("numpy").roots([a / 2, -v, -v * t0])
        return max(r.real for r in roots)
    raise AssertionError(f"no independent solution for kind {kind}")


def test_levels_and_tags() -> None:
    assert LEVELS == ["easy", "medium", "hard", "expert"]
    assert TEMPLATE.config().difficulty == "medium"
    assert isinstance(TEMPLATE, Kinematics) and "math/physics/kinematics" in TEMPLATE.tags


@pytest.mark.parametrize("level", LEVELS)
def test_gold_matches_an_independent_solution_from_the_prompt(level: str) -> None:
    for problem in problems(level, 120):
        value, half = gold_si(problem)
        truth = expected(problem)
        assert abs(truth - value) <= half * (1 + 1e-9), (problem.prompt, problem.answer, truth)


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    PROBE.assert_references_score_one(level, 15, seed=1)


def test_levels_change_the_kind_of_problem() -> None:
    kinds = {level: {p.metadata["kind"] for p in problems(level, 120)} for level in LEVELS}
    assert kinds["easy"] == {"final_speed", "distance_accelerating", "time_to_speed", "uniform_motion"}
    assert {"braking_distance", "free_fall"} <= kinds["medium"]
    assert {"horizontal_launch", "projectile_range", "vertical_throw"} <= kinds["hard"]
    assert kinds["expert"] == {"two_phase_cruise", "two_phase_brake", "cliff_throw", "catch_up"}
    easy_text = " ".join(p.prompt for p in problems("easy", 60))
    assert "km/h" not in easy_text and "cm/s^2" not in easy_text  # SI only at easy
    medium_text = " ".join(p.prompt for p in problems("medium", 60))
    assert "km/h" in medium_text and "cm/s^2" in medium_text


def test_prompt_states_unit_precision_and_format() -> None:
    for problem in problems("hard", 20):
        places = problem.answer["value"]["places"]
        assert f"({problem.answer['unit']})" in problem.prompt
        assert "an answer without a unit is not accepted" in problem.prompt
        assert (f"rounded to {places} decimal place" in problem.prompt) or (places == 0 and "whole number" in problem.prompt)
        assert problem.prompt.endswith(TEMPLATE.answer_format.instruction)
        assert ("g = 9.8 m/s^2" in problem.prompt) == (problem.metadata["kind"] != "braking_distance")


def test_generation_is_deterministic_and_seeds_differ() -> None:
    a = [p.to_json() for p in problems("expert", 30, seed=3)]
    assert a == [p.to_json() for p in problems("expert", 30, seed=3)]
    assert not set(a) & {p.to_json() for p in problems("expert", 30, seed=4)}


def test_rounding_refuses_boundaries() -> None:
    assert round_places(Fraction(2675, 1000), 1) == "2.7"
    assert round_places(2.0 / 3.0, 3) == "0.667"
    for boundary in (Fraction(2125, 1000), 0.125000000000001):
        with pytest.raises(Reject):
            round_places(boundary, 2)


@pytest.fixture(scope="module")
def km_problem() -> Problem:
    """A distance asked in metres, rounded to 1 place (so 0.1 m is one unit of the last place)."""
    return next(p for p in problems("easy", 200) if p.answer["unit"] == "m" and p.answer["value"]["places"] == 1)


def test_equivalent_units_and_spellings_score_one(km_problem: Problem) -> None:
    metres = Fraction(km_problem.answer["value"]["value"])
    km, cm = metres / 1000, metres * 100
    for answer in (f"{metres} m", f"{float(metres):.1f}\\text{{ m}}", f"{float(metres):.1f}\\,\\mathrm{{m}}",
                   f"{float(km):.4f} km", f"{float(cm):.0f} cm", f"{float(metres):.3f} m"):
        assert score(km_problem, f"\\boxed{{{answer}}}") == (1, "ok"), answer


def test_wrong_units_missing_units_and_near_misses_score_zero(km_problem: Problem) -> None:
    metres = Fraction(km_problem.answer["value"]["value"])
    cases = {
        f"\\boxed{{{float(metres):.1f}}}": "format",  # no unit
        f"\\boxed{{{float(metres):.1f} s}}": "wrong_answer",  # wrong dimension
        f"\\boxed{{{float(metres):.1f} km}}": "wrong_answer",  # right number, wrong scale
        f"\\boxed{{{float(metres + Fraction(1, 10)):.1f} m}}": "wrong_answer",  # one unit of the last place off
        f"\\boxed{{{float(metres):.1f} m}} or \\boxed{{{float(metres) + 1:.1f} m}}": "hack:multiple_answers",
        f"The distance is {float(metres):.1f} m.": "no_answer",
    }
    for response, reason in cases.items():
        verdict = TEMPLATE.verify(km_problem, response)
        assert verdict.reward == 0, (response, verdict)
        assert verdict.reason == reason or (reason == "wrong_answer" and verdict.reason == "format"), (response, verdict)


def test_other_problems_answers_score_zero() -> None:
    batch = problems("expert", 12, seed=5)
    for problem in batch[:4]:
        for other in batch:
            if other.answer != problem.answer:
                assert score(problem, TEMPLATE.reference_response(other))[0] == 0
