"""Probability: every gold re-derived by enumerating outcomes (or a partial series), levels, forms, hacks."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations, permutations, product

import pytest

from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math.probability import CARD_SETS, Probability, ProbabilityConfig, card_in, dice_event_holds
from tests.tasks.math_helpers import TemplateProbe

PROBE = TemplateProbe("Probability", n=100)
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, score = PROBE.problems, PROBE.score
DECK = [(r, s) for s in range(4) for r in range(13)]
HANDS = {m: list(combinations(DECK, m)) for m in (2, 3)}


def gold(problem: Problem) -> Fraction:
    assert problem.answer["kind"] in ("integer", "rational")
    return Fraction(problem.answer["value"])


def share(outcomes: list, event) -> Fraction:  # type: ignore[no-untyped-def]
    return Fraction(sum(1 for o in outcomes if event(o)), len(outcomes))


def balls(urn: dict[str, int]) -> list[str]:
    return [colour for colour, n in urn.items() for _ in range(n)]


def brute(problem: Problem) -> Fraction:
    """The probability or expectation by enumerating equally likely outcomes (or summing a series)."""
    m, kind = problem.metadata, problem.metadata["kind"]
    if kind in ("dice_sum", "dice_event", "conditional_dice"):
        rolls = list(product(range(1, m["sides"] + 1), repeat=m["count"]))
        if kind == "conditional_dice":
            rolls = [r for r in rolls if dice_event_holds(m["given"][0], m["given"][1], r, m["sides"])]
        return share(rolls, lambda r: dice_event_holds(m["event"], m["t"], r, m["sides"]))
    if kind in ("coins", "coins_at_least"):
        flips = list(product((0, 1), repeat=m["n"]))
        test = {"exactly": lambda h: h == m["k"], "at_least": lambda h: h >= m["k"], "at_most": lambda h: h <= m["k"]}[m["mode"]]
        return share(flips, lambda f: test(sum(f)))
    if kind == "one_card":
        a, b = m["sets"]
        test = {"or": lambda x, y: x or y, "and": lambda x, y: x and y, "neither": lambda x, y: not (x or y)}[m["what"]]
        return share(DECK, lambda c: test(card_in(a, *c), card_in(b, *c)))
    if kind == "two_cards":
        hands = HANDS[m["cards"]]
        name = m["set"]
        event = {
            "all": lambda h: all(card_in(name, *c) for c in h),
            "pair": lambda h: len({c[0] for c in h}) == 1,
            "same_suit": lambda h: len({c[1] for c in h}) == 1,
            "at_least_one": lambda h: any(card_in(name, *c) for c in h),
            "exactly_one": lambda h: sum(card_in(name, *c) for c in h) == 1,
        }[m["what"]]
        return share(hands, event)
    if kind == "urn_one":
        return share(balls(m["urn"]), lambda b: (b == m["colour"]) != m["negate"])
    if kind == "urn_two":
        pairs = list(permutations(balls(m["urn"]), 2))  # ordered draws: equally likely too
        text = m["text"]
        if m["what"] == "same":
            return share(pairs, lambda p: p[0] == p[1])
        if m["what"] == "different":
            return share(pairs, lambda p: p[0] != p[1])
        colour = text.rsplit(" ", 1)[1]
        return share(pairs, lambda p: p[0] == p[1] == colour)
    if kind == "hypergeometric":
        bag = ["r"] * m["red"] + ["b"] * m["blue"]
        return share(list(combinations(range(len(bag)), m["drawn"])), lambda c: sum(bag[i] == "r" for i in c) == m["hits"])
    if kind == "bayes_urns":
        prior = Fraction(m["prior"])
        # weight every (urn, ball) outcome by its probability and condition on red
        weights = {}
        for urn, p, (red, blue) in (("A", prior, m["a"]), ("B", 1 - prior, m["b"])):
            for i in range(red + blue):
                weights[(urn, i < red, i)] = p / (red + blue)
        red_total = sum(w for (u, is_red, _), w in weights.items() if is_red)
        return sum(w for (u, is_red, _), w in weights.items() if is_red and u == "A") / red_total
    if kind == "dice_game":
        return Fraction(sum(m["payouts"]), 6)
    if kind == "draws_until_red":
        # every set of positions of the red balls is equally likely; the draw stops at the first one
        orders = list(combinations(range(m["red"] + m["other"]), m["red"]))
        return Fraction(sum(min(reds) + 1 for reds in orders), len(orders))
    if kind == "dice_match":
        # roll the dice one at a time, tracking the chance that all values so far differ
        all_different = Fraction(1)
        for seen in range(m["k"]):
            all_different *= Fraction(m["sides"] - seen, m["sides"])
        if m["sides"] ** m["k"] <= 10**5:  # small enough to enumerate as well
            rolls = list(product(range(m["sides"]), repeat=m["k"]))
            assert share(rolls, lambda r: len(set(r)) == len(r)) == all_different
        return 1 - all_different if m["match"] else all_different
    if kind == "expected_max":
        values = range(1, m["sides"] + 1)
        draws = list(product(values, repeat=m["k"]) if m["replace"] else combinations(values, m["k"]))
        pick = max if m["extreme"] == "largest" else min
        return Fraction(sum(pick(r) for r in draws), len(draws))
    if kind == "medical_test":
        prev, sens, fp = (Fraction(m[k]) for k in ("prevalence", "sensitivity", "false_positive"))
        population = 10**6  # an exact head count: every rate times 10^6 is an integer
        ill_pos, healthy_pos = population * prev * sens, population * (1 - prev) * fp
        return ill_pos / (ill_pos + healthy_pos)
    raise AssertionError(f"no brute force for kind {kind}")


def first_six_series(players: int, position: int, p: Fraction, terms: int = 400) -> float:
    """Partial sum of P(the player at `position` is the first to succeed), round by round."""
    q = 1 - p
    return sum(float(q ** (players * r + position - 1) * p) for r in range(terms))


# ------------------------------------------------------------------------------------- generation


@pytest.mark.parametrize("level", LEVELS)
def test_gold_equals_an_enumeration(level: str) -> None:
    for problem in problems(level, 60):
        if problem.metadata["kind"] == "first_six":
            m = problem.metadata
            value = first_six_series(m["players"], m["position"], Fraction(m["faces"], m["sides"]))
            assert abs(value - float(gold(problem))) < 1e-12
            continue
        assert brute(problem) == gold(problem), (problem.metadata, problem.answer)


def test_probabilities_are_in_range_and_lowest_terms() -> None:
    for level in LEVELS:
        for problem in problems(level, 80):
            value = gold(problem)
            if problem.metadata["kind"] not in ("dice_game", "draws_until_red", "expected_max"):
                assert 0 < value < 1, problem.metadata
            if problem.answer["kind"] == "rational":
                n, d = problem.answer["value"].split("/")
                assert Fraction(int(n), int(d)).denominator == int(d)


def test_every_kind_is_made_and_levels_differ_in_kind() -> None:
    seen = {level: {p.metadata["kind"] for p in problems(level, 150)} for level in LEVELS}
    for level in LEVELS:
        assert seen[level] == set(TEMPLATE.config(level).kinds), level
    assert set().union(*seen.values()) == set(ProbabilityConfig.KINDS) == set(Probability.makers)
    assert len({frozenset(s) for s in seen.values()}) == len(LEVELS)


def test_prompt_and_config() -> None:
    problem = TEMPLATE.generate(0, 0, difficulty="easy")
    assert "lowest terms" in problem.prompt and TEMPLATE.answer_format.instruction in problem.prompt
    assert [p.to_json() for p in problems("expert", 20, 4)] == [p.to_json() for p in problems("expert", 20, 4)]
    for bad in (dict(kinds=("bayes",)), dict(size=7)):
        with pytest.raises(ConfigError):
            TEMPLATE.config("hard", **bad)


# ------------------------------------------------------------------------------------- verification


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    PROBE.assert_references_score_one(level, 25)


def test_equivalent_forms_accepted_and_near_misses_rejected() -> None:
    problem = next(p for p in problems("easy", 200) if gold(p).denominator in (4, 8))
    value = gold(problem)
    n, d = value.numerator, value.denominator
    for response in (f"\\boxed{{{n}/{d}}}", f"\\boxed{{\\frac{{{n}}}{{{d}}}}}", f"\\boxed{{\\dfrac{{{n}}}{{{d}}}}}",
                     f"\\boxed{{{float(value)}}}"):
        assert score(problem, response) == (1, "ok"), response
    for response in (f"\\boxed{{{n + 1}/{d}}}", f"\\boxed{{{d}/{n}}}", f"\\boxed{{{float(value) + 0.001}}}"):
        assert score(problem, response)[0] == 0, response
    assert score(problem, f"\\boxed{{{n}/{d}}} or \\boxed{{1/2}}") == (0, "hack:multiple_answers")
    assert score(problem, f"P = {n}/{d}") == (0, "no_answer")
    third = next(p for p in problems("hard", 200) if gold(p).denominator % 3 == 0)
    assert score(third, f"\\boxed{{{float(gold(third)):.4f}}}")[0] == 0  # a rounded decimal is not exact


def test_card_sets_have_the_sizes_their_names_say() -> None:
    sizes = {name: sum(card_in(name, *c) for c in DECK) for name in CARD_SETS}
    assert sizes == {"heart": 13, "diamond": 13, "club": 13, "spade": 13, "red": 26, "black": 26, "face": 12,
                     "ace": 4, "king": 4, "queen": 4, "high": 16, "even": 20, "low": 16}


def test_dice_events_on_two_and_three_dice() -> None:
    assert dice_event_holds("sum_prime", 0, (2, 3), 6) and not dice_event_holds("sum_prime", 0, (2, 2, 5), 6)
    assert dice_event_holds("doubles", 0, (4, 4, 4), 6) and not dice_event_holds("all_different", 0, (1, 2, 1), 6)
    assert dice_event_holds("min_at_most", 2, (5, 2, 6), 6) and not dice_event_holds("difference", 1, (1, 2, 3), 6)


def test_prompts_vary() -> None:
    """Regression guard for variety: most of 300 consecutive prompts differ at every level."""
    for level in LEVELS:
        prompts = [p.prompt for p in problems(level, 300)]
        assert len(set(prompts)) >= 0.85 * len(prompts), level
