"""IFEval's four `length_constraints:*` kinds: words, sentences, `***` paragraphs, nth paragraph's first word.

Checkers keep IFEval's strict semantics: words are `\\w+` tokens; sentences come from the
offline splitter in `text.py` (IFEval uses NLTK Punkt, which needs downloaded data);
`number_paragraphs` splits on the `***` divider and requires the exact count (an empty paragraph
in the middle fails); `nth_paragraph_first_word` splits on blank lines (`\\n\\n`), requires the
exact count and compares the nth paragraph's first word (lower-cased, leading quotes removed,
cut at the first `.` or `,`).
"""

from __future__ import annotations

import random
import re
from typing import Any, ClassVar

from pydantic import Field

from vrgym.verifiers.instruction.base import (
    ORDER_COUNT,
    ORDER_STRUCTURE,
    RELATION_DESCRIPTION,
    UNSTRUCTURED_ONLY,
    Constraint,
    ConstraintCheck,
    Params,
    Relation,
    compare_count,
    realise_threshold,
    sample_threshold,
    thresholds_stack,
)
from vrgym.verifiers.instruction.draft import ResponseDraft
from vrgym.verifiers.instruction.extra_common import ordinal
from vrgym.verifiers.instruction.text import count_sentences, count_words


def _relation_text(relation: str, n: int, unit: str) -> list[str]:
    """Three or more phrasings of "<relation> n <unit>"."""
    if relation == "less than":
        return [
            f"Answer with less than {n} {unit}.",
            f"Keep your response under {n} {unit}.",
            f"Your reply must contain fewer than {n} {unit}.",
            f"Use no more than {n - 1} {unit} in total.",
        ]
    return [
        f"Answer with at least {n} {unit}.",
        f"Your response should contain {n} or more {unit}.",
        f"Write no fewer than {n} {unit}.",
        f"Make sure the reply runs to at least {n} {unit}.",
    ]


class NumberWordsParams(Params):
    num_words: int = Field(ge=1, le=100_000, description="Word-count threshold.")
    relation: Relation = Field(description=RELATION_DESCRIPTION)


class NumberWords(Constraint):
    """`length_constraints:number_words` — the count of `\\w+` tokens is below / at least N."""

    kind: ClassVar[str] = "length_constraints:number_words"
    family: ClassVar[str] = "length"
    Params = NumberWordsParams
    ifeval = True
    realise_order = ORDER_COUNT
    conflicts: ClassVar[frozenset[str]] = UNSTRUCTURED_ONLY

    def evaluate(self, response: str) -> ConstraintCheck:
        n = count_words(response)
        return compare_count(n, self.params.relation, self.params.num_words, f"{n} words")

    def describe(self) -> list[str]:
        return _relation_text(self.params.relation, self.params.num_words, "words")

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        relation, n = sample_threshold(rng, edge=edge, less_than=((60, 80), (80, 400)), at_least=((350, 500), (50, 350)))
        return {"relation": relation, "num_words": n}

    def stacks_with(self, other: Constraint) -> bool:
        # "at least A" and "less than B" combine into a range when A < B - 20 (room for a sentence).
        a, b = self.params, other.params
        return thresholds_stack((a.relation, a.num_words), (b.relation, b.num_words), gap=20)

    def realise(self, draft: ResponseDraft) -> None:
        realise_threshold(draft, self.params.relation, self.params.num_words, count_words)


class NumberSentencesParams(Params):
    num_sentences: int = Field(ge=1, le=10_000, description="Sentence-count threshold.")
    relation: Relation = Field(description=RELATION_DESCRIPTION)


class NumberSentences(Constraint):
    """`length_constraints:number_sentences` — sentence count (offline splitter) below / at least N."""

    kind: ClassVar[str] = "length_constraints:number_sentences"
    family: ClassVar[str] = "length"
    Params = NumberSentencesParams
    ifeval = True
    realise_order = ORDER_COUNT + 1
    conflicts: ClassVar[frozenset[str]] = UNSTRUCTURED_ONLY | {"length_constraints:number_paragraphs"}

    def evaluate(self, response: str) -> ConstraintCheck:
        n = count_sentences(response)
        return compare_count(n, self.params.relation, self.params.num_sentences, f"{n} sentences")

    def describe(self) -> list[str]:
        return _relation_text(self.params.relation, self.params.num_sentences, "sentences")

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        relation, n = sample_threshold(rng, edge=edge, less_than=((5, 7), (7, 20)), at_least=((18, 25), (2, 18)))
        return {"relation": relation, "num_sentences": n}

    def stacks_with(self, other: Constraint) -> bool:
        a, b = self.params, other.params
        return thresholds_stack((a.relation, a.num_sentences), (b.relation, b.num_sentences), gap=2)

    def realise(self, draft: ResponseDraft) -> None:
        realise_threshold(draft, self.params.relation, self.params.num_sentences, count_sentences)


_PARAGRAPH_DIVIDER = re.compile(r"\s?\*\*\*\s?")


def star_paragraphs(response: str) -> tuple[int, bool]:
    """IFEval's `***` paragraph count, and whether an empty paragraph sits between two others."""
    parts = _PARAGRAPH_DIVIDER.split(response)
    count = len(parts)
    for i, part in enumerate(parts):
        if not part.strip():
            if i == 0 or i == len(parts) - 1:
                count -= 1
            else:
                return count, False
    return count, True


class NumberParagraphsParams(Params):
    num_paragraphs: int = Field(ge=1, le=1000, description="Exact number of paragraphs separated by ***.")


class NumberParagraphs(Constraint):
    """`length_constraints:number_paragraphs` — exactly N paragraphs separated by the markdown divider `***`."""

    kind: ClassVar[str] = "length_constraints:number_paragraphs"
    family: ClassVar[str] = "length"
    Params = NumberParagraphsParams
    ifeval = True
    realise_order = ORDER_STRUCTURE
    conflicts: ClassVar[frozenset[str]] = frozenset({
        "length_constraints:nth_paragraph_first_word", "length_constraints:number_sentences",
    }) | UNSTRUCTURED_ONLY

    def evaluate(self, response: str) -> ConstraintCheck:
        count, no_gap = star_paragraphs(response)
        if not no_gap:
            return ConstraintCheck(False, "an empty paragraph sits between two *** dividers")
        ok = count == self.params.num_paragraphs
        return ConstraintCheck(ok, f"{count} paragraphs separated by ***; required exactly {self.params.num_paragraphs}")

    def describe(self) -> list[str]:
        n = self.params.num_paragraphs
        unit = "paragraph" if n == 1 else "paragraphs"
        return [
            f"There should be {n} {unit}. Paragraphs are separated with the markdown divider: ***",
            f"Write exactly {n} {unit}, separating them with a line containing only ***.",
            f"Structure the answer as {n} {unit}; put the markdown divider *** between consecutive paragraphs.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"num_paragraphs": rng.choice([1, 6, 7]) if edge else rng.randint(2, 5)}

    def realise(self, draft: ResponseDraft) -> None:
        draft.paragraph_separator = "\n\n***\n\n"
        draft.fixed_paragraphs = True
        draft.set_block_count(self.params.num_paragraphs)


class NthParagraphFirstWordParams(Params):
    num_paragraphs: int = Field(ge=1, le=1000, description="Exact number of paragraphs separated by blank lines.")
    nth_paragraph: int = Field(ge=1, le=1000, description="Which paragraph (1-based) must start with first_word.")
    first_word: str = Field(min_length=1, max_length=60, description="The word that paragraph must start with.")


_FIRST_WORDS = (
    "firstly", "importantly", "overall", "meanwhile", "however", "finally", "together", "instead",
    "today", "ideally", "summary", "next", "still", "often", "later", "besides", "clearly",
)


def first_word_of(paragraph: str) -> str:
    """IFEval's first word: lower-cased, leading quotes stripped, cut at the first `.` or `,`."""
    word = paragraph.split()[0].strip().lstrip("'").lstrip('"')
    out = []
    for letter in word:
        if letter in ".,":
            break
        out.append(letter.lower())
    return "".join(out)


class NthParagraphFirstWord(Constraint):
    """`length_constraints:nth_paragraph_first_word` — exactly N blank-line paragraphs; the nth starts with a word."""

    kind: ClassVar[str] = "length_constraints:nth_paragraph_first_word"
    family: ClassVar[str] = "length"
    Params = NthParagraphFirstWordParams
    ifeval = True
    realise_order = ORDER_STRUCTURE + 1
    conflicts: ClassVar[frozenset[str]] = frozenset({
        "length_constraints:number_paragraphs", "detectable_format:multiple_sections",
    }) | UNSTRUCTURED_ONLY

    def evaluate(self, response: str) -> ConstraintCheck:
        p = self.params
        paragraphs = response.split("\n\n")
        count = sum(1 for part in paragraphs if part.strip())
        if p.nth_paragraph > count:
            return ConstraintCheck(False, f"{count} paragraphs; paragraph {p.nth_paragraph} does not exist")
        paragraph = paragraphs[p.nth_paragraph - 1].strip()
        if not paragraph:
            return ConstraintCheck(False, f"paragraph {p.nth_paragraph} is empty")
        first = first_word_of(paragraph)
        if count != p.num_paragraphs:
            return ConstraintCheck(False, f"{count} paragraphs separated by blank lines; required exactly {p.num_paragraphs}")
        ok = first == p.first_word.lower()
        return ConstraintCheck(ok, f"paragraph {p.nth_paragraph} starts with {first!r}; required {p.first_word.lower()!r}")

    def describe(self) -> list[str]:
        p = self.params
        nth = ordinal(p.nth_paragraph)
        return [
            f"There should be {p.num_paragraphs} paragraphs. Paragraphs and only paragraphs are separated with each other by two new lines. The {nth} paragraph must start with the word {p.first_word}.",
            f"Write exactly {p.num_paragraphs} paragraphs separated by blank lines, and begin the {nth} paragraph with the word \"{p.first_word}\".",
            f"Use {p.num_paragraphs} paragraphs (one blank line between paragraphs, none elsewhere); the {nth} one has to open with \"{p.first_word}\".",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        count = rng.randint(1, 2) if edge else rng.randint(2, 5)
        nth = count if edge else rng.randint(1, count)
        return {"num_paragraphs": count, "nth_paragraph": nth, "first_word": rng.choice(_FIRST_WORDS)}

    def clashes_with(self, other: Constraint) -> bool:
        # A title or a repeated prompt occupies the start of the first paragraph.
        return self.params.nth_paragraph == 1 and other.kind in {"detectable_format:title", "combination:repeat_prompt"}

    def realise(self, draft: ResponseDraft) -> None:
        p = self.params
        draft.paragraph_separator = "\n\n"
        draft.fixed_paragraphs = True
        draft.set_block_count(p.num_paragraphs)
        block = draft.blocks[p.nth_paragraph - 1]
        word = p.first_word
        if block.sentences and first_word_of(block.sentences[0]) == word.lower():
            return
        opener = draft.make_sentence() or "this point deserves attention."
        sentence = f"{word[0].upper()}{word[1:]}, {opener[0].lower()}{opener[1:]}"
        block.sentences.insert(0, sentence)
        draft.pinned.add(sentence)
        if block.bullets and not block.sentences:
            block.bullets.insert(0, sentence)
