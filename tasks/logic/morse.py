"""`MorseDecode`: decode a message written in International Morse code.

Why this template: Morse decoding is one of the logic families of the Kimi K2 Verifiable Rewards
Gym. It is a pure symbol-manipulation task with exactly one right answer, so it checks the text
contract end to end (word-list package data, tag extraction, conservative text normalisation).

Conventions (stated in every prompt). Dots and dashes are `.` and `-`; letters are separated by
one space; words by ` / ` (slash notation) or by three spaces (spaces notation). With an explicit
gap between letters every message has exactly one decoding, so an exact comparison accepts every
correct answer. Messages *without* letter gaps are deliberately not generated: they have many
valid decodings, which an exact-match checker would wrongly reject.

Alphabet: ITU letters A-Z, digits 0-9 and punctuation `. , ? ' / ( ) & : ; = + - " @`, plus the
widespread non-ITU codes for `!`, `_` and `$` (their codes are given in the prompt).

Levels, easiest first: one short word; a few words; a sentence with numbers; a sentence with
numbers and punctuation; a longer one in the spaces notation. Words come from the hand-written
list in `vrgym.tasks.logic.data`.

Verification: the `<answer>` content must equal the message after `normalise_text_answer`
(whitespace runs collapsed, ASCII letters case-folded) — nothing else is forgiven: extra words,
alternatives ("HELLO or HALLO"), quotes or explanations inside the tags score 0.
"""

from __future__ import annotations

import random
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.problem import Problem
from vrgym.registry import register
from vrgym.tasks.logic.data import words_of_length
from vrgym.template import Draft, Template
from vrgym.verdict import WRONG_ANSWER, Verdict
from vrgym.verifiers.extraction import AnswerFormat
from vrgym.verifiers.text import normalise_text_answer, text_answers_match

MORSE: dict[str, str] = {
    "A": ".-", "B": "-...", "C": "-.-.", "D": "-..", "E": ".", "F": "..-.", "G": "--.", "H": "....",
    "I": "..", "J": ".---", "K": "-.-", "L": ".-..", "M": "--", "N": "-.", "O": "---", "P": ".--.",
    "Q": "--.-", "R": ".-.", "S": "...", "T": "-", "U": "..-", "V": "...-", "W": ".--", "X": "-..-",
    "Y": "-.--", "Z": "--..",
    "0": "-----", "1": ".----", "2": "..---", "3": "...--", "4": "....-",
    "5": ".....", "6": "-....", "7": "--...", "8": "---..", "9": "----.",
    ".": ".-.-.-", ",": "--..--", "?": "..--..", "'": ".----.", "!": "-.-.--", "/": "-..-.",
    "(": "-.--.", ")": "-.--.-", "&": ".-...", ":": "---...", ";": "-.-.-.", "=": "-...-",
    "+": ".-.-.", "-": "-....-", "_": "..--.-", '"': ".-..-.", "$": "...-..-", "@": ".--.-.",
}  # fmt: skip
"""International Morse code: character → dots and dashes."""

DECODE: dict[str, str] = {code: char for char, code in MORSE.items()}
NON_ITU = ("!", "_", "$")
"""Characters whose codes are common conventions rather than ITU-R M.1677; the prompt spells them out."""

WORD_GAPS: dict[str, str] = {"slash": " / ", "spaces": "   "}
"""Separator between words in each notation (letters are always separated by one space)."""

_TRAILING_MARKS = ".,?!:;"
_JOINERS = "-_/&@+="
_SENTENCE_ENDS = ".?!"


def encode(text: str, notation: str = "slash") -> str:
    """Morse for `text` (upper-case characters of `MORSE`, words separated by single spaces)."""
    gap = WORD_GAPS[notation]
    return gap.join(" ".join(MORSE[char] for char in word) for word in text.split(" "))


def decode(message: str, notation: str = "slash") -> str:
    """Inverse of `encode` (KeyError on a code that is not in the alphabet)."""
    return " ".join("".join(DECODE[code] for code in word.split(" ")) for word in message.split(WORD_GAPS[notation]))


class MorseDecodeConfig(TemplateConfig):
    """Length and alphabet of the message and the word-gap notation; each level sets them."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(min_words=1, max_words=1, min_word_length=3, max_word_length=5),
        "medium": dict(min_words=2, max_words=4, min_word_length=2, max_word_length=7),
        "hard": dict(min_words=3, max_words=6, min_word_length=2, max_word_length=8, min_numbers=1, max_numbers=2),
        "expert": dict(
            min_words=4, max_words=8, min_word_length=2, max_word_length=8, min_numbers=1, max_numbers=2, punctuation=True
        ),
        "master": dict(
            min_words=6, max_words=10, min_word_length=2, max_word_length=8, min_numbers=1, max_numbers=3,
            punctuation=True, notation="spaces",
        ),
    }  # fmt: skip
    default_level: ClassVar[str | None] = "medium"

    min_words: int = Field(2, ge=1, le=50, description="Fewest words drawn from the word list.")
    max_words: int = Field(4, ge=1, le=50, description="Most words drawn from the word list.")
    min_word_length: int = Field(2, ge=1, le=8, description="Shortest word, in letters.")
    max_word_length: int = Field(7, ge=1, le=8, description="Longest word, in letters.")
    min_numbers: int = Field(0, ge=0, le=10, description="Fewest numbers inserted between the words.")
    max_numbers: int = Field(0, ge=0, le=10, description="Most numbers inserted between the words.")
    max_number_digits: int = Field(4, ge=1, le=9, description="Most digits of an inserted number.")
    punctuation: bool = Field(False, description="Attach punctuation marks (and joined words) to some words.")
    notation: Literal["slash", "spaces", "mixed"] = Field(
        "slash", description="Word gaps as ' / ' or as three spaces; 'mixed' draws one per problem."
    )

    @model_validator(mode="after")
    def _coherent(self) -> MorseDecodeConfig:
        if self.min_words > self.max_words:
            raise ValueError(f"min_words ({self.min_words}) exceeds max_words ({self.max_words})")
        if self.min_numbers > self.max_numbers:
            raise ValueError(f"min_numbers ({self.min_numbers}) exceeds max_numbers ({self.max_numbers})")
        if self.min_word_length > self.max_word_length:
            raise ValueError(f"min_word_length ({self.min_word_length}) exceeds max_word_length ({self.max_word_length})")
        if not words_of_length(self.min_word_length, self.max_word_length):
            raise ValueError(f"the word list has no word of {self.min_word_length}-{self.max_word_length} letters")
        return self


def draw_message(rng: random.Random, config: MorseDecodeConfig) -> str:
    """The plain text of one message: words, numbers and (optionally) punctuation, single-spaced."""
    pool = words_of_length(config.min_word_length, config.max_word_length)
    tokens = [rng.choice(pool) for _ in range(rng.randint(config.min_words, config.max_words))]
    for _ in range(rng.randint(config.min_numbers, config.max_numbers)):
        digits = rng.randint(1, config.max_number_digits)
        position = rng.randint(0, len(tokens))
        tokens.insert(position, str(rng.randint(0 if digits == 1 else 10 ** (digits - 1), 10**digits - 1)))
    if config.punctuation:
        tokens = _punctuate(rng, tokens)
    return " ".join(tokens)


def _punctuate(rng: random.Random, tokens: list[str]) -> list[str]:
    """Decorate some tokens so that every punctuation mark of the alphabet can occur."""
    tokens = list(tokens)
    if len(tokens) >= 3 and rng.random() < 0.5:  # join two neighbours: WELL-DONE, CATS&DOGS, 2+2
        i = rng.randrange(len(tokens) - 1)
        tokens[i : i + 2] = [tokens[i] + rng.choice(_JOINERS) + tokens[i + 1]]
    for i in rng.sample(range(len(tokens)), rng.randint(1, max(1, len(tokens) // 2))):
        token = tokens[i]
        if token.isdigit():
            kind = rng.choice(("money", "trailing", "parens"))
        else:
            kind = rng.choice(("trailing", "trailing", "quotes", "parens", "possessive"))
        if kind == "money":
            tokens[i] = "$" + token
        elif kind == "trailing":
            tokens[i] = token + rng.choice(_TRAILING_MARKS)
        elif kind == "quotes":
            tokens[i] = f'"{token}"'
        elif kind == "parens":
            tokens[i] = f"({token})"
        else:
            tokens[i] = token + "'S"
    if tokens[-1][-1] not in _SENTENCE_ENDS and rng.random() < 0.6:
        tokens[-1] += rng.choice(_SENTENCE_ENDS)
    return tokens


@register
class MorseDecode(Template):
    """Decode an International Morse code message; answer the text between <answer> tags."""

    name = "MorseDecode"
    version = 0
    domain = "logic"
    tags = ("logic/morse", "logic/morse/decode")
    description = "Decode International Morse code (letters, digits, punctuation) into text."
    Config = MorseDecodeConfig
    answer_format = AnswerFormat.TAG

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, MorseDecodeConfig)
        notation = rng.choice(sorted(WORD_GAPS)) if config.notation == "mixed" else config.notation
        text = draw_message(rng, config)
        message = encode(text, notation)
        has_digits = any(c.isdigit() for c in text)
        marks = sorted({c for c in text if not c.isalnum() and c != " "})
        gap_rule = (
            'words by " / " (a slash with a space on each side)' if notation == "slash" else "words by three spaces"
        )
        lines = [
            "Decode the following message, written in International Morse code.",
            "",
            f'Notation: "." is a dot and "-" is a dash; letters are separated by one space and {gap_rule}.',
        ]
        if has_digits:
            lines.append("The message contains digits as well as letters.")
        if config.punctuation:
            lines.append(
                "It may contain punctuation marks, written with their standard Morse codes (! is -.-.--, _ is ..--.- "
                "and $ is ...-..-); a punctuation mark is part of the word it is written in, with no space around it."
            )
        lines += [
            "",
            message,
            "",
            "Answer with the decoded text only: capital letters (case is not checked), one space between words, "
            "every punctuation mark where it is in the message, no quotes around the text and nothing else.",
            self.answer_format.instruction,
        ]
        tags = []
        if has_digits:
            tags.append("logic/morse/decode/digits")
        if marks:
            tags.append("logic/morse/decode/punctuation")
        return Draft(
            prompt="\n".join(lines),
            answer={"text": text},
            metadata={"morse": message, "notation": notation, "characters": len(text)},
            tags=tuple(tags),
        )

    def check(self, problem: Problem, response: str) -> Verdict:
        gold = str(problem.answer["text"])
        extraction = self.extract(response)
        if not extraction.ok:
            return Verdict.fail(extraction.reason, extraction.detail)
        answer = extraction.answer
        if text_answers_match(answer, gold):
            return Verdict.correct(answer=answer)
        words_match = len(normalise_text_answer(answer).split(" ")) == len(gold.split(" "))
        return Verdict.fail(
            WRONG_ANSWER,
            "the answer is not the decoded message (compared ignoring letter case and extra whitespace)",
            checks={"word_count": words_match},
            answer=answer,
        )

    def reference_response(self, problem: Problem) -> str:
        notation = str(problem.metadata["notation"])
        words = str(problem.metadata["morse"]).split(WORD_GAPS[notation])
        decoded = [decode(word, notation) for word in words]
        lines = ["Decoding each word letter by letter:"]
        lines += [f"{word} → {text}" for word, text in zip(words, decoded)]
        lines.append(self.answer_format.wrap(" ".join(decoded)))
        return "\n".join(lines)
