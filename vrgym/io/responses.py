"""Responses to verify and the verdicts that come out: their file layouts, readers and writer.

Responses file (jsonl, or parquet / HF folder with the same columns)
    ``{"id": "<problem id>", "response": "<model output>", "sample": 0}`` per line.
    Several responses per id are allowed. ``sample`` is optional: when absent it is the number of
    earlier responses with that id (0, 1, 2 …). The same (id, sample) twice is an error. Other
    keys (``model``, ``prompt`` …) are ignored. ``response`` should be a string; anything else is
    still verified (and scores 0 with reason ``format``), so a null from a failed API call counts.

Verdicts file (jsonl only), one line per response, in the order of the responses file:
    ``{"id", "task", "sample", "reward", "reason", "detail", "checks", "answer"}``
    where the last five are the `Verdict` fields.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vrgym.errors import DataFileError
from vrgym.io.reading import iter_records
from vrgym.io.writers import JsonlWriter
from vrgym.problem import Problem
from vrgym.verdict import Verdict

VERDICT_KEYS = ("id", "task", "sample", "reward", "reason", "detail", "checks", "answer")


@dataclass(frozen=True)
class Response:
    """One model response to the problem with id `id`; `sample` tells several responses apart."""

    id: str
    response: Any
    sample: int


def iter_responses(path: str | os.PathLike[str]) -> Iterator[Response]:
    """Responses of `path` in file order, with `sample` filled in; DataFileError if malformed."""
    seen: dict[str, set[int]] = {}
    for where, record in iter_records(path):
        problem_id = record.get("id")
        if not isinstance(problem_id, str) or not problem_id:
            raise DataFileError(f"{where}: needs an \"id\" (the problem id, a string); got {problem_id!r}")
        if "response" not in record:
            raise DataFileError(f"{where}: needs a \"response\" key with the model's output")
        samples = seen.setdefault(problem_id, set())
        sample = record.get("sample")
        if sample is None:
            sample = len(samples)
        elif isinstance(sample, bool) or not isinstance(sample, int) or sample < 0:
            raise DataFileError(f"{where}: \"sample\" must be a non-negative integer, got {sample!r}")
        if sample in samples:
            raise DataFileError(f"{where}: a second response for id {problem_id} with sample {sample}; number the samples uniquely")
        samples.add(sample)
        yield Response(problem_id, record["response"], sample)


def read_responses(path: str | os.PathLike[str]) -> list[Response]:
    """All responses of `path`."""
    return list(iter_responses(path))


def verdict_record(problem: Problem, response: Response, verdict: Verdict) -> dict[str, Any]:
    """One line of a verdicts file."""
    return {"id": response.id, "task": problem.task, "sample": response.sample, **verdict.model_dump(mode="json")}


def open_verdict_writer(path: str | os.PathLike[str]) -> JsonlWriter[dict[str, Any]]:
    """A crash-safe jsonl writer of verdict records (see `vrgym.io.writers` for the partial-file policy)."""
    if Path(path).suffix.lower() != ".jsonl":
        raise DataFileError(f"{path}: verdicts are written as JSON lines; name the output *.jsonl")
    return JsonlWriter(path, noun="verdicts")


def read_verdicts(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Verdict records of a verdicts file, checked for the expected keys."""
    records = []
    for where, record in iter_records(path):
        missing = [key for key in VERDICT_KEYS if key not in record]
        if missing:
            raise DataFileError(f"{where}: not a verdict record (missing {', '.join(missing)}); was it written by `vrgym verify`?")
        records.append(record)
    return records
