"""The relations a grounded document can state, and the English phrasings that claim them.

A relation claim is "entity A <verb phrase> entity B" inside one sentence. Each relation lists
the phrasings that claim it with A as subject (active) and with B as subject (passive: "Veltrano
is led by Mara Quell" claims leads(Mara Quell, Veltrano)). The generator renders relations only
with phrasings this table recognises, and the grounding checker reads a response with the same
table, so "Mara Quell works for Ostrik" is checked against the document's works_for facts.

Phrasings are matched in the text between the two entity mentions, so they stay short and
specific; a generic "in" or "of" is never a relation cue (too many false claims).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vrgym.verifiers.faithfulness.lazy import LazyPattern


@dataclass(frozen=True)
class Relation:
    """One relation: its name, active and passive cue regexes, and whether it is symmetric."""

    name: str
    active: re.Pattern[str]
    passive: re.Pattern[str] | None = None
    symmetric: bool = False

    def cued(self, sentence: str) -> bool:
        """True when `sentence` uses a phrasing or a role noun of this relation ("supplier", "maker")."""
        return bool(
            self.active.search(sentence)
            or (self.passive is not None and self.passive.search(sentence))
            or (self.name in NOUNS and NOUNS[self.name].search(sentence))
            or (self.name in SPLIT and SPLIT[self.name][2].search(sentence))
        )


def _cue(*phrases: str) -> re.Pattern[str]:
    return LazyPattern(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)


NOUNS: dict[str, re.Pattern[str]] = {
    name: LazyPattern(rf"\b(?:{nouns})s?\b", re.IGNORECASE)
    for name, nouns in {
        "works_for": "employer|employee|staff member", "founded": "founder", "reports_to": "boss|manager|supervisor",
        "lives_in": "home|resident", "located_in": "headquarters|base|home", "supplies": "supplier|customer",
        "makes": "maker|manufacturer|producer|product", "leads": "leader|head|director",
    }.items()
}  # fmt: skip
"""Role nouns that name the other end of a relation ("Velto's supplier", "the maker of the Kiro Pro")."""

RELATIONS: dict[str, Relation] = {
    relation.name: relation
    for relation in (
        Relation(
            "works_for",
            _cue(r"works?\s+(?:for|at)", r"worked\s+(?:for|at)", r"(?:is|was)\s+employed\s+(?:by|at)", r"employee\s+of",
                 r"joined", r"on\s+the\s+staff\s+of"),
            _cue(r"employs", r"employer\s+of"),
        ),
        Relation(
            "founded",
            _cue(r"founded", r"co-founded", r"established", r"set\s+up", r"started", r"founder\s+of", r"creator\s+of",
                 r"(?:did|does|do|didn't|doesn't|never)\s+(?:not\s+)?(?:found|establish|start|create)", r"co-found"),
            _cue(r"(?:founded|co-founded|established|set\s+up|started)\b[^.;]{0,30}?\bby"),
        ),
        Relation(
            "reports_to",
            _cue(r"reports?\s+to", r"reported\s+to", r"answers?\s+to", r"works?\s+under", r"(?:is|was)\s+managed\s+by",
                 r"(?:is|was)\s+supervised\s+by"),
            _cue(r"manages", r"managed", r"supervises", r"(?:is|was)\s+the\s+(?:manager|supervisor|boss)\s+of"),
        ),
        Relation("sibling_of", _cue(r"sibling", r"siblings", r"brother", r"sister"), symmetric=True),
        Relation("lives_in", _cue(r"lives?\s+in", r"lived\s+in", r"resides?\s+in", r"(?:is|was)\s+a\s+resident\s+of", r"home\s+is\s+in")),
        Relation(
            "located_in",
            _cue(r"(?:is|are|was)\s+(?:based|located|headquartered|situated)\s+in", r"based\s+in", r"located\s+in",
                 r"headquartered\s+in", r"headquarters\s+(?:is|are)\s+in", r"operates\s+from", r"has\s+its\s+(?:base|headquarters)\s+in"),
            LazyPattern(r"\b(?:(?:is\s+)?home\s+to|hosts)\b|-based\b", re.IGNORECASE),  # "Brask-based Velto"
        ),
        Relation(
            "supplies",
            _cue(r"supplies", r"supplied", r"supply", r"provides\s+(?:parts|materials|components)\s+(?:to|for)", r"supplier\s+(?:of|to|for)",
                 r"delivers\s+to", r"sells\s+to"),
            _cue(r"supplied\b[^.;]{0,30}?\bby", r"buys\s+from", r"sources\s+\w+\s+from", r"customer\s+of"),
        ),
        Relation(
            "makes",
            _cue(r"makes", r"made", r"make", r"manufacture", r"manufactures", r"manufactured", r"produces", r"produced", r"builds", r"built",
                 r"maker\s+of", r"manufacturer\s+of", r"producer\s+of"),
            _cue(r"(?:made|manufactured|produced|built)\b[^.;]{0,30}?\bby", r"comes\s+from"),
        ),
        Relation(
            "leads",
            _cue(r"leads", r"led", r"lead", r"head", r"heads", r"headed", r"runs", r"ran", r"directs", r"directed", r"manages", r"managed",
                 r"(?:is|was)\s+in\s+charge\s+of", r"leader\s+of", r"head\s+of", r"director\s+of"),
            _cue(r"(?:led|headed|run|directed|managed)\b[^.;]{0,30}?\bby"),
        ),
    )
}
"""Every relation a document may state, by name (the fact's predicate)."""

SPLIT: dict[str, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]] = {
    "founded": (
        LazyPattern(r"\s*(?:set|sets|setting|start|starts|started|starting)\s+(?:the\s+)?", re.IGNORECASE),
        LazyPattern(r"\s*up\b", re.IGNORECASE),
        LazyPattern(r"\b(?:set|sets|setting|start|starts|started|starting)\b[^.;]{1,60}?\bup\b", re.IGNORECASE),
    ),
}
"""Phrasal verbs split by their object ("Rou Podrer set it up"): (verb before the object, particle
after it, the whole phrase anywhere) per relation. The object is the second entity."""

NEGATION = LazyPattern(r"\b(?:not|never|no\s+longer|neither|nor|isn't|doesn't|didn't|wasn't|don't|aren't)\b|n't\b", re.IGNORECASE)

DESCRIPTION = LazyPattern(
    r"(?:\bthe|\bits|\btheir|\bhis|\bher|['’]s)\s+(?:\w+\s+)?(?:company|firm|business|town|city|place|person|man|woman|"
    r"product|device|project|maker|manufacturer|producer|supplier|customer|founder|employer|employee|leader|head|boss|"
    r"manager|sibling|brother|sister|headquarters|home|base)s?\b",
    re.IGNORECASE,
)
"""A definite description ("the company that …", "Velto's supplier"): the sentence may speak about a neighbour."""
