"""`FractionsPercent`: fractions, decimals, percentages and ratios, with exact or stated-rounding answers.

Why this template: percentages and ratios are where everyday arithmetic goes wrong in ways a
plain calculator drill does not show — taking the percentage of the new price instead of the old
one, adding successive percentage changes, dividing by (1 - p) instead of multiplying, splitting
by the wrong total. Each problem is one of these situations; the answer kind follows the question:

* a fraction or an exact number → `G.rational` (`3/4`, `\\frac{3}{4}` and `0.75` all score);
* "what percentage" → `G.percent` (`15\\%`, `15%` and `15` score; `0.15` does not);
* "rounded to n decimal places" → `G.decimal` (the response must round to the same value).

Levels change the kind of problem:

* easy — adding and subtracting fractions, a percentage of an amount, a fraction as a rounded decimal;
* medium — multiplying and dividing fractions and mixed numbers, percentage change, "what
  percentage of", splitting an amount in a ratio;
* hard — reverse percentages (the price before a discount), successive percentage changes,
  combining ratios (a:b and b:c give a:c), scaling a recipe;
* expert — compound growth rounded to cents, complex fractions, and ratios that change when an
  amount is added (solve for the original quantities).

Every problem is built backwards from exact `Fraction` values chosen so the numbers shown are
whole or short decimals; the gold is computed from the same values.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from math import gcd
from typing import Any, ClassVar

from pydantic import Field

from vrgym.config import TemplateConfig
from vrgym.registry import register
from vrgym.tasks.math._algebra import compose_prompt, latex_factor, latex_number
from vrgym.tasks.math._kinds import KindsConfig, retry
from vrgym.tasks.math._math_template import MathTemplate
from vrgym.template import Draft
from vrgym.verifiers.math import gold as G

KINDS = (
    "fraction_sum", "percent_of", "to_decimal",
    "fraction_product", "percent_change", "express_percent", "ratio_split",
    "reverse_percent", "successive_percent", "ratio_combine", "recipe",
    "compound_growth", "complex_fraction", "ratio_change",
)
"""Problem kinds, roughly easiest first (see the module docstring)."""

FRACTION_FORM = "Give the exact answer as an integer or a fraction in lowest terms, such as 7/12."
PERCENT_FORM = "Give the answer as a percentage, such as 12.5\\%."

_MAX_ATTEMPTS = 1000


class FractionsPercentConfig(KindsConfig):
    """Which kinds of problem to draw and how large the numbers may be."""

    KINDS: ClassVar[tuple[str, ...]] = KINDS

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("fraction_sum", "percent_of", "to_decimal"), max_denominator=12),
        "medium": dict(kinds=("fraction_product", "percent_change", "express_percent", "ratio_split"), max_denominator=12),
        "hard": dict(kinds=("reverse_percent", "successive_percent", "ratio_combine", "recipe"), max_denominator=12),
        "expert": dict(kinds=("compound_growth", "complex_fraction", "ratio_change", "successive_percent"), max_denominator=15),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = Field(
        ("fraction_product", "percent_change", "express_percent", "ratio_split"),
        description=f"Problem kinds to draw from: {', '.join(KINDS)}.",
    )
    max_denominator: int = Field(12, ge=3, le=50, description="Largest denominator of a fraction shown.")


@dataclass
class _Made:
    question: str
    form: str
    answer: dict[str, Any]
    steps: list[str]
    exact: Fraction
    """The exact value behind the answer (before rounding), for tests."""
    tags: tuple[str, ...] = field(default_factory=tuple)


def plain(value: Fraction) -> str:
    """A number for prose: `12`, `12.5`, `-0.75`, or `7/3` when the decimal does not terminate."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    denominator = value.denominator
    for p in (2, 5):
        while denominator % p == 0:
            denominator //= p
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    sign = "-" if value < 0 else ""
    whole, rest = divmod(abs(value.numerator) * 10**places // value.denominator, 10**places)
    return f"{sign}{whole}.{rest:0{places}d}"


def _fraction(rng: random.Random, top: int, *, proper: bool = True) -> Fraction:
    """A non-integer fraction with denominator 2..top (proper: between 0 and 1)."""
    while True:
        d = rng.randint(2, top)
        n = rng.randint(1, d - 1) if proper else rng.randint(d + 1, 3 * d)
        if gcd(n, d) == 1:
            return Fraction(n, d)


def _mixed(value: Fraction) -> str:
    """LaTeX of a positive improper fraction as a mixed number: `2\\frac{1}{3}`."""
    whole, rest = divmod(value.numerator, value.denominator)
    return f"{whole}\\frac{{{rest}}}{{{value.denominator}}}" if whole else latex_number(value)


class _Maker:
    def __init__(self, rng: random.Random, config: FractionsPercentConfig) -> None:
        self.rng, self.top = rng, config.max_denominator

    # ---------------------------------------------------------------- easy

    def fraction_sum(self) -> _Made:
        rng = self.rng
        terms = [_fraction(rng, self.top) for _ in range(rng.choice((2, 2, 3)))]
        signs = [1] + [rng.choice((1, -1)) for _ in terms[1:]]
        value = sum((s * t for s, t in zip(signs, terms)), Fraction(0))
        shown = latex_number(terms[0]) + "".join(f" {'+' if s > 0 else '-'} {latex_number(t)}" for s, t in zip(signs[1:], terms[1:]))
        common = 1
        for t in terms:
            common = common * t.denominator // gcd(common, t.denominator)
        rewritten = " ".join(
            ("" if i == 0 else ("+ " if s > 0 else "- ")) + f"\\frac{{{t.numerator * common // t.denominator}}}{{{common}}}"
            for i, (s, t) in enumerate(zip(signs, terms))
        )
        steps = [f"Use the common denominator {common}: ${rewritten} = {latex_number(value)}$ (in lowest terms)."]
        return _Made(f"Compute $${shown}$$", FRACTION_FORM, G.rational(value), steps, value)

    def percent_of(self) -> _Made:
        rng = self.rng
        percent = Fraction(rng.choice((5, 10, 12, 15, 20, 25, 30, 35, 40, 45, 60, 75, 80, 120, 150)))
        if rng.random() < 0.3:
            percent = Fraction(rng.choice((25, 75, 125, 175)), 10)  # 2.5%, 7.5%, …
        amount = Fraction(rng.randint(2, 80) * rng.choice((4, 5, 10, 20)))
        value = percent / 100 * amount
        steps = [f"${plain(percent)}\\%$ of {plain(amount)} is $\\frac{{{plain(percent)}}}{{100}} \\times {plain(amount)} = {plain(value)}$."]
        return _Made(f"What is {plain(percent)}% of {plain(amount)}?", "Give the exact value (a decimal such as 7.5 is fine).",
                     G.rational(value), steps, value)

    def to_decimal(self) -> _Made:
        rng = self.rng
        value = _fraction(rng, self.top, proper=rng.random() < 0.7)
        places = rng.choice((2, 3, 3, 4))
        answer = G.decimal(value, places)
        steps = [f"Divide: ${latex_number(value)} = {value.numerator} \\div {value.denominator} \\approx {answer['value']}$ "
                 f"to {places} decimal places."]
        return _Made(f"Write ${latex_number(value)}$ as a decimal rounded to {places} decimal places.",
                     f"Give the decimal rounded to {places} decimal places.", answer, steps, value, ("math/arithmetic/rounding",))

    # ---------------------------------------------------------------- medium

    def fraction_product(self) -> _Made:
        rng = self.rng
        a, b = _fraction(rng, self.top, proper=False), _fraction(rng, self.top)
        divide = rng.random() < 0.5
        value = a / b if divide else a * b
        operator = "\\div" if divide else "\\times"
        shown = f"{_mixed(a)} {operator} {latex_number(b)}"
        if divide:
            steps = [f"Write the mixed number as ${latex_number(a)}$ and multiply by the reciprocal: "
                     f"${latex_number(a)} \\times {latex_number(1 / b)} = {latex_number(value)}$."]
        else:
            steps = [f"Write the mixed number as ${latex_number(a)}$: ${latex_number(a)} \\times {latex_number(b)} = "
                     f"{latex_number(value)}$."]
        return _Made(f"Compute $${shown}$$", FRACTION_FORM, G.rational(value), steps, value, ("math/arithmetic/mixed_numbers",))

    def percent_change(self) -> _Made:
        rng = self.rng
        old = Fraction(rng.randint(2, 60) * rng.choice((4, 5, 8, 10)))
        change = Fraction(rng.choice((5, 10, 12, 15, 20, 25, 30, 40, 50, 60, 75)) * rng.choice((1, -1)))
        if rng.random() < 0.3:
            change = Fraction(rng.choice((25, 75, 125, 175, 375)), 10) * rng.choice((1, -1))
        new = old * (1 + change / 100)
        if new.denominator != 1:
            raise ValueError("the new amount is not whole")
        word = "increase" if change > 0 else "decrease"
        question = (f"The price of a bicycle changed from {plain(old)} dollars to {plain(new)} dollars. "
                    f"By what percentage did the price {word}?")
        steps = [f"The change is {plain(abs(new - old))} dollars; as a share of the original price: "
                 f"$\\frac{{{plain(abs(new - old))}}}{{{plain(old)}}} \\times 100\\% = {plain(abs(change))}\\%$."]
        return _Made(question, PERCENT_FORM, G.percent(abs(change)), steps, abs(change))

    def express_percent(self) -> _Made:
        rng = self.rng
        whole = Fraction(rng.choice((20, 25, 40, 50, 80, 120, 125, 160, 200, 250, 400, 500)))
        percent = Fraction(rng.randint(1, 39) * 5, 2) if rng.random() < 0.4 else Fraction(rng.randint(1, 99))
        part = whole * percent / 100
        if part.denominator != 1:
            raise ValueError("the part is not whole")
        question = f"In a school of {plain(whole)} students, {plain(part)} walk to school. What percentage of the students walk to school?"
        steps = [f"$\\frac{{{plain(part)}}}{{{plain(whole)}}} \\times 100\\% = {plain(percent)}\\%$."]
        return _Made(question, PERCENT_FORM, G.percent(percent), steps, percent)

    def ratio_split(self) -> _Made:
        rng = self.rng
        parts = [rng.randint(1, 9) for _ in range(rng.choice((2, 3)))]
        if len(set(parts)) != len(parts) or gcd(*parts) != 1:
            raise ValueError("ties or a reducible ratio")
        unit = rng.randint(2, 40)
        total = unit * sum(parts)
        ask = rng.choice(("largest", "smallest"))
        share = unit * (max(parts) if ask == "largest" else min(parts))
        ratio = ":".join(map(str, parts))
        question = f"{total} dollars are shared in the ratio {ratio}. How many dollars is the {ask} share?"
        steps = [f"There are {' + '.join(map(str, parts))} = {sum(parts)} parts, so one part is {total} / {sum(parts)} = {unit} dollars.",
                 f"The {ask} share is {max(parts) if ask == 'largest' else min(parts)} parts: {share} dollars."]
        return _Made(question, "Give the answer as a number.", G.integer(share), steps, Fraction(share), ("math/arithmetic/ratio",))

    # ---------------------------------------------------------------- hard

    def reverse_percent(self) -> _Made:
        rng = self.rng
        original = Fraction(rng.randint(4, 120) * rng.choice((5, 10, 20)))
        percent = Fraction(rng.choice((10, 15, 20, 25, 30, 35, 40, 50, 60)))
        if rng.random() < 0.4:
            percent = Fraction(rng.choice((5, 8, 12, 15, 20, 25)))
            now = original * (1 + percent / 100)
            question = (f"After a {plain(percent)}% price rise, a coat costs {plain(now)} dollars. What did it cost before the rise?")
            steps = [f"The new price is ${plain(1 + percent / 100)}$ times the old one, so the old price is "
                     f"${plain(now)} \\div {plain(1 + percent / 100)} = {plain(original)}$ dollars."]
        else:
            now = original * (1 - percent / 100)
            question = (f"In a sale, a coat costs {plain(now)} dollars after a {plain(percent)}% discount. "
                        "What was its price before the discount?")
            steps = [f"The sale price is ${plain(1 - percent / 100)}$ times the original, so the original is "
                     f"${plain(now)} \\div {plain(1 - percent / 100)} = {plain(original)}$ dollars."]
        if now.denominator not in (1, 2, 4, 5, 10, 20, 25, 50, 100):
            raise ValueError("the price shown would need more than cents")
        return _Made(question, "Give the exact amount in dollars as a number.", G.rational(original), steps, original,
                     ("math/arithmetic/reverse_percentage",))

    def successive_percent(self) -> _Made:
        rng = self.rng
        first, second = (Fraction(rng.choice((10, 20, 25, 30, 40, 50))) for _ in range(2))
        up_first = rng.random() < 0.5
        f1 = 1 + first / 100 if up_first else 1 - first / 100
        f2 = 1 - second / 100 if up_first else 1 + second / 100
        factor = f1 * f2
        if factor == 1:
            raise ValueError("no overall change")
        change = abs(factor - 1) * 100
        words = ("raised", "lowered") if up_first else ("lowered", "raised")
        direction = "higher" if factor > 1 else "lower"
        question = (f"A shop {words[0]} the price of a lamp by {plain(first)}%, and later {words[1]} the new price by "
                    f"{plain(second)}%. By what percentage is the final price {direction} than the original price?")
        steps = [f"The two changes multiply the price by ${plain(f1)} \\times {plain(f2)} = {plain(factor)}$.",
                 f"So the final price is ${plain(change)}\\%$ {direction} than the original (the percentages do not simply add)."]
        return _Made(question, PERCENT_FORM, G.percent(change), steps, change, ("math/arithmetic/successive_percentages",))

    def ratio_combine(self) -> _Made:
        rng = self.rng
        a, b, c, d = (rng.randint(1, 9) for _ in range(4))
        if gcd(a, b) != 1 or gcd(c, d) != 1 or b == c:
            raise ValueError("reducible ratios or a trivial chain")
        value = Fraction(a * c, b * d)  # a/b · b'/c' with a:b and b:c given as a:b = a:b, b:c = c:d
        question = (f"In a garden, the ratio of roses to tulips is {a}:{b}, and the ratio of tulips to daisies is {c}:{d}. "
                    "What is the ratio of roses to daisies, written as a single fraction roses/daisies?")
        steps = [f"$\\frac{{\\text{{roses}}}}{{\\text{{daisies}}}} = \\frac{{\\text{{roses}}}}{{\\text{{tulips}}}} \\times "
                 f"\\frac{{\\text{{tulips}}}}{{\\text{{daisies}}}} = \\frac{{{a}}}{{{b}}} \\times \\frac{{{c}}}{{{d}}} = {latex_number(value)}$."]
        return _Made(question, FRACTION_FORM, G.rational(value), steps, value, ("math/arithmetic/ratio",))

    def recipe(self) -> _Made:
        rng = self.rng
        people, wanted = rng.sample(range(2, 13), 2)
        grams = rng.randint(3, 60) * 10
        value = Fraction(grams * wanted, people)
        if value.denominator not in (1, 2, 4, 5):
            raise ValueError("an awkward amount")
        question = f"A recipe for {people} people uses {grams} g of flour. How many grams of flour are needed for {wanted} people?"
        steps = [f"Flour is proportional to the number of people: ${grams} \\times \\frac{{{wanted}}}{{{people}}} = {plain(value)}$ g."]
        return _Made(question, "Give the exact number of grams (a decimal such as 112.5 is fine).", G.rational(value), steps,
                     value, ("math/arithmetic/proportion",))

    # ---------------------------------------------------------------- expert

    def compound_growth(self) -> _Made:
        rng = self.rng
        principal = Fraction(rng.randint(10, 200) * 50)
        rate = Fraction(rng.choice((15, 20, 25, 30, 35, 40, 45, 50, 60, 70)), 10)
        years = rng.randint(2, 6)
        shrinking = rng.random() < 0.3
        factor = 1 - rate / 100 if shrinking else 1 + rate / 100
        value = principal * factor**years
        answer = G.decimal(value, 2)
        if shrinking:
            question = (f"A car worth {plain(principal)} dollars loses {plain(rate)}% of its value every year. "
                        f"What is it worth after {years} years? Round to the nearest cent.")
        else:
            question = (f"A deposit of {plain(principal)} dollars earns {plain(rate)}% interest per year, compounded yearly. "
                        f"What is the balance after {years} years? Round to the nearest cent.")
        steps = [f"Each year multiplies the value by {plain(factor)}, so after {years} years it is "
                 f"${plain(principal)} \\times {plain(factor)}^{{{years}}} \\approx {answer['value']}$ dollars."]
        return _Made(question, "Give the amount in dollars rounded to 2 decimal places, such as 1234.57.", answer, steps, value,
                     ("math/arithmetic/compound_percentage", "math/arithmetic/rounding"))

    def complex_fraction(self) -> _Made:
        rng = self.rng
        a, b, c, d = (_fraction(rng, self.top) for _ in range(4))
        top_op, bottom_op = rng.choice("+-"), rng.choice("+-")
        top = a + b if top_op == "+" else a - b
        bottom = c + d if bottom_op == "+" else c - d
        if bottom == 0 or top == 0:
            raise ValueError("zero numerator or denominator")
        value = top / bottom
        shown = (f"\\frac{{{latex_number(a)} {top_op} {latex_number(b)}}}"
                 f"{{{latex_number(c)} {bottom_op} {latex_number(d)}}}")
        steps = [f"Numerator: ${latex_number(a)} {top_op} {latex_number(b)} = {latex_number(top)}$.",
                 f"Denominator: ${latex_number(c)} {bottom_op} {latex_number(d)} = {latex_number(bottom)}$.",
                 f"Divide: ${latex_number(top)} \\div {latex_factor(bottom)} = {latex_number(value)}$."]
        return _Made(f"Simplify $${shown}$$", FRACTION_FORM, G.rational(value), steps, value, ("math/arithmetic/complex_fraction",))

    def ratio_change(self) -> _Made:
        rng = self.rng
        a, b = rng.randint(1, 7), rng.randint(1, 7)
        c, d = rng.randint(1, 9), rng.randint(1, 9)
        if gcd(a, b) != 1 or gcd(c, d) != 1 or Fraction(c, d) <= Fraction(a, b):
            raise ValueError("reducible or not an increase")
        # red = a·m, blue = b·m; after adding k red: (a·m + k) : b·m = c : d, so d | b·m
        m = rng.randint(1, 12)
        while (b * m) % d:
            m += 1
        blue = b * m
        red = a * m
        added = c * blue // d - red
        if not 0 < added <= 60 or red > 150:
            raise ValueError("awkward amounts")
        question = (f"A bag holds red and blue marbles in the ratio {a}:{b}. After {added} more red marbles are put in, "
                    f"the ratio of red to blue marbles is {c}:{d}. How many blue marbles are in the bag?")
        steps = [f"Let the bag hold ${a}m$ red and ${b}m$ blue marbles. Then $\\frac{{{a}m + {added}}}{{{b}m}} = \\frac{{{c}}}{{{d}}}$, "
                 f"so ${d}({a}m + {added}) = {c} \\cdot {b}m$, that is ${c * b - d * a}m = {d * added}$ and $m = {m}$.",
                 f"Blue marbles: ${b} \\times {m} = {blue}$."]
        return _Made(question, "Give the answer as a number.", G.integer(blue), steps, Fraction(blue), ("math/arithmetic/ratio",))


_KIND_TAGS: dict[str, str] = {
    "fraction_sum": "fractions", "fraction_product": "fractions", "complex_fraction": "fractions", "to_decimal": "decimals",
    "percent_of": "percentages", "percent_change": "percentages", "express_percent": "percentages",
    "reverse_percent": "percentages", "successive_percent": "percentages", "compound_growth": "percentages",
    "ratio_split": "ratios", "ratio_combine": "ratios", "recipe": "ratios", "ratio_change": "ratios",
}


@register
class FractionsPercent(MathTemplate):
    """Fractions, decimals, percentages and ratios; exact answers, percentages, or stated rounding."""

    name = "FractionsPercent"
    version = 0
    tags = ("math/arithmetic", "math/arithmetic/fractions_percent")
    description = "Fractions, decimals, percentages (change, reverse, successive, compound) and ratios."
    Config = FractionsPercentConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, FractionsPercentConfig)
        kind = rng.choice(config.kinds)
        make: Callable[[], _Made] = getattr(_Maker(rng, config), kind)
        made = retry(make, attempts=_MAX_ATTEMPTS, what=f"{kind} problem", config=config, hint="widen max_denominator")
        return Draft(
            prompt=compose_prompt(made.question, made.form, self.answer_format.instruction),
            answer=made.answer,
            metadata={"kind": kind, "exact": f"{made.exact.numerator}/{made.exact.denominator}", "solution": made.steps},
            tags=(f"math/arithmetic/{_KIND_TAGS[kind]}", f"math/arithmetic/fractions_percent/{kind}", *made.tags),
        )
