"""Dated events: which date fact a date in a sentence claims, and relative dates between entities.

A document gives each entity one dated event of its type (a person is born, a company founded, a
product launched, a project started). Checking a date against *every* date of the entities a
sentence names lets a policy move a date from one event to another: "Visath Thouth founded
Vreikeind Metals in 1991" would pass on Visath Thouth's birth year. So a date is bound to the
event verb that governs it ("founded … in 1991" claims a founding date), and only date facts of
that event count.

The governing verb is the last event verb between the previous value and the date ("born in
1969 and founded Velto in 1990"); for a date that opens its clause ("In 1893, Voukras Systems was
founded") the first verb after it; else the last event verb earlier in the sentence (gapping:
"Velto was founded in 1964 and Ostrik in 1987"). A date with no event verb keeps the old rule.

Relative dates ("two years before Krirekrou Labs", "23 years after Drostoso Industries was
founded", "the same day Vruhirk Foods opened") are read as claims about two events and checked
against both date facts; their "two years" is then not an unsupported duration.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vrgym.verifiers.faithfulness.facts import FactBase
from vrgym.verifiers.faithfulness.lazy import LazyPattern
from vrgym.verifiers.faithfulness.values import NUMBER_WORDS, DateValue, words_value

_EVENT_CUES: tuple[tuple[str, frozenset[str]], ...] = (
    (r"born|birth(?:day|date)?", frozenset({"born"})),
    (r"(?:co-)?found(?:ed|ing)|establish(?:ed|ment)?|set\s+up|formed|incorporated|created|opened", frozenset({"founded_on"})),
    (r"launch(?:ed|es)?|released|went\s+on\s+sale|on\s+sale|came\s+out|introduced", frozenset({"launched", "started"})),
    (r"began|begun|beginning|got\s+under\s+way|under\s+way|kicked\s+off|commenced", frozenset({"started"})),
    (r"start(?:ed|s)?", frozenset({"started", "founded_on"})),
)
"""Event verbs (and nouns) -> the date predicates they can claim."""
EVENT = LazyPattern(r"\b(?:" + "|".join(f"(?P<e{i}>{cue})" for i, (cue, _) in enumerate(_EVENT_CUES)) + r")\b", re.IGNORECASE)
TYPE_EVENT = {"person": "born", "company": "founded_on", "product": "launched", "project": "started"}
"""Each entity type's own dated event."""
_OPENER = LazyPattern(r"\s*(?:(?:in|on|by|since|during)\s*)?,?\s*", re.IGNORECASE)


def _predicates(match: re.Match[str]) -> frozenset[str]:
    index = int(next(name for name, value in match.groupdict().items() if value is not None)[1:])
    return _EVENT_CUES[index][1]


Cue = tuple[int, int, frozenset[str]]
"""(start, end, date predicates) of one event verb in a sentence."""


def event_cues(sentence: str) -> list[Cue]:
    """Every event verb of `sentence` in order, read once (a sentence may hold many dates)."""
    return [(m.start(), m.end(), _predicates(m)) for m in EVENT.finditer(sentence)]


def governing_event(sentence: str, cues: Sequence[Cue], start: int, end: int, previous_end: int, next_start: int) -> frozenset[str] | None:
    """The date predicates the event verb governing the value at [start, end) can claim (None: no verb).

    `cues` are the sentence's `event_cues`; `previous_end`/`next_start` bound the value's clause:
    the end of the value before it and the start of the one after it (0 and len(sentence) when
    there are none).
    """
    before = bisect_right(cues, start, key=lambda cue: cue[1]) - 1  # last cue ending before the value
    if before >= 0 and cues[before][0] >= previous_end:
        return cues[before][2]
    if _OPENER.fullmatch(sentence, previous_end, start):
        after = bisect_left(cues, end, key=lambda cue: cue[0])
        if after < len(cues) and cues[after][1] <= next_start:
            return cues[after][2]
    return cues[before][2] if before >= 0 else None


def dated(base: FactBase, names: Iterable[str], predicates: frozenset[str] | None) -> list[DateValue]:
    """Date facts of `names` for `predicates` (every date fact of theirs when None)."""
    return [d for n in names for p, d in base.dates.get(n, ()) if predicates is None or p in predicates]


_AMOUNT = rf"(?P<n>\d{{1,4}}|{NUMBER_WORDS.pattern})"
RELATIVE = LazyPattern(
    rf"\b{_AMOUNT}\s+(?P<unit>years?|months?|days?)\s+(?P<dir>before|after|earlier\s+than|later\s+than|prior\s+to|ahead\s+of)\s+(?:the\s+)?$"
    r"|\b(?:on|in)?\s*the\s+same\s+(?P<same>day|month|year)\s+(?:as\s+|that\s+|when\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
"""The text right before an entity mention that makes a relative-date claim about it."""


@dataclass(frozen=True)
class Relative:
    """One relative-date claim: (start, end) of its amount ("two years"), and whether it holds."""

    start: int
    end: int
    holds: bool
    text: str


Mention = tuple[int, int, tuple[str, ...]]


def relative_dates(sentence: str, mentions: Sequence[Mention], base: FactBase, stated: Sequence[tuple[int, DateValue]]) -> list[Relative]:
    """Every relative-date claim in `sentence` against a named entity, each checked against the facts.

    The earlier event is the date the sentence states before the phrase (`stated`: offset, date),
    else the date fact of the entity named before it, for the event verb governing the phrase. The
    other event is the named entity's date fact for the verb right after it ("… after Velto was
    founded"), else for the same event. A missing date on either side makes the claim unsupported.
    """
    if not mentions or (" same " not in sentence and not any(w in sentence for w in ("before", "after", "than", "prior", "ahead"))):
        return []
    found: list[Relative] = []
    cues: list[Cue] | None = None
    for index, (b_start, b_end, b_names) in enumerate(mentions):
        match = RELATIVE.search(sentence, max(0, b_start - 60), b_start)
        if match is None or index == 0:
            continue
        cues = event_cues(sentence) if cues is None else cues
        event = governing_event(sentence, cues, match.start(), match.start(), 0, match.start())
        earlier = [d for offset, d in stated if offset < match.start()]
        if earlier:
            mine = [earlier[-1]]
        else:
            subject = mentions[index - 1][2]
            mine = dated(base, subject, event) or (dated(base, subject, None) if event is None else [])
        after = EVENT.search(sentence, b_end, min(len(sentence), b_end + 25))
        theirs_event = _predicates(after) if after is not None and re.fullmatch(r"\s*(?:was|were|is|had\s+been|got)?\s*", sentence[b_end : after.start()]) else event
        theirs = dated(base, b_names, theirs_event) or (dated(base, b_names, None) if theirs_event is None else [])
        if match["same"]:
            holds = any(_same(a, b, match["same"].lower()) for a in mine for b in theirs)
            found.append(Relative(match.start(), match.start(), holds, match.group().strip()))
            continue
        amount = int(match["n"]) if match["n"].isdigit() else words_value(match["n"])
        sign = -1 if match["dir"].lower().split()[0] in ("before", "earlier", "prior", "ahead") else 1
        unit = match["unit"].lower().rstrip("s")
        holds = amount is not None and any(_gap(a, b, unit) == sign * amount for a in mine for b in theirs)
        found.append(Relative(match.start("n"), match.end("unit"), holds, match.group().strip()))
    return found


def _same(a: DateValue, b: DateValue, unit: str) -> bool:
    if unit == "year":
        return a.year == b.year
    if unit == "month":
        return a.year == b.year and a.month is not None and a.month == b.month
    return a.day is not None and a == b


def _gap(a: DateValue, b: DateValue, unit: str) -> int | None:
    """a - b in whole `unit`s when both dates are precise enough to say; else None."""
    if unit == "year":
        return a.year - b.year
    if unit == "month" and a.month is not None and b.month is not None:
        return (a.year - b.year) * 12 + a.month - b.month
    return None
