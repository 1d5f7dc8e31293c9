"""What the generated riddles share: narrowing a universe to one answer, and judging an answer by its clues.

A riddle (`NumberRiddle`, `WordRiddle`) is a target drawn from a finite universe (the numbers with
k digits, the bundled word list) and a list of clues, each a JSON dict such as
`{"kind": "digit_sum", "value": 14}`. Generation (`narrow`) takes clues that are true of the target,
in random order, and keeps a clue only if it removes at least one of the candidates still standing;
it stops when the target is the only one left. That filtering over the *whole* universe is the
uniqueness proof: when `narrow` returns, exactly one member satisfies every clue. Clues that remove
nothing (implied by earlier ones) never appear, so every clue is informative when it is added.

Verification (`clue_verdict`) does not compare with the stored target: it checks that the answer
is a member of the universe and satisfies every clue, with each clue's outcome in `checks`. The
uniqueness proof makes this equivalent to equality with the target; checking the clues keeps the
verifier honest if a riddle were ever generated with two answers, and its feedback says which clue
an answer breaks without revealing the answer.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence, Sized
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from vrgym.verdict import WRONG_ANSWER, Verdict

T = TypeVar("T")
Clue = dict[str, Any]


@dataclass(frozen=True)
class Riddle(Generic[T]):
    """A target, the clues that single it out (in prompt order), and the survivors after each clue.

    `stages[0]` is the universe and `stages[i]` what survived the first i clues in the order they were
    applied (before the prompt's shuffle); the last stage is `[target]`. Members that fall at a late
    stage satisfy most clues: good distractors.
    """

    target: T
    clues: list[Clue]
    stages: list[Any]


def narrow(pool: Iterable[Clue], universe: Sized, keep: Callable[[Clue, Any], Any], max_clues: int) -> tuple[list[Clue], list[Any]]:
    """Clues taken from `pool` in order while each shrinks the survivors of `universe`; and the stages.

    `keep(clue, survivors)` returns the survivors that satisfy `clue` (a list comprehension, or a
    vectorised filter over an array). Stops as soon as one survivor is left or `max_clues` are taken.
    The stages are the universe and the survivors after each clue taken (see `Riddle.stages`).
    """
    clues: list[Clue] = []
    stages: list[Any] = [universe]
    for clue in pool:
        kept = keep(clue, stages[-1])
        if len(kept) == len(stages[-1]):
            continue  # implied by the clues already taken (or true of everything): says nothing new
        clues.append(clue)
        stages.append(kept)
        if len(kept) <= 1 or len(clues) >= max_clues:
            break
    return clues, stages


def draw_riddle(
    rng: random.Random,
    draw_target: Callable[[random.Random], T],
    clue_pool: Callable[[random.Random, T], list[Clue]],
    universe: Sized,
    keep: Callable[[Clue, Any], Any],
    min_clues: int,
    max_clues: int,
    attempts: int = 500,
) -> Riddle[T]:
    """A target and `min_clues`..`max_clues` clues that single it out in `universe` (proved by `narrow`).

    The clues come back in random order. A draw whose pool runs out, or that needs fewer or more
    clues than allowed, is thrown away and redrawn with a new target; RuntimeError after `attempts`
    failures (a config that cannot be met).
    """
    for _ in range(attempts):
        target = draw_target(rng)
        clues, stages = narrow(clue_pool(rng, target), universe, keep, max_clues)
        if len(stages[-1]) == 1 and list(stages[-1]) == [target] and len(clues) >= min_clues:
            shown = list(clues)
            rng.shuffle(shown)
            return Riddle(target, shown, stages)
    raise RuntimeError(f"no riddle with {min_clues} to {max_clues} clues found in {attempts} attempts; allow more clues or more kinds")


def near_misses(rng: random.Random, riddle: Riddle[T], n: int) -> list[T]:
    """Up to `n` members other than the target, those that survived the most clues first (ties at random)."""
    found: list[T] = []
    for before, after in zip(reversed(riddle.stages[:-1]), reversed(riddle.stages[1:])):
        survived = set(after)
        fallen = [member for member in before if member not in survived]
        found += rng.sample(fallen, min(len(fallen), n - len(found)))
        if len(found) >= n:
            break
    return found


def numbered(lines: Sequence[str]) -> str:
    """Clues as a numbered list, one a line."""
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))


def clue_verdict(clues: Sequence[Clue], value: Any, holds: Callable[[Clue, Any], bool], answer: str) -> Verdict:
    """Reward 1 iff `value` satisfies every clue; `checks` records each clue, the detail names the broken ones."""
    checks = {f"clue_{i}": bool(holds(clue, value)) for i, clue in enumerate(clues, 1)}
    broken = [name.removeprefix("clue_") for name, ok in checks.items() if not ok]
    if not broken:
        return Verdict.correct(checks=checks, answer=answer)
    return Verdict.fail(WRONG_ANSWER, f"the answer breaks clue {', '.join(broken)}", checks=checks, answer=answer)


def known_kinds(kinds: Sequence[str], known: Iterable[str]) -> tuple[str, ...]:
    """Config validation shared by the riddle templates: the clue kinds, deduplicated, all known."""
    unknown = sorted(set(kinds) - set(known))
    if unknown:
        raise ValueError(f"unknown clue kinds {unknown}; known kinds: {sorted(known)}")
    return tuple(dict.fromkeys(kinds))


def check_clue_range(min_clues: int, max_clues: int) -> None:
    """Config validation shared by the riddle templates: a non-empty range of clue counts."""
    if min_clues > max_clues:
        raise ValueError(f"min_clues ({min_clues}) exceeds max_clues ({max_clues})")
