"""`NumberTheory`: gcd/lcm, remainders, divisors, primes, modular arithmetic, CRT, factorials.

Why this template: elementary number theory is where models slip on exactness (a remainder off by
one, a forgotten prime, an inverse that does not invert), and every answer is one integer that is
computed exactly — a clean 0/1 signal.

Levels change the kind of problem, not only the size of the numbers:

* easy — gcd or lcm of two numbers, the remainder of a large number, the number of divisors,
  the largest prime factor;
* medium — gcd or lcm of three numbers, a^b mod m by repeated squaring, a modular inverse, the sum
  of divisors, Euler's totient;
* hard — a linear congruence ax ≡ b (mod m) (gcd(a, m) may exceed 1), the Chinese remainder
  theorem with two moduli, the last two digits of a power, trailing zeros and divisors of n!;
* expert — CRT with three moduli, a power tower a^(b^c) mod m (Euler's theorem), the last three
  digits of a power, the exponent of a prime in n! and the divisors of n!.

Generation works backwards from chosen factorisations or residues, so every gold is exact and a
draw costs microseconds. Every answer is `G.integer`; the prompt states the range it must lie in
(e.g. "the smallest non-negative solution") so that the answer is unique.
"""

from __future__ import annotations

import random
from math import gcd, lcm, prod
from typing import Any, ClassVar

from pydantic import Field

from vrgym.registry import register
from vrgym.tasks.math._counting import (
    SMALL_PRIMES,
    divisor_count,
    divisor_sum,
    euler_phi,
    factorial_factors,
    factorise,
    from_factors,
    legendre,
    primes_up_to,
    show_factors,
)
from vrgym.tasks.math._kinds import KindsConfig, KindTemplate, Made
from vrgym.verifiers.math import gold as G

INTEGER = "Give your answer as a single integer."


# --------------------------------------------------------------------------------------- config


class NumberTheoryConfig(KindsConfig):
    """Which kinds of number-theory question a level asks, and how large its numbers are."""

    KINDS: ClassVar[tuple[str, ...]] = (
        "gcd", "lcm", "remainder", "divisor_count", "largest_prime_factor",
        "gcd3", "lcm3", "modpow", "inverse", "divisor_sum", "totient",
        "congruence", "crt", "last_digits", "factorial_zeros", "factorial_divisors",
        "crt3", "tower", "factorial_prime_power",
    )
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("gcd", "lcm", "remainder", "divisor_count", "largest_prime_factor"), scale=1, digits=2),
        "medium": dict(kinds=("gcd3", "lcm3", "modpow", "inverse", "divisor_sum", "totient"), scale=2, digits=2),
        "hard": dict(kinds=("congruence", "crt", "last_digits", "factorial_zeros", "factorial_divisors"), scale=3, digits=2),
        "expert": dict(kinds=("crt3", "tower", "last_digits", "factorial_prime_power", "factorial_divisors", "congruence"), scale=4, digits=3),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = ("gcd3", "lcm3", "modpow", "inverse", "divisor_sum", "totient")
    scale: int = Field(2, ge=1, le=4, description="Size of the numbers: 1 small (two or three digits) .. 4 large.")
    digits: int = Field(2, ge=1, le=4, description="How many last digits a 'last_digits' question asks for.")


# --------------------------------------------------------------------------------------- helpers


def _composite(rng: random.Random, scale: int, *, distinct: int | None = None) -> dict[int, int]:
    """A factorisation with 2..scale+2 small prime factors and a value below ~10^(scale+2)."""
    bound = 10 ** (scale + 2)
    while True:
        count = distinct or rng.randint(2, min(4, scale + 2))
        primes = rng.sample(SMALL_PRIMES[: 6 + 3 * scale], count)
        factors = {p: rng.randint(1, 4 if p < 10 else 2) for p in primes}
        if 10 <= from_factors(factors) < bound:
            return factors


def _euclid_steps(a: int, b: int) -> list[str]:
    """The Euclidean algorithm written out: `a = q·b + r` lines down to remainder 0."""
    steps = []
    while b:
        q, r = divmod(a, b)
        steps.append(f"{a} = {q}·{b} + {r}")
        a, b = b, r
    return steps


# --------------------------------------------------------------------------------------- makers


def _multiples(rng: random.Random, config: NumberTheoryConfig, count: int) -> tuple[int, list[int]]:
    """`count` distinct numbers sharing a chosen common factor g (cofactors coprime as a whole)."""
    high = 12 * config.scale + 8
    while True:
        g = rng.randint(2, high)
        cofactors = rng.sample(range(2, high + 2), count)
        if gcd(*cofactors) == 1:
            return g, [g * c for c in cofactors]


def make_gcd(rng: random.Random, config: NumberTheoryConfig, count: int = 2) -> Made:
    g, numbers = _multiples(rng, config, count)
    shown = ", ".join(map(str, numbers))
    steps = _euclid_steps(max(numbers[:2]), min(numbers[:2])) if count == 2 else [
        f"{n} = {show_factors(factorise(n))}" for n in numbers
    ] + ["Take each common prime to its smallest exponent."]
    return Made(
        f"Find the greatest common divisor of {shown}.", G.integer(g), INTEGER,
        [*steps, f"gcd = {g}"], data={"numbers": numbers},
    )


def make_lcm(rng: random.Random, config: NumberTheoryConfig, count: int = 2) -> Made:
    _, numbers = _multiples(rng, config, count)
    value = lcm(*numbers)
    steps = [f"{n} = {show_factors(factorise(n))}" for n in numbers]
    return Made(
        f"Find the least common multiple of {', '.join(map(str, numbers))}.", G.integer(value), INTEGER,
        [*steps, "Take each prime to its largest exponent.", f"lcm = {show_factors(factorise(value))} = {value}"],
        data={"numbers": numbers},
    )


def make_remainder(rng: random.Random, config: NumberTheoryConfig) -> Made:
    n = rng.randint(10 ** (3 + config.scale), 10 ** (5 + config.scale))
    m = rng.randint(3, 40)
    q, r = divmod(n, m)
    return Made(
        f"What is the remainder when {n} is divided by {m}?", G.integer(r),
        f"Give the remainder as an integer from 0 to {m - 1}.",
        [f"{n} = {m}·{q} + {r}", f"so the remainder is {r}"], data={"n": n, "m": m},
    )


def make_divisor_count(rng: random.Random, config: NumberTheoryConfig) -> Made:
    factors = _composite(rng, config.scale)
    n = from_factors(factors)
    d = divisor_count(factors)
    return Made(
        f"How many positive divisors does {n} have?", G.integer(d), INTEGER,
        [f"{n} = {show_factors(factors)}", "The count is the product of (exponent + 1) over the primes: "
         + " · ".join(str(e + 1) for e in factors.values()) + f" = {d}"], data={"n": n},
    )


def make_largest_prime_factor(rng: random.Random, config: NumberTheoryConfig) -> Made:
    primes = primes_up_to(60 * config.scale + 40)
    while True:
        chosen = rng.sample(primes, rng.randint(2, 3))
        factors = {p: rng.randint(1, 2) for p in chosen}
        n = from_factors(factors)
        if n < 10 ** (config.scale + 3):
            break
    largest = max(factors)
    return Made(
        f"What is the largest prime factor of {n}?", G.integer(largest), INTEGER,
        [f"{n} = {show_factors(factors)}", f"the largest prime is {largest}"], data={"n": n},
    )


def make_gcd3(rng: random.Random, config: NumberTheoryConfig) -> Made:
    return make_gcd(rng, config, 3)


def make_lcm3(rng: random.Random, config: NumberTheoryConfig) -> Made:
    return make_lcm(rng, config, 3)


def make_modpow(rng: random.Random, config: NumberTheoryConfig) -> Made:
    m = rng.randint(7, 30 * config.scale + 20)
    while True:
        a = rng.randint(2, 99)
        if a % m not in (0, 1, m - 1):
            break
    b = rng.randint(20, 200 * config.scale)
    r = pow(a, b, m)
    steps = [f"{a} ≡ {a % m} (mod {m})", f"{b} in binary is {b:b}; square and multiply modulo {m}:"]
    power = 1
    while power * 2 <= b:
        steps.append(f"{a}^{power * 2} ≡ {pow(a, power * 2, m)} (mod {m})")
        power *= 2
    parts = [1 << i for i in range(b.bit_length()) if b >> i & 1]
    steps.append(f"{a}^{b} = " + " · ".join(f"{a}^{p}" for p in reversed(parts)) + f" ≡ {r} (mod {m})")
    return Made(
        f"Compute {a}^{b} mod {m}, the remainder when {a}^{b} is divided by {m}.", G.integer(r),
        f"Give the remainder as an integer from 0 to {m - 1}.", steps, data={"a": a, "b": b, "m": m},
    )


def make_inverse(rng: random.Random, config: NumberTheoryConfig) -> Made:
    while True:
        m = rng.randint(11, 40 * config.scale + 30)
        a = rng.randint(2, m - 2)
        if gcd(a, m) == 1 and (a * a) % m != 1:
            break
    x = pow(a, -1, m)
    return Made(
        f"Find the inverse of {a} modulo {m}: the integer x with 0 ≤ x < {m} such that {a}x ≡ 1 (mod {m}).",
        G.integer(x), f"Give x as an integer from 0 to {m - 1}.",
        [*_euclid_steps(m, a), f"Back-substituting gives {a}·{x} = {a * x} = {(a * x) // m}·{m} + 1", f"x = {x}"],
        data={"a": a, "m": m},
    )


def make_divisor_sum(rng: random.Random, config: NumberTheoryConfig) -> Made:
    factors = _composite(rng, config.scale - 1 if config.scale > 1 else 1)
    n = from_factors(factors)
    s = divisor_sum(factors)
    terms = " · ".join(f"({p}^{e + 1} - 1)/({p} - 1)" for p, e in sorted(factors.items()))
    return Made(
        f"What is the sum of all positive divisors of {n} (including 1 and {n})?", G.integer(s), INTEGER,
        [f"{n} = {show_factors(factors)}", f"σ(n) = {terms} = {s}"], data={"n": n},
    )


def make_totient(rng: random.Random, config: NumberTheoryConfig) -> Made:
    factors = _composite(rng, config.scale)
    n = from_factors(factors)
    phi = euler_phi(factors)
    terms = " · ".join(f"{p}^{e - 1}·({p} - 1)" if e > 1 else f"({p} - 1)" for p, e in sorted(factors.items()))
    return Made(
        f"How many integers k with 1 ≤ k ≤ {n} satisfy gcd(k, {n}) = 1? (This is Euler's totient φ({n}).)",
        G.integer(phi), INTEGER, [f"{n} = {show_factors(factors)}", f"φ({n}) = {terms} = {phi}"], data={"n": n},
    )


def make_congruence(rng: random.Random, config: NumberTheoryConfig) -> Made:
    """ax ≡ b (mod m) with a solution; at expert gcd(a, m) > 1 so the solution repeats mod m/g."""
    while True:
        m = rng.randint(12, 40 * config.scale)
        a = rng.randint(2, 5 * m)
        g = gcd(a, m)
        wanted = (g > 1) == (config.scale >= 4) or rng.random() < 0.2  # mostly coprime below expert
        if a % m == 0 or m // g < 3 or not wanted:
            continue
        x0 = rng.randrange(1, m // g)
        b = (a * x0) % m + m * rng.randint(0, 2)  # divisible by g, and not a multiple of m
        break
    mg = m // g
    inverse = pow((a // g) % mg, -1, mg)
    x = ((b // g) * inverse) % mg
    steps = [f"gcd({a}, {m}) = {g}, which divides {b}, so solutions exist"]
    if g > 1:
        steps.append(f"divide by {g}: {a // g}x ≡ {b // g} (mod {mg})")
    steps.append(f"the inverse of {a // g} modulo {mg} is {inverse}, so x ≡ {b // g}·{inverse}")
    steps.append(f"x ≡ {x} (mod {mg}); the smallest non-negative solution is {x}")
    tags = ("math/number_theory/non_coprime",) if g > 1 else ()
    return Made(
        f"Solve the congruence {a}x ≡ {b} (mod {m}) for the integer x.", G.integer(x),
        "Give the smallest non-negative integer solution x.", steps, tags, data={"a": a, "b": b, "m": m},
    )


def _crt(rng: random.Random, config: NumberTheoryConfig, count: int) -> Made:
    while True:
        moduli = sorted(rng.sample(range(3, 12 + 6 * config.scale), count))
        if all(gcd(p, q) == 1 for i, p in enumerate(moduli) for q in moduli[i + 1 :]):
            break
    M = prod(moduli)
    x = rng.randrange(1, M)
    residues = [x % m for m in moduli]
    lines = "\n".join(f"x ≡ {r} (mod {m})" for r, m in zip(residues, moduli))
    steps = [f"The moduli {', '.join(map(str, moduli))} are pairwise coprime, so x is unique modulo {M}."]
    for r, m in zip(residues, moduli):
        Mi = M // m
        steps.append(f"term for mod {m}: {r} · {Mi} · ({Mi}⁻¹ mod {m} = {pow(Mi % m, -1, m)})")
    steps.append(f"sum modulo {M}: x ≡ {x} (mod {M})")
    return Made(
        f"Find the smallest non-negative integer x that satisfies all of\n{lines}", G.integer(x),
        f"Give x as an integer from 0 to {M - 1}.", steps, data={"residues": residues, "moduli": moduli},
    )


def make_crt(rng: random.Random, config: NumberTheoryConfig) -> Made:
    return _crt(rng, config, 2)


def make_crt3(rng: random.Random, config: NumberTheoryConfig) -> Made:
    return _crt(rng, config, 3)


def make_last_digits(rng: random.Random, config: NumberTheoryConfig) -> Made:
    k = config.digits
    m = 10**k
    a = rng.randint(3, 99)
    while a % 10 == 0:
        a = rng.randint(3, 99)
    b = rng.randint(100, 10 ** (config.scale + 1))
    r = pow(a, b, m)
    steps = [f"The last {k} digits of {a}^{b} are {a}^{b} mod {m}."]
    if gcd(a, m) == 1:
        phi = euler_phi(factorise(m))
        steps.append(f"gcd({a}, {m}) = 1 and φ({m}) = {phi}, so {a}^{b} ≡ {a}^{b % phi} (mod {m}) (Euler)")
    else:
        steps.append(f"reduce modulo {2**k} and {5**k} separately and combine with the Chinese remainder theorem")
    steps.append(f"{a}^{b} ≡ {r} (mod {m})")
    return Made(
        f"What are the last {k} digits of {a}^{b}? Answer with the remainder of {a}^{b} on division by {m}.",
        G.integer(r), f"Give that remainder as an integer from 0 to {m - 1} (leading zeros are dropped, so 07 is 7).",
        steps, data={"a": a, "b": b, "m": m},
    )


def make_tower(rng: random.Random, config: NumberTheoryConfig) -> Made:
    """a^(b^c) mod m with gcd(a, m) = 1: reduce the exponent modulo φ(m) first."""
    while True:
        m = rng.randint(11, 60)
        a = rng.randint(2, 30)
        if gcd(a, m) == 1 and pow(a, 2, m) != 1:
            break
    b, c = rng.randint(2, 9), rng.randint(3, 6)
    phi = euler_phi(factorise(m))
    e = pow(b, c, phi)
    r = pow(a, b**c, m)
    return Made(
        f"Compute {a}^({b}^{c}) mod {m}, the remainder of {a} raised to the power {b}^{c} on division by {m}.",
        G.integer(r), f"Give the remainder as an integer from 0 to {m - 1}.",
        [f"gcd({a}, {m}) = 1 and φ({m}) = {phi}", f"{b}^{c} ≡ {e} (mod {phi})", f"so {a}^({b}^{c}) ≡ {a}^{e} ≡ {r} (mod {m})"],
        data={"a": a, "b": b, "c": c, "m": m},
    )


def make_factorial_zeros(rng: random.Random, config: NumberTheoryConfig) -> Made:
    n = rng.randint(25, 250 * config.scale)
    z = legendre(n, 5)
    terms = []
    power = 5
    while power <= n:
        terms.append(f"⌊{n}/{power}⌋ = {n // power}")
        power *= 5
    return Made(
        f"How many zeros does {n}! end with (in base 10)?", G.integer(z), INTEGER,
        ["Each trailing zero is a factor 10 = 2·5 and 5 is the scarcer prime.", *terms, f"total {z}"], data={"n": n},
    )


def make_factorial_divisors(rng: random.Random, config: NumberTheoryConfig) -> Made:
    n = rng.randint(6, 5 + 4 * config.scale)
    factors = factorial_factors(n)
    d = divisor_count(factors)
    return Made(
        f"How many positive divisors does {n}! have?", G.integer(d), INTEGER,
        [f"{n}! = {show_factors(factors)} (Legendre's formula for each prime)",
         " · ".join(str(e + 1) for e in factors.values()) + f" = {d}"], data={"n": n},
    )


def make_factorial_prime_power(rng: random.Random, config: NumberTheoryConfig) -> Made:
    """The largest k such that q^k divides n!, for a prime power or a product of two primes q."""
    n = rng.randint(30, 120 * config.scale)
    p = rng.choice((2, 3, 5, 7))
    e = rng.randint(1, 3)
    q = p**e
    k = legendre(n, p) // e
    return Made(
        f"What is the largest integer k such that {q}^k divides {n}!?", G.integer(k), INTEGER,
        [f"{q} = {p}^{e}; the exponent of {p} in {n}! is {legendre(n, p)} (Legendre)", f"k = ⌊{legendre(n, p)}/{e}⌋ = {k}"],
        data={"n": n, "q": q},
    )


@register
class NumberTheory(KindTemplate):
    """Number theory with one exact integer answer per problem."""

    name = "NumberTheory"
    version = 0
    tags = ("math/number_theory",)
    description = "gcd/lcm, divisors, primes, modular powers and inverses, congruences, CRT, factorials."
    Config = NumberTheoryConfig
    kind_tag = "math/number_theory"
    makers = {
        "gcd": make_gcd, "lcm": make_lcm, "remainder": make_remainder, "divisor_count": make_divisor_count,
        "largest_prime_factor": make_largest_prime_factor, "gcd3": make_gcd3, "lcm3": make_lcm3,
        "modpow": make_modpow, "inverse": make_inverse, "divisor_sum": make_divisor_sum, "totient": make_totient,
        "congruence": make_congruence, "crt": make_crt, "last_digits": make_last_digits,
        "factorial_zeros": make_factorial_zeros, "factorial_divisors": make_factorial_divisors,
        "crt3": make_crt3, "tower": make_tower, "factorial_prime_power": make_factorial_prime_power,
    }
