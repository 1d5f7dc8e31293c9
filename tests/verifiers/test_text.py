"""Conservative text normalisation: whitespace and ASCII case are forgiven, nothing else."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vrgym.verifiers.text import ascii_upper, collapse_whitespace, normalise_text_answer, text_answers_match


@pytest.mark.parametrize(
    ("answer", "gold"),
    [
        ("HELLO WORLD", "HELLO WORLD"),
        ("hello world", "HELLO WORLD"),
        ("Hello   World", "HELLO WORLD"),
        ("  hello\n\tworld \n", "HELLO WORLD"),
        ("it's 5 o'clock!", "IT'S 5 O'CLOCK!"),
        ('"quoted" (text)', '"QUOTED" (TEXT)'),
    ],
)
def test_matches(answer: str, gold: str) -> None:
    assert text_answers_match(answer, gold)


@pytest.mark.parametrize(
    ("answer", "gold"),
    [
        ("HELLO", "HELLO WORLD"),
        ("HELLO WORLD AGAIN", "HELLO WORLD"),
        ("HELLO or HALLO", "HELLO"),
        ('"HELLO"', "HELLO"),  # quotes are characters of the answer, not stripped
        ("HELLO.", "HELLO"),
        ("HELLOWORLD", "HELLO WORLD"),
        ("HEL LO", "HELLO"),
        ("HEL\u200bLO", "HELLO"),  # zero-width space is not whitespace
        ("\uff28\uff29", "HI"),  # fullwidth letters are not folded
        ("\ufb01SH", "FISH"),  # the fi ligature upper-cases to FI with str.upper(); not here
        ("STRA\u00dfE", "STRASSE"),  # ß upper-cases to SS with str.upper(); not here
        ("\u0130T", "IT"),  # dotted capital I
        ("HELLO, WORLD", "HELLO , WORLD"),
        ("hello", "hello world"),
    ],
)
def test_mismatches(answer: str, gold: str) -> None:
    assert not text_answers_match(answer, gold)


def test_case_sensitive_option() -> None:
    assert not text_answers_match("hello", "HELLO", case_sensitive=True)
    assert text_answers_match(" HELLO ", "HELLO", case_sensitive=True)
    assert normalise_text_answer("a  b", case_sensitive=True) == "a b"


def test_helpers() -> None:
    assert collapse_whitespace(" a \u00a0 b\u3000c\n") == "a b c"
    assert ascii_upper("abc\u00e9\u00df1!") == "ABC\u00e9\u00df1!"


def test_hostile_inputs_are_total_and_fast() -> None:
    for text in ["", "\ud800", "\x00" * 1000, " " * 10**6, "a " * 500_000, "\U0010ffff" * 1000]:
        start = time.perf_counter()
        assert not text_answers_match(text, "HELLO")
        assert time.perf_counter() - start < 0.5


@given(st.text(max_size=80))
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalise_text_answer(text)
    assert normalise_text_answer(once) == once
    assert text_answers_match(text, once)
