"""`CodeArrays`: write an array or interval function (rotation, partition, prefix sums, windows …).

Why: array algorithms are the bread and butter of coding interviews and contests, and each has a
classic trap the hidden tests probe — a rotation by more than the length or by a negative amount,
all-negative arrays for the maximum subarray, touching intervals, duplicates for the k-th
smallest, an empty array everywhere. Levels add problem classes (prefix sums, two-pointer
counting, monotonic-deque windows) and, at expert, arrays of 50 000 to 200 000 elements (built in
the sandbox from a seed) under a 2-second CPU-time limit, where the quadratic version of each
algorithm (even with C-speed `sum`/`max` over slices) exceeds it.

The reference solution is the oracle of the hidden expected outputs (see `_procedural`).
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from vrgym.registry import register
from vrgym.tasks.code._procedural import FunctionCase, Maker, ProceduralConfig, ProceduralTemplate, code, generated, pick

EFFICIENT_SECONDS = 2.0
"""CPU time of all tests together at expert: the efficient algorithms take ~0.1 s, quadratic ones far more."""


def numbers(rng: random.Random, n: int, low: int = -20, high: int = 20) -> list[int]:
    """`n` random integers in [low, high] (duplicates and negatives likely)."""
    return rng.choices(range(low, high + 1), k=n)


def make_rotate(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Rotate right (or left) by k, k possibly negative or larger than the length."""
    name = pick(rng, ["rotate", "rotate_list", "shift_items", "cycle_values"])
    right = rng.random() < 0.5
    solution = code(
        """
        def $name(items: list[int], k: int) -> list[int]:
            if not items:
                return []
            k = ${sign}k % len(items)
            return items[len(items) - k:] + items[:len(items) - k]
        """,
        name=name, sign="" if right else "-",
    )
    way, other = ("right", "left") if right else ("left", "right")
    statement = (
        f"Write `{name}(items, k)`, which returns a new list: `items` rotated {way} by `k` positions (rotating {way} by 1 "
        f"moves the {'last element to the front' if right else 'first element to the end'}). A negative `k` rotates {other} "
        "by |k|; `k` may exceed the length. The empty list stays empty. Do not modify `items`."
    )
    inputs: list[list[Any]] = [[numbers(rng, 5, 0, 9), rng.randint(1, 3)], [numbers(rng, 4, 0, 9), -1], [[], 3], [[7], 5], [[1, 2, 3], 3], [[1, 2, 3], -7]]
    inputs += [[numbers(rng, rng.randint(1, cfg.size)), rng.randint(-2 * cfg.size, 2 * cfg.size)] for _ in range(cfg.hidden)]
    return FunctionCase(statement, name, f"def {name}(items: list[int], k: int) -> list[int]:", solution, inputs)


PREDICATES = {
    "even": ("x % 2 == 0", "the even numbers"),
    "negative": ("x < 0", "the negative numbers"),
    "multiple": ("x % $d == 0", "the multiples of $d (including 0 and negative multiples)"),
    "below": ("x < $d", "the numbers smaller than $d"),
}


def make_stable_partition(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Move the elements meeting a drawn predicate to the front, keeping relative order in both parts."""
    name = pick(rng, ["stable_partition", "front_load", "partition_keep_order", "move_to_front"])
    key = rng.choice(sorted(PREDICATES))
    d = rng.randint(3, 7) if key == "multiple" else rng.randint(-5, 5)
    test, words = (text.replace("$d", str(d)) for text in PREDICATES[key])
    solution = code(
        """
        def $name(values: list[int]) -> list[int]:
            front = [x for x in values if $test]
            back = [x for x in values if not ($test)]
            return front + back
        """,
        name=name, test=test,
    )
    statement = (
        f"Write `{name}(values)`, which returns a new list with {words} first and all other elements after them; within "
        "each part the elements keep their original relative order (a stable partition)."
    )
    inputs: list[list[Any]] = [[numbers(rng, 6, -9, 9)], [numbers(rng, 7, -9, 9)], [[]], [[0]], [[d, d, d]], [[-1, -2, 4, 3]]]
    inputs += [[numbers(rng, rng.randint(1, cfg.size))] for _ in range(cfg.hidden)]
    return FunctionCase(statement, name, f"def {name}(values: list[int]) -> list[int]:", solution, inputs)


def make_kth_smallest(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """k-th smallest value, counting duplicates or only distinct values; None when there is none."""
    name = pick(rng, ["kth_smallest", "order_statistic", "kth_lowest", "rank_value"])
    distinct = rng.random() < 0.5
    solution = code(
        """
        def $name(values: list[int], k: int) -> int | None:
            ordered = sorted($pool)
            return ordered[k - 1] if 1 <= k <= len(ordered) else None
        """,
        name=name, pool="set(values)" if distinct else "values",
    )
    counting = ("Only distinct values count: duplicates are one value." if distinct
                else "Duplicates count separately (the k-th element of the sorted list).")
    statement = (
        f"Write `{name}(values, k)`, which returns the k-th smallest value of `values` (k = 1 is the minimum). {counting} "
        "If there is no k-th value (k < 1 or k too large), return None."
    )
    inputs: list[list[Any]] = [[numbers(rng, 6, 0, 9), 2], [numbers(rng, 7, -5, 5), 3], [[], 1], [[4], 1], [[5, 5, 5], 2], [[3, 1, 2], 0], [[2, 2, 1], 3]]
    for _ in range(cfg.hidden):
        values = numbers(rng, rng.randint(1, cfg.size), -10, 10)
        inputs.append([values, rng.randint(1, len(values) + 1)])
    return FunctionCase(statement, name, f"def {name}(values: list[int], k: int) -> int | None:", solution, inputs)


def make_merge_intervals(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Merge overlapping closed intervals; touching ones merge or not, per seed."""
    name = pick(rng, ["merge_intervals", "union_ranges", "merge_ranges", "coalesce"])
    touching = rng.random() < 0.5
    solution = code(
        """
        def $name(intervals: list[list[int]]) -> list[list[int]]:
            merged = []
            for start, end in sorted(intervals):
                if merged and start $op merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end])
            return merged
        """,
        name=name, op="<=" if touching else "<",
    )
    rule = ("Intervals that only touch, such as [1, 3] and [3, 5], are merged too." if touching
            else "Intervals that only touch at an end point, such as [1, 3] and [3, 5], are NOT merged: they must overlap by more than a point.")
    statement = (
        f"Write `{name}(intervals)`, where each interval is a list [start, end] with start <= end. Return the union as a list of "
        f"disjoint intervals [start, end] sorted by start, merging intervals that overlap. {rule} The input may be unsorted."
    )

    def intervals(n: int) -> list[list[int]]:
        out = []
        for _ in range(n):
            start = rng.randint(0, 3 * n + 5)
            out.append([start, start + rng.randint(0, 4)])
        return out

    inputs: list[list[Any]] = [[intervals(4)], [[[1, 3], [3, 5], [7, 8]]], [[]], [[[2, 2]]], [[[5, 9], [1, 2], [2, 4], [6, 7]]], [[[0, 10], [1, 2], [10, 10]]]]
    inputs += [[intervals(rng.randint(1, cfg.size))] for _ in range(cfg.hidden)]
    return FunctionCase(statement, name, f"def {name}(intervals: list[list[int]]) -> list[list[int]]:", solution, inputs, shown=2)


def make_max_subarray(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Kadane: the largest sum of a non-empty (or possibly empty) contiguous subarray."""
    name = pick(rng, ["max_subarray_sum", "best_streak", "max_run_total", "kadane"])
    empty = rng.random() < 0.4
    solution = code(
        """
        def $name(values: list[int]) -> int:
            best = $start
            current = 0
            for x in values:
                current = max(x, current + x)
                best = max(best, current)
            return best
        """,
        name=name, start="0" if empty else "values[0] if values else 0",
    )
    rule = ("The empty subarray is allowed and has sum 0, so the answer is never negative." if empty
            else "The subarray must contain at least one element (so an all-negative list gives its largest element); an empty list gives 0.")
    statement = f"Write `{name}(values)`, which returns the largest sum of a contiguous subarray of `values`. {rule}"
    inputs: list[list[Any]] = [[numbers(rng, 7, -9, 9)], [numbers(rng, 6, -9, 9)], [[]], [[-4]], [[-3, -1, -2]], [[5, -9, 6]]]
    inputs += [[numbers(rng, rng.randint(1, cfg.size))] for _ in range(cfg.hidden)]
    budget = None
    if cfg.large:  # two nested loops over 50 000 values are 1.25·10^9 additions
        inputs += [generated("value = [ints($seed, 50_000, -1000, $high)]", seed=rng.getrandbits(32), high=high) for high in (1000, 900)]
        budget = EFFICIENT_SECONDS
    return FunctionCase(statement, name, f"def {name}(values: list[int]) -> int:", solution, inputs, cpu_seconds=budget)


def make_range_sums(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Answer range-sum queries with prefix sums; the index convention varies per seed."""
    name = pick(rng, ["range_sums", "answer_sum_queries", "interval_totals", "prefix_queries"])
    convention = rng.choice(["inclusive0", "halfopen0", "inclusive1"])
    shift, end = {"inclusive0": (0, 1), "halfopen0": (0, 0), "inclusive1": (-1, 0)}[convention]
    solution = code(
        """
        def $name(values: list[int], queries: list[list[int]]) -> list[int]:
            prefix = [0]
            for x in values:
                prefix.append(prefix[-1] + x)
            return [prefix[right + $end] - prefix[left + $shift] for left, right in queries]
        """,
        name=name, shift=shift, end=end,
    )
    meaning = {
        "inclusive0": "the sum of values[left] through values[right], both included (0-based indices)",
        "halfopen0": "the sum of values[left:right] (0-based, right excluded; left == right gives 0)",
        "inclusive1": "the sum of the left-th through right-th values, both included, counting positions from 1",
    }[convention]
    statement = f"Write `{name}(values, queries)`, where each query is [left, right]; return a list with, for each query, {meaning}. Indices are always valid."

    def queries(n: int, q: int) -> list[list[int]]:
        ends = rng.choices(range(n), k=2 * q)
        out = []
        for a, b in zip(ends[0::2], ends[1::2]):
            a, b = min(a, b), max(a, b)
            if convention == "halfopen0":
                b += 1
            elif convention == "inclusive1":
                a, b = a + 1, b + 1
            out.append([a, b])
        return out

    def case(n: int, q: int) -> list[Any]:
        return [numbers(rng, n, -50, 50), queries(n, q)]

    inputs: list[list[Any]] = [case(5, 3), case(6, 2), case(1, 1), [[], []], case(4, 0)]
    inputs += [case(rng.randint(1, cfg.size), rng.randint(1, cfg.size)) for _ in range(cfg.hidden)]
    budget = None
    if cfg.large:  # sum(values[l:r]) per query: 1500 ranges over more than half of 200 000 values, ~5 s even at C speed
        inputs.append(generated(
            """
            n = 200_000
            starts, ends = ints($seed, 1500, 0, n // 4 - 1), ints($seed + 1, 1500, 3 * n // 4, n - 1)
            value = [ints($seed + 2, n, -50, 50), [[a + $shift_left, b + $shift_right] for a, b in zip(starts, ends)]]
            """,
            seed=rng.getrandbits(32), shift_left=int(convention == "inclusive1"), shift_right=int(convention != "inclusive0"),
        ))
        budget = EFFICIENT_SECONDS
    return FunctionCase(
        statement, name, f"def {name}(values: list[int], queries: list[list[int]]) -> list[int]:", solution, inputs, cpu_seconds=budget
    )


def make_pair_count(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Count index pairs i < j with a given sum (or a given absolute difference)."""
    name = pick(rng, ["count_pairs", "pair_count", "matching_pairs", "two_sum_count"])
    difference = rng.random() < 0.4
    target = rng.randint(0, 6) if difference else rng.randint(-10, 10)
    body = "seen.get(x - $t, 0) + (seen.get(x + $t, 0) if $t else 0)" if difference else "seen.get($t - x, 0)"
    solution = code(
        """
        def $name(values: list[int]) -> int:
            seen = {}
            pairs = 0
            for x in values:
                pairs += $body
                seen[x] = seen.get(x, 0) + 1
            return pairs
        """,
        name=name, body=code(body, t=target).strip(),
    )
    relation = f"|values[i] - values[j]| == {target}" if difference else f"values[i] + values[j] == {target}"
    statement = f"Write `{name}(values)`, which returns the number of index pairs (i, j) with i < j and {relation}. Equal values at different indices form distinct pairs."
    inputs: list[list[Any]] = [[numbers(rng, 6, -5, 5)], [numbers(rng, 7, -5, 5)], [[]], [[target]], [[target // 2] * 4], [[0, 0, target, -target]]]
    inputs += [[numbers(rng, rng.randint(1, cfg.size), -10, 10)] for _ in range(cfg.hidden)]
    budget = None
    if cfg.large:  # the double loop is 1.25·10^9 comparisons
        inputs.append(generated("value = [ints($seed, 50_000, -1000, 1000)]", seed=rng.getrandbits(32)))
        budget = EFFICIENT_SECONDS
    return FunctionCase(statement, name, f"def {name}(values: list[int]) -> int:", solution, inputs, cpu_seconds=budget)


def make_window_extreme(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Maximum (or minimum) of every window of k consecutive values (a monotonic deque at expert)."""
    use_max = rng.random() < 0.5
    name = pick(rng, ["window_max", "sliding_maximum", "window_peaks"] if use_max else ["window_min", "sliding_minimum", "window_lows"])
    solution = code(
        """
        from collections import deque


        def $name(values: list[int], k: int) -> list[int]:
            window = deque()
            out = []
            for i, x in enumerate(values):
                while window and values[window[-1]] $cmp x:
                    window.pop()
                window.append(i)
                if window[0] <= i - k:
                    window.popleft()
                if i >= k - 1:
                    out.append(values[window[0]])
            return out
        """,
        name=name, cmp="<=" if use_max else ">=",
    )
    which = "maximum" if use_max else "minimum"
    statement = (
        f"Write `{name}(values, k)`, which returns the {which} of every window of `k` consecutive elements, from left to right "
        "(len(values) - k + 1 numbers). `k` is at least 1; if it exceeds len(values), return an empty list."
    )
    inputs: list[list[Any]] = [[numbers(rng, 7, 0, 9), 3], [numbers(rng, 6, -9, 9), 2], [[], 1], [[5], 1], [[1, 2], 3], [[4, 4, 4], 2]]
    for _ in range(cfg.hidden):
        values = numbers(rng, rng.randint(1, cfg.size))
        inputs.append([values, rng.randint(1, len(values) + 1)])
    budget = None
    if cfg.large:  # max(values[i:i + k]) per window: 2001 windows of 148 000 values, ~8 s even at C speed
        inputs.append(generated("value = [ints($seed, 150_000, 0, 999), 148_000]", seed=rng.getrandbits(32)))
        budget = EFFICIENT_SECONDS
    return FunctionCase(statement, name, f"def {name}(values: list[int], k: int) -> list[int]:", solution, inputs, cpu_seconds=budget)


class CodeArraysConfig(ProceduralConfig):
    """Levels: simple list rewrites, then classic one-pass algorithms, then counting/windows, then large inputs."""

    KINDS: ClassVar[tuple[str, ...]] = (
        "rotate", "stable_partition", "kth_smallest", "merge_intervals", "max_subarray", "range_sums", "pair_count", "window_extreme",
    )
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("rotate", "stable_partition", "kth_smallest"), size=10, hidden=6),
        "medium": dict(kinds=("rotate", "kth_smallest", "merge_intervals", "max_subarray", "range_sums"), size=25, hidden=8),
        "hard": dict(kinds=("merge_intervals", "max_subarray", "range_sums", "pair_count", "window_extreme"), size=60, hidden=10),
        "expert": dict(kinds=("max_subarray", "range_sums", "pair_count", "window_extreme"), size=150, hidden=10, large=True),
    }
    default_level: ClassVar[str | None] = "medium"


MAKERS: dict[str, Maker] = {
    "rotate": make_rotate, "stable_partition": make_stable_partition, "kth_smallest": make_kth_smallest,
    "merge_intervals": make_merge_intervals, "max_subarray": make_max_subarray, "range_sums": make_range_sums,
    "pair_count": make_pair_count, "window_extreme": make_window_extreme,
}


@register
class CodeArrays(ProceduralTemplate):
    """Write an array/interval Python function; hidden unit tests decide."""

    name = "CodeArrays"
    version = 0
    domain = "code"
    tags = ("code/arrays", "code/function")
    description = "Write a Python array function (rotate, partition, k-th smallest, intervals, Kadane, prefix sums, pairs, windows)."
    Config = CodeArraysConfig
    kind_tag = "code/arrays"
    makers = MAKERS
