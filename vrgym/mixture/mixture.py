"""`Mixture` and `MixtureEntry`: weighted mixtures of templates and difficulty levels.

A mixture says what a training set is made of — "60 % arithmetic at easy/medium, 40 % Sudoku at
hard" — and `Mixture.problems(n, seed=…)` turns it into problems, reproducibly:

    entries:
      - {task: Arithmetic, weight: 3, difficulties: {easy: 1, medium: 2}}
      - {task: Sudoku, weight: 2, difficulty: hard, config: {}}
    seed: 0

Each entry is expanded into *streams*, one per (task, level): an entry with one `difficulty` is
one stream, an entry with a `difficulties` dict is one stream per level with the entry's weight
split by the level weights. Which stream a position draws from comes from a seeded quota schedule
(`vrgym.mixture.schedule`: counts within about one item of the weights at every prefix, prefix-
stable); the k-th draw of a stream is problem k of that template's own stream
`template.generate(seed, k, config)`. So problem k of Arithmetic/easy in a mixture is the very
problem `vrgym generate Arithmetic --difficulty easy --seed S --start k -n 1` writes, and asking
for n+1 problems extends the first n instead of reshuffling them.

Validation happens when the mixture is built, with messages that say what to fix: an unknown task
(the registry's suggestions), a weight that is not a finite number > 0, an unknown level, an
invalid config override, two entries that would draw the very same problems.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from vrgym.errors import ConfigError, DataFileError, UnknownTaskError
from vrgym.mixture.schedule import QuotaSchedule
from vrgym.problem import Problem
from vrgym.registry import get_template, resolve_name
from vrgym.seeding import canonical_json
from vrgym.template import Template


class MixtureError(ConfigError):
    """A mixture that does not validate; the message names the entry and the fix."""


def _normalized(weights: list[float]) -> list[float]:
    """`weights` scaled to sum to 1 (weights whose sum overflows, e.g. near 1e308, are divided by the largest first)."""
    try:
        total = math.fsum(weights)
    except OverflowError:
        total = math.inf
    if math.isinf(total):
        top = max(weights)
        weights = [w / top for w in weights]
        total = math.fsum(weights)
    return [w / total for w in weights]


def _check_weight(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{what} must be a finite number > 0, got {value!r} (drop the entry instead of giving it weight 0)")
    return float(value)


class MixtureEntry(BaseModel):
    """One template in a mixture: its weight, its difficulty (one level or weighted levels) and config overrides."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    task: str = Field(description="Template name (or gym id); stored as the canonical name.")
    weight: float = Field(default=1.0, description="Relative weight of this entry (finite, > 0).")
    difficulty: str | int | None = Field(default=None, description="One level (name or 0-based position); None = the template's default.")
    difficulties: dict[str, float] | None = Field(default=None, description="Several levels with relative weights, instead of `difficulty`.")
    config: dict[str, Any] = Field(default_factory=dict, description="Config field overrides applied at every level.")

    @field_validator("weight", mode="before")
    @classmethod
    def _weight(cls, value: Any) -> float:
        return _check_weight(value, "weight")

    @model_validator(mode="after")
    def _resolve(self) -> MixtureEntry:
        try:
            canonical = resolve_name(self.task)
        except UnknownTaskError as exc:
            raise ValueError(str(exc)) from None
        object.__setattr__(self, "task", canonical)
        template = get_template(canonical)
        if self.difficulty is not None and self.difficulties is not None:
            raise ValueError(f"{canonical}: give either difficulty or difficulties (weighted levels), not both")
        if self.difficulties is not None:
            if not self.difficulties:
                raise ValueError(f"{canonical}: difficulties is empty; list levels with weights, e.g. {{easy: 1, hard: 2}}")
            resolved: dict[str, float] = {}
            for level, weight in self.difficulties.items():
                name = _level(template, level)
                if name in resolved:
                    raise ValueError(f"{canonical}: level {name!r} is listed twice in difficulties")
                resolved[name] = _check_weight(weight, f"{canonical}: the weight of level {name!r}")
            object.__setattr__(self, "difficulties", resolved)
        else:
            object.__setattr__(self, "difficulty", _level(template, self.difficulty))
        for level in self.levels():
            try:
                template.config(level, **self.config)
            except ConfigError as exc:
                raise ValueError(f"{canonical} at level {level!r}: {exc}") from None
        return self

    def levels(self) -> dict[str, float]:
        """Level name → share of this entry (shares sum to 1)."""
        if self.difficulties is None:
            return {str(self.difficulty): 1.0}
        return dict(zip(self.difficulties, _normalized(list(self.difficulties.values()))))


def _level(template: Template, difficulty: str | int | None) -> str:
    try:
        return template.Config.level_name(difficulty)
    except ValueError as exc:
        raise ValueError(f"{template.name}: {exc}") from None


@dataclass(frozen=True)
class Stream:
    """One (task, level, config) problem stream of a mixture, with its share of the positions."""

    entry: int
    task: str
    level: str
    config: dict[str, Any]
    share: float

    @property
    def key(self) -> str:
        """Stable identity of the stream (seeds its schedule phase; detects duplicate entries)."""
        return canonical_json([self.task, self.level, self.config])


class Mixture(BaseModel):
    """A weighted mixture of templates and difficulties; `problems(n, seed=…)` draws from it reproducibly."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entries: list[MixtureEntry] = Field(min_length=1, description="The templates of the mixture.")
    seed: int = Field(default=0, description="Default problem stream seed.")
    name: str | None = Field(default=None, description="Optional label (shown by coverage).")

    @model_validator(mode="after")
    def _no_duplicate_streams(self) -> Mixture:
        seen: dict[str, int] = {}
        for stream in self.streams():
            first = seen.setdefault(stream.key, stream.entry)
            if first != stream.entry:
                raise ValueError(
                    f"entries {first} and {stream.entry} both draw {stream.task} at level {stream.level!r} with the same "
                    "config, so they would serve the same problems twice; merge them (add their weights)"
                )
        return self

    # ------------------------------------------------------------------------------ construction

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Mixture:
        """Validate a mixture from a dict (MixtureError naming the entry and the fix on failure).

        `entries` may also be given as a mapping task → weight for the common case
        (``{"entries": {"Arithmetic": 2, "Sudoku": 1}}``).
        """
        if not isinstance(data, Mapping):
            raise MixtureError(f"a mixture must be a mapping with an 'entries' list, got {type(data).__name__}")
        data = dict(data)
        entries = data.get("entries")
        if isinstance(entries, Mapping):
            data["entries"] = [{"task": task, "weight": weight} for task, weight in entries.items()]
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise MixtureError(_describe(exc)) from None

    @classmethod
    def from_yaml(cls, path_or_text: str | os.PathLike[str]) -> Mixture:
        """Load a mixture from a YAML file path or from YAML text (a string with a newline or a ':')."""
        import yaml

        text, where = _yaml_source(path_or_text)
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise MixtureError(f"{where}: not valid YAML ({' '.join(str(exc).split())})") from None
        try:
            return cls.from_dict(data)
        except MixtureError as exc:
            raise MixtureError(f"{where}: {exc}") from None

    def to_dict(self) -> dict[str, Any]:
        """Plain data that `from_dict` reads back into an equal mixture (defaults left out)."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def to_yaml(self, path: str | os.PathLike[str] | None = None) -> str:
        """The mixture as YAML text (also written to `path` if given)."""
        import yaml

        text = yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    # ------------------------------------------------------------------------------ sampling

    def streams(self) -> list[Stream]:
        """Every (task, level) stream with its share of the positions (shares sum to 1)."""
        weights = _normalized([entry.weight for entry in self.entries])
        return [
            Stream(i, entry.task, level, dict(entry.config), weights[i] * share)
            for i, entry in enumerate(self.entries)
            for level, share in entry.levels().items()
        ]

    def shares(self) -> dict[tuple[str, str], float]:
        """(task, level) → expected share of the problems."""
        result: dict[tuple[str, str], float] = {}
        for stream in self.streams():
            result[(stream.task, stream.level)] = result.get((stream.task, stream.level), 0.0) + stream.share
        return result

    def schedule(self, seed: int | None = None) -> QuotaSchedule:
        """The position → stream schedule for problem seed `seed` (default: the mixture's)."""
        streams = self.streams()
        seed = self.seed if seed is None else seed
        return QuotaSchedule([s.share for s in streams], seed, [s.key for s in streams])

    def problems(self, n: int, *, seed: int | None = None, start: int = 0) -> Iterator[Problem]:
        """Problems at positions `start .. start+n-1` of the mixture for stream seed `seed` (default: `self.seed`).

        Same (mixture, seed, start, n) → the same problems in any process; `problems(n + m)` starts
        with `problems(n)`; `problems(m, start=n)` is its continuation.
        """
        if n < 0 or start < 0:
            raise ValueError(f"n and start must be >= 0, got n={n}, start={start}")
        seed = self.seed if seed is None else seed
        streams = self.streams()
        templates = [get_template(s.task) for s in streams]
        configs = [t.config(s.level, **s.config) for t, s in zip(templates, streams)]
        for j, k in self.schedule(seed).slice(start, n):
            yield templates[j].generate(seed, k, configs[j])


def _yaml_source(path_or_text: str | os.PathLike[str]) -> tuple[str, str]:
    """(YAML text, where it came from) for a path or YAML text."""
    if isinstance(path_or_text, os.PathLike) or (
        isinstance(path_or_text, str) and "\n" not in path_or_text and ":" not in path_or_text
    ):
        path = Path(path_or_text)
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except FileNotFoundError:
            raise DataFileError(f"{path}: no such mixture file; pass a YAML file path or YAML text") from None
        except (OSError, UnicodeDecodeError, ValueError) as exc:  # ValueError: a NUL in the path
            raise DataFileError(f"{path}: cannot read the mixture file ({exc})") from None
    if isinstance(path_or_text, str) and "\n" not in path_or_text and os.path.isfile(path_or_text):
        return Path(path_or_text).read_text(encoding="utf-8"), path_or_text
    if not isinstance(path_or_text, str):
        raise TypeError(f"from_yaml takes a path or YAML text, got {type(path_or_text).__name__}")
    return path_or_text, "mixture YAML"


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "invalid mixture: " + "; ".join(parts)
