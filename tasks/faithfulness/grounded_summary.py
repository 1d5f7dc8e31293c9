"""`GroundedSummary`: summarise a generated document briefly, covering its key facts, inventing nothing.

Why this template: summaries are where models hallucinate most freely (a plausible date, a
rounded number, a merged entity). The document is generated, so its facts are known, and the
summary is checked by rule: length limits, coverage of the required key facts, and the same
sentence-level support check as GroundedQA.

Generation. A document as in GroundedQA (`_document`). The generator picks K key facts — the
focus entity's (the first company, or a person) facts and relations first, then facts of its
neighbours — and the prompt names their *topics* ("when Velto Systems was founded", "who leads
Project Ardel") without their values: the model must read the values from the document. The
limits (at most N sentences, at most W words) leave room over the reference summary.

Verification (the whole reply is the summary). 1 iff: within N sentences and W words; every
required fact is stated in one sentence that names its entity and gives its value (the right
quantity with a compatible unit, the date at the document's precision, the related entity, the
role); and every claim in every sentence is supported (`hack:unsupported_claim` otherwise).
"""

from __future__ import annotations

import math
import random
import re
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field
from vrgym.tasks.faithfulness._document import (
    DOCUMENT_INSTRUCTIONS,
    DocumentConfig,
    draw_document,
    ground,
    grounding_metadata,
)
from vrgym.tasks.faithfulness._render import joined, show_name, statement
from vrgym.tasks.faithfulness._world import FactSpec, World
from vrgym.verifiers.extraction import AnswerFormat, strip_thinking
from vrgym.verifiers.faithfulness import FactBase
from vrgym.verifiers.faithfulness.claims import Claims, extract_claims, sentences
from vrgym.verifiers.faithfulness.relations import NEGATION, RELATIONS
from vrgym.verifiers.faithfulness.values import DateValue, Quantity

from vrgym.problem import Problem
from vrgym.registry import register
from vrgym.template import Draft, Template
from vrgym.verdict import FORMAT, NO_ANSWER, WRONG_ANSWER, Verdict

TOPICS: dict[str, str] = {
    "role": "what {s} does (their role)", "born": "when {s} was born", "founded_on": "when {s} was founded",
    "staff": "how many employees {s} has", "revenue": "the annual revenue of {s}", "population": "the population of {s}",
    "area": "the area of {s}", "price": "the price of {s}", "weight": "the weight of {s}", "launched": "when {s} was launched",
    "budget": "the budget of {s}", "started": "when {s} began", "works_for": "which company {s} works for",
    "lives_in": "where {s} lives", "located_in": "where {s} is based", "reports_to": "whom {s} reports to",
    "founded": "who founded {o}", "makes": "which company makes {o}", "leads": "who leads {o}", "supplies": "whom {s} supplies",
    "sibling_of": "who {s}'s sibling is",
}  # fmt: skip
"""How the prompt names a required fact without giving its value."""
_WORD = re.compile(r"\S+")


class GroundedSummaryConfig(DocumentConfig):
    """Document size and traps (see DocumentConfig) and how many key facts the summary must cover."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(min_entities=4, max_entities=5, distractors=0, key_facts=3),
        "medium": dict(min_entities=5, max_entities=7, distractors=1, key_facts=4),
        "hard": dict(min_entities=7, max_entities=9, distractors=2, key_facts=5, table_probability=0.4),
        "expert": dict(min_entities=9, max_entities=12, distractors=3, key_facts=7, table_probability=0.5),
    }
    default_level: ClassVar[str | None] = "medium"

    key_facts: int = Field(4, ge=1, le=12, description="Required facts the summary must state.")
    slack_sentences: int = Field(1, ge=0, le=5, description="Sentences allowed beyond the reference summary's.")
    word_slack: float = Field(1.5, ge=1.0, le=4.0, description="Word limit as a multiple of the reference summary's words.")


@register
class GroundedSummary(Template):
    """Summarise a generated document in N sentences / W words, covering K key facts, all claims grounded."""

    name = "GroundedSummary"
    version = 0
    domain = "faithfulness"
    tags = ("faithfulness/summary",)
    description = "Summarise a generated document within length limits, covering key facts; unsupported claims score 0"
    Config = GroundedSummaryConfig
    answer_format = AnswerFormat.WHOLE

    def build(self, rng: random.Random, config: GroundedSummaryConfig) -> Draft:  # type: ignore[override]
        document = draw_document(rng, config)
        world = document.world
        required = _key_facts(rng, world, config.key_facts)
        reference = _summary(world, required)
        max_sentences = len(sentences(reference)) + config.slack_sentences
        max_words = int(math.ceil(len(_WORD.findall(reference)) * config.word_slack / 10) * 10)
        topics = [_topic(world, fact) for fact in required]
        prompt = (
            "Summarise the document below.\n\n"
            f"Document:\n<<<\n{document.text}\n>>>\n\n"
            f"Write at most {max_sentences} sentences and at most {max_words} words. The summary must state: "
            + "; ".join(topics)
            + f". Name the entity in the same sentence as each of these facts. {DOCUMENT_INSTRUCTIONS} "
            "Give dates as precisely as the document states them and quantities with their units. "
            f"{self.answer_format.instruction}"
        )
        metadata = grounding_metadata(document, " ".join(topics))
        metadata |= {"required": [f.to_json() for f in required], "reference": reference}
        answer = {"max_sentences": max_sentences, "max_words": max_words, "required": len(required)}
        return Draft(prompt, answer, metadata)

    def check(self, problem: Problem, response: str) -> Verdict:
        text = strip_thinking(response)
        if text is None or not text.strip():
            return Verdict.fail(NO_ANSWER, "no summary was given (empty, or the <think> block is never closed)")
        limits = problem.answer
        words = len(_WORD.findall(text))
        if words > limits["max_words"]:  # type: ignore[index]
            return Verdict.fail(FORMAT, f"the summary has {words} words; the limit is {limits['max_words']}")  # type: ignore[index]
        found = sentences(text)
        if not found:
            return Verdict.fail(NO_ANSWER, "the summary has no sentences")
        if len(found) > limits["max_sentences"]:  # type: ignore[index]
            return Verdict.fail(FORMAT, f"the summary has {len(found)} sentences; the limit is {limits['max_sentences']}")  # type: ignore[index]
        base = FactBase.from_metadata(problem.metadata)
        read = [({name for _, _, name in base.mentions(sentence)}, sentence, extract_claims(sentence)) for sentence in found]
        for fact in problem.metadata["required"]:  # type: ignore[union-attr]
            if not any(covers(named, sentence, claims, fact) for named, sentence, claims in read):
                topic = _topic(World(entities=dict(base.entities)), FactSpec(**fact))
                return Verdict.fail(WRONG_ANSWER, f"the summary does not state {topic}", checks={"coverage": False})
        return ground(problem, text, Verdict.correct(checks={"length": True, "coverage": True, "grounded": True}), base)

    def reference_response(self, problem: Problem) -> str:
        return str(problem.metadata["reference"])


def covers(named: set[str], sentence: str, claims: Claims, fact: dict[str, Any]) -> bool:
    """True when a sentence (its named entities and claims) names the fact's subject and states its value.

    A negated sentence never covers a fact: "X was not founded in 1962" names the value while
    denying it, and must not earn the fact (it is checked for grounding like any other sentence).
    """
    if fact["subject"] not in named or NEGATION.search(sentence) is not None:
        return False
    kind = fact["kind"]
    if kind == "entity":  # both ends named, and the relation itself phrased (not another one between them)
        return fact["value"] in named and RELATIONS[fact["predicate"]].cued(sentence)
    if kind == "text":
        return re.search(rf"\b{re.escape(fact['value'])}\b", sentence, re.IGNORECASE) is not None
    if kind == "quantity":
        expected = Quantity(Fraction(fact["value"]), fact["unit"])
        return any(q.dimension is not None and q.matches(expected) for q in claims.quantities)
    date = DateValue.from_iso(fact["value"])
    stated = [*claims.dates, *(DateValue(y) for y in claims.years)]
    return any(d == date for d in stated)


def _key_facts(rng: random.Random, world: World, k: int) -> list[FactSpec]:
    """K facts, the focus entity's first, then its neighbours' (no twin facts: twins are distractors)."""
    focus = min(world.of("company") or world.of("person"))
    pool = [f for f in world.facts if f.subject not in world.twins and f.value not in world.twins and f.predicate in TOPICS]
    own = [f for f in pool if f.subject == focus or f.value == focus]
    near = {f.value if f.subject == focus else f.subject for f in own if f.kind == "entity"}
    second = [f for f in pool if f not in own and (f.subject in near or f.value in near)]
    rest = [f for f in pool if f not in own and f not in second]
    for group in (own, second, rest):
        rng.shuffle(group)
    chosen: list[FactSpec] = []
    seen: set[tuple[str, str]] = set()
    for fact in [*own, *second, *rest]:
        if (fact.subject, fact.predicate) not in seen:
            chosen.append(fact)
            seen.add((fact.subject, fact.predicate))
        if len(chosen) == k:
            break
    return chosen


def _summary(world: World, facts: list[FactSpec]) -> str:
    """Plain sentences for `facts`, two facts about the same subject joined into one."""
    out: list[str] = []
    pending = list(facts)
    while pending:
        fact = pending.pop(0)
        partner = next((f for f in pending if f.subject == fact.subject), None)
        if partner is not None:
            pending.remove(partner)
            out.append(joined(world, fact, partner))
        else:
            out.append(statement(world, fact))
    return " ".join(out)


def _topic(world: World, fact: FactSpec) -> str:
    return TOPICS[fact.predicate].format(s=show_name(world.entities, fact.subject), o=show_name(world.entities, fact.value))
