"""The outputs of `select`: every problem's statistics, and the kept problems in jsonl, parquet or HF.

``stats.jsonl`` — one line per problem of the run (kept or not): the statistics columns of
`vrgym.filter.stats` plus ``decision``. Keeping the dropped rows lets anyone re-threshold later.

``selected.jsonl | selected.parquet | selected/`` — one row per kept problem: the problem's fields
followed by the statistics columns (``k, n, c, pass_at_1, pass_at_J…, pass_pow_J…, informative_at_g,
group_size, ci_low, ci_high, n_truncated, n_infra_errors, n_request_errors, n_pending, reasons,
decision``). In parquet and HF the problem's JSON fields and ``reasons`` are JSON text, as in
`vrgym.io.problems`, so `vrgym.io.read_problems` loads the problems back (extra columns are
ignored); parquet files also carry the run manifest in their schema metadata. In jsonl a row is
the Problem's JSON plus the statistics keys; `read_selected` splits both kinds of file back into
(Problem, statistics).

Every file is written through `vrgym.io.writers` (``<path>.partial`` until complete).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from vrgym.io.formats import Format
from vrgym.io.problems import COLUMNS, problem_schema, problem_to_row, row_to_problem
from vrgym.io.reading import iter_records
from vrgym.io.writers import HfDatasetWriter, JsonlWriter, ParquetWriter
from vrgym.problem import Problem

if TYPE_CHECKING:
    from vrgym.filter.run import FilterRun, Selection

SELECTED = {Format.JSONL: "selected.jsonl", Format.PARQUET: "selected.parquet", Format.HF: "selected"}
_SKIP = ("id", "task", "difficulty")  # already among the problem's fields
_INT_COLUMNS = ("k", "n", "c", "group_size", "n_truncated", "n_infra_errors", "n_request_errors", "n_pending")


def write_selection(run: FilterRun, selection: Selection, output_format: str = "jsonl") -> dict[str, str]:
    """Write stats.jsonl and the selection file; return {"stats": path, "selected": path}."""
    fmt = Format(output_format)
    stats_path = run.root / "stats.jsonl"
    with JsonlWriter(stats_path, noun="problem statistics") as writer:
        for row in selection.rows:
            writer.write(row)
    by_id = {p.id: p for p in run.problems}
    target = run.root / SELECTED[fmt]
    for other_fmt, name in SELECTED.items():  # a re-selection in another format must not leave a stale file
        if other_fmt is not fmt:
            _remove(run.root / name)
    kept = [(by_id[row["id"]], row) for row in selection.kept]
    if fmt is Format.JSONL:
        with JsonlWriter(target, _jsonl_line, noun="selected problems") as writer:
            for item in kept:
                writer.write(item)
    else:
        schema = _schema(selection.rows, run.manifest)
        writer_class = ParquetWriter if fmt is Format.PARQUET else HfDatasetWriter
        with writer_class(target, schema, _table_row, noun="selected problems") as table_writer:
            for item in kept:
                table_writer.write(item)
    return {"stats": str(stats_path), "selected": str(target)}


def _stats_part(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key not in _SKIP}


def _jsonl_line(item: tuple[Problem, dict[str, Any]]) -> str:
    problem, row = item
    return json.dumps({**problem.model_dump(mode="json"), **_stats_part(row)}, ensure_ascii=False, allow_nan=False)


def _table_row(item: tuple[Problem, dict[str, Any]]) -> dict[str, Any]:
    problem, row = item
    stats = _stats_part(row)
    stats["reasons"] = json.dumps(stats["reasons"], sort_keys=True)
    return {**problem_to_row(problem), **stats}


def _schema(rows: list[dict[str, Any]], manifest: dict[str, Any]) -> Any:
    import pyarrow as pa

    base = problem_schema()
    fields = list(base)
    sample = rows[0] if rows else {}
    for key in sample:
        if key in _SKIP:
            continue
        if key in _INT_COLUMNS:
            fields.append(pa.field(key, pa.int64(), nullable=False))
        elif key in ("reasons", "decision"):
            fields.append(pa.field(key, pa.string(), nullable=False))
        else:
            fields.append(pa.field(key, pa.float64(), nullable=True))
    metadata = {"vrgym": "filter/selected/1", "vrgym_filter_manifest": json.dumps(manifest, ensure_ascii=False)}
    return pa.schema(fields, metadata=metadata)


def read_selected(path: str | os.PathLike[str]) -> Iterator[tuple[Problem, dict[str, Any]]]:
    """(Problem, statistics) per row of a selection file in any of the three formats."""
    for where, record in iter_records(path):
        if where.tabular:
            problem = row_to_problem(record, where)
            stats = {key: value for key, value in record.items() if key not in COLUMNS}
            if isinstance(stats.get("reasons"), str):
                stats["reasons"] = json.loads(stats["reasons"])
        else:
            problem = Problem.model_validate({key: record[key] for key in COLUMNS if key in record})
            stats = {key: value for key, value in record.items() if key not in COLUMNS}
        yield problem, stats


def _remove(path: os.PathLike[str]) -> None:
    import shutil
    from pathlib import Path

    path = Path(path)
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
