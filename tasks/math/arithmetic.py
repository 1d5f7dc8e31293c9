"""`Arithmetic`: evaluate a multi-step expression with + − × ÷ and parentheses, exactly.

Why this template: it is the smallest task that exercises the whole contract (levels, stable
seeding, typed JSON gold, boxed extraction, a strict exact-number parser) and it trains a skill
models still get wrong — order of operations and exact fraction arithmetic over several steps.

Generation. An expression is a *group*: a flat sequence of atoms joined by operators, evaluated
with the usual precedence (× and ÷ before + and −, left to right). An atom is a literal or, while
the nesting budget lasts, a parenthesised sub-group; operators are chosen so that every pair of
parentheses changes the meaning (`a - (b + c)`, never `a + (b × c)`). Every value (atoms, partial products, partial
sums, the result) is computed with `fractions.Fraction` — no float anywhere — and must stay within
`max_magnitude` in numerator and denominator; a draw that divides by zero or grows too large is
thrown away and redrawn (measured: 0-10% of draws, most at expert). Levels with `integer_only`
(easy, medium) divide only where the quotient is an integer, so every answer there is an integer;
harder levels allow any division, negative literals and fraction literals, so answers are a mix
of integers and fractions.

Verification. The single `\\boxed{}` answer is parsed by `vrgym.verifiers.numbers` (integers,
`a/b`, `\\frac{a}{b}`, exact terminating decimals; no eval, no sympy) and compared exactly. The
prompt asks for lowest terms, and that is enforced: `6/4` for 3/2 is a `format` failure (value
right, form not as asked), `0.5` for 1/2 is accepted (an exact decimal), `0.333` for 1/3 is wrong.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar, Union

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.problem import JSONValue, Problem
from vrgym.registry import register
from vrgym.template import Draft, Template
from vrgym.verdict import FORMAT, WRONG_ANSWER, Verdict
from vrgym.verifiers.extraction import AnswerFormat
from vrgym.verifiers.numbers import NumberFormatError, format_fraction, parse_exact_number

SYMBOLS = {"+": "+", "-": "-", "*": "×", "/": "÷"}
"""How each operator is shown in prompts and worked solutions (one spelling per operator)."""
_ADDITIVE = ("+", "-")
_MAX_ATTEMPTS = 10_000


@dataclass(frozen=True)
class Group:
    """A flat run of atoms and operators; an atom is an exact literal or a parenthesised Group."""

    atoms: tuple[Fraction | Group, ...]
    ops: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.atoms) < 2 or len(self.ops) != len(self.atoms) - 1:
            raise ValueError("a group needs at least two atoms and one operator between each pair")


Atom = Union[Fraction, Group]


class _Reject(Exception):
    """A draw that divides by zero or leaves the size bound; generation redraws."""


# --------------------------------------------------------------------------------------- evaluation


def evaluate(group: Group, bound: int | None = None) -> Fraction:
    """Exact value of `group`; with `bound`, every intermediate value must fit (else `_Reject`)."""

    def value(atom: Atom) -> Fraction:
        return evaluate(atom, bound) if isinstance(atom, Group) else _checked(atom, bound)

    total, pending, term = Fraction(0), "+", value(group.atoms[0])
    for op, atom in zip(group.ops, group.atoms[1:]):
        operand = value(atom)
        if op == "*":
            term = _checked(term * operand, bound)
        elif op == "/":
            if operand == 0:
                raise _Reject("division by zero")
            term = _checked(term / operand, bound)
        else:
            total = _checked(total + term if pending == "+" else total - term, bound)
            pending, term = op, operand
    return _checked(total + term if pending == "+" else total - term, bound)


def _checked(value: Fraction, bound: int | None) -> Fraction:
    if bound is not None and (abs(value.numerator) > bound or value.denominator > bound):
        raise _Reject(f"{value} is outside the size bound {bound}")
    return value


def depth(atom: Atom) -> int:
    """Parenthesis nesting depth of an atom (0 for a literal or a group without sub-groups)."""
    if not isinstance(atom, Group):
        return 0
    inner = [depth(a) + 1 for a in atom.atoms if isinstance(a, Group)]
    return max(inner, default=0)


def render(atom: Atom) -> str:
    """Readable text: `3 + 4 × (2 - (-5)) ÷ (3/4)`; negative and fraction literals are parenthesised."""
    if isinstance(atom, Group):
        parts = [_render_atom(atom.atoms[0])]
        for op, operand in zip(atom.ops, atom.atoms[1:]):
            parts += [SYMBOLS[op], _render_atom(operand)]
        return " ".join(parts)
    return format_fraction(atom)


def _render_atom(atom: Atom) -> str:
    if isinstance(atom, Group) or atom < 0 or atom.denominator != 1:
        return f"({render(atom)})"
    return render(atom)


def to_json(group: Group) -> list[JSONValue]:
    """JSON form: `[atom, op, atom, …]`, a literal as its text ("-7/3"), a sub-group as a list."""
    out: list[JSONValue] = [_atom_json(group.atoms[0])]
    for op, atom in zip(group.ops, group.atoms[1:]):
        out += [op, _atom_json(atom)]
    return out


def _atom_json(atom: Atom) -> JSONValue:
    return to_json(atom) if isinstance(atom, Group) else format_fraction(atom)


def from_json(data: list[Any]) -> Group:
    """Inverse of `to_json`."""
    atoms = tuple(from_json(a) if isinstance(a, list) else Fraction(a) for a in data[0::2])
    return Group(atoms, tuple(data[1::2]))


def has_redundant_parentheses(group: Group) -> bool:
    """True if some sub-group's parentheses could be dropped without changing the value's derivation.

    `(a + b) - c`, `a + (b × c)` and `a × (b ÷ c)` are redundant; `a - (b + c)`, `(a + b) × c` and
    `a ÷ (b × c)` are not. Generation redraws expressions with redundant parentheses, so every pair
    of parentheses shown matters.
    """
    for position, atom in enumerate(group.atoms):
        if not isinstance(atom, Group):
            continue
        before = group.ops[position - 1] if position else "+"
        after = group.ops[position] if position < len(group.ops) else "+"
        additive = any(op in _ADDITIVE for op in atom.ops)
        needed = (before in "*/-" or after in "*/") if additive else before == "/"
        if not needed or has_redundant_parentheses(atom):
            return True
    return False


def _literals(group: Group) -> list[Fraction]:
    out: list[Fraction] = []
    for atom in group.atoms:
        out.extend(_literals(atom) if isinstance(atom, Group) else [atom])
    return out


# --------------------------------------------------------------------------------------- config


class ArithmeticConfig(TemplateConfig):
    """Shape of the expressions; each level sets all fields (see `levels`)."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(min_operands=2, max_operands=3, max_value=10, operators="+-*", integer_only=True, max_depth=0),
        "medium": dict(min_operands=3, max_operands=4, max_value=20, operators="+-*/", integer_only=True, max_depth=1),
        "hard": dict(
            min_operands=4, max_operands=6, max_value=30, operators="+-*/", integer_only=False,
            negative_probability=0.2, max_depth=2, max_magnitude=10_000,
        ),
        "expert": dict(
            min_operands=5, max_operands=8, max_value=50, operators="+-*/", integer_only=False,
            negative_probability=0.25, fraction_probability=0.25, max_depth=3, max_magnitude=100_000,
        ),
    }
    default_level: ClassVar[str | None] = "medium"

    min_operands: int = Field(3, ge=2, le=20, description="Fewest literals in an expression.")
    max_operands: int = Field(4, ge=2, le=20, description="Most literals in an expression.")
    max_value: int = Field(20, ge=1, le=10_000, description="Largest magnitude of an integer literal (and fraction numerator).")
    operators: str = Field("+-*/", description="Operators to draw from, a subset of '+-*/' with at least one of '+-*'.")
    integer_only: bool = Field(True, description="Divide only where the quotient is an integer: every value is an integer.")
    negative_probability: float = Field(0.0, ge=0, le=1, description="Chance that a literal is negative, shown as (-3).")
    fraction_probability: float = Field(0.0, ge=0, le=1, description="Chance that a literal is a fraction, shown as (3/4).")
    max_fraction_denominator: int = Field(9, ge=2, le=100, description="Largest denominator of a fraction literal.")
    max_depth: int = Field(1, ge=0, le=6, description="Deepest parenthesis nesting.")
    max_magnitude: int = Field(
        10_000, ge=10, le=10**12, description="Bound on |numerator| and denominator of every intermediate value."
    )

    @model_validator(mode="after")
    def _coherent(self) -> ArithmeticConfig:
        if self.min_operands > self.max_operands:
            raise ValueError(f"min_operands ({self.min_operands}) exceeds max_operands ({self.max_operands})")
        if not self.operators or set(self.operators) - set(SYMBOLS) or len(set(self.operators)) != len(self.operators):
            raise ValueError(f"operators {self.operators!r} must be distinct characters from '+-*/'")
        if not set(self.operators) & {"+", "-", "*"}:
            raise ValueError("operators must include at least one of '+', '-', '*'")
        if self.max_depth > 0 and not set(self.operators) & set(_ADDITIVE):
            raise ValueError("parentheses (max_depth > 0) need '+' or '-' among the operators")
        if self.integer_only and self.fraction_probability > 0:
            raise ValueError("fraction_probability must be 0 when integer_only is true")
        if self.max_magnitude < max(self.max_value, self.max_fraction_denominator):
            raise ValueError("max_magnitude must be at least max_value and max_fraction_denominator")
        return self


# --------------------------------------------------------------------------------------- generator


class _Builder:
    """Draws one expression from `rng` under `config` (raises `_Reject` on a bad draw)."""

    def __init__(self, rng: random.Random, config: ArithmeticConfig) -> None:
        self.rng, self.config = rng, config
        self.plain_ops = [op for op in config.operators if op != "/"]

    def group(self, operands: int, depth_left: int, top: bool = False) -> Group:
        """A group of `operands` literals; a nested one (not `top`) has a top-level + or -.

        Operators are chosen so that every pair of parentheses matters: a sub-group (always
        additive) is preceded by ×, ÷ or -, or, in first place, followed by × or ÷.
        """
        sizes = self._sizes(operands, depth_left, top)
        additive_at = None
        if not top:  # the operator after a leading sub-group must be × or ÷, so + or - goes later
            if sizes[0] > 1 and len(sizes) == 2:
                sizes = [1, operands - 1]
            additive_at = self.rng.randrange(2 if sizes[0] > 1 else 1, len(sizes))
        atoms: list[Atom] = []
        ops: list[str] = []
        term = Fraction(0)  # value of the current ×/÷ chain, needed for exact division
        for position, size in enumerate(sizes):
            choices = self._operators(position, size, sizes, additive_at)
            op = self.rng.choice(choices)
            divisor = None
            if op == "/" and self.config.integer_only:
                divisor = self._exact_divisor(term) if size == 1 else None
                if divisor is None:
                    op = self.rng.choice([c for c in choices if c != "/"] or self.plain_ops)
            atom: Atom = divisor if divisor is not None else self.atom(size, depth_left)
            value = evaluate(atom, self.config.max_magnitude) if isinstance(atom, Group) else atom
            if op == "/" and value == 0:
                raise _Reject("division by zero")
            term = term * value if op == "*" else term / value if op == "/" else value
            if position:
                ops.append(op)
            atoms.append(atom)
        return Group(tuple(atoms), tuple(ops))

    def _operators(self, position: int, size: int, sizes: list[int], additive_at: int | None) -> list[str]:
        """Operators allowed in front of atom `position` ("+" for the first), honouring the constraints above."""
        if position == 0:
            return ["+"]
        allowed = set(self.config.operators)
        if position == additive_at:
            allowed &= set(_ADDITIVE)
        if size > 1:  # a sub-group follows: its parentheses must matter
            allowed &= {"*", "-"} if self.config.integer_only else {"*", "/", "-"}
        if position == 1 and sizes[0] > 1:  # a leading sub-group needs × or ÷ after it
            allowed &= {"*", "/"}
        return [op for op in self.config.operators if op in allowed] or list(self.config.operators)

    def atom(self, size: int, depth_left: int) -> Atom:
        return self.literal() if size == 1 else self.group(size, depth_left - 1)

    def literal(self) -> Fraction:
        config, rng = self.config, self.rng
        if config.fraction_probability and rng.random() < config.fraction_probability:
            denominator = rng.randint(2, config.max_fraction_denominator)
            numerator = rng.randint(1, config.max_value)
            while numerator % denominator == 0:
                numerator = rng.randint(1, config.max_value)
            value = Fraction(numerator, denominator)
        else:
            value = Fraction(rng.randint(1, config.max_value))
        return -value if rng.random() < config.negative_probability else value

    def _exact_divisor(self, term: Fraction) -> Fraction | None:
        """A literal (other than ±1) dividing the integer `term`, or None if there is none."""
        candidates = [d for d in range(2, self.config.max_value + 1) if term.numerator % d == 0]
        if not candidates:
            return None
        value = Fraction(self.rng.choice(candidates))
        return -value if self.rng.random() < self.config.negative_probability else value

    def _sizes(self, operands: int, depth_left: int, top: bool) -> list[int]:
        """Split `operands` literals among the atoms of one group (>1 means a parenthesised sub-group).

        Few, large atoms make deep nesting likely; the top group always gets a sub-group when the
        budget allows, a deeper group stays flat one time in three.
        """
        if depth_left == 0 or operands < 3 or (not top and self.rng.random() < 1 / 3):
            return [1] * operands
        atoms = self.rng.randint(2, max(2, (operands + 1) // 2))
        cuts = sorted(self.rng.sample(range(1, operands), atoms - 1))
        return [b - a for a, b in zip([0, *cuts], [*cuts, operands])]


def draw_expression(rng: random.Random, config: ArithmeticConfig) -> tuple[Group, Fraction]:
    """One expression and its exact value, redrawn until it never divides by zero and stays in bounds."""
    builder = _Builder(rng, config)
    for _ in range(_MAX_ATTEMPTS):
        operands = rng.randint(config.min_operands, config.max_operands)
        try:
            group = builder.group(operands, config.max_depth, top=True)
            value = evaluate(group, config.max_magnitude)
        except _Reject:
            continue
        if not has_redundant_parentheses(group):
            return group, value
    raise RuntimeError(f"no expression within bounds after {_MAX_ATTEMPTS} draws; raise max_magnitude in {config!r}")


# --------------------------------------------------------------------------------------- template


def collapse_innermost(group: Group) -> tuple[Group, list[tuple[Group, Fraction]]]:
    """Replace every innermost parenthesised sub-group by its value; return the new group and what was done."""
    done: list[tuple[Group, Fraction]] = []

    def visit(atom: Atom) -> Atom:
        if not isinstance(atom, Group):
            return atom
        if depth(atom) == 0:
            value = evaluate(atom)
            done.append((atom, value))
            return value
        return Group(tuple(visit(a) for a in atom.atoms), atom.ops)

    collapsed = Group(tuple(visit(a) for a in group.atoms), group.ops)
    return collapsed, done


@register
class Arithmetic(Template):
    """Evaluate an arithmetic expression exactly; answer an integer or a reduced fraction in \\boxed{}."""

    name = "Arithmetic"
    version = 0
    domain = "math"
    tags = ("math/arithmetic", "math/arithmetic/order_of_operations")
    description = "Evaluate + - × ÷ expressions with parentheses exactly (integer or reduced fraction)."
    Config = ArithmeticConfig
    answer_format = AnswerFormat.BOXED

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, ArithmeticConfig)
        group, value = draw_expression(rng, config)
        expression = render(group)
        literals = _literals(group)
        notes = []
        if any(x < 0 for x in literals):
            notes.append("A parenthesised number with a minus sign, such as (-3), is a negative number.")
        if any(x.denominator != 1 for x in literals):
            notes.append("A parenthesised a/b, such as (3/4), is a fraction.")
        prompt = "\n".join(
            [
                "Evaluate the following expression exactly. Use the usual order of operations: parentheses first, "
                "then × and ÷ from left to right, then + and - from left to right.",
                *notes,
                "",
                expression,
                "",
                "Give the exact value as an integer or as a fraction in lowest terms with the sign in front, "
                "such as -7/3 (an exact decimal such as 2.5 is also accepted). A fraction that can still be "
                "reduced, such as 6/4, is not accepted, and neither is a rounded decimal.",
                self.answer_format.instruction,
            ]
        )
        tags = ["math/arithmetic/division"] if "/" in group_ops(group) else []
        if depth(group) > 0:
            tags.append("math/arithmetic/parentheses")
        if any(x < 0 for x in literals):
            tags.append("math/arithmetic/negative_numbers")
        if value.denominator != 1 or any(x.denominator != 1 for x in literals):
            tags.append("math/arithmetic/fractions")
        return Draft(
            prompt=prompt,
            answer={"numerator": value.numerator, "denominator": value.denominator, "display": format_fraction(value)},
            metadata={
                "expression": expression,
                "tree": to_json(group),
                "operands": len(literals),
                "depth": depth(group),
            },
            tags=tuple(tags),
        )

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        gold = Fraction(int(problem.answer["numerator"]), int(problem.answer["denominator"]))
        try:
            number = parse_exact_number(answer)
        except NumberFormatError as exc:
            return Verdict.fail(FORMAT, str(exc), checks={"parsed": False}, answer=answer)
        checks = {"parsed": True, "value": number.value == gold, "lowest_terms": number.reduced}
        if number.value != gold:
            return Verdict.fail(WRONG_ANSWER, "the boxed value is not the value of the expression", checks=checks, answer=answer)
        if not number.reduced:
            return Verdict.fail(
                FORMAT,
                "the value is right but the fraction is not in lowest terms, as the prompt requires; "
                "divide numerator and denominator by their greatest common divisor",
                checks=checks,
                answer=answer,
            )
        return Verdict.correct(checks=checks, answer=answer)

    def reference_response(self, problem: Problem) -> str:
        group = from_json(problem.metadata["tree"])
        lines = []
        step = 1
        while depth(group) > 0:
            group, done = collapse_innermost(group)
            evaluated = "; ".join(f"({render(inner)}) = {format_fraction(value)}" for inner, value in done)
            lines.append(f"Step {step}: innermost parentheses: {evaluated}. The expression becomes {render(group)}.")
            step += 1
        value = evaluate(group)
        lines.append(f"Step {step}: × and ÷ first, then + and -: {render(group)} = {format_fraction(value)}.")
        lines.append(self.answer_format.wrap(format_fraction(value)))
        return "\n".join(lines)


def group_ops(group: Group) -> set[str]:
    """Every operator used in `group`, at any depth."""
    ops = set(group.ops)
    for atom in group.atoms:
        if isinstance(atom, Group):
            ops |= group_ops(atom)
    return ops
