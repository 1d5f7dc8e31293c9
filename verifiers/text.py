"""Conservative normalisation of short text answers before an exact comparison.

Text-answer templates (Morse decoding, ciphers, word puzzles) compare a final answer with a gold
string. The normalisation here forgives only what carries no information — runs of whitespace
and, when asked, the case of the ASCII letters — and nothing else:

* Case folding touches `a-z` only. `str.upper()`/`casefold()` would map `ß` to `SS` and the
  ligature `ﬁ` to `FI`, letting a non-ASCII look-alike spell a correct answer.
* No Unicode normalisation (NFKC would turn fullwidth `ＨＩ` into `HI`), no stripping of quotes,
  punctuation or a trailing period: in these tasks those characters can be part of the answer.
* Zero-width and other non-whitespace format characters are kept, so `HEL\\u200bLO` ≠ `HELLO`.
* Where word boundaries cannot be known (Morse without word gaps), `ignore_whitespace` drops all
  whitespace, so any segmentation of the same characters matches.

All functions are linear-time and total on any `str` (lone surrogates included).
"""

from __future__ import annotations

_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def collapse_whitespace(text: str) -> str:
    """Trim `text` and replace every run of whitespace (spaces, tabs, newlines…) with one space."""
    return " ".join(text.split())


def ascii_upper(text: str) -> str:
    """Upper-case the ASCII letters a-z and leave every other character as it is."""
    return text.translate(_ASCII_UPPER)


def remove_whitespace(text: str) -> str:
    """`text` with every whitespace character removed (for answers whose spacing carries no meaning)."""
    return "".join(text.split())


def normalise_text_answer(text: str, *, case_sensitive: bool = False, ignore_whitespace: bool = False) -> str:
    """Whitespace collapsed (or removed, with `ignore_whitespace`) and, unless `case_sensitive`, ASCII letters upper-cased."""
    spaced = remove_whitespace(text) if ignore_whitespace else collapse_whitespace(text)
    return spaced if case_sensitive else ascii_upper(spaced)


def text_answers_match(answer: str, gold: str, *, case_sensitive: bool = False, ignore_whitespace: bool = False) -> bool:
    """True iff `answer` equals `gold` after `normalise_text_answer` on both (same options)."""
    options = {"case_sensitive": case_sensitive, "ignore_whitespace": ignore_whitespace}
    return normalise_text_answer(answer, **options) == normalise_text_answer(gold, **options)
