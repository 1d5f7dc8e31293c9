"""`CodeSimulation`: write a stdin/stdout program that simulates a process step by step.

Why: simulations test whether a model can follow a precise specification over many steps — a
robot that is blocked by walls or wraps around, a ledger that rejects overdrafts, a round-robin
scheduler, Conway's game of life on a torus or with dead borders. Each seed draws the rules and
the surface (command letters, cell characters, limits), and the hidden inputs include the edge
cases (no commands, every command blocked, empty ledgers, a quantum larger than every job).
Harder levels add kinds and larger worlds and step counts.

The reference `solve(data) -> str` is the oracle of the hidden expected outputs (see `_procedural`);
outputs are compared by the code verifier's stdout rules.
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from vrgym.registry import register
from vrgym.tasks.code._procedural import WORDS, Maker, ProceduralConfig, ProceduralTemplate, StdioCase, code


def make_robot(rng: random.Random, cfg: ProceduralConfig) -> StdioCase:
    """A robot on a grid with obstacles: blocked moves are skipped, or the edges wrap around."""
    letters = rng.choice(["UDLR", "NSWE", "^v<>"])
    wall = rng.choice("#X@")
    wrap = rng.random() < 0.5
    solution = code(
        """
        def solve(data: str) -> str:
            lines = data.split("\\n")
            rows, cols = map(int, lines[0].split())
            grid = lines[1 : rows + 1]
            commands = lines[rows + 1].strip() if len(lines) > rows + 1 else ""
            moves = {"$up": (-1, 0), "$down": (1, 0), "$left": (0, -1), "$right": (0, 1)}
            r = c = 0
            seen = {(0, 0)}
            for command in commands:
                dr, dc = moves[command]
                nr, nc = r + dr, c + dc
                if $wrap:
                    nr, nc = nr % rows, nc % cols
                if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] != "$wall":
                    r, c = nr, nc
                    seen.add((r, c))
            return f"{r} {c}\\n{len(seen)}\\n"
        """,
        up=letters[0], down=letters[1], left=letters[2], right=letters[3], wrap=wrap, wall=wall,
    )
    edge = ("Moving off an edge wraps around to the opposite edge of the same row or column (the grid is a torus)."
            if wrap else "A move that would leave the grid is skipped (the robot stays).")
    statement = (
        f"A robot starts at row 0, column 0 (top-left) of a grid. Cells are '.' (free) or '{wall}' (obstacle); the start is "
        f"always free. Commands: '{letters[0]}' moves up (row - 1), '{letters[1]}' down, '{letters[2]}' left (column - 1), "
        f"'{letters[3]}' right. {edge} A move onto an obstacle is skipped. Print the final row and column on one line "
        "separated by a space, and on a second line the number of distinct cells the robot occupied (the start included).\n\n"
        "Input: a line \"R C\" (rows and columns), then R lines of the grid, then one line of commands (possibly empty)."
    )

    def world(rows: int, cols: int, steps: int) -> str:
        grid = ["".join(wall if rng.random() < 0.2 and (r, c) != (0, 0) else "." for c in range(cols)) for r in range(rows)]
        commands = "".join(rng.choice(letters) for _ in range(steps))
        return f"{rows} {cols}\n" + "\n".join(grid) + f"\n{commands}\n"

    inputs = [world(3, 4, 6), world(4, 3, 8), "1 1\n.\n\n", f"1 1\n.\n{letters * 2}\n", f"2 2\n.{wall}\n{wall}.\n{letters[3]}{letters[1]}\n"]
    side = max(2, int(cfg.size ** 0.5) + 1)
    inputs += [world(rng.randint(1, side), rng.randint(1, side), rng.randint(0, cfg.size)) for _ in range(cfg.hidden)]
    return StdioCase(statement, solution, inputs)


def make_ledger(rng: random.Random, cfg: ProceduralConfig) -> StdioCase:
    """A bank ledger: deposits, withdrawals, transfers; operations past the overdraft limit are rejected."""
    limit = rng.choice([0, 0, 50, 100])
    verbs = rng.choice([("deposit", "withdraw", "transfer"), ("add", "take", "move"), ("credit", "debit", "send")])
    solution = code(
        """
        def solve(data: str) -> str:
            lines = data.split("\\n")
            count = int(lines[0])
            balance, rejected = {}, 0
            for line in lines[1 : count + 1]:
                parts = line.split()
                amount = int(parts[-1])
                if parts[0] == "$deposit":
                    balance[parts[1]] = balance.get(parts[1], 0) + amount
                    continue
                source = parts[1]
                if balance.get(source, 0) - amount < -$limit:
                    rejected += 1
                    continue
                balance[source] = balance.get(source, 0) - amount
                if parts[0] == "$transfer":
                    balance[parts[2]] = balance.get(parts[2], 0) + amount
            out = [f"{name} {balance[name]}" for name in sorted(balance)]
            out.append(f"rejected {rejected}")
            return "\\n".join(out) + "\\n"
        """,
        deposit=verbs[0], transfer=verbs[2], limit=limit,
    )
    overdraft = (f"an account may go down to -{limit} but not below" if limit else "no account may go below 0")
    statement = (
        f"Simulate a bank ledger. Every account starts at 0. Operations: \"{verbs[0]} NAME AMOUNT\" adds AMOUNT to NAME; "
        f"\"{verbs[1]} NAME AMOUNT\" removes it; \"{verbs[2]} FROM TO AMOUNT\" moves it from FROM to TO. Amounts are positive "
        f"integers; {overdraft}: an operation that would take the paying account past that is rejected and changes nothing. "
        "After all operations print one line \"NAME BALANCE\" for every account that appeared in an accepted operation, in "
        "alphabetical (ASCII) order of the names, then a line \"rejected K\" with the number of rejected operations.\n\n"
        "Input: a line with the number of operations N, then N lines, one operation each."
    )
    people = [w.capitalize() for w in rng.sample(WORDS, 5)]

    def ledger(n: int) -> str:
        ops = []
        for _ in range(n):
            verb = rng.choice(verbs)
            amount = rng.randint(1, 120)
            a, b = rng.sample(people, 2)
            ops.append(f"{verb} {a} {b} {amount}" if verb == verbs[2] else f"{verb} {a} {amount}")
        return f"{n}\n" + "".join(op + "\n" for op in ops)

    inputs = [ledger(5), ledger(6), "0\n", f"1\n{verbs[1]} {people[0]} {limit + 1}\n", f"2\n{verbs[0]} {people[1]} 5\n{verbs[2]} {people[1]} {people[2]} 5\n"]
    inputs += [ledger(rng.randint(1, cfg.size)) for _ in range(cfg.hidden)]
    return StdioCase(statement, solution, inputs)


def make_life(rng: random.Random, cfg: ProceduralConfig) -> StdioCase:
    """Conway's game of life for k generations, on a torus or with dead cells beyond the border."""
    alive, dead = rng.choice([("#", "."), ("O", "."), ("*", "-"), ("1", "0")])
    torus = rng.random() < 0.5
    solution = code(
        """
        def solve(data: str) -> str:
            lines = data.split("\\n")
            rows, cols, steps = map(int, lines[0].split())
            grid = [[ch == "$alive" for ch in lines[1 + r][:cols]] for r in range(rows)]
            for _ in range(steps):
                nxt = []
                for r in range(rows):
                    row = []
                    for c in range(cols):
                        n = 0
                        for dr in (-1, 0, 1):
                            for dc in (-1, 0, 1):
                                if dr or dc:
                                    rr, cc = r + dr, c + dc
                                    if $torus:
                                        rr, cc = rr % rows, cc % cols
                                    if 0 <= rr < rows and 0 <= cc < cols and grid[rr][cc]:
                                        n += 1
                        row.append(n == 3 or (grid[r][c] and n == 2))
                    nxt.append(row)
                grid = nxt
            return "".join("".join("$alive" if x else "$dead" for x in row) + "\\n" for row in grid)
        """,
        alive=alive, dead=dead, torus=torus,
    )
    border = ("The grid is a torus: the row above the top is the bottom row and the column left of the first is the last "
              "(on a small grid a cell can count the same neighbour cell more than once)." if torus
              else "Cells outside the grid are always dead.")
    statement = (
        f"Run Conway's game of life for K generations and print the final grid. '{alive}' is a live cell, '{dead}' a dead one. "
        "Each generation updates all cells at once: a live cell with 2 or 3 live neighbours (of its 8) stays alive, a dead cell "
        f"with exactly 3 live neighbours becomes alive, every other cell is dead in the next generation. {border}\n\n"
        "Input: a line \"R C K\", then R lines of C characters. Output: the R lines of the grid after K generations."
    )

    def world(rows: int, cols: int, steps: int) -> str:
        return f"{rows} {cols} {steps}\n" + "".join("".join(alive if rng.random() < 0.35 else dead for _ in range(cols)) + "\n" for _ in range(rows))

    inputs = [world(4, 5, 1), world(5, 5, 2), world(1, 1, 3), world(3, 3, 0), f"3 3 4\n{dead * 3}\n{alive * 3}\n{dead * 3}\n"]
    side = max(3, int(cfg.size ** 0.5))
    inputs += [world(rng.randint(1, side), rng.randint(1, side), rng.randint(0, 4 + cfg.level_index * 2)) for _ in range(cfg.hidden)]
    return StdioCase(statement, solution, inputs, shown=2)


def make_round_robin(rng: random.Random, cfg: ProceduralConfig) -> StdioCase:
    """Round-robin CPU scheduling with a time quantum: print each job's finishing time, in finishing order."""
    solution = code(
        """
        from collections import deque


        def solve(data: str) -> str:
            lines = data.split("\\n")
            n, quantum = map(int, lines[0].split())
            queue = deque()
            for line in lines[1 : n + 1]:
                name, burst = line.split()
                queue.append([name, int(burst)])
            clock, out = 0, []
            while queue:
                job = queue.popleft()
                run = min(quantum, job[1])
                clock += run
                job[1] -= run
                if job[1]:
                    queue.append(job)
                else:
                    out.append(f"{job[0]} {clock}")
            return "".join(line + "\\n" for line in out)
        """
    )
    statement = (
        "Simulate round-robin scheduling. All jobs arrive at time 0 and wait in a queue in input order. The job at the front "
        "runs for min(Q, its remaining time) time units; if it still has work left it goes to the back of the queue, otherwise "
        "it finishes at the current time. Print one line \"NAME TIME\" per job in the order the jobs finish. A job with 0 "
        "remaining time at the start still takes its turn (running 0 units) and finishes when it reaches the front.\n\n"
        "Input: a line \"N Q\" (number of jobs, quantum Q >= 1), then N lines \"NAME BURST\" (BURST >= 0)."
    )
    names = [w[:rng.randint(3, 6)] for w in rng.sample(WORDS, 8)]

    def jobs(n: int, quantum: int) -> str:
        chosen = [f"{names[i % len(names)]}{i}" for i in range(n)]
        return f"{n} {quantum}\n" + "".join(f"{name} {rng.randint(0, 12)}\n" for name in chosen)

    inputs = [jobs(3, 2), jobs(4, 3), "0 5\n", f"1 4\n{names[0]} 0\n", f"2 100\n{names[1]} 7\n{names[2]} 3\n"]
    inputs += [jobs(rng.randint(1, max(2, cfg.size // 3)), rng.randint(1, 6)) for _ in range(cfg.hidden)]
    return StdioCase(statement, solution, inputs)


class CodeSimulationConfig(ProceduralConfig):
    """Levels: robot and ledger, then scheduling, then game of life, then larger worlds and more steps."""

    KINDS: ClassVar[tuple[str, ...]] = ("robot", "ledger", "round_robin", "life")
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("robot", "ledger"), size=10, hidden=5),
        "medium": dict(kinds=("robot", "ledger", "round_robin"), size=25, hidden=7),
        "hard": dict(kinds=("ledger", "round_robin", "life"), size=50, hidden=8),
        "expert": dict(kinds=("robot", "round_robin", "life"), size=150, hidden=10),
    }
    default_level: ClassVar[str | None] = "medium"


MAKERS: dict[str, Maker] = {"robot": make_robot, "ledger": make_ledger, "round_robin": make_round_robin, "life": make_life}


@register
class CodeSimulation(ProceduralTemplate):
    """Write a stdin/stdout simulation program; hidden input/output tests decide."""

    name = "CodeSimulation"
    version = 0
    domain = "code"
    tags = ("code/simulation", "code/stdio")
    description = "Write a Python stdin/stdout simulation (robot on a grid, bank ledger, round-robin scheduler, game of life)."
    Config = CodeSimulationConfig
    kind_tag = "code/simulation"
    makers = MAKERS
