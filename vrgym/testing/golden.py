"""Golden cases: hand-written (problem, response, expected verdict) triples kept in `*.golden.jsonl`.

The contract's gauntlet is generic; golden cases pin down what a *specific* template must decide —
a hack seen in training, an accepted alternative form, a past verifier bug. One JSON object a line:

    {"task": "Arithmetic", "seed": 3, "index": 0, "difficulty": "easy", "config": {},
     "response": "\\\\boxed{{answer}} or \\\\boxed{7}", "reward": 0, "reason": "hack:multiple_answers",
     "note": "two different boxed answers are a hedge"}

`task`, `response`, `reward` and `note` are required (a case without a reason to exist rots);
`seed`, `index` default to 0, `difficulty` to the template's default level, `config` holds field
overrides, and `reason` is checked only when given. The placeholders `{reference}` and `{answer}`
in the response expand to the problem's reference response and its extracted final answer, so
cases survive changes of generated answers. Blank lines are allowed; nothing else is.

Malformed lines do not stop a file: each becomes a failing case whose message says what to fix.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from vrgym.testing.report import shorten
from vrgym.verdict import OK, Verdict

GOLDEN_SUFFIX = ".golden.jsonl"
PLACEHOLDERS = ("{reference}", "{answer}")
EXAMPLE = (
    '{"task": "Arithmetic", "seed": 0, "difficulty": "easy", "response": "\\\\boxed{{answer}}", '
    '"reward": 1, "note": "why this case exists"}'
)


class GoldenCase(BaseModel):
    """One golden case: which problem, which response, and the verdict it must get."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    task: str = Field(min_length=1)
    seed: int = 0
    index: int = Field(default=0, ge=0)
    difficulty: str | int | None = None
    config: dict[str, Any] = Field(default_factory=dict)
    response: str
    reward: Literal[0, 1]
    reason: str | None = None
    note: str = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> GoldenCase:
        if self.reason is not None and (self.reward == 1) != (self.reason == OK):
            raise ValueError(f"reward {self.reward} contradicts reason {self.reason!r} (reward is 1 iff reason is 'ok')")
        return self

    def label(self) -> str:
        level = f" level={self.difficulty}" if self.difficulty is not None else ""
        return f"{self.task} seed={self.seed} index={self.index}{level}"


class GoldenCaseError(ValueError):
    """A golden line that cannot be read; the message says what to fix."""


@dataclass(frozen=True)
class GoldenLine:
    """One non-blank line of a golden file: the parsed case, or why it could not be parsed."""

    path: Path
    lineno: int
    case: GoldenCase | None
    error: str | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.lineno}"


@dataclass(frozen=True)
class GoldenOutcome:
    """What running a case gave: the expanded response and the verdict."""

    response: str
    verdict: Verdict


def parse_golden_line(text: str) -> GoldenCase:
    """Parse one line; GoldenCaseError says exactly what is wrong and what a line looks like."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GoldenCaseError(f"not valid JSON ({exc.msg} at column {exc.colno}); each line must be one JSON object like {EXAMPLE}") from None
    if not isinstance(data, dict):
        raise GoldenCaseError(f"expected a JSON object, got {type(data).__name__}; each line looks like {EXAMPLE}")
    try:
        return GoldenCase.model_validate(data)
    except ValidationError as exc:
        raise GoldenCaseError("; ".join(_describe(err) for err in exc.errors())) from None


def _describe(err: Any) -> str:
    field = ".".join(str(p) for p in err["loc"])
    kind = err["type"]
    if kind == "missing":
        hint = " (say why this case exists)" if field == "note" else ""
        return f"missing field {field!r}{hint}"
    if kind == "extra_forbidden":
        return f"unknown field {field!r}; allowed fields: {', '.join(GoldenCase.model_fields)}"
    message = err["msg"].removeprefix("Value error, ")
    return f"{field}: {message}" if field else message


def load_golden(path: str | Path) -> list[GoldenLine]:
    """Every non-blank line of a golden file, parsed (malformed lines carry their error)."""
    path = Path(path)
    lines: list[GoldenLine] = []
    for lineno, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            lines.append(GoldenLine(path, lineno, parse_golden_line(text)))
        except GoldenCaseError as exc:
            lines.append(GoldenLine(path, lineno, None, str(exc)))
    return lines


def iter_golden_files(root: str | Path) -> Iterator[Path]:
    """Every `*.golden.jsonl` below `root`, sorted."""
    yield from sorted(Path(root).rglob(f"*{GOLDEN_SUFFIX}"))


def expand(response: str, reference: str, answer: str | None) -> str:
    """Replace `{reference}` and `{answer}` (only those; other braces are left alone)."""
    if "{answer}" in response:
        if answer is None:
            raise GoldenCaseError("the response uses {answer} but the reference response has no extractable final answer")
        response = response.replace("{answer}", answer)
    return response.replace("{reference}", reference)


def run_golden_case(case: GoldenCase) -> GoldenOutcome:
    """Generate the case's problem, expand the response, and verify it."""
    from vrgym.registry import get_template

    template = get_template(case.task)
    problem = template.generate(case.seed, case.index, difficulty=case.difficulty, **case.config)
    response = case.response
    if any(p in response for p in PLACEHOLDERS):
        reference = template.reference_response(problem)
        extraction = template.extract(reference)
        response = expand(response, reference, extraction.answer if extraction.ok else None)
    return GoldenOutcome(response, template.verify(problem, response))


def check_golden_line(line: GoldenLine) -> str | None:
    """None if the line's case gets the expected verdict, else the failure message (with line number)."""
    if line.case is None:
        return f"{line.where}: malformed golden case: {line.error}"
    case = line.case
    try:
        outcome = run_golden_case(case)
    except Exception as exc:  # noqa: BLE001  (unknown task, bad config, placeholder problems)
        return f"{line.where}: {case.label()}: could not run the case: {type(exc).__name__}: {exc}"
    verdict = outcome.verdict
    expected_reason = f" with reason {case.reason!r}" if case.reason else ""
    if verdict.reward == case.reward and (case.reason is None or verdict.reason == case.reason):
        return None
    return "\n".join(
        [
            f"{line.where}: {case.label()}: expected reward {case.reward}{expected_reason}, "
            f"got reward {verdict.reward} with reason {verdict.reason!r}",
            f"  note:     {case.note}",
            f"  response: {shorten(outcome.response)}",
            f"  detail:   {verdict.detail or '(none)'}",
        ]
    )
