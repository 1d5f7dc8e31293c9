"""Questions about a world: one fact, 2–3 facts combined, or not answerable from the document.

A question is drawn with its gold (typed JSON for `answer_matches`), the facts it uses (the
reference response cites them), the derived numbers it asks for (sums, differences: allowed in a
justification) and any names it mentions that the document does not (absent entities).

* single — an attribute or a functional relation of a named entity;
* multi  — an entity described through 1–2 relations ("the town where the company that Mara
  Quell works for is based"), then asked about; or two entities' values compared, summed, or
  their years subtracted;
* unanswerable — an attribute the document omits for that entity (while a twin has it), a
  relation the document does not give, or an entity the document never mentions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction

from vrgym.tasks.faithfulness._render import show_name
from vrgym.tasks.faithfulness._world import ATTRIBUTES, FactSpec, Namer, World
from vrgym.verifiers.faithfulness.facts import entity_aliases

ATTRIBUTE_QUESTIONS: dict[str, str] = {
    "role": "What role does {s} have?",
    "born": "When was {s} born?",
    "founded_on": "When was {s} founded?",
    "staff": "How many employees does {s} have?",
    "revenue": "What was the annual revenue of {s}?",
    "population": "What is the population of {s}?",
    "area": "What is the area of {s}?",
    "price": "How much does {s} cost?",
    "weight": "How much does {s} weigh?",
    "launched": "When was {s} launched?",
    "budget": "What is the budget of {s}?",
    "started": "When did {s} begin?",
}
RELATION_QUESTIONS: dict[str, str] = {
    "works_for": "Which company does {s} work for?",
    "lives_in": "In which town does {s} live?",
    "located_in": "In which town is {s} based?",
    "reports_to": "To whom does {s} report?",
}
INVERSE_QUESTIONS: dict[str, str] = {
    "founded": "Who founded {o}?",
    "makes": "Which company makes {o}?",
    "leads": "Who leads {o}?",
}
DESCRIPTIONS: dict[tuple[str, bool], str] = {
    ("works_for", True): "the company that {x} works for",
    ("lives_in", True): "the town where {x} lives",
    ("located_in", True): "the town where {x} is based",
    ("reports_to", True): "the person {x} reports to",
    ("makes", False): "the company that makes {x}",
    ("leads", False): "the person who leads {x}",
    ("founded", False): "the founder of {x}",
}
"""(predicate, forward?) -> a description of the object (forward) or subject (inverse) reached from {x}."""
SUMMABLE = {"staff": "How many employees do {a} and {b} have together?", "weight": "What is the combined weight of {a} and {b}?",
            "price": "What do {a} and {b} cost together?", "population": "What is the combined population of {a} and {b}?"}
COMPARABLE = {"price": "Which costs more, {a} or {b}?", "staff": "Which has more employees, {a} or {b}?",
              "weight": "Which is heavier, {a} or {b}?", "population": "Which has the larger population, {a} or {b}?"}


@dataclass
class Question:
    """A drawn question with everything the prompt, verifier and reference need."""

    text: str
    kind: str  # single | multi | unanswerable
    gold: dict
    hops: int
    used: list[FactSpec] = field(default_factory=list)
    derived: list[dict] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    missing: str = ""
    """For unanswerable questions: what the document does not state (for the reference)."""


def gold_for(world: World, fact: FactSpec, value_of_object: bool = True) -> dict:
    """Typed gold for the value of `fact` (the object of a relation when `value_of_object`)."""
    if fact.kind == "entity":
        name = fact.value if value_of_object else fact.subject
        return entity_gold(world, name)
    if fact.kind == "text":
        return {"kind": "text", "value": fact.value, "unit": None, "accept": []}
    return {"kind": fact.kind, "value": fact.value, "unit": fact.unit, "accept": []}


def entity_gold(world: World, name: str) -> dict:
    aliases = entity_aliases(sorted(world.entities))
    return {"kind": "entity", "value": name, "unit": None, "accept": sorted(a for a, n in aliases.items() if n == name and a != name)}


def _edges(world: World, entity: str) -> list[tuple[FactSpec, str, str]]:
    """Functional hops from `entity`: (fact, description template key, reached entity)."""
    out = []
    for fact in world.facts:
        if fact.kind != "entity":
            continue
        if fact.subject == entity and (fact.predicate, True) in DESCRIPTIONS:
            if len(world.objects(entity, fact.predicate)) == 1:
                out.append((fact, DESCRIPTIONS[(fact.predicate, True)], fact.value))
        elif fact.value == entity and (fact.predicate, False) in DESCRIPTIONS:
            if len(world.subjects(fact.predicate, entity)) == 1:
                out.append((fact, DESCRIPTIONS[(fact.predicate, False)], fact.subject))
    return out


def _single(rng: random.Random, world: World, targets: list[str]) -> Question | None:
    entity = rng.choice(targets)
    facts = [f for f in world.facts_about(entity) if f.predicate in ATTRIBUTE_QUESTIONS]
    facts += [f for f in world.facts_about(entity) if f.predicate in RELATION_QUESTIONS and len(world.objects(entity, f.predicate)) == 1]
    inverse = [f for f in world.facts if f.value == entity and f.predicate in INVERSE_QUESTIONS and len(world.subjects(f.predicate, entity)) == 1]
    if inverse and rng.random() < 0.3:
        fact = rng.choice(inverse)
        text = INVERSE_QUESTIONS[fact.predicate].format(o=show_name(world.entities, entity))
        return Question(text, "single", entity_gold(world, fact.subject), 1, [fact])
    if not facts:
        return None
    fact = rng.choice(facts)
    template = ATTRIBUTE_QUESTIONS.get(fact.predicate) or RELATION_QUESTIONS[fact.predicate]
    return Question(template.format(s=show_name(world.entities, entity)), "single", gold_for(world, fact), 1, [fact])


def _chain(rng: random.Random, world: World, hops: int) -> Question | None:
    """A described entity (1–2 relation hops from a named one), then one of its facts: hops + 1 facts."""
    start = rng.choice(sorted(world.entities))
    path: list[FactSpec] = []
    description, current = show_name(world.entities, start), start
    for _ in range(hops - 1):
        edges = [e for e in _edges(world, current) if e[2] != start]
        if not edges:
            return None
        fact, template, current = rng.choice(edges)
        path.append(fact)
        description = template.format(x=description)
    final = [f for f in world.facts_about(current) if f.predicate in ATTRIBUTE_QUESTIONS]
    final += [f for f in world.facts_about(current) if f.predicate in RELATION_QUESTIONS and len(world.objects(current, f.predicate)) == 1]
    if not final or not path:
        return None
    fact = rng.choice(final)
    template = ATTRIBUTE_QUESTIONS.get(fact.predicate) or RELATION_QUESTIONS[fact.predicate]
    text = template.format(s=description)
    return Question(text[0].upper() + text[1:], "multi", gold_for(world, fact), len(path) + 1, [*path, fact])


def _pair(rng: random.Random, world: World) -> Question | None:
    """Two entities' values combined: a sum, a comparison, or the years between two dates."""
    mode = rng.choice(["sum", "compare", "years"])
    if mode == "years":
        dated = [f for f in world.facts if f.predicate in ("founded_on", "launched", "started")]
        if len(dated) < 2:
            return None
        a, b = rng.sample(dated, 2)
        ya, yb = int(a.value[:4]), int(b.value[:4])
        if ya == yb:
            return None
        first, second = (a, b) if ya < yb else (b, a)
        verbs = {"founded_on": "was founded", "launched": "was launched", "started": "began"}
        text = (f"How many years passed between the year {show_name(world.entities, first.subject)} {verbs[first.predicate]} "
                f"and the year {show_name(world.entities, second.subject)} {verbs[second.predicate]}?")
        diff = str(abs(yb - ya))
        return Question(text, "multi", {"kind": "quantity", "value": diff, "unit": "duration", "accept": []}, 2,
                        [first, second], derived=[{"value": diff, "unit": "duration"}])
    table = SUMMABLE if mode == "sum" else COMPARABLE
    predicate = rng.choice(sorted(table))
    facts = [f for f in world.facts if f.predicate == predicate]
    if len(facts) < 2:
        return None
    a, b = rng.sample(facts, 2)
    if a.value == b.value:
        return None
    text = table[predicate].format(a=show_name(world.entities, a.subject), b=show_name(world.entities, b.subject))
    if mode == "sum":
        total = Fraction(a.value) + Fraction(b.value)
        value = str(total.numerator) if total.denominator == 1 else str(float(total))
        return Question(text, "multi", {"kind": "quantity", "value": value, "unit": a.unit, "accept": []}, 2, [a, b],
                        derived=[{"value": value, "unit": a.unit}])
    winner = a if Fraction(a.value) > Fraction(b.value) else b
    return Question(text, "multi", entity_gold(world, winner.subject), 2, [a, b])


def _unanswerable(rng: random.Random, world: World, namer: Namer) -> Question | None:
    mode = rng.choice(["omitted", "relation", "absent"])
    if mode == "omitted" and world.omitted:
        entity = rng.choice(sorted(world.omitted))
        predicate = rng.choice(sorted(world.omitted[entity]))
        return Question(ATTRIBUTE_QUESTIONS[predicate].format(s=show_name(world.entities, entity)), "unanswerable",
                        {"kind": "unanswerable", "value": None, "unit": None, "accept": []}, 1, [],
                        missing=ATTRIBUTE_QUESTIONS[predicate].format(s=show_name(world.entities, entity)))
    if mode == "relation":
        options = [(p, r) for p in world.of("person") for r in ("reports_to", "lives_in") if not world.objects(p, r)]
        options += [(c, "founded") for c in world.of("company") if not world.subjects("founded", c)]
        if not options:
            return None
        entity, predicate = rng.choice(options)
        template = INVERSE_QUESTIONS.get(predicate, RELATION_QUESTIONS.get(predicate, ""))
        text = template.format(s=entity, o=entity)
        return Question(text, "unanswerable", {"kind": "unanswerable", "value": None, "unit": None, "accept": []}, 1, [], missing=text)
    like = rng.choice(sorted(world.entities))
    kind = world.entities[like]
    ghost = namer.name(kind)
    predicate = rng.choice(sorted(p for p in ATTRIBUTES[kind] if p in ATTRIBUTE_QUESTIONS))
    text = ATTRIBUTE_QUESTIONS[predicate].format(s=("the " if kind == "product" else "") + ghost)
    return Question(text, "unanswerable", {"kind": "unanswerable", "value": None, "unit": None, "accept": []}, 1, [],
                    absent=[ghost], missing=text)


def draw_question(rng: random.Random, world: World, namer: Namer, max_hops: int, unanswerable_share: float) -> Question:
    """One question: unanswerable with probability `unanswerable_share`, else single or multi (by `max_hops`)."""
    targets = sorted(set(world.twins.values()) | set(world.twins)) or sorted(world.entities)
    for _ in range(200):
        roll = rng.random()
        if roll < unanswerable_share:
            question = _unanswerable(rng, world, namer)
        elif max_hops == 1 or rng.random() < 0.3:
            question = _single(rng, world, targets if rng.random() < 0.6 else sorted(world.entities))
        elif rng.random() < 0.5:
            question = _pair(rng, world)
        else:
            question = _chain(rng, world, rng.randint(2, max_hops))
        if question is not None:
            return question
    raise RuntimeError("could not draw a question from this world; it has too few facts (raise n_entities)")
