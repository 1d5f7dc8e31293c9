"""Package data of the instruction-following templates: the pool of base writing tasks.

`base_tasks.jsonl` holds 329 writing tasks written for vrgym (explanations, emails, blog posts,
tips, summaries, letters, speeches, definitions, stories, newsletter pieces and guides over 47
everyday topics). One JSON object per line:

* `id` (stable, `<topic>-<category>`), `category`, `topic`, `request` (the task as the user asks it);
* `topic_terms` — 3-6 content words a real answer uses (every one occurs in `content`); the
  hack-check's relevance floor measures a response against them;
* `content` — 6-12 on-topic sentences a good answer could contain, in a sensible order; the
  constructive reference response is built from them;
* `extra` — further on-topic sentences of the same topic, used when a length constraint needs
  more text than `content` has.

It is a package (this file) so wheels ship the data with the `*.jsonl` package-data rule and it is
read with `importlib.resources`, never with a path relative to the source tree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class BaseTask:
    """One writing task of the pool (see the module docstring for the fields)."""

    id: str
    category: str
    topic: str
    request: str
    topic_terms: tuple[str, ...]
    content: tuple[str, ...]
    extra: tuple[str, ...]


@lru_cache(maxsize=1)
def base_tasks() -> tuple[BaseTask, ...]:
    """Every base task, in file order (templates index into it, so the order is part of the data)."""
    text = resources.files(__name__).joinpath("base_tasks.jsonl").read_text(encoding="utf-8")
    tasks: list[BaseTask] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            task = BaseTask(
                id=row["id"], category=row["category"], topic=row["topic"], request=row["request"],
                topic_terms=tuple(row["topic_terms"]), content=tuple(row["content"]), extra=tuple(row.get("extra", ())),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"base_tasks.jsonl line {number} is not a valid base task ({exc}); fix or remove the line") from None
        if not 3 <= len(task.topic_terms) <= 8 or not 6 <= len(task.content) <= 12:
            raise ValueError(f"base_tasks.jsonl line {number} ({task.id}): needs 3-8 topic_terms and 6-12 content sentences")
        tasks.append(task)
    if len({t.id for t in tasks}) != len(tasks):
        raise ValueError("base_tasks.jsonl lists an id twice; every base task id must be unique")
    return tuple(tasks)


@lru_cache(maxsize=1)
def base_task_index() -> dict[str, BaseTask]:
    """Base tasks by id (a Problem stores the id; verification looks it up only for diagnostics)."""
    return {task.id: task for task in base_tasks()}
