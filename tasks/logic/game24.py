"""`Game24`: combine the given numbers, each exactly once, with + − × ÷ and brackets to make a target.

Why this template: the 24-game is one of the logic families of the Kimi K2 Verifiable Rewards
Gym, and the best-known peer scorer for it is exploitable (it never checked the puzzle's numbers
and truncated 24.5 to 24). Here the answer is judged only against the puzzle's own givens, so
every correct expression is accepted and nothing else is (see `_target_puzzle`).

Levels, easiest first (each changes what the puzzle is, not only the size of its numbers):

* classic   — 4 numbers from 1-13, target 24 (the card game; only 1,362 such puzzles exist);
* targets   — 4 numbers from 1-50, a target from 25-300 instead of 24;
* five      — 5 numbers from 1-25, target 24-300;
* large     — 5 numbers from 1-100, target 100-999;
* fractions — 4 numbers from 1-30, target 10-300, and *every* solution passes through a
  non-whole intermediate result (like 8 / (3 - 8 / 3) = 24).

Below the fractions level a fraction is always allowed but never needed (except in the sixteen
classic puzzles such as 3 3 8 8 that need one).

Generation, and what proves it:

* A fixed target (classic): numbers are drawn and `_reach.find` searches every expression
  exactly (exact rationals; the last operation is inverted, so only the memoised value tables of
  pairs and triples are enumerated); unsolvable draws are redrawn.
* Up to 4 numbers and a target range: `_reach.whole_results` lists every target in range
  reachable with whole, non-negative steps, and one is chosen uniformly — an exhaustive
  enumeration, so each target comes with its expression.
* 5 or more numbers: a random expression over all the numbers (`_reach.random_tree`, whole
  non-negative steps) gives the
  target when it is whole, in range and survives `keep_target` (which flattens the walks' lean
  toward small values); that expression is the proof of solvability.
* Fractions only: the whole targets reachable with free arithmetic minus those reachable with
  whole-number steps (both enumerations exhaustive): every solution of what remains needs a
  fraction.
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.registry import register
from vrgym.tasks.logic._reach import COUNTDOWN, FREE, WHOLE, Tree, find, keep_target, random_tree, tidy, whole_results
from vrgym.tasks.logic._target_puzzle import TargetPuzzle, TargetSpec
from vrgym.template import Draft

_MAX_DRAWS = 10_000
EXHAUSTIVE_COUNT = 4
"""Up to this many numbers, targets are drawn from the exhaustive set of reachable ones."""
_WALKS_PER_DRAW = 8
"""Random expressions tried on one draw of numbers before new numbers are drawn."""


class Game24Config(TemplateConfig):
    """How many numbers, from which range, which targets, and whether fractions must be needed."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "classic": dict(count=4, min_number=1, max_number=13, min_target=24, max_target=24),
        "targets": dict(count=4, min_number=1, max_number=50, min_target=25, max_target=300),
        "five": dict(count=5, min_number=1, max_number=25, min_target=24, max_target=300),
        "large": dict(count=5, min_number=1, max_number=100, min_target=100, max_target=999),
        "fractions": dict(count=4, min_number=1, max_number=30, min_target=10, max_target=300, fractions_only=True),
    }
    default_level: ClassVar[str | None] = "classic"

    count: int = Field(4, ge=2, le=6, description="How many numbers are given (each must be used exactly once).")
    min_number: int = Field(1, ge=1, le=1000, description="Smallest number that can be drawn.")
    max_number: int = Field(13, ge=1, le=1000, description="Largest number that can be drawn.")
    min_target: int = Field(24, ge=1, le=100_000, description="Smallest target.")
    max_target: int = Field(24, ge=1, le=100_000, description="Largest target (equal to min_target: a fixed target).")
    fractions_only: bool = Field(False, description="Only puzzles whose every solution has a non-whole intermediate result.")

    @model_validator(mode="after")
    def _coherent(self) -> Game24Config:
        if self.min_number > self.max_number:
            raise ValueError(f"min_number ({self.min_number}) exceeds max_number ({self.max_number})")
        if self.min_target > self.max_target:
            raise ValueError(f"min_target ({self.min_target}) exceeds max_target ({self.max_target})")
        if self.fractions_only and self.count > EXHAUSTIVE_COUNT:
            raise ValueError(f"fractions_only needs an exhaustive search; it supports count <= {EXHAUSTIVE_COUNT}")
        return self


@register
class Game24(TargetPuzzle):
    """Make the target from the given numbers, each exactly once; answer one expression in <answer> tags."""

    name = "Game24"
    version = 0
    domain = "logic"
    tags = ("logic/arithmetic_puzzle", "logic/arithmetic_puzzle/24_game")
    description = "24-game and variants: reach a target using every given number exactly once with + - * / ()."
    Config = Game24Config

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, Game24Config)
        for _ in range(_MAX_DRAWS):
            numbers = tuple(sorted(rng.randint(config.min_number, config.max_number) for _ in range(config.count)))
            found = _instance(rng, numbers, config)
            if found is not None:
                target, solution = found
                return self._draft(TargetSpec(numbers, target, use_all=True, whole_steps=False), solution, config)
        raise RuntimeError(f"Game24: no solvable instance found in {_MAX_DRAWS} draws; widen the config's ranges")

    def _draft(self, spec: TargetSpec, solution: Tree, config: Game24Config) -> Draft:
        shown = ", ".join(str(n) for n in spec.numbers)
        intro = [f"Make {spec.target} from the numbers {shown}."]
        tags = ("logic/arithmetic_puzzle/24_game/fractions",) if config.fractions_only else ()
        return self.draft(spec, solution, intro, tags=tags, metadata={"fractions_only": config.fractions_only})


def _instance(rng: random.Random, numbers: tuple[int, ...], config: Game24Config) -> tuple[int, Tree] | None:
    """(target, solution) for these numbers under `config`, or None to draw again.

    Solutions are preferred with whole, non-negative steps (they read naturally); a positive
    target reachable with whole steps at all is always reachable that way (take absolute values
    node by node), so this preference never loses a target.
    """
    low, high = config.min_target, config.max_target
    if low == high and not config.fractions_only:
        solution = find(numbers, low, COUNTDOWN)
        if solution is None:
            solution = find(numbers, low, FREE)
        return None if solution is None else (low, tidy(solution))
    if config.count <= EXHAUSTIVE_COUNT:
        if config.fractions_only:
            whole = whole_results(numbers, low, high, WHOLE)
            choices = {t: tree for t, tree in whole_results(numbers, low, high, FREE).items() if t not in whole}
        else:
            choices = whole_results(numbers, low, high, COUNTDOWN)
        if not choices:
            return None
        target = rng.choice(sorted(choices))
        return target, tidy(choices[target])
    for _ in range(_WALKS_PER_DRAW):
        value, tree = random_tree(rng, list(numbers), COUNTDOWN)
        if keep_target(rng, value, low, high):
            return value, tidy(tree)
    return None
