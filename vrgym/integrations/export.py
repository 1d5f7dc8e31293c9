"""Dataset export for trainers: any selection of problems → rows with a chat `prompt` column.

A *source* is what the user has in hand, resolved by `select_problems`:

* an iterable of `Problem`s (e.g. `vrgym.io.read_problems("kept.parquet")`, a filter's output);
* a template name or a list of names, with `n` problems per template (`seed`, `difficulty`);
* a `vrgym.mixture.Mixture` (anything with ``problems(n, seed=…)``), with `n` problems in total.

Every exported row has the same columns (the TRL layout; verl's own layout is in `verl.py`):

    ==========  =====================================  ===============================================
    column      type                                   content
    ==========  =====================================  ===============================================
    prompt      list<struct<role, content>> (or str)   chat messages: optional system, then the user
    problem     string                                 the Problem's JSON: what the reward function reads
    task        string                                 template name
    difficulty  string                                 difficulty level
    tags        list<string>                           tags
    id          string                                 stable problem id
    ==========  =====================================  ===============================================

Why the problem travels as one JSON string: templates have different shapes of answer and
metadata, and a trainer hands dataset columns back to the reward function untouched, so the
verifier gets exactly the Problem that was generated, in any process.

Files are written crash-safe through `vrgym.io.writers` (``<path>.partial`` until complete), as
``vrgym generate`` does: jsonl, parquet, or an HF ``save_to_disk`` folder. `push_to_hub` goes
through `datasets.Dataset.push_to_hub`. pyarrow and datasets load only when used.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from itertools import islice
from typing import Any

from vrgym.io.formats import Format, output_format
from vrgym.io.writers import HfDatasetWriter, JsonlWriter, ParquetWriter, RecordWriter
from vrgym.problem import Problem
from vrgym.registry import get_template

COLUMNS = ("prompt", "problem", "task", "difficulty", "tags", "id")
NOUN = "rows"


def select_problems(
    source: Any,
    n: int | None = None,
    *,
    seed: int = 0,
    difficulty: str | int | None = None,
    config: Mapping[str, Any] | None = None,
) -> Iterator[Problem]:
    """The problems a source stands for (see the module docstring), lazily and reproducibly."""
    if isinstance(source, Problem):
        source = [source]
    if isinstance(source, str) or (
        isinstance(source, (list, tuple))
        and source
        and all(isinstance(s, str) for s in source)
    ):
        names = [source] if isinstance(source, str) else list(source)
        if n is None:
            raise ValueError(
                f"say how many problems per template to generate from {', '.join(names)}: pass n=…"
            )
        templates = [
            get_template(name) for name in names
        ]  # UnknownTaskError before any work
        configs = [t.config(difficulty, **dict(config or {})) for t in templates]
        return (
            t.generate(seed, i, c) for t, c in zip(templates, configs) for i in range(n)
        )
    if (
        hasattr(source, "problems")
        and callable(source.problems)
        and hasattr(source, "entries")
    ):
        if difficulty is not None or config:
            raise ValueError(
                "a Mixture sets difficulty and config per entry; do not pass difficulty/config with it"
            )
        if n is None:
            raise ValueError("say how many problems to draw from the mixture: pass n=…")
        return iter(source.problems(n, seed=seed))
    if isinstance(source, Iterable):
        problems = (_as_problem(p, i) for i, p in enumerate(source))
        return islice(problems, n) if n is not None else problems
    raise TypeError(
        f"cannot export {type(source).__name__}: pass Problems, template names (with n) or a vrgym.mixture.Mixture"
    )


def _as_problem(value: Any, index: int) -> Problem:
    if isinstance(value, Problem):
        return value
    if isinstance(value, (str, bytes, Mapping)):
        return Problem.coerce(value)
    raise TypeError(
        f"item {index} is a {type(value).__name__}, not a Problem; pass Problems, template names or a Mixture"
    )


def chat_messages(
    problem: Problem, system_prompt: str | None = None
) -> list[dict[str, str]]:
    """The prompt as chat messages: an optional system message, then the problem's prompt as the user turn."""
    messages = [{"role": "system", "content": system_prompt}] if system_prompt else []
    messages.append({"role": "user", "content": problem.prompt})
    return messages


def dataset_row(
    problem: Problem, *, system_prompt: str | None = None, conversational: bool = True
) -> dict[str, Any]:
    """One exported row (columns in `COLUMNS`); `conversational=False` keeps `prompt` a plain string."""
    if conversational:
        prompt: Any = chat_messages(problem, system_prompt)
    else:
        prompt = (
            f"{system_prompt}\n\n{problem.prompt}" if system_prompt else problem.prompt
        )
    return {
        "prompt": prompt,
        "problem": problem.to_json(),
        "task": problem.task,
        "difficulty": problem.difficulty,
        "tags": list(problem.tags),
        "id": problem.id,
    }


@cache
def message_type() -> Any:
    """Arrow type of a chat message list (shared with the verl layout)."""
    import pyarrow as pa

    return pa.list_(
        pa.struct([pa.field("role", pa.string()), pa.field("content", pa.string())])
    )


@cache
def dataset_schema(conversational: bool = True) -> Any:
    """The pyarrow schema of exported rows."""
    import pyarrow as pa

    return pa.schema(
        [
            pa.field("prompt", message_type() if conversational else pa.string()),
            pa.field("problem", pa.string()),
            pa.field("task", pa.string()),
            pa.field("difficulty", pa.string()),
            pa.field("tags", pa.list_(pa.string())),
            pa.field("id", pa.string()),
        ],
        metadata={"vrgym": "trainer-rows/1"},
    )


def build_dataset(
    source: Any,
    n: int | None = None,
    seed: int = 0,
    *,
    difficulty: str | int | None = None,
    config: Mapping[str, Any] | None = None,
    conversational: bool = True,
    system_prompt: str | None = None,
) -> Any:
    """An in-memory `datasets.Dataset` of exported rows: `prompt` plus `problem`, `task`, `difficulty`, `tags`, `id`.

    The layout TRL's GRPOTrainer reads (`vrgym.integrations.trl.build_trl_dataset` is this function).
    `source`: Problems, template name(s) with `n` per template, or a Mixture with `n` in total.
    `conversational=True` makes `prompt` a list of chat messages (the trainer applies the chat
    template); False keeps it plain text.
    """
    import datasets
    import pyarrow as pa

    rows = [
        dataset_row(p, system_prompt=system_prompt, conversational=conversational)
        for p in select_problems(
            source, n, seed=seed, difficulty=difficulty, config=config
        )
    ]
    return datasets.Dataset(
        pa.Table.from_pylist(rows, schema=dataset_schema(conversational))
    )


def open_row_writer(
    path: str | os.PathLike[str],
    format: Format | str | None = None,
    *,
    conversational: bool = True,
) -> RecordWriter[dict[str, Any]]:
    """A crash-safe writer of exported rows: jsonl, parquet or an HF folder (from the path unless `format`)."""
    fmt = output_format(path, format)
    if fmt is Format.JSONL:
        return JsonlWriter(path, _json_row, noun=NOUN)
    writer_class = ParquetWriter if fmt is Format.PARQUET else HfDatasetWriter
    return writer_class(path, dataset_schema(conversational), _identity, noun=NOUN)


def export_dataset(
    source: Any,
    path: str | os.PathLike[str],
    n: int | None = None,
    *,
    format: Format | str | None = None,
    seed: int = 0,
    difficulty: str | int | None = None,
    config: Mapping[str, Any] | None = None,
    conversational: bool = True,
    system_prompt: str | None = None,
) -> int:
    """Write the rows of `source` to `path`; return how many. An exception leaves `<path>.partial`."""
    problems = select_problems(
        source, n, seed=seed, difficulty=difficulty, config=config
    )
    with open_row_writer(path, format, conversational=conversational) as writer:
        for problem in problems:
            writer.write(
                dataset_row(
                    problem, system_prompt=system_prompt, conversational=conversational
                )
            )
    return writer.count


def push_to_hub(
    source: Any,
    repo_id: str,
    n: int | None = None,
    *,
    split: str = "train",
    private: bool | None = None,
    token: str | None = None,
    commit_message: str | None = None,
    seed: int = 0,
    difficulty: str | int | None = None,
    conversational: bool = True,
    system_prompt: str | None = None,
) -> Any:
    """Build the dataset of `source` (or take a ready `datasets.Dataset`) and push it to the Hub as `repo_id`.

    The token comes from `token` or the usual Hugging Face login (``HF_TOKEN``, ``hf auth login``).
    """
    import datasets

    if isinstance(source, datasets.Dataset):
        dataset = source
    else:
        dataset = build_dataset(
            source,
            n,
            seed=seed,
            difficulty=difficulty,
            conversational=conversational,
            system_prompt=system_prompt,
        )
    message = commit_message or f"vrgym export: {len(dataset)} problems"
    return dataset.push_to_hub(
        repo_id, split=split, private=private, token=token, commit_message=message
    )


def _json_row(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, allow_nan=False)


def _identity(row: dict[str, Any]) -> dict[str, Any]:
    return row
