"""Graph puzzles: `GraphColoring` and `ShortestPath`, on shared graph helpers.

Why these templates: colouring and shortest paths are classic algorithmic reasoning tasks whose
answers are easy to *check* but have many correct forms (any proper colouring; any of several
shortest paths), so they exercise verifiers that judge an answer by the puzzle's own rules rather
than by equality with one stored solution.

`GraphColoring`. A random graph is drawn around a planted k-colouring (edges only join different
colour classes), so every instance is k-colourable. At the levels with `minimal=True` the graph is
also proved *not* (k-1)-colourable by an exact DSATUR backtracking search, and edges are added
until it is: k is then the chromatic number (recorded in metadata and stated in the prompt). The
answer is a `vertex = colour` list (the shared `vrgym.verifiers.assignment` parser); the verifier
accepts any assignment of the offered colours to every vertex that gives the two ends of every
edge different colours.

`ShortestPath`. Four kinds of instance, by level: an unweighted grid maze (`maze`), a weighted
undirected graph (`graph`), a weighted directed graph (`digraph`) and a grid of entry costs
(`terrain`). The question asks for the shortest length, a shortest path, or both. A path answer is
walked through the puzzle (every step must be a move/edge that exists, from the start to the
target) and its cost compared with the true optimum (BFS / Dijkstra), so every shortest path is
accepted and nothing longer is. The target is always reachable.

Speed (issue 4 asks for reasoning-gym's rates or better). The generators avoid Python-level loops
over vertex pairs and grid cells: coins come from one `getrandbits` turned into bytes and mapped
through a 256-entry table, edges are selected with itemgetter/map/compress, a maze's BFS runs on
whole-grid bitmasks (one big-int expression per distance layer, over a grid with a wall border
column that doubles as the newline of the grid text), prompt frames are cached, and the metadata
the verifier needs is stored as short strings (edge lists, grid text), which are cheap to
JSON-normalise.
"""

from __future__ import annotations

import functools
import heapq
import random
import re
from collections.abc import Callable, Sequence
from itertools import combinations, compress
from operator import and_, itemgetter, ne
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.problem import Problem
from vrgym.registry import register
from vrgym.template import Draft, Template
from vrgym.verdict import FORMAT, WRONG_ANSWER, Verdict
from vrgym.verifiers.assignment import AssignmentError, choice_value, try_parse_assignment
from vrgym.verifiers.extraction import AnswerFormat
from vrgym.verifiers.text import ascii_upper

_FINAL = "Put your final answer, and nothing else, between <answer> and </answer> tags."
_MAX_ATTEMPTS = 1000

# ------------------------------------------------------------------------------------------- shared helpers


def letters(n: int) -> list[str]:
    """Node names A, B, C, … (n ≤ 26)."""
    return [chr(65 + i) for i in range(n)]


def random_tree_edges(rng: random.Random, n: int) -> list[tuple[int, int]]:
    """A uniformly shuffled random recursive tree on 0..n-1: connected, n-1 edges (u < v)."""
    order = list(range(n))
    rng.shuffle(order)
    edges = []
    for i in range(1, n):
        u, v = order[i], order[rng.randrange(i)]
        edges.append((u, v) if u < v else (v, u))
    return edges


def dijkstra(adjacency: Sequence[Sequence[tuple[int, int]]], source: int) -> list[int]:
    """Shortest distance from `source` to every node (-1 when unreachable); weights are positive ints."""
    dist = [-1] * len(adjacency)
    heap = [(0, source)]
    while heap:
        d, u = heapq.heappop(heap)
        if dist[u] >= 0:
            continue
        dist[u] = d
        for v, w in adjacency[u]:
            if dist[v] < 0:
                heapq.heappush(heap, (d + w, v))
    return dist


def one_shortest_path(adjacency: Sequence[Sequence[tuple[int, int]]], dist_to_target: Sequence[int], source: int) -> list[int]:
    """A shortest path from `source`, following edges that keep `dist_to_target` tight.

    `dist_to_target[u]` is the distance from u to the target (Dijkstra on the reversed graph).
    """
    path = [source]
    u = source
    while dist_to_target[u] > 0:
        u = next(v for v, w in adjacency[u] if dist_to_target[v] >= 0 and w + dist_to_target[v] == dist_to_target[u])
        path.append(u)
    return path


def answer_integer(text: str) -> int | None:
    """A non-negative integer written with ASCII digits only (at most 9 of them), else None."""
    text = text.strip()
    return int(text) if 0 < len(text) <= 9 and text.isascii() and text.isdigit() else None


# ------------------------------------------------------------------------------------------- colouring

COLOURS = ("red", "green", "blue", "yellow", "purple", "orange", "pink", "brown")


def colourable(n: int, adjacency: Sequence[int], k: int, budget: int = 50_000) -> bool | None:
    """Whether the graph (neighbour bitmasks) has a proper k-colouring; None if `budget` nodes ran out.

    DSATUR backtracking: colour next the vertex whose neighbours already use the most colours, try
    its allowed colours, and open at most one new colour at a time (colour symmetry broken).
    """
    colour = [-1] * n
    nodes = 0

    def extend(coloured: int, used: int) -> bool | None:
        nonlocal nodes
        nodes += 1
        if nodes > budget:
            return None
        if coloured == n:
            return True
        best, best_sat, best_forbidden = -1, -1, 0
        for v in range(n):
            if colour[v] < 0:
                forbidden, m = 0, adjacency[v]
                while m:
                    low = m & -m
                    c = colour[low.bit_length() - 1]
                    if c >= 0:
                        forbidden |= 1 << c
                    m ^= low
                sat = forbidden.bit_count()
                if sat > best_sat:
                    best, best_sat, best_forbidden = v, sat, forbidden
        for c in range(min(used + 1, k)):
            if not best_forbidden >> c & 1:
                colour[best] = c
                result = extend(coloured + 1, max(used, c + 1))
                if result is not False:
                    return result
        colour[best] = -1
        return False

    return extend(0, 0)


class GraphColoringConfig(TemplateConfig):
    """Graph size, number of colours, edge density and whether k must be the chromatic number."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(min_vertices=8, max_vertices=10, colours=2, density=0.45, minimal=False),
        "medium": dict(min_vertices=9, max_vertices=11, colours=3, density=0.4, minimal=False),
        "hard": dict(min_vertices=11, max_vertices=14, colours=3, density=0.3, minimal=True),
        "expert": dict(min_vertices=13, max_vertices=16, colours=4, density=0.45, minimal=True),
        "master": dict(min_vertices=16, max_vertices=20, colours=5, density=0.55, minimal=True),
    }
    default_level: ClassVar[str | None] = "medium"

    min_vertices: int = Field(9, ge=3, le=26, description="Fewest vertices.")
    max_vertices: int = Field(11, ge=3, le=26, description="Most vertices.")
    colours: int = Field(3, ge=2, le=len(COLOURS), description="Colours offered (k).")
    density: float = Field(0.35, gt=0, le=1, description="Chance of an edge between two vertices of different planted colours.")
    minimal: bool = Field(False, description="Prove (by exact search) that k-1 colours are not enough, adding edges until so.")

    @model_validator(mode="after")
    def _coherent(self) -> GraphColoringConfig:
        if self.min_vertices > self.max_vertices:
            raise ValueError(f"min_vertices ({self.min_vertices}) exceeds max_vertices ({self.max_vertices})")
        if self.min_vertices < self.colours:
            raise ValueError(f"min_vertices ({self.min_vertices}) must be at least the number of colours ({self.colours})")
        return self


_BERNOULLI: dict[int, bytes] = {}
_PALETTES: dict[int, list[list[str]]] = {}
_PAIRS: dict[int, tuple[list[tuple[int, int]], Any, Any]] = {}
_MODULO: dict[int, bytes] = {}
_PAIR_TEXT = [[f"{u + 1}-{v + 1}" for v in range(26)] for u in range(26)]


def bernoulli_bytes(rng: random.Random, count: int, density: float) -> bytes:
    """`count` independent bytes, each 1 with probability round(256·density)/256 and 0 otherwise.

    One `getrandbits` call and one `bytes.translate`: a coin per item without a Python-level loop.
    """
    threshold = round(density * 256)
    table = _BERNOULLI.get(threshold)
    if table is None:
        table = _BERNOULLI[threshold] = bytes(1 if b < threshold else 0 for b in range(256))
    return rng.getrandbits(count * 8).to_bytes(count, "little").translate(table)  # = randbytes, one call less


def _pair_table(n: int) -> tuple[list[tuple[int, int]], Callable[[bytes], tuple[int, ...]], Callable[[bytes], tuple[int, ...]]]:
    """Every pair u < v of range(n) in order, and getters of the first / second ends' entries; cached."""
    found = _PAIRS.get(n)
    if found is None:
        pairs = list(combinations(range(n), 2))
        found = _PAIRS[n] = (pairs, itemgetter(*(u for u, _ in pairs)), itemgetter(*(v for _, v in pairs)))
    return found


def planted_graph(rng: random.Random, n: int, k: int, density: float) -> tuple[list[int], list[tuple[int, int]]]:
    """A planted colouring using all k colours, and edges (u < v, sorted) only between different colours,
    each such pair being an edge with probability `density`.

    Written with C-level iterators (byte tables, itemgetter, map, compress) and no Python loop over
    the vertex pairs: generation speed is part of this template's contract.
    """
    pairs, first, second = _pair_table(n)
    table = _MODULO.get(k)
    if table is None:
        table = _MODULO[k] = bytes(b % k for b in range(256))
    while True:
        planted = rng.getrandbits(n * 8).to_bytes(n, "little").translate(table)
        if len(set(planted)) == k:
            break
    coins = bernoulli_bytes(rng, len(pairs), density)
    chosen = compress(pairs, map(and_, map(ne, first(planted), second(planted)), coins))
    return list(planted), list(chosen)


def palette(rng: random.Random, k: int) -> list[str]:
    """k colour names drawn from COLOURS, in COLOURS order."""
    options = _PALETTES.get(k)
    if options is None:
        options = _PALETTES[k] = [list(names) for names in combinations(COLOURS, k)]
    return options[int(rng.random() * len(options))]


_COLOURING_PROMPT = """\
Colour the vertices of the undirected graph below with the {k} colours {names}, so that the two ends \
of every edge get different colours. Every vertex needs a colour; a colour may be used any number of \
times (or not at all).

Vertices: 1 to {n}
Edges: {edges}{minimal}

Answer with one `vertex = colour` pair for each of the {n} vertices, separated by commas, for example \
`1 = {first}, 2 = {last}, …`. Any colouring that follows the rule is accepted.
{final}"""
_MINIMAL_NOTE = "\n(This graph cannot be coloured with fewer than {k} colours.)"
_EDGES_SLOT = "\x00EDGES\x00"


@functools.lru_cache(maxsize=4096)
def _colouring_frame(names: tuple[str, ...], n: int, minimal: bool) -> tuple[str, str]:
    """The colouring prompt before and after its edge list (cached: it depends on few things)."""
    k = len(names)
    text = _COLOURING_PROMPT.format(
        k=k, names=", ".join(names), n=n, edges=_EDGES_SLOT, minimal=_MINIMAL_NOTE.format(k=k) if minimal else "",
        first=names[0], last=names[-1], final=_FINAL,
    )  # fmt: skip
    head, tail = text.split(_EDGES_SLOT)
    return head, tail


@register
class GraphColoring(Template):
    """Colour a graph's vertices with k colours so no edge joins two equal colours."""

    name = "GraphColoring"
    version = 0
    domain = "logic"
    tags = ("logic/graph", "logic/graph/coloring")
    description = "Proper k-colouring of a random graph (any valid colouring accepted; k minimal at hard levels)."
    Config = GraphColoringConfig
    answer_format = AnswerFormat.TAG

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, GraphColoringConfig)
        k = config.colours
        low, span = config.min_vertices, config.max_vertices - config.min_vertices + 1
        for _ in range(_MAX_ATTEMPTS):
            n = low + int(rng.random() * span)
            planted, edges = planted_graph(rng, n, k, config.density)
            if len(edges) < n - 1:  # too sparse to be a puzzle (and too few such graphs to stay distinct)
                continue
            if not config.minimal or self._make_minimal(rng, n, k, planted, edges):
                break
        else:  # pragma: no cover - the levels' densities make this practically impossible
            raise RuntimeError("could not draw a graph whose chromatic number is the number of colours")
        names = palette(rng, k)
        edge_list = [_PAIR_TEXT[u][v] for u, v in edges]
        head, tail = _colouring_frame(tuple(names), n, config.minimal)
        prompt = head + (", ".join(edge_list) or "none") + tail
        metadata: dict[str, Any] = {
            "vertices": n,
            "edges": " ".join(edge_list),
            "colours": names,
            "chromatic_number": k if config.minimal else None,
        }
        return Draft(prompt=prompt, answer={"colouring": list(map(names.__getitem__, planted))}, metadata=metadata)

    @staticmethod
    def _make_minimal(rng: random.Random, n: int, k: int, planted: list[int], edges: list[tuple[int, int]]) -> bool:
        """Add planted-respecting edges until k-1 colours provably fail; False if that is not reached."""
        adjacency = [0] * n
        for u, v in edges:
            adjacency[u] |= 1 << v
            adjacency[v] |= 1 << u
        candidates = [(u, v) for u in range(n) for v in range(u + 1, n) if planted[u] != planted[v] and not adjacency[u] >> v & 1]
        rng.shuffle(candidates)
        while True:
            verdict = colourable(n, adjacency, k - 1)
            if verdict is False:
                edges.sort()
                return True
            if verdict is None or not candidates:
                return False
            for u, v in candidates[-max(1, n // 4) :]:  # a few more edges, then check again
                adjacency[u] |= 1 << v
                adjacency[v] |= 1 << u
                edges.append((u, v))
            del candidates[-max(1, n // 4) :]

    def check_answer(self, problem: Problem, text: str) -> Verdict:
        n = int(problem.metadata["vertices"])
        names = [str(c) for c in problem.metadata["colours"]]
        colouring = try_parse_assignment(text, [str(v) for v in range(1, n + 1)], choice_value({c: c for c in names}))
        if isinstance(colouring, AssignmentError):
            return Verdict.fail(colouring.reason, f"{colouring}; write `vertex = colour` pairs", answer=text)
        clashes = []
        for edge in str(problem.metadata["edges"]).split():
            u, v = edge.split("-")
            if colouring[u] == colouring[v]:
                clashes.append(edge)
        if clashes:
            return Verdict.fail(
                WRONG_ANSWER,
                f"{len(clashes)} edge(s) join vertices of the same colour, e.g. {clashes[0]}",
                checks={"proper": False},
                answer=text,
            )
        return Verdict.correct(checks={"proper": True}, answer=text)

    def reference_response(self, problem: Problem) -> str:
        colours = [str(c) for c in problem.answer["colouring"]]
        colouring = ", ".join(f"{v} = {c}" for v, c in enumerate(colours, 1))
        classes: dict[str, list[str]] = {}
        for vertex, colour in enumerate(colours, 1):
            classes.setdefault(colour, []).append(str(vertex))
        lines = ["Split the vertices into groups with no edge inside any group:"]
        lines += [f"- {colour}: {', '.join(vertices)}" for colour, vertices in classes.items()]
        lines.append("Every edge joins two different groups, so this colouring is proper.")
        lines.append(self.answer_format.wrap(colouring))
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------- shortest paths

MOVES = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}
_MOVE_LETTERS = {"U": "up", "D": "down", "L": "left", "R": "right"}
_GRID_KINDS = ("maze", "terrain")
_NEIGHBOURS: dict[tuple[int, int], list[list[tuple[int, str]]]] = {}
_OPEN_BITS = bytes.maketrans(b"\x00\x01", b"10")
_WALL_CHARS = bytes.maketrans(b"\x00\x01", b".#")
_DIGITS: dict[int, bytes] = {}
_PATH_SEPARATORS = re.compile(r"\s*(?:->|→|,|\s)\s*")
_MOVE_SEPARATORS = re.compile(r"[\s,]+")


def grid_neighbours(rows: int, cols: int) -> list[list[tuple[int, str]]]:
    """Cell → [(neighbour cell, move name)] on a rows × cols grid (cells numbered row-major); cached."""
    key = (rows, cols)
    if key not in _NEIGHBOURS:
        table = []
        for r in range(rows):
            for c in range(cols):
                table.append(
                    [((r + dr) * cols + c + dc, move) for move, (dr, dc) in MOVES.items() if 0 <= r + dr < rows and 0 <= c + dc < cols]
                )
        _NEIGHBOURS[key] = table
    return _NEIGHBOURS[key]


def _digit_table(top: int) -> bytes:
    """Byte → ASCII digit 1..top (nearly uniform: 256 is not a multiple of most `top`)."""
    table = _DIGITS.get(top)
    if table is None:
        table = _DIGITS[top] = bytes(49 + b % top for b in range(256))
    return table


def cell_costs(grid: str) -> list[int]:
    """Cost of entering each cell of a grid text (rows joined by newlines): -1 for a wall `#`,
    the digit for a terrain cell, 0 for S and T in terrain, 1 for every open cell of a maze."""
    terrain = any(ch.isdigit() for ch in grid)
    costs = []
    for ch in grid.replace("\n", ""):
        if ch == "#":
            costs.append(-1)
        elif ch.isdigit():
            costs.append(int(ch))
        else:
            costs.append(0 if terrain else 1)
    return costs


def maze_layers(stride: int, walls: bytes | bytearray, start: int) -> list[int]:
    """Breadth-first layers of a maze as bitmasks: `layers[d]` holds the open cells exactly d moves
    from `start`. Cell i is row i // stride, column i % stride; `walls[i]` is 1 for a wall, and the
    last column of every row must be walls (a border that stops moves wrapping to the next row).
    Whole-grid big-int shifts make each layer a few C-level operations, not a loop over cells."""
    free = int(walls[::-1].translate(_OPEN_BITS), 2)
    frontier = seen = 1 << start
    layers = [frontier]
    while True:
        frontier = ((frontier << 1) | (frontier >> 1) | (frontier << stride) | (frontier >> stride)) & free & ~seen
        if not frontier:
            return layers
        seen |= frontier
        layers.append(frontier)


def some_set_bit(mask: int, position: int) -> int:
    """The first set bit of `mask` at or after `position`, wrapping round to the lowest one."""
    above = mask >> position
    if above:
        return position + (above & -above).bit_length() - 1
    return (mask & -mask).bit_length() - 1


def grid_distances(rows: int, cols: int, costs: Sequence[int], source: int) -> list[int]:
    """Least total entry cost from `source` to every cell (-1 unreachable): BFS when all costs are 1."""
    neighbours = grid_neighbours(rows, cols)
    dist = [-1] * (rows * cols)
    dist[source] = 0
    if all(c in (-1, 1) for c in costs):
        queue = [source]
        for u in queue:
            step = dist[u] + 1
            for v, _ in neighbours[u]:
                if dist[v] < 0 and costs[v] > 0:
                    dist[v] = step
                    queue.append(v)
        return dist
    dist[source] = -1
    heap = [(0, source)]
    while heap:
        d, u = heapq.heappop(heap)
        if dist[u] >= 0:
            continue
        dist[u] = d
        for v, _ in neighbours[u]:
            if dist[v] < 0 and costs[v] >= 0:
                heapq.heappush(heap, (d + costs[v], v))
    return dist


def parse_moves(text: str) -> list[str] | None:
    """Moves from `up down left right` words or `U D L R` letters (runs like `RRD` allowed), separated
    by spaces or commas, any letter case; None if any token is something else."""
    moves: list[str] = []
    for token in _MOVE_SEPARATORS.split(text.strip()):
        if not token:
            continue
        word = token.lower()
        if word in MOVES:
            moves.append(word)
        elif all(ch in _MOVE_LETTERS for ch in ascii_upper(token)):
            moves += [_MOVE_LETTERS[ch] for ch in ascii_upper(token)]
        else:
            return None
    return moves or None


def walk_grid(rows: int, cols: int, costs: Sequence[int], start: int, target: int, moves: Sequence[str]) -> int | None:
    """Total cost of following `moves` from `start`; None if a move leaves the grid, hits a wall or
    the walk does not end on `target`."""
    r, c = divmod(start, cols)
    total = 0
    for move in moves:
        dr, dc = MOVES[move]
        r, c = r + dr, c + dc
        if not (0 <= r < rows and 0 <= c < cols) or costs[r * cols + c] < 0:
            return None
        total += costs[r * cols + c]
    return total if r * cols + c == target else None


def parse_node_path(text: str, names: Sequence[str]) -> list[int] | None:
    """Node indices from names joined by `->` (or `→`, commas, spaces), any letter case; None if a
    token is not a node name."""
    index = {name: i for i, name in enumerate(names)}
    path = []
    for token in _PATH_SEPARATORS.split(text.strip()):
        if not token:
            continue
        node = index.get(ascii_upper(token))
        if node is None:
            return None
        path.append(node)
    return path or None


def parse_edges(text: str) -> dict[tuple[int, int], int]:
    """Metadata edge text `u v w,u v w` (node indices, weight) → {(u, v): w}."""
    edges = {}
    for item in text.split(","):
        u, v, w = item.split()
        edges[int(u), int(v)] = int(w)
    return edges


class ShortestPathConfig(TemplateConfig):
    """The kind of instance, its size, and what is asked (length, path or both)."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kind="maze", ask="length", min_size=5, max_size=6, density=0.25, min_steps=4),
        "medium": dict(kind="maze", ask="path", min_size=6, max_size=8, density=0.3, min_steps=5),
        "hard": dict(kind="graph", ask="path", min_size=8, max_size=10, density=0.25, max_weight=9, min_steps=2),
        "expert": dict(kind="digraph", ask="both", min_size=10, max_size=13, density=0.2, max_weight=12, min_steps=3),
        "master": dict(kind="terrain", ask="both", min_size=7, max_size=9, density=0.0, max_weight=9, min_steps=8),
    }
    default_level: ClassVar[str | None] = "medium"

    kind: Literal["maze", "terrain", "graph", "digraph"] = Field(
        "maze", description="Grid maze (unweighted), grid of entry costs, weighted graph or weighted directed graph."
    )
    ask: Literal["length", "path", "both"] = Field("path", description="Ask for the shortest length, a shortest path, or both.")
    min_size: int = Field(6, ge=3, le=20, description="Smallest grid side, or fewest nodes.")
    max_size: int = Field(8, ge=3, le=20, description="Largest grid side, or most nodes.")
    density: float = Field(0.3, ge=0, lt=1, description="Share of wall cells (maze), or chance of each extra edge (graphs).")
    max_weight: int = Field(9, ge=1, le=99, description="Largest edge weight or cell cost (1..max_weight; a cell cost is one digit).")
    min_steps: int = Field(5, ge=1, le=30, description="Fewest moves/edges any path from start to target needs.")

    @model_validator(mode="after")
    def _coherent(self) -> ShortestPathConfig:
        if self.min_size > self.max_size:
            raise ValueError(f"min_size ({self.min_size}) exceeds max_size ({self.max_size})")
        if self.kind == "terrain" and self.max_weight > 9:
            raise ValueError(f"terrain cell costs are single digits, so max_weight ({self.max_weight}) must be at most 9")
        limit = 2 * self.min_size - 2 if self.kind in _GRID_KINDS else self.min_size - 1
        if self.min_steps > limit:
            raise ValueError(f"min_steps ({self.min_steps}) cannot be reached with min_size {self.min_size} (at most {limit})")
        return self


@register
class ShortestPath(Template):
    """Shortest route in a maze, cost grid or weighted graph: its length, a path, or both."""

    name = "ShortestPath"
    version = 0
    domain = "logic"
    tags = ("logic/graph", "logic/graph/shortest_path")
    description = "Shortest paths in mazes, cost grids and weighted (directed) graphs; every shortest path accepted."
    Config = ShortestPathConfig
    answer_format = AnswerFormat.TAG

    # ---------------------------------------------------------------------------------- generation

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, ShortestPathConfig)
        if config.kind in _GRID_KINDS:
            body, metadata = self._grid(rng, config)
            question = _question(config.kind, config.ask, "S", "T")
        else:
            body, metadata = self._graph(rng, config)
            names = letters(26)
            question = _question(config.kind, config.ask, names[metadata["start"]], names[metadata["target"]])
        metadata["ask"] = config.ask
        length = metadata.pop("length")
        return Draft(prompt=body + question, answer={"length": length}, metadata=metadata, tags=_KIND_TAGS[config.kind])

    @staticmethod
    def _grid(rng: random.Random, config: ShortestPathConfig) -> tuple[str, dict[str, Any]]:
        """A maze or terrain grid. Cells are drawn row by row with one extra byte per row that becomes
        the newline of the grid text and, for the maze search, a border wall."""
        random_ = rng.random
        low, span = config.min_size, config.max_size - config.min_size + 1
        for _ in range(_MAX_ATTEMPTS):
            rows, cols = low + int(random_() * span), low + int(random_() * span)
            stride = cols + 1
            total = rows * stride
            start = int(random_() * rows) * stride + int(random_() * cols)
            if config.kind == "terrain":  # no walls: the Manhattan distance is the fewest moves
                cells = bytearray(rng.randbytes(total).translate(_digit_table(config.max_weight)))
                rs, cs = divmod(start, stride)
                far = [
                    r * stride + c for r in range(rows) for c in range(cols) if abs(r - rs) + abs(c - cs) >= config.min_steps
                ]
                if far:
                    target = far[int(random_() * len(far))]
                    break
            else:
                walls = bytearray(bernoulli_bytes(rng, total, config.density))
                walls[cols::stride] = b"\x01" * rows
                walls[start] = 0
                layers = maze_layers(stride, walls, start)
                if len(layers) > config.min_steps:  # a distance at least min_steps, then a cell at it
                    length = config.min_steps + int(random_() * (len(layers) - config.min_steps))
                    target = some_set_bit(layers[length], int(random_() * total))
                    cells = walls.translate(_WALL_CHARS)
                    break
        else:  # pragma: no cover - the levels' sizes and densities make this practically impossible
            raise RuntimeError("could not draw a grid with a far enough reachable target")
        cells[cols::stride] = b"\n" * rows
        cells[start], cells[target] = 83, 84  # "S", "T"
        grid = cells[:-1].decode()
        start, target = start - start // stride, target - target // stride  # row-major cell numbers
        if config.kind == "terrain":
            length = grid_distances(rows, cols, cell_costs(grid), start)[target]
        body = _GRID_INTRO[config.kind] + " ".join(grid).replace(" \n ", "\n")
        return body, {"kind": config.kind, "grid": grid, "start": start, "target": target, "length": length}

    @staticmethod
    def _graph(rng: random.Random, config: ShortestPathConfig) -> tuple[str, dict[str, Any]]:
        random_ = rng.random
        directed = config.kind == "digraph"
        top = config.max_weight
        for _ in range(_MAX_ATTEMPTS):
            n = rng.randint(config.min_size, config.max_size)
            pairs = set(random_tree_edges(rng, n))
            arcs: dict[tuple[int, int], int] = {}
            for u in range(n):
                for v in range(u + 1, n):
                    if (u, v) in pairs or random_() < config.density:
                        forward = not directed or random_() < 0.5
                        arcs[(u, v) if forward else (v, u)] = 1 + int(random_() * top)
            adjacency: list[list[tuple[int, int]]] = [[] for _ in range(n)]
            for (u, v), w in arcs.items():
                adjacency[u].append((v, w))
                if not directed:
                    adjacency[v].append((u, w))
            start = int(random_() * n)
            hops = dijkstra([[(v, 1) for v, _ in out] for out in adjacency], start)
            far = [v for v in range(n) if hops[v] >= config.min_steps]
            if far:
                break
        else:  # pragma: no cover
            raise RuntimeError("could not draw a graph with a far enough reachable target")
        target = far[int(random_() * len(far))]
        length = dijkstra(adjacency, start)[target]
        names = letters(n)
        joint = "->" if directed else "-"
        listed = [f"{names[u]} {joint} {names[v]}: {w}" for (u, v), w in sorted(arcs.items())]
        kind = "A directed graph (each edge can be followed only in the direction of its arrow)" if directed else "An undirected graph"
        body = [
            f"{kind} has the nodes {names[0]} to {names[-1]} and these edges, each with its length:",
            *listed,
            "",
            f"Find a shortest path from {names[start]} to {names[target]}: the path whose edge lengths add up to the least.",
        ]
        metadata = {
            "kind": config.kind,
            "nodes": n,
            "edges": ",".join(f"{u} {v} {w}" for (u, v), w in arcs.items()),
            "start": start,
            "target": target,
            "length": length,
        }
        return "\n".join(body), metadata

    # ---------------------------------------------------------------------------------- verification

    def check_answer(self, problem: Problem, text: str) -> Verdict:
        best = int(problem.answer["length"])
        ask = problem.metadata["ask"]
        if ask == "length":
            given = answer_integer(text)
            if given is None:
                return Verdict.fail(FORMAT, "the answer must be a whole number written with digits only", answer=text)
            if given != best:
                return Verdict.fail(WRONG_ANSWER, "that is not the shortest length", answer=text)
            return Verdict.correct(answer=text)
        stated = None
        route = text
        if ask == "both":
            parts = text.split(";")
            if len(parts) != 2 or answer_integer(parts[1]) is None:
                return Verdict.fail(FORMAT, "write the route, one semicolon, then the number", answer=text)
            route, stated = parts[0], answer_integer(parts[1])
        cost = self._route_cost(problem, route)
        if isinstance(cost, Verdict):
            return cost
        checks = {"valid_route": True, "shortest": cost == best}
        if cost != best:
            return Verdict.fail(WRONG_ANSWER, f"the route is valid but costs {cost}, more than the least possible", checks=checks, answer=text)
        if stated is not None:
            checks["stated_length"] = stated == best
            if stated != best:
                return Verdict.fail(WRONG_ANSWER, "the route is shortest but the stated number is not its length", checks=checks, answer=text)
        return Verdict.correct(checks=checks, answer=text)

    @staticmethod
    def _route_cost(problem: Problem, route: str) -> int | Verdict:
        """The cost of the answered route, or the failing Verdict."""
        meta = problem.metadata
        start, target = int(meta["start"]), int(meta["target"])
        if meta["kind"] in _GRID_KINDS:
            moves = parse_moves(route)
            if moves is None:
                return Verdict.fail(FORMAT, "the route must be moves: up, down, left, right (or U, D, L, R)", answer=route)
            grid = str(meta["grid"])
            rows, cols = grid.count("\n") + 1, grid.index("\n") if "\n" in grid else len(grid)
            cost = walk_grid(rows, cols, cell_costs(grid), start, target, moves)
        else:
            nodes = parse_node_path(route, letters(int(meta["nodes"])))
            if nodes is None:
                return Verdict.fail(FORMAT, "the route must be node names joined by ->", answer=route)
            cost = walk_graph(parse_edges(str(meta["edges"])), meta["kind"] == "digraph", start, target, nodes)
        if cost is None:
            return Verdict.fail(
                WRONG_ANSWER, "the route is not a walk from the start to the target along allowed moves/edges",
                checks={"valid_route": False}, answer=route,
            )  # fmt: skip
        return cost

    # ---------------------------------------------------------------------------------- reference

    def reference_response(self, problem: Problem) -> str:
        meta = problem.metadata
        best = int(problem.answer["length"])
        start, target = int(meta["start"]), int(meta["target"])
        if meta["kind"] in _GRID_KINDS:
            grid = str(meta["grid"])
            rows, cols = grid.count("\n") + 1, grid.index("\n")
            costs = cell_costs(grid)
            dist = grid_distances(rows, cols, costs, start)
            neighbours = grid_neighbours(rows, cols)
            moves, cell = [], target
            while cell != start:  # step back to a neighbour that is exactly one entry cost closer
                back = next((v, m) for v, m in neighbours[cell] if dist[v] >= 0 and dist[v] + costs[cell] == dist[cell])
                moves.append(_OPPOSITE[back[1]])
                cell = back[0]
            moves.reverse()
            method = "Breadth-first search" if meta["kind"] == "maze" else "Dijkstra's algorithm over the cells"
            route = " ".join(moves)
            lines = [f"{method} from S gives T a distance of {best}.", f"Tracing back from T, one shortest route is: {route}."]
        else:
            names = letters(int(meta["nodes"]))
            edges = parse_edges(str(meta["edges"]))
            directed = meta["kind"] == "digraph"
            adjacency: list[list[tuple[int, int]]] = [[] for _ in names]
            for (u, v), w in edges.items():
                adjacency[u].append((v, w))
                if not directed:
                    adjacency[v].append((u, w))
            reverse: list[list[tuple[int, int]]] = [[] for _ in names]
            for u, out in enumerate(adjacency):
                for v, w in out:
                    reverse[v].append((u, w))
            dist = dijkstra(adjacency, start)
            path = one_shortest_path(adjacency, dijkstra(reverse, target), start)
            route = " -> ".join(names[v] for v in path)
            settled = ", ".join(f"{names[v]} {d}" for v, d in sorted(enumerate(dist), key=lambda x: (x[1] < 0, x[1])) if d >= 0)
            steps = " + ".join(str(w) for w in (_edge_weight(edges, directed, a, b) for a, b in zip(path, path[1:])))
            lines = [
                f"Dijkstra's algorithm from {names[start]} settles the nodes at distances: {settled}.",
                f"A shortest path is {route}, of length {steps} = {best}.",
            ]
        final = {"length": str(best), "path": route, "both": f"{route}; {best}"}[str(meta["ask"])]
        lines.append(self.answer_format.wrap(final))
        return "\n".join(lines)


_OPPOSITE = {"up": "down", "down": "up", "left": "right", "right": "left"}
_WORDING = {
    "maze": ("shortest route", "How many moves does a shortest route take?", "number of moves"),
    "terrain": ("cheapest route", "What is the total cost of a cheapest route?", "total cost"),
    "graph": ("shortest path", "What is the total length of a shortest path?", "total length"),
    "digraph": ("shortest path", "What is the total length of a shortest path?", "total length"),
}
"""Per kind: what the best answer is called, the length question, and the name of its number."""
_KIND_TAGS = {kind: (f"logic/graph/shortest_path/{kind}",) for kind in _WORDING}
_GRID_INTRO = {
    "maze": "Find a shortest route from S to T through this maze. Cells marked # are walls; S, T and . are open. "
    "Each move goes one cell up, down, left or right (no diagonals) and must stay inside the grid on "
    "open cells. The length of a route is its number of moves.\n\n",
    "terrain": "Find a cheapest route from S to T in this grid. Each move goes one cell up, down, left or right "
    "(no diagonals) and must stay inside the grid. Entering a cell costs the number written in it; "
    "entering S or T costs nothing. The cost of a route is the sum of the costs of the cells it enters.\n\n",
}


@functools.lru_cache(maxsize=4096)
def _question(kind: str, ask: str, start: str, target: str) -> str:
    """The end of a prompt: what to answer and in which syntax (cached; it depends on few things)."""
    if kind in _GRID_KINDS:
        syntax, example = "the moves from S to T, each one of up, down, left, right, separated by spaces", "up left left"
    else:
        syntax, example = f"the node names from {start} to {target} joined by `->`", "X -> Y -> Z"
    best, how_much, unit = _WORDING[kind]
    if ask == "length":
        lines = [f"{how_much} Answer with the number only."]
    elif ask == "path":
        lines = [f"Give one {best} as {syntax}, e.g. `{example}` (an example of the syntax only)."]
    else:
        lines = [
            f"Give one {best} as {syntax}, then a semicolon, then its {unit}, "
            f"e.g. `{example}; 17` (an example of the syntax only)."
        ]
    if ask != "length":
        lines.append(f"Any {best} is accepted.")
    return "\n\n" + "\n".join([*lines, _FINAL])


def _edge_weight(edges: dict[tuple[int, int], int], directed: bool, u: int, v: int) -> int | None:
    """Weight of the edge u → v (either orientation when undirected), None if there is none."""
    weight = edges.get((u, v))
    if weight is None and not directed:
        weight = edges.get((v, u))
    return weight


def walk_graph(edges: dict[tuple[int, int], int], directed: bool, start: int, target: int, path: Sequence[int]) -> int | None:
    """Total weight of `path`; None unless it starts at `start`, ends at `target` and every step is an edge."""
    if path[0] != start or path[-1] != target:
        return None
    total = 0
    for u, v in zip(path, path[1:]):
        weight = _edge_weight(edges, directed, u, v)
        if weight is None:
            return None
        total += weight
    return total
