"""Comparing what a program produced with the expected outputs — on the host, outside the sandbox.

Why here: the expected outputs never enter the sandbox, and the comparison must not run any code
of the candidate's (no `==` on its objects). Values arrive as the driver's tagged JSON (see
`driver.encode`), are rebuilt into plain data with `decode_value` (tuples become lists, anything
that is not plain data becomes an `Opaque` marker equal to nothing) and compared by `same_value`:

* exact types: a bool is not an int (`True` is not `1`), a str is not a number;
* int and float compare by value (a function returning `3.0` where `3` is expected is right), with
  the spec's tolerance (relative and absolute) whenever a float is involved;
* lists elementwise (optionally as a multiset), dicts by their str keys.

Program output (`same_output`): line endings normalised, trailing whitespace of each line and
trailing blank lines ignored; if the lines still differ, whitespace-separated tokens are compared,
numbers as `Decimal` (exact for integers, within the tolerance for decimals; no float, so huge
integers never lose digits), everything else as text.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

_MAX_DEPTH = 200
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,6})?")
_INTEGER = re.compile(r"[+-]?\d+")
_MULTISET_GREEDY_LIMIT = 400


class Opaque:
    """A returned value that is not plain data (or a tag we do not accept where it appeared)."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"<unserialisable {self.kind}>"


class BadRecord(ValueError):
    """The driver's record does not have the expected shape."""


def decode_value(data: Any, depth: int = 0) -> Any:
    """Rebuild a value from the driver's tagged JSON for comparison with a JSON expected value."""
    if depth > _MAX_DEPTH:
        return Opaque("too deep")
    kind = type(data)
    if data is None or kind is bool or kind is str or kind is int or kind is float:
        return data
    if kind is list:
        return [decode_value(item, depth + 1) for item in data]
    if kind is not dict or len(data) != 1:
        raise BadRecord(f"unexpected value node {type(data).__name__}")
    ((tag, body),) = data.items()
    if tag == "$tuple" and type(body) is list:
        return [decode_value(item, depth + 1) for item in body]  # tuple -> list, as JSON has no tuple
    if tag == "$dict" and type(body) is list:
        out: dict[str, Any] = {}
        for pair in body:
            if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
                return Opaque("dict with non-str keys")
            out[pair[0]] = decode_value(pair[1], depth + 1)
        return out
    if tag == "$int" and type(body) is str and len(body) < 200_000:
        try:
            return int(body, 16)
        except ValueError:
            return Opaque("int")
    if tag == "$float" and body in ("nan", "inf", "-inf"):
        return float(body)
    if tag in ("$set", "$bytes", "$complex"):
        return Opaque(tag[1:])
    if tag == "$bad":
        return Opaque(str(body)[:60])
    raise BadRecord(f"unknown value tag {str(tag)[:30]!r}")


def _close(a: float, b: float, tolerance: float) -> bool:
    if type(a) is int and type(b) is int:
        return a == b
    try:
        return math.isclose(float(a), float(b), rel_tol=tolerance, abs_tol=tolerance)
    except OverflowError:  # an int too large for a float is never close to a finite float
        return False


def same_value(expected: Any, got: Any, tolerance: float = 1e-6, *, unordered: bool = False, depth: int = 0) -> bool:
    """Whether `got` (decoded) equals `expected` (JSON) under the strict rules above."""
    if depth > _MAX_DEPTH or isinstance(got, Opaque):
        return False
    want, have = type(expected), type(got)
    if want is bool or have is bool:
        return want is have and expected is got
    if expected is None or got is None:
        return expected is None and got is None
    if want in (int, float):
        return have in (int, float) and _close(expected, got, tolerance)
    if want is str:
        return have is str and expected == got
    if want is list:
        if have is not list or len(expected) != len(got):
            return False
        if unordered:
            return _same_multiset(expected, got, tolerance, depth)
        return all(same_value(e, g, tolerance, depth=depth + 1) for e, g in zip(expected, got))
    if want is dict:
        return (
            have is dict
            and expected.keys() == got.keys()
            and all(same_value(expected[k], got[k], tolerance, depth=depth + 1) for k in expected)
        )
    return False


def _sort_key(value: Any) -> str:
    return repr(value)


def _same_multiset(expected: list[Any], got: list[Any], tolerance: float, depth: int) -> bool:
    """Lists equal up to order: sorted pairwise first, then (small lists) a greedy matching for float slack."""
    if any(isinstance(g, Opaque) for g in got):
        return False
    try:
        pairs = zip(sorted(expected, key=_sort_key), sorted(got, key=_sort_key))
        if all(same_value(e, g, tolerance, depth=depth + 1) for e, g in pairs):
            return True
    except RecursionError:
        return False
    if len(expected) > _MULTISET_GREEDY_LIMIT:
        return False
    left = list(got)
    for item in expected:
        for position, candidate in enumerate(left):
            if same_value(item, candidate, tolerance, depth=depth + 1):
                del left[position]
                break
        else:
            return False
    return True


def normalise_output(text: str) -> list[str]:
    """Lines of program output with line endings unified, trailing spaces and blank lines dropped."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _same_token(expected: str, got: str, tolerance: float) -> bool:
    if expected == got:
        return True
    if not (_NUMBER.fullmatch(expected) and _NUMBER.fullmatch(got)):
        return False
    try:
        want, have = Decimal(expected), Decimal(got)
    except InvalidOperation:
        return False
    if _INTEGER.fullmatch(expected):  # an integer answer is exact (a float print of it is still accepted if equal)
        return want == have
    try:
        return abs(want - have) <= Decimal(repr(tolerance)) * max(Decimal(1), abs(want))
    except ArithmeticError:  # InvalidOperation, or Overflow when both tokens are near 1e999999
        return False


def same_output(expected: str, got: str, tolerance: float = 1e-6) -> bool:
    """Whether program output `got` matches `expected` under the whitespace and numeric rules above."""
    want, have = normalise_output(expected), normalise_output(got)
    if want == have:
        return True
    if len(want) != len(have):
        return False
    for line_want, line_have in zip(want, have):
        tokens_want, tokens_have = line_want.split(), line_have.split()
        if len(tokens_want) != len(tokens_have):
            return False
        if not all(_same_token(a, b, tolerance) for a, b in zip(tokens_want, tokens_have)):
            return False
    return True
