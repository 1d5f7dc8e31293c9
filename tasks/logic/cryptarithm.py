"""`Cryptarithm`: letter arithmetic (SEND + MORE = MONEY) with exactly one solution.

Why this template: cryptarithms are one of the logic families of the Kimi K2 Verifiable Rewards
Gym. A puzzle is an equation whose words stand for numbers; the answer maps every letter to a
digit, and whether a mapping solves the puzzle is pure integer arithmetic — so the verifier checks
the mapping against the puzzle, never against a stored string.

Rules (stated in every prompt): different letters are different digits; no number starts with 0
(the first letter of every word, even a one-letter word, is not 0); at the levels that say so, the
letters use exactly a given set of digits. Equations: addition of two to five words, subtraction
`A - B = C`, and multiplication by a one- or two-letter word.

Generation is digits first: operands are drawn from a small pool of digits (few distinct letters and
many repeats make uniqueness likely), the result is computed exactly, digits are mapped to random
letters, and the puzzle is kept only if a complete count proves it has exactly one solution. Real words
are not used: their many distinct letters and the fresh letters their sums need almost never give
a unique puzzle (measured: under 1 in 5 attempts, costing milliseconds each).

The solver works column by column from the units, as one does by hand. Each column is a linear
equation `carry + Σ coef·digit − result = 10 · carry_out`; the letters it introduces are enumerated
except one *pivot*, whose digit the column's residue mod 10 forces (the result letter when it is
new: coefficient −1, exactly one candidate). Subtraction `A - B = C` is solved as `B + C = A`;
multiplication enumerates the multiplier's letters, after which every column is linear in the
multiplicand and product letters. The search stops at a second solution, so "unique" is a proof by
exhaustion, and the tests re-check it with brute force over all digit permutations.

When the digit set is given and there are at most seven letters (the easy, medium and most hard
puzzles), generation counts solutions faster, before letters are even assigned: every permutation
of the set (at most 5,040) is evaluated at once with numpy (`_cryptarithm_count`: a cached table
of the permutations' digits times the letters' place-value coefficients). Two letters with the
same coefficient that can swap digits reject a draw without that product. Generation draws with
`rng.random()` only (digit pools by index into a table of sets, letters by a partial shuffle).

Levels, easiest first: two short addends, digit set given; two or three addends of 3-5 letters
(reasoning-gym's shape), digit set given; all three operations with 6-8 letters, digit set given;
no digit set (any digits 0-9) with longer words and up to four addends; three to five addends or a
two-letter multiplier, no digit set. Telling which digits occur keeps the lower levels fast to
generate and still leaves a real search (up to 8! assignments).

Verification: the `<answer>` is parsed by `vrgym.verifiers.assignment` (`A=1, B=2`, `a: 1`,
`A is 1`; commas, semicolons or newlines); every letter of the puzzle must get one digit 0-9 and no
other letter may appear; then digits must be distinct, leading letters non-zero, the given digit
set respected and the equation true. Any mapping that does all that is accepted (by uniqueness
there is one).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.tasks.logic._cryptarithm_count import EXACT, MAX_LETTERS, count_linear, count_product
from vrgym.problem import Problem
from vrgym.registry import register
from vrgym.template import Draft, Template
from vrgym.verdict import WRONG_ANSWER, Verdict
from vrgym.verifiers.assignment import AssignmentError, digit_value, format_assignment, try_parse_assignment
from vrgym.verifiers.extraction import AnswerFormat

OPERATIONS: tuple[str, ...] = ("addition", "subtraction", "multiplication")
SYMBOLS = {"addition": "+", "subtraction": "-", "multiplication": "×"}
_ALPHABET = string.ascii_uppercase
_MAX_ATTEMPTS = 20_000

# ------------------------------------------------------------------------------------------ equation


@dataclass(frozen=True)
class Equation:
    """`operands[0] op operands[1] op … = result`, every word a string of capital letters."""

    operation: str
    operands: tuple[str, ...]
    result: str

    @property
    def words(self) -> tuple[str, ...]:
        return (*self.operands, self.result)

    @property
    def letters(self) -> list[str]:
        """Distinct letters, sorted."""
        return sorted(set("".join(self.words)))

    @property
    def leading(self) -> list[str]:
        """Letters that begin a word (they cannot be 0), sorted."""
        return sorted({word[0] for word in self.words})

    def text(self) -> str:
        """One line: `ABC + DE = FGH`."""
        return f" {SYMBOLS[self.operation]} ".join(self.operands) + f" = {self.result}"

    def layout(self) -> str:
        """The written-out column form, right-aligned, operator in front of the last operand."""
        width = max(len(word) for word in self.words) + 2
        lines = [word.rjust(width) for word in self.operands[:-1]]
        lines.append(SYMBOLS[self.operation] + self.operands[-1].rjust(width - 1))
        return "\n".join([*lines, "-" * width, self.result.rjust(width)])

    def holds(self, mapping: Mapping[str, int]) -> bool:
        """Whether the equation is true with these digits (every letter must be mapped)."""
        numbers = [number(word, mapping) for word in self.operands]
        total = number(self.result, mapping)
        if self.operation == "addition":
            return sum(numbers) == total
        if self.operation == "subtraction":
            return numbers[0] - numbers[1] == total
        return numbers[0] * numbers[1] == total

    def sum_form(self) -> tuple[tuple[str, ...], str]:
        """Addends and total of the equivalent addition (`A - B = C` is `B + C = A`); not for products."""
        if self.operation == "subtraction":
            return (self.operands[1], self.result), self.operands[0]
        return self.operands, self.result

    def to_json(self) -> dict[str, Any]:
        return {"operation": self.operation, "operands": list(self.operands), "result": self.result}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Equation:
        return cls(str(data["operation"]), tuple(str(w) for w in data["operands"]), str(data["result"]))


def number(word: str, mapping: Mapping[str, int]) -> int:
    """The number a word spells under `mapping`."""
    value = 0
    for letter in word:
        value = value * 10 + mapping[letter]
    return value


# ------------------------------------------------------------------------------------------ solver

_SOLVE: tuple[tuple[tuple[int, ...], ...], ...] = tuple(
    tuple(tuple(d for d in range(10) if (c * d + r) % 10 == 0) for r in range(10)) for c in range(10)
)
"""_SOLVE[coef % 10][rest % 10]: the digits d that make coef·d + rest a multiple of 10."""
_FREE: tuple[tuple[int, ...], ...] = tuple(tuple(d for d in range(10) if not mask >> d & 1) for mask in range(1024))
"""_FREE[used]: the digits whose bit is not set in the 10-bit mask `used`."""
_ALL_DIGITS = 1023

Column = dict[int, int]
"""One column of a linear equation: letter index → net coefficient (the result letter counts −1)."""
Next = Callable[[int, int], bool]
"""A compiled search step: (carry into the current column, used digits) → True to stop the search."""


def _compile(
    columns: Sequence[Column], known: int, blocked: Sequence[int], values: list[int], limit: int, found: list[list[int]]
) -> Next:
    """The column-by-column search as a chain of closures, one per step, units column first.

    `known` is the bitmask of letter indices fixed before the search (their digits are in
    `values`), `blocked[letter]` the digits that letter may not take (0 for leading letters, …).
    In each column the new letters are enumerated except one pivot, forced by the residue mod 10:
    a letter with coefficient ±1 if there is one (one candidate), else a unit mod 10 (one
    candidate), else any non-zero one (a few). Compiling the steps into closures spares the
    search loop a dispatch per node, which is most of its cost in Python.
    """
    seen = known
    plan: list[tuple[Any, ...]] = []
    for column in columns:
        new = [letter for letter in column if not seen >> letter & 1]
        pivot, rank = -1, 9
        for letter in new:
            coef = column[letter]
            r = 0 if coef in (1, -1) else 1 if coef % 10 in (1, 3, 7, 9) else 2 if coef % 10 else 9
            if r < rank:
                pivot, rank = letter, r
        for letter in new:
            seen |= 1 << letter
            if letter != pivot:
                plan.append((letter, blocked[letter]))
        others = tuple((letter, coef) for letter, coef in column.items() if letter != pivot and coef)
        plan.append((others, pivot, column.get(pivot, 0), blocked[pivot] if pivot >= 0 else 0))

    def finish(carry: int, used: int) -> bool:
        if carry == 0:
            found.append(values[:])
        return len(found) >= limit

    step: Next = finish
    for item in reversed(plan):
        step = _enumerate_step(*item, step, values) if len(item) == 2 else _column_step(*item, step, values)
    return step


def _enumerate_step(letter: int, blocked: int, then: Next, values: list[int]) -> Next:
    def run(carry: int, used: int) -> bool:
        for d in _FREE[used | blocked]:
            values[letter] = d
            if then(carry, used | 1 << d):
                return True
        return False

    return run


def _column_step(others: tuple[tuple[int, int], ...], pivot: int, coef: int, blocked: int, then: Next, values: list[int]) -> Next:
    """Close a column: sum its known terms, force the pivot (if any), pass the carry on."""
    if pivot < 0:

        def check(carry: int, used: int) -> bool:
            rest = carry
            for letter, c in others:
                rest += c * values[letter]
            return rest >= 0 and rest % 10 == 0 and then(rest // 10, used)

        return check
    if coef == -1:  # the usual case: the result letter is new and takes the residue

        def force(carry: int, used: int) -> bool:
            rest = carry
            for letter, c in others:
                rest += c * values[letter]
            d = rest % 10
            if (used | blocked) >> d & 1:
                return False
            values[pivot] = d
            return then(rest // 10, used | 1 << d)

        return force
    table = _SOLVE[coef % 10]
    if len(table[0]) == 1:  # a unit mod 10 (±1, ±3 …): exactly one candidate digit

        def force_unit(carry: int, used: int) -> bool:
            rest = carry
            for letter, c in others:
                rest += c * values[letter]
            d = table[rest % 10][0]
            total = rest + coef * d
            if (used | blocked) >> d & 1 or total < 0:
                return False
            values[pivot] = d
            return then(total // 10, used | 1 << d)

        return force_unit

    def solve_pivot(carry: int, used: int) -> bool:
        rest = carry
        for letter, c in others:
            rest += c * values[letter]
        taken = used | blocked
        for d in table[rest % 10]:
            if not taken >> d & 1 and rest + coef * d >= 0:
                values[pivot] = d
                if then((rest + coef * d) // 10, used | 1 << d):
                    return True
        return False

    return solve_pivot


def _leading_digits(low: int, high: int, length: int) -> int:
    """Bitmask of the leading digits of `length`-digit numbers between `low` and `high`."""
    low, high, unit = max(low, 10 ** (length - 1)), min(high, 10**length - 1), 10 ** (length - 1)
    return 0 if low > high else sum(1 << d for d in range(low // unit, high // unit + 1))


def solve(equation: Equation, digits: Sequence[int] | None = None, limit: int = 2) -> list[dict[str, int]]:
    """Up to `limit` solutions (letter → digit); with `digits`, the letters use exactly that set.

    Leading letters may not be 0, and the result's leading digit is restricted to what the operand
    lengths allow (the 1 of MONEY in SEND + MORE = MONEY) before the search starts.
    """
    order = list(dict.fromkeys("".join(equation.words)))
    index = {letter: i for i, letter in enumerate(order)}
    blocked = [0] * len(order)
    for word in equation.words:
        blocked[index[word[0]]] |= 1
    banned = 0
    if digits is not None:
        if len(set(digits)) != len(order):
            return []
        banned = _ALL_DIGITS & ~sum(1 << d for d in set(digits))
    values = [0] * len(order)
    found: list[list[int]] = []
    if equation.operation == "multiplication":
        x, y = equation.operands
        low, high = 10 ** (len(x) + len(y) - 2), (10 ** len(x) - 1) * (10 ** len(y) - 1)
        blocked[index[equation.result[0]]] |= _ALL_DIGITS & ~_leading_digits(low, high, len(equation.result))
        _solve_product(equation, index, blocked, banned, values, limit, found)
    else:
        addends, total = equation.sum_form()
        low, high = sum(10 ** (len(w) - 1) for w in addends), sum(10 ** len(w) - 1 for w in addends)
        blocked[index[total[0]]] |= _ALL_DIGITS & ~_leading_digits(low, high, len(total))
        _compile(_sum_columns(addends, total, index), 0, blocked, values, limit, found)(0, banned)
    return [{letter: digits_[index[letter]] for letter in sorted(order)} for digits_ in found]


def _sum_columns(addends: Sequence[str], total: str, index: Mapping[str, int]) -> list[Column]:
    columns: list[Column] = []
    for k in range(1, len(total) + 1):
        column: Column = {}
        for word in addends:
            if k <= len(word):
                letter = index[word[-k]]
                column[letter] = column.get(letter, 0) + 1
        letter = index[total[-k]]
        column[letter] = column.get(letter, 0) - 1
        columns.append(column)
    return columns


def _solve_product(
    equation: Equation, index: Mapping[str, int], blocked: Sequence[int], banned: int, values: list[int], limit: int,
    found: list[list[int]],
) -> None:
    """X × Y = Z: enumerate the multiplier's letters, then solve the linear columns of X·y = Z."""
    multiplicand, multiplier = equation.operands
    product = equation.result
    fixed = list(dict.fromkeys(index[letter] for letter in multiplier))
    known = sum(1 << i for i in fixed)

    def choose(j: int, used: int) -> bool:
        if j < len(fixed):
            letter = fixed[j]
            for d in _FREE[used | blocked[letter]]:
                values[letter] = d
                if choose(j + 1, used | 1 << d):
                    return True
            return False
        y = [values[index[letter]] for letter in reversed(multiplier)]
        columns: list[Column] = []
        for k in range(1, len(product) + 1):
            column: Column = {}
            for i in range(max(0, k - len(y)), min(k, len(multiplicand))):
                letter = index[multiplicand[-1 - i]]
                column[letter] = column.get(letter, 0) + y[k - 1 - i]
            letter = index[product[-k]]
            column[letter] = column.get(letter, 0) - 1
            columns.append(column)
        _compile(columns, known, blocked, values, limit, found)(0, used)
        return len(found) >= limit

    choose(0, banned)


# ------------------------------------------------------------------------------------------ config


class CryptarithmConfig(TemplateConfig):
    """Operations, operand count and length, number of distinct letters, and whether the digit set is given."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(operations=("addition",), min_addends=2, max_addends=2, min_length=2, max_length=4,
                     min_letters=4, max_letters=5, digits_given=True),
        "medium": dict(operations=("addition",), min_addends=2, max_addends=3, min_length=3, max_length=5,
                       min_letters=5, max_letters=7, digits_given=True),
        "hard": dict(operations=OPERATIONS, min_addends=2, max_addends=3, min_length=3, max_length=6,
                     min_letters=6, max_letters=8, max_multiplier_length=1, digits_given=True),
        "expert": dict(operations=OPERATIONS, min_addends=2, max_addends=4, min_length=4, max_length=6,
                       min_letters=5, max_letters=6, max_multiplier_length=1, digits_given=False),
        "master": dict(operations=("addition", "multiplication"), min_addends=3, max_addends=5, min_length=4,
                       max_length=6, min_letters=5, max_letters=7, max_multiplier_length=2, digits_given=False),
    }  # fmt: skip
    default_level: ClassVar[str | None] = "medium"

    operations: tuple[str, ...] = Field(("addition",), description="Drawn from: addition, subtraction, multiplication.")
    min_addends: int = Field(2, ge=2, le=8, description="Fewest words added (addition).")
    max_addends: int = Field(3, ge=2, le=8, description="Most words added (addition).")
    min_length: int = Field(3, ge=1, le=8, description="Shortest operand word (the multiplicand for products).")
    max_length: int = Field(5, ge=1, le=8, description="Longest operand word.")
    max_multiplier_length: int = Field(1, ge=1, le=2, description="Longest multiplier word (multiplication).")
    min_letters: int = Field(5, ge=2, le=10, description="Fewest distinct letters in the puzzle.")
    max_letters: int = Field(7, ge=2, le=10, description="Most distinct letters in the puzzle.")
    digits_given: bool = Field(True, description="Tell which digits the letters use (a bijection onto that set).")

    @model_validator(mode="after")
    def _coherent(self) -> CryptarithmConfig:
        if not self.operations or set(self.operations) - set(OPERATIONS) or len(set(self.operations)) != len(self.operations):
            raise ValueError(f"operations {self.operations!r} must be distinct names from {OPERATIONS}")
        for low, high in (("min_addends", "max_addends"), ("min_length", "max_length"), ("min_letters", "max_letters")):
            if getattr(self, low) > getattr(self, high):
                raise ValueError(f"{low} ({getattr(self, low)}) exceeds {high} ({getattr(self, high)})")
        if self.max_length < 2:
            raise ValueError("max_length must be at least 2: one-letter operands make no puzzle")
        return self


# ------------------------------------------------------------------------------------------ generation


_POOLS: dict[int, tuple[tuple[int, ...], ...]] = {}


def _pools(size: int) -> tuple[tuple[int, ...], ...]:
    """Every set of `size` digits with a non-zero one (drawn by one index instead of `rng.sample`)."""
    pools = _POOLS.get(size)
    if pools is None:
        import itertools

        pools = _POOLS[size] = tuple(p for p in itertools.combinations(range(10), size) if p != (0,))
    return pools


def _operand(rand: Callable[[], float], pool: Sequence[int], length: int) -> int:
    """A number of `length` digits from `pool`, not starting with 0 (pool must hold a non-zero digit)."""
    size = len(pool)
    first = pool[int(rand() * size)]
    while first == 0:
        first = pool[int(rand() * size)]
    value = first
    for _ in range(length - 1):
        value = value * 10 + pool[int(rand() * size)]
    return value


def _draw_numbers(rand: Callable[[], float], config: CryptarithmConfig, operation: str, pool: Sequence[int]) -> tuple[list[int], int]:
    """Operands and result, as numbers, for one draw."""
    low, span = config.min_length, config.max_length - config.min_length + 1
    if operation == "multiplication":
        shortest = max(low, 2)
        x = _operand(rand, pool, shortest + int(rand() * (config.max_length - shortest + 1)))
        y = _operand(rand, pool, 1 + int(rand() * config.max_multiplier_length))
        return [x, y], x * y
    if operation == "addition":
        count = config.min_addends + int(rand() * (config.max_addends - config.min_addends + 1))
    else:
        count = 2
    numbers = [_operand(rand, pool, low + int(rand() * span)) for _ in range(count)]
    if operation == "subtraction":  # B + C = A, shown as A - B = C
        return [numbers[0] + numbers[1], numbers[0]], numbers[1]
    return numbers, sum(numbers)


_SETS: dict[str, tuple[tuple[int, ...], dict[str, int]]] = {}


def _count_given(operation: str, texts: Sequence[str], used: Sequence[str]) -> int | None:
    """1 if the puzzle has exactly one solution among the permutations of the digit set `used` (sorted digit
    characters; the hidden solution gives letter i the digit used[i]), else the number of solutions or
    2 when two are found cheaply (vectorised, complete); None when the
    float32 table would not be exact (then the solver decides)."""
    key = "".join(used)
    known = _SETS.get(key)
    if known is None:
        known = _SETS[key] = (tuple(map(int, used)), {c: i for i, c in enumerate(used)})
    digits, position = known
    leading = 0
    bound = 0
    for text in texts:
        leading |= 1 << position[text[0]]
        bound += 10 ** len(text)  # > 9 · Σ|place values|: every partial sum stays below it
    if operation == "multiplication":
        rows = [[0] * len(used) for _ in texts]
        for row, text in zip(rows, texts):
            if 10 ** len(text) >= EXACT:
                return None
            place = 1
            for c in reversed(text):
                row[position[c]] += place
                place *= 10
        return count_product(digits, rows, leading)
    if bound >= EXACT:
        return None
    coefs = [0] * len(used)
    last = len(texts) - 1
    for j, text in enumerate(texts):
        place = 1 if j == 0 or (j < last and operation == "addition") else -1
        for c in reversed(text):
            coefs[position[c]] += place
            place *= 10
    if len(set(coefs)) < len(coefs):  # a cheap necessary condition: two letters with one coefficient swap
        zero = digits[0] == 0  # … into a second solution unless that puts 0 first in a word
        for i in range(len(coefs)):
            for j in range(i + 1, len(coefs)):
                if coefs[i] == coefs[j] and not (zero and (i == 0 and leading >> j & 1 or j == 0 and leading >> i & 1)):
                    return 2  # at least two
    return count_linear(digits, coefs, leading)


def draw_puzzle(rng: random.Random, config: CryptarithmConfig) -> tuple[Equation, dict[str, int]]:
    """A cryptarithm within the config's bounds and its unique solution (proved by a complete count).

    The digit pool is a little smaller than the letter count wanted: the result brings a digit or
    two of its own, and repeated letters are what make a puzzle unique. With the digit set given
    and at most seven letters, the count is the vectorised one of `_cryptarithm_count` (every
    permutation of the set evaluated); otherwise the column solver's, stopped at a second solution.
    """
    rand = rng.random
    operations = config.operations
    smallest, largest = max(2, config.min_letters - 2), max(2, config.max_letters - 1)
    low, high = config.min_letters, config.max_letters
    given = config.digits_given
    for _ in range(_MAX_ATTEMPTS):
        operation = operations[int(rand() * len(operations))]
        pools = _pools(smallest + int(rand() * (largest - smallest + 1)))
        operands, result = _draw_numbers(rand, config, operation, pools[int(rand() * len(pools))])
        if operation == "multiplication" and operands[1] == 1:
            continue  # X × 1 = X: never unique
        texts = [str(n) for n in (*operands, result)]
        used = sorted(set("".join(texts)))
        size = len(used)
        if not low <= size <= high:
            continue
        if given and size <= MAX_LETTERS:
            count = _count_given(operation, texts, used)
            if count is not None and count != 1:
                continue
        else:
            count = None
        letters = list(_ALPHABET)  # a partial Fisher-Yates shuffle: the letters of the used digits
        for i in range(size):
            j = i + int(rand() * (26 - i))
            letters[i], letters[j] = letters[j], letters[i]
        table = str.maketrans(dict(zip(used, letters)))
        words = [text.translate(table) for text in texts]
        equation = Equation(operation, tuple(words[:-1]), words[-1])
        if count == 1:
            return equation, {letter: int(digit) for letter, digit in sorted(zip(letters, used))}
        found = solve(equation, [int(c) for c in used] if given else None)
        if len(found) == 1:
            return equation, found[0]
    raise RuntimeError(f"no cryptarithm with a unique solution after {_MAX_ATTEMPTS} draws under {config!r}")


# ------------------------------------------------------------------------------------------ template


_BACKWARDS = _ALPHABET[::-1]
_INTRO = "Solve this cryptarithm: each letter stands for a digit, so that the arithmetic below is correct.\n\n"
_TIMES = " (× is multiplication)."
_RULES = (
    "Rules: different letters stand for different digits; no number starts with 0 (the first letter of every "
    "word, even a one-letter word, is not 0).\n"
)
_ONE = "Exactly one assignment of digits solves the puzzle.\n"


def _and_list(items: Sequence[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else items[0]


@register
class Cryptarithm(Template):
    """Find the digit of every letter in a letter-arithmetic equation; answer `A=1, B=2, …` in <answer> tags."""

    name = "Cryptarithm"
    version = 1
    domain = "logic"
    tags = ("logic/cryptarithm",)
    description = "Letter arithmetic (addition, subtraction, multiplication) with exactly one solution."
    Config = CryptarithmConfig
    answer_format = AnswerFormat.TAG

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, CryptarithmConfig)
        equation, mapping = draw_puzzle(rng, config)
        letters = list(mapping)  # sorted: draw_puzzle returns the mapping in letter order
        spare = [c for c in _BACKWARDS if c not in mapping][:2]  # ten letters at most: two are always left
        product = equation.operation == "multiplication"
        digits = sorted(mapping.values()) if config.digits_given else None
        digit_line = (
            f"The {len(letters)} letters stand for exactly the digits {_and_list([str(d) for d in digits])}, "
            "each digit for one letter.\n"
            if digits is not None else ""
        )
        prompt = (
            f"{_INTRO}{equation.layout()}\n\nIn one line: {equation.text()}{_TIMES if product else '.'}\n\n{_RULES}"
            f"{digit_line}{_ONE}Give the digit of every letter ({_and_list(letters)}) as `LETTER=digit`, separated by "
            f"commas, in any order (the form only, with other letters: {spare[0]}=3, {spare[1]}=0).\n"
            f"{self.answer_format.instruction}"
        )
        tags = (f"logic/cryptarithm/{equation.operation}", "logic/cryptarithm/digits_given") if digits is not None else (
            f"logic/cryptarithm/{equation.operation}",
        )
        return Draft(
            prompt=prompt,
            answer={"mapping": mapping},
            metadata={"operation": equation.operation, "operands": list(equation.operands), "result": equation.result,
                      "digits": digits},
            tags=tags,
        )

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        equation = Equation.from_json(problem.metadata)
        letters = equation.letters
        parsed = try_parse_assignment(answer, letters, digit_value)
        if isinstance(parsed, AssignmentError):
            hint = "write every letter as `LETTER=digit`, one digit 0-9 each"
            return Verdict.fail(parsed.reason, f"{parsed} ({hint})", answer=answer)
        given = problem.metadata.get("digits")
        checks = {
            "distinct_digits": len(set(parsed.values())) == len(parsed),
            "no_leading_zero": all(parsed[letter] != 0 for letter in equation.leading),
            "digit_set": given is None or sorted(parsed.values()) == sorted(given),
            "equation_holds": equation.holds(parsed),
        }
        if all(checks.values()):
            return Verdict.correct(checks=checks, answer=answer)
        broken = ", ".join(name.replace("_", " ") for name, ok in checks.items() if not ok)
        return Verdict.fail(WRONG_ANSWER, f"the mapping breaks the puzzle's rules: {broken}", checks=checks, answer=answer)

    def reference_response(self, problem: Problem) -> str:
        equation = Equation.from_json(problem.metadata)
        mapping = {letter: int(digit) for letter, digit in problem.answer["mapping"].items()}
        numbers = [str(number(word, mapping)) for word in equation.words]
        shown = f" {SYMBOLS[equation.operation]} ".join(numbers[:-1]) + f" = {numbers[-1]}"
        lines = [f"Try {format_assignment(mapping)}: {equation.text()} becomes {shown}. Checking it column by column:"]
        lines += column_trace(equation, mapping)
        leading = ", ".join(f"{letter}={mapping[letter]}" for letter in equation.leading)
        lines.append(f"Every letter has its own digit and no word starts with 0 ({leading}), so this is the solution.")
        lines.append(self.answer_format.wrap(format_assignment(mapping)))
        return "\n".join(lines)


def column_trace(equation: Equation, mapping: Mapping[str, int]) -> list[str]:
    """The written check of a solution, one line per column from the units (a subtraction as its addition)."""
    if equation.operation == "multiplication":
        top, bottom = equation.operands
        total = equation.result
        x = [mapping[c] for c in reversed(top)]
        y = [mapping[c] for c in reversed(bottom)]
        terms = [[f"{x[i]}×{y[k - i]}" for i in range(len(x)) if 0 <= k - i < len(y)] for k in range(len(total))]
        values = [sum(x[i] * y[k - i] for i in range(len(x)) if 0 <= k - i < len(y)) for k in range(len(total))]
        lines = []
    else:
        addends, total = equation.sum_form()
        terms = [[str(mapping[w[-1 - k]]) for w in addends if k < len(w)] for k in range(len(total))]
        values = [sum(mapping[w[-1 - k]] for w in addends if k < len(w)) for k in range(len(total))]
        lines = [f"(as the addition {' + '.join(addends)} = {total})"] if equation.operation == "subtraction" else []
    carry = 0
    for k, (parts, value) in enumerate(zip(terms, values)):
        if not parts:
            lines.append(f"- column {k + 1}: the carry {carry} gives {total[-1 - k]}={carry % 10}")
            carry //= 10
            continue
        summed = value + carry
        shown = " + ".join(parts) + (f" + carry {carry}" if carry else "")
        lines.append(f"- column {k + 1}: {shown} = {summed}, so {total[-1 - k]}={summed % 10}, carry {summed // 10}")
        carry = summed // 10
    return lines
