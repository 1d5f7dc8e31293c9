"""Where a dataset-backed math template reads its rows: the shared reader bound to math's fixtures.

The reader itself (builtin fixtures, local jsonl/json/parquet/csv files, save_to_disk folders, hub
ids through `datasets`) lives in `vrgym.tasks._dataset_source`, shared with the code templates;
this module binds `builtin:<name>` to math's data package (`vrgym.tasks.math.data`).
"""

from __future__ import annotations

from vrgym.tasks import _dataset_source as _shared
from vrgym.tasks._dataset_source import (
    BUILTIN_PREFIX,
    FILE_SUFFIXES,
    DatasetSourceError,
    RawTable,
    offline_advice,
)

DATA_PACKAGE = "vrgym.tasks.math.data"

__all__ = ["BUILTIN_PREFIX", "DATA_PACKAGE", "FILE_SUFFIXES", "DatasetSourceError", "RawTable", "builtin_names",
           "offline_advice", "read_source"]


def builtin_names() -> list[str]:
    """Names usable as `builtin:<name>` (math's bundled `dataset_<name>.jsonl` fixtures)."""
    return _shared.builtin_names(DATA_PACKAGE)


def read_source(source: str, config_name: str | None = None, split: str | None = None, revision: str | None = None) -> RawTable:
    """Read every row of `source`; `builtin:<name>` means one of math's bundled fixtures."""
    return _shared.read_source(source, config_name, split, revision, data_package=DATA_PACKAGE)
