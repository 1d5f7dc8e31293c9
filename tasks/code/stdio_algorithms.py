"""`CodeStdioAlgorithms`: competitive-programming style programs with several test cases per input.

Why: contest problems are the standard benchmark of code RL (APPS, CodeContests, LiveCodeBench),
and their format — T test cases, parse everything from stdin, print one answer per line — is a
skill of its own. Kinds: range queries (prefix sums or prefix xor), shortest paths on a grid by
breadth-first search (4 or 8 directions), and interval scheduling (touching intervals compatible
or not). At expert, one input (built in the sandbox from a seed) holds a case large enough that the
quadratic approach (a loop per query, dynamic programming over all pairs of intervals) exceeds the
CPU-time limit.

The reference `solve(data) -> str` is the oracle of the hidden expected outputs (see `_procedural`).
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from vrgym.registry import register
from vrgym.tasks.code._procedural import Maker, ProceduralConfig, ProceduralTemplate, StdioCase, code, generated

EFFICIENT_SECONDS = 3.0
"""CPU time of each input at expert: the intended algorithms take a fraction of a second."""


def cases(blocks: list[str]) -> str:
    """An input with T test cases: the count, then each case's block (each ends with a newline)."""
    return f"{len(blocks)}\n" + "".join(blocks)


def make_range_queries(rng: random.Random, cfg: ProceduralConfig) -> StdioCase:
    """Answer range queries over an array: sums (prefix sums) or xors (prefix xor)."""
    xor = rng.random() < 0.4
    op, unit = ("^", "xor") if xor else ("+", "sum")
    solution = code(
        """
        def solve(data: str) -> str:
            tokens = data.split()
            position = 1
            out = []
            for _ in range(int(tokens[0])):
                n, q = int(tokens[position]), int(tokens[position + 1])
                position += 2
                prefix = [0]
                for value in tokens[position : position + n]:
                    prefix.append(prefix[-1] $op int(value))
                position += n
                for _ in range(q):
                    left, right = int(tokens[position]), int(tokens[position + 1])
                    position += 2
                    out.append(str(prefix[right] $inverse prefix[left - 1]))
            return "\\n".join(out) + ("\\n" if out else "")
        """,
        op=op, inverse="^" if xor else "-",
    )
    what = "the bitwise xor" if xor else "the sum"
    statement = (
        f"You are given an array a1..an and q queries \"l r\" (1 <= l <= r <= n); for each query print {what} of a_l through a_r. "
        "Input: the first line holds T, the number of test cases. Each test case is a line \"n q\", a line of n integers, and q "
        "lines \"l r\". Output: one line per query, test cases in order, queries in order."
    )
    low = 0 if xor else -1000

    def block(n: int, q: int) -> str:
        values = rng.choices(range(low, 1001), k=n)
        ends = rng.choices(range(1, n + 1), k=2 * q)
        queries = "".join(f"{min(a, b)} {max(a, b)}\n" for a, b in zip(ends[0::2], ends[1::2]))
        return f"{n} {q}\n{' '.join(map(str, values))}\n{queries}"

    inputs = [cases([block(5, 3)]), cases([block(4, 2), block(3, 2)]), cases([block(1, 1)]), cases([block(3, 0), block(2, 1)])]
    inputs += [cases([block(rng.randint(1, cfg.size), rng.randint(1, cfg.size)) for _ in range(rng.randint(1, 3))]) for _ in range(cfg.hidden)]
    budget = None
    if cfg.large:  # a loop per query over 1500 ranges of more than half of 200 000 values: 2·10^8 steps
        inputs.append(generated(
            """
            n, q = 200_000, 1500
            starts, ends = ints($seed, q, 1, n // 4), ints($seed + 1, q, 3 * n // 4, n)
            queries = "".join(f"{a} {b}\\n" for a, b in zip(starts, ends))
            value = f"1\\n{n} {q}\\n{' '.join(map(str, ints($seed + 2, n, $low, 1000)))}\\n{queries}"
            """,
            seed=rng.getrandbits(32), low=low,
        ))
        budget = EFFICIENT_SECONDS
    return StdioCase(statement, solution, inputs, cpu_seconds=budget)


def make_grid_path(rng: random.Random, cfg: ProceduralConfig) -> StdioCase:
    """Fewest moves from S to T on a grid with walls (BFS), 4 or 8 directions; -1 if unreachable."""
    diagonal = rng.random() < 0.4
    wall = rng.choice("#X")
    solution = code(
        """
        from collections import deque


        def solve(data: str) -> str:
            lines = data.split("\\n")
            line, out = 1, []
            steps = [(-1, 0), (1, 0), (0, -1), (0, 1)] + ([(-1, -1), (-1, 1), (1, -1), (1, 1)] if $diagonal else [])
            for _ in range(int(lines[0])):
                rows, cols = map(int, lines[line].split())
                grid = lines[line + 1 : line + 1 + rows]
                line += 1 + rows
                start = next((r, c) for r in range(rows) for c in range(cols) if grid[r][c] == "S")
                dist = {start: 0}
                queue = deque([start])
                answer = -1
                while queue:
                    r, c = queue.popleft()
                    if grid[r][c] == "T":
                        answer = dist[(r, c)]
                        break
                    for dr, dc in steps:
                        nr, nc = r + dr, c + dc
                        if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] != "$wall" and (nr, nc) not in dist:
                            dist[(nr, nc)] = dist[(r, c)] + 1
                            queue.append((nr, nc))
                out.append(str(answer))
            return "\\n".join(out) + "\\n"
        """,
        diagonal=diagonal, wall=wall,
    )
    moves = "to any of the 8 neighbouring cells (diagonals included)" if diagonal else "up, down, left or right"
    statement = (
        f"On a grid, 'S' is the start, 'T' the target, '.' a free cell and '{wall}' a wall. Each move goes {moves} onto a "
        "cell that is not a wall. Print the fewest moves from S to T, or -1 if T cannot be reached.\n\n"
        "Input: the first line holds T, the number of test cases; each test case is a line \"R C\" and R lines of C "
        "characters with exactly one S and one T. Output: one line per test case."
    )

    def block(rows: int, cols: int, density: float = 0.3) -> str:
        cells = [[wall if rng.random() < density else "." for _ in range(cols)] for _ in range(rows)]
        spots = rng.sample([(r, c) for r in range(rows) for c in range(cols)], 2)
        for (r, c), mark in zip(spots, "ST"):
            cells[r][c] = mark
        return f"{rows} {cols}\n" + "".join("".join(row) + "\n" for row in cells)

    inputs = [cases([block(3, 4, 0.2)]), cases([block(4, 4), block(2, 3)]), cases(["1 2\nST\n"]), cases([f"1 3\nS{wall}T\n"]), cases([f"3 3\nS{wall}.\n{wall}..\n..T\n"])]
    side = max(2, int(cfg.size ** 0.5))
    inputs += [cases([block(rng.randint(1, side), rng.randint(2, side + 1)) for _ in range(rng.randint(1, 3))]) for _ in range(cfg.hidden)]
    budget = None
    if cfg.large:  # breadth-first search over 22 500 cells; a search per path or without a visited set is hopeless
        inputs.append(generated(
            """
            side = 150
            cells = ints($seed, side * side, 0, 99)  # 25% walls
            spots = ints($seed + 1, 2, 0, side * side - 1)
            start, target = spots[0], (spots[1] if spots[1] != spots[0] else (spots[0] + 1) % (side * side))
            marks = {start: "S", target: "T"}
            rows = ["".join(marks.get(side * r + c, "$wall" if cells[side * r + c] < 25 else ".") for c in range(side)) for r in range(side)]
            value = f"1\\n{side} {side}\\n" + "".join(row + "\\n" for row in rows)
            """,
            seed=rng.getrandbits(32), wall=wall,
        ))
        budget = EFFICIENT_SECONDS
    return StdioCase(statement, solution, inputs, cpu_seconds=budget)


def make_interval_scheduling(rng: random.Random, cfg: ProceduralConfig) -> StdioCase:
    """The most pairwise-compatible intervals (greedy by end); touching intervals compatible or not."""
    touching = rng.random() < 0.5
    solution = code(
        """
        def solve(data: str) -> str:
            tokens = data.split()
            position, out = 1, []
            for _ in range(int(tokens[0])):
                n = int(tokens[position])
                position += 1
                spans = []
                for _ in range(n):
                    spans.append((int(tokens[position + 1]), int(tokens[position])))
                    position += 2
                spans.sort()
                count, last = 0, None
                for end, start in spans:
                    if last is None or start $op last:
                        count += 1
                        last = end
                out.append(str(count))
            return "\\n".join(out) + "\\n"
        """,
        op=">=" if touching else ">",
    )
    rule = ("Two intervals are compatible if they do not overlap; sharing only an end point ([1, 3] and [3, 5]) is allowed."
            if touching else "Two intervals are compatible only if they share no point at all: [1, 3] and [3, 5] conflict.")
    statement = (
        f"Given n closed intervals [s, e] (s <= e), choose as many as possible that are pairwise compatible and print how many. {rule}\n\n"
        "Input: the first line holds T, the number of test cases; each test case is a line with n, then n lines \"s e\". "
        "Output: one line per test case."
    )

    def block(n: int, span: int = 50) -> str:
        rows = []
        for _ in range(n):
            start = rng.randint(0, span)
            rows.append(f"{start} {start + rng.randint(0, 10)}\n")
        return f"{n}\n" + "".join(rows)

    inputs = [cases([block(4, 12)]), cases([block(5, 15), block(3, 6)]), cases(["0\n"]), cases(["1\n5 5\n"]), cases(["3\n1 3\n3 5\n5 7\n"])]
    inputs += [cases([block(rng.randint(1, cfg.size)) for _ in range(rng.randint(1, 3))]) for _ in range(cfg.hidden)]
    budget = None
    if cfg.large:  # dynamic programming over all pairs is O(n²) = 4·10^8
        inputs.append(generated(
            """
            n = 20_000
            starts, lengths = ints($seed, n, 0, 50_000), ints($seed + 1, n, 0, 10)
            value = f"1\\n{n}\\n" + "".join(f"{20 * s} {20 * s + l}\\n" for s, l in zip(starts, lengths))
            """,
            seed=rng.getrandbits(32),
        ))
        budget = EFFICIENT_SECONDS
    return StdioCase(statement, solution, inputs, cpu_seconds=budget)


class CodeStdioAlgorithmsConfig(ProceduralConfig):
    """Levels: one small case, then several cases, then larger grids/arrays, then inputs needing the efficient algorithm."""

    KINDS: ClassVar[tuple[str, ...]] = ("range_queries", "grid_path", "interval_scheduling")
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("range_queries", "interval_scheduling"), size=6, hidden=4),
        "medium": dict(kinds=("range_queries", "interval_scheduling", "grid_path"), size=15, hidden=6),
        "hard": dict(kinds=("range_queries", "interval_scheduling", "grid_path"), size=60, hidden=8),
        "expert": dict(kinds=("range_queries", "interval_scheduling", "grid_path"), size=200, hidden=5, large=True),
    }
    default_level: ClassVar[str | None] = "medium"


MAKERS: dict[str, Maker] = {"range_queries": make_range_queries, "grid_path": make_grid_path, "interval_scheduling": make_interval_scheduling}


@register
class CodeStdioAlgorithms(ProceduralTemplate):
    """Write a competitive-programming style stdin/stdout program; hidden tests decide."""

    name = "CodeStdioAlgorithms"
    version = 0
    domain = "code"
    tags = ("code/algorithms", "code/stdio")
    description = "Write a Python contest-style program with T test cases (range queries, grid BFS, interval scheduling)."
    Config = CodeStdioAlgorithmsConfig
    kind_tag = "code/algorithms"
    makers = MAKERS
