"""`MorseEncode`: write a text in International Morse code.

Why this template: encoding is the other direction of the Kimi K2 Morse task. Unlike decoding, the
answer is not a natural-language string, so the verifier parses it as Morse under conventions the
prompt states exactly, instead of comparing one stored rendering character by character.

Generation: the messages of `MorseDecode` (`vrgym.tasks.logic.morse.MESSAGE_LEVELS`): one word; a
few words (3-5, so that 10,000 problems are 99.9 % distinct); with numbers; with numbers and
punctuation; a longer sentence. The one-word level has only as many problems as the word list has
words of 3-5 letters (about 440).

Answer syntax (stated in the prompt): `.` for a dot, `-` for a dash; the codes of the characters of
a word separated by whitespace; words separated by a slash `/`. What is accepted:

* any run of spaces, tabs or line breaks between two codes (one space is asked for, more is
  harmless: it carries no information once words are marked by slashes);
* a word-gap slash with or without whitespace around it.

What is rejected: any character other than `.`, `-`, `/` and space/tab/line break (letters, quotes,
the Unicode look-alikes `·` `—` `−`, zero-width characters: `format`); an empty word (a slash at the
start or end, or two slashes with nothing between them); a missing, extra or wrong code; a word
gap missing or added. Because Morse codes are distinct, "the same codes in the same words" is
exactly "a correct rendering": every correct answer is accepted and nothing else.
"""

from __future__ import annotations

import random
import re
from typing import Any, ClassVar

from vrgym.config import TemplateConfig
from vrgym.problem import Problem
from vrgym.registry import register
from vrgym.tasks.logic.morse import MESSAGE_LEVELS, MORSE, NON_ITU_CODES, MessageConfig, draw_message, message_tags
from vrgym.template import Draft, Template
from vrgym.verdict import FORMAT, WRONG_ANSWER, Verdict
from vrgym.verifiers.extraction import AnswerFormat

_MORSE_ANSWER = re.compile(r"[.\-/ \t\r\n]*")
"""The characters an encoded answer may contain."""
WORD_SEPARATOR = "/"
_EXAMPLE = ("AB C", ".- -... / -.-.")
"""The syntax example of the prompt: a text no level generates (AB is not a word of the list)."""


def gold_codes(text: str) -> list[list[str]]:
    """The codes of `text`, word by word."""
    return [[MORSE[char] for char in word] for word in text.split(" ")]


def parse_encoding(answer: str) -> list[list[str]] | str:
    """Codes word by word of an encoded answer, or a message saying why it breaks the syntax."""
    if _MORSE_ANSWER.fullmatch(answer) is None:
        return 'only ".", "-", "/" and spaces or line breaks may appear in the answer'
    words = [word.split() for word in answer.split(WORD_SEPARATOR)]
    if any(not word for word in words):
        return "a word is empty: a slash at the start or the end, or two slashes with no code between them"
    return words


class MorseEncodeConfig(MessageConfig):
    """The message to encode (see `MessageConfig`); each level sets it."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {**MESSAGE_LEVELS, "medium": dict(MESSAGE_LEVELS["medium"], min_words=3, max_words=5)}
    default_level: ClassVar[str | None] = "medium"


@register
class MorseEncode(Template):
    """Encode a text in International Morse code; answer the code between <answer> tags."""

    name = "MorseEncode"
    version = 0
    domain = "logic"
    tags = ("logic/morse", "logic/morse/encode")
    description = "Encode text (letters, digits, punctuation) in International Morse code."
    Config = MorseEncodeConfig
    answer_format = AnswerFormat.TAG

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, MorseEncodeConfig)
        text = draw_message(rng, config)
        lines = [
            "Encode the following text in International Morse code.",
            "",
            text,
            "",
            'Notation: write a dot as "." and a dash as "-". Separate the codes of two characters of the same word '
            'by a space, and separate two words by a slash "/" with a space on each side.',
        ]
        if any(c.isdigit() for c in text):
            lines.append("The text contains digits; encode each digit with its Morse code.")
        if config.punctuation:
            lines.append(
                f"It may contain punctuation marks; encode each with its standard Morse code ({NON_ITU_CODES}) as a "
                'character of the word it is attached to. A "/" inside a word is the slash character (-..-.); '
                'only a gap between words is written as a lone "/".'
            )
        example_text, example_code = _EXAMPLE
        lines += [
            "",
            "Extra spaces or line breaks between codes are accepted; nothing else may appear in the answer "
            "(no letters, no quotes, no slash at the start or the end).",
            f"Put your final answer, and nothing else, between <answer> and </answer> tags; for example, the text "
            f'"{example_text}" would be answered <answer>{example_code}</answer>.',
        ]
        return Draft(
            prompt="\n".join(lines),
            answer={"text": text, "morse": " / ".join(" ".join(word) for word in gold_codes(text))},
            metadata={"characters": len(text.replace(" ", ""))},
            tags=message_tags(text, "logic/morse/encode"),
        )

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        parsed = parse_encoding(answer)
        if isinstance(parsed, str):
            return Verdict.fail(FORMAT, parsed, answer=answer)
        gold = gold_codes(str(problem.answer["text"]))
        if parsed == gold:
            return Verdict.correct(answer=answer)
        checks = {
            "word_count": len(parsed) == len(gold),
            "character_count": sum(map(len, parsed)) == sum(map(len, gold)),
        }
        return Verdict.fail(WRONG_ANSWER, "the codes or word gaps are not the encoding of the text", checks=checks, answer=answer)

    def reference_response(self, problem: Problem) -> str:
        text = str(problem.answer["text"])
        lines = ["Encoding each word character by character:"]
        lines += [f"{word} → {' '.join(codes)}" for word, codes in zip(text.split(" "), gold_codes(text))]
        lines.append(self.answer_format.wrap(str(problem.answer["morse"])))
        return "\n".join(lines)
