"""`MultiStepWordProblem`: GSM8K-style word problems whose answer needs a chain of 3 to 9 steps.

Why this template: grade-school word problems test whether a model can turn sentences into a
chain of operations and carry it out without dropping a step. Generated from a small *program*
(a start value and a list of events), the gold is exact by construction, the number of steps is
known, and the worked solution mirrors the chain one operation per line.

Two kinds of story:

* accumulator stories (`_word_themes.THEMES`: shopping, a bakery, a water tank filled at a rate,
  a van's trip at a speed, a warehouse's stock) — one running amount changed by events: add or
  remove an amount (1 step), add or remove n groups of m (2 steps: the product, then the
  change), remove a fraction or a percentage of what there is (2 steps), multiply (1 step), and,
  only as the last event, share equally (1 step, with its own question);
* ages puzzles — people whose ages are defined one from the previous (older by, younger by,
  twice, half as old), asking for the last age, an age in k years, a difference, or the sum of
  all ages.

Levels change the problem, not only the numbers: easy chains are 3 steps of whole-number
addition, subtraction and groups; medium chains are 5 steps and add fractions, percentages,
equal sharing and ages puzzles; hard chains are 7-9 steps where money can end in cents.

Every amount is a `Fraction` and must stay a whole multiple of its theme's quantum (whole
muffins, cents, half litres) and positive; draws that break this are redrawn. The gold is
`G.rational` (an integer gold when whole), so `12.75`, `51/4` and `\\frac{51}{4}` all score.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.registry import register
from vrgym.tasks.math._math_template import MathTemplate
from vrgym.tasks.math._word_themes import NAMES, PRONOUNS, THEMES, Theme
from vrgym.template import Draft
from vrgym.verifiers.math import gold as G

COSTS: dict[str, int] = {
    "add": 1, "sub": 1, "times": 1, "share": 1,
    "add_groups": 2, "sub_groups": 2, "fraction_off": 2, "percent_off": 2,
}
"""Arithmetic steps each event takes."""
FRACTIONS = tuple(Fraction(f) for f in ("1/2", "1/3", "2/3", "1/4", "3/4", "1/5", "2/5", "3/5", "1/6", "1/8"))
PERCENTS = (5, 10, 15, 20, 25, 30, 40, 50, 60, 75)
KINDS = ("accumulator", "ages")
_MAX_DRAWS = 500


class _Reject(Exception):
    """A draw that leaves whole units, goes non-positive or cannot hit the step count; redraw."""


def number(value: Fraction) -> str:
    """A value as written in stories and solutions: 12, 12.5, 12.75 (amounts are multiples of 1/100)."""
    if value.denominator == 1:
        return str(value.numerator)
    cents = value * 100
    if cents.denominator != 1:
        raise ValueError(f"{value} is not a whole number of hundredths")
    sign = "-" if value < 0 else ""
    whole, rest = divmod(abs(cents.numerator), 100)
    return f"{sign}{whole}.{rest:02d}".rstrip("0")


def amount(theme: Theme, value: Fraction) -> str:
    """An amount in the theme's words: `$12.50` (money keeps its cents), `36 muffins`, `12.5 litres`."""
    text = number(value)
    if theme.money and value.denominator != 1:
        whole, cents = divmod(abs((value * 100).numerator), 100)
        text = f"{whole}.{cents:02d}"
    return theme.amount.format(text)


# --------------------------------------------------------------------------------------- programs


def run_accumulator(start: Fraction, events: list[list[Any]]) -> tuple[Fraction, list[tuple[str, Fraction, Fraction, Fraction]]]:
    """Evaluate an accumulator program; returns the result and (op, a, b, result) per arithmetic step.

    Event encodings (JSON-friendly): ["add", k], ["sub", k], ["times", n], ["share", n],
    ["add_groups", n, m], ["sub_groups", n, m], ["fraction_off", "p/q"], ["percent_off", pct].
    """
    value, steps = start, []
    for event in events:
        kind, args = event[0], [Fraction(a) for a in event[1:]]
        if kind == "add":
            steps.append(("+", value, args[0], value + args[0]))
        elif kind == "sub":
            steps.append(("-", value, args[0], value - args[0]))
        elif kind == "times":
            steps.append(("×", value, args[0], value * args[0]))
        elif kind == "share":
            steps.append(("÷", value, args[0], value / args[0]))
        elif kind in ("add_groups", "sub_groups"):
            group = args[0] * args[1]
            steps.append(("×", args[0], args[1], group))
            steps.append(("+" if kind == "add_groups" else "-", value, group, value + group if kind == "add_groups" else value - group))
        elif kind == "fraction_off":
            part = value * args[0]
            steps.append(("×", value, args[0], part))
            steps.append(("-", value, part, value - part))
        elif kind == "percent_off":
            part = value * args[0] / 100
            steps.append(("× %", value, args[0], part))
            steps.append(("-", value, part, value - part))
        else:
            raise ValueError(f"unknown event {kind!r}; known: {sorted(COSTS)}")
        value = steps[-1][3]
    return value, steps


def run_ages(base: int, relations: list[list[Any]], question: list[Any]) -> tuple[Fraction, list[Fraction]]:
    """Evaluate an ages program: the answer and every person's age (first is `base`)."""
    ages = [Fraction(base)]
    for kind, k in relations:
        prev = ages[-1]
        ages.append({"older": prev + k, "younger": prev - k, "times": prev * k, "half": prev / 2}[kind])
    if question[0] == "age":
        return ages[-1], ages
    if question[0] == "future":
        return ages[-1] + question[1], ages
    if question[0] == "difference":
        return ages[-1] - ages[0], ages
    return sum(ages, Fraction(0)), ages


# --------------------------------------------------------------------------------------- config


class WordProblemConfig(TemplateConfig):
    """Chain length, the event kinds allowed, and which kinds of story to draw."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(min_steps=3, max_steps=3, events=("add", "sub", "add_groups", "sub_groups"), kinds=("accumulator",),
                     allow_cents=False),
        "medium": dict(min_steps=5, max_steps=5, events=tuple(COSTS), kinds=KINDS, allow_cents=False),
        "hard": dict(min_steps=7, max_steps=9, events=tuple(COSTS), kinds=KINDS, allow_cents=True),
    }
    default_level: ClassVar[str | None] = "medium"

    min_steps: int = Field(5, ge=2, le=12, description="Fewest arithmetic steps in the chain.")
    max_steps: int = Field(5, ge=2, le=12, description="Most arithmetic steps in the chain.")
    events: tuple[str, ...] = Field(tuple(COSTS), description=f"Accumulator events allowed, from {sorted(COSTS)}.")
    kinds: tuple[str, ...] = Field(KINDS, description=f"Kinds of story, from {list(KINDS)}.")
    allow_cents: bool = Field(False, description="Money amounts may end in cents (otherwise only whole dollars).")

    @model_validator(mode="after")
    def _coherent(self) -> WordProblemConfig:
        if self.min_steps > self.max_steps:
            raise ValueError(f"min_steps ({self.min_steps}) exceeds max_steps ({self.max_steps})")
        unknown = set(self.events) - set(COSTS)
        if unknown or not self.events:
            raise ValueError(f"events must be a non-empty subset of {sorted(COSTS)}; unknown: {sorted(unknown)}")
        if not {"add", "sub", "times", "share"} & set(self.events) and self.min_steps % 2:
            raise ValueError("an odd step count needs a one-step event (add, sub, times or share) among events")
        if not self.kinds or set(self.kinds) - set(KINDS):
            raise ValueError(f"kinds must be a non-empty subset of {list(KINDS)}")
        return self


# --------------------------------------------------------------------------------------- drawing


def _pick(rng: random.Random, low: int, high: int, step: int) -> Fraction:
    return Fraction(low + step * rng.randint(0, (high - low) // step))


def _whole(value: Fraction, quantum: Fraction) -> bool:
    return value > 0 and (value / quantum).denominator == 1


def _event(rng: random.Random, theme: Theme, kind: str, value: Fraction, config: WordProblemConfig) -> list[Any]:
    """Parameters for one event that keep the running amount whole and positive (else `_Reject`)."""
    quantum = theme.quantum if (config.allow_cents or not theme.money) else Fraction(1)
    if kind in ("add", "sub"):
        k = _pick(rng, *theme.step)
        if theme.money and config.allow_cents and rng.random() < 0.4:
            k += Fraction(rng.choice((25, 50, 75, 99, 49)), 100)
        if kind == "sub" and not _whole(value - k, quantum):
            raise _Reject("the amount would not stay positive")
        return [kind, str(k)]
    if kind in ("add_groups", "sub_groups"):
        n = rng.randint(2, 9)
        m = Fraction(rng.randint(2, 25 if not theme.money else 15))
        if theme.key == "trip":
            m = _pick(rng, 30, 90, 5)
        if theme.money and config.allow_cents and rng.random() < 0.5:
            m += Fraction(rng.choice((25, 50, 75)), 100)
        if kind == "sub_groups" and not _whole(value - n * m, quantum):
            raise _Reject("the amount would not stay positive")
        return [kind, str(n), str(m)]
    if kind == "fraction_off":
        options = [f for f in FRACTIONS if _whole(value * f, quantum) and _whole(value - value * f, quantum)]
        if not options:
            raise _Reject("no fraction of the amount is whole")
        return [kind, str(rng.choice(options))]
    if kind == "percent_off":
        options = [p for p in PERCENTS if _whole(value * p / 100, quantum)]
        if not options:
            raise _Reject("no percentage of the amount is whole")
        return [kind, str(rng.choice(options))]
    if kind == "times":
        return [kind, str(rng.choice((2, 3)))]
    options = [n for n in range(2, 9) if _whole(value / n, quantum)]  # share
    if not options:
        raise _Reject("the amount cannot be shared equally")
    return [kind, str(rng.choice(options))]


def draw_accumulator(rng: random.Random, config: WordProblemConfig, steps: int) -> dict[str, Any]:
    """An accumulator program of exactly `steps` arithmetic steps (raises `_Reject` on a bad draw)."""
    theme = rng.choice(THEMES)
    allowed = [e for e in config.events if e in theme.events or (e == "share" and theme.share_question)]
    value = _pick(rng, *theme.start)
    start, events, left = value, [], steps
    while left > 0:
        fitting = [e for e in allowed if COSTS[e] <= left and (e != "share" or COSTS[e] == left)]
        fitting = [e for e in fitting if not events or e != events[-1][0]] or fitting  # vary consecutive events
        if not fitting:
            raise _Reject("no event fits the steps left")
        for attempt in range(4):  # another event kind before giving up the whole story
            kind = rng.choice(fitting)
            try:
                event = _event(rng, theme, kind, value, config)
                break
            except _Reject:
                if attempt == 3:
                    raise
        value, _ = run_accumulator(value, [event])
        if value > 100_000:
            raise _Reject("the amount grew too large to be a sensible story")
        events.append(event)
        left -= COSTS[kind]
    return {"kind": "accumulator", "theme": theme.key, "start": str(start), "events": events}


def draw_ages(rng: random.Random, steps: int) -> dict[str, Any]:
    """An ages program of exactly `steps` arithmetic steps (raises `_Reject` on a bad draw)."""
    shapes = [(steps, ["age"]), (steps - 1, ["future", rng.choice((2, 3, 4, 5, 6, 10))]), (steps - 1, ["difference"])]
    if steps % 2 == 0:
        shapes.append((steps // 2, ["sum"]))
    shapes = [(r, q) for r, q in shapes if 2 <= r <= 5]
    if not shapes:
        raise _Reject("no ages shape has this many steps")
    count, question = rng.choice(shapes)
    base = rng.randint(4, 16)
    age, relations = Fraction(base), []
    for _ in range(count):
        kind = rng.choice(("older", "younger", "times", "half") if age % 2 == 0 else ("older", "younger", "times"))
        k = rng.choice((2, 3)) if kind == "times" else (2 if kind == "half" else rng.randint(2, 12))
        relations.append([kind, k])
        age = {"older": age + k, "younger": age - k, "times": age * k, "half": age / 2}[kind]
        if not 1 <= age <= 90:
            raise _Reject("an age left 1-90")
    answer, ages = run_ages(base, relations, question)
    if answer <= 0 or len(set(ages)) < 2:
        raise _Reject("a non-positive difference")
    people = rng.sample(NAMES, count + 1)
    return {"kind": "ages", "base": base, "relations": relations, "question": question, "people": [p[0] for p in people]}


# --------------------------------------------------------------------------------------- wording


def _theme(key: str) -> Theme:
    return next(t for t in THEMES if t.key == key)


def tell_accumulator(program: dict[str, Any], rng: random.Random, actor: tuple[str, str]) -> tuple[str, list[str], Fraction]:
    """The story text, the worked solution (one line per step) and the answer of an accumulator program."""
    theme = _theme(program["theme"])
    name, pronoun = actor
    words = {"name": name, **PRONOUNS[pronoun]}
    words.update({key.capitalize(): value.capitalize() for key, value in PRONOUNS[pronoun].items()})
    start = Fraction(program["start"])
    sentences = [theme.intro.format(k=amount(theme, start), **words)]
    answer, steps = run_accumulator(start, program["events"])
    solution = [f"Start: {amount(theme, start)}."]
    position = 0
    question = theme.question.format(**words)
    for event in program["events"]:
        kind, args = event[0], [Fraction(a) for a in event[1:]]
        fill = dict(words)
        if kind in ("add", "sub"):
            fill["k"] = amount(theme, args[0])
        elif kind in ("add_groups", "sub_groups"):
            fill.update(n=number(args[0]), m=number(args[1]), k=amount(theme, args[1]))
        elif kind == "fraction_off":
            fill["frac"] = f"{args[0].numerator}/{args[0].denominator}"
        elif kind == "percent_off":
            fill["pct"] = f"{number(args[0])}%"
        else:
            fill["n"] = number(args[0])
        if kind == "share":
            question = theme.share_question.format(**fill)
        else:
            sentences.append(rng.choice(theme.events[kind]).format(**fill))
        for op, a, b, result in steps[position:position + COSTS[kind]]:
            solution.append(_step_line(theme, kind, op, a, b, result))
        position += COSTS[kind]
    return " ".join([*sentences, question]), solution, answer


def _step_line(theme: Theme, kind: str, op: str, a: Fraction, b: Fraction, result: Fraction) -> str:
    if op == "× %":
        return f"{b}% of {number(a)} is {number(a)} × {number(b)}/100 = {number(result)} {theme.unit}."
    if op == "×" and kind == "fraction_off":
        return f"{b.numerator}/{b.denominator} of {number(a)} is {number(result)} {theme.unit}."
    if op == "×" and kind in ("add_groups", "sub_groups"):
        return f"{number(a)} × {number(b)} = {number(result)} {theme.unit}."
    return f"{number(a)} {op} {number(b)} = {number(result)} {theme.unit}."


_RELATION = {
    "older": "{b} is {k} years older than {a}.",
    "younger": "{b} is {k} years younger than {a}.",
    "times": "{b} is {times} as old as {a}.",
    "half": "{b} is half as old as {a}.",
}


def tell_ages(program: dict[str, Any]) -> tuple[str, list[str], Fraction]:
    """The ages puzzle text, its worked solution and its answer."""
    people, base, question = program["people"], program["base"], program["question"]
    answer, ages = run_ages(base, program["relations"], question)
    sentences = [f"{people[0]} is {base} years old."]
    solution = [f"{people[0]}: {base}."]
    for i, (kind, k) in enumerate(program["relations"]):
        a, b = people[i], people[i + 1]
        sentences.append(_RELATION[kind].format(a=a, b=b, k=k, times={2: "twice", 3: "three times"}.get(k, f"{k} times")))
        op = {"older": f"{number(ages[i])} + {k}", "younger": f"{number(ages[i])} - {k}",
              "times": f"{number(ages[i])} × {k}", "half": f"{number(ages[i])} ÷ 2"}[kind]
        solution.append(f"{b}: {op} = {number(ages[i + 1])}.")
    last = people[-1]
    if question[0] == "age":
        sentences.append(f"How old is {last}?")
    elif question[0] == "future":
        sentences.append(f"How old will {last} be in {question[1]} years?")
        solution.append(f"In {question[1]} years: {number(ages[-1])} + {question[1]} = {number(answer)}.")
    elif question[0] == "difference":
        sentences.append(f"How many years older is {last} than {people[0]}?")
        solution.append(f"Difference: {number(ages[-1])} - {base} = {number(answer)}.")
    else:
        sentences.append(f"What is the sum of the ages of all {len(people)} people?")
        running = ages[0]
        for age in ages[1:]:
            solution.append(f"Sum so far: {number(running)} + {number(age)} = {number(running + age)}.")
            running += age
    return " ".join(sentences), solution, answer


# --------------------------------------------------------------------------------------- template


@register
class MultiStepWordProblem(MathTemplate):
    """A grade-school word problem that chains 3-9 arithmetic steps; the answer is an exact number."""

    name = "MultiStepWordProblem"
    version = 0
    tags = ("math/word_problems", "math/word_problems/multi_step")
    description = "GSM8K-style stories (shopping, baking, rates, stock, ages) chaining 3 to 9 exact steps."
    Config = WordProblemConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, WordProblemConfig)
        for _ in range(_MAX_DRAWS):
            steps = rng.randint(config.min_steps, config.max_steps)
            kind = rng.choice(config.kinds)
            try:
                if kind == "ages":
                    program = draw_ages(rng, steps)
                    text, solution, answer = tell_ages(program)
                    tags = ("math/word_problems/ages",)
                    unit_hint = "years"
                else:
                    program = draw_accumulator(rng, config, steps)
                    actor = rng.choice(NAMES)
                    text, solution, answer = tell_accumulator(program, rng, actor)
                    theme = _theme(program["theme"])
                    tags = (f"math/word_problems/{theme.key}",
                            *(f"math/word_problems/{e}" for e in sorted({e[0] for e in program["events"]})))
                    unit_hint = "dollars, without the $ sign" if theme.money else theme.unit
            except _Reject:
                continue
            prompt = (
                f"{text}\n\nGive the answer as a number only, in {unit_hint}: an integer, or an exact decimal "
                f"such as 12.75. {self.answer_format.instruction}"
            )
            solution = [*solution, f"The answer is {number(answer)}."]
            return Draft(prompt=prompt, answer=G.rational(answer),
                         metadata={"program": program, "steps": steps, "solution": solution}, tags=tags)
        raise RuntimeError(f"{self.name}: no valid story in {_MAX_DRAWS} draws for {config!r}; allow more events or steps")
