"""Combinatorics: every count re-derived by brute-force enumeration, levels, determinism, forms and hacks."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations, permutations, product

import pytest

from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math._counting import bounded_compositions, derangements, multinomial, surjections
from vrgym.tasks.math.combinatorics import Combinatorics, CombinatoricsConfig, count_no_adjacent
from tests.tasks.math_helpers import TemplateProbe, integer_gold

PROBE = TemplateProbe("Combinatorics", n=100)
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, score = PROBE.problems, PROBE.score
gold = integer_gold


def paths(a: int, b: int) -> Iterator[list[tuple[int, int]]]:
    """Every monotone lattice path from (0, 0) to (a, b), as its list of visited points."""
    for rights in combinations(range(a + b), a):
        x = y = 0
        points = [(0, 0)]
        for step in range(a + b):
            x, y = (x + 1, y) if step in rights else (x, y + 1)
            points.append((x, y))
        yield points


def arrangements(word: str) -> Iterator[str]:
    """Every distinct arrangement of the letters of `word`, each once (multiset permutations)."""
    if not word:
        yield ""
        return
    for letter in sorted(set(word)):
        rest = word.replace(letter, "", 1)
        for tail in arrangements(rest):
            yield letter + tail


def brute(problem: Problem) -> int:
    """The count by enumerating the objects themselves (small sizes only)."""
    m, kind = problem.metadata, problem.metadata["kind"]
    if kind == "permutations":
        return sum(1 for _ in permutations(range(m["n"]), m["k"]))
    if kind == "combinations":
        return sum(1 for _ in combinations(range(m["n"]), m["k"]))
    if kind == "product_rule":
        return sum(1 for _ in product(*(range(c) for c in m["counts"])))
    if kind in ("distinct_arrangements", "repeated_letters"):
        return sum(1 for _ in arrangements(m["word"]))
    if kind == "no_adjacent":
        return sum(all(a != b for a, b in zip(w, w[1:])) for w in arrangements(m["word"]))
    if kind == "committee":
        people = ["m"] * m["men"] + ["w"] * m["women"]
        need = m["condition"]
        count = 0
        for chosen in combinations(range(len(people)), m["k"]):
            women = sum(people[i] == "w" for i in chosen)
            count += women >= 1 if need == "at least one woman" else women == int(need.split()[1])
        return count
    if kind == "circular":
        n = m["n"]
        seatings = set()
        for order in permutations(range(n)):
            adjacent = abs(order.index(0) - order.index(1)) in (1, n - 1)
            if (m["pair"] == "together" and not adjacent) or (m["pair"] == "apart" and adjacent):
                continue
            rotations = [order[i:] + order[:i] for i in range(n)]
            seatings.add(min(rotations))
        return len(seatings)
    if kind == "stars_and_bars":
        low = m["lower"]
        return sum(1 for xs in product(range(low, m["total"] + 1), repeat=m["parts"]) if sum(xs) == m["total"])
    if kind == "bounded_stars":
        return sum(1 for xs in product(range(m["lower"], m["upper"] + 1), repeat=m["parts"]) if sum(xs) == m["total"])
    if kind == "inclusion_exclusion":
        hit = [any(k % d == 0 for d in m["divisors"]) for k in range(1, m["n"] + 1)]
        return hit.count(not m["none"])
    if kind == "together_apart":
        group = list(range(m["group"]))
        count = 0
        for order in permutations(range(m["n"])):
            seats = sorted(order.index(p) for p in group)
            adjacent = seats[-1] - seats[0] == len(group) - 1
            count += adjacent == m["together"]
        return count
    if kind == "derangements":
        fixed = [[i for i in range(m["n"]) if p[i] == i] for p in permutations(range(m["n"]))]
        want = {"none": lambda f: not f, "some": lambda f: bool(f), "only_named": lambda f: f == [0]}[m["mode"]]
        return sum(want(f) for f in fixed)
    if kind == "fixed_points":
        fixed = [sum(p[i] == i for i in range(m["n"])) for p in permutations(range(m["n"]))]
        return sum(f >= m["j"] if m["at_least"] else f == m["j"] for f in fixed)
    if kind in ("lattice_through", "lattice_avoid"):
        through = sum((m["p"], m["q"]) in path for path in paths(m["a"], m["b"]))
        return through if m["through"] else sum(1 for _ in paths(m["a"], m["b"])) - through
    if kind == "surjections":
        return sum(len(set(f)) == m["k"] - m["empty"] for f in product(range(m["k"]), repeat=m["n"]))
    raise AssertionError(f"no brute force for kind {kind}")


# ------------------------------------------------------------------------------------- generation


@pytest.mark.parametrize("level", LEVELS)
def test_gold_equals_a_brute_force_count(level: str) -> None:
    """Every kind of the level, at the smallest size (enumeration of n! objects must stay small)."""
    for problem in TEMPLATE.problems(60, 1, difficulty=level, size=1):
        assert brute(problem) == gold(problem), (problem.metadata, problem.answer)


def test_formulas_match_enumeration() -> None:
    assert [derangements(n) for n in range(7)] == [1, 0, 1, 2, 9, 44, 265]
    assert surjections(5, 3) == 150 and multinomial([3, 2, 1]) == 60
    assert bounded_compositions(7, 3, 3) == sum(1 for xs in product(range(4), repeat=3) if sum(xs) == 7)
    assert count_no_adjacent((2, 1, 1)) == 6  # AABC: 12 arrangements, 6 with the A's apart


def test_every_kind_is_made_and_levels_differ_in_kind() -> None:
    seen = {level: {p.metadata["kind"] for p in problems(level, 150)} for level in LEVELS}
    for level in LEVELS:
        assert seen[level] == set(TEMPLATE.config(level).kinds), level
    assert set().union(*seen.values()) == set(CombinatoricsConfig.KINDS) == set(Combinatorics.makers)
    assert not seen["easy"] & seen["medium"] and not seen["medium"] & seen["hard"]


def test_prompt_states_the_format_and_what_is_distinguished() -> None:
    for problem in problems("medium", 20):
        assert "single integer" in problem.prompt and TEMPLATE.answer_format.instruction in problem.prompt
    circular = next(p for p in problems("medium", 80) if p.metadata["kind"] == "circular")
    assert "rotation" in circular.prompt and "reflections" in circular.prompt


def test_determinism_and_config_errors() -> None:
    assert [p.to_json() for p in problems("hard", 20, 3)] == [p.to_json() for p in problems("hard", 20, 3)]
    for bad in (dict(kinds=()), dict(kinds=("derangement",)), dict(size=0)):
        with pytest.raises(ConfigError):
            TEMPLATE.config("hard", **bad)


# ------------------------------------------------------------------------------------- verification


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    PROBE.assert_references_score_one(level, 25)


def test_accepted_forms_and_rejected_answers() -> None:
    problem = next(p for p in problems("hard", 50) if gold(p) > 1000)
    k = gold(problem)
    for response in (f"\\boxed{{{k}}}", f"\\boxed{{{k:,}}}", f"There are $\\boxed{{{k}}}$ ways."):
        assert score(problem, response) == (1, "ok"), response
    assert score(problem, f"\\boxed{{{k + 1}}}") == (0, "wrong_answer")
    assert score(problem, f"\\boxed{{{k}}} or maybe \\boxed{{{k * 2}}}") == (0, "hack:multiple_answers")
    assert score(problem, f"\\boxed{{{k} \\text{{ or }} {k * 2}}}")[0] == 0
    assert score(problem, f"I count {k} ways.") == (0, "no_answer")


def test_prompts_vary() -> None:
    """Regression guard for variety: most of 300 consecutive prompts differ at every level."""
    for level in LEVELS:
        prompts = [p.prompt for p in problems(level, 300)]
        assert len(set(prompts)) >= 0.85 * len(prompts), level
