"""`Sudoku`: fill a 4×4, 6×6 or 9×9 grid so every row, column and box holds each digit once.

Why this template: Sudoku is one of the logic families of the Kimi K2 Verifiable Rewards Gym, and
a clean case of a puzzle whose answer is checked by the puzzle's own rules rather than by
comparison with a stored string.

Generation (`_sudoku_solver`): a random full grid (random boxes completed by a randomised
search), then clues removed in random order while the puzzle stays solvable with the techniques
its level allows. Every puzzle has exactly one solution — proved while carving (each removal
keeps a logical solution, or a search finds no second solution) and proved again by a solution
counter that stops at two. The levels differ in structure, not only in numbers:

* `size` — 4 (2×2 boxes), 6 (2×3 boxes) or 9 (3×3 boxes); the box shape follows from the size;
* `technique` — the hardest kind of step the puzzle *needs*, rated by a logical solver that
  always uses the simplest technique available: `naked_single` (a cell with one candidate left),
  `hidden_single` (a digit with one place left in a row, column or box), `intersection_subset`
  (locked candidates, naked/hidden pairs and triples), or `search` (none of these finish it:
  trial and error is needed). A puzzle at a level needs exactly that tier, no less;
* the clue count, as a fraction of the cells.

Levels, easiest first: mini (4×4, naked singles, 7-10 clues), small (6×6, hidden singles, 9-12),
easy (9×9, naked singles, 33-43), medium (hidden singles, 26-30), hard (intersections and
subsets, 22-28), expert (search, 21-27). Small grids are not offered harder tiers: no 4×4 puzzle
among thousands carved needed more than naked singles, and 6×6 ones beyond hidden singles are
too rare to generate (about 3% of minimal puzzles need search, none intersections or subsets).

Verification: the single `<answer>` is parsed strictly by `vrgym.verifiers.grid` (N rows of N
digits 1..N; spaces, `|` and separator lines forgiven, nothing else) and checked by the rules:
every given kept, every row, column and box a permutation of 1..N. It is never compared with the
stored solution — with a unique puzzle the two coincide, but the rules are the contract.
"""

from __future__ import annotations

import math
import random
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.problem import Problem
from vrgym.registry import register
from vrgym.tasks.logic._sudoku_solver import TIERS, Geometry, geometry, make_puzzle
from vrgym.template import Draft, Template
from vrgym.verdict import FORMAT, WRONG_ANSWER, Verdict
from vrgym.verifiers.extraction import AnswerFormat
from vrgym.verifiers.grid import format_digit_grid, parse_digit_grid

Technique = Literal["naked_single", "hidden_single", "intersection_subset", "search"]

TECHNIQUES_BY_SIZE: dict[int, tuple[str, ...]] = {
    4: ("naked_single",),
    6: ("naked_single", "hidden_single"),
    9: TIERS,
}
"""The tiers each size can be generated at."""

CLUE_LIMITS: dict[tuple[int, str], tuple[int, int]] = {
    (4, "naked_single"): (4, 15),
    (6, "naked_single"): (9, 35),
    (6, "hidden_single"): (8, 14),
    (9, "naked_single"): (23, 80),
    (9, "hidden_single"): (21, 36),
    (9, "intersection_subset"): (21, 30),
    (9, "search"): (20, 30),
}
"""(size, tier) → (fewest, most) clues of the puzzles carving makes at that tier (measured on
hundreds of puzzles each; rarer counts exist). A config's clue range must overlap it; generation
is fast only well inside it."""

BLANK = "."

_TECHNIQUE_WORDS = {
    "naked_single": "naked singles",
    "hidden_single": "hidden singles",
    "locked_candidates": "locked candidates",
    "naked_pair": "naked pairs",
    "hidden_pair": "hidden pairs",
    "naked_triple": "naked triples",
    "hidden_triple": "hidden triples",
}


class SudokuConfig(TemplateConfig):
    """Grid size, the technique the puzzle must need, and the share of cells given as clues."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "mini": dict(size=4, technique="naked_single", min_clues_fraction=0.4375, max_clues_fraction=0.625),
        "small": dict(size=6, technique="hidden_single", min_clues_fraction=0.25, max_clues_fraction=0.34),
        "easy": dict(size=9, technique="naked_single", min_clues_fraction=0.40, max_clues_fraction=0.54),
        "medium": dict(size=9, technique="hidden_single", min_clues_fraction=0.32, max_clues_fraction=0.38),
        "hard": dict(size=9, technique="intersection_subset", min_clues_fraction=0.27, max_clues_fraction=0.35),
        "expert": dict(size=9, technique="search", min_clues_fraction=0.25, max_clues_fraction=0.34),
    }
    default_level: ClassVar[str | None] = "easy"

    size: Literal[4, 6, 9] = Field(9, description="Grid side: 4 (2×2 boxes), 6 (2×3 boxes) or 9 (3×3 boxes).")
    technique: Technique = Field(
        "naked_single", description="The hardest kind of step the puzzle needs (exactly this tier, no easier)."
    )
    min_clues_fraction: float = Field(0.40, gt=0, le=1, description="Fewest clues, as a fraction of the cells.")
    max_clues_fraction: float = Field(0.54, gt=0, lt=1, description="Most clues, as a fraction of the cells.")

    @property
    def clue_range(self) -> tuple[int, int]:
        """(fewest, most) clues for this size."""
        cells = self.size * self.size
        return math.ceil(self.min_clues_fraction * cells - 1e-9), math.floor(self.max_clues_fraction * cells + 1e-9)

    @model_validator(mode="after")
    def _feasible(self) -> SudokuConfig:
        if self.technique not in TECHNIQUES_BY_SIZE[self.size]:
            raise ValueError(
                f"a {self.size}×{self.size} sudoku cannot be made to need {self.technique}; "
                f"choose one of {list(TECHNIQUES_BY_SIZE[self.size])}"
            )
        low, high = self.clue_range
        if high >= self.size * self.size:
            raise ValueError(f"max_clues_fraction {self.max_clues_fraction} leaves no empty cell; use less than 1")
        if low > high:
            raise ValueError(
                f"min_clues_fraction {self.min_clues_fraction} and max_clues_fraction {self.max_clues_fraction} "
                f"leave no whole number of clues for {self.size * self.size} cells"
            )
        fewest, most = CLUE_LIMITS[(self.size, self.technique)]
        if high < fewest or low > most:
            raise ValueError(
                f"{low}-{high} clues is outside what {self.size}×{self.size} puzzles needing {self.technique} have "
                f"({fewest}-{most}); adjust the clue fractions"
            )
        return self


def render_grid(geo: Geometry, grid: list[int]) -> str:
    """The grid with `.` for blanks, `|` between boxes and a separator line between bands."""
    n, bc, br = geo.size, geo.box_cols, geo.box_rows
    lines = []
    for row in range(n):
        cells = [str(grid[row * n + col]) if grid[row * n + col] else BLANK for col in range(n)]
        segments = [" ".join(cells[start : start + bc]) for start in range(0, n, bc)]
        if row and row % br == 0:
            lines.append("-+-".join("-" * len(segment) for segment in segments))
        lines.append(" | ".join(segments))
    return "\n".join(lines)


def broken_units(geo: Geometry, rows: list[list[int]]) -> dict[str, list[int]]:
    """Rows, columns and boxes (1-based) that do not hold each digit 1..N exactly once."""
    n = geo.size
    flat = [digit for row in rows for digit in row]
    wanted = set(range(1, n + 1))
    broken: dict[str, list[int]] = {"rows": [], "columns": [], "boxes": []}
    for index, unit in enumerate(geo.units):
        if {flat[cell] for cell in unit} != wanted:
            broken[("rows", "columns", "boxes")[index // n]].append(index % n + 1)
    return broken


@register
class Sudoku(Template):
    """Solve a 4×4, 6×6 or 9×9 Sudoku with a unique solution; answer the full grid in <answer> tags."""

    name = "Sudoku"
    version = 0
    domain = "logic"
    tags = ("logic/sudoku",)
    description = "Sudoku 4×4 / 6×6 / 9×9, unique solution, levels by clue count and techniques needed."
    Config = SudokuConfig
    answer_format = AnswerFormat.TAG

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, SudokuConfig)
        geo = geometry(config.size)
        low, high = config.clue_range
        tier = TIERS.index(config.technique)
        puzzle = make_puzzle(rng, geo, tier, low, high)
        n = geo.size
        return Draft(
            prompt=self._prompt(geo, puzzle.grid),
            answer={"solution": _row_strings(n, puzzle.solution)},
            metadata={
                "size": n,
                "box": [geo.box_rows, geo.box_cols],
                "givens": _row_strings(n, puzzle.grid),
                "clues": puzzle.clues,
                "technique": puzzle.rating.tier_name,
                "steps": dict(puzzle.rating.steps),
            },
            tags=(f"logic/sudoku/{n}x{n}", f"logic/sudoku/{puzzle.rating.tier_name}"),
        )

    def _prompt(self, geo: Geometry, grid: list[int]) -> str:
        n, br, bc = geo.size, geo.box_rows, geo.box_cols
        placeholder = "\n".join(" ".join("d" * n) for _ in range(n))
        return "\n".join(
            [
                f"Solve this {n}×{n} Sudoku. Fill every empty cell with a digit from 1 to {n} so that every row, "
                f"every column and every one of the {n} boxes of {br}×{bc} cells ({br} rows by {bc} columns, "
                f"outlined by | and - below) contains each digit from 1 to {n} exactly once. "
                "The given digits stay as they are. The puzzle has exactly one solution.",
                "",
                f'Empty cells are shown as "{BLANK}":',
                "",
                render_grid(geo, grid),
                "",
                f"Answer with the completed grid: {n} lines, one per row from top to bottom, each holding that row's "
                f"{n} digits separated by single spaces, inside the answer tags and with nothing else in them. "
                "The syntax, with each d standing for a digit:",
                f"<answer>\n{placeholder}\n</answer>",
            ]
        )

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        geo = geometry(int(problem.metadata["size"]))
        parsed = parse_digit_grid(answer, geo.size)
        if parsed.rows is None:
            return Verdict.fail(FORMAT, parsed.error, answer=answer)
        rows = parsed.rows
        changed = [
            f"r{r + 1}c{c + 1}"
            for r, line in enumerate(problem.metadata["givens"])
            for c, given in enumerate(str(line))
            if given != BLANK and int(given) != rows[r][c]
        ]
        broken = broken_units(geo, rows)
        checks = {"givens_kept": not changed, **{kind: not numbers for kind, numbers in broken.items()}}
        if all(checks.values()):
            return Verdict.correct(checks=checks, answer=answer)
        problems = [f"given digits changed at {', '.join(changed[:6])}"] if changed else []
        problems += [f"{kind} {', '.join(map(str, numbers))} repeat a digit" for kind, numbers in broken.items() if numbers]
        return Verdict.fail(WRONG_ANSWER, "; ".join(problems), checks=checks, answer=answer)

    def reference_response(self, problem: Problem) -> str:
        steps = problem.metadata["steps"]
        assert isinstance(steps, dict)
        used = [f"{_TECHNIQUE_WORDS[name]} ×{count}" for name, count in steps.items() if name in _TECHNIQUE_WORDS]
        if problem.metadata["technique"] == "search":
            how = (
                f"Logic first: {', '.join(used) or 'nothing'}. Then it stalls, so I pick a cell with two candidates, "
                "try one, and drop the branches that run into a contradiction until one completion remains."
            )
        else:
            how = f"Filling cells by {', '.join(used)} completes the grid without guessing."
        solution = [[int(d) for d in row] for row in problem.answer["solution"]]
        return f"{how}\n\n<answer>\n{format_digit_grid(solution)}\n</answer>"


def _row_strings(n: int, grid: list[int]) -> list[str]:
    return ["".join(str(d) if d else BLANK for d in grid[row * n : (row + 1) * n]) for row in range(n)]
