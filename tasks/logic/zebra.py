"""`ZebraPuzzle`: Einstein-style house puzzles with a solution proved unique by a solver.

Why this template: zebra puzzles train chained deduction over a small constraint system, and a
generator that *proves* uniqueness makes the answer a consequence of the clues, so the verifier can
check an answer against the puzzle's own givens. reasoning-gym's generator needs ~0.1 s a puzzle;
this one compiles every clue into bitmask lookup tables and solves by propagation plus search.

Model. N houses in a row (numbered 1..N, left to right) × K attributes; attribute 0 is always the
person's name, the others are drawn from a hand-written pool (colour, pet, drink, …). Every value
is one lower-case word (names capitalised), unique across all attributes, so an answer can name
an item without saying which attribute it belongs to. Entity `e = a * N + v` is value `v` of
attribute `a`; a solution maps every entity to a house.

Clue kinds (the level chooses which): `at` (X lives in house h), `not_at`, `same` (X is Y),
`not_same`, `left` (X lives directly left of Y; also phrased "Y directly right of X"), `before`
(somewhere to the left), `next` (neighbours) and `between` (Y strictly between X and Z, either
order). A binary clue is a relation on house pairs, compiled to two tables `support[mask] → mask`
(positions of one side that have a partner in the other side's domain), so propagating it is two
list lookups; `between` uses tables over pairs of masks. The solver propagates event-driven
(only the clues of entities whose domain shrank, plus each attribute's all-different rule) and
branches on the smallest domain.

Generation (counterexample-guided). Draw a hidden solution and some random true clues, then run
one search over all solutions: every solution other than the hidden one gets a new random clue
that is true of the hidden solution and false of that one, added to the running search (nodes
re-propagate with the clues added since they were stacked). When the search is exhausted, the
hidden solution is the only one left: uniqueness is proved. Harder levels then prune: each clue,
in random order, is dropped if no solution of the remaining clues breaks it (a search with the
clue *negated*, which fails fast); a clue that alone rules out a known alternative is kept without
a search. Every clue of a pruned puzzle is therefore necessary.

Questions: the full grid (every item's house) or one question about a single fact ("What is the
name of the person who keeps the fish?", "In which house …?"). A grid answer is read as
`value = house` pairs by the shared `vrgym.verifiers.assignment` parser or, as the prompt also
allows, as one `House N: values` row per house; it must place every value exactly once, form a
valid assignment (each house one value of each attribute) and satisfy every clue — since the
solution is unique that is the same as being the solution, but it is checked against the givens.
A single-fact answer must be exactly the forced value (letter case, surrounding whitespace and,
for house numbers, the word "house" forgiven).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.problem import Problem
from vrgym.registry import register
from vrgym.template import Draft, Template
from vrgym.verdict import WRONG_ANSWER, Verdict
from vrgym.verifiers.assignment import AssignmentError, try_parse_assignment
from vrgym.verifiers.extraction import AnswerFormat
from vrgym.verifiers.text import ascii_upper, collapse_whitespace

# ------------------------------------------------------------------------------------------- data

ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "name": ("Alice", "Bob", "Carol", "David", "Emma", "Frank", "Grace", "Henry", "Julia", "Kevin", "Laura", "Martin"),
    "colour": ("red", "green", "blue", "yellow", "white", "black", "purple", "grey"),
    "pet": ("cat", "dog", "bird", "fish", "horse", "rabbit", "hamster", "turtle"),
    "drink": ("tea", "coffee", "milk", "water", "juice", "cocoa", "lemonade", "soda"),
    "hobby": ("chess", "painting", "gardening", "cooking", "reading", "hiking", "knitting", "photography"),
    "food": ("pizza", "pasta", "sushi", "tacos", "curry", "soup", "salad", "stew"),
    "job": ("doctor", "teacher", "pilot", "chef", "farmer", "lawyer", "nurse", "artist"),
    "instrument": ("piano", "violin", "guitar", "flute", "drums", "cello", "harp", "trumpet"),
    "flower": ("rose", "tulip", "lily", "daisy", "orchid", "sunflower", "violet", "lavender"),
    "nationality": ("British", "Swedish", "Danish", "Norwegian", "German", "Spanish", "Italian", "Japanese"),
}  # fmt: skip
"""Attribute → its value pool (at least 6 each, all values distinct ignoring case)."""

_PHRASE: dict[str, str] = {
    "name": "{}",
    "colour": "the person in the {} house",
    "pet": "the person who keeps the {}",
    "drink": "the person who drinks {}",
    "hobby": "the person whose hobby is {}",
    "food": "the person who likes {}",
    "job": "the {}",
    "instrument": "the person who plays the {}",
    "flower": "the person who grows the {}",
    "nationality": "the {} person",
}
"""How a clue names the person holding a value."""

_QUESTION: dict[str, str] = {
    "name": "What is the name of {}?",
    "colour": "What colour is the house of {}?",
    "pet": "Which pet does {} keep?",
    "drink": "What does {} drink?",
    "hobby": "What is the hobby of {}?",
    "food": "Which food does {} like?",
    "job": "What is the job of {}?",
    "instrument": "Which instrument does {} play?",
    "flower": "Which flower does {} grow?",
    "nationality": "What is the nationality of {}?",
}

KINDS = ("at", "not_at", "same", "not_same", "left", "before", "next", "between")
"""Every clue kind, in the order the prompt explains them."""

_BINARY: dict[str, Any] = {
    "same": lambda x, y: x == y,
    "not_same": lambda x, y: x != y,
    "left": lambda x, y: x + 1 == y,
    "before": lambda x, y: x < y,
    "next": lambda x, y: abs(x - y) == 1,
}
"""Binary clue kinds as relations on (house of X, house of Y), 0-based."""

Clue = list[int]
"""A clue as JSON: [kind index, *operands]; operands are entities, `at`/`not_at` end with a house."""


# ------------------------------------------------------------------------------------------- tables

_TABLES: dict[tuple[str, int, bool], tuple[list[int], list[int]]] = {}
_BETWEEN: dict[tuple[int, bool], tuple[list[int], list[int], list[int]]] = {}


def binary_tables(kind: str, n: int, negated: bool = False) -> tuple[list[int], list[int]]:
    """(support of X given Y's domain, support of Y given X's domain), indexed by domain mask.

    `negated` gives the tables of the clue's negation (used to ask "is this clue redundant?").
    """
    key = (kind, n, negated)
    if key not in _TABLES:
        base = _BINARY[kind]
        rel = (lambda x, y: not base(x, y)) if negated else base
        x_given_y, y_given_x = [0] * (1 << n), [0] * (1 << n)
        for mask in range(1 << n):
            for hx in range(n):
                for hy in range(n):
                    if rel(hx, hy):
                        if mask >> hy & 1:
                            x_given_y[mask] |= 1 << hx
                        if mask >> hx & 1:
                            y_given_x[mask] |= 1 << hy
        _TABLES[key] = (x_given_y, y_given_x)
    return _TABLES[key]


def between_tables(n: int, negated: bool = False) -> tuple[list[int], list[int], list[int]]:
    """For `between(X, Y, Z)` (or its negation): supports of X, Y and Z, each indexed by
    `mask_a << n | mask_b` where a, b are the other two operands in order (Y, Z for X; X, Z for Y;
    X, Y for Z)."""
    if (n, negated) not in _BETWEEN:
        size = 1 << n
        ok = [[[(x < y < z or z < y < x) != negated for z in range(n)] for y in range(n)] for x in range(n)]
        tables = []
        for role in range(3):
            # single[p][q]: houses of this role allowed when the others sit at houses p and q
            single = [[0] * n for _ in range(n)]
            for p in range(n):
                for q in range(n):
                    for h in range(n):
                        x, y, z = (h, p, q) if role == 0 else (p, h, q) if role == 1 else (p, q, h)
                        if ok[x][y][z]:
                            single[p][q] |= 1 << h
            row = [[0] * size for _ in range(n)]  # row[p][mask_b]: union over q in mask_b
            for p in range(n):
                for mask in range(1, size):
                    low = (mask & -mask).bit_length() - 1
                    row[p][mask] = row[p][mask & (mask - 1)] | single[p][low]
            table = [0] * (size * size)
            for mask_a in range(1, size):
                low = (mask_a & -mask_a).bit_length() - 1
                rest = (mask_a & (mask_a - 1)) << n
                base = mask_a << n
                for mask_b in range(size):
                    table[base | mask_b] = table[rest | mask_b] | row[low][mask_b]
            tables.append(table)
        _BETWEEN[n, negated] = (tables[0], tables[1], tables[2])
    return _BETWEEN[n, negated]


# ------------------------------------------------------------------------------------------- solver


def holds(clue: Sequence[int], houses: Sequence[int]) -> bool:
    """Whether `clue` is true of the complete assignment `houses` (entity → 0-based house)."""
    kind = KINDS[clue[0]]
    if kind == "at":
        return houses[clue[1]] == clue[2]
    if kind == "not_at":
        return houses[clue[1]] != clue[2]
    if kind == "between":
        x, y, z = houses[clue[1]], houses[clue[2]], houses[clue[3]]
        return x < y < z or z < y < x
    return bool(_BINARY[kind](houses[clue[1]], houses[clue[2]]))


class Solver:
    """Propagation + depth-first search over entity domains (bitmasks of possible houses).

    Propagation is event-driven: only the constraints of entities whose domain shrank are revised,
    and the all-different rule of an attribute only when one of its entities changed. Clues may be
    added while `search` runs; a node taken from the stack first applies the clues added since it
    was made, so the search stays complete for the enlarged clue set.
    """

    def __init__(self, n: int, k: int, clues: Sequence[Sequence[int]] = ()) -> None:
        self.n, self.k, self.full = n, k, (1 << n) - 1
        self.watch: list[list[tuple[int, int, list[int], list[int]]]] = [[] for _ in range(n * k)]
        """Entity → the binary constraints (x, y, x_given_y, y_given_x) on it."""
        self.watch3: list[list[tuple[Any, ...]]] = [[] for _ in range(n * k)]
        """Entity → the ternary constraints (x, y, z, supports of x, y, z) on it."""
        self.log: list[tuple[int, int, tuple[int, ...]]] = []
        """Every clue added, as (unary entity or -1, unary mask, entities it constrains)."""
        for clue in clues:
            self.add(clue)

    def add(self, clue: Sequence[int], negated: bool = False) -> None:
        """Compile one more clue (or, with `negated`, its negation)."""
        kind, n = KINDS[clue[0]], self.n
        if kind in ("at", "not_at"):
            bit = 1 << clue[2]
            self.log.append((clue[1], bit if (kind == "at") != negated else self.full ^ bit, (clue[1],)))
            return
        if kind == "between":
            entities: tuple[int, ...] = (clue[1], clue[2], clue[3])
            ternary = (*entities, *between_tables(n, negated))
            for e in entities:
                self.watch3[e].append(ternary)
        else:
            entities = (clue[1], clue[2])
            binary = (clue[1], clue[2], *binary_tables(kind, n, negated))
            self.watch[clue[1]].append(binary)
            self.watch[clue[2]].append(binary)
        self.log.append((-1, 0, entities))

    def propagate(self, doms: list[int], queue: list[int]) -> bool:
        """Narrow `doms` in place after the entities in `queue` changed; False on a contradiction."""
        n, full, watch, watch3 = self.n, self.full, self.watch, self.watch3
        dirty = 0  # bitmask of attributes whose all-different rule must be re-run
        while True:
            while queue:
                e = queue.pop()
                dirty |= 1 << (e // n)
                for x, y, x_given_y, y_given_x in watch[e]:
                    dx, dy = doms[x], doms[y]
                    nx = dx & x_given_y[dy]
                    ny = dy & y_given_x[nx]
                    if nx != dx:
                        if not nx:
                            return False
                        doms[x] = nx
                        queue.append(x)
                    if ny != dy:
                        if not ny:
                            return False
                        doms[y] = ny
                        queue.append(y)
                for x, y, z, first, mid, last in watch3[e]:
                    dx, dy, dz = doms[x], doms[y], doms[z]
                    ny = dy & mid[dx << n | dz]
                    nx = dx & first[ny << n | dz]
                    nz = dz & last[nx << n | ny]
                    if not nx or not ny or not nz:
                        return False
                    if nx != dx:
                        doms[x] = nx
                        queue.append(x)
                    if ny != dy:
                        doms[y] = ny
                        queue.append(y)
                    if nz != dz:
                        doms[z] = nz
                        queue.append(z)
            if not dirty:
                return True
            attribute = (dirty & -dirty).bit_length() - 1
            dirty &= dirty - 1
            start = attribute * n
            stop = start + n
            fixed = once = twice = 0  # every attribute is a permutation of the houses
            for e in range(start, stop):
                d = doms[e]
                if not d & (d - 1):
                    if d & fixed:
                        return False
                    fixed |= d
                twice |= once & d
                once |= d
            if once != full:
                return False
            lonely = once & ~twice & ~fixed  # houses only one value can take
            if fixed:
                for e in range(start, stop):
                    d = doms[e]
                    if d & (d - 1) and d & fixed:
                        d &= ~fixed
                        if not d:
                            return False
                        doms[e] = d
                        queue.append(e)
            while lonely:
                bit = lonely & -lonely
                lonely ^= bit
                for e in range(start, stop):
                    if doms[e] & bit:
                        if doms[e] != bit:
                            doms[e] = bit
                            queue.append(e)
                        break

    def search(self) -> Iterator[list[int]]:
        """Every solution (entity → 0-based house), lazily; clues added between yields apply from then on."""
        stack: list[tuple[list[int], int, int]] = [([self.full] * (self.n * self.k), -1, 0)]
        degree = [len(a) + len(b) for a, b in zip(self.watch, self.watch3)]
        while stack:
            doms, changed, known = stack.pop()
            queue = [] if changed < 0 else [changed]
            log = self.log
            if known < len(log):  # clues added since this node was made
                touched: set[int] = set(queue)
                for unary, mask, entities in log[known:]:
                    if unary >= 0:
                        doms[unary] &= mask
                    touched.update(entities)
                if not all(doms):
                    continue
                queue = sorted(touched)
            if not self.propagate(doms, queue):
                continue
            best, best_score = -1, 1 << 30
            for e, d in enumerate(doms):
                if d & (d - 1):
                    score = (d.bit_count() << 8) - degree[e]  # smallest domain, then most constrained
                    if score < best_score:
                        best, best_score = e, score
            if best < 0:
                yield [d.bit_length() - 1 for d in doms]
                continue
            d = doms[best]
            known = len(log)
            while d:
                bit = d & -d
                d ^= bit
                child = list(doms)
                child[best] = bit
                stack.append((child, best, known))

    def solutions(self, limit: int = 2) -> list[list[int]]:
        """Up to `limit` complete solutions, each entity → 0-based house."""
        found: list[list[int]] = []
        for solution in self.search():
            found.append(solution)
            if len(found) >= limit:
                break
        return found


def is_unique(n: int, k: int, clues: Sequence[Sequence[int]]) -> bool:
    """Whether `clues` admit exactly one solution."""
    return len(Solver(n, k, clues).solutions(2)) == 1


# ------------------------------------------------------------------------------------------- generator

_WEIGHTS = {"at": 1.0, "not_at": 1.0, "same": 3.0, "not_same": 1.5, "left": 2.0, "before": 1.5, "next": 2.0, "between": 1.5}
_DIRECTIONAL = frozenset({"at", "not_at", "left", "before"})
"""Kinds that tell left from right; without one of them every puzzle has a mirror-image solution."""
_ATTEMPTS = 40


def draw_clue(rng: random.Random, kind: str, focus: int, houses: Sequence[int], n: int, k: int) -> Clue | None:
    """A random clue of `kind` that is true of `houses` and mentions entity `focus` (None if impossible)."""
    code = KINDS.index(kind)
    h = houses[focus]
    a = focus // n

    def at(house: int, exclude: int = -1) -> int:  # a random entity living in `house`, not of attribute `exclude`
        b = rng.randrange(k - 1) if exclude >= 0 else rng.randrange(k)
        if exclude >= 0 and b >= exclude:
            b += 1
        return b * n + houses[b * n : b * n + n].index(house)

    if kind == "at":
        return [code, focus, h]
    if kind == "not_at":
        other = rng.randrange(n - 1)
        return [code, focus, other + (other >= h)]
    if kind == "same":
        return [code, focus, at(h, a)] if rng.random() < 0.5 else [code, at(h, a), focus]
    if kind == "not_same":
        other = rng.randrange(n - 1)
        partner = at(other + (other >= h), a)
        return [code, focus, partner] if rng.random() < 0.5 else [code, partner, focus]
    if kind == "left":
        if h == n - 1 or (h > 0 and rng.random() < 0.5):
            return [code, at(h - 1), focus]
        return [code, focus, at(h + 1)]
    if kind == "before":
        other = rng.randrange(n - 1)
        other += other >= h
        return [code, focus, at(other)] if h < other else [code, at(other), focus]
    if kind == "next":
        other = h - 1 if h == n - 1 or (h > 0 and rng.random() < 0.5) else h + 1
        return [code, focus, at(other)] if rng.random() < 0.5 else [code, at(other), focus]
    if kind == "between":
        if n < 3:
            return None
        others = [x for x in range(n) if x != h]
        trio = sorted([h, *rng.sample(others, 2)])
        if rng.random() < 0.5:
            trio.reverse()
        people = [focus if x == h else at(x) for x in trio]
        return [code, *people]
    raise ValueError(f"unknown clue kind {kind!r}")


def _prune(
    rng: random.Random, n: int, k: int, clues: list[Clue], alternatives: list[list[int]]
) -> list[Clue]:
    """Drop clues, in random order, while the solution stays unique (each drop proved by the solver).

    A clue that is the only one ruling out a known alternative solution is necessary, so the
    solver is asked only about the others; every refuted drop adds its alternative to the pool.
    """
    kept = list(range(len(clues)))
    rng.shuffle(kept)
    violated = [{i for i, clue in enumerate(clues) if not holds(clue, alt)} for alt in alternatives]
    for i in list(kept):
        rest = set(kept) - {i}
        if any(not (v & rest) for v in violated):
            continue  # without clue i some known alternative would satisfy every clue
        # Clue i is redundant iff no solution of the others breaks it (the hidden one keeps it).
        solver = Solver(n, k, [clues[j] for j in rest])
        solver.add(clues[i], negated=True)
        found = solver.solutions(1)
        if not found:
            kept.remove(i)
        else:
            violated.append({j for j, clue in enumerate(clues) if not holds(clue, found[0])})
    return [clues[j] for j in sorted(kept)]


def make_puzzle(
    rng: random.Random, n: int, k: int, kinds: Sequence[str], prune: bool
) -> tuple[list[int], list[Clue]]:
    """A hidden solution (entity → house) and clues that make it the unique solution."""
    houses: list[int] = []
    for _ in range(k):
        perm = list(range(n))
        rng.shuffle(perm)
        houses += perm
    entities = n * k
    weights = [_WEIGHTS[kind] for kind in kinds]
    clues: list[Clue] = []
    seen: set[tuple[int, ...]] = set()

    def add(clue: Clue | None) -> bool:
        if clue is None or tuple(clue) in seen:
            return False
        seen.add(tuple(clue))
        clues.append(clue)
        return True

    # Pruned puzzles start from many random clues: a smaller search tree, and pruning removes the excess.
    for _ in range(entities if prune else n):
        add(draw_clue(rng, rng.choices(kinds, weights)[0], rng.randrange(entities), houses, n, k))
    # One search over all solutions; each one other than the hidden solution gets a clue that rules it
    # out, added to the running search. When the search ends, no other solution is left.
    solver = Solver(n, k, clues)
    alternatives: list[list[int]] = []
    for found in solver.search():
        if found == houses:
            continue
        alternatives.append(found)
        differing = [e for e in range(entities) if found[e] != houses[e]]
        for attempt in range(_ATTEMPTS * 50):
            # A clue about an entity that moved usually separates the two; rarely one about another is needed.
            focus = rng.choice(differing) if attempt < _ATTEMPTS else rng.randrange(entities)
            clue = draw_clue(rng, rng.choices(kinds, weights)[0], focus, houses, n, k)
            if clue is not None and not holds(clue, found) and add(clue):
                break
        else:  # pragma: no cover - a directional kind can always tell two different solutions apart
            raise RuntimeError(f"no clue of kinds {list(kinds)} separates two solutions")
        solver.add(clues[-1])
    if prune:
        clues = _prune(rng, n, k, clues, alternatives)
    rng.shuffle(clues)
    return houses, clues


# ------------------------------------------------------------------------------------------- rendering


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe(clue: Sequence[int], values: Sequence[str], attributes: Sequence[str], n: int, flip: bool) -> str:
    """One clue as an English sentence; `flip` picks the mirrored wording where there is one."""
    kind = KINDS[clue[0]]

    def who(entity: int) -> str:
        return _PHRASE[attributes[entity // n]].format(values[entity])

    if kind == "at":
        return _capitalised(f"{who(clue[1])} lives in house {clue[2] + 1}.")
    if kind == "not_at":
        return _capitalised(f"{who(clue[1])} does not live in house {clue[2] + 1}.")
    if kind == "between":
        return _capitalised(f"{who(clue[2])} lives somewhere between {who(clue[1])} and {who(clue[3])}.")
    x, y = who(clue[1]), who(clue[2])
    if kind == "same":
        return _capitalised(f"{x} is {y}." if not flip else f"{y} is {x}.")
    if kind == "not_same":
        return _capitalised(f"{x} is not {y}." if not flip else f"{y} is not {x}.")
    if kind == "left":
        return _capitalised(f"{x} lives directly left of {y}." if not flip else f"{y} lives directly right of {x}.")
    if kind == "before":
        return _capitalised(
            f"{x} lives somewhere to the left of {y}." if not flip else f"{y} lives somewhere to the right of {x}."
        )
    return _capitalised(f"{x} lives next to {y}." if not flip else f"{y} lives next to {x}.")


_RULES = {
    "left": '"directly left of" means in the house numbered one less ("directly right of": one more)',
    "before": '"somewhere to the left of" means in a house with a smaller number (any distance)',
    "next": '"next to" means in a neighbouring house, on either side',
    "between": '"somewhere between A and B" means in a house strictly between theirs, in either order',
}
_OTHER_ATTRIBUTES = [a for a in ATTRIBUTES if a != "name"]
_EXAMPLE_ITEMS = ("Hugo", "amber", "parrot", "kiwi", "rugby", "oboe")
"""Items that appear in no puzzle: the answer-syntax example can never be a solution."""


# ------------------------------------------------------------------------------------------- answers

_HOUSE = re.compile(r"(?:house\s*)?([0-9]{1,2})", re.IGNORECASE)


def house_reader(n: int) -> Callable[[str], int | None]:
    """Value reader for `parse_assignment`: a house number 1..n, optionally written `house 3`."""

    def read(text: str) -> int | None:
        match = _HOUSE.fullmatch(text)
        house = int(match.group(1)) if match else 0
        return house if 1 <= house <= n else None

    return read


_TABLE_ROWS = re.compile(r"[;\n\r]")
_TABLE_ROW = re.compile(r"(?:house\s*)?([0-9]{1,2})\s*[:=]\s*(.*)", re.IGNORECASE)
_TABLE_ITEMS = re.compile(r"[,\s]+")
_TABLE_MAX_CHARS = 20_000


def parse_house_table(text: str, values: Sequence[str], n: int) -> dict[str, int]:
    """The other accepted layout of a full grid: one row per house, `House 2: Alice, red, tea`.

    Rows are separated by line breaks or semicolons (a leading bullet and a trailing period are
    forgiven), items by commas or spaces, in any order and letter case. The result maps every value
    to its house, like `parse_assignment`, and errors are AssignmentErrors of the same kinds.
    """
    if len(text) > _TABLE_MAX_CHARS:
        raise AssignmentError("too_long", f"the answer has {len(text)} characters; a grid has at most {_TABLE_MAX_CHARS}")
    index = {ascii_upper(v): v for v in values}
    found: dict[str, int] = {}
    for row in _TABLE_ROWS.split(text):
        row = row.strip().removeprefix("- ").removeprefix("* ").strip().removesuffix(".")
        if not row:
            continue
        match = _TABLE_ROW.fullmatch(row)
        if match is None:
            raise AssignmentError("syntax", f"{row[:40]!r} is neither `value = house` pairs nor a `House N: values` row")
        house = int(match.group(1))
        if not 1 <= house <= n:
            raise AssignmentError("value", f"there is no house {house}")
        for item in _TABLE_ITEMS.split(match.group(2).strip()):
            value = index.get(ascii_upper(item))
            if value is None:
                raise AssignmentError("unknown", f"{item[:40]!r} is not one of the puzzle's values")
            if found.get(value, house) != house:
                raise AssignmentError("conflict", f"{value} is put in two houses ({found[value]} and {house}); give one")
            found[value] = house
    missing = [v for v in values if v not in found]
    if missing:
        raise AssignmentError("missing", f"no house is given for {', '.join(missing[:12])}")
    return found


def parse_grid(text: str, values: Sequence[str], n: int) -> dict[str, int] | AssignmentError:
    """Value → house from `value = house` pairs or, failing that, a `House N: values` table."""
    pairs = try_parse_assignment(text, values, house_reader(n))
    if not isinstance(pairs, AssignmentError) or pairs.kind in ("conflict", "too_long"):
        return pairs
    try:
        return parse_house_table(text, values, n)
    except AssignmentError as table_error:  # not a table either: report the problem with the requested syntax
        return pairs if table_error.kind == "syntax" else table_error


# ------------------------------------------------------------------------------------------- template


class ZebraPuzzleConfig(TemplateConfig):
    """Houses, attributes, clue kinds, pruning of redundant clues and the question asked."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(houses=3, attributes=3, kinds=["at", "same", "left", "next"], prune=False, question="single"),
        "medium": dict(
            houses=4, attributes=3, kinds=["at", "not_at", "same", "not_same", "left", "next"], prune=False,
            question="mixed",
        ),
        "hard": dict(
            houses=4, attributes=4, kinds=["at", "not_at", "same", "not_same", "left", "before", "next"], prune=True,
            question="grid",
        ),
        "expert": dict(
            houses=5, attributes=5, kinds=["not_at", "same", "not_same", "left", "before", "next", "between"],
            prune=True, question="mixed",
        ),
        "master": dict(houses=6, attributes=5, kinds=list(KINDS), prune=True, question="grid"),
    }  # fmt: skip
    default_level: ClassVar[str | None] = "hard"

    houses: int = Field(4, ge=2, le=6, description="Houses in the row (and people, and values per attribute).")
    attributes: int = Field(4, ge=2, le=len(ATTRIBUTES), description="Attributes per person, the name included.")
    kinds: list[str] = Field(default_factory=lambda: list(KINDS), description=f"Clue kinds to draw from: {KINDS}.")
    prune: bool = Field(True, description="Drop every clue the unique solution does not need (minimal puzzles).")
    question: Literal["grid", "single", "mixed"] = Field(
        "grid", description="Ask for every item's house, for one fact, or either (drawn per problem)."
    )

    @model_validator(mode="after")
    def _coherent(self) -> ZebraPuzzleConfig:
        unknown = sorted(set(self.kinds) - set(KINDS))
        if unknown or not self.kinds:
            raise ValueError(f"kinds must be a non-empty subset of {KINDS}; unknown: {unknown}")
        if not _DIRECTIONAL & set(self.kinds):
            raise ValueError(f"kinds need one of {sorted(_DIRECTIONAL)}, or every puzzle has a mirror-image solution")
        if self.kinds == ["between"] or (self.houses < 3 and "between" in self.kinds):
            raise ValueError("'between' clues need at least 3 houses")
        return self


@register
class ZebraPuzzle(Template):
    """Einstein puzzle with a solver-proved unique solution; the grid or one fact between <answer> tags."""

    name = "ZebraPuzzle"
    version = 0
    domain = "logic"
    tags = ("logic/zebra",)
    description = "Einstein/zebra house puzzles with a unique solution (full grid or a single fact)."
    Config = ZebraPuzzleConfig
    answer_format = AnswerFormat.TAG

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, ZebraPuzzleConfig)
        n, k = config.houses, config.attributes
        attributes = ["name", *rng.sample(_OTHER_ATTRIBUTES, k - 1)]
        values = [v for a in attributes for v in rng.sample(ATTRIBUTES[a], n)]
        houses, clues = make_puzzle(rng, n, k, sorted(config.kinds, key=KINDS.index), config.prune)
        question = config.question if config.question != "mixed" else rng.choice(("grid", "single"))
        lines = [
            f"There are {n} houses in a row, numbered 1 to {n} from left to right. One person lives in each house. "
            f"Each person has exactly one value of each attribute below, and no two people share a value:",
            "",
            *(f"- {a}: {', '.join(sorted(values[i * n : i * n + n]))}" for i, a in enumerate(attributes)),
            "",
        ]
        rules = [rule for kind, rule in _RULES.items() if kind in config.kinds]
        if rules:
            lines += ["In the clues, " + "; ".join(rules) + ".", ""]
        lines.append("Clues:")
        lines += [
            f"{i}. {describe(clue, values, attributes, n, rng.random() < 0.5)}" for i, clue in enumerate(clues, 1)
        ]
        lines.append("")
        if question == "grid":
            example = ", ".join(f"{item} = {house}" for item, house in zip(_EXAMPLE_ITEMS[:3], (2, 1, 2)))
            lines += [
                "Question: In which house does each person live, and where is every value?",
                f"Answer with the house number of every one of the {n * k} values listed above, as `value = house` "
                "pairs separated by commas or line breaks, in any order; the syntax looks like "
                f"`{example}, …` (these example values are not part of this puzzle). One line per house, "
                "like `House 1: value, value, …`, is accepted too.",
            ]
            answer: dict[str, Any] = {"houses": [h + 1 for h in houses]}
        else:
            subject = rng.randrange(n * k)
            targets = [b for b in range(k) if b != subject // n] + [-1]
            target = rng.choice(targets)
            who = _PHRASE[attributes[subject // n]].format(values[subject])
            home = houses[subject]
            if target < 0:
                lines += [f"Question: In which house does {who} live?", "Answer with the house number only, e.g. 1."]
                gold = str(home + 1)
            else:
                lines += [
                    f"Question: {_QUESTION[attributes[target]].format(who)}",
                    f"Answer with the {attributes[target]} only, one word exactly as listed above.",
                ]
                gold = values[target * n + houses[target * n : target * n + n].index(home)]
            answer = {"houses": [h + 1 for h in houses], "value": gold}
        lines.append("Put your final answer, and nothing else, between <answer> and </answer> tags.")
        metadata = {"attributes": attributes, "values": values, "clues": clues, "question": question}
        if question == "single":
            metadata["target"] = "house" if target < 0 else attributes[target]
        return Draft(prompt="\n".join(lines), answer=answer, metadata=metadata, tags=(f"logic/zebra/{question}",))

    def check_answer(self, problem: Problem, text: str) -> Verdict:
        if problem.metadata["question"] == "single":
            return self._check_single(problem, text)
        return self._check_grid(problem, text)

    def _check_single(self, problem: Problem, text: str) -> Verdict:
        gold = str(problem.answer["value"])
        given = collapse_whitespace(text)
        if problem.metadata.get("target") == "house":
            n = len(problem.answer["houses"]) // len(problem.metadata["attributes"])
            right = house_reader(n)(given) == int(gold)
        else:
            right = ascii_upper(given) == ascii_upper(gold)
        if right:
            return Verdict.correct(answer=text)
        return Verdict.fail(WRONG_ANSWER, "the answer is not the value the clues force", answer=text)

    def _check_grid(self, problem: Problem, text: str) -> Verdict:
        values = [str(v) for v in problem.metadata["values"]]
        k = len(problem.metadata["attributes"])
        n = len(values) // k
        pairs = parse_grid(text, values, n)
        if isinstance(pairs, AssignmentError):
            return Verdict.fail(pairs.reason, f"{pairs}; write `value = house` pairs separated by commas", answer=text)
        houses = [pairs[value] - 1 for value in values]
        permutation = all(
            sorted(houses[a * n : a * n + n]) == list(range(n)) for a in range(k)
        )  # each house holds exactly one value of every attribute
        if not permutation:
            return Verdict.fail(WRONG_ANSWER, "each house must hold exactly one value of every attribute", answer=text)
        broken = [i + 1 for i, clue in enumerate(problem.metadata["clues"]) if not holds(clue, houses)]
        if broken:
            return Verdict.fail(WRONG_ANSWER, f"the arrangement breaks clue(s) {broken[:5]}", checks={"clues": False}, answer=text)
        return Verdict.correct(checks={"clues": True}, answer=text)

    def reference_response(self, problem: Problem) -> str:
        attributes = [str(a) for a in problem.metadata["attributes"]]
        values = [str(v) for v in problem.metadata["values"]]
        houses = [int(h) for h in problem.answer["houses"]]
        n, k = len(houses) // len(attributes), len(attributes)
        rows = []
        for house in range(1, n + 1):
            held = [values[a * n + houses[a * n : a * n + n].index(house)] for a in range(k)]
            rows.append(f"House {house}: " + ", ".join(held))
        checks = []
        for i, clue in enumerate(problem.metadata["clues"], 1):
            operands = clue[1:2] if KINDS[clue[0]] in ("at", "not_at") else clue[1:]
            checks.append(f"{i}: " + ", ".join(f"{values[e]} {houses[e]}" for e in operands))
        lines = [
            "Combining the clues (fixed houses first, then neighbours, orders and exclusions) leaves exactly one "
            "arrangement:",
            *rows,
            "Every clue holds there (houses of the people each clue names): " + "; ".join(checks) + ".",
        ]
        if problem.metadata["question"] == "single":
            lines.append(f"This answers the question: {problem.answer['value']}.")
            final = str(problem.answer["value"])
        else:
            order = sorted(range(n * k), key=lambda e: (houses[e], e))
            final = ", ".join(f"{values[e]} = {houses[e]}" for e in order)
        lines.append(self.answer_format.wrap(final))
        return "\n".join(lines)
