"""Where a dataset-backed template (math, code) reads its rows: bundled fixtures, local files, the HF hub.

A *source* is one string, resolved in this order:

* `builtin:<name>` — a small fixture file shipped with vrgym in the domain's data package (e.g.
  `vrgym.tasks.math.data`, `dataset_<name>.jsonl`), written by hand for vrgym; the registered templates use these by
  default so that `vrgym generate` and the contract suite work without network;
* an existing local path — `.jsonl` (or gzipped `.jsonl.gz`), `.json`, `.parquet`, `.csv`, or a folder written by
  `datasets.Dataset.save_to_disk` / `DatasetDict.save_to_disk`;
* otherwise a hub id such as `openai/gsm8k`, passed unchanged to `datasets.load_dataset` (with the
  config name and split).

Why local files skip `datasets`: importing it costs about a second, and reading a 50-row fixture
with `json`/`csv`/`pyarrow` costs a millisecond. `datasets` is imported only for hub ids and
`save_to_disk` folders. A failure says what was tried and how to fix it (offline → the env
variables that matter, or pass a local file).

Also here, because every dataset-backed domain needs them: `permuted_position` (which row problem
`index` of stream `seed` takes) and the skip types (`RowSkip`, raised by a row converter;
`SkippedRow`, `DatasetReport`, `DatasetSkipWarning`). Each domain keeps its own row formats and its own table of usable rows.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from vrgym.errors import ConfigError

BUILTIN_PREFIX = "builtin:"
FILE_SUFFIXES = (".jsonl", ".jsonl.gz", ".json", ".parquet", ".csv")
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.\-]*(?:/[A-Za-z0-9][\w.\-]*)?")
_FEISTEL_ROUNDS = 4


class DatasetSourceError(ConfigError):
    """A dataset source that cannot be read: missing file, bad format, unreachable hub dataset."""


@dataclass(frozen=True)
class RawTable:
    """Rows of one dataset split as read from its source, before any format mapping."""

    columns: tuple[str, ...]
    rows: Sequence[Mapping[str, Any]]
    """Random-access rows; a `datasets.Dataset` is kept as is (memory-mapped, rows built on access)."""
    kind: str
    """How it was read: builtin, jsonl, json, parquet, csv, disk or hub."""


def builtin_names(data_package: str) -> list[str]:
    """Names usable as `builtin:<name>` (the bundled `dataset_<name>.jsonl` fixtures of `data_package`)."""
    folder = resources.files(data_package)
    return sorted(
        entry.name[len("dataset_") : -len(".jsonl")]
        for entry in folder.iterdir()
        if entry.name.startswith("dataset_") and entry.name.endswith(".jsonl")
    )


def read_source(source: str, config_name: str | None = None, split: str | None = None, revision: str | None = None, *,
                data_package: str) -> RawTable:
    """Read every row of `source` (see the module docstring); `builtin:` names come from `data_package`."""
    if source.startswith(BUILTIN_PREFIX):
        _no_hub_options(source, config_name, revision, split)
        name = source[len(BUILTIN_PREFIX) :]
        entry = resources.files(data_package).joinpath(f"dataset_{name}.jsonl")
        if not entry.is_file():
            raise DatasetSourceError(f"unknown bundled dataset {source!r}; bundled ones are: "
                                     f"{', '.join(BUILTIN_PREFIX + n for n in builtin_names(data_package))}")
        return _table(_jsonl_rows(entry.read_text(encoding="utf-8"), source), "builtin")
    path = Path(os.path.expanduser(source))
    if path.is_dir():
        _no_hub_options(source, config_name, revision, None)
        return _read_disk(path, split)
    if path.is_file():
        _no_hub_options(source, config_name, revision, split)
        return _read_file(path)
    if path.name.lower().endswith(FILE_SUFFIXES) or source.startswith((".", "/", "~")) or source.count("/") > 1:
        raise DatasetSourceError(f"dataset file {source!r} does not exist; pass an existing .jsonl/.json/.parquet/.csv file, "
                                 "a save_to_disk folder, a hub id such as 'openai/gsm8k', or a bundled "
                                 f"{BUILTIN_PREFIX}<name> ({', '.join(builtin_names(data_package))})")
    if not _HUB_ID.fullmatch(source):
        raise DatasetSourceError(f"{source!r} is neither an existing file nor a hub id such as 'openai/gsm8k'")
    return _read_hub(source, config_name, split, revision)


# ----------------------------------------------------------------------------------- local files


def _no_hub_options(source: str, config_name: str | None, revision: str | None, split: str | None) -> None:
    """Hub-only options given for a local source are an error, not silently ignored."""
    given = {"config_name": config_name, "revision": revision, "split": split}
    wrong = [key for key, value in given.items() if value is not None]
    if wrong:
        raise DatasetSourceError(f"{', '.join(wrong)} only apply to hub datasets (and split to save_to_disk folders); "
                                 f"{source!r} is a single local file — leave them unset")


def _read_file(path: Path) -> RawTable:
    suffix = ".jsonl.gz" if path.name.lower().endswith(".jsonl.gz") else path.suffix.lower()
    try:
        if suffix == ".jsonl.gz":
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                return _table(_jsonl_rows(handle.read(), str(path)), "jsonl")
        if suffix == ".jsonl":
            return _table(_jsonl_rows(path.read_text(encoding="utf-8"), str(path)), "jsonl")
        if suffix == ".json":
            return _table(_json_rows(json.loads(path.read_text(encoding="utf-8")), str(path)), "json")
        if suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as handle:
                reader = csv.DictReader(handle)
                return RawTable(tuple(reader.fieldnames or ()), list(reader), "csv")
        if suffix == ".parquet":
            import pyarrow.parquet as pq  # lazy: only parquet sources need it

            table = pq.read_table(path)
            return RawTable(tuple(table.column_names), table.to_pylist(), "parquet")
    except (OSError, EOFError, UnicodeDecodeError, ValueError, csv.Error) as exc:
        raise DatasetSourceError(f"cannot read dataset file {str(path)!r}: {type(exc).__name__}: {exc}") from None
    raise DatasetSourceError(f"dataset file {str(path)!r} has an unsupported suffix {suffix!r}; use one of {', '.join(FILE_SUFFIXES)} "
                             "or a save_to_disk folder")


def _jsonl_rows(text: str, where: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetSourceError(f"{where} line {number} is not valid JSON ({exc.msg}); fix or remove that line") from None
        if not isinstance(row, dict):
            raise DatasetSourceError(f"{where} line {number} is a JSON {type(row).__name__}, not an object of columns")
        rows.append(row)
    return rows


def _json_rows(data: Any, where: str) -> list[dict[str, Any]]:
    """A JSON file: a list of row objects, an object of equal-length column lists, or {"key": [rows]}."""
    if isinstance(data, list) and all(isinstance(row, dict) for row in data):
        return data
    if isinstance(data, dict):
        lists = [value for value in data.values() if isinstance(value, list)]
        if len(data) == 1 and lists and all(isinstance(row, dict) for row in lists[0]):
            return lists[0]
        if lists and len(lists) == len(data) and len({len(value) for value in lists}) == 1:
            keys = list(data)
            return [dict(zip(keys, values)) for values in zip(*lists)]
    raise DatasetSourceError(f"{where}: expected a JSON list of row objects or an object of equal-length column lists")


def _table(rows: list[dict[str, Any]], kind: str) -> RawTable:
    return RawTable(tuple(dict.fromkeys(key for row in rows[:50] for key in row)), rows, kind)


# ----------------------------------------------------------------------------------- datasets


def _read_disk(path: Path, split: str | None) -> RawTable:
    try:
        import datasets  # lazy: a second to import
    except ImportError:  # pragma: no cover - datasets is a dependency
        raise DatasetSourceError("reading a save_to_disk folder needs the `datasets` package: pip install datasets") from None
    try:
        loaded = datasets.load_from_disk(str(path))
    except (OSError, ValueError, FileNotFoundError) as exc:
        raise DatasetSourceError(f"{str(path)!r} is a folder but not one written by save_to_disk ({exc}); "
                                 "pass a save_to_disk folder or a .jsonl/.json/.parquet/.csv file") from None
    return _from_datasets(_choose_split(loaded, split, str(path)), "disk")


def _read_hub(source: str, config_name: str | None, split: str | None, revision: str | None) -> RawTable:
    import datasets  # lazy: a second to import

    what = f"hub dataset {source!r}" + (f" (config {config_name!r})" if config_name else "") + (f" split {split!r}" if split else "")
    try:
        loaded = datasets.load_dataset(source, config_name, split=split, revision=revision)
    except Exception as exc:  # noqa: BLE001 - datasets raises many unrelated types for "not reachable"
        raise DatasetSourceError(offline_advice(what, exc)) from None
    return _from_datasets(_choose_split(loaded, split, source), "hub")


def offline_advice(what: str, exc: BaseException) -> str:
    """The message for a hub dataset that could not be loaded, with the ways out."""
    offline = [name for name in ("HF_DATASETS_OFFLINE", "HF_HUB_OFFLINE") if os.environ.get(name, "").lower() in {"1", "true", "yes"}]
    state = f"{' and '.join(offline)} {'is' if len(offline) == 1 else 'are'} set, so only the local HF cache is used; " if offline else ""
    return (f"could not load {what}: {type(exc).__name__}: {str(exc)[:300]}. {state}"
            "If you are offline, the dataset must already be in the HF cache; to download it, connect and set "
            "HF_DATASETS_OFFLINE=0 and HF_HUB_OFFLINE=0. Otherwise check the hub id, config_name and split, or pass a local "
            ".jsonl/.json/.parquet/.csv file or a save_to_disk folder as source.")


def _choose_split(loaded: Any, split: str | None, where: str) -> Any:
    """A Dataset from what datasets returned: a Dataset as is, or the requested split of a DatasetDict."""
    if not isinstance(loaded, Mapping):
        return loaded
    names = sorted(loaded)
    if split is None:
        if len(names) == 1:
            return loaded[names[0]]
        raise DatasetSourceError(f"{where} has splits {names}; choose one with split=<name>")
    if split not in loaded:
        raise DatasetSourceError(f"{where} has no split {split!r}; its splits are {names}")
    return loaded[split]


def _from_datasets(dataset: Any, kind: str) -> RawTable:
    columns: Iterable[str] = getattr(dataset, "column_names", ())
    return RawTable(tuple(columns), dataset, kind)


# ----------------------------------------------------------------------------------- skip reports


class RowSkip(Exception):
    """A row that cannot become a problem; `code` is the short reason shown in the skip report."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


class DatasetSkipWarning(UserWarning):
    """Some rows of a dataset were skipped (the message has the counts by reason)."""


@dataclass(frozen=True)
class SkippedRow:
    """A row that did not become a problem, and why."""

    row: int
    reason: str
    """Short machine code, e.g. empty_problem, several_boxes (math), no_solution, unconvertible_tests (code)."""
    detail: str
    answer_text: str | None = None


@dataclass(frozen=True)
class DatasetReport:
    """What loading a dataset found: how many rows became problems and why the others did not."""

    source: str
    format: str
    total: int
    usable: int
    skipped: tuple[SkippedRow, ...] = field(default=(), repr=False)

    @property
    def reasons(self) -> dict[str, int]:
        """Skipped rows counted by reason, most common first."""
        return dict(Counter(s.reason for s in self.skipped).most_common())

    def summary(self) -> str:
        """One line: `<source> (<format>): N usable, M skipped (reason k, …)`."""
        line = f"{self.source} ({self.format}): {self.usable} usable, {len(self.skipped)} skipped"
        if self.skipped:
            line += " (" + ", ".join(f"{reason} {count}" for reason, count in self.reasons.items()) + ")"
        return line


# ----------------------------------------------------------------------------------- row order


def permuted_position(n: int, seed: int, index: int, salt: str = "") -> int:
    """Row position (0..n-1) of problem `index` of stream `seed`: a fresh permutation per pass of n."""
    if n <= 0:
        raise ValueError("cannot order an empty dataset")
    epoch, offset = divmod(index, n)
    if n == 1:
        return 0
    key = hashlib.blake2b(f"{salt}\x1f{seed}\x1f{epoch}\x1f{n}".encode(), digest_size=16).digest()
    half = ((n - 1).bit_length() + 1) // 2
    x = offset
    while True:  # cycle-walking: the Feistel domain 4**half is < 4n, so a few steps at most on average
        x = _feistel(x, half, key)
        if x < n:
            return x


def _feistel(x: int, half: int, key: bytes) -> int:
    mask = (1 << half) - 1
    left, right = x >> half, x & mask
    for round_number in range(_FEISTEL_ROUNDS):
        digest = hashlib.blake2b(right.to_bytes(8, "little") + bytes((round_number,)), key=key, digest_size=8).digest()
        left, right = right, left ^ (int.from_bytes(digest, "little") & mask)
    return (left << half) | right
