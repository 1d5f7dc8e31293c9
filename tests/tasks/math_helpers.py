"""Scaffolding shared by the math template tests: draw problems, find one, score a response, parse LaTeX.

Why a module: every math template's test file needs the same four moves against its own template
(the problems of a level, the first problem with some property, a response's (reward, reason),
the gold or a response parsed into sympy). Written once here, a test file binds them to its
template in one line (`problems, first, score = probe.problems, probe.first, probe.score`) and
keeps only what is particular to its template: the independent re-derivation of the gold.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import vrgym
from vrgym.problem import Problem


class TemplateProbe:
    """One registered template, with the draws and scoring its tests need."""

    def __init__(self, name: str, *, n: int = 60, search: int = 400) -> None:
        """`n`: how many problems `problems(level)` draws by default; `search`: how far `first` looks."""
        self.template = vrgym.get_template(name)
        self.levels: list[str] = self.template.Config.level_names()
        self.n, self.search = n, search

    def problems(self, level: str, n: int | None = None, seed: int = 0, **overrides: Any) -> list[Problem]:
        """Problems 0..n-1 of stream `seed` at `level` (config fields overridden by `overrides`)."""
        return list(self.template.problems(self.n if n is None else n, seed, difficulty=level, **overrides))

    def first(self, level: str, predicate: Callable[[Problem], bool], n: int | None = None, **overrides: Any) -> Problem:
        """The first of the level's problems (seed 0) that satisfies `predicate`; StopIteration if none does."""
        count = self.search if n is None else n
        return next(p for p in self.template.problems(count, 0, difficulty=level, **overrides) if predicate(p))

    def score(self, problem: Problem, response: str) -> tuple[int, str]:
        """(reward, reason) of `response`: both, so a test also pins *why* an answer failed."""
        verdict = self.template.verify(problem, response)
        return verdict.reward, verdict.reason

    def assert_references_score_one(self, level: str, n: int, seed: int = 0) -> None:
        """Each reference response scores (1, ok) on its problem reloaded from JSON.

        The reload is the point: a verifier must work from the Problem alone, in another process,
        with no state left over from generation.
        """
        for problem in self.problems(level, n, seed):
            reloaded = Problem.from_json(problem.to_json())
            reply = self.template.reference_response(reloaded)
            assert self.score(reloaded, reply) == (1, "ok"), (problem.prompt, problem.answer, problem.metadata, reply)


def parse_latex(latex: str, names: tuple[str, ...] = ("x",)) -> Any:
    """`latex` as a sympy expression whose symbols named in `names` are plain `sympy.Symbol(name)`.

    latex2sympy may attach assumptions to the symbols it makes; comparing with a test's own
    `sympy.Symbol("x")` needs the plain one. Imported lazily: most math tests never parse LaTeX.
    """
    import sympy
    from latex2sympy2_extended import latex2sympy

    expr = latex2sympy(latex)
    return expr.subs({s: sympy.Symbol(s.name) for s in expr.free_symbols if s.name in names})


def integer_gold(problem: Problem) -> int:
    """The gold of a template whose answers are integers (asserting that it is one)."""
    assert problem.answer["kind"] == "integer", problem.answer
    return int(problem.answer["value"])
