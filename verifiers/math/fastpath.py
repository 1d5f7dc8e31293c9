"""The fast path: exact plain numbers in microseconds, no sympy.

Most math answers are integers, fractions or decimals. They are read here by a few anchored
regular expressions on top of the project's strict number parser (`vrgym.verifiers.numbers`),
into an exact `Fraction` — never a float — so `40361` is not `40362`, `3×10^{-20}` is not
`4×10^{-20}` and `0.333` is not `1/3`. What this module accepts beyond that parser:

* `\\text{13}`, `{13}`, `\\mathbf{13}` wrappers and `{,}` / `\\,` / `\\ ` thousands separators;
* a trailing percent (`25\\%`, `25%`, `25 percent`), reported so the gold decides what it means;
* a trailing unit annotation (`62^\\circ`, `305\\text{ inches}`, `95 \\mbox{ cm}^2`), reported;
* scientific notation written in LaTeX: `3 \\times 10^{-20}`, `2.5\\cdot10^{4}` (exponent ≤ 400);
* a variable prefix `x = 3` (one name, one `=`), reported;
* a leading currency sign (`\\$18.90`, `€5`) and repeating decimals (`0.\\overline{3}` is 1/3).

Anything else returns None: the caller sends it to the worker (or rejects it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from vrgym.verifiers.math.structure import clean
from vrgym.verifiers.numbers import NumberFormatError, parse_exact_number

MAX_EXPONENT = 400
"""Largest |exponent| of 10 read exactly here; larger ones are no plain answer (pre-screen refuses them)."""

UNIT_WORDS = frozenset(
    """
    mm cm dm m km in inch inches ft foot feet yd yard yards mi mile miles meter meters metre metres
    centimeter centimeters centimetre centimetres millimeter millimeters kilometer kilometers
    unit units sq square cubic mg g kg gram grams kilogram kilograms lb lbs pound pounds oz ounce ounces
    ton tons tonne tonnes s sec second seconds min minute minutes h hr hour hours day days week weeks
    month months year years ms l L ml mL liter liters litre litres gallon gallons cup cups
    deg degree degrees rad radian radians dollar dollars cent cents euro euros people person students
    apples items ways cookies marbles books miles/hour mph km/h m/s N J W V A Hz Pa K
    """.split()
)
"""Unit words a numeric answer may carry after its number (`305 inches` for gold 305)."""

_WRAPPER = re.compile(r"\\(?:text|textbf|mathbf|mathrm|mbox|textrm|boldsymbol)\s*\{([^{}]*)\}")
_THOUSANDS = re.compile(r"(?<=[0-9])(?:\{,\}|\\,|\\ |\s)(?=[0-9]{3}(?![0-9]))")
_PERCENT = re.compile(r"\s*(?:\\%|%|\\text\{\s*\\?%\s*\}|\\?\s*percent|\\text\{\s*percent\s*\})\s*$")
_DEGREES = re.compile(r"\s*(?:\^\s*\{?\s*\\circ\s*\}?|°|\\degree)\s*(?:\\text\{\s*[A-Za-z]*\s*\}|[CF])?\s*$")
_UNIT_TAIL = re.compile(
    r"\s*(?:\\(?:text|mbox|mathrm|textrm|operatorname)\s*\{\s*(?P<w1>[A-Za-z/ ]+?)\s*\}|(?<=[0-9 ])(?P<w2>[A-Za-z/]+))"
    r"\s*(?:\^\s*\{?\s*[23]\s*\}?)?\s*\.?\s*$"
)
_SCIENTIFIC = re.compile(
    r"(?P<mantissa>.+?)\s*(?:\\times|\\cdot|×|\*)\s*10\s*\^\s*(?:\{\s*(?P<e1>[+\-−]?\s*[0-9]{1,4})\s*\}|(?P<e2>[0-9]))$"
)
_CURRENCY = re.compile(r"^(?P<sign>[+\-−]?)\s*(?:\\\$|\$|€|£|\\euro|\\pounds)\s*")
_REPEATING = re.compile(
    r"(?P<sign>[+\-−]?)(?P<int>[0-9]*)\.(?P<fixed>[0-9]*)\s*\\(?:overline|bar|dot)\s*\{?\s*(?P<period>[0-9]{1,20})\s*\}?"
)
_NAME_PREFIX = re.compile(r"^(?P<name>[A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?)\s*=\s*(?P<rest>[^=]+)$")


@dataclass(frozen=True)
class Reading:
    """A plain number read from an answer, and what was written around it."""

    value: Fraction
    percent: bool = False
    unit: str | None = None
    name: str | None = None


def read_number(text: str, *, allow_name: bool = True, max_digits: int = 60) -> Reading | None:
    """An exact plain number in `text` (see the module docstring), or None if it is anything else."""
    if len(text) > 200:
        return None
    body = clean(text)
    name = None
    if allow_name and "=" in body:
        match = _NAME_PREFIX.match(body)
        if match is None:
            return None
        name, body = match["name"], match["rest"].strip()
    for _ in range(2):  # \text{13}, {13}
        unwrapped = _WRAPPER.fullmatch(body)
        if unwrapped is not None:
            body = unwrapped[1].strip()
        elif len(body) > 2 and body[0] == "{" and body[-1] == "}" and "{" not in body[1:-1]:
            body = body[1:-1].strip()
    percent = False
    unit = None
    match = _PERCENT.search(body)
    if match is not None:
        percent, body = True, body[: match.start()]
    else:
        match = _DEGREES.search(body)
        if match is not None:
            unit, body = "degree", body[: match.start()]
        else:
            match = _UNIT_TAIL.search(body)
            if match is not None:
                word = (match["w1"] or match["w2"]).strip()
                if word not in UNIT_WORDS and word.lower() not in UNIT_WORDS:
                    return None
                unit, body = word, body[: match.start()]
    currency = _CURRENCY.match(body)
    if currency is not None:
        body = currency["sign"] + body[currency.end() :]
    body = _THOUSANDS.sub(",", body.strip().rstrip(".").strip() if unit else body.strip())
    if not body:
        return None
    value = _exact(body, max_digits)
    if value is None:
        return None
    return Reading(value, percent, unit, name)


def _exact(body: str, max_digits: int) -> Fraction | None:
    try:
        return parse_exact_number(body, max_digits=max_digits).value
    except NumberFormatError:
        pass
    repeating = _REPEATING.fullmatch(body)
    if repeating is not None and len(repeating["int"]) + len(repeating["fixed"]) <= max_digits:
        return _repeating_value(repeating)
    match = _SCIENTIFIC.fullmatch(body)
    if match is None:
        return None
    try:
        mantissa = parse_exact_number(match["mantissa"], max_digits=max_digits).value
    except NumberFormatError:
        return None
    exponent_text = (match["e1"] or match["e2"]).replace(" ", "").replace("−", "-")
    exponent = int(exponent_text)
    if abs(exponent) > MAX_EXPONENT:
        return None
    return mantissa * Fraction(10) ** exponent


def _repeating_value(match: re.Match[str]) -> Fraction:
    """`a.b(ccc)` with the period repeating forever: a.b + 0.0…ccc/(10^len(c) - 1)."""
    fixed, period = match["fixed"], match["period"]
    value = Fraction(int(match["int"] or "0")) + (Fraction(int(fixed), 10 ** len(fixed)) if fixed else 0)
    value += Fraction(int(period), (10 ** len(period) - 1) * 10 ** len(fixed))
    return -value if match["sign"] in ("-", "−") else value


def gold_value(gold: dict) -> Fraction:
    """The exact value of a numeric gold (integer, rational, decimal, percent: the number of percent)."""
    return Fraction(gold["value"])
