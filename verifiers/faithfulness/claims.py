"""Sentences and the factual claims in them: quantities, dates, years and capitalised names.

`sentences(text)` splits a response into the units the grounding checker judges one at a time:
lines, then sentence ends (a period inside "3.5" or "$2.4" never splits). Markdown markers (bold,
headings, bullets, list numbers, table bars) are removed first, so a list item is a sentence and
its "1." is not a claim.

`extract_claims(sentence)` reads what a sentence asserts that could be checked against facts:
full or month-year dates, then numbers (digits with their money sign, scale word and unit, or
number words followed by a unit), bare years, bare number words above twelve ("nine hundred"),
and runs of capitalised words (candidate names). A number right after a noun that names its
dimension ("a staff of 7,200", "a population of 83,100") carries that dimension, as if the unit
followed it. A lower-case suffix joined by a hyphen is not part of a name ("Dononholm-based").
Each value's start offset is kept (`positions`), so a date can be bound to the verb before it.
Spans already read as a date are masked before numbers are read, so "12 March 2004" is one date,
not the numbers 12 and 2004.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from vrgym.verifiers.faithfulness.lazy import LazyPattern
from vrgym.verifiers.faithfulness.values import (
    DATE_PATTERNS,
    NUMBER,
    NUMBER_WORDS,
    WORD_QUANTITY,
    DateValue,
    Quantity,
    date_from_match,
    quantity_from_match,
    words_value,
)

_MARKUP = LazyPattern(r"\*\*|__|`+|^\s{0,3}#{1,6}\s*|^\s*(?:[-*+•]|\d{1,3}[.)])\s+|\|", re.MULTILINE)
_SENTENCE_END = LazyPattern(r"(?<=[.!?;])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9$])")
_TAGS = LazyPattern(r"</?answer>", re.IGNORECASE)
_NAME_RUN = LazyPattern(r"(?<![\w'’-])[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)*")
_POSSESSIVE = LazyPattern(r"['’]s?$")
_DIGIT = LazyPattern(r"\d")
_DIMENSION_NOUN = LazyPattern(
    r"\b(?:(?P<staff>staff|workforce|headcount)|(?P<population>population))\s+(?:of|is|was|:|stands\s+at|totals?)?\s*(?:about\s+)?$",
    re.IGNORECASE,
)
"""A noun that gives the following bare number its dimension ("a staff of 7,200")."""
_HYPHEN_SUFFIX = LazyPattern(r"-[a-z][\w-]*$")
SMALL_WORD_NUMBER = 12
"""Bare number words up to this value ("two of them", "twelve") are counting words, not claims."""

STOP_WORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "nor", "so", "yet", "however", "therefore", "thus", "hence", "since", "because", "although", "though", "while", "whereas", "both", "neither", "either", "each", "every", "all", "none", "no", "yes", "not", "this", "that", "these", "those", "it", "its", "they", "their", "them", "he", "she", "his", "her", "hers", "we", "our", "i", "you", "your", "my", "me", "in", "on", "at", "of", "for", "to", "from", "by", "with", "as", "into", "onto", "about", "after", "before", "between", "during", "per", "via", "than", "then", "also", "finally", "first", "second", "third", "next", "last", "overall", "meanwhile", "moreover", "furthermore", "additionally", "instead", "still", "if", "when", "where", "which", "who", "whom", "whose", "what", "why", "how", "there", "here", "according", "based", "given", "combined", "together", "total", "sum", "difference", "answer", "answers", "question", "questions", "document", "documents", "text", "source", "sources", "summary", "justification", "reasoning", "note", "notes", "step", "steps", "conclusion", "result", "results", "so-called", "unlike", "like", "only", "just", "mr", "mrs", "ms", "dr", "sir", "madam", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "usd", "km", "kg", "ok", "okay", "sure", "well", "hmm", "let", "let's", "lets", "looking", "reading", "checking", "adding", "subtracting", "comparing", "using"]
)
"""Capitalised words that are never names (function words, months, report headings)."""


@dataclass
class Claims:
    """What one sentence asserts: quantities, (partial) dates, bare years and candidate names."""

    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateValue] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    names: list[tuple[str, bool]] = field(default_factory=list)
    """(name run, starts the sentence): a sentence-initial capital is weaker evidence of a name."""
    spans: list[tuple[int, int, str, int]] = field(default_factory=list)
    """(start, end, kind, index into that kind's list) of every value claim, in reading order."""

    def position(self, kind: str, index: int) -> int:
        """Start offset of the `index`-th claim of `kind` ("quantity", "date", "year"); -1 if unknown."""
        return next((start for start, _, k, i in self.spans if k == kind and i == index), -1)

    @property
    def values(self) -> int:
        return len(self.quantities) + len(self.dates) + len(self.years)


def clean(text: str) -> str:
    """The response without markdown markers; an answer tag's content becomes a sentence of its own."""
    return _MARKUP.sub(" ", _TAGS.sub("\n", text))


def sentences(text: str) -> list[str]:
    """Non-empty sentences of `text` in order (lines first, then sentence-ending punctuation)."""
    found: list[str] = []
    for line in clean(text).splitlines():
        for piece in _SENTENCE_END.split(line):
            piece = piece.strip()
            if any(ch.isalnum() for ch in piece):
                found.append(piece)
    return found


def _mask(chars: list[str], start: int, end: int) -> None:
    chars[start:end] = " " * (end - start)  # in place: rebuilding the string per match was quadratic


def extract_claims(sentence: str) -> Claims:
    """Every checkable claim in `sentence` (see the module docstring for the reading order)."""
    claims = Claims()
    masked = sentence
    digits = _DIGIT.search(sentence) is not None
    chars = list(sentence)
    for pattern in DATE_PATTERNS if digits else ():
        for match in list(pattern.finditer(masked)):
            date = date_from_match(match)
            if date is not None:
                claims.spans.append((match.start(), match.end(), "date", len(claims.dates)))
                claims.dates.append(date)
            _mask(chars, match.start(), match.end())
        masked = "".join(chars)
    for match in list(NUMBER.finditer(masked)) if digits else ():
        quantity = quantity_from_match(match)
        _mask(chars, match.start(), match.end())
        if quantity is None:
            continue
        plain = match["num"]
        if quantity.dimension is None and not match["money"]:
            start = max(0, match.start() - 40)
            low = max(0, start - 1)  # one character before the 40 read, for the \b
            noun = _DIMENSION_NOUN.search("".join(chars[low : match.start()]), start - low)
            if noun is not None:
                quantity = Quantity(quantity.value, "staff" if noun["staff"] else "population")
        if quantity.dimension is None and not match["scale"] and re.fullmatch(r"1[5-9]\d\d|20\d\d", plain):
            claims.spans.append((match.start(), match.end(), "year", len(claims.years)))
            claims.years.append(int(plain))
        else:
            claims.spans.append((match.start(), match.end(), "quantity", len(claims.quantities)))
            claims.quantities.append(quantity)
    masked = "".join(chars)
    for match in list(WORD_QUANTITY.finditer(masked)):
        quantity = quantity_from_match(match)
        _mask(chars, match.start(), match.end())
        if quantity is not None:
            claims.spans.append((match.start(), match.end(), "quantity", len(claims.quantities)))
            claims.quantities.append(quantity)
    masked = "".join(chars)
    for match in NUMBER_WORDS.finditer(masked):  # bare number words: "two" is counting, "nine hundred" a claim
        value = words_value(match.group())
        if value is not None and value > SMALL_WORD_NUMBER:
            if 1500 <= value <= 2099:
                claims.spans.append((match.start(), match.end(), "year", len(claims.years)))
                claims.years.append(value)
            else:
                claims.spans.append((match.start(), match.end(), "quantity", len(claims.quantities)))
                claims.quantities.append(Quantity(Fraction(value)))
    claims.spans.sort()
    for match in _NAME_RUN.finditer(sentence):
        claims.names.extend(_name_runs(match.group(), initial=not sentence[: match.start()].strip(" \"'(")))
    return claims


def _name_runs(run: str, initial: bool) -> list[tuple[str, bool]]:
    """Split a capitalised run at stop words; strip possessives. The first piece keeps `initial`."""
    pieces: list[tuple[str, bool]] = []
    current: list[str] = []
    first = initial
    for word in run.split():
        suffixed = _HYPHEN_SUFFIX.search(word) is not None
        word = _HYPHEN_SUFFIX.sub("", word)  # "Dononholm-based Velto": two names, Dononholm and Velto
        bare = _POSSESSIVE.sub("", word).strip("-'’")
        if not bare or bare.lower() in STOP_WORDS:
            if current:
                pieces.append((" ".join(current), first))
            current, first = [], False
            continue
        current.append(bare)
        if suffixed or bare != word.strip("-'’"):  # a possessive ends the name: "Quell's Veltrano" is two names
            pieces.append((" ".join(current), first))
            current, first = [], False
    if current:
        pieces.append((" ".join(current), first))
    return pieces
