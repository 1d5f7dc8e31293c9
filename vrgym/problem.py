"""`Problem`: one generated task instance, self-contained and JSON round-trippable.

A Problem carries everything its verifier needs (`answer`, `metadata`) and everything needed to
regenerate it (`task`, `version`, `seed`, `index`, `config`). Nothing lives in hidden state, so a
Problem written to JSON, a parquet row or an HF dataset and loaded back in another process (a Ray
worker, a trainer's reward function) verifies exactly as the original.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vrgym.errors import ProblemMismatchError

JSONValue = Any
"""Any value that survives `json.dumps`/`json.loads` unchanged (dicts, lists, str, int, float, bool, None)."""


class Problem(BaseModel):
    """One task instance: the prompt shown to the model plus the ground truth to check against."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    task: str = Field(description="Name of the template that made it, e.g. 'Arithmetic'.")
    version: int = Field(ge=0, description="Template version; verification requires the same version.")
    id: str = Field(description="Stable hash of (task, version, seed, index, config).")
    seed: int = Field(description="The seed passed to generate().")
    index: int = Field(ge=0, description="Position within the seed's stream of problems.")
    difficulty: str = Field(description="Named difficulty level the config started from.")
    config: dict[str, JSONValue] = Field(default_factory=dict, description="Full resolved template config.")
    prompt: str = Field(description="The text given to the model; it states the required answer format.")
    answer: JSONValue = Field(description="Ground truth, as JSON. Never shown to the model.")
    tags: tuple[str, ...] = Field(default=(), description="Hierarchical tags such as 'math/arithmetic'.")
    metadata: dict[str, JSONValue] = Field(default_factory=dict, description="Everything else the verifier needs.")

    def to_json(self) -> str:
        """Serialise to a JSON string (the inverse of `Problem.from_json`)."""
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str | bytes) -> Problem:
        """Load a Problem written by `to_json` (raises pydantic.ValidationError on malformed input)."""
        return cls.model_validate_json(text)

    @classmethod
    def coerce(cls, value: Problem | Mapping[str, Any] | str | bytes) -> Problem:
        """Accept a Problem, its dict or its JSON; ProblemMismatchError (with the remedy) otherwise."""
        if isinstance(value, cls):
            return value
        try:
            return cls.model_validate_json(value) if isinstance(value, (str, bytes)) else cls.model_validate(value)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "problem"
            raise ProblemMismatchError(f"not a valid Problem ({where}: {first['msg']}); pass a Problem, its dict or its JSON") from None

    @property
    def gym_id(self) -> str:
        """The Gymnasium id of the template that made this problem."""
        return f"vrgym/{self.task}-v{self.version}"
