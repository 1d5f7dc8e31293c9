"""`GroundedQA`: answer a question from a generated document, and justify it only with what it states.

Why this template: the Kimi K2 report trains faithfulness with a sentence-level grounding judge;
here the judge is a rule, because the document is generated and its facts are known exactly. A
model is rewarded for the right answer *and* for not inventing anything on the way: no number,
date, name or relation the document does not give, and "not stated" when it does not say.

Generation. A synthetic world (`_world`: invented people, companies, towns, products, projects,
with attributes and relations, plus distractor twins with similar names and near values) is
rendered as varied prose, sometimes with a table or a bullet list (`_render`). The question
(`_questions`) needs one fact, 2–3 facts combined (a chain of relations, a sum, a comparison, the
years between two dates), or is unanswerable (an omitted attribute whose twin has one, a relation
the document does not give, an entity it never mentions). Levels grow the document, the
distractors, the hops and the share of unanswerable questions.

Verification. The single `<answer>…</answer>` is compared by type (`answer_matches`: names,
quantities with units, numbers in words, dates in several formats, "not stated" phrasings);
then every sentence of the response is checked against the document's facts (`find_unsupported`);
a sentence with an unsupported or contradicted claim scores 0 as `hack:unsupported_claim`.
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from pydantic import Field
from vrgym.tasks.faithfulness._document import (
    DOCUMENT_INSTRUCTIONS,
    DocumentConfig,
    draw_document,
    ground,
    grounding_metadata,
)
from vrgym.tasks.faithfulness._questions import Question, draw_question
from vrgym.tasks.faithfulness._render import show_value, statement
from vrgym.tasks.faithfulness._world import FactSpec, World
from vrgym.verifiers.extraction import AnswerFormat, strip_thinking
from vrgym.verifiers.faithfulness import answer_matches
from vrgym.verifiers.faithfulness.values import DateValue

from vrgym.problem import Problem
from vrgym.registry import register
from vrgym.template import Draft, Template
from vrgym.verdict import NO_ANSWER, WRONG_ANSWER, Verdict

NOT_STATED = "not stated"


class GroundedQAConfig(DocumentConfig):
    """Document size and traps (see DocumentConfig), hops and the share of unanswerable questions."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(min_entities=4, max_entities=5, distractors=1, max_hops=1, unanswerable_share=0.15, omit_probability=0.1),
        "medium": dict(min_entities=5, max_entities=7, distractors=2, max_hops=2, unanswerable_share=0.2),
        "hard": dict(min_entities=7, max_entities=9, distractors=3, max_hops=3, unanswerable_share=0.25, table_probability=0.4),
        "expert": dict(
            min_entities=9, max_entities=12, distractors=4, max_hops=3, unanswerable_share=0.3, omit_probability=0.2,
            table_probability=0.5,
        ),
    }
    default_level: ClassVar[str | None] = "medium"

    max_hops: int = Field(2, ge=1, le=3, description="Most facts a question combines (1: single-fact questions only).")
    unanswerable_share: float = Field(0.2, ge=0, le=1, description="Share of questions the document cannot answer.")


@register
class GroundedQA(Template):
    """Answer a question about a generated document; every claim in the response must be grounded."""

    name = "GroundedQA"
    version = 0
    domain = "faithfulness"
    tags = ("faithfulness/grounded_qa",)
    description = "Answer from a generated document (1-3 facts, or 'not stated'); unsupported claims score 0"
    Config = GroundedQAConfig
    answer_format = AnswerFormat.TAG

    def build(self, rng: random.Random, config: GroundedQAConfig) -> Draft:  # type: ignore[override]
        document = draw_document(rng, config)
        question = draw_question(rng, document.world, document.namer, config.max_hops, config.unanswerable_share)
        prompt = (
            "Read the document and answer the question.\n\n"
            f"Document:\n<<<\n{document.text}\n>>>\n\n"
            f"Question: {question.text}\n\n"
            f"Justify your answer briefly. {DOCUMENT_INSTRUCTIONS} If the document does not give the answer, say so and "
            f"answer <answer>{NOT_STATED}</answer>. Give a date as precisely as the document states it and a quantity "
            f"with its unit. {self.answer_format.instruction}"
        )
        metadata = grounding_metadata(document, question.text, absent=question.absent, derived=question.derived)
        metadata |= {
            "question_kind": question.kind,
            "hops": question.hops,
            "used": [fact.to_json() for fact in question.used],
            "reference_answer": _answer_text(question),
            "missing": question.missing,
        }
        return Draft(prompt, question.gold, metadata, tags=(f"faithfulness/grounded_qa/{question.kind}",))

    def check(self, problem: Problem, response: str) -> Verdict:
        found = self.extract(response)
        if not found.ok or found.answer is None:
            return Verdict.fail(found.reason, found.detail)
        right, why = answer_matches(found.answer, problem.answer)  # type: ignore[arg-type]
        if not right:
            return Verdict.fail(WRONG_ANSWER, why, checks={"answer": False}, answer=found.answer)
        text = strip_thinking(response)
        if text is None:
            return Verdict.fail(NO_ANSWER, "the <think> block is never closed")
        return ground(problem, text, Verdict.correct(checks={"answer": True, "grounded": True}, answer=found.answer))

    def reference_response(self, problem: Problem) -> str:
        metadata = problem.metadata
        answer = metadata["reference_answer"]
        if problem.answer["kind"] == "unanswerable":  # type: ignore[index]
            lines = ["The document does not state the answer to this question."]
            lines += [f"The document does not mention {name}." for name in metadata["absent"]]
        else:
            facts = [FactSpec(**fact) for fact in metadata["used"]]
            types = {e["name"]: e["type"] for e in metadata["entities"]}
            lines = [statement_for(types, fact) for fact in facts]
            if metadata["derived"]:
                lines.append(f"Combining these gives {answer}.")
        return " ".join(lines) + f"\nSo the answer is {self.answer_format.wrap(answer)}."


def statement_for(types: dict[str, str], fact: FactSpec) -> str:
    """The plain sentence for `fact`, knowing only entity types (a reference rebuilt from metadata)."""
    return statement(World(entities=types), fact)


def _answer_text(question: Question) -> str:
    gold = question.gold
    if gold["kind"] == "unanswerable":
        return NOT_STATED
    if gold["kind"] == "date":
        return DateValue.from_iso(gold["value"]).render()
    if gold["kind"] == "quantity":
        return show_value(FactSpec("", "", "quantity", gold["value"], gold["unit"]))
    return str(gold["value"])
