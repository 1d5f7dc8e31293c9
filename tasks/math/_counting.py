"""Exact discrete-math helpers shared by the NumberTheory, Combinatorics and Probability templates.

Why a shared module: these templates all build problems from the same exact quantities (prime
factorisations, divisor functions, binomials, multinomials, derangements, surjections). Keeping
the formulas here once means a formula is tested once and every template that states it agrees. Everything is integer or `Fraction`
arithmetic on small inputs: no floats, no sympy, microseconds per call.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from fractions import Fraction
from math import comb, factorial, prod

SMALL_PRIMES: tuple[int, ...] = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97)
"""The primes below 100, for building numbers backwards from a chosen factorisation."""


# --------------------------------------------------------------------------------------- primes


def factorise(n: int) -> dict[int, int]:
    """Prime factorisation {p: exponent} of n >= 1 by trial division (fine below ~10^12)."""
    if n < 1:
        raise ValueError(f"factorise needs a positive integer, got {n}")
    out: dict[int, int] = {}
    p = 2
    while p * p <= n:
        while n % p == 0:
            out[p] = out.get(p, 0) + 1
            n //= p
        p += 1 if p == 2 else 2
    if n > 1:
        out[n] = out.get(n, 0) + 1
    return out


def from_factors(factors: dict[int, int]) -> int:
    """The integer with prime factorisation `factors`."""
    return prod(p**e for p, e in factors.items())


def divisor_count(factors: dict[int, int]) -> int:
    """Number of positive divisors from a factorisation: the product of (exponent + 1)."""
    return prod(e + 1 for e in factors.values())


def divisor_sum(factors: dict[int, int]) -> int:
    """Sum of positive divisors from a factorisation: the product of (p^(e+1) - 1)/(p - 1)."""
    return prod((p ** (e + 1) - 1) // (p - 1) for p, e in factors.items())


def euler_phi(factors: dict[int, int]) -> int:
    """Euler's totient from a factorisation: the product of p^(e-1)(p - 1)."""
    return prod(p ** (e - 1) * (p - 1) for p, e in factors.items())


def legendre(n: int, p: int) -> int:
    """Exponent of the prime p in n! (Legendre's formula: the sum of floor(n / p^i))."""
    total, power = 0, p
    while power <= n:
        total += n // power
        power *= p
    return total


def primes_up_to(n: int) -> list[int]:
    """All primes <= n (sieve of Eratosthenes)."""
    if n < 2:
        return []
    sieve = bytearray([1]) * (n + 1)
    sieve[0] = sieve[1] = 0
    for p in range(2, int(n**0.5) + 1):
        if sieve[p]:
            sieve[p * p :: p] = bytearray(len(range(p * p, n + 1, p)))
    return [i for i in range(n + 1) if sieve[i]]


def factorial_factors(n: int) -> dict[int, int]:
    """Prime factorisation of n! via Legendre's formula."""
    return {p: legendre(n, p) for p in primes_up_to(n)}


def show_factors(factors: dict[int, int]) -> str:
    """Readable factorisation: `2^3 · 3 · 7` (primes ascending)."""
    return " · ".join(f"{p}^{e}" if e > 1 else str(p) for p, e in sorted(factors.items())) or "1"


# --------------------------------------------------------------------------------------- counting


def multinomial(counts: Sequence[int]) -> int:
    """Arrangements of a multiset with these multiplicities: (sum)! / prod(count!)."""
    return factorial(sum(counts)) // prod(factorial(c) for c in counts)


def derangements(n: int) -> int:
    """Permutations of n items with no fixed point (D(0)=1, D(1)=0, D(n)=(n-1)(D(n-1)+D(n-2)))."""
    a, b = 1, 0
    if n == 0:
        return 1
    for k in range(2, n + 1):
        a, b = b, (k - 1) * (a + b)
    return b


def surjections(n: int, k: int) -> int:
    """Onto maps from an n-set to a k-set (inclusion–exclusion over the missed targets)."""
    return sum((-1) ** j * comb(k, j) * (k - j) ** n for j in range(k + 1))


def bounded_compositions(total: int, parts: int, upper: int) -> int:
    """Solutions of x_1 + … + x_parts = total with 0 <= x_i <= upper (inclusion–exclusion)."""
    out = 0
    for j in range(parts + 1):
        rest = total - j * (upper + 1)
        if rest < 0:
            break
        out += (-1) ** j * comb(parts, j) * comb(rest + parts - 1, parts - 1)
    return out


def hypergeometric(total: int, marked: int, drawn: int, hits: int) -> Fraction:
    """P(exactly `hits` marked items among `drawn` taken without replacement from `total`)."""
    return Fraction(comb(marked, hits) * comb(total - marked, drawn - hits), comb(total, drawn))


def letters_word(counts: dict[str, int], rng: random.Random) -> str:
    """A shuffled word using each letter exactly `counts[letter]` times (for arrangement prompts)."""
    letters = [ch for ch, c in counts.items() for _ in range(c)]
    rng.shuffle(letters)
    return "".join(letters)
