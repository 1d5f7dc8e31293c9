"""`NumberRiddle`: find the one k-digit number that satisfies a list of generated clues.

Why this template: the Kimi K2 gym names riddles among its logic tasks; copied riddles are few,
famous and memorised. Here they are generated: a target number is drawn, clues that are true of it
are drawn at random ("the sum of its digits is 14", "its tens digit is twice its units digit", "it
leaves a remainder of 3 when divided by 7" …) and kept while each removes candidates, until exactly
one number with k digits is left (`vrgym.tasks.logic.riddles.narrow`: the filtering over the whole
range is the uniqueness proof). Generation filters with numpy masks over a table of all k-digit
numbers (a 5-digit range is 90,000 numbers); the verifier uses the plain-Python definition of each
clue, and the tests check that the two agree and repeat the uniqueness proof by brute force with
the plain definitions on many seeds.

Levels change which kinds of clue exist and the size of the search space:

* easy — three digits; direct clues (a digit's value or parity, bounds, divisibility, digit sum);
* medium — three digits; adds relations between digits, digit product, distinct digits, palindrome;
* hard — three digits; no digit is given outright and no bounds: only relations, remainders,
  parity, squares and primes, reversal — the number has to be searched for;
* expert — four digits, the same kinds plus digit counts and monotone digits;
* master — five digits and only clues about the number as a whole (no clue names a position).

Answer: the number in `\\boxed{}`, parsed by `vrgym.verifiers.numbers` (integer spellings only:
`482`, `+482`, `4,821`; not `482.0`, words or expressions). It scores 1 iff it is an integer with k
digits that satisfies every clue of the problem (checked clue by clue, not by equality with the
stored number); the clue check never sees a number outside the range, so it is cheap on any input.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

from pydantic import Field, field_validator, model_validator

from vrgym.config import TemplateConfig
from vrgym.problem import Problem
from vrgym.registry import register
from vrgym.tasks.logic.riddles import Clue, check_clue_range, clue_verdict, draw_riddle, known_kinds, numbered
from vrgym.template import Draft, Template
from vrgym.verdict import FORMAT, WRONG_ANSWER, Verdict
from vrgym.verifiers.extraction import AnswerFormat
from vrgym.verifiers.numbers import NumberFormatError, parse_exact_number

PLACES = ("units", "tens", "hundreds", "thousands", "ten-thousands")
COUNT_WORDS = ("no", "one", "two", "three", "four", "five")
FACTORS = {2: "twice", 3: "three times", 4: "four times"}
DIVISORS = range(2, 14)
SHOWN_EXAMPLE = 1_000_000
"""The syntax example of the prompt: outside every level's range, so it is never an answer."""

Digits = tuple[int, ...]


def digits_of(n: int) -> Digits:
    """Decimal digits of a positive `n`, most significant first."""
    return tuple(map(int, str(n)))


def bounds(k: int) -> tuple[int, int]:
    """Smallest and largest number with `k` digits."""
    return 10 ** (k - 1), 10**k - 1


def _place(clue: Clue, key: str, k: int) -> str:
    return PLACES[k - 1 - clue[key]]


def _is_square(n: int) -> bool:
    return math.isqrt(n) ** 2 == n


def _is_prime(n: int) -> bool:
    if n < 2:
        return False
    return all(n % p for p in range(2, math.isqrt(n) + 1))


def _reverse(d: Digits) -> int:
    return int("".join(map(str, reversed(d))))


def _ordered(d: Digits, order: str) -> bool:
    pairs = list(zip(d, d[1:]))
    return all(a < b for a, b in pairs) if order == "increasing" else all(a > b for a, b in pairs)


def _not(flag: bool, text: str, negated: str) -> str:
    return text if flag else negated


# --------------------------------------------------------------------------------------- clue kinds


@dataclass(frozen=True)
class Kind:
    """One kind of clue: when it holds (for one number, and vectorised over many), how it reads, and
    which clues of this kind are true of a number.

    `test` is the plain-Python definition the verifier uses; `mask` is the same predicate over numpy
    arrays, used only to narrow the whole range quickly during generation. The tests check that the
    two agree on every number of every digit count, and prove uniqueness again with `test` alone.
    """

    test: Callable[[Clue, int, Digits], bool]
    mask: Callable[[Clue, NumberTable, Any, Any], Any]
    say: Callable[[Clue, int], str]
    draw: Callable[[random.Random, int, Digits], list[Clue]]


class NumberTable:
    """Columns of facts about every k-digit number (numpy arrays, row i is number low + i)."""

    def __init__(self, k: int) -> None:
        import numpy as np  # lazily: `import vrgym` stays light

        self.low, high = bounds(k)
        n = np.arange(self.low, high + 1, dtype=np.int64)
        self.digits = np.stack([n // 10 ** (k - 1 - p) % 10 for p in range(k)], axis=1)
        self.sum = self.digits.sum(axis=1)
        self.product = self.digits.prod(axis=1)
        self.distinct = 1 + (np.diff(np.sort(self.digits, axis=1), axis=1) != 0).sum(axis=1)
        self.even = (self.digits % 2 == 0).sum(axis=1)
        self.count = [(self.digits == x).sum(axis=1) for x in range(10)]
        self.reverse = sum(self.digits[:, p] * 10**p for p in range(k))
        self.palindrome = (self.digits == self.digits[:, ::-1]).all(axis=1)
        root = np.rint(np.sqrt(n)).astype(np.int64)
        self.square = root * root == n
        sieve = np.ones(high + 1, dtype=bool)
        sieve[:2] = False
        for p in range(2, math.isqrt(high) + 1):
            if sieve[p]:
                sieve[p * p :: p] = False
        self.prime = sieve[self.low :]
        steps = np.diff(self.digits, axis=1)
        self.ordered = {"increasing": (steps > 0).all(axis=1), "decreasing": (steps < 0).all(axis=1)}
        self.numbers = n


@lru_cache(maxsize=8)
def number_table(k: int) -> NumberTable:
    """The table of k-digit numbers, built once per process."""
    return NumberTable(k)


def _pairs(d: Digits) -> list[tuple[int, int]]:
    return [(p, o) for p in range(len(d)) for o in range(len(d)) if p != o]


def _some(rng: random.Random, clues: list[Clue], n: int) -> list[Clue]:
    return rng.sample(clues, min(n, len(clues)))


def _bound_below(rng: random.Random, n: int, d: Digits) -> list[Clue]:
    low = bounds(len(d))[0]
    return [{"value": rng.randint(low, n - 1)}] if n > low else []


def _bound_above(rng: random.Random, n: int, d: Digits) -> list[Clue]:
    high = bounds(len(d))[1]
    return [{"value": rng.randint(n + 1, high)}] if n < high else []


def _digit_presence(rng: random.Random, n: int, d: Digits) -> list[Clue]:
    absent = [x for x in range(10) if x not in d]
    clues = [{"digit": rng.choice(d), "present": True}]
    if absent:
        clues.append({"digit": rng.choice(absent), "present": False})
    return clues


def _digit_count(rng: random.Random, n: int, d: Digits) -> list[Clue]:
    repeated = [x for x in set(d) if d.count(x) >= 2]
    x = rng.choice(sorted(repeated)) if repeated else rng.choice(d)
    return [{"digit": x, "count": d.count(x)}]


def _times(count: int) -> str:
    return {1: "exactly once", 2: "exactly twice"}.get(count, f"exactly {count} times")


def _col(t: NumberTable, r: Any, p: int) -> Any:
    return t.digits[r, p]


KINDS: dict[str, Kind] = {
    "digit_sum": Kind(
        lambda c, n, d: sum(d) == c["value"],
        lambda c, t, r, n: t.sum[r] == c["value"],
        lambda c, k: f"The sum of its digits is {c['value']}.",
        lambda rng, n, d: [{"value": sum(d)}],
    ),
    "digit_product": Kind(
        lambda c, n, d: math.prod(d) == c["value"],
        lambda c, t, r, n: t.product[r] == c["value"],
        lambda c, k: f"The product of its digits is {c['value']}.",
        lambda rng, n, d: [{"value": math.prod(d)}],
    ),
    "digit_is": Kind(
        lambda c, n, d: d[c["position"]] == c["value"],
        lambda c, t, r, n: _col(t, r, c["position"]) == c["value"],
        lambda c, k: f"Its {_place(c, 'position', k)} digit is {c['value']}.",
        lambda rng, n, d: [{"position": p, "value": x} for p, x in enumerate(d)],
    ),
    "digit_parity": Kind(
        lambda c, n, d: (d[c["position"]] % 2 == 0) == c["even"],
        lambda c, t, r, n: (_col(t, r, c["position"]) % 2 == 0) == c["even"],
        lambda c, k: f"Its {_place(c, 'position', k)} digit is {'even' if c['even'] else 'odd'}.",
        lambda rng, n, d: [{"position": p, "even": x % 2 == 0} for p, x in enumerate(d)],
    ),
    "digit_compare": Kind(
        lambda c, n, d: d[c["position"]] > d[c["other"]],
        lambda c, t, r, n: _col(t, r, c["position"]) > _col(t, r, c["other"]),
        lambda c, k: f"Its {_place(c, 'position', k)} digit is greater than its {_place(c, 'other', k)} digit.",
        lambda rng, n, d: _some(rng, [{"position": p, "other": o} for p, o in _pairs(d) if d[p] > d[o]], 2),
    ),
    "digit_multiple": Kind(
        lambda c, n, d: d[c["position"]] == c["factor"] * d[c["other"]],
        lambda c, t, r, n: _col(t, r, c["position"]) == c["factor"] * _col(t, r, c["other"]),
        lambda c, k: f"Its {_place(c, 'position', k)} digit is {FACTORS[c['factor']]} its {_place(c, 'other', k)} digit.",
        lambda rng, n, d: [
            {"position": p, "other": o, "factor": d[p] // d[o]}
            for p, o in _pairs(d)
            if d[o] and d[p] % d[o] == 0 and d[p] // d[o] in FACTORS
        ],
    ),
    "digit_difference": Kind(
        lambda c, n, d: d[c["position"]] - d[c["other"]] == c["value"],
        lambda c, t, r, n: _col(t, r, c["position"]) - _col(t, r, c["other"]) == c["value"],
        lambda c, k: f"Its {_place(c, 'position', k)} digit is {c['value']} more than its {_place(c, 'other', k)} digit.",
        lambda rng, n, d: _some(rng, [{"position": p, "other": o, "value": d[p] - d[o]} for p, o in _pairs(d) if d[p] > d[o]], 2),
    ),
    "digit_pair_sum": Kind(
        lambda c, n, d: d[c["position"]] + d[c["other"]] == c["value"],
        lambda c, t, r, n: _col(t, r, c["position"]) + _col(t, r, c["other"]) == c["value"],
        lambda c, k: f"Its {_place(c, 'position', k)} and {_place(c, 'other', k)} digits add up to {c['value']}.",
        lambda rng, n, d: _some(rng, [{"position": p, "other": o, "value": d[p] + d[o]} for p, o in _pairs(d) if p > o], 2),
    ),
    "divisible": Kind(
        lambda c, n, d: n % c["divisor"] == 0,
        lambda c, t, r, n: n % c["divisor"] == 0,
        lambda c, k: f"It is divisible by {c['divisor']}.",
        lambda rng, n, d: _some(rng, [{"divisor": m} for m in DIVISORS if n % m == 0], 2),
    ),
    "not_divisible": Kind(
        lambda c, n, d: n % c["divisor"] != 0,
        lambda c, t, r, n: n % c["divisor"] != 0,
        lambda c, k: f"It is not divisible by {c['divisor']}.",
        lambda rng, n, d: _some(rng, [{"divisor": m} for m in DIVISORS if m > 2 and n % m], 1),
    ),
    "remainder": Kind(
        lambda c, n, d: n % c["divisor"] == c["value"],
        lambda c, t, r, n: n % c["divisor"] == c["value"],
        lambda c, k: f"It leaves a remainder of {c['value']} when divided by {c['divisor']}.",
        lambda rng, n, d: _some(rng, [{"divisor": m, "value": n % m} for m in DIVISORS if m > 2 and n % m], 3),
    ),
    "parity": Kind(
        lambda c, n, d: (n % 2 == 0) == c["even"],
        lambda c, t, r, n: (n % 2 == 0) == c["even"],
        lambda c, k: f"It is {'even' if c['even'] else 'odd'}.",
        lambda rng, n, d: [{"even": n % 2 == 0}],
    ),
    "distinct_digits": Kind(
        lambda c, n, d: len(set(d)) == c["value"],
        lambda c, t, r, n: t.distinct[r] == c["value"],
        lambda c, k: "All of its digits are different." if c["value"] == k else f"It has exactly {COUNT_WORDS[c['value']]} different digits.",
        lambda rng, n, d: [{"value": len(set(d))}],
    ),
    "palindrome": Kind(
        lambda c, n, d: (d == d[::-1]) == c["value"],
        lambda c, t, r, n: t.palindrome[r] == c["value"],
        lambda c, k: _not(c["value"], "It reads the same forwards and backwards.", "It does not read the same forwards and backwards."),
        lambda rng, n, d: [{"value": d == d[::-1]}],
    ),
    "square": Kind(
        lambda c, n, d: _is_square(n) == c["value"],
        lambda c, t, r, n: t.square[r] == c["value"],
        lambda c, k: _not(c["value"], "It is a perfect square.", "It is not a perfect square."),
        lambda rng, n, d: [{"value": _is_square(n)}],
    ),
    "prime": Kind(
        lambda c, n, d: _is_prime(n) == c["value"],
        lambda c, t, r, n: t.prime[r] == c["value"],
        lambda c, k: _not(c["value"], "It is a prime number.", "It is not a prime number."),
        lambda rng, n, d: [{"value": _is_prime(n)}],
    ),
    "greater_than": Kind(
        lambda c, n, d: n > c["value"],
        lambda c, t, r, n: n > c["value"],
        lambda c, k: f"It is greater than {c['value']}.",
        _bound_below,
    ),
    "less_than": Kind(
        lambda c, n, d: n < c["value"],
        lambda c, t, r, n: n < c["value"],
        lambda c, k: f"It is less than {c['value']}.",
        _bound_above,
    ),
    "contains_digit": Kind(
        lambda c, n, d: (c["digit"] in d) == c["present"],
        lambda c, t, r, n: (t.count[c["digit"]][r] > 0) == c["present"],
        lambda c, k: f"It {'contains' if c['present'] else 'does not contain'} the digit {c['digit']}.",
        _digit_presence,
    ),
    "digit_count": Kind(
        lambda c, n, d: d.count(c["digit"]) == c["count"],
        lambda c, t, r, n: t.count[c["digit"]][r] == c["count"],
        lambda c, k: f"The digit {c['digit']} appears in it {_times(c['count'])}.",
        _digit_count,
    ),
    "even_digits": Kind(
        lambda c, n, d: sum(x % 2 == 0 for x in d) == c["value"],
        lambda c, t, r, n: t.even[r] == c["value"],
        lambda c, k: "None of its digits is even." if c["value"] == 0 else f"Exactly {COUNT_WORDS[c['value']]} of its digits {'is' if c['value'] == 1 else 'are'} even.",
        lambda rng, n, d: [{"value": sum(x % 2 == 0 for x in d)}],
    ),
    "monotone": Kind(
        lambda c, n, d: _ordered(d, c["order"]),
        lambda c, t, r, n: t.ordered[c["order"]][r],
        lambda c, k: f"Its digits strictly {c['order'].removesuffix('ing') + 'e'} from left to right.",
        lambda rng, n, d: [{"order": order} for order in ("increasing", "decreasing") if _ordered(d, order)],
    ),
    "reverse_compare": Kind(
        lambda c, n, d: (n > _reverse(d)) == c["greater"],
        lambda c, t, r, n: (n > t.reverse[r]) == c["greater"],
        lambda c, k: f"It is {'greater' if c['greater'] else 'less'} than the number formed by reading its digits backwards.",
        lambda rng, n, d: [{"greater": n > _reverse(d)}] if n != _reverse(d) else [],
    ),
    "harshad": Kind(
        lambda c, n, d: (n % sum(d) == 0) == c["value"],
        lambda c, t, r, n: (n % t.sum[r] == 0) == c["value"],
        lambda c, k: _not(c["value"], "It is divisible by the sum of its digits.", "It is not divisible by the sum of its digits."),
        lambda rng, n, d: [{"value": n % sum(d) == 0}],
    ),
}  # fmt: skip
"""Every kind of clue. A clue is `{"kind": name, **parameters}`; `draw` gives clues true of the number."""

NEGATIVE_KEEP = 0.3
"""Chance that a clue saying what the number is *not* (not prime, not a palindrome …) enters the pool:
such clues remove few candidates, and a pool full of them makes long, dull riddles."""

DIRECT = ("digit_is", "digit_parity", "digit_compare", "digit_sum", "parity", "divisible", "greater_than", "less_than", "contains_digit")
RELATIONS = ("digit_multiple", "digit_difference", "digit_product", "distinct_digits", "palindrome")
SEARCH = (
    "digit_parity", "digit_compare", "digit_multiple", "digit_difference", "digit_pair_sum", "digit_sum", "digit_product",
    "divisible", "not_divisible", "remainder", "parity", "distinct_digits", "palindrome", "even_digits", "reverse_compare",
    "square", "prime", "harshad", "contains_digit",
)
WHOLE_NUMBER = (
    "digit_sum", "digit_product", "divisible", "not_divisible", "remainder", "parity", "distinct_digits", "palindrome",
    "even_digits", "reverse_compare", "square", "prime", "harshad", "contains_digit", "digit_count", "monotone",
)  # fmt: skip


def holds(clue: Clue, n: int) -> bool:
    """Whether the positive integer `n` satisfies `clue`."""
    return KINDS[clue["kind"]].test(clue, n, digits_of(n))


def describe(clue: Clue, k: int) -> str:
    """The clue as an English sentence about a `k`-digit number."""
    return KINDS[clue["kind"]].say(clue, k)


def _is_negative(clue: Clue) -> bool:
    return clue["kind"] == "not_divisible" or any(clue.get(key) is False for key in ("value", "present"))


def keep_numbers(clue: Clue, numbers: Any) -> Any:
    """The numbers (a numpy array of k-digit numbers, all with the same k) that satisfy `clue`."""
    if len(numbers) == 0:
        return numbers
    table = number_table(len(str(int(numbers[0]))))
    return numbers[KINDS[clue["kind"]].mask(clue, table, numbers - table.low, numbers)]


# --------------------------------------------------------------------------------------- template


class NumberRiddleConfig(TemplateConfig):
    """Digits of the number, the kinds of clue that may appear, and the most clues; each level sets them."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(digits=3, kinds=DIRECT, min_clues=3, max_clues=5),
        "medium": dict(digits=3, kinds=DIRECT + RELATIONS, min_clues=3, max_clues=5),
        "hard": dict(digits=3, kinds=SEARCH, min_clues=3, max_clues=6),
        "expert": dict(digits=4, kinds=SEARCH + ("digit_count", "monotone"), min_clues=4, max_clues=7),
        "master": dict(digits=5, kinds=WHOLE_NUMBER, min_clues=5, max_clues=10),
    }
    default_level: ClassVar[str | None] = "medium"

    digits: int = Field(3, ge=2, le=5, description="How many digits the number has.")
    kinds: tuple[str, ...] = Field(DIRECT + RELATIONS, min_length=1, description="Kinds of clue that may be drawn.")
    min_clues: int = Field(3, ge=1, le=20, description="Fewest clues in one riddle (riddles solved by fewer are redrawn).")
    max_clues: int = Field(5, ge=2, le=20, description="Most clues in one riddle.")

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, kinds: tuple[str, ...]) -> tuple[str, ...]:
        return known_kinds(kinds, KINDS)

    @model_validator(mode="after")
    def _clue_range(self) -> NumberRiddleConfig:
        check_clue_range(self.min_clues, self.max_clues)
        return self


@register
class NumberRiddle(Template):
    """Find the unique k-digit number satisfying generated clues; answer it in \\boxed{}."""

    name = "NumberRiddle"
    version = 0
    domain = "logic"
    tags = ("logic/riddle", "logic/riddle/number")
    description = "Generated number riddles: the one k-digit number that satisfies every clue."
    Config = NumberRiddleConfig
    answer_format = AnswerFormat.BOXED

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, NumberRiddleConfig)
        k = config.digits
        low, high = bounds(k)

        def pool(rng: random.Random, n: int) -> list[Clue]:
            d = digits_of(n)
            clues = [
                {"kind": kind, **params}
                for kind in config.kinds
                for params in KINDS[kind].draw(rng, n, d)
            ]
            clues = [c for c in clues if not _is_negative(c) or rng.random() < NEGATIVE_KEEP]
            rng.shuffle(clues)
            return clues

        riddle = draw_riddle(
            rng, lambda r: r.randint(low, high), pool, number_table(k).numbers, keep_numbers, config.min_clues, config.max_clues
        )
        number, clues = riddle.target, riddle.clues
        size = COUNT_WORDS[k] if k < len(COUNT_WORDS) else str(k)
        lines = [
            f"I am thinking of a {size}-digit number (from {low} to {high}). These clues describe it:",
            "",
            numbered([describe(c, k) for c in clues]),
            "",
            f"Exactly one {size}-digit number satisfies every clue. Which number is it?",
            f"Put your final answer, the number written in digits and nothing else, inside \\boxed{{}}; for instance, "
            f"a riddle whose answer was {SHOWN_EXAMPLE:,} would be answered \\boxed{{{SHOWN_EXAMPLE}}}.",
        ]
        kinds = sorted({c["kind"] for c in clues})
        return Draft(
            prompt="\n".join(lines),
            answer={"number": number},
            metadata={"digits": k, "clues": clues, "kinds": kinds},
        )

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        try:
            number = parse_exact_number(answer, max_digits=12)
        except NumberFormatError as exc:
            return Verdict.fail(FORMAT, f"the answer is not a number: {exc}", answer=answer)
        k = int(problem.metadata["digits"])
        low, high = bounds(k)
        if number.form != "integer" or number.value.denominator != 1:
            return Verdict.fail(FORMAT, "write the number as an integer in digits", answer=answer)
        value = int(number.value)
        if not low <= value <= high:
            return Verdict.fail(WRONG_ANSWER, f"the answer must be a {k}-digit number, from {low} to {high}", answer=answer)
        return clue_verdict(list(problem.metadata["clues"]), value, holds, answer)

    def reference_response(self, problem: Problem) -> str:
        number = int(problem.answer["number"])
        k = int(problem.metadata["digits"])
        lines = [f"Trying the candidates against the clues leaves only {number}. Checking it against each clue:"]
        for i, clue in enumerate(problem.metadata["clues"], 1):
            lines.append(f"{i}. {describe(clue, k)} {explain(clue, number)}")
        lines.append(self.answer_format.wrap(str(number)))
        return "\n".join(lines)


def explain(clue: Clue, n: int) -> str:
    """A short computation showing that `n` satisfies `clue` (for reference responses)."""
    d = digits_of(n)
    kind = clue["kind"]
    if kind == "digit_sum":
        return f"{' + '.join(map(str, d))} = {sum(d)}."
    if kind == "digit_product":
        return f"{' × '.join(map(str, d))} = {math.prod(d)}."
    if kind in ("divisible", "remainder", "not_divisible"):
        m = clue["divisor"]
        return f"{n} = {m} × {n // m} + {n % m}."
    if kind == "harshad":
        return f"{n} = {sum(d)} × {n // sum(d)} + {n % sum(d)}."
    if kind == "reverse_compare":
        return f"The digits backwards give {_reverse(d)}."
    if kind == "square":
        return f"{math.isqrt(n)}² = {math.isqrt(n) ** 2}."
    return f"Yes: the digits are {', '.join(map(str, d))}."
