"""`Combinatorics`: counting problems with one exact integer answer.

Why this template: counting is where a model's plausible-looking reasoning most often double-counts
or misses a case, and the answer is a single integer that the template computes by a formula the
tests re-derive by brute-force enumeration.

Levels change the kind of argument needed:

* easy — one principle: ordered selections P(n, k), unordered selections C(n, k), the product
  rule, arrangements of distinct letters;
* medium — arrangements of letters with repeats (multinomials), committees with a condition,
  round-table seatings, stars and bars (non-negative and positive solutions);
* hard — inclusion–exclusion (divisible by at least one / none of three numbers), seatings with
  two people together or apart, derangements, stars and bars with an upper bound, lattice paths
  through a point;
* expert — onto distributions (surjections), lattice paths avoiding a point, arrangements with
  no two equal letters adjacent, exactly j fixed points, bounded stars and bars with lower bounds.

Every answer is `G.integer`; the question states what is distinguished (people, boxes, seats) so
that the count is unambiguous.
"""

from __future__ import annotations

import random
from functools import lru_cache
from math import comb, factorial, lcm, perm
from typing import Any, ClassVar

from pydantic import Field

from vrgym.registry import register
from vrgym.tasks.math._counting import bounded_compositions, derangements, letters_word, multinomial, surjections
from vrgym.tasks.math._kinds import KindsConfig, KindTemplate, Made
from vrgym.verifiers.math import gold as G

INTEGER = "Give the count as a single integer."
_LETTERS = "ABCDEFGHKLMNPRST"


class CombinatoricsConfig(KindsConfig):
    """Which counting arguments a level asks for, and how large the sets are."""

    KINDS: ClassVar[tuple[str, ...]] = (
        "permutations", "combinations", "product_rule", "distinct_arrangements",
        "repeated_letters", "committee", "circular", "stars_and_bars",
        "inclusion_exclusion", "together_apart", "derangements", "bounded_stars", "lattice_through",
        "surjections", "lattice_avoid", "no_adjacent", "fixed_points",
    )
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("permutations", "combinations", "product_rule", "distinct_arrangements"), size=1),
        "medium": dict(kinds=("repeated_letters", "committee", "circular", "stars_and_bars"), size=2),
        "hard": dict(kinds=("inclusion_exclusion", "together_apart", "derangements", "bounded_stars", "lattice_through"), size=3),
        "expert": dict(kinds=("surjections", "lattice_avoid", "no_adjacent", "fixed_points", "bounded_stars"), size=4),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = ("repeated_letters", "committee", "circular", "stars_and_bars")
    size: int = Field(2, ge=1, le=4, description="Size of the sets counted: 1 small .. 4 large.")


# --------------------------------------------------------------------------------------- easy


def make_permutations(rng: random.Random, config: CombinatoricsConfig) -> Made:
    n = rng.randint(5, 8 + 4 * config.size)
    k = rng.randint(2, min(4, n - 1))
    prizes = ["first", "second", "third", "fourth"][:k]
    value = perm(n, k)
    return Made(
        f"In a race with {n} runners, prizes are awarded for {', '.join(prizes[:-1])} and {prizes[-1]} place "
        "(no ties). In how many ways can the prizes be awarded?", G.integer(value), INTEGER,
        [f"Order matters and nobody wins twice: P({n}, {k}) = " + " · ".join(str(n - i) for i in range(k)) + f" = {value}"],
        data={"n": n, "k": k},
    )


def make_combinations(rng: random.Random, config: CombinatoricsConfig) -> Made:
    n = rng.randint(6, 10 + 4 * config.size)
    k = rng.randint(2, min(6, n - 2))
    value = comb(n, k)
    return Made(
        f"A club has {n} members. In how many ways can a committee of {k} members be chosen "
        "(the committee has no roles, so only who is on it matters)?", G.integer(value), INTEGER,
        [f"Order does not matter: C({n}, {k}) = {n}! / ({k}!·{n - k}!) = {value}"], data={"n": n, "k": k},
    )


def make_product_rule(rng: random.Random, config: CombinatoricsConfig) -> Made:
    counts = [rng.randint(2, 6 + config.size) for _ in range(rng.randint(3, 4))]
    items = ["shirts", "pairs of trousers", "pairs of shoes", "hats"][: len(counts)]
    value = 1
    for c in counts:
        value *= c
    listing = ", ".join(f"{c} {item}" for c, item in zip(counts, items))
    return Made(
        f"Sam owns {listing}. An outfit is one of each. How many different outfits can Sam wear?",
        G.integer(value), INTEGER, ["Independent choices multiply: " + " · ".join(map(str, counts)) + f" = {value}"],
        data={"counts": counts},
    )


def make_distinct_arrangements(rng: random.Random, config: CombinatoricsConfig) -> Made:
    n = rng.randint(4, 6 + config.size)
    word = "".join(rng.sample(_LETTERS, n))
    value = factorial(n)
    return Made(
        f"How many different strings can be made by arranging all the letters of {word} (each letter used once)?",
        G.integer(value), INTEGER, [f"{n} distinct letters: {n}! = {value}"], data={"word": word},
    )


# --------------------------------------------------------------------------------------- medium


def _multiset(rng: random.Random, letters: int, repeats: int) -> dict[str, int]:
    """Letter counts with `letters` distinct letters, at least `repeats` of which repeat."""
    chosen = rng.sample(_LETTERS, letters)
    counts = {ch: 1 for ch in chosen}
    for ch in chosen[:repeats]:
        counts[ch] = rng.randint(2, 3)
    return counts


def make_repeated_letters(rng: random.Random, config: CombinatoricsConfig) -> Made:
    counts = _multiset(rng, rng.randint(3, 3 + config.size), rng.randint(1, 3))
    word = letters_word(counts, rng)
    value = multinomial(list(counts.values()))
    repeated = ", ".join(f"{ch} {c} times" for ch, c in sorted(counts.items()) if c > 1)
    return Made(
        f"How many distinct strings can be formed by rearranging all the letters of {word}?",
        G.integer(value), INTEGER,
        [f"{len(word)} letters with {repeated}", f"{len(word)}! / " + " · ".join(f"{c}!" for c in counts.values() if c > 1)
         + f" = {value}"], data={"word": word},
    )


def make_committee(rng: random.Random, config: CombinatoricsConfig) -> Made:
    men, women = rng.randint(4, 6 + 2 * config.size), rng.randint(3, 5 + 2 * config.size)
    k = rng.randint(3, 5)
    if rng.random() < 0.5:
        value = comb(men + women, k) - comb(men, k)
        condition = "at least one woman"
        steps = [f"All committees minus those with no woman: C({men + women}, {k}) - C({men}, {k}) = "
                 f"{comb(men + women, k)} - {comb(men, k)} = {value}"]
        tag = "at_least_one"
    else:
        j = rng.randint(1, min(k - 1, women))
        value = comb(women, j) * comb(men, k - j)
        condition = f"exactly {j} {'woman' if j == 1 else 'women'}"
        steps = [f"Choose the women and the men separately: C({women}, {j}) · C({men}, {k - j}) = {value}"]
        tag = "exactly"
    return Made(
        f"A committee of {k} people is to be chosen from {men} men and {women} women. How many different "
        f"committees contain {condition}? (All people are distinguishable; the committee has no roles.)",
        G.integer(value), INTEGER, steps, (f"math/combinatorics/committee/{tag}",),
        data={"men": men, "women": women, "k": k, "condition": condition},
    )


def make_circular(rng: random.Random, config: CombinatoricsConfig) -> Made:
    n = rng.randint(4, 7 + config.size)
    rule = "two seatings that differ only by a rotation are considered the same (reflections count as different)"
    if rng.random() < 0.5:
        value = factorial(n - 1)
        return Made(
            f"In how many ways can {n} people be seated around a round table, if {rule}?", G.integer(value), INTEGER,
            [f"Fix one person's seat to remove rotations; arrange the other {n - 1}: {n - 1}! = {value}"],
            ("math/combinatorics/circular/free",), data={"n": n, "pair_together": False},
        )
    value = 2 * factorial(n - 2)
    return Made(
        f"In how many ways can {n} people, including Ann and Bo, be seated around a round table so that Ann and Bo sit "
        f"next to each other, if {rule}?", G.integer(value), INTEGER,
        [f"Treat Ann and Bo as one block: {n - 1} units around the table give ({n - 1} - 1)! = {factorial(n - 2)}",
         f"times 2 orders inside the block: {value}"], ("math/combinatorics/circular/pair_together",),
        data={"n": n, "pair_together": True},
    )


def make_stars_and_bars(rng: random.Random, config: CombinatoricsConfig) -> Made:
    parts = rng.randint(3, 3 + config.size)
    total = rng.randint(parts + 2, 6 + 4 * config.size)
    names = ", ".join(f"x_{i}" for i in range(1, parts + 1))
    equation = " + ".join(f"x_{i}" for i in range(1, parts + 1)) + f" = {total}"
    if rng.random() < 0.5:
        value = comb(total + parts - 1, parts - 1)
        what, tag = "non-negative", "non_negative"
        steps = [f"Stars and bars: {total} stars and {parts - 1} bars: C({total + parts - 1}, {parts - 1}) = {value}"]
    else:
        value = comb(total - 1, parts - 1)
        what, tag = "positive", "positive"
        steps = [f"Give each variable 1 first, then {total - parts} remain: C({total - 1}, {parts - 1}) = {value}"]
    return Made(
        f"How many solutions in {what} integers ({names}) does the equation {equation} have?",
        G.integer(value), INTEGER, steps, (f"math/combinatorics/stars_and_bars/{tag}",),
        data={"parts": parts, "total": total, "lower": 0 if tag == "non_negative" else 1},
    )


# --------------------------------------------------------------------------------------- hard


def make_inclusion_exclusion(rng: random.Random, config: CombinatoricsConfig) -> Made:
    while True:
        divisors = sorted(rng.sample(range(2, 8 + 2 * config.size), 3))
        if all(b % a for i, a in enumerate(divisors) for b in divisors[i + 1 :]):
            break
    a, b, c = divisors
    n = rng.randint(100, 250 * config.size)
    singles = sum(n // d for d in divisors)
    pairs = n // lcm(a, b) + n // lcm(a, c) + n // lcm(b, c)
    triple = n // lcm(a, b, c)
    union = singles - pairs + triple
    none = rng.random() < 0.5
    value = n - union if none else union
    question = "by none of" if none else "by at least one of"
    steps = [
        f"|A| + |B| + |C| = {n // a} + {n // b} + {n // c} = {singles}",
        f"pairs (lcm {lcm(a, b)}, {lcm(a, c)}, {lcm(b, c)}): {pairs}; all three (lcm {lcm(a, b, c)}): {triple}",
        f"divisible by at least one: {singles} - {pairs} + {triple} = {union}",
    ]
    if none:
        steps.append(f"by none: {n} - {union} = {value}")
    return Made(
        f"How many integers from 1 to {n} (inclusive) are divisible {question} {a}, {b} and {c}?",
        G.integer(value), INTEGER, steps, (f"math/combinatorics/inclusion_exclusion/{'none' if none else 'union'}",),
        data={"n": n, "divisors": divisors, "none": none},
    )


def make_together_apart(rng: random.Random, config: CombinatoricsConfig) -> Made:
    n = rng.randint(5, 7 + config.size)
    group = rng.choice((2, 2, 3))
    names = ["Ann", "Bo", "Cy"][:group]
    who = " and ".join(names) if group == 2 else "Ann, Bo and Cy"
    together = factorial(n - group + 1) * factorial(group)
    apart = rng.random() < 0.5 and group == 2
    if not apart:
        value, how = together, "must all sit next to each other" if group == 3 else "must sit next to each other"
        steps = [f"Glue {who} into one block: {n - group + 1}! arrangements, times {group}! orders inside the block = {value}"]
    else:
        value, how = factorial(n) - together, "must not sit next to each other"
        steps = [f"All {n}! = {factorial(n)} rows minus the {together} with them together (2·{n - 1}!) = {value}"]
    return Made(
        f"{n} people, including {who}, sit in a row of {n} chairs. In how many orders can they sit if {who} {how}?",
        G.integer(value), INTEGER, steps, (f"math/combinatorics/together_apart/{'apart' if apart else 'together'}",),
        data={"n": n, "group": group, "together": not apart},
    )


def make_derangements(rng: random.Random, config: CombinatoricsConfig) -> Made:
    n = rng.randint(4, 6 + config.size)
    value = derangements(n)
    return Made(
        f"{n} letters are put into their {n} addressed envelopes, one letter per envelope. In how many ways can "
        "this be done so that no letter is in its own envelope?", G.integer(value), INTEGER,
        ["Derangements: D(n) = (n - 1)(D(n - 1) + D(n - 2)), D(1) = 0, D(2) = 1",
         ", ".join(f"D({k}) = {derangements(k)}" for k in range(3, n + 1))], data={"n": n},
    )


def make_bounded_stars(rng: random.Random, config: CombinatoricsConfig) -> Made:
    parts = rng.randint(3, 4)
    lower = rng.randint(1, 2) if config.size >= 4 else 0
    width = rng.randint(2, 4 + config.size)  # upper - lower
    upper = lower + width
    total = parts * lower + rng.randint(width + 1, parts * width - 1)  # so the upper bound matters
    value = bounded_compositions(total - parts * lower, parts, upper - lower)
    equation = " + ".join(f"x_{i}" for i in range(1, parts + 1)) + f" = {total}"
    steps = []
    if lower:
        steps.append(f"Substitute y_i = x_i - {lower}: the y_i sum to {total - parts * lower} with 0 ≤ y_i ≤ {upper - lower}")
    t, u = total - parts * lower, upper - lower
    terms = []
    for j in range(parts + 1):
        if t - j * (u + 1) < 0:
            break
        terms.append(f"{'+' if j % 2 == 0 else '-'} C({parts}, {j})·C({t - j * (u + 1) + parts - 1}, {parts - 1})")
    steps.append("Inclusion–exclusion over the variables that exceed the bound: " + " ".join(terms).lstrip("+ ") + f" = {value}")
    return Made(
        f"How many integer solutions does {equation} have with {lower} ≤ x_i ≤ {upper} for every i?",
        G.integer(value), INTEGER, steps, data={"parts": parts, "total": total, "lower": lower, "upper": upper},
    )


def _lattice(rng: random.Random, config: CombinatoricsConfig) -> tuple[int, int, int, int]:
    a, b = rng.randint(3, 4 + config.size), rng.randint(3, 4 + config.size)
    p, q = rng.randint(1, a - 1), rng.randint(1, b - 1)
    return a, b, p, q


def _lattice_question(a: int, b: int, p: int, q: int, how: str) -> str:
    return (
        f"A path on the grid goes from (0, 0) to ({a}, {b}) using unit steps Right (x + 1) or Up (y + 1). "
        f"How many such paths {how} the point ({p}, {q})?"
    )


def make_lattice_through(rng: random.Random, config: CombinatoricsConfig) -> Made:
    a, b, p, q = _lattice(rng, config)
    first, second = comb(p + q, p), comb(a - p + b - q, a - p)
    value = first * second
    return Made(
        _lattice_question(a, b, p, q, "pass through"), G.integer(value), INTEGER,
        [f"To ({p}, {q}): C({p + q}, {p}) = {first}", f"then to ({a}, {b}): C({a - p + b - q}, {a - p}) = {second}",
         f"product {value}"], data={"a": a, "b": b, "p": p, "q": q, "through": True},
    )


def make_lattice_avoid(rng: random.Random, config: CombinatoricsConfig) -> Made:
    a, b, p, q = _lattice(rng, config)
    total, through = comb(a + b, a), comb(p + q, p) * comb(a - p + b - q, a - p)
    value = total - through
    return Made(
        _lattice_question(a, b, p, q, "avoid"), G.integer(value), INTEGER,
        [f"All paths: C({a + b}, {a}) = {total}", f"through ({p}, {q}): C({p + q}, {p})·C({a - p + b - q}, {a - p}) = {through}",
         f"avoiding: {total} - {through} = {value}"], data={"a": a, "b": b, "p": p, "q": q, "through": False},
    )


# --------------------------------------------------------------------------------------- expert


def make_surjections(rng: random.Random, config: CombinatoricsConfig) -> Made:
    k = rng.randint(3, 4)
    n = rng.randint(k + 1, k + 2 + config.size // 2)
    value = surjections(n, k)
    terms = " ".join(f"{'+' if j % 2 == 0 else '-'} C({k}, {j})·{k - j}^{n}" for j in range(k)).lstrip("+ ")
    return Made(
        f"In how many ways can {n} different books be given to {k} different children so that every child "
        "gets at least one book (every book is given away)?", G.integer(value), INTEGER,
        ["Inclusion–exclusion over the children left without a book:", f"{terms} = {value}"], data={"n": n, "k": k},
    )


@lru_cache(maxsize=4096)
def count_no_adjacent(counts: tuple[int, ...], last: int = -1) -> int:
    """Arrangements of a multiset (letter counts) with no two equal letters side by side."""
    if not any(counts):
        return 1
    total = 0
    for i, c in enumerate(counts):
        if c and i != last:
            total += count_no_adjacent(counts[:i] + (c - 1,) + counts[i + 1 :], i)
    return total


def make_no_adjacent(rng: random.Random, config: CombinatoricsConfig) -> Made:
    while True:
        counts = _multiset(rng, rng.randint(3, 4), rng.randint(1, 2))
        value = count_no_adjacent(tuple(sorted(counts.values(), reverse=True)))
        if value > 0 and sum(counts.values()) <= 8 + config.size // 2:
            break
    word = letters_word(counts, rng)
    repeated = [(ch, c) for ch, c in sorted(counts.items()) if c > 1]
    return Made(
        f"How many distinct arrangements of the letters of {word} have no two identical letters next to each other?",
        G.integer(value), INTEGER,
        [f"All arrangements: {multinomial(list(counts.values()))}; glue copies of each repeated letter into blocks.",
         "A letter with c copies split into k blocks: C(c - 1, k - 1) ways, sign (-1)^(c - k); then arrange all blocks.",
         "Summing over the block counts of " + ", ".join(f"{ch} ({c} copies)" for ch, c in repeated) + f" gives {value}"],
        data={"word": word},
    )


def make_fixed_points(rng: random.Random, config: CombinatoricsConfig) -> Made:
    n = rng.randint(5, 6 + config.size // 2)
    j = rng.randint(1, n - 2)
    value = comb(n, j) * derangements(n - j)
    return Made(
        f"{n} students each hand in a test and the teacher returns the {n} tests at random, one per student. "
        f"In how many ways can exactly {j} {'student gets' if j == 1 else 'students get'} their own test back?",
        G.integer(value), INTEGER,
        [f"Choose who gets their own test: C({n}, {j}) = {comb(n, j)}",
         f"the other {n - j} are deranged: D({n - j}) = {derangements(n - j)}", f"product {value}"],
        data={"n": n, "j": j},
    )


@register
class Combinatorics(KindTemplate):
    """Counting problems with one exact integer answer."""

    name = "Combinatorics"
    version = 0
    tags = ("math/combinatorics",)
    description = "Permutations, combinations, multinomials, stars and bars, inclusion-exclusion, derangements."
    Config = CombinatoricsConfig
    kind_tag = "math/combinatorics"
    makers = {
        "permutations": make_permutations, "combinations": make_combinations, "product_rule": make_product_rule,
        "distinct_arrangements": make_distinct_arrangements, "repeated_letters": make_repeated_letters,
        "committee": make_committee, "circular": make_circular, "stars_and_bars": make_stars_and_bars,
        "inclusion_exclusion": make_inclusion_exclusion, "together_apart": make_together_apart,
        "derangements": make_derangements, "bounded_stars": make_bounded_stars, "lattice_through": make_lattice_through,
        "surjections": make_surjections, "lattice_avoid": make_lattice_avoid, "no_adjacent": make_no_adjacent,
        "fixed_points": make_fixed_points,
    }
