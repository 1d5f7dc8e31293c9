"""Morse code: the alphabet, the codec, message generation, and the three decoding templates.

Why these templates: Morse decoding is one of the logic families of the Kimi K2 Verifiable Rewards
Gym. It is pure symbol manipulation with exactly one right answer, checked end to end through the
text contract (word-list package data, tag extraction, conservative text normalisation). The
alphabet, codec and message generator here are shared with `MorseEncode` (`morse_encode.py`).

Alphabet: ITU letters A-Z, digits 0-9 and punctuation `. , ? ' / ( ) & : ; = + - " @`, plus the
widespread non-ITU codes for `!`, `_` and `$` (their codes are given in every prompt that may use
them). Messages are words from the hand-written list in `vrgym.tasks.logic.data`, with numbers and
punctuation at the harder levels (`MessageConfig`).

Templates (conventions stated in every prompt; `.` is a dot and `-` a dash):

* `MorseDecode` — letters separated by one space, words by ` / ` (slash notation) or three spaces.
  Levels: one short word; a few words; a sentence with numbers; with numbers and punctuation; a
  longer one in the spaces notation.
* `MorseDecodeNoisy` — irregular spacing: letters separated by a varying number of spaces, words by
  a slash with varying spaces around it or by a longer run of spaces. The two gap ranges never
  overlap (the config refuses it), so the message still has exactly one decoding; the prompt states
  both ranges. Levels add numbers, punctuation, wider ranges with the narrowest margin between a
  letter gap and a word gap, and finally line wrapping (a line break is a word gap).
* `MorseDecodeNoGaps` — the word gaps are removed: every character is separated from the next by
  the same kind of gap. The characters still decode uniquely, but where words end is not given and
  cannot be proved (`THE REST` / `THERE ST`), so the answer is checked by its characters only:
  whitespace in the answer is ignored and any word segmentation (or none) is accepted. The top
  level adds irregular spacing and breaks lines in the middle of words.

Messages *without letter gaps* are deliberately not generated: a run of dots and dashes has many
decodings (any one is a string of E and T), so without a vocabulary there is nothing to check.

Verification: `MorseDecode` and `MorseDecodeNoisy` compare the `<answer>` content with the message
after `normalise_text_answer` (whitespace runs collapsed, ASCII letters case-folded);
`MorseDecodeNoGaps` additionally drops all whitespace. Nothing else is forgiven: extra words,
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
NON_ITU_CODES = f"{NON_ITU[0]} is {MORSE[NON_ITU[0]]}, {NON_ITU[1]} is {MORSE[NON_ITU[1]]} and {NON_ITU[2]} is {MORSE[NON_ITU[2]]}"
"""The non-ITU codes as prompts state them: '! is -.-.--, _ is ..--.- and $ is ...-..-'."""

WORD_GAPS: dict[str, str] = {"slash": " / ", "spaces": "   "}
"""Separator between words in each notation of `MorseDecode` (letters are separated by one space)."""

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


# --------------------------------------------------------------------------------------- messages


class MessageConfig(TemplateConfig):
    """Length and alphabet of a plain-text message; shared by every Morse template's config."""

    min_words: int = Field(2, ge=1, le=50, description="Fewest words drawn from the word list.")
    max_words: int = Field(4, ge=1, le=50, description="Most words drawn from the word list.")
    min_word_length: int = Field(2, ge=1, le=8, description="Shortest word, in letters.")
    max_word_length: int = Field(7, ge=1, le=8, description="Longest word, in letters.")
    min_numbers: int = Field(0, ge=0, le=10, description="Fewest numbers inserted between the words.")
    max_numbers: int = Field(0, ge=0, le=10, description="Most numbers inserted between the words.")
    max_number_digits: int = Field(4, ge=1, le=9, description="Most digits of an inserted number.")
    punctuation: bool = Field(False, description="Attach punctuation marks (and joined words) to some words.")

    @model_validator(mode="after")
    def _coherent_message(self) -> MessageConfig:
        if self.min_words > self.max_words:
            raise ValueError(f"min_words ({self.min_words}) exceeds max_words ({self.max_words})")
        if self.min_numbers > self.max_numbers:
            raise ValueError(f"min_numbers ({self.min_numbers}) exceeds max_numbers ({self.max_numbers})")
        if self.min_word_length > self.max_word_length:
            raise ValueError(f"min_word_length ({self.min_word_length}) exceeds max_word_length ({self.max_word_length})")
        if not words_of_length(self.min_word_length, self.max_word_length):
            raise ValueError(f"the word list has no word of {self.min_word_length}-{self.max_word_length} letters")
        return self


MESSAGE_LEVELS: dict[str, dict[str, Any]] = {
    "easy": dict(min_words=1, max_words=1, min_word_length=3, max_word_length=5),
    "medium": dict(min_words=2, max_words=4, min_word_length=2, max_word_length=7),
    "hard": dict(min_words=3, max_words=6, min_word_length=2, max_word_length=8, min_numbers=1, max_numbers=2),
    "expert": dict(
        min_words=4, max_words=8, min_word_length=2, max_word_length=8, min_numbers=1, max_numbers=2, punctuation=True
    ),
    "master": dict(
        min_words=6, max_words=10, min_word_length=2, max_word_length=8, min_numbers=1, max_numbers=3, punctuation=True
    ),
}  # fmt: skip
"""The message part of the Morse levels: one word; a few; with numbers; with punctuation; longer."""


def draw_message(rng: random.Random, config: MessageConfig) -> str:
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


def message_tags(text: str, base: str) -> tuple[str, ...]:
    """Instance tags `<base>/digits` and `<base>/punctuation` for what `text` contains."""
    tags = []
    if any(c.isdigit() for c in text):
        tags.append(f"{base}/digits")
    if any(not c.isalnum() and c != " " for c in text):
        tags.append(f"{base}/punctuation")
    return tuple(tags)


def wrap_lines(pieces: list[str], separators: list[str], width: int) -> str:
    """Join `pieces` with `separators`, replacing a separator by a line break where a line would pass `width`."""
    lines, line = [], pieces[0]
    for separator, piece in zip(separators, pieces[1:]):
        if width and len(line) + len(separator) + len(piece) > width:
            lines.append(line)
            line = piece
        else:
            line += separator + piece
    lines.append(line)
    return "\n".join(lines)


def spaces(rng: random.Random, low: int, high: int) -> str:
    """A run of `low` to `high` spaces."""
    return " " * rng.randint(low, high)


# --------------------------------------------------------------------------------------- decoding


def decode_prompt(message: str, spacing_rule: str, text: str, config: MessageConfig, extra: tuple[str, ...], answer_rule: str) -> str:
    """The prompt of every decoding template: conventions, the message, and the answer syntax."""
    lines = [
        "Decode the following message, written in International Morse code.",
        "",
        f'Notation: "." is a dot and "-" is a dash; {spacing_rule}.',
        *extra,
    ]
    if any(c.isdigit() for c in text):
        lines.append("The message contains digits as well as letters.")
    if config.punctuation:
        lines.append(
            f"It may contain punctuation marks, written with their standard Morse codes ({NON_ITU_CODES}); "
            "a punctuation mark is part of the word it is written in, with no space around it."
        )
    lines += ["", message, "", answer_rule, AnswerFormat.TAG.instruction]
    return "\n".join(lines)


_EXACT_ANSWER_RULE = (
    "Answer with the decoded text only: capital letters (case is not checked), one space between words, "
    "every punctuation mark where it is in the message, no quotes around the text and nothing else."
)


def worked_decoding(text: str, heading: str = "Decoding each word letter by letter:") -> list[str]:
    """Reference-response lines: each word of `text` with its code."""
    return [heading, *(f"{encode(word)} → {word}" for word in text.split(" "))]


class _DecodingTemplate(Template):
    """What the decoding templates share: domain, answer format, the exact-text verdict and reference."""

    domain = "logic"
    answer_format = AnswerFormat.TAG

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        gold = str(problem.answer["text"])
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
        text = str(problem.answer["text"])
        return "\n".join([*worked_decoding(text), self.answer_format.wrap(text)])


class MorseDecodeConfig(MessageConfig):
    """The message (see `MessageConfig`) and the word-gap notation; each level sets them."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        **MESSAGE_LEVELS,
        "master": {**MESSAGE_LEVELS["master"], "notation": "spaces"},
    }
    default_level: ClassVar[str | None] = "medium"

    notation: Literal["slash", "spaces", "mixed"] = Field(
        "slash", description="Word gaps as ' / ' or as three spaces; 'mixed' draws one per problem."
    )


@register
class MorseDecode(_DecodingTemplate):
    """Decode an International Morse code message; answer the text between <answer> tags."""

    name = "MorseDecode"
    version = 1  # 1: the bundled word list grew from 568 to 1,495 words (more varied messages)
    tags = ("logic/morse", "logic/morse/decode")
    description = "Decode International Morse code (letters, digits, punctuation) into text."
    Config = MorseDecodeConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, MorseDecodeConfig)
        notation = rng.choice(sorted(WORD_GAPS)) if config.notation == "mixed" else config.notation
        text = draw_message(rng, config)
        message = encode(text, notation)
        gap_rule = (
            'words by " / " (a slash with a space on each side)' if notation == "slash" else "words by three spaces"
        )
        return Draft(
            prompt=decode_prompt(message, f"letters are separated by one space and {gap_rule}", text, config, (), _EXACT_ANSWER_RULE),
            answer={"text": text},
            metadata={"morse": message, "notation": notation, "characters": len(text)},
            tags=message_tags(text, "logic/morse/decode"),
        )


# --------------------------------------------------------------------------------------- noisy spacing


_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count(low: int, high: int) -> str:
    """A range of spaces in words: 'one space', 'one or two spaces', '4 to 7 spaces'."""
    if low == high:
        return f"{_NUMBER_WORDS[low] if low < len(_NUMBER_WORDS) else low} space{'s' * (low != 1)}"
    if high == low + 1 and high < len(_NUMBER_WORDS):
        return f"{_NUMBER_WORDS[low]} or {_NUMBER_WORDS[high]} spaces"
    return f"{low} to {high} spaces"


class MorseDecodeNoisyConfig(MessageConfig):
    """The message, the ranges of letter and word gaps, and line wrapping; each level sets them."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(min_words=2, max_words=3, min_word_length=2, max_word_length=6, max_letter_gap=2, word_gap="slash"),
        "medium": dict(min_words=2, max_words=4, min_word_length=2, max_word_length=7, max_letter_gap=2, min_word_gap=3, max_word_gap=5),
        "hard": dict(**MESSAGE_LEVELS["hard"], max_letter_gap=3, min_word_gap=4, max_word_gap=7),
        "expert": dict(**MESSAGE_LEVELS["expert"], max_letter_gap=3, min_word_gap=4, max_word_gap=6),
        "master": dict(**MESSAGE_LEVELS["master"], max_letter_gap=4, min_word_gap=5, max_word_gap=8, wrap=60),
    }  # fmt: skip
    default_level: ClassVar[str | None] = "medium"

    min_letter_gap: int = Field(1, ge=1, le=10, description="Fewest spaces between two letters of a word.")
    max_letter_gap: int = Field(2, ge=1, le=10, description="Most spaces between two letters of a word.")
    word_gap: Literal["slash", "spaces"] = Field(
        "spaces", description="'slash': words separated by '/' with letter-gap spaces around it; 'spaces': by a longer run of spaces."
    )
    min_word_gap: int = Field(3, ge=2, le=20, description="Fewest spaces between two words (spaces gap).")
    max_word_gap: int = Field(5, ge=2, le=20, description="Most spaces between two words (spaces gap).")
    wrap: int = Field(0, ge=0, le=500, description="Break lines at word gaps to keep them this short (0: one line).")

    @model_validator(mode="after")
    def _distinguishable(self) -> MorseDecodeNoisyConfig:
        if self.min_letter_gap > self.max_letter_gap:
            raise ValueError(f"min_letter_gap ({self.min_letter_gap}) exceeds max_letter_gap ({self.max_letter_gap})")
        if self.min_word_gap > self.max_word_gap:
            raise ValueError(f"min_word_gap ({self.min_word_gap}) exceeds max_word_gap ({self.max_word_gap})")
        if self.word_gap == "spaces" and self.min_word_gap <= self.max_letter_gap:
            raise ValueError(
                f"min_word_gap ({self.min_word_gap}) must exceed max_letter_gap ({self.max_letter_gap}), "
                "or a letter gap could not be told from a word gap"
            )
        return self


@register
class MorseDecodeNoisy(_DecodingTemplate):
    """Decode Morse code whose gaps have irregular lengths (letter and word gap ranges never overlap)."""

    name = "MorseDecodeNoisy"
    version = 0
    tags = ("logic/morse", "logic/morse/decode", "logic/morse/decode/noisy")
    description = "Decode Morse code with irregular spacing between letters and words."
    Config = MorseDecodeNoisyConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, MorseDecodeNoisyConfig)
        text = draw_message(rng, config)
        low, high = config.min_letter_gap, config.max_letter_gap
        words = ["".join(_noisy_letters(rng, word, low, high)) for word in text.split(" ")]
        if config.word_gap == "slash":
            gaps = [spaces(rng, low, high) + "/" + spaces(rng, low, high) for _ in words[1:]]
            word_rule = f'words by a slash "/" with {_count(low, high)} on each side'
        else:
            gaps = [spaces(rng, config.min_word_gap, config.max_word_gap) for _ in words[1:]]
            word_rule = f"words by {_count(config.min_word_gap, config.max_word_gap)}"
        message = wrap_lines(words, gaps, config.wrap)
        extra = ("The gaps vary in length, but a gap between letters is always shorter than a gap between words.",)
        if config.wrap:
            extra += ("The message is broken over several lines; a line break is also a gap between words.",)
        return Draft(
            prompt=decode_prompt(
                message, f"letters of a word are separated by {_count(low, high)} and {word_rule}", text, config, extra, _EXACT_ANSWER_RULE
            ),
            answer={"text": text},
            metadata={"morse": message, "characters": len(text)},
            tags=message_tags(text, "logic/morse/decode"),
        )


def _noisy_letters(rng: random.Random, word: str, low: int, high: int) -> list[str]:
    """The codes of `word`'s characters with a random run of `low`..`high` spaces between each two."""
    pieces = [MORSE[word[0]]]
    for char in word[1:]:
        pieces += [spaces(rng, low, high), MORSE[char]]
    return pieces


# --------------------------------------------------------------------------------------- no word gaps


class MorseDecodeNoGapsConfig(MessageConfig):
    """The message, the range of the (uniform) character gaps, and line wrapping; each level sets them."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(min_words=3, max_words=3, min_word_length=2, max_word_length=4),
        "medium": dict(MESSAGE_LEVELS["medium"], min_words=3, max_words=5),
        "hard": dict(MESSAGE_LEVELS["hard"]),
        "expert": dict(MESSAGE_LEVELS["expert"]),
        "master": dict(MESSAGE_LEVELS["master"], max_letter_gap=3, wrap=50),
    }  # fmt: skip
    default_level: ClassVar[str | None] = "medium"

    min_letter_gap: int = Field(1, ge=1, le=10, description="Fewest spaces between two characters.")
    max_letter_gap: int = Field(1, ge=1, le=10, description="Most spaces between two characters.")
    wrap: int = Field(0, ge=0, le=500, description="Break lines between characters to keep them this short (0: one line).")

    @model_validator(mode="after")
    def _gaps(self) -> MorseDecodeNoGapsConfig:
        if self.min_letter_gap > self.max_letter_gap:
            raise ValueError(f"min_letter_gap ({self.min_letter_gap}) exceeds max_letter_gap ({self.max_letter_gap})")
        return self


_LETTERS_ANSWER_RULE = (
    "Answer with the decoded characters in order: letters (case is not checked), digits and punctuation marks, "
    "no quotes and nothing else. Spaces in your answer are ignored, so you may split the characters into words "
    "wherever you like or write them as one run."
)


@register
class MorseDecodeNoGaps(_DecodingTemplate):
    """Decode Morse code whose word gaps were removed; checked by the characters, any segmentation accepted."""

    name = "MorseDecodeNoGaps"
    version = 0
    tags = ("logic/morse", "logic/morse/decode", "logic/morse/decode/no_word_gaps")
    description = "Decode Morse code without word gaps; the characters are checked, spacing is free."
    Config = MorseDecodeNoGapsConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, MorseDecodeNoGapsConfig)
        text = draw_message(rng, config)
        codes = [MORSE[char] for char in text.replace(" ", "")]
        low, high = config.min_letter_gap, config.max_letter_gap
        message = wrap_lines(codes, [spaces(rng, low, high) for _ in codes[1:]], config.wrap)
        extra = ("The gaps between words have been removed: every character is separated from the next in the same way.",)
        if config.wrap:
            extra += ("The message is broken over several lines, even in the middle of a word; a line break is a gap between two characters.",)
        return Draft(
            prompt=decode_prompt(
                message, f"every two characters are separated by {_count(low, high)}", text, config, extra, _LETTERS_ANSWER_RULE
            ),
            answer={"text": text},
            metadata={"morse": message, "characters": len(codes)},
            tags=message_tags(text, "logic/morse/decode"),
        )

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        gold = str(problem.answer["text"])
        if text_answers_match(answer, gold, ignore_whitespace=True):
            return Verdict.correct(answer=answer)
        same_length = len(normalise_text_answer(answer, ignore_whitespace=True)) == len(gold.replace(" ", ""))
        return Verdict.fail(
            WRONG_ANSWER,
            "the characters are not the decoded message (compared ignoring letter case and all whitespace)",
            checks={"character_count": same_length},
            answer=answer,
        )

    def reference_response(self, problem: Problem) -> str:
        text = str(problem.answer["text"])
        lines = worked_decoding(text, "Decoding the characters one by one and reading them as words:")
        return "\n".join([*lines, self.answer_format.wrap(text)])

