"""IFEval's `change_case:*` kinds: all-capital word counts, all upper case, all lower case.

Strict IFEval semantics, with one deliberate change: IFEval counts a detector exception as
English (so "12345" passes "answer in lowercase English"); here the language must be *detected*
as English (`language.detect_language`, which fails closed). Capital words are tokens that are
entirely upper case (`str.isupper`), tokenised offline (`text.word_tokens`) instead of with NLTK.
"""

from __future__ import annotations

import random
import re
from typing import Any, ClassVar

from pydantic import Field

from vrgym.verifiers.instruction.base import (
    ORDER_FORM,
    ORDER_WRAP,
    RELATION_DESCRIPTION,
    UNSTRUCTURED_ONLY,
    Constraint,
    ConstraintCheck,
    Params,
    Relation,
    compare_count,
    sample_threshold,
)
from vrgym.verifiers.instruction.draft import ResponseDraft
from vrgym.verifiers.instruction.language import detect_language
from vrgym.verifiers.instruction.text import count_capital_words, word_tokens

_CASE_KINDS = frozenset({"change_case:english_capital", "change_case:english_lowercase", "change_case:capital_word_frequency"})
_LONG_WORD = re.compile(r"\b[a-z][a-z]{4,}\b")


def _english(response: str) -> tuple[bool, str]:
    found = detect_language(response)
    if found == "en":
        return True, "detected English"
    return False, "language could not be determined" if found is None else f"detected language {found!r}, not English"


class CapitalWordsParams(Params):
    capital_frequency: int = Field(ge=1, le=10_000, description="Threshold on the number of all-capital words.")
    capital_relation: Relation = Field(description=RELATION_DESCRIPTION)


class CapitalWordFrequency(Constraint):
    """`change_case:capital_word_frequency` — the number of ALL-CAPS words is below / at least N."""

    kind: ClassVar[str] = "change_case:capital_word_frequency"
    family: ClassVar[str] = "case"
    Params = CapitalWordsParams
    ifeval = True
    realise_order = ORDER_FORM + 2
    conflicts: ClassVar[frozenset[str]] = _CASE_KINDS | UNSTRUCTURED_ONLY

    def evaluate(self, response: str) -> ConstraintCheck:
        p = self.params
        n = count_capital_words(response)
        return compare_count(n, p.capital_relation, p.capital_frequency, f"{n} all-capital words")

    def describe(self) -> list[str]:
        p = self.params
        if p.capital_relation == "less than":
            return [
                f"In your response, words with all capital letters should appear less than {p.capital_frequency} times.",
                f"Use fewer than {p.capital_frequency} words written entirely in capital letters.",
                f"Keep fully capitalised words (like THIS) under {p.capital_frequency} in total.",
            ]
        return [
            f"In your response, words with all capital letters should appear at least {p.capital_frequency} times.",
            f"Stress at least {p.capital_frequency} words by writing them entirely in CAPITAL letters.",
            f"Include {p.capital_frequency} or more words written in all caps.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        relation, n = sample_threshold(rng, edge=edge, less_than=(1, (3, 20)), at_least=((15, 20), (1, 10)))
        return {"capital_relation": relation, "capital_frequency": n}

    def realise(self, draft: ResponseDraft) -> None:
        p = self.params
        if p.capital_relation == "at least":
            self._raise(draft, p.capital_frequency)
            return
        has_caps = lambda text: any(token.isupper() for token in word_tokens(text))  # noqa: E731
        if count_capital_words(draft.render()) >= p.capital_frequency:
            draft.ban(has_caps)

    @staticmethod
    def _raise(draft: ResponseDraft, target: int) -> None:
        """Write whole words of existing sentences in capitals until `target` is reached."""
        for _ in range(target + 20):
            missing = target - count_capital_words(draft.render())
            if missing <= 0:
                return
            changed = False
            for block in draft.blocks:
                for i, sentence in enumerate(block.sentences):
                    if missing <= 0:
                        break
                    match = _LONG_WORD.search(sentence)
                    if match is None:
                        continue
                    new = sentence[: match.start()] + match.group().upper() + sentence[match.end():]
                    block.sentences[i] = new
                    draft.repin(sentence, new)
                    missing -= 1
                    changed = True
            if not changed and draft.add_sentence() is None:
                return


class EnglishCapital(Constraint):
    """`change_case:english_capital` — the whole response is upper case and in English."""

    kind: ClassVar[str] = "change_case:english_capital"
    family: ClassVar[str] = "case"
    ifeval = True
    realise_order = ORDER_WRAP - 5
    conflicts: ClassVar[frozenset[str]] = _CASE_KINDS | {"language:response_language", "detectable_format:constrained_response", "combination:*"}

    def evaluate(self, response: str) -> ConstraintCheck:
        if not response.isupper():
            return ConstraintCheck(False, "response is not entirely in capital letters")
        ok, why = _english(response)
        return ConstraintCheck(ok, why)

    def describe(self) -> list[str]:
        return [
            "Your entire response should be in English, and in all capital letters.",
            "Write the whole answer in English using only CAPITAL letters.",
            "Respond in English, all in uppercase.",
        ]

    def realise(self, draft: ResponseDraft) -> None:
        draft.case = "upper"


class EnglishLowercase(Constraint):
    """`change_case:english_lowercase` — the whole response is lower case and in English."""

    kind: ClassVar[str] = "change_case:english_lowercase"
    family: ClassVar[str] = "case"
    ifeval = True
    realise_order = ORDER_WRAP - 5
    conflicts: ClassVar[frozenset[str]] = _CASE_KINDS | {"language:response_language", "detectable_format:constrained_response", "combination:*"}

    def evaluate(self, response: str) -> ConstraintCheck:
        if not response.islower():
            return ConstraintCheck(False, "response contains capital letters (or no letters at all)")
        ok, why = _english(response)
        return ConstraintCheck(ok, why)

    def describe(self) -> list[str]:
        return [
            "Your entire response should be in English, and in all lowercase letters. No capital letters are allowed.",
            "Write the whole reply in English using lowercase letters only.",
            "Answer in English without a single capital letter.",
        ]

    def realise(self, draft: ResponseDraft) -> None:
        draft.case = "lower"
