"""Arithmetic: generation (levels, bounds, exactness, determinism) and verification (forms, hacks)."""

from __future__ import annotations

import ast
import math
import time
from collections.abc import Iterator
from fractions import Fraction

import pytest

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math.arithmetic import (
    Arithmetic,
    Group,
    collapse_innermost,
    depth,
    evaluate,
    from_json,
    has_redundant_parentheses,
    render,
    to_json,
)

TEMPLATE = vrgym.get_template("Arithmetic")
LEVELS = TEMPLATE.Config.level_names()
F = Fraction


def problems(level: str, n: int = 150, seed: int = 0) -> Iterator[Problem]:
    return TEMPLATE.problems(n, seed, difficulty=level)


def independent_value(expression: str) -> Fraction:
    """Evaluate the rendered text with Python's own parser and precedence (test-only; trusted text)."""

    def walk(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return Fraction(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            ops = {ast.Add: left.__add__, ast.Sub: left.__sub__, ast.Mult: left.__mul__, ast.Div: left.__truediv__}
            return ops[type(node.op)](right)
        raise AssertionError(f"unexpected syntax {ast.dump(node)} in {expression!r}")

    return walk(ast.parse(expression.replace("×", "*").replace("÷", "/"), mode="eval"))


def gold(problem: Problem) -> Fraction:
    return Fraction(problem.answer["numerator"], problem.answer["denominator"])


def score(problem: Problem, response: str) -> tuple[int, str]:
    verdict = TEMPLATE.verify(problem, response)
    return verdict.reward, verdict.reason


def first(level: str, predicate) -> Problem:  # type: ignore[no-untyped-def]
    return next(p for p in problems(level, 500) if predicate(p))


# ------------------------------------------------------------------------------------- contract


def test_registered_with_levels() -> None:
    assert vrgym.get_template_class("arithmetic") is Arithmetic
    assert LEVELS == ["easy", "medium", "hard", "expert"]
    assert TEMPLATE.config().difficulty == "medium"
    assert TEMPLATE.domain == "math" and "math/arithmetic/order_of_operations" in TEMPLATE.tags


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    for seed in range(4):
        for problem in problems(level, 60, seed):
            reloaded = Problem.from_json(problem.to_json())
            verdict = vrgym.verify(reloaded, TEMPLATE.reference_response(reloaded))
            assert (verdict.reward, verdict.reason) == (1, "ok"), (problem.metadata["expression"], verdict)


# ------------------------------------------------------------------------------------- generation


@pytest.mark.parametrize("level", LEVELS)
def test_gold_equals_an_independent_evaluation(level: str) -> None:
    for problem in problems(level, 300):
        expression = problem.metadata["expression"]
        assert problem.metadata["expression"] in problem.prompt
        assert independent_value(expression) == gold(problem), expression
        assert render(from_json(problem.metadata["tree"])) == expression


@pytest.mark.parametrize("level", LEVELS)
def test_gold_is_typed_reduced_and_within_bounds(level: str) -> None:
    config = TEMPLATE.config(level)
    for problem in problems(level, 300):
        answer = problem.answer
        assert type(answer["numerator"]) is int and type(answer["denominator"]) is int
        assert answer["denominator"] > 0 and math.gcd(answer["numerator"], answer["denominator"]) == 1
        assert answer["display"] == (
            str(answer["numerator"]) if answer["denominator"] == 1 else f"{answer['numerator']}/{answer['denominator']}"
        )
        tree = from_json(problem.metadata["tree"])
        evaluate(tree, config.max_magnitude)  # raises if any intermediate value leaves the bound
        assert config.min_operands <= problem.metadata["operands"] <= config.max_operands
        assert depth(tree) == problem.metadata["depth"] <= config.max_depth
        assert not has_redundant_parentheses(tree), problem.metadata["expression"]


def test_levels_shape_the_problems() -> None:
    easy = list(problems("easy", 300))
    assert all(gold(p).denominator == 1 for p in easy)
    assert all("÷" not in p.metadata["expression"] and "(" not in p.metadata["expression"] for p in easy)

    medium = list(problems("medium", 300))
    assert all(gold(p).denominator == 1 for p in medium)
    assert any("÷" in p.metadata["expression"] for p in medium)
    assert all("(" in p.metadata["expression"] for p in medium)

    for level in ("hard", "expert"):
        batch = list(problems(level, 300))
        fractions = sum(gold(p).denominator != 1 for p in batch)
        assert 0.05 * len(batch) < fractions < 0.95 * len(batch), (level, fractions)
        assert any("(-" in p.metadata["expression"] for p in batch)
        assert max(p.metadata["depth"] for p in batch) == TEMPLATE.config(level).max_depth
        assert len({p.answer["display"] for p in batch}) > 0.8 * len(batch)

    expert = list(problems("expert", 300))
    assert any("/" in p.metadata["expression"] for p in expert)  # fraction literals such as (3/4)
    assert any("math/arithmetic/fractions" in p.tags for p in expert)
    assert "A parenthesised a/b" in next(p for p in expert if "/" in p.metadata["expression"]).prompt


def test_prompt_states_the_rules_and_the_format() -> None:
    problem = TEMPLATE.generate(0, 0)
    assert "lowest terms" in problem.prompt and "6/4" in problem.prompt
    assert TEMPLATE.answer_format.instruction in problem.prompt
    assert "×" in problem.prompt or "+" in problem.prompt


def test_generation_is_deterministic_and_seeds_differ() -> None:
    a = [p.to_json() for p in problems("hard", 50, seed=3)]
    b = [p.to_json() for p in problems("hard", 50, seed=3)]
    c = [p.to_json() for p in problems("hard", 50, seed=4)]
    assert a == b
    assert len(set(a) & set(c)) == 0


def test_config_overrides_and_errors() -> None:
    only_plus = TEMPLATE.generate(0, 0, difficulty="easy", operators="+", max_operands=5, min_operands=5)
    assert only_plus.metadata["expression"].count("+") == 4
    for bad in (
        dict(min_operands=5, max_operands=3),
        dict(operators="+%"),
        dict(operators="++"),
        dict(operators="/"),
        dict(integer_only=True, fraction_probability=0.5),
        dict(max_magnitude=10, max_value=50),
        dict(operators="*/", max_depth=2),
        dict(no_such_field=1),
    ):
        with pytest.raises(ConfigError):
            TEMPLATE.config("hard", **bad)


def test_custom_integer_division_stays_exact() -> None:
    for problem in TEMPLATE.problems(200, 0, difficulty="medium", operators="*/", max_depth=0, max_operands=6):
        assert gold(problem).denominator == 1
        assert independent_value(problem.metadata["expression"]) == gold(problem)


# ------------------------------------------------------------------------------------- helpers


def test_redundant_parentheses_detection() -> None:
    def g(*items: object) -> Group:
        return from_json(list(items))  # type: ignore[arg-type]

    assert has_redundant_parentheses(g(["1", "+", "2"], "-", "3"))  # (1 + 2) - 3
    assert has_redundant_parentheses(g("1", "+", ["2", "*", "3"]))  # 1 + (2 × 3)
    assert has_redundant_parentheses(g("1", "*", ["2", "/", "3"]))  # 1 × (2 ÷ 3)
    assert not has_redundant_parentheses(g("1", "-", ["2", "+", "3"]))
    assert not has_redundant_parentheses(g(["1", "+", "2"], "*", "3"))
    assert not has_redundant_parentheses(g("1", "/", ["2", "*", "3"]))
    assert has_redundant_parentheses(g("1", "-", ["2", "+", ["3", "*", "4"]]))  # nested redundancy


def test_tree_json_round_trip_and_collapse() -> None:
    tree = from_json(["2", "*", ["3", "-", ["1", "/", "-4"]], "+", "3/4"])
    assert to_json(tree) == ["2", "*", ["3", "-", ["1", "/", "-4"]], "+", "3/4"]
    assert render(tree) == "2 × (3 - (1 ÷ (-4))) + (3/4)"
    assert evaluate(tree) == F(2) * (F(3) - F(1, -4)) + F(3, 4)
    collapsed, done = collapse_innermost(tree)
    assert done == [(from_json(["1", "/", "-4"]), F(-1, 4))]
    assert render(collapsed) == "2 × (3 - (-1/4)) + (3/4)"
    assert evaluate(collapsed) == evaluate(tree)


# ------------------------------------------------------------------------------------- verification


@pytest.fixture(scope="module")
def fraction_problem() -> Problem:
    return first("hard", lambda p: gold(p).denominator in (2, 4, 5, 8) and gold(p) < 0)


@pytest.fixture(scope="module")
def third_problem() -> Problem:
    return first("hard", lambda p: gold(p).denominator % 3 == 0)


@pytest.fixture(scope="module")
def integer_problem() -> Problem:
    return first("medium", lambda p: gold(p) > 10)


def test_every_accepted_form_scores_one(fraction_problem: Problem, integer_problem: Problem) -> None:
    value = gold(fraction_problem)
    n, d = abs(value.numerator), value.denominator
    decimal = f"{n // d}.{n % d * 10**6 // d:06d}"  # exact: d divides 10**6
    forms = [
        f"\\boxed{{-{n}/{d}}}",
        f"\\boxed{{ -{n} / {d} }}",
        f"\\boxed{{-\\frac{{{n}}}{{{d}}}}}",
        f"\\boxed{{\\frac{{-{n}}}{{{d}}}}}",
        f"\\boxed{{-\\dfrac{{{n}}}{{{d}}}}}",
        f"\\boxed{{$-{n}/{d}$}}",
        f"\\boxed{{\u2212{n}/{d}}}",
        f"\\boxed{{-{decimal}}}",
        f"Working...\n<think>scratch \\boxed{{0}}</think> so the value is \\boxed{{-{n}/{d}}}.",
        f"\\boxed{{-{n}/{d}}} and once more \\boxed{{-{n}/{d}}}",
    ]
    for response in forms:
        assert score(fraction_problem, response) == (1, "ok"), response
    k = gold(integer_problem).numerator
    for response in (f"\\boxed{{{k}}}", f"\\boxed{{+{k}}}", f"\\boxed{{{k}.0}}", f"\\boxed{{{k}/1}}", f"\\boxed{{{k:,}}}"):
        assert score(integer_problem, response) == (1, "ok"), response


def test_lowest_terms_policy(fraction_problem: Problem, integer_problem: Problem) -> None:
    value = gold(fraction_problem)
    n, d = abs(value.numerator), value.denominator
    assert score(fraction_problem, f"\\boxed{{-{2 * n}/{2 * d}}}") == (0, "format")
    assert score(fraction_problem, f"\\boxed{{-\\frac{{{3 * n}}}{{{3 * d}}}}}") == (0, "format")
    assert score(fraction_problem, f"\\boxed{{-{2 * n + 2}/{2 * d}}}")[1] == "wrong_answer"  # unreduced and wrong
    k = gold(integer_problem).numerator
    assert score(integer_problem, f"\\boxed{{{2 * k}/2}}") == (0, "format")
    verdict = TEMPLATE.verify(fraction_problem, f"\\boxed{{-{2 * n}/{2 * d}}}")
    assert verdict.checks == {"parsed": True, "value": True, "lowest_terms": False}
    assert str(n) not in verdict.detail  # the feedback does not hand over the answer


def test_wrong_or_malformed_answers_score_zero(fraction_problem: Problem, third_problem: Problem) -> None:
    value = gold(fraction_problem)
    n, d = abs(value.numerator), value.denominator
    cases = {
        f"\\boxed{{{n}/{d}}}": "wrong_answer",  # sign lost
        f"\\boxed{{-{n + 1}/{d}}}": "wrong_answer",
        f"\\boxed{{{n}/-{d}}}": "format",
        f"\\boxed{{--{n}/{d}}}": "format",
        f"\\boxed{{-{n // d} {n % d}/{d}}}": "format",  # mixed number
        f"\\boxed{{x = -{n}/{d}}}": "format",
        f"\\boxed{{-{n}/{d} or {n}/{d}}}": "format",
        f"\\boxed{{-{n}/{d}, 7}}": "format",
        f"\\boxed{{-{n}/{d}}} or maybe \\boxed{{7}}": "hack:multiple_answers",
        f"The answer is -{n}/{d}.": "no_answer",
        f"\\boxed{{-{n}/{d}": "format",
        f"<think>\\boxed{{-{n}/{d}}}": "no_answer",
        "\\boxed{}": "no_answer",
        "\\boxed{1e100000}": "format",
        "\\boxed{" + "9" * 100_000 + "}": "format",
        "\\boxed{\\frac{1}{0}}": "format",
        "\\boxed{0/0}": "format",
        "\\boxed{\u0967\u0968}": "format",
        "\\boxed{\ud800}": "format",
    }
    for response, reason in cases.items():
        start = time.perf_counter()
        verdict = TEMPLATE.verify(fraction_problem, response)
        assert (verdict.reward, verdict.reason) == (0, reason), (response[:80], verdict)
        assert time.perf_counter() - start < 1.0  # bounded time (generous: CI machines are shared)
        verdict.model_dump_json()  # every verdict can be written out, surrogates included
    third = gold(third_problem)
    approx = f"{float(third):.6f}"
    assert score(third_problem, f"\\boxed{{{approx}}}") == (0, "wrong_answer")


def test_other_problems_answers_score_zero_unless_equal() -> None:
    batch = list(problems("hard", 40))
    for problem in batch[:10]:
        for other in batch:
            expected = 1 if gold(other) == gold(problem) else 0
            assert score(problem, TEMPLATE.reference_response(other))[0] == expected


def test_non_string_and_huge_responses() -> None:
    problem = TEMPLATE.generate(0, 0)
    assert score(problem, None)[0] == 0  # type: ignore[arg-type]
    assert score(problem, "x" * 1_000_000) == (0, "too_long")
    start = time.perf_counter()
    assert score(problem, "\\boxed{" * 60_000)[0] == 0
    assert score(problem, ("\\boxed{1}" + "\\boxed{2}") * 20_000)[0] == 0
    assert time.perf_counter() - start < 1.0
