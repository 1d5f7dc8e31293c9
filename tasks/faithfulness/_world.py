"""A synthetic world for grounded documents: invented entities, their attributes and relations.

Nothing here needs real-world knowledge: names are built from syllables, values are drawn from
ranges, and every fact lives in the document that states it. A world has people, companies,
towns, products and projects; each entity has a few attributes (a role, a founding date, a
staff count, a price with its unit …) and relations that tie the world together (works for,
founded, located in, supplies, makes, leads, reports to, sibling of, lives in).

Distractors make reading matter: a *twin* of an entity has the same type, a similar name (a
shared surname or stem) and near-identical values (the same role, a founding date a year or two
apart, a price a little different), so an answer copied from the wrong sentence is wrong.

Some attributes are deliberately left out for some entities (`omitted`), so "not stated" is the
right answer to a question about them, while a twin's value for the same attribute is a trap.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import pairwise

_ONSETS = ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kr", "tr", "st", "th", "vr"]
_VOWELS = ["a", "e", "i", "o", "u", "a", "e", "o", "ei", "ou"]
_CODAS = ["", "", "n", "r", "l", "s", "k", "th", "m", "nd", "rk"]
COMPANY_SUFFIXES = ["Systems", "Metals", "Foods", "Textiles", "Labs", "Logistics", "Works", "Dynamics", "Industries"]
TOWN_ENDINGS = ["ford", "wick", "haven", "moor", "by", "stead", "holm", "dale", "port"]
PRODUCT_MODELS = ["Mini", "Pro", "Max", "Lite", "Plus"]
ROLES = [
    "chief engineer", "head of marketing", "finance director", "operations manager", "lead designer", "chief executive",
    "sales director", "research scientist", "quality inspector", "logistics coordinator", "legal counsel", "data analyst",
]
"""Every role a person can have (the verifier's role vocabulary)."""

ENTITY_TYPES = ("person", "company", "town", "product", "project")


@dataclass(frozen=True)
class FactSpec:
    """One fact as the generator holds it (the JSON form is `to_json`)."""

    subject: str
    predicate: str
    kind: str  # entity | quantity | date | text
    value: str
    unit: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"subject": self.subject, "predicate": self.predicate, "kind": self.kind, "value": self.value, "unit": self.unit}


@dataclass
class World:
    """Entities by name (with type), their facts, and which entities are twins of which."""

    entities: dict[str, str] = field(default_factory=dict)
    facts: list[FactSpec] = field(default_factory=list)
    twins: dict[str, str] = field(default_factory=dict)
    omitted: dict[str, set[str]] = field(default_factory=dict)
    """Entity -> attributes the document deliberately does not state."""
    used_words: set[str] = field(default_factory=set)

    def of(self, kind: str) -> list[str]:
        return [name for name, t in self.entities.items() if t == kind]

    def facts_about(self, subject: str) -> list[FactSpec]:
        return [f for f in self.facts if f.subject == subject]

    def value(self, subject: str, predicate: str) -> FactSpec | None:
        return next((f for f in self.facts if f.subject == subject and f.predicate == predicate), None)

    def objects(self, subject: str, predicate: str) -> list[str]:
        return [f.value for f in self.facts if f.subject == subject and f.predicate == predicate]

    def subjects(self, predicate: str, obj: str) -> list[str]:
        return [f.subject for f in self.facts if f.predicate == predicate and f.value == obj]

    def add(self, subject: str, predicate: str, kind: str, value: str, unit: str | None = None) -> None:
        self.facts.append(FactSpec(subject, predicate, kind, value, unit))


# --------------------------------------------------------------------------------------- names


def word(rng: random.Random, syllables: int) -> str:
    """An invented capitalised word of `syllables` syllables ("Veltrano", "Quell")."""
    parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)]
    return ("".join(parts) + rng.choice(_CODAS)).capitalize()


class Namer:
    """Draws names no other entity (present or absent) uses; every name word is unique too."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self.rng, self.taken = rng, taken

    def fresh(self, syllables: tuple[int, ...] = (1, 2)) -> str:
        for _ in range(1000):
            candidate = word(self.rng, self.rng.choice(syllables))
            if candidate not in self.taken and candidate.lower() not in _AVOID and len(candidate) >= 3:
                self.taken.add(candidate)
                return candidate
        raise RuntimeError("ran out of fresh names; the syllable tables are too small for this world size")

    def name(self, kind: str, like: str | None = None) -> str:
        """A name for an entity of `kind`; with `like`, a similar one (shared surname / stem / product line)."""
        if kind == "person":
            surname = like.split()[-1] if like else self.fresh((2, 1))
            return f"{self.fresh((1, 2))} {surname}"
        if kind == "company":
            stem = self.fresh((2, 3))
            suffixes = [s for s in COMPANY_SUFFIXES if not like or not like.endswith(s)]
            return f"{stem} {self.rng.choice(suffixes)}"
        if kind == "town":
            return self.fresh((1, 2)) + self.rng.choice(TOWN_ENDINGS)
        if kind == "product":
            line = like.split()[0] if like else self.fresh((2,))
            models = [m for m in PRODUCT_MODELS if not like or not like.endswith(m)]
            return f"{line} {self.rng.choice(models)}"
        return f"Project {self.fresh((2, 3))}"


_AVOID = {"the", "and", "man", "men", "sir", "dear", "road", "tea", "bad", "sad", "mad", "god", "hell", "kill", "die", "dead"}

# --------------------------------------------------------------------------------------- values


def _date(rng: random.Random, lo: int, hi: int, full: bool) -> str:
    year = rng.randint(lo, hi)
    if not full:
        return f"{year:04d}"
    return f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _near_date(rng: random.Random, iso: str) -> str:
    """A date close to `iso` at the same precision (a distractor's value)."""
    parts = iso.split("-")
    year = int(parts[0]) + rng.choice([-2, -1, 1, 2])
    if len(parts) == 1:
        return f"{year:04d}"
    return f"{year:04d}-{parts[1]}-{min(28, max(1, int(parts[2]) + rng.choice([-3, 0, 3]))):02d}"


def _decimal(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))


ATTRIBUTES: dict[str, dict[str, tuple[str, str | None]]] = {
    "person": {"role": ("text", None), "born": ("date", None)},
    "company": {"founded_on": ("date", None), "staff": ("quantity", "staff"), "revenue": ("quantity", "money")},
    "town": {"population": ("quantity", "population"), "area": ("quantity", "area")},
    "product": {"price": ("quantity", "money"), "weight": ("quantity", "mass"), "launched": ("date", None)},
    "project": {"budget": ("quantity", "money"), "started": ("date", None)},
}
"""Attributes per entity type: predicate -> (kind, unit dimension)."""


def draw_attribute(rng: random.Random, kind: str, predicate: str) -> str:
    """A fresh value for one attribute (exact decimal text or ISO date)."""
    if predicate == "role":
        return rng.choice(ROLES)
    if predicate == "born":
        return _date(rng, 1950, 1999, full=rng.random() < 0.5)
    if predicate == "founded_on":
        return _date(rng, 1890, 2015, full=rng.random() < 0.4)
    if predicate == "launched":
        return _date(rng, 2001, 2024, full=True)
    if predicate == "started":
        return _date(rng, 2005, 2024, full=rng.random() < 0.6)
    if predicate == "staff":
        return str(rng.choice([rng.randint(12, 99), rng.randint(10, 99) * 10, rng.randint(11, 90) * 100]))
    if predicate == "revenue":
        return str(rng.randint(12, 950) * 100_000)
    if predicate == "population":
        return str(rng.randint(8, 990) * 100 + rng.choice([0, 0, rng.randint(1, 99)]))
    if predicate == "area":
        return _decimal(Fraction(rng.randint(15, 900), 10))
    if predicate == "price":
        return str(rng.choice([rng.randint(15, 99), rng.randint(12, 250) * 10, rng.randint(11, 99) * 100]))
    if predicate == "weight":
        return _decimal(Fraction(rng.randint(3, 400), 10))
    if predicate == "budget":
        return str(rng.randint(5, 480) * 100_000)
    raise ValueError(f"no value generator for {kind}.{predicate}")


def _near_value(rng: random.Random, predicate: str, value: str) -> str:
    """A value close to `value` (same role, a near date, a slightly different number)."""
    if predicate == "role":
        return value
    if "-" in value or predicate in ("born", "founded_on", "launched", "started"):
        return _near_date(rng, value)
    number = Fraction(value)
    if number.denominator != 1:
        return _decimal(number + Fraction(max(1, round(abs(number) / 2)), 10) * rng.choice([-2, -1, 1, 2]))
    step = abs(number) / 20
    if number.denominator == 1:
        step = Fraction(max(1, round(step)))
        if number >= 1000:
            step = Fraction(max(100, round(step / 100) * 100))
    return _decimal(number + step * rng.choice([-2, -1, 1, 2]))


# --------------------------------------------------------------------------------------- worlds


def build_world(rng: random.Random, n_entities: int, n_twins: int, omit_probability: float) -> World:
    """A connected world of about `n_entities` entities plus `n_twins` distractor twins.

    Always at least 2 people, 1 company and 1 town; the rest is drawn across all types. Functional
    relations (works for, located in, made by, led by, reports to, lives in) have one object per
    subject, so questions about them have one answer.
    """
    world = World()
    namer = Namer(rng, world.used_words)
    counts = {"person": 2, "company": 1, "town": 1, "product": 0, "project": 0}
    for _ in range(max(0, n_entities - 4)):
        counts[rng.choice(["person", "person", "company", "town", "product", "project"])] += 1
    for kind in ENTITY_TYPES:
        for _ in range(counts[kind]):
            world.entities[namer.name(kind)] = kind
    for name, kind in list(world.entities.items()):
        for predicate, (value_kind, unit) in ATTRIBUTES[kind].items():
            world.add(name, predicate, value_kind, draw_attribute(rng, kind, predicate), unit)
    _relate(rng, world)
    for base in rng.sample(sorted(world.entities), min(n_twins, len(world.entities))):
        _add_twin(rng, world, namer, base)
    _omit(rng, world, omit_probability)
    return world


def _relate(rng: random.Random, world: World) -> None:
    people, companies, towns = world.of("person"), world.of("company"), world.of("town")
    for company in companies:
        world.add(company, "located_in", "entity", rng.choice(towns))
    for person in people:
        world.add(person, "works_for", "entity", rng.choice(companies))
        if rng.random() < 0.6:
            world.add(person, "lives_in", "entity", rng.choice(towns))
    founders = rng.sample(people, min(len(people), len(companies)))
    for founder, company in zip(founders, companies):
        if rng.random() < 0.7:
            world.add(founder, "founded", "entity", company)
    for product in world.of("product"):
        world.add(rng.choice(companies), "makes", "entity", product)
    for project in world.of("project"):
        world.add(rng.choice(people), "leads", "entity", project)
    for a, b in pairwise(people):
        if rng.random() < 0.5 and world.value(a, "works_for") == world.value(b, "works_for"):
            world.add(b, "reports_to", "entity", a)
    if len(companies) >= 2:
        a, b = rng.sample(companies, 2)
        world.add(a, "supplies", "entity", b)


def _add_twin(rng: random.Random, world: World, namer: Namer, base: str) -> None:
    """A distractor like `base`: similar name, same type, near values, its own relations."""
    kind = world.entities[base]
    twin = namer.name(kind, like=base)
    if twin in world.entities:
        return
    world.entities[twin] = kind
    world.twins[twin] = base
    for fact in world.facts_about(base):
        if fact.kind in ("quantity", "date", "text"):
            world.add(twin, fact.predicate, fact.kind, _near_value(rng, fact.predicate, fact.value), fact.unit)
    companies, towns = [c for c in world.of("company") if c != twin], world.of("town")
    if kind == "person" and companies:
        world.add(twin, "works_for", "entity", rng.choice(companies))
        if world.value(base, "works_for") is not None and rng.random() < 0.5 and base != twin:
            world.facts.append(FactSpec(twin, "sibling_of", "entity", base))
    elif kind == "company" and towns:
        world.add(twin, "located_in", "entity", rng.choice([t for t in towns if t != twin]))
    elif kind == "product" and companies:
        world.add(rng.choice(companies), "makes", "entity", twin)
    elif kind == "project":
        world.add(rng.choice(world.of("person")), "leads", "entity", twin)


def _omit(rng: random.Random, world: World, probability: float) -> None:
    """Drop some attributes (never all of an entity's) so their absence can be asked about."""
    kept: list[FactSpec] = []
    for fact in world.facts:
        omittable = fact.kind in ("quantity", "date") and len(world.facts_about(fact.subject)) > 2
        if omittable and rng.random() < probability and not world.omitted.get(fact.subject):
            world.omitted.setdefault(fact.subject, set()).add(fact.predicate)
            continue
        kept.append(fact)
    world.facts = kept
