"""Punctuation and letter constraints from IFBench and open-instruct (`punctuation:*`, `letters:*`).

Every sentence ends with "!", no "!" at all, no repeated punctuation ("!!", "?!", "...", "…"),
no use of a given letter, and a total letter count. Checks are character-level and linear.

Realisations: the final marks are rewritten piece by piece (so a title or heading, which no
rewrite reaches, is a declared conflict); "no !" and "no repeated marks" are render-time text
filters, applied after every structural edit; "no letter X" is a draft ban, so sentences added
later avoid the letter too; the letter total grows or shrinks the draft.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import Field

from vrgym.verifiers.instruction.base import (
    ORDER_CONTENT,
    ORDER_COUNT,
    ORDER_FORM,
    RELATION_DESCRIPTION,
    Constraint,
    ConstraintCheck,
    Params,
    Relation,
    compare_count,
    realise_threshold,
    sample_threshold,
)
from vrgym.verifiers.instruction.draft import ResponseDraft
from vrgym.verifiers.instruction.extra_common import (
    COMBINATION,
    FIXED_LINES,
    WHOLE_RESPONSE,
    every_sentence,
    required_texts,
    rewrite_prose,
)

_CLOSERS = "\"'”’)]"
_END = re.compile(r"[.!?…]+(?=[\"'”’)\]]*(?:\s+[\"'“‘(\[]*[^\W_a-z]|\s*$))")


def ends_with_exclamation(sentence: str) -> bool:
    """Whether the sentence's last mark, after closing quotes/brackets, is "!"."""
    return sentence.rstrip().rstrip(_CLOSERS).endswith("!")


def _exclaim(piece: str) -> str:
    """Every sentence end inside `piece` becomes "!" (a piece without a final mark gets one)."""
    text = _END.sub("!", piece.rstrip())
    return text if ends_with_exclamation(text) else text + "!"


class ExclamationEnd(Constraint):
    """`punctuation:exclamation_end` — every sentence ends with an exclamation mark."""

    kind: ClassVar[str] = "punctuation:exclamation_end"
    family: ClassVar[str] = "punctuation"
    realise_order = ORDER_FORM + 4
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | FIXED_LINES | {
        "punctuation:no_exclamation", "count:question_marks", "detectable_format:number_bullet_lists",
    }

    def evaluate(self, response: str) -> ConstraintCheck:
        return every_sentence(response, ends_with_exclamation, passes="ends with '!'", fails="does not end with '!'", tail=True)

    def describe(self) -> list[str]:
        return [
            "End every sentence of your response with an exclamation mark.",
            "Each sentence must finish with '!' instead of a period or question mark.",
            "Use an exclamation mark as the final punctuation of every single sentence.",
        ]

    def realise(self, draft: ResponseDraft) -> None:
        rewrite_prose(draft, _exclaim, tail=True)


def _no_exclamation(text: str) -> str:
    return text.replace("!", ".")


class NoExclamation(Constraint):
    """`punctuation:no_exclamation` — no "!" anywhere in the response."""

    kind: ClassVar[str] = "punctuation:no_exclamation"
    family: ClassVar[str] = "punctuation"
    realise_order = ORDER_FORM + 1
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {"punctuation:exclamation_end"}

    def evaluate(self, response: str) -> ConstraintCheck:
        n = response.count("!")
        return ConstraintCheck(n == 0, f"{n} exclamation marks; required none")

    def describe(self) -> list[str]:
        return [
            "Do not use any exclamation marks in your response.",
            "Your answer must not contain the character '!'.",
            "Write the reply without a single exclamation mark.",
        ]

    def clashes_with(self, other: Constraint) -> bool:
        return any("!" in t for t in required_texts(other))

    def realise(self, draft: ResponseDraft) -> None:
        if _no_exclamation not in draft.text_filters:
            draft.text_filters.append(_no_exclamation)


_MARKS = ".!?,;:"
_REPEATED = re.compile(r"[.!?,;:…]{2,}|…")


def _single_marks(text: str) -> str:
    return _REPEATED.sub(lambda m: "." if m.group(0)[0] == "…" else m.group(0)[0], text)


class NoRepeatedPunctuation(Constraint):
    """`punctuation:no_repeated` — no two punctuation marks (. ! ? , ; :) in a row, and no "…"."""

    kind: ClassVar[str] = "punctuation:no_repeated"
    family: ClassVar[str] = "punctuation"
    realise_order = ORDER_FORM + 1
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE

    def evaluate(self, response: str) -> ConstraintCheck:
        match = _REPEATED.search(response)
        if match:
            return ConstraintCheck(False, f"repeated punctuation {match.group(0)!r} at character {match.start()}")
        return ConstraintCheck(True, "no repeated punctuation")

    def describe(self) -> list[str]:
        return [
            "Do not repeat punctuation marks: no '!!', '??', '?!', '...' or similar runs anywhere.",
            "Never put two punctuation marks (. , ! ? ; :) next to each other, and do not use ellipses.",
            "Use single punctuation marks only; runs like '!!' or '...' are not allowed.",
        ]

    def clashes_with(self, other: Constraint) -> bool:
        return any(_REPEATED.search(t) for t in required_texts(other))

    def realise(self, draft: ResponseDraft) -> None:
        if _single_marks not in draft.text_filters:
            draft.text_filters.append(_single_marks)


@dataclass(frozen=True)
class _LetterBan:
    letter: str

    def __call__(self, text: str) -> bool:
        return self.letter in text.lower()


class NoLetterParams(Params):
    letter: str = Field(pattern=r"^[a-z]$", description="The letter that must not appear (either case).")


class NoLetter(Constraint):
    """`letters:no_letter` — the response never uses the given letter, in upper or lower case."""

    kind: ClassVar[str] = "letters:no_letter"
    family: ClassVar[str] = "letters"
    Params = NoLetterParams
    realise_order = ORDER_CONTENT
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {COMBINATION}

    def evaluate(self, response: str) -> ConstraintCheck:
        n = response.lower().count(self.params.letter)
        return ConstraintCheck(n == 0, f"the letter {self.params.letter!r} appears {n} times; required never")

    def describe(self) -> list[str]:
        letter = self.params.letter
        return [
            f"Do not use the letter '{letter}' anywhere in your response (neither '{letter}' nor '{letter.upper()}').",
            f"Write the whole answer without the letter {letter.upper()}.",
            f"Avoid every word containing the letter \"{letter}\", in any case.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"letter": rng.choice("kvw" if edge else "zqxj")}

    def clashes_with(self, other: Constraint) -> bool:
        letter = self.params.letter
        if getattr(other.params, "letter", None) == letter and getattr(other.params, "let_relation", "at least") == "at least":
            return True
        return any(letter in t.lower() for t in required_texts(other))

    def realise(self, draft: ResponseDraft) -> None:
        ban = _LetterBan(self.params.letter)
        if ban not in draft.bans:
            draft.ban(ban)


_LETTER_HEAVY = frozenset({
    "format:markdown_table", "format:numbered_steps", "format:markdown_sections", "count:unique_word_count",
    "detectable_format:number_highlighted_sections", "keywords:existence",
})
"""Kinds that add text shortening cannot drop (pinned or line structures): they clash with a letter cap."""


def count_letters(text: str) -> int:
    """Number of alphabetic characters (any script) in `text`."""
    return sum(1 for ch in text if ch.isalpha())


class LetterCountParams(Params):
    num_letters: int = Field(ge=1, le=1_000_000, description="Letter-count threshold.")
    relation: Relation = Field(description=RELATION_DESCRIPTION)


class LetterCount(Constraint):
    """`letters:letter_count` — the number of letters in the response is below / at least N."""

    kind: ClassVar[str] = "letters:letter_count"
    family: ClassVar[str] = "letters"
    Params = LetterCountParams
    realise_order = ORDER_COUNT
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {COMBINATION, "length_constraints:number_words", "count:word_count_range"}

    def evaluate(self, response: str) -> ConstraintCheck:
        n = count_letters(response)
        return compare_count(n, self.params.relation, self.params.num_letters, f"{n} letters")

    def describe(self) -> list[str]:
        n = self.params.num_letters
        if self.params.relation == "less than":
            return [
                f"Your response must contain fewer than {n} letters in total.",
                f"Use less than {n} letters (alphabetic characters) in the whole answer.",
                f"Keep the total count of letters in the reply below {n}.",
            ]
        return [
            f"Your response must contain at least {n} letters in total.",
            f"Use {n} or more letters (alphabetic characters) in the answer.",
            f"The reply should have no fewer than {n} letters overall.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        relation, n = sample_threshold(rng, edge=edge, less_than=((450, 500), (500, 2000)), at_least=((1800, 2200), (200, 1500)))
        return {"relation": relation, "num_letters": n}

    def clashes_with(self, other: Constraint) -> bool:
        from vrgym.verifiers.instruction.extra_count import max_words_allowed, min_words_required

        n = self.params.num_letters
        if self.params.relation == "less than":
            # Each word is about five letters; structures add letters that shortening cannot remove.
            return min_words_required(other) * 7 > n or other.kind in _LETTER_HEAVY
        return max_words_allowed(other) * 4 < n or other.kind in {"ratio:unique_words", "words:word_repeats"}

    def realise(self, draft: ResponseDraft) -> None:
        realise_threshold(draft, self.params.relation, self.params.num_letters, count_letters)
