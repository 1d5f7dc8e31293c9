"""Count and ratio constraints from IFBench and open-instruct (`count:*`, `ratio:*`).

Word-count ranges, distinct words, coordinating conjunctions, numbers, pronouns, a keyword an
exact number of times, person names, question marks, paragraph-count ranges, the share of stop
words and of distinct words. Words are IFEval's `\\w+` tokens (`count_words`) unless a kind says
"alphabetic words"; every comparison is case-insensitive, because a case transform (all capitals,
all lower case) may be asked for together with any of these.

Realisations: limits that every sentence can satisfy on its own (no digits, stop-word share) are
draft *bans*, so whatever another constraint adds later respects them too; totals (word range,
distinct words) grow or shrink the draft; required material (conjunctions, names, questions,
numbers) comes as own on-topic sentences that are pinned so that shortening keeps them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import Field, field_validator

from vrgym.verifiers.instruction.base import (
    ORDER_CONTENT,
    ORDER_COUNT,
    ORDER_STRUCTURE,
    Constraint,
    ConstraintCheck,
    Params,
    compare_count,
    compare_range,
)
from vrgym.verifiers.instruction.draft import ResponseDraft
from vrgym.verifiers.instruction.extra_common import (
    COMBINATION,
    SECTIONS,
    WHOLE_RESPONSE,
    add_own_sentence,
    alpha_words,
    lower_words,
    own_sentences,
    rotated,
    required_texts,
)
from vrgym.verifiers.instruction.text import count_words, split_paragraphs

# ----------------------------------------------------------------------------- word totals


def word_bounds(constraint: Constraint) -> tuple[int, float] | None:
    """The inclusive word-count interval a length constraint allows (None for other kinds)."""
    p = constraint.params
    if constraint.kind == "length_constraints:number_words":
        return (0, p.num_words - 1) if p.relation == "less than" else (p.num_words, float("inf"))
    if constraint.kind == "count:word_count_range":
        return (p.min_words, p.max_words)
    return None


def max_words_allowed(constraint: Constraint) -> float:
    """The most words `constraint` lets a response have (infinity when it sets no upper limit)."""
    bounds = word_bounds(constraint)
    if bounds is not None:
        return bounds[1]
    if constraint.kind == "length_constraints:number_sentences" and constraint.params.relation == "less than":
        return (constraint.params.num_sentences - 1) * 12
    return float("inf")


def min_words_required(constraint: Constraint) -> float:
    """The least number of words `constraint` forces into a response (0 when it forces none)."""
    bounds = word_bounds(constraint)
    if bounds is not None:
        return bounds[0]
    if constraint.kind == "length_constraints:number_sentences" and constraint.params.relation == "at least":
        return constraint.params.num_sentences * 8
    if constraint.kind == "count:unique_word_count":
        return constraint.params.num_unique
    return 0


class WordCountRangeParams(Params):
    min_words: int = Field(ge=1, le=10_000, description="Least number of words (inclusive).")
    max_words: int = Field(ge=1, le=10_000, description="Greatest number of words (inclusive).")

    @field_validator("max_words")
    @classmethod
    def _ordered(cls, value: int, info: Any) -> int:
        low = info.data.get("min_words")
        if low is not None and value < low:
            raise ValueError(f"max_words ({value}) is below min_words ({low}); give a non-empty range")
        return value


class WordCountRange(Constraint):
    """`count:word_count_range` — between min_words and max_words `\\w+` words, both inclusive."""

    kind: ClassVar[str] = "count:word_count_range"
    family: ClassVar[str] = "count"
    Params = WordCountRangeParams
    realise_order = ORDER_COUNT
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {COMBINATION, "letters:letter_count"}

    def evaluate(self, response: str) -> ConstraintCheck:
        n = count_words(response)
        p = self.params
        return compare_range(n, p.min_words, p.max_words, f"{n} words")

    def describe(self) -> list[str]:
        p = self.params
        return [
            f"Your response must contain between {p.min_words} and {p.max_words} words.",
            f"Write at least {p.min_words} and at most {p.max_words} words.",
            f"Keep the answer within {p.min_words}-{p.max_words} words (both limits included).",
            f"The reply should be no shorter than {p.min_words} words and no longer than {p.max_words} words.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        if edge:  # a narrow window: the draft must land inside a 30-word band
            low = rng.randint(60, 200)
            return {"min_words": low, "max_words": low + 30}
        low = rng.randint(50, 250)
        return {"min_words": low, "max_words": low + rng.randint(60, 250)}

    def clashes_with(self, other: Constraint) -> bool:
        if max_words_allowed(other) < self.params.min_words + 25:
            return True
        bounds = word_bounds(other)
        if bounds is None:
            return False
        low = max(bounds[0], self.params.min_words)
        high = min(bounds[1], self.params.max_words)
        return high - low < 25  # too narrow to land in with whole sentences

    def realise(self, draft: ResponseDraft) -> None:
        p = self.params
        draft.grow(lambda text: count_words(text) >= p.min_words)
        draft.shrink(lambda text: count_words(text) <= p.max_words)


class UniqueWordCountParams(Params):
    num_unique: int = Field(ge=1, le=5000, description="Least number of distinct words (case-insensitive).")


class UniqueWordCount(Constraint):
    """`count:unique_word_count` — at least N distinct `\\w+` words, compared case-insensitively."""

    kind: ClassVar[str] = "count:unique_word_count"
    family: ClassVar[str] = "count"
    Params = UniqueWordCountParams
    realise_order = ORDER_COUNT + 2
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {COMBINATION}

    def evaluate(self, response: str) -> ConstraintCheck:
        n = len(set(lower_words(response)))
        return compare_count(n, "at least", self.params.num_unique, f"{n} distinct words")

    def describe(self) -> list[str]:
        n = self.params.num_unique
        return [
            f"Use at least {n} unique words in your response.",
            f"Your answer must contain {n} or more different words.",
            f"Make sure the vocabulary of the reply includes at least {n} distinct words.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"num_unique": rng.randint(140, 170) if edge else rng.randint(40, 130)}

    def clashes_with(self, other: Constraint) -> bool:
        return max_words_allowed(other) < self.params.num_unique * 2

    def realise(self, draft: ResponseDraft) -> None:
        n = self.params.num_unique
        draft.grow(lambda text: len(set(lower_words(text))) >= n)


# ----------------------------------------------------------------------------- word classes

CONJUNCTIONS: tuple[str, ...] = ("and", "but", "or", "so", "yet", "for", "nor")
"""The coordinating conjunctions (FANBOYS)."""

_CONJUNCTION_SENTENCES: dict[str, tuple[str, ...]] = {
    "and": ("{T} takes time and care.", "Patience and practice both help with {t}."),
    "but": ("{T} can seem hard at first, but it gets easier.", "Progress with {t} is slow, but it is steady."),
    "or": ("A small step or two with {t} is enough to begin.", "Sooner or later {t} rewards the effort."),
    "so": ("Mistakes with {t} are common, so patience helps.", "Habits matter in {t}, so start with one."),
    "yet": ("{T} looks simple, yet it rewards attention.", "Few people plan {t} carefully, yet planning helps."),
    "for": ("Plan ahead with {t}, for small delays add up.", "Be patient with {t}, for good results take time."),
    "nor": ("Neither haste nor neglect helps with {t}.", "Neither cost nor effort should scare anyone away from {t}."),
}


class ConjunctionsParams(Params):
    num_conjunctions: int = Field(ge=1, le=7, description="Least number of different coordinating conjunctions.")


class Conjunctions(Constraint):
    """`count:conjunctions` — at least N *different* coordinating conjunctions (for, and, nor, but, or, yet, so)."""

    kind: ClassVar[str] = "count:conjunctions"
    family: ClassVar[str] = "count"
    Params = ConjunctionsParams
    realise_order = ORDER_CONTENT + 2
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE

    def evaluate(self, response: str) -> ConstraintCheck:
        used = sorted(set(lower_words(response)) & set(CONJUNCTIONS))
        n = self.params.num_conjunctions
        return compare_count(len(used), "at least", n, f"{len(used)} different coordinating conjunctions ({', '.join(used) or 'none'})")

    def describe(self) -> list[str]:
        n = self.params.num_conjunctions
        return [
            f"Use at least {n} different coordinating conjunctions (for, and, nor, but, or, yet, so) in your response.",
            f"Your answer must include {n} or more distinct coordinating conjunctions from: for, and, nor, but, or, yet, so.",
            f"Work at least {n} of the seven coordinating conjunctions (for, and, nor, but, or, yet, so) into the reply.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"num_conjunctions": 7 if edge else rng.randint(2, 5)}

    def clashes_with(self, other: Constraint) -> bool:
        banned = {w.lower() for w in getattr(other.params, "forbidden_words", None) or []}
        return len(set(CONJUNCTIONS) - banned) < self.params.num_conjunctions

    def realise(self, draft: ResponseDraft) -> None:
        for conjunction in CONJUNCTIONS:
            if self.check(draft.render()).ok:
                return
            if conjunction in set(lower_words(draft.render())):
                continue
            add_own_sentence(draft, own_sentences(draft, _CONJUNCTION_SENTENCES[conjunction]))


PRONOUNS: frozenset[str] = frozenset(
    """i me my mine myself you your yours yourself yourselves he him his himself she her hers herself it its
    itself we us our ours ourselves they them their theirs themselves""".split()
)
"""Personal, possessive and reflexive pronouns (the counted ones; "this"/"who" are not)."""

_PRONOUN_SENTENCES: tuple[str, ...] = (
    "You and I both know that it pays to keep {t} in view.",
    "We found that it helps when you keep {t} simple.",
    "They told us that {t} worked well for them.",
    "My own view is that {t} rewards those who give it their time.",
    "She says her approach to {t} saves her a lot of effort.",
    "He keeps his notes on {t} where he can find them.",
    "It is our experience that {t} gets easier once you start.",
    "Your friends may ask you what you think about {t}.",
    "I think you will like {t} once we explain it.",
    "Our own notes on {t} helped us a lot.",
)


class PronounsParams(Params):
    num_pronouns: int = Field(ge=1, le=1000, description="Least number of personal/possessive/reflexive pronouns.")


class Pronouns(Constraint):
    """`count:pronouns` — at least N pronouns (personal, possessive, reflexive), counting repeats."""

    kind: ClassVar[str] = "count:pronouns"
    family: ClassVar[str] = "count"
    Params = PronounsParams
    realise_order = ORDER_CONTENT + 3
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE

    def evaluate(self, response: str) -> ConstraintCheck:
        n = sum(1 for w in lower_words(response) if w in PRONOUNS)
        return compare_count(n, "at least", self.params.num_pronouns, f"{n} pronouns")

    def describe(self) -> list[str]:
        n = self.params.num_pronouns
        return [
            f"The response should include at least {n} pronouns.",
            f"Use {n} or more pronouns (such as I, you, it, we, they, my, their) in your answer.",
            f"Make sure your reply contains no fewer than {n} pronouns.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"num_pronouns": rng.randint(20, 25) if edge else rng.randint(3, 15)}

    def realise(self, draft: ResponseDraft) -> None:
        block = 0
        while not self.check(draft.render()).ok:
            if add_own_sentence(draft, own_sentences(draft, _PRONOUN_SENTENCES), block=block % len(draft.blocks)) is None:
                return
            block += 1


# ----------------------------------------------------------------------------- exact counts

_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_NUMBER_SENTENCES: tuple[str, ...] = (
    "Setting aside {n} minutes for {t} is a sensible start.",
    "A short list of {n} points about {t} keeps things focused.",
    "Even {n} small changes to {t} can add up.",
    "Checking on {t} every {n} days is a useful habit.",
    "Most people need about {n} tries before {t} feels natural.",
    "Writing down {n} questions about {t} makes the next step clearer.",
    "Give {t} about {n} weeks before judging results.",
)


def count_numbers(text: str) -> int:
    """Numbers written with digits ("3", "3.5", "10,000" and "9:30" are one number each)."""
    return sum(1 for _ in _NUMBER.finditer(text))


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


class NumbersParams(Params):
    num_numbers: int = Field(ge=0, le=100, description="Exact number of numbers written with digits.")


class Numbers(Constraint):
    """`count:numbers` — exactly N numbers written with digits (a run like 3.5 or 10,000 is one number)."""

    kind: ClassVar[str] = "count:numbers"
    family: ClassVar[str] = "count"
    Params = NumbersParams
    realise_order = ORDER_CONTENT + 4
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {COMBINATION, SECTIONS, "format:numbered_steps"}

    def evaluate(self, response: str) -> ConstraintCheck:
        n = count_numbers(response)
        return compare_count(n, "exactly", self.params.num_numbers, f"{n} numbers written with digits")

    def describe(self) -> list[str]:
        n = self.params.num_numbers
        if n == 0:
            return [
                "Do not include any numbers written with digits in your response.",
                "Your answer must not contain a single digit.",
                "Write the reply without using any digits (0-9) at all.",
            ]
        return [
            f"Include exactly {n} numbers written with digits in your response.",
            f"Your answer must contain {n} numbers (in digits), no more and no fewer.",
            f"Use digits for exactly {n} numbers in the reply and write no other digits.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"num_numbers": rng.choice([0, 1, 6]) if edge else rng.randint(1, 5)}

    def clashes_with(self, other: Constraint) -> bool:
        return any(_has_digit(t) for t in required_texts(other))

    def realise(self, draft: ResponseDraft) -> None:
        if _has_digit not in draft.bans:
            draft.ban(_has_digit)
        values = iter(range(2, 200))
        while count_numbers(draft.render()) < self.params.num_numbers:
            n = next(values, None)
            if n is None:
                return
            candidates = (s for s in own_sentences(draft, rotated(_NUMBER_SENTENCES, n), n=n) if count_numbers(s) == 1)
            if add_own_sentence(draft, candidates, block=n % len(draft.blocks), ignore=_has_digit) is None:
                return


class KeywordExactParams(Params):
    keyword: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z]+$", description="The word to count.")
    frequency: int = Field(ge=1, le=50, description="Exact number of occurrences as a whole word.")


_KEYWORDS = ("balance", "habit", "detail", "routine", "progress", "effort", "patience", "practice", "clarity", "purpose")
_KEYWORD_SENTENCES: tuple[str, ...] = (
    "With {t}, {w} is what turns a good start into a lasting result.",
    "A little {w} goes a long way with {t}.",
    "The role of {w} in {t} is easy to overlook.",
    "Anyone new to {t} soon learns the value of {w}.",
    "Thinking about {w} makes the picture of {t} more complete.",
    "In the end {w} shapes how {t} turns out.",
)


def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", re.IGNORECASE)


class KeywordExact(Constraint):
    """`count:keyword_exact` — a keyword occurs exactly N times as a whole word (case-insensitive).

    IFEval's `keywords:frequency` counts substrings ("art" in "cart") with "less than"/"at least";
    this kind counts whole words only and requires the exact number.
    """

    kind: ClassVar[str] = "count:keyword_exact"
    family: ClassVar[str] = "count"
    Params = KeywordExactParams
    realise_order = ORDER_CONTENT + 1
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {COMBINATION}

    def evaluate(self, response: str) -> ConstraintCheck:
        n = len(_whole_word(self.params.keyword).findall(response))
        return compare_count(n, "exactly", self.params.frequency, f"{self.params.keyword!r} occurs {n} times as a word")

    def describe(self) -> list[str]:
        w, n = self.params.keyword, self.params.frequency
        times = "once" if n == 1 else "twice" if n == 2 else f"{n} times"
        return [
            f"Use the word \"{w}\" exactly {times} in your response.",
            f"The word {w} must appear {times}, no more and no less.",
            f"Include the keyword '{w}' precisely {times} (as a whole word).",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"keyword": rng.choice(_KEYWORDS), "frequency": rng.choice([1, 6]) if edge else rng.randint(1, 4)}

    def stacks_with(self, other: Constraint) -> bool:
        return other.params.keyword.lower() != self.params.keyword.lower()

    def clashes_with(self, other: Constraint) -> bool:
        pattern = _whole_word(self.params.keyword)
        return other.kind != self.kind and any(pattern.search(t) for t in required_texts(other))

    def realise(self, draft: ResponseDraft) -> None:
        ban = _KeywordBan(self.params.keyword.lower())
        existing = next((b for b in draft.bans if b == ban), None)
        if existing is None:
            draft.ban(ban)
        else:
            ban = existing  # type: ignore[assignment]
        pattern = _whole_word(self.params.keyword)

        def occurrences() -> int:
            return sum(len(pattern.findall(piece)) for piece in draft.text_pieces())

        while occurrences() > self.params.frequency and ban.carriers:
            extra = ban.carriers.pop()
            draft.pinned.discard(extra)
            for block in draft.blocks:
                if extra in block.sentences:
                    block.sentences.remove(extra)
        block = 0
        while occurrences() < self.params.frequency:
            candidates = (s for s in own_sentences(draft, _KEYWORD_SENTENCES, w=self.params.keyword) if len(pattern.findall(s)) == 1)
            sentence = add_own_sentence(draft, candidates, block=block % len(draft.blocks), ignore=ban)
            if sentence is None:
                return
            ban.carriers.add(sentence)
            block += 1


@dataclass
class _KeywordBan:
    """Ban on a keyword everywhere except in the carrier sentences `KeywordExact` added itself."""

    keyword: str
    carriers: set[str] = field(default_factory=set, compare=False)

    def __call__(self, text: str) -> bool:
        return text not in self.carriers and bool(_whole_word(self.keyword).search(text))


# ----------------------------------------------------------------------------- names and questions


class PersonNamesParams(Params):
    names: list[str] = Field(min_length=1, max_length=20, description="Names to choose from.")
    num_names: int = Field(ge=1, le=20, description="Least number of different names from the list to mention.")

    @field_validator("names")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        for name in value:
            if not re.fullmatch(r"[A-Z][a-z]+", name):
                raise ValueError(f"name {name!r} must be one capitalised word such as 'Maria'")
        return value


_NAME_POOL = ("Maria", "Tom", "Aisha", "Kenji", "Lena", "Omar", "Priya", "Jonas", "Sofia", "Diego", "Nadia", "Felix")
_NAME_SENTENCES: tuple[str, ...] = (
    "{names} all shared their own tips about {t}.",
    "Friends such as {names} have their own views on {t}.",
    "When {names} talked about {t}, each had a different story.",
    "{names} offer practical, tested advice regarding {t}.",
)


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class PersonNames(Constraint):
    """`count:person_names` — mention at least N different names from a given list (whole words, any case)."""

    kind: ClassVar[str] = "count:person_names"
    family: ClassVar[str] = "count"
    Params = PersonNamesParams
    realise_order = ORDER_CONTENT + 2
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE

    def _mentioned(self, text: str) -> list[str]:
        present = set(lower_words(text))
        return [name for name in self.params.names if name.lower() in present]

    def evaluate(self, response: str) -> ConstraintCheck:
        found = self._mentioned(response)
        n = self.params.num_names
        return compare_count(len(found), "at least", n, f"{len(found)} of the listed names mentioned ({', '.join(found) or 'none'})")

    def describe(self) -> list[str]:
        n, listed = self.params.num_names, ", ".join(self.params.names)
        return [
            f"Mention at least {n} of these people by name: {listed}.",
            f"Your response must include {n} or more of the following names: {listed}.",
            f"Refer to no fewer than {n} different people from this list: {listed}.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        names = rng.sample(_NAME_POOL, 5)
        return {"names": names, "num_names": 5 if edge else rng.randint(1, 3)}

    def realise(self, draft: ResponseDraft) -> None:
        missing = [n for n in self.params.names if n not in self._mentioned(draft.render())]
        need = self.params.num_names - (len(self.params.names) - len(missing))
        if need <= 0:
            return
        chosen = _join_names(missing[:need])
        add_own_sentence(draft, own_sentences(draft, _NAME_SENTENCES, names=chosen), block=0)


_QUESTION_SENTENCES: tuple[str, ...] = (
    "What makes {t} worth the effort?",
    "Why does {t} matter so much?",
    "How can anyone get started with {t}?",
    "Where does {t} fit into a normal week?",
    "Who benefits most from {t}?",
    "When is the best time to think about {t}?",
    "What is the first step with {t}?",
    "Which habits make {t} easier?",
    "Does {t} really matter?",
    "Can anyone start {t} right away?",
    "Is {t} hard to begin?",
)


def _has_question_mark(text: str) -> bool:
    return "?" in text


class QuestionMarksParams(Params):
    num_questions: int = Field(ge=0, le=100, description="Exact number of question marks (questions) in the response.")


class QuestionMarks(Constraint):
    """`count:question_marks` — exactly N questions, i.e. exactly N `?` characters in the whole response."""

    kind: ClassVar[str] = "count:question_marks"
    family: ClassVar[str] = "count"
    Params = QuestionMarksParams
    realise_order = ORDER_CONTENT + 4
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {COMBINATION, "punctuation:exclamation_end"}

    def evaluate(self, response: str) -> ConstraintCheck:
        n = response.count("?")
        return compare_count(n, "exactly", self.params.num_questions, f"{n} question marks")

    def describe(self) -> list[str]:
        n = self.params.num_questions
        if n == 0:
            return [
                "Do not ask any questions in your response: it must not contain a single question mark.",
                "Write the reply without any question marks.",
                "Avoid questions entirely; no '?' may appear in your answer.",
            ]
        return [
            f"Include exactly {n} questions in your response (exactly {n} question marks).",
            f"Your answer must ask {n} questions, each ending with a question mark, and contain no other question marks.",
            f"Pose precisely {n} rhetorical or direct questions in the reply; use the character '?' exactly {n} times.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"num_questions": rng.choice([0, 5]) if edge else rng.randint(1, 3)}

    def clashes_with(self, other: Constraint) -> bool:
        return any("?" in t for t in required_texts(other))

    def realise(self, draft: ResponseDraft) -> None:
        if _has_question_mark not in draft.bans:
            draft.ban(_has_question_mark)
        block = 0
        while draft.render().count("?") < self.params.num_questions:
            # A question opens its block's prose, so the sentences after it answer it.
            candidates = own_sentences(draft, _QUESTION_SENTENCES)
            if add_own_sentence(draft, candidates, block=block % len(draft.blocks), index=0, ignore=_has_question_mark) is None:
                return
            block += 1


# ----------------------------------------------------------------------------- paragraphs


class ParagraphRangeParams(Params):
    min_paragraphs: int = Field(ge=1, le=100, description="Least number of blank-line paragraphs.")
    max_paragraphs: int = Field(ge=1, le=100, description="Greatest number of blank-line paragraphs.")

    @field_validator("max_paragraphs")
    @classmethod
    def _ordered(cls, value: int, info: Any) -> int:
        low = info.data.get("min_paragraphs")
        if low is not None and value < low:
            raise ValueError(f"max_paragraphs ({value}) is below min_paragraphs ({low}); give a non-empty range")
        return value


class ParagraphRange(Constraint):
    """`count:paragraph_range` — between min and max paragraphs, paragraphs being blocks separated by blank lines."""

    kind: ClassVar[str] = "count:paragraph_range"
    family: ClassVar[str] = "count"
    Params = ParagraphRangeParams
    realise_order = ORDER_STRUCTURE
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {
        COMBINATION, "length_constraints:number_paragraphs", "length_constraints:nth_paragraph_first_word",
        SECTIONS, "format:markdown_sections", "format:answer_template",
    }

    def evaluate(self, response: str) -> ConstraintCheck:
        n = len(split_paragraphs(response))
        p = self.params
        return compare_range(n, p.min_paragraphs, p.max_paragraphs, f"{n} paragraphs separated by blank lines")

    def describe(self) -> list[str]:
        p = self.params
        return [
            f"Write between {p.min_paragraphs} and {p.max_paragraphs} paragraphs, separated by blank lines.",
            f"Your response should have at least {p.min_paragraphs} and at most {p.max_paragraphs} paragraphs (separate paragraphs with an empty line).",
            f"Organise the answer into {p.min_paragraphs}-{p.max_paragraphs} paragraphs divided by blank lines.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        if edge:
            n = rng.choice([1, 6])
            return {"min_paragraphs": n, "max_paragraphs": n}
        low = rng.randint(2, 4)
        return {"min_paragraphs": low, "max_paragraphs": low + rng.randint(1, 3)}

    def realise(self, draft: ResponseDraft) -> None:
        p = self.params
        draft.paragraph_separator = "\n\n"
        draft.fixed_paragraphs = True
        current = len([b for b in draft.blocks if not b.is_empty()])
        target = min(max(current, p.min_paragraphs), p.max_paragraphs)
        if draft.title is not None or draft.prefix_lines:
            pass  # they render on the first block's first line, so they add no paragraph
        draft.set_block_count(target)
        if not self.check(draft.render()).ok:
            draft.set_block_count(p.min_paragraphs)


# ----------------------------------------------------------------------------- ratios

STOP_WORDS: frozenset[str] = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being am it its this
    that these those he she they we you i me my our your their his her them us him do does did doing done not
    no so than then there here which who whom whose what when where why how all any each few more most other
    some such only own same too very can will just should would could may might must shall into over under
    again further once about against between through during before after above below up down out off also
    while because until both nor yet has have had having itself myself yourself ourselves themselves""".split()
)
"""A compact English stop-word list (function words), used by `ratio:stop_words`."""


def stop_word_share(text: str) -> tuple[int, int]:
    """(stop words, words) among the alphabetic lower-cased words of `text`."""
    tokens = alpha_words(text)
    return sum(1 for w in tokens if w in STOP_WORDS), len(tokens)


class StopWordsParams(Params):
    max_percent: int = Field(ge=1, le=100, description="Greatest share of stop words, in percent of all words.")


class StopWords(Constraint):
    """`ratio:stop_words` — stop words make up at most p% of the (alphabetic) words."""

    kind: ClassVar[str] = "ratio:stop_words"
    family: ClassVar[str] = "ratio"
    Params = StopWordsParams
    realise_order = ORDER_CONTENT
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {COMBINATION, "count:pronouns", "count:conjunctions"}

    def evaluate(self, response: str) -> ConstraintCheck:
        stops, total = stop_word_share(response)
        if total == 0:
            return ConstraintCheck(False, "no words to measure")
        share = 100 * stops / total
        return compare_count(share, "at most", self.params.max_percent, f"stop words are {share:.1f}% of {total} words", unit="%")

    def describe(self) -> list[str]:
        p = self.params.max_percent
        return [
            f"Keep stop words (such as the, a, of, and, is) to at most {p}% of the words in your response.",
            f"No more than {p}% of your words may be stop words like 'the', 'and' or 'of'.",
            f"Write densely: function words (the, of, to, is, and …) must make up {p}% or less of the reply.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"max_percent": rng.randint(38, 42) if edge else rng.randint(45, 60)}

    def realise(self, draft: ResponseDraft) -> None:
        ban = _StopWordBan(self.params.max_percent)
        if ban not in draft.bans:
            draft.ban(ban)


@dataclass(frozen=True)
class _StopWordBan:
    """Ban on sentences whose own stop-word share is above the limit (so any mix of them is below it)."""

    max_percent: int

    def __call__(self, text: str) -> bool:
        stops, total = stop_word_share(text)
        return total > 0 and 100 * stops > self.max_percent * total


class UniqueWordsRatioParams(Params):
    min_percent: int = Field(ge=1, le=100, description="Least share of distinct words among all words, in percent.")


class UniqueWordsRatio(Constraint):
    """`ratio:unique_words` — distinct words are at least p% of all `\\w+` words (case-insensitive)."""

    kind: ClassVar[str] = "ratio:unique_words"
    family: ClassVar[str] = "ratio"
    Params = UniqueWordsRatioParams
    realise_order = ORDER_COUNT + 6
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {COMBINATION, "count:unique_word_count", "copy:repeat_phrase"}

    def evaluate(self, response: str) -> ConstraintCheck:
        tokens = lower_words(response)
        if not tokens:
            return ConstraintCheck(False, "no words to measure")
        share = 100 * len(set(tokens)) / len(tokens)
        return compare_count(share, "at least", self.params.min_percent, f"distinct words are {share:.1f}% of {len(tokens)} words", unit="%")

    def describe(self) -> list[str]:
        p = self.params.min_percent
        return [
            f"At least {p}% of the words in your response must be unique (counted case-insensitively).",
            f"Avoid repeating yourself: distinct words should make up {p}% or more of all words.",
            f"Keep the ratio of different words to total words at {p}% or higher.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"min_percent": rng.randint(66, 70) if edge else rng.randint(45, 62)}

    def clashes_with(self, other: Constraint) -> bool:
        return min_words_required(other) > 120

    def realise(self, draft: ResponseDraft) -> None:
        draft.shrink(lambda text: self.check(text).ok)
