"""A hand-written grounded document with its facts, and Problems built on it for GroundedQA / GroundedSummary.

Hand-written (not generated) so the tests' responses can be written by hand too, and read as
plain English: the facts below are exactly what DOCUMENT states.
"""

from __future__ import annotations

from typing import Any

import vrgym
from vrgym.problem import Problem

DOCUMENT = (
    "Velto Systems was founded in 1987 and is based in Brask. Velto Systems has 340 employees. "
    "Mara Quell founded Velto Systems. Mara Quell works as the chief engineer and works for Velto Systems. "
    "Ivo Sarn reports to Mara Quell. Ivo Sarn works for Velto Systems and serves as the head of marketing.\n\n"
    "Orin Quell is a sibling of Mara Quell. Orin Quell works for Dask Metals and works as the chief engineer. "
    "Dask Metals was founded in 1989 and is based in Holmby. Dask Metals has 120 employees. Dask Metals supplies Velto Systems.\n\n"
    "Velto Systems makes the Kiro Pro. The Kiro Pro costs $1,250 and weighs 3.5 kg. The Kiro Pro was launched on 12 March 2004. "
    "Brask has a population of 12,400 residents. Project Lantern is led by Ivo Sarn. Project Lantern has a budget of $2.4 million."
)
ENTITIES = {
    "Velto Systems": "company", "Dask Metals": "company", "Mara Quell": "person", "Ivo Sarn": "person",
    "Orin Quell": "person", "Brask": "town", "Holmby": "town", "Kiro Pro": "product", "Project Lantern": "project",
}  # fmt: skip


def fact(subject: str, predicate: str, kind: str, value: str, unit: str | None = None) -> dict[str, Any]:
    return {"subject": subject, "predicate": predicate, "kind": kind, "value": value, "unit": unit}


FACTS = [
    fact("Velto Systems", "founded_on", "date", "1987"),
    fact("Velto Systems", "located_in", "entity", "Brask"),
    fact("Velto Systems", "staff", "quantity", "340", "staff"),
    fact("Mara Quell", "founded", "entity", "Velto Systems"),
    fact("Mara Quell", "role", "text", "chief engineer"),
    fact("Mara Quell", "works_for", "entity", "Velto Systems"),
    fact("Ivo Sarn", "reports_to", "entity", "Mara Quell"),
    fact("Ivo Sarn", "works_for", "entity", "Velto Systems"),
    fact("Ivo Sarn", "role", "text", "head of marketing"),
    fact("Orin Quell", "sibling_of", "entity", "Mara Quell"),
    fact("Orin Quell", "works_for", "entity", "Dask Metals"),
    fact("Orin Quell", "role", "text", "chief engineer"),
    fact("Dask Metals", "founded_on", "date", "1989"),
    fact("Dask Metals", "located_in", "entity", "Holmby"),
    fact("Dask Metals", "staff", "quantity", "120", "staff"),
    fact("Dask Metals", "supplies", "entity", "Velto Systems"),
    fact("Velto Systems", "makes", "entity", "Kiro Pro"),
    fact("Kiro Pro", "price", "quantity", "1250", "money"),
    fact("Kiro Pro", "weight", "quantity", "3.5", "mass"),
    fact("Kiro Pro", "launched", "date", "2004-03-12"),
    fact("Brask", "population", "quantity", "12400", "population"),
    fact("Ivo Sarn", "leads", "entity", "Project Lantern"),
    fact("Project Lantern", "budget", "quantity", "2400000", "money"),
]
ROLES = ["chief engineer", "head of marketing", "finance director", "sales director"]


def metadata(question: str, *, absent: list[str] = (), derived: list[dict] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    return {
        "document": DOCUMENT,
        "question": question,
        "entities": [{"name": n, "type": t} for n, t in ENTITIES.items()],
        "absent": list(absent),
        "facts": FACTS,
        "roles": ROLES,
        "derived": list(derived),
    }


def qa_problem(question: str, gold: dict[str, Any], *, absent: list[str] = (), derived: list[dict] = ()) -> Problem:  # type: ignore[assignment]
    """A GroundedQA problem on DOCUMENT (a generated one with its question, gold and facts replaced)."""
    base = vrgym.get_template("GroundedQA").generate(0, 0, difficulty="easy")
    meta = metadata(question, absent=absent, derived=derived) | {
        "question_kind": "single", "hops": 1, "used": [], "reference_answer": "", "missing": question,
    }  # fmt: skip
    gold = {"unit": None, "accept": [], **gold}
    return base.model_copy(update={"prompt": f"Document:\n{DOCUMENT}\n\nQuestion: {question}", "answer": gold, "metadata": meta})


def summary_problem(required: list[dict[str, Any]], max_sentences: int, max_words: int) -> Problem:
    """A GroundedSummary problem on DOCUMENT with the given required facts and limits."""
    base = vrgym.get_template("GroundedSummary").generate(0, 0, difficulty="easy")
    meta = metadata("") | {"required": required, "reference": ""}
    answer = {"max_sentences": max_sentences, "max_words": max_words, "required": len(required)}
    return base.model_copy(update={"prompt": f"Summarise:\n{DOCUMENT}", "answer": answer, "metadata": meta})
