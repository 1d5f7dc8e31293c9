"""`InstructionFollowing`, `IFEvalStyle` and `InstructionEdgeCases`: a writing task plus verifiable
constraints, rewarded only when every constraint holds and the hack-check finds nothing.

Why three templates over one composer (see `_composer` and `_template`):

* `InstructionFollowing` draws from every registered constraint kind — IFEval's 25 and the
  IFBench / open-instruct families — so a policy cannot overfit IFEval's list (the IFBench
  finding). Levels: easy 1 simple constraint; medium 2-3; hard 3-5 with a structural one;
  expert 5-7 with two structural ones and boundary parameters 40% of the time.
* `IFEvalStyle` uses only the 25 IFEval kinds, with IFEval's ids and kwargs in the metadata, for
  compatibility with IFEval-trained pipelines and evaluation.
* `InstructionEdgeCases` samples every constraint at its boundary (exactly N, zero occurrences,
  maximal nesting): the cases where "at least" and "exactly" or "none" and "few" part ways.

The prompt is the base request followed by the constraints, in varied wording and layout; the
reply is read whole (after `<think>`), not from a box.
"""

from __future__ import annotations

from typing import Any, ClassVar

from vrgym.registry import register
from vrgym.tasks.instruction._template import InstructionConfig, InstructionTemplate


@register
class InstructionFollowing(InstructionTemplate):
    """A base writing task with 1-7 verifiable constraints from every constraint family."""

    name = "InstructionFollowing"
    version = 0
    tags = ("instruction", "instruction/following")
    description = "Writing task + 1-7 verifiable constraints (IFEval, IFBench, open-instruct families) + hack-check."
    Config = InstructionConfig


class IFEvalConfig(InstructionConfig):
    """IFEval prompts carry 1-3 instructions; the levels follow that and add a structural level."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": {"min_constraints": 1, "max_constraints": 1, "min_structural": 0, "edge_share": 0.0},
        "medium": {"min_constraints": 2, "max_constraints": 2, "min_structural": 0, "edge_share": 0.0},
        "hard": {"min_constraints": 3, "max_constraints": 3, "min_structural": 1, "edge_share": 0.0},
        "expert": {"min_constraints": 3, "max_constraints": 4, "min_structural": 1, "edge_share": 0.3},
    }


@register
class IFEvalStyle(InstructionTemplate):
    """A base writing task with 1-4 constraints drawn only from IFEval's 25 instruction types."""

    name = "IFEvalStyle"
    version = 0
    tags = ("instruction", "instruction/ifeval")
    description = "Writing task + IFEval's 25 instruction types only (same ids and kwargs) + hack-check."
    Config = IFEvalConfig
    ifeval_only = True


class EdgeCaseConfig(InstructionConfig):
    """Every constraint at its boundary; levels add constraints and structure."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": {"min_constraints": 1, "max_constraints": 1, "min_structural": 0, "edge_share": 1.0},
        "medium": {"min_constraints": 2, "max_constraints": 3, "min_structural": 0, "edge_share": 1.0},
        "hard": {"min_constraints": 3, "max_constraints": 5, "min_structural": 1, "edge_share": 1.0},
    }
    edge_share: float = 1.0


@register
class InstructionEdgeCases(InstructionTemplate):
    """Constraints sampled at their boundaries: exactly N, zero occurrences, maximal nesting."""

    name = "InstructionEdgeCases"
    version = 0
    tags = ("instruction", "instruction/edge_cases")
    description = "Writing task + constraints at boundary values (exactly N, zero occurrences, maximal nesting)."
    Config = EdgeCaseConfig
