"""`Stoichiometry`: molar masses, moles and grams, reactions, solutions and gases at STP.

Why this template: stoichiometry is a chain of unit-carrying conversions (grams → moles →
moles of another species by the equation's ratio → grams, litres or mol/L), each easy alone and
easy to drop or invert in a chain. The answer is a quantity with a unit, so g vs mg, L vs mL and
mol vs mmol all matter and all convert.

The chemistry is bundled, not fetched: `ATOMIC_MASSES` (standard values to two decimals, and the
prompt states the ones the problem needs, so the answer is defined by the prompt alone) and
`EQUATIONS`, a list of balanced equations (balance is checked when the module loads). Molar
volume at STP is 22.4 L/mol, also stated whenever used.

Levels change the kind of problem:

* easy — one substance: molar mass, grams ↔ moles, concentration from moles and volume;
* medium — one reaction (mass of a product from a mass of reactant, gas volume at STP), mass
  concentration with mL, dilution;
* hard — two reactant masses (the limiting reagent decides; product mass or excess left over),
  actual mass from a percent yield;
* expert — multi-step chains: limiting reagent then yield, impure samples, titrations, and a
  gas volume turned into a product mass.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from vrgym.registry import register
from vrgym.tasks.math._stem import Given, Reject, Scenario, StemConfig, StemTemplate, fmt, pick, show, unit

ATOMIC_MASSES: dict[str, Fraction] = {
    symbol: Fraction(mass)
    for symbol, mass in (
        ("H", "1.01"), ("C", "12.01"), ("N", "14.01"), ("O", "16.00"), ("Na", "22.99"), ("Mg", "24.31"),
        ("Al", "26.98"), ("S", "32.07"), ("Cl", "35.45"), ("K", "39.10"), ("Ca", "40.08"), ("Fe", "55.85"),
        ("Cu", "63.55"), ("Zn", "65.38"),
    )
}
"""Atomic masses in g/mol used by every problem (and quoted in its prompt)."""

MOLAR_VOLUME = Fraction(224, 10)
"""L/mol of an ideal gas at STP, as the prompts state it."""

_TOKEN = re.compile(r"([A-Z][a-z]?|\(|\)|[0-9]+)")
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def composition(formula: str) -> dict[str, int]:
    """Atoms per formula unit: `Mg(OH)2` → {Mg: 1, O: 2, H: 2}; raises ValueError on a malformed formula."""
    stack: list[dict[str, int]] = [{}]
    tokens = _TOKEN.findall(formula)
    if "".join(tokens) != formula or not tokens or tokens[0].isdigit():
        raise ValueError(f"formula {formula!r} must be element symbols, counts and parentheses, such as Mg(OH)2")
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token == "(":
            stack.append({})
            continue
        count = 1
        if i < len(tokens) and tokens[i].isdigit():
            count, i = int(tokens[i]), i + 1
        if token == ")":
            if len(stack) == 1:
                raise ValueError(f"unbalanced parentheses in {formula!r}")
            for element, n in stack.pop().items():
                stack[-1][element] = stack[-1].get(element, 0) + n * count
        elif token in ATOMIC_MASSES:
            stack[-1][token] = stack[-1].get(token, 0) + count
        else:
            raise ValueError(f"unknown element or misplaced number {token!r} in {formula!r}")
    if len(stack) != 1:
        raise ValueError(f"unbalanced parentheses in {formula!r}")
    return stack[0]


def molar_mass(formula: str) -> Fraction:
    """Exact molar mass in g/mol from `ATOMIC_MASSES`."""
    return sum((ATOMIC_MASSES[e] * n for e, n in composition(formula).items()), Fraction(0))


def pretty(formula: str) -> str:
    """`H2SO4` → `H₂SO₄` for prompts."""
    return formula.translate(_SUBSCRIPTS)


@dataclass(frozen=True)
class Equation:
    """A balanced equation: (coefficient, formula, name) on each side."""

    reactants: tuple[tuple[int, str, str], ...]
    products: tuple[tuple[int, str, str], ...]
    gases: frozenset[str] = frozenset()

    def __str__(self) -> str:
        side = lambda terms: " + ".join(f"{c} {pretty(f)}" if c > 1 else pretty(f) for c, f, _ in terms)  # noqa: E731
        return f"{side(self.reactants)} → {side(self.products)}"

    def coefficient(self, formula: str) -> int:
        return next(c for c, f, _ in (*self.reactants, *self.products) if f == formula)

    def check_balanced(self) -> None:
        """Raise ValueError unless every element is conserved."""
        totals: dict[str, int] = {}
        for sign, terms in ((1, self.reactants), (-1, self.products)):
            for c, formula, _ in terms:
                for element, n in composition(formula).items():
                    totals[element] = totals.get(element, 0) + sign * c * n
        if any(totals.values()):
            raise ValueError(f"equation {self} is not balanced: {totals}")


def _eq(reactants: str, products: str, gases: str = "") -> Equation:
    def side(text: str) -> tuple[tuple[int, str, str], ...]:
        out = []
        for term in text.split(" + "):
            words = term.split(":")
            head, name = words[0].split(), words[1]
            out.append((int(head[0]), head[1], name) if len(head) == 2 else (1, head[0], name))
        return tuple(out)

    return Equation(side(reactants), side(products), frozenset(gases.split()))


EQUATIONS: tuple[Equation, ...] = (
    _eq("2 H2:hydrogen + O2:oxygen", "2 H2O:water", "H2 O2"),
    _eq("CH4:methane + 2 O2:oxygen", "CO2:carbon dioxide + 2 H2O:water", "CH4 O2 CO2"),
    _eq("C3H8:propane + 5 O2:oxygen", "3 CO2:carbon dioxide + 4 H2O:water", "C3H8 O2 CO2"),
    _eq("N2:nitrogen + 3 H2:hydrogen", "2 NH3:ammonia", "N2 H2 NH3"),
    _eq("2 Mg:magnesium + O2:oxygen", "2 MgO:magnesium oxide", "O2"),
    _eq("4 Fe:iron + 3 O2:oxygen", "2 Fe2O3:iron(III) oxide", "O2"),
    _eq("4 Al:aluminium + 3 O2:oxygen", "2 Al2O3:aluminium oxide", "O2"),
    _eq("CaCO3:calcium carbonate", "CaO:calcium oxide + CO2:carbon dioxide", "CO2"),
    _eq("2 KClO3:potassium chlorate", "2 KCl:potassium chloride + 3 O2:oxygen", "O2"),
    _eq("Zn:zinc + 2 HCl:hydrochloric acid", "ZnCl2:zinc chloride + H2:hydrogen", "H2"),
    _eq("Mg:magnesium + 2 HCl:hydrochloric acid", "MgCl2:magnesium chloride + H2:hydrogen", "H2"),
    _eq("2 Na:sodium + Cl2:chlorine", "2 NaCl:sodium chloride", "Cl2"),
    _eq("C6H12O6:glucose + 6 O2:oxygen", "6 CO2:carbon dioxide + 6 H2O:water", "O2 CO2"),
    _eq("2 C2H6:ethane + 7 O2:oxygen", "4 CO2:carbon dioxide + 6 H2O:water", "C2H6 O2 CO2"),
    _eq("Fe2O3:iron(III) oxide + 3 CO:carbon monoxide", "2 Fe:iron + 3 CO2:carbon dioxide", "CO CO2"),
    _eq("CuO:copper(II) oxide + H2:hydrogen", "Cu:copper + H2O:water", "H2"),
    _eq("2 H2O2:hydrogen peroxide", "2 H2O:water + O2:oxygen", "O2"),
    _eq("2 Al:aluminium + 6 HCl:hydrochloric acid", "2 AlCl3:aluminium chloride + 3 H2:hydrogen", "H2"),
    _eq("Na2CO3:sodium carbonate + 2 HCl:hydrochloric acid", "2 NaCl:sodium chloride + H2O:water + CO2:carbon dioxide", "CO2"),
    _eq("2 NaHCO3:sodium hydrogen carbonate", "Na2CO3:sodium carbonate + H2O:water + CO2:carbon dioxide", "CO2"),
)
"""Balanced equations the reaction problems draw from; `gases` lists species that are gases."""

for _equation in EQUATIONS:
    _equation.check_balanced()

COMPOUNDS = ("H2O", "CO2", "NaCl", "NH3", "CH4", "C6H12O6", "H2SO4", "CaCO3", "NaOH", "HCl", "Fe2O3", "Al2O3", "MgO",
             "C3H8", "KClO3", "Mg(OH)2", "Ca(OH)2", "Na2CO3", "NaHCO3", "CuSO4", "KCl", "ZnCl2", "C2H6O", "Al2(SO4)3")
"""Compounds for the one-substance problems."""

SOLUTES = (("NaCl", "sodium chloride"), ("NaOH", "sodium hydroxide"), ("KCl", "potassium chloride"),
           ("C6H12O6", "glucose"), ("CuSO4", "copper(II) sulfate"), ("Na2CO3", "sodium carbonate"))

ACID_BASE = (
    (("HCl", "hydrochloric acid", 1), ("NaOH", "sodium hydroxide", 1), "HCl + NaOH → NaCl + H₂O"),
    (("H2SO4", "sulfuric acid", 1), ("NaOH", "sodium hydroxide", 2), "H₂SO₄ + 2 NaOH → Na₂SO₄ + 2 H₂O"),
    (("HCl", "hydrochloric acid", 2), ("Ca(OH)2", "calcium hydroxide", 1), "2 HCl + Ca(OH)₂ → CaCl₂ + 2 H₂O"),
    (("H2SO4", "sulfuric acid", 1), ("KOH", "potassium hydroxide", 2), "H₂SO₄ + 2 KOH → K₂SO₄ + 2 H₂O"),
)
"""Neutralisations for titrations: (acid, base, equation) with coefficients."""


def _masses_note(*formulas: str) -> str:
    """The sentence quoting the atomic masses the problem needs, in the table's order."""
    elements = sorted({e for f in formulas for e in composition(f)}, key=list(ATOMIC_MASSES).index)
    return "Use the atomic masses " + ", ".join(f"{e} = {float(ATOMIC_MASSES[e]):.2f}" for e in elements) + " g/mol."


def _molar_step(formula: str) -> str:
    """The worked molar-mass line, e.g. `M(H₂O) = 2 × 1.01 + 16.00 = 18.02 g/mol`."""
    if len(composition(formula)) == 1 and sum(composition(formula).values()) == 1:
        return f"M({pretty(formula)}) = {fmt(molar_mass(formula))} g/mol."
    parts = " + ".join(f"{n} × {float(ATOMIC_MASSES[e]):.2f}" if n > 1 else f"{float(ATOMIC_MASSES[e]):.2f}"
                       for e, n in composition(formula).items())
    return f"M({pretty(formula)}) = {parts} = {fmt(molar_mass(formula))} g/mol."


def _mass(rng: random.Random, config: StemConfig, low: int = 2, high: int = 200) -> Given:
    """A weighed mass in g (in mg, 100-5000 mg, for some draws when units are mixed)."""
    if config.convert_units and rng.random() < 0.3:
        return Given(pick(rng, 100, 5000, 50), unit("mg"))
    return Given(pick(rng, low, high, Fraction(1, 2)), unit("g"))


# --------------------------------------------------------------------------------------- one substance


def molar_mass_problem(rng: random.Random, config: StemConfig) -> Scenario:
    formula = rng.choice(COMPOUNDS)
    mm = molar_mass(formula)
    return Scenario("molar_mass", f"What is the molar mass of {pretty(formula)}? {_masses_note(formula)}",
                    f"the molar mass of {pretty(formula)}", mm, unit("g/mol"), [_molar_step(formula)], places=2)


def grams_moles(rng: random.Random, config: StemConfig) -> Scenario:
    formula = rng.choice(COMPOUNDS)
    mm = molar_mass(formula)
    note = _masses_note(formula)
    if rng.random() < 0.5:
        m = _mass(rng, config)
        n = m.si / mm
        out = unit("mmol" if config.convert_units and n < Fraction(1, 10) else "mol")
        return Scenario("grams_to_moles", f"How many moles of {pretty(formula)} are in {m} of it? {note}",
                        f"the amount of {pretty(formula)}", n / out.to_si, out,
                        [_molar_step(formula), f"n = m / M = {fmt(m.si)} g / {fmt(mm)} g/mol = {show(n)} mol."],
                        tags=("math/chemistry/stoichiometry/moles",))
    n = Given(pick(rng, Fraction(1, 20), 5, Fraction(1, 20)), unit("mol"))
    m = n.si * mm
    out = unit("kg" if config.convert_units and m > 500 else "g")
    return Scenario("moles_to_grams", f"What is the mass of {n} of {pretty(formula)}? {note}",
                    f"the mass of {pretty(formula)}", m / out.to_si, out,
                    [_molar_step(formula), f"m = n M = {fmt(n.si)} × {fmt(mm)} = {show(m)} g."],
                    tags=("math/chemistry/stoichiometry/moles",))


def concentration(rng: random.Random, config: StemConfig) -> Scenario:
    formula, name = rng.choice(SOLUTES)
    mm = molar_mass(formula)
    volume = Given(pick(rng, 50, 2000, 50), unit("mL")) if config.convert_units else Given(pick(rng, Fraction(1, 4), 5, Fraction(1, 4)), unit("L"))
    if config.convert_units:
        m = _mass(rng, config, 1, 100)
        n = m.si / mm
        text = (f"{m} of {name} ({pretty(formula)}) is dissolved in water to make {volume} of solution. "
                f"What is the molar concentration of the solution? {_masses_note(formula)}")
        steps = [_molar_step(formula), f"n = {fmt(m.si)} / {fmt(mm)} = {show(n)} mol.", f"V = {fmt(volume.si)} L."]
    else:
        n = pick(rng, Fraction(1, 10), 3, Fraction(1, 10))
        text = (f"{fmt(n)} mol of {name} is dissolved in water to make {volume} of solution. "
                "What is the molar concentration of the solution?")
        steps = []
    c = n / volume.si
    return Scenario("concentration", text, "the concentration", c, unit("mol/L"),
                    [*steps, f"c = n / V = {show(n)} / {fmt(volume.si)} = {show(c)} mol/L."],
                    tags=("math/chemistry/solutions",))


def dilution(rng: random.Random, config: StemConfig) -> Scenario:
    formula, name = rng.choice(SOLUTES)
    c1 = pick(rng, Fraction(1, 2), 6, Fraction(1, 4))
    v1 = Given(pick(rng, 10, 250, 5), unit("mL"))
    c2 = c1 / rng.choice((2, 4, 5, 8, 10, Fraction(5, 2), 3, 6))
    try:
        fmt(c2)
    except ValueError:
        raise Reject("the diluted concentration is not a terminating decimal") from None
    v2 = c1 * v1.si / c2
    if rng.random() < 0.5:
        out = unit("mL")
        return Scenario("dilution",
                        f"{v1} of a {fmt(c1)} mol/L {name} solution is diluted with water to a concentration of {fmt(c2)} mol/L. "
                        "What is the final volume of the solution?", "the final volume", v2 / out.to_si, out,
                        [f"c₁V₁ = c₂V₂, so V₂ = {fmt(c1)} × {fmt(v1.si)} L / {fmt(c2)} = {show(v2)} L."],
                        tags=("math/chemistry/solutions",))
    out = unit("mL")
    water = v2 - v1.si
    return Scenario("dilution",
                    f"How much water must be added to {v1} of a {fmt(c1)} mol/L {name} solution to dilute it to {fmt(c2)} mol/L? "
                    "Assume the volumes add.", "the volume of water to add", water / out.to_si, out,
                    [f"c₁V₁ = c₂V₂, so V₂ = {fmt(c1)} × {fmt(v1.si)} L / {fmt(c2)} = {show(v2)} L.",
                     f"Water added: {show(v2)} - {fmt(v1.si)} = {show(water)} L."],
                    tags=("math/chemistry/solutions",))


# --------------------------------------------------------------------------------------- reactions


def _reaction(rng: random.Random, need_gas_product: bool = False) -> tuple[Equation, tuple[int, str, str], tuple[int, str, str]]:
    """An equation, a reactant that is not a gas (it is weighed), and a product (a gas if asked)."""
    equation = rng.choice(EQUATIONS)
    solids = [t for t in equation.reactants if t[1] not in equation.gases]
    products = [t for t in equation.products if (t[1] in equation.gases) == need_gas_product or not need_gas_product]
    if not solids or not products:
        raise Reject("this equation has no weighable reactant or no product of the kind asked")
    return equation, rng.choice(solids), rng.choice(products)


def mass_to_mass(rng: random.Random, config: StemConfig) -> Scenario:
    equation, (ca, a, name_a), (cb, b, name_b) = _reaction(rng)
    m = _mass(rng, config, 2, 100)
    ma, mb = molar_mass(a), molar_mass(b)
    n_a = m.si / ma
    n_b = n_a * Fraction(cb, ca)
    mass_b = n_b * mb
    out = unit("g")
    return Scenario(
        "mass_to_mass",
        f"For the reaction {equation}, {m} of {name_a} ({pretty(a)}) reacts completely with an excess of every other reactant. "
        f"What mass of {name_b} ({pretty(b)}) is produced? {_masses_note(a, b)}",
        f"the mass of {pretty(b)}", mass_b, out,
        [_molar_step(a), _molar_step(b), f"n({pretty(a)}) = {fmt(m.si)} / {fmt(ma)} = {show(n_a)} mol.",
         f"Mole ratio {pretty(b)} : {pretty(a)} = {cb} : {ca}, so n({pretty(b)}) = {show(n_b)} mol.",
         f"m({pretty(b)}) = {show(n_b)} × {fmt(mb)} = {show(mass_b)} g."],
        tags=("math/chemistry/stoichiometry/reaction",),
    )


def gas_volume(rng: random.Random, config: StemConfig) -> Scenario:
    equation, (ca, a, name_a), (cb, b, name_b) = _reaction(rng, need_gas_product=True)
    m = _mass(rng, config, 2, 100)
    ma = molar_mass(a)
    n_a = m.si / ma
    n_b = n_a * Fraction(cb, ca)
    volume = n_b * MOLAR_VOLUME
    out = unit("mL" if config.convert_units and volume < 1 else "L")
    return Scenario(
        "gas_volume",
        f"For the reaction {equation}, {m} of {name_a} ({pretty(a)}) reacts completely. What volume of {name_b} gas "
        f"({pretty(b)}) is produced at STP? Take the molar volume of a gas at STP as 22.4 L/mol. {_masses_note(a)}",
        f"the volume of {pretty(b)}", volume / out.to_si, out,
        [_molar_step(a), f"n({pretty(a)}) = {fmt(m.si)} / {fmt(ma)} = {show(n_a)} mol.",
         f"n({pretty(b)}) = {show(n_a)} × {cb}/{ca} = {show(n_b)} mol.", f"V = {show(n_b)} × 22.4 = {show(volume)} L."],
        tags=("math/chemistry/stoichiometry/gas",),
    )


def _two_reactants(rng: random.Random, config: StemConfig):
    equation = rng.choice([e for e in EQUATIONS if len(e.reactants) == 2])
    (ca, a, name_a), (cb, b, name_b) = equation.reactants
    product = rng.choice(equation.products)
    ma, mb = molar_mass(a), molar_mass(b)
    mass_a, mass_b = (Given(pick(rng, 2, 120, Fraction(1, 2)), unit("g")) for _ in range(2))
    runs_a, runs_b = mass_a.si / ma / ca, mass_b.si / mb / cb  # how many times the equation can run on each
    if runs_a == runs_b or abs(runs_a - runs_b) / max(runs_a, runs_b) < Fraction(1, 20):
        raise Reject("reactants too close to the exact ratio: the limiting reagent would be a rounding question")
    limiting = (ca, a, name_a, runs_a, mass_a) if runs_a < runs_b else (cb, b, name_b, runs_b, mass_b)
    excess = (cb, b, name_b, runs_b, mass_b) if runs_a < runs_b else (ca, a, name_a, runs_a, mass_a)
    text = (f"For the reaction {equation}, {mass_a} of {name_a} ({pretty(a)}) is mixed with {mass_b} of {name_b} ({pretty(b)}) "
            "and the reaction goes to completion.")
    steps = [_molar_step(a), _molar_step(b),
             f"n({pretty(a)}) / {ca} = {show(mass_a.si / ma)} / {ca} = {show(runs_a)}; "
             f"n({pretty(b)}) / {cb} = {show(mass_b.si / mb)} / {cb} = {show(runs_b)}.",
             f"The smaller value belongs to {pretty(limiting[1])}, the limiting reagent."]
    return equation, product, limiting, excess, text, steps


def limiting_reagent(rng: random.Random, config: StemConfig) -> Scenario:
    equation, (cp, p, name_p), limiting, excess, text, steps = _two_reactants(rng, config)
    runs = limiting[3]
    if rng.random() < 0.6:
        mp = molar_mass(p)
        mass = runs * cp * mp
        return Scenario("limiting_reagent", f"{text} What mass of {name_p} ({pretty(p)}) forms? {_masses_note(*(t[1] for t in equation.reactants), p)}",
                        f"the mass of {pretty(p)}", mass, unit("g"),
                        [*steps, _molar_step(p), f"n({pretty(p)}) = {show(runs)} × {cp} = {show(runs * cp)} mol; "
                         f"m = {show(runs * cp)} × {fmt(mp)} = {show(mass)} g."],
                        tags=("math/chemistry/stoichiometry/limiting_reagent",))
    ce, e, name_e, _, mass_e = excess
    used = runs * ce * molar_mass(e)
    left = mass_e.si - used
    return Scenario("limiting_reagent", f"{text} What mass of the reactant in excess is left over? "
                    f"{_masses_note(*(t[1] for t in equation.reactants))}",
                    "the mass of excess reactant left over", left, unit("g"),
                    [*steps, f"{pretty(e)} used: {show(runs)} × {ce} × {fmt(molar_mass(e))} = {show(used)} g.",
                     f"Left over: {fmt(mass_e.si)} - {show(used)} = {show(left)} g."],
                    tags=("math/chemistry/stoichiometry/limiting_reagent", "math/chemistry/stoichiometry/excess"))


def percent_yield(rng: random.Random, config: StemConfig) -> Scenario:
    scenario = mass_to_mass(rng, config)
    percent = pick(rng, 50, 98, 1)
    actual = scenario.value * percent / 100
    return Scenario("percent_yield", scenario.text.replace("What mass", f"The reaction has a {percent}% yield. What mass", 1)
                    .replace("is produced?", "is actually obtained?"),
                    f"{scenario.what} actually obtained", actual, scenario.answer_unit,
                    [*scenario.solution, f"Actual yield: {show(scenario.value)} × {percent}% = {show(actual)} g."],
                    tags=("math/chemistry/stoichiometry/yield",))


# --------------------------------------------------------------------------------------- chains


def limiting_then_yield(rng: random.Random, config: StemConfig) -> Scenario:
    equation, (cp, p, name_p), limiting, _, text, steps = _two_reactants(rng, config)
    percent = pick(rng, 50, 98, 1)
    mp = molar_mass(p)
    theoretical = limiting[3] * cp * mp
    actual = theoretical * percent / 100
    return Scenario("limiting_yield", f"{text} The percent yield is {percent}%. What mass of {name_p} ({pretty(p)}) is obtained? "
                    f"{_masses_note(*(t[1] for t in equation.reactants), p)}",
                    f"the mass of {pretty(p)} obtained", actual, unit("g"),
                    [*steps, _molar_step(p), f"Theoretical yield: {show(limiting[3] * cp)} mol × {fmt(mp)} = {show(theoretical)} g.",
                     f"Actual: {show(theoretical)} × {percent}% = {show(actual)} g."],
                    tags=("math/chemistry/stoichiometry/limiting_reagent", "math/chemistry/stoichiometry/yield"))


def impure_sample(rng: random.Random, config: StemConfig) -> Scenario:
    equation = rng.choice([e for e in EQUATIONS if len(e.reactants) == 1 and any(f in e.gases for _, f, _ in e.products)])
    (ca, a, name_a), = equation.reactants
    cb, b, name_b = next(t for t in equation.products if t[1] in equation.gases)
    sample = Given(pick(rng, 5, 200, Fraction(1, 2)), unit("g"))
    purity = pick(rng, 60, 99, 1)
    pure = sample.si * purity / 100
    n_b = pure / molar_mass(a) * Fraction(cb, ca)
    volume = n_b * MOLAR_VOLUME
    out = unit("mL" if config.convert_units and volume < 1 else "L")
    return Scenario("impure_sample",
                    f"A {sample} sample of impure {name_a} ({pretty(a)}) is {purity}% {pretty(a)} by mass; the impurities do not react. "
                    f"It decomposes completely as {equation}. What volume of {name_b} ({pretty(b)}) forms at STP? Take the molar "
                    f"volume of a gas at STP as 22.4 L/mol. {_masses_note(a)}",
                    f"the volume of {pretty(b)}", volume / out.to_si, out,
                    [f"Pure {pretty(a)}: {fmt(sample.si)} × {purity}% = {fmt(pure)} g.", _molar_step(a),
                     f"n({pretty(a)}) = {show(pure / molar_mass(a))} mol, n({pretty(b)}) = × {cb}/{ca} = {show(n_b)} mol.",
                     f"V = {show(n_b)} × 22.4 = {show(volume)} L."],
                    tags=("math/chemistry/stoichiometry/gas", "math/chemistry/stoichiometry/purity"))


def titration(rng: random.Random, config: StemConfig) -> Scenario:
    (acid, acid_name, ca), (base, base_name, cb), equation = rng.choice(ACID_BASE)
    v_acid = Given(pick(rng, 10, 50, 5), unit("mL"))
    c_acid = pick(rng, Fraction(5, 100), 2, Fraction(5, 100))
    c_base = pick(rng, Fraction(5, 100), 2, Fraction(5, 100))
    n_acid = c_acid * v_acid.si
    n_base = n_acid * Fraction(cb, ca)
    if rng.random() < 0.5:
        v_base = n_base / c_base
        out = unit("mL")
        return Scenario("titration",
                        f"In a titration, {v_acid} of {fmt(c_acid)} mol/L {acid_name} ({pretty(acid)}) is neutralised exactly by "
                        f"{fmt(c_base)} mol/L {base_name} ({pretty(base)}). The reaction is {equation}. What volume of the "
                        f"{base_name} solution is needed?", f"the volume of {base_name} solution", v_base / out.to_si, out,
                        [f"n(acid) = {fmt(c_acid)} × {fmt(v_acid.si)} L = {show(n_acid)} mol.",
                         f"n(base) = {show(n_acid)} × {cb}/{ca} = {show(n_base)} mol.",
                         f"V = n / c = {show(n_base)} / {fmt(c_base)} = {show(v_base)} L."],
                        tags=("math/chemistry/solutions/titration",))
    v_base = Given(pick(rng, 5, 60, Fraction(1, 2)), unit("mL"))
    n_base = c_base * v_base.si
    n_acid = n_base * Fraction(ca, cb)
    conc = n_acid / v_acid.si
    return Scenario("titration",
                    f"In a titration, {v_acid} of {acid_name} ({pretty(acid)}) of unknown concentration is neutralised exactly by "
                    f"{v_base} of {fmt(c_base)} mol/L {base_name} ({pretty(base)}). The reaction is {equation}. "
                    "What is the concentration of the acid?", "the concentration of the acid", conc, unit("mol/L"),
                    [f"n(base) = {fmt(c_base)} × {fmt(v_base.si)} L = {show(n_base)} mol.",
                     f"n(acid) = {show(n_base)} × {ca}/{cb} = {show(n_acid)} mol.",
                     f"c = {show(n_acid)} / {fmt(v_acid.si)} = {show(conc)} mol/L."],
                    tags=("math/chemistry/solutions/titration",))


def gas_to_mass(rng: random.Random, config: StemConfig) -> Scenario:
    equation = rng.choice([e for e in EQUATIONS if any(f in e.gases for _, f, _ in e.reactants)
                           and any(f not in e.gases for _, f, _ in e.products)])
    ca, a, name_a = rng.choice([t for t in equation.reactants if t[1] in equation.gases])
    cb, b, name_b = rng.choice([t for t in equation.products if t[1] not in equation.gases])
    volume = Given(pick(rng, 100, 5000, 50), unit("mL")) if config.convert_units else Given(pick(rng, Fraction(1, 2), 50, Fraction(1, 2)), unit("L"))
    n_a = volume.si / MOLAR_VOLUME
    n_b = n_a * Fraction(cb, ca)
    mass = n_b * molar_mass(b)
    return Scenario("gas_to_mass",
                    f"For the reaction {equation}, {volume} of {name_a} gas ({pretty(a)}), measured at STP, reacts completely with an "
                    f"excess of every other reactant. What mass of {name_b} ({pretty(b)}) forms? Take the molar volume of a gas at "
                    f"STP as 22.4 L/mol. {_masses_note(b)}",
                    f"the mass of {pretty(b)}", mass, unit("g"),
                    [f"n({pretty(a)}) = {fmt(volume.si)} / 22.4 = {show(n_a)} mol.",
                     f"n({pretty(b)}) = {show(n_a)} × {cb}/{ca} = {show(n_b)} mol.", _molar_step(b),
                     f"m = {show(n_b)} × {fmt(molar_mass(b))} = {show(mass)} g."],
                    tags=("math/chemistry/stoichiometry/gas",))


BUILDERS = {
    "molar_mass": molar_mass_problem,
    "grams_moles": grams_moles,
    "concentration": concentration,
    "mass_to_mass": mass_to_mass,
    "gas_volume": gas_volume,
    "dilution": dilution,
    "limiting_reagent": limiting_reagent,
    "percent_yield": percent_yield,
    "limiting_yield": limiting_then_yield,
    "impure_sample": impure_sample,
    "titration": titration,
    "gas_to_mass": gas_to_mass,
}


class StoichiometryConfig(StemConfig):
    """Which kinds of chemistry problem to draw, whether to mix mg/mL/mmol units, and the precision."""

    KINDS: ClassVar[tuple[str, ...]] = tuple(BUILDERS)
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("molar_mass", "grams_moles", "concentration"), convert_units=False),
        "medium": dict(kinds=("mass_to_mass", "gas_volume", "concentration", "dilution"), convert_units=True),
        "hard": dict(kinds=("limiting_reagent", "percent_yield", "dilution"), convert_units=True),
        "expert": dict(kinds=("limiting_yield", "impure_sample", "titration", "gas_to_mass"), convert_units=True, significant=4),
    }
    default_level: ClassVar[str | None] = "medium"


@register
class Stoichiometry(StemTemplate):
    """Chemistry calculations from molar masses to limiting reagents and titrations; answer with a unit."""

    name = "Stoichiometry"
    version = 0
    tags = ("math/chemistry", "math/chemistry/stoichiometry")
    description = "Molar mass, moles and grams, reactions, limiting reagent, yield, solutions, titration, gases at STP."
    Config = StoichiometryConfig
    BUILDERS = BUILDERS
    TOPIC_TAG = "math/chemistry"
