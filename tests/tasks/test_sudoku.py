"""Sudoku: solver and rater against known puzzles and an independent solver, generation by level
(uniqueness, tier, clue counts, variety), config validation, and a rules-based verifier."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.logic._sudoku_solver import (
    TIERS,
    count_solutions,
    geometry,
    random_solution,
    rate,
    solve,
    unavoidable_sets,
)
from vrgym.tasks.logic.sudoku import broken_units, render_grid

TEMPLATE = vrgym.get_template("Sudoku")
LEVELS = TEMPLATE.Config.level_names()
SEEDS_PER_LEVEL = {"mini": 60, "small": 60, "easy": 60, "medium": 40, "hard": 15, "expert": 15}

AI_ESCARGOT = "1....7.9..3..2...8..96..5....53..9...1..8...26....4...3......1..4......7..7...3.."
EASY_CLASSIC = "..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3.."


def cells(text: str) -> list[int]:
    return [0 if char == "." else int(char) for char in text]


def problems(level: str, n: int | None = None, seed: int = 0) -> Iterator[Problem]:
    return TEMPLATE.problems(n or SEEDS_PER_LEVEL[level], seed, difficulty=level)


def flat(rows: list[str]) -> list[int]:
    return cells("".join(rows))


def score(problem: Problem, response: str) -> tuple[int, str]:
    verdict = TEMPLATE.verify(problem, response)
    return verdict.reward, verdict.reason


def answer(rows: list[list[int]] | list[str]) -> str:
    return "<answer>\n" + "\n".join(" ".join(str(d) for d in row) for row in rows) + "\n</answer>"


def solution_rows(problem: Problem) -> list[list[int]]:
    return [[int(d) for d in row] for row in problem.answer["solution"]]


def independent_count(grid: list[int], size: int, limit: int = 2) -> int:
    """Solutions of `grid` by plain backtracking over sets (no bitmasks, no propagation): a cross-check."""
    geo = geometry(size)
    peers = [set(geo.peers[c]) for c in range(size * size)]
    grid = list(grid)

    def count() -> int:
        best, options = -1, None
        for cell in range(size * size):
            if grid[cell] == 0:
                free = set(range(1, size + 1)) - {grid[p] for p in peers[cell]}
                if options is None or len(free) < len(options):
                    best, options = cell, free
                    if len(free) <= 1:
                        break
        if options is None:
            return 1
        total = 0
        for digit in sorted(options):
            grid[best] = digit
            total += count()
            if total >= limit:
                break
        grid[best] = 0
        return total

    return count()  # may overshoot `limit` a little: callers compare min(count, limit)


# ------------------------------------------------------------------------------------------- solver


@pytest.mark.parametrize(("size", "box"), [(4, (2, 2)), (6, (2, 3)), (9, (3, 3))])
def test_geometry(size: int, box: tuple[int, int]) -> None:
    geo = geometry(size)
    assert (geo.box_rows, geo.box_cols) == box
    assert len(geo.units) == 3 * size and all(len(unit) == size for unit in geo.units)
    assert all(len(peers) == 3 * size - box[0] - box[1] - 1 for peers in geo.peers)
    assert all(sorted(c for unit in geo.units for c in unit if c == cell) == [cell] * 3 for cell in range(size * size))
    with pytest.raises(ValueError):
        geometry(5)


def test_count_solutions_of_the_empty_4x4_is_288() -> None:
    assert count_solutions(geometry(4), [0] * 16, limit=1000) == 288


def test_known_puzzles() -> None:
    geo = geometry(9)
    for text in (AI_ESCARGOT, EASY_CLASSIC):
        assert count_solutions(geo, cells(text)) == 1
    easy = rate(geo, cells(EASY_CLASSIC))
    assert easy.tier_name == "naked_single" and easy.solution == solve(geo, cells(EASY_CLASSIC))
    escargot = rate(geo, cells(AI_ESCARGOT))
    assert escargot.tier_name == "search" and escargot.solution is None
    assert count_solutions(geo, [0] * 81, limit=5) == 5  # the empty grid: the count stops at the limit
    clash = cells(EASY_CLASSIC)
    clash[0] = 3  # a second 3 in the first row
    assert count_solutions(geo, clash) == 0 and solve(geo, clash) is None


@pytest.mark.parametrize("size", [4, 6])
def test_count_solutions_agrees_with_an_independent_solver(size: int) -> None:
    geo = geometry(size)
    rng = random.Random(size)
    for _ in range(150):
        grid = random_solution(rng, geo)
        for cell in rng.sample(range(size * size), rng.randint(size, size * size - 2)):
            grid[cell] = 0
        assert count_solutions(geo, grid, 3) == min(independent_count(grid, size, 3), 3)


@pytest.mark.parametrize("size", [4, 6, 9])
def test_random_solutions_are_valid_and_varied(size: int) -> None:
    geo = geometry(size)
    rng = random.Random(1)
    grids = [random_solution(rng, geo) for _ in range(100)]
    for grid in grids:
        assert not any(broken_units(geo, [grid[r * size : (r + 1) * size] for r in range(size)]).values())
    assert len({tuple(g) for g in grids}) >= (75 if size == 4 else 100)  # 4×4 has only 288 grids


def test_random_solutions_reach_every_4x4_grid() -> None:
    rng = random.Random(2)
    assert len({tuple(random_solution(rng, geometry(4))) for _ in range(3000)}) == 288


def test_rater_tiers_are_least_and_solutions_correct() -> None:
    geo = geometry(9)
    rng = random.Random(3)
    for _ in range(30):
        solution = random_solution(rng, geo)
        grid = list(solution)
        for cell in rng.sample(range(81), 50):
            grid[cell] = 0
        full = rate(geo, grid)
        if full.solution is not None:
            assert full.solution == solution  # sound techniques only ever find the solution
        for cap in range(3):
            capped = rate(geo, grid, max_tier=cap)
            assert (capped.solution is not None) == (full.tier <= cap)


def test_unavoidable_sets_really_are_unavoidable() -> None:
    geo = geometry(9)
    rng = random.Random(5)
    solution = random_solution(rng, geo)
    sets = unavoidable_sets(geo, solution)
    assert sets
    for mask in sets[:40]:
        grid = [0 if mask >> cell & 1 else digit for cell, digit in enumerate(solution)]
        assert count_solutions(geo, grid) == 2  # blanking the set lets a second solution in


# ------------------------------------------------------------------------------------------- generation


@pytest.mark.parametrize("level", LEVELS)
def test_every_puzzle_is_unique_needs_its_tier_and_has_its_clue_count(level: str) -> None:
    config = TEMPLATE.config(level)
    low, high = config.clue_range
    tier = TIERS.index(config.technique)
    for problem in problems(level):
        size = problem.metadata["size"]
        geo = geometry(size)
        givens, solution = flat(problem.metadata["givens"]), flat(problem.answer["solution"])
        assert all(g in (0, s) for g, s in zip(givens, solution))
        assert problem.metadata["clues"] == sum(1 for g in givens if g)
        assert low <= problem.metadata["clues"] <= high
        assert count_solutions(geo, givens) == 1
        if size < 9:
            assert independent_count(givens, size) == 1
        rating = rate(geo, givens)
        assert rating.tier == tier and problem.metadata["technique"] == config.technique
        if tier:
            assert rate(geo, givens, max_tier=tier - 1).solution is None  # exactly this tier, not easier
        if tier < 3:
            assert rating.solution == solution
        assert problem.metadata["steps"] == rating.steps
        assert f"logic/sudoku/{size}x{size}" in problem.tags


def test_independent_solver_confirms_uniqueness_of_some_9x9_puzzles() -> None:
    for level in ("easy", "medium"):
        for problem in problems(level, 4, seed=9):
            assert independent_count(flat(problem.metadata["givens"]), 9) == 1


@pytest.mark.parametrize("level", LEVELS)
def test_prompts_vary(level: str) -> None:
    prompts = [p.prompt for p in problems(level, 15 if level in ("hard", "expert") else 60, seed=2)]
    assert len(set(prompts)) == len(prompts)


def test_prompt_shows_the_grid_rules_and_answer_syntax() -> None:
    problem = TEMPLATE.generate(0, 0, difficulty="small")
    geo = geometry(6)
    assert render_grid(geo, flat(problem.metadata["givens"])) in problem.prompt
    assert "6 boxes of 2×3 cells (2 rows by 3 columns" in problem.prompt
    assert 'Empty cells are shown as "."' in problem.prompt
    assert "<answer>\nd d d d d d\n" in problem.prompt
    assert TEMPLATE.extract(problem.prompt).answer == "\n".join(["d d d d d d"] * 6)  # syntax, not a solution
    lines = render_grid(geo, flat(problem.metadata["givens"])).splitlines()
    assert len(lines) == 8 and lines[2] == "------+------" and lines[3].count("|") == 1


def test_levels_change_structure() -> None:
    configs = {level: TEMPLATE.config(level) for level in LEVELS}
    assert [configs[level].size for level in LEVELS] == [4, 6, 9, 9, 9, 9]
    assert [configs[level].technique for level in LEVELS[2:]] == list(TIERS)
    ranges = [configs[level].clue_range for level in LEVELS[2:]]
    assert all(a[0] >= b[0] and a[1] >= b[1] for a, b in zip(ranges, ranges[1:]))  # fewer clues as tiers rise


def test_deterministic_and_seeded() -> None:
    assert TEMPLATE.generate(4, 7, difficulty="hard") == TEMPLATE.generate(4, 7, difficulty="hard")
    assert TEMPLATE.generate(4, 7, difficulty="hard").prompt != TEMPLATE.generate(5, 7, difficulty="hard").prompt


# ------------------------------------------------------------------------------------------- config


def test_default_and_benchmark_configs() -> None:
    config = TEMPLATE.config(None, size=9)
    assert config.difficulty == "easy" and config.size == 9
    six = TEMPLATE.generate(0, 0, difficulty="easy", size=6)
    assert six.metadata["size"] == 6 and six.metadata["box"] == [2, 3]
    assert TEMPLATE.generate(0, 0, difficulty="mini", size=9).metadata["size"] == 9


@pytest.mark.parametrize(
    ("level", "overrides", "message"),
    [
        ("hard", {"size": 4}, "cannot be made to need"),
        ("expert", {"size": 6}, "cannot be made to need"),
        ("easy", {"size": 5}, "size"),
        ("easy", {"min_clues_fraction": 0.6, "max_clues_fraction": 0.5}, "no whole number"),
        ("expert", {"min_clues_fraction": 0.6, "max_clues_fraction": 0.7}, "outside what"),
        ("easy", {"max_clues_fraction": 1.0}, "max_clues_fraction"),
        ("easy", {"technique": "x_wing"}, "technique"),
        ("mini", {"min_clues_fraction": 0.01, "max_clues_fraction": 0.1}, "outside what"),
    ],
)  # fmt: skip
def test_invalid_configs_are_refused(level: str, overrides: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        TEMPLATE.config(level, **overrides)


# ------------------------------------------------------------------------------------------- verifier


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one(level: str) -> None:
    for problem in problems(level, 10, seed=4):
        response = TEMPLATE.reference_response(problem)
        assert score(problem, response) == (1, "ok")
        assert response.rstrip().endswith("</answer>")


def test_other_layouts_of_the_solution_are_accepted() -> None:
    problem = TEMPLATE.generate(1, 0, difficulty="medium")
    rows = solution_rows(problem)
    compact = "\n".join("".join(map(str, row)) for row in rows)
    boxed = render_grid(geometry(9), [d for row in rows for d in row])
    for response in (
        answer(rows),
        f"<answer>{compact}</answer>",
        f"<answer>\n{boxed}\n</answer>",
        f"<ANSWER>\n```\n{compact}\n```\n</ANSWER>",
        f"Thinking done.\n<answer>\n{compact}\n</answer>\n\nAgain:\n<answer>{compact}\n</answer>",
    ):
        assert score(problem, response) == (1, "ok"), response


def test_every_valid_completion_is_accepted_not_only_the_stored_one() -> None:
    """With a puzzle of two solutions (made by hand), both score 1: the check is by the rules."""
    problem = TEMPLATE.generate(0, 0, difficulty="mini")
    first = [[1, 2, 3, 4], [3, 4, 1, 2], [2, 1, 4, 3], [4, 3, 2, 1]]
    second = [[1, 2, 3, 4], [3, 4, 1, 2], [2, 3, 4, 1], [4, 1, 2, 3]]
    givens = ["1234", "3412", "....", "...."]
    open_problem = problem.model_copy(
        update={"metadata": {**problem.metadata, "givens": givens}, "answer": {"solution": ["1234", "3412", "2143", "4321"]}}
    )
    assert count_solutions(geometry(4), flat(givens), 5) >= 2
    assert score(open_problem, answer(first)) == (1, "ok")
    assert score(open_problem, answer(second)) == (1, "ok")


def test_hacks_and_mistakes_score_zero() -> None:
    problem = TEMPLATE.generate(2, 0, difficulty="easy")
    rows = solution_rows(problem)
    givens = problem.metadata["givens"]
    relabel = {d: d % 9 + 1 for d in range(1, 10)}  # a valid sudoku that ignores the givens
    relabelled = [[relabel[d] for d in row] for row in rows]
    echoed = "\n".join(" ".join(row) for row in givens)
    broken = [row[:] for row in rows]
    free = [c for c, g in enumerate(givens[0]) if g == "."][:2]
    broken[0][free[0]], broken[0][free[1]] = broken[0][free[1]], broken[0][free[0]]  # keeps givens, breaks columns
    cases = {
        "echo_with_blanks": (f"<answer>\n{echoed}\n</answer>", "format"),
        "echo_with_zeros": (f"<answer>\n{echoed.replace('.', '0')}\n</answer>", "format"),
        "relabelled_valid_grid": (answer(relabelled), "wrong_answer"),
        "swapped_cells": (answer(broken), "wrong_answer"),
        "too_few_rows": (answer(rows[:8]), "format"),
        "too_many_rows": (answer(rows + rows[:1]), "format"),
        "long_row": (answer([row + [1] for row in rows]), "format"),
        "two_grids_in_one_tag": (answer(rows + relabelled), "format"),
        "grid_in_prose": (f"<answer>\nThe solved grid is:\n{answer(rows)[9:-10]}\n</answer>", "format"),
        "grid_then_prose": (f"<answer>\n{answer(rows)[9:-10]}\nDone!\n</answer>", "format"),
        "two_different_answers": (answer(rows) + "\n" + answer(relabelled), "hack:multiple_answers"),
        "unmarked": (answer(rows)[9:-10], "no_answer"),
        "boxed_instead": ("\\boxed{" + answer(rows)[9:-10] + "}", "no_answer"),
        "fullwidth_digits": (answer(rows).replace("1", "１"), "format"),
    }
    for name, (response, reason) in cases.items():
        assert score(problem, response) == (0, reason), name


def test_wrong_answer_details_name_the_broken_units() -> None:
    problem = TEMPLATE.generate(2, 0, difficulty="easy")
    rows = solution_rows(problem)
    relabelled = [[d % 9 + 1 for d in row] for row in rows]
    verdict = TEMPLATE.verify(problem, answer(relabelled))
    assert verdict.checks == {"givens_kept": False, "rows": True, "columns": True, "boxes": True}
    assert "given digits changed at r" in verdict.detail
    doubled = [rows[0]] + rows[1:]
    doubled[1] = rows[0]
    verdict = TEMPLATE.verify(problem, answer(doubled))
    assert verdict.reward == 0 and not verdict.checks["columns"] and "repeat a digit" in verdict.detail


def test_another_problems_solution_scores_zero() -> None:
    mine, other = TEMPLATE.generate(3, 0, difficulty="expert"), TEMPLATE.generate(3, 1, difficulty="expert")
    assert score(mine, TEMPLATE.reference_response(other)) == (0, "wrong_answer")
    small = TEMPLATE.generate(3, 0, difficulty="mini")
    assert score(mine, TEMPLATE.reference_response(small)) == (0, "format")
