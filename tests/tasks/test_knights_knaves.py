"""KnightsKnaves: statement semantics and English, uniqueness proved by brute force, a statement-based verifier."""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.logic.knights_knaves import (
    CONNECTIVES,
    EXAMPLE,
    NAMES,
    KnightsKnaves,
    _Drawer,
    depth_of,
    negated,
    quote,
    render,
    solutions,
    truth,
    uses,
)

TEMPLATE = vrgym.get_template("KnightsKnaves")
LEVELS = TEMPLATE.Config.level_names()
PER_LEVEL = {"easy": 300, "medium": 300, "hard": 150, "expert": 80, "master": 40}


def problems(level: str, n: int | None = None, seed: int = 0) -> Iterator[Problem]:
    return TEMPLATE.problems(n or PER_LEVEL[level], seed, difficulty=level)


def roles(problem: Problem) -> dict[str, str]:
    return problem.answer["roles"]


def answer(mapping: dict[str, str]) -> str:
    return "<answer>" + ", ".join(f"{name}: {role}" for name, role in mapping.items()) + "</answer>"


def score(problem: Problem, response: str) -> tuple[int, str]:
    verdict = TEMPLATE.verify(problem, response)
    return verdict.reward, verdict.reason


# ------------------------------------------------------------------------------------- semantics and English

PEOPLE = ["Ann", "Bob", "Cy"]


@pytest.mark.parametrize(
    ("formula", "knights", "expected"),
    [
        (["is", 1, True], [True, True, False], True),
        (["is", 1, False], [True, True, False], False),
        (["same", 0, 2], [True, True, False], False),
        (["different", 0, 2], [True, True, False], True),
        (["count", "exactly", 2, [0, 1, 2], True], [True, True, False], True),
        (["count", "at_least", 2, [0, 1, 2], False], [True, True, False], False),
        (["count", "at_most", 1, [1, 2], False], [True, True, False], True),
        (["not", ["same", 0, 1]], [True, True, False], False),
        (["and", ["is", 0, True], ["is", 2, True]], [True, True, False], False),
        (["or", ["is", 0, True], ["is", 2, True]], [True, True, False], True),
        (["if", ["is", 2, True], ["is", 0, False]], [True, True, False], True),  # false antecedent
        (["if", ["is", 0, True], ["is", 2, True]], [True, True, False], False),
        (["iff", ["is", 0, False], ["is", 2, True]], [True, True, False], True),
    ],
)
def test_truth(formula: list, knights: list[bool], expected: bool) -> None:
    assert truth(formula, knights) is expected


@pytest.mark.parametrize(
    ("formula", "speaker", "text"),
    [
        (["is", 1, True], 0, "Bob is a knight"),
        (["is", 0, False], 0, "I am a knave"),
        (["same", 1, 0], 0, "Bob and I are of the same kind"),
        (["different", 1, 2], 0, "Bob and Cy are of different kinds"),
        (["count", "exactly", 1, [0, 1, 2], True], 0, "exactly one of us is a knight"),
        (["count", "at_least", 2, [0, 1, 2], False], 1, "at least two of us are knaves"),
        (["count", "at_most", 1, [0, 1], True], 0, "at most one of Bob and me is a knight"),
        (["count", "exactly", 1, [1, 2], False], 0, "exactly one of Bob and Cy is a knave"),
        (["not", ["is", 2, True]], 0, "it is not the case that Cy is a knight"),
        (["and", ["is", 1, True], ["same", 1, 2]], 0, "Bob is a knight and (Bob and Cy are of the same kind)"),
        (["if", ["or", ["is", 1, True], ["is", 0, False]], ["is", 2, False]], 0,
         "if (Bob is a knight or I am a knave), then Cy is a knave"),
        (["iff", ["is", 1, True], ["not", ["same", 0, 2]]], 0,
         "Bob is a knight if and only if (it is not the case that (Cy and I are of the same kind))"),
    ],
)  # fmt: skip
def test_render(formula: list, speaker: int, text: str) -> None:
    assert render(formula, speaker, PEOPLE) == text
    quoted = quote(formula, speaker, PEOPLE)
    assert quoted == f'"{text[0].upper()}{text[1:]}."'


def random_formula(rng: random.Random, n: int, level: str) -> list:
    config = TEMPLATE.config(level)
    drawer = _Drawer(rng, config, n)
    return drawer.formula(rng.randrange(n), rng.randint(config.min_depth, config.max_depth))[0]


@given(st.integers(0, 10_000), st.sampled_from(["hard", "master"]))
def test_negated_means_not(seed: int, level: str) -> None:
    rng = random.Random(seed)
    formula = random_formula(rng, 4, level)
    flipped = negated(formula)
    if flipped is None:
        assert uses(formula, "not") or uses(formula, "count")
        return
    assert depth_of(flipped) == depth_of(formula) and not uses(flipped, "not") or uses(formula, "not")
    for knights in itertools.product([False, True], repeat=4):
        assert truth(flipped, knights) is not truth(formula, knights)


def test_negation_stays_within_the_allowed_connectives() -> None:
    formula = ["if", ["is", 1, True], ["count", "at_least", 2, [0, 1, 2], True]]
    assert negated(formula) == ["and", ["is", 1, True], ["count", "at_most", 1, [0, 1, 2], True]]
    assert negated(formula, ("if", "at_least", "at_most")) is None  # would need "and"
    assert negated(formula, ("if", "and", "at_least")) is None  # would need "at most"
    for problem in TEMPLATE.problems(40, 0, difficulty="hard", connectives=("or", "if"), quantifiers=("at_least",)):
        for statement in problem.metadata["statements"]:
            assert not any(uses(statement, op) for op in ("and", "iff", "not"))
            assert "at most" not in problem.prompt and "exactly" not in problem.prompt.split("Exactly one assignment")[0]


@given(st.integers(0, 10_000))
def test_drawn_truth_tables_match_the_evaluator(seed: int) -> None:
    rng = random.Random(seed)
    config = TEMPLATE.config("master")
    drawer = _Drawer(rng, config, 4)
    formula, mask = drawer.formula(0, rng.randint(1, 3))
    for a in range(16):
        knights = [bool(a >> i & 1) for i in range(4)]
        assert truth(formula, knights) == bool(mask >> a & 1)


# ------------------------------------------------------------------------------------- generation


def test_registered_with_levels() -> None:
    assert vrgym.get_template_class("knights_knaves") is KnightsKnaves
    assert LEVELS == ["easy", "medium", "hard", "expert", "master"]
    assert TEMPLATE.config().difficulty == "medium"
    assert len(NAMES) == len({name.upper() for name in NAMES}) >= 200
    assert all(name.isalpha() and name[0].isupper() and name.upper() not in ("KNIGHT", "KNAVE", "IS") for name in NAMES)


@pytest.mark.parametrize("level", LEVELS)
def test_every_puzzle_has_exactly_the_gold_solution(level: str) -> None:
    """The uniqueness claim, re-proved with the plain evaluator over all 2^n assignments."""
    for problem in problems(level):
        people, statements = problem.metadata["people"], problem.metadata["statements"]
        found = solutions(statements, len(people))
        assert len(found) == 1, problem.prompt
        assert {name: "knight" if knight else "knave" for name, knight in zip(people, found[0])} == roles(problem)


@pytest.mark.parametrize("level", LEVELS)
def test_statements_are_informative_and_shown(level: str) -> None:
    config = TEMPLATE.config(level)
    for problem in problems(level, 60):
        people, statements = problem.metadata["people"], problem.metadata["statements"]
        n = len(people)
        assert config.min_people <= n <= config.max_people
        assert len(set(people)) == n and set(people) <= set(NAMES)
        for p, statement in enumerate(statements):
            assert config.min_depth <= depth_of(statement) <= config.max_depth
            table = [truth(statement, [bool(a >> i & 1) for i in range(n)]) for a in range(1 << n)]
            assert any(table) and not all(table)  # no tautology or contradiction
            agree = [t == bool(a >> p & 1) for a, t in enumerate(table)]
            assert not all(agree)  # it rules out some assignment
            line = f"- {people[p]} says: {quote(statement, p, people)}"
            assert line in problem.prompt
            text = quote(statement, p, people)
            assert text.count("(") == text.count(")")


def test_levels_change_the_structure() -> None:
    def summary(level: str) -> tuple[set[int], int, set[str]]:
        batch = list(problems(level, 60))
        sizes = {len(p.metadata["people"]) for p in batch}
        deepest = max(p.metadata["max_depth"] for p in batch)
        ops = {op for p in batch for s in p.metadata["statements"] for op in ("not", "iff", "count", "if") if uses(s, op)}
        return sizes, deepest, ops

    assert summary("easy") == ({2}, 1, set())
    sizes, deepest, ops = summary("medium")
    assert sizes == {3} and deepest == 1 and ops == {"if", "count"}
    sizes, deepest, ops = summary("hard")
    assert sizes == {4, 5} and deepest == 2 and ops == {"not", "iff", "count", "if"}
    assert summary("expert")[0] == {6}
    sizes, deepest, _ = summary("master")
    assert sizes == {7, 8} and deepest == 3


def test_solutions_are_varied() -> None:
    batch = list(problems("hard", 150))
    knights = [role == "knight" for p in batch for role in roles(p).values()]
    assert 0.3 < sum(knights) / len(knights) < 0.7
    assert len({p.prompt for p in problems("medium", 300)}) == 300


def test_prompt_states_rules_and_format() -> None:
    problem = TEMPLATE.generate(0, 0, difficulty="hard")
    assert "Knights always tell the truth" in problem.prompt and "knaves always lie" in problem.prompt
    assert '"or" means at least one' in problem.prompt and "Exactly one assignment" in problem.prompt
    assert EXAMPLE in problem.prompt and "`Name: knight`" in problem.prompt
    assert problem.prompt.endswith(TEMPLATE.answer_format.instruction)
    assert not any(name in problem.metadata["people"] for name in ("Xena", "Yorick"))


def test_config_errors() -> None:
    for bad in (
        dict(min_people=5, max_people=3),
        dict(min_depth=2, max_depth=1),
        dict(connectives=("xor",)),
        dict(connectives=("not",)),
        dict(connectives=("and", "and")),
        dict(quantifiers=("most",)),
        dict(max_people=11),
        dict(min_people=1),
    ):
        with pytest.raises(ConfigError):
            TEMPLATE.config("hard", **bad)


def test_custom_config_generates() -> None:
    for problem in TEMPLATE.problems(20, 0, difficulty="hard", min_people=2, max_people=9, self_reference=0.0):
        assert len(solutions(problem.metadata["statements"], len(problem.metadata["people"]))) == 1


# ------------------------------------------------------------------------------------- verification


@pytest.fixture(scope="module")
def problem() -> Problem:
    return next(p for p in problems("hard", 50) if len(set(roles(p).values())) == 2)


def test_reference_and_other_correct_forms(problem: Problem) -> None:
    gold = roles(problem)
    assert score(problem, TEMPLATE.reference_response(problem)) == (1, "ok")
    people = list(gold)
    forms = [
        answer(gold),
        answer(dict(reversed(gold.items()))),
        "<answer>" + "\n".join(f"{n} is a {r}" for n, r in gold.items()) + "</answer>",
        "<answer>" + "; ".join(f"{n.lower()} = {r.upper()}" for n, r in gold.items()) + ";</answer>",
        "<answer>\n" + "\n".join(f"- {n}: {r}" for n, r in gold.items()) + "\n</answer>",
        "<answer>" + ", ".join(f"{n} is {'an' if r == 'knave' else 'a'} {r}" for n, r in gold.items()) + ".</answer>",
        answer(gold) + f"\n{answer(gold)}",  # the same answer twice
        f"<think>maybe {people[0]} is lying</think>{answer(gold)}",
    ]
    for response in forms:
        assert score(problem, response) == (1, "ok"), response


def test_rejected_answers(problem: Problem) -> None:
    gold = roles(problem)
    people = list(gold)
    first = people[0]
    flipped = {**gold, first: "knave" if gold[first] == "knight" else "knight"}
    other = next(p for p in problems("hard", 20, seed=1) if set(roles(p)) != set(gold))
    cases = {
        answer(flipped): "wrong_answer",
        answer({name: "knight" for name in people}) if set(gold.values()) != {"knight"} else "": "wrong_answer",
        answer(dict(list(gold.items())[1:])): "wrong_answer",  # someone missing
        answer({**gold, "Xena": "knight"}): "wrong_answer",  # someone who is not there
        answer(roles(other)): "wrong_answer",
        answer({**gold, first: "knight or knave"}): "format",  # a hedge
        answer({**gold, first: "knight/knave"}): "format",
        answer({**gold, first: "probably a knight"}): "format",
        answer(gold)[:-9] + f", {first}: {flipped[first]}</answer>": "hack:multiple_answers",
        f"{answer(gold)}\n{answer(flipped)}": "hack:multiple_answers",
        "<answer>" + ", ".join(f"{n} {r}" for n, r in gold.items()) + "</answer>": "format",
        ", ".join(f"{n}: {r}" for n, r in gold.items()): "no_answer",
        f"\\boxed{{{', '.join(f'{n}: {r}' for n, r in gold.items())}}}": "no_answer",
        "<answer>" + ", ".join(f"{n}: {'K' if r == 'knight' else 'N'}" for n, r in gold.items()) + "</answer>": "format",
        "<answer>" + ", ".join(f"{n}: {r}s" for n, r in gold.items()) + "</answer>": "format",
        "<answer>" + "A" * 30_000 + "</answer>": "format",
    }
    for response, reason in cases.items():
        if response:
            assert score(problem, response) == (0, reason), response[:200]


def test_verifier_checks_the_statements_not_the_stored_roles(problem: Problem) -> None:
    """A tampered gold changes nothing: the statements decide."""
    gold = roles(problem)
    first = next(iter(gold))
    tampered = Problem.from_json(problem.to_json()).model_copy(
        update={"answer": {"roles": {**gold, first: "knave" if gold[first] == "knight" else "knight"}}}
    )
    assert score(tampered, answer(gold)) == (1, "ok")
    verdict = TEMPLATE.verify(problem, answer({**gold, first: tampered.answer["roles"][first]}))
    assert verdict.reason == "wrong_answer" and first in verdict.detail
    assert verdict.checks[f"{first} consistent"] is False


def test_other_problems_answers_score_zero() -> None:
    batch = list(problems("medium", 40))
    for p in batch[:10]:
        for other in batch:
            if other.id != p.id:
                assert score(p, TEMPLATE.reference_response(other))[0] == 0


def test_every_assignment_scores_exactly_when_it_is_the_solution() -> None:
    for problem in problems("medium", 30):
        people = problem.metadata["people"]
        for combo in itertools.product(["knight", "knave"], repeat=len(people)):
            mapping = dict(zip(people, combo))
            assert score(problem, answer(mapping))[0] == int(mapping == roles(problem))


def test_parentheses_in_prompts_balance() -> None:
    for problem in problems("master", 20):
        for line in problem.prompt.splitlines():
            if " says: " in line:
                depth = 0
                for char in line:
                    depth += {"(": 1, ")": -1}.get(char, 0)
                    assert depth >= 0
                assert depth == 0
                assert not re.search(r"\(\)", line)
    assert set(CONNECTIVES) == {"and", "or", "not", "if", "iff"}
