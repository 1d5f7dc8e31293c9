"""Problem *kinds*: the draw-one-kind-then-build pattern shared by T3's math templates.

NumberTheory, Combinatorics, Probability, Geometry and Matrices each hold a table of makers, one
per kind of problem (`gcd`, `crt`, `stars_and_bars`, `bayes`, `inverse` …). A level is a list of
kinds (harder levels list different kinds, not only bigger numbers) plus size fields. Each maker
returns a `Made`; `KindTemplate.build` turns it into a Draft with the same prompt layout, metadata
keys and tags everywhere, so this plumbing exists once instead of five times.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import model_validator

from vrgym.config import TemplateConfig
from vrgym.problem import JSONValue
from vrgym.tasks.math._math_template import MathTemplate
from vrgym.template import Draft


@dataclass(frozen=True)
class Made:
    """One drawn problem of some kind, before the template adds the shared prompt tail."""

    question: str
    """The problem statement (what to find, with all givens)."""
    gold: dict[str, Any]
    """The typed gold answer (a `vrgym.verifiers.math.gold` dict)."""
    form: str
    """One sentence stating the exact answer form expected (the boxed instruction follows it)."""
    solution: list[str]
    """Worked steps, shown by the reference response; each must be correct."""
    tags: tuple[str, ...] = ()
    """Extra per-instance tags (sub-types), full paths."""
    data: dict[str, JSONValue] = field(default_factory=dict)
    """Extra metadata the tests or the verifier need (the givens, in plain JSON)."""


def validate_kinds(kinds: tuple[str, ...], known: tuple[str, ...]) -> None:
    """Raise ValueError naming the valid kinds when `kinds` is empty, repeats one, or names an unknown one.

    A typo in a config's kind list must fail at config time with the list of valid names, not
    silently draw nothing.
    """
    if not kinds:
        raise ValueError(f"kinds is empty; list at least one of {list(known)}")
    unknown = [k for k in kinds if k not in known]
    if unknown:
        raise ValueError(f"kinds has unknown kind(s) {unknown}; choose from {list(known)}")
    if len(set(kinds)) != len(kinds):
        raise ValueError(f"kinds {list(kinds)} repeats a kind; list each kind once")


class KindsConfig(TemplateConfig):
    """Base config: the kinds a level draws from (validated against the subclass's `KINDS`)."""

    KINDS: ClassVar[tuple[str, ...]] = ()
    """Every kind the template can make; subclasses set it."""

    kinds: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _known_kinds(self) -> KindsConfig:
        validate_kinds(self.kinds, self.KINDS)
        return self


Maker = Callable[[random.Random, Any], Made]


class KindTemplate(MathTemplate):
    """A math template that draws one kind per problem from `config.kinds` and asks it."""

    kind_tag: ClassVar[str]
    """Tag prefix of the family, e.g. `math/number_theory`; the kind is appended per instance."""
    makers: ClassVar[Mapping[str, Maker]]
    """kind → maker(rng, config) -> Made."""

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, KindsConfig)
        kind = config.kinds[rng.randrange(len(config.kinds))]
        made = self.makers[kind](rng, config)
        prompt = f"{made.question}\n\n{made.form} {self.answer_format.instruction}"
        return Draft(
            prompt=prompt,
            answer=made.gold,
            metadata={"kind": kind, "solution": made.solution, **made.data},
            tags=(f"{self.kind_tag}/{kind}", *made.tags),
        )
