"""Sudoku machinery behind the `Sudoku` template: geometry, solution counting, a technique rater, carving.

Why a module of its own: generation speed is the whole game for Sudoku (reasoning-gym makes 34
9×9 puzzles/s), and every routine here is written for CPython speed — cells are integers, a set of
candidate digits is an int bitmask (bit d-1 for digit d), and the inner loops touch tuples and
lists only. Nothing here draws randomness except through the `random.Random` it is handed.

* `Geometry` — an N×N grid with R×C boxes (4 = 2×2, 6 = 2×3, 9 = 3×3): units and peers.
* `count_solutions` — exact depth-first search (naked-single propagation, fewest-candidates
  branching) that stops at `limit` solutions, so `limit=2` decides uniqueness.
* `rate` — a logical solver that always applies the simplest technique available and records
  which ones it needed: naked singles < hidden singles < locked candidates and naked/hidden
  pairs/triples. A puzzle it cannot finish needs search (the "search" tier). Every technique is a
  sound deduction, so a puzzle the rater finishes has exactly one solution.
* `random_solution` — a random full grid (random digits in independent boxes, then a randomised
  search), so puzzles are not all relabellings of one base grid.
* `make_puzzle` — carve clues out of a random solution until the puzzle needs exactly the asked
  tier and has a clue count in range.

Carving is where the time goes (measured: 80% of a 9×9 hard puzzle), so it avoids work:

1. Phase 1 removes a clue only when the other clues determine its cell *directly* (a naked or a
   hidden single): a constant-time test, and sound — filling the removed cells back in reverse
   order of removal is a singles-only solving path. This takes a 9×9 grid to ~34 clues.
2. Phase 2 tries the remaining clues in random order. Singles run on the puzzle without the clue,
   stopping as soon as they place its cell (then nothing changed). When they stall, the higher
   tiers search for a second solution *from the stalled state* (with the known solution's digits
   tried first); none found means unique, and the tier-2 techniques continue from the same state
   to tell tier 2 from search.
3. Before any of that, a clue that is the last one left on an *unavoidable set* of the solution
   (cells that a second solution could refill: two-digit cycles, and every difference between
   the solution and a second solution found so far) is kept without testing.
4. When every clue has been tried and the puzzle is still too easy, swaps (one removed clue back,
   another out) usually reach the tier in a few tries; a new removal order, and after a few of
   those a new solution, are the fallbacks.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

BOX_SHAPES: dict[int, tuple[int, int]] = {4: (2, 2), 6: (2, 3), 9: (3, 3)}
"""Grid size → (rows, columns) of a box."""

TIERS: tuple[str, ...] = ("naked_single", "hidden_single", "intersection_subset", "search")
"""Difficulty tiers, easiest first: the hardest kind of step a puzzle needs."""
SEARCH = 3
SEARCH_BUDGET = 40
"""Nodes a carving test may search before it keeps the clue, undecided: 4% of the searches go past
60 nodes but they hold a third of all nodes (measured on 9×9 hard and expert carving)."""

TECHNIQUES: tuple[str, ...] = (
    "naked_single", "hidden_single", "locked_candidates", "naked_pair", "hidden_pair", "naked_triple", "hidden_triple",
)  # fmt: skip
"""Techniques of the rater, simplest first; all but the two singles belong to tier 2."""


@dataclass(frozen=True)
class Geometry:
    """Cells 0..N²-1 in row-major order; units are the N rows, N columns and N boxes."""

    size: int
    box_rows: int
    box_cols: int
    full: int = field(init=False)
    """Bitmask of all N digits."""
    row_of: tuple[int, ...] = field(init=False)
    col_of: tuple[int, ...] = field(init=False)
    box_of: tuple[int, ...] = field(init=False)
    units: tuple[tuple[int, ...], ...] = field(init=False)
    """Rows, then columns, then boxes (boxes in row-major order)."""
    peers: tuple[tuple[int, ...], ...] = field(init=False)
    intersections: tuple[tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]], ...] = field(init=False)
    """Every (box ∩ line, rest of the line, rest of the box) for the lines crossing a box."""

    def __post_init__(self) -> None:
        n, br, bc = self.size, self.box_rows, self.box_cols
        if br * bc != n:
            raise ValueError(f"boxes of {br}×{bc} do not tile a {n}×{n} grid")
        cells = range(n * n)
        row_of = tuple(cell // n for cell in cells)
        col_of = tuple(cell % n for cell in cells)
        box_of = tuple((row_of[cell] // br) * (n // bc) + col_of[cell] // bc for cell in cells)
        lines = [tuple(c for c in cells if row_of[c] == i) for i in range(n)]
        lines += [tuple(c for c in cells if col_of[c] == i) for i in range(n)]
        boxes = [tuple(c for c in cells if box_of[c] == i) for i in range(n)]
        peers = tuple(tuple(p for p in cells if p != c and any(c in u and p in u for u in lines + boxes)) for c in cells)
        intersections = []
        for box in boxes:
            for line in lines:
                inter = tuple(c for c in line if c in box)
                if inter:
                    rest_line = tuple(c for c in line if c not in box)
                    intersections.append((inter, rest_line, tuple(c for c in box if c not in inter)))
        set_ = object.__setattr__
        set_(self, "full", (1 << n) - 1)
        set_(self, "row_of", row_of)
        set_(self, "col_of", col_of)
        set_(self, "box_of", box_of)
        set_(self, "units", tuple(lines + boxes))
        set_(self, "peers", peers)
        set_(self, "intersections", tuple(intersections))

    @property
    def cells(self) -> int:
        return self.size * self.size

    def box_cells(self, box: int) -> tuple[int, ...]:
        return self.units[2 * self.size + box]


@functools.lru_cache(maxsize=None)
def geometry(size: int) -> Geometry:
    """The geometry of an N×N sudoku with the standard box shape for N (4, 6 or 9)."""
    if size not in BOX_SHAPES:
        raise ValueError(f"sudoku size must be one of {sorted(BOX_SHAPES)}, not {size}")
    return Geometry(size, *BOX_SHAPES[size])


# ------------------------------------------------------------------------------ candidate grids
# A state is two lists indexed by cell: `cand` (bitmask of the digits still possible, 0 once the
# cell holds a digit) and `vals` (the digit's bit, 0 while blank), plus a stack of cells whose
# candidate set has shrunk to one digit and that still have to be placed.


def _initial(geo: Geometry, grid: Sequence[int]) -> tuple[list[int], list[int], list[int]] | None:
    """The state of a grid of digits (0 = blank), or None when two givens clash."""
    n, full = geo.size, geo.full
    used = [0] * (3 * n)
    row_of, col_of, box_of = geo.row_of, geo.col_of, geo.box_of
    for cell, digit in enumerate(grid):
        if digit:
            bit = 1 << (digit - 1)
            r, c, b = row_of[cell], n + col_of[cell], 2 * n + box_of[cell]
            if (used[r] | used[c] | used[b]) & bit:
                return None
            used[r] |= bit
            used[c] |= bit
            used[b] |= bit
    vals = [1 << (d - 1) if d else 0 for d in grid]
    cand = [
        0 if grid[cell] else full & ~(used[row_of[cell]] | used[n + col_of[cell]] | used[2 * n + box_of[cell]])
        for cell in range(n * n)
    ]
    stack = [cell for cell, mask in enumerate(cand) if mask and not mask & (mask - 1)]
    return cand, vals, stack


def _naked_singles(peers: tuple[tuple[int, ...], ...], cand: list[int], vals: list[int], stack: list[int]) -> int:
    """Place every cell on the stack and every cell that becomes a single; -1 on a contradiction."""
    placed = 0
    while stack:
        cell = stack.pop()
        bit = cand[cell]
        if not bit:
            if vals[cell]:
                continue  # pushed twice (a naked and a hidden single at once)
            return -1
        vals[cell] = bit
        cand[cell] = 0
        placed += 1
        for peer in peers[cell]:
            mask = cand[peer]
            if mask & bit:
                mask ^= bit
                cand[peer] = mask
                if not mask & (mask - 1):
                    if not mask:
                        return -1
                    stack.append(peer)
    return placed


def _hidden_singles(geo: Geometry, cand: list[int], stack: list[int]) -> int:
    """Push every digit that has one place left in a unit; -1 when a cell is the only place of two.

    A digit with no place left is not looked for here (it costs a tenth of the pass): on a grid
    without a solution it surfaces later as a cell without candidates.
    """
    found = 0
    for unit in geo.units:
        once = twice = 0
        for cell in unit:
            mask = cand[cell]
            twice |= once & mask
            once |= mask
        unique = once & ~twice
        if unique:
            for cell in unit:
                bit = cand[cell] & unique
                if bit:
                    if bit & (bit - 1):
                        return -1
                    if cand[cell] != bit:  # not already found in an earlier unit of this pass
                        cand[cell] = bit
                        stack.append(cell)
                        found += 1
    return found


# ------------------------------------------------------------------------------------------ search


class _OutOfBudget(Exception):
    """A budgeted search used up its nodes."""


def _search(
    geo: Geometry,
    cand: list[int],
    vals: list[int],
    stack: list[int],
    limit: int,
    solutions: list[list[int]] | None,
    rng: random.Random | None,
    prefer: Sequence[int] | None = None,
    budget: list[int] | None = None,
) -> int:
    """Solutions below this state, counted up to `limit` (collected into `solutions` if given).

    Propagation is naked singles only: hidden singles prune more but cost a pass over every unit,
    and cheap nodes with fewest-candidates branching measured faster (~40%) on carving's tests.
    With `budget` (a one-item list), every node spends one and `_OutOfBudget` ends the search.
    """
    if budget is not None:
        budget[0] -= 1
        if budget[0] < 0:
            raise _OutOfBudget
    if _naked_singles(geo.peers, cand, vals, stack) < 0:
        return 0
    best, fewest = -1, 99
    for cell, mask in enumerate(cand):
        if mask:
            count = mask.bit_count()
            if count < fewest:
                best, fewest = cell, count
                if count == 2:
                    break
    if best < 0:
        if solutions is not None:
            solutions.append([bit.bit_length() for bit in vals])
        return 1
    mask, bits = cand[best], []
    while mask:
        low = mask & -mask
        bits.append(low)
        mask ^= low
    if rng is not None:
        rng.shuffle(bits)
    elif prefer is not None:  # try the preferred digit first: a nearby solution is found sooner
        first = 1 << (prefer[best] - 1)
        if first in bits:
            bits.remove(first)
            bits.insert(0, first)
    found = 0
    for bit in bits:
        branch = cand[:]
        branch[best] = bit
        found += _search(geo, branch, vals[:], [best], limit - found, solutions, rng, prefer, budget)
        if found >= limit:
            break
    return found


def count_solutions(geo: Geometry, grid: Sequence[int], limit: int = 2) -> int:
    """Number of solutions of `grid` (digits, 0 = blank), counted up to `limit`."""
    state = _initial(geo, grid)
    return 0 if state is None else _search(geo, *state, limit, None, None)


def solve(geo: Geometry, grid: Sequence[int]) -> list[int] | None:
    """A solution of `grid`, or None if it has none."""
    state, solutions = _initial(geo, grid), []
    if state is None or not _search(geo, *state, 1, solutions, None):
        return None
    return solutions[0]


def random_solution(rng: random.Random, geo: Geometry) -> list[int]:
    """A random full grid: some boxes filled at random, the rest by randomised search.

    For 9×9 the three diagonal boxes share no row or column and any filling of them completes, so
    they are drawn independently; smaller grids draw only the first box (4×4 diagonals can clash).
    """
    grid = [0] * geo.cells
    digits = list(range(1, geo.size + 1))
    for box in (0, 4, 8) if geo.size == 9 else (0,):
        rng.shuffle(digits)
        for cell, digit in zip(geo.box_cells(box), digits):
            grid[cell] = digit
    state, solutions = _initial(geo, grid), []
    if state is None or not _search(geo, *state, 1, solutions, rng):
        raise RuntimeError("the seeded boxes have no completion")  # cannot happen for these seedings
    return solutions[0]


# ------------------------------------------------------------------------------------------ rating


@dataclass(frozen=True)
class Rating:
    """What the logical solver needed: the tier (index into TIERS) and the steps per technique."""

    tier: int
    steps: dict[str, int]
    solution: list[int] | None
    """The solved grid, or None when the techniques up to the tier cap were not enough."""

    @property
    def tier_name(self) -> str:
        return TIERS[self.tier]


class _Logic:
    """The logical solver: singles first, tier-2 eliminations only when singles are stuck."""

    def __init__(self, geo: Geometry, grid: Sequence[int]) -> None:
        state = _initial(geo, grid)
        if state is None:
            raise ValueError("the givens break the rules")
        self.geo = geo
        self.cand, self.vals, self.stack = state
        self.steps = dict.fromkeys(TECHNIQUES, 0)

    def run(self, max_tier: int, stop_cell: int = -1) -> int:
        """Solve with techniques up to `max_tier`; the tier used, or `max_tier + 1` when stuck.

        With `stop_cell`, return as soon as that cell is placed (the tier so far).
        """
        geo, cand, vals, stack, steps = self.geo, self.cand, self.vals, self.stack, self.steps
        tier = 0
        while True:
            placed = _naked_singles(geo.peers, cand, vals, stack)
            if placed < 0:
                return max_tier + 1
            steps["naked_single"] += placed
            if stop_cell >= 0 and vals[stop_cell]:
                return tier
            if not any(cand):
                return tier
            if max_tier >= 1:
                found = _hidden_singles(geo, cand, stack)
                if found < 0:
                    return max_tier + 1
                if found:
                    steps["hidden_single"] += found
                    steps["naked_single"] -= found  # they are placed (and counted) by the next naked pass
                    tier = max(tier, 1)
                    continue
            if max_tier >= 2 and self._advanced():
                tier = 2
                stack.extend(cell for cell, mask in enumerate(cand) if mask and not mask & (mask - 1))
                continue
            return max_tier + 1

    def _advanced(self) -> bool:
        """One round of the first tier-2 technique (simplest first) that eliminates something."""
        return (
            self._locked_candidates()
            or self._naked_subsets(2)
            or self._hidden_subsets(2)
            or self._naked_subsets(3)
            or self._hidden_subsets(3)
        )

    def _locked_candidates(self) -> bool:
        cand, progress = self.cand, False
        for inter, line_rest, box_rest in self.geo.intersections:
            here = line = box = 0
            for cell in inter:
                here |= cand[cell]
            if not here:
                continue
            for cell in line_rest:
                line |= cand[cell]
            for cell in box_rest:
                box |= cand[cell]
            # pointing: in the box the digit is confined to this line; claiming: the other way round
            for confined, targets in ((here & line & ~box, line_rest), (here & box & ~line, box_rest)):
                if confined:
                    for cell in targets:
                        cand[cell] &= ~confined
                    self.steps["locked_candidates"] += 1
                    progress = True
        return progress

    def _naked_subsets(self, k: int) -> bool:
        """k cells of a unit whose candidates together are k digits: no other cell there has them."""
        cand, progress = self.cand, False
        for unit in self.geo.units:
            open_cells = [cell for cell in unit if cand[cell]]
            if len(open_cells) <= k:
                continue
            small = [cell for cell in open_cells if cand[cell].bit_count() <= k]
            for combo in combinations(small, k):
                union = 0
                for cell in combo:
                    union |= cand[cell]
                if union.bit_count() != k:
                    continue
                hit = [cell for cell in open_cells if cell not in combo and cand[cell] & union]
                for cell in hit:
                    cand[cell] &= ~union
                if hit:
                    self.steps["naked_pair" if k == 2 else "naked_triple"] += 1
                    progress = True
        return progress

    def _hidden_subsets(self, k: int) -> bool:
        """k digits of a unit that fit only in the same k cells: those cells hold nothing else."""
        cand, progress = self.cand, False
        for unit in self.geo.units:
            open_cells = [cell for cell in unit if cand[cell]]
            if len(open_cells) <= k:
                continue
            places: dict[int, int] = {}
            for index, cell in enumerate(open_cells):
                mask = cand[cell]
                while mask:
                    low = mask & -mask
                    places[low] = places.get(low, 0) | (1 << index)
                    mask ^= low
            rare = [bit for bit, where in places.items() if where.bit_count() <= k]
            for combo in combinations(rare, k):
                where = digits = 0
                for bit in combo:
                    where |= places[bit]
                    digits |= bit
                if where.bit_count() != k:
                    continue
                hit = [cell for index, cell in enumerate(open_cells) if where >> index & 1 and cand[cell] & ~digits]
                for cell in hit:
                    cand[cell] &= digits
                if hit:
                    self.steps["hidden_pair" if k == 2 else "hidden_triple"] += 1
                    progress = True
        return progress


def rate(geo: Geometry, grid: Sequence[int], max_tier: int = 2) -> Rating:
    """Solve `grid` logically, simplest technique first, with techniques up to `max_tier`.

    The tier is the hardest one used when solved, and `max_tier + 1` when stuck (for the default
    `max_tier=2`: "search"). The rules only ever remove candidates, so more givens never hurt and
    the tier does not depend on the order of deductions: it is the least tier that solves the grid.
    """
    logic = _Logic(geo, grid)
    tier = logic.run(max_tier)
    steps = {name: count for name, count in logic.steps.items() if count}
    solved = tier <= max_tier
    return Rating(tier, steps, [bit.bit_length() for bit in logic.vals] if solved else None)


# ------------------------------------------------------------------------------------------ carving


def _direct_carve(rng: random.Random, geo: Geometry, grid: list[int], target: int) -> list[int]:
    """Phase 1: remove clues (random order) whose cell the other clues determine directly.

    `grid` is carved in place down to `target` clues at most; returns the clues kept.
    """
    n, full = geo.size, geo.full
    row_of, col_of, box_of, units = geo.row_of, geo.col_of, geo.box_of, geo.units
    vals = [1 << (d - 1) if d else 0 for d in grid]
    rows, cols, boxes = [0] * n, [0] * n, [0] * n
    for cell, bit in enumerate(vals):
        rows[row_of[cell]] |= bit
        cols[col_of[cell]] |= bit
        boxes[box_of[cell]] |= bit
    clues = [cell for cell, bit in enumerate(vals) if bit]
    rng.shuffle(clues)
    count, kept = len(clues), []
    for position, cell in enumerate(clues):
        if count <= target:
            kept.extend(clues[position:])
            break
        bit, r, c, b = vals[cell], row_of[cell], col_of[cell], box_of[cell]
        rows[r] ^= bit
        cols[c] ^= bit
        boxes[b] ^= bit
        vals[cell] = 0
        ok = (rows[r] | cols[c] | boxes[b]) | bit == full
        if not ok:  # the digit has no other place in one of the cell's units
            for unit in (units[r], units[n + c], units[2 * n + b]):
                for other in unit:
                    seen = rows[row_of[other]] | cols[col_of[other]] | boxes[box_of[other]]
                    if not vals[other] and other != cell and not seen & bit:
                        break
                else:
                    ok = True
                    break
        if ok:
            grid[cell] = 0
            count -= 1
        else:
            vals[cell] = bit
            rows[r] |= bit
            cols[c] |= bit
            boxes[b] |= bit
            kept.append(cell)
    return kept


def unavoidable_sets(geo: Geometry, solution: Sequence[int]) -> list[int]:
    """Cell sets (as bitmasks) of `solution` that every unique puzzle must keep a clue in.

    Two digits a and b chase each other through the grid: from the b of a row go to the a of that
    column, to the b of that row, and so on until the walk closes. Swapping a and b along a union
    of such cycles keeps every row and column valid, and every box too when the cycles visit the
    same boxes with a as with b; the swapped grid is a second solution unless a clue sits on the
    cycle. A puzzle losing its last clue on one of these sets is not unique — no search needed.
    """
    n = geo.size
    cell_of = [[0] * n for _ in range(n + 1)]  # digit → row → cell
    row_in_col = [[0] * n for _ in range(n + 1)]  # digit → column → row
    for cell, digit in enumerate(solution):
        cell_of[digit][geo.row_of[cell]] = cell
        row_in_col[digit][geo.col_of[cell]] = geo.row_of[cell]
    found = []
    for a in range(1, n + 1):
        for b in range(a + 1, n + 1):
            seen, cycles = 0, []
            for start in range(n):
                if seen >> start & 1:
                    continue
                cells = boxes_a = boxes_b = 0
                row = start
                while not seen >> row & 1:
                    seen |= 1 << row
                    cell_a, cell_b = cell_of[a][row], cell_of[b][row]
                    cells |= (1 << cell_a) | (1 << cell_b)
                    boxes_a |= 1 << geo.box_of[cell_a]
                    boxes_b |= 1 << geo.box_of[cell_b]
                    row = row_in_col[a][geo.col_of[cell_b]]
                cycles.append((cells, boxes_a, boxes_b))
            for size in range(1, len(cycles)):  # the union of all cycles is just relabelling a and b
                for combo in combinations(cycles, size):
                    cells = boxes_a = boxes_b = 0
                    for c, ba, bb in combo:
                        cells, boxes_a, boxes_b = cells | c, boxes_a | ba, boxes_b | bb
                    if boxes_a == boxes_b:
                        found.append(cells)
    return found


@dataclass(frozen=True)
class Puzzle:
    """A generated puzzle: givens (0 = blank), its unique solution and its rating."""

    grid: list[int]
    solution: list[int]
    rating: Rating

    @property
    def clues(self) -> int:
        return sum(1 for digit in self.grid if digit)


class _Carver:
    """Carving puzzles out of one solution, remembering its unavoidable sets between attempts.

    State of an attempt: `grid` (the puzzle so far), `clue_mask` (its clues as a bitmask),
    `current` (its tier; 0 and 1 are told apart only when the target tier is 1).
    """

    def __init__(self, geo: Geometry, solution: list[int]) -> None:
        self.geo = geo
        self.solution = solution
        self.sets_of: list[list[int]] = [[] for _ in range(geo.cells)]
        for mask in unavoidable_sets(geo, solution):
            self._remember(mask)

    def _remember(self, mask: int) -> None:
        cells = mask
        while cells:
            low = cells & -cells
            self.sets_of[low.bit_length() - 1].append(mask)
            cells ^= low

    def _pinned(self, cell: int, clue_mask: int) -> bool:
        """Whether `cell` is the last clue on a known unavoidable set (so it cannot go)."""
        bit = 1 << cell
        return any(mask & clue_mask == bit for mask in self.sets_of[cell])

    def _tier_without(self, grid: list[int], cell: int, tier: int, current: int) -> int:
        """The tier of `grid` once `cell` is blanked, or -1 if that is not allowed; `grid` is not changed.

        Singles run first, stopping when they place the cell: then the puzzle reaches the same state
        as before the removal and keeps its tier. When they stall first, tiers 0 and 1 reject; above,
        a search from the stalled state looks for a second solution (remembering where it differs
        as a new unavoidable set), and if there is none the tier-2 techniques continue from that
        state to tell tier 2 from search.
        """
        geo = self.geo
        digit, grid[cell] = grid[cell], 0
        try:
            logic = _Logic(geo, grid)
            logic.run(min(tier, 1), stop_cell=cell)
            if logic.vals[cell]:
                return _Logic(geo, grid).run(0) if tier == 1 and current == 0 else current
            if tier < 2:
                return -1
            cand, vals = logic.cand[:], logic.vals[:]
            cand[cell] &= ~(1 << (digit - 1))
            stack = [cell] if cand[cell] and not cand[cell] & (cand[cell] - 1) else []
            others: list[list[int]] = []
            try:
                found = cand[cell] and _search(geo, cand, vals, stack, 1, others, None, self.solution, [SEARCH_BUDGET])
            except _OutOfBudget:
                return -1  # undecided: keeping the clue is always safe
            if found:
                self._remember(sum(1 << c for c, (x, y) in enumerate(zip(others[0], self.solution)) if x != y))
                return -1
            return current if current == SEARCH else logic.run(2)
        finally:
            grid[cell] = digit

    def carve(self, rng: random.Random, tier: int, low: int, high: int) -> Puzzle | None:
        """One attempt; None when this removal order did not reach `tier` within `low..high` clues.

        Clues are tried in random order, each once, and a removal is kept when the puzzle stays
        solvable within `tier` (`_tier_without`). Carving stops at a clue count drawn from
        `low..high` once the tier is reached. When every clue has been tried and the tier is still
        too easy, a few swaps (one clue back, another out: `_swap`) usually get there.
        """
        geo = self.geo
        target = rng.randint(low, high)
        grid = list(self.solution)
        kept = _direct_carve(rng, geo, grid, target)
        clues = len(kept)
        clue_mask = sum(1 << cell for cell in kept)
        current = _Logic(geo, grid).run(0)  # 0, or 1 when naked singles are not enough
        rng.shuffle(kept)
        for cell in kept:
            if (current == tier and clues <= target) or clues <= low:
                break
            if self._pinned(cell, clue_mask):
                continue
            new = self._tier_without(grid, cell, tier, current)
            if 0 <= new <= tier:
                grid[cell] = 0
                clues -= 1
                clue_mask ^= 1 << cell
                current = new
        if current < tier and low <= clues <= high:
            current = self._swap(rng, grid, clue_mask, tier, current)
        if current != tier or not low <= clues <= high:
            return None
        return Puzzle(grid, list(self.solution), rate(geo, grid))

    def _swap(self, rng: random.Random, grid: list[int], clue_mask: int, tier: int, current: int, tries: int = 40) -> int:
        """Put one removed clue back and take another out, until the puzzle needs `tier`.

        `grid` has had every removal tried. Adding a clue y frees the clues whose only known
        witnesses of non-uniqueness pass through y; removing such a clue x keeps the clue count.
        At most `tries` removals are tested. Returns the new tier (`grid` changed in place) or
        `current` when no swap got there (`grid` unchanged).
        """
        blanks = [cell for cell, digit in enumerate(grid) if not digit]
        rng.shuffle(blanks)
        for added in blanks:
            grid[added] = self.solution[added]
            mask = clue_mask | (1 << added)
            candidates = [cell for cell in range(self.geo.cells) if mask >> cell & 1 and cell != added]
            rng.shuffle(candidates)
            for cell in candidates:
                if self._pinned(cell, mask):
                    continue
                tries -= 1
                if self._tier_without(grid, cell, tier, current) == tier:
                    grid[cell] = 0
                    return tier
                if tries <= 0:
                    break
            grid[added] = 0
            if tries <= 0:
                break
        return current


def make_puzzle(
    rng: random.Random, geo: Geometry, tier: int, low: int, high: int, *, per_solution: int = 4, attempts: int = 400
) -> Puzzle:
    """A puzzle with a unique solution that needs exactly `tier` and has `low..high` clues.

    Up to `per_solution` removal orders are tried on each random solution before drawing another.
    """
    carver = None
    for attempt in range(attempts):
        if attempt % per_solution == 0:
            carver = _Carver(geo, random_solution(rng, geo))
        puzzle = carver.carve(rng, tier, low, high)
        if puzzle is not None:
            if puzzle.rating.tier != tier or count_solutions(geo, puzzle.grid) != 1:
                raise AssertionError("carving broke its own invariant")  # both are proved while carving
            return puzzle
    raise RuntimeError(
        f"no {geo.size}×{geo.size} puzzle needing {TIERS[tier]} with {low}-{high} clues after {attempts} attempts; "
        "widen the clue range or choose another tier"
    )
