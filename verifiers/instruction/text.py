"""Offline, deterministic text measurements shared by every instruction-following checker.

IFEval counts sentences and capitalised words with NLTK's Punkt model, whose data must be
downloaded at run time (and cannot be here, nor in most CI). Everything below is pure regex and
`str` methods, linear in the length of the text, with no data files:

* `count_words` keeps IFEval's exact rule (`\\w+` tokens), so word counts agree with IFEval's.
* `split_sentences` is a rule-based splitter: terminal punctuation followed by whitespace and a
  word (of either case, so all-lowercase text splits too), except after known abbreviations,
  dotted abbreviations ("e.g.", "p.m.") and initials; line
  structure counts too (a bullet, heading, title or blank line always ends a sentence, while a
  soft-wrapped prose line does not). Punkt does not split at line breaks at all, so a response
  with a title and bullets gets more sentences here than from Punkt; the checkers and the
  reference builder use the same function, so they stay consistent with each other.
* `word_tokens` approximates NLTK's `word_tokenize` for the only use IFEval makes of it
  (counting all-capital tokens): word characters joined by inner hyphens, apostrophes or periods.

The hack-check layer and the templates use these functions too, so a count means the same
thing everywhere in the package.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

_WORD = re.compile(r"\w+")
ALPHA_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
"""An alphabetic word (any script, an inner apostrophe kept: "don't"); digits and `_` split words.
The unit of the letter-level kinds and of the hack-check's degenerate and relevance measures."""
_TOKEN = re.compile(r"\w+(?:[-.'’]\w+)*")

ABBREVIATIONS: frozenset[str] = frozenset(
    """mr mrs ms dr prof sr jr st mt ft vs etc inc ltd corp dept univ figs approx
    misc jan feb apr jun jul aug sep sept oct nov dec mon tue wed thu fri
    lt sgt capt cmdr hon pres gov sen rep ave blvd rd e.g i.e a.m p.m u.s u.k u.n
    cf eds vol vols pp op cit ibid""".split()
)
"""Lower-case abbreviations (without their final period) after which a period does not end a
sentence. Dotted ones (`e.g`) are matched on the whole dotted token."""

AMBIGUOUS_ABBREVIATIONS: frozenset[str] = frozenset(
    "no nos fig est min max mar sat sun gen col rev ed al sec ch co art".split()
)
"""Abbreviations that are also ordinary words ("in full sun. Many…"): they hold a sentence
together only when a digit or a lower-case word follows ("No. 5", "et al. found")."""

_BULLET_LINE = re.compile(r"^\s*(?:[*+\-•]\s|\d{1,3}[.)]\s)")
_HEADING_LINE = re.compile(
    r"^\s*(?:#{1,6}\s|<<.*>>\s*$|(?:section|chapter|part|paragraph|step)\s+\d+\b|\*\*[^*]+\*\*\s*$)",
    re.IGNORECASE,
)
_RULE_LINE = re.compile(r"^\s*(?:\*{3,}|-{3,}|_{3,}|={3,})\s*$")
_TERMINAL = re.compile(r"[.!?…]+[\"'”’)\]]*$")
# A candidate break: terminal punctuation, optional closing quotes/brackets, then whitespace.
_BREAK = re.compile(r"(?<![.!?…])([.!?…]+)([\"'”’)\]]*)(\s+)")  # starts at a run's first mark: linear
_OPENER = re.compile(r"[\"'“‘(\[*]*\w", re.UNICODE)


def count_words(text: str) -> int:
    """Number of `\\w+` tokens (IFEval's word count: "don't" is two words, "3.5" is two)."""
    return sum(1 for _ in _WORD.finditer(text))


def words(text: str) -> list[str]:
    """The `\\w+` tokens of `text`, in order (the units `count_words` counts)."""
    return _WORD.findall(text)


def word_tokens(text: str) -> list[str]:
    """Word-like tokens with inner hyphens, apostrophes and periods kept ("U.S", "e-mail").

    Used where IFEval tokenises with NLTK's `word_tokenize` and only the token's case matters.
    """
    return _TOKEN.findall(text)


def count_capital_words(text: str) -> int:
    """Number of tokens that are entirely upper case (`str.isupper`: "NASA", "I", "E-MAIL")."""
    return sum(1 for token in _TOKEN.findall(text) if token.isupper())


def count_letter(text: str, letter: str) -> int:
    """Occurrences of one letter in the lower-cased text (IFEval's letter_frequency rule)."""
    return text.lower().count(letter.lower()) if letter else 0


def letter_counts(text: str) -> Counter[str]:
    """Frequency of every alphabetic character in the lower-cased text."""
    return Counter(ch for ch in text.lower() if ch.isalpha())


def _is_structural(line: str) -> bool:
    return bool(_BULLET_LINE.match(line) or _HEADING_LINE.match(line))


def _units(text: str) -> Iterator[str]:
    """Stretches of prose that sentence punctuation may split further.

    Lines are joined as soft-wrapped prose unless structure says otherwise: a blank line, a rule
    (`***`), a bullet, a heading or title, or a line already ending in terminal punctuation closes
    the current stretch.
    """
    current: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or _RULE_LINE.match(line):
            if current:
                yield " ".join(current)
                current = []
            continue
        if _is_structural(line):
            if current:
                yield " ".join(current)
                current = []
            yield line
            continue
        current.append(line)
        if _TERMINAL.search(line):
            yield " ".join(current)
            current = []
    if current:
        yield " ".join(current)


def _ends_with_abbreviation(chunk: str, following: str = "") -> bool:
    """Whether `chunk` ends with an abbreviation whose period does not end the sentence.

    `following` is the first character after the period's whitespace: ambiguous abbreviations
    ("sun", "no") count only before a digit or a lower-case letter.
    """
    tail = chunk.rsplit(None, 1)[-1] if chunk.strip() else ""
    token = tail.lstrip("\"'“‘([").lower()
    if not token:
        return False
    if token in ABBREVIATIONS:
        return True
    if token in AMBIGUOUS_ABBREVIATIONS:
        return following.isdigit() or following.islower()
    if len(token) == 1 and token.isalpha():  # an initial: "J. K. Rowling"
        return True
    if "." in token and all(len(part) <= 2 for part in token.split(".")):  # "u.s", "e.g"
        return True
    return False


def _split_unit(unit: str) -> Iterator[str]:
    start = 0
    for match in _BREAK.finditer(unit):
        end = match.end(2)
        if match.end() >= len(unit):
            break
        if not _OPENER.match(unit, match.end()):
            continue  # "wait... -" or "?!": no word follows, so no new sentence starts here
        if match.group(1) == "." and _ends_with_abbreviation(unit[max(start, match.start(1) - 40):match.start(1)], unit[match.end()]):
            continue
        sentence = unit[start:end].strip()
        if sentence:
            yield sentence
        start = match.end()
    rest = unit[start:].strip()
    if rest:
        yield rest


def split_sentences(text: str) -> list[str]:
    """Sentences of `text` by the rules in this module's docstring; pieces without any letter or
    digit (`***`, `******`, a lone emoji) are not sentences."""
    out: list[str] = []
    for unit in _units(text):
        for sentence in _split_unit(unit):
            if any(ch.isalnum() for ch in sentence):
                out.append(sentence)
    return out


def count_sentences(text: str) -> int:
    """Number of sentences `split_sentences` finds."""
    return len(split_sentences(text))


def split_paragraphs(text: str) -> list[str]:
    """Non-empty blocks separated by blank lines (whitespace-only lines count as blank)."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def strip_thinking(text: str) -> str:
    """The part of a response after the last `</think>` (the whole text if there is none).

    Reasoning inside `<think>…</think>` is never scored; an unclosed `<think>` means the model
    never produced a final answer, so nothing is left to score.
    """
    closing = text.rfind("</think>")
    if closing != -1:
        return text[closing + len("</think>"):]
    if re.search(r"<think>", text):
        return ""
    return text
