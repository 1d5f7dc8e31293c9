"""Which file format a path means, for writing and for reading.

vrgym stores problems in three formats:

* ``jsonl``   — one JSON object per line (``*.jsonl``); streams, diffs and greps well;
* ``parquet`` — a pyarrow table (``*.parquet``); compact, columnar, readable by every data tool;
* ``hf``      — a Hugging Face ``datasets`` folder made by ``Dataset.save_to_disk`` (any other path).

For *writing*, the suffix decides unless a format is named explicitly. Suffixes that name some
other single-file format (``.json``, ``.csv`` …) are refused rather than silently turned into an HF
folder called ``out.json``. For *reading*, the content decides: a directory is an HF dataset, a
file that starts with parquet's magic bytes is parquet, anything else is read as JSON lines. So a
partial file (``out.parquet.partial``) is read like the final one.
"""

from __future__ import annotations

import enum
import os
from pathlib import Path

from vrgym.errors import DataFileError

PARTIAL_SUFFIX = ".partial"
_PARQUET_MAGIC = b"PAR1"
_FOREIGN_FILE_SUFFIXES = frozenset({".json", ".csv", ".tsv", ".txt", ".gz", ".zip", ".arrow", ".pq", ".xlsx"})


class Format(str, enum.Enum):
    """A storage format for problems (and, for jsonl/parquet, responses)."""

    JSONL = "jsonl"
    PARQUET = "parquet"
    HF = "hf"


def output_format(path: str | os.PathLike[str], explicit: Format | str | None = None) -> Format:
    """The format to write `path` in: `explicit` if given, else chosen by the path's suffix."""
    if explicit is not None:
        try:
            return Format(explicit)
        except ValueError:
            choices = ", ".join(f.value for f in Format)
            raise DataFileError(f"unknown format {explicit!r}; choose one of {choices}") from None
    suffix = Path(path).suffix.lower()
    if suffix == ".jsonl":
        return Format.JSONL
    if suffix == ".parquet":
        return Format.PARQUET
    if suffix in _FOREIGN_FILE_SUFFIXES:
        raise DataFileError(
            f"{path}: vrgym does not write {suffix} files; name the output *.jsonl or *.parquet, "
            "give a folder path for a Hugging Face dataset, or pass --format"
        )
    return Format.HF


def input_format(path: str | os.PathLike[str]) -> Format:
    """The format of an existing `path`, judged by its content (DataFileError if it is missing)."""
    path = Path(path)
    if path.is_dir():
        return Format.HF
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_PARQUET_MAGIC))
    except FileNotFoundError:
        hint = ""
        partial = partial_path(path)
        if partial.exists():
            hint = f" (an interrupted run left {partial}; re-run it, or read that file)"
        raise DataFileError(f"{path}: no such file{hint}; check the path") from None
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be read ({exc.strerror or exc}); check its permissions") from None
    return Format.PARQUET if head == _PARQUET_MAGIC else Format.JSONL


def partial_path(path: str | os.PathLike[str]) -> Path:
    """Where a write to `path` lives until it completes: `<path>.partial`."""
    path = Path(path)
    return path.with_name(path.name + PARTIAL_SUFFIX)
