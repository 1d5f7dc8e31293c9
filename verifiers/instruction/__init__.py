"""Instruction-following constraints (installed as `vrgym.verifiers.instruction`).

Verifiable instructions ("at most 120 words", "no commas", "wrap the answer in JSON") as
`Constraint` kinds with parameters, natural phrasings, a strict checker, declared conflicts and a
constructive `realise` step that edits a `ResponseDraft` into a reference response. The 25 IFEval
kinds keep IFEval's ids, kwargs and strict semantics (`load_ifeval_row` loads a dataset row as
is); the anti-gaming rules live in `hackcheck`, applied on top of every check.

Everything is offline and deterministic (no NLTK data). Importing this package loads only the
core (`base`, `draft`, `text`); the kind modules are imported by `constraint_kinds()` /
`get_constraint_kind()` on first use, and `langdetect` only when a language is checked.
"""

from __future__ import annotations

from typing import Any

from vrgym.verifiers.instruction.base import (
    Constraint,
    ConstraintCheck,
    ConstraintError,
    SampleContext,
    check_all,
    compatible,
    constraint_kinds,
    get_constraint_kind,
    realise_all,
)
from vrgym.verifiers.instruction.draft import Block, ResponseDraft
from vrgym.verifiers.instruction.text import count_sentences, count_words, split_sentences, strip_thinking

__all__ = [
    "Block",
    "Constraint",
    "ConstraintCheck",
    "ConstraintError",
    "ResponseDraft",
    "SampleContext",
    "check_all",
    "compatible",
    "constraint_kinds",
    "count_sentences",
    "count_words",
    "get_constraint_kind",
    "load_ifeval_row",
    "realise_all",
    "split_sentences",
    "strip_thinking",
]


def __getattr__(name: str) -> Any:
    if name == "load_ifeval_row":
        from vrgym.verifiers.instruction.ifeval_loader import load_ifeval_row

        return load_ifeval_row
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
