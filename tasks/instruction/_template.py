"""`InstructionTemplate`: the base of the single-turn instruction-following templates.

A subclass only chooses its `Config` (levels → how many constraints, how many structural ones,
how often boundary parameters, IFEval kinds only or all) and its names; generation, the prompt,
the Problem layout, verification and the reference response are shared here:

* `build` draws a base task and a constraint set through the composer, which proves the set
  satisfiable with a constructive reference before the problem exists;
* the Problem stores everything verification needs — the constraints as `{"kind", "params"}`,
  the base task id, its request and terms, and the hack-check `allow` set — so a problem loaded
  from JSON in another process verifies identically;
* `check` reads the whole response (not a boxed answer): `<think>` is removed, every constraint
  must pass in strict mode and the hack-check must find nothing.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, ClassVar

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.problem import Problem
from vrgym.template import Draft, Template
from vrgym.verdict import Verdict
from vrgym.tasks.instruction._composer import (
    ComposeSpec,
    Composition,
    build_reference,
    compose,
    compose_prompt,
    task_of,
)
from vrgym.tasks.instruction._judge import constraints_from, judge_problem
from vrgym.tasks.instruction.data import BaseTask
from vrgym.verifiers.extraction import AnswerFormat
from vrgym.verifiers.instruction import Constraint


def task_metadata(task: BaseTask) -> dict[str, Any]:
    """The base task's part of a Problem's metadata (first keys, in this order): what verification
    (topic terms) and the reference builder (task id, request) need after a JSON round trip."""
    return {
        "base_task": task.id,
        "category": task.category,
        "request": task.request,
        "topic_terms": list(task.topic_terms),
    }


def instruction_tags(task: BaseTask, constraints: Sequence[Constraint]) -> tuple[str, ...]:
    """The task's category tag, then one tag per constraint family (sorted), for filtering problems."""
    families = sorted({c.family for c in constraints})
    return (f"instruction/category/{task.category}", *(f"instruction/constraint/{f}" for f in families))


class InstructionConfig(TemplateConfig):
    """How many constraints a problem gets, of which kind, and how often at their boundaries."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": {"min_constraints": 1, "max_constraints": 1, "min_structural": 0, "edge_share": 0.0},
        "medium": {"min_constraints": 2, "max_constraints": 3, "min_structural": 0, "edge_share": 0.0},
        "hard": {"min_constraints": 3, "max_constraints": 5, "min_structural": 1, "edge_share": 0.0},
        "expert": {"min_constraints": 5, "max_constraints": 7, "min_structural": 2, "edge_share": 0.4},
    }
    min_constraints: int = Field(1, ge=1, le=10, description="Fewest constraints attached to the base task.")
    max_constraints: int = Field(1, ge=1, le=10, description="Most constraints attached to the base task.")
    min_structural: int = Field(0, ge=0, le=10, description="Constraints that reshape the response (paragraphs, sections, JSON, wrapping).")
    edge_share: float = Field(0.0, ge=0.0, le=1.0, description="Probability that a constraint takes boundary parameters (exactly N, zero).")

    @model_validator(mode="after")
    def _coherent(self) -> InstructionConfig:
        if self.min_constraints > self.max_constraints:
            raise ValueError(f"min_constraints ({self.min_constraints}) exceeds max_constraints ({self.max_constraints})")
        if self.min_structural > self.max_constraints:
            raise ValueError(f"min_structural ({self.min_structural}) exceeds max_constraints ({self.max_constraints})")
        return self


def hack_check_reference(reference: str, task: BaseTask, prompt: str, constraints: Sequence[Constraint]) -> object | None:
    """The hack-check finding on a candidate reference (None = clean), as the verifier will run it."""
    from vrgym.verifiers.instruction.hackcheck import hack_check

    return hack_check(reference, task_terms=task.topic_terms, prompt=prompt, constraints=constraints, allow=allow_for(constraints))


def allow_for(constraints: Sequence[Constraint]) -> frozenset[str]:
    """Hack-checks a prompt legitimately switches off: none today — the hack-check layer reads the
    constraints it is given (a repeat-the-prompt constraint allows the echo), so the set stays empty
    and is stored in the Problem only so a later version can change it without a new field."""
    return frozenset()


class InstructionTemplate(Template):
    """Shared machinery of the single-turn instruction-following templates (see the module docstring)."""

    domain = "instruction"
    Config: ClassVar[type[TemplateConfig]] = InstructionConfig
    ifeval_only: ClassVar[bool] = False
    max_response_chars: ClassVar[int] = 200_000
    answer_format: ClassVar[AnswerFormat] = AnswerFormat.WHOLE

    def spec(self, config: InstructionConfig) -> ComposeSpec:
        """What the composer is asked for at this config."""
        return ComposeSpec(
            min_constraints=config.min_constraints,
            max_constraints=config.max_constraints,
            min_structural=config.min_structural,
            edge_share=config.edge_share,
            ifeval_only=self.ifeval_only,
        )

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, InstructionConfig)
        style = random.Random(rng.getrandbits(64))  # phrasing choices must not shift the constraint draws
        composition = compose(
            rng, self.spec(config), hack_check=hack_check_reference, prompt_for=lambda t, p: compose_prompt(t.request, p, random.Random(0))
        )
        prompt = compose_prompt(composition.task.request, composition.phrasings, style)
        return self.draft(composition, prompt)

    def draft(self, composition: Composition, prompt: str) -> Draft:
        """The Draft of a composition: constraints and task in metadata, families as tags."""
        task, constraints = composition.task, composition.constraints
        metadata = {
            **task_metadata(task),
            "constraints": [c.to_json() for c in constraints],
            "edge": list(composition.edge),
            "allow": sorted(allow_for(constraints)),
            "redraws": composition.redraws,
        }
        tags = instruction_tags(task, constraints)
        # The ground truth is the topic: the verifier checks constraints and relevance to the topic, so it
        # cannot tell this task's answer from a same-topic task's (an email vs a blog post on sleep);
        # problems with equal answers are exactly those whose answers are interchangeable.
        return Draft(prompt=prompt, answer={"topic": task.topic}, metadata=metadata, tags=tags)

    def check(self, problem: Problem, response: str) -> Verdict:
        """Reward 1 iff every stored constraint passes on the whole response and the hack-check is clean."""
        return judge_problem(problem, response, problem.metadata["constraints"])

    def reference_response(self, problem: Problem) -> str:
        """The constructive reference, rebuilt from the Problem alone (deterministic)."""
        task = task_of(problem.metadata["base_task"])
        reference = build_reference(task, constraints_from(problem.metadata["constraints"]))
        if reference is None:  # generation proved this set satisfiable; only a changed kind can get here
            raise RuntimeError(f"problem {problem.id}: the reference no longer satisfies its constraints; regenerate it")
        return reference
