"""Dataset-backed math templates: problems read from math datasets instead of a generator.

Why: the hand-built templates cover what can be generated; competition and word problems come
from datasets people already train on (MATH, GSM8K, NuminaMath, AIMO). These templates put such
rows behind the same contract — typed golds, the shared math checker, JSON-complete Problems —
so a dataset row and a generated problem are verified the same way.

Templates (each reads a bundled, hand-written fixture by default, so it works offline; set
`source=` to a hub id such as `openai/gsm8k` with `config_name=`/`split=`, or to a local
`.jsonl`/`.json`/`.parquet`/`.csv` file or `save_to_disk` folder):

* `DatasetMATH`   — Hendrycks MATH layout. Levels: `all` (the default: every row) and
  `level_1` … `level_5`, MATH's own difficulty labels (easiest first).
* `DatasetGSM8K`  — GSM8K layout (`#### <answer>`). The dataset has no difficulty label, so there
  is one level, `all`.
* `DatasetNumina` — NuminaMath layout. It has no difficulty label either; its levels group the
  `source` column as a coarse proxy: `school` (gsm8k, orca_math, cn_k12), `competition` (math,
  synthetic_math, amc_aime, synthetic_amc), `olympiad` (olympiads, aops_forum, …).
* `DatasetAIMO`   — AIMO/AIME layout, integer answers 0-999. No difficulty label: one level.

Every template accepts `format=auto` and column overrides (`problem_column=` …), so any of them
can wrap another dataset; `min_level`/`max_level` filter on a level column, `groups` on the
group column (MATH's `type`, Numina's `source`).

Row choice. `generate(seed, index)` takes row `perm_seed(index mod n)` of the usable rows, where
`perm_seed` is a keyed permutation redrawn on every pass over the rows (`vrgym.tasks._dataset_template`): no
row repeats within a pass, and each seed has its own order. `build(rng, config)` alone (as the
contract's level probe calls it) draws a row from `rng`.

Gold. The row's answer text becomes a typed gold (`_dataset_gold`); rows whose answer cannot be
classified with confidence, or whose gold does not accept its own rendering, are skipped and
reported, never given a guessed gold. `dataset_report(...)` / `skipped_rows(...)` list them; a
`DatasetSkipWarning` names the counts when a dataset is first loaded.

The Problem is self-contained: the prompt (the row's problem text plus the answer-form
instruction), the gold, and in `metadata` the source, config name, split, row position, a hash
of the row's content, the dataset's level and group, the original answer text and the worked
solution (with its `\\boxed{}` removed) — the verifier never needs the dataset.
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from pydantic import Field, model_validator
from vrgym.tasks._dataset_template import (
    DatasetRows,
    DatasetSourceConfig,
    dataset_tags,
    dataset_template,
    source_metadata,
)
from vrgym.tasks.math._dataset_rows import RowFormat, unboxed
from vrgym.tasks.math._dataset_table import (
    DatasetReport,
    DatasetSkipWarning,
    DatasetTable,
    Entry,
    SkippedRow,
    SourceSpec,
    load_dataset_table,
)
from vrgym.tasks.math._math_template import MathTemplate

from vrgym.config import TemplateConfig
from vrgym.errors import ConfigError
from vrgym.registry import register
from vrgym.template import Draft

__all__ = [
    "DatasetAIMO",
    "DatasetGSM8K",
    "DatasetMATH",
    "DatasetMathConfig",
    "DatasetMathTemplate",
    "DatasetNumina",
    "DatasetReport",
    "DatasetSkipWarning",
    "SkippedRow",
    "dataset_report",
    "skipped_rows",
]



class DatasetMathConfig(DatasetSourceConfig):
    """Which dataset to read, how its rows are laid out, and which rows to use."""

    format: RowFormat = "auto"
    problem_column: str | None = None
    answer_column: str | None = None
    solution_column: str | None = None
    level_column: str | None = None
    min_level: int | None = Field(default=None, ge=0, description="Lowest dataset level to use (rows without a level are left out)")
    max_level: int | None = Field(default=None, ge=0, description="Highest dataset level to use")
    groups: tuple[str, ...] | None = Field(default=None, description="Use only rows whose group (MATH type, Numina source) is listed")

    @model_validator(mode="after")
    def _level_range(self) -> DatasetMathConfig:
        if self.min_level is not None and self.max_level is not None and self.min_level > self.max_level:
            raise ValueError(f"min_level {self.min_level} is above max_level {self.max_level}")
        return self

    def spec(self) -> SourceSpec:
        """The source part of the config: what is read and how rows map (the cache key)."""
        return SourceSpec(source=self.source, config_name=self.config_name, split=self.split, revision=self.revision,
                          format=self.format, problem_column=self.problem_column, answer_column=self.answer_column,
                          solution_column=self.solution_column, level_column=self.level_column)

    def level_range(self) -> tuple[int, int] | None:
        """(min, max) dataset level to keep, or None for no level filter."""
        if self.min_level is None and self.max_level is None:
            return None
        return (self.min_level if self.min_level is not None else 0, self.max_level if self.max_level is not None else 10**9)


class DatasetMathTemplate(DatasetRows, MathTemplate):
    """Base of the dataset-backed math templates: a row of a dataset becomes a Problem."""

    Config: ClassVar[type[TemplateConfig]] = DatasetMathConfig
    tags: ClassVar[tuple[str, ...]] = ("math/dataset",)

    def load_table(self, config: DatasetMathConfig, *, warn: bool = True) -> DatasetTable:
        """The parsed (cached) dataset `config` reads."""
        return load_dataset_table(config.spec(), warn=warn)

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        """The Draft of the row this (seed, index) maps to — or, called without generate, a row drawn from `rng`."""
        assert isinstance(config, DatasetMathConfig)
        table = self.load_table(config)
        pick = self.pick_row(rng, self.rows(config, table), salt=table.report.source)
        return self._draft(table.entries[pick], table, config)

    def rows(self, config: DatasetMathConfig, table: DatasetTable | None = None) -> list[int]:
        """Positions (in the table's usable entries) of the rows this config uses; ConfigError if none."""
        table = table or self.load_table(config)
        chosen = table.select(config.level_range(), config.groups)
        if not chosen:
            levels = sorted({e.level for e in table.entries if e.level is not None})
            groups = sorted({(e.group or "").lower() for e in table.entries if e.group})
            raise ConfigError(f"{self.name}: no usable row of {table.report.source} matches difficulty {config.difficulty!r} "
                              f"(levels {config.level_range()}, groups {config.groups}); the dataset has levels {levels or 'none'} "
                              f"and groups {groups[:12] or 'none'} — choose another level or set min_level/max_level/groups")
        return chosen

    def _draft(self, entry: Entry, table: DatasetTable, config: DatasetMathConfig) -> Draft:
        prompt, solution, tags = self._row_parts(entry, table)
        metadata: dict[str, Any] = {
            **source_metadata(config, table.format),
            "row": entry.row,
            "row_hash": entry.row_hash,
            "level": entry.level,
            "group": entry.group,
            "answer_text": entry.answer_text,
            "solution": list(solution),
        }
        return Draft(prompt=prompt, answer=entry.gold, metadata=metadata, tags=tags)

    def _row_parts(self, entry: Entry, table: DatasetTable) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        """Prompt, solution steps and tags of a row: the same for every seed, so built once per row."""
        key = (self.name, entry.row)
        parts = table.parts.get(key)
        if parts is None:
            prompt = f"{entry.problem}\n\n{self.answer_instruction(entry.gold)} {self.answer_format.instruction}"
            solution = tuple(line.strip() for line in unboxed(entry.solution).splitlines() if line.strip()) if entry.solution else ()
            parts = table.parts[key] = (prompt, solution, dataset_tags("math", table.format, entry.group))
        return parts


# ----------------------------------------------------------------------------------- templates


class MATHConfig(DatasetMathConfig):
    """Hendrycks MATH rows; levels are MATH's own `level` labels."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "all": {},
        **{f"level_{n}": {"min_level": n, "max_level": n} for n in range(1, 6)},
    }
    default_level: ClassVar[str | None] = "all"
    source: str = "builtin:math"
    format: RowFormat = "math"


@register
class DatasetMATH(DatasetMathTemplate):
    """Competition problems in the Hendrycks MATH layout (answer in the solution's \\boxed{})."""

    name = "DatasetMATH"
    version = 0
    tags = ("math/dataset", "math/competition")
    description = "Rows of a MATH-style dataset (problem, solution with \\boxed{} answer, Level 1-5); bundled fixture by default."
    Config = MATHConfig


class GSM8KConfig(DatasetMathConfig):
    """GSM8K rows; the dataset has no difficulty label, so there is one level."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {"all": {}}
    source: str = "builtin:gsm8k"
    format: RowFormat = "gsm8k"


@register
class DatasetGSM8K(DatasetMathTemplate):
    """Grade-school word problems in the GSM8K layout (`#### <answer>`)."""

    name = "DatasetGSM8K"
    version = 0
    tags = ("math/dataset", "math/word_problems")
    description = "Rows of a GSM8K-style dataset (question, worked answer ending in '#### N'); bundled fixture by default."
    Config = GSM8KConfig


NUMINA_TIERS: dict[str, tuple[str, ...]] = {
    "school": ("cn_k12", "gsm8k", "orca_math"),
    "competition": ("amc_aime", "math", "synthetic_amc", "synthetic_math"),
    "olympiad": ("aops_forum", "inequalities", "number_theory", "olympiads", "olympiads_ref"),
}
"""Numina `source` values grouped into the levels of `DatasetNumina` (a proxy: Numina has no difficulty label)."""


class NuminaConfig(DatasetMathConfig):
    """NuminaMath rows; levels group the `source` column (school < competition < olympiad)."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {"all": {}, **{tier: {"groups": sources} for tier, sources in NUMINA_TIERS.items()}}
    default_level: ClassVar[str | None] = "all"
    source: str = "builtin:numina"
    format: RowFormat = "numina"


@register
class DatasetNumina(DatasetMathTemplate):
    """Problems in the NuminaMath layout (answer column, or the solution's \\boxed{})."""

    name = "DatasetNumina"
    version = 0
    tags = ("math/dataset", "math/competition")
    description = "Rows of a NuminaMath-style dataset (problem, solution, source); levels group the source; bundled fixture by default."
    Config = NuminaConfig


class AIMOConfig(DatasetMathConfig):
    """AIMO/AIME rows with integer answers; no difficulty label, so one level."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {"all": {}}
    source: str = "builtin:aimo"
    format: RowFormat = "aimo"


@register
class DatasetAIMO(DatasetMathTemplate):
    """Olympiad problems with an integer answer column (AIMO / AIME layout)."""

    name = "DatasetAIMO"
    version = 0
    tags = ("math/dataset", "math/competition")
    description = "Rows of an AIMO-style dataset (problem, integer answer 0-999); bundled fixture by default."
    Config = AIMOConfig


# ----------------------------------------------------------------------------------- reports


def dataset_report(task: str = "DatasetMATH", difficulty: str | int | None = None, **config: Any) -> DatasetReport:
    """Load a dataset template's source and report `N usable, M skipped (reasons…)`.

    `dataset_report("DatasetGSM8K", source="openai/gsm8k", config_name="main", split="test").summary()`
    """
    return dataset_template(task, DatasetMathTemplate, "math").report(difficulty, **config)


def skipped_rows(task: str = "DatasetMATH", difficulty: str | int | None = None, **config: Any) -> list[SkippedRow]:
    """Every skipped row of a dataset template's source: row position, reason code, detail, answer text."""
    return list(dataset_report(task, difficulty, **config).skipped)


def describe_skipped(rows: list[SkippedRow], limit: int = 50) -> str:
    """The skipped rows as text, one per line: `row 12: several_boxes — …`."""
    lines = [f"row {s.row}: {s.reason} — {s.detail}" for s in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"… and {len(rows) - limit} more")
    return "\n".join(lines)


