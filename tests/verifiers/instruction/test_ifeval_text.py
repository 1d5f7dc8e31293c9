"""Offline text measurements (sentence splitter, word and capital counts) and fail-closed language detection."""

from __future__ import annotations

import subprocess
import sys

from vrgym.verifiers.instruction.language import detect_language, script_profile
from vrgym.verifiers.instruction.text import (
    count_capital_words,
    count_sentences,
    count_words,
    split_paragraphs,
    split_sentences,
    strip_thinking,
)


def test_words_are_ifeval_word_tokens() -> None:
    assert count_words("Don't stop: 3.5 km!") == 6  # don, t, stop, 3, 5, km
    assert count_words("") == 0


def test_sentences_respect_abbreviations_initials_and_decimals() -> None:
    text = "Dr. Smith met J. K. Rowling at 3 p.m. on Friday. It cost 3.50 dollars, e.g. a coffee. Really? Yes!"
    assert split_sentences(text) == [
        "Dr. Smith met J. K. Rowling at 3 p.m. on Friday.",
        "It cost 3.50 dollars, e.g. a coffee.",
        "Really?",
        "Yes!",
    ]


def test_sentences_follow_line_structure() -> None:
    text = "<<Title>>\nSECTION 1\nA soft\nwrapped line. Next one.\n* bullet one\n* bullet two\n***\nlast one"
    assert split_sentences(text) == ["<<Title>>", "SECTION 1", "A soft wrapped line.", "Next one.", "* bullet one", "* bullet two", "last one"]
    assert count_sentences("all lower case. still splits. yes") == 3
    assert count_sentences("*** ****** !!!") == 0


def test_capital_words_and_paragraphs() -> None:
    assert count_capital_words("NASA and the U.S. said I AM fine, e-MAIL no") == 4  # NASA, U.S, I, AM; "e-MAIL" has a lower-case letter
    assert split_paragraphs("a\n\n \n\nb\nc\n\n") == ["a", "b\nc"]


def test_thinking_is_never_scored() -> None:
    assert strip_thinking("<think>plan</think> answer") == " answer"
    assert strip_thinking("<think>never closed") == ""
    assert strip_thinking("plain") == "plain"


def test_language_detection_is_deterministic_and_fails_closed() -> None:
    french = "Bonjour, je vous écris au sujet du jardin partagé qui ouvre le mois prochain."
    assert detect_language(french) == "fr"
    assert len({detect_language(french) for _ in range(5)}) == 1
    assert detect_language("12345 678") is None
    assert detect_language("ok") is None
    assert detect_language("สวัสดีครับ วันนี้อากาศดีมาก") == "th"
    assert detect_language("THIS IS AN ENGLISH SENTENCE ABOUT THE WEATHER TODAY.") == "en"
    assert detect_language("CECI EST UNE PHRASE EN FRANÇAIS SUR LE TEMPS QU'IL FAIT.") == "fr"
    assert script_profile("abc где")["CYRILLIC"] == 3


def test_detection_result_is_the_same_in_another_process() -> None:
    text = "Der Vermieter hat die Heizung noch immer nicht repariert, obwohl es draußen kalt ist."
    code = f"from vrgym.verifiers.instruction.language import detect_language; print(detect_language({text!r}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == detect_language(text) == "de"


def test_abbreviations_that_are_also_words_end_a_sentence_before_a_capital() -> None:
    """'full sun. Many…' is two sentences; 'No. 5' and 'et al. found' stay one."""
    from vrgym.verifiers.instruction import split_sentences

    text = "Plant it in full sun. Many households grow it. See No. 5 for details. Smith et al. found it."
    assert split_sentences(text) == [
        "Plant it in full sun.",
        "Many households grow it.",
        "See No. 5 for details.",
        "Smith et al. found it.",
    ]
