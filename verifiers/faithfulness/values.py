"""Typed values read from free text: numbers (digits or words), quantities with units, dates.

The grounding checker and the answer comparison both need to read "3.5 kg", "three hundred and
forty employees", "$2.4 million", "12 March 2004", "March 12, 2004", "2004-03-12" and the like,
and to compare them with the document's facts by *value*, not by spelling. Everything is exact
(`fractions.Fraction`, never float) and linear-time regex scanning, so hostile input costs no more
than its length.

Units are grouped by dimension with an exact factor to a base unit (g → kg × 1/1000), so "3500 g"
matches a 3.5 kg fact. Count nouns ("employees", "residents") are dimensions of their own: 340
residents is not 340 employees. "people" is a deliberately loose count that matches either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from vrgym.verifiers.faithfulness.lazy import LazyPattern

# --------------------------------------------------------------------------------------- units

UNITS: dict[str, tuple[str, Fraction]] = {}
"""Lower-case unit spelling -> (dimension, factor to the dimension's base unit)."""


def _units(dimension: str, factor: Fraction | int, *spellings: str) -> None:
    for spelling in spellings:
        UNITS[spelling] = (dimension, Fraction(factor))


_units("mass", 1, "kg", "kgs", "kilogram", "kilograms", "kilo", "kilos")
_units("mass", Fraction(1, 1000), "g", "gram", "grams")
_units("mass", 1000, "t", "tonne", "tonnes", "metric ton", "metric tons")
_units("length", 1, "m", "metre", "metres", "meter", "meters")
_units("length", 1000, "km", "kilometre", "kilometres", "kilometer", "kilometers")
_units("area", 1, "km2", "km²", "sq km", "square kilometre", "square kilometres", "square kilometer", "square kilometers")
_units("area", Fraction(1, 100), "ha", "hectare", "hectares")
_units("area", Fraction(1, 1_000_000), "m2", "m²", "sq m", "square metre", "square metres", "square meter", "square meters")
_units("area", Fraction("2.589988110336"), "sq mi", "square mile", "square miles")  # 1 mi = 1.609344 km exactly
_units("money", 1, "usd", "dollar", "dollars", "$")
_units("staff", 1, "employees", "employee", "staff", "workers", "worker", "staff members")
_units("population", 1, "residents", "resident", "inhabitants", "inhabitant")
_units("people", 1, "people", "persons")
_units("duration", 1, "years", "year", "yrs")
_units("duration", Fraction(1, 12), "months", "month")
_units("units", 1, "units", "unit")

UNIT_NAMES: dict[str, str] = {
    "mass": "kg", "length": "m", "area": "square kilometres", "money": "dollars", "staff": "employees",
    "population": "residents", "people": "people", "duration": "years", "units": "units",
}  # fmt: skip
"""How each dimension's base unit is written in documents and references."""

LOOSE_DIMENSIONS: dict[str, frozenset[str]] = {"people": frozenset({"staff", "population", "people"})}
"""A claim in a loose dimension matches a fact in any of these dimensions."""

SCALES: dict[str, int] = {"thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

_UNIT_ALTERNATION = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True) if u != "$")

# --------------------------------------------------------------------------------------- number words

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD = "|".join(sorted([*_SMALL, *_TENS, "hundred", *SCALES, "a"], key=len, reverse=True))
NUMBER_WORDS = LazyPattern(rf"\b(?:{_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD}))*\b", re.IGNORECASE)
"""A run of number words ("three hundred and forty", "twenty-one", "a million"); parsed by `words_value`."""


def words_value(text: str) -> int | None:
    """The integer a run of English number words names, or None ("three hundred and forty" -> 340).

    "a" counts as one only before hundred/thousand/million ("a million"); "and" is a connector.
    """
    tokens = [t for t in re.split(r"[\s-]+", text.lower().strip()) if t and t != "and"]
    if not tokens or len(tokens) > 20:
        return None
    total, current, seen = 0, 0, False
    for i, token in enumerate(tokens):
        if token == "a":
            if i + 1 >= len(tokens) or tokens[i + 1] not in ("hundred", *SCALES) or current:
                return None
            current, seen = 1, True
        elif token in _SMALL:
            if current % 10 or (current % 100 and _SMALL[token] >= 10):
                return None  # "five three", "twenty twelve"
            current, seen = current + _SMALL[token], True
        elif token in _TENS:
            if current % 100:
                return None
            current, seen = current + _TENS[token], True
        elif token == "hundred":
            if not current or current >= 100:
                return None
            current *= 100
        elif token in SCALES:
            if not current:
                return None
            total, current = total + current * SCALES[token], 0
        else:
            return None
    return total + current if seen else None


# --------------------------------------------------------------------------------------- numbers

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
NUMBER = LazyPattern(
    rf"(?<![\w.,])(?P<money>\$\s?|(?:usd|US\$)\s?)?(?P<num>{_DIGITS})(?![\w]|[.,]\d)"
    rf"(?:\s*(?P<scale>thousand|million|billion)\b)?"
    rf"(?:\s*(?P<unit>{_UNIT_ALTERNATION})(?![\w²]))?",
    re.IGNORECASE,
)
"""A number in digits, optionally with a money sign, a scale word and a unit."""
WORD_QUANTITY = LazyPattern(
    rf"(?P<money>\$\s?)?(?P<words>{NUMBER_WORDS.pattern})(?:\s*(?P<unit>{_UNIT_ALTERNATION})(?![\w²]))",
    re.IGNORECASE,
)
"""A number in words followed by a unit ("forty employees"); bare number words are not claims."""


@dataclass(frozen=True)
class Quantity:
    """An exact value with its dimension (None when no unit was written)."""

    value: Fraction
    dimension: str | None = None

    def matches(self, other: Quantity) -> bool:
        """Same value and compatible dimensions (a unitless side matches any dimension)."""
        if self.value != other.value:
            return False
        if self.dimension is None or other.dimension is None or self.dimension == other.dimension:
            return True
        loose = LOOSE_DIMENSIONS.get(self.dimension) or LOOSE_DIMENSIONS.get(other.dimension) or frozenset()
        return {self.dimension, other.dimension} <= loose


def decimal_value(text: str) -> Fraction:
    """Exact value of '12,400' or '3.5' (through Decimal: int() refuses strings of over 4300 digits)."""
    return Fraction(Decimal(text.replace(",", "")))


def quantity_from_match(match: re.Match[str]) -> Quantity | None:
    """The Quantity a `NUMBER` or `WORD_QUANTITY` match names (None if its words do not parse)."""
    groups = match.groupdict()
    if groups.get("words") is not None:
        number = words_value(groups["words"])
        if number is None:
            return None
        value = Fraction(number)
    else:
        value = decimal_value(groups["num"])
        if groups.get("scale"):
            value *= SCALES[groups["scale"].lower()]
    unit = (groups.get("unit") or "").lower()
    if groups.get("money") and not unit:
        unit = "$"
    if not unit:
        return Quantity(value)
    dimension, factor = UNITS[re.sub(r"\s+", " ", unit)]
    return Quantity(value * factor, dimension)


def parse_quantity(text: str) -> Quantity | None:
    """The quantity `text` consists of, exactly (nothing else but a leading 'about'-free article); else None.

    Accepts "340", "340 employees", "three hundred and forty employees", "$1,250", "1250 dollars",
    "$2.4 million", "3.5 kg", "3500 grams", "fourteen years", "14".
    """
    text = text.strip().rstrip(".").strip()
    if not text or len(text) > 200:
        return None
    match = NUMBER.fullmatch(text)
    if match is None:
        match = WORD_QUANTITY.fullmatch(text)
        if match is None:
            value = words_value(text) if NUMBER_WORDS.fullmatch(text) else None
            return None if value is None else Quantity(Fraction(value))
    return quantity_from_match(match)


def format_number(value: Fraction) -> str:
    """How documents write a value: '12,400', '3.5' (values are generated with finite decimals)."""
    if value.denominator == 1:
        return f"{value.numerator:,}"
    whole, rest = divmod(abs(value.numerator), value.denominator)
    digits = ""
    for _ in range(6):
        if not rest:
            break
        rest *= 10
        digit, rest = divmod(rest, value.denominator)
        digits += str(digit)
    return f"{'-' if value < 0 else ''}{whole:,}.{digits}"


# --------------------------------------------------------------------------------------- dates

MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december",
)  # fmt: skip
_MONTH_INDEX = {name: i + 1 for i, name in enumerate(MONTHS)} | {name[:3]: i + 1 for i, name in enumerate(MONTHS)}
_MONTH_INDEX["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTH_INDEX, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)"
DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    LazyPattern(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    LazyPattern(rf"\b(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}\s*,?\s+{_YEAR}\b", re.IGNORECASE),
    LazyPattern(rf"\b{_MONTH}\s+{_DAY}\s*,?\s+{_YEAR}\b", re.IGNORECASE),
    LazyPattern(rf"\b(?P<d1>[0-3]?\d)/(?P<d2>[0-3]?\d)/{_YEAR}\b"),
    LazyPattern(rf"\b{_MONTH}(?:\s+of)?\s*,?\s+{_YEAR}\b", re.IGNORECASE),
)
"""Full dates (ISO, '12 March 2004', 'March 12, 2004', '12/03/2004'), then month-year."""
YEAR = LazyPattern(rf"(?<![\w.,$]){_YEAR}(?![\w]|[.,]\d)")


@dataclass(frozen=True)
class DateValue:
    """A calendar date, possibly partial: year always, month and day when written."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def from_iso(cls, text: str) -> DateValue:
        """'2004-03-12', '2004-03' or '2004' (how facts store dates)."""
        parts = [int(p) for p in text.split("-")]
        return cls(*parts)  # type: ignore[arg-type]

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def consistent_with(self, fact: DateValue) -> bool:
        """True when this (possibly partial) date agrees with `fact` on every part it states."""
        if self.year != fact.year:
            return False
        if self.month is not None and self.month != fact.month:
            return False
        return self.day is None or self.day == fact.day

    def render(self, style: int = 0) -> str:
        """'12 March 2004' (style 0) or 'March 12, 2004' (style 1); partial dates accordingly."""
        if self.month is None:
            return str(self.year)
        month = MONTHS[self.month - 1].capitalize()
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}" if style == 0 else f"{month} {self.day}, {self.year}"


def _valid(year: int, month: int, day: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    length = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return 1 <= day <= length[month - 1]


def date_from_match(match: re.Match[str]) -> DateValue | None:
    """The date a `DATE_PATTERNS` match names; None if invalid or ambiguous (03/04/2004)."""
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("d1") is not None:
        a, b = int(groups["d1"]), int(groups["d2"])
        readings = {(m, d) for m, d in ((b, a), (a, b)) if _valid(year, m, d)}
        if len(readings) != 1:
            return None
        month, day = readings.pop()
        return DateValue(year, month, day)
    month = int(groups["mnum"]) if groups.get("mnum") else _MONTH_INDEX[groups["month"].lower().rstrip(".")]
    day = int(groups["day"]) if groups.get("day") else None
    return DateValue(year, month, day) if _valid(year, month, day) else None


def parse_date(text: str) -> DateValue | None:
    """The date `text` consists of (a full date, month and year, or a year); else None."""
    text = re.sub(r"^(?:in|on)\s+", "", text.strip().rstrip(".").strip(), flags=re.IGNORECASE)
    if len(text) > 60:
        return None
    for pattern in DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match is not None:
            return date_from_match(match)
    match = YEAR.fullmatch(text)
    return DateValue(int(match["year"])) if match else None
