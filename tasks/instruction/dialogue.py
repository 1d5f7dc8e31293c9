"""`InstructionDialogue`: constraints set in one turn must still hold later; later turns may add,
change or cancel one. Only the final response is rewarded, against the constraints in force.

Why: a model that follows an instruction in the turn it was given but forgets it two turns later,
or keeps obeying one the user withdrew, fails real conversations; IFEval-style single turns never
test that. The problem stores the whole plan:

* `metadata["turns"]`: one entry per user message — its text and the constraints in force after
  it (each `{"kind", "params"}`), so an env can check every intermediate reply too;
* the final constraints are the last turn's; the constructive reference satisfies them (proved at
  generation like the single-turn templates, and rebuilt from the Problem alone).

Turn operations after the first: **add** a constraint compatible with those in force, **change**
one (a new instance of the same kind with other parameters: "instead of …, now …"), **cancel** one
("you no longer need to …"). At least one change or cancel happens whenever there are two or more
follow-up turns, so "keep everything from turn one" is never the whole story.

As a single-turn problem (`vrgym.verify`, the contract suite, `gym.make` of this id) the prompt
lists the user's messages in order and asks for the final response; the multi-turn env
(`vrgym.envs.instruction_dialogue`) shows them one turn at a time instead.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, ClassVar

import gymnasium
from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.problem import Problem
from vrgym.registry import register
from vrgym.template import Draft
from vrgym.tasks.instruction._composer import (
    RESPONSE_FORMAT,
    ComposeSpec,
    as_sentence,
    sample_for,
    build_reference,
    compose,
    draw_constraints,
    families,
    usable_kinds,
)
from vrgym.tasks.instruction._judge import constraints_from, judge_problem
from vrgym.tasks.instruction._template import (
    InstructionTemplate,
    allow_for,
    hack_check_reference,
    instruction_tags,
    task_metadata,
)
from vrgym.tasks.instruction.data import BaseTask
from vrgym.verdict import Verdict
from vrgym.verifiers.instruction import Constraint, compatible

DIALOGUE_ENV_ID = "vrgym/InstructionDialogueChat-v0"
"""Gymnasium id of the turn-by-turn env (the template's own id gives the flattened single turn)."""
_MAX_PLANS = 40
_OPS = ("add", "change", "cancel")

_ADD = ("Also, from now on: {new}", "One more requirement: {new}", "Please add this requirement as well: {new}")
_CHANGE = (
    "Change of plan: instead of \"{old}\", follow this: {new}",
    "Please replace the requirement \"{old}\" with this one: {new}",
)
_CANCEL = (
    "You no longer need to follow this requirement: \"{old}\". Everything else still applies.",
    "Drop the requirement \"{old}\"; keep the others.",
)
_REWRITE = (
    "Rewrite your response accordingly.",
    "Give me the full response again with this change.",
    "Please write the whole response again.",
)


class DialogueConfig(TemplateConfig):
    """Constraints at the start, follow-up turns, and boundary parameters."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": {"initial_constraints": 1, "follow_ups": 1, "edge_share": 0.0},
        "medium": {"initial_constraints": 2, "follow_ups": 2, "edge_share": 0.0},
        "hard": {"initial_constraints": 3, "follow_ups": 3, "edge_share": 0.2},
    }
    initial_constraints: int = Field(1, ge=1, le=6, description="Constraints in the first user message.")
    follow_ups: int = Field(1, ge=1, le=5, description="Later user messages, each adding, changing or cancelling one.")
    edge_share: float = Field(0.0, ge=0.0, le=1.0, description="Probability of boundary parameters per constraint.")

    @model_validator(mode="after")
    def _coherent(self) -> DialogueConfig:
        if self.initial_constraints + self.follow_ups > 10:
            raise ValueError("initial_constraints + follow_ups must be at most 10 (the reference must satisfy them all)")
        return self


@register
class InstructionDialogue(InstructionTemplate):
    """A writing task over several user turns that add, change or cancel constraints."""

    name = "InstructionDialogue"
    version = 0
    tags = ("instruction", "instruction/multi_turn")
    description = "Multi-turn writing task: later turns add, change or cancel constraints; the final reply must meet those in force."
    Config = DialogueConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, DialogueConfig)
        style = random.Random(rng.getrandbits(64))
        spec = ComposeSpec(config.initial_constraints, config.initial_constraints, edge_share=config.edge_share)
        for attempt in range(_MAX_PLANS):
            first = compose(rng, spec, hack_check=hack_check_reference)
            plan = _plan_turns(rng, first.task, list(first.constraints), config)
            if plan is None:
                continue
            final = plan[-1][1]
            reference = build_reference(first.task, final)
            if reference is None:
                continue
            turns = _render_turns(style, first.task, list(first.constraints), plan)
            prompt = flatten(turns)
            if hack_check_reference(reference, first.task, prompt, final) is not None:
                continue
            return self._dialogue_draft(first.task, turns, attempt + first.redraws, prompt)
        raise RuntimeError(f"InstructionDialogue: no satisfiable plan of turns in {_MAX_PLANS} attempts for {config}")

    def _dialogue_draft(self, task: BaseTask, turns: list[dict[str, Any]], redraws: int, prompt: str) -> Draft:
        final = constraints_from(turns[-1]["constraints"])
        metadata = {
            **task_metadata(task),
            "turns": turns,
            "constraints": turns[-1]["constraints"],
            "allow": sorted(allow_for(final)),
            "redraws": redraws,
        }
        tags = (*instruction_tags(task, final), *(f"instruction/multi_turn/{op}" for op in sorted({t["op"] for t in turns[1:]})))
        return Draft(prompt=prompt, answer={"topic": task.topic}, metadata=metadata, tags=tags)

    def check_turn(self, problem: Problem, response: str, turn: int) -> Verdict:
        """Score `response` as the reply to user turn `turn` (0-based) against the constraints then in
        force; the env uses it for intermediate feedback, `check` for the final turn."""
        return judge_problem(problem, response, problem.metadata["turns"][turn]["constraints"])


def _plan_turns(
    rng: random.Random, task: BaseTask, start: list[Constraint], config: DialogueConfig
) -> list[tuple[str, list[Constraint], Constraint | None, Constraint | None]] | None:
    """Follow-up operations: (op, constraints in force after it, old constraint, new constraint)."""
    grouped = families(usable_kinds(False))
    in_force = list(start)
    plan: list[tuple[str, list[Constraint], Constraint | None, Constraint | None]] = []
    ops = [rng.choice(_OPS) for _ in range(config.follow_ups)]
    if config.follow_ups >= 2 and all(op == "add" for op in ops):
        ops[rng.randrange(len(ops))] = rng.choice(("change", "cancel"))
    for op in ops:
        if op in ("change", "cancel") and not in_force:
            op = "add"
        if op == "cancel" and len(in_force) == 1:
            op = "change"  # keep at least one constraint in force
        old = rng.choice(in_force) if op != "add" else None
        new: Constraint | None = None
        if op == "add":
            drawn = draw_constraints(rng, grouped, 1, ComposeSpec(1, 1, edge_share=config.edge_share), task)
            if drawn is None or not compatible([*in_force, drawn[0][0]]):
                return None
            new = drawn[0][0]
            in_force = [*in_force, new]
        elif op == "change":
            assert old is not None
            new = _changed(rng, old, config.edge_share, task)
            rest = [c for c in in_force if c is not old]
            if new is None or not compatible([*rest, new]):
                return None
            in_force = [new if c is old else c for c in in_force]
        else:
            in_force = [c for c in in_force if c is not old]
        plan.append((op, list(in_force), old, new))
    return plan


def _changed(rng: random.Random, old: Constraint, edge_share: float, task: BaseTask) -> Constraint | None:
    """A new instance of `old`'s kind with different parameters (None if the kind has only one)."""
    for _ in range(12):
        new = sample_for(type(old), rng, task, edge=rng.random() < edge_share)
        if new != old:
            return new
    return None


def _render_turns(
    rng: random.Random,
    task: BaseTask,
    start: Sequence[Constraint],
    plan: Sequence[tuple[str, list[Constraint], Constraint | None, Constraint | None]],
) -> list[dict[str, Any]]:
    """The user messages with the constraints in force after each (JSON for the Problem)."""
    phrase: dict[int, str] = {}

    def said(c: Constraint) -> str:
        if id(c) not in phrase:
            phrase[id(c)] = c.phrase(rng).strip()
        return phrase[id(c)]

    opening = " ".join(as_sentence(said(c)) for c in start)
    turns = [{"op": "start", "message": f"{task.request} {opening}", "constraints": [c.to_json() for c in start]}]
    for op, in_force, old, new in plan:
        if op == "add":
            text = rng.choice(_ADD).format(new=as_sentence(said(new)))  # type: ignore[arg-type]
        elif op == "change":
            text = rng.choice(_CHANGE).format(old=_quoted(said(old)), new=as_sentence(said(new)))  # type: ignore[arg-type]
        else:
            text = rng.choice(_CANCEL).format(old=_quoted(said(old)))  # type: ignore[arg-type]
        turns.append({"op": op, "message": f"{text} {rng.choice(_REWRITE)}", "constraints": [c.to_json() for c in in_force]})
    return turns


def flatten(turns: Sequence[dict[str, Any]]) -> str:
    """The single-turn prompt: every user message in order, then what to write and how it is read."""
    lines = ["Here are a user's messages in a conversation, in order:", ""]
    for number, turn in enumerate(turns, 1):
        lines += [f"Message {number}: {turn['message']}", ""]
    lines.append(
        "Write your reply to the last message: the complete response, following every instruction still in force "
        "(earlier ones hold unless a later message changed or cancelled them)."
    )
    lines.append(RESPONSE_FORMAT)
    return "\n".join(lines)


def turn_message(turns: Sequence[dict[str, Any]], turn: int) -> str:
    """What the env shows at `turn` (0-based): the user message, and on the first turn how replies are read."""
    message = turns[turn]["message"]
    return f"{message}\n\n{RESPONSE_FORMAT}" if turn == 0 else message


def _quoted(text: str) -> str:
    return text.strip().rstrip(".").replace('"', "'")


gymnasium.registry.pop(DIALOGUE_ENV_ID, None)
gymnasium.register(
    id=DIALOGUE_ENV_ID,
    entry_point="vrgym.envs.instruction_dialogue:InstructionDialogueEnv",
    kwargs={"task": InstructionDialogue.name},
)
