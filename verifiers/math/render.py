"""Canonical LaTeX of a gold answer (what a reference response puts inside `\\boxed{}`).

Equal golds render identically — sets are stored sorted by `gold.set`, numbers are rendered from
their exact value — so two problems with the same answer give the same reference text. Every
rendering is accepted by the checker for its own gold (the contract suite relies on it).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any


def _fraction_latex(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def render_gold(gold: dict[str, Any]) -> str:
    """Canonical LaTeX for `gold` (a dict made by `vrgym.verifiers.math.gold`)."""
    kind = gold.get("kind") if isinstance(gold, dict) else None
    if kind == "integer":
        return str(int(gold["value"]))
    if kind == "rational":
        return _fraction_latex(Fraction(gold["value"]))
    if kind == "decimal":
        return str(gold["value"])
    if kind == "percent":
        return _fraction_latex(Fraction(gold["value"])) + "\\%"
    if kind in ("expression", "interval", "equation"):
        return str(gold["latex"])
    if kind == "set":
        items = [render_gold(item) for item in gold["items"]]
        return "\\{" + ", ".join(items) + "\\}" if items else "\\emptyset"
    if kind == "tuple":
        return "(" + ", ".join(render_gold(item) for item in gold["items"]) + ")"
    if kind == "matrix":
        rows = " \\\\ ".join(" & ".join(render_gold(item) for item in row) for row in gold["rows"])
        return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"
    if kind == "quantity":
        return f"{render_gold(gold['value'])}\\text{{ {gold['unit']}}}"
    if kind == "choice":
        return str(gold["value"])
    if kind == "text":
        return f"\\text{{{gold['value']}}}"
    raise ValueError(f"not a math gold: {gold!r}; build golds with vrgym.verifiers.math.gold")
