"""`Template`: the base class every task template derives from.

A template knows what to ask and what counts as right. Subclasses set the class attributes
(`name`, `domain`, `tags`, `version`, `Config`, `answer_format`) and implement three methods:

* `build(rng, config) -> Draft` — draw one problem from a private RNG (never a global one);
* `check_answer(problem, answer) -> Verdict` — decide reward 0 or 1 for the final answer, which the
  base class has already extracted in the template's format (or override `check(problem,
  response)` to read the whole response);
* `reference_response(problem) -> str` — a response that must score 1 (used by the self-checks).

The base class wraps them with what every template needs and none may forget: stable seeding,
config resolution, JSON normalisation of the ground truth, a length limit, and a guard that turns
any exception inside `check` into a `verifier_error` verdict instead of crashing a training run.
"""

from __future__ import annotations

import json
import random
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from vrgym.config import TemplateConfig
from vrgym.errors import ConfigError, ProblemMismatchError
from vrgym.problem import JSONValue, Problem
from vrgym.seeding import canonical_json, problem_id, problem_key, rng_for
from vrgym.verdict import FORMAT, TOO_LONG, VERIFIER_ERROR, Verdict
from vrgym.verifiers.extraction import AnswerFormat, Extraction, extract_answer

NAME_PATTERN = re.compile(r"^[A-Z][A-Za-z0-9]*$")
TAG_PATTERN = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")


@dataclass(frozen=True)
class Draft:
    """What `Template.build` returns: the variable part of a Problem."""

    prompt: str
    answer: JSONValue
    metadata: dict[str, JSONValue] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    """Extra tags for this instance, added to the template's own."""


class Template(ABC):
    """Base class of task templates. Instances are stateless; one per process is enough."""

    name: ClassVar[str]
    """CamelCase name; the Gymnasium id is `vrgym/<name>-v<version>`."""
    version: ClassVar[int] = 0
    """Bump when generation or verification changes meaning; old Problems are then refused."""
    domain: ClassVar[str]
    """One of math, logic, instruction, code, safety, faithfulness (third parties may add more)."""
    tags: ClassVar[tuple[str, ...]] = ()
    """Hierarchical tags, most general first segment: 'math/arithmetic', 'logic/morse/decode'."""
    description: ClassVar[str] = ""
    """One line for `vrgym list`."""
    Config: ClassVar[type[TemplateConfig]] = TemplateConfig
    answer_format: ClassVar[AnswerFormat] = AnswerFormat.BOXED
    max_response_chars: ClassVar[int] = 400_000
    """Longer responses score 0 (`too_long`) before any parsing: bounded time on hostile input."""

    # ----------------------------------------------------------------------------- subclass API

    @abstractmethod
    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        """Draw one problem using only `rng` and `config`."""

    def check(self, problem: Problem, response: str) -> Verdict:
        """Score `response` against `problem`; may assume a str of bounded length.

        The default reads the single final answer in `answer_format` (a missing, unterminated or
        hedged answer scores 0 with the extraction's reason) and hands it to `check_answer`.
        Override `check_answer` for the usual case, or `check` itself to read the whole response.
        """
        found = self.extract(response)
        if not found.ok or found.answer is None:
            return Verdict.fail(found.reason, found.detail)
        return self.check_answer(problem, found.answer)

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        """Score the extracted final `answer` (non-empty, stripped) against `problem`."""
        raise NotImplementedError(f"{type(self).__name__} must override check_answer (or check)")

    @abstractmethod
    def reference_response(self, problem: Problem) -> str:
        """A complete response that scores 1 on `problem`."""

    def warm_up(self) -> None:
        """Pay one-off start-up costs now (e.g. start a verifier's worker processes); default: nothing.

        A verifier that keeps a process pool starts it lazily, so the first `verify` of a run is
        slower than the rest. Trainers and the contract suite call this before anything is timed,
        so a start-up cost is never mistaken for a slow verifier. Must be idempotent and cheap
        when already warm.
        """

    # ----------------------------------------------------------------------------- public API

    @classmethod
    def gym_id(cls) -> str:
        """The Gymnasium id this template is registered under."""
        return f"vrgym/{cls.name}-v{cls.version}"

    def config(self, difficulty: str | int | None = None, **overrides: Any) -> TemplateConfig:
        """Resolve a config from a difficulty level and field overrides (ConfigError if invalid)."""
        return self.Config.build(difficulty, **overrides)

    def generate(
        self,
        seed: int = 0,
        index: int = 0,
        config: TemplateConfig | Mapping[str, Any] | None = None,
        *,
        difficulty: str | int | None = None,
        **overrides: Any,
    ) -> Problem:
        """Generate problem number `index` of stream `seed`; identical inputs give identical problems."""
        cfg = self._resolve(config, difficulty, overrides)
        config_json = cfg.model_dump(mode="json")
        key = problem_key(self.name, self.version, seed, index, _config_text(cfg, config_json))
        draft = self.build(rng_for(key), cfg)
        answer, metadata = _json_normalised(draft.answer, "answer"), _json_normalised(draft.metadata, "metadata")
        return Problem(
            task=self.name,
            version=self.version,
            id=problem_id(key),
            seed=seed,
            index=index,
            difficulty=cfg.difficulty,
            config=config_json,
            prompt=draft.prompt,
            answer=answer,
            tags=tuple(dict.fromkeys((*self.tags, *draft.tags))),
            metadata=metadata,
        )

    def problems(
        self, n: int, seed: int = 0, *, difficulty: str | int | None = None, start: int = 0, **overrides: Any
    ) -> Iterator[Problem]:
        """Problems `start .. start+n-1` of stream `seed` (config resolved once)."""
        cfg = self.config(difficulty, **overrides)
        for index in range(start, start + n):
            yield self.generate(seed, index, cfg)

    def verify(self, problem: Problem | Mapping[str, Any] | str, response: Any) -> Verdict:
        """Reward 0/1 for `response`. Never raises on any response; raises on a foreign problem."""
        problem = self.accept(problem)
        if not isinstance(response, str):
            return Verdict.fail(FORMAT, f"the response must be a string, got {type(response).__name__}")
        if len(response) > self.max_response_chars:
            return Verdict.fail(TOO_LONG, f"the response has {len(response)} characters; the limit is {self.max_response_chars}")
        try:
            verdict = self.check(problem, response)
        except Exception as exc:  # a verifier bug must not crash an RL run; it is reported, not hidden
            return Verdict.fail(VERIFIER_ERROR, f"{self.name}.check raised {type(exc).__name__}: {exc}")
        if not isinstance(verdict, Verdict):
            return Verdict.fail(VERIFIER_ERROR, f"{self.name}.check returned {type(verdict).__name__}, not a Verdict")
        return verdict

    def accept(self, problem: Problem | Mapping[str, Any] | str) -> Problem:
        """Coerce `problem` (Problem, dict or JSON text) and check that this template made it."""
        problem = Problem.coerce(problem)
        if problem.task != self.name:
            raise ProblemMismatchError(
                f"problem {problem.id} was made by {problem.task!r}, not {self.name!r}; verify it with vrgym.verify(problem, response)"
            )
        if problem.version != self.version:
            raise ProblemMismatchError(
                f"problem {problem.id} was made by {problem.task} v{problem.version} but this is v{self.version}; "
                "regenerate the problems with this version or install the vrgym release that has the old one"
            )
        return problem

    def extract(self, response: str) -> Extraction:
        """The final answer of `response` in this template's answer format."""
        return extract_answer(response, self.answer_format)

    # ----------------------------------------------------------------------------- helpers

    def _resolve(
        self, config: TemplateConfig | Mapping[str, Any] | None, difficulty: str | int | None, overrides: dict[str, Any]
    ) -> TemplateConfig:
        if config is None:
            return self.config(difficulty, **overrides)
        if difficulty is not None:
            raise ConfigError(f"{self.name}: pass either a config or a difficulty, not both (the config names its level)")
        if isinstance(config, self.Config):
            return self.config(config.difficulty, **{**config.model_dump(exclude={"difficulty"}), **overrides}) if overrides else config
        if isinstance(config, Mapping):
            merged = {**config, **overrides}
            return self.config(merged.pop("difficulty", None), **merged)
        raise ConfigError(f"{self.name} expects a {self.Config.__name__} or a dict as config, got {type(config).__name__}")


_STRICT_JSON = json.JSONEncoder(allow_nan=False)
_CONFIG_TEXTS: dict[int, tuple[TemplateConfig, str]] = {}
_CONFIG_TEXTS_SIZE = 64
_PLAIN_DEPTH = 64


def _config_text(cfg: TemplateConfig, config_json: dict[str, Any]) -> str:
    """`canonical_json(config_json)`, memoised for the last few (frozen) config objects.

    Generating a stream re-uses one config object, and encoding it again for every problem's
    seeding key was a large share of the cost of generating a small problem.
    """
    entry = _CONFIG_TEXTS.get(id(cfg))
    if entry is None or entry[0] is not cfg:  # the config object is kept, so its id is not reused
        entry = (cfg, canonical_json(config_json))
        if len(_CONFIG_TEXTS) >= _CONFIG_TEXTS_SIZE:
            _CONFIG_TEXTS.pop(next(iter(_CONFIG_TEXTS)), None)
        _CONFIG_TEXTS[id(cfg)] = entry
    return entry[1]


class _NotPlain(Exception):
    """A value that needs the JSON round trip to be normalised (or rejected)."""


def _plain_copy(value: Any, depth: int = 0) -> Any:
    """A fresh copy of `value` when it is built only from values JSON keeps unchanged; else _NotPlain.

    Exact types only (str, int, bool, None, finite float, list/tuple, dict with str keys): for
    these the copy equals what the JSON round trip would give, at a fraction of its cost.
    Scalars inside containers are checked inline (no call per item).
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        if value - value != 0:  # nan or ±inf: let the strict encoder refuse it
            raise _NotPlain
        return value
    if depth > _PLAIN_DEPTH:
        raise _NotPlain
    if kind is list or kind is tuple:
        return [
            item if (kind := type(item)) is str or kind is int or kind is bool or item is None else _plain_copy(item, depth + 1)
            for item in value
        ]
    if kind is dict:
        copy = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            kind = type(item)
            copy[key] = item if kind is str or kind is int or kind is bool or item is None else _plain_copy(item, depth + 1)
        return copy
    raise _NotPlain


def _json_normalised(value: Any, what: str) -> Any:
    """Round-trip `value` through JSON so a Problem equals its reloaded copy (tuples become lists).

    Values made only of plain JSON types are copied directly (same result, much faster).
    """
    try:
        return _plain_copy(value)
    except _NotPlain:
        pass
    try:
        return json.loads(_STRICT_JSON.encode(value))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"a template's {what} must be JSON-serialisable: {exc}") from exc
