"""Problem *kinds*: the draw-one-kind-then-build pattern shared by the math templates.

Most math templates hold a table of makers, one per kind of problem (`gcd`, `crt`, `quadratic`,
`substitution` …), and a level is a list of kinds (harder levels list different kinds, not only
bigger numbers) plus size fields. What lives here, once instead of once per template:

* `validate_kinds` / `KindsConfig` — a config's kind list is checked against the template's
  `KINDS` at config time (a typo fails with the valid names, instead of silently drawing nothing);
* `retry` / `draw_kind` — the "draw, refuse a degenerate draw, draw again, and give up with a
  clear error after N attempts" loop, with the kind picked once or afresh per attempt;
* `Made` / `KindTemplate` — for templates whose makers all share one prompt layout (NumberTheory,
  Combinatorics, Probability, Geometry, Matrices), the whole `build`.

The RNG calls (`rng.choice` of a kind, then the maker's own draws) are exactly the ones the
templates made before this module existed, so generated problems are unchanged.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

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

T = TypeVar("T")


def retry(
    draw: Callable[[], T | None],
    *,
    attempts: int,
    what: str,
    config: TemplateConfig,
    hint: str = "widen the config",
    rejects: tuple[type[Exception], ...] = (ValueError,),
) -> T:
    """Call `draw` until it returns a value: a draw that raises one of `rejects` or returns None is refused.

    Generators work backwards from a random draw and some draws are degenerate (a double root, a
    singular matrix, a zero answer); redrawing is cheaper and simpler than steering every draw.
    A config under which no draw succeeds in `attempts` tries raises RuntimeError naming `what`
    was drawn, the config and `hint` (what to change), instead of looping forever.
    """
    for _ in range(attempts):
        try:
            drawn = draw()
        except rejects:
            continue
        if drawn is not None:
            return drawn
    raise RuntimeError(f"no {what} after {attempts} draws for {config!r}; {hint}")


def draw_kind(
    rng: random.Random,
    config: KindsConfig,
    make: Callable[[str], T | None],
    *,
    attempts: int,
    what: str,
    hint: str = "widen the config",
    rejects: tuple[type[Exception], ...] = (),
) -> tuple[str, T]:
    """Pick a kind from `config.kinds` and `make(kind)`, both afresh on every attempt; return (kind, made).

    For templates where a refused draw should not pin the kind (a rare degenerate draw of one
    kind must not skew the mix). `make` refuses by returning None or raising one of `rejects`;
    see `retry` for the failure after `attempts` tries.
    """

    def attempt() -> tuple[str, T] | None:
        kind = rng.choice(config.kinds)
        made = make(kind)
        return None if made is None else (kind, made)

    return retry(attempt, attempts=attempts, what=what, config=config, hint=hint, rejects=rejects)


class KindTemplate(MathTemplate):
    """A math template that draws one kind per problem from `config.kinds` and asks it."""

    kind_tag: ClassVar[str]
    """Tag prefix of the family, e.g. `math/number_theory`; the kind is appended per instance."""
    makers: ClassVar[Mapping[str, Maker]]
    """kind → maker(rng, config) -> Made."""

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, KindsConfig)
        kind = rng.choice(config.kinds)
        made = self.makers[kind](rng, config)
        prompt = f"{made.question}\n\n{made.form} {self.answer_format.instruction}"
        return Draft(
            prompt=prompt,
            answer=made.gold,
            metadata={"kind": kind, "solution": made.solution, **made.data},
            tags=(f"{self.kind_tag}/{kind}", *made.tags),
        )
