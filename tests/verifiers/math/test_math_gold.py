"""Gold constructors: shapes, validation errors, JSON, canonical rendering; the package stays light."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest

from vrgym.verifiers.math import gold as G
from vrgym.verifiers.math import render_gold
from vrgym.verifiers.math.gold import GoldError


def test_documented_shapes() -> None:
    assert G.integer(42) == {"kind": "integer", "value": "42"}
    assert G.rational(Fraction(-3, 4)) == {"kind": "rational", "value": "-3/4"}
    assert G.rational(Fraction(8, 2)) == G.integer(4)
    assert G.decimal("3.14", places=2) == {"kind": "decimal", "value": "3.14", "places": 2}
    assert G.decimal(Fraction(1, 3), places=3)["value"] == "0.333"
    assert G.decimal(Fraction(-5, 8), places=2)["value"] == "-0.63"
    assert G.percent(Fraction(25)) == {"kind": "percent", "value": "25"}
    assert G.set([G.integer(3), G.integer(-2)]) == G.set([G.integer(-2), G.integer(3)])
    assert G.quantity(G.decimal("5.0", 1), "cm")["unit"] == "cm"


@pytest.mark.parametrize(
    "build",
    [
        lambda: G.integer(Fraction(1, 2)),
        lambda: G.integer(True),
        lambda: G.rational(0.5),
        lambda: G.rational("1/0"),
        lambda: G.decimal("3.14159", places=2),
        lambda: G.decimal("pi", places=2),
        lambda: G.expression(""),
        lambda: G.expression("x^2", form="tidy"),
        lambda: G.expression("x^2", form="expanded"),
        lambda: G.expression(r"\pm\sqrt{2}"),
        lambda: G.interval("x > 3"),
        lambda: G.set([42]),
        lambda: G.tuple([G.integer(1)]),
        lambda: G.tuple([G.integer(1), G.integer(2)], names=["x", "x"]),
        lambda: G.matrix([[G.integer(1)], [G.integer(1), G.integer(2)]]),
        lambda: G.equation("x + 1"),
        lambda: G.equation("x < 1 = y"),
        lambda: G.quantity(G.expression(r"\pi"), "m"),
        lambda: G.choice("E", ["A", "B"]),
        lambda: G.text(""),
    ],
)
def test_bad_golds_are_refused_with_a_reason(build) -> None:
    with pytest.raises(GoldError) as info:
        build()
    assert len(str(info.value)) > 15


def test_golds_are_json_and_render_deterministically() -> None:
    golds = [
        G.integer(-7), G.rational(Fraction(5, 29)), G.decimal("0.50", 2), G.percent(Fraction(1, 3)),
        G.expression(r"2\sqrt{3}"), G.interval(r"[1, 2) \cup (3, \infty)"),
        G.set([G.rational(Fraction(1, 2)), G.integer(-1), G.expression(r"\pi")]), G.set([]),
        G.tuple([G.integer(1), G.integer(2)], names=["x", "y"]), G.matrix([[G.integer(1), G.integer(0)], [G.integer(0), G.integer(1)]]),
        G.equation("y = 2x + 1"), G.quantity(G.rational(Fraction(3, 2)), "m/s^2"), G.choice("C", ["A", "B", "C"]),
        G.text("odd", aliases=["uneven"]),
    ]
    for gold in golds:
        assert json.loads(json.dumps(gold)) == gold
    rendered = [render_gold(g) for g in golds]
    assert rendered[:4] == ["-7", r"\frac{5}{29}", "0.50", r"\frac{1}{3}\%"]
    assert rendered[6] == r"\{-1, \frac{1}{2}, \pi\}"
    assert rendered[7] == r"\emptyset"
    assert rendered[9] == r"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}"
    assert render_gold(G.set([G.integer(2), G.integer(1)])) == render_gold(G.set([G.integer(1), G.integer(2)]))


def test_render_refuses_what_is_not_a_gold() -> None:
    with pytest.raises(ValueError, match="not a math gold"):
        render_gold({"kind": "vector"})


def test_importing_the_api_and_fast_checks_load_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from vrgym.verifiers.math import gold as G, check_math_answer, render_gold\n"
        "assert check_math_answer(G.rational(3/4 and '3/4'), '0.75').reward == 1\n"
        "assert check_math_answer(G.set([G.integer(1), G.integer(2)]), '\\\\{2, 1\\\\}').reward == 1\n"
        "heavy = [m for m in ('sympy', 'pint', 'math_verify', 'latex2sympy2_extended', 'antlr4') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
