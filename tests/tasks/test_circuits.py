"""Circuits: gold re-derived by nodal analysis / Kirchhoff's equations (numpy) from the prompt's text."""

from __future__ import annotations

import re

import numpy as np
import pint
import pytest

from vrgym.problem import Problem
from vrgym.tasks.math.circuits import notation, resistance
from tests.tasks.math_helpers import TemplateProbe

PROBE = TemplateProbe("Circuits")
TEMPLATE, LEVELS = PROBE.template, PROBE.levels
problems, score = PROBE.problems, PROBE.score
UREG = pint.UnitRegistry()
NUM = r"(\d+(?:\.\d+)?)"


def si(value: str, unit: str) -> float:
    return UREG.Quantity(float(value), unit).to_base_units().magnitude


def gold_si(problem: Problem) -> tuple[float, float]:
    """(gold in SI, or dollars; half a unit of its last place in the same unit)."""
    answer = problem.answer
    if answer["kind"] == "decimal":
        return float(answer["value"]), 0.5 * 10 ** -answer["places"]
    factor = UREG.Quantity(1, answer["unit"]).to_base_units().magnitude
    return float(answer["value"]["value"]) * factor, 0.5 * 10 ** -answer["value"]["places"] * factor


# ------------------------------------------------------------------------------ independent solvers


def parse_net(text: str):
    """`R1 + (R2 ∥ R3)` → nested ("series"/"parallel", [...]) by recursive descent."""
    tokens = re.findall(r"R\d+|\+|∥|\(|\)", text)

    def group(i: int):
        items, ops = [], set()
        while i < len(tokens) and tokens[i] != ")":
            if tokens[i] == "(":
                sub, i = group(i + 1)
                items.append(sub)
                i += 1
            elif tokens[i] in "+∥":
                ops.add(tokens[i])
                i += 1
            else:
                items.append(tokens[i])
                i += 1
        assert len(ops) <= 1
        return (("series" if ops == {"+"} else "parallel"), items) if len(items) > 1 else items[0], i

    return group(0)[0]


def nodal(net, values: dict[str, float], volts: float) -> tuple[float, dict[str, float]]:
    """Solve the network as a graph (Laplacian) with `volts` across it: total current, current per resistor."""
    edges: list[tuple[int, int, str]] = []
    count = [2]

    def place(node, a: int, b: int) -> None:
        if isinstance(node, str):
            edges.append((a, b, node))
        elif node[0] == "parallel":
            for child in node[1]:
                place(child, a, b)
        else:
            points = [a] + [count[0] + k for k in range(len(node[1]) - 1)] + [b]
            count[0] += len(node[1]) - 1
            for child, (p, q) in zip(node[1], zip(points, points[1:])):
                place(child, p, q)

    place(net, 0, 1)
    n = count[0]
    lap = np.zeros((n, n))
    for a, b, name in edges:
        g = 1 / values[name]
        lap[a, a] += g
        lap[b, b] += g
        lap[a, b] -= g
        lap[b, a] -= g
    potentials = np.zeros(n)
    potentials[0] = volts
    inner = list(range(2, n))
    if inner:
        rhs = -lap[np.ix_(inner, [0, 1])] @ potentials[[0, 1]]
        potentials[inner] = np.linalg.solve(lap[np.ix_(inner, inner)], rhs)
    flows = {name: abs(potentials[a] - potentials[b]) / values[name] for a, b, name in edges}
    total = sum((potentials[0] - potentials[b if a == 0 else a]) / values[name] for a, b, name in edges if 0 in (a, b))
    return total, flows


def expected(problem: Problem) -> float:
    kind, text = problem.metadata["kind"], problem.prompt.split("\n\n")[0]
    ohms = {name: si(v, u) for name, v, u in re.findall(rf"(R\d) = {NUM} (kΩ|Ω)", text)}
    volts = [float(v) for v in re.findall(rf"{NUM} V\b", text)]
    if kind == "ohms_law":
        r = [si(v, u) for v, u in re.findall(rf"{NUM} (kΩ|Ω)", text)]
        amps = [si(v, u) for v, u in re.findall(rf"{NUM} (mA|A)\b", text)]
        if "What current" in text:
            return volts[0] / r[0]
        return volts[0] / amps[0] if "resistance" in text else amps[0] * r[0]
    if kind == "power":
        r = [si(v, u) for v, u in re.findall(rf"{NUM} (kΩ|Ω)", text)]
        amps = [float(v) for v in re.findall(rf"{NUM} A\b", text)]
        if r and volts:
            return volts[0] ** 2 / r[0]
        return amps[0] ** 2 * r[0] if r else volts[0] * amps[0]
    if kind in ("energy", "energy_cost"):
        watts = float(re.search(rf"{NUM} W\b", text).group(1))
        if kind == "energy":
            return watts * float(re.search(rf"{NUM} min", text).group(1)) * 60
        hours, days = re.search(rf"{NUM} hours every day for (\d+) days", text).groups()
        price = float(re.search(rf"\${NUM} per kilowatt-hour", text).group(1))
        return watts / 1000 * float(hours) * int(days) * price
    if kind == "internal_resistance":
        emf, r_int, load = (float(x) for x in re.search(rf"EMF {NUM} V and internal resistance {NUM} Ω is connected to a {NUM} Ω", text).groups())
        i = emf / (r_int + load)
        return i if "What current" in text else (i * load if "terminals" in text else i * i * load)
    if kind == "kirchhoff":
        branches = re.findall(rf"ideal {NUM} V battery in series with R\d = {NUM} Ω; its positive terminal faces (A|B)", text)
        (e1, r1, f1), (e2, r2, f2) = branches
        r3 = float(re.search(rf"R3 = {NUM} Ω", text).group(1))
        s1, s2 = (1 if f1 == "A" else -1), (1 if f2 == "A" else -1)
        # unknowns i1, i2 (into A through branches 1, 2) and i3 (A to B through R3): KCL and two loop equations
        matrix = np.array([[1, 1, -1], [float(r1), 0, r3], [0, float(r2), r3]])
        i1, i2, i3 = np.linalg.solve(matrix, [0, s1 * float(e1), s2 * float(e2)])
        if "voltage across R3" in text:
            return abs(i3 * r3)
        return abs({"R1": i1, "R2": i2, "R3": i3}[re.search(r"current through (R\d)", text).group(1)])
    # series, parallel and shaped networks
    if kind in ("series", "parallel"):
        net = (kind, sorted(ohms))
    else:
        net = parse_net(re.search(r"connected as (.*?), where", text).group(1))
    total, flows = nodal(net, ohms, volts[0])
    if "equivalent resistance" in text:
        return volts[0] / total
    if "battery deliver" in text:
        return total
    target = re.search(r"(?:through|across|in) (R\d)\?", text).group(1)
    if "current flows through" in text:
        return flows[target]
    if "voltage across" in text:
        return flows[target] * ohms[target]
    return flows[target] ** 2 * ohms[target]


# ------------------------------------------------------------------------------ tests


def test_levels_and_tags() -> None:
    assert LEVELS == ["easy", "medium", "hard", "expert"]
    assert TEMPLATE.config().difficulty == "medium"
    assert "math/physics/circuits" in TEMPLATE.tags


@pytest.mark.parametrize("level", LEVELS)
def test_gold_matches_nodal_analysis_of_the_prompt(level: str) -> None:
    for problem in problems(level, 150):
        value, half = gold_si(problem)
        truth = expected(problem)
        assert abs(truth - value) <= half * (1 + 1e-9) + 1e-12, (problem.prompt, problem.answer, truth)


@pytest.mark.parametrize("level", LEVELS)
def test_reference_scores_one_after_json_round_trip(level: str) -> None:
    PROBE.assert_references_score_one(level, 15, seed=2)


def test_levels_change_the_circuit() -> None:
    kinds = {level: {p.metadata["kind"] for p in problems(level, 100)} for level in LEVELS}
    assert kinds["easy"] == {"ohms_law", "power", "energy"}
    assert kinds["medium"] == {"series", "parallel", "energy", "energy_cost"}
    assert kinds["hard"] == {"mixed_network", "internal_resistance"}
    assert kinds["expert"] == {"ladder_network", "kirchhoff"}
    assert any("kΩ" in p.prompt for p in problems("hard", 50))
    assert any(p.answer.get("unit") == "mA" for p in problems("hard", 80))
    assert all("∥" in p.prompt for p in problems("expert", 60) if p.metadata["kind"] == "ladder_network")


def test_network_helpers() -> None:
    from fractions import Fraction as F

    net = ("series", ("R1", ("parallel", ("R2", ("series", ("R3", "R4"))))))
    values = {"R1": F(2), "R2": F(6), "R3": F(1), "R4": F(2)}
    assert notation(net) == "R1 + (R2 ∥ (R3 + R4))"
    assert resistance(net, values) == F(2) + F(1, 1 / F(6) + 1 / F(3))
    assert parse_net(notation(net)) == ("series", ["R1", ("parallel", ["R2", ("series", ["R3", "R4"])])])


def test_money_answer_is_a_plain_number_in_dollars() -> None:
    problem = next(p for p in problems("medium", 100) if p.metadata["kind"] == "energy_cost")
    assert problem.answer["kind"] == "decimal" and problem.answer["places"] == 2
    assert "in dollars" in problem.prompt and "without a currency sign" in problem.prompt
    assert score(problem, f"\\boxed{{{problem.answer['value']}}}") == (1, "ok")
    wrong = f"{float(problem.answer['value']) + 0.01:.2f}"
    assert score(problem, f"\\boxed{{{wrong}}}")[0] == 0


@pytest.fixture(scope="module")
def milliamp_problem() -> Problem:
    return next(p for p in problems("hard", 200) if p.answer.get("unit") == "mA" and p.answer["value"]["places"] >= 1)


def test_current_in_other_units_scores_one(milliamp_problem: Problem) -> None:
    value = milliamp_problem.answer["value"]["value"]
    places = milliamp_problem.answer["value"]["places"]
    amps = f"{float(value) / 1000:.{places + 3}f}"
    for answer in (f"{value} mA", f"{value}\\text{{ mA}}", f"{amps} A", f"{value}\\,\\mathrm{{mA}}"):
        assert score(milliamp_problem, f"\\boxed{{{answer}}}") == (1, "ok"), answer


def test_wrong_dimension_missing_unit_and_hedges_score_zero(milliamp_problem: Problem) -> None:
    value = milliamp_problem.answer["value"]["value"]
    for answer in (f"\\boxed{{{value}}}", f"\\boxed{{{value} mV}}", f"\\boxed{{{value} A}}",
                   f"\\boxed{{{value} mA}} \\boxed{{{float(value) * 2} mA}}", f"\\boxed{{{value} mA or 1 A}}"):
        assert score(milliamp_problem, answer)[0] == 0, answer
