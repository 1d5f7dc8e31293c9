"""Row formats of math datasets: where the problem, the answer and the difficulty live in a row.

Four layouts are known, plus `auto` (decided once per dataset from its column names):

* `math`  — Hendrycks MATH: `problem`, `solution`, `level` ("Level 3"), `type`; the answer is the
  content of the `\\boxed{}` in the solution. Derivatives that add an `answer` column (MATH-500)
  use it instead.
* `gsm8k` — `question`, and `answer` holding the worked solution followed by `#### <number>`
  (thousands separators allowed: `#### 1,234`). Calculator annotations `<<2*3=6>>` are removed
  from the solution kept for the reference response.
* `numina` — NuminaMath: `problem`, `solution`, `source` (gsm8k, cn_k12, olympiads, …); the answer
  column when there is one (NuminaMath-1.5), else the `\\boxed{}` of the solution.
* `aimo`  — AIMO / AIME style: `problem` and an integer `answer` column (0-999), maybe a solution.

Any of the columns can be renamed with overrides. Extraction is conservative: a solution with
no box, an unterminated box, or several *different* boxed answers gives a skip reason, never a
guess ("the last box" is often an intermediate result boxed for emphasis).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from vrgym.tasks._dataset_source import RowSkip
from vrgym.verifiers.extraction import boxed_contents

RowFormat = Literal["auto", "math", "gsm8k", "numina", "aimo"]
FORMATS: tuple[str, ...] = ("math", "gsm8k", "numina", "aimo")

_GSM8K_MARK = re.compile(r"^\s*####\s*(.*?)\s*$", re.MULTILINE)
_CALCULATOR = re.compile(r"<<[^<>\n]{0,200}>>")
_LEVEL = re.compile(r"\s*(?:level\s*)?([0-9]+)\s*", re.IGNORECASE)
_BOX_COMMAND = re.compile(r"\\(?:boxed|fbox)\s*\{")


@dataclass(frozen=True)
class Columns:
    """Which column holds what; None means the format has no such column."""

    problem: str
    answer: str | None = None
    solution: str | None = None
    level: str | None = None
    group: str | None = None
    """A categorical column kept for filtering and tags: MATH's `type`, Numina's `source`."""


DEFAULT_COLUMNS: dict[str, Columns] = {
    "math": Columns(problem="problem", answer="answer", solution="solution", level="level", group="type"),
    "gsm8k": Columns(problem="question", answer="answer"),
    "numina": Columns(problem="problem", answer="answer", solution="solution", group="source"),
    "aimo": Columns(problem="problem", answer="answer", solution="solution"),
}


@dataclass(frozen=True)
class RawItem:
    """What a row says, before the answer text is turned into a typed gold."""

    problem: str
    answer_text: str
    solution: str | None
    level: int | None
    group: str | None


def detect_format(columns: Sequence[str], first_row: Mapping[str, Any] | None) -> str:
    """The layout of a dataset from its column names (and the first row, to tell gsm8k apart)."""
    have = set(columns)
    if "question" in have and "answer" in have and first_row is not None and _GSM8K_MARK.search(str(first_row.get("answer") or "")):
        return "gsm8k"
    if {"problem", "solution", "level"} <= have:
        return "math"
    if {"problem", "source"} <= have and ("solution" in have or "answer" in have):
        return "numina"
    if {"problem", "answer"} <= have:
        return "aimo"
    if {"problem", "solution"} <= have:
        return "math"
    raise ValueError(f"cannot tell the row format from the columns {sorted(have)}; set format= to one of {', '.join(FORMATS)} "
                     "and the column overrides (problem_column=, answer_column=, solution_column=)")


def resolve_columns(fmt: str, columns: Sequence[str], overrides: Mapping[str, str | None]) -> Columns:
    """The format's default columns with the user's overrides; a missing required column is an error."""
    base = DEFAULT_COLUMNS[fmt]
    chosen = {field: overrides.get(field) or getattr(base, field) for field in ("problem", "answer", "solution", "level", "group")}
    have = set(columns)
    for field, explicit in overrides.items():
        if explicit and explicit not in have:
            raise ValueError(f"{field}_column={explicit!r} is not a column of this dataset; its columns are {sorted(have)}")
    if chosen["problem"] not in have:
        raise ValueError(f"the {fmt} format reads the problem from column {chosen['problem']!r}, which this dataset lacks "
                         f"(columns: {sorted(have)}); set problem_column=")
    optional = {field: (name if name in have else None) for field, name in chosen.items() if field != "problem"}
    if optional["answer"] is None and optional["solution"] is None:
        raise ValueError(f"the {fmt} format needs an answer column or a solution column with \\boxed{{}} answers; this dataset has "
                         f"neither {chosen['answer']!r} nor {chosen['solution']!r} (columns: {sorted(have)}); set answer_column= or "
                         "solution_column=")
    return Columns(problem=chosen["problem"], **optional)


def read_row(row: Mapping[str, Any], fmt: str, columns: Columns) -> RawItem:
    """Problem text, answer text, solution and level of one row; `RowSkip` says why a row is unusable."""
    problem = _text(row.get(columns.problem))
    if not problem:
        raise RowSkip("empty_problem", f"column {columns.problem!r} is empty")
    solution = _text(row.get(columns.solution)) if columns.solution else ""
    answer_cell = row.get(columns.answer) if columns.answer else None
    if fmt == "gsm8k":
        answer_text, solution = gsm8k_answer(_text(answer_cell))
    elif answer_cell is not None and _text(answer_cell):
        answer_text = _text(answer_cell)
        if fmt == "aimo":
            answer_text = _aimo_answer(answer_cell)
    elif solution:
        answer_text = boxed_answer(solution)
    else:
        raise RowSkip("empty_answer", "the row has neither an answer nor a solution to read it from")
    level = parse_level(row.get(columns.level)) if columns.level else None
    group = _text(row.get(columns.group)) or None if columns.group else None
    return RawItem(problem=problem, answer_text=answer_text, solution=solution or None, level=level, group=group)


def gsm8k_answer(cell: str) -> tuple[str, str]:
    """(final answer, worked solution) of a GSM8K answer cell: the text after the last `#### `."""
    marks = list(_GSM8K_MARK.finditer(cell))
    if not marks:
        raise RowSkip("no_final_answer", "the GSM8K answer has no '#### <answer>' line")
    if len({m.group(1) for m in marks}) > 1:
        raise RowSkip("several_answers", f"the GSM8K answer has {len(marks)} different '####' lines")
    answer = marks[-1].group(1).strip()
    if not answer:
        raise RowSkip("empty_answer", "the '####' line is empty")
    steps = _CALCULATOR.sub("", cell[: marks[0].start()]).strip()
    return answer, steps


def boxed_answer(solution: str) -> str:
    """The single `\\boxed{}` answer of a solution (repeats of the same answer are fine)."""
    contents, unterminated = boxed_contents(solution)
    if unterminated:
        raise RowSkip("unterminated_box", "the solution's \\boxed{ is never closed")
    answers = list(dict.fromkeys(c.strip() for c in contents))
    if not answers:
        raise RowSkip("no_final_answer", "the solution has no \\boxed{} answer")
    if len(answers) > 1:
        shown = ", ".join(repr(a[:30]) for a in answers[:3])
        raise RowSkip("several_boxes", f"the solution boxes {len(answers)} different answers ({shown}); which is final is a guess")
    if not answers[0]:
        raise RowSkip("empty_answer", "the solution's \\boxed{} is empty")
    return answers[0]


def unboxed(solution: str) -> str:
    """`solution` with every `\\boxed{X}` replaced by `X`, so a reference response has one box only."""
    out: list[str] = []
    position = 0
    while (match := _BOX_COMMAND.search(solution, position)) is not None:
        contents, unterminated = boxed_contents(solution[match.start() :])
        if unterminated or not contents:
            break
        out.append(solution[position : match.start()])
        out.append(contents[0])
        position = match.end() + len(contents[0]) + 1
    out.append(solution[position:])
    return "".join(out)


def parse_level(value: Any) -> int | None:
    """MATH's level ("Level 3", 3, "3") as an int; None for "Level ?" or an empty cell."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    match = _LEVEL.fullmatch(str(value))
    return int(match.group(1)) if match else None


def _aimo_answer(cell: Any) -> str:
    """An AIMO answer must be an integer (int, or a string of digits)."""
    if isinstance(cell, bool) or not isinstance(cell, (int, str, float)):
        raise RowSkip("not_an_answer", f"the answer column holds a {type(cell).__name__}, not an integer")
    if isinstance(cell, float):
        if not cell.is_integer():
            raise RowSkip("not_an_integer", f"the AIMO answer {cell!r} is not an integer")
        return str(int(cell))
    return str(cell).strip()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # pandas/csv NaN: an empty cell
        return ""
    return str(value).strip()
