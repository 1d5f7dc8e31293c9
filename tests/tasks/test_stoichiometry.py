"""Stoichiometry: bundled chemistry checked against an independent atom count, gold re-derived from the prompt."""

from __future__ import annotations

import re
from collections import Counter

import pint
import pytest

from vrgym.problem import Problem
from vrgym.tasks.math.stoichiometry import ATOMIC_MASSES, COMPOUNDS, EQUATIONS, composition, molar_mass
from tests.tasks.math_helpers import TemplateProbe

PROBE = TemplateProbe("Stoichiometry")
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, score = PROBE.problems, PROBE.score
UREG = pint.UnitRegistry()
NUM = r"(\d+(?:\.\d+)?)"
SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
TEXTBOOK = {"H2O": 18.02, "CO2": 44.01, "NaCl": 58.44, "C6H12O6": 180.18, "H2SO4": 98.09, "CaCO3": 100.09,
            "Mg(OH)2": 58.33, "Al2(SO4)3": 342.17, "NH3": 17.04}


def atoms(formula: str) -> Counter:
    """Independent atom count: expand parentheses textually, then count element runs."""
    while "(" in formula:
        formula = re.sub(r"\(([A-Za-z0-9]+)\)(\d*)", lambda m: m.group(1) * int(m.group(2) or 1), formula)
    out: Counter = Counter()
    for element, count in re.findall(r"([A-Z][a-z]?)(\d*)", formula):
        out[element] += int(count or 1)
    return out


def mass_of(formula: str, table: dict[str, float]) -> float:
    return sum(table[e] * n for e, n in atoms(formula).items())


def stated_masses(text: str) -> dict[str, float]:
    found = re.search(r"Use the atomic masses (.*?) g/mol", text)
    return {e: float(v) for e, v in re.findall(rf"([A-Z][a-z]?) = {NUM}", found.group(1))} if found else {}


def parse_equation(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    body = re.search(r"(?:reaction(?: is)?|completely as) (.*?→.*?)(?:,|\. | What)", text).group(1).translate(SUB)

    def side(part: str) -> list[tuple[int, str]]:
        return [(int(m.group(1) or 1), m.group(2)) for m in (re.fullmatch(r"(?:(\d+) )?(\S+)", t.strip()) for t in part.split(" + "))]

    left, right = body.split("→")
    return side(left), side(right)


def gold_si(problem: Problem) -> tuple[float, float]:
    factor = UREG.Quantity(1, problem.answer["unit"]).to_base_units().magnitude
    value = problem.answer["value"]
    return float(value["value"]) * factor, 0.5 * 10 ** -value["places"] * factor


def as_si(value: float, unit: str) -> float:
    return UREG.Quantity(value, unit).to_base_units().magnitude


def expected(problem: Problem) -> float:
    """Independent solution from the prompt text alone, in SI units (kg, mol, m^3, mol/m^3)."""
    kind, text = problem.metadata["kind"], problem.prompt.split("\n\n")[0]
    table = stated_masses(text)
    formulas = [f.translate(SUB) for f in re.findall(r"\(([A-Za-z₀-₉()]+)\)", text) if not re.fullmatch("[IV]+", f)]
    masses = [as_si(float(v), u) * 1000 for v, u in re.findall(rf"{NUM} (mg|g)\b", text)]  # in grams
    if kind == "molar_mass":
        formula = re.search(r"molar mass of (\S+)\?", text).group(1).translate(SUB)
        return mass_of(formula, table) / 1000  # kg/mol
    if kind in ("grams_to_moles", "moles_to_grams"):
        formula = re.search(r"mol(?:es)? of (\S+?)(?: are in|\?)", text).group(1).translate(SUB)
        mm = mass_of(formula, table)
        if kind == "grams_to_moles":
            return masses[0] / mm
        return float(re.search(rf"{NUM} mol of", text).group(1)) * mm / 1000
    if kind == "concentration":
        litres = as_si(*[(float(v), u) for v, u in re.findall(rf"{NUM} (mL|L) of solution", text)][0]) * 1000
        moles = float(re.search(rf"^{NUM} mol", text).group(1)) if text[0].isdigit() and " mol of" in text else masses[0] / mass_of(formulas[0], table)
        return moles / litres * 1000
    if kind == "dilution":
        v1 = float(re.search(rf"{NUM} mL of", text).group(1))
        c1, c2 = (float(x) for x in re.findall(rf"{NUM} mol/L", text))
        v2 = c1 * v1 / c2
        return (v2 if "final volume" in text else v2 - v1) / 1e6
    if kind == "titration":
        (ca, acid), (cb, base) = parse_equation(text)[0]
        v_acid = float(re.search(rf"{NUM} mL of", text).group(1))
        if "What volume" in text:
            c_acid, c_base = (float(x) for x in re.findall(rf"{NUM} mol/L", text))
            return c_acid * v_acid * cb / ca / c_base / 1e6
        v_base = float(re.findall(rf"{NUM} mL of", text)[1])
        c_base = float(re.search(rf"{NUM} mol/L", text).group(1))
        return c_base * v_base * ca / cb / v_acid * 1000
    reactants, products = parse_equation(text)
    coefficient = {f: c for c, f in reactants + products}
    if kind in ("mass_to_mass", "gas_volume", "percent_yield", "impure_sample"):
        source, target = formulas[0], formulas[1]
        grams = masses[0]
        if kind == "impure_sample":
            grams *= float(re.search(r"is (\d+)% ", text).group(1)) / 100
        moles = grams / mass_of(source, table) * coefficient[target] / coefficient[source]
        if kind in ("gas_volume", "impure_sample"):
            return moles * 22.4 / 1000
        if kind == "percent_yield":
            moles *= float(re.search(r"has a (\d+)% yield", text).group(1)) / 100
        return moles * mass_of(target, table) / 1000
    if kind == "gas_to_mass":
        litres = as_si(*[(float(v), u) for v, u in re.findall(rf"{NUM} (mL|L) of", text)][0]) * 1000
        source, target = formulas[0], formulas[1]
        return litres / 22.4 * coefficient[target] / coefficient[source] * mass_of(target, table) / 1000
    # limiting reagent problems: two weighed reactants
    (ca, a), (cb, b) = reactants
    runs = min(masses[0] / mass_of(a, table) / ca, masses[1] / mass_of(b, table) / cb)
    if "left over" in text:
        excess, weighed, c = (b, masses[1], cb) if masses[0] / mass_of(a, table) / ca == runs else (a, masses[0], ca)
        return (weighed - runs * c * mass_of(excess, table)) / 1000
    product = formulas[2]
    grams = runs * coefficient[product] * mass_of(product, table)
    if "percent yield" in text:
        grams *= float(re.search(r"percent yield is (\d+)%", text).group(1)) / 100
    return grams / 1000


def test_bundled_chemistry_is_right() -> None:
    for formula, reference in TEXTBOOK.items():
        assert abs(float(molar_mass(formula)) - reference) < 0.02, formula
    for formula in COMPOUNDS:
        assert dict(atoms(formula)) == composition(formula), formula
    for equation in EQUATIONS:
        left, right = Counter(), Counter()
        for c, formula, _ in equation.reactants:
            left.update({e: c * n for e, n in atoms(formula).items()})
        for c, formula, _ in equation.products:
            right.update({e: c * n for e, n in atoms(formula).items()})
        assert left == right, str(equation)
    with pytest.raises(ValueError):
        composition("Xy2")
    with pytest.raises(ValueError):
        composition("Mg(OH2")


@pytest.mark.parametrize("level", LEVELS)
def test_gold_matches_an_independent_solution_from_the_prompt(level: str) -> None:
    for problem in problems(level, 120):
        text = problem.prompt
        for element, value in stated_masses(text).items():
            assert float(ATOMIC_MASSES[element]) == value  # the prompt states the table it was computed with
        value, half = gold_si(problem)
        truth = expected(problem)
        assert abs(truth - value) <= half * (1 + 1e-9) + 1e-15, (text, problem.answer, truth)


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    PROBE.assert_references_score_one(level, 15, seed=3)


def test_levels_change_the_chemistry() -> None:
    kinds = {level: {p.metadata["kind"] for p in problems(level, 150)} for level in LEVELS}
    assert kinds["easy"] == {"molar_mass", "grams_to_moles", "moles_to_grams", "concentration"}
    assert kinds["medium"] == {"mass_to_mass", "gas_volume", "concentration", "dilution"}
    assert kinds["hard"] == {"limiting_reagent", "percent_yield", "dilution"}
    assert kinds["expert"] == {"limiting_yield", "impure_sample", "titration", "gas_to_mass"}
    assert all("22.4 L/mol" in p.prompt for p in problems("medium", 80) if p.metadata["kind"] == "gas_volume")


@pytest.fixture(scope="module")
def gram_problem() -> Problem:
    return next(p for p in problems("medium", 200) if p.answer["unit"] == "g" and p.answer["value"]["places"] >= 1)


def test_equivalent_units_score_one(gram_problem: Problem) -> None:
    grams = gram_problem.answer["value"]["value"]
    places = gram_problem.answer["value"]["places"]
    for answer in (f"{grams} g", f"{grams}\\text{{ g}}", f"{float(grams) / 1000:.{places + 3}f} kg",
                   f"{float(grams) * 1000:.0f} mg", f"{grams}\\,\\mathrm{{g}}"):
        assert score(gram_problem, f"\\boxed{{{answer}}}") == (1, "ok"), answer


def test_wrong_units_and_near_misses_score_zero(gram_problem: Problem) -> None:
    grams = float(gram_problem.answer["value"]["value"])
    places = gram_problem.answer["value"]["places"]
    step = 10 ** -places
    for answer in (f"{grams}", f"{grams} mol", f"{grams} mg", f"{grams + step:.{places}f} g", f"{grams} L"):
        assert score(gram_problem, f"\\boxed{{{answer}}}")[0] == 0, answer
    assert score(gram_problem, f"\\boxed{{{grams} g}} or \\boxed{{{grams + 1} g}}") == (0, "hack:multiple_answers")
