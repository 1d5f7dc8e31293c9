"""Comparisons between two named entities ("younger than", "more residents than", "the newer model").

A comparison states no value, so the value checks never see it, and a policy could add any
"X is older than Y" to a grounded answer. When both sides are entities of the document, the
comparison is a claim about their facts: it must be true of the compared attribute. A side
without that attribute (omitted, or of the wrong type) makes it unsupported: the document does
not say.

Forms read: "A <comparative> [attribute noun] than B" ("A has more residents than B", "A covers a
larger area than B", "A is heavier than the B", "A's population is larger than B's"), "than both"
(every other entity of A's type named before), and "A is the <comparative> [noun / of the two]"
(against the other entities of A's type the sentence names, else the previous sentence's). A is
the entity named nearest before the comparative (pronouns resolved). A bare "more"/"less" with no
attribute noun, or a comparative with a number after "than", is not read here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from vrgym.verifiers.faithfulness.facts import FactBase
from vrgym.verifiers.faithfulness.lazy import LazyPattern
from vrgym.verifiers.faithfulness.values import DateValue

Mention = tuple[int, int, tuple[str, ...]]

_UP = {"more", "larger", "bigger", "higher", "greater", "heavier", "pricier", "costlier", "richer", "wealthier", "newer", "younger", "later"}
_DOWN = {"less", "fewer", "smaller", "lower", "lighter", "cheaper", "poorer", "older", "earlier"}
COMPARATIVE = LazyPattern(
    r"\b(?P<word>" + "|".join(sorted(_UP | _DOWN)) + r")\b(?:\s+(?P<adj>populous|expensive|costly|valuable))?"
    r"(?:(?P<noun>(?:\s+[\w-]+){0,3}?)\s+(?P<tail>than\b|of\s+the\s+(?:two|pair|both)\b))?",
    re.IGNORECASE,
)
_ATTRIBUTE_WORDS: dict[str, tuple[str, ...]] = {
    "population": ("population",), "residents": ("population",), "inhabitants": ("population",), "populous": ("population",),
    "people": ("population", "staff"), "employees": ("staff",), "staff": ("staff",), "workers": ("staff",),
    "workforce": ("staff",), "headcount": ("staff",), "revenue": ("revenue",), "sales": ("revenue",),
    "turnover": ("revenue",), "earnings": ("revenue",), "richer": ("revenue",), "wealthier": ("revenue",), "poorer": ("revenue",),
    "budget": ("budget",), "funding": ("budget",), "area": ("area",), "price": ("price",), "cost": ("price",),
    "expensive": ("price",), "costly": ("price",), "cheaper": ("price",), "pricier": ("price",), "costlier": ("price",),
    "weight": ("weight",), "heavier": ("weight",), "lighter": ("weight",), "mass": ("weight",),
    "older": ("date",), "younger": ("date",), "newer": ("date",), "earlier": ("date",), "later": ("date",),
}  # fmt: skip
"""Words that name the compared attribute (the fact predicate; "date" = the entity's dated event)."""
_SIZE = {"larger", "bigger", "smaller", "greater"}
_SIZE_BY_TYPE = {"town": ("area", "population"), "company": ("staff", "revenue"), "product": ("weight",), "project": ("budget",)}
"""What a bare "larger"/"smaller" can mean for each entity type (true of either: supported)."""
_DATE_BY_TYPE = {"person": "born", "company": "founded_on", "product": "launched", "project": "started"}
_THAN_ALL = LazyPattern(r"\s*(?:both|either|all|each|any|the\s+others?|the\s+rest)\b", re.IGNORECASE)
_THE_COMPARATIVE = LazyPattern(r"\bthe\s+(?:(?:more|less)\s+\w+|" + "|".join(sorted(_UP | _DOWN)) + r")\b", re.IGNORECASE)
"""The pair form ("the newer model", "the more populous"): with no "than", the only form read."""
MAX_SIDES = 8
"""Most entities one comparison is checked against ("than both", "the older of them")."""
_THE = LazyPattern(r"\bthe\s*$", re.IGNORECASE)
_THAN_GAP = LazyPattern(r"\s*(?:that\s+of\s+|those\s+of\s+)?(?:the\s+)?", re.IGNORECASE)


def comparison_problem(sentence: str, mentions: Sequence[Mention], base: FactBase, previous: Sequence[str] = ()) -> str | None:
    """A description of the first comparison in `sentence` the facts do not support, or None."""
    if not mentions or ("than" not in sentence and _THE_COMPARATIVE.search(sentence) is None):
        return None
    ends = [end for _, end, _ in mentions]
    starts = {start: names for start, _, names in mentions}
    first_seen: dict[tuple[str, ...], int] = {}  # distinct mentions (few: the document's entities)
    for start, _, names in mentions:
        first_seen.setdefault(names, start)
    for match in COMPARATIVE.finditer(sentence):
        word = match["word"].lower()
        attributes = _attributes(word, match["adj"], match["noun"] or "")
        if not attributes or (word in ("more", "less") and not match["adj"] and not set((match["noun"] or "").lower().split()) & set(_ATTRIBUTE_WORDS)):
            continue
        nearest = bisect_right(ends, match.start()) - 1
        if nearest < 0:
            continue
        a = mentions[nearest][2]
        if match["tail"] and match["tail"].lower() == "than":
            others = _than(sentence, match.end(), first_seen, starts, a, base)
        elif _THE.search(sentence, max(0, match.start() - 6), match.start()):
            others = _pair(first_seen, a, base, previous)
        else:
            continue
        if not others:
            continue
        verdict = _holds(base, a, others, attributes, up=word in _UP)
        if verdict is not True:
            shown = match.group().strip()
            return f"the comparison {shown!r} between {'/'.join(a)} and {'/'.join(n for o in others for n in o)} " + (
                "is false" if verdict is False else "is not supported: the document does not give both values"
            )
    return None


def _attributes(word: str, adj: str | None, noun: str) -> tuple[str, ...]:
    for token in [*(noun.lower().split()), (adj or "").lower(), word]:
        if token in _ATTRIBUTE_WORDS:
            return _ATTRIBUTE_WORDS[token]
    return ("size",) if word in _SIZE else ()


def _than(
    sentence: str, end: int, first_seen: dict[tuple[str, ...], int], starts: dict[int, tuple[str, ...]], a: tuple[str, ...], base: FactBase
) -> list[tuple[str, ...]]:
    """The entities after "than": the mention right after it, or A's peers named before for "than both"."""
    if _THAN_ALL.match(sentence, end):
        kinds = {base.entities.get(n) for n in a}
        return [names for names, start in first_seen.items() if start < end and names != a and {base.entities.get(n) for n in names} & kinds][:MAX_SIDES]
    gap = _THAN_GAP.match(sentence, end)
    after = starts.get(gap.end() if gap else end)
    return [] if after is None else [after]


def _pair(first_seen: dict[tuple[str, ...], int], a: tuple[str, ...], base: FactBase, previous: Sequence[str]) -> list[tuple[str, ...]]:
    """Entities of A's type named in the sentence (else the previous one): "the newer model" of them."""
    kinds = {base.entities.get(n) for n in a}
    here = [names for names in first_seen if names != a and {base.entities.get(n) for n in names} & kinds]
    if here:
        return here[:MAX_SIDES]
    return [(n,) for n in previous if n not in a and base.entities.get(n) in kinds]


def _holds(base: FactBase, a: tuple[str, ...], others: list[tuple[str, ...]], attributes: tuple[str, ...], up: bool) -> bool | None:
    """True if, for one reading of A, A compares as claimed with every other side; False if the
    values contradict it; None if some value is missing."""
    result: bool | None = None
    for x in a:
        sides = []
        for other in others:
            pair = [_compare(base, x, y, attributes, up) for y in other if y != x]
            sides.append(True if True in pair else (False if False in pair else None))
        if all(side is True for side in sides):
            return True
        if False in sides:
            result = False
    return result


def _compare(base: FactBase, x: str, y: str, attributes: tuple[str, ...], up: bool) -> bool | None:
    """Whether x's value is greater (`up`) or smaller than y's, for one of `attributes`; None if unknown."""
    seen = None
    for attribute in attributes:
        if attribute == "size":
            options: tuple[str, ...] = _SIZE_BY_TYPE.get(base.entities.get(x, ""), ())
        elif attribute == "date":
            options = tuple(p for p in (_DATE_BY_TYPE.get(base.entities.get(x, "")),) if p)
        else:
            options = (attribute,)
        for predicate in options:
            if attribute == "date":
                other = _DATE_BY_TYPE.get(base.entities.get(y, ""))
                mine = [d for p, d in base.dates.get(x, ()) if p == predicate]
                theirs = [d for p, d in base.dates.get(y, ()) if p == other]
                if not mine or not theirs:
                    continue
                u, v = _date_key(mine[0], theirs[0])
            else:
                mine_q = [q.value for p, q in base.quantities.get(x, ()) if p == predicate]
                theirs_q = [q.value for p, q in base.quantities.get(y, ()) if p == predicate]
                if not mine_q or not theirs_q:
                    continue
                u, v = mine_q[0], theirs_q[0]
            if u is None or v is None or u == v:  # a tie at the precision given: neither is more
                continue
            if (u > v) == up:
                return True
            seen = False
    return seen


def _date_key(a: DateValue, b: DateValue) -> tuple[int | None, int | None]:
    """Comparable keys for two dates, at the precision both give (None, None) when they tie there."""
    if a.year != b.year:
        return a.year, b.year
    if a.month is None or b.month is None:
        return None, None
    if a.month != b.month:
        return a.month, b.month
    if a.day is None or b.day is None:
        return None, None
    return a.day, b.day
