"""`Combinatorics`: counting problems with one exact integer answer.

Why this template: counting is where a model's plausible-looking reasoning most often double-counts
or misses a case, and the answer is a single integer that the template computes by a formula the
tests re-derive by brute-force enumeration.

Levels change the kind of argument needed:

* easy — one principle: ordered selections P(n, k) (prizes, officers, shelves, playlists),
  unordered selections C(n, k) (committees, toppings, exam questions, lottery tickets), the
  product rule, arrangements of distinct letters;
* medium — arrangements of letters with repeats (multinomials), committees with a condition,
  round-table seatings (free, or two named people together / apart), stars and bars (as an
  equation or as sharing identical things, non-negative and positive);
* hard — inclusion–exclusion (divisible by at least one / none of three numbers), lines with
  named people together or apart, derangements (none / at least one / only a given one gets
  their own item back), stars and bars with an upper bound, lattice paths through a point;
* expert — onto distributions (surjections) and distributions leaving exactly one receiver empty,
  lattice paths avoiding a point, arrangements with no two equal letters adjacent, exactly or at
  least j fixed points, bounded stars and bars with lower bounds.

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


_ORDINALS = ("first", "second", "third", "fourth", "fifth")
_ORDERED: tuple[tuple[str, str], ...] = (
    # (pool of n, what k distinct ordered places are filled): nobody/nothing fills two places
    ("In a race with {n} runners, prizes are awarded for {places} place (no ties).", "can the prizes be awarded"),
    ("A club of {n} members elects a {roles}; nobody holds two posts.", "can the posts be filled"),
    ("A shelf has room for {k} books in a row, chosen from {n} different books.", "can the shelf be filled"),
    ("A music teacher picks {k} of {n} different songs and decides the order they are played in.",
     "can the playlist be made"),
    ("{n} horses run a race; a bet names the {places} finishers, in order (no ties).", "can the bet be placed"),
)
_ROLES = ("president", "vice-president", "secretary", "treasurer", "captain")


def make_permutations(rng: random.Random, config: CombinatoricsConfig) -> Made:
    n = rng.randint(5, 10 + 4 * config.size)
    k = rng.randint(2, min(5, n - 1))
    setup, ask = rng.choice(_ORDERED)
    places = ", ".join(_ORDINALS[: k - 1]) + f" and {_ORDINALS[k - 1]}"
    roles = ", ".join(_ROLES[: k - 1]) + f" and {_ROLES[k - 1]}"
    value = perm(n, k)
    return Made(
        f"{setup.format(n=n, k=k, places=places, roles=roles)} In how many ways {ask}?", G.integer(value), INTEGER,
        [f"Order matters and nothing is used twice: P({n}, {k}) = " + " · ".join(str(n - i) for i in range(k)) + f" = {value}"],
        data={"n": n, "k": k},
    )


_UNORDERED: tuple[str, ...] = (
    "A club has {n} members. In how many ways can a committee of {k} members be chosen (the committee has no roles, so only who is on it matters)?",
    "A pizzeria offers {n} different toppings. How many different pizzas with exactly {k} distinct toppings can be ordered (the order of the toppings does not matter)?",
    "A student must answer {k} of the {n} questions on an exam. How many different sets of {k} questions can the student choose?",
    "A lottery ticket is a set of {k} different numbers from 1 to {n} (their order does not matter). How many different tickets are there?",
    "A traveller packs {k} of her {n} different books. How many different selections of books can she pack?",
)


def make_combinations(rng: random.Random, config: CombinatoricsConfig) -> Made:
    n = rng.randint(6, 14 + 4 * config.size)
    k = rng.randint(2, min(6, n - 2))
    value = comb(n, k)
    return Made(
        rng.choice(_UNORDERED).format(n=n, k=k), G.integer(value), INTEGER,
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


_NAMES = ("Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kim", "Lou")
_CIRCLES = ("people be seated around a round table", "knights be seated around a round table",
            "children stand in a ring to play a game", "delegates be seated around a round conference table")


def make_circular(rng: random.Random, config: CombinatoricsConfig) -> Made:
    """Round-table seatings up to rotation: free, or two named people together / apart."""
    n = rng.randint(4, 7 + config.size)
    where = rng.choice(_CIRCLES)
    who, noun = where.split(" ", 1)[0], where.split(" ", 1)[1]
    rule = "two arrangements that differ only by a rotation are considered the same (reflections count as different)"
    mode = rng.choice(("free", "together", "apart") if n >= 5 else ("free", "together"))
    if mode == "free":
        value = factorial(n - 1)
        return Made(
            f"In how many ways can {n} {who} {noun}, if {rule}?", G.integer(value), INTEGER,
            [f"Fix one position to remove rotations; arrange the other {n - 1}: {n - 1}! = {value}"],
            ("math/combinatorics/circular/free",), data={"n": n, "pair": "free"},
        )
    a, b = rng.sample(_NAMES, 2)
    together = 2 * factorial(n - 2)
    steps = [f"Treat {a} and {b} as one block: {n - 1} units around the circle give ({n - 1} - 1)! = {factorial(n - 2)}",
             f"times 2 orders inside the block: {together}"]
    if mode == "apart":
        value = factorial(n - 1) - together
        steps.append(f"Apart: all ({n} - 1)! = {factorial(n - 1)} minus {together} together = {value}")
    else:
        value = together
    how = "are next to each other" if mode == "together" else "are not next to each other"
    return Made(
        f"In how many ways can {n} {who}, including {a} and {b}, {noun} so that {a} and {b} {how}, if {rule}?",
        G.integer(value), INTEGER, steps, (f"math/combinatorics/circular/pair_{mode}",), data={"n": n, "pair": mode},
    )


_SHARES: tuple[tuple[str, str], ...] = (
    # (question with a {rule} slot, the unit that gets a share): stars and bars in words
    ("In how many ways can {total} identical sweets be shared among {parts} different children, if {rule}?", "child"),
    ("In how many ways can {total} identical balls be put into {parts} different boxes, if {rule}?", "box"),
    (("A florist makes a bunch of {total} flowers from {parts} kinds (flowers of one kind are identical). How many "
      "different bunches are there, if {rule}?"), "kind"),
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
    question = f"How many solutions in {what} integers ({names}) does the equation {equation} have?"
    if rng.random() < 0.6:
        text, unit = rng.choice(_SHARES)
        rule = f"every {unit} gets at least one" if tag == "positive" else f"a {unit} may get none"
        if unit == "kind":
            rule = "every kind appears at least once" if tag == "positive" else "a kind may be left out"
        question = text.format(total=total, parts=parts, rule=rule)
    return Made(
        question,
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


_ROWS: tuple[tuple[str, str], ...] = (
    # (n items in a line, the unit): "sit next to each other" reads the same for all of them
    ("{n} people, including {who}, sit in a row of {n} chairs.", "sit"),
    ("{n} friends, including {who}, stand in a line for a photo.", "stand"),
    ("{n} people, including {who}, queue at a ticket window.", "stand"),
    ("{n} runners, including {who}, line up side by side at the start of a race.", "stand"),
)


def make_together_apart(rng: random.Random, config: CombinatoricsConfig) -> Made:
    n = rng.randint(5, 7 + config.size)
    group = rng.choice((2, 2, 3))
    names = rng.sample(_NAMES, group)
    who = " and ".join(names) if group == 2 else f"{names[0]}, {names[1]} and {names[2]}"
    setup, verb = rng.choice(_ROWS)
    together = factorial(n - group + 1) * factorial(group)
    apart = rng.random() < 0.5 and group == 2
    if not apart:
        value, how = together, f"must all {verb} next to each other" if group == 3 else f"must {verb} next to each other"
        steps = [f"Glue {who} into one block: {n - group + 1}! arrangements, times {group}! orders inside the block = {value}"]
    else:
        value, how = factorial(n) - together, f"must not {verb} next to each other"
        steps = [f"All {n}! = {factorial(n)} orders minus the {together} with them together (2·{n - 1}!) = {value}"]
    return Made(
        f"{setup.format(n=n, who=who)} In how many orders can they do this if {who} {how}?",
        G.integer(value), INTEGER, steps, (f"math/combinatorics/together_apart/{'apart' if apart else 'together'}",),
        data={"n": n, "group": group, "together": not apart},
    )


_MIXUPS: tuple[tuple[str, str, str], ...] = (
    # (setup with n, who, "their own …"): a random permutation of n items back to n owners
    ("{n} letters are put into their {n} addressed envelopes at random, one letter per envelope.", "letter", "its own envelope"),
    ("{n} guests check their hats; the attendant hands the {n} hats back at random, one per guest.", "guest", "their own hat"),
    ("{n} students each hand in a test and the teacher returns the {n} tests at random, one per student.", "student", "their own test"),
    ("{n} friends put their names in a hat for a gift exchange and each draws one name at random.", "friend", "their own name"),
    ("{n} people leave their coats at a party and later pick up one coat each at random.", "person", "their own coat"),
)


def _mixup(rng: random.Random, n: int) -> tuple[str, str, str]:
    setup, unit, own = rng.choice(_MIXUPS)
    return setup.format(n=n), unit, own


def make_derangements(rng: random.Random, config: CombinatoricsConfig) -> Made:
    """No one gets their own item (D(n)), at least one does (n! - D(n)), or only one named one does (D(n - 1))."""
    n = rng.randint(4, 6 + config.size)
    setup, unit, own = _mixup(rng, n)
    mode = rng.choice(("none", "some", "only_named"))
    table = ", ".join(f"D({k}) = {derangements(k)}" for k in range(3, n + 1))
    steps = ["Derangements: D(n) = (n - 1)(D(n - 1) + D(n - 2)), D(1) = 0, D(2) = 1", table]
    if mode == "none":
        value, ask = derangements(n), f"no {unit} gets {own}"
    elif mode == "some":
        value, ask = factorial(n) - derangements(n), f"at least one {unit} gets {own}"
        steps.append(f"Complement: {n}! - D({n}) = {factorial(n)} - {derangements(n)} = {value}")
    else:
        value = derangements(n - 1)
        ask = f"{unit} number 1 gets {own} but no other {unit} does"
        steps.append(f"Number 1 is fixed; the other {n - 1} are deranged: D({n - 1}) = {value}")
    if mode == "only_named":
        setup = setup.removesuffix(".") + f"; the {unit}s are numbered 1 to {n}."
    return Made(
        f"{setup} In how many ways can this happen so that {ask}?", G.integer(value), INTEGER, steps,
        (f"math/combinatorics/derangements/{mode}",), data={"n": n, "mode": mode},
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


_ONTO: tuple[tuple[str, str, str, str], ...] = (
    # (n distinct items, k distinct receivers, one receiver, what a receiver gets): each item goes to one receiver
    ("different books", "different children", "child", "one book"),
    ("distinct tasks", "workers", "worker", "one task"),
    ("labelled balls", "numbered boxes", "box", "one ball"),
    ("different toys", "kids", "kid", "one toy"),
    ("students", "project teams (the teams are distinguishable)", "team", "one student"),
)


def make_surjections(rng: random.Random, config: CombinatoricsConfig) -> Made:
    """Onto maps n -> k (every receiver gets something) or maps missing exactly one receiver."""
    k = rng.randint(3, 5)
    n = rng.randint(k + 1, k + 2 + config.size // 2)
    items, receivers, single, one = rng.choice(_ONTO)
    exactly_one_empty = rng.random() < 0.4
    if exactly_one_empty:
        value = k * surjections(n, k - 1)
        ask = f"exactly one of the {receivers.split(' (')[0]} gets nothing"
        terms = " ".join(f"{'+' if j % 2 == 0 else '-'} C({k - 1}, {j})·{k - 1 - j}^{n}" for j in range(k - 1)).lstrip("+ ")
        steps = [f"Choose the {single} that gets nothing: {k} ways", f"the rest is onto {k - 1}: {terms} = {surjections(n, k - 1)}",
                 f"{k} · {surjections(n, k - 1)} = {value}"]
    else:
        value = surjections(n, k)
        ask = f"every {single} gets at least {one}"
        terms = " ".join(f"{'+' if j % 2 == 0 else '-'} C({k}, {j})·{k - j}^{n}" for j in range(k)).lstrip("+ ")
        steps = ["Inclusion–exclusion over the receivers left with nothing:", f"{terms} = {value}"]
    return Made(
        f"In how many ways can {n} {items} be assigned to {k} {receivers}, each to exactly one, so that {ask}?",
        G.integer(value), INTEGER, steps, (f"math/combinatorics/surjections/{'one_empty' if exactly_one_empty else 'onto'}",),
        data={"n": n, "k": k, "empty": 1 if exactly_one_empty else 0},
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
    """Exactly j, or at least j, of n owners get their own item back: choose them, derange the rest."""
    n = rng.randint(5, 6 + config.size // 2)
    j = rng.randint(1, n - 2)
    setup, unit, own = _mixup(rng, n)
    at_least = rng.random() < 0.4
    counts = range(j, n + 1) if at_least else range(j, j + 1)
    value = sum(comb(n, i) * derangements(n - i) for i in counts)
    units = unit if j == 1 else ("people" if unit == "person" else f"{unit}s")
    verb = "gets" if j == 1 else "get"
    return Made(
        f"{setup} In how many ways can {'at least' if at_least else 'exactly'} {j} {units} {verb} {own.replace('its own', 'their own')} back?",
        G.integer(value), INTEGER,
        [f"Exactly i fixed: choose them, C({n}, i), and derange the other n - i: D({n} - i)",
         " + ".join(f"C({n}, {i})·D({n - i})" for i in counts) + f" = {value}"],
        (f"math/combinatorics/fixed_points/{'at_least' if at_least else 'exactly'}",),
        data={"n": n, "j": j, "at_least": at_least},
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
