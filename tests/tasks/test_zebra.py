"""ZebraPuzzle: solver tables and search against brute force, proved uniqueness (and minimality) on
many seeds with an independent solver, levels, prompts, and a verifier that checks the clues."""

from __future__ import annotations

import functools
import itertools
import random
from collections.abc import Iterator, Sequence

import pytest

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.logic.zebra import (
    ATTRIBUTES,
    KINDS,
    Solver,
    ZebraPuzzle,
    between_tables,
    binary_tables,
    describe,
    holds,
    make_puzzle,
)

TEMPLATE = vrgym.get_template("ZebraPuzzle")
LEVELS = TEMPLATE.Config.level_names()


BATCH = {"easy": 120, "medium": 120, "hard": 120, "expert": 40, "master": 40}


@functools.lru_cache(maxsize=None)
def _batch(level: str, seed: int) -> tuple[Problem, ...]:
    return tuple(TEMPLATE.problems(BATCH[level], seed, difficulty=level))


def problems(level: str, n: int, seed: int = 0) -> Iterator[Problem]:
    """Problems 0..n-1 of `seed`, generated once per module (the harder levels take milliseconds each)."""
    assert n <= BATCH[level]
    return iter(_batch(level, seed)[:n])


def score(problem: Problem, answer: str) -> tuple[int, str]:
    verdict = TEMPLATE.verify(problem, f"Done.\n<answer>{answer}</answer>")
    return verdict.reward, verdict.reason


def shape(problem: Problem) -> tuple[int, int]:
    k = len(problem.metadata["attributes"])
    return len(problem.metadata["values"]) // k, k


def brute_force_solutions(n: int, k: int, clues: Sequence[Sequence[int]], limit: int = 3) -> list[list[int]]:
    """Independent solver: attribute permutations one at a time, checking each clue once all of its
    entities are placed (no propagation, no bitmasks)."""
    attribute_of = lambda clue: {e // n for e in (clue[1:2] if KINDS[clue[0]] in ("at", "not_at") else clue[1:])}  # noqa: E731
    ready = [[c for c in clues if max(attribute_of(c)) == a] for a in range(k)]
    found: list[list[int]] = []

    def extend(houses: list[int], a: int) -> None:
        if len(found) >= limit:
            return
        if a == k:
            found.append(list(houses))
            return
        for perm in itertools.permutations(range(n)):
            trial = houses + list(perm)
            padded = trial + [0] * (n * k - len(trial))
            if all(holds(c, padded) for c in ready[a]):
                extend(trial, a + 1)

    extend([], 0)
    return found


# ------------------------------------------------------------------------------------- tables and solver


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_binary_tables_match_their_relations(n: int) -> None:
    rng = random.Random(n)
    relations = {
        "same": lambda x, y: x == y, "not_same": lambda x, y: x != y, "left": lambda x, y: x + 1 == y,
        "before": lambda x, y: x < y, "next": lambda x, y: abs(x - y) == 1,
    }  # fmt: skip
    for kind, rel in relations.items():
        for negated in (False, True):
            x_given_y, y_given_x = binary_tables(kind, n, negated)
            for _ in range(40):
                mask = rng.randrange(1 << n)
                want_x = sum(1 << x for x in range(n) if any(mask >> y & 1 and rel(x, y) != negated for y in range(n)))
                want_y = sum(1 << y for y in range(n) if any(mask >> x & 1 and rel(x, y) != negated for x in range(n)))
                assert (x_given_y[mask], y_given_x[mask]) == (want_x, want_y), (kind, negated, mask)


@pytest.mark.parametrize("n", [3, 4, 6])
def test_between_tables_match_the_relation(n: int) -> None:
    rng = random.Random(n)
    for negated in (False, True):
        first, mid, last = between_tables(n, negated)

        def ok(x: int, y: int, z: int) -> bool:
            return (x < y < z or z < y < x) != negated

        for _ in range(200):
            ma, mb = rng.randrange(1, 1 << n), rng.randrange(1, 1 << n)
            houses = range(n)
            assert first[ma << n | mb] == sum(1 << h for h in houses if any(ok(h, p, q) for p in houses for q in houses if ma >> p & 1 and mb >> q & 1))
            assert mid[ma << n | mb] == sum(1 << h for h in houses if any(ok(p, h, q) for p in houses for q in houses if ma >> p & 1 and mb >> q & 1))
            assert last[ma << n | mb] == sum(1 << h for h in houses if any(ok(p, q, h) for p in houses for q in houses if ma >> p & 1 and mb >> q & 1))


def random_clue(rng: random.Random, n: int, k: int) -> list[int]:
    kind = rng.randrange(len(KINDS))
    entities = [rng.randrange(n * k) for _ in range(3)]
    if KINDS[kind] in ("at", "not_at"):
        return [kind, entities[0], rng.randrange(n)]
    if KINDS[kind] == "between":
        return [kind, *entities]
    return [kind, *entities[:2]]


def test_solver_enumerates_exactly_the_brute_force_solutions() -> None:
    rng = random.Random(7)
    for trial in range(150):
        n, k = rng.choice([(3, 2), (3, 3), (4, 2)])
        clues = [random_clue(rng, n, k) for _ in range(rng.randint(0, 6))]
        ours = sorted(Solver(n, k, clues).solutions(limit=10_000))
        assert ours == sorted(brute_force_solutions(n, k, clues, limit=10_000)), (n, k, clues)
        assert len(ours) == len({tuple(s) for s in ours})


def test_clues_added_during_search_still_give_a_complete_search() -> None:
    rng = random.Random(3)
    for _ in range(40):
        n, k = 4, 3
        first, later = [random_clue(rng, n, k) for _ in range(3)], [random_clue(rng, n, k) for _ in range(4)]
        solver = Solver(n, k, first)
        seen = []
        for i, solution in enumerate(solver.search()):
            seen.append(solution)
            if i < len(later):
                solver.add(later[i])
        everything = first + later  # every solution of all the clues was found (plus some of fewer clues)
        assert {tuple(s) for s in Solver(n, k, everything).solutions(10_000)} <= {tuple(s) for s in seen}


# ------------------------------------------------------------------------------------- uniqueness and minimality


@pytest.mark.parametrize("level", ["easy", "medium", "hard"])
def test_uniqueness_proved_by_an_independent_solver(level: str) -> None:
    for problem in problems(level, 25, seed=5):
        n, k = shape(problem)
        clues = problem.metadata["clues"]
        hidden = [h - 1 for h in problem.answer["houses"]]
        assert brute_force_solutions(n, k, clues) == [hidden]


@pytest.mark.parametrize("level", LEVELS)
def test_unique_and_true_on_many_seeds(level: str) -> None:
    count = 120 if level in ("easy", "medium", "hard") else 40
    for problem in problems(level, count, seed=5):
        n, k = shape(problem)
        hidden = [h - 1 for h in problem.answer["houses"]]
        clues = problem.metadata["clues"]
        assert all(holds(clue, hidden) for clue in clues)
        assert Solver(n, k, clues).solutions(limit=3) == [hidden]


@pytest.mark.parametrize("level", ["hard", "expert", "master"])
def test_pruned_levels_are_minimal(level: str) -> None:
    for problem in problems(level, 8, seed=5):
        n, k = shape(problem)
        clues = problem.metadata["clues"]
        for i in range(len(clues)):
            assert len(Solver(n, k, clues[:i] + clues[i + 1 :]).solutions(limit=2)) == 2, f"clue {i + 1} is redundant"


@pytest.mark.parametrize("kinds", [["at", "same", "left"], ["left"], ["before", "between"], ["not_at", "next"]])
def test_make_puzzle_uses_only_the_allowed_kinds(kinds: list[str]) -> None:
    for seed in range(30):
        houses, clues = make_puzzle(random.Random(seed), 4, 3, kinds, prune=seed % 2 == 0)
        assert {KINDS[c[0]] for c in clues} <= set(kinds)
        assert Solver(4, 3, clues).solutions(limit=2) == [houses]


# ------------------------------------------------------------------------------------- levels and prompts


def test_registered_with_levels() -> None:
    assert vrgym.get_template_class("ZebraPuzzle") is ZebraPuzzle
    assert LEVELS == ["easy", "medium", "hard", "expert", "master"]
    assert TEMPLATE.config().difficulty == "hard"
    assert "logic/zebra" in TEMPLATE.tags and TEMPLATE.answer_format.marker in TEMPLATE.generate(0, 0).prompt


def test_levels_change_structure() -> None:
    sizes = {level: {shape(p) for p in problems(level, 40)} for level in LEVELS}
    assert sizes == {"easy": {(3, 3)}, "medium": {(4, 3)}, "hard": {(4, 4)}, "expert": {(5, 5)}, "master": {(6, 5)}}
    questions = {level: {p.metadata["question"] for p in problems(level, 40)} for level in LEVELS}
    assert questions["easy"] == {"single"} and questions["medium"] == {"single", "grid"} and questions["master"] == {"grid"}
    kinds = {level: {KINDS[c[0]] for p in problems(level, 40) for c in p.metadata["clues"]} for level in LEVELS}
    assert kinds["easy"] <= {"at", "same", "left", "next"}
    assert "between" in kinds["expert"] and "at" not in kinds["expert"] and {"at", "before", "between"} <= kinds["master"]


def test_values_are_distinct_words() -> None:
    every = [v.upper() for values in ATTRIBUTES.values() for v in values]
    assert len(every) == len(set(every))
    assert all(v.isalpha() and v.isascii() for v in every)
    assert all(len(values) >= 6 for values in ATTRIBUTES.values())


def test_prompt_lists_values_and_every_clue() -> None:
    for problem in problems("expert", 10):
        n, k = shape(problem)
        values, attributes = problem.metadata["values"], problem.metadata["attributes"]
        assert all(v in problem.prompt for v in values)
        for i, clue in enumerate(problem.metadata["clues"], 1):
            line = next(line for line in problem.prompt.splitlines() if line.startswith(f"{i}. "))
            assert line[len(f"{i}. ") :] in {describe(clue, values, attributes, n, flip) for flip in (False, True)}
        assert "<answer>" in problem.prompt


def test_single_question_answer_is_the_forced_value() -> None:
    for problem in (p for p in problems("medium", 60) if p.metadata["question"] == "single"):
        n, k = shape(problem)
        houses = problem.answer["houses"]
        value = problem.answer["value"]
        if problem.metadata["target"] == "house":
            assert value.isdigit() and 1 <= int(value) <= n
        else:
            e = problem.metadata["values"].index(value)
            assert problem.metadata["attributes"][e // n] == problem.metadata["target"]
            assert houses.count(houses[e]) == k  # one value of each attribute per house


def test_config_errors() -> None:
    for bad in (dict(kinds=["same", "next"]), dict(kinds=["fly"]), dict(kinds=[]), dict(houses=7), dict(attributes=1)):
        with pytest.raises(ConfigError):
            TEMPLATE.config("hard", **bad)


def test_generation_is_deterministic_and_seeds_differ() -> None:
    a = [p.to_json() for p in TEMPLATE.problems(20, 3, difficulty="hard")]
    assert a == [p.to_json() for p in TEMPLATE.problems(20, 3, difficulty="hard")]
    assert not set(a) & {p.to_json() for p in TEMPLATE.problems(20, 4, difficulty="hard")}


# ------------------------------------------------------------------------------------- verification


def grid_problem() -> Problem:
    return next(p for p in problems("hard", 10) if p.metadata["question"] == "grid")


def pairs_of(problem: Problem) -> list[tuple[str, int]]:
    return list(zip(problem.metadata["values"], problem.answer["houses"]))


def test_grid_answer_layouts_are_forgiven() -> None:
    problem = grid_problem()
    pairs = pairs_of(problem)
    shuffled = list(pairs)
    random.Random(0).shuffle(shuffled)
    forms = [
        ", ".join(f"{v} = {h}" for v, h in pairs),
        "\n".join(f"{v}: {h}" for v, h in shuffled),
        "; ".join(f"{v.lower()}=house {h}" for v, h in pairs),
        "\n".join(f"- {v.upper()} is House {h}." for v, h in pairs),
        ", ".join(f"{v} = {h}" for v, h in pairs) + f", {pairs[0][0]} = {pairs[0][1]},",
        table(pairs),
        table(shuffled).replace("House ", "").lower().replace(", ", " "),
        "- " + table(pairs).replace("\n", ".\n- ") + ".",
    ]
    for form in forms:
        assert score(problem, form) == (1, "ok"), form


def table(pairs: Sequence[tuple[str, int]]) -> str:
    rows: dict[int, list[str]] = {}
    for value, house in pairs:
        rows.setdefault(house, []).append(value)
    return "\n".join(f"House {house}: {', '.join(values)}" for house, values in sorted(rows.items()))


def test_house_table_content_is_strict() -> None:
    problem = grid_problem()
    pairs = pairs_of(problem)
    n, _ = shape(problem)
    (v0, h0) = pairs[0]
    cases = {
        table(pairs) + f"\nHouse {h0 % n + 1}: {v0}": "hack:multiple_answers",
        table(pairs[1:]): "wrong_answer",
        table(pairs) + "\nHouse 1: Zorro": "wrong_answer",
        table(pairs) + f"\nHouse {n + 1}: {v0}": "format",
        table(pairs).replace(":", " ->"): "format",
        "Lorem ipsum, " + table(pairs): "format",
    }
    for answer, reason in cases.items():
        assert score(problem, answer) == (0, reason), answer
    assert score(problem, table(pairs) + f"\nHouse {h0}: {v0}") == (1, "ok")  # a harmless repeat


def test_grid_answer_content_is_strict() -> None:
    problem = grid_problem()
    pairs = pairs_of(problem)
    n, _ = shape(problem)
    text = ", ".join(f"{v} = {h}" for v, h in pairs)
    (v0, h0), (v1, h1) = pairs[0], next(p for p in pairs[1:n] if p[1] != pairs[0][1])  # two names in different houses
    swapped = text.replace(f"{v0} = {h0}", "@").replace(f"{v1} = {h1}", f"{v1} = {h0}").replace("@", f"{v0} = {h1}")
    cases = {
        swapped: "wrong_answer",  # a valid arrangement, but it breaks a clue (the solution is unique)
        text.replace(f"{v0} = {h0}", f"{v0} = {h0 % n + 1}"): "wrong_answer",  # two people in one house
        ", ".join(f"{v} = {h}" for v, h in pairs[1:]): "wrong_answer",  # an item missing
        text + ", Zorro = 1": "wrong_answer",  # an unknown item
        text + f", {v0} = {h0 % n + 1}": "hack:multiple_answers",  # one item given two houses
        text.replace(f"{v0} = {h0}", f"{v0} = {h0} or {h0 % n + 1}"): "format",
        text.replace(f"{v0} = {h0}", f"{v0} = {n + 1}"): "format",  # no such house
        text.replace(f"{v0} = {h0}", f"{v0} {h0}"): "format",
        "The arrangement: " + text: "wrong_answer",
        text.replace(", ", " "): "format",
    }
    for answer, reason in cases.items():
        assert score(problem, answer) == (0, reason), answer


def test_single_answers() -> None:
    singles = [p for p in problems("medium", 80) if p.metadata["question"] == "single"]
    by_target = {("house" if p.metadata["target"] == "house" else "value"): p for p in singles}
    house, value = by_target["house"], by_target["value"]
    gold = house.answer["value"]
    assert score(house, gold) == (1, "ok") and score(house, f"House {gold}") == (1, "ok") and score(house, f" {gold} ") == (1, "ok")
    assert score(house, str(int(gold) % 4 + 1))[0] == 0 and score(house, f"{gold} or 1")[0] == 0
    word = value.answer["value"]
    assert score(value, word.upper()) == (1, "ok") and score(value, f"  {word.lower()}\n") == (1, "ok")
    others = [v for v in value.metadata["values"] if v != word]
    for wrong in (others[0], f"{word} or {others[0]}", f"the {word}", f"{word}.", f"{word}s"):
        assert score(value, wrong) == (0, "wrong_answer"), wrong


def test_reference_scores_one_everywhere() -> None:
    for level in LEVELS:
        for problem in problems(level, 15, seed=5):
            reloaded = Problem.from_json(problem.to_json())
            assert TEMPLATE.verify(reloaded, TEMPLATE.reference_response(reloaded)).reward == 1


def test_hostile_inputs_are_bounded() -> None:
    problem = grid_problem()
    for junk in ("<answer>" + "A = 1, " * 50_000 + "</answer>", "<answer>" + "=" * 300_000 + "</answer>", "<answer>\ud800 = 1</answer>"):
        assert TEMPLATE.verify(problem, junk).reward == 0
