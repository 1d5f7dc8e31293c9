"""Crash-safe record writers: nothing computed is lost, and no final file is ever half-written.

Policy (the same for every format): records are written to ``<path>.partial`` as they arrive and
the partial file is renamed to ``<path>`` only when the writer is committed. If the run stops early
— Ctrl-C, a crash, an exception — ``<path>`` is left untouched (an older complete file stays
valid) and ``<path>.partial`` keeps every record written so far, itself a valid file of the same
kind:

* jsonl: each line is flushed as soon as it is written;
* parquet: buffered rows are written and the footer closed on abort, so the partial file loads;
* hf: rows are staged in a parquet partial file and turned into a ``save_to_disk`` folder on
  commit (an HF folder cannot be appended to), so an interrupted run leaves that parquet file.

A partial file that would hold no record is removed. Readers judge formats by content, so
``vrgym verify out.jsonl.partial …`` works on a salvaged file.
"""

from __future__ import annotations

import json
import os
import shutil
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, TypeVar

from vrgym.errors import DataFileError
from vrgym.io.formats import partial_path

T = TypeVar("T")
_PARQUET_BATCH_ROWS = 1000


class RecordWriter(ABC, Generic[T]):
    """Writes encoded records to `<path>.partial`; `commit` renames it to `path`, `abort` keeps it.

    Use as a context manager: a clean exit commits, an exception (KeyboardInterrupt included)
    aborts and propagates. `count` is the number of records written; `saved_note()` says where
    they are, for the message printed after an interruption.
    """

    noun = "records"

    def __init__(self, path: str | os.PathLike[str], noun: str | None = None) -> None:
        self.path = Path(path)
        self.partial = partial_path(self.path)
        self.count = 0
        self.noun = noun or self.noun
        self.kept: Path | None = None
        self._closed = False
        self._check_target()
        _make_parent(self.path)

    # ------------------------------------------------------------------ subclass API

    @abstractmethod
    def _write(self, record: T) -> None:
        """Encode and write one record to the partial file."""

    @abstractmethod
    def _close(self) -> None:
        """Close the partial file, leaving it complete and valid."""

    def _publish(self) -> None:
        """Move the closed partial file into place as `path`."""
        os.replace(self.partial, self.path)

    def _check_target(self) -> None:
        if self.path.is_dir():
            raise DataFileError(f"{self.path}: is a directory; give a file path for the output")

    # ------------------------------------------------------------------ public API

    def write(self, record: T) -> None:
        """Write one record (durably, for jsonl: it is flushed at once)."""
        self._write(record)
        self.count += 1

    def commit(self) -> Path:
        """Finish: close the partial file and move it to `path`."""
        self._close_once()
        self._publish()
        return self.path

    def abort(self) -> Path | None:
        """Stop early: keep the partial file if it holds any record; return its path (or None)."""
        self._close_once()
        if self.count == 0:
            self.partial.unlink(missing_ok=True)
            self.kept = None
        else:
            self.kept = self.partial
        return self.kept

    def saved_note(self) -> str:
        """One sentence on what an aborted write left behind."""
        if self.kept is None:
            return f"nothing was saved ({self.path} was not written)"
        return f"{self.count} {self.noun} saved to {self.kept} ({self.path} was not written)"

    def _close_once(self) -> None:
        if not self._closed:
            self._closed = True
            self._close()

    def __enter__(self) -> RecordWriter[T]:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


class JsonlWriter(RecordWriter[T]):
    """One JSON document per line; `encode` turns a record into that line (without newline)."""

    def __init__(self, path: str | os.PathLike[str], encode: Callable[[T], str] | None = None, noun: str | None = None) -> None:
        super().__init__(path, noun)
        self._encode = encode or _json_line
        self._handle = _open_for_writing(self.partial)

    def _write(self, record: T) -> None:
        self._handle.write(self._encode(record) + "\n")
        self._handle.flush()

    def _close(self) -> None:
        self._handle.close()


class ParquetWriter(RecordWriter[T]):
    """Rows of a fixed pyarrow schema, written in row groups; `encode` turns a record into a row dict."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        schema: Any,
        encode: Callable[[T], dict[str, Any]],
        noun: str | None = None,
    ) -> None:
        import pyarrow.parquet as pq

        super().__init__(path, noun)
        self._schema = schema
        self._encode = encode
        self._rows: list[dict[str, Any]] = []
        try:
            self._writer = pq.ParquetWriter(str(self.partial), schema)
        except OSError as exc:
            raise DataFileError(f"{self.partial}: cannot be written ({exc}); check the folder and its permissions") from None

    def _write(self, record: T) -> None:
        self._rows.append(self._encode(record))
        if len(self._rows) >= _PARQUET_BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._rows:
            rows, self._rows = self._rows, []
            self._writer.write_table(pa.Table.from_pylist(rows, schema=self._schema))

    def _close(self) -> None:
        try:
            self._flush()
        finally:
            self._writer.close()


class HfDatasetWriter(ParquetWriter[T]):
    """A `datasets.Dataset.save_to_disk` folder, staged as a parquet partial file until commit."""

    def _check_target(self) -> None:
        if self.path.is_file():
            raise DataFileError(f"{self.path}: is a file; an HF dataset is a folder (or name the output *.jsonl / *.parquet)")
        if self.path.is_dir() and any(self.path.iterdir()) and not _is_hf_dataset(self.path):
            raise DataFileError(
                f"{self.path}: refusing to replace a folder that is not a saved HF dataset; choose a new path or empty it"
            )

    def _publish(self) -> None:
        import datasets
        import pyarrow.parquet as pq

        staging = self.path.with_name(self.path.name + ".saving")
        old = self.path.with_name(self.path.name + ".old")
        for leftover in (staging, old):  # from a run killed mid-publish
            shutil.rmtree(leftover, ignore_errors=True)
        bars_were_off = datasets.are_progress_bars_disabled()
        datasets.disable_progress_bars()
        try:
            datasets.Dataset(pq.read_table(self.partial)).save_to_disk(str(staging))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            self.kept = self.partial  # the staged rows are still there
            raise
        finally:
            if not bars_were_off:
                datasets.enable_progress_bars()
        if self.path.exists():
            os.replace(self.path, old)
        os.replace(staging, self.path)
        shutil.rmtree(old, ignore_errors=True)
        self.partial.unlink()


def _is_hf_dataset(path: Path) -> bool:
    return (path / "state.json").is_file() or (path / "dataset_dict.json").is_file()


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataFileError(f"{path.parent}: cannot create the output folder ({exc.strerror or exc})") from None


def _open_for_writing(path: Path) -> Any:
    try:
        return path.open("w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be written ({exc.strerror or exc}); check the folder and its permissions") from None


def _json_line(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, allow_nan=False)
