"""Possessive relation nouns bound to a named entity: "Voul Zohan, Mond Zohan's sister, …", "its founder".

"B's sister" alone is a description (the sentence may talk about B's sister without naming her),
but in apposition or after a copula it claims a relation between B and the entity it is attached
to: "A, B's sister, …", "A is B's founder", "B's founder, A, …", "B's founder A". The relation
table's verbs never see it (no verb between A and B), so without this rule a response could
attach any kinship or role relation to a name for free.

The possessor is a named entity followed by 's (or a bare apostrophe), or a possessive pronoun
standing for its antecedents. A claim holds when it holds for one reading of each side.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vrgym.verifiers.faithfulness.facts import FactBase
from vrgym.verifiers.faithfulness.lazy import LazyPattern

Mention = tuple[int, int, tuple[str, ...]]

_NOUNS: dict[str, tuple[tuple[str, bool], ...]] = {
    # noun -> (relation, holder-is-subject) readings; "A is B's founder": founded(A, B) (holder A is the subject)
    "sister": (("sibling_of", True),), "brother": (("sibling_of", True),), "sibling": (("sibling_of", True),),
    "founder": (("founded", True),), "co-founder": (("founded", True),), "creator": (("founded", True),),
    "employer": (("works_for", False),), "employee": (("works_for", True),), "staff member": (("works_for", True),),
    "boss": (("reports_to", False),), "manager": (("reports_to", False),), "supervisor": (("reports_to", False),),
    "leader": (("leads", True),), "head": (("leads", True),),
    "supplier": (("supplies", True),), "customer": (("supplies", False),), "client": (("supplies", False),),
    "maker": (("makes", True),), "manufacturer": (("makes", True),), "producer": (("makes", True),),
    "product": (("makes", False),),
    "home": (("lives_in", False), ("located_in", False)), "hometown": (("lives_in", False),),
    "base": (("located_in", False),), "headquarters": (("located_in", False),),
}  # fmt: skip
"""Relation nouns: what "B's <noun>" = A claims. False: B is the subject ("B's employer" A: works_for(B, A))."""
_SYMMETRIC = {"sibling_of"}
NOUN = LazyPattern(
    r"\s*(?:(?:older|younger|elder|big|little|twin|main|only|former|sole|chief)\s+)?"
    r"(?P<noun>" + "|".join(sorted(_NOUNS, key=len, reverse=True)) + r")s?\b(?!\s+of\b)",
    re.IGNORECASE,
)
_APOSTROPHE = LazyPattern(r"['’]s?")
_POSSESSIVE_PRONOUNS = frozenset({"its", "his", "her", "their"})
_BEFORE = LazyPattern(r"\s*(?:,|\(|-|–|—)?\s*(?:(?:is|was|are|were)\s+(?:also\s+)?(?:the\s+)?)?", re.IGNORECASE)
_AFTER = LazyPattern(r"\s*[,(]?\s*", re.IGNORECASE)


def possessive_problem(sentence: str, mentions: Sequence[Mention], base: FactBase) -> str | None:
    """A description of the first possessive relation claim the facts do not state, or None."""
    for index, (start, end, owner) in enumerate(mentions):
        if sentence[end : end + 1] not in ("'", "’") and sentence[start:end].lower() not in _POSSESSIVE_PRONOUNS:
            continue
        mark = _APOSTROPHE.match(sentence, end)
        noun = NOUN.match(sentence, mark.end() if mark else end)
        if noun is None:
            continue
        holder = _holder(sentence, mentions, index, start, noun.end())
        if holder is None:
            continue
        readings = _NOUNS[noun["noun"].lower()]
        owners = tuple(n for n in owner if n not in holder) or owner
        holds = any(
            base.holds(*((h, rel, o) if holder_first else (o, rel, h)), symmetric=rel in _SYMMETRIC)
            for rel, holder_first in readings for h in holder for o in owners
        )
        if not holds:
            return f"the document does not state that {'/'.join(holder)} is {'/'.join(owners)}'s {noun['noun'].lower()}"
    return None


def _holder(sentence: str, mentions: Sequence[Mention], index: int, start: int, noun_end: int) -> tuple[str, ...] | None:
    """The entity "B's <noun>" is attached to: the mention just before (apposition, copula) or just after."""
    if index > 0:
        _, prev_end, names = mentions[index - 1]
        if _BEFORE.fullmatch(sentence, prev_end, start) and prev_end < start:
            return names
    if index + 1 < len(mentions):
        next_start, _, names = mentions[index + 1]
        if _AFTER.fullmatch(sentence, noun_end, next_start):
            return names
    return None
