"""Random differentiable functions for the calculus templates, each tagged with the rule it needs.

`Derivative` asks for f′(x), f″(x) or f′(x₀); the interesting part is *which rule* a function
exercises (product, quotient, chain) and *which family* it is built from (polynomial, power,
exponential, trigonometric, logarithmic). A `Built` function records both, plus the parts the rule
works on (u and v, or the inner function), so the worked solution can name them.

Functions are small sympy expressions assembled from drawn integers; nothing here simplifies
(`simplify` on a product of transcendental functions can take tens of milliseconds).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vrgym.tasks.math._calculus import nonzero, signed, sympy_module, to_latex, x_symbol


@dataclass(frozen=True)
class Built:
    """A function f(x) and how it is put together: `rule` with parts `u`, `v` (or `inner` for chain)."""

    expr: Any
    rule: str
    """One of product, quotient, chain (the outermost rule needed first)."""
    family: str
    """power, exponential, trigonometric, logarithmic or inverse_trigonometric."""
    u: Any = None
    v: Any = None

    def rule_steps(self, derivative: Any) -> list[str]:
        """Worked steps: the rule, the parts and their derivatives, the result."""
        x = x_symbol()
        sp = sympy_module()
        if self.rule == "product":
            return [
                f"Product rule (uv)' = u'v + uv' with u = {to_latex(self.u)} and v = {to_latex(self.v)}.",
                f"u' = {to_latex(sp.diff(self.u, x))}, v' = {to_latex(sp.diff(self.v, x))}.",
                f"f'(x) = {to_latex(derivative)}.",
            ]
        if self.rule == "quotient":
            return [
                f"Quotient rule (u/v)' = (u'v - uv')/v^{{2}} with u = {to_latex(self.u)} and v = {to_latex(self.v)}.",
                f"u' = {to_latex(sp.diff(self.u, x))}, v' = {to_latex(sp.diff(self.v, x))}.",
                f"f'(x) = {to_latex(derivative)}.",
            ]
        return [
            f"Chain rule with the inner function g(x) = {to_latex(self.u)}, g'(x) = {to_latex(sp.diff(self.u, x))}.",
            f"f'(x) = {to_latex(derivative)}.",
        ]


def _linear(rng: random.Random, lead: int = 4, constant: int = 6) -> Any:
    x = x_symbol()
    return rng.randint(1, lead) * x + signed(rng, 1, constant)


def _quadratic_positive(rng: random.Random) -> Any:
    """a x² + b with a, b ≥ 1: positive everywhere (safe inside ln and square roots)."""
    x = x_symbol()
    return rng.randint(1, 4) * x**2 + rng.randint(1, 9)


# ------------------------------------------------------------------------- algebraic (medium)


def product_power(rng: random.Random) -> Built:
    """xᵐ·(ax + b)ⁿ."""
    x = x_symbol()
    u, v = x ** rng.randint(1, 3), _linear(rng) ** rng.randint(2, 4)
    return Built(u * v, "product", "power", u, v)


def quotient_linear(rng: random.Random) -> Built:
    """(ax² + b)/(cx + d) or (ax + b)/(cx + d) with ad − bc ≠ 0 (not a constant)."""
    x = x_symbol()
    while True:
        a, b, c, d = nonzero(rng, -5, 5), signed(rng, 1, 7), rng.randint(1, 4), signed(rng, 1, 7)
        if rng.random() < 0.5:
            u = a * x**2 + b
        elif a * d != b * c:
            u = a * x + b
        else:
            continue
        v = c * x + d
        return Built(u / v, "quotient", "power", u, v)


def quotient_quadratic(rng: random.Random) -> Built:
    """(ax + b)/(x² + c), c ≥ 1."""
    x = x_symbol()
    u, v = nonzero(rng, -5, 5) * x + rng.randint(-6, 6), x**2 + rng.randint(1, 9)
    return Built(u / v, "quotient", "power", u, v)


def chain_power(rng: random.Random) -> Built:
    """(a xᵐ + b)ⁿ with n ∈ {−2, −1, 3, …, 6}, or √(a x² + b)."""
    sp = sympy_module()
    x = x_symbol()
    if rng.random() < 0.3:
        inner = _quadratic_positive(rng)
        return Built(sp.sqrt(inner), "chain", "power", inner)
    inner = rng.randint(1, 4) * x ** rng.randint(2, 3) + signed(rng, 1, 7)
    return Built(inner ** rng.choice((-2, -1, 3, 4, 5, 6)), "chain", "power", inner)


# ------------------------------------------------------------------------- transcendental (hard)


def exponential(rng: random.Random) -> Built:
    """p(x)·e^{ax}, e^{ax}·sin(bx), or e^{ax² + bx}."""
    sp = sympy_module()
    x = x_symbol()
    pick = rng.random()
    if pick < 0.4:
        u, v = rng.randint(1, 3) * x ** rng.randint(1, 2) + rng.randint(-5, 5), sp.exp(nonzero(rng, -3, 3) * x)
        return Built(u * v, "product", "exponential", u, v)
    if pick < 0.7:
        u, v = sp.exp(nonzero(rng, -3, 3) * x), rng.choice((sp.sin, sp.cos))(rng.randint(1, 4) * x)
        return Built(u * v, "product", "exponential", u, v)
    inner = nonzero(rng, -3, 3) * x**2 + rng.randint(-4, 4) * x
    return Built(sp.exp(inner), "chain", "exponential", inner)


def trigonometric(rng: random.Random) -> Built:
    """k·xⁿ·sin(ax), sin/cos(a x² + b), cosⁿ(ax) or sin(ax)/xⁿ."""
    sp = sympy_module()
    x = x_symbol()
    trig = rng.choice((sp.sin, sp.cos))
    pick = rng.random()
    if pick < 0.35:
        u, v = rng.randint(1, 4) * x ** rng.randint(1, 3), trig(rng.randint(1, 5) * x)
        return Built(u * v, "product", "trigonometric", u, v)
    if pick < 0.6:
        inner = rng.randint(1, 4) * x**2 + rng.randint(-3, 3)
        return Built(trig(inner), "chain", "trigonometric", inner)
    if pick < 0.8:
        inner = trig(rng.randint(1, 4) * x)
        return Built(inner ** rng.randint(2, 4), "chain", "trigonometric", inner)
    u, v = trig(rng.randint(1, 4) * x), x ** rng.randint(1, 2)
    return Built(u / v, "quotient", "trigonometric", u, v)


def logarithmic(rng: random.Random) -> Built:
    """ln(a x² + b), k·xⁿ·ln x, k·ln x / xⁿ, or arctan(a xᵐ + b)."""
    sp = sympy_module()
    x = x_symbol()
    pick = rng.random()
    if pick < 0.3:
        inner = _quadratic_positive(rng)
        return Built(sp.log(inner), "chain", "logarithmic", inner)
    if pick < 0.6:
        u, v = rng.randint(1, 5) * x ** rng.randint(1, 4), sp.log(x)
        return Built(u * v, "product", "logarithmic", u, v)
    if pick < 0.8:
        u, v = rng.randint(1, 5) * sp.log(x), x ** rng.randint(1, 3)
        return Built(u / v, "quotient", "logarithmic", u, v)
    inner = rng.randint(1, 5) * x ** rng.randint(1, 2) + rng.randint(-3, 3)
    return Built(sp.atan(inner), "chain", "inverse_trigonometric", inner)


ALGEBRAIC: tuple[Callable[[random.Random], Built], ...] = (product_power, quotient_linear, quotient_quadratic, chain_power)
TRANSCENDENTAL: tuple[Callable[[random.Random], Built], ...] = (exponential, trigonometric, logarithmic)
