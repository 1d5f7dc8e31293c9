"""What both faithfulness templates share: a world drawn and rendered, its facts as metadata, the verdict.

`draw_document` builds the world and the document from a config's common fields;
`grounding_metadata` writes the JSON the verifier's `FactBase` reads (see
`vrgym.verifiers.faithfulness.facts`); `ground` is the last step of both verifiers: the first
sentence with an unsupported claim turns the verdict into `hack:unsupported_claim`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from pydantic import Field, model_validator
from vrgym.tasks.faithfulness._render import render_document
from vrgym.tasks.faithfulness._world import ROLES, Namer, World, build_world
from vrgym.verifiers.faithfulness import UNSUPPORTED_CLAIM, FactBase, find_unsupported

from vrgym.config import TemplateConfig
from vrgym.problem import Problem
from vrgym.verdict import Verdict


class DocumentConfig(TemplateConfig):
    """The document's size and traps, shared by GroundedQA and GroundedSummary."""

    min_entities: int = Field(5, ge=4, le=40, description="Fewest entities the document describes (before distractors).")
    max_entities: int = Field(6, ge=4, le=40, description="Most entities the document describes (before distractors).")
    distractors: int = Field(1, ge=0, le=10, description="Twin entities with similar names and near values.")
    omit_probability: float = Field(0.15, ge=0, le=0.6, description="Chance an attribute is left out (so 'not stated' is right).")
    table_probability: float = Field(0.3, ge=0, le=1, description="Chance of a product table / town list instead of prose.")

    @model_validator(mode="after")
    def _sizes(self) -> DocumentConfig:
        if self.min_entities > self.max_entities:
            raise ValueError(f"min_entities ({self.min_entities}) exceeds max_entities ({self.max_entities})")
        return self


@dataclass
class Document:
    """A drawn world, its rendered text, and the namer (for names the document must not use)."""

    world: World
    text: str
    namer: Namer


def draw_document(rng: random.Random, config: DocumentConfig) -> Document:
    """A world of the configured size with its distractors, rendered as a document."""
    world = build_world(rng, rng.randint(config.min_entities, config.max_entities), config.distractors, config.omit_probability)
    text = render_document(rng, world, config.table_probability)
    return Document(world, text, Namer(rng, world.used_words))


def grounding_metadata(document: Document, question: str, *, absent: list[str] = (), derived: list[dict] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    """The facts, names and vocabulary the grounding checker needs (JSON)."""
    world = document.world
    return {
        "document": document.text,
        "question": question,
        "entities": [{"name": name, "type": kind} for name, kind in world.entities.items()],
        "absent": list(absent),
        "facts": [fact.to_json() for fact in world.facts],
        "roles": list(ROLES),
        "derived": list(derived),
    }


def ground(problem: Problem, text: str, verdict: Verdict, base: FactBase | None = None) -> Verdict:
    """`verdict` if every claim in `text` is supported by the problem's facts, else hack:unsupported_claim."""
    unsupported = find_unsupported(text, base if base is not None else FactBase.from_metadata(problem.metadata))
    if unsupported is None:
        return verdict
    return Verdict.fail(UNSUPPORTED_CLAIM, unsupported.describe(), checks={**verdict.checks, "grounded": False}, answer=verdict.answer)


DOCUMENT_INSTRUCTIONS = (
    "Use only what the document states: every name, number, date and relation you write must come from it "
    "(a sum or difference the question asks for is fine). Do not guess or add outside knowledge."
)
