"""`Geometry`: plane geometry with exact answers — integers, fractions, surds, multiples of π, lines.

Why this template: geometry chains facts (Pythagoras, then a circle through the vertices, then an
area), and an exact answer such as 5√2 or 16 − 4π tests both the chain and the algebra; a
decimal approximation is not accepted.

Levels change the kind of problem and the number of facts chained:

* easy — one fact with integer/rational answers: rectangle and triangle areas and perimeters,
  Pythagorean triples, distance between lattice points, midpoint, slope;
* medium — radicals and π appear: a hypotenuse or distance that is a surd, circle area and
  circumference, the line through two points (an equation), a triangle's area from coordinates;
* hard — two facts: an equilateral triangle's area or height, a square inscribed in a circle or a
  circle in a square, Heron's formula, the perpendicular bisector of a segment, the distance from a
  point to a line;
* expert — three facts: a shaded region (square minus its inscribed circle), the circumscribed
  circle of a right triangle, sectors and arcs, the inscribed circle of a right triangle, the tangent
  line to a circle at a point, the length of a chord.

Golds are exact: `G.integer`/`G.rational` for numbers, `G.expression` for surds and π (compared
symbolically by the verifier), `G.tuple` for a midpoint, `G.equation` for a line. Problems are built
backwards from Pythagorean triples and chosen coordinates, so nothing is approximated.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field

from vrgym.registry import register
from vrgym.tasks.math._kinds import KindsConfig, KindTemplate, Made
from vrgym.tasks.math._geometry_exact import (
    is_square,
    linear_latex,
    number_gold,
    pi_gold,
    pi_latex,
    show,
    slope_intercept_latex,
    sqrt_gold,
    surd_gold,
    surd_latex,
)
from vrgym.verifiers.math import gold as G

NUMBER = "Give the exact value as an integer or a fraction in lowest terms."
RADICAL = "Give the exact value, simplifying any square root (for example 5\\sqrt{2}, not \\sqrt{50} and not a decimal)."
PI = "Give the exact value in terms of \\pi (for example \\frac{49\\pi}{4} or 16 - 4\\pi), not a decimal."
LINE = "Give the equation of the line, for example y = 2x - 3 or 3x + 4y = 25."

TRIPLES = ((3, 4, 5), (5, 12, 13), (8, 15, 17), (7, 24, 25), (20, 21, 29), (9, 40, 41))
"""Primitive Pythagorean triples; scaled copies give integer right triangles."""


class GeometryConfig(KindsConfig):
    """Which kinds of geometry problem a level asks, and how large its lengths are."""

    KINDS: ClassVar[tuple[str, ...]] = (
        "rectangle", "triangle_area", "pythagoras", "distance", "midpoint", "slope",
        "hypotenuse_radical", "circle", "line_through", "shoelace",
        "equilateral", "inscribed", "heron", "perpendicular_bisector", "point_line_distance",
        "shaded", "circumcircle", "sector", "incircle", "tangent_line", "chord",
    )
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("rectangle", "triangle_area", "pythagoras", "distance", "midpoint", "slope"), size=1),
        "medium": dict(kinds=("hypotenuse_radical", "circle", "line_through", "shoelace"), size=2),
        "hard": dict(kinds=("equilateral", "inscribed", "heron", "perpendicular_bisector", "point_line_distance"), size=3),
        "expert": dict(kinds=("shaded", "circumcircle", "sector", "incircle", "tangent_line", "chord"), size=4),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = ("hypotenuse_radical", "circle", "line_through", "shoelace")
    size: int = Field(2, ge=1, le=4, description="Size of lengths and coordinates: 1 small .. 4 large.")


def _triple(rng: random.Random, size: int) -> tuple[int, int, int]:
    a, b, c = rng.choice(TRIPLES[: 2 + size])
    k = rng.randint(1, max(1, 4 - size // 2)) if c < 20 else 1
    a, b = (a, b) if rng.random() < 0.5 else (b, a)
    return k * a, k * b, k * c


def _point(rng: random.Random, size: int) -> tuple[int, int]:
    r = 4 + 3 * size
    return rng.randint(-r, r), rng.randint(-r, r)


def _distinct_points(rng: random.Random, size: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Two points differing in both coordinates (no vertical or horizontal segment)."""
    while True:
        p, q = _point(rng, size), _point(rng, size)
        if p[0] != q[0] and p[1] != q[1]:
            return p, q


def _pt(p: tuple[Any, Any]) -> str:
    return f"({show(p[0])}, {show(p[1])})"


# --------------------------------------------------------------------------------------- easy


def make_rectangle(rng: random.Random, config: GeometryConfig) -> Made:
    w, h = rng.randint(2, 8 * config.size + 4), rng.randint(2, 8 * config.size + 4)
    if rng.random() < 0.5:
        area = w * h
        return Made(
            f"A rectangle has area {area} square units and width {w} units. What is its perimeter, in units?",
            number_gold(2 * (w + h)), NUMBER, [f"length = {area} / {w} = {h}", f"perimeter = 2({w} + {h}) = {2 * (w + h)}"],
            data={"w": w, "h": h, "given": "area"},
        )
    return Made(
        f"A rectangle has perimeter {2 * (w + h)} units and width {w} units. What is its area, in square units?",
        number_gold(w * h), NUMBER, [f"length = {2 * (w + h)}/2 - {w} = {h}", f"area = {w}·{h} = {w * h}"],
        data={"w": w, "h": h, "given": "perimeter"},
    )


def make_triangle_area(rng: random.Random, config: GeometryConfig) -> Made:
    b, h = rng.randint(3, 10 * config.size + 5), rng.randint(3, 10 * config.size + 5)
    return Made(
        f"A triangle has a base of {b} units and a height (to that base) of {h} units. What is its area, in square units?",
        number_gold(Fraction(b * h, 2)), NUMBER, [f"area = ½·{b}·{h} = {show(Fraction(b * h, 2))}"], data={"b": b, "h": h},
    )


def make_pythagoras(rng: random.Random, config: GeometryConfig) -> Made:
    a, b, c = _triple(rng, config.size)
    if rng.random() < 0.5:
        return Made(
            f"A right triangle has legs of length {a} and {b}. How long is its hypotenuse?", number_gold(c), NUMBER,
            [f"c² = {a}² + {b}² = {c * c}", f"c = {c}"], data={"legs": [a, b]},
        )
    return Made(
        f"A right triangle has a hypotenuse of length {c} and one leg of length {a}. How long is the other leg?",
        number_gold(b), NUMBER, [f"b² = {c}² - {a}² = {b * b}", f"b = {b}"], data={"leg": a, "hypotenuse": c},
    )


def make_distance(rng: random.Random, config: GeometryConfig) -> Made:
    dx, dy, d = _triple(rng, config.size)
    p = _point(rng, config.size)
    q = (p[0] + rng.choice((-1, 1)) * dx, p[1] + rng.choice((-1, 1)) * dy)
    return Made(
        f"What is the distance between the points {_pt(p)} and {_pt(q)}?", number_gold(d), NUMBER,
        [f"Δx = {abs(dx)}, Δy = {abs(dy)}", f"d = √({dx}² + {dy}²) = √{d * d} = {d}"], data={"p": list(p), "q": list(q)},
    )


def make_midpoint(rng: random.Random, config: GeometryConfig) -> Made:
    p, q = _distinct_points(rng, config.size)
    m = (Fraction(p[0] + q[0], 2), Fraction(p[1] + q[1], 2))
    return Made(
        f"What is the midpoint of the segment from {_pt(p)} to {_pt(q)}?", G.tuple([number_gold(m[0]), number_gold(m[1])]),
        "Give the midpoint as an ordered pair (x, y) with exact coordinates, such as (3, -\\frac{1}{2}).",
        [f"x = ({p[0]} + {q[0]})/2 = {show(m[0])}", f"y = ({p[1]} + {q[1]})/2 = {show(m[1])}"],
        data={"p": list(p), "q": list(q)},
    )


def make_slope(rng: random.Random, config: GeometryConfig) -> Made:
    p, q = _distinct_points(rng, config.size)
    m = Fraction(q[1] - p[1], q[0] - p[0])
    return Made(
        f"What is the slope of the line through {_pt(p)} and {_pt(q)}?", number_gold(m), NUMBER,
        [f"m = ({q[1]} - ({p[1]})) / ({q[0]} - ({p[0]})) = {show(m)}"], data={"p": list(p), "q": list(q)},
    )


# --------------------------------------------------------------------------------------- medium


def make_hypotenuse_radical(rng: random.Random, config: GeometryConfig) -> Made:
    while True:
        a, b = rng.randint(1, 4 * config.size + 4), rng.randint(1, 4 * config.size + 4)
        if not is_square(a * a + b * b):
            break
    gold, latex = sqrt_gold(Fraction(a * a + b * b))
    if rng.random() < 0.5:
        question = f"A right triangle has legs of length {a} and {b}. What is the exact length of its hypotenuse?"
    else:
        question = f"What is the exact length of the diagonal of a {a} by {b} rectangle?"
    return Made(question, gold, RADICAL, [f"√({a}² + {b}²) = √{a * a + b * b} = {latex}"], data={"a": a, "b": b})


def make_circle(rng: random.Random, config: GeometryConfig) -> Made:
    r = Fraction(rng.randint(1, 5 * config.size + 5), rng.choice((1, 1, 2)))
    given = rng.choice(("radius", "diameter"))
    shown = r if given == "radius" else 2 * r
    if rng.random() < 0.5:
        value, what = r * r, "area"
        steps = [f"r = {show(r)}", f"A = πr² = {pi_latex(Fraction(0), value)}"]
    else:
        value, what = 2 * r, "circumference"
        steps = [f"r = {show(r)}", f"C = 2πr = {pi_latex(Fraction(0), value)}"]
    return Made(
        f"A circle has {given} {show(shown)}. What is its {what}?", pi_gold(Fraction(0), value), PI, steps,
        data={"r": show(r), "what": what},
    )


def make_line_through(rng: random.Random, config: GeometryConfig) -> Made:
    p, q = _distinct_points(rng, config.size)
    m = Fraction(q[1] - p[1], q[0] - p[0])
    c = p[1] - m * p[0]
    latex = slope_intercept_latex(m, c)
    return Made(
        f"Find the equation of the line through {_pt(p)} and {_pt(q)}.", G.equation(latex), LINE,
        [f"slope m = {show(m)}", f"intercept c = {p[1]} - ({show(m)})·({p[0]}) = {show(c)}", latex],
        data={"p": list(p), "q": list(q)},
    )


def shoelace(points: list[tuple[int, int]]) -> Fraction:
    """Area of a polygon with these vertices in order (shoelace formula)."""
    total = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]))
    return Fraction(abs(total), 2)


def make_shoelace(rng: random.Random, config: GeometryConfig) -> Made:
    while True:
        pts = [_point(rng, config.size) for _ in range(3)]
        area = shoelace(pts)
        if area:
            break
    (x1, y1), (x2, y2), (x3, y3) = pts
    return Made(
        f"What is the area of the triangle with vertices {_pt(pts[0])}, {_pt(pts[1])} and {_pt(pts[2])}?",
        number_gold(area), NUMBER,
        [f"½|x1(y2 - y3) + x2(y3 - y1) + x3(y1 - y2)| = ½|{x1 * (y2 - y3) + x2 * (y3 - y1) + x3 * (y1 - y2)}| = {show(area)}"],
        data={"points": [list(p) for p in pts]},
    )


# --------------------------------------------------------------------------------------- hard


def make_equilateral(rng: random.Random, config: GeometryConfig) -> Made:
    s = rng.randint(2, 6 * config.size)
    if rng.random() < 0.5:
        coef, what, formula = Fraction(s * s, 4), "area", f"(√3/4)·{s}²"
    else:
        coef, what, formula = Fraction(s, 2), "height", f"(√3/2)·{s}"
    return Made(
        f"An equilateral triangle has side length {s}. What is its exact {what}?", surd_gold(coef, 3), RADICAL,
        [f"The height splits it into two 30-60-90 triangles: h = (√3/2)·{s}", f"{what} = {formula} = {surd_latex(coef, 3)}"],
        data={"s": s, "what": what},
    )


def make_inscribed(rng: random.Random, config: GeometryConfig) -> Made:
    if rng.random() < 0.5:
        r = rng.randint(2, 4 * config.size)
        return Made(
            f"A square is inscribed in a circle of radius {r} (all four vertices on the circle). What is the area of the square?",
            number_gold(2 * r * r), NUMBER, [f"The square's diagonal is the diameter {2 * r}", f"area = d²/2 = {2 * r}²/2 = {2 * r * r}"],
            data={"r": r, "shape": "square_in_circle"},
        )
    s = rng.randint(2, 6 * config.size)
    value = Fraction(s * s, 4)
    return Made(
        f"A circle is inscribed in a square of side {s} (tangent to all four sides). What is the area of the circle?",
        pi_gold(Fraction(0), value), PI, [f"The circle's diameter is the side {s}, so r = {show(Fraction(s, 2))}", f"area = πr² = {pi_latex(Fraction(0), value)}"],
        data={"s": s, "shape": "circle_in_square"},
    )


def make_heron(rng: random.Random, config: GeometryConfig) -> Made:
    while True:
        a, b, c = sorted(rng.randint(3, 5 * config.size + 3) for _ in range(3))
        if a + b > c and len({a, b, c}) > 1:
            break
    p = a + b + c
    sixteen_a2 = p * (-a + b + c) * (a - b + c) * (a + b - c)
    gold, latex = sqrt_gold(Fraction(sixteen_a2, 16))
    s = Fraction(p, 2)
    return Made(
        f"A triangle has sides of length {a}, {b} and {c}. What is its exact area?", gold, RADICAL,
        [f"s = {show(s)}", f"Heron: A = √(s(s - a)(s - b)(s - c)) = √({show(s)}·{show(s - a)}·{show(s - b)}·{show(s - c)})",
         f"= √({show(Fraction(sixteen_a2, 16))}) = {latex}"], data={"sides": [a, b, c]},
    )


def make_perpendicular_bisector(rng: random.Random, config: GeometryConfig) -> Made:
    p, q = _distinct_points(rng, config.size)
    mx, my = Fraction(p[0] + q[0], 2), Fraction(p[1] + q[1], 2)
    dx, dy = q[0] - p[0], q[1] - p[1]
    latex = linear_latex(Fraction(dx), Fraction(dy), dx * mx + dy * my)  # points equidistant from p and q
    return Made(
        f"Find the equation of the perpendicular bisector of the segment from {_pt(p)} to {_pt(q)}.",
        G.equation(latex), LINE,
        [f"midpoint ({show(mx)}, {show(my)}); the segment's direction ({dx}, {dy}) is the bisector's normal",
         f"{dx}(x - {show(mx)}) + {dy}(y - {show(my)}) = 0, i.e. {latex}"], data={"p": list(p), "q": list(q)},
    )


def make_point_line_distance(rng: random.Random, config: GeometryConfig) -> Made:
    while True:
        a, b = rng.randint(1, 6), rng.randint(-6, 6)
        c = rng.randint(-10, 10)
        x0, y0 = _point(rng, config.size)
        top = abs(a * x0 + b * y0 - c)
        if b and top:
            break
    line = linear_latex(Fraction(a), Fraction(b), Fraction(c))
    gold, latex = sqrt_gold(Fraction(top * top, a * a + b * b))
    return Made(
        f"What is the distance from the point ({x0}, {y0}) to the line {line}?", gold, RADICAL,
        [f"|{a}·{x0} + ({b})·{y0} - ({c})| / √({a}² + {b}²) = {top}/√{a * a + b * b} = {latex}"],
        data={"point": [x0, y0], "line": [a, b, c]},
    )


# --------------------------------------------------------------------------------------- expert


def make_shaded(rng: random.Random, config: GeometryConfig) -> Made:
    s = 2 * rng.randint(1, 3 * config.size)
    return Made(
        f"A circle is inscribed in a square of side {s}. What is the area of the region inside the square but outside the circle?",
        pi_gold(Fraction(s * s), Fraction(-s * s, 4)), PI,
        [f"square: {s * s}", f"circle: r = {s // 2}, area {pi_latex(Fraction(0), Fraction(s * s, 4))}",
         f"difference: {pi_latex(Fraction(s * s), Fraction(-s * s, 4))}"], data={"s": s},
    )


def make_circumcircle(rng: random.Random, config: GeometryConfig) -> Made:
    a, b, c = _triple(rng, config.size)
    value = Fraction(c * c, 4)
    return Made(
        f"A right triangle has legs {a} and {b}. What is the area of the circle passing through its three vertices?",
        pi_gold(Fraction(0), value), PI,
        [f"hypotenuse √({a}² + {b}²) = {c}", "the hypotenuse is a diameter of the circumscribed circle (Thales)",
         f"r = {show(Fraction(c, 2))}, area = {pi_latex(Fraction(0), value)}"], data={"legs": [a, b]},
    )


def make_sector(rng: random.Random, config: GeometryConfig) -> Made:
    r = rng.randint(2, 4 * config.size)
    angle = rng.choice((30, 45, 60, 72, 90, 120, 135, 150, 240, 270))
    if rng.random() < 0.5:
        value, what = Fraction(angle, 360) * r * r, "area of the sector"
        steps = [f"area = ({angle}/360)·π·{r}² = {pi_latex(Fraction(0), value)}"]
    else:
        value, what = Fraction(angle, 360) * 2 * r, "length of the arc"
        steps = [f"arc = ({angle}/360)·2π·{r} = {pi_latex(Fraction(0), value)}"]
    return Made(
        f"A sector of a circle of radius {r} has a central angle of {angle}°. What is the {what}?",
        pi_gold(Fraction(0), value), PI, steps, data={"r": r, "angle": angle, "what": what},
    )


def make_incircle(rng: random.Random, config: GeometryConfig) -> Made:
    a, b, c = _triple(rng, config.size)
    r = Fraction(a + b - c, 2)
    return Made(
        f"A right triangle has legs {a} and {b}. What is the area of its inscribed circle (tangent to all three sides)?",
        pi_gold(Fraction(0), r * r), PI,
        [f"hypotenuse {c}", f"inradius r = (a + b - c)/2 = ({a} + {b} - {c})/2 = {show(r)}", f"area = πr² = {pi_latex(Fraction(0), r * r)}"],
        data={"legs": [a, b]},
    )


def make_tangent_line(rng: random.Random, config: GeometryConfig) -> Made:
    a, b, c = _triple(rng, config.size)
    x0, y0 = rng.choice((-1, 1)) * a, rng.choice((-1, 1)) * b
    h, k = _point(rng, 1)
    latex = linear_latex(Fraction(x0), Fraction(y0), x0 * (x0 + h) + y0 * (y0 + k))  # normal is the radius direction
    centre = " + ".join(f"({v} {'-' if shift > 0 else '+'} {abs(shift)})^2" if shift else f"{v}^2" for v, shift in (("x", h), ("y", k)))
    return Made(
        f"Find the equation of the line tangent to the circle {centre} = {c * c} at the point ({x0 + h}, {y0 + k}).",
        G.equation(latex), LINE,
        [f"centre ({h}, {k}); the radius to the point has direction ({x0}, {y0})",
         f"the tangent is perpendicular to it: {x0}(x - {x0 + h}) + {y0}(y - {y0 + k}) = 0, i.e. {latex}"],
        data={"centre": [h, k], "point": [x0 + h, y0 + k], "r2": c * c},
    )


def make_chord(rng: random.Random, config: GeometryConfig) -> Made:
    while True:
        r = rng.randint(3, 4 * config.size + 2)
        d = rng.randint(1, r - 1)
        if not is_square(r * r - d * d) or rng.random() < 0.3:
            break
    gold, latex = sqrt_gold(Fraction(4 * (r * r - d * d)))
    return Made(
        f"A chord of a circle of radius {r} is at distance {d} from the centre. How long is the chord?", gold, RADICAL,
        [f"half-chord √({r}² - {d}²) = √{r * r - d * d}", f"chord = 2√{r * r - d * d} = {latex}"], data={"r": r, "d": d},
    )


@register
class Geometry(KindTemplate):
    """Plane geometry with exact answers (numbers, surds, π, points and lines)."""

    name = "Geometry"
    version = 0
    tags = ("math/geometry",)
    description = "Areas, Pythagoras, coordinates, lines, circles, Heron, sectors, tangents: exact answers."
    Config = GeometryConfig
    kind_tag = "math/geometry"
    makers = {
        "rectangle": make_rectangle, "triangle_area": make_triangle_area, "pythagoras": make_pythagoras,
        "distance": make_distance, "midpoint": make_midpoint, "slope": make_slope,
        "hypotenuse_radical": make_hypotenuse_radical, "circle": make_circle, "line_through": make_line_through,
        "shoelace": make_shoelace, "equilateral": make_equilateral, "inscribed": make_inscribed, "heron": make_heron,
        "perpendicular_bisector": make_perpendicular_bisector, "point_line_distance": make_point_line_distance,
        "shaded": make_shaded, "circumcircle": make_circumcircle, "sector": make_sector, "incircle": make_incircle,
        "tangent_line": make_tangent_line, "chord": make_chord,
    }
