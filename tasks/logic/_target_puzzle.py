"""Shared base of the "reach a target from given numbers" puzzles (`Game24`, `Countdown`).

Both templates ask for one arithmetic expression and judge it the same way, so the judging, the
answer syntax in the prompt and the worked reference live here once; each template only draws its
instances (`build`) and words its introduction.

A puzzle is a `TargetSpec`: the numbers, the target, whether every number must be used exactly
once or each at most once, and whether intermediate results must be whole and non-negative (the
Countdown TV rules). It is stored as the problem's `answer`, so two identical puzzles have equal
answers whatever example solution each was generated with; the example solution (a tree, and its
text) is metadata.

Judging (`judge`): the single `<answer>` is parsed by `vrgym.verifiers.expression` (exact
rationals, no eval; brackets, + - * / and their × ÷ − spellings; an optional trailing `= target`).
It scores 1 iff the literals are the given numbers (the exact multiset, or a sub-multiset when
numbers may be left out), every intermediate result obeys the rules when they are in force
(evaluated as written: × ÷ before + −, otherwise left to right), a claimed `= n` is the target,
and the value equals the target exactly. Anything else scores 0: other numbers, a number used
too often, joined digits, unary signs, 24.5 or 23.999… for 24, a second expression.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from vrgym.problem import JSONValue, Problem
from vrgym.tasks.logic._reach import Tree, render, steps
from vrgym.template import Draft, Template
from vrgym.verdict import FORMAT, WRONG_ANSWER, Verdict
from vrgym.verifiers.expression import ExpressionError, ParsedExpression, parse_expression
from vrgym.verifiers.extraction import AnswerFormat
from vrgym.verifiers.numbers import format_fraction

SYNTAX_EXAMPLES = ("(1 + 2) * 3 - 4", "(10 - 4) * (2 + 3)")
"""Shown in prompts for the answer syntax; the first one that does not solve the puzzle is used."""
_EXTRA_LITERALS = 8
"""The parser refuses expressions with this many more literals than the puzzle gives (bounded work)."""


@dataclass(frozen=True)
class TargetSpec:
    """One puzzle: reach `target` from `numbers` (sorted) under the usage and intermediate-result rules."""

    numbers: tuple[int, ...]
    target: int
    use_all: bool
    """True: every number exactly once. False: each number at most once."""
    whole_steps: bool
    """True: every intermediate result must be a whole number that is not negative."""

    def to_answer(self) -> dict[str, JSONValue]:
        return {
            "numbers": list(self.numbers),
            "target": self.target,
            "each_number": "exactly_once" if self.use_all else "at_most_once",
            "intermediates": "whole_non_negative" if self.whole_steps else "any",
        }

    @classmethod
    def from_answer(cls, answer: Any) -> TargetSpec:
        return cls(
            numbers=tuple(int(n) for n in answer["numbers"]),
            target=int(answer["target"]),
            use_all=answer["each_number"] == "exactly_once",
            whole_steps=answer["intermediates"] == "whole_non_negative",
        )


def judge(spec: TargetSpec, text: str) -> Verdict:
    """Reward 1 iff `text` is one expression that solves `spec` (see the module docstring)."""
    try:
        parsed = parse_expression(text, allow_result=True, max_literals=len(spec.numbers) + _EXTRA_LITERALS)
    except ExpressionError as exc:
        return Verdict.fail(FORMAT, f"the answer is not a valid expression: {exc}", checks={"parses": False}, answer=text)
    checks = {
        "parses": True,
        "numbers": parsed.uses_exactly(spec.numbers) if spec.use_all else parsed.uses_at_most(spec.numbers),
        "intermediates": not spec.whole_steps or _whole_steps(parsed),
        "claimed_result": parsed.claimed is None or parsed.claimed == spec.target,
        "value": parsed.value == spec.target,
    }
    if all(checks.values()):
        return Verdict.correct(checks=checks, answer=text)
    return Verdict.fail(WRONG_ANSWER, _complaint(spec, parsed, checks), checks=checks, answer=text)


def _whole_steps(parsed: ParsedExpression) -> bool:
    return all(value.denominator == 1 and value >= 0 for value in parsed.intermediates)


def _complaint(spec: TargetSpec, parsed: ParsedExpression, checks: dict[str, bool]) -> str:
    """What is wrong with a parsed answer, first failure first (never the solution)."""
    if not checks["numbers"]:
        used = ", ".join(format_fraction(v) for v in sorted(parsed.literals))
        rule = "every number exactly once" if spec.use_all else "each number at most once"
        return f"the expression uses the numbers [{used}]; it must use {rule} from {list(spec.numbers)}"
    if not checks["intermediates"]:
        bad = next(v for v in parsed.intermediates if v.denominator != 1 or v < 0)
        return f"an intermediate result is {format_fraction(bad)}; every one must be a whole number, not negative"
    if not checks["claimed_result"]:
        claimed = format_fraction(parsed.claimed or Fraction(0))
        return f"the expression claims the result {claimed}, but the target is {spec.target}"
    return f"the expression equals {format_fraction(parsed.value)}, not {spec.target}"


def rules_text(spec: TargetSpec) -> list[str]:
    """The rules of `spec` as prompt lines."""
    if spec.use_all:
        usage = "Use every number exactly once (a number listed twice must be used twice)."
    else:
        usage = ("Use each number at most once: you need not use them all, but no number more often than it is listed.")
    lines = [
        f"- {usage}",
        "- Combine them with + - * / (addition, subtraction, multiplication, division) and brackets; "
        "each operation joins two numbers or bracketed results.",
        "- Nothing else is allowed: no other numbers, no joining digits into a new number (1 and 3 do not make 13), "
        "no signs in front of a number, no powers, roots or factorials.",
    ]
    if spec.whole_steps:
        lines.append(
            "- Every intermediate result must be a whole number that is not negative. Your expression is evaluated "
            "as written (* and / before + and -, otherwise left to right), and every operation in it must give such a "
            "number: 2 - 3 + 4 breaks this rule (2 - 3 is negative), and so does 3 / 2 * 4 (3 / 2 is not whole)."
        )
    else:
        lines.append("- Division is exact and intermediate results may be fractions.")
    lines.append(f"- The result must be exactly {spec.target} (no rounding).")
    return lines


def syntax_example(spec: TargetSpec) -> str:
    """An expression showing the answer syntax that is guaranteed not to solve `spec`."""
    return next(e for e in SYNTAX_EXAMPLES if judge(spec, e).reward == 0)


class TargetPuzzle(Template):
    """Base class: judge, prompt tail and worked reference shared by the target-number puzzles."""

    answer_format: ClassVar[AnswerFormat] = AnswerFormat.TAG

    def draft(
        self,
        spec: TargetSpec,
        solution: Tree,
        intro: Sequence[str],
        *,
        tags: tuple[str, ...] = (),
        metadata: dict[str, JSONValue] | None = None,
    ) -> Draft:
        """A Draft for `spec`: `intro` lines, the rules, the answer syntax; `solution` goes to metadata."""
        lines = [*intro, "", "Rules:", *rules_text(spec), ""]
        lines.append(
            "Write your final expression alone between <answer> and </answer>, using the given numbers, "
            f"+ - * / (or × ÷) and round brackets, e.g. <answer>{syntax_example(spec)}</answer> "
            f"(that example only shows the syntax; it is not a solution). You may end it with \"= {spec.target}\"."
        )
        return Draft(
            prompt="\n".join(lines),
            answer=spec.to_answer(),
            metadata={"solution": render(solution), "tree": _tree_json(solution), **(metadata or {})},
            tags=tags,
        )

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        return judge(TargetSpec.from_answer(problem.answer), answer)

    def reference_response(self, problem: Problem) -> str:
        tree = _tree_from_json(problem.metadata["tree"])
        lines = ["Working step by step:"]
        lines += [f"{_operand(a)} {op} {_operand(b)} = {format_fraction(Fraction(result))}" for a, op, b, result in steps(tree)]
        expression = render(tree)
        lines.append(f"So {expression} = {problem.answer['target']}.")
        lines.append(self.answer_format.wrap(expression))
        return "\n".join(lines)


def _operand(value: Any) -> str:
    text = format_fraction(Fraction(value))
    return f"({text})" if "/" in text else text


def _tree_json(tree: Tree) -> JSONValue:
    """A tree as nested JSON lists: 7, or ["/", 8, ["-", 3, ["/", 8, 3]]]."""
    if isinstance(tree, int):
        return tree
    op, left, right = tree
    return [op, _tree_json(left), _tree_json(right)]


def _tree_from_json(data: Any) -> Tree:
    if isinstance(data, int):
        return data
    op, left, right = data
    return (str(op), _tree_from_json(left), _tree_from_json(right))
