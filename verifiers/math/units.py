"""Physical quantities for `G.quantity`: split an answer into number and unit, convert with pint.

Kept small on purpose: one lazily created pint registry per process, a LaTeX-to-pint unit
spelling normaliser (`\\text{ m/s}^2`, `\\mathrm{km\\,h^{-1}}`, `^\\circ C`, `\\mu m`, `\\Omega`), and a
conversion that says whether two quantities are equal within a tolerance. pint is imported only
in the math worker (its warm-up checks one quantity, so no request pays the ~1 s load) or when a
template asks for it; never by `import vrgym`.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache
from typing import Any

from vrgym.verifiers.math.structure import clean

_NUMBER_PART = re.compile(
    r"^(?P<number>[+\-−]?\s*(?:\\[dt]?frac\s*\{[^{}]*\}\s*\{[^{}]*\}|[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)"
    r"(?:\s*(?:\\times|\\cdot|×)\s*10\s*\^\s*(?:\{\s*[+\-−]?[0-9]{1,3}\s*\}|[0-9]))?)\s*(?P<unit>.*)$",
    re.DOTALL,
)
_WRAPPERS = re.compile(r"\\(?:text|mathrm|mbox|textrm|operatorname|mathit|rm)\s*\{([^{}]*)\}")
_REPLACEMENTS = (
    (re.compile(r"\^\s*\{?\s*\\circ\s*\}?\s*C\b|°\s*C\b|\\degree\s*C\b"), " degC "),
    (re.compile(r"\^\s*\{?\s*\\circ\s*\}?\s*F\b|°\s*F\b|\\degree\s*F\b"), " degF "),
    (re.compile(r"\^\s*\{?\s*\\circ\s*\}?|°|\\degree"), " degree "),
    (re.compile(r"\\mu\s*|µ|μ"), "u"),
    (re.compile(r"\\Omega|Ω"), "ohm"),
    (re.compile(r"\\(?:cdot|times)|·"), "*"),
    (re.compile(r"\\[,;:! ]|~"), " "),
    (re.compile(r"\\%|%"), "percent"),
    (re.compile(r"\^\s*\{\s*([+\-−]?[0-9]+)\s*\}"), r"**\1"),
    (re.compile(r"\^\s*([+\-]?[0-9])"), r"**\1"),
)


class UnitError(ValueError):
    """A unit that pint does not know, or an answer without a number and a unit."""


@lru_cache(maxsize=1)
def registry() -> Any:
    """The process's pint UnitRegistry (created on first use: pint takes ~0.3 s to load)."""
    import pint

    return pint.UnitRegistry(autoconvert_offset_to_baseunit=True)


def normalise_unit(text: str) -> str:
    """A pint-readable spelling of a LaTeX unit (`\\text{ m/s}^2` → `m/s**2`)."""
    text = clean(text)
    for _ in range(3):
        text = _WRAPPERS.sub(r"\1", text)
    for pattern, replacement in _REPLACEMENTS:
        text = pattern.sub(replacement, text)
    text = text.replace("{", "").replace("}", "").replace("\\", "").replace("−", "-")
    return " ".join(text.split()).strip(" .")


@lru_cache(maxsize=1024)
def parse_unit(text: str) -> Any:
    """The pint Unit for a unit spelling (LaTeX allowed); UnitError if unknown or not a unit."""
    spelled = normalise_unit(text)
    if not spelled or len(spelled) > 60 or not re.fullmatch(r"[A-Za-z0-9_*/() .\-]+", spelled):
        raise UnitError(f"{text!r} is not a unit")
    try:
        unit = registry().parse_units(spelled)
    except Exception as exc:  # noqa: BLE001 - pint raises several error types
        raise UnitError(f"{text!r} is not a unit pint knows ({type(exc).__name__})") from exc
    return unit


def split_quantity(text: str) -> tuple[str, str]:
    """(number text, unit text) of an answer such as `5.0\\text{ cm}` or `3 \\times 10^{8} m/s`."""
    match = _NUMBER_PART.match(clean(text))
    if match is None or not match["unit"].strip():
        raise UnitError("write the answer as a number followed by its unit, e.g. 5.0 cm")
    return match["number"].strip(), match["unit"].strip()


def convert(value: Fraction | float, unit: str, target: str) -> float:
    """`value` in `unit` expressed in `target` (UnitError if the dimensions differ)."""
    ureg = registry()
    source, goal = parse_unit(unit), parse_unit(target)
    if source.dimensionality != goal.dimensionality:
        raise UnitError(f"{normalise_unit(unit)} is not a unit of the same dimension as {target}")
    return float(ureg.Quantity(float(value), source).to(goal).magnitude)


def same_dimension(unit: str, other: str) -> bool:
    """True when both units measure the same dimension (cm and mile; not cm and s)."""
    return bool(parse_unit(unit).dimensionality == parse_unit(other).dimensionality)
