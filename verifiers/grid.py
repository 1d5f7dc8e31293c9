"""Parsing a square grid of digits from a model's final answer (Sudoku and other grid puzzles).

A grid answer is N lines of N digits, top row first. What is forgiven is layout only:

* digits may be separated by spaces, commas or nothing (`1 2 3`, `1,2,3`, `123`), since every
  cell holds one digit (N ≤ 9);
* `|` (or a box-drawing bar) between boxes, and separator lines made only of `-`, `=`, `+`, `|`,
  `_`, spaces and box-drawing characters (`------+-------+------`), are ignored;
* blank lines, leading/trailing whitespace and a Markdown code fence (a line of backticks with an
  optional language name) are ignored.

Everything else is an error with a reason: a blank marker (`.`, `0`, `_`, `*`, `?`, `x`) where a
digit should be, a digit outside 1..N, a non-ASCII digit, a letter or any other symbol, a row of
the wrong length, or the wrong number of rows (so two grids, or a grid followed by prose, fail).
Parsing is linear and gives up early on text far longer than any N×N grid layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BOX_DRAWING = "".join(chr(code) for code in range(0x2500, 0x2580))
_SEPARATOR_LINE = re.compile(rf"^[-=+|_\s{_BOX_DRAWING}]+$")
_CODE_FENCE = re.compile(r"^`{3,}[A-Za-z0-9_-]*$")
_CELL_SEPARATORS = str.maketrans("", "", f"|,{_BOX_DRAWING}")
_BLANK_MARKERS = set(".0_*?xX")
_CHARS_PER_CELL = 24
"""Generous layout budget per cell (spaces, bars, separator lines); longer text is not a grid."""


@dataclass(frozen=True)
class GridParse:
    """Outcome of `parse_digit_grid`: the rows of digits, or why there are none."""

    rows: list[list[int]] | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.rows is not None


def parse_digit_grid(text: str, size: int) -> GridParse:
    """Read an N×N grid of digits 1..N (N = `size`, at most 9) from `text`; never raises."""
    if not 1 <= size <= 9:
        raise ValueError(f"grids of single digits are 1×1 to 9×9, not {size}×{size}")
    if not isinstance(text, str):
        return GridParse(None, "the answer is not text")
    if len(text) > _CHARS_PER_CELL * size * size + 256:
        return GridParse(None, f"{len(text)} characters is far too long for a {size}×{size} grid")
    rows: list[list[int]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or _SEPARATOR_LINE.match(line) or _CODE_FENCE.match(line):
            continue
        if len(rows) == size:
            return GridParse(None, f"more than {size} rows: line {number} ({_show(line)}) comes after the last row")
        cells = "".join(line.translate(_CELL_SEPARATORS).split())
        row, error = _parse_row(cells, size)
        if error:
            return GridParse(None, f"row {len(rows) + 1} ({_show(line)}): {error}")
        rows.append(row)
    if len(rows) != size:
        return GridParse(None, f"the grid needs {size} rows of {size} digits, one row per line; found {len(rows)}")
    return GridParse(rows)


def _parse_row(cells: str, size: int) -> tuple[list[int], str]:
    for char in cells:
        if char in _BLANK_MARKERS:
            return [], f"{char!r} is a blank or invalid cell; every cell needs a digit from 1 to {size}"
        if not ("1" <= char <= "9"):
            return [], f"{char!r} is not a digit from 1 to {size}"
        if int(char) > size:
            return [], f"{char} is larger than {size}"
    if len(cells) != size:
        return [], f"has {len(cells)} digits instead of {size}"
    return [int(char) for char in cells], ""


def _show(line: str, limit: int = 40) -> str:
    return repr(line if len(line) <= limit else line[: limit - 1] + "…")


def format_digit_grid(rows: list[list[int]]) -> str:
    """Rows of digits as text: one row per line, digits separated by single spaces."""
    return "\n".join(" ".join(str(digit) for digit in row) for row in rows)
