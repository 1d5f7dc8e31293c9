"""Per-kind equivalence: every correct form a person writes scores 1, near misses score 0."""

from __future__ import annotations

from fractions import Fraction

import pytest

from vrgym.verifiers.math import check_math_answer, render_gold
from vrgym.verifiers.math import gold as G

F = Fraction

ACCEPTED = [
    (G.integer(6965), ["6965", "6,965", "6{,}965", r"6\,965", "6965.0", r"\text{6965}", "n = 6965", "+6965"]),
    (G.integer(-423), ["-423", "−423", r"\frac{-846}{2}", "x=-423"]),
    (G.integer(305), [r"305\text{ inches}", r"305^\circ", "305 cm", r"305\mbox{ cm}^2"]),
    (G.rational(F(3, 4)), ["3/4", r"\frac{3}{4}", r"\dfrac{3}{4}", r"\tfrac34", "0.75", r"\frac{6}{8}", ".75", r"75\%"]),
    (G.rational(F(-7, 3)), [r"-\frac{7}{3}", r"\frac{-7}{3}", "-7/3", r"-2\frac{1}{3}"[:0] + r"-\frac{14}{6}"]),
    (G.decimal("3.14", places=2), ["3.14", "3.140", "3.1416", r"\pi", "3.135"]),
    (G.percent(F(25)), ["25%", r"25\%", "25", "25 percent", r"\frac{50}{2}\%"]),
    (G.expression(r"2\sqrt{3}"), [r"\sqrt{12}", r"2\sqrt3"[:0] + r"2 \sqrt{3}", r"\frac{6}{\sqrt{3}}", r"\sqrt{3}\cdot 2", r"\sqrt{3} \times 2"]),
    (G.expression(r"\frac{\sqrt{2}}{2}"), [r"\sqrt{\frac{1}{2}}", r"\frac{1}{\sqrt{2}}", r"\frac{\sqrt2}{2}", r"\sqrt{0.5}", r"2^{-1/2}"]),
    (G.expression(r"3\sqrt{2}"), [r"\sqrt23", r"\sqrt{18}", r"\frac{6}{\sqrt{2}}", r"(3)(\sqrt{2})"]),
    (G.expression(r"\frac{\pi}{2}"), [r"\pi/2", r"\dfrac{\pi}{2}", r"0.5\pi", r"\frac{1}{2}\pi"]),
    (G.expression(r"\sqrt[3]{2}"), [r"2^{1/3}", r"\sqrt[3]{2}", r"2^{\frac{1}{3}}"]),
    (G.expression(r"e^{2}"), [r"\mathrm{e}^{2}", r"e^2", r"e\cdot e"]),
    (G.expression("x^{2}-1", variables=["x"]), ["(x-1)(x+1)", "x^2 - 1", "-1 + x^{2}"]),
    (G.expression("x^{2}+2x+1", variables=["x"], form="expanded"), ["x^2+2x+1", "1 + 2x + x^{2}"]),
    (G.expression("(x+1)^{2}(x-3)", variables=["x"], form="factored"), ["(x+1)^2(x-3)", "(x-3)(1+x)^{2}", "(x+1)(x+1)(x-3)"]),
    (G.interval(r"(-\infty, 3]"), [r"(-\infty,3]", r"\left(-\infty, 3\right]", r"(-\infty , 3 ]"]),
    (G.interval(r"(-\infty, -1) \cup [2, \infty)"), [r"[2,\infty)\cup(-\infty,-1)", r"(-\infty,-1) \cup [2,+\infty)"]),
    (G.interval(r"[\sqrt{2}, 4)"), [r"[\sqrt{2},4)", r"[2^{1/2}, 4)"]),
    (G.set([G.integer(-2), G.integer(3)]), [r"\{-2, 3\}", r"\{3,-2\}", "-2, 3", r"\left\{ 3, -2 \right\}"]),
    (G.set([]), [r"\emptyset", r"\varnothing", r"\{\}"]),
    (G.set([G.expression(r"\sqrt{2}"), G.expression(r"-\sqrt{2}")]), [r"\{\sqrt{2}, -\sqrt{2}\}", r"\{-\sqrt2, 2^{1/2}\}"]),
    (G.tuple([G.integer(1), G.rational(F(1, 2))]), ["(1, 1/2)", r"\left(1, \frac{1}{2}\right)", "(1, 0.5)"]),
    (G.tuple([G.integer(1), G.integer(2)], names=["x", "y"]), ["(1, 2)", "x = 1, y = 2", "y=2, x=1"]),
    (G.matrix([[G.integer(1), G.integer(2)], [G.integer(3), G.integer(4)]]), [
        r"\begin{pmatrix}1&2\\3&4\end{pmatrix}", r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}",
        r"\left[\begin{array}{cc}1 & 2\\ 3 & 4\end{array}\right]", r"\begin{pmatrix}1&2\\3&\frac{8}{2}\\\end{pmatrix}",
    ]),
    (G.equation("y = 2x + 1"), ["y=2x+1", "2x - y + 1 = 0", "y - 2x = 1", "2x+1=y", "2y = 4x + 2", "2x+1"]),
    (G.equation("x = 3"), ["x=3", "3", "3 = x", "2x = 6"]),
    (G.quantity(G.decimal("5.0", places=1), unit="cm"), ["5.0 cm", "50 mm", r"5\text{ cm}", r"0.05\,\mathrm{m}", "5.04 cm"]),
    (G.quantity(G.integer(72), unit="km/h"), ["72 km/h", r"20\text{ m/s}", r"72\ \mathrm{km/h}"]),
    (G.choice("B", options=["A", "B", "C", "D"]), ["B", "(B)", r"\text{(B)}", r"\textbf{B}", "b", "B."]),
    (G.text("north", aliases=["n"]), ["north", "North", r"\text{North}", " NORTH ", "n", r"\textbf{north}."]),
]

REJECTED = [
    (G.integer(6965), ["6966", "6,96,5", "69650", "6.965", r"6965\%", "6965i"]),
    (G.integer(40362), ["40361", "40363"]),
    (G.integer(5), ["500", "0.05", r"5\%"]),
    (G.rational(F(1, 3)), ["0.333", "0.3333333333", "1/4"]),
    (G.decimal("3.14", places=2), ["3.1", "3.15", "3.146", "3"]),
    (G.percent(F(25)), ["0.25", "26%", r"\frac{1}{4}"]),
    (G.expression(r"\pi"), ["3.14", "3.14159265358979", r"\frac{22}{7}"]),
    (G.expression(r"\sqrt[3]{2}"), [r"\sqrt{2}", r"2^{1/2}"]),
    (G.expression(r"2\sqrt{3}"), [r"3\sqrt{2}", r"\sqrt{6}", "3.4641016", r"-2\sqrt{3}", r"\sqrt{3}", r"2\sqrt{3}+0.0001"]),
    (G.integer(2), [r"\sqrt{2}", r"\sqrt{5}", r"\frac{4}{\sqrt{2}}"]),
    (G.expression("x^{2}-1", variables=["x"]), ["x^2+1", "(x-1)^2", "y^2-1"]),
    (G.expression("x^{2}+2x+1", variables=["x"], form="expanded"), ["(x+1)^2", "(x+1)(x+1)", "x^2+2x+2"]),
    (G.expression("(x+1)^{2}(x-3)", variables=["x"], form="factored"), ["x^3-x^2-5x-3", "(x^2+2x+1)(x-3)"]),
    (G.interval("[2, 5)"), ["[2,5]", "(2,5)", "(2,5]", "[2,6)", r"\{2,5\}", "2, 5", r"[2,5) \cup [7,8]"]),
    (G.interval(r"(-\infty, 3]"), [r"(-\infty, 3)", r"[3, \infty)", r"(\infty, 3]"]),
    (G.set([G.integer(-2), G.integer(3)]), [r"\{-2\}", r"\{-2, 3, 4\}", "3", r"\emptyset", "(-2, 3)", "[-2, 3]"]),
    (G.set([]), [r"\{0\}", "0"]),
    (G.tuple([G.integer(1), G.integer(2)]), ["(2, 1)", "(1, 2, 3)", r"\{1, 2\}", "1"]),
    (G.tuple([G.integer(1), G.integer(2)], names=["x", "y"]), ["x=2, y=1", "x=1, x=2"]),
    (G.matrix([[G.integer(1), G.integer(2)], [G.integer(3), G.integer(4)]]), [
        r"\begin{pmatrix}1&3\\2&4\end{pmatrix}", r"\begin{pmatrix}1&2\end{pmatrix}", r"\begin{vmatrix}1&2\\3&4\end{vmatrix}", "[[1,2],[3,4]]",
    ]),
    (G.equation("y = 2x + 1"), ["y = 2x - 1", "y = x + 1", "y^2 = (2x+1)^2", "0 = 0", "y"]),
    (G.equation("x = 3"), ["x = -3", "y = 3", "4"]),
    (G.quantity(G.decimal("5.0", places=1), unit="cm"), ["5.0", "5.0 s", "5.2 cm", "50 cm", "5.0 kg"]),
    (G.choice("B", options=["A", "B", "C", "D"]), ["A", "E", "B or C", "BC", "(B) and (C)"]),
    (G.text("north", aliases=["n"]), ["south", "north or south", "northeast", "no"]),
]


@pytest.mark.parametrize(("gold", "answer"), [(g, a) for g, answers in ACCEPTED for a in answers])
def test_accepted(gold: dict, answer: str) -> None:
    verdict = check_math_answer(gold, answer)
    assert verdict.reward == 1, f"{answer!r} for {render_gold(gold)!r}: {verdict.reason} {verdict.detail}"


@pytest.mark.parametrize(("gold", "answer"), [(g, a) for g, answers in REJECTED for a in answers])
def test_rejected(gold: dict, answer: str) -> None:
    verdict = check_math_answer(gold, answer)
    assert verdict.reward == 0, f"{answer!r} for {render_gold(gold)!r} scored 1"


@pytest.mark.parametrize("gold", [g for g, _ in ACCEPTED], ids=[g["kind"] for g, _ in ACCEPTED])
def test_every_gold_accepts_its_own_rendering(gold: dict) -> None:
    assert check_math_answer(gold, render_gold(gold)).reward == 1
