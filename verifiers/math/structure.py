"""Pure-Python reading of the structure of a boxed answer: lists, sets, tuples, intervals, matrices.

Why here and not in sympy: the shape of an answer (how many elements, which brackets, which rows)
is decided by a linear scan at depth 0 of the brackets, in microseconds and without parsing any
mathematics. The leaves (elements, endpoints, entries) are then compared one by one — by the
exact-number fast path when they are plain numbers, by sympy in the worker otherwise. Both the
caller's process and the worker use these functions, so they agree on every split.
"""

from __future__ import annotations

import re

_OPEN = "([{"
_CLOSE = ")]}"
_SPACES = re.compile(r"(\\\\)|\\[,;:! ]|\\quad|\\qquad|~")
_SIZING = re.compile(r"\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big|biggl|biggr|displaystyle|textstyle)(?![A-Za-z])")
_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))
_EMPTY_SET = re.compile(r"\\(?:emptyset|varnothing)|\\\{\s*\\\}|\{\s*\}|∅")
_UNION = re.compile(r"\\cup(?![A-Za-z])|∪|(?<=[\])])\s*U\s*(?=[\[(])")
_MATRIX = re.compile(
    r"\\begin\{(?P<env>[pbBvV]?matrix|smallmatrix|array)\}(?:\{[^{}]*\})?(?P<body>.*)\\end\{(?P=env)\}", re.DOTALL
)
_ROW_BREAK = re.compile(r"\\\\(?:\[[^\]]*\])?")
_HEDGE_WORDS = re.compile(r"(?<![A-Za-z])(?:or|and|either|maybe|possibly)(?![A-Za-z])", re.IGNORECASE)
_LIST_SEPARATOR = re.compile(
    r"\s*(?:,\s*)?(?:\\(?:text|textrm|mbox|mathrm)\s*\{\s*(?:or|and)\s*\}|\\(?:lor|vee)(?![A-Za-z])"
    r"|(?<![A-Za-z\\])(?:or|and)(?![A-Za-z]))\s*|\s*,\s*"
)
"""Where a bare list of solutions breaks: a comma, `or`/`and` (words, `\\text{ or }`, `\\lor`), or a comma and one."""
_HEDGE_COMMANDS = re.compile(r"\\(?:pm|mp|lor|vee|text\{\s*or\s*\})(?![A-Za-z])|±|∓")


class StructureError(ValueError):
    """The answer does not have the shape its gold asks for (the message says what was expected)."""


def clean(text: str) -> str:
    """Strip math delimiters, sizing commands (`\\left`, `\\displaystyle`) and LaTeX spacing."""
    text = text.strip()
    for opening, closing in _DELIMITERS:
        if len(text) >= len(opening) + len(closing) and text.startswith(opening) and text.endswith(closing):
            text = text[len(opening) : len(text) - len(closing)].strip()
            break
    text = _SIZING.sub("", text)
    text = _SPACES.sub(_space, text)
    return text.strip()


def _space(match: re.Match[str]) -> str:
    return match[1] or " "  # a row break (two backslashes) stays; spacing commands become a space


def _depths(text: str) -> list[int]:
    """Bracket depth before each character of `text`, counted as `split_top` counts it."""
    depths = [0] * len(text)
    depth = 0
    i = 0
    while i < len(text):
        depths[i] = depth
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in "{}":
            depths[i + 1] = depth
            depth = depth + 1 if text[i + 1] == "{" else max(depth - 1, 0)
            i += 2
            continue
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        i += 1
    return depths


def split_top_pattern(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Split `text` at the matches of `pattern` that start outside every bracket (never raises)."""
    depths = _depths(text)
    parts: list[str] = []
    start = 0
    for match in pattern.finditer(text):
        if match.end() > match.start() and depths[match.start()] == 0 and match.start() >= start:
            parts.append(text[start : match.start()].strip())
            start = match.end()
    parts.append(text[start:].strip())
    return parts


def split_top(text: str, separators: str = ",") -> list[str]:
    """Split `text` at `separators` that sit outside every bracket (`\\{`/`\\}` count as brackets).

    Unbalanced closing brackets are tolerated (an interval `[2, 4)` is split after its ends are
    removed), so this never raises.
    """
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in "{}":
            depth += 1 if text[i + 1] == "{" else -1
            i += 2
            continue
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and char in separators:
            parts.append(text[start:i].strip())
            start = i + 1
        i += 1
    parts.append(text[start:].strip())
    return parts


def has_top_level(text: str, separators: str) -> bool:
    """True if one of `separators` occurs outside every bracket of `text`."""
    return len(split_top(text, separators)) > 1


def hedge(text: str) -> str | None:
    """Why a single-value answer lists several candidates (`7 or 8`, `6,7,8`, `\\pm 2`), or None.

    A top-level comma is reported only if the caller has not read the text as one number with
    thousands separators already.
    """
    if _HEDGE_COMMANDS.search(text):
        return "the answer offers several values (± or 'or'); give exactly one"
    stripped = re.sub(r"\\[A-Za-z]+", " ", text)
    if _HEDGE_WORDS.search(stripped):
        return "the answer hedges between candidates ('or', 'and', …); give exactly one value"
    if has_top_level(text, ",;"):
        return "the answer lists several values separated by commas; give exactly one"
    return None


def _strip_pair(text: str, opening: str, closing: str) -> str | None:
    if text.startswith(opening) and text.endswith(closing) and len(text) >= len(opening) + len(closing):
        inner = text[len(opening) : len(text) - len(closing)]
        # the opening must match the closing, not close early: `(1,2) \cup (3,4)` is not one pair
        if opening in ("(", "[", "\\{", "{", "\\langle") and _closes_early(inner):
            return None
        return inner.strip()
    return None


def _closes_early(inner: str) -> bool:
    depth = 0
    i = 0
    while i < len(inner):
        char = inner[i]
        if char == "\\" and i + 1 < len(inner) and inner[i + 1] in "{}":
            depth += 1 if inner[i + 1] == "{" else -1
            i += 2
            if depth < 0:
                return True
            continue
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth < 0:
                return True
        i += 1
    return False


def set_elements(text: str) -> list[str]:
    """Elements of a set answer: `\\{a, b\\}`, `\\emptyset`, or a bare list (order free).

    A bare list may also join its elements with `or` / `and` (`x = 3 \\text{ or } x = -2`): listing
    every solution joined by "or" is how a solution set is normally written, and a set gold needs
    the listed values to be exactly its elements, so an extra guess still scores 0. (For a
    single-value gold the same words remain a hedge; see `hedge`.) Inside braces only commas count.
    """
    text = clean(text)
    if _EMPTY_SET.fullmatch(text):
        return []
    for opening, closing in (("\\{", "\\}"), ("{", "}")):
        inner = _strip_pair(text, opening, closing)
        if inner is not None:
            return [] if not inner else _nonempty(split_top(inner), "set")
    if text.startswith(("(", "[")) and text.endswith((")", "]")) and has_top_level(text[1:-1], ","):
        raise StructureError("a set is written with braces, \\{a, b\\}; parentheses or brackets make a tuple or interval")
    return _nonempty(split_top_pattern(text, _LIST_SEPARATOR), "set")


def tuple_elements(text: str) -> list[str]:
    """Elements of an ordered tuple answer: `(a, b)`, `\\langle a, b\\rangle` or a bare list `a, b`."""
    text = clean(text)
    for opening, closing in (("(", ")"), ("\\langle", "\\rangle"), ("⟨", "⟩")):
        inner = _strip_pair(text, opening, closing)
        if inner is not None:
            return _nonempty(split_top(inner), "tuple")
    if text.startswith(("\\{", "[")):
        raise StructureError("an ordered tuple is written in parentheses, (a, b)")
    return _nonempty(split_top(text), "tuple")


def _nonempty(parts: list[str], what: str) -> list[str]:
    if any(not p for p in parts):
        raise StructureError(f"the {what} has an empty element (a stray comma?)")
    return parts


Interval = tuple[bool, str, str, bool]
"""(left closed, lower endpoint text, upper endpoint text, right closed)."""


def split_union(text: str) -> list[Interval]:
    """The intervals of `(a, b] \\cup [c, \\infty)`; `\\mathbb{R}` is (-∞, ∞). Raises StructureError."""
    text = clean(text)
    if re.fullmatch(r"\\mathbb\s*\{?\s*R\s*\}?|ℝ", text):
        return [(False, "-\\infty", "\\infty", False)]
    pieces = [p.strip() for p in _UNION.split(text)]
    out: list[Interval] = []
    for piece in pieces:
        if len(piece) < 5 or piece[0] not in "([" or piece[-1] not in ")]":
            raise StructureError(
                f"{piece[:40]!r} is not an interval; write intervals as (a, b], [a, \\infty) and join them with \\cup"
            )
        ends = split_top(piece[1:-1])
        if len(ends) != 2 or not all(ends):
            raise StructureError(f"the interval {piece[:40]!r} needs exactly two endpoints separated by a comma")
        out.append((piece[0] == "[", ends[0], ends[1], piece[-1] == "]"))
    return out


def matrix_rows(text: str) -> list[list[str]]:
    """Entries of `\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}` (also bmatrix, matrix, array)."""
    text = clean(text)
    for opening, closing in (("[", "]"), ("(", ")")):
        inner = _strip_pair(text, opening, closing)
        if inner is not None and inner.startswith("\\begin"):
            text = inner
    match = _MATRIX.fullmatch(text)
    if match is None:
        raise StructureError("write the matrix as \\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}")
    if match["env"] in ("vmatrix", "Vmatrix"):
        raise StructureError("vmatrix is a determinant, not a matrix; use pmatrix or bmatrix")
    rows = [r.strip() for r in _ROW_BREAK.split(match["body"].strip())]
    while rows and not rows[-1]:
        rows.pop()
    table = [[c.strip() for c in row.split("&")] for row in rows]
    if not table or any(not c for row in table for c in row):
        raise StructureError("the matrix has an empty entry")
    if any(len(row) != len(table[0]) for row in table):
        raise StructureError("the matrix rows have different lengths")
    return table


def split_equation(text: str) -> tuple[str, str] | None:
    """(left side, right side) of an answer with exactly one top-level `=`, else None."""
    parts = split_top(clean(text), "=")
    if len(parts) != 2:
        return None
    return parts[0], parts[1]


_NAME = re.compile(r"[A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?|\\[A-Za-z]+")


def assigned_name(text: str) -> tuple[str, str] | None:
    """(name, value) for `x = 3` / `k=9` / `x_1 = 2`, else None."""
    pair = split_equation(text)
    if pair is None:
        return None
    name, value = pair
    name = name.strip()
    if _NAME.fullmatch(name) and value.strip() and name not in ("\\infty", "\\pi"):
        return name, value.strip()
    return None
