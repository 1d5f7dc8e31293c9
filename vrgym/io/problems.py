"""Problems on disk: write and read them as jsonl, parquet or an HF dataset folder.

jsonl
    One ``Problem.model_dump_json()`` per line — exactly the Problem's JSON.

parquet / hf (one row per problem; the same columns in both)
    ===========  ==============  =========================================================
    column       arrow type      content
    ===========  ==============  =========================================================
    task         string          template name
    version      int64           template version
    id           string          stable problem id
    seed         int64           seed of the stream (must fit in 64 bits for these formats)
    index        int64           position in the stream
    difficulty   string          difficulty level name
    config       string (JSON)   the full resolved config
    prompt       string          text shown to the model
    answer       string (JSON)   ground truth
    tags         list<string>    tags
    metadata     string (JSON)   everything else the verifier needs
    ===========  ==============  =========================================================

Why JSON strings: problems from different templates have different shapes of ``answer``,
``metadata`` and ``config``; a single table can only hold them all as text. The reader decodes
those columns and validates the row as a Problem, so every format round-trips to an identical
Problem (same fields, same JSON bytes). Extra columns (added by other tools) are ignored; a
missing column is an error. jsonl lines must be exactly a Problem's JSON (unknown keys are errors:
a misspelt ``metdata`` must not silently become an empty ``metadata``). No chat/``prompt_messages`` column: trainer exports are
built elsewhere from these rows (`vrgym.integrations.export`).

Reading also accepts those trainer exports, so `vrgym verify`, `vrgym coverage` and the filter
work on the file a trainer was given: a row or line with a ``problem`` column of JSON text (the
chat layout of `vrgym export`) or a verl row whose ``reward_model.ground_truth`` is that JSON.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from pydantic import ValidationError

from vrgym.errors import DataFileError
from vrgym.io.formats import Format, output_format
from vrgym.io.reading import iter_records
from vrgym.io.writers import HfDatasetWriter, JsonlWriter, ParquetWriter, RecordWriter
from vrgym.problem import Problem

JSON_COLUMNS = ("config", "answer", "metadata")
"""Problem fields stored as JSON text in tabular formats."""
LIST_COLUMNS = ("tags",)
INT_COLUMNS = ("version", "seed", "index")
STRING_COLUMNS = ("task", "id", "difficulty", "prompt")
COLUMNS = tuple(Problem.model_fields)
"""Column order of tabular files: the Problem's field order."""
_INT64 = (-(2**63), 2**63 - 1)
NOUN = "problems"


@cache
def problem_schema() -> Any:
    """The pyarrow schema of a problems table (see the module docstring)."""
    import pyarrow as pa

    types = {
        **{name: pa.string() for name in (*STRING_COLUMNS, *JSON_COLUMNS)},
        **{name: pa.int64() for name in INT_COLUMNS},
        **{name: pa.list_(pa.string()) for name in LIST_COLUMNS},
    }
    return pa.schema([pa.field(name, types[name], nullable=False) for name in COLUMNS], metadata={"vrgym": "problems/1"})


def problem_to_row(problem: Problem) -> dict[str, Any]:
    """A Problem as a table row: JSON columns encoded as text, tags as a list."""
    row = problem.model_dump(mode="json")
    for name in JSON_COLUMNS:
        row[name] = json.dumps(row[name], ensure_ascii=False, allow_nan=False)
    for name in INT_COLUMNS:
        if not _INT64[0] <= row[name] <= _INT64[1]:
            raise DataFileError(f"problem {problem.id}: {name}={row[name]} does not fit in 64 bits; write it as .jsonl instead")
    return row


def row_to_problem(row: dict[str, Any], where: object = "row") -> Problem:
    """The Problem stored in a table row (inverse of `problem_to_row`); DataFileError if malformed."""
    missing = [name for name in COLUMNS if name not in row]
    if missing:
        raise DataFileError(f"{where}: missing column(s) {', '.join(missing)}; this is not a vrgym problems table")
    data = {name: row[name] for name in COLUMNS}  # extra columns (added by other tools) are ignored
    for name in JSON_COLUMNS:
        value = data[name]
        if not isinstance(value, str):
            raise DataFileError(f"{where}: column {name!r} must hold JSON text, got {type(value).__name__}")
        data[name] = _json_text(value, name, where)
    return _validated(data, where)


def open_problem_writer(path: str | os.PathLike[str], format: Format | str | None = None) -> RecordWriter[Problem]:
    """A crash-safe writer of Problems to `path` (format from the suffix unless given)."""
    fmt = output_format(path, format)
    if fmt is Format.JSONL:
        return JsonlWriter(path, Problem.model_dump_json, noun=NOUN)
    writer_class = ParquetWriter if fmt is Format.PARQUET else HfDatasetWriter
    return writer_class(path, problem_schema(), problem_to_row, noun=NOUN)


def write_problems(problems: Iterable[Problem], path: str | os.PathLike[str], format: Format | str | None = None) -> int:
    """Write every problem to `path`; return how many. An exception leaves `<path>.partial`."""
    with open_problem_writer(path, format) as writer:
        for problem in problems:
            writer.write(problem)
    return writer.count


def iter_problems(path: str | os.PathLike[str]) -> Iterator[Problem]:
    """Problems stored in `path` (any format, judged by content), in file order."""
    for where, record in iter_records(path):
        exported = _exported_problem_json(record)
        if exported is not None:
            yield _validated(_json_text(exported, "problem", where), where)
        else:
            yield row_to_problem(record, where) if where.tabular else _validated(record, where)


def _exported_problem_json(record: dict[str, Any]) -> str | None:
    """The Problem JSON of a trainer-export row (chat layout or verl layout), else None."""
    if "task" in record and "answer" in record:  # a plain problems row, even if it has extra columns
        return None
    problem = record.get("problem")
    if isinstance(problem, str):
        return problem
    reward_model = record.get("reward_model")
    if isinstance(reward_model, dict) and isinstance(reward_model.get("ground_truth"), str):
        return reward_model["ground_truth"]
    return None


def _json_text(value: str, name: str, where: object) -> Any:
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{where}: column {name!r} is not valid JSON ({exc.msg}); regenerate the file") from None
    except RecursionError:
        raise DataFileError(f"{where}: column {name!r} is nested too deeply to be a problem; regenerate the file") from None


def read_problems(path: str | os.PathLike[str]) -> list[Problem]:
    """All problems stored in `path`."""
    return list(iter_problems(path))


def index_problems(path: str | os.PathLike[str]) -> dict[str, Problem]:
    """Problems of `path` by id; the same id twice must be the same problem (DataFileError otherwise)."""
    by_id: dict[str, Problem] = {}
    for problem in iter_problems(path):
        known = by_id.setdefault(problem.id, problem)
        if known != problem:
            raise DataFileError(f"{path}: two different problems share id {problem.id}; the file was edited or merged wrongly")
    return by_id


def _validated(data: dict[str, Any], where: object) -> Problem:
    try:
        return Problem.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "problem"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise DataFileError(
            f"{where}: not a valid problem ({field}: {first['msg']}{more}); is this a problems file written by `vrgym generate`?"
        ) from None
