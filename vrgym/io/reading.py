"""Read records (dicts) from a jsonl file, a parquet file or an HF dataset folder, lazily.

Every reader yields ``(where, record)`` pairs, where ``where`` (a `Where`) names the file and the
line (jsonl) or row (tabular) for error messages; row and line numbers start at 1. Whatever goes wrong with the
file itself — missing, unreadable, not UTF-8, not JSON, not parquet — becomes a `DataFileError`
that says which file, where, and what to do. `pyarrow` and `datasets` are imported only here,
inside the functions that need them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vrgym.errors import DataFileError
from vrgym.io.formats import Format, input_format

Record = dict[str, Any]
_BATCH_ROWS = 1024


@dataclass(frozen=True)
class Where:
    """The place of a record: `path`, and line `number` (jsonl) or row `number` (tabular)."""

    path: Path
    number: int
    tabular: bool

    def __str__(self) -> str:
        return f"{self.path}, {'row' if self.tabular else 'line'} {self.number}"


def iter_records(path: str | os.PathLike[str]) -> Iterator[tuple[Where, Record]]:
    """Every record of `path`, in file order, whatever its format (judged by its content)."""
    path = Path(path)
    fmt = input_format(path)
    if fmt is Format.JSONL:
        return _iter_jsonl(path)
    if fmt is Format.PARQUET:
        return _iter_tabular(path, _parquet_batches(path))
    return _iter_tabular(path, _hf_batches(path))


def _iter_jsonl(path: Path) -> Iterator[tuple[Where, Record]]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be read ({exc.strerror or exc}); check the path and its permissions") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            where = Where(path, number, tabular=False)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise DataFileError(f"{where}: not UTF-8 text; jsonl files must be UTF-8 (is this a binary file?)") from None
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                cut = "" if raw.endswith(b"\n") else " (the last line is unterminated: the file was probably cut short)"
                raise DataFileError(
                    f"{where}: not valid JSON ({exc.msg} at column {exc.colno}){cut}; fix or regenerate the file"
                ) from None
            if not isinstance(record, dict):
                raise DataFileError(f"{where}: expected a JSON object per line, got {type(record).__name__}")
            yield where, record


def _iter_tabular(path: Path, batches: Iterator[Any]) -> Iterator[tuple[Where, Record]]:
    number = 0
    for batch in batches:
        for record in batch.to_pylist():
            number += 1
            yield Where(path, number, tabular=True), record


def _parquet_batches(path: Path) -> Iterator[Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
        yield from parquet.iter_batches(batch_size=_BATCH_ROWS)
    except (pa.ArrowException, OSError) as exc:
        raise DataFileError(f"{path}: not a readable parquet file ({exc}); regenerate it or check that it was fully written") from None


def _hf_batches(path: Path) -> Iterator[Any]:
    import datasets

    try:
        dataset = datasets.load_from_disk(str(path))
    except FileNotFoundError:
        raise DataFileError(
            f"{path}: a directory but not a saved Hugging Face dataset (no state.json / dataset_info.json); "
            "point at a folder written by `vrgym generate` or Dataset.save_to_disk"
        ) from None
    except Exception as exc:  # noqa: BLE001  (datasets raises many types for damaged folders)
        raise DataFileError(f"{path}: cannot load the Hugging Face dataset ({type(exc).__name__}: {exc})") from None
    if isinstance(dataset, datasets.DatasetDict):
        splits = ", ".join(dataset)
        raise DataFileError(
            f"{path}: a DatasetDict with splits {splits}; vrgym reads one Dataset — pass the split's own folder "
            "or save a single split with Dataset.save_to_disk"
        )
    yield from dataset.with_format("arrow").iter(batch_size=_BATCH_ROWS)
