"""Typed gold answers for math templates: plain JSON dicts built by small constructors.

Why typed: an untyped gold string is re-parsed on every check and can be mis-read (Math-Verify's
`parse("1331 and 1728")` keeps only 1728; `3x-y+13=0` outside `$…$` becomes 0). A gold built
here says what it is — an exact integer, an interval with its openness, an unordered set — so the
checker applies the comparison that kind needs and nothing else.

Every gold is a dict of str/int/list/dict only (so a Problem's `answer` IS the gold and survives
JSON), deterministic (sets are stored in a canonical order), and cheap to build: nothing here
imports sympy or pint. Constructors validate what they can without them and raise `GoldError`
saying what was wrong.

Shapes (`kind` plus fields):

* integer   `{"value": "42"}`
* rational  `{"value": "-3/4"}` (never an integer value: that becomes `integer`)
* decimal   `{"value": "3.14", "places": 2}` — the prompt asked to round to `places` decimals
* percent   `{"value": "25"}` — the number of percent (`25%`); `value` may be a fraction `"1/3"`
* expression `{"latex": …, "variables": [...], "form": null | "expanded" | "factored"}`
* interval  `{"latex": "(-\\infty, 3]"}` — an interval or a union joined by `\\cup`
* set / tuple `{"items": [gold, …]}` (tuple may add `"names": ["x", "y"]`)
* matrix    `{"rows": [[gold, …], …]}`
* equation  `{"latex": "y = 2x + 1"}`
* quantity  `{"value": <integer|rational|decimal gold>, "unit": "cm"}`
* choice    `{"value": "B", "options": ["A", "B", …]}`
* text      `{"value": "north", "aliases": ["n"]}`
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

Gold = dict[str, Any]
_distinct = frozenset  # `set` and `tuple` are shadowed below by the constructors of those names

KINDS = (
    "integer", "rational", "decimal", "percent", "expression", "interval", "set", "tuple",
    "matrix", "equation", "quantity", "choice", "text",
)
NUMERIC_KINDS = frozenset({"integer", "rational", "decimal", "percent"})
SCALAR_KINDS = NUMERIC_KINDS | {"expression"}
FORMS = (None, "expanded", "factored")

_DECIMAL_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_VARIABLE = re.compile(r"[A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?|\\(?:alpha|beta|gamma|theta|phi|lambda|mu|omega|sigma|tau|rho)")
_MAX_LATEX = 2000


class GoldError(ValueError):
    """A gold answer was built from a value of the wrong kind or shape (the message says which)."""


def _fraction(value: Any, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction, str)):
        raise GoldError(f"{what} must be an int, a Fraction or a fraction string like '-3/4', got {type(value).__name__}")
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise GoldError(f"{what} {value!r} is not an exact number: {exc}") from exc


def _fraction_text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _latex(latex: Any, what: str) -> str:
    if not isinstance(latex, str) or not latex.strip():
        raise GoldError(f"{what} needs a non-empty LaTeX string, got {latex!r}")
    if len(latex) > _MAX_LATEX:
        raise GoldError(f"{what} LaTeX is {len(latex)} characters; golds are limited to {_MAX_LATEX}")
    return latex.strip()


def integer(value: int | str) -> Gold:
    """An integer gold: only an answer with exactly this integer value scores (40361 ≠ 40362)."""
    number = _fraction(value, "integer value")
    if number.denominator != 1:
        raise GoldError(f"integer gold {value!r} is not an integer; use G.rational for fractions")
    return {"kind": "integer", "value": str(number.numerator)}


def rational(value: Fraction | int | str) -> Gold:
    """An exact rational gold; an integer value becomes `integer` (so equal golds are equal dicts).

    Accepted answers: any exact spelling of the value (`3/4`, `\\frac{3}{4}`, `\\frac{6}{8}`, and
    `0.75` because it is an exact terminating decimal); `0.333` for 1/3 is wrong.
    """
    number = _fraction(value, "rational value")
    if number.denominator == 1:
        return integer(number.numerator)
    return {"kind": "rational", "value": _fraction_text(number)}


def decimal(value: str | int | Fraction, places: int) -> Gold:
    """A value the prompt asked to round to `places` decimals, stored as its rounded text.

    An answer scores when it is within half a unit of the last place (either rounding rule), so
    `3.14`, `3.140` and `3.1416` match gold `3.14` (places 2) and `3.1` or `3.15` do not.
    Pass the rounded text ("3.14"), or an exact Fraction to be rounded half-up here.
    """
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 30:
        raise GoldError(f"places must be an int from 0 to 30, got {places!r}")
    if isinstance(value, str):
        if not _DECIMAL_TEXT.fullmatch(value.strip()):
            raise GoldError(f"decimal gold {value!r} must be written like '-3.14'")
        exact = Fraction(value.strip())
    else:
        exact = _fraction(value, "decimal value")
    scale = 10**places
    scaled = abs(exact) * scale
    rounded = int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)
    if exact < 0:
        rounded = -rounded
    if isinstance(value, str) and Fraction(rounded, scale) != exact:
        raise GoldError(f"decimal gold {value!r} has more than {places} decimal places; round it first or pass a Fraction")
    sign = "-" if rounded < 0 else ""
    whole, frac = divmod(abs(rounded), scale)
    text = f"{sign}{whole}" + (f".{frac:0{places}d}" if places else "")
    return {"kind": "decimal", "value": text, "places": places}


def percent(value: Fraction | int | str) -> Gold:
    """A percentage: `percent(25)` is 25%. Accepts `25\\%`, `25%`, `25`, `25 percent`; not `0.25`."""
    return {"kind": "percent", "value": _fraction_text(_fraction(value, "percent value"))}


def expression(latex: str, variables: Sequence[str] = (), form: str | None = None) -> Gold:
    """A closed-form number (`2\\sqrt{3}`, `\\frac{\\pi}{2}`) or an expression in `variables`.

    Compared symbolically in a worker process. With `form="expanded"` the answer must also be a
    sum of monomials; with `form="factored"` a product of factors irreducible over the rationals.
    """
    if form not in FORMS:
        raise GoldError(f"form must be one of {FORMS}, got {form!r}")
    names = [str(v) for v in variables]
    for name in names:
        if not _VARIABLE.fullmatch(name):
            raise GoldError(f"variable {name!r} must be a single letter (optionally with a subscript) or a Greek letter command")
    if form is not None and not names:
        raise GoldError(f"form={form!r} needs the polynomial's variables")
    if "\\pm" in latex or "\\mp" in latex or "±" in latex:
        raise GoldError(f"expression {latex!r} stands for two values; use G.set([...]) of both")
    return {"kind": "expression", "latex": _latex(latex, "expression"), "variables": sorted(_distinct(names)), "form": form}


def interval(latex: str) -> Gold:
    """An interval or a union of intervals (`(-\\infty, 3] \\cup (5, 7)`); open/closed ends matter."""
    from vrgym.verifiers.math.structure import StructureError, split_union

    text = _latex(latex, "interval")
    try:
        split_union(text)
    except StructureError as exc:
        raise GoldError(f"interval gold {latex!r}: {exc}") from exc
    return {"kind": "interval", "latex": text}


def _items(items: Iterable[Gold], what: str) -> list[Gold]:
    out = list(items)
    for item in out:
        if not isinstance(item, dict) or item.get("kind") not in KINDS:
            raise GoldError(f"every item of a {what} gold must itself be a gold (G.integer(…), …), got {item!r}")
    return out


def _order_key(item: Gold) -> tuple[int, Fraction, str]:
    from vrgym.verifiers.math.render import render_gold

    if item["kind"] in ("integer", "rational", "percent"):
        return (0, Fraction(item["value"]), "")
    if item["kind"] == "decimal":
        return (0, Fraction(item["value"]), "")
    return (1, Fraction(0), render_gold(item))


def set(items: Iterable[Gold]) -> Gold:  # noqa: A001 - the API name the templates use
    """An unordered set (e.g. all real roots); the answer must hold exactly these elements. May be empty."""
    members = sorted(_items(items, "set"), key=_order_key)
    return {"kind": "set", "items": members}


def tuple(items: Iterable[Gold], names: Sequence[str] | None = None) -> Gold:  # noqa: A001
    """An ordered tuple such as the solution (x, y) of a system; `names` lets `x=1, y=2` answer it."""
    members = _items(items, "tuple")
    if len(members) < 2:
        raise GoldError("a tuple gold needs at least two items; use the item's own kind for one value")
    gold: Gold = {"kind": "tuple", "items": members}
    if names is not None:
        names = [str(n) for n in names]
        if len(names) != len(members) or len(_distinct(names)) != len(names):
            raise GoldError(f"names {names!r} must be distinct and one per item ({len(members)})")
        gold["names"] = names
    return gold


def matrix(rows: Iterable[Iterable[Gold]]) -> Gold:
    """A matrix given row by row; the answer must have the same shape and equal entries."""
    table = [_items(row, "matrix") for row in rows]
    if not table or not table[0] or any(len(row) != len(table[0]) for row in table):
        raise GoldError("a matrix gold needs at least one row, all rows the same non-zero length")
    return {"kind": "matrix", "rows": table}


def equation(latex: str) -> Gold:
    """An equation (`y = 2x + 1`); equivalent rearrangements and either orientation score.

    For a gold `x = 3` (a variable equal to a value) the bare value `3` also scores.
    """
    text = _latex(latex, "equation")
    if text.count("=") != 1 or any(op in text for op in ("\\le", "\\ge", "<", ">", "\\ne")):
        raise GoldError(f"equation gold {latex!r} must contain exactly one '=' and no inequality")
    return {"kind": "equation", "latex": text}


def quantity(value: Gold, unit: str) -> Gold:
    """A physical quantity: a numeric gold (integer, rational or decimal) and a pint unit string.

    The answer must carry a unit of the same dimension (`50 mm` for `5 cm`); a missing or wrong
    unit scores 0. Tolerance follows the gold: half a unit of the last place for a decimal gold.
    """
    if not isinstance(value, dict) or value.get("kind") not in ("integer", "rational", "decimal"):
        raise GoldError(f"quantity value must be G.integer, G.rational or G.decimal, got {value!r}")
    if not isinstance(unit, str) or not unit.strip() or len(unit) > 64:
        raise GoldError(f"unit must be a short pint unit string such as 'cm' or 'm/s^2', got {unit!r}")
    return {"kind": "quantity", "value": value, "unit": unit.strip()}


def choice(value: str, options: Sequence[str]) -> Gold:
    """A multiple-choice letter; the answer must name exactly this option (`B`, `(B)`, `\\text{B}`)."""
    options = [str(o).strip() for o in options]
    if not isinstance(value, str) or value.strip() not in options:
        raise GoldError(f"choice {value!r} is not one of the options {options}")
    return {"kind": "choice", "value": value.strip(), "options": options}


def text(value: str, aliases: Sequence[str] = ()) -> Gold:
    """A short text answer (`north`, `odd`), compared case- and space-insensitively; aliases also score."""
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise GoldError(f"text gold must be a short non-empty string, got {value!r}")
    return {"kind": "text", "value": value.strip(), "aliases": [str(a).strip() for a in aliases if str(a).strip()]}


