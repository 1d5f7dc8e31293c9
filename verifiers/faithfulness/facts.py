"""`FactBase`: a grounded document's structured facts, indexed for claim checking.

The generator keeps every fact it rendered as JSON in the problem's metadata, so the verifier
checks a response's claims against *facts*, never against prose (no fuzzy text matching). The
JSON shape, written by the generator and read here:

    {"document": str,                          # the text shown to the model
     "question": str,                          # extra text the model may quote (the question, the topics)
     "entities": [{"name": str, "type": str}], # every entity the document names
     "absent": [str],                          # names the question uses that the document never mentions
     "facts": [{"subject": str, "predicate": str, "kind": "entity"|"quantity"|"date"|"text",
                "value": str, "unit": str|None}],   # quantity: exact decimal + dimension; date: ISO
     "roles": [str],                           # every role phrase a claim could use (the checker's vocabulary)
     "derived": [{"value": str, "unit": str|None}]} # numbers the question asks to compute (sums, differences)

Aliases: an entity is mentioned by its full name or by any single name word that no other entity
(present or absent) shares and that is not a generic word ("Systems", "Project").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from vrgym.verifiers.faithfulness.lazy import LazyPattern
from vrgym.verifiers.faithfulness.values import DateValue, Quantity

GENERIC_NAME_WORDS = frozenset(
    ["systems", "metals", "foods", "textiles", "labs", "logistics", "works", "dynamics", "industries", "holdings", "group", "company", "co", "project", "initiative", "programme", "program", "the", "of", "and", "mini", "pro", "max", "lite", "plus", "one"]
)
"""Name words too generic to identify an entity on their own."""


@dataclass(frozen=True)
class Fact:
    """One fact: subject, predicate and a typed value (entity name, quantity, date or text)."""

    subject: str
    predicate: str
    kind: str
    value: str
    unit: str | None = None

    @property
    def quantity(self) -> Quantity:
        return Quantity(Fraction(self.value), self.unit)

    @property
    def date(self) -> DateValue:
        return DateValue.from_iso(self.value)

    def to_json(self) -> dict[str, Any]:
        return {"subject": self.subject, "predicate": self.predicate, "kind": self.kind, "value": self.value, "unit": self.unit}


@dataclass
class FactBase:
    """Facts by subject, relations as triples, and the alias pattern that finds entity mentions."""

    document: str
    question: str
    entities: dict[str, str]
    absent: tuple[str, ...]
    facts: tuple[Fact, ...]
    roles: tuple[str, ...]
    derived: tuple[Quantity, ...]
    by_subject: dict[str, list[Fact]] = field(default_factory=dict)
    triples: set[tuple[str, str, str]] = field(default_factory=set)
    links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Entity -> (relation, other entity) for every relation fact, both directions."""
    aliases: dict[str, str] = field(default_factory=dict)
    folded: dict[str, str] = field(default_factory=dict)
    """Case-folded multi-word name -> full name: "mara quell" still names Mara Quell."""
    longest: int = 1
    role_pattern: re.Pattern[str] | None = None
    known_text: str = ""
    quantities: dict[str, list[tuple[str, Quantity]]] = field(default_factory=dict)
    dates: dict[str, list[tuple[str, DateValue]]] = field(default_factory=dict)

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Any]) -> FactBase:
        """Build from a problem's metadata (the JSON shape in the module docstring)."""
        facts = tuple(Fact(f["subject"], f["predicate"], f["kind"], str(f["value"]), f.get("unit")) for f in metadata["facts"])
        base = cls(
            document=metadata["document"],
            question=metadata.get("question", ""),
            entities={e["name"]: e["type"] for e in metadata["entities"]},
            absent=tuple(metadata.get("absent", ())),
            facts=facts,
            roles=tuple(metadata.get("roles", ())),
            derived=tuple(Quantity(Fraction(d["value"]), d.get("unit")) for d in metadata.get("derived", ())),
        )
        base._index()
        return base

    def _index(self) -> None:
        for fact in self.facts:
            self.by_subject.setdefault(fact.subject, []).append(fact)
            if fact.kind == "quantity":
                self.quantities.setdefault(fact.subject, []).append((fact.predicate, fact.quantity))
            elif fact.kind == "date":
                self.dates.setdefault(fact.subject, []).append((fact.predicate, fact.date))
            if fact.kind == "entity":
                self.triples.add((fact.subject, fact.predicate, fact.value))
                self.links.setdefault(fact.subject, []).append((fact.predicate, fact.value))
                self.links.setdefault(fact.value, []).append((fact.predicate, fact.subject))
        self.aliases = entity_aliases([*self.entities, *self.absent])
        self.folded = {alias.casefold(): name for alias, name in self.aliases.items() if " " in alias}
        self.longest = max((a.count(" ") + 1 for a in self.aliases), default=1)
        if self.roles:
            self.role_pattern = _role_pattern(tuple(sorted(self.roles, key=len, reverse=True)))
        self.known_text = " " + normalise_words(" ".join([self.document, self.question, *self.absent])) + " "

    def mentions(self, sentence: str) -> list[tuple[int, int, str]]:
        """(start, end, full name) of every entity named in `sentence`, longest name first, left to right.

        A token scan with dictionary lookups (no per-document regex to compile): names are runs of
        up to `longest` words separated by single spaces. Single name words match case-sensitively
        (a lower-case word may be an English word); full names of two or more words in any case, so
        writing "mara quell" does not hide a claim about Mara Quell.
        """
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(sentence)]
        found: list[tuple[int, int, str]] = []
        i = 0
        while i < len(tokens):
            for n in range(min(self.longest, len(tokens) - i), 0, -1):
                start, end = tokens[i][0], tokens[i + n - 1][1]
                name = self.aliases.get(sentence[start:end])
                if name is None and n > 1:
                    name = self.folded.get(sentence[start:end].casefold())
                if name is not None:
                    found.append((start, end, name))
                    i += n
                    break
            else:
                i += 1
        return found

    def holds(self, subject: str, predicate: str, obj: str, symmetric: bool = False) -> bool:
        """True when the document states the relation (either direction for a symmetric one)."""
        return (subject, predicate, obj) in self.triples or (symmetric and (obj, predicate, subject) in self.triples)

    def facts_of(self, subjects: Sequence[str] | set[str] | None) -> list[Fact]:
        """Facts about `subjects` (every fact when None)."""
        if subjects is None:
            return list(self.facts)
        return [f for s in subjects for f in self.by_subject.get(s, ())]

    def values_of(self, subjects: Iterable[str] | None) -> tuple[list[tuple[str, Quantity]], list[tuple[str, DateValue]]]:
        """(predicate, value) of the quantity and date facts about `subjects` (all entities when None)."""
        keys = self.entities if subjects is None else subjects
        quantities = [q for s in keys for q in self.quantities.get(s, ())]
        return quantities, [d for s in keys for d in self.dates.get(s, ())]

    def is_known_phrase(self, phrase: str) -> bool:
        """True when `phrase` (word-normalised) occurs in the document, the question or the absent names."""
        return f" {normalise_words(phrase)} " in self.known_text


_TOKEN = LazyPattern(r"[^\W_]+")
"""Name tokens: hyphens split, so "Dononholm-based" mentions Dononholm (no generated name has a hyphen)."""


@functools.lru_cache(maxsize=16)
def _role_pattern(roles: tuple[str, ...]) -> re.Pattern[str]:
    return LazyPattern(r"\b(?:" + "|".join(re.escape(r) for r in roles) + r")\b", re.IGNORECASE)


_WORDS = LazyPattern(r"[^\W_]+(?:['’-][^\W_]+)*")


def normalise_words(text: str) -> str:
    """Lower-case words joined by single spaces: punctuation and layout removed."""
    return " ".join(_WORDS.findall(text.casefold()))


def entity_aliases(names: Sequence[str]) -> dict[str, str]:
    """Alias -> full name: every full name, plus each distinctive single name word."""
    aliases = {name: name for name in names}
    owners: dict[str, set[str]] = {}
    for name in names:
        for word in name.split():
            owners.setdefault(word, set()).add(name)
    for word, who in owners.items():
        if len(who) == 1 and word.lower() not in GENERIC_NAME_WORDS and len(word) > 2 and word not in aliases:
            aliases[word] = next(iter(who))
    return aliases
