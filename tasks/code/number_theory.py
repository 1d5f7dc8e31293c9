"""`CodeNumberTheory`: write a number-theory or counting function (gcd/lcm, primes, digits, DP mod p).

Why: these tasks separate knowing the math from writing it correctly and fast — gcd of an empty
list, lcm with a zero, digit sums in base 7, the modulus applied at every step — and the hardest
levels only admit the efficient algorithm: a sieve instead of trial division, fast modular
exponentiation instead of a loop, dynamic programming instead of recursion over paths, and the
O(√n) block trick for sums of ⌊n/d⌋ where n is around 10^10.

The reference solution is the oracle of the hidden expected outputs (see `_procedural`).
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from vrgym.registry import register
from vrgym.tasks.code._procedural import FunctionCase, Maker, ProceduralConfig, ProceduralTemplate, code, generated, pick

EFFICIENT_SECONDS = 3.0
"""CPU time of all tests together at expert: the efficient algorithms take well under a second."""
MOD = 1_000_000_007


def make_gcd_lcm(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """gcd or lcm of a list, with the conventions for empty lists, zeros and negatives stated."""
    use_gcd = rng.random() < 0.5
    name = pick(rng, ["list_gcd", "gcd_all", "common_divisor"] if use_gcd else ["list_lcm", "lcm_all", "common_multiple"])
    solution = code(
        """
        from math import gcd


        def $name(values: list[int]) -> int:
            result = $start
            for x in values:
                $step
            return result
        """,
        name=name, start=0 if use_gcd else 1,
        step="result = gcd(result, abs(x))" if use_gcd else "result = 0 if x == 0 or result == 0 else result * abs(x) // gcd(result, abs(x))",
    )
    if use_gcd:
        rule = "the greatest common divisor of the absolute values of `values`; zeros do not change it (gcd(0, x) = |x|), and an empty list or a list of zeros gives 0"
    else:
        rule = "the least common multiple of the absolute values of `values`; any zero makes the result 0, and an empty list gives 1"
    statement = f"Write `{name}(values)`, which returns {rule}."
    base = rng.randint(2, 12)

    def values(n: int) -> list[int]:
        return [base * rng.randint(-9, 9) if use_gcd else rng.choice([-1, 1]) * rng.randint(1, 15) for _ in range(n)]

    inputs: list[list[Any]] = [[values(3)], [values(4)], [[]], [[0]], [[-7]], [[0, 6, -4]], [[12, 18, 30]]]
    inputs += [[values(rng.randint(1, 12))] for _ in range(cfg.hidden)]
    return FunctionCase(statement, name, f"def {name}(values: list[int]) -> int:", solution, inputs)


def make_digit_sum(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Sum of the digits of |n| in a drawn base, once or repeated down to one digit."""
    base = rng.choice([2, 3, 5, 7, 8, 10, 12, 16])
    repeat = rng.random() < 0.4
    name = pick(rng, ["digital_root", "repeated_digit_sum"] if repeat else ["digit_sum", "sum_of_digits", "digit_total"])
    solution = code(
        """
        def $name(n: int) -> int:
            n = abs(n)
            while True:
                total = 0
                while n:
                    n, digit = divmod(n, $base)
                    total += digit
                if not $repeat or total < $base:
                    return total
                n = total
        """,
        name=name, base=base, repeat=repeat,
    )
    what = (f"repeatedly replaces |n| by the sum of its base-{base} digits until the result is a single base-{base} digit "
            "(less than the base), and returns it" if repeat else f"returns the sum of the digits of |n| written in base {base}")
    statement = f"Write `{name}(n)`, which {what}. Digits are added as numbers (in base 16, the digit f counts 15). For n = 0 the answer is 0."
    top = 10 ** min(18, 2 + 2 * cfg.level_index) * 3
    inputs: list[list[Any]] = [[rng.randint(10, 999)], [rng.randint(1000, 99999)], [0], [-1], [base - 1], [base ** 5], [-(base ** 6 - 1)]]
    inputs += [[rng.randint(-top, top)] for _ in range(cfg.hidden)]
    return FunctionCase(statement, name, f"def {name}(n: int) -> int:", solution, inputs)


def make_count_primes(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Count primes in [low, high]; a sieve is needed at expert (high in the millions)."""
    name = pick(rng, ["count_primes", "primes_between", "prime_count_in_range", "how_many_primes"])
    solution = code(
        """
        def $name(low: int, high: int) -> int:
            if high < 2 or high < low:
                return 0
            sieve = bytearray([1]) * (high + 1)
            sieve[0] = sieve[1] = 0
            for p in range(2, int(high ** 0.5) + 1):
                if sieve[p]:
                    sieve[p * p :: p] = bytes(len(range(p * p, high + 1, p)))
            return sum(sieve[max(low, 0) :])
        """,
        name=name,
    )
    statement = (
        f"Write `{name}(low, high)`, which returns how many prime numbers p satisfy low <= p <= high. `low` may be negative "
        "or larger than `high` (then the answer is 0); 1 is not prime."
    )
    top = 30 * cfg.size

    def span() -> list[int]:
        low = rng.randint(-5, top)
        return [low, low + rng.randint(0, top)]

    inputs: list[list[Any]] = [[1, 10], span(), [2, 2], [0, 1], [-10, 3], [20, 10], [14, 16]]
    inputs += [span() for _ in range(cfg.hidden)]
    budget = None
    if cfg.large:  # trial division over millions of numbers takes minutes
        inputs.append([rng.randint(0, 1000), rng.randint(1_500_000, 2_000_000)])
        budget = EFFICIENT_SECONDS
    return FunctionCase(statement, name, f"def {name}(low: int, high: int) -> int:", solution, inputs, cpu_seconds=budget)


def make_mod_pow(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """base^exponent mod m, or the last k digits of it; exponents up to 10^18 need fast exponentiation."""
    digits = rng.random() < 0.4
    k = rng.randint(2, 6)
    name = pick(rng, ["last_digits_of_power", "power_tail"] if digits else ["mod_pow", "power_mod", "modular_power"])
    modulus = f"10 ** {k}" if digits else "m"
    solution = code(
        """
        def $name(base: int, exponent: int$extra) -> int:
            modulus = $modulus
            result = 1 % modulus
            base %= modulus
            while exponent:
                if exponent & 1:
                    result = result * base % modulus
                base = base * base % modulus
                exponent >>= 1
            return result
        """,
        name=name, extra="" if digits else ", m: int", modulus=modulus,
    )
    if digits:
        statement = (f"Write `{name}(base, exponent)`, which returns the number formed by the last {k} decimal digits of base**exponent, "
                     f"that is base**exponent mod 10**{k} (leading zeros dropped, as an int). base >= 0, exponent >= 0, and 0**0 = 1.")
    else:
        statement = (f"Write `{name}(base, exponent, m)`, which returns base**exponent mod m as a value in [0, m). base may be negative, "
                     "exponent >= 0, m >= 1, and 0**0 = 1 (so the result for exponent 0 is 1 mod m).")
    top = 10 ** (3 + 5 * cfg.level_index)

    def args(exponent: int) -> list[int]:
        if digits:
            return [rng.randint(0, 10**6), exponent]
        return [rng.randint(-(10**6), 10**6), exponent, rng.randint(1, 10**9)]

    inputs: list[list[Any]] = [args(rng.randint(2, 9)), args(rng.randint(10, 99))]
    inputs += [[0, 0] if digits else [0, 0, 7], [10, 3] if digits else [5, 3, 1], [7, 1] if digits else [-2, 3, 5], args(0)]
    inputs += [args(rng.randint(0, top)) for _ in range(cfg.hidden)]
    return FunctionCase(statement, name, f"def {name}(base: int, exponent: int{'' if digits else ', m: int'}) -> int:", solution, inputs)


def make_stair_ways(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Ways to climb n stairs with a drawn step set, some stairs broken, mod 10^9+7 (DP)."""
    steps = sorted(rng.sample(range(1, 7), rng.randint(2, 3)))
    name = pick(rng, ["count_climbs", "stair_ways", "ways_to_top", "climb_count"])
    solution = code(
        """
        def $name(n: int, broken: list[int]) -> int:
            bad = set(broken)
            ways = [0] * (n + 1)
            ways[0] = 1
            for i in range(1, n + 1):
                if i not in bad:
                    ways[i] = sum(ways[i - s] for s in $steps if s <= i) % $mod
            return ways[n]
        """,
        name=name, steps=tuple(steps), mod=MOD,
    )
    statement = (
        f"Write `{name}(n, broken)`: you start on stair 0 and want to reach stair n exactly; each move climbs {', '.join(map(str, steps[:-1]))} "
        f"or {steps[-1]} stairs. You may never stand on a stair listed in `broken` (if n itself is broken, there is no way). "
        f"Return the number of different move sequences, modulo 1000000007. For n = 0 there is exactly one (empty) sequence."
    )

    def args(n: int) -> list[Any]:
        return [n, sorted(rng.sample(range(1, n + 1), min(n, rng.randint(0, 3)))) if n else []]

    inputs: list[list[Any]] = [[rng.randint(4, 8), []], args(rng.randint(5, 9)), [0, []], [1, []], [3, [3]], [5, [1, 2]]]
    inputs += [args(rng.randint(1, cfg.size)) for _ in range(cfg.hidden)]
    budget = None
    if cfg.large:  # recursion over move sequences is exponential; the DP is linear
        inputs.append([30_000, sorted(rng.sample(range(1, 30_000), 30))])
        budget = EFFICIENT_SECONDS
    return FunctionCase(statement, name, f"def {name}(n: int, broken: list[int]) -> int:", solution, inputs, cpu_seconds=budget)


def make_grid_paths(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Monotone lattice paths through a grid with blocked cells, mod 10^9+7."""
    diagonal = rng.random() < 0.3
    blocked = rng.choice("#X*")
    name = pick(rng, ["count_paths", "grid_routes", "lattice_paths", "path_count"])
    solution = code(
        """
        def $name(grid: list[str]) -> int:
            if not grid or not grid[0]:
                return 0
            rows, cols = len(grid), len(grid[0])
            ways = [[0] * cols for _ in range(rows)]
            for r in range(rows):
                for c in range(cols):
                    if grid[r][c] == "$blocked":
                        continue
                    if r == 0 and c == 0:
                        ways[r][c] = 1
                        continue
                    total = (ways[r - 1][c] if r else 0) + (ways[r][c - 1] if c else 0)
                    if $diagonal and r and c:
                        total += ways[r - 1][c - 1]
                    ways[r][c] = total % $mod
            return ways[-1][-1]
        """,
        name=name, blocked=blocked, diagonal=diagonal, mod=MOD,
    )
    moves = "right, down, or diagonally down-right" if diagonal else "right or down"
    statement = (
        f"Write `{name}(grid)`, where `grid` is a list of equal-length strings: '.' is a free cell and '{blocked}' a blocked one. "
        f"Count the paths from the top-left cell to the bottom-right cell that move only {moves} one cell at a time and never "
        "enter a blocked cell; return the count modulo 1000000007. If the start or the end is blocked, or the grid is empty, return 0."
    )

    def grid(rows: int, cols: int, density: float = 0.2) -> list[str]:
        return ["".join(blocked if rng.random() < density else "." for _ in range(cols)) for _ in range(rows)]

    side = max(2, int(cfg.size ** 0.5))
    inputs: list[list[Any]] = [[grid(3, 3, 0.1)], [grid(3, 4)], [[]], [["."]], [[blocked]], [[".."[:2], blocked + "."]], [["." * 5]]]
    inputs += [[grid(rng.randint(1, side), rng.randint(1, side))] for _ in range(cfg.hidden)]
    budget = None
    if cfg.large:  # enumerating paths is exponential; the DP touches each cell once
        inputs.append(generated(
            """
            cells = ints($seed, 200 * 200, 0, 99)  # 5% blocked, never the two corners
            grid = ["".join("$blocked" if cells[200 * r + c] < 5 and 0 < 200 * r + c < 200 * 200 - 1 else "." for c in range(200)) for r in range(200)]
            value = [grid]
            """,
            seed=rng.getrandbits(32), blocked=blocked,
        ))
        budget = EFFICIENT_SECONDS
    return FunctionCase(statement, name, f"def {name}(grid: list[str]) -> int:", solution, inputs, cpu_seconds=budget)


def make_divisor_pairs(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Pairs (a, b) of positive integers with a·b <= n, i.e. the sum of ⌊n/d⌋ (O(√n) blocks at expert)."""
    weighted = rng.random() < 0.4
    name = pick(rng, ["sum_of_divisor_sums", "divisor_total"] if weighted else ["count_products", "pairs_with_product_at_most"])
    term = "(d + last) * (last - d + 1) // 2 * q" if weighted else "(last - d + 1) * q"
    solution = code(
        """
        def $name(n: int) -> int:
            total = 0
            d = 1
            while d <= n:
                q = n // d
                last = n // q
                total += $term
                d = last + 1
            return total $mod
        """,
        name=name, term=term, mod=f"% {MOD}" if weighted else "",
    )
    if weighted:
        statement = (f"Write `{name}(n)`, which returns (σ(1) + σ(2) + … + σ(n)) mod 1000000007, where σ(k) is the sum of all positive "
                     "divisors of k (σ(6) = 1 + 2 + 3 + 6 = 12). For n <= 0 the sum is empty (0).")
    else:
        statement = (f"Write `{name}(n)`, which returns the number of ordered pairs (a, b) of positive integers with a * b <= n "
                     "(for n = 3: (1,1), (1,2), (2,1), (1,3), (3,1), so 5). For n <= 0 the answer is 0.")
    top = 10 ** (2 + 2 * cfg.level_index)
    inputs: list[list[Any]] = [[rng.randint(4, 12)], [rng.randint(13, 40)], [0], [1], [-5], [rng.randint(1, top)]]
    inputs += [[rng.randint(1, top)] for _ in range(cfg.hidden)]
    budget = None
    if cfg.large:  # a loop over every d up to 10^10 takes many minutes
        inputs.append([rng.randint(5 * 10**9, 10**10)])
        budget = EFFICIENT_SECONDS
    return FunctionCase(statement, name, f"def {name}(n: int) -> int:", solution, inputs, cpu_seconds=budget)


class CodeNumberTheoryConfig(ProceduralConfig):
    """Levels: gcd/digits/small primes, then fast powers and DP, then paths and ⌊n/d⌋ sums, then sizes that need the fast algorithm."""

    KINDS: ClassVar[tuple[str, ...]] = ("gcd_lcm", "digit_sum", "count_primes", "mod_pow", "stair_ways", "grid_paths", "divisor_pairs")
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("gcd_lcm", "digit_sum", "count_primes", "mod_pow"), size=10, hidden=6),
        "medium": dict(kinds=("gcd_lcm", "digit_sum", "count_primes", "mod_pow", "stair_ways"), size=40, hidden=8),
        "hard": dict(kinds=("count_primes", "mod_pow", "stair_ways", "grid_paths", "divisor_pairs"), size=150, hidden=10),
        "expert": dict(kinds=("count_primes", "stair_ways", "grid_paths", "divisor_pairs"), size=400, hidden=10, large=True),
    }
    default_level: ClassVar[str | None] = "medium"


MAKERS: dict[str, Maker] = {
    "gcd_lcm": make_gcd_lcm, "digit_sum": make_digit_sum, "count_primes": make_count_primes, "mod_pow": make_mod_pow,
    "stair_ways": make_stair_ways, "grid_paths": make_grid_paths, "divisor_pairs": make_divisor_pairs,
}


@register
class CodeNumberTheory(ProceduralTemplate):
    """Write a number-theory/counting Python function; hidden unit tests decide."""

    name = "CodeNumberTheory"
    version = 0
    domain = "code"
    tags = ("code/number_theory", "code/function")
    description = "Write a Python number-theory function (gcd/lcm, digit sums, prime counts, modular powers, DP counts mod p)."
    Config = CodeNumberTheoryConfig
    kind_tag = "code/number_theory"
    makers = MAKERS
