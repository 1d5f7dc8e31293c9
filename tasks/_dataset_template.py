"""The template plumbing every dataset-backed domain (math, code) shares: config fields, row choice, tags, reports.

* `DatasetSourceConfig` — the source fields (source, config_name, split, revision) and the
  `groups` normaliser; a domain's config adds its layout options and row filters.
* `DatasetRows` — a mixin for a domain's template base: `generate(seed, index)` passes its stream
  position to `build`, where `pick_row` takes row `perm_seed(index mod n)` of the usable rows
  (`permuted_position`: no repeat within a pass, a different order per seed), or a row drawn
  from `rng` when `build` is called alone (the contract's level probe does); `report` lists what
  loading the source found.
* `dataset_tags`, `source_metadata`, `dataset_template` — the tags, the metadata fields naming
  the source, and the `task` name → template lookup of the domains' report functions.

Why here: two copies of the row choice would let math and code drift apart in which row a
(seed, index) means — the one thing a dataset stream must keep stable.
"""

from __future__ import annotations

import random
import re
from contextvars import ContextVar
from typing import Any, TypeVar

from pydantic import Field, field_validator
from vrgym.tasks._dataset_source import DatasetReport, permuted_position

from vrgym.config import TemplateConfig
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.registry import get_template

_STREAM_POSITION: ContextVar[tuple[int, int] | None] = ContextVar("vrgym_dataset_stream_position", default=None)
"""(seed, index) of the `generate` call in progress, so `build` can take the permuted row."""
_SLUG = re.compile(r"[^a-z0-9]+")
T = TypeVar("T")


class DatasetSourceConfig(TemplateConfig):
    """Which dataset to read (a domain's config adds how rows map and which rows to use, with a `groups` field)."""

    source: str = Field(min_length=1, description="builtin:<name>, a local file or save_to_disk folder, or a hub id")
    config_name: str | None = Field(default=None, description="Hub dataset config name (datasets' `name`), e.g. 'main' for gsm8k")
    split: str | None = Field(default=None, description="Split of a hub dataset or a saved DatasetDict, e.g. 'test'")
    revision: str | None = Field(default=None, description="Hub revision (commit, tag or branch) to pin the data")

    @field_validator("groups", check_fields=False)
    @classmethod
    def _lower_groups(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None and not value:
            raise ValueError("groups must name at least one group, or be left unset for all rows")
        return None if value is None else tuple(sorted({g.strip().lower() for g in value}))


class DatasetRows:
    """Mixin for a dataset-backed template base (put it before the domain's Template class).

    The domain implements `load_table(config, warn=...)` (its cached table, which has a `report`).
    """

    def load_table(self, config: Any, *, warn: bool = True) -> Any:
        """The domain's parsed table of `config`'s source."""
        raise NotImplementedError(f"{type(self).__name__} must implement load_table(config, warn=...)")

    def generate(self, seed: int = 0, index: int = 0, config: Any = None, *, difficulty: str | int | None = None,
                 **overrides: Any) -> Problem:
        """Problem `index` of stream `seed`: row number `index` of the seed's permutation of the usable rows."""
        token = _STREAM_POSITION.set((seed, index))
        try:
            return super().generate(seed, index, config, difficulty=difficulty, **overrides)  # type: ignore[misc]
        finally:
            _STREAM_POSITION.reset(token)

    @staticmethod
    def pick_row(rng: random.Random, chosen: list[int], salt: str) -> int:
        """The element of `chosen` this (seed, index) maps to — or, called outside generate, one drawn from `rng`."""
        position = _STREAM_POSITION.get()
        if position is None:
            return chosen[rng.randrange(len(chosen))]
        seed, index = position
        return chosen[permuted_position(len(chosen), seed, index, salt=salt)]

    def report(self, difficulty: str | int | None = None, **overrides: Any) -> DatasetReport:
        """What loading this template's dataset found: usable and skipped rows with reasons."""
        config = self.config(difficulty, **overrides)  # type: ignore[attr-defined]
        return self.load_table(config, warn=False).report


def dataset_tags(domain: str, fmt: str, group: str | None) -> tuple[str, ...]:
    """`<domain>/dataset/<format>`, plus `<domain>/dataset/<format>/<group slug>` when the row has a group."""
    tags = [f"{domain}/dataset/{fmt}"]
    if group and (slug := _SLUG.sub("_", group.lower()).strip("_")):
        tags.append(f"{domain}/dataset/{fmt}/{slug}")
    return tuple(tags)


def source_metadata(config: DatasetSourceConfig, fmt: str) -> dict[str, Any]:
    """The metadata naming where a row came from (with the row's position, enough to find it again)."""
    return {"source": config.source, "config_name": config.config_name, "split": config.split,
            "revision": config.revision, "format": fmt}


def dataset_template(task: str, base: type[T], kind: str) -> T:
    """The registered template `task`, which must be a `base` (ConfigError naming the ones that are)."""
    template = get_template(task)
    if not isinstance(template, base):
        names = ", ".join(getattr(cls, "name", cls.__name__) for cls in base.__subclasses__())
        raise ConfigError(f"{task!r} is not a dataset-backed {kind} template; use one of {names}")
    return template
