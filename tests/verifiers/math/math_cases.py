"""The 510 generated math cases of the research note, with their golds typed for our checker.

The file (`../shared/research/math_generated_510.json`, beside the repository) stores each gold as
an untyped string, the way Math-Verify receives it. `typed_gold` states, per category, which
typed gold a template would have built for it — the typing is by category and the gold text, never
by looking at the prediction — so the tests and the benchmark score our checker on the same cases.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from vrgym.verifiers.math import gold as G

REPO = Path(__file__).resolve().parents[3]
CASES_PATH = REPO.parent / "shared" / "research" / "math_generated_510.json"

_FRAC = re.compile(r"^(-?)\\frac\{(-?\d+)\}\{(\d+)\}$")
_INT = re.compile(r"-?\d+")


def load_cases() -> list[dict[str, Any]]:
    """The 510 cases (category, gold, pred, equivalent); FileNotFoundError if the file is absent."""
    return json.loads(CASES_PATH.read_text(encoding="utf-8"))


def _number(text: str) -> dict[str, Any]:
    match = _FRAC.match(text.strip())
    if match:
        value = Fraction(int(match[2]), int(match[3]))
        return G.rational(-value if match[1] else value)
    return G.rational(Fraction(text.strip()))


def typed_gold(category: str, gold: str) -> dict[str, Any]:
    """The typed gold a template would store for this category and gold text."""
    text = gold.strip()
    if category in ("integer", "units"):
        return G.integer(int(text))
    if category in ("fraction", "frac_vs_decimal"):
        return _number(text)
    if category == "sqrt":
        return G.expression(text)
    if category == "interval":
        return G.interval(text)
    if category == "set":
        return G.set([G.integer(int(v)) for v in _INT.findall(text)])
    if category == "matrix":
        body = text.split("}", 1)[1].rsplit("\\end", 1)[0]
        return G.matrix([[G.integer(int(c)) for c in row.split("&")] for row in body.split("\\\\")])
    if category == "equation":
        return G.equation(text) if "=" in text else G.integer(int(text))
    if category == "percent":
        if text.endswith("\\%"):
            return G.percent(Fraction(text[:-2]))
        return G.rational(Fraction(text))
    if category == "text":
        word = re.fullmatch(r"\\text\{(.*)\}", text)
        inner = word[1] if word else text
        choice = re.fullmatch(r"\(([A-E])\)", inner)
        if choice:
            return G.choice(choice[1], options=["A", "B", "C", "D", "E"])
        return G.text(inner)
    raise ValueError(f"unknown category {category!r}")


def score(gold: dict[str, Any], response: str) -> tuple[int, str]:
    """Reward and reason of a whole response, as a BOXED math template scores it."""
    from vrgym.verifiers.extraction import AnswerFormat, extract_answer
    from vrgym.verifiers.math import check_math_answer

    found = extract_answer(response, AnswerFormat.BOXED)
    if not found.ok or found.answer is None:
        return 0, found.reason
    verdict = check_math_answer(gold, found.answer)
    return verdict.reward, verdict.reason
