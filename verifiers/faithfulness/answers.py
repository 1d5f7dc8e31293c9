"""Typed comparison of a short final answer with a grounded question's gold.

The gold is JSON written by the generator: `{"kind": k, "value": v, "unit": u, "accept": [...]}`
with kind one of

* `entity` — a name; compared after case folding and dropping a leading article, trailing
  punctuation and a possessive; `accept` lists the other names that identify the same entity
  unambiguously in this document (a distinctive single name word);
* `text` — a phrase such as a role ("chief engineer"); compared as lower-case words, articles dropped;
* `quantity` — an exact decimal with a unit dimension; any spelling that `parse_quantity` reads
  to the same value and a compatible unit counts ("340", "340 employees", "three hundred and
  forty employees"; "3500 g" for 3.5 kg; "$2.4 million"); a wrong unit does not;
* `date` — ISO text at the precision the document gives; the answer must state the same parts
  (a year for a year, the full date for a full date) in any format `parse_date` reads;
* `unanswerable` — the document does not say; only a "not stated" phrasing is right, and any
  value given instead (a distractor's) is wrong.

The answer must consist of the value alone: padding it with other words makes it unreadable, so
"lorem ipsum 340 dolor" is wrong, never a lucky substring match.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from vrgym.verifiers.faithfulness.facts import normalise_words
from vrgym.verifiers.faithfulness.lazy import LazyPattern
from vrgym.verifiers.faithfulness.values import (
    DateValue,
    Quantity,
    parse_date,
    parse_quantity,
)

NOT_STATED = LazyPattern(
    r"(?:(?:it\s+is|this\s+is|that\s+is|the\s+answer\s+is)\s+)?"
    r"(?:(?:not|never)\s+(?:stated|mentioned|given|specified|provided|reported|said|known|included|indicated)"
    r"(?:\s+(?:in|by)\s+the\s+(?:document|text|source|passage))?"
    r"|unknown|unanswerable|not\s+answerable|cannot\s+be\s+(?:determined|answered|known)(?:\s+from\s+the\s+(?:document|text))?"
    r"|(?:the\s+)?(?:document|text|source|passage)\s+(?:does\s+not|doesn't|did\s+not)\s+"
    r"(?:say|state|mention|specify|give|provide|contain|include|tell|report)(?:\s+(?:it|this|that|so))?"
    r"|(?:there\s+is\s+)?(?:no|insufficient)\s+information(?:\s+(?:in|given\s+in)\s+the\s+(?:document|text))?"
    r"|(?:the\s+)?information\s+is\s+not\s+(?:available|given|provided)(?:\s+in\s+the\s+(?:document|text))?"
    r"|not\s+in\s+the\s+(?:document|text)|n/?a)",
    re.IGNORECASE,
)
"""Phrasings that say the document does not give the answer (the whole answer must be one)."""
_ARTICLE = LazyPattern(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = LazyPattern(r"['’]s?$")


def says_not_stated(answer: str) -> bool:
    """True when the whole answer is a "the document does not say" phrasing."""
    text = " ".join(answer.split()).strip(" .!\"'")
    return len(text) <= 120 and NOT_STATED.fullmatch(text) is not None


def _name_key(text: str) -> str:
    text = " ".join(text.split()).strip(" .,;:!?\"'*")
    text = _POSSESSIVE.sub("", _ARTICLE.sub("", text))
    return normalise_words(text)


def answer_matches(answer: str, gold: Mapping[str, Any]) -> tuple[bool, str]:
    """(correct, why not) for the extracted final `answer` against `gold` (see the module docstring)."""
    kind = gold["kind"]
    if kind == "unanswerable":
        if says_not_stated(answer):
            return True, ""
        return False, "the document does not give this; the answer should say it is not stated"
    if says_not_stated(answer):
        return False, "the document does answer this question, but the answer says it is not stated"
    if len(answer) > 400:
        return False, "the answer is too long to be a short answer"
    if kind == "entity":
        names = {_name_key(str(gold["value"])), *(_name_key(a) for a in gold.get("accept", ()))}
        return (True, "") if _name_key(answer) in names else (False, "the answer names another entity (or none)")
    if kind == "text":
        return (True, "") if _name_key(answer) == _name_key(str(gold["value"])) else (False, "the answer is not the stated value")
    if kind == "quantity":
        quantity = parse_quantity(answer)
        if quantity is None:
            return False, "the answer is not a single number (with an optional unit)"
        expected = Quantity(Fraction(str(gold["value"])), gold.get("unit"))
        return (True, "") if quantity.matches(expected) else (False, "the number or its unit is wrong")
    if kind == "date":
        date = parse_date(answer)
        if date is None:
            return False, "the answer is not a date"
        expected = DateValue.from_iso(str(gold["value"]))
        return (True, "") if date == expected else (False, "the date is wrong or not as precise as the document states it")
    return False, f"unknown gold kind {kind!r}"
