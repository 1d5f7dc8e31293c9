"""Typed comparison of an extracted answer with a gold, one rule per gold kind.

`compare(gold, answer, leaves)` applies the structure of the gold — one value, an unordered set,
an ordered tuple, a union of intervals, a matrix, an equation, a quantity, a choice, a text — and
hands the leaves (single values, endpoints, entries) to `leaves`:

* `FastLeaves` (this module) settles plain numbers exactly and raises `NeedsWorker` for anything
  that needs symbolic mathematics; it runs in the caller's process;
* `equivalence.SympyLeaves` (worker process only) extends it with sympy for the rest.

So the same typed rules run on both sides and the fast path can never disagree with the worker
about structure. Rules shared by every kind: a single-value gold refuses a hedged answer (`7 or 8`,
`6,7,8`, `\\pm 2`) as `hack:multiple_answers`; integers and rationals compare exactly; a decimal
gold accepts any value within half a unit of its last place.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, NamedTuple

from vrgym.verdict import FORMAT, MULTIPLE_ANSWERS, OK, WRONG_ANSWER
from vrgym.verifiers.math.fastpath import Reading, read_number
from vrgym.verifiers.math.radicals import Radical, read_radical
from vrgym.verifiers.math.structure import (
    StructureError,
    assigned_name,
    clean,
    hedge,
    matrix_rows,
    set_elements,
    split_equation,
    split_union,
    tuple_elements,
)


class Outcome(NamedTuple):
    """A comparison result: reason is a Verdict reason code (ok iff the answer scores 1)."""

    reason: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.reason == OK


CORRECT = Outcome(OK)


class NeedsWorker(Exception):
    """The fast path cannot decide: the comparison needs sympy (raised by `FastLeaves`)."""


_INFINITY = re.compile(
    r"^(?P<sign>[+\-−]?)\s*(?:\\infty|∞|\\inf|oo|\{\s*\\infty\s*\}|infinity|\\(?:text|mathrm)\s*\{\s*infinity\s*\})$",
    re.IGNORECASE,
)
_CHOICE = re.compile(r"^\(?\s*([A-Za-z])\s*\)?\.?$")
_TEXT_WRAPPER = re.compile(r"\\(?:text|textbf|textit|mathrm|mathbf|mbox|textrm|emph|operatorname)\s*\{([^{}]*)\}")
_SCALAR_KINDS = ("integer", "rational", "decimal", "percent", "expression")


def wrong(detail: str = "the answer is not equal to the correct answer") -> Outcome:
    return Outcome(WRONG_ANSWER, detail)


def bad_format(detail: str) -> Outcome:
    return Outcome(FORMAT, detail)


def numeric_outcome(gold: dict[str, Any], reading: Reading) -> Outcome:
    """Compare an exactly read plain number with a numeric gold (integer, rational, decimal, percent)."""
    kind = gold["kind"]
    target = Fraction(gold["value"])
    value = reading.value
    if kind == "percent":
        return CORRECT if value == target else wrong()
    if reading.percent:
        value = value / 100
    if kind == "decimal":
        half = Fraction(1, 2 * 10 ** int(gold["places"]))
        return CORRECT if abs(value - target) <= half else wrong(f"the answer does not round to {gold['value']}")
    return CORRECT if value == target else wrong()


def infinity_sign(text: str) -> int:
    """+1 or -1 for an infinite endpoint (`\\infty`, `-\\infty`, `+\\infty`), else 0."""
    match = _INFINITY.match(clean(text))
    if match is None:
        return 0
    return -1 if match["sign"] in ("-", "−") else 1


def _assigned_value(text: str) -> str:
    """The value of `L = \\infty` or `x = 3` (a name, one `=`), else `text` itself."""
    pair = assigned_name(text)
    return text if pair is None else pair[1]


def closed_form(text: str) -> Radical | None:
    """q·√n for a plain number or a product/quotient of square roots (no units, no percent), else None."""
    reading = read_number(text, allow_name=False)
    if reading is not None:
        return None if reading.percent or reading.unit else (reading.value, 1)
    return read_radical(text)


class FastLeaves:
    """Leaf comparisons that need no sympy; anything else raises `NeedsWorker`."""

    def scalar(self, gold: dict[str, Any], answer: str) -> Outcome:
        """A single value against a numeric or expression gold (hedges already refused)."""
        if gold["kind"] == "expression":
            return self.expression(gold, answer)
        if infinity_sign(_assigned_value(answer)):
            return wrong("the answer is infinite; the correct answer is a finite number")
        reading = read_number(answer)
        if reading is not None:
            return numeric_outcome(gold, reading)
        radical = read_radical(answer)
        if radical is not None and gold["kind"] != "decimal":
            return numeric_outcome(gold, Reading(radical[0])) if radical[1] == 1 else wrong()
        raise NeedsWorker

    def expression(self, gold: dict[str, Any], answer: str) -> Outcome:
        """±∞ and closed forms q·√n on both sides are compared exactly here; the rest needs sympy.

        A gold of `\\infty` or `-\\infty` (a limit, a sum that diverges) is answered only by an
        infinity of the same sign (`\\infty`, `+\\infty`, `∞`, `L = -\\infty`): no other
        expression is infinite in the sense the question means, so nothing needs sympy.
        """
        if not gold.get("variables") and not gold.get("form"):
            gold_infinite, answer_infinite = infinity_sign(gold["latex"]), infinity_sign(_assigned_value(answer))
            if gold_infinite or answer_infinite:
                if gold_infinite == answer_infinite:
                    return CORRECT
                return wrong("the answer is infinite with the wrong sign" if gold_infinite and answer_infinite
                             else "the answer and the correct answer are not both infinite")
            target, value = closed_form(gold["latex"]), closed_form(answer)
            if target is not None and value is not None:
                return CORRECT if target == value or target[0] == value[0] == 0 else wrong()
        raise NeedsWorker

    def endpoint(self, gold_text: str, answer_text: str) -> bool:
        """Whether two interval endpoints (LaTeX) are the same number (±∞ included)."""
        gold_inf, answer_inf = infinity_sign(gold_text), infinity_sign(answer_text)
        if gold_inf or answer_inf:
            return gold_inf == answer_inf
        gold_value, answer_value = closed_form(gold_text), closed_form(answer_text)
        if gold_value is None or answer_value is None:
            raise NeedsWorker
        return gold_value == answer_value or gold_value[0] == answer_value[0] == 0

    def equation(self, gold: dict[str, Any], answer: str) -> Outcome:
        """Equations need sympy, except a gold `x = 3` answered by a plain `3` or `x = 3`."""
        gold_pair = assigned_name(gold["latex"])
        if gold_pair is not None:
            gold_number = read_number(gold_pair[1], allow_name=False)
            answer_pair = assigned_name(answer)
            answer_value = answer if answer_pair is None else answer_pair[1]
            reading = read_number(answer_value, allow_name=False)
            if gold_number is not None and reading is not None and not reading.percent:
                if answer_pair is not None and answer_pair[0] != gold_pair[0]:
                    raise NeedsWorker  # `y = 3` for `x = 3`: maybe a rearranged equation; let sympy decide
                return CORRECT if reading.value == gold_number.value else wrong()
        raise NeedsWorker

    def quantity(self, gold: dict[str, Any], answer: str) -> Outcome:
        raise NeedsWorker


def compare(gold: dict[str, Any], answer: str, leaves: FastLeaves) -> Outcome:
    """Compare `answer` (the extracted final answer) with `gold` by the rules of its kind."""
    kind = gold.get("kind")
    try:
        if kind in _SCALAR_KINDS:
            return _scalar(gold, answer, leaves)
        if kind == "set":
            return _set(gold, answer, leaves)
        if kind == "tuple":
            return _tuple(gold, answer, leaves)
        if kind == "interval":
            return _interval(gold, answer, leaves)
        if kind == "matrix":
            return _matrix(gold, answer, leaves)
        if kind == "equation":
            return leaves.equation(gold, answer)
        if kind == "quantity":
            return leaves.quantity(gold, answer)
        if kind == "choice":
            return _choice(gold, answer)
        if kind == "text":
            return _text(gold, answer)
    except StructureError as exc:
        return bad_format(str(exc))
    raise ValueError(f"unknown gold kind {kind!r}")


def _scalar(gold: dict[str, Any], answer: str, leaves: FastLeaves) -> Outcome:
    reading = read_number(answer) if gold["kind"] != "expression" else None
    if reading is None:
        reason = hedge(clean(answer))
        if reason is not None:
            return Outcome(MULTIPLE_ANSWERS, reason)
        return leaves.scalar(gold, answer)
    return numeric_outcome(gold, reading)


def _set(gold: dict[str, Any], answer: str, leaves: FastLeaves) -> Outcome:
    items = gold["items"]
    elements = set_elements(answer)
    if not items or not elements:
        return CORRECT if not items and not elements else wrong("the set has the wrong number of elements")
    if all(item["kind"] in _SCALAR_KINDS for item in items) and len(_unknowns(elements)) > 1:
        return wrong("the elements give values of different unknowns; list the values of one unknown (x = 3 or x = -2)")
    # every answer element must equal a gold item and every gold item must be matched
    matched = [False] * len(items)
    for element in elements:
        found = False
        for i, item in enumerate(items):
            if compare(item, element, leaves).ok:
                matched[i] = found = True
                break
        if not found:
            return wrong(f"{element[:40]!r} is not an element of the answer set")
    if not all(matched):
        return wrong("the set is missing elements")
    return CORRECT


def _unknowns(elements: list[str]) -> frozenset[str]:
    """The unknowns named by `x = 3` / `x_1 = 3` elements, subscripts dropped (`x_1`, `x_2` are both x)."""
    names = (assigned_name(element) for element in elements)
    return frozenset(pair[0].split("_")[0] for pair in names if pair is not None)


def _tuple(gold: dict[str, Any], answer: str, leaves: FastLeaves) -> Outcome:
    items = gold["items"]
    elements = tuple_elements(answer)
    names = gold.get("names")
    if names:
        pairs = [assigned_name(e) for e in elements]
        if all(p is not None for p in pairs):
            by_name = {p[0]: p[1] for p in pairs if p is not None}
            if sorted(by_name) != sorted(names) or len(by_name) != len(pairs):
                return wrong(f"name each of {', '.join(names)} exactly once")
            elements = [by_name[n] for n in names]
    if len(elements) != len(items):
        return wrong(f"the answer has {len(elements)} components; {len(items)} are needed")
    for item, element in zip(items, elements):
        outcome = compare(item, element, leaves)
        if not outcome.ok:
            return outcome if outcome.reason == FORMAT else wrong("a component of the tuple is wrong")
    return CORRECT


def _interval(gold: dict[str, Any], answer: str, leaves: FastLeaves) -> Outcome:
    gold_parts = split_union(gold["latex"])
    answer_parts = split_union(answer)
    if len(gold_parts) != len(answer_parts):
        return wrong("the answer has a different number of intervals")
    unmatched = list(answer_parts)
    for closed_left, low, high, closed_right in gold_parts:
        for index, (a_left, a_low, a_high, a_right) in enumerate(unmatched):
            if (a_left, a_right) == (closed_left, closed_right) and leaves.endpoint(low, a_low) and leaves.endpoint(high, a_high):
                del unmatched[index]
                break
        else:
            return wrong("an interval's endpoints or open/closed ends differ")
    return CORRECT


def _matrix(gold: dict[str, Any], answer: str, leaves: FastLeaves) -> Outcome:
    rows = gold["rows"]
    table = matrix_rows(answer)
    if len(table) != len(rows) or len(table[0]) != len(rows[0]):
        return wrong(f"the matrix is {len(table)}×{len(table[0])}; {len(rows)}×{len(rows[0])} is needed")
    for gold_row, row in zip(rows, table):
        for item, entry in zip(gold_row, row):
            if not compare(item, entry, leaves).ok:
                return wrong("a matrix entry is wrong")
    return CORRECT


def plain_text(text: str) -> str:
    """Lower-cased words of a short text answer, LaTeX text wrappers and punctuation removed."""
    text = clean(text)
    for _ in range(3):
        text = _TEXT_WRAPPER.sub(r"\1", text)
    text = text.replace("\\", " ").replace("{", " ").replace("}", " ").replace("$", " ")
    text = re.sub(r"[.!;:]+$", "", text.strip())
    return " ".join(text.lower().split())


def _choice(gold: dict[str, Any], answer: str) -> Outcome:
    text = plain_text(answer)
    match = _CHOICE.match(text)
    if match is None:
        return bad_format("answer with the letter of one option, e.g. B")
    letter = match[1].upper()
    if letter not in [o.upper() for o in gold["options"]]:
        return bad_format(f"{letter} is not one of the options {', '.join(gold['options'])}")
    return CORRECT if letter == gold["value"].upper() else wrong()


def _text(gold: dict[str, Any], answer: str) -> Outcome:
    text = plain_text(answer)
    accepted = {plain_text(v) for v in [gold["value"], *gold.get("aliases", [])]}
    if text in accepted:
        return CORRECT
    words = set(text.split())
    if words & {"or", "and", "either"} and not any(words & set(a.split()) & {"or", "and", "either"} for a in accepted):
        return Outcome(MULTIPLE_ANSWERS, "the answer hedges between candidates; give exactly one")
    return wrong()
