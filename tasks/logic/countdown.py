"""`Countdown`: reach a target from given numbers with + − × ÷ and brackets (the TV numbers game).

Why this template: the numbers game is a classic arithmetic-search puzzle with many valid answers
per instance, exactly the case where a verifier must check the puzzle's own givens rather than
compare strings. Its peer scorer once accepted numbers that were not given; here the judge
(`_target_puzzle.judge`) checks the multiset of numbers, the rules and the exact value.

Variants, set by config and stated in the prompt:

* `each_number`: "at_most_once" (the TV rule: leave numbers out if you like) or "exactly_once";
* `whole_steps`: every intermediate result must be a whole number that is not negative (the TV
  rule). The verifier enforces it on the expression *as written*, evaluated in the usual order;
* `deck`: numbers dealt like the show (two each of 1-10, one each of 25, 50, 75, 100, with
  `min_large`-`max_large` large ones) or drawn uniformly from `min_number`-`max_number`;
* `min_needed`: no solution uses fewer numbers than this (a lone given number or one operation on
  two of them never hits the target when it is 3) — proved by exhaustive search of every smaller
  sub-multiset (`_reach.find_using_at_most`).

Levels, easiest first: easy (4 numbers 1-50, target 10-200, fractions allowed), medium (5 numbers
1-50, target 50-500, fractions allowed, no one-step answers), classic (the TV game: 6 dealt
numbers with 0-3 large ones, target 100-999, whole non-negative steps; the default), exact (the
same but every number used exactly once), expert (7 numbers from 1-100, target 100-9999, exactly
once, whole steps). "Four large" hands are left out of the default deal (`max_large=4` allows
them): only 55 such hands exist, so they would repeat puzzles.

Generation: numbers are dealt, then a random expression over a random selection of them (all of
them when every number must be used) is built (`_reach.random_tree`) with whole, non-negative
steps, so it is valid under either rule (with free arithmetic a fraction is allowed, never
needed). Its value becomes the target when it is in range, survives the `keep_target`
flattening of the walks' lean toward small values, and the `min_needed` search finds no shorter
solution. The expression is the proof that the instance is solvable, and it is the reference.
"""

from __future__ import annotations

import random
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.registry import register
from vrgym.tasks.logic._reach import COUNTDOWN, FREE, Tree, find_using_at_most, keep_target, leaves, random_tree, tidy
from vrgym.tasks.logic._target_puzzle import TargetPuzzle, TargetSpec
from vrgym.template import Draft

SMALL_DECK = tuple(n for n in range(1, 11) for _ in range(2))
"""The show's small numbers: two cards each of 1-10."""
LARGE_DECK = (25, 50, 75, 100)
"""The show's large numbers."""
_MAX_ATTEMPTS = 10_000


class CountdownConfig(TemplateConfig):
    """Which numbers, which targets, how numbers may be used and what intermediate results may be."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(count=4, deck=False, min_number=1, max_number=50, min_target=10, max_target=200,
                     each_number="at_most_once", whole_steps=False, min_needed=2),
        "medium": dict(count=5, deck=False, min_number=1, max_number=50, min_target=50, max_target=500,
                       each_number="at_most_once", whole_steps=False, min_needed=3),
        "classic": dict(count=6, deck=True, min_large=0, max_large=3, min_target=100, max_target=999,
                        each_number="at_most_once", whole_steps=True, min_needed=3),
        "exact": dict(count=6, deck=True, min_large=0, max_large=3, min_target=100, max_target=999,
                      each_number="exactly_once", whole_steps=True, min_needed=3),
        "expert": dict(count=7, deck=False, min_number=1, max_number=100, min_target=100, max_target=9999,
                       each_number="exactly_once", whole_steps=True, min_needed=3),
    }  # fmt: skip
    default_level: ClassVar[str | None] = "classic"

    count: int = Field(6, ge=2, le=8, description="How many numbers are given.")
    deck: bool = Field(True, description="Deal like the show (two each of 1-10; 25, 50, 75, 100) instead of a range.")
    min_large: int = Field(0, ge=0, le=4, description="Fewest large numbers dealt (deck only).")
    max_large: int = Field(3, ge=0, le=4, description="Most large numbers dealt (deck only).")
    min_number: int = Field(1, ge=1, le=10_000, description="Smallest number drawn (range only).")
    max_number: int = Field(100, ge=1, le=10_000, description="Largest number drawn (range only).")
    min_target: int = Field(100, ge=1, le=1_000_000, description="Smallest target.")
    max_target: int = Field(999, ge=1, le=1_000_000, description="Largest target.")
    each_number: Literal["at_most_once", "exactly_once"] = Field("at_most_once", description="How often each number is used.")
    whole_steps: bool = Field(True, description="Every intermediate result must be a whole number, not negative.")
    min_needed: int = Field(3, ge=1, le=4, description="No solution uses fewer numbers than this (proved by search).")

    @model_validator(mode="after")
    def _coherent(self) -> CountdownConfig:
        if self.min_target > self.max_target:
            raise ValueError(f"min_target ({self.min_target}) exceeds max_target ({self.max_target})")
        if self.min_needed > self.count:
            raise ValueError(f"min_needed ({self.min_needed}) exceeds count ({self.count})")
        if self.deck:
            if self.min_large > self.max_large:
                raise ValueError(f"min_large ({self.min_large}) exceeds max_large ({self.max_large})")
            if self.min_large > self.count or self.count - self.min_large > len(SMALL_DECK):
                raise ValueError(f"cannot deal {self.count} numbers with {self.min_large}-{self.max_large} large ones")
        elif self.min_number > self.max_number:
            raise ValueError(f"min_number ({self.min_number}) exceeds max_number ({self.max_number})")
        return self


@register
class Countdown(TargetPuzzle):
    """Reach the target from the given numbers; answer one expression in <answer> tags."""

    name = "Countdown"
    version = 0
    domain = "logic"
    tags = ("logic/arithmetic_puzzle", "logic/arithmetic_puzzle/countdown")
    description = "Countdown numbers game: reach a target with + - * / () using given numbers at most / exactly once."
    Config = CountdownConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, CountdownConfig)
        use_all = config.each_number == "exactly_once"
        rules = COUNTDOWN if config.whole_steps else FREE
        for _ in range(_MAX_ATTEMPTS):
            numbers = deal(rng, config)
            chosen = numbers if use_all else rng.sample(numbers, rng.randint(config.min_needed, config.count))
            value, tree = random_tree(rng, chosen, COUNTDOWN)  # natural steps, valid under either rule
            if not keep_target(rng, value, config.min_target, config.max_target):
                continue
            spec = TargetSpec(tuple(sorted(numbers)), value, use_all=use_all, whole_steps=config.whole_steps)
            shorter = find_using_at_most(spec.numbers, value, rules, max_count=config.min_needed - 1)
            if shorter is not None:
                continue  # a solution with fewer numbers exists
            return self._draft(spec, tidy(tree), config)
        raise RuntimeError(f"Countdown: no instance found in {_MAX_ATTEMPTS} attempts; widen the config's ranges")

    def _draft(self, spec: TargetSpec, solution: Tree, config: CountdownConfig) -> Draft:
        intro = [
            "Countdown numbers game: reach the target from the given numbers.",
            "",
            f"Numbers: {', '.join(str(n) for n in spec.numbers)}",
            f"Target: {spec.target}",
        ]
        tags = [f"logic/arithmetic_puzzle/countdown/{config.each_number}"]
        if config.whole_steps:
            tags.append("logic/arithmetic_puzzle/countdown/whole_steps")
        return self.draft(spec, solution, intro, tags=tuple(tags), metadata={"numbers_in_solution": len(leaves(solution))})


def deal(rng: random.Random, config: CountdownConfig) -> list[int]:
    """The numbers of one round, in dealing order."""
    if not config.deck:
        return [rng.randint(config.min_number, config.max_number) for _ in range(config.count)]
    large = rng.randint(config.min_large, min(config.max_large, config.count))
    return rng.sample(LARGE_DECK, large) + rng.sample(SMALL_DECK, config.count - large)

