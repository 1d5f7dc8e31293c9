"""What every dataset-backed domain (math, code) does with a source once it is read: the same steps, written once.

* `SourceSpec` — the fields every domain's cache key starts with (source, config name, split,
  revision, format); a domain subclasses it with its own mapping options (math's column
  overrides, code's test cap).
* `TableCache` — a parsed table per spec, read once per process (a dataset of 100k rows takes
  seconds to map), keyed by the spec plus a local file's size and mtime so an edited file is read
  again, bounded in size, thread-safe, and warning once per table when rows were skipped.
* `convert_rows` — every raw row through a domain's converter; a `RowSkip` (or a malformed cell,
  where the domain says so) becomes a `SkippedRow` of the report instead of failing the dataset.
* `select_positions` — the rows a config uses (level test and group list), memoised per table.
* `no_rows_error` — the error for a source of which no row is usable, with the first reason.

Why shared: math and code read different row layouts, but a divergence in caching, skip
accounting or row selection between them would be a bug nobody meant.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from vrgym.tasks._dataset_source import (
    BUILTIN_PREFIX,
    DatasetReport,
    DatasetSkipWarning,
    DatasetSourceError,
    RowSkip,
    SkippedRow,
)


class _Reported(Protocol):
    """A parsed table: whatever a domain builds, as long as it carries its DatasetReport."""

    report: DatasetReport


T = TypeVar("T")
Spec = TypeVar("Spec", bound="SourceSpec")
Table = TypeVar("Table", bound=_Reported)


@dataclass(frozen=True)
class SourceSpec:
    """What is read: source, hub config name, split, revision and row format (the start of every cache key)."""

    source: str
    config_name: str | None = None
    split: str | None = None
    revision: str | None = None
    format: str = "auto"

    def describe(self) -> str:
        """`source[config]:split` as shown in reports and errors."""
        return self.source + (f"[{self.config_name}]" if self.config_name else "") + (f":{self.split}" if self.split else "")


class TableCache(Generic[Spec, Table]):
    """Parsed tables by spec, read once per process; `load` warns once per table when it skipped rows.

    `parse(spec)` builds a table (anything with a `report`); `local_path(source)`
    names the file behind a non-builtin source (raising OSError or DatasetSourceError when there
    is none), so that a local file edited in place is read again; `hint` ends the skip warning
    (where to list the skipped rows).
    """

    def __init__(self, parse: Callable[[Spec], Table], *, hint: str,
                 local_path: Callable[[str], str] = str, size: int = 8) -> None:
        self._parse = parse
        self._hint = hint
        self._local_path = local_path
        self._size = size
        self._tables: dict[tuple[Any, ...], Table] = {}
        self._warned: set[tuple[Any, ...]] = set()
        self._lock = threading.Lock()

    def load(self, spec: Spec, *, warn: bool = True) -> Table:
        """The table of `spec`, parsed on first use; warns (DatasetSkipWarning) the first time it is loaded with warn."""
        key = self._key(spec)
        with self._lock:
            table = self._tables.get(key)
            if table is None:
                table = self._parse(spec)
                if len(self._tables) >= self._size:
                    evicted = next(iter(self._tables))
                    self._tables.pop(evicted)
                    self._warned.discard(evicted)
                self._tables[key] = table
            report = table.report
            must_warn = warn and bool(report.skipped) and key not in self._warned
            if must_warn:
                self._warned.add(key)
        if must_warn:
            warnings.warn(f"{report.summary()}; {self._hint}", DatasetSkipWarning, stacklevel=4)
        return table

    def clear(self) -> None:
        """Forget every loaded table (tests, or after a dataset changed in place)."""
        with self._lock:
            self._tables.clear()
            self._warned.clear()

    def _key(self, spec: Spec) -> tuple[Any, ...]:
        stamp: tuple[Any, ...] = ()
        if not spec.source.startswith(BUILTIN_PREFIX):
            try:
                path = self._local_path(os.path.expanduser(spec.source))
                info = os.stat(path)
                stamp = (os.path.abspath(path), info.st_size, info.st_mtime_ns)
            except (OSError, DatasetSourceError):
                stamp = ()
        return (spec, stamp)


def convert_rows(rows: Iterable[Mapping[str, Any]], convert: Callable[[int, Mapping[str, Any]], T],
                 row_id: Callable[[Mapping[str, Any]], str | None], *,
                 malformed: tuple[type[Exception], ...] = ()) -> tuple[list[tuple[int, T]], list[SkippedRow]]:
    """([(row position, converted item)], [skipped rows]) of every row, in source order.

    `convert(position, row)` raises RowSkip for a row it cannot use; an exception of a `malformed`
    type is a bad cell of this row (reason `malformed`), not a broken dataset.
    """
    items: list[tuple[int, T]] = []
    skipped: list[SkippedRow] = []
    for position, row in enumerate(rows):
        try:
            items.append((position, convert(position, row)))
        except RowSkip as skip:
            skipped.append(SkippedRow(position, skip.code, skip.detail, row_id(row)))
        except malformed as exc:
            skipped.append(SkippedRow(position, "malformed", f"{type(exc).__name__}: {str(exc)[:200]}", row_id(row)))
    return items, skipped


def select_positions(memo: dict[Hashable, list[int]], items: Sequence[Any], levels: Hashable,
                     level_ok: Callable[[Any], bool], groups: tuple[str, ...] | None) -> list[int]:
    """Positions of the items that pass `level_ok` and whose group (any case) is in `groups` (None: any); memoised by (levels, groups)."""
    key = (levels, groups)
    chosen = memo.get(key)
    if chosen is None:
        chosen = [position for position, item in enumerate(items)
                  if level_ok(item) and (groups is None or (item.group or "").lower() in groups)]
        memo[key] = chosen
    return chosen


def no_rows_error(report: DatasetReport, advice: str) -> DatasetSourceError:
    """The error for a source none of whose rows is usable: the counts, `advice`, and the first skip reason."""
    if not report.skipped:
        return DatasetSourceError(f"{report.source} has no rows")
    first = report.skipped[0]
    return DatasetSourceError(f"{report.summary()}: no usable rows; {advice} (first skip: {first.reason}: {first.detail})")
