"""`Circuits`: DC circuit problems — Ohm's law, resistor networks, power, energy and Kirchhoff's laws.

Why this template: circuit problems chain a few exact laws (V = IR, P = VI, series and parallel
combination, current division, Kirchhoff's current law) in an order the solver must find, and
the answers are physical quantities in units that convert (mA and A, kΩ and Ω, kWh and kJ).

Levels change the kind of circuit:

* easy — one resistor: Ohm's law (any of V, I, R), power three ways, energy used;
* medium — two to four resistors all in series or all in parallel (equivalent resistance, a
  branch current, a voltage across one resistor), and an electricity bill in dollars;
* hard — mixed series-parallel networks written in a small notation (`R1 + (R2 ∥ R3)`),
  kilohm resistors and milliampere answers, and a battery with internal resistance;
* expert — deeper ladders (`R1 + (R2 ∥ (R3 + R4))`) and two-loop circuits with two batteries
  solved by Kirchhoff's laws.

Every value is exact: a network is a small tree evaluated with `Fraction`s, and the two-loop
circuit is solved by the node-voltage formula, also in `Fraction`s.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any, ClassVar, Union

from vrgym.registry import register
from vrgym.tasks.math._stem import Given, Reject, Scenario, StemConfig, StemTemplate, best_unit, fmt, pick, show, unit

_OHMS = (2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 20, 24, 30, 36, 40, 45, 60)
_KILO_OHMS = (100, 150, 200, 220, 300, 330, 470, 500, 680, 1000, 1200, 1500, 2000, 2200, 3300, 4700)
_VOLTS = (Fraction(3, 2), 3, Fraction(9, 2), 6, 9, 12, 18, 24, 36, 48)

Net = Union[str, tuple[str, tuple["Net", ...]]]
"""A resistor name ("R1"), or ("series" | "parallel", children)."""

SHAPES: dict[str, tuple[Net, ...]] = {
    "mixed": (
        ("series", ("R1", ("parallel", ("R2", "R3")))),
        ("parallel", (("series", ("R1", "R2")), "R3")),
        ("series", (("parallel", ("R1", "R2")), ("parallel", ("R3", "R4")))),
    ),
    "ladder": (
        ("series", ("R1", ("parallel", ("R2", ("series", ("R3", "R4")))))),
        ("parallel", (("series", ("R1", ("parallel", ("R2", "R3")))), "R4")),
        ("series", ("R1", ("parallel", (("series", ("R2", "R3")), "R4")), "R5")),
    ),
}
"""Network shapes by level kind; resistor names are numbered left to right as written."""


# --------------------------------------------------------------------------------------- networks


def resistance(net: Net, values: dict[str, Fraction]) -> Fraction:
    """Equivalent resistance of `net` (exact)."""
    if isinstance(net, str):
        return values[net]
    kind, children = net
    parts = [resistance(child, values) for child in children]
    return sum(parts, Fraction(0)) if kind == "series" else 1 / sum((1 / p for p in parts), Fraction(0))


def currents(net: Net, values: dict[str, Fraction], current: Fraction, out: dict[str, Fraction]) -> dict[str, Fraction]:
    """Fill `out` with the current through every resistor when `current` enters `net`."""
    if isinstance(net, str):
        out[net] = current
        return out
    kind, children = net
    voltage = current * resistance(net, values)
    for child in children:
        currents(child, values, current if kind == "series" else voltage / resistance(child, values), out)
    return out


def notation(net: Net, top: bool = True) -> str:
    """`R1 + (R2 ∥ R3)`: + joins in series, ∥ in parallel; parentheses around every sub-combination."""
    if isinstance(net, str):
        return net
    kind, children = net
    text = (" + " if kind == "series" else " ∥ ").join(notation(child, False) for child in children)
    return text if top else f"({text})"


def names(net: Net) -> list[str]:
    """Resistor names in the order they are written."""
    return [net] if isinstance(net, str) else [name for child in net[1] for name in names(child)]


def _ohms(rng: random.Random, kilo: bool) -> Given:
    """A resistor value, shown in kΩ when `kilo` and ≥ 1000 Ω."""
    value = Fraction(rng.choice(_KILO_OHMS if kilo else _OHMS))
    return Given(value / 1000, unit("kΩ")) if kilo and value >= 1000 else Given(value, unit("Ω"))


def _volts(rng: random.Random) -> Given:
    return Given(Fraction(rng.choice(_VOLTS)), unit("V"))


def _current_unit(value: Fraction, config: StemConfig) -> tuple[Fraction, Any]:
    """The current in mA when units are mixed and it is under 1 A, else in A."""
    return best_unit(value, ("A", "mA")) if config.convert_units else (value, unit("A"))


def _power_unit(value: Fraction, config: StemConfig) -> tuple[Fraction, Any]:
    """The power in mW when units are mixed and it is under 1 W, else in W."""
    return best_unit(value, ("W", "mW")) if config.convert_units else (value, unit("W"))


# --------------------------------------------------------------------------------------- one resistor


def ohms_law(rng: random.Random, config: StemConfig) -> Scenario:
    r, v = _ohms(rng, config.convert_units), _volts(rng)
    i = v.si / r.si
    ask = rng.choice(("current", "resistance", "voltage"))
    if ask == "current":
        value, out = _current_unit(i, config)
        return Scenario("ohms_law", f"A {v} battery is connected across a single {r} resistor. What current flows?",
                        "the current", value, out, [f"I = V / R = {fmt(v.si)} / {fmt(r.si)} = {show(i)} A."])
    current = Given(i * 1000, unit("mA")) if config.convert_units and i < 1 else Given(i, unit("A"))
    try:
        str(current)
    except ValueError:
        raise Reject("the current is not a terminating decimal") from None
    if ask == "resistance":
        return Scenario("ohms_law", f"A current of {current} flows through a resistor when {v} is applied across it. "
                        "What is its resistance?", "the resistance", r.si, unit("Ω"),
                        [f"R = V / I = {fmt(v.si)} / {fmt(i)} = {fmt(r.si)} Ω."])
    return Scenario("ohms_law", f"A current of {current} flows through a {r} resistor. What is the voltage across it?",
                    "the voltage", v.si, unit("V"), [f"V = I R = {fmt(i)} × {fmt(r.si)} = {fmt(v.si)} V."])


def power(rng: random.Random, config: StemConfig) -> Scenario:
    r, v = _ohms(rng, config.convert_units), _volts(rng)
    i = v.si / r.si
    p = v.si * i
    out = unit("W")
    ask = rng.choice(("vr", "ir", "vi"))
    if ask == "vr":
        return Scenario("power", f"A {r} resistor is connected to a {v} supply. How much power does it dissipate?",
                        "the power", p, out, [f"P = V² / R = {fmt(v.si)}² / {fmt(r.si)} = {show(p)} W."])
    try:
        current = Given(i, unit("A"))
        str(current)
    except ValueError:
        raise Reject("the current is not a terminating decimal") from None
    if ask == "ir":
        return Scenario("power", f"A current of {current} flows through a {r} resistor. What power does the resistor dissipate?",
                        "the power", p, out, [f"P = I² R = {fmt(i)}² × {fmt(r.si)} = {show(p)} W."])
    return Scenario("power", f"A lamp draws {current} from a {v} supply. What is its power?",
                    "the power", p, out, [f"P = V I = {fmt(v.si)} × {fmt(i)} = {show(p)} W."])


_APPLIANCES = (("kettle", 1500, 3000, 100), ("heater", 500, 2500, 250), ("television", 60, 300, 20),
               ("lamp", 5, 100, 5), ("fridge", 100, 400, 50), ("computer", 100, 600, 50))


def energy(rng: random.Random, config: StemConfig) -> Scenario:
    name, low, high, step = rng.choice(_APPLIANCES)
    p = Given(pick(rng, low, high, step), unit("W"))
    minutes = pick(rng, 5, 240, 5)
    t = Given(minutes, unit("min"))
    e = p.si * t.si
    out = unit(rng.choice(("kJ", "kWh")) if config.convert_units else "J")
    return Scenario("energy", f"A {p} {name} is switched on for {t}. How much electrical energy does it use?",
                    "the energy used", e / out.to_si, out,
                    [f"t = {fmt(minutes)} min = {fmt(t.si)} s.", f"E = P t = {fmt(p.si)} × {fmt(t.si)} = {fmt(e)} J."])


def energy_cost(rng: random.Random, config: StemConfig) -> Scenario:
    name, low, high, step = rng.choice(_APPLIANCES)
    p = Given(pick(rng, low, high, step), unit("W"))
    hours, days = pick(rng, Fraction(1, 2), 10, Fraction(1, 2)), rng.choice((7, 14, 30, 31, 90, 365))
    price = pick(rng, Fraction(8, 100), Fraction(40, 100), Fraction(1, 100))
    kwh = p.si / 1000 * hours * days
    cost = kwh * price
    return Scenario(
        "energy_cost",
        f"A {p} {name} runs for {fmt(hours)} hours every day for {days} days. Electricity costs ${fmt(price)} per kilowatt-hour. "
        "How much does the electricity it uses cost?",
        "the cost", cost, None,
        [f"Energy per day: {fmt(p.si / 1000)} kW × {fmt(hours)} h = {fmt(p.si / 1000 * hours)} kWh.",
         f"Over {days} days: {show(kwh)} kWh.", f"Cost: {show(kwh)} × {fmt(price)} = {show(cost)} dollars."],
        tags=("math/physics/circuits/cost",), places=2,
    )


# --------------------------------------------------------------------------------------- networks


def _network(rng: random.Random, config: StemConfig, kind: str, net: Net, describe: str) -> Scenario:
    kilo = config.convert_units
    given = {name: _ohms(rng, kilo) for name in names(net)}
    values = {name: g.si for name, g in given.items()}
    v = _volts(rng)
    total = resistance(net, values)
    i_total = v.si / total
    flows = currents(net, values, i_total, {})
    listing = ", ".join(f"{name} = {g}" for name, g in given.items())
    head = f"{describe} The resistances are {listing}. An ideal {v} battery is connected across the whole combination."
    steps = [f"Equivalent resistance: {notation(net)} = {show(total)} Ω.",
             f"Current from the battery: I = {fmt(v.si)} / {show(total)} = {show(i_total)} A."]
    target = rng.choice(names(net))
    ask = rng.choice(("total_resistance", "total_current", "current", "voltage", "power"))
    i_k, r_k = flows[target], values[target]
    if kind in ("series", "parallel") and ask == "power":
        ask = "voltage"
    if ask == "total_resistance":
        out = unit("kΩ") if kilo and total >= 1000 else unit("Ω")
        return Scenario(kind, f"{head} What is the equivalent resistance of the combination?",
                        "the equivalent resistance", total / out.to_si, out, steps[:1])
    if ask == "total_current":
        value, out = _current_unit(i_total, config)
        return Scenario(kind, f"{head} What current does the battery deliver?", "the current from the battery", value, out, steps)
    split = f"Current through {target}: {show(i_k)} A (from the series and parallel split)."
    if ask == "current":
        value, out = _current_unit(i_k, config)
        return Scenario(kind, f"{head} What current flows through {target}?", f"the current through {target}", value, out,
                        [*steps, split])
    if ask == "voltage":
        return Scenario(kind, f"{head} What is the voltage across {target}?", f"the voltage across {target}", i_k * r_k,
                        unit("V"), [*steps, split, f"V = I R = {show(i_k)} × {fmt(r_k)} = {show(i_k * r_k)} V."])
    value, out = _power_unit(i_k**2 * r_k, config)
    return Scenario(kind, f"{head} How much power is dissipated in {target}?", f"the power dissipated in {target}",
                    value, out, [*steps, split, f"P = I² R = {show(i_k)}² × {fmt(r_k)} = {show(i_k**2 * r_k)} W."])


def series(rng: random.Random, config: StemConfig) -> Scenario:
    count = rng.randint(2, 4)
    net: Net = ("series", tuple(f"R{k}" for k in range(1, count + 1)))
    return _network(rng, config, "series", net, f"{count} resistors, {', '.join(names(net))}, are connected in series.")


def parallel(rng: random.Random, config: StemConfig) -> Scenario:
    count = rng.randint(2, 3)
    net: Net = ("parallel", tuple(f"R{k}" for k in range(1, count + 1)))
    return _network(rng, config, "parallel", net, f"{count} resistors, {', '.join(names(net))}, are connected in parallel.")


def _shaped(kind: str):
    def build(rng: random.Random, config: StemConfig) -> Scenario:
        net = rng.choice(SHAPES[kind])
        return _network(rng, config, f"{kind}_network", net,
                        f"Resistors are connected as {notation(net)}, where + means in series and ∥ means in parallel.")
    build.__name__ = f"{kind}_network"
    build.__doc__ = f"A {kind} series-parallel network from `SHAPES[{kind!r}]`."
    return build


def internal_resistance(rng: random.Random, config: StemConfig) -> Scenario:
    emf = _volts(rng)
    r = Given(pick(rng, Fraction(1, 10), 2, Fraction(1, 10)), unit("Ω"))
    load = _ohms(rng, False)
    i = emf.si / (r.si + load.si)
    head = f"A battery with EMF {emf} and internal resistance {r} is connected to a {load} resistor."
    steps = [f"I = EMF / (R + r) = {fmt(emf.si)} / ({fmt(load.si)} + {fmt(r.si)}) = {show(i)} A."]
    ask = rng.choice(("current", "terminal", "power"))
    if ask == "current":
        value, out = _current_unit(i, config)
        return Scenario("internal_resistance", f"{head} What current flows?", "the current", value, out, steps)
    if ask == "terminal":
        return Scenario("internal_resistance", f"{head} What is the voltage across the battery's terminals?",
                        "the terminal voltage", i * load.si, unit("V"),
                        [*steps, f"Terminal voltage V = I R = {show(i)} × {fmt(load.si)} = {show(i * load.si)} V."])
    value, out = _power_unit(i**2 * load.si, config)
    return Scenario("internal_resistance", f"{head} How much power is delivered to the {load} resistor?",
                    "the power delivered to the resistor", value, out,
                    [*steps, f"P = I² R = {show(i)}² × {fmt(load.si)} = {show(i**2 * load.si)} W."])


def kirchhoff(rng: random.Random, config: StemConfig) -> Scenario:
    """Two batteries and three resistors between junctions A and B, solved by the node-voltage method."""
    e1, e2 = _volts(rng), _volts(rng)
    r1, r2, r3 = (Given(Fraction(rng.choice(_OHMS[:12])), unit("Ω")) for _ in range(3))
    s1, s2 = 1, rng.choice((1, -1))
    toward = {1: "A", -1: "B"}
    conductance = 1 / r1.si + 1 / r2.si + 1 / r3.si
    v = (s1 * e1.si / r1.si + s2 * e2.si / r2.si) / conductance
    i1, i2, i3 = (s1 * e1.si - v) / r1.si, (s2 * e2.si - v) / r2.si, v / r3.si
    if 0 in (i1, i2, i3):
        raise Reject("a branch carries no current")
    text = (
        "Two junctions, A and B, are joined by three branches. "
        f"Branch 1 is an ideal {e1} battery in series with R1 = {r1}; its positive terminal faces {toward[s1]}. "
        f"Branch 2 is an ideal {e2} battery in series with R2 = {r2}; its positive terminal faces {toward[s2]}. "
        f"Branch 3 is a single resistor R3 = {r3}."
    )
    def term(s: int, e: Given, r: Given) -> str:
        return f"{'+' if s > 0 else '-'} {fmt(e.si)}/{fmt(r.si)}"

    def sign(s: int, e: Given) -> str:
        return f"{'' if s > 0 else '-'}{fmt(e.si)}"

    steps = [
        "Let V be the potential of A relative to B; the current flowing into A from branch k is (±E_k - V) / R_k.",
        f"Kirchhoff's current law at A: ({sign(s1, e1)} - V)/{fmt(r1.si)} + ({sign(s2, e2)} - V)/{fmt(r2.si)} = V/{fmt(r3.si)}.",
        f"V = ({sign(s1, e1)}/{fmt(r1.si)} {term(s2, e2, r2)}) / (1/{fmt(r1.si)} + 1/{fmt(r2.si)} + 1/{fmt(r3.si)}) = {show(v)} V.",
    ]
    ask = rng.choice(("i3", "i1", "i2", "v3"))
    if ask == "v3":
        return Scenario("kirchhoff", f"{text} What is the magnitude of the voltage across R3?",
                        "the magnitude of the voltage across R3", abs(v), unit("V"), steps,
                        tags=("math/physics/circuits/two_loops",))
    current, label, formula = {
        "i1": (i1, "R1", f"({sign(s1, e1)} - V)/{fmt(r1.si)}"),
        "i2": (i2, "R2", f"({sign(s2, e2)} - V)/{fmt(r2.si)}"),
        "i3": (i3, "R3", f"V/{fmt(r3.si)}"),
    }[ask]
    value, out = _current_unit(abs(current), config)
    return Scenario("kirchhoff", f"{text} What is the magnitude of the current through {label}?",
                    f"the magnitude of the current through {label}", value, out,
                    [*steps, f"Current through {label}: {formula} = {show(current)} A; its magnitude is {show(abs(current))} A."],
                    tags=("math/physics/circuits/two_loops",))


BUILDERS = {
    "ohms_law": ohms_law,
    "power": power,
    "energy": energy,
    "energy_cost": energy_cost,
    "series": series,
    "parallel": parallel,
    "mixed_network": _shaped("mixed"),
    "ladder_network": _shaped("ladder"),
    "internal_resistance": internal_resistance,
    "kirchhoff": kirchhoff,
}


class CircuitsConfig(StemConfig):
    """Which kinds of circuit to draw, whether to mix kΩ/mA units, and the answer precision."""

    KINDS: ClassVar[tuple[str, ...]] = tuple(BUILDERS)
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("ohms_law", "power", "energy"), convert_units=False),
        "medium": dict(kinds=("series", "parallel", "energy_cost", "energy"), convert_units=False),
        "hard": dict(kinds=("mixed_network", "internal_resistance"), convert_units=True),
        "expert": dict(kinds=("ladder_network", "kirchhoff"), convert_units=True, significant=4),
    }
    default_level: ClassVar[str | None] = "medium"


@register
class Circuits(StemTemplate):
    """DC circuits from Ohm's law to two-loop Kirchhoff problems; the answer is a quantity with a unit."""

    name = "Circuits"
    version = 0
    tags = ("math/physics", "math/physics/circuits")
    description = "Ohm's law, series/parallel/mixed resistor networks, power, energy and cost, Kirchhoff's laws."
    Config = CircuitsConfig
    BUILDERS = BUILDERS
    TOPIC_TAG = "math/physics/circuits"
