"""Test scaffolding shared by the constraint-kind test files (IFEval kinds and extra kinds).

Both files load hand-written cases from a JSONL file next to them and hold every checker to the
same totality contract, so the loader and the contract assertion live here once.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from vrgym.verifiers.instruction import Constraint, ConstraintCheck

NOT_TEXT: tuple[Any, ...] = (None, b"bytes", 42, object())
"""Inputs that are not text at all: a checker must fail them, never raise."""


def load_cases(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSONL case file, one a non-blank line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def assert_total_and_fast(constraint: Constraint, junk: Iterable[str], *, seconds: float = 2.0) -> None:
    """`check` returns a boolean `ConstraintCheck` within `seconds` on every junk text, and fails
    every non-text input (bounded time and no exception on any input, the verifier rule)."""
    for text in junk:
        start = time.perf_counter()
        result = constraint.check(text)
        elapsed = time.perf_counter() - start
        assert isinstance(result, ConstraintCheck) and isinstance(result.ok, bool), (constraint.kind, text[:20])
        assert elapsed < seconds, f"{constraint.kind} took {elapsed:.2f}s on {text[:20]!r}…"
    for value in NOT_TEXT:
        assert constraint.check(value).ok is False, (constraint.kind, value)  # type: ignore[arg-type]
