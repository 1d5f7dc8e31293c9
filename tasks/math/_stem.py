"""Shared machinery of the STEM word-problem templates (`Kinematics`, `Circuits`, `Stoichiometry`).

Why a helper: the three templates differ only in their physics or chemistry. Everything else is
the same and must behave the same — how a given value is shown with its unit, how an answer is
rounded, what the prompt promises about precision and units, and how a draw is turned into a
typed gold. So a template supplies *scenario builders* (one function per sub-type that returns a
`Scenario`), and `StemTemplate` does the rest.

Exactness. Givens are drawn as exact decimals in the unit they are shown in (`Given`), converted
to SI with exact `Fraction` factors (1 km/h is 5/18 m/s), and every result that is rational is
computed as a `Fraction`. Only results that are truly irrational (square roots, trigonometry)
are floats. The gold is the value rounded half-up to the number of decimal places that the
prompt states; a draw whose value lies within 1e-9 (relative) of a rounding boundary is refused
and redrawn, so round-half-up, round-half-even and a float slightly off all agree on the gold.

Answers are `G.quantity(G.decimal(...), unit=...)` golds: the response must carry a unit of the
same dimension (the verifier converts: 0.5 km for 500 m is right, a missing unit is wrong).
Money (an electricity bill) is the one exception: a plain `G.decimal` in dollars.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, ClassVar, Union

from pydantic import Field

from vrgym.config import TemplateConfig
from vrgym.registry import register  # noqa: F401  (re-exported for the STEM modules' convenience)
from vrgym.tasks.math._kinds import KindsConfig, draw_kind
from vrgym.tasks.math._math_template import MathTemplate
from vrgym.template import Draft
from vrgym.verifiers.math import gold as G

Real = Union[Fraction, float]
"""An exact rational result, or a float for an irrational one (square roots, trigonometry)."""

MAX_DRAWS = 200
"""Redraws allowed before a builder gives up (measured: under 2% of draws are refused)."""
BOUNDARY_TOLERANCE = 1e-9
"""Relative distance from a rounding boundary (…5) under which a draw is refused."""


class Reject(Exception):
    """A degenerate draw (rounds ambiguously, divides by zero, physically meaningless); redraw."""


# --------------------------------------------------------------------------------------- units


@dataclass(frozen=True)
class Unit:
    """A unit as shown in prompts and answers; `symbol` is also a unit string pint understands."""

    symbol: str
    name: str
    to_si: Fraction
    """Factor from this unit to the SI unit of its dimension (km/h → m/s is 5/18)."""


def _u(symbol: str, name: str, to_si: Fraction | int | str = 1) -> Unit:
    return Unit(symbol, name, Fraction(to_si))


UNITS: dict[str, Unit] = {
    unit.symbol: unit
    for unit in (
        _u("m", "metres"), _u("cm", "centimetres", "1/100"), _u("mm", "millimetres", "1/1000"),
        _u("km", "kilometres", 1000),
        _u("s", "seconds"), _u("min", "minutes", 60), _u("h", "hours", 3600), _u("ms", "milliseconds", "1/1000"),
        _u("m/s", "metres per second"), _u("km/h", "kilometres per hour", Fraction(5, 18)),
        _u("cm/s", "centimetres per second", "1/100"),
        _u("m/s^2", "metres per second squared"), _u("cm/s^2", "centimetres per second squared", "1/100"),
        _u("V", "volts"), _u("mV", "millivolts", "1/1000"),
        _u("A", "amperes"), _u("mA", "milliamperes", "1/1000"),
        _u("Ω", "ohms"), _u("kΩ", "kilohms", 1000),
        _u("W", "watts"), _u("kW", "kilowatts", 1000), _u("mW", "milliwatts", "1/1000"),
        _u("J", "joules"), _u("kJ", "kilojoules", 1000), _u("MJ", "megajoules", 1_000_000), _u("kWh", "kilowatt-hours", 3_600_000),
        _u("g", "grams"), _u("kg", "kilograms", 1000), _u("mg", "milligrams", "1/1000"),
        _u("mol", "moles"), _u("mmol", "millimoles", "1/1000"),
        _u("g/mol", "grams per mole"),
        _u("L", "litres"), _u("mL", "millilitres", "1/1000"),
        _u("mol/L", "moles per litre"),
    )
}
"""Every unit the STEM templates use; mass, volume and amount use g, L and mol as their base."""


def unit(symbol: str) -> Unit:
    """The `Unit` with this symbol (KeyError names the known ones)."""
    try:
        return UNITS[symbol]
    except KeyError:
        raise KeyError(f"unknown unit {symbol!r}; known: {', '.join(UNITS)}") from None


# --------------------------------------------------------------------------------------- numbers


def fmt(value: Fraction | int) -> str:
    """A terminating exact value as plain decimal text without trailing zeros: 12, 0.25, -3.5.

    Givens are always drawn as terminating decimals; a value that does not terminate is a bug in
    the caller, so it raises rather than print a rounded number the gold was not computed from.
    """
    value = Fraction(value)
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        raise ValueError(f"{value} has no terminating decimal form; draw givens as exact decimals")
    places = max(twos, fives)
    text = f"{Decimal(value.numerator) / Decimal(value.denominator):.{places}f}" if places else str(value.numerator)
    return text


def places_for(value: Real, significant: int) -> int:
    """Decimal places that keep about `significant` significant figures of `value` (never negative)."""
    magnitude = abs(float(value))
    if magnitude == 0:
        return significant - 1
    return max(0, significant - 1 - math.floor(math.log10(magnitude)))


def round_places(value: Real, places: int) -> str:
    """`value` rounded half-up to `places` decimals, as text; `Reject` if it sits near a boundary.

    Exact for a Fraction. A value within `BOUNDARY_TOLERANCE` (relative) of a …5 boundary is
    refused for Fractions and floats alike, so a solver rounding half-even, or carrying a float
    slightly off, still gets the same digits as the gold.
    """
    scaled = abs(float(value)) * 10**places
    if abs(scaled - math.floor(scaled) - 0.5) <= BOUNDARY_TOLERANCE * max(1.0, scaled):
        raise Reject(f"{float(value)!r} is too close to a rounding boundary at {places} places")
    exact = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(repr(value))
    return f"{exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):.{places}f}"


def pick(rng: random.Random, low: Fraction | int | str, high: Fraction | int | str, step: Fraction | int | str = 1) -> Fraction:
    """A uniform draw from `low, low+step, …, high` (exact)."""
    low, high, step = Fraction(low), Fraction(high), Fraction(step)
    count = int((high - low) / step)
    return low + step * rng.randint(0, count)


@dataclass(frozen=True)
class Given:
    """A given value in the unit it is shown in; `si` is the same value in the SI (base) unit."""

    value: Fraction
    unit: Unit

    @property
    def si(self) -> Fraction:
        return self.value * self.unit.to_si

    def __str__(self) -> str:
        return f"{fmt(self.value)} {self.unit.symbol}"


def given(rng: random.Random, units: Mapping[str, tuple[Any, Any, Any]], convert: bool) -> Given:
    """Draw a given: `units` maps a unit symbol to its (low, high, step) range, SI unit first.

    Without `convert` the first (SI) unit is used; with it, any of them, so the solver has to
    convert (72 km/h, 45 cm, 2.5 min).
    """
    symbols = list(units)
    symbol = rng.choice(symbols) if convert else symbols[0]
    return Given(pick(rng, *units[symbol]), unit(symbol))


def show(value: Real, significant: int = 5) -> str:
    """A number for a worked solution: exact if it terminates within 4 decimals, else `significant` figures.

    Intermediate values in a solution are shown, not used: the gold is always computed from the
    exact value, so an intermediate printed to 5 figures cannot make the reference disagree.
    """
    if isinstance(value, Fraction):
        try:
            text = fmt(value)
        except ValueError:
            text = ""
        if text and ("." not in text or len(text.split(".")[1]) <= 4):
            return text
    places = places_for(value, significant)
    text = f"{float(value):.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def best_unit(value_si: Real, symbols: tuple[str, ...]) -> tuple[Real, Unit]:
    """`value_si` in the largest of `symbols` (largest first) in which it is at least 1, else the smallest."""
    for symbol in symbols:
        candidate = unit(symbol)
        if abs(value_si) >= candidate.to_si:
            break
    scaled = value_si / candidate.to_si if isinstance(value_si, Fraction) else value_si / float(candidate.to_si)
    return scaled, candidate


# --------------------------------------------------------------------------------------- scenarios


@dataclass
class Scenario:
    """One drawn word problem before its answer instruction is attached.

    `value` is the answer in the unit `answer_unit` (or in dollars when `answer_unit` is None).
    """

    kind: str
    text: str
    what: str
    value: Real
    answer_unit: Unit | None
    solution: list[str]
    tags: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    places: int | None = None
    """Decimal places to round to; None derives them from the config's significant figures."""


Builder = Callable[[random.Random, "StemConfig"], Scenario]


class StemConfig(KindsConfig):
    """Fields shared by the STEM templates; each template lists its own `KINDS` and levels."""

    kinds: tuple[str, ...] = Field(("",), description="Sub-types of problem to draw from (see the template's KINDS).")
    convert_units: bool = Field(False, description="Show givens in non-SI units (km/h, cm, min, mL …) and ask in them.")
    significant: int = Field(3, ge=2, le=6, description="Significant figures the answer is rounded to (as decimal places).")


class StemTemplate(MathTemplate):
    """A STEM word problem with a physical-quantity answer; subclasses supply `BUILDERS` by kind."""

    BUILDERS: ClassVar[dict[str, Builder]] = {}
    TOPIC_TAG: ClassVar[str] = ""
    """Prefix of the per-kind tags, e.g. `math/physics/kinematics`."""

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, StemConfig)
        _, draft = draw_kind(rng, config, lambda kind: self._draft(self.BUILDERS[kind](rng, config), config),
                             attempts=MAX_DRAWS, what=f"acceptable {self.name} draw", rejects=(Reject, ZeroDivisionError))
        return draft

    def _draft(self, scenario: Scenario, config: StemConfig) -> Draft:
        places = scenario.places if scenario.places is not None else places_for(scenario.value, config.significant)
        rounded = round_places(scenario.value, places)
        if float(rounded) == 0 or float(scenario.value) <= 0:
            raise Reject("the answer rounds to zero or is not positive")
        precision = f"rounded to {places} decimal place{'s' if places != 1 else ''}" if places else "rounded to a whole number"
        if scenario.answer_unit is None:
            answer = G.decimal(rounded, places=places)
            instruction = f"Give {scenario.what} in dollars, {precision}, as a plain number without a currency sign."
            shown = f"${rounded}"
        else:
            u = scenario.answer_unit
            answer = G.quantity(G.decimal(rounded, places=places), unit=u.symbol)
            instruction = (
                f"Give {scenario.what} in {u.name} ({u.symbol}), {precision}. Write the number followed by its unit, "
                f"such as {3.25:.{places}f} {u.symbol}; an answer without a unit is not accepted."
            )
            shown = f"{rounded} {u.symbol}"
        solution = list(scenario.solution)
        solution.append(f"{precision[0].upper()}{precision[1:]}: {shown}.")
        prompt = f"{scenario.text}\n\n{instruction} {self.answer_format.instruction}"
        metadata: dict[str, Any] = {
            "kind": scenario.kind,
            "solution": solution,
            "exact_value": repr(float(scenario.value)) if isinstance(scenario.value, float) else str(scenario.value),
            "places": places,
            **scenario.extra,
        }
        tags = (f"{self.TOPIC_TAG}/{scenario.kind}", *scenario.tags)
        return Draft(prompt=prompt, answer=answer, metadata=metadata, tags=tags)
