"""`KnightsKnaves`: who is a knight (always truthful) and who is a knave (always lying)?

Why this template: the knights-and-knaves puzzles are a classic of propositional reasoning and one
of the logic families every peer has. A puzzle is a set of statements, one per islander, and its
answer assigns a role to everyone; checking an answer needs nothing but the statements, so the
verifier checks the statements themselves rather than comparing strings.

Statements are small formulas over the roles (JSON lists in `metadata["statements"]`):

    ["is", q, true]                 q is a knight (false: a knave)
    ["same", q, r] / ["different", q, r]
    ["count", "exactly" | "at_least" | "at_most", k, [q, …], true]   k of them are knights (knaves)
    ["not", f], ["and", f, g], ["or", f, g], ["if", f, g], ["iff", f, g]

and read in plain English with explicit parentheses around compound parts ("or" is inclusive,
"if … then" is material implication; the prompt says so). An islander p is consistent under an
assignment when (p is a knight) == (p's statement is true).

Generation draws a hidden assignment, then for every islander a statement that is consistent with
it, informative (it is not a tautology or contradiction and rules out some assignment) and not
degenerate (no `X and X`, `X or not X`). Every formula is evaluated on all 2^n assignments at once
as a bitmask (bit a is assignment a), so the set of consistent assignments is one AND over the
islanders, and uniqueness is *proved* by exhaustion: the puzzle is kept only when exactly one bit
survives. While more than one does, a random islander's statement is redrawn, keeping the redraw
when it does not enlarge that set.

Levels, easiest first: two islanders with plain statements; three with and/or/if and "exactly one";
four or five with not/iff, counts and nesting depth 2; six; seven or eight with depth 3.

Verification: the `<answer>` is parsed by `vrgym.verifiers.assignment` (`Name: knight`, `Name is a
knave`, any order, any case, commas/semicolons/newlines); every islander must get exactly one role
and every statement must be consistent with it — which, by uniqueness, is the one solution. Missing
or unknown names, two roles for one name and hedges ("knight or knave") score 0.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import Any, ClassVar

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.problem import JSONValue, Problem
from vrgym.registry import register
from vrgym.template import Draft, Template
from vrgym.verdict import WRONG_ANSWER, Verdict
from vrgym.verifiers.assignment import AssignmentError, choice_value, format_assignment, try_parse_assignment
from vrgym.verifiers.extraction import AnswerFormat

NAMES: tuple[str, ...] = (
    "Aaron", "Abigail", "Adam", "Adrian", "Ahmed", "Aisha", "Alan", "Albert", "Alice", "Amara", "Amelia", "Ana",
    "Andre", "Angela", "Anita", "Anton", "Arjun", "Arthur", "Astrid", "Ava", "Bao", "Beatrice", "Benjamin",
    "Bianca", "Boris", "Brenda", "Bruno", "Caleb", "Camila", "Carlos", "Carmen", "Cecilia", "Chen", "Chloe",
    "Clara", "Colin", "Daniel", "Daria", "David", "Diego", "Dmitri", "Edith", "Elena", "Elias", "Elif", "Elsa",
    "Emil", "Emma", "Enzo", "Erik", "Esther", "Ethan", "Eva", "Farah", "Fatima", "Felix", "Fiona", "Gabriel",
    "Greta", "Hana", "Hannah", "Hassan", "Hector", "Helen", "Hugo", "Ian", "Ibrahim", "Ida", "Igor", "Ilse",
    "Ines", "Irene", "Isaac", "Ivan", "Jack", "Jamal", "Javier", "Jonas", "Jorge", "Julia", "Kai", "Karim",
    "Kate", "Kenji", "Kofi", "Lara", "Laura", "Leo", "Leon", "Lena", "Liam", "Lina", "Lucas", "Lucia", "Luis",
    "Maya", "Marco", "Maria", "Marta", "Mateo", "Mia", "Mila", "Milan", "Mina", "Nadia", "Naomi", "Nikolai",
    "Nina", "Noah", "Nora", "Olga", "Oliver", "Omar", "Oscar", "Otto", "Pablo", "Paolo", "Petra", "Priya",
    "Quentin", "Rafael", "Rania", "Ravi", "Rosa", "Ruben", "Ruth", "Samir", "Sara", "Sean", "Simon", "Sofia",
    "Stefan", "Tara", "Theo", "Tomas", "Uma", "Ursula", "Victor", "Vera", "Wanda", "Xavier", "Yara", "Yusuf",
    "Zara", "Zoe", "Bernard", "Dalia", "Gustav", "Helga", "Imani", "Jasper", "Keiko", "Lorenzo", "Mariam",
    "Nils", "Orla", "Pedro", "Rashid", "Selma", "Tobias", "Valeria", "Wei", "Yuki", "Abel", "Adele", "Agnes",
    "Akira", "Alma", "Amir", "Anders", "Anya", "Aria", "Axel", "Beatriz", "Bela", "Bjorn", "Carla", "Cedric",
    "Chiara", "Cyrus", "Dario", "Delia", "Dorothy", "Duncan", "Eamon", "Edgar", "Eleni", "Elio", "Emre",
    "Esme", "Ezra", "Fabian", "Freya", "Gideon", "Gloria", "Goran", "Hamid", "Harriet", "Henrik", "Hiro",
    "Ilya", "Ingrid", "Isla", "Jana", "Jiro", "Joaquin", "Josefa", "Kamal", "Karin", "Kasper", "Lars",
    "Leila", "Linnea", "Magnus", "Malik", "Marek", "Matilda", "Mei", "Miguel", "Mirela", "Nasser", "Nia",
    "Niamh", "Odile", "Orhan", "Pavel", "Quinn", "Renata", "Rolf", "Rui", "Sasha", "Soren", "Tamar",
    "Tariq", "Thea", "Ulrich", "Ulla", "Vanya", "Vikram", "Wilma", "Yasmin", "Yoel", "Zainab", "Zeno",
    "Zofia", "Lotte", "Malia", "Rowan", "Silas", "Talia", "Anouk", "Idris", "Ottilie",
)  # fmt: skip
"""Islanders' names: single words, distinct ignoring case, none an English word used in the answers."""

EXAMPLE = "Xena: knave, Yorick: knight"
"""The answer-form example in prompts; its names are not islanders' names, so it is never a solution."""

CONNECTIVES = ("and", "or", "not", "if", "iff")
QUANTIFIERS = ("exactly", "at_least", "at_most")
_BINARY = ("and", "or", "if", "iff")
_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_QUANTIFIER_TEXT = {"exactly": "exactly", "at_least": "at least", "at_most": "at most"}
_MAX_PEOPLE = 10
_MAX_ATTEMPTS = 2_000
_MAX_DRAWS = 400
_ROLE = choice_value({"knight": True, "knave": False}, articles=("a", "an"))

Formula = list[Any]
"""A statement as a JSON list (see the module docstring)."""


class KnightsKnavesConfig(TemplateConfig):
    """Number of islanders and the statement grammar: connectives, nesting depth, counts, kinds."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(min_people=2, max_people=2, max_depth=1, connectives=("and", "or"), quantifiers=()),
        "medium": dict(min_people=3, max_people=3, max_depth=1, connectives=("and", "or", "if"), quantifiers=("exactly",)),
        "hard": dict(min_people=4, max_people=5, min_depth=1, max_depth=2, connectives=CONNECTIVES, quantifiers=QUANTIFIERS),
        "expert": dict(min_people=6, max_people=6, min_depth=1, max_depth=2, connectives=CONNECTIVES, quantifiers=QUANTIFIERS),
        "master": dict(min_people=7, max_people=8, min_depth=2, max_depth=3, connectives=CONNECTIVES, quantifiers=QUANTIFIERS),
    }  # fmt: skip
    default_level: ClassVar[str | None] = "medium"

    min_people: int = Field(3, ge=2, le=_MAX_PEOPLE, description="Fewest islanders.")
    max_people: int = Field(3, ge=2, le=_MAX_PEOPLE, description="Most islanders.")
    min_depth: int = Field(0, ge=0, le=4, description="Least nesting of connectives in a statement (0: a plain claim).")
    max_depth: int = Field(1, ge=0, le=4, description="Most nesting of connectives in a statement.")
    connectives: tuple[str, ...] = Field(("and", "or", "if"), description="Connectives statements may use.")
    quantifiers: tuple[str, ...] = Field(("exactly",), description="Counting claims allowed: exactly, at_least, at_most.")
    same_kind: bool = Field(True, description="Allow 'X and Y are of the same kind / of different kinds'.")
    self_reference: float = Field(0.3, ge=0, le=1, description="Chance that a claim inside a statement is about the speaker.")

    @model_validator(mode="after")
    def _coherent(self) -> KnightsKnavesConfig:
        if self.min_people > self.max_people:
            raise ValueError(f"min_people ({self.min_people}) exceeds max_people ({self.max_people})")
        if self.min_depth > self.max_depth:
            raise ValueError(f"min_depth ({self.min_depth}) exceeds max_depth ({self.max_depth})")
        if set(self.connectives) - set(CONNECTIVES) or len(set(self.connectives)) != len(self.connectives):
            raise ValueError(f"connectives {self.connectives!r} must be distinct names from {CONNECTIVES}")
        if set(self.quantifiers) - set(QUANTIFIERS) or len(set(self.quantifiers)) != len(self.quantifiers):
            raise ValueError(f"quantifiers {self.quantifiers!r} must be distinct names from {QUANTIFIERS}")
        if self.max_depth > 0 and not set(self.connectives) & set(_BINARY):
            raise ValueError(f"max_depth > 0 needs at least one of {_BINARY} among the connectives")
        return self


# --------------------------------------------------------------------------------------- semantics


def truth(formula: Formula, knights: Sequence[bool]) -> bool:
    """Whether `formula` holds when islander i is a knight iff `knights[i]`."""
    op = formula[0]
    if op == "is":
        return knights[formula[1]] == formula[2]
    if op == "same":
        return knights[formula[1]] == knights[formula[2]]
    if op == "different":
        return knights[formula[1]] != knights[formula[2]]
    if op == "count":
        _, quantifier, k, group, kind = formula
        hits = sum(knights[q] == kind for q in group)
        return hits == k if quantifier == "exactly" else hits >= k if quantifier == "at_least" else hits <= k
    if op == "not":
        return not truth(formula[1], knights)
    left, right = truth(formula[1], knights), truth(formula[2], knights)
    if op == "and":
        return left and right
    if op == "or":
        return left or right
    if op == "if":
        return right or not left
    if op == "iff":
        return left == right
    raise ValueError(f"unknown statement operator {op!r}")


def consistent(statements: Sequence[Formula], knights: Sequence[bool]) -> list[bool]:
    """For each islander: is their statement's truth equal to their being a knight?"""
    return [truth(statement, knights) == knights[p] for p, statement in enumerate(statements)]


@lru_cache(maxsize=None)
def role_masks(n: int) -> tuple[int, ...]:
    """Bitmask over the 2^n assignments (bit a: islander i is a knight iff bit i of a) per islander."""
    return tuple(sum(1 << a for a in range(1 << n) if a >> i & 1) for i in range(n))


def solutions(statements: Sequence[Formula], n: int) -> list[list[bool]]:
    """Every assignment consistent with all statements, by exhaustion over the 2^n assignments."""
    assignments = [[bool(a >> i & 1) for i in range(n)] for a in range(1 << n)]
    return [knights for knights in assignments if all(consistent(statements, knights))]


# --------------------------------------------------------------------------------------- generation


class _Drawer:
    """Draws statements with their truth tables (bitmasks over all assignments) under a config.

    Hot path of generation: draws use `rng.random()` scaled (`_below`) rather than `randrange`
    and `choice`, which cost several times more per call.
    """

    def __init__(self, rng: random.Random, config: KnightsKnavesConfig, n: int) -> None:
        self.rng, self.config, self.n = rng, config, n
        self.masks = role_masks(n)
        self.full = (1 << (1 << n)) - 1
        self.compound_leaves = (["kind"] if config.same_kind else []) + (["count"] if config.quantifiers else [])
        self.leaves = ["is", "is", "is", *self.compound_leaves]
        self.allowed = frozenset((*config.connectives, *config.quantifiers))

    def _below(self, k: int) -> int:
        return int(self.rng.random() * k)

    def person(self, speaker: int, allow_self: bool) -> int:
        """Someone a claim is about: the speaker (with the configured chance, if allowed) or another islander."""
        if allow_self and self.rng.random() < self.config.self_reference:
            return speaker
        other = self._below(self.n - 1)
        return other + (other >= speaker)

    def leaf(self, speaker: int, allow_self: bool, compound_only: bool = False) -> tuple[Formula, int]:
        """A claim without connectives: a role, same/different kind, or a count."""
        rng, masks, full = self.rng, self.masks, self.full
        kinds = self.compound_leaves if compound_only else self.leaves
        kind = kinds[self._below(len(kinds))]
        if kind == "is":
            q, knight = self.person(speaker, allow_self), rng.random() < 0.5
            return ["is", q, knight], masks[q] if knight else full ^ masks[q]
        if kind == "kind":
            q = self.person(speaker, True)
            r = self.person(speaker, False) if q == speaker else self.person(q, False)
            same = full ^ masks[q] ^ masks[r]
            return (["same", q, r], same) if rng.random() < 0.5 else (["different", q, r], full ^ same)
        size = 2 + self._below(self.n - 1)
        group = sorted(rng.sample(range(self.n), size))
        quantifier = self.config.quantifiers[self._below(len(self.config.quantifiers))]
        k = 1 + self._below(size - 1)
        knight = rng.random() < 0.5
        exact = self._exact_counts([masks[q] if knight else full ^ masks[q] for q in group])
        if quantifier == "exactly":
            mask = exact[k]
        elif quantifier == "at_least":
            mask = _or(exact[k:])
        else:
            mask = _or(exact[: k + 1])
        return ["count", quantifier, k, group, knight], mask

    def _exact_counts(self, members: list[int]) -> list[int]:
        """exact[j]: assignments in which exactly j of the member masks hold."""
        exact = [self.full]
        for member in members:
            miss = self.full ^ member
            exact = [
                (exact[j] if j < len(exact) else 0) & miss | (exact[j - 1] & member if j else 0) for j in range(len(exact) + 1)
            ]
        return exact

    def formula(self, speaker: int, depth: int) -> tuple[Formula, int]:
        """A formula whose connective nesting is exactly `depth`."""
        if depth == 0:
            return self.leaf(speaker, allow_self=False)
        full, connectives = self.full, self.config.connectives
        for _ in range(_MAX_DRAWS):
            op = connectives[self._below(len(connectives))]
            if op == "not":
                if depth == 1 and not self.compound_leaves:
                    continue  # only plain claims below: "not" would just flip knight and knave
                inner, mask = self.formula(speaker, depth - 1) if depth > 1 else self.leaf(speaker, True, compound_only=True)
                if inner[0] == "not":
                    continue  # no double negation
                return ["not", inner], full ^ mask
            low = self._below(depth)
            left, right = (depth - 1, low) if self.rng.random() < 0.5 else (low, depth - 1)
            a, ma = self.formula(speaker, left) if left else self.leaf(speaker, True)
            b, mb = self.formula(speaker, right) if right else self.leaf(speaker, True)
            if ma == mb or ma == full ^ mb or ma in (0, full) or mb in (0, full):
                continue  # X and X, X or not X, or a constant part: degenerate
            if op == "and":
                return ["and", a, b], ma & mb
            if op == "or":
                return ["or", a, b], ma | mb
            if op == "if":
                return ["if", a, b], (full ^ ma) | mb
            return ["iff", a, b], full ^ ma ^ mb
        raise RuntimeError(f"no non-degenerate statement of depth {depth} under {self.config!r}")

    def statement(self, speaker: int, hidden: int, knight: bool) -> tuple[Formula, int]:
        """An informative statement for `speaker` that is consistent with the hidden assignment.

        A drawn formula with the wrong truth value is replaced by its negation in connective-free
        form (`negated`) when it has one, instead of being thrown away. Returns the statement and
        its *constraint*: the assignments in which the speaker's role agrees with its truth.
        """
        config, full, own = self.config, self.full, self.masks[speaker]
        for _ in range(_MAX_DRAWS):
            formula, mask = self.formula(speaker, config.min_depth + self._below(config.max_depth - config.min_depth + 1))
            if mask in (0, full):
                continue
            if (mask >> hidden & 1) != knight:
                flipped = negated(formula, self.allowed)
                if flipped is None:
                    continue
                formula, mask = flipped, full ^ mask
            constraint = full ^ own ^ mask
            if constraint != full:
                return formula, constraint
        raise RuntimeError(f"no consistent informative statement under {config!r}")


def negated(formula: Formula, allowed: Collection[str] = (*CONNECTIVES, *QUANTIFIERS)) -> Formula | None:
    """A formula meaning "not `formula`" without adding a "not" (De Morgan), or None if there is none.

    Keeps the nesting depth: roles flip, same/different swap, at-least/at-most counts swap, and/or
    swap with negated parts, `if a then b` becomes `a and not-b`, `a iff b` becomes `a iff not-b`.
    "Exactly" counts and "not" have no such form, nor has anything whose negation would need a
    connective or quantifier missing from `allowed`.
    """
    op = formula[0]
    if op == "is":
        return ["is", formula[1], not formula[2]]
    if op in ("same", "different"):
        return ["different" if op == "same" else "same", formula[1], formula[2]]
    if op == "count":
        _, quantifier, k, group, kind = formula
        if quantifier == "at_least" and k >= 2 and "at_most" in allowed:
            return ["count", "at_most", k - 1, group, kind]
        if quantifier == "at_most" and k + 1 < len(group) and "at_least" in allowed:
            return ["count", "at_least", k + 1, group, kind]
        return None
    if op in ("and", "or"):
        swapped = "or" if op == "and" else "and"
        left, right = negated(formula[1], allowed), negated(formula[2], allowed)
        return None if left is None or right is None or swapped not in allowed else [swapped, left, right]
    if op in ("if", "iff"):
        right = negated(formula[2], allowed)
        result = "and" if op == "if" else "iff"
        return None if right is None or result not in allowed else [result, formula[1], right]
    return None


def _or(masks: Sequence[int]) -> int:
    result = 0
    for mask in masks:
        result |= mask
    return result


def draw_puzzle(rng: random.Random, config: KnightsKnavesConfig) -> tuple[list[str], list[bool], list[Formula]]:
    """Islanders, their hidden roles and one statement each, with exactly one consistent assignment."""
    for _ in range(_MAX_ATTEMPTS):
        n = config.min_people + int(rng.random() * (config.max_people - config.min_people + 1))
        drawer = _Drawer(rng, config, n)
        knights = [rng.random() < 0.5 for _ in range(n)]
        hidden = sum(1 << i for i, knight in enumerate(knights) if knight)
        drawn = [drawer.statement(p, hidden, knights[p]) for p in range(n)]
        constraints = [constraint for _, constraint in drawn]
        alive = _and(constraints, drawer.full)
        for _ in range(8 * n):
            if alive.bit_count() == 1:
                return rng.sample(NAMES, n), knights, [formula for formula, _ in drawn]
            p = int(rng.random() * n)
            candidate = drawer.statement(p, hidden, knights[p])
            trial = _and(constraints[:p] + [candidate[1]] + constraints[p + 1 :], drawer.full)
            if trial.bit_count() <= alive.bit_count():
                drawn[p], constraints[p], alive = candidate, candidate[1], trial
    raise RuntimeError(f"no knights-and-knaves puzzle with a unique solution after {_MAX_ATTEMPTS} attempts under {config!r}")


def _and(masks: Sequence[int], full: int) -> int:
    result = full
    for mask in masks:
        result &= mask
    return result


# --------------------------------------------------------------------------------------- rendering


def render(formula: Formula, speaker: int, names: Sequence[str]) -> str:
    """English for `formula` as said by islander `speaker` ("I" for the speaker)."""
    op = formula[0]
    if op == "is":
        role = "a knight" if formula[2] else "a knave"
        return f"I am {role}" if formula[1] == speaker else f"{names[formula[1]]} is {role}"
    if op in ("same", "different"):
        q, r = formula[1], formula[2]
        pair = f"{names[r]} and I" if q == speaker else f"{names[q]} and I" if r == speaker else f"{names[q]} and {names[r]}"
        return f"{pair} are of the same kind" if op == "same" else f"{pair} are of different kinds"
    if op == "count":
        _, quantifier, k, group, knight = formula
        if len(group) == len(names) and speaker in group:
            who = "us"
        else:
            members = [names[q] for q in group if q != speaker] + (["me"] if speaker in group else [])
            who = ", ".join(members[:-1]) + " and " + members[-1]
        noun = ("is a knight" if knight else "is a knave") if k == 1 else ("are knights" if knight else "are knaves")
        return f"{_QUANTIFIER_TEXT[quantifier]} {_NUMBERS[k]} of {who} {noun}"
    if op == "not":
        return f"it is not the case that {_part(formula[1], speaker, names)}"
    left, right = _part(formula[1], speaker, names), _part(formula[2], speaker, names)
    if op == "and":
        return f"{left} and {right}"
    if op == "or":
        return f"{left} or {right}"
    if op == "if":
        return f"if {left}, then {right}"
    return f"{left} if and only if {right}"


def _part(formula: Formula, speaker: int, names: Sequence[str]) -> str:
    """An operand of a connective: parenthesised when compound or when its own words contain "and"."""
    text = render(formula, speaker, names)
    return f"({text})" if formula[0] in CONNECTIVES or " and " in text else text


def quote(formula: Formula, speaker: int, names: Sequence[str]) -> str:
    """The statement as a quoted sentence: capitalised, with a full stop."""
    text = render(formula, speaker, names)
    return f'"{text[0].upper()}{text[1:]}."'


def depth_of(formula: Formula) -> int:
    """Connective nesting of a statement (0 for a plain claim)."""
    if formula[0] not in CONNECTIVES:
        return 0
    return 1 + max(depth_of(part) for part in formula[1:])


def uses(formula: Formula, op: str) -> bool:
    """Whether `op` occurs anywhere in `formula`."""
    return formula[0] == op or (formula[0] in CONNECTIVES and any(uses(part, op) for part in formula[1:]))


# --------------------------------------------------------------------------------------- template


@register
class KnightsKnaves(Template):
    """Decide who is a knight and who is a knave; answer `Name: knight, …` between <answer> tags."""

    name = "KnightsKnaves"
    version = 0
    domain = "logic"
    tags = ("logic/knights_knaves",)
    description = "Knights always tell the truth, knaves always lie: find everyone's role (unique solution)."
    Config = KnightsKnavesConfig
    answer_format = AnswerFormat.TAG

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, KnightsKnavesConfig)
        people, knights, statements = draw_puzzle(rng, config)
        n = len(people)
        listed = ", ".join(people[:-1]) + " and " + people[-1]
        lines = [
            "On an island, every inhabitant is either a knight or a knave. Knights always tell the truth; "
            "knaves always lie.",
            f"You meet {_NUMBERS[n]} inhabitants: {listed}.",
            "",
            *(f"- {people[p]} says: {quote(statements[p], p, people)}" for p in range(n)),
            "",
            'In the statements, "or" means at least one of the two (possibly both); "if A, then B" is false only '
            'when A is true and B is false; "of the same kind" means both knights or both knaves; parentheses '
            "group the parts of a statement.",
            "Exactly one assignment of roles is consistent with all the statements. Who is a knight and who is a knave?",
            "Give every inhabitant's role as `Name: knight` or `Name: knave`, separated by commas, in any order "
            f"(the form only, with other names: {EXAMPLE}).",
            self.answer_format.instruction,
        ]
        tags = []
        depths = [depth_of(s) for s in statements]
        if max(depths) >= 2:
            tags.append("logic/knights_knaves/nested")
        if any(uses(s, "count") for s in statements):
            tags.append("logic/knights_knaves/counting")
        return Draft(
            prompt="\n".join(lines),
            answer={"roles": {name: "knight" if knight else "knave" for name, knight in zip(people, knights)}},
            metadata={"people": people, "statements": statements, "max_depth": max(depths)},
            tags=tuple(tags),
        )

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        people = [str(name) for name in problem.metadata["people"]]
        parsed = try_parse_assignment(answer, people, _ROLE)
        if isinstance(parsed, AssignmentError):
            hint = "write every inhabitant as `Name: knight` or `Name: knave`"
            return Verdict.fail(parsed.reason, f"{parsed} ({hint})", answer=answer)
        knights = [parsed[name] for name in people]
        statements: list[JSONValue] = problem.metadata["statements"]
        agreement = consistent(statements, knights)
        checks = {f"{name} consistent": ok for name, ok in zip(people, agreement)}
        if all(agreement):
            return Verdict.correct(checks=checks, answer=answer)
        broken = [name for name, ok in zip(people, agreement) if not ok]
        return Verdict.fail(
            WRONG_ANSWER,
            f"with these roles the statement of {', '.join(broken)} does not fit "
            "(a knight's statement must be true, a knave's false)",
            checks=checks,
            answer=answer,
        )

    def reference_response(self, problem: Problem) -> str:
        people = [str(name) for name in problem.metadata["people"]]
        roles = problem.answer["roles"]
        knights = [roles[name] == "knight" for name in people]
        statements = problem.metadata["statements"]
        lines = [f"There are 2^{len(people)} = {1 << len(people)} possible role assignments; exactly one survives. Checking it:"]
        for p, name in enumerate(people):
            said = quote(statements[p], p, people)
            value = "true" if truth(statements[p], knights) else "false"
            lines.append(f"- {name} is a {roles[name]}, and their statement {said} is {value}, as it must be.")
        lines.append(self.answer_format.wrap(format_assignment({name: roles[name] for name in people}, ": ")))
        return "\n".join(lines)
