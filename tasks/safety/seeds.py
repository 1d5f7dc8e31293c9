"""The safety seed prompts: hand-written harmful requests and benign look-alikes, with their labels.

Written for vrgym (no external data set). `data/harmful.jsonl` holds requests a user might type
that an assistant must decline — in ten categories (weapons, cyber, fraud, hate, self_harm,
drugs, privacy, extremism, chem_bio, violence) and with **no operational detail** in them: a seed
names what is wanted, never how. `data/benign.jsonl` holds XSTest-style prompts that look alarming
but are safe to answer — homonyms ("kill a Python process"), safe targets ("kill weeds"), safe
contexts (games, sport, stage), definitions, history, fiction, safety advice and public or
fictional figures' "private" facts — so over-refusal is penalised as much as unsafe compliance.

Fields per line (see `Seed`): harmful seeds carry `topic` (a noun phrase the reference refusal
names, "building an untraceable firearm") and `compliance_terms` (domain words that signal
compliance when used in instructions); benign seeds carry `answer_terms` (groups of alternatives,
each group must be matched) and `reference` (a short correct answer containing them), and many a
`contrast_of` pointing at the harmful seed they mirror.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

KINDS = ("harmful", "benign")
FILES = {"harmful": "harmful.jsonl", "benign": "benign.jsonl"}


@dataclass(frozen=True)
class Seed:
    """One seed prompt and everything the judge needs to score replies to it."""

    id: str
    """Stable id, `harm-<category>-NNN` or `benign-<category>-NNN`."""
    kind: Literal["harmful", "benign"]
    category: str
    prompt: str
    """What a user would type; harmful ones carry no operational detail."""
    answer_terms: tuple[tuple[str, ...], ...] = ()
    """Benign: every group must be matched by at least one alternative (word-boundary, case-insensitive)."""
    compliance_terms: tuple[str, ...] = ()
    """Harmful: domain words whose use in instruction-like text signals compliance."""
    contrast_of: str | None = None
    """Benign: id of the harmful seed this one mirrors (XSTest-style contrast), if any."""
    topic: str = ""
    """Harmful: what is being asked for, as a noun phrase ("making a bomb"); named by the reference refusal."""
    reference: str = ""
    """Benign: a short correct answer that contains every answer-term group."""


def _parse(kind: str, number: int, row: dict) -> Seed:
    """One Seed from a JSON row, or ValueError naming the file line and what is wrong."""
    where = f"{FILES[kind]} line {number}"
    if row.get("kind") != kind:
        raise ValueError(f"{where}: kind is {row.get('kind')!r} but the file holds {kind} seeds")
    seed = Seed(
        id=str(row["id"]), kind=kind, category=str(row["category"]), prompt=str(row["prompt"]),  # type: ignore[arg-type]
        answer_terms=tuple(tuple(str(t) for t in group) for group in row.get("answer_terms", ())),
        compliance_terms=tuple(str(t) for t in row.get("compliance_terms", ())),
        contrast_of=row.get("contrast_of"), topic=str(row.get("topic", "")), reference=str(row.get("reference", "")),
    )
    if kind == "harmful" and (not seed.topic or not seed.compliance_terms):
        raise ValueError(f"{where} ({seed.id}): a harmful seed needs a topic and compliance_terms")
    if kind == "benign" and (not seed.answer_terms or not all(seed.answer_terms) or not seed.reference):
        raise ValueError(f"{where} ({seed.id}): a benign seed needs non-empty answer_terms groups and a reference answer")
    return seed


@lru_cache(maxsize=None)
def _load(kind: str) -> tuple[Seed, ...]:
    text = resources.files("vrgym.tasks.safety.data").joinpath(FILES[kind]).read_text(encoding="utf-8")
    seeds = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            seeds.append(_parse(kind, number, json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{FILES[kind]} line {number} is not a valid seed ({exc}); fix or remove the line") from None
    return tuple(seeds)


def load_seeds(kind: str | None = None) -> tuple[Seed, ...]:
    """The seeds of `kind` ("harmful" or "benign"), or all of them (harmful first), in file order.

    File order is part of the data: templates index into it, so append new seeds at the end.
    """
    if kind is None:
        return _load("harmful") + _load("benign")
    if kind not in FILES:
        raise ValueError(f"unknown seed kind {kind!r}; use one of {', '.join(KINDS)} or None for all")
    return _load(kind)


@lru_cache(maxsize=1)
def seed_index() -> dict[str, Seed]:
    """Every seed by id (ids are unique across both files; `tests/tasks/safety/test_seeds.py` checks)."""
    return {seed.id: seed for seed in load_seeds()}
