"""Facts rendered as varied prose, a small table or a bullet list; and plain statements for references.

Every fact has several phrasings (`PHRASES`); each is a verb phrase after the subject ("works
for {o}") or, for passive variants, a whole sentence ("{o} is led by {s}."). Two facts about the
same subject are sometimes joined into one sentence. Relations are only written with phrasings
the grounding checker's relation table recognises (`vrgym.verifiers.faithfulness.relations`), so a
model that copies a sentence from the document is always judged as supported.

Values are written the way the checker reads them: "$2.4 million", "12,400 residents", "3.5 kg",
"12 March 2004" or "March 12, 2004", "in 1987".
"""

from __future__ import annotations

import random
from fractions import Fraction

from vrgym.tasks.faithfulness._world import FactSpec, World
from vrgym.verifiers.faithfulness.values import DateValue, format_number

PHRASES: dict[str, list[str]] = {
    "role": ["works as the {o}", "serves as the {o}", "holds the position of {o}"],
    "born": ["was born {d}"],
    "founded_on": ["was founded {d}", "was established {d}"],
    "staff": ["has {o}", "has a staff of {o}"],
    "revenue": ["reported annual revenue of {o}", "had yearly revenue of {o}"],
    "population": ["has a population of {o}", "is a town of {o}"],
    "area": ["covers {o}", "has an area of {o}"],
    "price": ["sells for {o}", "costs {o}", "is priced at {o}"],
    "weight": ["weighs {o}", "has a weight of {o}"],
    "launched": ["was launched {d}", "went on sale {d}"],
    "budget": ["has a budget of {o}", "was given a budget of {o}"],
    "started": ["began {d}", "got under way {d}"],
    "works_for": ["works for {o}", "is employed by {o}"],
    "founded": ["founded {o}", "established {o}"],
    "reports_to": ["reports to {o}"],
    "sibling_of": ["is a sibling of {o}"],
    "lives_in": ["lives in {o}", "resides in {o}"],
    "located_in": ["is based in {o}", "is headquartered in {o}"],
    "supplies": ["supplies {o}", "is a supplier of {o}"],
    "makes": ["makes {o}", "manufactures {o}"],
    "leads": ["leads {o}", "heads {o}"],
}
"""Subject-first verb phrases per predicate ({o}: the value, {d}: a date with its preposition)."""

PASSIVE: dict[str, list[str]] = {
    "founded": ["{o} was founded by {s}."],
    "makes": ["{o} is manufactured by {s}.", "{o} is made by {s}."],
    "leads": ["{o} is led by {s}."],
    "supplies": ["{o} is supplied by {s}."],
    "sibling_of": ["{s} and {o} are siblings."],
    "staff": ["{s} has a workforce of {o}."],
}
"""Whole-sentence alternatives (object first, or another shape)."""

ARTICLE_TYPES = {"product"}
"""Entity types written with 'the' in running text ("the Velaro Pro")."""


def show_name(world_types: dict[str, str], name: str, start: bool = False) -> str:
    """A name as running text writes it: products take 'the' ("The Velaro Pro costs …")."""
    if world_types.get(name) in ARTICLE_TYPES:
        return ("The " if start else "the ") + name
    return name


def show_value(fact: FactSpec, style: int = 0) -> str:
    """The value of `fact` as documents write it (unit included; dates without preposition)."""
    if fact.kind == "date":
        return DateValue.from_iso(fact.value).render(style)
    if fact.kind != "quantity":
        return fact.value
    value = Fraction(fact.value)
    if fact.unit == "money":
        if value >= 1_000_000 and value % 100_000 == 0:
            return f"${format_number(value / 1_000_000)} million"
        return f"${format_number(value)}"
    unit = {"staff": "employees", "population": "residents", "area": "square kilometres", "mass": "kg", "duration": "years"}
    return f"{format_number(value)} {unit.get(fact.unit or '', '')}".strip()


def show_date(fact: FactSpec, style: int = 0) -> str:
    """'on 12 March 2004' / 'in 1987' / 'in March 2004'."""
    date = DateValue.from_iso(fact.value)
    return ("on " if date.day is not None else "in ") + date.render(style)


def phrase(rng: random.Random, world: World, fact: FactSpec) -> str:
    """One verb phrase for `fact` (random wording and date style)."""
    template = rng.choice(PHRASES[fact.predicate])
    style = rng.randrange(2)
    obj = show_name(world.entities, fact.value) if fact.kind == "entity" else show_value(fact, style)
    return template.format(o=obj, d=show_date(fact, style) if fact.kind == "date" else "")


def statement(world: World, fact: FactSpec) -> str:
    """The plain, first-wording sentence for `fact` (reference responses and summaries use it)."""
    template = PHRASES[fact.predicate][0]
    obj = show_name(world.entities, fact.value) if fact.kind == "entity" else show_value(fact)
    text = template.format(o=obj, d=show_date(fact) if fact.kind == "date" else "")
    return f"{show_name(world.entities, fact.subject, start=True)} {text}."


def joined(world: World, first: FactSpec, second: FactSpec) -> str:
    """Two facts about the same subject in one plain sentence."""
    a, b = statement(world, first)[:-1], statement(world, second)
    subject = show_name(world.entities, first.subject, start=True)
    return f"{a} and {b[len(subject) + 1:]}"


def render_document(rng: random.Random, world: World, table_probability: float) -> str:
    """The document: a paragraph per subject (shuffled), sometimes a product table or a town list."""
    subjects = sorted(world.entities)
    rng.shuffle(subjects)
    blocks: list[str] = []
    tabled = _table(rng, world, table_probability, blocks)
    listed = _town_list(rng, world, table_probability, blocks)
    paragraphs: list[str] = []
    for subject in subjects:
        facts = [f for f in world.facts_about(subject) if (subject, f.predicate) not in tabled | listed]
        rng.shuffle(facts)
        sentences: list[str] = []
        while facts:
            fact = facts.pop()
            if fact.predicate in PASSIVE and rng.random() < 0.35:
                obj = show_name(world.entities, fact.value) if fact.kind == "entity" else show_value(fact)
                sentence = rng.choice(PASSIVE[fact.predicate]).format(s=show_name(world.entities, subject), o=obj)
                sentences.append(sentence[0].upper() + sentence[1:])
                continue
            text = f"{show_name(world.entities, subject, start=True)} {phrase(rng, world, fact)}"
            if facts and facts[-1].predicate not in PASSIVE and rng.random() < 0.4:
                text += f" and {phrase(rng, world, facts.pop())}"
            sentences.append(text + ".")
        if sentences:
            paragraphs.append(" ".join(sentences))
    rng.shuffle(paragraphs)
    return "\n\n".join(paragraphs + blocks)


def _table(rng: random.Random, world: World, probability: float, blocks: list[str]) -> set[tuple[str, str]]:
    """A markdown table of the products that have price, weight and launch date (or nothing)."""
    rows = [p for p in world.of("product") if all(world.value(p, k) for k in ("price", "weight", "launched"))]
    if len(rows) < 2 or rng.random() >= probability:
        return set()
    lines = ["Product catalogue:", "", "| Product | Price | Weight | Launched |", "|---|---|---|---|"]
    done: set[tuple[str, str]] = set()
    for product in rows:
        cells = [show_value(world.value(product, k)) for k in ("price", "weight", "launched")]  # type: ignore[arg-type]
        lines.append(f"| {product} | " + " | ".join(cells) + " |")
        done |= {(product, k) for k in ("price", "weight", "launched")}
    blocks.append("\n".join(lines))
    return done


def _town_list(rng: random.Random, world: World, probability: float, blocks: list[str]) -> set[tuple[str, str]]:
    """A bullet list of town populations (or nothing)."""
    towns = [t for t in world.of("town") if world.value(t, "population")]
    if len(towns) < 2 or rng.random() >= probability:
        return set()
    lines = ["Town populations:"] + [f"- {t}: {show_value(world.value(t, 'population'))}" for t in towns]  # type: ignore[arg-type]
    blocks.append("\n".join(lines))
    return {(t, "population") for t in towns}
