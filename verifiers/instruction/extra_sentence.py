"""Sentence-level and first/last-word constraints (`sentence:*`, `first_word:*`, `last_word:*`).

A cap on sentence length, every sentence starting with a given letter or a given word, the
response's first word and its last word. Sentences come from the package's offline splitter
(`split_sentences`), the same one every other checker uses; a title, heading or bullet line is
a sentence of its own there, which is why the "every sentence" kinds conflict with titles and
section headers (their text is fixed by another constraint and cannot be rewritten).

Realisations rewrite prose pieces (prefix a connective such as "Also," that starts with the
required letter or is the required word) or add one own opening / closing sentence.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import Field

from vrgym.verifiers.instruction.base import (
    ORDER_CONTENT,
    ORDER_FORM,
    ORDER_WRAP,
    Constraint,
    ConstraintCheck,
    Params,
    compare_count,
)
from vrgym.verifiers.instruction.draft import ResponseDraft
from vrgym.verifiers.instruction.extra_common import (
    COMBINATION,
    FIXED_LINES,
    END_PHRASE,
    POSTSCRIPT,
    SECTIONS,
    TITLE,
    WHOLE_RESPONSE,
    add_own_sentence,
    alpha_words,
    capitalise,
    decapitalise,
    every_sentence,
    lower_words,
    replace_piece,
    required_texts,
    rewrite_prose,
)
from vrgym.verifiers.instruction.text import count_words, split_sentences

_PREFIX_ROOM = 3
"""Words kept free in every sentence for a connective another kind may prefix ("What is more, …")."""


@dataclass(frozen=True)
class _LongSentenceBan:
    """Ban on pieces with a sentence over the limit, or whose last sentence would merge with the next
    piece in the splitter (it ends in a word the splitter reads as an abbreviation, e.g. "sun.")."""

    max_words: int

    def __call__(self, text: str) -> bool:
        sentences = split_sentences(text)
        if any(count_words(s) > self.max_words for s in sentences):
            return True
        return len(split_sentences(text + " Next one.")) <= len(sentences)


class MaxSentenceWordsParams(Params):
    max_words: int = Field(ge=3, le=500, description="Most `\\w+` words any one sentence may have.")


class MaxSentenceWords(Constraint):
    """`sentence:max_words` — no sentence has more than N words."""

    kind: ClassVar[str] = "sentence:max_words"
    family: ClassVar[str] = "sentence"
    Params = MaxSentenceWordsParams
    realise_order = ORDER_CONTENT
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {
        COMBINATION, "format:markdown_table", "detectable_format:number_highlighted_sections",
    }

    def evaluate(self, response: str) -> ConstraintCheck:
        longest = max((count_words(s) for s in split_sentences(response)), default=0)
        return compare_count(longest, "at most", self.params.max_words, f"longest sentence has {longest} words")

    def describe(self) -> list[str]:
        n = self.params.max_words
        return [
            f"No sentence in your response may be longer than {n} words.",
            f"Keep every sentence to at most {n} words.",
            f"Write short sentences: each one must have {n} words or fewer.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"max_words": rng.randint(12, 14) if edge else rng.randint(18, 30)}

    def clashes_with(self, other: Constraint) -> bool:
        return any(_LongSentenceBan(self.params.max_words)(t) for t in required_texts(other))

    def realise(self, draft: ResponseDraft) -> None:
        ban = _LongSentenceBan(max(self.params.max_words - _PREFIX_ROOM, 3))
        if ban not in draft.bans:
            draft.ban(ban)


_LETTER_OPENERS: dict[str, tuple[str, ...]] = {
    "a": ("Also", "Again", "Above all", "After all", "Additionally"),
    "b": ("Besides", "Beyond that", "Basically", "By the way"),
    "i": ("Indeed", "In short", "In practice", "Ideally"),
    "n": ("Now", "Naturally", "Notably", "Next"),
    "s": ("So", "Still", "Surely", "Similarly"),
    "t": ("Then", "Truly", "To be clear", "Today"),
    "w": ("Well", "Without doubt", "What is more", "Where possible"),
}
_FIRST_ALPHA = re.compile(r"[^\W\d_]")


def first_letter(sentence: str) -> str:
    """The first alphabetic character of a sentence, lower-cased ("" if it has none)."""
    match = _FIRST_ALPHA.search(sentence)
    return match.group(0).lower() if match else ""


def _starts_with_word(sentence: str, word: str) -> bool:
    """Whether the sentence's first alphabetic word, lower-cased, is `word` (given lower-cased)."""
    words = alpha_words(sentence)
    return bool(words) and words[0] == word


def _prefix(sentence: str, opener: str) -> str:
    """`sentence` with a connective in front ("Also, the pile …"), keeping a bullet's text order."""
    return f"{opener}, {decapitalise(sentence)}"


class StartLetterParams(Params):
    letter: str = Field(pattern=r"^[a-z]$", description="The letter every sentence must start with.")


class StartLetter(Constraint):
    """`sentence:start_letter` — every sentence starts with the given letter (first alphabetic character, any case)."""

    kind: ClassVar[str] = "sentence:start_letter"
    family: ClassVar[str] = "sentence"
    Params = StartLetterParams
    realise_order = ORDER_FORM + 3
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | FIXED_LINES | {"first_word:*", "words:no_consecutive_first_letter"}

    def evaluate(self, response: str) -> ConstraintCheck:
        letter = self.params.letter
        return every_sentence(
            response, lambda s: first_letter(s) == letter, passes=f"starts with {letter!r}", fails=f"does not start with {letter!r}"
        )

    def describe(self) -> list[str]:
        letter = self.params.letter.upper()
        return [
            f"Every sentence of your response must start with the letter {letter}.",
            f"Begin each sentence with a word that starts with \"{letter}\".",
            f"All sentences in the reply have to open with the letter {letter} (upper or lower case).",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"letter": rng.choice(sorted(_LETTER_OPENERS))}

    def clashes_with(self, other: Constraint) -> bool:
        return any(t and first_letter(t) != self.params.letter for t in required_texts(other) if other.kind.startswith("startend"))

    def realise(self, draft: ResponseDraft) -> None:
        letter = self.params.letter
        openers = _LETTER_OPENERS.get(letter) or (letter.upper(),)
        turn = iter(range(10**6))

        def rewrite(sentence: str) -> str:
            if first_letter(sentence) == letter:
                return sentence
            start = next(turn)
            options = [_prefix(sentence, openers[(start + k) % len(openers)]) for k in range(len(openers))]
            # An opener must pass the bans too ("In practice" when "practice" is forbidden).
            return next((o for o in options if draft.allowed(o)), options[0])

        rewrite_prose(draft, rewrite)


_SENTENCE_WORDS = ("also", "then", "now", "still", "so", "indeed")


class FirstWordSentencesParams(Params):
    first_word: str = Field(pattern=r"^[A-Za-z]+$", description="The word every sentence must start with.")


class FirstWordSentences(Constraint):
    """`first_word:sentences` — every sentence starts with the given word (case-insensitive)."""

    kind: ClassVar[str] = "first_word:sentences"
    family: ClassVar[str] = "first_word"
    Params = FirstWordSentencesParams
    realise_order = ORDER_FORM + 3
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | FIXED_LINES | {"sentence:start_letter", "words:no_consecutive_first_letter"}

    def evaluate(self, response: str) -> ConstraintCheck:
        word = self.params.first_word.lower()
        return every_sentence(
            response, lambda s: _starts_with_word(s, word), passes=f"starts with {word!r}", fails=f"does not start with {word!r}"
        )

    def describe(self) -> list[str]:
        w = capitalise(self.params.first_word.lower())
        return [
            f"The first word of each sentence should be the word \"{w}\".",
            f"Start every sentence of your response with \"{w}\".",
            f"Each sentence in the reply must begin with the word {w}.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"first_word": rng.choice(_SENTENCE_WORDS)}

    def realise(self, draft: ResponseDraft) -> None:
        word = self.params.first_word.lower()
        opener = capitalise(word)

        def rewrite(sentence: str) -> str:
            return sentence if _starts_with_word(sentence, word) else _prefix(sentence, opener)

        rewrite_prose(draft, rewrite)


_ANSWER_FIRST_WORDS = ("honestly", "overall", "essentially", "simply", "basically", "today", "well", "briefly")


class FirstWordAnswerParams(Params):
    first_word: str = Field(pattern=r"^[A-Za-z]+$", description="The word the response must start with.")


class FirstWordAnswer(Constraint):
    """`first_word:answer` — the response's first word is the given word (case-insensitive, quotes ignored)."""

    kind: ClassVar[str] = "first_word:answer"
    family: ClassVar[str] = "first_word"
    Params = FirstWordAnswerParams
    realise_order = ORDER_WRAP - 4
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {
        COMBINATION, TITLE, SECTIONS, "format:markdown_sections", "format:answer_template", "format:numbered_steps",
        "format:markdown_table", "words:start_end_same", "words:keyword_position", "sentence:start_letter",
        "first_word:sentences",
    }

    def evaluate(self, response: str) -> ConstraintCheck:
        words = lower_words(response)
        first = words[0] if words else ""
        want = self.params.first_word.lower()
        return ConstraintCheck(first == want, f"the response starts with {first!r}; required {want!r}")

    def describe(self) -> list[str]:
        w = capitalise(self.params.first_word.lower())
        return [
            f"Start your response with the word \"{w}\".",
            f"The very first word of your answer must be {w}.",
            f"Begin the reply with \"{w}\" as its first word.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"first_word": rng.choice(_ANSWER_FIRST_WORDS)}

    def clashes_with(self, other: Constraint) -> bool:
        if other.kind == "length_constraints:nth_paragraph_first_word":
            return other.params.nth_paragraph == 1 and other.params.first_word.lower() != self.params.first_word.lower()
        return False

    def realise(self, draft: ResponseDraft) -> None:
        if self.check(draft.render()).ok:
            return
        word = capitalise(self.params.first_word.lower())
        block = draft.blocks[0]
        if block.sentences:
            replace_piece(draft, block, "sentences", 0, f"{word}, {decapitalise(block.sentences[0])}")
        elif block.bullets:
            block.sentences.insert(0, f"{word}, here are the main points.")
        else:
            add_own_sentence(draft, [f"{word}, this is worth a closer look."], block=0, index=0)


_CLOSING_SENTENCES: dict[str, tuple[str, ...]] = {
    "today": ("The best moment to begin with {t} is today.", "A good first step with {t} can be taken today."),
    "together": ("Good results with {t} come when people work together.", "It helps to handle {t} together."),
    "again": ("It is worth coming back to {t} again.", "Most people find themselves thinking about {t} again."),
    "now": ("The right time to pay attention to {t} is now.", "There is no reason to wait with {t}: start now."),
    "soon": ("Small changes to {t} start paying off soon.", "The benefits of {t} usually show up soon."),
    "first": ("Safety and comfort with {t} always come first.", "With {t}, the basics come first."),
    "well": ("With steady effort, {t} tends to go well.", "A little planning makes {t} go well."),
}


class LastWordAnswerParams(Params):
    last_word: str = Field(pattern=r"^[A-Za-z]+$", description="The word the response must end with.")


class LastWordAnswer(Constraint):
    """`last_word:answer` — the response's last word (before any closing punctuation) is the given word."""

    kind: ClassVar[str] = "last_word:answer"
    family: ClassVar[str] = "last_word"
    Params = LastWordAnswerParams
    realise_order = ORDER_WRAP - 4
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {COMBINATION, POSTSCRIPT, END_PHRASE, "words:start_end_same"}

    def evaluate(self, response: str) -> ConstraintCheck:
        words = lower_words(response)
        last = words[-1] if words else ""
        want = self.params.last_word.lower()
        return ConstraintCheck(last == want, f"the response ends with {last!r}; required {want!r}")

    def describe(self) -> list[str]:
        w = self.params.last_word.lower()
        return [
            f"End your response with the word \"{w}\".",
            f"The last word of your answer must be \"{w}\" (punctuation after it is fine).",
            f"Finish the reply so that its final word is {w}.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"last_word": rng.choice(sorted(_CLOSING_SENTENCES))}

    def realise(self, draft: ResponseDraft) -> None:
        if self.check(draft.render()).ok:
            return
        word = self.params.last_word.lower()
        templates = _CLOSING_SENTENCES.get(word, ("That is the last word: {w}.",))
        terms = list(draft.topic_terms) + ["this topic"]
        closings = [capitalise(t.format(t=term, w=word)) for term in terms for t in templates]
        last = draft.blocks[-1]
        if last.bullets:
            closing = next((c for c in closings if draft.allowed(c)), closings[0])
            replace_piece(draft, last, "bullets", len(last.bullets) - 1, f"{last.bullets[-1].rstrip('.')}; {decapitalise(closing)}")
        else:
            add_own_sentence(draft, closings, block=-1)
