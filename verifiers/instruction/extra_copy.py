"""Copy and repeat constraints (`copy:*`, IFBench's copy family).

* `copy:repeat_phrase` — repeat a given phrase exactly N times, changing one word each time (and a
  different one-word change every time). Repetition is the point here, so the hack-check's loop and
  diversity guards are switched off for it (`implied_allow` grants "repetition" to any kind whose id
  holds `repeat_phrase`); the relevance floor and the content floor still apply to the rest.
* `copy:copy_span` — copy a span of the request, given as word positions ("words 3 to 9 of my
  request"), verbatim into the response. The model must find the span itself; the checker has the
  text. The request comes to `sample` through the `SampleContext`. The echo check stays on: a span
  of the request is a small part of a real answer, and a response that is mostly the prompt is
  still off-task.

Checkers are linear: a phrase of k words becomes k-2 regular expressions with one free middle word.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import Any, ClassVar

from pydantic import Field, field_validator, model_validator

from vrgym.verifiers.instruction.base import ORDER_CONTENT, Constraint, ConstraintCheck, Params, SampleContext
from vrgym.verifiers.instruction.draft import ResponseDraft
from vrgym.verifiers.instruction.extra_common import (
    COMBINATION,
    WHOLE_RESPONSE,
    add_own_sentence,
    capitalise,
    required_texts,
)

# --------------------------------------------------------------------------- repeat a phrase

_PHRASES: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("small steps lead to big results", 4, ("steady", "lasting", "real", "better", "clear", "solid", "visible", "good")),
    ("every good plan starts with a question", 1, ("clear", "honest", "simple", "useful", "careful", "bold", "modest", "solid")),
    ("patience turns effort into progress", 2, ("practice", "focus", "care", "time", "planning", "routine", "feedback", "rest")),
    ("a clear head makes better choices", 1, ("calm", "rested", "steady", "curious", "open", "patient", "quiet", "focused")),
    ("the right habit changes the whole day", 2, ("routine", "choice", "question", "walk", "meal", "plan", "break", "attitude")),
    ("good questions open new doors", 3, ("hidden", "better", "wider", "many", "old", "locked", "quiet", "unexpected")),
)
"""Phrases of 5-7 words, the middle word the reference changes, and words that fit in its place."""


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z']+", text)


@lru_cache(maxsize=256)
def _variant_patterns(phrase: str) -> tuple[tuple[int, re.Pattern[str]], ...]:
    """(position, pattern) for each middle word of `phrase`: the phrase with that word free."""
    words = _words(phrase)
    out = []
    for i in range(1, len(words) - 1):
        parts = [re.escape(w) for w in words]
        parts[i] = r"([A-Za-z']+)"
        out.append((i, re.compile(r"(?<![A-Za-z'])" + r"\s+".join(parts) + r"(?![A-Za-z'])", re.IGNORECASE)))
    return tuple(out)


def phrase_variants(text: str, phrase: str) -> list[tuple[int, str]]:
    """(position, new word) of every occurrence of `phrase` in `text` with exactly one middle word
    changed (the first and last words stay, as in IFBench), in order of appearance."""
    words = [w.lower() for w in _words(phrase)]
    found: list[tuple[int, int, str]] = []
    for position, pattern in _variant_patterns(phrase):
        for match in pattern.finditer(text):
            word = match.group(1).lower()
            if word != words[position]:
                found.append((match.start(), position, word))
    return [(position, word) for _, position, word in sorted(found)]


class RepeatPhraseParams(Params):
    phrase: str = Field(min_length=1, max_length=200, description="The phrase to repeat (at least 3 words).")
    small_n: int = Field(ge=1, le=20, description="How many changed repetitions the response must hold.")

    @field_validator("phrase")
    @classmethod
    def _three_words(cls, value: str) -> str:
        if len(_words(value)) < 3:
            raise ValueError("the phrase needs at least 3 words (one middle word changes each time)")
        return value


class RepeatPhrase(Constraint):
    """`copy:repeat_phrase` — the phrase appears exactly N times, each time with one (different)
    middle word replaced; the unchanged phrase does not count."""

    kind: ClassVar[str] = "copy:repeat_phrase"
    family: ClassVar[str] = "copy"
    Params = RepeatPhraseParams
    realise_order = ORDER_CONTENT + 6
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {
        COMBINATION, "words:word_repeats", "ratio:unique_words", "count:unique_word_count",
        "letters:*", "keywords:letter_frequency", "words:no_consecutive_first_letter", "words:alliteration",
        "count:keyword_exact", "ratio:stop_words",
    }

    def evaluate(self, response: str) -> ConstraintCheck:
        p = self.params
        variants = phrase_variants(response, p.phrase)
        distinct = len(set(variants))
        if len(variants) != p.small_n:
            return ConstraintCheck(False, f"{len(variants)} changed repetitions of {p.phrase!r}; required exactly {p.small_n}")
        if distinct != len(variants):
            return ConstraintCheck(False, f"only {distinct} of the {len(variants)} repetitions differ from each other; each needs its own change")
        return ConstraintCheck(True, f"{p.phrase!r} repeated {p.small_n} times, one different word changed each time")

    def describe(self) -> list[str]:
        p = self.params
        times = "once" if p.small_n == 1 else f"{p.small_n} times"
        return [
            f'Repeat the phrase "{p.phrase}" exactly {times}, changing one word in the middle of it each time '
            "(a different change every time; keep its first and last words).",
            f'Include "{p.phrase}" {times}, each copy with exactly one middle word swapped for another, no two copies alike.',
            f'Write the phrase "{p.phrase}" {times} in your response, transforming it slightly each time by replacing '
            "only one word in its middle.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        phrase, _, _ = rng.choice(_PHRASES)
        return {"phrase": phrase, "small_n": rng.choice([1, 6]) if edge else rng.randint(2, 4)}

    def clashes_with(self, other: Constraint) -> bool:
        # A forced text that already holds a changed copy would add to the count.
        return any(phrase_variants(text, self.params.phrase) for text in required_texts(other))

    def realise(self, draft: ResponseDraft) -> None:
        p = self.params
        words = _words(p.phrase)
        known = {phrase: (position, options) for phrase, position, options in _PHRASES}
        position, options = known.get(p.phrase.lower(), (len(words) // 2, ()))
        generic = ("simple", "steady", "careful", "honest", "quiet", "daily", "useful", "modest", "clear", "patient")
        have = phrase_variants(draft.render(), p.phrase)
        used = set(have)
        for replacement in dict.fromkeys((*options, *generic)):
            if len(have) >= p.small_n:
                break
            if (position, replacement) in used or replacement == words[position].lower():
                continue
            copy = " ".join([*words[:position], replacement, *words[position + 1 :]])
            if add_own_sentence(draft, [f"{capitalise(copy)}."], block=len(have) % len(draft.blocks)) is not None:
                have.append((position, replacement))


# --------------------------------------------------------------------------- copy a span of the request

_FALLBACK_REQUEST = "Write a short, friendly note to a neighbour about the community garden opening next month."
"""The request a span is taken from when `sample` is called without a task (tests, datasets)."""


class CopySpanParams(Params):
    request: str = Field(min_length=1, max_length=2000, description="The request text the span is taken from.")
    start_word: int = Field(ge=1, le=400, description="First word of the span (1-based, words split on whitespace).")
    end_word: int = Field(ge=1, le=400, description="Last word of the span (inclusive).")

    @model_validator(mode="after")
    def _inside(self) -> CopySpanParams:
        n = len(self.request.split())
        if not 1 <= self.start_word <= self.end_word <= n:
            raise ValueError(f"the span {self.start_word}-{self.end_word} must lie within the request's {n} words")
        return self


def request_span(request: str, start_word: int, end_word: int) -> str:
    """Words `start_word`..`end_word` (1-based, inclusive) of `request`, split on whitespace."""
    return " ".join(request.split()[start_word - 1 : end_word])


class CopySpan(Constraint):
    """`copy:copy_span` — the response holds words i..j of the request verbatim (exact characters)."""

    kind: ClassVar[str] = "copy:copy_span"
    family: ClassVar[str] = "copy"
    Params = CopySpanParams
    realise_order = ORDER_CONTENT + 7
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {
        COMBINATION, "change_case:*", "format:title_case", "punctuation:no_comma", "letters:*",
        "keywords:letter_frequency", "words:*", "sentence:start_letter", "first_word:sentences",
    }

    @property
    def span(self) -> str:
        """The text to copy."""
        p = self.params
        return request_span(p.request, p.start_word, p.end_word)

    def evaluate(self, response: str) -> ConstraintCheck:
        span = self.span
        if span in response:
            return ConstraintCheck(True, f"the response copies words {self.params.start_word}-{self.params.end_word} of the request")
        return ConstraintCheck(False, f"the response does not contain words {self.params.start_word}-{self.params.end_word} of the request verbatim ({span!r})")

    def describe(self) -> list[str]:
        i, j = self.params.start_word, self.params.end_word
        return [
            f"Copy words {i} to {j} of my request (counting words from 1) into your response exactly as written.",
            f"Somewhere in your answer, quote the span from word {i} to word {j} of the request verbatim.",
            f"Your reply must contain, character for character, words {i} through {j} of what I asked you.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return cls._span_params(rng, _FALLBACK_REQUEST, edge)

    @classmethod
    def contextual_params(cls, rng: random.Random, *, edge: bool = False, context: SampleContext) -> dict[str, Any]:
        request = context.request if len(context.request.split()) >= 6 else _FALLBACK_REQUEST
        return cls._span_params(rng, request, edge)

    @staticmethod
    def _span_params(rng: random.Random, request: str, edge: bool) -> dict[str, Any]:
        n = len(request.split())
        if edge:  # boundary spans: the first word only, or the whole request
            start, end = rng.choice([(1, 1), (1, n)])
        else:
            length = rng.randint(3, min(8, n))
            start = rng.randint(1, n - length + 1)
            end = start + length - 1
        return {"request": request, "start_word": start, "end_word": end}

    def clashes_with(self, other: Constraint) -> bool:
        # A forbidden word (or a word capped below one use) inside the span cannot be avoided.
        span = self.span.lower()
        if other.kind == "keywords:forbidden_words":
            return any(re.search(rf"\b{re.escape(w.lower())}", span) for w in other.params.forbidden_words)
        if other.kind == "keywords:frequency" and other.params.relation == "less than":
            return other.params.keyword.lower() in span
        if other.kind == "count:numbers":
            return any(ch.isdigit() for ch in span)
        if other.kind in ("punctuation:no_exclamation", "count:question_marks"):
            return any(ch in span for ch in "!?")
        return False

    def realise(self, draft: ResponseDraft) -> None:
        if self.check(draft.render()).ok:
            return
        span = self.span
        candidates = [f'As the request puts it: "{span}".', f'In the words of the request, "{span}".']
        add_own_sentence(draft, candidates, block=0, index=0, ignore=None)
