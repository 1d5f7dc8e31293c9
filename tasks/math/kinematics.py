"""`Kinematics`: constant-acceleration motion, free fall and projectiles, with units in the answer.

Why this template: kinematics word problems exercise choosing the right equation of motion,
converting units (km/h, cm, min) and keeping track of phases — and their answers are physical
quantities, so a model must state a unit, and the verifier converts it (0.5 km for 500 m is
right, a bare number is wrong).

Levels change the kind of problem, not only its numbers:

* easy — one phase, SI givens: final speed, distance under acceleration, time to reach a speed,
  uniform motion;
* medium — givens in mixed units (km/h, cm/s^2, min) and the answer asked in one of them; braking
  distance and deceleration (v² = u² + 2as), free fall from rest (time from a height needs a
  square root);
* hard — projectiles: horizontal launch from a height, launch at an angle on level ground
  (range, peak height, flight time), vertical throw;
* expert — two chained phases: accelerate then cruise, accelerate then brake, a throw from a
  cliff (a quadratic in t), a police car catching a speeder that passed earlier.

Gravity is g = 9.8 m/s^2, stated in every prompt that needs it. Every rational result is exact
(`Fraction`); square roots and sines are floats rounded well away from a boundary (see `_stem`).
"""

from __future__ import annotations

import math
import random
from fractions import Fraction
from typing import Any, ClassVar

from vrgym.registry import register
from vrgym.tasks.math._stem import Given, Reject, Scenario, StemConfig, StemTemplate, fmt, given, show, unit

G_EARTH = Fraction(49, 5)
"""g = 9.8 m/s^2, exact."""
_G_TEXT = "Use g = 9.8 m/s^2 and ignore air resistance."

_SPEED = {"m/s": (2, 30, 1), "km/h": (18, 108, 9)}
_SMALL_SPEED = {"m/s": (0, 15, 1), "km/h": (0, 54, 9)}
_ACCEL = {"m/s^2": (Fraction(1, 2), 6, Fraction(1, 2)), "cm/s^2": (50, 600, 25)}
_TIME = {"s": (2, 30, 1), "min": (Fraction(1, 4), 1, Fraction(1, 4))}
_HEIGHT = {"m": (5, 120, 1), "cm": (50, 900, 10)}


def _speed_unit(rng: random.Random, convert: bool) -> str:
    return rng.choice(("m/s", "km/h")) if convert else "m/s"


def _length_unit(rng: random.Random, convert: bool, big: bool = False) -> str:
    return rng.choice(("m", "km") if big else ("m", "cm")) if convert else "m"


# --------------------------------------------------------------------------------------- one phase


def final_speed(rng: random.Random, config: StemConfig) -> Scenario:
    u, a, t = given(rng, _SMALL_SPEED, config.convert_units), given(rng, _ACCEL, config.convert_units), given(rng, _TIME, config.convert_units)
    v = u.si + a.si * t.si
    start = "starts from rest" if u.value == 0 else f"is moving at {u}"
    out = unit(_speed_unit(rng, config.convert_units))
    return Scenario(
        "final_speed",
        f"A cyclist {start} and speeds up with a constant acceleration of {a} for {t}. How fast is the cyclist moving at the end?",
        "the final speed", v / out.to_si, out,
        [f"In SI units: u = {fmt(u.si)} m/s, a = {fmt(a.si)} m/s^2, t = {fmt(t.si)} s.",
         f"v = u + a t = {fmt(u.si)} + {fmt(a.si)} × {fmt(t.si)} = {show(v)} m/s."],
    )


def distance_accelerating(rng: random.Random, config: StemConfig) -> Scenario:
    u, a, t = given(rng, _SMALL_SPEED, config.convert_units), given(rng, _ACCEL, config.convert_units), given(rng, _TIME, config.convert_units)
    s = u.si * t.si + a.si * t.si**2 / 2
    start = "starts from rest" if u.value == 0 else f"passes a signpost at {u}"
    out = unit(_length_unit(rng, config.convert_units, big=s > 400))
    return Scenario(
        "distance_accelerating",
        f"A car {start} and accelerates uniformly at {a} for {t}. How far does it travel in that time"
        f"{' after the signpost' if u.value else ''}?",
        "the distance travelled", s / out.to_si, out,
        [f"In SI units: u = {fmt(u.si)} m/s, a = {fmt(a.si)} m/s^2, t = {fmt(t.si)} s.",
         f"s = u t + a t²/2 = {fmt(u.si)} × {fmt(t.si)} + {fmt(a.si)} × {fmt(t.si)}²/2 = {show(s)} m."],
    )


def time_to_speed(rng: random.Random, config: StemConfig) -> Scenario:
    u, a = given(rng, _SMALL_SPEED, config.convert_units), given(rng, _ACCEL, config.convert_units)
    v = given(rng, _SPEED, config.convert_units)
    if v.si <= u.si:
        raise Reject("the target speed must exceed the starting speed")
    t = (v.si - u.si) / a.si
    start = "from rest" if u.value == 0 else f"from {u}"
    return Scenario(
        "time_to_speed",
        f"A train accelerates uniformly {start} at {a}. How long does it take to reach {v}?",
        "the time", t, unit("s"),
        [f"In SI units: u = {fmt(u.si)} m/s, v = {show(v.si)} m/s, a = {fmt(a.si)} m/s^2.",
         f"t = (v - u) / a = {show(t)} s."],
    )


def uniform_motion(rng: random.Random, config: StemConfig) -> Scenario:
    v, t = given(rng, _SPEED, config.convert_units), given(rng, _TIME, config.convert_units)
    d = v.si * t.si
    if rng.random() < 0.5:
        out = unit(_length_unit(rng, config.convert_units, big=True))
        return Scenario(
            "uniform_motion",
            f"A runner keeps a steady speed of {v} for {t}. How far does the runner go?",
            "the distance", d / out.to_si, out,
            [f"In SI units: v = {show(v.si)} m/s, t = {fmt(t.si)} s.", f"d = v t = {show(d)} m."],
        )
    distance = Given(Fraction(round(float(d))), unit("m"))
    if distance.value <= 0:
        raise Reject("zero distance")
    time = distance.si / v.si
    out = unit("min" if config.convert_units and rng.random() < 0.5 else "s")
    return Scenario(
        "uniform_motion",
        f"A boat moves at a steady {v}. How long does it take to cover {distance}?",
        "the time", time / out.to_si, out,
        [f"In SI units: v = {show(v.si)} m/s.", f"t = d / v = {fmt(distance.si)} / {show(v.si)} = {show(time)} s."],
    )


# --------------------------------------------------------------------------------------- braking, free fall


def braking(rng: random.Random, config: StemConfig) -> Scenario:
    v = given(rng, _SPEED, config.convert_units)
    if rng.random() < 0.5:
        a = given(rng, _ACCEL, config.convert_units)
        s = v.si**2 / (2 * a.si)
        out = unit(_length_unit(rng, config.convert_units))
        return Scenario(
            "braking_distance",
            f"A driver travelling at {v} brakes with a constant deceleration of {a} until the car stops. "
            "How far does the car travel while braking?",
            "the braking distance", s / out.to_si, out,
            [f"In SI units: u = {show(v.si)} m/s, deceleration a = {fmt(a.si)} m/s^2, final speed 0.",
             f"From v² = u² - 2 a s: s = u² / (2a) = {show(v.si**2)} / {fmt(2 * a.si)} = {show(s)} m."],
            tags=("math/physics/kinematics/braking",),
        )
    s = given(rng, {"m": (10, 120, 1)}, False)
    a = v.si**2 / (2 * s.si)
    return Scenario(
        "braking_distance",
        f"A car travelling at {v} brakes uniformly and stops in a distance of {s}. What is the magnitude of its deceleration?",
        "the magnitude of the deceleration", a, unit("m/s^2"),
        [f"In SI units: u = {show(v.si)} m/s, s = {fmt(s.si)} m.",
         f"From 0 = u² - 2 a s: a = u² / (2s) = {show(v.si**2)} / {fmt(2 * s.si)} = {show(a)} m/s^2."],
        tags=("math/physics/kinematics/braking",),
    )


def free_fall(rng: random.Random, config: StemConfig) -> Scenario:
    h = given(rng, _HEIGHT, config.convert_units)
    if rng.random() < 0.5:
        t = math.sqrt(2 * h.si / G_EARTH)
        return Scenario(
            "free_fall",
            f"A stone is dropped from rest from a height of {h} above the ground. How long does it take to reach the ground? {_G_TEXT}",
            "the time of fall", t, unit("s"),
            [f"h = {fmt(h.si)} m; from h = g t²/2: t = √(2h/g) = √({show(2 * h.si / G_EARTH)}) ≈ {show(t)} s."],
            tags=("math/physics/kinematics/free_fall",),
        )
    v = math.sqrt(2 * G_EARTH * h.si)
    out = unit(_speed_unit(rng, config.convert_units))
    return Scenario(
        "free_fall",
        f"A ball is dropped from rest from a height of {h}. With what speed does it hit the ground? {_G_TEXT}",
        "the impact speed", v / float(out.to_si), out,
        [f"h = {fmt(h.si)} m; from v² = 2 g h: v = √(2 × 9.8 × {fmt(h.si)}) ≈ {show(v)} m/s."],
        tags=("math/physics/kinematics/free_fall",),
    )


# --------------------------------------------------------------------------------------- projectiles


def horizontal_launch(rng: random.Random, config: StemConfig) -> Scenario:
    v, h = given(rng, {"m/s": (2, 25, 1), "km/h": (9, 90, 9)}, config.convert_units), given(rng, _HEIGHT, config.convert_units)
    t = math.sqrt(2 * h.si / G_EARTH)
    x = float(v.si) * t
    return Scenario(
        "horizontal_launch",
        f"A ball rolls off the edge of a horizontal table-top cliff {h} high with a horizontal speed of {v}. "
        f"How far from the foot of the cliff does it land? {_G_TEXT}",
        "the horizontal distance", x, unit("m"),
        [f"Fall time from h = g t²/2: t = √(2 × {fmt(h.si)} / 9.8) ≈ {show(t)} s.",
         f"Horizontal distance x = v t = {show(v.si)} × {show(t)} ≈ {show(x)} m."],
        tags=("math/physics/kinematics/projectile",),
    )


def angled_launch(rng: random.Random, config: StemConfig) -> Scenario:
    v = given(rng, {"m/s": (8, 40, 1), "km/h": (36, 144, 18)}, config.convert_units)
    angle = rng.choice([15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75])
    theta, speed = math.radians(angle), float(v.si)
    ask = rng.choice(("range", "height", "time"))
    head = (f"A ball is kicked from level ground at {v} at an angle of {angle}° above the horizontal. "
            f"It lands back on the same level. ")
    given_line = f"u = {show(v.si)} m/s, θ = {angle}°."
    if ask == "range":
        r = speed**2 * math.sin(2 * theta) / float(G_EARTH)
        return Scenario("projectile_range", head + f"How far from the launch point does it land? {_G_TEXT}",
                        "the horizontal range", r, unit("m"),
                        [given_line, f"R = u² sin(2θ) / g = {show(v.si**2)} × sin({2 * angle}°) / 9.8 ≈ {show(r)} m."],
                        tags=("math/physics/kinematics/projectile",))
    if ask == "height":
        hmax = (speed * math.sin(theta)) ** 2 / (2 * float(G_EARTH))
        return Scenario("projectile_range", head + f"What maximum height above the ground does it reach? {_G_TEXT}",
                        "the maximum height", hmax, unit("m"),
                        [given_line, f"Vertical launch speed u sin θ ≈ {show(speed * math.sin(theta))} m/s.",
                         f"H = (u sin θ)² / (2g) ≈ {show(hmax)} m."],
                        tags=("math/physics/kinematics/projectile",))
    flight = 2 * speed * math.sin(theta) / float(G_EARTH)
    return Scenario("projectile_range", head + f"How long is it in the air? {_G_TEXT}",
                    "the time of flight", flight, unit("s"),
                    [given_line, f"T = 2 u sin θ / g = 2 × {show(v.si)} × sin({angle}°) / 9.8 ≈ {show(flight)} s."],
                    tags=("math/physics/kinematics/projectile",))


def vertical_throw(rng: random.Random, config: StemConfig) -> Scenario:
    u = given(rng, {"m/s": (5, 35, 1), "km/h": (18, 108, 9)}, config.convert_units)
    if rng.random() < 0.5:
        h = u.si**2 / (2 * G_EARTH)
        return Scenario("vertical_throw", f"A ball is thrown straight up at {u}. How high above the launch point does it rise? {_G_TEXT}",
                        "the maximum height", h, unit(_length_unit(rng, False)),
                        [f"u = {show(u.si)} m/s; at the top v = 0, so H = u² / (2g) = {show(u.si**2)} / 19.6 = {show(h)} m."],
                        tags=("math/physics/kinematics/vertical_throw",))
    t = 2 * u.si / G_EARTH
    return Scenario("vertical_throw", f"A ball is thrown straight up at {u} and caught at the same height. "
                    f"How long is it in the air? {_G_TEXT}",
                    "the time in the air", t, unit("s"),
                    [f"u = {show(u.si)} m/s; time up = u/g, and the same time down: T = 2u/g = {show(2 * u.si)} / 9.8 = {show(t)} s."],
                    tags=("math/physics/kinematics/vertical_throw",))


# --------------------------------------------------------------------------------------- two phases


def accelerate_then_cruise(rng: random.Random, config: StemConfig) -> Scenario:
    a, t1, t2 = given(rng, _ACCEL, config.convert_units), given(rng, _TIME, False), given(rng, _TIME, config.convert_units)
    v = a.si * t1.si
    s1, s2 = a.si * t1.si**2 / 2, v * t2.si
    total = s1 + s2
    out = unit(_length_unit(rng, config.convert_units, big=True))
    return Scenario(
        "two_phase_cruise",
        f"A car starts from rest and accelerates uniformly at {a} for {t1}. It then keeps the speed it has reached "
        f"for another {t2}. What total distance does it cover?",
        "the total distance", total / out.to_si, out,
        [f"Phase 1: v = a t = {fmt(a.si)} × {fmt(t1.si)} = {show(v)} m/s; s₁ = a t²/2 = {show(s1)} m.",
         f"Phase 2: s₂ = v t = {show(v)} × {fmt(t2.si)} = {show(s2)} m.",
         f"Total: {show(s1)} + {show(s2)} = {show(total)} m."],
        tags=("math/physics/kinematics/multi_phase",),
    )


def accelerate_then_brake(rng: random.Random, config: StemConfig) -> Scenario:
    a1, t1, a2 = given(rng, _ACCEL, config.convert_units), given(rng, _TIME, False), given(rng, _ACCEL, config.convert_units)
    v = a1.si * t1.si
    s1, t2 = a1.si * t1.si**2 / 2, v / a2.si
    s2 = v**2 / (2 * a2.si)
    head = (f"A sprinter starts from rest and accelerates uniformly at {a1} for {t1}, then immediately slows down "
            f"uniformly at {a2} until stopping. ")
    steps = [f"Phase 1: top speed v = {fmt(a1.si)} × {fmt(t1.si)} = {show(v)} m/s, s₁ = a₁ t₁²/2 = {show(s1)} m."]
    if rng.random() < 0.5:
        return Scenario("two_phase_brake", head + "What total distance does the sprinter cover?", "the total distance",
                        s1 + s2, unit("m"),
                        [*steps, f"Phase 2: s₂ = v² / (2a₂) = {show(v**2)} / {fmt(2 * a2.si)} = {show(s2)} m.",
                         f"Total: {show(s1)} + {show(s2)} = {show(s1 + s2)} m."],
                        tags=("math/physics/kinematics/multi_phase",))
    return Scenario("two_phase_brake", head + "How long does the whole motion last?", "the total time",
                    t1.si + t2, unit("s"),
                    [*steps, f"Phase 2: t₂ = v / a₂ = {show(v)} / {fmt(a2.si)} = {show(t2)} s.",
                     f"Total: {fmt(t1.si)} + {show(t2)} = {show(t1.si + t2)} s."],
                    tags=("math/physics/kinematics/multi_phase",))


def throw_from_cliff(rng: random.Random, config: StemConfig) -> Scenario:
    u, h = given(rng, {"m/s": (3, 25, 1), "km/h": (18, 90, 9)}, config.convert_units), given(rng, _HEIGHT, config.convert_units)
    g = float(G_EARTH)
    root = math.sqrt(float(u.si**2 + 2 * G_EARTH * h.si))
    t = (float(u.si) + root) / g
    return Scenario(
        "cliff_throw",
        f"A stone is thrown straight up at {u} from the edge of a cliff {h} above the sea. It misses the edge on the way "
        f"down. How long after the throw does it hit the water? {_G_TEXT}",
        "the time until it hits the water", t, unit("s"),
        [f"Take up as positive: -{fmt(h.si)} = {show(u.si)} t - 4.9 t².",
         f"4.9 t² - {show(u.si)} t - {fmt(h.si)} = 0, so t = (u + √(u² + 2 g h)) / g = ({show(u.si)} + {show(root)}) / 9.8 ≈ {show(t)} s "
         "(the other root is negative)."],
        tags=("math/physics/kinematics/multi_phase", "math/physics/kinematics/quadratic_time"),
    )


def catch_up(rng: random.Random, config: StemConfig) -> Scenario:
    v = given(rng, {"m/s": (15, 35, 1), "km/h": (54, 126, 9)}, config.convert_units)
    a = given(rng, {"m/s^2": (2, 6, Fraction(1, 2))}, False)
    delay = given(rng, {"s": (1, 8, 1)}, False)
    vs, acc, t0 = float(v.si), float(a.si), float(delay.si)
    t = (vs + math.sqrt(vs**2 + 2 * acc * vs * t0)) / acc
    return Scenario(
        "catch_up",
        f"A speeding car passes a parked police car at a constant {v}. {delay} later the police car starts from rest and "
        f"accelerates uniformly at {a} along the same road. How long after it starts does the police car catch the speeder?",
        "the time after the police car starts", t, unit("s"),
        [f"With t counted from the police car's start: police a t²/2, speeder v (t + {fmt(delay.si)}), v = {show(v.si)} m/s.",
         f"{fmt(a.si / 2)} t² = {show(v.si)} t + {show(v.si * delay.si)}, so t = (v + √(v² + 2 a v t₀)) / a ≈ {show(t)} s."],
        tags=("math/physics/kinematics/multi_phase", "math/physics/kinematics/quadratic_time"),
    )


# --------------------------------------------------------------------------------------- template

BUILDERS = {
    "final_speed": final_speed,
    "distance_accelerating": distance_accelerating,
    "time_to_speed": time_to_speed,
    "uniform_motion": uniform_motion,
    "braking": braking,
    "free_fall": free_fall,
    "horizontal_launch": horizontal_launch,
    "angled_launch": angled_launch,
    "vertical_throw": vertical_throw,
    "accelerate_then_cruise": accelerate_then_cruise,
    "accelerate_then_brake": accelerate_then_brake,
    "throw_from_cliff": throw_from_cliff,
    "catch_up": catch_up,
}


class KinematicsConfig(StemConfig):
    """Which kinds of motion problem to draw, whether givens mix units, and the answer precision."""

    KINDS: ClassVar[tuple[str, ...]] = tuple(BUILDERS)
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("final_speed", "distance_accelerating", "time_to_speed", "uniform_motion"), convert_units=False),
        "medium": dict(kinds=("final_speed", "distance_accelerating", "uniform_motion", "braking", "free_fall"), convert_units=True),
        "hard": dict(kinds=("horizontal_launch", "angled_launch", "vertical_throw", "braking"), convert_units=True),
        "expert": dict(kinds=("accelerate_then_cruise", "accelerate_then_brake", "throw_from_cliff", "catch_up"),
                       convert_units=True, significant=4),
    }
    default_level: ClassVar[str | None] = "medium"


@register
class Kinematics(StemTemplate):
    """Constant-acceleration, free-fall and projectile problems; the answer is a quantity with a unit."""

    name = "Kinematics"
    version = 0
    tags = ("math/physics", "math/physics/kinematics")
    description = "Motion with constant acceleration, free fall, projectiles, two-phase motion; answer with a unit."
    Config = KinematicsConfig
    BUILDERS = BUILDERS
    TOPIC_TAG = "math/physics/kinematics"
