"""GraphColoring and ShortestPath: generation claims re-checked by independent solvers (proper
planted colourings, chromatic numbers, reachable targets, optimal lengths), and verifiers that
accept every valid answer (any proper colouring, every shortest path) and nothing else."""

from __future__ import annotations

import functools
import itertools
import random
from collections.abc import Iterator

import pytest

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.logic.graphs import (
    MOVES,
    GraphColoring,
    ShortestPath,
    cell_costs,
    colourable,
    letters,
    parse_edges,
    parse_moves,
    planted_graph,
)

COLOURING = vrgym.get_template("GraphColoring")
PATHS = vrgym.get_template("ShortestPath")


@functools.lru_cache(maxsize=None)
def _batch(name: str, level: str, seed: int, n: int) -> tuple[Problem, ...]:
    return tuple(vrgym.get_template(name).problems(n, seed, difficulty=level))


def problems(template: vrgym.Template, level: str, n: int = 60, seed: int = 0) -> Iterator[Problem]:
    return iter(_batch(template.name, level, seed, n))


def score(template: vrgym.Template, problem: Problem, answer: str) -> tuple[int, str]:
    verdict = template.verify(problem, f"Worked it out.\n<answer>{answer}</answer>")
    return verdict.reward, verdict.reason


# ------------------------------------------------------------------------------------- colouring helpers


def edges_of(problem: Problem) -> list[tuple[int, int]]:
    return [(int(u) - 1, int(v) - 1) for u, v in (e.split("-") for e in problem.metadata["edges"].split())]


def brute_colourable(n: int, edges: list[tuple[int, int]], k: int) -> bool:
    """Independent check: plain backtracking in vertex order (no saturation heuristic, no bitmasks)."""
    neighbours: list[list[int]] = [[] for _ in range(n)]
    for u, v in edges:
        neighbours[max(u, v)].append(min(u, v))
    colour = [0] * n

    def place(v: int) -> bool:
        if v == n:
            return True
        for c in range(min(k, max(colour[:v], default=-1) + 2)):  # a new colour only as the next unused one
            if all(colour[w] != c for w in neighbours[v]):
                colour[v] = c
                if place(v + 1):
                    return True
        return False

    return place(0)


def colouring_text(colours: list[str]) -> str:
    return ", ".join(f"{v} = {c}" for v, c in enumerate(colours, 1))


# ------------------------------------------------------------------------------------- GraphColoring


def test_coloring_registered_with_levels() -> None:
    assert vrgym.get_template_class("GraphColoring") is GraphColoring
    assert COLOURING.Config.level_names() == ["easy", "medium", "hard", "expert", "master"]
    assert COLOURING.config().difficulty == "medium"


def test_colourable_matches_brute_force() -> None:
    rng = random.Random(1)
    for _ in range(300):
        n = rng.randint(3, 9)
        edges = [(u, v) for u, v in itertools.combinations(range(n), 2) if rng.random() < 0.5]
        adjacency = [0] * n
        for u, v in edges:
            adjacency[u] |= 1 << v
            adjacency[v] |= 1 << u
        for k in (1, 2, 3, 4):
            assert colourable(n, adjacency, k) is brute_colourable(n, edges, k), (n, edges, k)


def test_planted_graph_is_properly_coloured() -> None:
    for seed in range(500):
        rng = random.Random(seed)
        n, k = rng.randint(3, 20), rng.randint(2, 5)
        if n < k:
            continue
        planted, edges = planted_graph(rng, n, k, rng.random())
        assert sorted(set(planted)) == list(range(k))
        assert edges == sorted(set(edges)) and all(0 <= u < v < n for u, v in edges)
        assert all(planted[u] != planted[v] for u, v in edges)


@pytest.mark.parametrize("level", ["easy", "medium", "hard", "expert", "master"])
def test_every_instance_is_k_colourable_and_minimal_levels_prove_k(level: str) -> None:
    config = COLOURING.config(level)
    k = config.colours
    for problem in problems(COLOURING, level, 40):
        n, edges = problem.metadata["vertices"], edges_of(problem)
        assert config.min_vertices <= n <= config.max_vertices and len(edges) >= n - 1
        planted = problem.answer["colouring"]
        assert len(planted) == n and set(planted) <= set(problem.metadata["colours"])
        assert all(planted[u] != planted[v] for u, v in edges)
        if config.minimal:
            assert problem.metadata["chromatic_number"] == k
            assert not brute_colourable(n, edges, k - 1)
            assert f"fewer than {k} colours" in problem.prompt
        else:
            assert problem.metadata["chromatic_number"] is None


def test_prompt_shows_the_graph() -> None:
    for problem in problems(COLOURING, "hard", 10):
        for edge in problem.metadata["edges"].split():
            assert edge in problem.prompt
        assert f"Vertices: 1 to {problem.metadata['vertices']}" in problem.prompt
        assert all(c in problem.prompt for c in problem.metadata["colours"])


def test_any_proper_colouring_is_accepted() -> None:
    problem = next(problems(COLOURING, "medium", 5))
    names = problem.metadata["colours"]
    planted = problem.answer["colouring"]
    for perm in itertools.permutations(names):  # renaming the colours keeps the colouring proper
        renamed = [perm[names.index(c)] for c in planted]
        assert score(COLOURING, problem, colouring_text(renamed)) == (1, "ok")
    # a colouring found by an independent greedy search, different from the planted one
    n, edges = problem.metadata["vertices"], edges_of(problem)
    order = sorted(range(n), key=lambda v: -sum(v in e for e in edges))
    mine: dict[int, int] = {}
    for v in order:
        used = {mine[w] for u, w in edges if u == v and w in mine} | {mine[u] for u, w in edges if w == v and u in mine}
        mine[v] = min(set(range(len(names))) - used)
    alternative = [names[mine[v]] for v in range(n)]
    layout = "\n".join(f"- vertex {v}: {c.upper()}".replace("vertex ", "") for v, c in enumerate(alternative, 1))
    assert score(COLOURING, problem, layout) == (1, "ok")


def test_improper_or_malformed_colourings_are_rejected() -> None:
    problem = next(problems(COLOURING, "medium", 5))
    names, planted = problem.metadata["colours"], problem.answer["colouring"]
    n, (u, v) = problem.metadata["vertices"], edges_of(problem)[0]
    clash = list(planted)
    clash[v] = clash[u]
    text = colouring_text(planted)
    unused = next(c for c in ("red", "green", "blue", "yellow", "black") if c not in names)
    cases = {
        colouring_text(clash): "wrong_answer",
        colouring_text([names[0]] * n): "wrong_answer",
        colouring_text(planted[:-1]): "wrong_answer",  # a vertex without colour
        text + f", {n + 1} = {names[0]}": "wrong_answer",  # no such vertex
        text.replace(f"1 = {planted[0]}", f"1 = {unused}"): "format",  # not an offered colour
        text.replace(f"1 = {planted[0]}", f"1 = {planted[0]} or {names[1]}"): "format",
        text + f", 1 = {next(c for c in names if c != planted[0])}": "hack:multiple_answers",
        " ".join(planted): "format",  # colours without vertices
        "Colouring: " + text: "wrong_answer",
    }
    for answer, reason in cases.items():
        assert score(COLOURING, problem, answer) == (0, reason), answer
    assert score(COLOURING, problem, text + f", 1 = {planted[0]}") == (1, "ok")  # a harmless repeat


def test_coloring_config_errors() -> None:
    for bad in (dict(min_vertices=9, max_vertices=5), dict(colours=9), dict(min_vertices=2, colours=3), dict(density=0)):
        with pytest.raises(ConfigError):
            COLOURING.config("medium", **bad)


# ------------------------------------------------------------------------------------- path helpers


def grid_of(problem: Problem) -> tuple[list[str], int, int]:
    rows = problem.metadata["grid"].split("\n")
    return rows, len(rows), len(rows[0])


def independent_grid_distances(problem: Problem) -> list[int]:
    """Bellman-Ford style relaxation over the grid (a different algorithm from BFS/Dijkstra)."""
    rows, height, width = grid_of(problem)
    costs = cell_costs(problem.metadata["grid"])
    inf = 10**9
    dist = [inf] * (height * width)
    dist[problem.metadata["start"]] = 0
    changed = True
    while changed:
        changed = False
        for cell in range(height * width):
            if dist[cell] == inf:
                continue
            r, c = divmod(cell, width)
            for dr, dc in MOVES.values():
                rr, cc = r + dr, c + dc
                if 0 <= rr < height and 0 <= cc < width and costs[rr * width + cc] >= 0:
                    other = rr * width + cc
                    if dist[cell] + costs[other] < dist[other]:
                        dist[other] = dist[cell] + costs[other]
                        changed = True
    return dist


def independent_graph_distances(problem: Problem) -> list[int]:
    """Floyd-Warshall over the edge list."""
    n = problem.metadata["nodes"]
    inf = 10**9
    d = [[0 if i == j else inf for j in range(n)] for i in range(n)]
    for (u, v), w in parse_edges(problem.metadata["edges"]).items():
        d[u][v] = min(d[u][v], w)
        if problem.metadata["kind"] == "graph":
            d[v][u] = min(d[v][u], w)
    for m in range(n):
        for i in range(n):
            for j in range(n):
                if d[i][m] + d[m][j] < d[i][j]:
                    d[i][j] = d[i][m] + d[m][j]
    return d[problem.metadata["start"]]


def all_shortest_grid_routes(problem: Problem, limit: int = 200) -> list[list[str]]:
    rows, height, width = grid_of(problem)
    costs = cell_costs(problem.metadata["grid"])
    dist = independent_grid_distances(problem)
    target = problem.metadata["target"]
    routes: list[list[str]] = []

    def walk(cell: int, moves: list[str]) -> None:
        if len(routes) >= limit:
            return
        if cell == target:
            routes.append(list(moves))
            return
        r, c = divmod(cell, width)
        for name, (dr, dc) in MOVES.items():
            rr, cc = r + dr, c + dc
            if 0 <= rr < height and 0 <= cc < width and costs[rr * width + cc] >= 0:
                other = rr * width + cc
                if dist[other] == dist[cell] + costs[other] and costs[other] + dist[cell] <= dist[target]:
                    walk(other, [*moves, name])

    walk(problem.metadata["start"], [])
    return routes


def all_shortest_graph_paths(problem: Problem, limit: int = 200) -> list[list[int]]:
    edges = parse_edges(problem.metadata["edges"])
    directed = problem.metadata["kind"] == "digraph"
    arcs = dict(edges)
    if not directed:
        arcs.update({(v, u): w for (u, v), w in edges.items()})
    dist = independent_graph_distances(problem)
    target = problem.metadata["target"]
    paths: list[list[int]] = []

    def walk(node: int, path: list[int]) -> None:
        if len(paths) >= limit:
            return
        if node == target:
            paths.append(path)
            return
        for (u, v), w in arcs.items():
            if u == node and dist[u] + w == dist[v]:
                walk(v, [*path, v])

    walk(problem.metadata["start"], [problem.metadata["start"]])
    return paths


# ------------------------------------------------------------------------------------- ShortestPath


def test_paths_registered_with_levels() -> None:
    assert vrgym.get_template_class("ShortestPath") is ShortestPath
    assert PATHS.Config.level_names() == ["easy", "medium", "hard", "expert", "master"]
    assert PATHS.config().difficulty == "medium"


def test_levels_change_the_kind_of_instance() -> None:
    seen = {level: {(p.metadata["kind"], p.metadata["ask"]) for p in problems(PATHS, level, 20)} for level in PATHS.Config.level_names()}
    assert seen == {
        "easy": {("maze", "length")}, "medium": {("maze", "path")}, "hard": {("graph", "path")},
        "expert": {("digraph", "both")}, "master": {("terrain", "both")},
    }  # fmt: skip


@pytest.mark.parametrize("level", ["easy", "medium", "hard", "expert", "master"])
def test_gold_lengths_are_optimal_and_targets_far_enough(level: str) -> None:
    config = PATHS.config(level)
    for problem in problems(PATHS, level, 60):
        kind = problem.metadata["kind"]
        if kind in ("maze", "terrain"):
            rows, height, width = grid_of(problem)
            assert all(len(row) == width for row in rows) and config.min_size <= min(height, width) <= max(height, width) <= config.max_size
            grid = problem.metadata["grid"].replace("\n", "")
            assert grid[problem.metadata["start"]] == "S" and grid[problem.metadata["target"]] == "T"
            assert problem.answer["length"] == independent_grid_distances(problem)[problem.metadata["target"]]
            assert all(" ".join(row) in problem.prompt for row in rows)
            routes = all_shortest_grid_routes(problem, limit=1)
            assert len(routes[0]) >= config.min_steps
        else:
            assert problem.answer["length"] == independent_graph_distances(problem)[problem.metadata["target"]]
            paths = all_shortest_graph_paths(problem, limit=1)
            assert len(paths[0]) - 1 >= config.min_steps
            names = letters(problem.metadata["nodes"])
            for (u, v), w in parse_edges(problem.metadata["edges"]).items():
                assert f"{names[u]} {'->' if kind == 'digraph' else '-'} {names[v]}: {w}" in problem.prompt


def route_answer(problem: Problem, route: str) -> str:
    return f"{route}; {problem.answer['length']}" if problem.metadata["ask"] == "both" else route


@pytest.mark.parametrize("level", ["medium", "hard", "expert", "master"])
def test_every_shortest_route_is_accepted(level: str) -> None:
    several = 0
    for problem in problems(PATHS, level, 30):
        if problem.metadata["kind"] in ("maze", "terrain"):
            answers = [" ".join(route) for route in all_shortest_grid_routes(problem)]
        else:
            names = letters(problem.metadata["nodes"])
            answers = [" -> ".join(names[v] for v in path) for path in all_shortest_graph_paths(problem)]
        several += len(answers) > 1
        for answer in answers:
            assert score(PATHS, problem, route_answer(problem, answer)) == (1, "ok"), answer
    assert several >= (1 if level == "expert" else 3)  # alternative shortest routes were really covered (ties are rarer with 12 weights)


def test_maze_route_spellings() -> None:
    problem = next(p for p in problems(PATHS, "medium", 30) if len(all_shortest_grid_routes(p)) > 1)
    route = all_shortest_grid_routes(problem)[0]
    letters_only = "".join(m[0].upper() for m in route)
    for answer in (" ".join(route), ", ".join(route), " ".join(route).upper(), letters_only, " ".join(letters_only.lower()), "\n".join(route)):
        assert score(PATHS, problem, answer) == (1, "ok"), answer
    assert parse_moves("up down left right") == ["up", "down", "left", "right"]
    assert parse_moves("UDx") is None and parse_moves("") is None and parse_moves("north") is None


def test_wrong_routes_are_rejected() -> None:
    problem = next(problems(PATHS, "medium", 5))
    route = all_shortest_grid_routes(problem)[0]
    back = {"up": "down", "down": "up", "left": "right", "right": "left"}
    detour = [route[0], back[route[0]], *route]  # valid but two moves longer
    cases = {
        " ".join(detour): "wrong_answer",
        " ".join(route[:-1]): "wrong_answer",  # stops before T
        " ".join([*route, route[-1]]): "wrong_answer",  # walks past T
        " ".join(back[m] for m in reversed(route)): "wrong_answer",  # from T to S
        " ".join(route) + " or " + " ".join(detour): "format",
        str(problem.answer["length"]): "format",  # the length, when a route was asked for
        " ".join(route) + f"; {problem.answer['length']}": "format",
    }
    for answer, reason in cases.items():
        assert score(PATHS, problem, answer) == (0, reason), answer
    walled = next(p for p in problems(PATHS, "medium", 60) if "#" in p.metadata["grid"])
    rows, height, width = grid_of(walled)
    wall = walled.metadata["grid"].replace("\n", "").index("#")
    start = walled.metadata["start"]
    # a route that walks straight into a wall cell is never valid
    sr, sc = divmod(start, width)
    wr, wc = divmod(wall, width)
    vertical = ["down" if wr > sr else "up"] * abs(wr - sr)
    horizontal = ["right" if wc > sc else "left"] * abs(wc - sc)
    assert score(PATHS, walled, " ".join(horizontal + vertical))[0] == 0
    assert score(PATHS, walled, " ".join(vertical + horizontal))[0] == 0


def test_graph_routes_and_both_mode() -> None:
    problem = next(problems(PATHS, "expert", 5))  # directed, path and length
    names = letters(problem.metadata["nodes"])
    path = all_shortest_graph_paths(problem)[0]
    text = " -> ".join(names[v] for v in path)
    best = problem.answer["length"]
    assert score(PATHS, problem, f"{text}; {best}") == (1, "ok")
    assert score(PATHS, problem, f"{text.lower().replace(' -> ', ',')} ;{best} ") == (1, "ok")
    cases = {
        f"{text}; {best + 1}": "wrong_answer",  # right path, wrong length
        text: "format",  # the length is missing
        f"{best}": "format",
        f"{text}; {best}; {best}": "format",
        f"{' -> '.join(names[v] for v in reversed(path))}; {best}": "wrong_answer",  # against the arrows
        f"{names[path[0]]} -> {names[path[-1]]}; {best}": "wrong_answer",  # not an edge (targets are >= 3 steps away)
        f"{text} -> Z; {best}": "format",  # no such node
    }
    for answer, reason in cases.items():
        assert score(PATHS, problem, answer) == (0, reason), answer


def test_length_questions() -> None:
    problem = next(problems(PATHS, "easy", 5))
    best = problem.answer["length"]
    assert score(PATHS, problem, str(best)) == (1, "ok") and score(PATHS, problem, f" {best}\n") == (1, "ok")
    for answer, reason in ((str(best + 1), "wrong_answer"), (f"{best} moves", "format"), (f"{best}.0", "format"), ("-3", "format")):
        assert score(PATHS, problem, answer) == (0, reason), answer


def test_reference_scores_one_on_reloaded_problems() -> None:
    for level in PATHS.Config.level_names():
        for problem in problems(PATHS, level, 30, seed=4):
            reloaded = Problem.from_json(problem.to_json())
            assert PATHS.verify(reloaded, PATHS.reference_response(reloaded)).reward == 1
    for level in COLOURING.Config.level_names():
        for problem in problems(COLOURING, level, 30, seed=4):
            reloaded = Problem.from_json(problem.to_json())
            assert COLOURING.verify(reloaded, COLOURING.reference_response(reloaded)).reward == 1


def test_path_config_errors() -> None:
    for bad in (dict(min_size=9, max_size=5), dict(min_steps=30), dict(kind="terrain", max_weight=12), dict(ask="why")):
        with pytest.raises(ConfigError):
            PATHS.config("medium", **bad)


def test_hostile_route_inputs_are_bounded() -> None:
    maze, graph = next(problems(PATHS, "medium", 1)), next(problems(PATHS, "hard", 1))
    for junk in ("up " * 100_000, "A -> " * 60_000 + "B", "-> " * 100_000, "\ud800" * 1000):
        assert PATHS.verify(maze, f"<answer>{junk}</answer>").reward == 0
        assert PATHS.verify(graph, f"<answer>{junk}</answer>").reward == 0
