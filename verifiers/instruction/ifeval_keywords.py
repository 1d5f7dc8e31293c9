"""IFEval's four `keywords:*` kinds: existence, frequency, forbidden_words, letter_frequency.

Strict IFEval semantics, kept for compatibility of the basic check:

* existence / frequency match the keyword case-insensitively *as a substring* ("art" is found in
  "cart"); the keyword is escaped, so a keyword with regex characters means itself;
* forbidden_words match with `\\b` word boundaries (so "dogs" slips past "dog");
* letter_frequency counts one letter in the lower-cased response.

The substring and plural loopholes are closed by the hack-check layer (`hackcheck`), not here:
changing these checkers would make IFEval-written datasets score differently.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

from pydantic import Field, field_validator

from vrgym.verifiers.instruction.base import (
    ORDER_CONTENT,
    RELATION_DESCRIPTION,
    RELATIONS,
    Constraint,
    ConstraintCheck,
    Params,
    Relation,
    SampleContext,
    compare_count,
)
from vrgym.verifiers.instruction.draft import ResponseDraft
from vrgym.verifiers.instruction.text import count_letter

KEYWORD_POOL: tuple[str, ...] = tuple(
    """balance budget calendar careful community comfort detail effort evidence example experience
    flexible future garden habit history honest idea journey kitchen language lesson local market
    memory method morning network neighbour notebook patience pattern planning practice priority
    progress quality question reason record resource routine safety season shared simple skill
    station strategy summary support surface thoughtful timeline travel trust value weather window
    winter""".split()
)
"""Everyday words that fit naturally into most writing tasks (keywords and forbidden words)."""

_LETTER_WORDS: tuple[str, ...] = tuple(
    """quality question queue quiz quilt zone puzzle dozen prize size zero breeze zebra box taxi index
    expert example exercise relax journey joy jacket juice project object kitchen kettle knife book
    village visit valley vision vote river weekend window water winter wood yard year yoga yellow
    habit hotel home hope garden gift gold fabric fresh coffee market module number paper plan table
    tree soil road radio idea island cloud data urban""".split()
)
"""Nouns covering every letter a-z, the last resort to raise a letter's count (the task's own
sentences that use the letter come first)."""

_RARE_LETTERS = "jqxz"


@lru_cache(maxsize=4096)
def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """Case-insensitive substring pattern of a keyword (IFEval's existence/frequency rule)."""
    return re.compile(re.escape(keyword), re.IGNORECASE)


@lru_cache(maxsize=4096)
def word_pattern(word: str) -> re.Pattern[str]:
    """Case-insensitive whole-word pattern (IFEval's forbidden_words rule)."""
    return re.compile(r"\b" + re.escape(word) + r"\b", re.IGNORECASE)


def task_words(rng: random.Random, context: SampleContext, count: int) -> list[str] | None:
    """`count` distinct words of the task's own vocabulary (None when it has too few): a keyword
    the answer would use anyway reads naturally, and banning one is a real constraint."""
    vocabulary = list(context.vocabulary()[:40])
    return rng.sample(vocabulary, count) if len(vocabulary) >= count + 3 else None


@dataclass(frozen=True)
class ForbiddenWordBan:
    """Ban on a forbidden word and its longer inflections ("skills" for "skill"), exactly the
    forms the checker and the hack-check's inflection rule reject."""

    word: str

    def __call__(self, text: str) -> bool:
        from vrgym.verifiers.instruction.hack_constraints import forbidden_inflection

        return bool(word_pattern(self.word).search(text)) or forbidden_inflection(text, [self.word]) is not None


def _listing(items: list[str]) -> str:
    quoted = [f'"{w}"' for w in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def required_texts(constraint: Constraint) -> list[str]:
    """Words or phrases another constraint forces into the response (for clash detection)."""
    p = constraint.params.model_dump()
    out: list[str] = []
    if constraint.kind == "keywords:existence":
        out.extend(p["keywords"])
    elif constraint.kind == "keywords:frequency" and p["relation"] == "at least":
        out.append(p["keyword"])
    for key in ("end_phrase", "first_word", "prompt_to_repeat", "postscript_marker", "phrase"):
        if isinstance(p.get(key), str):
            out.append(p[key])
    span = getattr(constraint, "span", None)  # copy:copy_span: the part of the request it copies
    if isinstance(span, str):
        out.append(span)
    return out


class KeywordListKind(Constraint):
    """A kind parameterised by a list of words the answer must use or must avoid (`keyword_field`).

    Both IFEval list kinds draw 1-3 words (5 at the edge) the same way: from the task's own
    vocabulary when a `SampleContext` has enough of it, else from `KEYWORD_POOL`.
    """

    keyword_field: ClassVar[str]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {cls.keyword_field: rng.sample(KEYWORD_POOL, 5 if edge else rng.randint(1, 3))}

    @classmethod
    def contextual_params(cls, rng: random.Random, *, edge: bool = False, context: SampleContext) -> dict[str, Any]:
        words = task_words(rng, context, 5 if edge else rng.randint(1, 3))
        return {cls.keyword_field: words} if words else cls.sample_params(rng, edge=edge)


class ExistenceParams(Params):
    keywords: list[str] = Field(min_length=1, max_length=20, description="Keywords that must all appear.")

    @field_validator("keywords")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if any(not k.strip() for k in value):
            raise ValueError("keywords must be non-empty strings")
        return value


class KeywordExistence(KeywordListKind):
    """`keywords:existence` — every keyword occurs (case-insensitive substring)."""

    kind: ClassVar[str] = "keywords:existence"
    family: ClassVar[str] = "keywords"
    Params = ExistenceParams
    keyword_field = "keywords"
    ifeval = True
    realise_order = ORDER_CONTENT
    conflicts: ClassVar[frozenset[str]] = frozenset({"language:response_language", "detectable_format:constrained_response"})

    def evaluate(self, response: str) -> ConstraintCheck:
        missing = [k for k in self.params.keywords if not keyword_pattern(k).search(response)]
        if missing:
            return ConstraintCheck(False, f"missing keywords: {', '.join(missing)}")
        return ConstraintCheck(True, f"all {len(self.params.keywords)} keywords present")

    def describe(self) -> list[str]:
        words = _listing(self.params.keywords)
        return [
            f"Include the keywords {words} in the response.",
            f"Make sure your answer uses the words {words}.",
            f"Your reply must mention {words}.",
            f"Work the following keywords into your response: {words}.",
        ]

    def realise(self, draft: ResponseDraft) -> None:
        for keyword in self.params.keywords:
            if not keyword_pattern(keyword).search(draft.render()):
                draft.add_sentence(keyword, block=0, pin=True)


class FrequencyParams(Params):
    keyword: str = Field(min_length=1, description="The keyword to count (case-insensitive substring).")
    frequency: int = Field(ge=1, le=1000, description="Occurrence threshold.")
    relation: Relation = Field(description=RELATION_DESCRIPTION)


class KeywordFrequency(Constraint):
    """`keywords:frequency` — the keyword occurs less than / at least N times (substring matches)."""

    kind: ClassVar[str] = "keywords:frequency"
    family: ClassVar[str] = "keywords"
    Params = FrequencyParams
    ifeval = True
    realise_order = ORDER_CONTENT + 1
    conflicts: ClassVar[frozenset[str]] = frozenset({"language:response_language", "detectable_format:constrained_response"})

    def evaluate(self, response: str) -> ConstraintCheck:
        p = self.params
        n = len(keyword_pattern(p.keyword).findall(response))
        return compare_count(n, p.relation, p.frequency, f"{p.keyword!r} occurs {n} times")

    def describe(self) -> list[str]:
        p = self.params
        if p.relation == "less than":
            if p.frequency == 1:
                return [
                    f'Do not use the word "{p.keyword}" at all.',
                    f'The word "{p.keyword}" must not appear anywhere in your reply.',
                    f'Avoid "{p.keyword}" completely (zero occurrences).',
                ]
            return [
                f'In your response, the word "{p.keyword}" should appear less than {p.frequency} times.',
                f'Use "{p.keyword}" fewer than {p.frequency} times.',
                f'Mention "{p.keyword}" at most {p.frequency - 1} times.',
            ]
        return [
            f'In your response, the word "{p.keyword}" should appear at least {p.frequency} times.',
            f'Use the word "{p.keyword}" {p.frequency} or more times.',
            f'Make sure "{p.keyword}" shows up no fewer than {p.frequency} times.',
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        keyword = rng.choice(KEYWORD_POOL)
        if edge:
            return rng.choice([
                {"keyword": keyword, "relation": "less than", "frequency": 1},
                {"keyword": keyword, "relation": "at least", "frequency": rng.randint(5, 7)},
            ])
        return {"keyword": keyword, "relation": rng.choice(RELATIONS), "frequency": rng.randint(1, 4)}

    @classmethod
    def contextual_params(cls, rng: random.Random, *, edge: bool = False, context: SampleContext) -> dict[str, Any]:
        params = cls.sample_params(rng, edge=edge)
        words = task_words(rng, context, 1)
        return {**params, "keyword": words[0]} if words else params

    def stacks_with(self, other: Constraint) -> bool:
        return other.params.keyword.lower() != self.params.keyword.lower()

    def clashes_with(self, other: Constraint) -> bool:
        if self.params.relation != "less than":
            return False
        needle = self.params.keyword.lower()
        return any(needle in text.lower() for text in required_texts(other))

    def realise(self, draft: ResponseDraft) -> None:
        p = self.params
        pattern = keyword_pattern(p.keyword)
        if p.relation == "at least":
            for _ in range(p.frequency + 5):
                if len(pattern.findall(draft.render())) >= p.frequency:
                    return
                if draft.add_sentence(p.keyword, block=0, pin=True) is None:
                    return
            return
        while len(pattern.findall(draft.render())) >= p.frequency:
            if not _drop_matching(draft, pattern):
                break
        if len(pattern.findall(draft.render())) + 1 >= p.frequency:
            draft.ban(lambda text, pattern=pattern: bool(pattern.search(text)))


def _drop_matching(draft: ResponseDraft, pattern: re.Pattern[str]) -> bool:
    """Remove the last unpinned sentence or bullet matching `pattern`; False if there is none."""
    for block in reversed(draft.blocks):
        for items in (block.bullets, block.sentences):
            for i in range(len(items) - 1, -1, -1):
                if items[i] not in draft.pinned and pattern.search(items[i]):
                    del items[i]
                    if block.is_empty() or (not block.sentences and not block.bullets):
                        draft.add_sentence(block=draft.blocks.index(block))
                    return True
    return False


class ForbiddenParams(Params):
    forbidden_words: list[str] = Field(min_length=1, max_length=50, description="Words that must not appear as whole words.")


class ForbiddenWords(KeywordListKind):
    """`keywords:forbidden_words` — none of the words appears as a whole word (case-insensitive)."""

    kind: ClassVar[str] = "keywords:forbidden_words"
    family: ClassVar[str] = "keywords"
    Params = ForbiddenParams
    keyword_field = "forbidden_words"
    ifeval = True
    realise_order = ORDER_CONTENT - 1
    conflicts: ClassVar[frozenset[str]] = frozenset({"language:response_language", "detectable_format:constrained_response"})

    def evaluate(self, response: str) -> ConstraintCheck:
        found = [w for w in self.params.forbidden_words if word_pattern(w).search(response)]
        if found:
            return ConstraintCheck(False, f"forbidden words used: {', '.join(found)}")
        return ConstraintCheck(True, "no forbidden word used")

    def describe(self) -> list[str]:
        words = _listing(self.params.forbidden_words)
        return [
            f"Do not include the keywords {words} in the response.",
            f"Avoid using the words {words} anywhere in your answer.",
            f"Your reply must not contain {words}.",
        ]

    def clashes_with(self, other: Constraint) -> bool:
        required = required_texts(other)
        return any(word_pattern(w).search(text) for w in self.params.forbidden_words for text in required)

    def realise(self, draft: ResponseDraft) -> None:
        for word in self.params.forbidden_words:
            ban = ForbiddenWordBan(word)
            if ban not in draft.bans:
                draft.ban(ban)


class LetterFrequencyParams(Params):
    letter: str = Field(min_length=1, max_length=1, description="One letter a-z (compared lower-cased).")
    let_frequency: int = Field(ge=1, le=10_000, description="Occurrence threshold.")
    let_relation: Relation = Field(description=RELATION_DESCRIPTION)

    @field_validator("letter")
    @classmethod
    def _ascii_letter(cls, value: str) -> str:
        value = value.strip().lower()
        if not ("a" <= value <= "z"):
            raise ValueError("letter must be one of a-z")
        return value


class LetterFrequency(Constraint):
    """`keywords:letter_frequency` — one letter occurs less than / at least N times (case-insensitive)."""

    kind: ClassVar[str] = "keywords:letter_frequency"
    family: ClassVar[str] = "keywords"
    Params = LetterFrequencyParams
    ifeval = True
    realise_order = ORDER_CONTENT + 2
    conflicts: ClassVar[frozenset[str]] = frozenset({"detectable_format:constrained_response", "language:response_language"})

    def evaluate(self, response: str) -> ConstraintCheck:
        p = self.params
        n = count_letter(response, p.letter)
        return compare_count(n, p.let_relation, p.let_frequency, f"letter {p.letter!r} occurs {n} times")

    def describe(self) -> list[str]:
        p = self.params
        if p.let_relation == "less than":
            return [
                f"In your response, the letter {p.letter} should appear less than {p.let_frequency} times.",
                f"Use the letter '{p.letter}' fewer than {p.let_frequency} times in total.",
                f"Keep the number of '{p.letter}' letters in your answer below {p.let_frequency}.",
            ]
        return [
            f"In your response, the letter {p.letter} should appear at least {p.let_frequency} times.",
            f"Use the letter '{p.letter}' {p.let_frequency} or more times.",
            f"The letter '{p.letter}' must occur no fewer than {p.let_frequency} times in your reply.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        if rng.random() < 0.5:
            letter = rng.choice(_RARE_LETTERS)
            return {"letter": letter, "let_relation": "less than", "let_frequency": 1 if edge else rng.randint(2, 10)}
        letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
        return {"letter": letter, "let_relation": "at least", "let_frequency": rng.randint(20, 30) if edge else rng.randint(3, 15)}

    def stacks_with(self, other: Constraint) -> bool:
        return other.params.letter != self.params.letter

    def clashes_with(self, other: Constraint) -> bool:
        if self.params.let_relation != "less than":
            return False
        letter = self.params.letter
        return sum(text.lower().count(letter) for text in required_texts(other)) >= self.params.let_frequency

    def realise(self, draft: ResponseDraft) -> None:
        p = self.params
        if p.let_relation == "at least":
            words = [w for w in _LETTER_WORDS if p.letter in w]
            used = 0
            for _ in range(p.let_frequency + 10):
                if count_letter(draft.render(), p.letter) >= p.let_frequency:
                    return
                # The task's own sentences richest in the letter first, then nouns holding it.
                own = draft.source_sentence(lambda s: p.letter in s.lower(), key=lambda s: -s.lower().count(p.letter))
                if own is not None:
                    draft.blocks[-1].sentences.append(own)
                    draft.pinned.add(own)
                    continue
                if draft.add_sentence(words[used % len(words)], pin=True) is None:
                    return
                used += 1
            return
        letter = p.letter
        pattern = re.compile(re.escape(letter), re.IGNORECASE)
        draft.ban(lambda text: letter in text.lower())
        while count_letter(draft.render(), letter) >= p.let_frequency:
            if not _drop_matching(draft, pattern):
                break
