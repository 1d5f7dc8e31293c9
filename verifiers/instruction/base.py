"""The constraint contract: `Constraint`, `ConstraintCheck`, the kind registry and conflicts.

One `Constraint` instance is one verifiable instruction ("answer in at most 120 words") with its
parameters. A kind is a subclass; it registers itself when its module is imported (every public
module of this package is imported by `constraint_kinds()`), exactly like task templates, so a
new kind never means editing a shared list.

What a kind implements (see `ifeval_length.py` for a complete example):

* `kind` ("length_constraints:number_words"), `family` ("length"), `Params` (pydantic, with
  IFEval's kwarg names for IFEval kinds, so a dataset row loads as is), `conflicts`;
* `evaluate(text)` — the checker on a non-empty response; `check()` wraps it so that the public
  call never raises and an empty response always fails (IFEval's strict mode);
* `describe()` — a list of ≥ 3 natural phrasings (`phrasings()` returns it);
* `sample(rng, edge=…, context=…)` — satisfiable parameters, boundary values when `edge`; with a
  `SampleContext` (the base task's request, terms and sentences) a kind may fit its parameters to
  the task (keywords from the task's own vocabulary, a span of the request to copy) by overriding
  `contextual_params`; without one it falls back to `sample_params`;
* `realise(draft)` — edit a `ResponseDraft` so that its rendering passes `evaluate`;
  `realise_order` orders these edits (content, then structure, then case/wrapping).

Conflicts are declared as patterns over kind ids (`"detectable_format:*"` matches a whole id
prefix); `conflicts_with` checks both sides, two instances of one kind, and parameter-level
clashes a kind reports through `clashes_with` (a forbidden word that another constraint requires).
"""

from __future__ import annotations

import json
import random
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

if TYPE_CHECKING:
    from vrgym.verifiers.instruction.draft import ResponseDraft

MAX_CHECK_CHARS = 2_000_000
"""Responses longer than this fail every check without being scanned (bounded time on any input)."""

# Realisation order bands: a kind picks one (or a value in between) for `realise_order`.
ORDER_CONTENT = 10  # add or remove words, sentences, keywords
ORDER_STRUCTURE = 30  # paragraphs, sections, bullets, titles, placeholders, postscript
ORDER_COUNT = 50  # length and count limits, once everything that adds text is in place
ORDER_FORM = 70  # letter-level rules: commas, capital words
ORDER_WRAP = 90  # case transforms, quotes, JSON, prefixes and suffixes


class ConstraintError(ValueError):
    """A constraint was built with parameters it cannot use, or an unknown kind was asked for."""


@dataclass(frozen=True)
class ConstraintCheck:
    """Result of checking one constraint: pass/fail and what was measured against what was required."""

    ok: bool
    reason: str


_VOCABULARY_WORD = re.compile(r"[a-z]{5,12}")
_COMMON_WORDS = frozenset(
    """about above after again against along already also although always among another around because
    before being below between both could doing during each either enough every everyone everything
    first from further great having here however into itself just later least less little many might
    more most much must never often other others ought over perhaps quite rather really same several
    should since small some something sometimes still such than that their theirs them then there these
    they thing things think this those though three through today together under until usually very
    well were what whatever when where whether which while whole whose will with within without would
    years your yours second makes making made takes taking given keeps help helps needs break leave feels
    clear sense reach whenever simple basics start point points means works cannot topic sentences
    thanks inside became known suggest anyone instead notes better harder darker faster fastest gives
    deserves people check night watch major overview remember eight seven eleven twelve twenty thirty
    forty fifty hundred thousands hours minutes become becomes along aside doesn isn wasn aren""".split()
)


@dataclass(frozen=True)
class SampleContext:
    """What a sampler may know about the task a constraint is attached to.

    Keyword kinds draw words from `vocabulary()` so that "include the word 'compost'" fits an
    answer about composting (and a ban on a word the task would naturally use is a real
    constraint), and copy kinds take a span of `request`, which the prompt shows verbatim.
    """

    request: str = ""
    topic_terms: tuple[str, ...] = ()
    sentences: tuple[str, ...] = ()

    def vocabulary(self) -> tuple[str, ...]:
        """Distinctive lower-case words (5-12 letters, no common function words) of the task's
        sentences, in first-use order; the topic terms themselves excluded (already required)."""
        terms = {t.lower() for t in self.topic_terms}
        seen: dict[str, None] = {}
        for sentence in self.sentences:
            for word in _VOCABULARY_WORD.findall(sentence.lower()):
                if word not in _COMMON_WORDS and word not in terms and not word.endswith(("ly", "ing", "ed")):
                    seen.setdefault(word, None)
        return tuple(seen)


class Params(BaseModel):
    """Base of every kind's parameter model: frozen, and unknown keys are an error (a typo in a
    kwarg name would otherwise silently drop a constraint)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class NoParams(Params):
    """Parameters of a kind that has none (e.g. `punctuation:no_comma`)."""


_REGISTRY: dict[str, type[Constraint]] = {}
_LOAD_LOCK = threading.Lock()
_loaded = False


class Constraint(ABC):
    """One verifiable instruction and its parameters (see the module docstring for the contract)."""

    kind: ClassVar[str]
    family: ClassVar[str]
    Params: ClassVar[type[BaseModel]] = NoParams
    conflicts: ClassVar[frozenset[str]] = frozenset()
    only_with: ClassVar[frozenset[str] | None] = None
    """If set, the kind conflicts with every kind *not* matching these patterns (an allow-list,
    e.g. JSON output combines only with keyword existence and forbidden words)."""
    realise_order: ClassVar[int] = ORDER_STRUCTURE
    ifeval: ClassVar[bool] = False
    """True for the 25 kinds of IFEval (same ids, kwargs and strict checker semantics)."""

    params: BaseModel

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        kind = cls.__dict__.get("kind")
        if kind is None:
            return  # an abstract intermediate class
        if not isinstance(kind, str) or ":" not in kind:
            raise ConstraintError(f"{cls.__qualname__}.kind must be a '<family>:<name>' id, got {kind!r}")
        if not isinstance(getattr(cls, "family", None), str):
            raise ConstraintError(f"{cls.__qualname__} must set a `family` string")
        existing = _REGISTRY.get(kind)
        if existing is not None and existing.__qualname__ != cls.__qualname__:
            raise ConstraintError(
                f"constraint kind {kind!r} is defined twice: {existing.__module__}.{existing.__qualname__} "
                f"and {cls.__module__}.{cls.__qualname__}; give the new one its own id"
            )
        _REGISTRY[kind] = cls

    def __init__(self, params: BaseModel | Mapping[str, Any] | None = None) -> None:
        if params is None:
            params = {}
        if isinstance(params, self.Params):
            self.params = params
            return
        data = params.model_dump() if isinstance(params, BaseModel) else dict(params)
        try:
            self.params = self.Params.model_validate(data)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '(all)'}: {e['msg']}" for e in error.errors()
            )
            fields = ", ".join(self.Params.model_fields) or "none"
            raise ConstraintError(
                f"bad parameters for {self.kind}: {problems} (accepted parameters: {fields})"
            ) from None

    # ----------------------------------------------------------------- checking

    def check(self, response: str) -> ConstraintCheck:
        """Strict check of `response`; never raises. Empty or non-text responses fail."""
        if not isinstance(response, str):
            return ConstraintCheck(False, f"response is {type(response).__name__}, not text")
        if not response or response.isspace():
            return ConstraintCheck(False, "response is empty")
        if len(response) > MAX_CHECK_CHARS:
            return ConstraintCheck(False, f"response has {len(response)} characters, above the {MAX_CHECK_CHARS} limit")
        try:
            return self.evaluate(response)
        except Exception as error:  # a checker bug must be a fail, never a crash of the verifier
            return ConstraintCheck(False, f"checker error ({type(error).__name__}): {error}")

    @abstractmethod
    def evaluate(self, response: str) -> ConstraintCheck:
        """The checker on a non-empty response of bounded size (called only through `check`)."""

    # ----------------------------------------------------------------- prompting

    @abstractmethod
    def describe(self) -> list[str]:
        """At least three natural phrasings of this instruction, filled with the parameters."""

    def phrasings(self) -> list[str]:
        """Natural phrasings of this instruction for a prompt (≥ 3, parameters filled in)."""
        return self.describe()

    def phrase(self, rng: random.Random) -> str:
        """One phrasing chosen with `rng` (for prompt composers)."""
        return rng.choice(self.describe())

    # ----------------------------------------------------------------- sampling

    @classmethod
    def sample(cls, rng: random.Random, *, edge: bool = False, context: SampleContext | None = None) -> Constraint:
        """An instance with satisfiable parameters drawn from `rng`; boundary values when `edge`.

        `context` describes the task the constraint is attached to; kinds that can use it (keyword
        kinds, copy kinds) draw task-fitted parameters from it, the others ignore it.
        """
        if context is None:
            return cls(cls.sample_params(rng, edge=edge))
        return cls(cls.contextual_params(rng, edge=edge, context=context))

    @classmethod
    def contextual_params(cls, rng: random.Random, *, edge: bool = False, context: SampleContext) -> dict[str, Any]:
        """Parameters for `sample` when the task is known (default: the same as `sample_params`)."""
        return cls.sample_params(rng, edge=edge)

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        """Parameters for `sample` (kinds without parameters keep this default)."""
        return {}

    # ----------------------------------------------------------------- conflicts

    def conflicts_with(self, other: Constraint) -> bool:
        """Whether this constraint and `other` cannot both be asked of one response."""
        if other.kind == self.kind and not self.stacks_with(other):
            return True
        if _declared_conflict(self, other) or _declared_conflict(other, self):
            return True
        return self.clashes_with(other) or other.clashes_with(self)

    def stacks_with(self, other: Constraint) -> bool:
        """Whether two instances of this kind can be combined (default: no)."""
        return False

    def clashes_with(self, other: Constraint) -> bool:
        """Parameter-level conflicts with another constraint (checked from both sides)."""
        return False

    # ----------------------------------------------------------------- realising

    @abstractmethod
    def realise(self, draft: ResponseDraft) -> None:
        """Edit `draft` so that its rendering passes this constraint (the constructive reference)."""

    # ----------------------------------------------------------------- plumbing

    def to_json(self) -> dict[str, Any]:
        """`{"kind": …, "params": {…}}`: how a constraint travels inside a problem's metadata."""
        return {"kind": self.kind, "params": self.params.model_dump(mode="json")}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> Constraint:
        """Inverse of `to_json`."""
        if not isinstance(data, Mapping) or "kind" not in data:
            raise ConstraintError(f"a constraint must be a mapping with 'kind' and 'params', got {data!r}")
        return get_constraint_kind(str(data["kind"]))(data.get("params") or {})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Constraint) and other.kind == self.kind and other.params == self.params

    def __hash__(self) -> int:
        return hash((self.kind, json.dumps(self.params.model_dump(mode="json"), sort_keys=True)))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.model_dump().items())
        return f"{type(self).__name__}({args})"


def _declared_conflict(a: Constraint, b: Constraint) -> bool:
    if _matches_any(b.kind, a.conflicts):
        return True
    return a.only_with is not None and not _matches_any(b.kind, a.only_with)


def _matches_any(kind: str, patterns: Iterable[str]) -> bool:
    return any(pattern == kind or fnmatchcase(kind, pattern) for pattern in patterns)


def _load_all() -> None:
    """Import every public module of this package once, so that every kind is registered."""
    global _loaded
    if _loaded:
        return
    with _LOAD_LOCK:
        if _loaded:
            return
        from vrgym.registry import import_submodules
        from vrgym.verifiers import instruction

        import_submodules(instruction.__name__, instruction.__path__)
        _loaded = True


def constraint_kinds() -> list[type[Constraint]]:
    """Every registered constraint kind, sorted by id."""
    _load_all()
    return [_REGISTRY[kind] for kind in sorted(_REGISTRY)]


def get_constraint_kind(kind_id: str) -> type[Constraint]:
    """The kind registered under `kind_id` (an IFEval id such as "punctuation:no_comma")."""
    if kind_id not in _REGISTRY:
        _load_all()
    try:
        return _REGISTRY[kind_id]
    except KeyError:
        near = [k for k in _REGISTRY if k.split(":")[-1] == kind_id.split(":")[-1]]
        hint = f"; did you mean {near[0]!r}?" if near else f"; known kinds: {', '.join(sorted(_REGISTRY))}"
        raise ConstraintError(f"unknown constraint kind {kind_id!r}{hint}") from None


RELATIONS = ("less than", "at least")
Relation = Literal["less than", "at least"]
"""IFEval's two comparison relations: `less than` N is strictly below N, `at least` N is ≥ N."""

RELATION_DESCRIPTION = "'less than' (strictly below) or 'at least'."
"""The `Field` description of every IFEval-style `relation` parameter (one text, one schema)."""

UNSTRUCTURED_ONLY: frozenset[str] = frozenset(
    {"combination:*", "detectable_format:json_format", "detectable_format:constrained_response"}
)
"""Conflicts of the IFEval kinds that need free prose: a JSON-wrapped answer, a one-option answer
and the two-response / repeat-the-request combinations leave no room to count or place anything."""

_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "less than": lambda value, threshold: value < threshold,
    "at least": lambda value, threshold: value >= threshold,
    "at most": lambda value, threshold: value <= threshold,
    "exactly": lambda value, threshold: value == threshold,
}


def relation_holds(value: float, relation: str, threshold: float) -> bool:
    """`value < threshold` for "less than", `>=` for "at least", `<=` for "at most", `==` for "exactly".

    Every counting checker goes through this one table so that a relation means the same
    everywhere; an unknown relation is a programming error, reported with the known ones.
    """
    try:
        compare = _COMPARISONS[relation]
    except KeyError:
        raise ConstraintError(f"unknown relation {relation!r}; use one of {', '.join(_COMPARISONS)}") from None
    return compare(value, threshold)


def compare_count(measured: float, relation: str, threshold: float, observed: str, *, unit: str = "") -> ConstraintCheck:
    """The check "`measured` `relation` `threshold`", reasoned as "<observed>; required <relation> <threshold><unit>".

    `observed` says what was measured in the response's terms ("12 words", "'tea' occurs 3
    times"); `unit` follows the threshold ("%"). One function, so every counting kind reports a
    failure the same way and a relation is evaluated by the same table.
    """
    return ConstraintCheck(relation_holds(measured, relation, threshold), f"{observed}; required {relation} {threshold}{unit}")


ThresholdSpec = int | tuple[int, int]
"""A sampled threshold: a fixed value, or the inclusive bounds of `rng.randint`."""


def _draw(rng: random.Random, spec: ThresholdSpec) -> int:
    return spec if isinstance(spec, int) else rng.randint(*spec)


def sample_threshold(
    rng: random.Random,
    *,
    edge: bool,
    less_than: tuple[ThresholdSpec, ThresholdSpec],
    at_least: tuple[ThresholdSpec, ThresholdSpec],
) -> tuple[str, int]:
    """A random IFEval relation and its threshold: `(edge spec, usual spec)` per relation.

    The draws are `rng.choice(RELATIONS)` then one `randint` (none for a fixed value), the order
    every counting kind has always used, so the generated problems stay byte-identical.
    """
    relation = rng.choice(RELATIONS)
    specs = less_than if relation == "less than" else at_least
    return relation, _draw(rng, specs[0] if edge else specs[1])


def thresholds_stack(a: tuple[str, int], b: tuple[str, int], *, gap: int) -> bool:
    """Whether "at least A" and "less than B" (as `(relation, n)` pairs, either order) leave a
    range wider than `gap`, so that two instances of one counting kind combine."""
    if {a[0], b[0]} != set(RELATIONS):
        return False
    low = a[1] if a[0] == "at least" else b[1]
    high = a[1] if a[0] == "less than" else b[1]
    return low + gap < high


def realise_threshold(draft: ResponseDraft, relation: str, threshold: int, measure: Callable[[str], int]) -> None:
    """Grow the draft until `measure` reaches "at least" `threshold`, or shrink it below a "less
    than" one (the reference edit of every length-like counting kind)."""
    if relation == "at least":
        draft.grow(lambda text: measure(text) >= threshold)
    else:
        draft.shrink(lambda text: measure(text) < threshold)


def compare_range(measured: int, low: int, high: int, observed: str) -> ConstraintCheck:
    """The check `low <= measured <= high` (both inclusive), reasoned as "<observed>; required <low> to <high>"."""
    return ConstraintCheck(low <= measured <= high, f"{observed}; required {low} to {high}")


def realise_all(constraints: Iterable[Constraint], draft: ResponseDraft, *, rounds: int = 3) -> bool:
    """Realise every constraint on `draft` in `realise_order`, then re-realise the ones that still
    fail (a later edit can undo an earlier one) up to `rounds` passes; True when all pass."""
    ordered = sorted(constraints, key=lambda c: (c.realise_order, c.kind))
    for constraint in ordered:
        constraint.realise(draft)
    for _ in range(rounds - 1):
        text = draft.render()
        failing = [c for c in ordered if not c.check(text).ok]
        if not failing:
            return True
        for constraint in failing:
            constraint.realise(draft)
    text = draft.render()
    return all(c.check(text).ok for c in ordered)


def compatible(constraints: Iterable[Constraint]) -> bool:
    """Whether no two of `constraints` conflict."""
    items = list(constraints)
    return not any(a.conflicts_with(b) for i, a in enumerate(items) for b in items[i + 1:])


def check_all(response: str, constraints: Iterable[Constraint]) -> list[ConstraintCheck]:
    """`check` of every constraint on one response (diagnostics; the reward is all-or-nothing)."""
    return [constraint.check(response) for constraint in constraints]
