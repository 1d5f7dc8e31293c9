"""Exact search over the ways to combine a multiset of numbers with + − × ÷ (24-game, Countdown).

Both puzzles ask for an expression tree whose leaves are the given numbers and whose value is a
target. This module holds the mathematics their generators need, kept apart from prompts and
verdicts:

* `values(numbers, rules)` — every value an expression using each number exactly once can take,
  each with one expression reaching it: dynamic programming over sub-multisets, memoised for
  pairs and triples (they recur across problems). Exhaustive, so "t not in values" is a proof.
* `whole_results(numbers, low, high, rules)` — the whole values in a range, with the last
  operation tested by integer divisibility only: the cheap way to list every possible target.
* `find(numbers, target, rules)` — one expression for the target, or None when none exists: the
  last operation is inverted (for each value `a` of one part, the partner `b` the other part must
  reach is computed and looked up), so only proper sub-multisets are enumerated.
  `find_using_at_most` searches sub-multisets, smallest first (numbers used at most once).
* `random_tree(rng, numbers, rules)` — a random expression over the numbers: a witness, so a
  target taken from it is solvable by construction; `keep_target` decides which values to keep.
* `tidy`, `render`, `steps` — trees as readable text and worked steps.

Arithmetic is exact, never float: values are `int` when whole and `fractions.Fraction`
otherwise, and the dynamic programming runs on (numerator, denominator) integer pairs, which are
several times faster than Fraction objects. `Rules` restrict every intermediate result (whole
numbers only; no negatives — together, the Countdown rules).

A tree is an `int` leaf or a tuple `(op, left, right)` with op in "+-*/". `render` writes it with
the fewest brackets that keep its shape, so parsing the text back evaluates the very same
operations in the same order (the Countdown verifier checks intermediate results as written).
"""

from __future__ import annotations

import functools
import itertools
import random
from dataclasses import dataclass
from fractions import Fraction
from math import gcd
from typing import Union

Value = Union[int, Fraction]
Tree = Union[int, tuple[str, "Tree", "Tree"]]
Ratio = tuple[int, int]

OPERATORS = "+-*/"
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_CACHED_SIZE = 3
"""`values` of sub-multisets up to this size are memoised (they recur across problems)."""
_CACHE_ENTRIES = 4096
"""Memoised value tables per kind (about 5 KB each: at most ~20 MB per kind)."""


@dataclass(frozen=True)
class Rules:
    """Restrictions on every intermediate result (and the final one)."""

    whole: bool = False
    """Only whole numbers: a division must come out exact (Countdown)."""
    non_negative: bool = False
    """No negative results: a subtraction must not go below zero (Countdown)."""

    def admits(self, value: Value) -> bool:
        """True iff `value` may appear as an intermediate result under these rules."""
        if self.whole and type(value) is not int:
            return False
        return not (self.non_negative and value < 0)


FREE = Rules()
"""Any exact rational intermediate results (the 24-game)."""
WHOLE = Rules(whole=True)
"""Whole-number intermediate results, negatives allowed (used to prove an instance needs fractions)."""
COUNTDOWN = Rules(whole=True, non_negative=True)
"""The TV rules: every intermediate result is a whole number, never negative."""


def normalised(value: Value) -> Value:
    """`value` as an int when it is whole, else as a Fraction."""
    if type(value) is not int and value.denominator == 1:
        return value.numerator
    return value


def divide(a: Value, b: Value) -> Value:
    """Exact a ÷ b (b ≠ 0), normalised."""
    if type(a) is int and type(b) is int:
        return a // b if a % b == 0 else Fraction(a, b)
    return normalised(Fraction(a) / b)


def apply(op: str, a: Value, b: Value, rules: Rules = FREE) -> Value | None:
    """`a op b`, or None when it is undefined (÷ 0) or breaks `rules`."""
    if op == "+":
        result = a + b
    elif op == "-":
        result = a - b
    elif op == "*":
        result = a * b
    elif b == 0 or (rules.whole and a % b):
        return None
    else:
        result = divide(a, b)
    if type(result) is not int:
        result = normalised(result)
    return result if rules.admits(result) else None


# --------------------------------------------------------------------------------------- trees


def evaluate(tree: Tree) -> Fraction:
    """Exact value of `tree` (ZeroDivisionError on a division by zero)."""
    if isinstance(tree, int):
        return Fraction(tree)
    op, left, right = tree
    a, b = evaluate(left), evaluate(right)
    return a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a / b


def leaves(tree: Tree) -> list[int]:
    """The numbers of `tree`, left to right."""
    if isinstance(tree, int):
        return [tree]
    return leaves(tree[1]) + leaves(tree[2])


def render(tree: Tree) -> str:
    """Text for `tree` with `+ - * /`, bracketed only where the shape needs it."""
    if isinstance(tree, int):
        return str(tree)
    op, left, right = tree
    left_text, right_text = render(left), render(right)
    if not isinstance(left, int) and _PRECEDENCE[left[0]] < _PRECEDENCE[op]:
        left_text = f"({left_text})"
    if not isinstance(right, int) and _PRECEDENCE[right[0]] <= _PRECEDENCE[op]:
        right_text = f"({right_text})"
    return f"{left_text} {op} {right_text}"


def tidy(tree: Tree) -> Tree:
    """The same computation with right-nested chains turned left: a + (b - c) → a + b - c.

    Only regroupings that keep every intermediate result whole and non-negative when the original
    ones were (so a Countdown solution stays valid) are made: a + (b ± c) → (a + b) ± c,
    a × (b × c or b ÷ c) → (a × b) × c or ÷ c, a − (b + c) → (a − b) − c, a ÷ (b × c) → (a ÷ b) ÷ c.
    The value and the numbers used never change; the rendered text needs fewer brackets.
    """
    if isinstance(tree, int):
        return tree
    op, left, right = tree
    left, right = tidy(left), tidy(right)
    if not isinstance(right, int):
        inner, middle, last = right
        if (op == "+" and inner in "+-") or (op == "*" and inner in "*/"):
            return tidy((inner, (op, left, middle), last))
        if (op, inner) in (("-", "+"), ("/", "*")):
            return tidy((op, (op, left, middle), last))
    return (op, left, right)


def steps(tree: Tree) -> list[tuple[Value, str, Value, Value]]:
    """The operations of `tree` in evaluation order: (left value, op, right value, result)."""
    found: list[tuple[Value, str, Value, Value]] = []

    def walk(node: Tree) -> Value:
        if isinstance(node, int):
            return node
        op, left, right = node
        a, b = walk(left), walk(right)
        result = apply(op, a, b)
        assert result is not None, f"division by zero in {render(node)}"
        found.append((a, op, b, result))
        return result

    walk(tree)
    return found


# --------------------------------------------------------------------------------------- search


@functools.lru_cache(maxsize=4096)
def splits(numbers: tuple[int, ...]) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]:
    """Every way to cut a sorted multiset into two non-empty parts, each unordered pair once."""
    last, seen, found = len(numbers) - 1, set(), []
    for mask in range(1, 1 << last):  # the last number always goes to the second part
        first = tuple(numbers[i] for i in range(last) if mask >> i & 1)
        second = tuple(numbers[i] for i in range(len(numbers)) if not (i < last and mask >> i & 1))
        key = (first, second) if first <= second else (second, first)
        if key not in seen:
            seen.add(key)
            found.append(key)
    return tuple(found)


@functools.lru_cache(maxsize=1024)
def sub_multisets(numbers: tuple[int, ...], size: int) -> tuple[tuple[int, ...], ...]:
    """The distinct sub-multisets of a sorted multiset with `size` elements, in sorted order."""
    return tuple(sorted(set(itertools.combinations(numbers, size))))


def values(numbers: tuple[int, ...], rules: Rules = FREE) -> dict[Value, Tree]:
    """Every value reachable using each of the sorted `numbers` exactly once, with one tree each.

    Small tables are memoised and shared: read them, never modify them.
    """
    if len(numbers) <= _CACHED_SIZE:
        return _cached_values(numbers, rules)
    return _as_values(ratios(numbers, rules))


@functools.lru_cache(maxsize=_CACHE_ENTRIES)
def _cached_values(numbers: tuple[int, ...], rules: Rules) -> dict[Value, Tree]:
    return _as_values(ratios(numbers, rules))


def _as_values(table: dict[Ratio, Tree]) -> dict[Value, Tree]:
    return {(n if d == 1 else Fraction(n, d)): tree for (n, d), tree in table.items()}


def ratios(numbers: tuple[int, ...], rules: Rules = FREE) -> dict[Ratio, Tree]:
    """`values` keyed by (numerator, denominator) in lowest terms, denominator > 0.

    The search itself runs on these integer pairs rather than on `Fraction` objects, which are
    about six times slower to add or multiply; `values` converts at the end.
    """
    if len(numbers) <= _CACHED_SIZE:
        return _cached_ratios(numbers, rules)
    return _ratios(numbers, rules)


@functools.lru_cache(maxsize=_CACHE_ENTRIES)
def _cached_ratios(numbers: tuple[int, ...], rules: Rules) -> dict[Ratio, Tree]:
    return _ratios(numbers, rules)


def _ratios(numbers: tuple[int, ...], rules: Rules) -> dict[Ratio, Tree]:
    if len(numbers) == 1:
        return {(numbers[0], 1): numbers[0]} if rules.admits(numbers[0]) else {}
    found: dict[Ratio, Tree] = {}
    whole, non_negative = rules.whole, rules.non_negative
    for first, second in splits(numbers):
        right = list(ratios(second, rules).items())
        for (an, ad), tree_a in ratios(first, rules).items():
            for (bn, bd), tree_b in right:
                for n, d, op, left, right_tree in _operations(an, ad, tree_a, bn, bd, tree_b):
                    if d == 0:
                        continue
                    if d != 1:
                        if d < 0:
                            n, d = -n, -d
                        g = gcd(n, d)
                        if g != 1:
                            n, d = n // g, d // g
                    if (whole and d != 1) or (non_negative and n < 0):
                        continue
                    if (n, d) not in found:
                        found[n, d] = (op, left, right_tree)
    return found


def _operations(
    an: int, ad: int, tree_a: Tree, bn: int, bd: int, tree_b: Tree
) -> tuple[tuple[int, int, str, Tree, Tree], ...]:
    """The six results of a op b and b op a as unreduced (numerator, denominator, op, left, right).

    Denominators are positive except for the divisions (sign follows the divisor; zero when the
    divisor is zero, which callers skip).
    """
    cross_a, cross_b, denominator = an * bd, bn * ad, ad * bd
    return (
        (cross_a + cross_b, denominator, "+", tree_a, tree_b),
        (an * bn, denominator, "*", tree_a, tree_b),
        (cross_a - cross_b, denominator, "-", tree_a, tree_b),
        (cross_b - cross_a, denominator, "-", tree_b, tree_a),
        (cross_a, cross_b, "/", tree_a, tree_b),
        (cross_b, cross_a, "/", tree_b, tree_a),
    )


def find(numbers: tuple[int, ...], target: Value, rules: Rules = FREE) -> Tree | None:
    """A tree using each of the sorted `numbers` exactly once with value `target`, or None if none exists."""
    target = normalised(target)
    if not rules.admits(target):
        return None
    if len(numbers) <= _CACHED_SIZE or target == 0:  # memoised small sets; the inversion below divides by the target
        return values(numbers, rules).get(target)
    for first, second in splits(numbers):
        first_values, second_values = values(first, rules), values(second, rules)
        small, large = (first_values, second_values) if len(first_values) <= len(second_values) else (second_values, first_values)
        for a, tree_a in small.items():
            for op, b, a_first in _partners(a, target):
                tree_b = large.get(b)
                if tree_b is None:
                    continue
                left, right = (a, b) if a_first else (b, a)
                if apply(op, left, right, rules) == target:
                    return (op, tree_a, tree_b) if a_first else (op, tree_b, tree_a)
    return None


def _partners(a: Value, target: Value) -> list[tuple[str, Value, bool]]:
    """For each operation, the value b with `a op b == target` (a_first) or `b op a == target`."""
    found: list[tuple[str, Value, bool]] = [
        ("+", normalised(target - a), True),
        ("-", normalised(a - target), True),
        ("-", normalised(target + a), False),
        ("/", divide(a, target), True),
    ]
    if a != 0:
        found += [("*", divide(target, a), True), ("/", normalised(target * a), False)]
    return found


def whole_results(numbers: tuple[int, ...], low: int, high: int, rules: Rules = FREE) -> dict[int, Tree]:
    """The whole values in [low, high] reachable using each of the sorted `numbers` exactly once, with a tree each.

    Equal to the whole values of `values(numbers, rules)` in that range, but the last operation
    is only tested for a whole result in range (no reduction, no table of every value), which
    makes it several times cheaper than `values` on the full set.
    """
    if rules.non_negative:
        low = max(low, 0)
    if len(numbers) == 1:
        return {numbers[0]: numbers[0]} if low <= numbers[0] <= high else {}
    found: dict[int, Tree] = {}
    for first, second in splits(numbers):
        right = list(ratios(second, rules).items())
        for (an, ad), tree_a in ratios(first, rules).items():
            for (bn, bd), tree_b in right:
                for n, d, op, left, right_tree in _operations(an, ad, tree_a, bn, bd, tree_b):
                    if d != 0 and n % d == 0 and low <= (value := n // d) <= high and value not in found:
                        found[value] = (op, left, right_tree)
    return found


def find_using_at_most(
    numbers: tuple[int, ...], target: Value, rules: Rules = FREE, *, max_count: int | None = None
) -> Tree | None:
    """A tree using each number at most once (and at most `max_count` numbers), fewest numbers first."""
    top = len(numbers) if max_count is None else min(max_count, len(numbers))
    for size in range(1, top + 1):
        for subset in sub_multisets(numbers, size):
            tree = find(subset, target, rules)
            if tree is not None:
                return tree
    return None


def random_tree(rng: random.Random, numbers: list[int], rules: Rules = FREE) -> tuple[Value, Tree]:
    """Combine all of `numbers` by random operations allowed under `rules`; (value, tree).

    Each step joins two random items by a random operation among those that are defined, admitted
    by the rules and not zero (a zero makes the remaining numbers pointless). Adding two positive
    numbers always qualifies, so the walk never gets stuck on positive inputs.
    """
    items: list[tuple[Value, Tree]] = [(n, n) for n in numbers]
    while len(items) > 1:
        i = rng.randrange(len(items))
        j = rng.randrange(len(items) - 1)
        j += j >= i  # two distinct positions, uniformly
        options: list[tuple[Value, Tree]] = []
        for op in OPERATORS:
            for swapped in (False, True):
                if swapped and op in "+*":
                    continue  # commutative: one order is enough
                (x, tree_x), (y, tree_y) = (items[j], items[i]) if swapped else (items[i], items[j])
                result = apply(op, x, y, rules)
                if result is not None and result != 0:
                    options.append((result, (op, tree_x, tree_y)))
        if not options:
            raise ValueError(f"no operation joins {items[i][0]} and {items[j][0]} under {rules}")
        combined = options[rng.randrange(len(options))]
        items = [item for k, item in enumerate(items) if k != i and k != j]
        items.append(combined)
    return items[0]


def keep_target(rng: random.Random, value: Value, low: int, high: int) -> bool:
    """Whether a random expression's value becomes a puzzle's target (0 < low <= high).

    It must be whole and in [low, high]; it is then kept with probability value / high. Random
    expressions lean hard toward small values (measured on Countdown, target 100-999: the lowest
    ninth of the range got 40 % of the values); the correction brings that down to about 17 % and
    spreads the rest evenly, at the cost of about three times as many expressions.
    """
    return type(value) is int and low <= value <= high and rng.random() * high < value

