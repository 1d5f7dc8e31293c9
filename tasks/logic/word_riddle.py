"""`WordRiddle`: pick the one word of a list that satisfies generated letter clues.

Why this template: word riddles are the other half of the Kimi K2 riddle family. Copied riddles
are memorised; these are generated from the bundled word list (`vrgym.tasks.logic.data`) with clues
a program can check: letters at positions, letter counts, vowels, double letters, alphabetical
order, letter sums ("its letters' alphabet positions add up to 52").

Generation: a target word is drawn and clues true of it are drawn at random and kept while each
removes words, until the target is the only word of the *whole* bundled list that satisfies them
(`vrgym.tasks.logic.riddles.narrow`; the tests repeat the filtering on many seeds). A model cannot
know our word list, so the prompt shows candidates in alphabetical order: the target and the words
that survived the most clues during the narrowing (`riddles.near_misses`), so that every clue is
needed to tell them apart. Uniqueness over the whole list implies uniqueness among the candidates.

Levels change the clue kinds, the word lengths and the number of candidates:

* easy — 6 candidates, 3-5 letters; length, first/last letter, a letter at a position, contains;
* medium — 10 candidates, 4-6 letters; adds vowel counts, letter counts, double letters, distinct letters;
* hard — 16 candidates, 4-7 letters; no clue names a position: counts, letter sets, alphabetical order;
* expert — 24 candidates, 4-8 letters; no length clue, adds "all its letters are among …" and letter sums;
* master — 40 candidates, 5-8 letters; only counting clues, letter sets, sums and alphabetical order.

Answer: the word between `<answer>` tags, ASCII letters only, case-insensitive. It scores 1 iff it
is one of the listed candidates (so a word of the bundled list) and satisfies every clue, checked
clue by clue against the problem's own clues.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

from pydantic import Field, field_validator, model_validator

from vrgym.config import TemplateConfig
from vrgym.problem import Problem
from vrgym.registry import register
from vrgym.tasks.logic.data import words
from vrgym.tasks.logic.riddles import Clue, check_clue_range, clue_verdict, draw_riddle, known_kinds, near_misses, numbered
from vrgym.template import Draft, Template
from vrgym.verdict import FORMAT, WRONG_ANSWER, Verdict
from vrgym.verifiers.extraction import AnswerFormat
from vrgym.verifiers.text import ascii_upper

VOWELS = frozenset("AEIOU")
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
TIMES = {1: "exactly once", 2: "exactly twice", 3: "exactly three times"}
NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight")
_WORD = re.compile(r"[A-Za-z]+")
NEGATIVE_KEEP = 0.4
"""Chance that a clue saying what the word is *not* enters the pool (such clues remove little)."""


def letter_sum(word: str) -> int:
    """Sum of the alphabet positions of the letters (A = 1 … Z = 26)."""
    return sum(ord(c) - 64 for c in word)


def _has_double(word: str) -> bool:
    return any(a == b for a, b in zip(word, word[1:]))


def _times(count: int) -> str:
    return TIMES.get(count, f"exactly {count} times")


def _letters(letters: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return letters[0] if len(letters) == 1 else f"{', '.join(letters[:-1])} and {letters[-1]}"


@dataclass(frozen=True, eq=False)
class Facts:
    """What the clues ask about a word, computed once per word (one object per word: compared by identity)."""

    word: str
    letters: frozenset[str]
    counts: dict[str, int]
    vowels: int
    double: bool
    total: int


@lru_cache(maxsize=4096)
def facts(word: str) -> Facts:
    """The facts of an upper-case `word` (cached: the bundled words are checked again and again)."""
    counts: dict[str, int] = {}
    for char in word:
        counts[char] = counts.get(char, 0) + 1
    return Facts(word, frozenset(word), counts, sum(counts.get(v, 0) for v in VOWELS), _has_double(word), letter_sum(word))


@dataclass(frozen=True)
class Kind:
    """One kind of clue: when it holds, how it reads, and which clues of this kind are true of a word."""

    test: Callable[[Clue, Facts], bool]
    say: Callable[[Clue], str]
    draw: Callable[[random.Random, str], list[Clue]]


def _presence(rng: random.Random, w: str) -> list[Clue]:
    absent = [c for c in ALPHABET if c not in w]
    return [{"letter": rng.choice(w), "present": True}, {"letter": rng.choice(absent), "present": False}]


def _count(rng: random.Random, w: str) -> list[Clue]:
    repeated = sorted({c for c in w if w.count(c) >= 2})
    letter = rng.choice(repeated) if repeated else rng.choice(w)
    return [{"letter": letter, "count": w.count(letter)}]


def _contains_all(rng: random.Random, w: str) -> list[Clue]:
    distinct = sorted(set(w))
    return [{"letters": sorted(rng.sample(distinct, min(len(distinct), rng.randint(2, 3))))}] if len(distinct) >= 2 else []


def _only_letters(rng: random.Random, w: str) -> list[Clue]:
    others = [c for c in ALPHABET if c not in w]
    return [{"letters": sorted(set(w) | set(rng.sample(others, rng.randint(2, 4))))}]


def _ends(rng: random.Random, w: str) -> list[Clue]:
    return [{"later": w[0] > w[-1]}] if w[0] != w[-1] else []


def _alphabetical(rng: random.Random, w: str) -> list[Clue]:
    other = rng.choice(words())
    return [{"word": other, "after": w > other}] if other != w else []


KINDS: dict[str, Kind] = {
    "length": Kind(
        lambda c, f: len(f.word) == c["value"],
        lambda c: f"It has {c['value']} letters.",
        lambda rng, w: [{"value": len(w)}],
    ),
    "starts_with": Kind(
        lambda c, f: f.word[:1] == c["letter"],
        lambda c: f"It starts with {c['letter']}.",
        lambda rng, w: [{"letter": w[0]}],
    ),
    "ends_with": Kind(
        lambda c, f: f.word[-1:] == c["letter"],
        lambda c: f"It ends with {c['letter']}.",
        lambda rng, w: [{"letter": w[-1]}],
    ),
    "letter_at": Kind(
        lambda c, f: f.word[c["position"] : c["position"] + 1] == c["letter"],
        lambda c: f"Its {ORDINALS[c['position']]} letter is {c['letter']}.",
        lambda rng, w: [{"position": p, "letter": w[p]} for p in range(1, len(w) - 1)],
    ),
    "contains": Kind(
        lambda c, f: (c["letter"] in f.letters) == c["present"],
        lambda c: f"It {'contains' if c['present'] else 'does not contain'} the letter {c['letter']}.",
        _presence,
    ),
    "letter_count": Kind(
        lambda c, f: f.counts.get(c["letter"], 0) == c["count"],
        lambda c: f"It contains the letter {c['letter']} {_times(c['count'])}.",
        _count,
    ),
    "vowels": Kind(
        lambda c, f: f.vowels == c["value"],
        lambda c: f"It contains exactly {NUMBERS[c['value']]} vowel{'s' * (c['value'] != 1)} (counting every A, E, I, O and U; Y is not a vowel).",
        lambda rng, w: [{"value": sum(ch in VOWELS for ch in w)}],
    ),
    "distinct_letters": Kind(
        lambda c, f: len(f.letters) == c["value"],
        lambda c: f"It is written with exactly {NUMBERS[c['value']]} different letters.",
        lambda rng, w: [{"value": len(set(w))}],
    ),
    "double_letter": Kind(
        lambda c, f: f.double == c["value"],
        lambda c: "It has a double letter (the same letter twice in a row)." if c["value"] else "It has no double letter (no letter twice in a row).",
        lambda rng, w: [{"value": _has_double(w)}],
    ),
    "contains_all": Kind(
        lambda c, f: f.letters.issuperset(c["letters"]),
        lambda c: f"It contains each of the letters {_letters(c['letters'])}.",
        _contains_all,
    ),
    "only_letters": Kind(
        lambda c, f: f.letters.issubset(c["letters"]),
        lambda c: f"Every letter of it is one of {_letters(c['letters'])} (not all of these need to be used).",
        _only_letters,
    ),
    "ends_compare": Kind(
        lambda c, f: f.word[0] != f.word[-1] and (f.word[0] > f.word[-1]) == c["later"],
        lambda c: f"Its first letter comes {'later' if c['later'] else 'earlier'} in the alphabet than its last letter.",
        _ends,
    ),
    "alphabetical": Kind(
        lambda c, f: f.word != c["word"] and (f.word > c["word"]) == c["after"],
        lambda c: f"It comes {'after' if c['after'] else 'before'} {c['word']} in alphabetical order.",
        _alphabetical,
    ),
    "letter_sum": Kind(
        lambda c, f: f.total == c["value"],
        lambda c: f"The alphabet positions of its letters (A = 1, B = 2, …, Z = 26) add up to {c['value']}.",
        lambda rng, w: [{"value": letter_sum(w)}],
    ),
}  # fmt: skip
"""Every kind of clue. A clue is `{"kind": name, **parameters}`; `draw` gives clues true of the word."""


def holds(clue: Clue, word: str) -> bool:
    """Whether the upper-case `word` satisfies `clue`."""
    return KINDS[clue["kind"]].test(clue, facts(word))


def describe(clue: Clue) -> str:
    """The clue as an English sentence."""
    return KINDS[clue["kind"]].say(clue)


def keep_words(clue: Clue, survivors: list[Facts]) -> list[Facts]:
    """The words of `survivors` (as their facts) that satisfy `clue`."""
    test = KINDS[clue["kind"]].test
    return [word for word in survivors if test(clue, word)]


@lru_cache(maxsize=1)
def universe() -> list[Facts]:
    """The facts of every bundled word, in file order: what riddles are narrowed over."""
    return [facts(word) for word in words()]


@lru_cache(maxsize=64)
def targets(shortest: int, longest: int) -> list[Facts]:
    """The facts of the bundled words with `shortest` to `longest` letters."""
    return [f for f in universe() if shortest <= len(f.word) <= longest]


def _is_negative(clue: Clue) -> bool:
    return clue.get("present") is False or (clue["kind"] == "double_letter" and not clue["value"])


def explain(clue: Clue, word: str) -> str:
    """A short check showing that `word` satisfies `clue` (for reference responses)."""
    kind = clue["kind"]
    if kind == "letter_sum":
        return " + ".join(f"{c}={ord(c) - 64}" for c in word) + f" = {letter_sum(word)}."
    if kind == "vowels":
        return f"The vowels of {word} are {', '.join(c for c in word if c in VOWELS) or 'none'}."
    if kind == "distinct_letters":
        return f"The letters of {word} are {', '.join(sorted(set(word)))}."
    if kind == "length":
        return f"{word} has {len(word)} letters."
    return f"{word}: yes."


# --------------------------------------------------------------------------------------- template

POSITIONAL = ("length", "starts_with", "ends_with", "letter_at", "contains")
COUNTING = ("vowels", "letter_count", "double_letter", "distinct_letters")
SETS = ("contains", "contains_all", "ends_compare", "alphabetical")


class WordRiddleConfig(TemplateConfig):
    """Word lengths, clue kinds, clue count and candidates shown; each level sets them."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(min_length=3, max_length=6, kinds=POSITIONAL, min_clues=3, max_clues=4, candidates=6),
        "medium": dict(min_length=4, max_length=6, kinds=POSITIONAL + COUNTING, min_clues=3, max_clues=5, candidates=10),
        "hard": dict(min_length=4, max_length=7, kinds=("length",) + COUNTING + SETS, min_clues=3, max_clues=6, candidates=16),
        "expert": dict(
            min_length=4, max_length=8, kinds=COUNTING + SETS + ("only_letters", "letter_sum"), min_clues=3, max_clues=6,
            candidates=24,
        ),
        "master": dict(
            min_length=5, max_length=8, kinds=COUNTING + SETS[1:] + ("only_letters", "letter_sum"), min_clues=4, max_clues=7,
            candidates=40,
        ),
    }  # fmt: skip
    default_level: ClassVar[str | None] = "medium"

    min_length: int = Field(4, ge=2, le=8, description="Shortest target word.")
    max_length: int = Field(6, ge=2, le=8, description="Longest target word.")
    kinds: tuple[str, ...] = Field(POSITIONAL + COUNTING, min_length=1, description="Kinds of clue that may be drawn.")
    min_clues: int = Field(3, ge=1, le=20, description="Fewest clues in one riddle (riddles solved by fewer are redrawn).")
    max_clues: int = Field(5, ge=1, le=20, description="Most clues in one riddle.")
    candidates: int = Field(10, ge=2, le=200, description="Words listed in the prompt, the answer among them.")

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, kinds: tuple[str, ...]) -> tuple[str, ...]:
        return known_kinds(kinds, KINDS)

    @model_validator(mode="after")
    def _ranges(self) -> WordRiddleConfig:
        if self.min_length > self.max_length:
            raise ValueError(f"min_length ({self.min_length}) exceeds max_length ({self.max_length})")
        check_clue_range(self.min_clues, self.max_clues)
        if not any(self.min_length <= len(w) <= self.max_length for w in words()):
            raise ValueError(f"the word list has no word of {self.min_length}-{self.max_length} letters")
        return self


@register
class WordRiddle(Template):
    """Pick the one listed word that satisfies generated letter clues; answer it between <answer> tags."""

    name = "WordRiddle"
    version = 0
    domain = "logic"
    tags = ("logic/riddle", "logic/riddle/word")
    description = "Generated word riddles: the one word of a list that satisfies every letter clue."
    Config = WordRiddleConfig
    answer_format = AnswerFormat.TAG

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, WordRiddleConfig)
        choices = targets(config.min_length, config.max_length)

        def pool(rng: random.Random, target: Facts) -> list[Clue]:
            clues = [{"kind": kind, **params} for kind in config.kinds for params in KINDS[kind].draw(rng, target.word)]
            clues = [c for c in clues if not _is_negative(c) or rng.random() < NEGATIVE_KEEP]
            rng.shuffle(clues)
            return clues

        riddle = draw_riddle(rng, lambda r: r.choice(choices), pool, universe(), keep_words, config.min_clues, config.max_clues)
        target, clues = riddle.target.word, riddle.clues
        candidates = sorted([target, *(f.word for f in near_misses(rng, riddle, config.candidates - 1))])
        lines = [
            "Which word of the list below is described by every one of these clues?",
            "",
            numbered([describe(c) for c in clues]),
            "",
            f"The words: {', '.join(candidates)}.",
            "",
            "Exactly one of the listed words satisfies every clue. Answer with that word alone (case is not checked).",
            self.answer_format.instruction,
        ]
        return Draft(
            prompt="\n".join(lines),
            answer={"word": target},
            metadata={"clues": clues, "candidates": candidates, "kinds": sorted({c["kind"] for c in clues})},
        )

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        if _WORD.fullmatch(answer) is None:
            return Verdict.fail(FORMAT, "the answer must be one word of letters A-Z, nothing else", answer=answer)
        word = ascii_upper(answer)
        if word not in problem.metadata["candidates"]:
            return Verdict.fail(WRONG_ANSWER, "the answer is not one of the listed words", answer=answer)
        return clue_verdict(list(problem.metadata["clues"]), word, holds, answer)

    def reference_response(self, problem: Problem) -> str:
        word = str(problem.answer["word"])
        clues = list(problem.metadata["clues"])
        lines = [f"Checking the listed words against the clues, only {word} satisfies all of them:"]
        lines += [f"{i}. {describe(clue)} {explain(clue, word)}" for i, clue in enumerate(clues, 1)]
        lines.append(self.answer_format.wrap(word))
        return "\n".join(lines)
