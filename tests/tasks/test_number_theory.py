"""NumberTheory: golds re-derived by brute force, every level and kind, determinism, accepted forms, hacks."""

from __future__ import annotations

from math import factorial, gcd

import pytest

from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math._counting import divisor_count, divisor_sum, euler_phi, factorise, legendre
from vrgym.tasks.math.number_theory import NumberTheory, NumberTheoryConfig
from tests.tasks.math_helpers import TemplateProbe, integer_gold

PROBE = TemplateProbe("NumberTheory", n=120)
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, score = PROBE.problems, PROBE.score
gold = integer_gold


def brute(problem: Problem) -> int:
    """The answer recomputed from the metadata's givens by the most direct method (search, not formula)."""
    m, kind = problem.metadata, problem.metadata["kind"]
    if kind in ("gcd", "gcd3"):
        return max(d for d in range(1, min(m["numbers"]) + 1) if all(x % d == 0 for x in m["numbers"]))
    if kind in ("lcm", "lcm3"):
        top = max(m["numbers"])
        return next(k for k in range(top, 10**9, top) if all(k % x == 0 for x in m["numbers"]))
    if kind == "remainder":
        return m["n"] - (m["n"] // m["m"]) * m["m"]
    if kind == "divisor_count":
        return sum(1 for d in range(1, m["n"] + 1) if m["n"] % d == 0)
    if kind == "divisor_sum":
        return sum(d for d in range(1, m["n"] + 1) if m["n"] % d == 0)
    if kind == "totient":
        return sum(1 for k in range(1, m["n"] + 1) if gcd(k, m["n"]) == 1)
    if kind == "largest_prime_factor":
        return max(p for p in range(2, m["n"] + 1) if m["n"] % p == 0 and all(p % q for q in range(2, int(p**0.5) + 1)))
    if kind in ("modpow", "last_digits"):
        value = 1
        for _ in range(m["b"]):
            value = value * m["a"] % m["m"]
        return value
    if kind == "inverse":
        return next(x for x in range(m["m"]) if m["a"] * x % m["m"] == 1)
    if kind == "congruence":
        return next(x for x in range(m["m"]) if (m["a"] * x - m["b"]) % m["m"] == 0)
    if kind in ("crt", "crt3"):
        return next(x for x in range(10**7) if all(x % q == r for r, q in zip(m["residues"], m["moduli"])))
    if kind == "tower":
        return pow(m["a"], m["b"] ** m["c"], m["m"])
    if kind == "factorial_zeros":
        digits = str(factorial(m["n"]))
        return len(digits) - len(digits.rstrip("0"))
    if kind == "factorial_divisors":
        f, counts = factorial(m["n"]), {}
        for p in range(2, m["n"] + 1):
            while f % p == 0:
                counts[p] = counts.get(p, 0) + 1
                f //= p
        result = 1
        for e in counts.values():
            result *= e + 1
        return result
    if kind == "factorial_prime_power":
        f, k = factorial(m["n"]), 0
        while f % m["q"] == 0:
            f //= m["q"]
            k += 1
        return k
    raise AssertionError(f"no brute force for kind {kind}")


# ------------------------------------------------------------------------------------- generation


@pytest.mark.parametrize("level", LEVELS)
def test_gold_equals_a_brute_force_recomputation(level: str) -> None:
    for problem in problems(level, 150):
        assert brute(problem) == gold(problem), (problem.metadata, problem.answer)


def test_every_kind_is_made_and_levels_differ_in_kind() -> None:
    seen: dict[str, set[str]] = {}
    for level in LEVELS:
        seen[level] = {p.metadata["kind"] for p in problems(level, 150)}
        assert seen[level] == set(TEMPLATE.config(level).kinds), level
    assert set().union(*seen.values()) == set(NumberTheoryConfig.KINDS) == set(NumberTheory.makers)
    assert not seen["easy"] & seen["hard"] and not seen["easy"] & seen["expert"]


def test_ranges_stated_in_the_prompt_hold() -> None:
    for level in LEVELS:
        for problem in problems(level, 100):
            m, value = problem.metadata, gold(problem)
            if "m" in m and m["kind"] != "congruence":
                assert 0 <= value < m["m"] and f"from 0 to {m['m'] - 1}" in problem.prompt
            if m["kind"] == "congruence":
                assert 0 <= value < m["m"] and "smallest non-negative" in problem.prompt
            if m["kind"] in ("gcd", "gcd3"):
                assert value >= 2  # a chosen common factor, never the trivial gcd 1


def test_expert_congruences_mostly_share_a_factor_with_the_modulus() -> None:
    batch = [p for p in problems("expert", 300) if p.metadata["kind"] == "congruence"]
    shared = sum(gcd(p.metadata["a"], p.metadata["m"]) > 1 for p in batch)
    assert shared > 0.6 * len(batch)
    assert any("math/number_theory/non_coprime" in p.tags for p in batch)


def test_helpers_match_brute_force() -> None:
    for n in range(1, 400):
        f = factorise(n)
        divisors = [d for d in range(1, n + 1) if n % d == 0]
        assert divisor_count(f) == len(divisors) and divisor_sum(f) == sum(divisors)
        assert euler_phi(f) == sum(1 for k in range(1, n + 1) if gcd(k, n) == 1)
    assert legendre(100, 5) == 24 and legendre(10, 2) == 8


def test_prompt_tags_and_determinism() -> None:
    problem = TEMPLATE.generate(0, 0, difficulty="hard")
    assert TEMPLATE.answer_format.instruction in problem.prompt and "integer" in problem.prompt
    assert f"math/number_theory/{problem.metadata['kind']}" in problem.tags and "math/number_theory" in problem.tags
    assert [p.to_json() for p in problems("expert", 30, 5)] == [p.to_json() for p in problems("expert", 30, 5)]
    assert {p.prompt for p in problems("medium", 30, 1)} != {p.prompt for p in problems("medium", 30, 2)}


def test_config_errors_name_the_remedy() -> None:
    for bad in (dict(kinds=()), dict(kinds=("gcd", "gcd")), dict(kinds=("nope",)), dict(scale=9)):
        with pytest.raises(ConfigError):
            TEMPLATE.config("easy", **bad)
    with pytest.raises(ConfigError, match="choose from"):
        TEMPLATE.config("easy", kinds=("primes",))
    only = TEMPLATE.generate(0, 3, difficulty="easy", kinds=("crt3",))
    assert only.metadata["kind"] == "crt3"


# ------------------------------------------------------------------------------------- verification


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    PROBE.assert_references_score_one(level, 25)


def test_accepted_forms_and_rejected_near_misses() -> None:
    problem = next(p for p in problems("hard", 50) if gold(p) > 10)
    k = gold(problem)
    for response in (f"\\boxed{{{k}}}", f"\\boxed{{ {k} }}", f"$\\boxed{{{k}}}$", f"so x = \\boxed{{{k}}}."):
        assert score(problem, response) == (1, "ok"), response
    for response, reason in {
        f"\\boxed{{{k + 1}}}": "wrong_answer",
        f"\\boxed{{{k - 1}}}": "wrong_answer",
        f"\\boxed{{{k}}} or \\boxed{{{k + 1}}}": "hack:multiple_answers",
        f"The answer is {k}.": "no_answer",
    }.items():
        assert score(problem, response) == (0, reason), response
    assert score(problem, f"\\boxed{{{k} or {k + 1}}}")[0] == 0
    assert score(problem, f"\\boxed{{{k}, {k + 1}}}")[0] == 0
