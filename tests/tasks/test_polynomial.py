"""Polynomial: expansions and factorisations re-derived with sympy, forms enforced, hedges refused."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from vrgym.errors import ConfigError
from vrgym.tasks.math.polynomial import KINDS
from tests.tasks.math_helpers import TemplateProbe, parse_latex

PROBE = TemplateProbe("Polynomial", search=500)
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, first, score = PROBE.problems, PROBE.first, PROBE.score
X, Y = sympy.symbols("x y")


def parsed(latex: str) -> sympy.Expr:
    return parse_latex(latex, ("x", "y"))


def as_sympy(data: dict) -> sympy.Expr:
    """The metadata polynomial (`{"variables", "terms"}`) as a sympy expression, built independently."""
    symbols = [sympy.Symbol(v) for v in data["variables"]]
    return sympy.Add(*(sympy.Rational(Fraction(c).numerator, Fraction(c).denominator)
                       * sympy.Mul(*(s**e for s, e in zip(symbols, m))) for m, c in data["terms"]))


def test_levels_kinds_and_tags() -> None:
    assert LEVELS == ["easy", "medium", "hard", "expert"]
    assert TEMPLATE.config().difficulty == "medium"
    seen: dict[str, set[str]] = {}
    for level in LEVELS:
        batch = problems(level, 120)
        seen[level] = {p.metadata["kind"] for p in batch}
        assert seen[level] == set(TEMPLATE.config(level).kinds), level
        assert {p.metadata["mode"] for p in batch} == {"expand", "factor"}
        for p in batch:
            assert "math/algebra/polynomial" in p.tags and f"math/algebra/polynomial/{p.metadata['mode']}" in p.tags
        assert len({p.prompt for p in batch}) > 0.85 * len(batch), level
    assert len(set().union(*seen.values())) == len(KINDS)  # every kind is used by some level
    assert not seen["easy"] & seen["hard"]  # levels change the kind of problem, not only the numbers


@pytest.mark.parametrize("level", LEVELS)
def test_gold_rederived_with_sympy(level: str) -> None:
    for problem in problems(level, 30):
        polynomial = sympy.expand(as_sympy(problem.metadata["polynomial"]))
        shown, answer = parsed(problem.metadata["shown"]), parsed(problem.answer["latex"])
        assert sympy.expand(shown - polynomial) == 0, problem.metadata["shown"]
        assert sympy.expand(answer - polynomial) == 0, problem.answer
        assert f"${problem.metadata['shown']}$" in problem.prompt
        if problem.metadata["mode"] == "expand":
            assert problem.answer["form"] == "expanded"
            assert len(sympy.Add.make_args(polynomial)) == len(problem.metadata["polynomial"]["terms"])
            continue
        assert problem.answer["form"] == "factored"
        # complete: as many irreducible factors (with multiplicity) as sympy finds, same content up to sign
        content, factors = sympy.factor_list(polynomial)
        expected = sum(power for _, power in factors)
        ours = sum(power * sympy.Poly(as_sympy(f), *[sympy.Symbol(v) for v in f["variables"]]).total_degree()
                   if len(f["terms"]) == 1 else power for f, power in problem.metadata["factors"])
        assert ours == expected, (problem.answer["latex"], factors)
        assert abs(content) == abs(problem.metadata["content"]), (content, problem.metadata["content"])


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    PROBE.assert_references_score_one(level, 6, seed=1)


def test_factored_answers_in_any_order_and_spelling() -> None:
    problem = first("easy", lambda p: p.metadata["kind"] == "factor_monic_quadratic")
    factors = problem.answer["latex"].replace(")(", ")|(").split("|")
    assert len(factors) == 2
    for response in (f"\\boxed{{{factors[1]}{factors[0]}}}", f"\\boxed{{{factors[0]} \\cdot {factors[1]}}}",
                     f"$\\boxed{{{problem.answer['latex']}}}$"):
        assert score(problem, response) == (1, "ok"), response


def test_expanded_answers_in_any_term_order() -> None:
    problem = first("medium", lambda p: p.metadata["mode"] == "expand")
    terms = sympy.Add.make_args(sympy.expand(as_sympy(problem.metadata["polynomial"])))
    shuffled = " + ".join(sympy.latex(t) for t in reversed(terms)).replace("+ -", "- ")
    assert score(problem, f"\\boxed{{{shuffled}}}") == (1, "ok"), shuffled


def test_wrong_form_and_near_misses_score_zero() -> None:
    factor = first("hard", lambda p: p.metadata["kind"] == "factor_common_factor" and p.metadata["content"] > 1)
    expanded = factor.metadata["shown"]
    assert score(factor, f"\\boxed{{{expanded}}}") == (0, "format")  # the question copied back is not factored
    partial = factor.answer["latex"].split("(", 1)  # drop the common factor in front: not equal
    assert score(factor, f"\\boxed{{({partial[1]}}}")[0] == 0
    expand = first("easy", lambda p: p.metadata["mode"] == "expand")
    assert score(expand, f"\\boxed{{{expand.metadata['shown']}}}") == (0, "format")  # the product is not expanded
    wrong = expand.answer["latex"][:-1] + str((int(expand.answer["latex"][-1]) + 1) % 10)  # last digit changed
    assert score(expand, f"\\boxed{{{wrong}}}") == (0, "wrong_answer")


def test_hedges_and_other_answers_score_zero() -> None:
    batch = problems("medium", 12)
    problem = batch[0]
    gold = problem.answer["latex"]
    assert score(problem, f"\\boxed{{{gold}}} or \\boxed{{x}}")[1] == "hack:multiple_answers"
    assert score(problem, f"\\boxed{{{gold}, x + 1}}")[0] == 0
    assert score(problem, f"The answer is {gold}.") == (0, "no_answer")
    for other in batch[1:5]:
        if other.answer != problem.answer:
            assert score(problem, f"\\boxed{{{other.answer['latex']}}}")[0] == 0


def test_prompt_states_the_form() -> None:
    expand = first("hard", lambda p: p.metadata["kind"] == "expand_two_variables")
    assert "expanded form" in expand.prompt and "xy" in expand.prompt
    factor = first("easy", lambda p: p.metadata["mode"] == "factor")
    assert "Factor completely over the integers" in factor.prompt and "common factor" in factor.prompt
    for p in (expand, factor):
        assert p.prompt.endswith(TEMPLATE.answer_format.instruction)


def test_determinism_and_config_errors() -> None:
    assert [p.to_json() for p in problems("expert", 20, 3)] == [p.to_json() for p in problems("expert", 20, 3)]
    only = TEMPLATE.generate(0, 0, difficulty="easy", kinds=("factor_cubes",))
    assert only.metadata["kind"] == "factor_cubes"
    for bad in (dict(kinds=()), dict(kinds=("factor_everything",)), dict(kinds=("expand_cube", "expand_cube")),
                dict(kinds=("factor_nonmonic_quadratic",), max_leading=1), dict(max_constant=1)):
        with pytest.raises(ConfigError):
            TEMPLATE.config("easy", **bad)


def test_common_factor_left_inside_a_factor_is_refused() -> None:
    from vrgym.verifiers.math import check_math_answer
    from vrgym.verifiers.math import gold as G

    gold = G.expression("2(x - 1)(x + 3)", variables=["x"], form="factored")
    assert check_math_answer(gold, "(2x - 2)(x + 3)").reward == 0
