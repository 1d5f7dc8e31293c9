"""A loaded math dataset: usable rows with typed golds, the skipped rows with reasons, and row order.

`load_dataset_table(spec)` reads a source once per process (cached by everything that changes
its content: source, config name, split, revision, format, column overrides, and a local file's
size and mtime), maps every row through its format (`_dataset_rows`) and its answer through the
gold classifier (`_dataset_gold`), and proves each gold is understood by the checker:
`check_math_answer(gold, render_gold(gold))` must score 1, else the row is skipped — a gold that
its own rendering cannot match would give a problem nobody can solve. Plain numbers settle this
in microseconds; symbolic golds cost ~0.5 ms each in the checker's worker (plus its ~3 s start
once per process). The bundled fixtures skip the check at load (so they load in milliseconds):
the tests prove every one of their golds instead.

`permuted_position(n, seed, index)` (shared with code in `vrgym.tasks._dataset_source`) maps problem
`index` of stream `seed` to a row position through a keyed Feistel permutation of `range(n)`
(cycle-walking), a fresh one per pass over the rows: every row once per pass, a different order per seed, O(1) time and memory per call even
for a million-row dataset, and stable across processes and Python versions (BLAKE2b, no
`random`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vrgym.tasks import _dataset_table as _shared
from vrgym.tasks._dataset_source import (
    DatasetReport,
    DatasetSkipWarning,
    SkippedRow,
    permuted_position,
)
from vrgym.tasks.math._dataset_gold import infer_gold
from vrgym.tasks.math._dataset_rows import (
    Columns,
    RowSkip,
    detect_format,
    read_row,
    resolve_columns,
)
from vrgym.tasks.math._dataset_source import (
    BUILTIN_PREFIX,
    DatasetSourceError,
    read_source,
)


@dataclass(frozen=True)
class SourceSpec(_shared.SourceSpec):
    """Everything that decides which rows a dataset template reads and how it maps them."""

    problem_column: str | None = None
    answer_column: str | None = None
    solution_column: str | None = None
    level_column: str | None = None


@dataclass(frozen=True)
class Entry:
    """One usable row: what the template needs to make a Problem from it."""

    row: int
    """Position of the row in the source split (0-based)."""
    problem: str
    gold: dict[str, Any]
    answer_text: str
    solution: str | None
    level: int | None
    group: str | None
    row_hash: str
    """SHA-256 (first 16 hex digits) of the row's problem and answer text: detects a changed dataset."""


@dataclass
class DatasetTable:
    """A parsed dataset: usable entries in source order, and the report."""

    spec: SourceSpec
    format: str
    entries: list[Entry]
    report: DatasetReport
    _selections: dict[Any, list[int]] = field(default_factory=dict, repr=False)
    parts: dict[Any, Any] = field(default_factory=dict, repr=False)
    """Per-row pieces a template derives once (prompt, solution steps, tags), keyed by the template."""

    def select(self, levels: tuple[int, int] | None, groups: tuple[str, ...] | None) -> list[int]:
        """Positions (into `entries`) of the rows inside the level range and groups; memoised."""
        return _shared.select_positions(
            self._selections, self.entries, levels, lambda entry: levels is None or (
                entry.level is not None and levels[0] <= entry.level <= levels[1]), groups)


def load_dataset_table(spec: SourceSpec, *, warn: bool = True) -> DatasetTable:
    """The parsed dataset of `spec`, read once per process; warns once when rows were skipped."""
    return _TABLES.load(spec, warn=warn)


def clear_cache() -> None:
    """Forget every loaded dataset (tests, or after a dataset changed in place)."""
    _TABLES.clear()


def _parse(spec: SourceSpec) -> DatasetTable:
    raw = read_source(spec.source, spec.config_name, spec.split, spec.revision)
    n_rows = len(raw.rows)
    first = raw.rows[0] if n_rows else None
    try:
        fmt = detect_format(raw.columns, first) if spec.format == "auto" else spec.format
        columns = resolve_columns(fmt, raw.columns, {
            "problem": spec.problem_column, "answer": spec.answer_column,
            "solution": spec.solution_column, "level": spec.level_column,
        })
    except ValueError as exc:
        raise DatasetSourceError(f"{spec.describe()}: {exc}") from None
    converted, skipped = _shared.convert_rows(raw.rows, lambda position, row: _entry(position, row, fmt, columns),
                                              lambda row: _answer_cell(row, columns))
    entries = [entry for _, entry in converted]
    if not spec.source.startswith(BUILTIN_PREFIX):  # bundled fixtures are proved by the tests, and load in ms
        entries, failed = _self_checked(entries)
        skipped.extend(failed)
    skipped.sort(key=lambda s: s.row)
    report = DatasetReport(source=spec.describe(), format=fmt, total=n_rows, usable=len(entries), skipped=tuple(skipped))
    if not entries:
        raise _shared.no_rows_error(report, "check format= and the column overrides")
    return DatasetTable(spec=spec, format=fmt, entries=entries, report=report)


def _entry(position: int, row: Mapping[str, Any], fmt: str, columns: Columns) -> Entry:
    item = read_row(row, fmt, columns)
    gold = infer_gold(item.answer_text, item.problem, commas_are_thousands=fmt in ("gsm8k", "aimo"))
    if fmt == "aimo" and gold.get("kind") != "integer":
        raise RowSkip("not_an_integer", f"an AIMO answer must be an integer, got {item.answer_text[:40]!r}")
    digest = hashlib.sha256(json.dumps([item.problem, item.answer_text], ensure_ascii=False).encode("utf-8")).hexdigest()
    return Entry(row=position, problem=item.problem, gold=gold, answer_text=item.answer_text, solution=item.solution,
                 level=item.level, group=item.group, row_hash=digest[:16])


def _self_checked(entries: list[Entry]) -> tuple[list[Entry], list[SkippedRow]]:
    """Keep the entries whose gold scores 1 against its own rendering (each distinct gold checked once)."""
    from vrgym.verifiers.math import check_math_answer, render_gold

    verdicts: dict[str, tuple[bool, str]] = {}
    kept: list[Entry] = []
    failed: list[SkippedRow] = []
    for entry in entries:
        key = json.dumps(entry.gold, sort_keys=True)
        if key not in verdicts:
            try:
                rendered = render_gold(entry.gold)
                verdict = check_math_answer(entry.gold, rendered)
                verdicts[key] = (verdict.reward == 1, f"its rendering {rendered[:60]!r} scored {verdict.reason}: {verdict.detail[:120]}")
            except Exception as exc:  # noqa: BLE001 - a gold the checker cannot handle is a skipped row, not a crash
                verdicts[key] = (False, f"the checker raised {type(exc).__name__}: {exc}")
        ok, detail = verdicts[key]
        if ok:
            kept.append(entry)
        else:
            failed.append(SkippedRow(entry.row, "self_check", f"gold {entry.gold.get('kind')} does not accept itself: {detail}",
                                     entry.answer_text))
    return kept, failed


def _answer_cell(row: Mapping[str, Any], columns: Columns) -> str | None:
    for name in (columns.answer, columns.solution):
        if name and row.get(name) not in (None, ""):
            return str(row.get(name))[:200]
    return None


_TABLES: _shared.TableCache[SourceSpec, DatasetTable] = _shared.TableCache(
    _parse, hint="list them with vrgym.tasks.math.dataset_math.skipped_rows(...)")

__all__ = ["DatasetReport", "DatasetSkipWarning", "DatasetTable", "Entry", "SkippedRow", "SourceSpec",
           "clear_cache", "load_dataset_table", "permuted_position"]
